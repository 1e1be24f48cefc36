"""The first minute of a class: whatever page a fresh server is first asked for starts the engine's warm-up."""

import shutil
import subprocess
import sys
import threading
import time

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


@pytest.fixture
def importing_afresh(monkeypatch, tmp_path):
    """The turns of a server that has imported nothing yet, and three modules to import: a slow one, a quick one,
    and `events`, where the other two say when they start and end."""
    monkeypatch.setattr(first_minute, "_IMPORTING", threading.RLock())
    monkeypatch.setattr(first_minute, "_TURNS", threading.Condition())
    monkeypatch.setattr(first_minute, "_runs_waiting", 0)
    monkeypatch.setattr(first_minute, "_warm_up_due", False)
    monkeypatch.setattr(first_minute, "_EVERYTHING_IMPORTED", threading.Event())
    (tmp_path / "turn_events.py").write_text("happened = []\n")
    for name, seconds in (("turn_slow", 0.6), ("turn_quick", 0.0)):
        (tmp_path / f"{name}.py").write_text(
            "import time\nimport turn_events\n"
            f"turn_events.happened.append('{name} starts')\ntime.sleep({seconds})\n"
            f"turn_events.happened.append('{name} ends')\n"
        )
    monkeypatch.syspath_prepend(str(tmp_path))
    yield
    for name in ("turn_events", "turn_slow", "turn_quick"):
        sys.modules.pop(name, None)


def test_a_script_run_waits_for_the_module_being_imported_and_goes_before_the_next(importing_afresh):
    """Two threads importing parts of one package at once can each find the other's half-made module: a script
    run and the warm-up's imports take turns until everything is imported."""
    warm_up = threading.Thread(target=lambda: [first_minute._import(name) for name in ("turn_slow", "turn_quick")])
    warm_up.start()
    time.sleep(0.2)  # the warm-up is inside turn_slow, which has imported the events
    happened = sys.modules["turn_events"].happened
    with first_minute.one_importer_at_a_time():
        happened.append("the run starts")
        time.sleep(0.3)
        happened.append("the run ends")
    warm_up.join(5)
    assert happened == [
        "turn_slow starts",
        "turn_slow ends",
        "the run starts",
        "the run ends",
        "turn_quick starts",
        "turn_quick ends",
    ]


def test_the_warm_up_gets_its_turn_while_a_class_keeps_runs_waiting(importing_afresh, monkeypatch):
    """A class keeps some script run always waiting: the warm-up must not wait for a moment without one, or it
    never ends and every learner's runs take turns for as long as the class lasts."""
    monkeypatch.setattr(first_minute, "WARM_UP_PATIENCE_SECONDS", 0.2)
    class_over = threading.Event()

    def learner():
        while not class_over.is_set():
            with first_minute.one_importer_at_a_time():
                time.sleep(0.05)

    learners = [threading.Thread(target=learner) for _ in range(3)]
    for thread in learners:
        thread.start()
    time.sleep(0.1)
    warm_up = threading.Thread(target=lambda: first_minute._import("turn_quick"))
    warm_up.start()
    warm_up.join(3)
    class_over.set()
    for thread in learners:
        thread.join(3)
    assert not warm_up.is_alive(), "the warm-up never got its turn"
    assert "turn_quick ends" in sys.modules["turn_events"].happened


def test_a_fragment_inside_its_pages_run_does_not_wait_for_a_warm_up_that_is_due(importing_afresh):
    """The warm-up, once due, waits for the page's run to end; the page's fragment must not wait for the warm-up."""
    entered = threading.Event()

    def page_run():
        with first_minute.one_importer_at_a_time():
            first_minute._warm_up_due = True
            with first_minute.one_importer_at_a_time():
                entered.set()

    run = threading.Thread(target=page_run)
    run.start()
    run.join(2)
    assert entered.is_set(), "the fragment waited for the warm-up, which waited for its page"


def test_once_everything_is_imported_a_script_run_waits_for_nothing(importing_afresh):
    first_minute._EVERYTHING_IMPORTED.set()
    holder_has_it, release = threading.Event(), threading.Event()

    def hold_the_turn():
        with first_minute._IMPORTING:
            holder_has_it.set()
            release.wait(5)

    holder = threading.Thread(target=hold_the_turn)
    holder.start()
    holder_has_it.wait(5)
    entered = threading.Event()

    def script_run():
        with first_minute.one_importer_at_a_time():
            entered.set()

    run = threading.Thread(target=script_run)
    run.start()
    run.join(2)
    release.set()
    holder.join(5)
    assert entered.is_set(), "a script run waited for the warm-up after everything was imported"


def test_runs_queued_for_the_turn_go_at_once_when_everything_is_imported(importing_afresh):
    """A class that pressed Train while the warm-up imported its last modules queued for the turn: once everything is
    imported the queued runs go together, not one after another while the run that holds the turn goes on."""
    release = threading.Event()

    def long_run():
        with first_minute.one_importer_at_a_time():
            release.wait(5)

    holder = threading.Thread(target=long_run)
    holder.start()
    time.sleep(0.1)  # the long run holds the turn
    entered = []

    def queued_run():
        with first_minute.one_importer_at_a_time():
            entered.append(time.monotonic())

    queued = [threading.Thread(target=queued_run) for _ in range(3)]
    for thread in queued:
        thread.start()
    time.sleep(0.2)
    assert not entered, "a run went while another held the turn and the warm-up still imported"
    imported = time.monotonic()
    first_minute._EVERYTHING_IMPORTED.set()
    for thread in queued:
        thread.join(2)
    release.set()
    holder.join(5)
    assert len(entered) == 3 and max(entered) - imported < 1, "queued runs still waited for the turn"


def test_a_failing_warm_up_step_is_logged_and_the_steps_after_it_still_run(monkeypatch):
    done = []

    def fails():
        raise ImportError("half-made module")

    monkeypatch.setattr(first_minute, "WARM_UP_STEPS", [fails, lambda: done.append("next step")])
    first_minute._warm_up()
    assert done == ["next step"]


def test_the_warm_up_imports_every_module_the_engine_imports_inside_a_function():
    """Then no script run imports anything new while others run: the warm-up's last import step lets them go."""
    names = first_minute.modules_imported_inside_functions()
    assert {"sklearn.model_selection", "core.lessons.knowledge_lesson"} <= set(names)
    assert "memory" not in names and "the" not in names  # docstring lines that begin with "from" or "import"
    code = (
        "import sys\n"
        "from ui import first_minute\n"
        "first_minute.import_what_the_engine_imports_later()\n"
        "names = first_minute.modules_imported_inside_functions()\n"
        "print(first_minute._EVERYTHING_IMPORTED.is_set(), [n for n in names if n not in sys.modules and "
        "not hasattr(sys.modules.get(n.rpartition('.')[0]), n.rpartition('.')[2])])\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.strip().splitlines()[-1] == "True []"
