"""The "Memorize or generalize?" lab as a Python API: a configuration in, per-epoch metrics out.

    >>> from core.engine.classifier import LabConfig, run_lab
    >>> history = run_lab(LabConfig(dataset="digits", epochs=50, label_noise=0.2))
    >>> history.test_accuracy[-1], history.memorized_share[-1]

`TrainingRun` is the same thing one chunk of epochs at a time, which is how the page trains live.
"""

from __future__ import annotations

import inspect
import time
from collections import deque
from dataclasses import dataclass, field, replace

import jax
import jax.numpy as jnp
import numpy as np

from core.engine import train
from core.engine.data import Dataset, TrainingData, corrupt_training_data, load_dataset
from core.engine.models import Architecture, params_as_layers
from core.engine.run import Progress, first_blow_up
from core.i18n import tr

MAX_EPOCHS = 1000
SNAPSHOTS_KEPT = 16  # of the predictions on watched points: enough for a live view a few redraws behind
# Rates that trained every data set of the lab, the playground and the example tables with each page's default
# model (measured; tests/test_advice.py follows them): a failed run's suggestion is never above them.
SAFE_LEARNING_RATES = {"adam": 0.01, "sgd": 0.1}
COLLAPSED_CLASS_SHARE = 0.9  # one class predicted for this share of rows, at chance-level loss
# Measured at collapses: a too-large rate leaves the weights at 1 to 100 times their starting size; regularization
# pulls them to under a third of it. Below this share the pull towards zero is the cause, not the rate.
SHRUNK_WEIGHTS = 0.5
# The smaller rate clearly does better when its training loss is lower by this share of the loss of guessing (a model
# that has barely moved from its start is not "better": it has not had the chance to get stuck yet).
CLEARLY_LOWER_LOSS = 0.1
SCALAR_METRICS = (
    "train_loss",
    "train_accuracy",
    "test_loss",
    "test_accuracy",
    "clean_train_accuracy",
    "memorized_share",
    "mislabeled_true_share",
)


@dataclass(frozen=True)
class LabConfig:
    """Everything one lab run depends on. Widths come from core.engine.models.WIDTHS."""

    dataset: str = "digits"
    learning_rate: float = 1e-3
    epochs: int = 200
    label_noise: float = 0.0  # share of training labels changed to a different class
    train_size: int | None = None  # None: the whole training split
    input_noise: float = 0.0  # std of gaussian noise added to training inputs
    hidden: tuple[int, ...] = (128, 128)
    activation: str = "relu"
    weight_decay: float = 0.0
    l1_strength: float = 0.0  # L1 regularization: a constant pull of every parameter towards zero
    optimizer: str = "adam"
    batch_size: int = 64
    seed: int = 0

    def __post_init__(self):
        if not 1 <= self.epochs <= MAX_EPOCHS:
            raise ValueError(tr("epochs must be between 1 and {most}").format(most=MAX_EPOCHS))
        if self.optimizer not in train.OPTIMIZERS:
            raise ValueError(tr("optimizer must be one of {names}").format(names=", ".join(train.OPTIMIZERS)))
        if self.batch_size not in train.BATCH_SIZES:
            raise ValueError(tr("batch size must be one of {sizes}").format(sizes=train.BATCH_SIZES))
        if not (self.learning_rate > 0 and np.isfinite(self.learning_rate)):
            raise ValueError(tr("learning rate must be a positive number"))
        if not (self.weight_decay >= 0 and self.l1_strength >= 0 and np.isfinite(self.weight_decay + self.l1_strength)):
            raise ValueError(tr("regularization strengths must be zero or positive numbers"))


def suggested_learning_rate(config: LabConfig) -> float:
    """A rate to try after a failed run: ten times smaller, and no more than SAFE_LEARNING_RATES (a tenth of a far too
    high rate can still be too high). A rate from a 1-2-5 or 1-3 scale gives one on the same scale."""
    return float(f"{min(config.learning_rate / 10, SAFE_LEARNING_RATES[config.optimizer]):.2g}")


