"""The first minute of a class: whatever page a fresh server is first asked for starts the engine's warm-up."""

import shutil

import pytest
from streamlit.testing.v1 import AppTest

from tests.app_pages import APP, registered_pages
from ui import first_minute


@pytest.fixture
def stand_in_app(tmp_path):
    """app.py itself, routing to stand-in pages that each write one line (no lesson's own work)."""
    shutil.copy(APP, tmp_path / "app.py")
    (tmp_path / "pages").mkdir()
    for page in registered_pages():
        (tmp_path / page.path).write_text('import streamlit as st\nst.write("stand-in")\n')
    return tmp_path / "app.py"


@pytest.fixture
def warm_ups(monkeypatch):
    """What the warm-up would have warmed, recorded instead (the real one compiles for seconds)."""
    started = []
    monkeypatch.setattr(first_minute, "_warm_up", lambda: started.append("warm-up"))
    first_minute.warm_up_the_server.clear()
    yield started
    first_minute.warm_up_the_server.clear()


@pytest.mark.parametrize("page", registered_pages(), ids=lambda page: page.url_path or "home")
def test_the_first_script_run_of_any_page_starts_the_warm_up_once(stand_in_app, page, warm_ups):
    app = AppTest.from_file(str(stand_in_app), default_timeout=60).run()
    first_minute.warm_up_the_server.clear()  # as in a server process that has run no script yet
    warm_ups.clear()
    app.switch_page(page.path).run()
    assert not app.exception and [text.value for text in app.markdown] == ["stand-in"]
    first_minute.warm_up_the_server().join(timeout=5)
    assert warm_ups == ["warm-up"], "the page's first run did not start the warm-up"
    app.run()
    assert warm_ups == ["warm-up"], "a later run started it again"
