"""core.lessons.training_step.race: gradient descent, momentum and Adam on the line fit, checked against NumPy and
optax-free updates."""

import numpy as np
import pytest

from core.lessons.training_step import race, stepper
from tests.jit_support import compiled_count


@pytest.fixture(scope="module")
def problem():
    return stepper.load_line_problem()


def numpy_walk(problem, learning_rate, momentum=0.0):
    """Full-batch (heavy-ball) gradient descent written out in NumPy: v = μ·v + ∇L, θ = θ − η·v."""
    design, y = problem.design, problem.y.astype(np.float64)
    params, velocity, path = np.array(stepper.START), np.zeros(2), [np.array(stepper.START)]
    for _ in range(race.RACE_STEPS):
        gradient = design.T @ (design @ params - y) / problem.n
        velocity = momentum * velocity + gradient
        params = params - learning_rate * velocity
        path.append(params)
    return np.array(path)


def numpy_adam_walk(problem, learning_rate, beta1=0.9, beta2=0.999, eps=1e-8):
    """Adam (Kingma and Ba) written out in NumPy: moving averages m and v of the gradient and its square,
    corrected for their zero start, and a step of η·m̂/(√v̂ + ε)."""
    design, y = problem.design, problem.y.astype(np.float64)
    params, path = np.array(stepper.START), [np.array(stepper.START)]
    m, v = np.zeros(2), np.zeros(2)
    for step in range(1, race.RACE_STEPS + 1):
        gradient = design.T @ (design @ params - y) / problem.n
        m = beta1 * m + (1 - beta1) * gradient
        v = beta2 * v + (1 - beta2) * gradient**2
        m_hat, v_hat = m / (1 - beta1**step), v / (1 - beta2**step)
        params = params - learning_rate * m_hat / (np.sqrt(v_hat) + eps)
        path.append(params)
    return np.array(path)


def test_all_three_optimizers_follow_the_textbook_updates(problem):
    racers = {r.name: r for r in race.race(problem, 0.5)}
    np.testing.assert_allclose(racers["gradient descent"].path, numpy_walk(problem, 0.5), atol=1e-4)
    np.testing.assert_allclose(racers[f"momentum {race.MOMENTUM}"].path, numpy_walk(problem, 0.5, 0.9), atol=1e-3)
    np.testing.assert_allclose(racers["Adam"].path, numpy_adam_walk(problem, 0.5), atol=1e-4)


def test_in_the_tilted_valley_momentum_and_adam_arrive_long_before_gradient_descent(problem):
    racers = {r.name: r for r in race.race(problem, 0.5)}
    slow = racers["gradient descent"].arrived_at
    for name in (f"momentum {race.MOMENTUM}", "Adam"):
        assert racers[name].arrived_at is not None and racers[name].arrived_at * 3 < slow
    assert racers["Adam"].losses[-1] == pytest.approx(problem.lowest_loss, abs=1e-4)


def test_past_the_stability_limit_only_gradient_descent_blows_up(problem):
    rate = 1.4 * problem.stability_limit  # momentum 0.9 stays stable up to 3.8 / λmax, 1.9 times further
    racers = {r.name: r for r in race.race(problem, rate)}
    assert racers["gradient descent"].blew_up and racers["gradient descent"].arrived_at is None
    assert not racers[f"momentum {race.MOMENTUM}"].blew_up
    assert "blew up" in race.race_reading(list(racers.values()), rate)


def test_moving_the_learning_rate_never_recompiles(problem):
    race.race(problem, 0.1)
    compiled = compiled_count(race.race_paths)
    for rate in (0.01, 0.7, 2.9):
        race.race(problem, rate)
    assert compiled_count(race.race_paths) == compiled
