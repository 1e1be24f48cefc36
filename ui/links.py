"""Exercise links: a lesson's whole state in its address, restored when the link is opened, with controls a teacher
chose hidden. One call per lesson page, `exercise_link(address)`, after the page's defaults are in session state and
before its controls are drawn.

This module, not Streamlit's `bind="query-params"`, keeps the address: Streamlit leaves a control at its first option
out of the address (so the link loses it), matches a choice against its shown label ("1.9 ⚠", not "1.9"), and lets
no page write a bound parameter. Here every control is written, and a typed value is read by
`core.lessons.links`. A hidden control is still drawn, invisibly: it keeps its value and the run uses it.
Controls that were bound take `persist_state="session"` instead, so their values still outlive a page switch.
"""

from urllib.parse import quote, urlencode

import streamlit as st

from core.lessons import links
from core.lessons.user_text import markdown_literal

SHOWN_PROBLEM_CHARACTERS = 160


def exercise_link(address: str) -> None:
    """Apply the link the lesson at `address` was opened with, hide what it hides, write the current state back into
    the address, and offer that address to copy in the sidebar."""
    controls, state = links.PAGES[address], st.session_state
    incoming = st.query_params.to_dict()
    # A link is read on the page's first run in the session only: later reruns may carry an address older than the
    # controls (a rerun sent before the browser took the last address), and the controls are newer.
    first_run = f"links_{address}_opened" not in state
    if incoming and first_run and not links.from_another_page(address, incoming):
        _apply(controls, address, incoming)
    hidden = state.get(f"links_{address}_hidden", ())
    _hide(links.keys_of(controls, hidden))
    parameters = links.link_parameters(controls, state, hidden, app_wide=incoming)
    if parameters != incoming:
        st.query_params.from_dict(parameters)
    state[f"links_{address}_opened"] = True
    _copy_control(address, controls, parameters)


def _apply(controls, address: str, parameters: dict) -> None:
    """Set the values a link names (before the controls are drawn, so they show them) and say what it refused."""
    reading = links.read_link(controls, parameters)
    st.session_state.update(reading.values)
    st.session_state[f"links_{address}_hidden"] = reading.hidden
    for problem in reading.problems:
        st.warning(f"This link: {markdown_literal(problem, SHOWN_PROBLEM_CHARACTERS)}.", icon=":material/link_off:")


def _hide(keys: tuple[str, ...]) -> None:
    if keys:  # Streamlit marks each keyed widget's box with the class st-key-<key>
        selectors = ", ".join(f".st-key-{key}" for key in keys)
        st.html(f"<style>{selectors} {{ display: none; }}</style>")


def link_address(address: str, parameters: dict) -> str:
    """The full address of this experiment: the browser's own (server and page) with every control's value."""
    page = st.context.url or f"/{address}"  # no browser (a test): the page's own path
    return f"{page}?{urlencode(parameters, quote_via=quote, safe=',')}" if parameters else page


def _copy_control(address: str, controls, parameters: dict) -> None:
    panel = st.sidebar.expander(
        "Copy a link to this experiment", icon=":material/link:", key="links_copy_open", on_change="rerun"
    )
    if not panel.open:  # the address box is highlighted code: it cost the browser a second on each first visit
        return
    with panel:
        st.code(link_address(address, parameters), language=None, wrap_lines=True)
        st.caption(
            "Opening it sets every control as it is now. To hide controls from students, add "
            "`&hide=` and names separated by commas. This page's names: "
            + ", ".join(f"`{control.name}`" for control in controls)
            + "."
        )
