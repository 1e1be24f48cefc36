"""A look inside a running Streamlit server, for bench.sessions: what per-session objects are still alive.

bench.sessions starts the server with this module imported at interpreter start (a `sitecustomize` in a
temporary folder imports it). It installs a SIGUSR1 handler; each signal collects garbage and writes a
JSON report to the file named by TRAINLAB_PROBE_REPORT: live threads, Streamlit sessions (connected and
kept for reconnection), the lessons' run objects, the training workers, JAX's live buffers, and how much
of the C heap is free but kept by the allocator. SIGUSR2 first hands that free heap back to the system
(glibc's malloc_trim), to tell memory in use from memory the process merely still holds.
"""

from __future__ import annotations

import ctypes
import gc
import json
import os
import signal
import sys
import threading
from collections import Counter

REPORT_ENV = "TRAINLAB_PROBE_REPORT"
# Objects that belong to one session: Streamlit's own, and every lesson's run and worker.
COUNTED = (
    "SessionState",
    "ScriptRunner",
    "BackgroundTraining",
    "TrainingRun",
    "ScenarioRun",
    "Stepper",
    "FineTuneRun",
)


def _sessions() -> dict:
    """Sessions the server knows (connected, or disconnected and kept for a reconnect), and session objects
    still alive that it no longer knows: something else holds those."""
    from streamlit import runtime
    from streamlit.runtime.app_session import AppSession

    if not runtime.exists():
        return {}
    manager = runtime.get_instance()._session_mgr  # noqa: SLF001 (a benchmark's look inside, not app code)
    known = {info.session.id for info in manager.list_sessions()}
    alive = [obj for obj in gc.get_objects() if isinstance(obj, AppSession)]
    return {
        "connected": len(manager.list_active_sessions()),
        "connected_or_kept": len(known),
        "alive_but_unknown": [_holders(session) for session in alive if session.id not in known],
    }


def _files() -> dict:
    """Uploaded files and media files (downloads, images) the server holds, and for how many sessions."""
    from streamlit import runtime

    if not runtime.exists():
        return {}
    uploads = runtime.get_instance().uploaded_file_mgr.file_storage
    media = runtime.get_instance().media_file_mgr
    upload_bytes = sum(len(record.data) for files in uploads.values() for record in files.values())
    return {
        "upload_sessions": len(uploads),
        "upload_mb": round(upload_bytes / 2**20, 2),
        "media_files": len(media._file_metadata),  # noqa: SLF001
        "media_sessions": len(media._files_by_session_and_coord),  # noqa: SLF001
    }


def _holders(obj) -> list[str]:
    """What refers to `obj` (type names, frames and the probe's own lists left out)."""
    return sorted(
        type(holder).__name__ for holder in gc.get_referrers(obj) if type(holder).__name__ not in ("frame", "list")
    )


def _jax_buffers() -> dict:
    if "jax" not in sys.modules:
        return {}
    arrays = sys.modules["jax"].live_arrays()
    return {"live_arrays": len(arrays), "live_array_mb": round(sum(a.nbytes for a in arrays) / 2**20, 1)}


class _MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks")
    ] + [("keepcost", ctypes.c_size_t)]


def _heap() -> dict:
    """glibc's view of the C heap (JAX's buffers, NumPy's arrays): what is in use, and what is free but kept."""
    libc = ctypes.CDLL("libc.so.6")
    libc.mallinfo2.restype = _MallInfo2
    info = libc.mallinfo2()
    return {
        "in_use_mb": round((info.uordblks + info.hblkhd) / 2**20, 1),
        "free_in_arenas_mb": round(info.fordblks / 2**20, 1),
    }


def report() -> dict:
    gc.collect()
    names = Counter(type(obj).__name__ for obj in gc.get_objects())
    return {
        "threads": sorted(thread.name for thread in threading.enumerate()),
        "objects": {name: names[name] for name in COUNTED if names[name]},
        "sessions": _sessions(),
        "jax": _jax_buffers(),
        "files": _files(),
        "heap": _heap(),
    }


def _trim_and_write_report(signal_number, frame) -> None:
    gc.collect()
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    _write_report(signal_number, frame)


def _write_report(_signal, _frame) -> None:
    path = os.environ[REPORT_ENV]
    with open(f"{path}.part", "w") as out:
        json.dump(report(), out)
    os.replace(f"{path}.part", path)  # the reader sees the whole report or none


def install() -> None:
    if os.environ.get(REPORT_ENV):
        signal.signal(signal.SIGUSR1, _write_report)
        signal.signal(signal.SIGUSR2, _trim_and_write_report)
