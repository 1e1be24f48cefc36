"""Readings of batches of lab runs ("is it luck?" and the learning-rate sweep): numbers in, sentences out."""

from __future__ import annotations

import numpy as np

from core.engine.data import Dataset
from core.engine.sweeps import SeedBand, SweepPoint
from core.i18n import number, percent, tr, tr_later, trn
from core.lessons.user_text import number_list, short_number

CURVE_WORDS = {"test_accuracy": tr_later("Held-out accuracy"), "test_loss": tr_later("Held-out loss")}


def final_values(band: SeedBand, name: str) -> np.ndarray:
    """Each seed's last recorded value of metric `name` (NaN for a seed that recorded none)."""
    values = band.metrics[name]
    recorded = np.isfinite(values)
    last = np.where(recorded.any(axis=1), values.shape[1] - 1 - np.argmax(recorded[:, ::-1], axis=1), 0)
    return np.where(recorded.any(axis=1), values[np.arange(len(values)), last], np.nan)


def read_band(band: SeedBand) -> str:
    """How far apart the seeds ended, and what that means for comparing two single runs."""
    accuracy = final_values(band, "test_accuracy")
    failed = sum(failure is not None for failure in band.failures)
    if not np.isfinite(accuracy).any():
        return tr("All {count} runs failed before their first epoch ended: the seed is not to blame.").format(
            count=len(band.seeds)
        )
    low, high = np.nanmin(accuracy), np.nanmax(accuracy)
    text = tr(
        "Over {count} seeds (seeds {first} to {last}) the held-out accuracy ended between {low} and {high} (mean "
        "{mean}). The seed decides the starting weights, the order of the examples and which labels are wrong, and "
        "nothing else: two single runs that differ by less than {points} points may differ only by luck."
    ).format(
        count=len(band.seeds),
        first=band.seeds[0],
        last=band.seeds[-1],
        low=percent(low, 1),
        high=percent(high, 1),
        mean=percent(np.nanmean(accuracy), 1),
        points=number(100 * (high - low), 1),
    )
    if failed:
        failures = trn(  # the same in English; Dutch says "1 ... is mislukt", "2 ... zijn mislukt"
            "{failed} of the {count} runs failed and stopped early, so their part of the band ends.",
            "{failed} of the {count} runs failed and stopped early, so their part of the band ends.",
            failed,
        )
        text += " " + failures.format(failed=failed, count=len(band.seeds))
    return text


def band_ending(band: SeedBand, name: str) -> str:
    """Where metric `name` ("test_accuracy" or "test_loss") ends over the band's seeds, as one sentence:
    "Held-out accuracy ends between 86% and 91% over 8 seeds (seeds 0 to 7)."."""
    values = final_values(band, name)
    seeds = {"count": len(band.seeds), "first": band.seeds[0], "last": band.seeds[-1]}
    if not np.isfinite(values).any():
        return tr("None of the {count} seeds (seeds {first} to {last}) recorded an epoch.").format(**seeds)
    low, high = _in_words(name, np.nanmin(values), np.nanmax(values))
    ended = int(np.isfinite(values).sum())
    reading = {"curve": tr(CURVE_WORDS[name]), "low": low, "high": high, **seeds}
    if ended < len(values):
        stopped = len(values) - ended
        return trn(  # the same in English; Dutch says "1 stopte", "2 stopten"
            "{curve} ends between {low} and {high} over {count} seeds (seeds {first} to {last}); "
            "{stopped} stopped early.",
            "{curve} ends between {low} and {high} over {count} seeds (seeds {first} to {last}); "
            "{stopped} stopped early.",
            stopped,
        ).format(stopped=stopped, **reading)
    return tr("{curve} ends between {low} and {high} over {count} seeds (seeds {first} to {last}).").format(**reading)


def _in_words(name: str, low: float, high: float) -> tuple[str, str]:
    """Two values as the reader sees them: whole percents or three digits, more when they would read as equal."""
    if name.endswith("accuracy"):
        digits = 0 if f"{low:.0%}" != f"{high:.0%}" else 1
        return percent(low, digits), percent(high, digits)
    digits = 3 if f"{low:.3g}" != f"{high:.3g}" else 5
    return short_number(low, digits), short_number(high, digits)


def same_data(first: Dataset, second: Dataset) -> bool:
    """The same examples, split the same way (the same object, or a page's own data rebuilt equal)."""
    if first is second:
        return True
    arrays = ("x_train", "y_train", "x_test", "y_test")
    return first.name == second.name and all(
        np.array_equal(getattr(first, array), getattr(second, array)) for array in arrays
    )


def read_sweep(points: list[SweepPoint]) -> str:
    """Which learning rate did best on held-out data, and from which rate training failed."""
    healthy = [point for point in points if point.failure is None and np.isfinite(point.test_loss)]
    failed = [point for point in points if point.failure is not None]
    if not healthy:
        return tr("Every learning rate failed: the settings other than the rate prevent training.")
    best = min(healthy, key=lambda point: point.test_loss)
    text = tr("The lowest held-out loss ({loss}) came at a learning rate of {rate}.").format(
        loss=short_number(best.test_loss, 3), rate=short_number(best.learning_rate)
    )
    if failed:
        rates = number_list(point.learning_rate for point in failed)
        text += " " + tr("Training failed (shaded) at {rates}: steps that large throw the parameters around.").format(
            rates=rates
        )
    return text
