"""Writing text with the token model: jitted sampling with a key-value cache, and the slow reference.

`sample` feeds the prompt and then its own output back one token at a time inside one
`lax.scan`; each step only computes the new token's keys and values and reads the rest from
the cache. `sample_by_recomputing` runs the whole window through the model for every token:
the same text, several times slower, kept as the reference the fast path is tested and timed against.
"""

from __future__ import annotations

from functools import partial

import jax
import jax.numpy as jnp
import numpy as np

from core.lm.model import LMConfig, empty_cache, model_of
from core.lm.token_data import decode, encode

# Prompts are padded to the smaller of these lengths (in tokens) that holds them, so all prompts share two compiles:
# the house prompt (16 tokens) and a whole first line typed by a learner (up to 63 characters, at most 64 tokens).
PROMPT_CAPACITIES = (16, 64)
PROMPT_CAPACITY = PROMPT_CAPACITIES[-1]  # the longest prompt; longer ones keep their last tokens
# A whole advert is 230-480 tokens; the longest prompt and 448 tokens fill the 512-token context exactly, so the
# model sees the whole prompt while it writes.
ADVERT_TOKENS = 448
SAMPLE_LENGTHS = (ADVERT_TOKENS,)
MIN_TEMPERATURE = 0.05


def _next_token(logits, key, temperature):
    return jax.random.categorical(key, logits / jnp.maximum(temperature, MIN_TEMPERATURE), axis=-1)


def _prompt_buffer(prompt: str, length: int) -> tuple[np.ndarray, int]:
    """The prompt's tokens in a zero-padded buffer of (prompt capacity) + length, and the prompt's length."""
    tokens = encode(prompt)[-PROMPT_CAPACITY:]
    if len(tokens) == 0:
        raise ValueError("the prompt needs at least one token")
    capacity = next(size for size in PROMPT_CAPACITIES if size >= len(tokens))
    buffer = np.zeros(capacity + length, np.int32)
    buffer[: len(tokens)] = tokens
    return buffer, len(tokens)


def _choose(tokens, position, prompt_length, logits, key, temperature):
    """The token at position + 1: the prompt's own while inside the prompt, otherwise a sampled one."""
    sampled = _next_token(logits, key, temperature)[0]
    chosen = jnp.where(position + 1 < prompt_length, tokens[position + 1], sampled)
    return tokens.at[position + 1].set(chosen)


@partial(jax.jit, static_argnames=("config", "length"))
def sample_tokens(params, tokens, prompt_length, seed, temperature, *, config: LMConfig, length: int):
    """Continue a prompt by `length` tokens using the KV cache.

    Static: config, length. Traced: params, tokens ((capacity + length,) int32 with capacity one of
    PROMPT_CAPACITIES, the prompt at the start; each capacity compiles once), prompt_length (int32), seed (int),
    temperature (float). Returns the filled buffer.
    """
    model = model_of(config, params)
    keys = jax.random.split(jax.random.key(seed), tokens.shape[0] - 1)

    def one_token(carry, position):
        tokens, cache = carry
        logits, cache = model.step(tokens[position][None], position, cache)
        return (_choose(tokens, position, prompt_length, logits, keys[position], temperature), cache), None

    positions = jnp.arange(tokens.shape[0] - 1)
    (tokens, _), _ = jax.lax.scan(one_token, (tokens, empty_cache(config, 1)), positions)
    return tokens


@partial(jax.jit, static_argnames=("config", "length"))
def sample_tokens_by_recomputing(params, tokens, prompt_length, seed, temperature, *, config: LMConfig, length: int):
    """The same as `sample_tokens` without a cache: the last `context` tokens are rerun every step."""
    model = model_of(config, params)
    keys = jax.random.split(jax.random.key(seed), tokens.shape[0] - 1)

    window_size = min(config.context, tokens.shape[0])

    def one_token(tokens, position):
        start = jnp.maximum(position + 1 - window_size, 0)  # the window ends at `position` once it is full
        window = jax.lax.dynamic_slice_in_dim(tokens, start, window_size)
        logits = model(window[None])[:, position - start]
        return _choose(tokens, position, prompt_length, logits, keys[position], temperature), None

    tokens, _ = jax.lax.scan(one_token, tokens, jnp.arange(tokens.shape[0] - 1))
    return tokens


@partial(jax.jit, static_argnames=("config",))
def cached_logits(params, tokens, *, config: LMConfig):
    """Logits (time, vocab) for tokens (time,) computed one token at a time through the KV cache,
    as sampling does. Static: config. Traced: params, tokens."""
    model = model_of(config, params)

    def one_token(cache, position):
        step_logits, cache = model.step(tokens[position][None], position, cache)
        return cache, step_logits[0]

    _, all_logits = jax.lax.scan(one_token, empty_cache(config, 1), jnp.arange(tokens.shape[0]))
    return all_logits


def sample(
    config: LMConfig,
    params,
    prompt: str,
    *,
    length: int = ADVERT_TOKENS,
    temperature: float = 0.8,
    seed: int = 0,
    use_cache: bool = True,
) -> str:
    """What the model writes after `prompt` in `length` tokens (the prompt itself not included)."""
    if length not in SAMPLE_LENGTHS:
        raise ValueError(f"length must be one of {SAMPLE_LENGTHS}")
    buffer, prompt_length = _prompt_buffer(prompt, length)
    sampler = sample_tokens if use_cache else sample_tokens_by_recomputing
    tokens = sampler(
        params, jnp.asarray(buffer), prompt_length, int(seed), float(temperature), config=config, length=length
    )
    return decode(np.asarray(tokens)[prompt_length : prompt_length + length])
