"""core.engine.jax_setup: compiled code is kept in the folder $TRAINLAB_JAX_CACHE names."""

from tests.jit_support import run_in_fresh_python

COMPILE_ONE_FUNCTION = """
import json
import jax
import jax.numpy as jnp
from core.engine import jax_setup

folder = jax_setup.enable_compilation_cache()
jax.jit(lambda x: jnp.tanh(x) * 3)(jnp.arange(5.0)).block_until_ready()
print(json.dumps({"folder": str(folder)}))
"""


def test_the_compile_cache_is_written_where_the_environment_says(tmp_path):
    folder = tmp_path / "jax-cache"
    reported = run_in_fresh_python(COMPILE_ONE_FUNCTION, folder)
    assert reported["folder"] == str(folder)
    assert any(path.is_file() for path in folder.rglob("*")), "no compiled code was written to the cache folder"
