"""Pin a run and compare the next ones with it; take a run's numbers away as CSV.

Each page keeps up to core.lessons.compare.MAX_PINS pins in `<prefix>_pins` (settings and curves only, never
the run). `tools(prefix, run)` is the one call a page makes under its results: the Pin, Clear and Download
buttons, and once something is pinned, a chart of the current run over the pinned ones whose legend names
what changed. Where a run has several curves to compare (a language-model run: one per model), the learner
picks which.
"""

import streamlit as st

from core.i18n import tr
from core.lessons.compare import (
    compared_curve,
    compared_curves,
    curve_columns,
    curves_csv,
    export_columns,
    pin,
    pin_label,
    run_settings,
    settings_changes,
    with_pin,
)
from core.lessons.user_text import plotly_literal
from ui import live, look
from ui.charts.curves import pinned_comparison

LEGEND_CHARACTERS = 120  # a pin's legend entry: two changes with their old and new values fit


def changed_since_the_run(run_config, current_settings, button: str) -> None:
    """Say which settings on the page differ from those `run_config` trained with (`current_settings` is a function:
    the page's settings, which may not make a valid run), so that the controls never silently show values the
    shown run did not use."""
    try:
        changes = settings_changes(run_config, current_settings())
    except ValueError:
        changes = []
        st.caption(
            tr("The settings on the left have changed since this run: press **{button}** to run them.").format(
                button=button
            )
        )
    if changes:
        st.caption(
            tr(
                "Changed since this run started: {changes}. It keeps its own settings; press **{button}** to run the "
                "new ones."
            ).format(changes=", ".join(changes), button=button)
        )


def _pins(prefix: str) -> tuple:
    return st.session_state.get(f"{prefix}_pins", ())


def _pin(prefix: str, run, settings) -> None:
    st.session_state[f"{prefix}_pins"] = with_pin(_pins(prefix), pin(run, settings))


def _clear(prefix: str) -> None:
    st.session_state.pop(f"{prefix}_pins", None)


def tools(prefix: str, run, settings=None) -> None:
    """Pin, compare and download for the page's current run; `settings` replaces the run's own config
    where the page knows more about it (a frozen dataclass, or a dict of settings named in words)."""
    if run is None:
        return
    settings = settings if settings is not None else run_settings(run)
    history = run.history()
    columns = curve_columns(history)
    pin_button, clear_button, download_button = look.wrapping_row(3, f"{prefix}_pin_row", min_width=130)
    nothing_yet = not len(next(iter(columns.values())))  # no epoch (a run that blew up in its first): no curve
    pin_button.button(
        tr("Pin this run"),
        key=f"{prefix}_pin",
        on_click=_pin,
        args=(prefix, run, settings),
        width="stretch",
        disabled=nothing_yet,
        help=tr("This run has no curve to keep yet.")
        if nothing_yet
        else tr("Keep this run's curves on screen; change a setting, train again and compare."),
    )
    clear_button.button(
        tr("Clear pins"),
        key=f"{prefix}_clear_pins",
        on_click=_clear,
        args=(prefix,),
        width="stretch",
        disabled=not _pins(prefix),
    )
    if not live.is_running(st.session_state, prefix):  # the file is only built for a run at rest
        download_button.download_button(
            tr("Download curves (CSV)"),
            curves_csv(export_columns(history), settings),
            file_name=f"trainlab-{prefix}-run.csv",
            mime="text/csv",
            key=f"{prefix}_download_csv",
            width="stretch",
            on_click="ignore",
        )
    _comparison(prefix, columns, settings)


def _curve_choice(prefix: str, columns: dict) -> str | None:
    """The curve to compare, where the run has more than one to choose from."""
    curves = compared_curves(columns)
    if len(curves) < 2:
        return None
    return st.radio(tr("Compare"), list(curves), format_func=curves.get, horizontal=True, key=f"{prefix}_pins_curve")


def _comparison(prefix: str, columns: dict, settings) -> None:
    if compared_curve(columns) is None or not _pins(prefix):
        return
    choice = _curve_choice(prefix, columns)
    name, axis, values = compared_curve(columns, choice)
    # Legends show settings as text: a file or column name is the learner's own and must not read as Plotly markup.
    pinned = [
        (plotly_literal(pin_label(kept, settings), limit=LEGEND_CHARACTERS), *compared_curve(kept.columns, choice)[1:])
        for kept in _pins(prefix)
        if compared_curve(kept.columns) is not None
    ]
    unit = next(iter(columns))
    figure = pinned_comparison(name, unit, (tr("this run"), axis, values), pinned)
    look.chart(figure, key=f"{prefix}_pins_chart")
