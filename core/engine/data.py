"""Datasets and data-quality knobs: digits, 2-D generators, stratified splits, label and input noise.

Everything here is NumPy and deterministic for a given seed. The held-out set is never corrupted:
label noise, input noise and a smaller training set only touch the training split.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from core.i18n import tr, tr_later

HELD_OUT_SHARE = 0.2
SPLIT_SEED = 0  # the split stays fixed across seeds so runs are comparable on one held-out set
# scikit-learn's digits with the split below, written by sample_data/make_digits.py: the lab opens without importing
# scikit-learn, which costs about 2 CPU-seconds of a fresh server's first minute.
DIGITS_FILE = Path(__file__).resolve().parents[2] / "sample_data" / "digits.npz"


@dataclass(frozen=True)
class Dataset:
    """A labelled dataset already split into a training part and a clean held-out part."""

    name: str
    x_train: np.ndarray  # (n_train, features) float32
    y_train: np.ndarray  # (n_train,) int32, the true labels
    x_test: np.ndarray
    y_test: np.ndarray
    num_classes: int
    class_names: tuple[str, ...]
    image_shape: tuple[int, int] | None = None  # set when each row is an image

    def __post_init__(self):
        # Datasets are cached and shared by every session: an in-place change anywhere would reach every
        # learner, so the arrays refuse to be written.
        for array in (self.x_train, self.y_train, self.x_test, self.y_test):
            array.flags.writeable = False

    @property
    def num_features(self) -> int:
        return int(self.x_train.shape[1])


# ---- 2-D generators: one signature, (n_points, noise, rng) -> (x float32 (n, 2), y int32 (n,)) ----


def make_spirals(n_points: int, noise: float, rng: np.random.Generator):
    """Two interleaved spirals, one per class."""
    y = np.arange(n_points) % 2
    radius = rng.uniform(0.05, 1.0, n_points)
    angle = 3.5 * np.pi * radius + np.pi * y
    x = np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1)
    return _with_noise(x, noise, rng), y.astype(np.int32)


def make_moons(n_points: int, noise: float, rng: np.random.Generator):
    """Two interlocking half circles."""
    y = np.arange(n_points) % 2
    angle = rng.uniform(0, np.pi, n_points)
    x = np.stack([np.cos(angle), np.sin(angle)], axis=1)
    lower = y == 1
    x[lower] = np.stack([1 - np.cos(angle[lower]), 0.5 - np.sin(angle[lower])], axis=1)
    return _with_noise((x - [0.5, 0.25]) / 1.2, noise, rng), y.astype(np.int32)


def make_circles(n_points: int, noise: float, rng: np.random.Generator):
    """A disc inside a ring."""
    y = np.arange(n_points) % 2
    radius = np.where(y == 0, rng.uniform(0.0, 0.45, n_points), rng.uniform(0.65, 1.0, n_points))
    angle = rng.uniform(0, 2 * np.pi, n_points)
    x = np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1)
    return _with_noise(x, noise, rng), y.astype(np.int32)


def make_xor(n_points: int, noise: float, rng: np.random.Generator):
    """Four quadrants; opposite quadrants share a class."""
    x = rng.uniform(-1, 1, (n_points, 2))
    x += np.sign(x) * 0.05  # a small gap around the axes keeps the clean task unambiguous
    y = (x[:, 0] * x[:, 1] < 0).astype(np.int32)
    return _with_noise(x, noise, rng), y


def make_gaussians(n_points: int, noise: float, rng: np.random.Generator):
    """Three gaussian blobs: a multi-class problem."""
    centres = np.array([[-0.55, -0.4], [0.55, -0.4], [0.0, 0.55]])
    y = (np.arange(n_points) % 3).astype(np.int32)
    x = centres[y] + rng.normal(0, 0.18, (n_points, 2))
    return _with_noise(x, noise, rng), y


def _with_noise(x: np.ndarray, noise: float, rng: np.random.Generator) -> np.ndarray:
    return (x + rng.normal(0, noise * 0.3, x.shape)).astype(np.float32)


TWO_D_GENERATORS = {
    "spirals": make_spirals,
    "moons": make_moons,
    "circles": make_circles,
    "xor": make_xor,
    "gaussians": make_gaussians,
}
DATASET_NAMES = ("digits", *TWO_D_GENERATORS)
# What a learner reads for each data set's name (a control's option label); the names themselves are code.
DATASET_LABELS = {
    "digits": tr_later("digits"),
    "spirals": tr_later("spirals"),
    "moons": tr_later("moons"),
    "circles": tr_later("circles"),
    "xor": tr_later("xor"),
    "gaussians": tr_later("gaussians"),
}


def dataset_label(name: str) -> str:
    """A data set's name as the learner reads it, in the learner's language (another name, such as a file's, as it
    is)."""
    return tr(DATASET_LABELS[name]) if name in DATASET_LABELS else name


def class_labels(dataset: Dataset) -> tuple[str, ...]:
    """The dataset's class names as the learner reads them: the generated "class 0", "class 1" of a 2-D pattern in
    the learner's language; digits and a user's own class names as they are."""
    if getattr(dataset, "name", None) not in TWO_D_GENERATORS:  # a page's own data may be no Dataset
        return dataset.class_names
    return tuple(tr("class {number}").format(number=index) for index in range(len(dataset.class_names)))


def split_stratified(x: np.ndarray, y: np.ndarray, held_out_share: float, seed: int):
    """Shuffle and split so that every class keeps its share in both parts."""
    from sklearn.model_selection import train_test_split  # imported when first needed: see DIGITS_FILE

    return train_test_split(x, y, test_size=held_out_share, stratify=y, random_state=seed)


@lru_cache(maxsize=1)
def _digits_file() -> dict[str, np.ndarray]:
    with np.load(DIGITS_FILE) as stored:
        return {name: stored[name] for name in stored.files}


def digits_in_file_order() -> tuple[np.ndarray, np.ndarray]:
    """All 1,797 digits as scikit-learn's `load_digits` orders them: pixels scaled to 0..1 (float32), labels."""
    stored = _digits_file()
    return (stored["pixels"] / np.float32(16)).astype(np.float32), stored["target"].astype(np.int32)


