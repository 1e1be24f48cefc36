"""core.lessons.training_step.stepper against a hand derivation in NumPy: gradients, the stability limit, the four
regimes."""

import jax.numpy as jnp
import numpy as np
import pytest

from core.engine.run import blew_up
from core.lessons.training_step import readings, stepper
from core.lessons.training_step.stepper import LineProblem, Stepper, load_line_problem
from tests.jit_support import compiled_count


@pytest.fixture(scope="module", params=stepper.SCALINGS)
def problem(request) -> LineProblem:
    return load_line_problem(request.param)


def numpy_gradient(problem: LineProblem, params, rows) -> np.ndarray:
    """∂L/∂(w, b) = Xᵀ(Xθ − y)/n on the given rows, derived by hand."""
    design, y = problem.design[rows], problem.y[rows].astype(np.float64)
    return design.T @ (design @ np.asarray(params, np.float64) - y) / len(rows)


def test_the_data_is_scaled_to_readable_numbers(problem):
    assert problem.n == 442
    assert abs(problem.y.mean()) < 1e-5 and problem.y.std() == pytest.approx(1.0, rel=1e-4)
    if problem.scaling == "0 to 1":
        assert problem.x.min() == 0.0 and problem.x.max() == 1.0
    else:
        assert problem.x.std() == pytest.approx(1.0, rel=1e-4)


