"""JAX process settings shared by the whole engine: the persistent compilation cache.

A restarted server reads compiled chunks from disk instead of paying the compile again.
"""

from __future__ import annotations

import os
from pathlib import Path

import jax

CACHE_ENV = "TRAINLAB_JAX_CACHE"


def enable_compilation_cache() -> None:
    """Point JAX's persistent cache at a per-user folder (override with $TRAINLAB_JAX_CACHE)."""
    folder = Path(os.environ.get(CACHE_ENV, Path.home() / ".cache" / "trainlab" / "jax"))
    folder.mkdir(parents=True, exist_ok=True)
    jax.config.update("jax_compilation_cache_dir", str(folder))
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.0)
    jax.config.update("jax_persistent_cache_min_entry_size_bytes", 0)
