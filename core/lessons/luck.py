"""Readings of batches of lab runs ("is it luck?" and the learning-rate sweep): numbers in, sentences out."""

from __future__ import annotations

import numpy as np

from core.engine.data import Dataset
from core.engine.sweeps import SeedBand, SweepPoint

CURVE_WORDS = {"test_accuracy": "Held-out accuracy", "test_loss": "Held-out loss"}


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
        return f"All {len(band.seeds)} runs failed before their first epoch ended: the seed is not to blame."
    low, high = np.nanmin(accuracy), np.nanmax(accuracy)
    text = (
        f"Over {len(band.seeds)} seeds (seeds {band.seeds[0]} to {band.seeds[-1]}) the held-out accuracy ended between "
        f"{low:.1%} and {high:.1%} (mean {np.nanmean(accuracy):.1%}). The seed decides the starting weights, the order "
        "of the examples and which labels are wrong, and nothing else: two single runs that differ by less than "
        f"{100 * (high - low):.1f} points may differ only by luck."
    )
    if failed:
        text += f" {failed} of the {len(band.seeds)} runs failed and stopped early, so their part of the band ends."
    return text


def band_ending(band: SeedBand, name: str) -> str:
    """Where metric `name` ("test_accuracy" or "test_loss") ends over the band's seeds, as one sentence:
    "Held-out accuracy ends between 86% and 91% over 8 seeds (seeds 0 to 7)."."""
    values = final_values(band, name)
    seeds = f"{len(band.seeds)} seeds (seeds {band.seeds[0]} to {band.seeds[-1]})"
    if not np.isfinite(values).any():
        return f"None of the {seeds} recorded an epoch."
    low, high = _in_words(name, np.nanmin(values), np.nanmax(values))
    ended = int(np.isfinite(values).sum())
    stopped = f"; {len(values) - ended} stopped early" if ended < len(values) else ""
    return f"{CURVE_WORDS[name]} ends between {low} and {high} over {seeds}{stopped}."


def _in_words(name: str, low: float, high: float) -> tuple[str, str]:
    """Two values as the reader sees them: whole percents or three digits, more when they would read as equal."""
    if name.endswith("accuracy"):
        digits = 0 if f"{low:.0%}" != f"{high:.0%}" else 1
        return f"{low:.{digits}%}", f"{high:.{digits}%}"
    digits = 3 if f"{low:.3g}" != f"{high:.3g}" else 5
    return f"{low:.{digits}g}", f"{high:.{digits}g}"


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
        return "Every learning rate failed: the settings other than the rate prevent training."
    best = min(healthy, key=lambda point: point.test_loss)
    text = f"The lowest held-out loss ({best.test_loss:.3g}) came at a learning rate of {best.learning_rate:g}."
    if failed:
        rates = ", ".join(f"{point.learning_rate:g}" for point in failed)
        text += f" Training failed (shaded) at {rates}: steps that large throw the parameters around."
    return text
