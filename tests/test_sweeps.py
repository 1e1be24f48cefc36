"""core.engine.sweeps: a batch of runs trained at once reads exactly like the same runs trained alone."""

from pathlib import Path

import jax
import numpy as np
import pytest

from core.engine import sweeps
from core.engine.classifier import SCALAR_METRICS, LabConfig, TrainingRun, run_lab
from core.lessons import own_data
from core.lessons.luck import band_ending, final_values, read_band, read_sweep, same_data
from core.lessons.playground import PlaygroundConfig
from tests.jit_support import compiled_count

ROOT = Path(__file__).resolve().parents[1]
BAND_CONFIG = LabConfig(epochs=20, label_noise=0.2, train_size=400, seed=5)
SWEEP_CONFIG = LabConfig(epochs=20, train_size=400)


@pytest.fixture(scope="module")
def band_batch():
    return sweeps.train_to_end(sweeps.seed_band(BAND_CONFIG))


@pytest.fixture(scope="module")
def sweep_batch():
    return sweeps.train_to_end(sweeps.learning_rate_sweep(SWEEP_CONFIG))


def test_the_batch_is_split_over_both_host_devices(band_batch):
    assert len(jax.devices()) == 2, "tests/conftest.py splits the CPU into two devices"
    assert len(band_batch.devices) == 2
    assert sweeps.devices_for(8, ["a", "b"]) == ["a", "b"] and sweeps.devices_for(7, ["a", "b"]) == ["a"]


def test_every_member_of_the_seed_band_equals_the_run_with_that_seed_alone(band_batch):
    band = sweeps.SeedBand.of(band_batch)
    assert band.seeds == tuple(range(5, 5 + sweeps.SEEDS_PER_BAND))
    for row, seed in enumerate(band.seeds):
        alone = run_lab(LabConfig(**{**BAND_CONFIG.__dict__, "seed": seed}))
        assert alone.failure is None and band.failures[row] is None
        for name in SCALAR_METRICS:
            np.testing.assert_allclose(band.metrics[name][row], alone.metrics[name], rtol=1e-5, atol=1e-6)


def own_data_sample():
    raw = (ROOT / "sample_data" / "loan_repayment.csv").read_bytes()
    table = own_data.read_table(raw, "loan_repayment.csv").table
    dataset = own_data.prepare_training_data(table, own_data.guess_label_column(table)).dataset
    return LabConfig(dataset=dataset.name, epochs=20, train_size=len(dataset.y_train), hidden=(64,), seed=2), dataset


def playground_spirals():
    settings = PlaygroundConfig(epochs=30, seed=3)
    return settings.lab_config(), settings.load()


@pytest.mark.parametrize("page_data", [playground_spirals, own_data_sample], ids=["playground", "own data"])
def test_a_band_on_a_pages_own_data_equals_each_seed_trained_alone_on_it(page_data):
    config, dataset = page_data()
    band = sweeps.SeedBand.of(sweeps.train_to_end(sweeps.seed_band(config, dataset=dataset)))
    assert band.seeds == tuple(range(config.seed, config.seed + sweeps.SEEDS_PER_BAND))
    for row, seed in enumerate(band.seeds):
        alone = TrainingRun(LabConfig(**{**config.__dict__, "seed": seed}), dataset)
        while alone.advance():
            pass
        for name in ("train_loss", "test_loss", "test_accuracy"):
            np.testing.assert_allclose(band.metrics[name][row], alone.history().metrics[name], rtol=1e-5, atol=1e-6)


def test_the_band_ending_reads_the_lowest_and_highest_last_values(band_batch):
    band = sweeps.SeedBand.of(band_batch)
    accuracy, loss = band.metrics["test_accuracy"][:, -1], band.metrics["test_loss"][:, -1]
    low, high = f"{accuracy.min():.0%}", f"{accuracy.max():.0%}"
    if low == high:
        low, high = f"{accuracy.min():.1%}", f"{accuracy.max():.1%}"
    seeds = "over 8 seeds (seeds 5 to 12)."
    assert band_ending(band, "test_accuracy") == f"Held-out accuracy ends between {low} and {high} {seeds}"
    assert band_ending(band, "test_loss").startswith(f"Held-out loss ends between {loss.min():.3g} and ")


