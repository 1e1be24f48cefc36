"""The small transformer language model: modules only, plus how to run them on a batch or one token.

A GPT-style decoder (pre-norm blocks of causal self-attention and an MLP, tied input/output
embeddings) with rotary position encoding. Rotary positions make attention depend only on how far
apart two tokens are, which lets sampling keep a fixed-size ring buffer of keys and values
(the KV cache) and run past the training context without recomputing anything.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from functools import lru_cache, partial
from typing import NamedTuple

import jax
import jax.numpy as jnp
from flax import nnx

from core.lm.tokenizer import VOCAB_SIZE

ROPE_BASE = 10_000.0


@dataclass(frozen=True)
class LMConfig:
    """The architecture (hashable: a static jit argument). `context` is the attention window in tokens; the
    defaults are the shipped generic model's (see core.lm.pretrain for how they were chosen)."""

    vocab_size: int = VOCAB_SIZE
    context: int = 512
    width: int = 128
    heads: int = 4
    layers: int = 4

    @property
    def head_size(self) -> int:
        return self.width // self.heads

    def as_dict(self) -> dict:
        return asdict(self)


class KVCache(NamedTuple):
    """Keys and values of the last `context` tokens, per layer, in a ring buffer.

    keys, values: one (batch, context, heads, head_size) array per layer; keys are stored already rotated to
    their absolute position. slot_position: (context,) int32, the position held by each slot (-1: empty).
    A tuple of arrays per layer rather than one stacked array: a sampling loop then writes each token's keys and
    values into its slot in place, where restacking the layers copied the whole cache for every token.
    """

    keys: tuple[jax.Array, ...]
    values: tuple[jax.Array, ...]
    slot_position: jax.Array


def rotate(x: jax.Array, positions: jax.Array) -> jax.Array:
    """Rotary position encoding of x (batch, time, heads, head_size) at integer positions (time,)."""
    half = x.shape[-1] // 2
    frequencies = ROPE_BASE ** (-jnp.arange(half, dtype=jnp.float32) / half)
    angles = positions.astype(jnp.float32)[:, None] * frequencies[None, :]  # (time, half)
    cos, sin = jnp.cos(angles)[None, :, None, :], jnp.sin(angles)[None, :, None, :]
    first, second = x[..., :half], x[..., half:]
    return jnp.concatenate([first * cos - second * sin, first * sin + second * cos], axis=-1)


class SelfAttention(nnx.Module):
    def __init__(self, config: LMConfig, rngs: nnx.Rngs):
        self.query_key_value = nnx.Linear(config.width, 3 * config.width, use_bias=False, rngs=rngs)
        self.output = nnx.Linear(config.width, config.width, use_bias=False, rngs=rngs)
        self.heads, self.head_size = config.heads, config.head_size

    def project(self, x: jax.Array, positions: jax.Array):
        """Queries, keys (both rotated) and values, each (batch, time, heads, head_size)."""
        batch, time, _ = x.shape
        q, k, v = jnp.split(self.query_key_value(x).reshape(batch, time, 3 * self.heads, self.head_size), 3, axis=2)
        return rotate(q, positions), rotate(k, positions), v

    def attend(self, q, k, v, mask: jax.Array) -> jax.Array:
        """Attention of queries (b, tq, h, d) over keys/values (b, tk, h, d); mask (tq, tk) says who sees whom."""
        scores = jnp.einsum("bqhd,bkhd->bhqk", q, k) / math.sqrt(self.head_size)
        scores = jnp.where(mask[None, None], scores, -1e30)
        mixed = jnp.einsum("bhqk,bkhd->bqhd", jax.nn.softmax(scores, axis=-1), v)
        return self.output(mixed.reshape(mixed.shape[0], mixed.shape[1], -1))


class Block(nnx.Module):
    """Pre-norm transformer block: x + attention(norm(x)), then x + mlp(norm(x))."""

    def __init__(self, config: LMConfig, rngs: nnx.Rngs):
        self.attention_norm = nnx.LayerNorm(config.width, rngs=rngs)
        self.attention = SelfAttention(config, rngs)
        self.mlp_norm = nnx.LayerNorm(config.width, rngs=rngs)
        self.mlp_in = nnx.Linear(config.width, 4 * config.width, rngs=rngs)
        self.mlp_out = nnx.Linear(4 * config.width, config.width, rngs=rngs)
        self.context = config.context

    def mlp(self, x):
        return self.mlp_out(nnx.gelu(self.mlp_in(self.mlp_norm(x))))

    def __call__(self, x, positions):
        """Whole sequences x (batch, time, width): each token sees itself and the context - 1 before it
        (in training time == context, so that is all of them; longer sequences get a sliding window,
        exactly what the KV cache's ring buffer gives when sampling)."""
        return self.with_keys_and_values(x, positions)[0]

    def with_keys_and_values(self, x, positions):
        """__call__, and the keys (rotated) and values it computed, each (batch, time, heads, head_size)."""
        q, k, v = self.attention.project(self.attention_norm(x), positions)
        offset = positions[:, None] - positions[None, :]
        x = x + self.attention.attend(q, k, v, (offset >= 0) & (offset < self.context))
        return x + self.mlp(x), k, v

    def step(self, x, position, keys, values, slot_position):
        """One new token x (batch, 1, width) at `position`, attending to the cached keys and values."""
        q, k, v = self.attention.project(self.attention_norm(x), position[None])
        slot = position % keys.shape[1]
        keys = jax.lax.dynamic_update_slice_in_dim(keys, k, slot, axis=1)
        values = jax.lax.dynamic_update_slice_in_dim(values, v, slot, axis=1)
        x = x + self.attention.attend(q, keys, values, (slot_position >= 0)[None, :])
        return x + self.mlp(x), keys, values


