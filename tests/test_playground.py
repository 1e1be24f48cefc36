"""core.lessons.playground and the L1 term in core.engine.train: settings map onto the lab's run, L1 is traced and
shrinks weights."""

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest

from core.engine import train
from core.engine.models import params_as_layers
from core.lessons.playground import GRID, PlaygroundConfig, plane_grid, plane_view, predictions_on_grid, start_run
from tests.jit_support import compiled_count

SMALL = {"dataset": "moons", "n_points": 200, "hidden": (8,), "epochs": 20, "learning_rate": 0.03}


def total_absolute_weight(run) -> float:
    return float(sum(np.abs(np.asarray(kernel)).sum() for kernel, _ in params_as_layers(run._state.params)))


def trained(config: PlaygroundConfig):
    run = start_run(config)
    while run.advance():
        pass
    return run


def test_zero_l1_leaves_adam_exactly_as_optax_adamw():
    params = {"w": jnp.asarray([0.5, -1.0, 0.0])}
    grads = {"w": jnp.asarray([0.1, 0.2, -0.3])}
    ours = train.OPTIMIZERS["adam"]
    reference = optax.adamw(1e-3, weight_decay=0.0)
    updates, _ = ours.update(grads, ours.init(params), params)
    expected, _ = reference.update(grads, reference.init(params), params)
    np.testing.assert_array_equal(updates["w"], expected["w"])


def test_l1_shrinks_the_weights_and_changing_it_does_not_recompile():
    plain = trained(PlaygroundConfig(**SMALL))
    compiled = compiled_count(train.train_chunk), compiled_count(train.init_train_state)
    sparse = trained(PlaygroundConfig(**SMALL, regularization="L1", regularization_strength=1.0))
    trained(PlaygroundConfig(**SMALL, regularization="L2", regularization_strength=0.1, seed=3))
    assert (compiled_count(train.train_chunk), compiled_count(train.init_train_state)) == compiled
    assert total_absolute_weight(sparse) < 0.7 * total_absolute_weight(plain)


def test_the_grid_covers_every_point_and_is_predicted_in_one_shape():
    run = start_run(PlaygroundConfig(**SMALL))
    grid = plane_grid(run.dataset)
    everything = np.concatenate([run.dataset.x_train, run.dataset.x_test])
    assert grid.x1[0] < everything.min() and grid.x1[-1] > everything.max()
    probabilities = predictions_on_grid(run, grid)
    assert probabilities.shape == (GRID, GRID, 2)
    np.testing.assert_allclose(probabilities.sum(axis=-1), 1.0, rtol=1e-5)
    before = compiled_count(train.predict_proba)
    predictions_on_grid(start_run(PlaygroundConfig(**{**SMALL, "n_points": 400, "noise": 0.5})), grid)
    assert compiled_count(train.predict_proba) == before


def test_bad_settings_are_refused_in_words():
    with pytest.raises(ValueError, match="dataset"):
        PlaygroundConfig(dataset="digits")
    with pytest.raises(ValueError, match="points"):
        PlaygroundConfig(n_points=123)
    with pytest.raises(ValueError, match="regularization"):
        PlaygroundConfig(regularization="L3")
    with pytest.raises(ValueError, match="regularization strengths"):
        start_run(PlaygroundConfig(regularization="L1", regularization_strength=-1.0))


def test_gradient_of_the_l1_term_is_its_sign():
    transform = train._add_sign_of_params(0.5)
    params = {"w": jnp.asarray([2.0, -3.0, 0.0])}
    updates, _ = transform.update(jax.tree.map(jnp.zeros_like, params), transform.init(params), params)
    np.testing.assert_array_equal(updates["w"], [0.5, -0.5, 0.0])


def test_a_network_regularized_flat_trains_on_instead_of_being_blamed_on_the_rate():
    """At the page's default settings and rate, L1 at its strongest pulls every weight to zero, so the model answers
    one class everywhere. That is what the learner should see, not a learning-rate failure (it used to stop as one)."""
    run = trained(PlaygroundConfig(regularization="L1", regularization_strength=1.0, epochs=20))
    assert run.failure is None and run.epochs_done == 20 and run.history().answers_one_class()


def test_a_blown_up_run_draws_no_predictions_only_the_points():
    run = start_run(PlaygroundConfig(**{**SMALL, "learning_rate": 3.0, "optimizer": "sgd"}))
    while run.advance():
        pass
    assert run.failure == "blew_up"
    view = plane_view(run.dataset, run.data, run)
    assert view.probabilities is None and len(view.x_train) == run.data.n_active
