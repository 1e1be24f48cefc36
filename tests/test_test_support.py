"""The tests' own helpers, checked so that the tests built on them can fail."""

import jax
import jax.numpy as jnp

from tests.jit_support import compiled_count


@jax.jit
def _double(x):
    return 2 * x


def test_compiled_count_grows_with_a_new_shape_and_not_with_new_values():
    _double(jnp.zeros(3))
    before = compiled_count(_double)
    _double(jnp.ones(3))
    assert compiled_count(_double) == before
    _double(jnp.zeros(4))
    assert compiled_count(_double) == before + 1