class Transformer(nnx.Module):
    def __init__(self, config: LMConfig, rngs: nnx.Rngs):
        embedding_init = nnx.initializers.normal(0.02)
        self.embedding = nnx.Embed(config.vocab_size, config.width, embedding_init=embedding_init, rngs=rngs)
        self.blocks = nnx.List([Block(config, rngs) for _ in range(config.layers)])
        self.final_norm = nnx.LayerNorm(config.width, rngs=rngs)

    def __call__(self, tokens: jax.Array) -> jax.Array:
        """Next-token logits (batch, time, vocab) for token ids (batch, time)."""
        positions = jnp.arange(tokens.shape[1])
        x = self.embedding(tokens)
        for block in self.blocks:
            x = block(x, positions)
        return self.embedding.attend(self.final_norm(x))  # tied weights: the output reuses the embedding

    def prefill(self, tokens: jax.Array, length: jax.Array) -> tuple[jax.Array, KVCache]:
        """Logits (batch, time, vocab) for a prompt (batch, time), time <= context, computed all at once, and the KV
        cache holding its first `length` tokens (the rest is padding), ready for `step` at position `length`."""
        time, context = tokens.shape[1], self.blocks[0].context
        positions = jnp.arange(time)
        x = self.embedding(tokens)
        keys, values = [], []
        for block in self.blocks:
            x, k, v = block.with_keys_and_values(x, positions)
            keys.append(k)
            values.append(v)
        room = ((0, 0), (0, context - time), (0, 0), (0, 0))  # (batch, slots, heads, head_size)
        slots = jnp.arange(context)
        cache = KVCache(
            tuple(jnp.pad(k, room) for k in keys),
            tuple(jnp.pad(v, room) for v in values),
            jnp.where(slots < length, slots, -1),
        )
        return self.embedding.attend(self.final_norm(x)), cache

    def step(self, token: jax.Array, position: jax.Array, cache: KVCache) -> tuple[jax.Array, KVCache]:
        """Logits (batch, vocab) after one more token (batch,) at `position`, and the updated cache."""
        slot_position = cache.slot_position.at[position % cache.slot_position.shape[0]].set(position)
        x = self.embedding(token[:, None])
        keys, values = [], []
        for layer, block in enumerate(self.blocks):
            x, k, v = block.step(x, position, cache.keys[layer], cache.values[layer], slot_position)
            keys.append(k)
            values.append(v)
        logits = self.embedding.attend(self.final_norm(x))[:, 0]
        return logits, KVCache(tuple(keys), tuple(values), slot_position)


def empty_cache(config: LMConfig, batch: int) -> KVCache:
    shape = (batch, config.context, config.heads, config.head_size)
    layers = range(config.layers)
    return KVCache(
        tuple(jnp.zeros(shape) for _ in layers),
        tuple(jnp.zeros(shape) for _ in layers),
        jnp.full((config.context,), -1, jnp.int32),
    )


def init_params(config: LMConfig, key: jax.Array) -> nnx.State:
    """Fresh parameters. Call inside a jit: building a module eagerly compiles every op once."""
    return nnx.state(Transformer(config, nnx.Rngs(params=key)), nnx.Param)


@lru_cache(maxsize=8)
def graphdef_of(config: LMConfig) -> nnx.GraphDef:
    """The static structure of the model, found by shape inference alone (no real arrays)."""
    return nnx.graphdef(nnx.eval_shape(lambda: Transformer(config, nnx.Rngs(0))))


def abstract_params(config: LMConfig) -> nnx.State:
    """A new parameter tree with shapes but no values: the template a checkpoint is loaded into."""
    return nnx.state(nnx.eval_shape(lambda: Transformer(config, nnx.Rngs(0))), nnx.Param)


def model_of(config: LMConfig, params: nnx.State) -> Transformer:
    """The module with these parameters (inside a jit: merging is free there)."""
    return nnx.merge(graphdef_of(config), params)


@partial(jax.jit, static_argnames=("config",))
def logits(params, tokens, *, config: LMConfig) -> jax.Array:
    """Next-token logits (batch, time, vocab) for token ids (batch, time), all positions at once.
    Static: config. Traced: params, tokens."""
    return model_of(config, params)(tokens)


def count_params(config: LMConfig) -> int:
    return sum(leaf.size for leaf in jax.tree.leaves(abstract_params(config)))
