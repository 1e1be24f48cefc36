"""ui.live through AppTest: a busy server's slow ticks get longer, every page's Pause/Stop stops training, and a run
that stopped early says why (a paused one says so) whatever the page draws."""

import math
import time

import pytest
from streamlit.testing.v1 import AppTest

from core.engine.run import Progress
from tests.apptest_support import open_page
from ui import live


class ScriptedRun:
    """A run that trains `chunks` chunks of 10 epochs (or raises `error` when asked to train), for panel tests."""

    def __init__(self, chunks: int = 3, failure: str | None = None, error: Exception | None = None):
        self.chunks, self.failure, self.error, self.done, self.seconds = chunks, failure, error, 0, 0.0

    @property
    def finished(self) -> bool:
        return self.failure is not None or self.done >= 10 * self.chunks

    def advance(self) -> bool:
        if self.error is not None:
            raise self.error
        if not self.finished:
            self.done += 10
        return not self.finished

    def progress(self) -> Progress:
        return Progress(self.done, 10 * self.chunks, "epoch")


def _page_with_a_slow_trainer():
    """A page whose every training tick takes `share` of its tick and never finishes (both read from the session,
    as is the page's first tick)."""
    import time

    import streamlit as st

    from ui import live

    def train_tick(run, tick):
        st.session_state.ticks.append(tick)
        time.sleep(st.session_state.share * tick)
        return True

    def draw(run):
        st.write(f"drawn: {run.progress().done}")

    live.panel("slow", draw, train_tick=train_tick, tick_seconds=st.session_state.first_tick)


def run_slow_page(first_tick: float, share: float) -> AppTest:
    app = AppTest.from_function(_page_with_a_slow_trainer, default_timeout=60)
    session = {"slow_run": ScriptedRun(), "slow_running": True, "ticks": [], "first_tick": first_tick, "share": share}
    for key, value in session.items():
        app.session_state[key] = value
    return app.run()


def test_ticks_that_overrun_their_interval_double_up_to_the_limit():
    app = run_slow_page(first_tick=0.25, share=0.9)
    # Each run of this test page draws a tick or two (AppTest runs no timer); a doubling takes two overruns.
    while app.session_state["ticks"][-1] < live.MAX_TICK_SECONDS and len(app.session_state["ticks"]) < 20:
        app.run()
    assert not app.exception
    ticks = app.session_state["ticks"]
    # Every tick overran: every second one doubles the tick (more than once on a busy test machine), never shorter.
    assert ticks[:2] == [0.25, 0.25] and ticks == sorted(ticks)
    assert all(math.log2(tick / 0.25).is_integer() for tick in ticks)
    assert ticks[-1] == live.MAX_TICK_SECONDS
    assert app.session_state["slow_tick"] == live.MAX_TICK_SECONDS and app.session_state["slow_running"]


def test_one_overrun_alone_keeps_the_tick():
    """A run's first draw or a moment of load makes one slow tick: the page keeps redrawing every half second."""
    app = run_slow_page(first_tick=0.25, share=0.9)
    assert app.session_state["ticks"] == [0.25] and "slow_tick" not in app.session_state
    assert app.session_state["slow_overruns"] == 1
    app.session_state["share"] = 0.1
    app.run()
    assert app.session_state["slow_overruns"] == 0 and "slow_tick" not in app.session_state


def test_a_tick_with_time_to_spare_keeps_its_interval():
    app = run_slow_page(first_tick=1.0, share=0.25)  # the rest of the tick leaves room for a busy test machine
    app.run()
    assert app.session_state["ticks"] == [1.0, 1.0] and not app.exception
    assert "slow_tick" not in app.session_state


# page, its prefix, the buttons that start and pause training, and settings long enough not to finish first
PAUSABLE_PAGES = {
    "lab": ("pages/lab.py", "lab", "lab_train", "lab_stop", {"lab_epochs": 1000}),
    "playground": ("pages/playground.py", "play", "play_train", "play_pause", {"play_epochs": 1000}),
    "fine-tuning": ("pages/fine_tuning.py", "ft", "ft_train", "ft_stop", {"ft_steps": 400}),
    "knowledge": ("pages/knowledge.py", "kn", "kn_train", "kn_stop", {"kn_steps": 300, "kn_cutoff": "2022-07-01"}),
}
FIRST_CHUNK_SECONDS = 120  # a first compile takes seconds on a busy machine


def trained_so_far(run) -> int:
    """Epochs (or, for the language model, steps) in the run's recorded history."""
    losses = run.history().train_loss
    return len(losses["fine_tuned"] if isinstance(losses, dict) else losses)


@pytest.mark.parametrize("name", list(PAUSABLE_PAGES))
def test_pause_stops_training(name):
    page, prefix, start, pause, settings = PAUSABLE_PAGES[name]
    app = open_page(page)
    for key, value in settings.items():
        app.session_state[key] = value
    app.run()
    app.button(key=start).click().run()
    run = app.session_state[f"{prefix}_run"]
    deadline = time.monotonic() + FIRST_CHUNK_SECONDS
    while trained_so_far(run) == 0:  # the fine-tuning page trains in a worker thread
        assert time.monotonic() < deadline, f"nothing trained after {FIRST_CHUNK_SECONDS} s"
        time.sleep(0.2)
        app.run()
    app.button(key=pause).click().run()
    assert not app.session_state[f"{prefix}_running"]
    paused_at = trained_so_far(run)
    for _ in range(2):
        time.sleep(0.5)  # a worker thread that kept going would train on meanwhile
        app.run()
    assert app.session_state[f"{prefix}_run"] is run and not app.session_state[f"{prefix}_running"]
    assert trained_so_far(run) == paused_at and not run.finished and not app.exception
    progress_labels = [bar.proto.text for bar in app.get("progress")]
    stopped = [info.value for info in app.info if info.value.startswith("You stopped this run")]
    if pause.endswith("_pause"):  # the page can carry on: Play resumes
        assert progress_labels[0].endswith(" · paused") and not stopped
    else:  # Train starts a new run: say so, and never "paused"
        assert progress_labels[0].endswith(" · stopped") and "cannot carry on" in stopped[0]


