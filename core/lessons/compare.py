"""Comparing runs and taking their numbers away: a pinned run, the settings that changed, the curves as CSV.

A pin keeps only a run's settings (its frozen config dataclass, or a dict of settings named in words where a
lesson's run has more to it than its config) and its per-epoch (or per-step) numbers, never the run itself, so a
few pins cost a few kilobytes. Settings are compared one by one, and each change reads as words ("learning rate
0.001 → 0.01"), which is what the legend of a comparison chart shows.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, fields, is_dataclass

import numpy as np
import pandas as pd

from core.lessons.training_step.stepper import Stepper
from core.lessons.user_text import shortened

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
    "texts": "training adverts",
    "style": "adverts",
    "off_style_share": "off-style adverts",
}
SHOWN_VALUE_CHARACTERS = 30  # a legend names a changed file or column by at most this much of its name
# The curves a comparison chart can draw, by the column that holds them, and what each is called; it draws the first
# the run has unless the learner picks another (a language-model run has one per model).
COMPARED_CURVES = {
    "test_loss": "held-out loss",
    "loss": "loss on all data",
    "fine_tuned_heldout_style_loss": "held-out loss of the fine-tuned model",
    "from_scratch_heldout_style_loss": "held-out loss of the model trained from scratch",
}
# A language-model run's numbers, measured every few steps: (column suffix, the history's dict of curves per model).
LM_CURVES = (("heldout_style_loss", "heldout_style"), ("heldout_general_loss", "heldout_general"))


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
    if hasattr(history, "eval_steps"):
        return language_model_columns(history)
    path = np.asarray(history.path).reshape(-1, 2)
    return {"step": np.arange(len(path)), "w": path[:, 0], "b": path[:, 1], "loss": np.asarray(history.losses)}


def language_model_columns(history) -> dict[str, np.ndarray]:
    """A language-model run's held-out losses at the steps they were measured (step 0: before training), one
    column per model and held-out set. Its training loss, one value per step, has other steps and is left out."""
    columns = {"step": np.asarray(history.eval_steps)}
    for suffix, attribute in LM_CURVES:
        columns |= {f"{model}_{suffix}": np.asarray(losses) for model, losses in getattr(history, attribute).items()}
    return columns


def pin(run, settings=None) -> Pin:
    """What is kept of `run`; `settings` replaces its own config where a page knows more about it."""
    return Pin(run_settings(run) if settings is None else settings, curve_columns(run.history()))


def compared_curves(columns: dict) -> dict[str, str]:
    """The curves of COMPARED_CURVES these columns hold: column -> what it is called."""
    return {name: words for name, words in COMPARED_CURVES.items() if name in columns}


def compared_curve(columns: dict, choice: str | None = None) -> tuple[str, np.ndarray, np.ndarray] | None:
    """(what it is called, the axis, the values) of the curve a comparison draws from these columns: the column
    `choice` where they hold it, else the first of COMPARED_CURVES they hold."""
    curves = compared_curves(columns)
    name = choice if choice in curves else next(iter(curves), None)
    return None if name is None else (curves[name], next(iter(columns.values())), columns[name])


def setting_text(value, name: str = "") -> str:
    if isinstance(value, float):
        return f"{value:.0%}" if name.endswith("_share") else f"{value:g}"
    if isinstance(value, tuple):
        return " × ".join(str(part) for part in value) if value else "none"
    return "all" if value is None else shortened(value, SHOWN_VALUE_CHARACTERS)


def setting_items(settings) -> dict:
    """A run's settings as name -> value: a config dataclass's fields, or a dict already named in words."""
    if isinstance(settings, dict):
        return settings
    return {field.name: getattr(settings, field.name) for field in fields(settings)} if is_dataclass(settings) else {}


def settings_changes(before, after) -> list[str]:
    """Each setting that differs between two runs' settings (see setting_items), as "name old → new"."""
    old_items, new_items = setting_items(before), setting_items(after)
    return [
        f"{SETTING_WORDS.get(name, name.replace('_', ' '))} {setting_text(old, name)} → {setting_text(new, name)}"
        for name, old in old_items.items()
        if name in new_items and old != (new := new_items[name])
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
    return [f"{name} = {' '.join(str(value).split())}" for name, value in setting_items(settings).items()]


def curves_csv(columns: dict, settings) -> str:
    """The columns as CSV, headed by the settings as "#" comment lines (pandas: read_csv(..., comment="#"))."""
    text = io.StringIO()
    text.write("# Trainlab run. Settings:\n")
    text.writelines(f"# {line}\n" for line in settings_lines(settings))
    pd.DataFrame(columns).to_csv(text, index=False)
    return text.getvalue()