def _digits() -> Dataset:
    x, y = digits_in_file_order()
    train, test = _digits_file()["train_rows"], _digits_file()["test_rows"]
    return Dataset("digits", x[train], y[train], x[test], y[test], 10, tuple(map(str, range(10))), (8, 8))


@lru_cache(maxsize=32)
def load_dataset(name: str, n_points: int = 600, noise: float = 0.2, held_out_share: float = HELD_OUT_SHARE) -> Dataset:
    """The named dataset, split once. Cached: datasets are shared by every session, never copied."""
    if name == "digits" and held_out_share == HELD_OUT_SHARE:
        return _digits()  # the stored split: the same rows from_arrays gives
    if name == "digits":
        x, y = digits_in_file_order()
        names, shape = tuple(map(str, range(10))), (8, 8)
    elif name in TWO_D_GENERATORS:
        x, y = TWO_D_GENERATORS[name](n_points, noise, np.random.default_rng(SPLIT_SEED))
        names, shape = tuple(f"class {c}" for c in range(int(y.max()) + 1)), None
    else:
        raise ValueError(
            tr("Unknown dataset {name}; choose one of {names}.").format(name=repr(name), names=", ".join(DATASET_NAMES))
        )
    return from_arrays(name, x, y, names, held_out_share, shape)


def from_arrays(name, x, y, class_names, held_out_share=HELD_OUT_SHARE, image_shape=None) -> Dataset:
    """Build a Dataset from features and integer labels 0..K-1 with a stratified split."""
    x_train, x_test, y_train, y_test = split_stratified(
        np.asarray(x, np.float32), np.asarray(y, np.int32), held_out_share, SPLIT_SEED
    )
    return Dataset(name, x_train, y_train, x_test, y_test, len(class_names), tuple(class_names), image_shape)


@dataclass(frozen=True)
class TrainingData:
    """The training split after the data-quality knobs, padded to a fixed size.

    The first `n_active` rows are the ones trained on; the rest only pad the arrays so that every
    training-set size has the same shapes (and so the same compiled code).
    """

    x: np.ndarray  # (n_capacity, features) float32
    labels_given: np.ndarray  # (n_capacity,) int32: what the model is told
    labels_true: np.ndarray  # (n_capacity,) int32: the truth
    mislabeled: np.ndarray  # (n_capacity,) bool, only ever True for active rows
    n_active: int
    source_rows: np.ndarray  # (n_capacity,) int: row of Dataset.x_train each row came from

    @property
    def realised_noise(self) -> float:
        return float(self.mislabeled.sum() / max(self.n_active, 1))


def corrupt_training_data(
    dataset: Dataset, train_size: int | None, label_noise: float, input_noise: float, seed: int
) -> TrainingData:
    """Pick a stratified training subset, then flip an exact share of its labels and add input noise."""
    rng = np.random.default_rng(seed)
    order = _active_first_order(dataset.y_train, train_size, seed)
    n_active = min(train_size or len(order), len(order))
    labels_true = dataset.y_train[order]
    labels_given, mislabeled = flip_labels(labels_true, n_active, label_noise, dataset.num_classes, rng)
    x = dataset.x_train[order].copy()
    x[:n_active] += rng.normal(0, input_noise, x[:n_active].shape).astype(np.float32)
    return TrainingData(x, labels_given, labels_true, mislabeled, n_active, order)


def _active_first_order(y: np.ndarray, train_size: int | None, seed: int) -> np.ndarray:
    """Row order with a stratified sample of `train_size` rows first and every other row after it."""
    rows = np.arange(len(y))
    if train_size is None or train_size >= len(y):
        return np.random.default_rng(seed).permutation(rows)
    train_size = max(train_size, 1)
    stratify = y if min(train_size, len(y) - train_size) >= len(np.unique(y)) else None
    from sklearn.model_selection import train_test_split  # imported when first needed: see DIGITS_FILE

    active, rest = train_test_split(rows, train_size=train_size, stratify=stratify, random_state=seed)
    return np.concatenate([active, rest])


def flip_labels(labels_true, n_active: int, share: float, num_classes: int, rng: np.random.Generator):
    """Change exactly round(share * n_active) labels among the first n_active, each to a different class."""
    labels = labels_true.copy()
    mislabeled = np.zeros(len(labels), bool)
    n_flip = int(round(np.clip(share, 0.0, 1.0) * n_active))
    if num_classes < 2 or n_flip == 0:
        return labels, mislabeled
    flipped = rng.choice(n_active, n_flip, replace=False)
    labels[flipped] = (labels[flipped] + rng.integers(1, num_classes, n_flip)) % num_classes
    mislabeled[flipped] = True
    return labels, mislabeled