def test_data_rebuilt_equal_is_the_same_data_and_other_data_is_not():
    first, again = own_data_sample()[1], own_data_sample()[1]
    assert first is not again and same_data(first, again)
    assert not same_data(first, playground_spirals()[1])


def test_after_the_warm_up_a_click_on_the_labs_defaults_compiles_no_batch_chunk():
    sweeps.warm_up()
    compiled = compiled_count(sweeps.train_batch_chunk)
    sweeps.seed_band(LabConfig(seed=4, learning_rate=3e-3, label_noise=0.3)).advance()
    sweeps.learning_rate_sweep(LabConfig(seed=1, epochs=50)).advance()
    assert compiled_count(sweeps.train_batch_chunk) == compiled


def test_the_band_is_the_mean_lowest_and_highest_over_the_seeds(band_batch):
    band = sweeps.SeedBand.of(band_batch)
    mean, low, high = band.spread("test_accuracy")
    values = band.metrics["test_accuracy"]
    np.testing.assert_allclose(mean, values.mean(axis=0))
    np.testing.assert_array_equal(low, values.min(axis=0))
    np.testing.assert_array_equal(high, values.max(axis=0))
    assert (high > low).any(), "different seeds end differently"
    assert f"{values[:, -1].min():.1%} and {values[:, -1].max():.1%}" in read_band(band)
    np.testing.assert_array_equal(final_values(band, "test_accuracy"), values[:, -1])


def test_a_seed_that_fails_ends_its_part_of_the_band():
    band = sweeps.SeedBand.of(sweeps.train_to_end(sweeps.seed_band(LabConfig(epochs=20, learning_rate=10.0))))
    assert all(band.failures)
    assert np.isnan(band.metrics["train_loss"][:, -1]).all()
    assert read_band(band).startswith(f"All {sweeps.SEEDS_PER_BAND} runs failed")


def test_the_sweeps_failures_are_those_of_each_rate_trained_alone(sweep_batch):
    points = sweeps.sweep_points(sweep_batch)
    assert [point.learning_rate for point in points] == list(sweeps.SWEEP_LEARNING_RATES)
    for point in points:
        alone = run_lab(LabConfig(**{**SWEEP_CONFIG.__dict__, "learning_rate": point.learning_rate}))
        assert (point.failure, point.stopped_at) == (alone.failure, alone.diverged_at), point.learning_rate
        if alone.epochs_done:
            np.testing.assert_allclose(point.test_loss, alone.test_loss[-1], rtol=1e-4)
    failures = {point.failure for point in points}
    assert None in failures and "blew_up" in failures, "the ladder runs from rates that train to rates that explode"
    assert "lowest held-out loss" in read_sweep(points)


def test_slider_values_reuse_the_one_compiled_batch_chunk():
    # Counted after a first band of this size: JAX's dispatch cache adds an entry (no compile, no trace) when a
    # batch of another size ran in between.
    sweeps.train_to_end(sweeps.seed_band(BAND_CONFIG))
    compiled = compiled_count(sweeps.train_batch_chunk)
    for change in ({"seed": 11}, {"learning_rate": 3e-3}, {"label_noise": 0.5}, {"weight_decay": 1e-3}, {"epochs": 12}):
        sweeps.train_to_end(sweeps.seed_band(LabConfig(**{**BAND_CONFIG.__dict__, **change})))
    assert compiled_count(sweeps.train_batch_chunk) == compiled


def test_a_batch_refuses_runs_that_differ_in_more_than_seed_and_rate():
    with pytest.raises(ValueError, match="only in seed and learning rate"):
        sweeps.RunBatch((LabConfig(epochs=5), LabConfig(epochs=6)))
