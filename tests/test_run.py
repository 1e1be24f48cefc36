"""core.engine.run: every lesson's run speaks the Run protocol, and one rule decides that a run blew up."""

import math

import numpy as np
import pytest

from core.engine.classifier import LabConfig, TrainingRun
from core.engine.run import BLOW_UP_FACTOR, Progress, Run, blew_up, first_blow_up
from core.lessons.training_step.stepper import Stepper, load_line_problem


def test_first_blow_up_finds_the_first_non_finite_or_huge_loss():
    guessing = math.log(10)
    assert first_blow_up([2.3, 1.0, 0.5], guessing) is None
    assert first_blow_up([2.3, np.nan, 0.5], guessing) == 1
    assert first_blow_up([2.3, 1.0, np.inf], guessing) == 2
    assert first_blow_up([2.3, BLOW_UP_FACTOR * guessing * 1.01, 1.0], guessing) == 1
    assert first_blow_up([BLOW_UP_FACTOR * guessing * 0.99], guessing) is None
    assert first_blow_up([], guessing) is None
    assert blew_up(-np.inf, 1.0) and not blew_up(0.0, 1.0)


def test_progress_counts_in_its_own_unit():
    assert Progress(5, 20, "step").share == 0.25
    assert Progress(30, 20, "epoch").share == 1.0
    with pytest.raises(ValueError, match="unit must be one of epoch, step"):
        Progress(1, 2, "chunk")


def test_the_lab_run_speaks_the_protocol():
    run = TrainingRun(LabConfig(dataset="moons", epochs=20, hidden=(8,)))
    assert isinstance(run, Run) and run.comparison() is None
    assert run.progress() == Progress(0, 20, "epoch")
    while run.advance():
        pass
    assert run.finished and run.failure is None and not run.advance()
    assert run.progress() == Progress(20, 20, "epoch")
    np.testing.assert_array_equal(run.comparison(), run.history().test_loss)


def test_the_line_fit_runs_to_its_target_one_chunk_at_a_time():
    run = Stepper(load_line_problem(), learning_rate=0.5)
    assert isinstance(run, Run) and run.finished, "nothing asked for yet"
    run.run_for(20)
    assert run.progress() == Progress(0, 20, "step")
    assert run.advance() and run.progress().done == 10
    assert not run.advance() and run.finished and run.failure is None
    assert run.history().path.shape == (21, 2) and run.comparison() is None


def test_a_far_too_high_learning_rate_blows_up_by_the_shared_rule():
    run = TrainingRun(LabConfig(dataset="moons", epochs=30, hidden=(8,), optimizer="sgd", learning_rate=1e3))
    while run.advance():
        pass
    assert run.failure == "blew_up" and run.finished
    kept = run.history().train_loss
    assert first_blow_up(kept, math.log(2)) is None, "the recorded epochs stop before the blow-up"
