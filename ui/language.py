"""The learner's language: a switch in the sidebar, kept in the page's address (`lang=nl`) once chosen so that an
exercise link opens in the teacher's language, and on a first visit without one, the browser's language.

Every text goes through core.i18n, which asks this module (through the source registered below) which language this
learner's session has chosen, on every lookup: a fragment that redraws a chart between training chunks gets the
same language as the page around it.
"""

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from core import i18n

KEY = "lang"  # the switch's widget key and the address's parameter
VALUE_KEY = "lang_value"  # the language itself, kept apart from the widget (which only shows it)
DECIDED_KEY = "lang_decided"  # the learner or the link chose; until then the language follows the browser's


def _session_language() -> str | None:
    if get_script_run_ctx(suppress_warning=True) is None:  # a worker thread: no learner to ask
        return None
    return st.session_state.get(VALUE_KEY)


i18n.use_language_source(_session_language)


def browser_language() -> str | None:
    """The dashboard language closest to the browser's ("nl-BE" -> "nl"), or None when it is none of them or
    unknown (Streamlit may not know it yet on a session's first run)."""
    code = (st.context.locale or "").split("-")[0].lower()
    return code if code in i18n.LANGUAGES else None


def _chosen() -> None:
    st.session_state[DECIDED_KEY] = True
    st.session_state[VALUE_KEY] = st.session_state[KEY]


def sidebar() -> None:
    """The switch. Drawn on every page by app.py, before the page: the page's texts follow it."""
    state = st.session_state
    if DECIDED_KEY not in state:  # the session's first run: a link's language wins over the browser's
        linked = st.query_params.get(KEY)
        state[DECIDED_KEY] = linked in i18n.LANGUAGES
        state[VALUE_KEY] = linked if state[DECIDED_KEY] else i18n.DEFAULT_LANGUAGE
    if not state[DECIDED_KEY] and browser_language() is not None:
        state[VALUE_KEY] = browser_language()
    state[KEY] = state[VALUE_KEY]  # the switch shows the language, whatever became of its own state
    st.sidebar.radio(
        "Language / Taal",
        options=tuple(i18n.LANGUAGES),
        format_func=i18n.LANGUAGES.get,
        key=KEY,
        horizontal=True,
        on_change=_chosen,
    )
    _keep_in_address()


def _keep_in_address() -> None:
    """Write a chosen language into the address (a page switch drops it, so on every page), and only a chosen one:
    a language taken from the browser is left out, so that a link copied from the address bar opens in each
    reader's own. (Streamlit's own binding would write the option's label, "Nederlands", and leave out English.)"""
    state = st.session_state
    if state[DECIDED_KEY] and st.query_params.get(KEY) != state[VALUE_KEY]:
        st.query_params[KEY] = state[VALUE_KEY]
