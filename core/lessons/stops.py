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
from core.engine.data import class_labels
from core.engine.run import BLOW_UP_FACTOR, Progress
from core.i18n import tr, tr_later, trn
from core.lessons.fine_tuning import FineTuneRun, failure_text
from core.lessons.training_step.readings import divergence_text
from core.lessons.training_step.stepper import Stepper
from core.lessons.user_text import markdown_literal, short_number

FLOAT32_LIMIT = float(np.finfo(np.float32).max)
PAUSED, STOPPED = "paused", "stopped"  # a run at rest before its end: it can carry on, or it cannot
RESTING_WORDS = {PAUSED: tr_later("paused"), STOPPED: tr_later("stopped")}  # as a progress bar says them
WHAT_FAILED = {  # core.engine.run.FAILURES in words, for a run without words of its own
    "blew_up": tr_later("its error blew up"),
    "collapsed": tr_later("the model got stuck answering one class for everything"),
    "constant_inputs": tr_later("every training example has the same inputs"),
}


@singledispatch
def stop_reason(run) -> str | None:
    """Why `run` stopped early, in words; None if it has not (yet) failed."""
    if run.failure is None:
        return None
    return tr("Training was stopped early: {what}.").format(what=tr(WHAT_FAILED[run.failure]))


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
    return tr("Training stopped on an unexpected problem: {problem}").format(problem=markdown_literal(error, limit=200))


def stopped_by_learner(progress: Progress) -> str:
    """A run the learner stopped before its end: what it shows now, and how to train it to the end."""
    if progress.unit == "step":
        stopped = trn(
            "You stopped this run after {done} of {total} step: the charts show it as it was then.",
            "You stopped this run after {done} of {total} steps: the charts show it as it was then.",
            progress.total,
        )
    else:
        stopped = trn(
            "You stopped this run after {done} of {total} epoch: the charts show it as it was then.",
            "You stopped this run after {done} of {total} epochs: the charts show it as it was then.",
            progress.total,
        )
    return (
        stopped.format(done=progress.done, total=progress.total)
        + " "
        + tr("A stopped run cannot carry on; train again to run these settings from the start to the end.")
    )


def _inputs_finite(run: TrainingRun) -> bool:
    return bool(np.isfinite(run.data.x[: run.data.n_active]).all() and np.isfinite(run.dataset.x_test).all())


def _constant_inputs_text(run: TrainingRun) -> str:
    return tr(
        "All {count} training examples have exactly the same inputs, so the model cannot tell them apart: whatever "
        "it learns, it must give every one of them the same answer. Training was stopped before it began. The model "
        "needs inputs whose values differ from one example to the next."
    ).format(count=run.data.n_active)


def _too_large_inputs_text(run: TrainingRun) -> str:
    return tr(
        "Training stopped at epoch {epoch}: some input values are too large to compute with (beyond about {limit}), "
        "so the model's error is not a number. It is not the learning rate. Remove those values or rescale the "
        "column, for example to thousands or millions."
    ).format(epoch=run.diverged_at, limit=short_number(FLOAT32_LIMIT, 2))


def _blew_up_text(run: TrainingRun) -> str:
    config = run.config
    return tr(
        "Training diverged in epoch {epoch} (so that epoch is not shown): with a learning rate of {rate} each update "
        "overshoots so far that the error grows instead of shrinking, until the model was more than {factor} times "
        "worse than guessing. Training was stopped. Try a smaller learning rate, such as {smaller}."
    ).format(
        epoch=run.diverged_at,
        rate=short_number(config.learning_rate, 2),
        factor=short_number(BLOW_UP_FACTOR),
        smaller=short_number(suggested_learning_rate(config)),
    )


def _collapsed_text(run: TrainingRun) -> str:
    config, history = run.config, run.history()
    top = int(np.bincount(history.train_predictions[-1][: run.data.n_active].astype(np.int64)).argmax())
    name, smaller = markdown_literal(class_labels(run.dataset)[top]), short_number(suggested_learning_rate(config))
    return tr(
        "Training failed by epoch {epoch}: the model now answers '{name}' for almost every example and is no better "
        "than guessing. A learning rate of {rate} made the updates so large that they threw the parameters far from "
        "any good solution; many neurons now give the same output whatever the input, and cannot learn again. The "
        "same model trained as long with a learning rate of {smaller} learned clearly more. Training was stopped. "
        "Try a smaller learning rate, such as {smaller}."
    ).format(epoch=run.diverged_at, name=name, rate=short_number(config.learning_rate, 2), smaller=smaller)
