"""The first minute of a class: a fresh server warms up while the first learner reads, and a lesson's own
address works from the server's very first visit.

From the server's start (app.py's st.App hook), or else its first script run of any page, a background thread
imports the engine (JAX, Flax, Optax,
scikit-learn) and the charts (Plotly), loads the lab's data set and trains one chunk of its default run,
which reads the compiled training code from the persistent cache, then does the same for the batched code of
"Is it luck?" and the learning-rate sweep. By the time a learner has opened a lesson
and pressed Train, none of that is left to wait for.
"""

from __future__ import annotations

import threading

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

THREAD_NAME = "trainlab-warm-up"


def _warm_up() -> None:
    # Imported here, on the warm-up thread: importing them in the script run would delay the first page.
    from core.engine import classifier, jax_setup, sweeps
    from ui.charts import curves, images, plane  # noqa: F401  (the lab's charts and Plotly itself)

    jax_setup.enable_compilation_cache()  # at server start app.py has not run yet
    jax_setup.split_host_into_devices()  # before JAX's first computation, or it keeps one device
    classifier.warm_up()
    sweeps.warm_up()  # after the single run, so the first chart does not wait for it


@st.cache_resource(show_spinner=False)
def warm_up_the_server() -> threading.Thread:
    """Start the warm-up once per server process; later calls return the same thread."""
    thread = threading.Thread(target=_warm_up, name=THREAD_NAME, daemon=True)
    thread.start()
    return thread


def prepare_server() -> None:
    """At server start, before any learner connects: route every address through app.py's st.navigation
    and start the warm-up.

    Streamlit 1.67 decides on its first session whether an app with a pages/ folder uses the old folder-based
    pages, and emulates them until a script calls st.navigation. The very first script run of a server
    therefore knows only addresses made from file names: a teacher's link to /memorize-or-generalize opened
    before anyone visited the home page showed "Page not found" over the lesson, and its buttons could not be
    clicked until it was closed. app.py always navigates with st.navigation, so say so before the first session.
    """
    PagesManager.uses_pages_directory = False
    warm_up_the_server()
