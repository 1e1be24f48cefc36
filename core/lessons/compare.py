"""Comparing runs and taking their numbers away: a pinned run, the settings that changed, the curves as CSV.

A pin keeps only a run's settings (its frozen config dataclass) and its per-epoch (or per-step) numbers, never
the run itself, so a few pins cost a few kilobytes. Settings are compared field by field, and each change
reads as words ("learning rate 0.001 → 0.01"), which is what the legend of a comparison chart shows.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, fields, is_dataclass

import numpy as np
import pandas as pd

from core.lessons.training_step.stepper import Stepper

MAX_PINS = 3
MAX_CHANGES_NAMED = 2  # more would not fit a legend entry; the rest are counted
# Field names that read badly as words; the others read as they are, with spaces for underscores.
SETTING_WORDS = {
    "hidden": "hidden layers",
    "n_points": "points",
    "train_size": "training examples",
    "held_out_share": "held-out share",
    "l1_strength": "L1 strength",
    "batch_size": "batch size",
}
# The curve a comparison chart draws, by the column that holds it, and what it is called.
COMPARED_CURVES = {"test_loss": "held-out loss", "loss": "loss on all data"}


@dataclass(frozen=True)
class LineSettings:
    """The settings of a training-loop run (a Stepper keeps them among its own state)."""

    scaling: str
    learning_rate: float
    batch_size: int | None
    seed: int


@dataclass(frozen=True)
class Pin:
    """What is kept of a pinned run: its settings and its numbers (columns of equal length, the first the axis)."""

    settings: object
    columns: dict


def run_settings(run):
    """The frozen dataclass a run was configured with."""
    if isinstance(run, Stepper):
        return LineSettings(run.problem.scaling, float(run.learning_rate), run.batch_size, int(run.seed))
    return run.config


def curve_columns(history) -> dict[str, np.ndarray]:
    """A run's numbers so far as named columns of equal length, the first being the epoch or the step."""
    metrics = getattr(history, "metrics", None)
    if metrics is not None:
        epochs = len(metrics["train_loss"])
        return {"epoch": np.arange(1, epochs + 1)} | {name: np.asarray(values) for name, values in metrics.items()}
    path = np.asarray(history.path).reshape(-1, 2)
    return {"step": np.arange(len(path)), "w": path[:, 0], "b": path[:, 1], "loss": np.asarray(history.losses)}


def pin(run, settings=None) -> Pin:
    """What is kept of `run`; `settings` replaces its own config where a page knows more about it."""
    return Pin(run_settings(run) if settings is None else settings, curve_columns(run.history()))


def compared_curve(columns: dict) -> tuple[str, np.ndarray, np.ndarray] | None:
    """(what it is called, the axis, the values) of the curve a comparison draws from these columns."""
    axis = next(iter(columns.values()))
    for name, words in COMPARED_CURVES.items():
        if name in columns:
            return words, axis, columns[name]
    return None


def setting_text(value) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, tuple):
        return " × ".join(str(part) for part in value) if value else "none"
    return "all" if value is None else str(value)


def settings_changes(before, after) -> list[str]:
    """Each setting that differs between two config dataclasses, as "name old → new"."""
    if not (is_dataclass(before) and is_dataclass(after)):
        return []
    shared = [field.name for field in fields(before) if field.name in {f.name for f in fields(after)}]
    return [
        f"{SETTING_WORDS.get(name, name.replace('_', ' '))} {setting_text(old)} → {setting_text(new)}"
        for name in shared
        if (old := getattr(before, name)) != (new := getattr(after, name))
    ]


def pin_label(pinned: Pin, current_settings) -> str:
    """A legend entry for a pinned run: what changed from it to the current run."""
    changes = settings_changes(pinned.settings, current_settings)
    if not changes:
        return "pinned: same settings"
    more = len(changes) - MAX_CHANGES_NAMED
    return "pinned: " + ", ".join(changes[:MAX_CHANGES_NAMED]) + (f" (+{more} more)" if more > 0 else "")


def with_pin(pins: tuple[Pin, ...], new: Pin) -> tuple[Pin, ...]:
    """The pins with `new` added, the oldest dropped beyond MAX_PINS."""
    return (*pins, new)[-MAX_PINS:]


def settings_lines(settings) -> list[str]:
    """One "name = value" line per setting, on one line each whatever the value holds."""
    if not is_dataclass(settings):
        return []
    return [f"{field.name} = {' '.join(str(getattr(settings, field.name)).split())}" for field in fields(settings)]


def curves_csv(columns: dict, settings) -> str:
    """The columns as CSV, headed by the settings as "#" comment lines (pandas: read_csv(..., comment="#"))."""
    text = io.StringIO()
    text.write("# Trainlab run. Settings:\n")
    text.writelines(f"# {line}\n" for line in settings_lines(settings))
    pd.DataFrame(columns).to_csv(text, index=False)
    return text.getvalue()
