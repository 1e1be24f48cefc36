"""The first minute of a class: a fresh server warms up while the first learner reads.

On the server's first script run of any page, a background thread imports the engine (JAX, Flax, Optax,
scikit-learn) and the charts (Plotly), loads the lab's data set and trains one chunk of its default run,
which reads the compiled training code from the persistent cache. By the time a learner has opened a lesson
and pressed Train, none of that is left to wait for.
"""

from __future__ import annotations

import threading

import streamlit as st

THREAD_NAME = "trainlab-warm-up"


def _warm_up() -> None:
    # Imported here, on the warm-up thread: importing them in the script run would delay the first page.
    from core.engine import classifier
    from ui.charts import curves, images, plane  # noqa: F401  (the lab's charts and Plotly itself)

    classifier.warm_up()


@st.cache_resource(show_spinner=False)
def warm_up_the_server() -> threading.Thread:
    """Start the warm-up once per server process; later calls return the same thread."""
    thread = threading.Thread(target=_warm_up, name=THREAD_NAME, daemon=True)
    thread.start()
    return thread
