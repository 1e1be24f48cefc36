"""What a learner sees when a page, or a live panel's rerun, fails: the kind of error in their language, and that the
rest of the dashboard still works (Streamlit's own message is redacted English text with links to search engines)."""

import streamlit as st
from streamlit.logger import get_logger

from core.i18n import tr

_log = get_logger(__name__)


def show_failure(error: Exception) -> None:
    _log.error("a page failed", exc_info=error)  # the details stay in the server's log
    st.error(
        tr(
            "Something went wrong on this page and it was stopped: {error}. "
            "The other pages still work; press Reset or reload to start again."
        ).format(error=type(error).__name__)
    )
