"""core.lessons.memorize: the plain-language readings match what the run actually did."""

import dataclasses

import numpy as np
import pytest

from core.engine.classifier import LabConfig, TrainingRun, run_lab
from core.lessons.memorize import read_run
from core.lessons.stops import stop_reason


def levels_and_text(readings):
    return [level for level, _ in readings], " ".join(text for _, text in readings)


def test_a_clean_run_reads_as_generalizing(clean_digits_history):
    levels, text = levels_and_text(read_run(clean_digits_history, LabConfig(epochs=60)))
    assert levels == ["success"]
    held_out, training = clean_digits_history.test_accuracy[-1], clean_digits_history.train_accuracy[-1]
    assert f"{held_out:.1%}" in text and f"{training:.1%}" in text
    gap = round(100 * training, 1) - round(100 * held_out, 1)
    assert f"a gap of {gap:.1f} percentage points" in text, "the gap is that of the two percentages as shown"


def test_a_model_still_near_guessing_is_not_said_to_generalize():
    """One epoch of tiny SGD steps: about 14% on both sets, a gap near zero that says nothing yet."""
    config = LabConfig(epochs=1, train_size=72, learning_rate=1e-4, optimizer="sgd", hidden=(8,))
    history = run_lab(config)
    assert history.test_accuracy[-1] < 0.3
    levels, text = levels_and_text(read_run(history, config))
    assert levels == ["info"] and "learned little so far" in text and "carries over" not in text


def test_memorized_wrong_labels_are_named_with_their_numbers(noisy_digits_history):
    history = noisy_digits_history
    levels, text = levels_and_text(read_run(history, LabConfig(epochs=150, label_noise=0.3)))
    assert "warning" in levels and "memorized" in text
    assert f"{history.memorized_share[-1]:.0%} of the {int(history.data.mislabeled.sum())} mislabeled" in text
    assert f"epoch {history.best_epoch()}" in text


def test_early_in_a_noisy_run_the_model_still_disagrees_with_wrong_labels():
    config = LabConfig(epochs=5, label_noise=0.4)
    history = run_lab(config)
    assert history.generalization_gap_accuracy[-1] < -0.05
    levels, text = levels_and_text(read_run(history, config))
    assert "info" in levels and "wrong labels" in text


def test_a_failed_run_has_no_readings_its_stop_reason_says_it():
    config = LabConfig(epochs=50, learning_rate=10.0, optimizer="sgd")
    run = TrainingRun(config)
    while run.advance():
        pass
    assert read_run(run.history(), config) == []
    assert "learning rate of 10" in stop_reason(run) and "such as 0.1." in stop_reason(run)


def stuck(history):
    """`history` with its last epoch made one class for every row at the loss of guessing among ten."""
    metrics = {**history.metrics, "train_loss": np.append(history.train_loss[:-1], np.log(10))}
    predictions = history.train_predictions.copy()
    predictions[-1] = 3
    return dataclasses.replace(history, metrics=metrics, train_predictions=predictions)


@pytest.mark.parametrize(
    ("settings", "words"),
    [
        ({"weight_decay": 0.1}, "The regularization may be pulling every weight towards zero"),
        ({"l1_strength": 0.01}, "The regularization may be pulling every weight towards zero"),
        ({"hidden": ()}, "can only draw a straight border"),
        ({"activation": "linear"}, "can only draw a straight border"),
        ({"learning_rate": 0.1, "optimizer": "sgd"}, "smaller learning rate (0.01) does no better"),
    ],
)
def test_a_model_stuck_on_one_class_is_explained_by_its_settings_not_blamed_on_the_rate(
    clean_digits_history, settings, words
):
    readings = read_run(stuck(clean_digits_history), LabConfig(**settings), tuple(map(str, range(10))))
    assert [level for level, _ in readings] == ["warning"]
    assert "answers '3' for almost every example and is no better than guessing" in readings[0][1]
    assert words in readings[0][1]


def test_a_tiny_learning_rate_reads_as_too_slow():
    config = LabConfig(epochs=10, learning_rate=1e-4, optimizer="sgd", train_size=200)
    history = run_lab(config)
    assert history.test_accuracy[-1] < 0.85 and np.isfinite(history.train_loss).all()
    levels, text = levels_and_text(read_run(history, config))
    assert "warning" in levels and "barely moved" in text and "a larger learning rate, such as 0.1." in text


def test_slow_progress_at_a_rate_above_the_safe_one_is_not_called_tiny_steps(clean_digits_history):
    history = clean_digits_history
    flat = {**history.metrics, "train_loss": np.full(history.epochs_done, 2.0), "test_accuracy": np.full(60, 0.3)}
    slow = dataclasses.replace(history, metrics=flat)
    assert "barely moved" in levels_and_text(read_run(slow, LabConfig(learning_rate=1e-3)))[1]
    assert "barely moved" not in levels_and_text(read_run(slow, LabConfig(learning_rate=0.2)))[1]


def test_a_short_run_that_learned_little_is_not_told_to_lower_its_rate():
    """The Playground's own rate (Adam at 0.03, above the 0.01 measured safe everywhere) was blamed after 20 epochs,
    and its advice (0.003) would learn even less in as few epochs."""
    config = LabConfig(epochs=3, train_size=72, learning_rate=0.05, hidden=(8,))
    history = run_lab(config)
    assert history.failure is None and history.test_accuracy[-1] < 0.55  # learned little, above the safe rate
    levels, text = levels_and_text(read_run(history, config))
    assert levels == ["info"] and "learning rate" not in text and "learned little so far" in text
