"""Live training shared by the pages: a run kept in session state, advanced chunk by chunk in a fragment.

A run is anything that speaks core.engine.run.Run (advance, finished, failure, progress, seconds, history,
comparison); this module uses nothing else of it. Each page owns a prefix (e.g. "lab"): its run lives in
`<prefix>_run` and `<prefix>_running`, the last run's comparison in `<prefix>_previous`. While a run is
live, a fragment reruns every tick, trains and redraws. By default a tick trains whole chunks for
half the tick (long runs); a page whose runs are so cheap they would finish in a tick or two passes
`one_chunk_per_tick` so a learner can watch; a page whose single chunk takes most of a tick passes
`in_background(prefix)`: a worker thread trains and each tick only redraws; it stops as soon as the
browser session closes. On a busy server a tick takes longer: after two such ticks it doubles (up to MAX_TICK_SECONDS),
so each redraw carries more epochs and the server trains instead of redrawing. A run that stopped early is
explained above the page's results, in words (core.lessons.stops), whatever the page draws. A page with a
Pause button pauses (`pause`, and `resume` carries on); a Stop button stops for good (`stop`): the progress bar
says which, and a stopped run says what to do instead of carrying on.
"""

import math
import threading
import time
from collections.abc import Callable
from contextvars import ContextVar

import streamlit as st

from core.engine.background import BackgroundTraining
from core.i18n import number, tr
from core.lessons.stops import PAUSED, RESTING_WORDS, STOPPED, stop_reason, stopped_by_learner, unexpected_stop
from ui import failures, first_minute

# The run a panel is drawing while it rests before its end without a failure, and whether it is PAUSED or
# STOPPED: its progress bar says so.
_resting_run: ContextVar[tuple[object, str] | None] = ContextVar("trainlab_resting_run", default=None)

TICK_SECONDS = 0.5
# Under load a tick trains at least a chunk and then redraws, and a redraw costs the server as much whatever it
# carries: a class of 20 on one server core asked for 30 redraws per learner with ticks up to 2 s, 9 with 4 s and
# the file watcher off (bench/capacity.py). The browser animates the epochs in between.
MAX_TICK_SECONDS = 4.0
WORK_SHARE = 0.5  # of each tick spent training; the rest is left for drawing and other sessions
# A tick grows only when two in a row overran: one slow tick (a run's first draw, a moment of load) had doubled the
# fine-tuning page's half second for the rest of the run (bench.lm_page: new numbers every 1.0 s instead of 0.5).
OVERRUNS_BEFORE_A_LONGER_TICK = 2


def _stop_worker(state, prefix: str) -> None:
    worker = state.pop(f"{prefix}_worker", None)
    if worker is not None:
        worker.stop()


def _count_a_start(state, prefix: str) -> None:
    """Count the runs that start training from rest in this session (ui.links writes the address once after each)."""
    if not state.get(f"{prefix}_running"):
        state["live_training_starts"] = state.get("live_training_starts", 0) + 1


def training_starts(state) -> int:
    """How many times a run of any page started training from rest in this session."""
    return state.get("live_training_starts", 0)


def start(state, prefix: str, run, *, running: bool = True) -> None:
    """Make `run` the page's current run and train it (or leave it paused); the last run's comparison is kept."""
    _stop_worker(state, prefix)
    if running:
        _count_a_start(state, prefix)
    previous = state.get(f"{prefix}_run")
    if previous is not None and previous is not run:
        comparison = previous.comparison()
        if comparison is not None:
            state[f"{prefix}_previous"] = comparison
    state[f"{prefix}_run"] = run
    state[f"{prefix}_run_number"] = state.get(f"{prefix}_run_number", 0) + 1
    state[f"{prefix}_running"] = running
    state.pop(f"{prefix}_tick", None)  # each run starts at the page's own tick
    state.pop(f"{prefix}_overruns", None)
    state.pop(f"{prefix}_stopped", None)


def resume(state, prefix: str) -> None:
    """Carry on training the page's current run."""
    if state.get(f"{prefix}_run") is not None:
        _count_a_start(state, prefix)
    state[f"{prefix}_running"] = state.get(f"{prefix}_run") is not None
    state.pop(f"{prefix}_stopped", None)


