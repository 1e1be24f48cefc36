"""Batches of lab runs trained at once: one setting over several seeds ("is it luck?") and over a ladder of
learning rates (a learning-rate sweep).

The runs of a batch differ only in traced values (seed, learning rate), so `jax.vmap` turns core.engine.train's
chunk into one batched chunk with one compile. On its own vmap saves nothing on this CPU (one run already keeps a
core busy); split over the host's devices (core.engine.jax_setup.split_host_into_devices), the batch trains on every
core. Every member is a `TrainingRun` that records its own share of each batched chunk, so it reads, fails and
stops exactly like the same run trained alone.

    >>> batch = seed_band(LabConfig(epochs=100))
    >>> while batch.advance():
    ...     pass
    >>> band = SeedBand.of(batch)  # mean, lowest and highest per epoch over the seeds
"""

from __future__ import annotations

import operator
import time
import warnings
from dataclasses import dataclass, replace
from functools import cache, partial

import jax
import jax.numpy as jnp
import numpy as np
from jax.sharding import Mesh, NamedSharding, PartitionSpec

from core.engine import train
from core.engine.classifier import SCALAR_METRICS, LabConfig, TrainingRun
from core.engine.data import Dataset, load_dataset
from core.engine.run import Progress
from core.i18n import tr

SEEDS_PER_BAND = 8
SWEEP_LEARNING_RATES = (1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0)
# Which DeviceData fields carry a run axis: each seed corrupts its own copy of the training rows; the number of
# rows and the held-out set are the same for every run.
RUN_AXES = train.DeviceData(0, 0, 0, 0, None, None, None)


@partial(jax.jit, static_argnames=("architecture", "optimizer_name", "batch_size", "chunk_epochs"))
def train_batch_chunk(
    states: train.TrainState,
    data: train.DeviceData,
    epochs_done,
    epoch_limit,
    *,
    architecture,
    optimizer_name,
    batch_size,
    chunk_epochs=train.CHUNK_EPOCHS,
):
    """core.engine.train.train_chunk for R runs at once: the same epochs and metrics, vmapped over the runs.

    Static: architecture, optimizer_name, batch_size, chunk_epochs. Traced: states (every leaf with a leading run
    axis of length R), data (training rows (R, n_capacity, ...); n_active and the held-out set shared, see
    RUN_AXES), epochs_done and epoch_limit (int32 scalars, the same for every run). Returns the states and
    per-epoch metrics of shape (R, chunk_epochs, ...).

    The epoch count stays outside the vmap: a condition on a per-run count would become a select that trains
    every skipped epoch, and its loop bounds would make the devices wait for each other at every step.
    """
    train_epochs = jax.vmap(
        partial(train.train_epoch, architecture=architecture, optimizer_name=optimizer_name, batch_size=batch_size),
        in_axes=(0, RUN_AXES),
    )
    measure = jax.vmap(
        lambda state, run_data: train.epoch_metrics(state.params, run_data, architecture), in_axes=(0, RUN_AXES)
    )

    def one_epoch(carry, _):
        states, epoch = carry
        states = jax.lax.cond(epoch < epoch_limit, lambda s: train_epochs(s, data), lambda s: s, states)
        return (states, epoch + 1), measure(states, data)

    (states, _), metrics = jax.lax.scan(one_epoch, (states, epochs_done), None, length=chunk_epochs)
    return states, jax.tree.map(lambda values: jnp.swapaxes(values, 0, 1), metrics)


@jax.jit
def stack_states(states: tuple[train.TrainState, ...]) -> train.TrainState:
    """R single-run states as one state whose leaves have a leading run axis of length R."""
    return jax.tree.map(lambda *leaves: jnp.stack(leaves), *states)


@partial(jax.jit, static_argnames=("count",))
def unstack_states(states: train.TrainState, count: int) -> tuple[train.TrainState, ...]:
    """The inverse of stack_states, in one call. Static: count (the run axis' length)."""
    return tuple(jax.tree.map(operator.itemgetter(member), states) for member in range(count))


def devices_for(count: int, devices=None) -> list:
    """The devices a batch of `count` runs is split over: the most of `devices` (default: all JAX has) that
    share the runs evenly."""
    devices = list(devices or jax.devices())
    usable = max(n for n in range(1, len(devices) + 1) if count % n == 0)
    return devices[:usable]


@cache
def _shardings(devices: tuple) -> tuple[NamedSharding, NamedSharding]:
    """Along the run axis over `devices`, and whole on each (one pair per device set: a new one would recompile)."""
    mesh = Mesh(np.array(devices), ("runs",))
    return NamedSharding(mesh, PartitionSpec("runs")), NamedSharding(mesh, PartitionSpec())


def _stacked_data(runs: list[TrainingRun]) -> train.DeviceData:
    fields = zip(*(run._device_data for run in runs))
    return train.DeviceData(*(jnp.stack(values) if axis == 0 else values[0] for values, axis in zip(fields, RUN_AXES)))


