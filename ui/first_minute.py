"""The first minute of a class: a fresh server warms up while the first learner reads, and a lesson's own
address works from the server's very first visit.

From the server's start (app.py's st.App hook), or else its first script run of any page, a background thread
runs WARM_UP_STEPS in order: JAX's settings, the modules the lab page imports, one chunk of the lab's default
run (its compiled code read from the persistent cache), the modules of every other lesson, then, once no one is
training, the batched code of "Is it luck?" and the learning-rate sweep. By the time a learner has opened the lab
and pressed Train, none of that is left to wait for. Each step's end goes to the
server's log with its time and the process's CPU seconds (`python -m bench.classroom --first-minute` reads them).

Until the warm-up has imported everything, it and the learners' script runs take turns to import (see
`one_importer_at_a_time`): two threads importing parts of one package at once can each find the other's half-made
module (scikit-learn's did: a fresh lab with a small training set failed with "cannot import name 'clone' from
partially initialized module 'sklearn.base'" while the warm-up imported the knowledge lesson).
"""

from __future__ import annotations

import contextlib
import importlib
import re
import threading
import time
from pathlib import Path

import streamlit as st
from streamlit.logger import get_logger
from streamlit.runtime.pages_manager import PagesManager

THREAD_NAME = "trainlab-warm-up"
PAGES = Path(__file__).resolve().parents[1] / "pages"
FIRST_LESSON = PAGES / "lab.py"  # the lesson a class opens first: its modules and its compile come first
LOG_PREFIX = "warm-up step done:"
IDLE_WINDOW_SECONDS, IDLE_CPU_SHARE = 3.0, 0.2  # the server counts as idle after 3 s under a fifth of a core
# A top-level `import a.b [as c]`, or `from a.b import c, d [as e]` with the names possibly in parentheses.
IMPORT = re.compile(r"^(?:import ([\w.]+)|from ([\w.]+) import (\([^)]*\)|.*))", re.MULTILINE)
# An import inside a function (indented): `import a.b [as c]` alone on its line, or `from a.b import ...`.
IMPORT_INSIDE_A_FUNCTION = re.compile(
    r"^[ \t]+(?:import ([\w.]+)(?:[ \t]+as[ \t]+\w+)?[ \t]*(?:#.*)?$|from ([\w.]+) import[ \t]+(\([^)]*\)|[\w(].*))",
    re.MULTILINE,
)
ENGINE = Path(__file__).resolve().parents[1] / "core"
_log = get_logger(__name__)

# Whoever holds this imports; the warm-up takes it for one module at a time, a script run for the whole run.
_IMPORTING = threading.RLock()  # re-entrant: a live panel's fragment runs inside its page's run
_TURNS = threading.Condition()  # guards _runs_waiting; the warm-up waits on it for script runs to go first
_runs_waiting = 0
_EVERYTHING_IMPORTED = threading.Event()  # from then on nobody takes turns
# Script runs go before the warm-up's next module, but a class keeps some run always waiting: a warm-up that
# yielded to them without end never finished importing, and every learner's runs took turns for the whole
# class (bench.capacity: 40 learners on one core saw the progress line move two or three times in a minute).
# After this long the warm-up is due: it has the turn next, and runs wait for its module.
WARM_UP_PATIENCE_SECONDS = 0.5
_warm_up_due = False
_holding = threading.local()  # how deep this thread is in one_importer_at_a_time (a fragment inside its page)
# A run queued for the turn stops queuing once everything is imported. A class that pressed Train in the warm-up's
# last two seconds had queued for it, and queued runs took the turn one at a time long after it had ended: the
# last learner's first epochs came 44 s after Train, the first one's 0.2 s (bench.capacity, a class of 40).
QUEUE_CHECK_SECONDS = 0.05


@contextlib.contextmanager
def one_importer_at_a_time():
    """Around a script run (a page, or a live panel's rerun): while the warm-up is still importing, wait for the
    module it is importing and then run alone, the warm-up waiting; once it has imported everything, run at once.
    A waiting run goes before the warm-up's next module, unless the warm-up has waited its patience (then it is
    due and goes next); a run still waiting when the warm-up has imported everything goes at once."""
    global _runs_waiting
    if _EVERYTHING_IMPORTED.is_set():
        yield
        return
    depth = getattr(_holding, "depth", 0)
    with _TURNS:
        _runs_waiting += 1
    try:
        # A run inside one that holds the turn (a fragment in its page) must not wait for the warm-up.
        holding = _IMPORTING.acquire() if depth else _acquire_after_a_due_warm_up()
    finally:
        with _TURNS:
            _runs_waiting -= 1
            _TURNS.notify_all()
    _holding.depth = depth + 1
    try:
        yield
    finally:
        _holding.depth = depth
        if holding:
            _IMPORTING.release()


def _acquire_after_a_due_warm_up() -> bool:
    """Take the turn for a script run (True); while the warm-up is due, hand it on so the warm-up has it next. Once
    everything is imported, stop queuing and run without the turn (False)."""
    while not _EVERYTHING_IMPORTED.is_set():
        if not _IMPORTING.acquire(timeout=QUEUE_CHECK_SECONDS):
            continue
        with _TURNS:
            if not _warm_up_due:
                return True
        _IMPORTING.release()
        with _TURNS:
            _TURNS.wait_for(lambda: not _warm_up_due, timeout=QUEUE_CHECK_SECONDS)
    return False


