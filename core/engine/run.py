"""The Run protocol every lesson's run speaks, and the one check that says a run has blown up.

The live panel (ui.live) knows runs only through this protocol: it calls `advance()` until it returns False,
reads `progress()` for the progress bar, `failure` for why a run stopped early, and keeps `comparison()` of
the page's last run to draw beside the next one. What a page draws comes from the run's own `history()`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

UNITS = ("epoch", "step")
# A run has blown up when its loss is not a number, or several times the loss of a model that knows nothing
# (guessing uniformly among the classes or tokens; for the line fit, the line it starts from). Healthy runs
# start at or below that loss and fall; a run this far above it is being thrown around by its updates.
BLOW_UP_FACTOR = 4.0
# "blew_up": the loss blew up (above); "collapsed": a too-large learning rate left a model that answers one class
# for everything; "constant_inputs": every training example has the same inputs, so there is nothing to learn from.
FAILURES = ("blew_up", "collapsed", "constant_inputs")


@dataclass(frozen=True)
class Progress:
    """How far a run is: `done` of `total` units ("epoch" or "step")."""

    done: int
    total: int
    unit: str

    def __post_init__(self):
        if self.unit not in UNITS:
            raise ValueError(f"unit must be one of {', '.join(UNITS)}")

    @property
    def share(self) -> float:
        return min(self.done / self.total, 1.0) if self.total else 1.0


@runtime_checkable
class Run(Protocol):
    """What a lesson's run offers the live panel."""

    seconds: float  # training time so far, not counting drawing

    @property
    def finished(self) -> bool:
        """True once the run has trained all it was asked to, or stopped on a failure."""

    @property
    def failure(self) -> str | None:
        """None, or why the run stopped early: one of FAILURES."""

    def advance(self) -> bool:
        """Train the next chunk. True while more remains."""

    def progress(self) -> Progress:
        """Units done of units asked for."""

    def history(self):
        """Everything measured so far, as NumPy arrays (each lesson its own kind)."""

    def comparison(self):
        """What the page keeps of this run to draw beside the next one ("previous run"), or None."""


def first_blow_up(losses, know_nothing_loss: float) -> int | None:
    """The index of the first loss that is not finite or above BLOW_UP_FACTOR x `know_nothing_loss`; None if none."""
    losses = np.asarray(losses, np.float64)
    blown = ~np.isfinite(losses) | (losses > BLOW_UP_FACTOR * know_nothing_loss)
    return int(np.argmax(blown)) if blown.any() else None


def blew_up(loss: float, know_nothing_loss: float) -> bool:
    """One loss value: not finite, or above BLOW_UP_FACTOR x `know_nothing_loss`."""
    return first_blow_up([loss], know_nothing_loss) is not None
