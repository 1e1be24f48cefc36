"""JAX process settings shared by the whole engine: the persistent compilation cache and the host devices.

A restarted server reads compiled chunks from disk instead of paying the compile again. Entry points call
`enable_compilation_cache()` and `split_host_into_devices()` once (app.py, the tests' conftest, the benchmarks);
importing the engine changes no global setting.
"""

from __future__ import annotations

import contextlib
import os
from functools import cache
from pathlib import Path

import jax

CACHE_ENV = "TRAINLAB_JAX_CACHE"
# One XLA device per core of the machine this was measured on: a batch of runs (core.engine.sweeps) split over two
# devices trains on both cores, where one device keeps a single core busy. A single run is as fast either way.
HOST_DEVICES = 2


def cache_folder() -> Path:
    """Where compiled code is kept: $TRAINLAB_JAX_CACHE, or a per-user folder."""
    return Path(os.environ.get(CACHE_ENV, Path.home() / ".cache" / "trainlab" / "jax"))


@cache
def enable_compilation_cache() -> Path:
    """Point JAX's persistent cache at `cache_folder()` (once per process; later calls return the same folder)."""
    folder = cache_folder()
    folder.mkdir(parents=True, exist_ok=True)
    jax.config.update("jax_compilation_cache_dir", str(folder))
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.0)
    jax.config.update("jax_persistent_cache_min_entry_size_bytes", 0)
    return folder


def split_host_into_devices(count: int = HOST_DEVICES) -> int:
    """Make JAX show the CPU as `count` devices. Takes effect only before JAX runs its first computation in the
    process; returns the number of devices JAX then has."""
    with contextlib.suppress(RuntimeError):  # JAX already started with its devices: it keeps them
        jax.config.update("jax_num_cpu_devices", count)
    return len(jax.devices())
