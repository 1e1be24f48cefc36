"""Loss, the jitted training chunk and held-out evaluation for the character model.

One `train_chunk` call runs a fixed number of optimizer steps inside `jax.lax.scan` under one
`jax.jit` and, when asked, measures the held-out losses, so a page can redraw between chunks. The
learning rate, the seed and whether to measure are traced values (moving a slider never recompiles);
the architecture, batch size, chunk length and the capacity of the text stream are static.
"""

from __future__ import annotations

from functools import partial
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
import optax

from core.lm.model import LMConfig, init_params, model_of

BATCH_SIZE = 8
CHUNK_STEPS = 3  # per model: two models train side by side and a page redraws every half second
STREAM_CAPACITY = 2**17  # characters: room for the largest fine-tuning set, so every set shares one compile
EVAL_WINDOWS = 16  # held-out windows per evaluation set


def _adam_with_clipping(learning_rate):
    # Clipping keeps a too-high learning rate from turning one bad batch into NaN parameters at once.
    return optax.chain(optax.clip_by_global_norm(1.0), optax.adam(learning_rate))


# Built once: a rebuilt Optax transformation is a new static object and would recompile.
OPTIMIZER = optax.inject_hyperparams(_adam_with_clipping)(learning_rate=1e-3)


class LMState(NamedTuple):
    params: object
    opt_state: object
    key: jax.Array
    step: jax.Array  # int32 scalar: optimizer steps done


class LMData(NamedTuple):
    """A training text stream and two fixed held-out sets, as jit inputs."""

    stream: jax.Array  # (capacity,) int32 token ids; only the first n_tokens are real
    n_tokens: jax.Array  # int32 scalar
    heldout_style: jax.Array  # (EVAL_WINDOWS, context + 1) held-out texts in the target style
    heldout_general: jax.Array  # (EVAL_WINDOWS, context + 1) held-out general English


def evaluation_windows(tokens: np.ndarray, context: int, count: int = EVAL_WINDOWS) -> np.ndarray:
    """`count` evenly spaced windows of context + 1 tokens: a fixed sample of a held-out text."""
    starts = np.linspace(0, len(tokens) - context - 1, count).astype(int)
    return np.stack([tokens[s : s + context + 1] for s in starts]).astype(np.int32)


def make_data(
    stream: np.ndarray,
    heldout_style: np.ndarray,
    heldout_general: np.ndarray,
    context: int,
    capacity: int | None = STREAM_CAPACITY,
) -> LMData:
    """Jit inputs; the stream is padded to `capacity` (None: its own length) so its shape stays fixed."""
    capacity = capacity or len(stream)
    if len(stream) > capacity:
        raise ValueError(f"the training text is longer than {capacity:,} characters")
    padded = np.zeros(capacity, np.int32)
    padded[: len(stream)] = stream
    return LMData(
        jnp.asarray(padded),
        jnp.asarray(len(stream), jnp.int32),
        jnp.asarray(evaluation_windows(heldout_style, context)),
        jnp.asarray(evaluation_windows(heldout_general, context)),
    )


def loss_of(config: LMConfig, params, windows: jax.Array) -> jax.Array:
    """Mean next-character cross-entropy (nats) over windows (batch, context + 1)."""
    logits = model_of(config, params)(windows[:, :-1])
    return optax.softmax_cross_entropy_with_integer_labels(logits, windows[:, 1:]).mean()


@partial(jax.jit, static_argnames=("config",))
def init_lm_state(params, learning_rate, seed, *, config: LMConfig) -> LMState:
    """Optimizer state around given parameters. Static: config. Traced: params, learning_rate, seed."""
    opt_state = OPTIMIZER.init(params)
    opt_state.hyperparams["learning_rate"] = jnp.asarray(learning_rate, jnp.float32)
    return LMState(params, opt_state, jax.random.key(seed), jnp.zeros((), jnp.int32))


@partial(jax.jit, static_argnames=("config",))
def fresh_params(seed, *, config: LMConfig):
    """Untrained parameters for a seed (traced), built inside the jit. Static: config."""
    return init_params(config, jax.random.fold_in(jax.random.key(seed), 1))


def random_windows(key, data: LMData, batch_size: int, context: int) -> jax.Array:
    """batch_size windows of context + 1 tokens at random places in the real part of the stream."""
    starts = jax.random.randint(key, (batch_size,), 0, jnp.maximum(data.n_tokens - context - 1, 1))
    return data.stream[starts[:, None] + jnp.arange(context + 1)[None, :]]


def train_step(state: LMState, data: LMData, config: LMConfig, batch_size: int):
    """One Adam step on a random batch. Returns the new state and the batch loss before the step."""
    key, batch_key = jax.random.split(state.key)
    windows = random_windows(batch_key, data, batch_size, config.context)
    loss, grads = jax.value_and_grad(lambda p: loss_of(config, p, windows))(state.params)
    updates, opt_state = OPTIMIZER.update(grads, state.opt_state, state.params)
    return LMState(optax.apply_updates(state.params, updates), opt_state, key, state.step + 1), loss


def heldout_losses(config: LMConfig, params, data: LMData) -> dict:
    return {
        "heldout_style_loss": loss_of(config, params, data.heldout_style),
        "heldout_general_loss": loss_of(config, params, data.heldout_general),
    }


def _not_measured(config: LMConfig, params, data: LMData) -> dict:
    return {"heldout_style_loss": jnp.float32(jnp.nan), "heldout_general_loss": jnp.float32(jnp.nan)}


@partial(jax.jit, static_argnames=("config", "batch_size", "chunk_steps"))
def train_chunk(
    state: LMState,
    data: LMData,
    step_limit,
    measure_heldout=True,
    *,
    config: LMConfig,
    batch_size: int = BATCH_SIZE,
    chunk_steps: int = CHUNK_STEPS,
):
    """Up to `chunk_steps` training steps, then (if `measure_heldout`) the held-out losses.

    Static: config, batch_size, chunk_steps. Traced: state, data (stream shape (capacity,)),
    step_limit (int32 scalar; steps at or past it are skipped, so any step budget reuses this compile),
    measure_heldout (bool; measuring costs about as much as one training step, so a page measures
    every few chunks). Returns the new state and {"train_loss": (chunk_steps,) with NaN for skipped
    steps, "heldout_style_loss": (), "heldout_general_loss": ()}, the last two NaN when not measured.
    """

    def one_step(state, _):
        return jax.lax.cond(
            state.step < step_limit,
            lambda s: train_step(s, data, config, batch_size),
            lambda s: (s, jnp.float32(jnp.nan)),
            state,
        )

    state, train_loss = jax.lax.scan(one_step, state, None, length=chunk_steps)
    heldout = jax.lax.cond(
        measure_heldout, partial(heldout_losses, config), partial(_not_measured, config), state.params, data
    )
    return state, {"train_loss": train_loss, **heldout}


@partial(jax.jit, static_argnames=("config",))
def evaluate(params, data: LMData, *, config: LMConfig) -> dict:
    """The held-out losses of some parameters. Static: config."""
    return heldout_losses(config, params, data)


@partial(jax.jit, static_argnames=("config",))
def windows_loss(params, windows, *, config: LMConfig):
    """Mean cross-entropy on windows (n, context + 1). Static: config."""
    return loss_of(config, params, windows)
