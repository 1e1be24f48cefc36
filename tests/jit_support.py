"""How many times a jitted function was compiled: the one place the tests read JAX's private cache counter.

`jax.jit` keeps one compiled version per abstract signature (shapes, dtypes, static arguments); the size of
that cache is what "moving a slider never recompiles" is about. JAX exposes it only as the private
`_cache_size()`, so if a JAX release renames it, this is the only line to change.
"""


def compiled_count(function) -> int:
    """The number of compiled versions `function` (a `jax.jit` function) holds in this process."""
    return function._cache_size()
