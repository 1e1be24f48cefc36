"""The learner's language: a switch in the sidebar, kept in the page's address (`lang=nl`) so that an exercise link
opens in the teacher's language, and on a first visit without one, the browser's language.

Every text goes through core.i18n, which asks this module (through the source registered below) which language this
learner's session has chosen, on every lookup: a fragment that redraws a chart between training chunks gets the
same language as the page around it.
"""

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from core import i18n

KEY = "lang"
_DECIDED = "lang_decided"  # the learner or the link chose; until then the language follows the browser's


def _session_language() -> str | None:
    if get_script_run_ctx(suppress_warning=True) is None:  # a worker thread: no learner to ask
        return None
    return st.session_state.get(KEY)


i18n.use_language_source(_session_language)


def browser_language() -> str | None:
    """The dashboard language closest to the browser's ("nl-BE" -> "nl"), or None when it is none of them or
    unknown (Streamlit may not know it yet on a session's first run)."""
    code = (st.context.locale or "").split("-")[0].lower()
    return code if code in i18n.LANGUAGES else None


def _chosen() -> None:
    st.session_state[_DECIDED] = True


def sidebar() -> None:
    """The switch. Drawn on every page by app.py, before the page: the page's texts follow it."""
    state = st.session_state
    if _DECIDED not in state:
        state[_DECIDED] = KEY in st.query_params
    if not state[_DECIDED] and browser_language() is not None:
        state[KEY] = browser_language()
    st.sidebar.radio(
        "Language / Taal",
        options=tuple(i18n.LANGUAGES),
        format_func=i18n.LANGUAGES.get,
        key=KEY,
        horizontal=True,
        bind="query-params",
        on_change=_chosen,
    )
