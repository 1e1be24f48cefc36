"""The parts every page shares, in both languages: why a run stopped, the seed band's and the sweep's readings, a
pinned run's legend and an exercise link's problems, with their numbers written as each language writes them."""

from __future__ import annotations

import types

import numpy as np

from core.engine.classifier import LabConfig, TrainingRun
from core.engine.run import Progress
from core.engine.sweeps import SeedBand, SweepPoint
from core.i18n import language_as
from core.lessons import compare, links
from core.lessons.luck import band_ending, read_band, read_sweep
from core.lessons.stops import stop_reason, stopped_by_learner


def diverged_run(learning_rate: float = 1.5):
    """A lab run that blew up at epoch 7 (only what the stop reason reads)."""
    return types.SimpleNamespace(
        failure="blew_up",
        diverged_at=7,
        config=LabConfig(learning_rate=learning_rate),
        data=types.SimpleNamespace(x=np.zeros((4, 3)), n_active=4),
        dataset=types.SimpleNamespace(x_test=np.zeros((2, 3))),
    )


def test_a_stop_reason_reads_with_its_numbers_in_both_languages():
    reason = stop_reason.dispatch(TrainingRun)
    english = reason(diverged_run())
    assert english.startswith("Training diverged in epoch 7 (so that epoch is not shown): with a learning rate of 1.5")
    assert english.endswith(
        "more than 4 times worse than guessing. Training was stopped. Try a smaller learning rate, such as 0.01."
    )
    with language_as("nl"):
        dutch = reason(diverged_run())
    assert dutch.startswith("De training ontspoorde in epoch 7 (die epoch staat dus niet in de grafieken): met een ")
    assert "meer dan 4 keer slechter was dan gokken" in dutch and dutch.endswith("bijvoorbeeld 0,01.")


def test_a_run_stopped_by_the_learner_counts_its_epochs_and_steps_in_both_languages():
    assert stopped_by_learner(Progress(40, 200, "epoch")).startswith("You stopped this run after 40 of 200 epochs:")
    assert stopped_by_learner(Progress(0, 1, "step")).startswith("You stopped this run after 0 of 1 step:")
    with language_as("nl"):
        assert stopped_by_learner(Progress(40, 200, "epoch")).startswith(
            "Je hebt deze training gestopt na 40 van 200 epochs:"
        )
        assert stopped_by_learner(Progress(3, 30, "step")).startswith(
            "Je hebt deze training gestopt na 3 van 30 stappen:"
        )
        assert stopped_by_learner(Progress(0, 1, "step")).startswith("Je hebt deze training gestopt na 0 van 1 stap:")


def seed_band(failed: int = 0) -> SeedBand:
    """Eight seeds whose held-out accuracy ends between 91.25% and 93.75% and loss between 0.214 and 0.297."""
    accuracy = np.linspace(0.9125, 0.9375, 8)[:, None] * np.ones((8, 3))
    loss = np.linspace(0.214, 0.297, 8)[:, None] * np.ones((8, 3))
    for row in range(failed):
        accuracy[row] = loss[row] = np.nan  # failed before its first epoch ended
    failures = ("blew_up",) * failed + (None,) * (8 - failed)
    return SeedBand(tuple(range(5, 13)), {"test_accuracy": accuracy, "test_loss": loss}, failures, 3)


def test_the_seed_band_reads_with_decimal_commas_in_dutch():
    band = seed_band()
    english = read_band(band)
    assert (
        english.startswith(
            "Over 8 seeds (seeds 5 to 12) the held-out accuracy ended between 91.2% and 93.8% (mean 92.5%)."
        )
        and "differ by less than 2.5 points may differ only by luck." in english
    )
    assert (
        band_ending(band, "test_accuracy") == "Held-out accuracy ends between 91% and 94% over 8 seeds (seeds 5 to 12)."
    )
    assert band_ending(band, "test_loss") == "Held-out loss ends between 0.214 and 0.297 over 8 seeds (seeds 5 to 12)."
    with language_as("nl"):
        dutch = read_band(band)
        assert (
            dutch.startswith(
                "Over 8 seeds (seeds 5 tot en met 12) eindigde de nauwkeurigheid op testdata tussen 91,2% en 93,8% "
                "(gemiddeld 92,5%)."
            )
            and "minder dan 2,5 procentpunt verschillen" in dutch
        )
        assert band_ending(band, "test_loss") == (
            "Verlies op testdata eindigt tussen 0,214 en 0,297 over 8 seeds (seeds 5 tot en met 12)."
        )


def test_runs_that_stopped_early_are_counted_in_the_right_number_in_dutch():
    assert band_ending(seed_band(failed=1), "test_loss").endswith("; 1 stopped early.")
    with language_as("nl"):
        assert band_ending(seed_band(failed=1), "test_loss").endswith("; 1 training stopte vroegtijdig.")
        assert band_ending(seed_band(failed=2), "test_loss").endswith("; 2 trainingen stopten vroegtijdig.")
        assert "1 van de 8 trainingen is mislukt" in read_band(seed_band(failed=1))


def test_the_sweep_reading_lists_failed_rates_without_mixing_up_decimal_commas():
    points = [
        SweepPoint(0.03, 0.2, 0.3456, None, None),
        SweepPoint(0.3, np.nan, np.nan, "blew_up", 2),
        SweepPoint(1.0, np.nan, np.nan, "collapsed", 3),
    ]
    assert read_sweep(points) == (
        "The lowest held-out loss (0.346) came at a learning rate of 0.03. Training failed (shaded) at 0.3, 1: steps "
        "that large throw the parameters around."
    )
    with language_as("nl"):
        assert read_sweep(points).startswith(
            "Het laagste verlies op testdata (0,346) kwam bij een leersnelheid van 0,03. Bij 0,3; 1 mislukte"
        )


def test_a_pinned_runs_legend_and_a_links_problems_in_dutch():
    pinned = compare.Pin(LabConfig(), {})
    with language_as("nl"):
        assert compare.pin_label(pinned, LabConfig(learning_rate=0.01)) == "vastgezet: leersnelheid 0,001 → 0,01"
        assert compare.pin_label(pinned, LabConfig()) == "vastgezet: dezelfde instellingen"
        reading = links.read_link(links.PAGES["memorize-or-generalize"], {"lab_seed": "abc", "colour": "red"})
    assert "lab_seed=abc is niet overgenomen: 'abc' is geen getal" in reading.problems
    assert "colour is geen instelling van deze pagina" in reading.problems