def answers_one_class(predictions: np.ndarray, loss: float, num_classes: int) -> bool:
    """(Almost) every row gets the same class (`predictions`, (rows,) ints), at a loss no better than guessing."""
    predictions = np.asarray(predictions, np.int64)
    top_share = np.bincount(predictions).max() / len(predictions) if len(predictions) else 0.0
    return top_share >= COLLAPSED_CLASS_SHARE and loss >= 0.9 * np.log(num_classes)


@dataclass
class LabHistory:
    """Per-epoch metrics as NumPy arrays (index i is the state after epoch i + 1)."""

    metrics: dict[str, np.ndarray]
    train_predictions: np.ndarray  # (epochs, n_capacity) int8: the model's class for every training row
    data: TrainingData
    num_classes: int
    diverged_at: int | None = None  # 1-based epoch at which the run failed and was stopped (0: before training)
    failure: str | None = None  # one of core.engine.run.FAILURES: see TrainingRun.failure
    seconds: float = 0.0
    # The model's weights now against at the start (root mean square, biases left out): a model that learns grows
    # them; regularization that pulls harder than the examples leaves them smaller than they started.
    weight_size_ratio: float = 1.0

    def __getattr__(self, name):
        if name in SCALAR_METRICS:
            return self.metrics[name]
        raise AttributeError(name)

    @property
    def epochs_done(self) -> int:
        return len(self.metrics["train_loss"])

    @property
    def generalization_gap_loss(self) -> np.ndarray:
        return self.metrics["test_loss"] - self.metrics["train_loss"]

    @property
    def generalization_gap_accuracy(self) -> np.ndarray:
        return self.metrics["train_accuracy"] - self.metrics["test_accuracy"]

    def best_epoch(self) -> int | None:
        """The 1-based epoch with the lowest held-out loss: stopping there would have been best."""
        losses = self.metrics["test_loss"]
        if not np.isfinite(losses).any():
            return None
        return int(np.nanargmin(np.where(np.isfinite(losses), losses, np.nan))) + 1

    def memorization_takeover_epoch(self) -> int | None:
        """First epoch at which over half of the mislabeled examples are predicted as their wrong label."""
        over_half = np.nan_to_num(self.metrics["memorized_share"]) > 0.5
        return int(np.argmax(over_half)) + 1 if over_half.any() else None

    def answers_one_class(self) -> bool:
        """After the last epoch the model gives (almost) every training row the same class, no better than guessing."""
        if not self.epochs_done:
            return False
        predictions = self.train_predictions[-1][: self.data.n_active]
        return answers_one_class(predictions, self.metrics["train_loss"][-1], self.num_classes)

    def memorized_since(self) -> np.ndarray:
        """Per training row: the 1-based epoch from which it has been predicted as its given wrong label
        without a break up to now; 0 for rows not memorized now (and for correctly labelled rows)."""
        given = self.data.labels_given.astype(np.int8)
        memorized = (self.train_predictions == given) & self.data.mislabeled
        if len(memorized) == 0:
            return np.zeros(len(given), int)
        run_start = len(memorized) - np.argmax(~memorized[::-1], axis=0)  # last non-memorized epoch + 1
        run_start[memorized.all(axis=0)] = 0
        return np.where(memorized[-1], run_start + 1, 0)


def training_data(config: LabConfig, dataset: Dataset | None = None) -> tuple[Dataset, TrainingData]:
    """The dataset and its training split after the configured label noise, size and input noise."""
    dataset = dataset or load_dataset(config.dataset)
    return dataset, corrupt_training_data(
        dataset, config.train_size, config.label_noise, config.input_noise, config.seed
    )


def prepare(
    config: LabConfig, dataset: Dataset | None = None, data: TrainingData | None = None
) -> tuple[Dataset, TrainingData, train.DeviceData]:
    """The dataset, its training split (corrupted as configured, unless `data` is given) and the jit inputs."""
    if data is None:
        dataset, data = training_data(config, dataset)
    device_data = train.DeviceData(
        jnp.asarray(data.x),
        jnp.asarray(data.labels_given),
        jnp.asarray(data.labels_true),
        jnp.asarray(data.mislabeled),
        jnp.asarray(data.n_active, jnp.int32),
        jnp.asarray(dataset.x_test),
        jnp.asarray(dataset.y_test),
    )
    return dataset, data, device_data


