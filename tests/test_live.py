"""ui.live through AppTest: a busy server's slow ticks get longer, and every page's Pause/Stop stops training."""

import time

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest_support import open_page
from ui import live


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
        st.write(f"drawn: {run}")

    live.panel("slow", draw, train_tick=train_tick, tick_seconds=st.session_state.first_tick)


def run_slow_page(first_tick: float, share: float) -> AppTest:
    app = AppTest.from_function(_page_with_a_slow_trainer, default_timeout=60)
    session = {"slow_run": "a run", "slow_running": True, "ticks": [], "first_tick": first_tick, "share": share}
    for key, value in session.items():
        app.session_state[key] = value
    return app.run()


def test_a_tick_that_overruns_its_interval_doubles_up_to_the_limit():
    app = run_slow_page(first_tick=0.25, share=0.9)
    assert not app.exception
    ticks = app.session_state["ticks"]
    assert ticks[:4] == [0.25, 0.5, 1.0, live.MAX_TICK_SECONDS]
    assert set(ticks[3:]) == {live.MAX_TICK_SECONDS}
    assert app.session_state["slow_tick"] == live.MAX_TICK_SECONDS and app.session_state["slow_running"]


def test_a_tick_with_time_to_spare_keeps_its_interval():
    app = run_slow_page(first_tick=1.0, share=0.25)  # the rest of the tick leaves room for a busy test machine
    app.run()
    assert app.session_state["ticks"] == [1.0, 1.0]
    assert "slow_tick" not in app.session_state


# page, its prefix, the buttons that start and pause training, and settings long enough not to finish first
PAUSABLE_PAGES = {
    "lab": ("pages/lab.py", "lab", "lab_train", "lab_stop", {"lab_epochs": 1000}),
    "playground": ("pages/playground.py", "play", "play_train", "play_pause", {"play_epochs": 1000}),
    "fine-tuning": ("pages/fine_tuning.py", "ft", "ft_train", "ft_stop", {"ft_steps": 500}),
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
