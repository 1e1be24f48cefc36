"""How this learner's charts look, and the one place every page draws a Plotly chart.

Streamlit's settings menu switches the page between its light and dark themes (st.context.theme says which);
the sidebar's projector switch, kept in the page's address, asks for larger text and thicker lines. Every
chart goes through `chart()`, so each follows both and its camera button saves a projector-sized PNG.
"""

import streamlit as st

from ui.charts.style import Look, apply_look, chart_config

PROJECTOR_KEY = "projector"


def current() -> Look:
    return Look(dark=st.context.theme.type == "dark", projector=bool(st.session_state.get(PROJECTOR_KEY)))


def projector_switch() -> None:
    """The sidebar switch for projector mode (in the address, so a teacher's link opens in it)."""
    st.sidebar.toggle(
        "Projector mode",
        key=PROJECTOR_KEY,
        bind="query-params",
        help="Larger text and thicker lines in every chart, for a room reading the screen from afar.",
    )


def chart(figure, key: str, where=None) -> None:
    """Draw a Plotly figure (in `where`, a column or container, or the current place) in this learner's look."""
    (where or st).plotly_chart(apply_look(figure, current()), key=key, config=chart_config(key))
