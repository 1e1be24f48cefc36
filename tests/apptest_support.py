"""Helpers for driving pages with Streamlit's AppTest and reading their Plotly charts."""

from __future__ import annotations

import base64
import json
import time

import numpy as np
from streamlit.testing.v1 import AppTest

TIMEOUT = 120  # a first JAX compile (the language model's most of all) takes seconds


def open_page(page: str | None = None) -> AppTest:
    """The app after its first run, switched to `page` (a path like "pages/lab.py") when given."""
    app = AppTest.from_file("../app.py", default_timeout=TIMEOUT).run()
    if page:
        app.switch_page(page).run()
    assert not app.exception
    return app


def run_until_stopped(app: AppTest, prefix: str, max_ticks: int = 200, pause_seconds: float = 0.0) -> AppTest:
    """Let the live fragment tick until the run ends (run_every never fires in AppTest; each run() is a tick).
    A page that trains in a worker thread needs `pause_seconds` between ticks, as its browser would wait."""
    for _ in range(max_ticks):
        if not app.session_state[f"{prefix}_running"]:
            break
        time.sleep(pause_seconds)
        app.run()
    assert not app.session_state[f"{prefix}_running"] and not app.exception
    return app


def train_to_the_end(app: AppTest, prefix: str = "lab", max_ticks: int = 200) -> AppTest:
    """Press the page's Train button and tick until the run ends."""
    app.button(key=f"{prefix}_train").click().run()
    return run_until_stopped(app, prefix, max_ticks)


def chart_spec(app: AppTest, chart_key: str) -> dict:
    chart = next(c for c in app.get("plotly_chart") if chart_key in c.proto.id)
    return json.loads(chart.proto.spec)


def decoded(values) -> np.ndarray:
    """A Plotly array from the page's JSON: plain lists or Plotly 7's base64 blocks (2-D ones carry a shape)."""
    if not isinstance(values, dict):
        return np.asarray(values, float)
    array = np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"])
    shape = values.get("shape")
    return array.reshape([int(size) for size in str(shape).split(",")]) if shape else array


def trace(app: AppTest, chart_key: str, name: str) -> dict:
    return next(t for t in chart_spec(app, chart_key)["data"] if t.get("name") == name)


def chart_trace(app: AppTest, chart_key: str, name: str) -> np.ndarray:
    """The y values of the trace called `name` in the chart whose key is `chart_key`."""
    return decoded(trace(app, chart_key, name)["y"])


def choose_language(app: AppTest, code: str) -> AppTest:
    """Switch the app to language `code` as the sidebar's switch would (AppTest's element tree loses the sidebar's
    widgets after a page's first run, so the switch cannot always be clicked)."""
    from ui import language

    app.session_state[language.VALUE_KEY] = code
    app.session_state[language.DECIDED_KEY] = True
    return app.run()


def live_views(app: AppTest) -> dict:
    """The data each live view on the page was sent last, by its name."""
    views = [json.loads(c.proto.json) for c in app.get("bidi_component") if "live_view" in c.proto.component_name]
    return {view["name"]: view for view in (v.get("data", v) for v in views)}
