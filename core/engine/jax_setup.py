"""JAX process settings shared by the whole engine: the persistent compilation cache.

A restarted server reads compiled chunks from disk instead of paying the compile again. Entry points call
`enable_compilation_cache()` once (app.py, the tests' conftest, the benchmarks); importing the engine
changes no global setting.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import jax

CACHE_ENV = "TRAINLAB_JAX_CACHE"


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