def test_step_numbers_agree_with_a_numpy_hand_derivation(problem):
    run = Stepper(problem, learning_rate=0.3, batch_size=stepper.MINIBATCH, seed=7)
    detail = run.detail()
    params, rows = np.asarray(stepper.START, np.float64), detail["rows"]
    x, y = problem.x[rows].astype(np.float64), problem.y[rows].astype(np.float64)
    gradient = numpy_gradient(problem, params, rows)
    assert len(rows) == stepper.MINIBATCH
    np.testing.assert_allclose(detail["predictions"], params[0] * x + params[1], rtol=1e-5)
    np.testing.assert_allclose(detail["per_example_loss"], 0.5 * (params[0] * x + params[1] - y) ** 2, rtol=1e-5)
    np.testing.assert_allclose(detail["gradient"], gradient, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(detail["new_params"], params - 0.3 * gradient, rtol=1e-5)


def test_full_batch_gradient_uses_every_example(problem):
    run = Stepper(problem, learning_rate=0.5)
    run.train_steps(stepper.CHUNK_STEPS)
    rows = np.arange(problem.n)
    np.testing.assert_allclose(
        run.detail()["gradient"], numpy_gradient(problem, run.path[run.shown_step], rows), rtol=1e-4, atol=1e-6
    )


def test_stability_limit_matches_numpy_eigenvalues(problem):
    hessian = problem.design.T @ problem.design / problem.n
    assert problem.stability_limit == pytest.approx(2.0 / np.linalg.eigvalsh(hessian).max(), rel=1e-12)


@pytest.mark.parametrize(("share_of_limit", "converges"), [(0.95, True), (1.05, False)])
def test_just_below_the_limit_converges_just_above_it_diverges(problem, share_of_limit, converges):
    run = Stepper(problem, learning_rate=share_of_limit * problem.stability_limit)
    run.train_steps(600)
    assert (run.failure is None) == converges
    assert np.isfinite(run.losses).all() and np.isfinite(np.asarray(run.path)).all()
    best_loss = float(stepper.full_data_loss(jnp.asarray(problem.best_params, jnp.float32), run._x, run._y))
    if converges:
        assert run.losses[-1] == pytest.approx(best_loss, rel=1e-3)
    else:
        assert run.failure == "blew_up" and run.losses[-1] > run.losses[0]
        assert "above the stability limit" in readings.divergence_text(run)


def test_regimes_in_order_along_the_learning_rate(problem):
    limit = problem.stability_limit
    rates = [0.001, 0.3 * limit, 0.8 * limit, 1.1 * limit]
    assert [problem.regime(rate) for rate in rates] == ["too slow", "good", "oscillating", "diverging"]
    assert readings.regime_reading(problem, 1.1 * limit)[0] == "error"


def test_phases_reveal_one_step_and_apply_the_update_at_the_update_phase():
    run = Stepper(load_line_problem(), learning_rate=0.5)
    for _ in range(stepper.UPDATE_PHASE - 1):
        run.next_phase()
    assert run.steps_done == 0
    run.next_phase()
    assert run.steps_done == 1 and run.phase == stepper.UPDATE_PHASE
    np.testing.assert_array_equal(run.params, run.detail()["new_params"])
    run.next_phase()
    assert run.detail()["loss_after"] < run.detail()["loss"]
    run.next_phase()
    assert (run.shown_step, run.phase) == (1, 0)
    run.step()
    assert run.steps_done == 2 and run.phase == stepper.LAST_PHASE


def test_same_seed_same_minibatches_and_path():
    problem = load_line_problem()
    first, again, other = (Stepper(problem, 0.5, stepper.MINIBATCH, seed) for seed in (3, 3, 4))
    for run in (first, again, other):
        run.train_steps(20)
    np.testing.assert_array_equal(np.asarray(first.path), np.asarray(again.path))
    assert not np.array_equal(np.asarray(first.path), np.asarray(other.path))


def test_moving_the_learning_rate_does_not_recompile():
    problem = load_line_problem()
    run = Stepper(problem, learning_rate=0.1)
    run.step()
    run.train_steps(stepper.CHUNK_STEPS)
    run.landscape()
    compiled = [compiled_count(fn) for fn in (stepper.step_detail, stepper.descend, stepper.loss_grid)]
    for rate in (0.02, 0.7, 1.3, 2.5):
        run.learning_rate = rate
        run.step()
        run.train_steps(stepper.CHUNK_STEPS)
        run.landscape()
    assert [compiled_count(fn) for fn in (stepper.step_detail, stepper.descend, stepper.loss_grid)] == compiled


def test_a_diverging_run_keeps_only_the_finite_path_and_refuses_more_steps():
    problem = load_line_problem()
    run = Stepper(problem, learning_rate=3.0)
    run.train_steps(200)
    assert run.failure == "blew_up" and run.finished and not run.advance()
    steps = run.steps_done
    assert not any(blew_up(loss, run.losses[0]) for loss in run.losses)
    run.step()
    run.next_phase()
    assert run.steps_done == steps


def test_a_run_that_diverged_after_one_step_shows_that_step_whole():
    """It showed the step's first phase ("data"), as if the step had not been taken."""
    run = Stepper(load_line_problem(), learning_rate=3.0)
    run.train_steps(200)
    assert run.steps_done == 1 and (run.shown_step, run.phase) == (0, stepper.LAST_PHASE)


def test_next_shows_the_update_it_makes_without_jumping_ahead():
    run = Stepper(load_line_problem(), learning_rate=0.5)
    for phase in range(1, stepper.LAST_PHASE + 1):
        run.next_phase()
        assert (run.shown_step, run.phase) == (0, phase)
    assert run.steps_done == 1


def test_the_view_grows_with_the_path_but_stays_bounded():
    problem = load_line_problem()
    base_w, base_b = stepper.view_bounds(problem, np.asarray([stepper.START]))
    far_w, far_b = stepper.view_bounds(problem, np.asarray([stepper.START, (1e6, -1e6)]))
    assert far_w[1] > base_w[1] and far_b[0] < base_b[0]
    assert far_w[1] - far_w[0] <= 3 * (base_w[1] - base_w[0]) + 1e-9


def test_bad_learning_rates_are_refused():
    with pytest.raises(ValueError, match="learning rate"):
        Stepper(load_line_problem(), learning_rate=float("nan"))
    with pytest.raises(ValueError, match="scaling"):
        load_line_problem("log")