def _page_with_a_scripted_run():
    """The panel of prefix "demo": draws a progress bar and a line; trains one chunk per tick, or in a worker
    thread when the session says so."""
    import streamlit as st

    from ui import live

    def draw(run):
        live.progress(run)
        st.write("the page's drawing")

    tick = live.in_background("demo") if st.session_state.get("in_background") else live.one_chunk_per_tick
    live.panel("demo", draw, train_tick=tick)


def scripted_page(run, running: bool = False, **session) -> AppTest:
    app = AppTest.from_function(_page_with_a_scripted_run, default_timeout=60)
    for key, value in {"demo_run": run, "demo_running": running, **session}.items():
        app.session_state[key] = value
    return app.run()


def shown(app: AppTest) -> list[str]:
    """What the page shows, in order: each alert's and each line's text, and each progress bar's label."""
    elements = list(app.main.children.values())
    flat = []
    while elements:
        node = elements.pop(0)
        if hasattr(node, "children") and node.children:
            elements = list(node.children.values()) + elements
        elif type(node).__name__ == "Progress":
            flat.append(node.proto.text)
        elif getattr(node, "value", None) is not None:
            flat.append(str(node.value))
    return flat


def test_a_run_that_failed_before_its_first_epoch_says_why_above_the_page():
    app = scripted_page(ScriptedRun(failure="blew_up"))
    assert not app.exception
    assert shown(app) == [
        "Training was stopped early: its error blew up.",
        "Epoch 0 of 30 · 0.0 s of training",
        "the page's drawing",
    ]


def test_a_stopped_run_says_so_and_what_to_do_and_a_new_run_forgets_it():
    run = ScriptedRun()
    app = scripted_page(run, running=True)
    state = {"demo_run": run, "demo_running": True}
    live.stop(state, "demo")  # what the Stop button does
    for key, value in state.items():
        app.session_state[key] = value
    app.run()
    assert shown(app)[0] == (
        "You stopped this run after 10 of 30 epochs: the charts show it as it was then. A stopped run cannot "
        "carry on; train again to run these settings from the start to the end."
    )
    assert shown(app)[1] == "Epoch 10 of 30 · 0.0 s of training · stopped"
    for start_again in (lambda: live.start(state, "demo", run), lambda: live.resume(state, "demo")):
        live.stop(state, "demo")
        start_again()
        assert "demo_stopped" not in state


def test_a_paused_run_says_so_on_its_progress_bar_and_a_finished_one_does_not():
    run = ScriptedRun()
    app = scripted_page(run, running=True)
    assert run.done == 10 and shown(app)[0] == "Epoch 10 of 30 · 0.0 s of training"
    app.session_state["demo_running"] = False  # what Pause and Stop do
    app.run()
    assert shown(app) == ["Epoch 10 of 30 · 0.0 s of training · paused", "the page's drawing"]
    run.done = 30
    app.run()
    assert shown(app)[0] == "Epoch 30 of 30 · 0.0 s of training" and not app.error


def test_a_worker_threads_error_is_a_stop_reason_that_stays_on_screen():
    run = ScriptedRun(error=RuntimeError("the model ran out of *memory*"))
    app = scripted_page(run, running=True, in_background=True)
    worker = app.session_state["demo_worker"]
    worker.wait(10)
    for _ in range(3):  # the tick that sees the worker has ended, the full rerun after it, and any later one
        app.run()
    assert not app.session_state["demo_running"] and not app.exception
    assert shown(app)[0] == r"Training stopped on an unexpected problem: the model ran out of \*memory\*"
    assert "paused" not in shown(app)[1]


def test_a_tick_far_too_short_for_its_work_grows_in_one_step():
    assert live._longer_tick(0.5, took=0.9) == 2.0
    assert live._longer_tick(0.5, took=30.0) == live.MAX_TICK_SECONDS


def _page_whose_drawing_fails():
    import streamlit as st

    from ui import live

    def draw(run):
        raise st.session_state.drawing_error

    live.panel("demo", draw, train_tick=live.one_chunk_per_tick)


@pytest.mark.parametrize("running", [False, True], ids=["at rest", "while training"])
def test_a_live_panel_whose_drawing_fails_says_so_in_the_learners_words_and_stops_training(running):
    """A panel's own reruns do not pass through app.py's error box: Streamlit's would show redacted English text."""
    app = AppTest.from_function(_page_whose_drawing_fails, default_timeout=60)
    session = {"demo_run": ScriptedRun(), "demo_running": running, "drawing_error": ImportError("internal detail")}
    for key, value in session.items():
        app.session_state[key] = value
    app.run()
    assert not app.exception
    assert [error.value for error in app.error] == [
        "Something went wrong on this page and it was stopped: ImportError. "
        "The other pages still work; press Reset or reload to start again."
    ]
    assert not app.session_state["demo_running"]
