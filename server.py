"""Trainlab's server: `streamlit run server.py` serves the dashboard (app.py) ready for its first learner.

Streamlit runs this file's `app` (st.App) and calls `prepare` once when the server starts, before any browser
connects: a lesson's address opens that lesson from the first visit on, and the engine warms up at once
(ui/first_minute.py). `streamlit run app.py` still works, without these two.
"""

from contextlib import asynccontextmanager

import streamlit as st

from ui import first_minute


@asynccontextmanager
async def prepare(_app):
    first_minute.prepare_server()
    yield


app = st.App("app.py", lifespan=prepare)
