"""How many times a jitted function was compiled: the one place the tests read JAX's private cache counter.

`jax.jit` keeps one compiled version per abstract signature (shapes, dtypes, static arguments); the size of
that cache is what "moving a slider never recompiles" is about. JAX exposes it only as the private
`_cache_size()`, so if a JAX release renames it, this is the only line to change. What compiles first in a
process is checked in a fresh one.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from core.engine import jax_setup

ROOT = Path(__file__).resolve().parents[1]


def compiled_count(function) -> int:
    """The number of compiled versions `function` (a `jax.jit` function) holds in this process."""
    return function._cache_size()


def run_in_fresh_python(code: str, jax_cache: Path) -> dict:
    """Run `code` in a new Python process whose persistent compile cache is the folder `jax_cache`, and return
    the JSON object it prints last. A fresh process has compiled nothing yet, which an earlier test in this
    one may already have done; an empty cache folder means nothing is read back from disk either."""
    environment = {**os.environ, jax_setup.CACHE_ENV: str(jax_cache)}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])
