"""Live training shared by the pages: a run kept in session state, advanced chunk by chunk in a fragment.

Each page owns a prefix (e.g. "lab"): its run lives in `<prefix>_run` and `<prefix>_running`. While a
run is live, a fragment reruns every tick, trains and redraws. By default a tick trains whole chunks for
half the tick (long runs); a page whose runs are so cheap they would finish in a tick or two passes
`one_chunk_per_tick` so a learner can watch; a page whose single chunk takes most of a tick passes
`in_background(prefix)`: a worker thread trains and each tick only redraws. On a busy server a tick
takes longer: the tick then doubles (up to MAX_TICK_SECONDS), so each redraw carries more epochs and the
server trains instead of redrawing.
"""

import time
from collections.abc import Callable

import streamlit as st

from core.engine.background import BackgroundTraining

TICK_SECONDS = 0.5
MAX_TICK_SECONDS = 2.0
WORK_SHARE = 0.5  # of each tick spent training; the rest is left for drawing and other sessions


def _stop_worker(state, prefix: str) -> None:
    worker = state.pop(f"{prefix}_worker", None)
    if worker is not None:
        worker.stop()


def start(state, prefix: str, run) -> None:
    """Make `run` the page's current run and start training it; the last run stays as a faint comparison."""
    _stop_worker(state, prefix)
    previous = state.get(f"{prefix}_run")
    if previous is not None and previous.epochs_done:
        state[f"{prefix}_previous"] = previous.history().test_loss
    state[f"{prefix}_run"] = run
    state[f"{prefix}_running"] = True
    state.pop(f"{prefix}_tick", None)  # each run starts at the page's own tick


def stop(state, prefix: str) -> None:
    _stop_worker(state, prefix)
    state[f"{prefix}_running"] = False


def reset(state, prefix: str) -> None:
    _stop_worker(state, prefix)
    for suffix in ("run", "running", "previous", "tick"):
        state.pop(f"{prefix}_{suffix}", None)


def advance_for(run, seconds: float) -> None:
    """Train whole chunks until `seconds` have passed (at least one chunk)."""
    deadline = time.perf_counter() + seconds
    while run.advance() and time.perf_counter() < deadline:
        pass


def progress(run) -> None:
    done, total = run.epochs_done, run.config.epochs
    label = f"Epoch {done} of {total} · {run.seconds:.1f} s of training"
    st.progress(min(done / total, 1.0), text=label)


def train_for_half_a_tick(run, tick: float) -> bool:
    """Train whole chunks for half the tick; the first chunk (which may compile) says so. True while epochs remain."""
    if run.epochs_done == 0:
        with st.spinner("Preparing the training code (the very first run takes a few seconds)..."):
            run.advance()
    else:
        advance_for(run, WORK_SHARE * tick)
    return not run.finished


def one_chunk_per_tick(advance: Callable[[object], bool]) -> Callable[[object, float], bool]:
    """A tick trainer that calls `advance(run)` once (True while there is more to do)."""
    return lambda run, tick: advance(run)


def in_background(prefix: str) -> Callable[[object, float], bool]:
    """A tick trainer whose ticks only redraw: the first starts a worker thread that trains the run
    (core.engine.background); later ticks tell it the page is still looking. True while it trains."""

    def tick(run, _tick: float) -> bool:
        state = st.session_state
        worker = state.get(f"{prefix}_worker")
        # A worker also stops when its page was not looked at for a while (the learner was on another
        # page): coming back carries on with a new one.
        idled_out = worker is not None and not worker.training and worker.error is None and not run.finished
        if worker is None or worker.run is not run or idled_out:
            worker = state[f"{prefix}_worker"] = BackgroundTraining(run)
        worker.seen()
        if worker.error is not None:
            st.error(f"Training stopped on an unexpected problem: {worker.error}")
        return worker.training

    return tick


def panel(prefix: str, draw, *, train_tick=train_for_half_a_tick, tick_seconds: float = TICK_SECONDS) -> None:
    """Draw the page's results with `draw(run)`; while the run trains, call `train_tick(run, tick)` every tick
    (it returns True while there is more to do) and redraw."""
    state = st.session_state
    tick = state.get(f"{prefix}_tick", tick_seconds)

    @st.fragment(run_every=tick if state.get(f"{prefix}_running") else None)
    def live_panel():
        started = time.perf_counter()
        run = state.get(f"{prefix}_run")
        training = bool(state.get(f"{prefix}_running")) and run is not None
        if training and not train_tick(run, tick):
            state[f"{prefix}_running"] = False
            st.rerun()  # a full rerun redraws without the timer
        draw(run)
        if training and time.perf_counter() - started > 0.8 * tick and tick < MAX_TICK_SECONDS:
            state[f"{prefix}_tick"] = min(2 * tick, MAX_TICK_SECONDS)
            st.rerun()  # re-declare the fragment with the longer tick

    live_panel()
