"""core.engine.data: splits, generators and the data-quality knobs, checked with plain NumPy counts."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from core.engine import data

ROOT = Path(__file__).resolve().parents[1]


def test_digits_split_is_stratified_and_scaled():
    dataset = data.load_dataset("digits")
    assert dataset.x_train.shape == (1437, 64) and dataset.x_test.shape == (360, 64)
    assert dataset.x_train.min() >= 0 and dataset.x_train.max() <= 1
    train_share = np.bincount(dataset.y_train) / len(dataset.y_train)
    test_share = np.bincount(dataset.y_test) / len(dataset.y_test)
    assert np.abs(train_share - test_share).max() < 0.01


@pytest.mark.parametrize("name", list(data.TWO_D_GENERATORS))
def test_generators_share_one_signature_and_are_deterministic(name):
    generator = data.TWO_D_GENERATORS[name]
    x, y = generator(300, 0.2, np.random.default_rng(5))
    x_again, y_again = generator(300, 0.2, np.random.default_rng(5))
    assert x.shape == (300, 2) and x.dtype == np.float32 and y.dtype == np.int32
    np.testing.assert_array_equal(x, x_again)
    np.testing.assert_array_equal(y, y_again)
    assert len(np.unique(y)) >= 2


@pytest.mark.parametrize("share", [0.0, 0.1, 0.37, 1.0])
def test_label_noise_flips_an_exact_share_to_a_different_class(share):
    dataset = data.load_dataset("digits")
    corrupted = data.corrupt_training_data(dataset, None, share, 0.0, seed=3)
    n = corrupted.n_active
    assert corrupted.mislabeled.sum() == round(share * n)
    assert corrupted.realised_noise == pytest.approx(round(share * n) / n)
    changed = corrupted.labels_given != corrupted.labels_true
    np.testing.assert_array_equal(changed, corrupted.mislabeled)
    assert corrupted.labels_given.min() >= 0 and corrupted.labels_given.max() < 10


def test_training_subset_is_stratified_active_first_and_noise_stays_inside_it():
    dataset = data.load_dataset("digits")
    corrupted = data.corrupt_training_data(dataset, 200, 0.5, 0.3, seed=1)
    assert corrupted.n_active == 200 and len(corrupted.x) == len(dataset.x_train)
    assert not corrupted.mislabeled[200:].any() and corrupted.mislabeled[:200].sum() == 100
    np.testing.assert_array_equal(np.sort(corrupted.source_rows), np.arange(len(dataset.x_train)))
    counts = np.bincount(corrupted.labels_true[:200], minlength=10)
    assert counts.min() >= 18 and counts.max() <= 22
    untouched = dataset.x_train[corrupted.source_rows[200:]]
    np.testing.assert_array_equal(corrupted.x[200:], untouched)
    assert np.abs(corrupted.x[:200] - dataset.x_train[corrupted.source_rows[:200]]).mean() > 0.1


def test_corruption_is_deterministic_per_seed():
    dataset = data.load_dataset("moons")
    first = data.corrupt_training_data(dataset, 100, 0.2, 0.1, seed=7)
    again = data.corrupt_training_data(dataset, 100, 0.2, 0.1, seed=7)
    other = data.corrupt_training_data(dataset, 100, 0.2, 0.1, seed=8)
    np.testing.assert_array_equal(first.x, again.x)
    np.testing.assert_array_equal(first.labels_given, again.labels_given)
    assert not np.array_equal(first.labels_given, other.labels_given)


def test_held_out_set_is_never_corrupted():
    dataset = data.load_dataset("digits")
    before = dataset.x_test.copy(), dataset.y_test.copy()
    data.corrupt_training_data(dataset, 300, 0.9, 1.0, seed=0)
    np.testing.assert_array_equal(dataset.x_test, before[0])
    np.testing.assert_array_equal(dataset.y_test, before[1])


def test_unknown_dataset_is_refused_with_the_choices():
    with pytest.raises(ValueError, match="digits"):
        data.load_dataset("nonsense")


def test_the_shipped_digits_are_scikit_learns_with_the_split_from_arrays_makes():
    """sample_data/digits.npz lets the lab open without scikit-learn: it must hold exactly what scikit-learn gives."""
    from sklearn.datasets import load_digits

    raw = load_digits()
    x, y = data.digits_in_file_order()
    np.testing.assert_array_equal(x, (raw.data / 16.0).astype(np.float32))
    np.testing.assert_array_equal(y, raw.target)
    shipped = data.load_dataset("digits")
    split = data.from_arrays("digits", raw.data / 16.0, raw.target, tuple(map(str, range(10))), image_shape=(8, 8))
    for name in ("x_train", "y_train", "x_test", "y_test"):
        np.testing.assert_array_equal(getattr(shipped, name), getattr(split, name))
        assert getattr(shipped, name).dtype == getattr(split, name).dtype
    assert (shipped.num_classes, shipped.class_names, shipped.image_shape) == (10, split.class_names, (8, 8))


def test_opening_the_lab_data_imports_no_scikit_learn():
    """Run in a fresh Python: the digits and a full-size training split come from the shipped file alone."""
    code = (
        "import sys; from core.engine import data; d = data.load_dataset('digits'); "
        "data.corrupt_training_data(d, label_noise=0.2, input_noise=0.0, train_size=None, seed=3); "
        "print(any(name.startswith('sklearn') for name in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.strip() == "False"