@dataclass(repr=False)
class RunBatch:
    """Lab runs that differ only in seed or learning rate, trained together one chunk of epochs at a time.

    Speaks core.engine.run.Run: `advance()` trains the next chunk of every member; the batch itself never fails
    (its members do, each by its own rules) and `history()` is the members' histories in order.
    """

    configs: tuple[LabConfig, ...]
    devices: tuple | None = None  # default: as many host devices as share the runs evenly
    dataset: Dataset | None = None  # default: load_dataset(config.dataset); a page's own data (playground, upload)

    def __post_init__(self):
        first = self.configs[0]
        dataset = self.dataset or load_dataset(first.dataset)
        for config in self.configs:
            if replace(config, seed=first.seed, learning_rate=first.learning_rate) != first:
                raise ValueError(tr("the runs of a batch may differ only in seed and learning rate"))
        self.runs = [TrainingRun(config, dataset) for config in self.configs]
        self.architecture = self.runs[0].architecture
        self.devices = tuple(devices_for(len(self.runs), self.devices))
        split, shared = _shardings(self.devices)
        self._states = jax.device_put(stack_states(tuple(run._state for run in self.runs)), split)
        data = _stacked_data(self.runs)
        self._data = train.DeviceData(
            *(jax.device_put(values, split if axis == 0 else shared) for values, axis in zip(data, RUN_AXES))
        )
        self.seconds = 0.0
        self._epochs_trained = 0  # by every member alike, failed ones included

    @property
    def config(self) -> LabConfig:
        """The settings the members share (seed and learning rate are the first member's)."""
        return self.configs[0]

    @property
    def finished(self) -> bool:
        return all(run.finished for run in self.runs)

    @property
    def failure(self) -> str | None:
        return None

    def progress(self) -> Progress:
        return Progress(max(run.epochs_done for run in self.runs), self.config.epochs, "epoch")

    def advance(self) -> bool:
        """Train one chunk of every member at once; each member records its own part. True while epochs remain."""
        if self.finished:
            return False
        started = time.perf_counter()
        self._states, chunks = train_batch_chunk(
            self._states,
            self._data,
            jnp.asarray(self._epochs_trained, jnp.int32),
            jnp.asarray(self.config.epochs, jnp.int32),
            architecture=self.architecture,
            optimizer_name=self.config.optimizer,
            batch_size=self.config.batch_size,
        )
        self._epochs_trained += train.CHUNK_EPOCHS
        members = unstack_states(self._states, len(self.runs))
        chunks = jax.device_get(chunks)
        seconds = time.perf_counter() - started
        self.seconds += seconds
        for member, run in enumerate(self.runs):
            if not run.finished:
                run.take_chunk(members[member], {name: values[member] for name, values in chunks.items()}, seconds)
        return not self.finished

    def history(self) -> list:
        return [run.history() for run in self.runs]

    def comparison(self):
        return None


def seed_band(config: LabConfig, count: int = SEEDS_PER_BAND, devices=None, dataset: Dataset | None = None) -> RunBatch:
    """`count` runs of `config` with seeds config.seed, config.seed + 1, ...: each its own wrong labels,
    starting weights and order of examples."""
    return RunBatch(tuple(replace(config, seed=config.seed + offset) for offset in range(count)), devices, dataset)


def learning_rate_sweep(
    config: LabConfig, rates=SWEEP_LEARNING_RATES, devices=None, dataset: Dataset | None = None
) -> RunBatch:
    """One run of `config` per learning rate in `rates`, all with the config's seed."""
    return RunBatch(tuple(replace(config, learning_rate=float(rate)) for rate in rates), devices, dataset)


def warm_up(config: LabConfig | None = None) -> None:
    """Compile (or read from the persistent cache) the batched code of `config` (default: the lab's defaults)
    by training the first chunk of a seed band and of a learning-rate sweep, so that a server's first "Is it
    luck?" or sweep click does not wait for it. Both, since a batch of 12 runs has other shapes than one of 8."""
    config = config or LabConfig()
    seed_band(config).advance()
    learning_rate_sweep(config).advance()


def train_to_end(batch: RunBatch) -> RunBatch:
    while batch.advance():
        pass
    return batch


@dataclass(frozen=True)
class SeedBand:
    """Per-epoch metrics of every seed as (seeds, epochs) arrays, NaN after a seed's run stopped early."""

    seeds: tuple[int, ...]
    metrics: dict[str, np.ndarray]
    failures: tuple[str | None, ...]
    total_epochs: int

    @classmethod
    def of(cls, batch: RunBatch) -> SeedBand:
        histories = batch.history()
        epochs = batch.config.epochs
        metrics = {name: _padded([h.metrics[name] for h in histories], epochs) for name in SCALAR_METRICS}
        seeds = tuple(run.config.seed for run in batch.runs)
        return cls(seeds, metrics, tuple(h.failure for h in histories), epochs)

    def spread(self, name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Mean, lowest and highest value per epoch over the seeds that reached it (NaN where none did)."""
        values = self.metrics[name]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # an epoch no seed reached is NaN, as it should be
            return np.nanmean(values, axis=0), np.nanmin(values, axis=0), np.nanmax(values, axis=0)


def _padded(series: list[np.ndarray], length: int) -> np.ndarray:
    table = np.full((len(series), length), np.nan)
    for row, values in enumerate(series):
        table[row, : len(values)] = values
    return table


@dataclass(frozen=True)
class SweepPoint:
    """How one learning rate of a sweep ended: its last training and held-out loss, and why it stopped early."""

    learning_rate: float
    train_loss: float  # NaN when the run failed before its first epoch was recorded
    test_loss: float
    failure: str | None  # one of core.engine.run.FAILURES, or None for a run that trained to the end
    stopped_at: int | None  # 1-based epoch at which it failed


def sweep_points(batch: RunBatch) -> list[SweepPoint]:
    return [
        SweepPoint(
            run.config.learning_rate,
            float(history.train_loss[-1]) if history.epochs_done else float("nan"),
            float(history.test_loss[-1]) if history.epochs_done else float("nan"),
            history.failure,
            history.diverged_at,
        )
        for run, history in zip(batch.runs, batch.history())
    ]
