"""Loss, the jitted training chunk and held-out evaluation for the token model.

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
from core.lm.token_data import TokenStream

# Windows (each holding a whole advert) per fine-tuning step. Measured over 5 seeds (bench/lm_recipes.json): at a
# fixed budget of time, more steps on 2 windows teach the whole layout better than fewer steps on 4 or 8, and a
# step of both models takes about 0.3 s on two cores, so the page shows new numbers every half second.
BATCH_SIZE = 2
CHUNK_STEPS = 1  # per model: two models train side by side and a page shows new numbers every half second
STREAM_CAPACITY = 2**16  # tokens: room for the largest fine-tuning set, so every set shares one compile
STARTS_CAPACITY = 128  # text starts: room for the largest fine-tuning set (100 adverts)
EVAL_WINDOWS = 8  # held-out windows (a whole context each) per evaluation set


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
    """A training text stream, where its texts start, and two fixed held-out sets, as jit inputs."""

    stream: jax.Array  # (capacity,) int32 token ids; only the first n_tokens are real
    n_tokens: jax.Array  # int32 scalar
    starts: jax.Array  # (starts capacity,) int32: where the texts of the stream start; only the first n_starts are real
    n_starts: jax.Array  # int32 scalar
    start_share: jax.Array  # float32 scalar: the share of a batch's windows that start where a text starts
    heldout_style: jax.Array  # (EVAL_WINDOWS, context + 1) held-out texts in the target style
    heldout_general: jax.Array  # (EVAL_WINDOWS, context + 1) held-out general English
    weights: jax.Array | None = None  # (capacity,) float32 loss weight of each token of the stream; None: all 1


def evaluation_windows(stream: TokenStream, context: int, count: int = EVAL_WINDOWS) -> np.ndarray:
    """`count` windows of context + 1 tokens, a fixed sample of a held-out stream: starting at its texts' starts
    (evenly chosen among those with a whole window after them) when it has that many texts, else evenly spaced."""
    tokens, last = stream.tokens, len(stream.tokens) - context - 1
    if last < 0:
        raise ValueError(f"the held-out text is shorter than {context + 1} tokens")
    text_starts = stream.starts[stream.starts <= last]
    if len(text_starts) >= count:
        starts = text_starts[np.linspace(0, len(text_starts) - 1, count).astype(int)]
    else:
        starts = np.linspace(0, last, count).astype(int)
    return np.stack([tokens[s : s + context + 1] for s in starts]).astype(np.int32)


def _padded(values: np.ndarray, capacity: int | None, what: str, dtype=np.int32) -> np.ndarray:
    capacity = capacity or len(values)
    if len(values) > capacity:
        raise ValueError(f"the training text has more than {capacity:,} {what}")
    padded = np.zeros(capacity, dtype)
    padded[: len(values)] = values
    return padded


def make_data(
    stream: TokenStream,
    heldout_style: TokenStream,
    heldout_general: TokenStream,
    context: int,
    capacity: int | None = STREAM_CAPACITY,
    starts_capacity: int | None = STARTS_CAPACITY,
    start_share: float = 0.5,
) -> LMData:
    """Jit inputs; the stream and its starts are padded to their capacities (None: their own lengths) so that
    their shapes stay fixed."""
    return LMData(
        jnp.asarray(_padded(stream.tokens, capacity, "tokens")),
        jnp.asarray(len(stream.tokens), jnp.int32),
        jnp.asarray(_padded(stream.starts, starts_capacity, "texts")),
        jnp.asarray(len(stream.starts), jnp.int32),
        jnp.asarray(start_share, jnp.float32),
        jnp.asarray(evaluation_windows(heldout_style, context)),
        jnp.asarray(evaluation_windows(heldout_general, context)),
        None if stream.weights is None else jnp.asarray(_padded(stream.weights, capacity, "tokens", np.float32)),
    )


def loss_of(config: LMConfig, params, windows: jax.Array, weights: jax.Array | None = None) -> jax.Array:
    """Mean next-token cross-entropy (nats) over windows (batch, context + 1); with `weights` (batch, context), the
    loss weight of each predicted token, their weighted mean."""
    logits = model_of(config, params)(windows[:, :-1])
    losses = optax.softmax_cross_entropy_with_integer_labels(logits, windows[:, 1:])
    return losses.mean() if weights is None else (losses * weights).sum() / jnp.maximum(weights.sum(), 1e-6)


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


def random_windows(key, data: LMData, batch_size: int, window: int) -> tuple[jax.Array, jax.Array | None]:
    """batch_size windows of window + 1 tokens: the first (data.start_share of them) start where a text starts, so
    the model learns a text from its first line on, the rest anywhere in the real part of the stream; and the loss
    weights of the tokens each window predicts (its last `window`), None when the stream has none."""
    text_key, anywhere_key = jax.random.split(key)
    last = jnp.maximum(data.n_tokens - window - 1, 0)
    text_starts = data.starts[jax.random.randint(text_key, (batch_size,), 0, jnp.maximum(data.n_starts, 1))]
    anywhere = jax.random.randint(anywhere_key, (batch_size,), 0, last + 1)
    from_text_starts = jnp.arange(batch_size) < jnp.round(data.start_share * batch_size)
    starts = jnp.minimum(jnp.where(from_text_starts, text_starts, anywhere), last)
    positions = starts[:, None] + jnp.arange(window + 1)[None, :]
    return data.stream[positions], None if data.weights is None else data.weights[positions[:, 1:]]


def train_step(state: LMState, data: LMData, config: LMConfig, batch_size: int, window: int, batch_sharding=None):
    """One Adam step on a random batch. Returns the new state and the batch loss before the step.
    With a `batch_sharding` the batch is split over devices (data parallel: each device computes the gradient of
    its part, and XLA adds them up)."""
    key, batch_key = jax.random.split(state.key)
    windows, weights = random_windows(batch_key, data, batch_size, window)
    if batch_sharding is not None:
        windows = jax.lax.with_sharding_constraint(windows, batch_sharding)
    loss, grads = jax.value_and_grad(lambda p: loss_of(config, p, windows, weights))(state.params)
    updates, opt_state = OPTIMIZER.update(grads, state.opt_state, state.params)
    return LMState(optax.apply_updates(state.params, updates), opt_state, key, state.step + 1), loss


def heldout_losses(config: LMConfig, params, data: LMData) -> dict:
    return {
        "heldout_style_loss": loss_of(config, params, data.heldout_style),
        "heldout_general_loss": loss_of(config, params, data.heldout_general),
    }


def _not_measured(config: LMConfig, params, data: LMData) -> dict:
    return {"heldout_style_loss": jnp.float32(jnp.nan), "heldout_general_loss": jnp.float32(jnp.nan)}


@partial(jax.jit, static_argnames=("config", "batch_size", "chunk_steps", "window", "batch_sharding"))
def train_chunk(
    state: LMState,
    data: LMData,
    step_limit,
    measure_heldout=True,
    *,
    config: LMConfig,
    batch_size: int = BATCH_SIZE,
    chunk_steps: int = CHUNK_STEPS,
    window: int | None = None,
    batch_sharding=None,
):
    """Up to `chunk_steps` training steps, then (if `measure_heldout`) the held-out losses.

    Static: config, batch_size, chunk_steps, window (tokens a training window holds: the model's context when None,
    fewer when every training text fits fewer), batch_sharding (None, or how to split each batch over devices; see
    train_step). Traced: state, data (stream shape (capacity,)),
    step_limit (int32 scalar; steps at or past it are skipped, so any step budget reuses this compile),
    measure_heldout (bool; measuring costs about as much as one training step, so a page measures
    every few chunks). Returns the new state and {"train_loss": (chunk_steps,) with NaN for skipped
    steps, "heldout_style_loss": (), "heldout_general_loss": ()}, the last two NaN when not measured.
    """

    def one_step(state, _):
        return jax.lax.cond(
            state.step < step_limit,
            lambda s: train_step(s, data, config, batch_size, window or config.context, batch_sharding),
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
