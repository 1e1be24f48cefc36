"""Live training shared by the pages: a run kept in session state, advanced chunk by chunk in a fragment.

Each page owns a prefix (e.g. "lab"): its run lives in `<prefix>_run` and `<prefix>_running`. While a
run is live, a fragment reruns every tick, trains whole chunks for half the tick and redraws. On a busy
server a tick takes longer: the tick then doubles (up to MAX_TICK_SECONDS), so each redraw carries more
epochs and the server spends its time training instead of redrawing.
"""

import time

import streamlit as st

TICK_SECONDS = 0.25
MAX_TICK_SECONDS = 2.0
WORK_SHARE = 0.5  # of each tick spent training; the rest is left for drawing and other sessions


def start(state, prefix: str, run) -> None:
    """Make `run` the page's current run and start training it; the last run stays as a faint comparison."""
    previous = state.get(f"{prefix}_run")
    if previous is not None and previous.epochs_done:
        state[f"{prefix}_previous"] = previous.history().test_loss
    state[f"{prefix}_run"] = run
    state[f"{prefix}_running"] = True
    state[f"{prefix}_tick"] = TICK_SECONDS


def stop(state, prefix: str) -> None:
    state[f"{prefix}_running"] = False


def reset(state, prefix: str) -> None:
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


def _train_one_tick(run, tick: float) -> None:
    if run.epochs_done == 0:
        with st.spinner("Preparing the training code (the very first run takes a few seconds)..."):
            run.advance()
    else:
        advance_for(run, WORK_SHARE * tick)


def panel(prefix: str, draw) -> None:
    """Draw the page's results with `draw(run)`; while the run trains, keep training and redrawing it."""
    state = st.session_state
    tick = state.get(f"{prefix}_tick", TICK_SECONDS)

    @st.fragment(run_every=tick if state.get(f"{prefix}_running") else None)
    def live_panel():
        started = time.perf_counter()
        run = state.get(f"{prefix}_run")
        training = bool(state.get(f"{prefix}_running")) and run is not None
        if training:
            _train_one_tick(run, tick)
            if run.finished:
                state[f"{prefix}_running"] = False
                st.rerun()  # a full rerun redraws without the timer
        draw(run)
        if training and time.perf_counter() - started > 0.8 * tick and tick < MAX_TICK_SECONDS:
            state[f"{prefix}_tick"] = min(2 * tick, MAX_TICK_SECONDS)
            st.rerun()  # re-declare the fragment with the longer tick

    live_panel()
