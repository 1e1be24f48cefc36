"""core.lessons.stops: every kind of early stop of every lesson's run is explained in words, with the run's numbers."""

import types

import numpy as np
import pytest

from core.engine.classifier import LabConfig, TrainingRun
from core.engine.data import from_arrays
from core.engine.run import FAILURES
from core.lessons.fine_tuning import FineTuneRun
from core.lessons.stops import stop_reason, unexpected_stop
from core.lessons.training_step.stepper import Stepper, load_line_problem
from core.lessons.user_text import markdown_literal

SMALL = {"hidden": (8,), "epochs": 20}  # one tiny model: compiles once for every table below


def table_run(x: np.ndarray, labels=("no", "yes"), **settings) -> TrainingRun:
    """A run on a made-up table of inputs x (rows, 3) with alternating labels."""
    y = np.arange(len(x)) % len(labels)
    dataset = from_arrays("table", x.astype(np.float32), y, list(labels))
    return TrainingRun(LabConfig(dataset="table", **{**SMALL, **settings}), dataset)


def trained(run):
    while run.advance():
        pass
    return run


def test_a_run_that_has_not_failed_has_no_reason():
    run = table_run(np.random.default_rng(0).normal(size=(60, 3)))
    assert stop_reason(run) is None
    assert stop_reason(trained(run)) is None and run.failure is None


def test_a_lab_run_that_blew_up_names_its_epoch_its_rate_and_a_smaller_one():
    run = trained(TrainingRun(LabConfig(dataset="moons", optimizer="sgd", learning_rate=1e3, **SMALL)))
    text = stop_reason(run)
    assert run.failure == "blew_up" and f"diverged in epoch {run.diverged_at} " in text
    assert "learning rate of 1e+03" in text and "such as 0.1." in text


def test_a_collapse_names_the_one_class_and_that_the_smaller_rate_learned_more():
    run = trained(TrainingRun(LabConfig(dataset="digits", learning_rate=0.5, epochs=30)))
    text = stop_reason(run)
    assert run.failure == "collapsed" and run.diverged_at == 10
    top = np.bincount(run.history().train_predictions[-1][: run.data.n_active]).argmax()
    assert f"answers '{top}' for almost every example" in text and "learning rate of 0.5" in text
    assert "with a learning rate of 0.01 learned clearly more" in text and text.endswith("such as 0.01.")


def test_identical_inputs_stop_before_training_and_say_it_is_not_the_rate():
    run = table_run(np.ones((50, 3)), learning_rate=0.1)
    assert run.failure == "constant_inputs" and run.finished and not run.advance() and run.epochs_done == 0
    text = stop_reason(run)
    assert f"All {run.data.n_active} training examples have exactly the same inputs" in text
    assert "learning rate" not in text


def test_inputs_too_large_to_compute_with_are_blamed_not_the_rate():
    x = np.random.default_rng(0).normal(size=(60, 3))
    x[:, 1] = np.inf  # what a column of values beyond float32 becomes
    run = trained(table_run(x, learning_rate=1e-3))
    text = stop_reason(run)
    assert run.failure == "blew_up" and "too large to compute with" in text and "It is not the learning rate" in text


def test_a_class_name_from_a_table_is_shown_as_text():
    run = types.SimpleNamespace(
        failure="collapsed",
        diverged_at=10,
        config=LabConfig(learning_rate=0.5),
        data=types.SimpleNamespace(x=np.zeros((4, 3)), n_active=4),
        dataset=types.SimpleNamespace(x_test=np.zeros((2, 3)), class_names=("[x](http://example.com)", "$x^2$")),
        history=lambda: types.SimpleNamespace(train_predictions=np.zeros((1, 4), np.int8)),
    )
    text = stop_reason.dispatch(TrainingRun)(run)
    assert f"answers '{markdown_literal('[x](http://example.com)')}'" in text and "](" not in text


def test_a_diverged_line_fit_says_why_and_names_a_steady_rate():
    stepper = Stepper(load_line_problem(), learning_rate=3.0)
    stepper.train_steps(50)
    text = stop_reason(stepper)
    assert stepper.failure == "blew_up" and f"diverged in step {stepper.diverged_at}," in text
    assert "above the stability limit" in text and "such as 0.8." in text


def test_a_fine_tuning_run_that_blew_up_names_the_model_and_a_rate_to_try():
    run = types.SimpleNamespace(
        failure="blew_up",
        failed_model="from_scratch",
        config=types.SimpleNamespace(learning_rate=0.3),
        pretraining={"peak_learning_rate": 3e-3},
    )
    text = stop_reason.dispatch(FineTuneRun)(run)
    assert "loss of the model trained from scratch blew up" in text and "try 0.003 " in text
    assert stop_reason.dispatch(FineTuneRun)(types.SimpleNamespace(failure=None)) is None


@pytest.mark.parametrize("failure", FAILURES)
def test_any_other_run_that_stopped_early_still_gets_words(failure):
    text = stop_reason(types.SimpleNamespace(failure=failure))
    assert text.startswith("Training was stopped early: ") and "_" not in text


def test_a_worker_error_is_a_reason_in_words_with_its_message_as_text():
    text = unexpected_stop(RuntimeError("out of memory in *chunk* [1](http://x)"))
    assert text.startswith("Training stopped on an unexpected problem: out of memory")
    assert r"\*chunk\*" in text and r"\[1\]" in text
