"""core.engine.data: splits, generators and the data-quality knobs, checked with plain NumPy counts."""

import numpy as np
import pytest

from core.engine import data


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