def pause(state, prefix: str) -> None:
    """Stop training the page's run for now: a page that pauses offers `resume`."""
    _stop_worker(state, prefix)
    state[f"{prefix}_running"] = False
    state.pop(f"{prefix}_stopped", None)


def stop(state, prefix: str) -> None:
    """Stop training the page's run for good: the page offers no way to carry on, only a new run."""
    pause(state, prefix)
    state[f"{prefix}_stopped"] = True


def reset(state, prefix: str) -> None:
    _stop_worker(state, prefix)
    for suffix in ("run", "running", "previous", "tick", "overruns", "stopped"):
        state.pop(f"{prefix}_{suffix}", None)


def progress(run) -> None:
    """A progress bar in the run's own unit ("Epoch 40 of 200", "Step 30 of 200") with its training time, and
    "paused" or "stopped" when the panel drawing it holds a run at rest."""
    done = run.progress()
    label = (
        tr("Step {done} of {total} · {seconds} s of training")
        if done.unit == "step"
        else tr("Epoch {done} of {total} · {seconds} s of training")
    ).format(done=done.done, total=done.total, seconds=number(run.seconds, 1))
    resting = _resting_run.get()
    if resting is not None and resting[0] is run:
        label += f" · {tr(RESTING_WORDS[resting[1]])}"
    st.progress(done.share, text=label)


def _first_chunk(run) -> bool:
    """Train the first chunk, which may compile, under a note that says so."""
    with st.spinner(tr("Preparing the training code (the very first run takes a few seconds)...")):
        return run.advance()


def train_at_pace(units_per_second: float, share: float = WORK_SHARE) -> Callable[[object, float], bool]:
    """A tick trainer that trains about `units_per_second` epochs (or steps) per second of wall time, so a
    view that animates them can show every one; never more than `share` of a tick (and at least one chunk).
    True while more remains."""

    def tick(run, tick_seconds: float) -> bool:
        start = run.progress().done
        if start == 0:  # drawn at once: the first epochs appear a moment after Train, the next tick trains more
            return _first_chunk(run)
        deadline = time.perf_counter() + share * tick_seconds
        while run.progress().done - start < units_per_second * tick_seconds and time.perf_counter() < deadline:
            if not run.advance():
                break
        return not run.finished

    return tick


def train_for_share(share: float) -> Callable[[object, float], bool]:
    """A tick trainer that trains whole chunks for `share` of each tick, as fast as they come."""
    return train_at_pace(math.inf, share)


train_for_half_a_tick = train_for_share(WORK_SHARE)


def run_number(state, prefix: str) -> int:
    """Counts the page's runs, so a live view knows when a new run starts."""
    return state.get(f"{prefix}_run_number", 0)


def current_tick(state, prefix: str, default: float = TICK_SECONDS) -> float:
    """How often the page's live panel redraws now (longer on a busy server)."""
    return state.get(f"{prefix}_tick", default)


def is_running(state, prefix: str) -> bool:
    return bool(state.get(f"{prefix}_running"))


def one_chunk_per_tick(run, _tick: float) -> bool:
    """Train one chunk per tick, for runs so cheap that a learner would otherwise miss them. True while more remains."""
    return _first_chunk(run) if run.progress().done == 0 else run.advance()


def follow_only(run, _tick: float) -> bool:
    """Only redraw: for a second panel on a page whose first panel trains the same run. True while it trains."""
    return not run.finished


@st.cache_resource(scope="session", on_release=threading.Event.set, show_spinner=False)
def _session_closed() -> threading.Event:
    """An event set when this browser session's connection closes. Streamlit releases a session's
    session-scoped resources at that moment (its state is kept a while longer, for a reconnect)."""
    return threading.Event()


def in_background(prefix: str) -> Callable[[object, float], bool]:
    """A tick trainer whose ticks only redraw: the first starts a worker thread that trains the run
    (core.engine.background); later ticks tell it the page is still looking. True while it trains."""

    def tick(run, _tick: float) -> bool:
        state = st.session_state
        worker = state.get(f"{prefix}_worker")
        # A worker also stops when its page was not looked at for a while (the learner was on another
        # page) or its session's connection closed: coming back (or reconnecting) carries on with a new one.
        idled_out = worker is not None and not worker.training and worker.error is None and not run.finished
        if worker is None or worker.run is not run or idled_out:
            closed = _session_closed()
            worker = state[f"{prefix}_worker"] = BackgroundTraining(run, lambda: not closed.is_set())
        worker.seen()
        return worker.training

    return tick


