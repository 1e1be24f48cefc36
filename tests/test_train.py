"""core.engine.train and core.engine.classifier against independent references: NumPy backprop, scikit-learn metrics."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from sklearn.metrics import accuracy_score, log_loss

from bench import numpy_mlp
from core.engine import classifier, train
from core.engine.classifier import SCALAR_METRICS, LabConfig, TrainingRun, prepare, run_lab
from core.engine.data import load_dataset
from core.engine.models import Architecture, apply_model, params_as_layers
from tests.jit_support import compiled_count, run_in_fresh_python

DIGITS_ARCH = Architecture(64, (128, 128), 10)


@pytest.fixture(scope="module")
def fresh_state():
    return train.init_train_state(0, 1e-3, 0.0, architecture=DIGITS_ARCH, optimizer_name="adam")


def test_logits_and_loss_match_a_numpy_forward_pass(fresh_state):
    dataset = load_dataset("digits")
    x, y = dataset.x_test[:50], dataset.y_test[:50]
    layers = [(np.asarray(k), np.asarray(b)) for k, b in params_as_layers(fresh_state.params)]
    expected_logits, _ = numpy_mlp.forward(layers, x)
    logits = np.asarray(apply_model(DIGITS_ARCH, fresh_state.params, jnp.asarray(x)))
    np.testing.assert_allclose(logits, expected_logits, rtol=1e-4, atol=1e-5)
    loss = float(train.cross_entropy(jnp.asarray(logits), jnp.asarray(y), jnp.ones(50)))
    assert loss == pytest.approx(log_loss(y, numpy_mlp.softmax(expected_logits), labels=range(10)), rel=1e-4)


def test_gradients_match_hand_written_backpropagation(fresh_state):
    dataset = load_dataset("digits")
    x, y = jnp.asarray(dataset.x_train[:64]), jnp.asarray(dataset.y_train[:64])

    def loss(params):
        return train.cross_entropy(apply_model(DIGITS_ARCH, params, x), y, jnp.ones(64))

    jax_grads = params_as_layers(jax.grad(loss)(fresh_state.params))
    layers = [(np.asarray(k), np.asarray(b)) for k, b in params_as_layers(fresh_state.params)]
    for (jax_kernel, jax_bias), (np_kernel, np_bias) in zip(
        jax_grads, numpy_mlp.gradients(layers, np.asarray(x), np.asarray(y))
    ):
        np.testing.assert_allclose(np.asarray(jax_kernel), np_kernel, rtol=1e-3, atol=1e-6)
        np.testing.assert_allclose(np.asarray(jax_bias), np_bias, rtol=1e-3, atol=1e-6)


def test_weighted_loss_ignores_padding_rows():
    logits = jnp.asarray(np.random.default_rng(0).normal(size=(6, 3)), jnp.float32)
    labels = jnp.asarray([0, 1, 2, 0, 1, 2])
    weights = jnp.asarray([1, 1, 1, 1, 0, 0], jnp.float32)
    expected = log_loss(np.asarray(labels[:4]), np.asarray(jax.nn.softmax(logits[:4])), labels=range(3))
    assert float(train.cross_entropy(logits, labels, weights)) == pytest.approx(expected, rel=1e-5)


def test_recorded_metrics_agree_with_scikit_learn_on_the_final_model():
    config = LabConfig(epochs=12, label_noise=0.25, train_size=600, seed=2)
    run = TrainingRun(config)
    while run.advance():
        pass
    history, data, dataset = run.history(), run.data, run.dataset
    active = slice(0, data.n_active)
    train_probs = run.predict_proba(data.x[active])
    test_probs = run.predict_proba(dataset.x_test)
    train_pred = train_probs.argmax(1)
    assert history.train_loss[-1] == pytest.approx(
        log_loss(data.labels_given[active], train_probs, labels=range(10)), rel=1e-3
    )
    assert history.test_loss[-1] == pytest.approx(log_loss(dataset.y_test, test_probs, labels=range(10)), rel=1e-3)
    assert history.train_accuracy[-1] == pytest.approx(accuracy_score(data.labels_given[active], train_pred))
    assert history.test_accuracy[-1] == pytest.approx(accuracy_score(dataset.y_test, test_probs.argmax(1)))
    wrong = data.mislabeled[active]
    assert history.memorized_share[-1] == pytest.approx(np.mean(train_pred[wrong] == data.labels_given[active][wrong]))
    assert history.mislabeled_true_share[-1] == pytest.approx(
        np.mean(train_pred[wrong] == data.labels_true[active][wrong])
    )
    assert history.clean_train_accuracy[-1] == pytest.approx(
        np.mean(train_pred[~wrong] == data.labels_true[active][~wrong])
    )
    np.testing.assert_array_equal(history.train_predictions[-1][active], train_pred)


def test_clean_digits_generalize(clean_digits_history):
    history = clean_digits_history
    assert history.epochs_done == 60 and history.failure is None
    assert history.train_loss[-1] < 0.2 * history.train_loss[0]
    assert history.test_accuracy.max() >= 0.95
    assert np.isnan(history.memorized_share).all()


def test_wrong_labels_get_memorized_and_hurt_held_out_accuracy(noisy_digits_history, clean_digits_history):
    history = noisy_digits_history
    assert history.memorized_share[-1] > 0.8
    assert history.memorized_share[0] < 0.3 and history.mislabeled_true_share[0] > 0.5
    assert history.train_accuracy[-1] > 0.95
    assert history.test_accuracy[-1] < clean_digits_history.test_accuracy[-1] - 0.05
    takeover = history.memorization_takeover_epoch()
    assert takeover is not None and history.memorized_share[takeover - 1] > 0.5 >= history.memorized_share[takeover - 2]
    assert history.best_epoch() < takeover


def test_memorized_since_finds_the_start_of_the_current_streak(noisy_digits_history):
    history = noisy_digits_history
    since = history.memorized_since()
    memorized = (history.train_predictions == history.data.labels_given.astype(np.int8)) & history.data.mislabeled
    for row in np.flatnonzero(history.data.mislabeled)[:40]:
        streak = memorized[:, row]
        if not streak[-1]:
            assert since[row] == 0
            continue
        first = since[row] - 1
        assert streak[first:].all() and (first == 0 or not streak[first - 1])
    assert (since[~history.data.mislabeled] == 0).all()


def test_same_seed_same_run_other_seed_other_run():
    config = LabConfig(epochs=3, train_size=300, label_noise=0.1, seed=4)
    first, again = run_lab(config), run_lab(config)
    other = run_lab(LabConfig(epochs=3, train_size=300, label_noise=0.1, seed=5))
    np.testing.assert_array_equal(first.train_loss, again.train_loss)
    np.testing.assert_array_equal(first.train_predictions, again.train_predictions)
    assert not np.array_equal(first.train_loss, other.train_loss)


def test_slider_values_reuse_one_compiled_chunk():
    configs = [
        LabConfig(epochs=3, learning_rate=1e-3),
        LabConfig(epochs=7, learning_rate=0.05, weight_decay=1e-2, seed=3),
        LabConfig(epochs=12, label_noise=0.6, train_size=250, input_noise=0.4, seed=9),
        LabConfig(epochs=1, learning_rate=2.0, label_noise=1.0, train_size=40),
    ]
    run_lab(configs[0])
    chunk_compiles, init_compiles = compiled_count(train.train_chunk), compiled_count(train.init_train_state)
    for config in configs[1:]:
        run_lab(config)
    assert compiled_count(train.train_chunk) == chunk_compiles
    assert compiled_count(train.init_train_state) == init_compiles


def test_epoch_budget_is_honoured_inside_a_chunk():
    history = run_lab(LabConfig(epochs=13, train_size=100))
    assert history.epochs_done == 13
    assert len(history.train_predictions) == 13


def test_a_far_too_large_learning_rate_is_stopped_with_a_reason():
    history = run_lab(LabConfig(epochs=200, learning_rate=10.0, optimizer="sgd"))
    assert history.failure in ("blew_up", "collapsed")
    assert history.epochs_done < 200
    assert np.isfinite(history.train_loss).all()


def test_a_collapse_is_blamed_on_the_rate_only_if_the_smaller_rate_does_not_get_stuck_too(monkeypatch):
    collapsed = run_lab(LabConfig(learning_rate=0.5, epochs=20))
    assert collapsed.failure == "collapsed" and collapsed.diverged_at == 10 and collapsed.answers_one_class()
    # The same run, judged against a "smaller" rate that is the same rate: it is stuck as well, so not stopped.
    monkeypatch.setattr(classifier, "suggested_learning_rate", lambda config: config.learning_rate)
    history = run_lab(LabConfig(learning_rate=0.5, epochs=20))
    assert history.failure is None and history.epochs_done == 20 and history.answers_one_class()


def test_the_suggested_rate_is_a_tenth_and_never_above_the_safe_one():
    assert classifier.suggested_learning_rate(LabConfig(learning_rate=5.0)) == 0.01
    assert classifier.suggested_learning_rate(LabConfig(learning_rate=0.05)) == 0.005
    assert classifier.suggested_learning_rate(LabConfig(learning_rate=0.5, optimizer="sgd")) == 0.05
    assert classifier.suggested_learning_rate(LabConfig(learning_rate=10.0, optimizer="sgd")) == 0.1


def test_a_run_that_blows_up_keeps_only_finite_epochs():
    run = TrainingRun(LabConfig(epochs=20, train_size=100))
    chunk = {
        name: np.ones((10,) if name != "train_predictions" else (10, len(run.data.x)))
        for name in (*SCALAR_METRICS, "train_predictions")
    }
    chunk["train_loss"][4] = np.inf
    run._record(chunk)
    assert run.failure == "blew_up" and run.diverged_at == 5 and run.epochs_done == 4
    assert not run.advance()


def test_bad_configs_are_refused():
    with pytest.raises(ValueError, match="epochs must be between 1 and 1000"):
        LabConfig(epochs=0)
    with pytest.raises(ValueError, match="learning rate must be a positive number"):
        LabConfig(learning_rate=float("nan"))
    with pytest.raises(ValueError, match="widths"):
        TrainingRun(LabConfig(hidden=(100,)))


def test_prepare_keeps_the_held_out_set_whole():
    dataset, data, device = prepare(LabConfig(train_size=100))
    assert device.x_test.shape == dataset.x_test.shape and int(device.n_active) == 100


WARM_UP_THEN_TRAIN = """
import json
from core.engine import jax_setup, train
from core.engine.classifier import LabConfig, run_lab, warm_up
from tests.jit_support import compiled_count, run_in_fresh_python

jax_setup.enable_compilation_cache()
config = LabConfig(epochs=2, train_size=100)
before = compiled_count(train.train_chunk)
warm_up(config)
warmed = compiled_count(train.train_chunk)
run_lab(config)
after = compiled_count(train.train_chunk)
print(json.dumps({"before": before, "warmed": warmed, "after": after}))
"""


def test_warm_up_compiles_what_the_first_learner_needs(tmp_path):
    """In a fresh process (in this one, earlier tests compiled the same chunk): the warm-up compiled the chunk,
    and the first learner's run compiles nothing more. (ui/first_minute runs it on the server's warm-up thread.)"""
    counts = run_in_fresh_python(WARM_UP_THEN_TRAIN, tmp_path / "empty-jax-cache")
    assert counts["before"] == 0 and counts["warmed"] >= 1
    assert counts["after"] == counts["warmed"], "the first run compiled again after the warm-up"