@dataclass(frozen=True)
class Snapshot:
    """The model's class probabilities (n, K) on a run's watched points after `epoch` epochs."""

    epoch: int
    probabilities: np.ndarray


@dataclass(repr=False)
class TrainingRun:
    """A lab run trained one chunk of epochs at a time; `advance()` trains the next chunk (core.engine.run.Run)."""

    config: LabConfig
    dataset: Dataset | None = None
    data: TrainingData | None = None  # a training split made elsewhere (e.g. a bias scenario), same capacity
    watch_points: np.ndarray | None = None  # inputs (n, features) whose predictions are kept after every chunk
    judges_collapse: bool = True  # False for the run that judges another's collapse: it judges none of its own
    _chunks: list = field(default_factory=list, repr=False)

    def __post_init__(self):
        self.dataset, self.data, self._device_data = prepare(self.config, self.dataset, self.data)
        self.architecture = Architecture(
            self.dataset.num_features, tuple(self.config.hidden), self.dataset.num_classes, self.config.activation
        )
        self._state = train.init_train_state(
            int(self.config.seed),
            float(self.config.learning_rate),
            float(self.config.weight_decay),
            float(self.config.l1_strength),
            architecture=self.architecture,
            optimizer_name=self.config.optimizer,
        )
        self.seconds = 0.0
        self.diverged_at: int | None = None
        self.failure: str | None = None  # one of core.engine.run.FAILURES once the run stopped early
        self._starting_weight_size = self._weight_size()
        self._history: LabHistory | None = None
        if self._inputs_constant():
            self.diverged_at, self.failure = 0, "constant_inputs"  # no epoch could change what the model sees
        # What the model predicted on the watched points after each recent chunk: a live view animates these.
        self.snapshots: deque[Snapshot] = deque(maxlen=SNAPSHOTS_KEPT)
        if self.watch_points is not None:
            self.snapshots.append(Snapshot(0, self.predict_proba(self.watch_points)))

    @property
    def epochs_done(self) -> int:
        return sum(len(chunk["train_loss"]) for chunk in self._chunks)

    @property
    def finished(self) -> bool:
        return self.diverged_at is not None or self.epochs_done >= self.config.epochs

    def progress(self) -> Progress:
        return Progress(self.epochs_done, self.config.epochs, "epoch")

    def comparison(self) -> np.ndarray | None:
        """The held-out loss per epoch, drawn faintly beside the page's next run."""
        return self.history().test_loss if self.epochs_done else None

    def advance(self) -> bool:
        """Train one chunk of epochs and record its metrics. Returns True while epochs remain."""
        if self.finished:
            return False
        started = time.perf_counter()
        state, chunk = train.train_chunk(
            self._state,
            self._device_data,
            jnp.asarray(self.config.epochs, jnp.int32),
            architecture=self.architecture,
            optimizer_name=self.config.optimizer,
            batch_size=self.config.batch_size,
        )
        self.take_chunk(state, jax.device_get(chunk), time.perf_counter() - started)
        return not self.finished

    def take_chunk(self, state: train.TrainState, chunk: dict, seconds: float) -> None:
        """Record one chunk trained from this run's state, by `advance()` or as one member of a batch of runs
        (core.engine.sweeps): either way the run judges its epochs with the same rules."""
        self._state = state
        self.seconds += seconds
        self._record(chunk)
        if self.watch_points is not None and self.failure != "blew_up":
            self.snapshots.append(Snapshot(self.epochs_done, self.predict_proba(self.watch_points)))

    def _record(self, chunk: dict) -> None:
        ran = min(train.CHUNK_EPOCHS, self.config.epochs - self.epochs_done)
        chunk = {name: values[:ran] for name, values in chunk.items()}
        first = first_blow_up(chunk["train_loss"], np.log(self.dataset.num_classes))
        if first is not None:
            self.diverged_at, self.failure = self.epochs_done + first + 1, "blew_up"
            chunk = {name: values[:first] for name, values in chunk.items()}
        self._chunks.append(chunk)
        self._history = None
        if self.failure is None and ran and self._collapsed(chunk):
            self.diverged_at, self.failure = self.epochs_done, "collapsed"

    def _collapsed(self, chunk: dict) -> bool:
        """The model answers one class for everything, no better than guessing, and the learning rate is to blame.

        Other causes look the same: regularization that pulls every weight to zero, a model that cannot draw the
        pattern (no hidden layer on xor), inputs that carry no information. Those runs go on, since what they show is
        the lesson. The rate is blamed only when the weights were not pulled small and the same run with the
        suggested smaller rate, trained as long, clearly does better."""
        predictions, loss = chunk["train_predictions"][-1][: self.data.n_active], chunk["train_loss"][-1]
        if not self.judges_collapse or not answers_one_class(predictions, loss, self.dataset.num_classes):
            return False
        if self._weight_size() < SHRUNK_WEIGHTS * self._starting_weight_size:
            return False
        return self._smaller_rate_does_better(loss)

    def _smaller_rate_does_better(self, loss: float) -> bool:
        """Train the same model on the same rows with the suggested rate for as many epochs: is its training loss
        clearly below `loss`, without failing?"""
        config = replace(self.config, learning_rate=suggested_learning_rate(self.config), epochs=self.epochs_done)
        probe = TrainingRun(config, self.dataset, self.data, judges_collapse=False)
        while probe.advance():
            pass
        history = probe.history()
        margin = CLEARLY_LOWER_LOSS * np.log(self.dataset.num_classes)
        return history.failure is None and bool(history.train_loss[-1] < loss - margin)

    def _inputs_constant(self) -> bool:
        active = self.data.x[: self.data.n_active]
        return bool(len(active)) and not np.any(active != active[0])

    def _weight_size(self) -> float:
        """The root mean square of the model's weights (biases left out): how far out the parameters are."""
        kernels = [np.asarray(kernel, np.float64).ravel() for kernel, _ in self.parameters()]
        return float(np.sqrt(np.mean(np.concatenate(kernels) ** 2)))

    def history(self) -> LabHistory:
        """Everything recorded so far as NumPy arrays (cached until the next chunk)."""
        if self._history is None:
            self._history = LabHistory(
                metrics={name: self._stack(name, np.float32) for name in SCALAR_METRICS},
                train_predictions=self._stack("train_predictions", np.int8, len(self.data.x)),
                data=self.data,
                num_classes=self.dataset.num_classes,
                diverged_at=self.diverged_at,
                failure=self.failure,
                seconds=self.seconds,
                weight_size_ratio=self._weight_size() / max(self._starting_weight_size, 1e-12),
            )
        return self._history

    def _stack(self, name, dtype, width=None):
        parts = [chunk[name] for chunk in self._chunks if len(chunk[name])]
        if parts:
            return np.concatenate(parts).astype(dtype)
        return np.zeros((0, width) if width else (0,), dtype)

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        """Class probabilities of the current model for inputs x (n, features)."""
        return np.asarray(
            train.predict_proba(self._state.params, jnp.asarray(x, jnp.float32), architecture=self.architecture)
        )

    def parameters(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """The current model's numbers as (kernel (in, out), bias (out,)) per layer, input layer first."""
        return [(np.asarray(kernel), np.asarray(bias)) for kernel, bias in params_as_layers(self._state.params)]


def run_lab(config: LabConfig, dataset: Dataset | None = None) -> LabHistory:
    """Train to the end (or until the run diverges) and return the per-epoch metrics."""
    run = TrainingRun(config, dataset)
    while run.advance():
        pass
    return run.history()


def training_code() -> str:
    """The source of the training step and the scanned chunk, for pages that show their own code."""
    return "\n\n".join(inspect.getsource(function) for function in (train.train_epoch, train.train_chunk))


def warm_up(config: LabConfig | None = None) -> None:
    """Load the data set and compile (or read from the persistent cache) the training code for `config`
    (default: the lab's defaults) by training one chunk, so the first learner to press Train does not wait."""
    TrainingRun(config or LabConfig()).advance()
