"""The first minute of a class: whatever page a fresh server is first asked for starts the engine's warm-up."""

import shutil
import subprocess
import sys
import threading

import pytest
from streamlit.testing.v1 import AppTest

from core.engine import jax_setup
from tests.app_pages import APP, registered_pages
from tests.apptest_support import open_page
from tests.jit_support import ROOT, run_in_fresh_python
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


TRAIN_AFTER_THE_WARM_UP = """
import json
import jax
from streamlit.testing.v1 import AppTest
from tests.jit_support import ROOT
from ui import first_minute

traces = []  # every function JAX traces: a jit cache miss (a compile, or a read from the persistent cache)
jax.monitoring.register_event_duration_secs_listener(
    lambda event, _seconds, **_: traces.append(event) if event == "/jax/core/compile/jaxpr_trace_duration" else None
)
first_minute.warm_up_the_server().join(timeout=300)
warmed = len(traces)
app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
app.switch_page("pages/lab.py").run()
opened = len(traces)
app.button(key="lab_train").click().run()
run = app.session_state["lab_run"]
print(json.dumps({"warmed": warmed, "opened": opened, "trained": len(traces), "epochs": run.epochs_done}))
"""


def test_the_warm_up_leaves_nothing_to_trace_for_the_labs_first_train(tmp_path):
    """In a fresh server process: after the warm-up, opening the lab and pressing Train with its opening settings
    traces (and so compiles) nothing, however the page builds its run's settings."""
    counts = run_in_fresh_python(TRAIN_AFTER_THE_WARM_UP, jax_setup.cache_folder())
    assert counts["warmed"] >= 2, "the warm-up traced neither the lab's initial state nor its training chunk"
    assert counts["epochs"] > 0, "Train did not train its first chunk in the same run"
    assert counts["opened"] == counts["warmed"], "the lab's first run traced something the warm-up had not"
    assert counts["trained"] == counts["warmed"], "the lab's first Train traced something the warm-up had not"


def test_the_warm_up_imports_what_the_lab_page_imports():
    names = first_minute.modules_imported_by(first_minute.FIRST_LESSON)
    assert {"core.engine.classifier", "ui.live", "ui.charts.curves"} <= set(names)
    assert "core.engine.classifier.LabConfig" in names  # an attribute, which the warm-up skips


def test_the_labs_code_is_highlighted_only_once_its_panel_is_opened():
    """Highlighting the training code cost a learner's browser seconds on every first visit to the lab, with
    its panel closed: the code is sent when the panel opens."""
    app = open_page("pages/lab.py")
    assert "python" not in [block.language for block in app.code]
    app.session_state["lab_code_open"] = True
    app.run()
    assert not app.exception
    assert "def train_chunk" in next(block.value for block in app.code if block.language == "python")


def test_the_labs_modules_and_its_first_chunk_import_no_scikit_learn():
    """scikit-learn costs about 2 CPU-seconds to import: a fresh server's lab (its modules, its digits, one chunk of
    its default run) must not wait for it. The digits come from sample_data/digits.npz."""
    code = (
        "import sys\n"
        "from ui import first_minute\n"
        "first_minute.import_the_first_lesson()\n"
        "first_minute.train_the_first_lessons_chunk()\n"
        "print(sorted({name.split('.')[0] for name in sys.modules} & {'sklearn', 'scipy'}))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_the_server_settings_are_valid_toml_that_turns_the_file_watcher_off():
    """A key set twice makes the file invalid TOML (two branches each turned the watcher off once)."""
    import tomllib

    settings = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert settings["server"]["fileWatcherType"] == "none"
    assert settings["runner"]["postScriptGC"] is False


def test_the_batched_warm_up_waits_while_the_server_trains():
    """The batched chunks cost about 5 CPU-s: they wait for a quiet server instead of slowing a first chart."""
    busy = threading.Event()
    busy.set()

    def train_while_busy():
        while busy.is_set():
            sum(range(10_000))  # a learner's run, as far as the process's CPU clock can tell

    trainer = threading.Thread(target=train_while_busy, daemon=True)
    trainer.start()
    waiter = threading.Thread(target=first_minute.wait_until_the_server_is_idle, args=(0.3, 0.2), daemon=True)
    waiter.start()
    waiter.join(1.5)
    assert waiter.is_alive(), "returned while a thread kept a core busy"
    busy.clear()
    waiter.join(3.0)
    assert not waiter.is_alive(), "did not return once the process was idle"
