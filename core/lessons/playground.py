"""The playground: a small network on a 2-D point pattern, and what it predicts at every point of the plane.

A playground run is a `core.engine.classifier.TrainingRun` on a generated 2-D dataset, so training, divergence checks
and
the per-epoch metrics are the lab's. What this module adds: the dataset knobs (points, noise, held-out share),
L1 or L2 regularization by name, and a fixed grid over the plane whose class probabilities come from one jitted
call, so the decision-boundary heatmap compiles once per architecture.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.engine.classifier import LabConfig, TrainingRun
from core.engine.data import TWO_D_GENERATORS, Dataset, class_labels, load_dataset
from core.engine.models import WIDTHS
from core.i18n import tr

DATASETS = tuple(TWO_D_GENERATORS)
POINT_COUNTS = (200, 400, 800)  # each count is its own array shape, so keep the set small
HELD_OUT_SHARES = (0.1, 0.2, 0.3, 0.4, 0.5)
NOISE_LEVELS = tuple(round(0.05 * step, 2) for step in range(21))  # 0 to 1 in steps of 0.05
REGULARIZATIONS = ("none", "L1", "L2")
# The page's other choices (its sliders and its exercise links).
LEARNING_RATES = (1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
STRENGTHS = (0.0, 1e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0)
EPOCH_BUDGETS = (50, 100, 200, 300, 500, 1000)
NEURONS = WIDTHS[:4]
GRID = 64  # heatmap cells per side: fine enough for a smooth boundary, light enough to redraw live
GRID_MARGIN = 0.15


@dataclass(frozen=True)
class PlaygroundConfig:
    """The dataset knobs and the training settings of one playground run."""

    dataset: str = "spirals"
    n_points: int = 400
    noise: float = 0.2
    held_out_share: float = 0.3
    hidden: tuple[int, ...] = (16, 16)
    activation: str = "tanh"
    learning_rate: float = 0.01
    batch_size: int = 16
    regularization: str = "none"
    regularization_strength: float = 0.0
    optimizer: str = "adam"
    epochs: int = 300
    seed: int = 0

    def __post_init__(self):
        # the page shows these messages ("These settings cannot be trained: ...")
        if self.dataset not in DATASETS:
            raise ValueError(tr("dataset must be one of {names}").format(names=", ".join(DATASETS)))
        if self.n_points not in POINT_COUNTS or self.held_out_share not in HELD_OUT_SHARES:
            raise ValueError(
                tr("points must be one of {counts} and the held-out share one of {shares}").format(
                    counts=POINT_COUNTS, shares=HELD_OUT_SHARES
                )
            )
        if self.regularization not in REGULARIZATIONS:
            raise ValueError(tr("regularization must be one of {names}").format(names=", ".join(REGULARIZATIONS)))
        if not 0.0 <= self.noise <= 1.0:
            raise ValueError(tr("noise must be between 0 and 1"))

    def lab_config(self) -> LabConfig:
        """The training settings as a LabConfig; L2 is the optimizer's weight decay, L1 its sign pull."""
        strength = float(self.regularization_strength)
        return LabConfig(
            dataset=self.dataset,
            learning_rate=float(self.learning_rate),
            epochs=int(self.epochs),
            hidden=tuple(int(width) for width in self.hidden),
            activation=self.activation,
            weight_decay=strength if self.regularization == "L2" else 0.0,
            l1_strength=strength if self.regularization == "L1" else 0.0,
            optimizer=self.optimizer,
            batch_size=int(self.batch_size),
            seed=int(self.seed),
        )

    def load(self) -> Dataset:
        return load_dataset(self.dataset, self.n_points, float(self.noise), self.held_out_share)


# The Playground's controls as it first opens (the seed apart): the page and its guided tasks start from them.
PAGE_DEFAULTS = {
    "play_dataset": "spirals",
    "play_noise": 0.2,
    "play_points": 400,
    "play_held_out": 30,
    "play_depth": 2,
    "play_width": 16,
    "play_activation": "tanh",
    "play_lr": 0.03,
    "play_batch": 16,
    "play_reg": "none",
    "play_strength": 0.0,
    "play_optimizer": "adam",
    "play_epochs": 300,
}


def start_run(config: PlaygroundConfig) -> TrainingRun:
    """A fresh, untrained run for these settings (raises ValueError for settings it cannot train). It keeps
    what the model predicts on the plane's grid after every chunk, for the live view."""
    dataset = config.load()
    return TrainingRun(config.lab_config(), dataset, watch_points=plane_grid(dataset).points)


@dataclass(frozen=True)
class PlaneGrid:
    """GRID x GRID points covering a dataset with a margin: x1 (GRID,), x2 (GRID,), points (GRID², 2)."""

    x1: np.ndarray
    x2: np.ndarray

    @property
    def points(self) -> np.ndarray:
        mesh_1, mesh_2 = np.meshgrid(self.x1, self.x2)
        return np.stack([mesh_1.ravel(), mesh_2.ravel()], axis=1).astype(np.float32)


def plane_grid(dataset: Dataset) -> PlaneGrid:
    """A square grid around every point of the dataset, training and held-out."""
    everything = np.concatenate([dataset.x_train, dataset.x_test])
    low, high = float(everything.min()) - GRID_MARGIN, float(everything.max()) + GRID_MARGIN
    axis = np.linspace(low, high, GRID, dtype=np.float32)
    return PlaneGrid(axis, axis)


def predictions_on_grid(run: TrainingRun, grid: PlaneGrid) -> np.ndarray:
    """Class probabilities (GRID, GRID, K) of the run's current model, indexed [x2, x1], in one jitted call."""
    return run.predict_proba(grid.points).reshape(GRID, GRID, -1)


@dataclass(frozen=True)
class PlaneView:
    """What a decision-boundary chart draws, as arrays: the grid, the model's class probabilities on it
    (None before training or once the model blew up), the active training points with the labels the model
    was given, and the held-out points."""

    grid: PlaneGrid
    probabilities: np.ndarray | None
    x_train: np.ndarray
    labels_given: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    class_names: tuple


def plane_view(dataset: Dataset, data, run: TrainingRun | None) -> PlaneView:
    """The plane of a 2-D dataset with the current model's predictions everywhere on it."""
    grid = plane_grid(dataset)
    # a blown-up model has no meaningful prediction to draw, even where its numbers are still finite
    usable = run is not None and run.failure != "blew_up"
    probabilities = predictions_on_grid(run, grid) if usable else None
    if probabilities is not None and not np.isfinite(probabilities).all():
        probabilities = None
    active = slice(0, data.n_active)
    return PlaneView(
        grid,
        probabilities,
        data.x[active],
        data.labels_given[active],
        dataset.x_test,
        dataset.y_test,
        tuple(class_labels(dataset)),  # as the learner reads them
    )