def why_it_stopped(state, prefix: str, run) -> str | None:
    """Why the page's run stopped before its end, in words: its failure, or its worker thread's error; else None."""
    worker = state.get(f"{prefix}_worker")
    if worker is not None and worker.run is run and worker.error is not None:
        return unexpected_stop(worker.error)
    return stop_reason(run)


def _draw(state, prefix: str, run, draw, training: bool, explains_stops: bool) -> None:
    """Why the run stopped early, if it did, or what to do about a run the learner stopped, then the page's
    drawing; a paused or stopped run's progress bar says which."""
    reason = None if run is None else why_it_stopped(state, prefix, run)
    if reason and explains_stops:
        st.error(reason)
    resting = run is not None and not training and not run.finished and not reason and run.progress().done > 0
    word = STOPPED if state.get(f"{prefix}_stopped") else PAUSED
    if resting and word == STOPPED and explains_stops:
        st.info(stopped_by_learner(run.progress()))
    token = _resting_run.set((run, word) if resting else None)
    try:
        draw(run)
    finally:
        _resting_run.reset(token)


def _longer_tick(tick: float, took: float) -> float:
    """The tick doubled until a tick that took `took` seconds fits in it (at most MAX_TICK_SECONDS): on a busy
    server one full rerun reaches the right tick, where one per doubling cost every learner several."""
    while took > 0.8 * tick and tick < MAX_TICK_SECONDS:
        tick = min(2 * tick, MAX_TICK_SECONDS)
    return tick


# Streamlit fades every element of a fragment while the fragment reruns, until its new copy arrives. A live panel
# reruns every tick and trains first, so its texts, numbers and pictures faded to a third and back twice a second
# (measured in Chromium: up to 26 elements of the lab at once). While a run trains, they stay as they are.
STEADY_WHILE_TRAINING = (
    '<style>[data-testid="stElementContainer"][data-stale="true"] { opacity: 1 !important; transition: none; }</style>'
)


def panel(
    prefix: str,
    draw,
    *,
    train_tick=train_for_half_a_tick,
    tick_seconds: float = TICK_SECONDS,
    explains_stops: bool = True,
) -> None:
    """Draw the page's results with `draw(run)`; while the run trains, call `train_tick(run, tick)` every tick
    (it returns True while there is more to do) and redraw. Why a run stopped early is shown above the drawing
    (`explains_stops=False` for a second panel of the same run, so that it is said once)."""
    state = st.session_state
    tick = state.get(f"{prefix}_tick", tick_seconds)
    if state.get(f"{prefix}_running"):
        st.html(STEADY_WHILE_TRAINING)

    @st.fragment(run_every=tick if state.get(f"{prefix}_running") else None)
    def live_panel():
        # A rerun of this fragment alone does not pass through app.py: it takes its turn to import and shows a
        # failure in the learner's words itself.
        with first_minute.one_importer_at_a_time():
            try:
                _live_panel()
            except Exception as error:  # st.rerun is a BaseException and passes through
                state[f"{prefix}_running"] = False
                failures.show_failure(error)

    def _live_panel():
        started = time.perf_counter()
        run = state.get(f"{prefix}_run")
        training = bool(state.get(f"{prefix}_running")) and run is not None
        if training and not train_tick(run, tick):
            state[f"{prefix}_running"] = False
            st.rerun()  # a full rerun redraws without the timer
        _draw(state, prefix, run, draw, training, explains_stops)
        took = time.perf_counter() - started
        overran = training and took > 0.8 * tick and tick < MAX_TICK_SECONDS
        state[f"{prefix}_overruns"] = state.get(f"{prefix}_overruns", 0) + 1 if overran else 0
        if state[f"{prefix}_overruns"] >= OVERRUNS_BEFORE_A_LONGER_TICK:
            state[f"{prefix}_tick"], state[f"{prefix}_overruns"] = _longer_tick(tick, took), 0
            st.rerun()  # re-declare the fragment with the longer tick

    live_panel()
