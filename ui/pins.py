"""Pin a run and compare the next ones with it; take a run's numbers away as CSV.

Each page keeps up to core.lessons.compare.MAX_PINS pins in `<prefix>_pins` (settings and curves only, never
the run). `tools(prefix, run)` is the one call a page makes under its results: the Pin, Clear and Download
buttons, and once something is pinned, a chart of the current run over the pinned ones whose legend names
what changed.
"""

import streamlit as st

from core.lessons.compare import compared_curve, curve_columns, curves_csv, pin, pin_label, run_settings, with_pin
from ui import live, look
from ui.charts.curves import pinned_comparison


def _pins(prefix: str) -> tuple:
    return st.session_state.get(f"{prefix}_pins", ())


def _pin(prefix: str, run, settings) -> None:
    st.session_state[f"{prefix}_pins"] = with_pin(_pins(prefix), pin(run, settings))


def _clear(prefix: str) -> None:
    st.session_state.pop(f"{prefix}_pins", None)


def tools(prefix: str, run, settings=None) -> None:
    """Pin, compare and download for the page's current run; `settings` replaces the run's own config
    where the page knows more about it (a frozen dataclass)."""
    if run is None:
        return
    settings = settings if settings is not None else run_settings(run)
    columns = curve_columns(run.history())
    pin_button, clear_button, download_button = st.columns(3)
    pin_button.button(
        "Pin this run",
        key=f"{prefix}_pin",
        on_click=_pin,
        args=(prefix, run, settings),
        width="stretch",
        help="Keep this run's curves on screen; change a setting, train again and compare.",
    )
    clear_button.button(
        "Clear pins",
        key=f"{prefix}_clear_pins",
        on_click=_clear,
        args=(prefix,),
        width="stretch",
        disabled=not _pins(prefix),
    )
    if not live.is_running(st.session_state, prefix):  # the file is only built for a run at rest
        download_button.download_button(
            "Download curves (CSV)",
            curves_csv(columns, settings),
            file_name=f"trainlab-{prefix}-run.csv",
            mime="text/csv",
            key=f"{prefix}_download_csv",
            width="stretch",
            on_click="ignore",
        )
    _comparison(prefix, columns, settings)


def _comparison(prefix: str, columns: dict, settings) -> None:
    current = compared_curve(columns)
    if current is None or not _pins(prefix):
        return
    name, axis, values = current
    pinned = [
        (pin_label(kept, settings), *compared_curve(kept.columns)[1:])
        for kept in _pins(prefix)
        if compared_curve(kept.columns) is not None
    ]
    unit = next(iter(columns))
    look.chart(pinned_comparison(name, unit, ("this run", axis, values), pinned), key=f"{prefix}_pins_chart")
