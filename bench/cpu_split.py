"""Where a Streamlit server's CPU seconds go, for bench.capacity: a sampling profiler that runs inside it.

bench.capacity starts the server with this module imported at interpreter start (a `sitecustomize` in a
temporary folder imports it). SIGUSR1 starts a measurement, SIGUSR2 ends it and writes a JSON report to the
file named by TRAINLAB_CPU_SPLIT_REPORT.

Every SAMPLE_SECONDS a thread reads the CPU clock of every Python thread (ns resolution) and charges what
each spent since the last sample to the part of the code its stack is in now (`CATEGORIES`: the innermost
frame that matches decides, so Plotly's JSON encoding called by Streamlit counts as chart serialisation).
Threads that run no Python (XLA's compute threads) are charged whole, by their name, from /proc. py-spy and
yappi are not installed here, and cProfile sees one thread and slows it several times; sampling CPU clocks
costs about a percent and sees every thread.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from collections import Counter

REPORT_ENV = "TRAINLAB_CPU_SPLIT_REPORT"
SAMPLE_SECONDS = 0.005
# (category, path fragments, function names): the innermost frame matching either decides.
CATEGORIES = (
    ("protobuf serialisation", (), ("serialize_forward_msg", "SerializeToString", "populate_hash_if_needed")),
    ("charts: Plotly to JSON", ("plotly/io/_json", "_plotly_utils"), ("to_json", "to_plotly_json")),
    ("charts: building Plotly figures", ("/plotly/", "/ui/charts/"), ()),
    ("live view payload", ("/ui/live_view.py",), ()),
    ("training: JAX (jitted chunk, dispatch)", ("/jax/", "/jaxlib/", "/flax/", "/optax/"), ()),
    ("engine: data and history (NumPy)", ("/core/engine/",), ()),
    ("lesson logic (readings, pins, tasks)", ("/core/lessons/",), ()),
    ("reruns: Streamlit elements and runtime", ("/streamlit/",), ()),
    ("reruns: page and ui code", ("/pages/", "/ui/", "app.py"), ()),
)


def _category(frame) -> tuple[str, str]:
    """The category of a stack, and its innermost frame of this project (where to look)."""
    innermost_own = ""
    while frame is not None:
        path, name = frame.f_code.co_filename, frame.f_code.co_name
        if not innermost_own and _is_own(path):
            innermost_own = f"{os.path.basename(path)}:{name}"
        for category, fragments, names in CATEGORIES:
            if name in names or any(fragment in path for fragment in fragments):
                return category, _own_frame(frame, innermost_own) or _place(frame)
        frame = frame.f_back
    return "", innermost_own


def _is_own(path: str) -> bool:
    return any(part in path for part in ("/core/", "/ui/", "/pages/")) or path.endswith("app.py")


def _place(frame) -> str:
    """A library frame as package/module:function, for stacks that hold none of the project's code."""
    parts = frame.f_code.co_filename.split("/")
    return f"{'/'.join(parts[-2:])}:{frame.f_code.co_name}"


def _own_frame(frame, found: str) -> str:
    """The innermost frame of the project's own code at or above `frame`."""
    while not found and frame is not None:
        if _is_own(frame.f_code.co_filename):
            found = f"{os.path.basename(frame.f_code.co_filename)}:{frame.f_code.co_name}"
        frame = frame.f_back
    return found


def _thread_cpu(ident: int) -> float:
    try:
        return time.clock_gettime(time.pthread_getcpuclockid(ident))
    except (OSError, ValueError):
        return 0.0


def _native_threads() -> dict[int, tuple[str, float]]:
    """Every thread of this process: tid -> (name, CPU seconds), from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    threads = {}
    for tid in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{tid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            with open(f"/proc/self/task/{tid}/comm") as comm:
                name = comm.read().strip()
        except OSError:
            continue
        threads[int(tid)] = (name, (int(fields[11]) + int(fields[12])) / ticks)
    return threads


class Sampler:
    def __init__(self):
        self.stop_event = threading.Event()
        self.by_category: Counter = Counter()
        self.by_frame: Counter = Counter()
        self.by_thread_kind: Counter = Counter()
        self.native_before = _native_threads()
        self.process_before = time.process_time()
        self.started = time.monotonic()
        self.thread = threading.Thread(target=self._loop, name="cpu-split-sampler", daemon=True)
        self.thread.start()

    def _loop(self) -> None:
        last: dict[int, float] = {}
        while not self.stop_event.wait(SAMPLE_SECONDS):
            frames = sys._current_frames()  # noqa: SLF001 (a profiler's look at every thread)
            for thread in threading.enumerate():
                if thread.ident not in frames or thread is threading.current_thread():
                    continue
                now = _thread_cpu(thread.ident)
                spent, last[thread.ident] = now - last.get(thread.ident, now), now
                if spent <= 0:
                    continue
                category, own = _category(frames[thread.ident])
                kind = "ScriptRunner" if thread.name.startswith("ScriptRunner") else thread.name
                self.by_category[category or f"other Python ({kind})"] += spent
                self.by_frame[f"{category or kind} @ {own or '-'}"] += spent
                self.by_thread_kind[kind] += spent

    def report(self) -> dict:
        self.stop_event.set()
        self.thread.join()
        python_ids = {thread.native_id for thread in threading.enumerate()}
        native: Counter = Counter()
        for tid, (name, seconds) in _native_threads().items():
            if tid not in python_ids:
                native[name] += seconds - self.native_before.get(tid, (name, 0.0))[1]
        process = time.process_time() - self.process_before
        rounded = lambda counter, n=None: {k: round(v, 2) for k, v in counter.most_common(n) if v >= 0.01}  # noqa: E731
        return {
            "wall_seconds": round(time.monotonic() - self.started, 1),
            "process_cpu_seconds": round(process, 2),
            "python_threads_by_category": rounded(self.by_category),
            "native_threads_by_name": rounded(native),
            "python_threads_by_kind": rounded(self.by_thread_kind),
            "top_places": rounded(self.by_frame, 40),
            "sample_seconds": SAMPLE_SECONDS,
        }


_sampler: list[Sampler] = []


def _start(*_) -> None:
    _sampler[:] = [Sampler()]


def _write(*_) -> None:
    if not _sampler:
        return
    report = _sampler.pop().report()
    # Written on a side thread: the signal arrives on the server's event loop thread.
    path = os.environ[REPORT_ENV]
    with open(path + ".part", "w") as file:
        json.dump(report, file, indent=2)
    os.replace(path + ".part", path)


def install() -> None:
    if REPORT_ENV in os.environ:
        signal.signal(signal.SIGUSR1, _start)
        signal.signal(signal.SIGUSR2, lambda *_: threading.Thread(target=_write, daemon=True).start())
