"""Training a run in a worker thread, so a page redraws on its own clock however long one chunk takes.

Any run with `advance() -> bool` (True while there is more to train) can be trained here. The run
must let another thread read it while `advance` works (core.lessons.fine_tuning.FineTuneRun does, with a lock).
A worker stops after the chunk in progress once `someone_looking()` says nobody can look any more (the
page passes one that turns False when its browser session closes), and on its own when its page has not
looked for IDLE_STOP_SECONDS (the learner went to another page, or the page could not say).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

IDLE_STOP_SECONDS = 15.0


class BackgroundTraining:
    """One worker thread calling `run.advance()` until the run ends, is stopped, or nobody looks."""

    def __init__(self, run, someone_looking: Callable[[], bool] = lambda: True):
        self.run = run
        self.error: Exception | None = None
        self._someone_looking = someone_looking
        self._stop = threading.Event()
        self._last_seen = time.monotonic()
        self._thread = threading.Thread(target=self._train, name="trainlab-background-training", daemon=True)
        self._thread.start()

    def _keep_training(self) -> bool:
        looked_lately = time.monotonic() - self._last_seen < IDLE_STOP_SECONDS
        return not self._stop.is_set() and looked_lately and self._someone_looking()

    def _train(self) -> None:
        try:
            while self._keep_training():
                if not self.run.advance():
                    return
        except Exception as error:  # the page reports it; the server and other sessions carry on
            self.error = error

    @property
    def training(self) -> bool:
        return self._thread.is_alive()

    def seen(self) -> None:
        """A page has just looked at the run: keep training."""
        self._last_seen = time.monotonic()

    def stop(self, wait_seconds: float = 5.0) -> None:
        """Stop after the chunk in progress, and wait for it so the run no longer changes."""
        self._stop.set()
        self.wait(wait_seconds)

    def wait(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)
