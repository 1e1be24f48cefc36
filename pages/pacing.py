"""Paced live training for lessons that are meant to be watched: exactly one small chunk per tick.

`pages.live` trains as much as a tick allows, which suits long runs. A playground network on 2-D points or
a line fit is so cheap that it would finish in one or two ticks; here every tick advances one chunk (a few
epochs or steps) and redraws, so a learner sees the model change. State lives under a page's prefix:
`<prefix>_run` and `<prefix>_running`, as in pages.live, so `live.stop` works on it too.
"""

from collections.abc import Callable

import streamlit as st

from pages import live


def panel(prefix: str, advance: Callable[[object], bool], draw: Callable[[object], None]) -> None:
    """Draw with `draw(run)`; while running, call `advance(run)` (True while there is more to do) once per tick."""
    running = st.session_state.get(f"{prefix}_running", False)

    @st.fragment(run_every=live.TICK_SECONDS if running else None)
    def paced_panel():
        run = st.session_state.get(f"{prefix}_run")
        if st.session_state.get(f"{prefix}_running") and run is not None and not advance(run):
            live.stop(st.session_state, prefix)
            st.rerun()  # a full rerun redraws the page without the timer
        draw(run)

    paced_panel()
