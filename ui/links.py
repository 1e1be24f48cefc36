"""Exercise links: a lesson's whole state in its address, restored when the link is opened, with controls a teacher
chose hidden. One call per lesson page, `exercise_link(address)`, after the page's defaults are in session state and
before its controls are drawn.

This module, not Streamlit's `bind="query-params"`, keeps the address: Streamlit leaves a control at its first option
out of the address (so the link loses it), matches a choice against its shown label ("1.9 ⚠", not "1.9"), and lets
no page write a bound parameter. Here every control is written, and a typed value is read by
`core.lessons.links`. A hidden control is still drawn, invisibly: it keeps its value and the run uses it.
Controls that were bound take `persist_state="session"` instead, so their values still outlive a page switch.

Streamlit 1.67's browser side adds a history entry for every address a page writes (`st.query_params` has no way
to replace it; only addresses of bound widgets are replaced), so writing it on every rerun made Back step through
every slider move. The address is written when a page opens (or comes back without its parameters) and once after
each run starts training: Back steps from experiment to experiment. The copy control always shows the current link.
"""

from urllib.parse import quote, urlencode

import streamlit as st

from core import i18n
from core.i18n import tr
from core.lessons import links
from core.lessons.user_text import markdown_literal
from ui import language, live

SHOWN_PROBLEM_CHARACTERS = 160
HIDDEN_NOW = "links_hidden_now"  # the widget keys the current page's link hides


def changes_a_hidden_control(values: dict) -> bool:
    """Whether setting these widget values would change a control the current page's link hides (a preset that
    did would undo the teacher's exercise out of the student's sight)."""
    state = st.session_state
    return any(key in values and state.get(key) != values[key] for key in state.get(HIDDEN_NOW, ()))


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
    state[HIDDEN_NOW] = links.keys_of(controls, hidden)
    _hide(state[HIDDEN_NOW])
    parameters = links.link_parameters(controls, state, hidden, app_wide=incoming)
    if _address_due(address, first_run, incoming, parameters) and parameters != incoming:
        _write_address(incoming, parameters)
    state[f"links_{address}_opened"] = True
    # The link names the language even when the address leaves it out (Streamlit writes a bound switch's first
    # option, and a language taken from the browser, nowhere): a student opens it in the teacher's language.
    _copy_control(address, controls, {**parameters, language.KEY: i18n.language()})


def _address_due(address: str, first_run: bool, incoming: dict, parameters: dict) -> bool:
    """Whether to bring the address up to date now: on the page's first run, when the address lacks some of the
    page's parameters (a page switch drops them), and once after each run that started training since the last time."""
    state, starts = st.session_state, live.training_starts(st.session_state)
    due = first_run or set(parameters) != set(incoming) or state.get(f"links_{address}_written_at") != starts
    if due:
        state[f"links_{address}_written_at"] = starts
    return due


def _write_address(incoming: dict, parameters: dict) -> None:
    """Make the address hold `parameters`. The dashboard-wide ones are bound to their widgets (the projector switch),
    which Streamlit writes itself and refuses to let a page set, so only the lesson's own are written (one update,
    one history entry); a parameter the page no longer has (an emptied text box) is removed."""
    for name in incoming.keys() - parameters.keys():
        del st.query_params[name]
    st.query_params.update({name: text for name, text in parameters.items() if name not in links.APP_WIDE})


def _apply(controls, address: str, parameters: dict) -> None:
    """Set the values a link names (before the controls are drawn, so they show them) and say what it refused."""
    reading = links.read_link(controls, parameters)
    st.session_state.update(reading.values)
    st.session_state[f"links_{address}_hidden"] = reading.hidden
    for problem in reading.problems:
        shown = markdown_literal(problem, SHOWN_PROBLEM_CHARACTERS)
        st.warning(tr("This link: {problem}.").format(problem=shown), icon=":material/link_off:")


def _hide(keys: tuple[str, ...]) -> None:
    if keys:
        st.html(f"<style>{hiding_style(keys)}</style>")


def hiding_style(keys: tuple[str, ...]) -> str:
    """CSS that hides the widgets with these keys (Streamlit marks each keyed widget's box with the class
    st-key-<key>), each place of a row (ui.look.wrapping_row) and each expander that holds nothing else: a hidden
    slider's place left a gap beside its partner, which now takes the whole row, and hiding all of the lab's model
    and optimizer left their panel to open onto nothing. (A place that also holds a row of its own keeps its box:
    that row's style element counts as something shown, since CSS cannot nest :has.)"""
    hidden = ", ".join(f".st-key-{key}" for key in keys)
    shown = "".join(f":not(.st-key-{key})" for key in keys)
    holders = ('[data-testid=stLayoutWrapper]:has(> [class*="st-key-row-"])', "[data-testid=stExpander]")
    empty = ", ".join(
        f"{holder}:has({hidden}):not(:has([data-testid=stElementContainer]{shown}))" for holder in holders
    )
    return f"{hidden} {{ display: none; }} {empty} {{ display: none; }}"


def link_address(address: str, parameters: dict) -> str:
    """The full address of this experiment: the browser's own (server and page) with every control's value."""
    page = st.context.url or f"/{address}"  # no browser (a test): the page's own path
    return f"{page}?{urlencode(parameters, quote_via=quote, safe=',')}" if parameters else page


def _copy_control(address: str, controls, parameters: dict) -> None:
    panel = st.sidebar.expander(
        tr("Copy a link to this experiment"), icon=":material/link:", key="links_copy_open", on_change="rerun"
    )
    if not panel.open:  # the address box is highlighted code: it cost the browser a second on each first visit
        return
    with panel:
        st.code(link_address(address, parameters), language=None, wrap_lines=True)
        st.caption(
            tr(
                "Opening it sets every control as it is now. To hide controls from students, add `&hide=` and names "
                "separated by commas. This page's names: {names}."
            ).format(names=", ".join(f"`{control.name}`" for control in controls))
        )
