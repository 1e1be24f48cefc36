"""Live training shared by the pages: a run kept in session state, advanced chunk by chunk in a fragment.

Each page owns a prefix (e.g. "lab"): its run lives in `<prefix>_run` and `<prefix>_running`. While a
run is live, a fragment reruns every TICK_SECONDS, trains chunks for at most WORK_SECONDS and redraws.
On a busy server each chunk takes longer, so a tick trains fewer chunks but still redraws.
"""

import time

import streamlit as st

TICK_SECONDS = 0.25
WORK_SECONDS = 0.12


def start(state, prefix: str, run) -> None:
    """Make `run` the page's current run and start training it; the last run stays as a faint comparison."""
    previous = state.get(f"{prefix}_run")
    if previous is not None and previous.epochs_done:
        state[f"{prefix}_previous"] = previous.history().test_loss
    state[f"{prefix}_run"] = run
    state[f"{prefix}_running"] = True


def stop(state, prefix: str) -> None:
    state[f"{prefix}_running"] = False


def reset(state, prefix: str) -> None:
    for suffix in ("run", "running", "previous"):
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


def panel(prefix: str, draw) -> None:
    """Draw the page's results with `draw(run)`; while the run trains, keep training and redrawing it."""
    running = st.session_state.get(f"{prefix}_running", False)

    @st.fragment(run_every=TICK_SECONDS if running else None)
    def live_panel():
        run = st.session_state.get(f"{prefix}_run")
        if st.session_state.get(f"{prefix}_running") and run is not None:
            if run.epochs_done == 0:
                with st.spinner("Preparing the training code (the very first run takes a few seconds)..."):
                    run.advance()
            else:
                advance_for(run, WORK_SECONDS)
            if run.finished:
                st.session_state[f"{prefix}_running"] = False
                st.rerun()  # a full rerun redraws without the timer
        draw(run)

    live_panel()
