"""The first minute of a class: a fresh server warms up while the first learner reads, and a lesson's own
address works from the server's very first visit.

From the server's start (app.py's st.App hook), or else its first script run of any page, a background thread
runs WARM_UP_STEPS in order: JAX's settings, the modules the lab page imports, one chunk of the lab's default
run (its compiled code read from the persistent cache), the modules of every other lesson, then, once no one is
training, the batched code of "Is it luck?" and the learning-rate sweep. By the time a learner has opened the lab
and pressed Train, none of that is left to wait for. Each step's end goes to the
server's log with its time and the process's CPU seconds (`python -m bench.classroom --first-minute` reads them).
"""

from __future__ import annotations

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
_log = get_logger(__name__)


def modules_imported_by(page: Path) -> list[str]:
    """The modules a page script imports at its top, in its order (`from ui import live` names `ui` and
    `ui.live`).

    Read with a regular expression, not the ast module: Python 3.11's parser keeps its recursion depth in state
    shared by all threads, and a parse on this thread while a script run compiles its page failed the other one
    ("AST constructor recursion depth mismatch")."""
    names = []
    for imported_module, module, imported in IMPORT.findall(page.read_text()):
        names.append(imported_module or module)
        for name in imported.strip("()").split(","):
            if name.split():  # "c as e" imports c
                names.append(f"{module}.{name.split()[0]}")
    return names


def _import(name: str) -> None:
    """Import a module; a name that is an attribute of its module (`core.engine.classifier.LabConfig`) is skipped."""
    parent, _, attribute = name.rpartition(".")
    module = importlib.import_module(parent) if parent else None
    if module is None or not hasattr(module, attribute):
        importlib.import_module(name)


def configure_jax() -> None:
    """Before JAX's first computation: the persistent compile cache, and the CPU as two devices (at server
    start app.py has not run yet)."""
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
    train_the_batched_chunks,
]


def _warm_up() -> None:
    started = time.perf_counter()
    for step in WARM_UP_STEPS:
        step()
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
