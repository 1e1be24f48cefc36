"""Loss, the jitted training chunk and the per-epoch metrics.

One `train_chunk` call runs a fixed number of epochs inside `jax.lax.scan` under one `jax.jit`, so
the page can redraw between chunks. What a slider moves continuously (learning rate, weight decay,
L1 strength, seed, the labels after noise, the training-set size, the epoch budget) enters as traced values;
only shapes and structure (architecture, optimizer, batch size, chunk length) are static.
"""

from __future__ import annotations

from functools import partial
from typing import NamedTuple

import jax
import jax.numpy as jnp
import optax

from core.engine.models import Architecture, apply_model, init_params

CHUNK_EPOCHS = 10
BATCH_SIZES = (16, 32, 64, 128)


def _add_sign_of_params(scale) -> optax.GradientTransformation:
    """Add scale·sign(param) to every update: the (sub)gradient of an L1 penalty scale·Σ|param|."""

    def update(updates, state, params):
        return jax.tree.map(lambda u, p: u + scale * jnp.sign(p), updates, params), state

    return optax.GradientTransformation(lambda params: optax.EmptyState(), update)


def _adamw_with_l1(learning_rate, weight_decay, l1_strength):
    # L1 is applied after Adam's scaling, like AdamW's weight decay: Adam would otherwise rescale the pull
    # towards zero by each parameter's gradient history. With l1_strength 0 this is exactly optax.adamw.
    return optax.chain(
        optax.adamw(learning_rate, weight_decay=weight_decay), _add_sign_of_params(-learning_rate * l1_strength)
    )


def _sgd_with_weight_decay(learning_rate, weight_decay, l1_strength):
    return optax.chain(
        optax.add_decayed_weights(weight_decay),
        _add_sign_of_params(l1_strength),
        optax.sgd(learning_rate, momentum=0.9),
    )


# Built once: a rebuilt Optax transformation is a new static object and would recompile.
OPTIMIZERS = {
    "adam": optax.inject_hyperparams(_adamw_with_l1)(learning_rate=1e-3, weight_decay=0.0, l1_strength=0.0),
    "sgd": optax.inject_hyperparams(_sgd_with_weight_decay)(learning_rate=1e-2, weight_decay=0.0, l1_strength=0.0),
}


class TrainState(NamedTuple):
    params: object
    opt_state: object
    key: jax.Array
    epoch: jax.Array  # int32 scalar: epochs completed


class DeviceData(NamedTuple):
    """Arrays of core.engine.data.TrainingData plus the clean held-out set, as jit inputs."""

    x_train: jax.Array  # (n_capacity, features)
    labels_given: jax.Array  # (n_capacity,)
    labels_true: jax.Array
    mislabeled: jax.Array  # (n_capacity,) bool
    n_active: jax.Array  # int32 scalar
    x_test: jax.Array
    y_test: jax.Array


@partial(jax.jit, static_argnames=("architecture", "optimizer_name"))
def init_train_state(
    seed, learning_rate, weight_decay, l1_strength=0.0, *, architecture: Architecture, optimizer_name: str
):
    """Parameters and optimizer state for a seed. Static: architecture, optimizer_name; the rest traced
    (weight_decay is the L2 pull towards zero, l1_strength the L1 one)."""
    init_key, shuffle_key = jax.random.split(jax.random.key(seed))
    params = init_params(architecture, init_key)
    opt_state = OPTIMIZERS[optimizer_name].init(params)
    opt_state.hyperparams["learning_rate"] = jnp.asarray(learning_rate, jnp.float32)
    opt_state.hyperparams["weight_decay"] = jnp.asarray(weight_decay, jnp.float32)
    opt_state.hyperparams["l1_strength"] = jnp.asarray(l1_strength, jnp.float32)
    return TrainState(params, opt_state, shuffle_key, jnp.zeros((), jnp.int32))


def cross_entropy(logits, labels, weights):
    """Weighted mean cross-entropy; weights are 0 for padding rows. logits (n, K), labels (n,), weights (n,)."""
    per_example = optax.softmax_cross_entropy_with_integer_labels(logits, labels)
    return jnp.sum(per_example * weights) / jnp.maximum(jnp.sum(weights), 1.0)