@contextlib.contextmanager
def _warm_up_turn():
    """The warm-up's turn to import one module: after every script run that is waiting, or, when runs keep
    coming, next after the run in progress once it has waited WARM_UP_PATIENCE_SECONDS."""
    global _warm_up_due
    with _TURNS:
        if not _TURNS.wait_for(lambda: _runs_waiting == 0, timeout=WARM_UP_PATIENCE_SECONDS):
            _warm_up_due = True
    with _IMPORTING:
        _let_runs_in()  # the turn is the warm-up's: runs may queue for the next one again
        yield


def _let_runs_in() -> None:
    global _warm_up_due
    with _TURNS:
        _warm_up_due = False
        _TURNS.notify_all()


def modules_imported_by(page: Path) -> list[str]:
    """The modules a page script imports at its top, in its order (`from ui import live` names `ui` and
    `ui.live`).

    Read with a regular expression, not the ast module: Python 3.11's parser keeps its recursion depth in state
    shared by all threads, and a parse on this thread while a script run compiles its page failed the other one
    ("AST constructor recursion depth mismatch")."""
    return _imported_names(IMPORT.findall(page.read_text()))


def _imported_names(imports: list[tuple[str, str, str]]) -> list[str]:
    """(`import`'s module, `from`'s module, what `from` imports) -> the modules, and the names from modules."""
    names = []
    for imported_module, module, imported in imports:
        names.append(imported_module or module)
        for name in imported.split("#")[0].strip("()").split(","):
            if name.split():  # "c as e" imports c
                names.append(f"{module}.{name.split()[0]}")
    return names


def modules_imported_inside_functions(folder: Path = ENGINE) -> list[str]:
    """The modules the engine imports only when a function first needs them (to keep a fresh server's lab quick),
    sorted."""
    names = set()
    for source in folder.rglob("*.py"):
        names.update(_imported_names(IMPORT_INSIDE_A_FUNCTION.findall(source.read_text())))
    return sorted(names)


def _import(name: str) -> None:
    """Import a module in the warm-up's turn; a name that is an attribute of its module
    (`core.engine.classifier.LabConfig`) is skipped."""
    with _warm_up_turn():
        parent, _, attribute = name.rpartition(".")
        module = importlib.import_module(parent) if parent else None
        if module is None or not hasattr(module, attribute):
            importlib.import_module(name)


def configure_jax() -> None:
    """Before JAX's first computation: the persistent compile cache, and the CPU as two devices (at server
    start app.py has not run yet)."""
    _import("core.engine.jax_setup")
    from core.engine import jax_setup

    jax_setup.enable_compilation_cache()
    jax_setup.split_host_into_devices()


def import_the_first_lesson() -> None:
    """What the lab page imports, in its order: its first run then finds every module loaded (a module being
    imported here makes the page wait only for the rest of that one)."""
    for name in modules_imported_by(FIRST_LESSON):
        _import(name)


def train_the_first_lessons_chunk() -> None:
    """Load the lab's data set and train one chunk of its default run: Train then compiles nothing."""
    from core.engine import classifier

    classifier.warm_up()


def import_the_other_lessons() -> None:
    for page in sorted(PAGES.glob("*.py")):
        for name in modules_imported_by(page):
            _import(name)


def import_what_the_engine_imports_later() -> None:
    """Every module the engine imports inside a function: a script run then imports nothing new, and from here on
    script runs no longer wait for the warm-up's imports."""
    try:
        for name in modules_imported_inside_functions():
            _import(name)
    finally:
        _EVERYTHING_IMPORTED.set()


def wait_until_the_server_is_idle(seconds: float = IDLE_WINDOW_SECONDS, busy_share: float = IDLE_CPU_SHARE) -> None:
    """Return once the whole process (every thread, XLA's included) used under `busy_share` of one core for
    `seconds`: nobody is training."""
    while True:
        used = time.process_time()
        time.sleep(seconds)
        if time.process_time() - used < busy_share * seconds:
            return


def train_the_batched_chunks() -> None:
    """One chunk of "Is it luck?" and of the learning-rate sweep at the lab's defaults, so that their first click
    compiles nothing. It costs about 5 CPU-s: run at once, it delayed a fresh server's first chart from 8.6 s to
    10.3 s (Train to the chart 1.4 s -> 4.4 s, bench.classroom --first-minute, quiet), so it waits until no one
    is training. A server that never idles leaves the compile to the first click (about 2.5 CPU-s)."""
    from core.engine import sweeps

    wait_until_the_server_is_idle()
    sweeps.warm_up()


# In order: each step is done before the next one starts. A step is a function of no arguments.
WARM_UP_STEPS = [
    configure_jax,
    import_the_first_lesson,
    train_the_first_lessons_chunk,
    import_the_other_lessons,
    import_what_the_engine_imports_later,
    train_the_batched_chunks,
]


def _warm_up() -> None:
    started = time.perf_counter()
    for step in WARM_UP_STEPS:
        try:
            step()
        except Exception:  # what is not warmed up is done when first needed; the steps after it still help
            _log.exception("warm-up step %s failed", step.__name__)
            continue
        _log.info(
            "%s %s at %.2f (%.2f s after the warm-up began; %.2f CPU-s in this process)",
            LOG_PREFIX,
            step.__name__,
            time.time(),
            time.perf_counter() - started,
            time.process_time(),
        )


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
