"""Why a run stopped before its end, in words: the one place every page's run is explained, so that each lesson says
it the same way and none forgets to.

`stop_reason(run)` takes any core.engine.run.Run: None while it has not failed, otherwise what happened, why, and
what to try, with the run's own numbers. A suggested learning rate is one that trains the same setup when followed
(tests/test_advice.py follows every one a page can give). The live panel (ui.live) shows the reason above every
page's results; it shows `unexpected_stop(error)` when a worker thread's training raised instead, and
`stopped_by_learner(progress)` for a run the learner stopped for good (a paused run can carry on).
"""

from __future__ import annotations

from functools import singledispatch

import numpy as np

from core.engine.classifier import TrainingRun, suggested_learning_rate
from core.engine.run import BLOW_UP_FACTOR, Progress
from core.lessons.fine_tuning import FineTuneRun, failure_text
from core.lessons.training_step.readings import divergence_text
from core.lessons.training_step.stepper import Stepper
from core.lessons.user_text import markdown_literal

FLOAT32_LIMIT = float(np.finfo(np.float32).max)
PAUSED, STOPPED = "paused", "stopped"  # a run at rest before its end: it can carry on, or it cannot
WHAT_FAILED = {  # core.engine.run.FAILURES in words, for a run without words of its own
    "blew_up": "its error blew up",
    "collapsed": "the model got stuck answering one class for everything",
    "constant_inputs": "every training example has the same inputs",
}


@singledispatch
def stop_reason(run) -> str | None:
    """Why `run` stopped early, in words; None if it has not (yet) failed."""
    return None if run.failure is None else f"Training was stopped early: {WHAT_FAILED[run.failure]}."


@stop_reason.register
def _(run: TrainingRun) -> str | None:
    if run.failure is None:
        return None
    if run.failure == "constant_inputs":
        return _constant_inputs_text(run)
    if not _inputs_finite(run):
        return _too_large_inputs_text(run)
    if run.failure == "blew_up":
        return _blew_up_text(run)
    return _collapsed_text(run)


@stop_reason.register
def _(run: Stepper) -> str | None:
    return None if run.failure is None else divergence_text(run)


@stop_reason.register
def _(run: FineTuneRun) -> str | None:
    if run.failure is None:
        return None
    return failure_text(run.failed_model, run.config.learning_rate, run.pretraining["peak_learning_rate"])


def unexpected_stop(error: BaseException) -> str:
    """A worker thread's training raised `error`: say so, with its message shown as plain text."""
    return f"Training stopped on an unexpected problem: {markdown_literal(error, limit=200)}"


def stopped_by_learner(progress: Progress) -> str:
    """A run the learner stopped before its end: what it shows now, and how to train it to the end."""
    unit = f"{progress.unit}s" if progress.total != 1 else progress.unit
    return (
        f"You stopped this run after {progress.done} of {progress.total} {unit}: the charts show it as it was then. "
        "A stopped run cannot carry on; train again to run these settings from the start to the end."
    )


def _inputs_finite(run: TrainingRun) -> bool:
    return bool(np.isfinite(run.data.x[: run.data.n_active]).all() and np.isfinite(run.dataset.x_test).all())


def _constant_inputs_text(run: TrainingRun) -> str:
    return (
        f"All {run.data.n_active} training examples have exactly the same inputs, so the model cannot tell them "
        "apart: whatever it learns, it must give every one of them the same answer. Training was stopped before "
        "it began. The model needs inputs whose values differ from one example to the next."
    )


def _too_large_inputs_text(run: TrainingRun) -> str:
    return (
        f"Training stopped at epoch {run.diverged_at}: some input values are too large to compute with (beyond "
        f"about {FLOAT32_LIMIT:.1e}), so the model's error is not a number. It is not the learning rate. Remove those "
        "values or rescale the column, for example to thousands or millions."
    )


def _blew_up_text(run: TrainingRun) -> str:
    config = run.config
    return (
        f"Training diverged at epoch {run.diverged_at}: with a learning rate of {config.learning_rate:.2g} each "
        "update overshoots so far that the error grows instead of shrinking, until the model was more than "
        f"{BLOW_UP_FACTOR:g} times worse than guessing. Training was stopped. Try a smaller learning rate, such as "
        f"{suggested_learning_rate(config):g}."
    )


def _collapsed_text(run: TrainingRun) -> str:
    config, history = run.config, run.history()
    top = int(np.bincount(history.train_predictions[-1][: run.data.n_active].astype(np.int64)).argmax())
    name, smaller = markdown_literal(run.dataset.class_names[top]), f"{suggested_learning_rate(config):g}"
    return (
        f"Training failed by epoch {run.diverged_at}: the model now answers '{name}' for almost every example and "
        f"is no better than guessing. A learning rate of {config.learning_rate:.2g} made the updates so large that "
        "they threw the parameters far from any good solution; many neurons now give the same output whatever the "
        f"input, and cannot learn again. The same model trained as long with a learning rate of {smaller} learned "
        f"clearly more. Training was stopped. Try a smaller learning rate, such as {smaller}."
    )