def _shuffled_active_rows(key, n_capacity: int, n_active, batch_size: int):
    """A random order of rows 0..n_active-1, padded with batch_size zeros so every slice is in range."""
    scores = jnp.where(jnp.arange(n_capacity) < n_active, jax.random.uniform(key, (n_capacity,)), 2.0)
    return jnp.concatenate([jnp.argsort(scores), jnp.zeros(batch_size, jnp.int32)])


def train_epoch(state: TrainState, data: DeviceData, architecture, optimizer_name, batch_size) -> TrainState:
    """One pass over the active training rows in shuffled minibatches (the last one may be partial)."""
    optimizer = OPTIMIZERS[optimizer_name]
    key, order_key = jax.random.split(state.key)
    order = _shuffled_active_rows(order_key, data.x_train.shape[0], data.n_active, batch_size)

    def loss_of(params, rows, weights):
        logits = apply_model(architecture, params, data.x_train[rows])
        return cross_entropy(logits, data.labels_given[rows], weights)

    def step(i, carry):
        params, opt_state = carry
        start = i * batch_size
        rows = jax.lax.dynamic_slice(order, (start,), (batch_size,))
        weights = (start + jnp.arange(batch_size) < data.n_active).astype(jnp.float32)
        grads = jax.grad(loss_of)(params, rows, weights)
        updates, opt_state = optimizer.update(grads, opt_state, params)
        return optax.apply_updates(params, updates), opt_state

    steps = (data.n_active + batch_size - 1) // batch_size
    params, opt_state = jax.lax.fori_loop(0, steps, step, (state.params, state.opt_state))
    return TrainState(params, opt_state, key, state.epoch + 1)


def _share(hits, among):
    """hits/among as a fraction, NaN when `among` is empty (no such examples to measure)."""
    count = jnp.sum(among)
    return jnp.where(count > 0, jnp.sum(hits & among) / jnp.maximum(count, 1), jnp.nan)


def epoch_metrics(params, data: DeviceData, architecture) -> dict:
    """Every per-epoch number the lab shows, each on the data it names."""
    active = jnp.arange(data.x_train.shape[0]) < data.n_active
    train_logits = apply_model(architecture, params, data.x_train)
    test_logits = apply_model(architecture, params, data.x_test)
    train_pred = jnp.argmax(train_logits, axis=-1)
    test_pred = jnp.argmax(test_logits, axis=-1)
    clean = active & ~data.mislabeled
    return {
        "train_loss": cross_entropy(train_logits, data.labels_given, active.astype(jnp.float32)),
        "train_accuracy": _share(train_pred == data.labels_given, active),
        "test_loss": cross_entropy(test_logits, data.y_test, jnp.ones(data.y_test.shape, jnp.float32)),
        "test_accuracy": jnp.mean(test_pred == data.y_test),
        "clean_train_accuracy": _share(train_pred == data.labels_true, clean),
        "memorized_share": _share(train_pred == data.labels_given, data.mislabeled),
        "mislabeled_true_share": _share(train_pred == data.labels_true, data.mislabeled),
        "train_predictions": train_pred.astype(jnp.int8),
    }


@partial(jax.jit, static_argnames=("architecture", "optimizer_name", "batch_size", "chunk_epochs"))
def train_chunk(
    state: TrainState,
    data: DeviceData,
    epoch_limit,
    *,
    architecture,
    optimizer_name,
    batch_size,
    chunk_epochs=CHUNK_EPOCHS,
):
    """Up to `chunk_epochs` epochs, each followed by its metrics.

    Static: architecture, optimizer_name, batch_size, chunk_epochs. Traced: state, data, epoch_limit
    (int32 scalar; epochs at or past it are skipped, so any epoch budget reuses this compiled chunk).
    Returns the new state and a dict of per-epoch metrics with a leading axis of length chunk_epochs.
    """

    def one_epoch(state, _):
        state = jax.lax.cond(
            state.epoch < epoch_limit,
            lambda s: train_epoch(s, data, architecture, optimizer_name, batch_size),
            lambda s: s,
            state,
        )
        return state, epoch_metrics(state.params, data, architecture)

    return jax.lax.scan(one_epoch, state, None, length=chunk_epochs)


@partial(jax.jit, static_argnames=("architecture",))
def predict_proba(params, x, *, architecture):
    """Class probabilities (n, K) for inputs x (n, features). Static: architecture."""
    return jax.nn.softmax(apply_model(architecture, params, x), axis=-1)
