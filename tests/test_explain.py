"""core.lessons.memorize: the plain-language readings match what the run actually did."""

import numpy as np
import pytest

from core.engine.classifier import LabConfig, run_lab
from core.lessons.memorize import read_run, suggested_learning_rate


def levels_and_text(readings):
    return [level for level, _ in readings], " ".join(text for _, text in readings)


def test_a_clean_run_reads_as_generalizing(clean_digits_history):
    levels, text = levels_and_text(read_run(clean_digits_history, LabConfig(epochs=60)))
    assert levels == ["success"]
    assert f"{clean_digits_history.test_accuracy[-1]:.0%}" in text


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


def test_a_failed_run_says_what_happened_and_what_to_try():
    config = LabConfig(epochs=50, learning_rate=10.0, optimizer="sgd")
    history = run_lab(config)
    readings = read_run(history, config, tuple(map(str, range(10))))
    assert [level for level, _ in readings] == ["error"]
    assert "learning rate of 10" in readings[0][1] and "such as 0.1" in readings[0][1]
    assert "nan" not in readings[0][1].lower()


@pytest.mark.parametrize(
    ("dataset", "optimizer", "rate"), [("digits", "sgd", 10.0), ("digits", "adam", 5.0), ("spirals", "adam", 3.0)]
)
def test_the_learning_rate_a_failed_run_suggests_trains_when_followed(dataset, optimizer, rate):
    config = LabConfig(dataset=dataset, epochs=30, learning_rate=rate, optimizer=optimizer)
    assert run_lab(config).failure is not None
    followed = LabConfig(dataset=dataset, epochs=30, learning_rate=suggested_learning_rate(config), optimizer=optimizer)
    history = run_lab(followed)
    assert history.failure is None and history.train_loss[-1] < history.train_loss[0]


def test_a_tiny_learning_rate_reads_as_too_slow():
    config = LabConfig(epochs=10, learning_rate=1e-4, optimizer="sgd", train_size=200)
    history = run_lab(config)
    assert history.test_accuracy[-1] < 0.85 and np.isfinite(history.train_loss).all()
    levels, text = levels_and_text(read_run(history, config))
    assert "warning" in levels and "barely moved" in text
