"""core.engine.background: a worker thread trains a run to its end, stops when asked or when nobody looks."""

import threading
import time

from core.engine import background


class CountingRun:
    """A stand-in run: `advance` counts chunks (each a short sleep) up to `total`."""

    def __init__(self, total: int, chunk_seconds: float = 0.01, fail_at: int | None = None):
        self.total, self.chunk_seconds, self.fail_at = total, chunk_seconds, fail_at
        self.done, self.threads = 0, set()

    def advance(self) -> bool:
        self.threads.add(threading.current_thread().name)
        if self.done == self.fail_at:
            raise RuntimeError("broken chunk")
        time.sleep(self.chunk_seconds)
        self.done += 1
        return self.done < self.total


def test_the_worker_trains_the_run_to_its_end_off_the_calling_thread():
    run = CountingRun(20)
    worker = background.BackgroundTraining(run)
    worker.wait(10)
    assert not worker.training and run.done == 20 and worker.error is None
    assert run.threads == {"trainlab-background-training"}


def test_stop_waits_for_the_chunk_in_progress_and_nothing_changes_after():
    run = CountingRun(10_000, chunk_seconds=0.02)
    worker = background.BackgroundTraining(run)
    time.sleep(0.1)
    worker.stop()
    stopped_at = run.done
    time.sleep(0.1)
    assert not worker.training and 0 < run.done == stopped_at < 10_000


def test_a_worker_nobody_looks_at_stops_on_its_own(monkeypatch):
    monkeypatch.setattr(background, "IDLE_STOP_SECONDS", 0.2)
    run = CountingRun(10_000, chunk_seconds=0.02)
    worker = background.BackgroundTraining(run)
    for _ in range(5):  # a page looking keeps it going
        time.sleep(0.1)
        worker.seen()
    assert worker.training
    worker.wait(5)
    assert not worker.training and run.done < 10_000


def test_an_error_in_a_chunk_is_kept_for_the_page_to_report():
    worker = background.BackgroundTraining(CountingRun(10, fail_at=3))
    worker.wait(5)
    assert isinstance(worker.error, RuntimeError) and not worker.training


def test_a_worker_stops_after_the_chunk_in_progress_once_nobody_can_look():
    session_open = threading.Event()
    session_open.set()
    run = CountingRun(10_000, chunk_seconds=0.02)
    worker = background.BackgroundTraining(run, session_open.is_set)
    time.sleep(0.1)
    assert worker.training
    session_open.clear()  # the page's browser session closed
    worker.wait(1)
    assert not worker.training and 0 < run.done < 10_000
