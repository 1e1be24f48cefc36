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

from core.engine.data import dataset_label
from core.i18n import percent, tr, tr_later
from core.lessons.training_step.stepper import Stepper
from core.lessons.user_text import short_number, shortened

MAX_PINS = 3
MAX_CHANGES_NAMED = 2  # more would not fit a legend entry; the rest are counted
# Each setting of a run's config in words, translated where shown; a name not listed reads as it is, with spaces
# for underscores (and a settings dict a page named in words is translated where the page marked its names).
SETTING_WORDS = {
    "dataset": tr_later("dataset"),
    "learning_rate": tr_later("learning rate"),
    "epochs": tr_later("epochs"),
    "steps": tr_later("steps"),
    "label_noise": tr_later("label noise"),
    "input_noise": tr_later("input noise"),
    "noise": tr_later("noise"),
    "hidden": tr_later("hidden layers"),
    "activation": tr_later("activation"),
    "weight_decay": tr_later("weight decay"),
    "regularization": tr_later("regularization"),
    "regularization_strength": tr_later("regularization strength"),
    "optimizer": tr_later("optimizer"),
    "seed": tr_later("seed"),
    "scaling": tr_later("scaling"),
    "temperature": tr_later("temperature"),
    "n_points": tr_later("points"),
    "train_size": tr_later("training-set size"),
    "held_out_share": tr_later("held-out share"),
    "l1_strength": tr_later("L1 strength"),
    "batch_size": tr_later("batch size"),
    "texts": tr_later("training adverts"),
    "style": tr_later("adverts"),
    "off_style_share": tr_later("off-style adverts"),
}
# Settings a run keeps as a fraction that its slider shows as a percentage (as do all "..._share" settings).
PERCENT_SETTINGS = ("label_noise",)
SHOWN_VALUE_CHARACTERS = 30  # a legend names a changed file or column by at most this much of its name
# The curves a comparison chart can draw, by the column that holds them, and what each is called; it draws the first
# the run has unless the learner picks another (a language-model run has one per model).
COMPARED_CURVES = {
    "test_loss": tr_later("held-out loss"),
    "loss": tr_later("loss on all data"),
    "fine_tuned_heldout_style_loss": tr_later("held-out loss of the fine-tuned model"),
    "from_scratch_heldout_style_loss": tr_later("held-out loss of the model trained from scratch"),
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
    column per model and held-out set. Its training loss, one value per step, has other steps
    (export_columns has both)."""
    columns = {"step": np.asarray(history.eval_steps)}
    for suffix, attribute in LM_CURVES:
        columns |= {f"{model}_{suffix}": np.asarray(losses) for model, losses in getattr(history, attribute).items()}
    return columns


def export_columns(history) -> dict[str, np.ndarray]:
    """What a run's CSV holds: its curve_columns, and for a language-model run also each model's training loss, one
    row per step (the training loss at step k is the loss of step k's batch, so step 0 has none; held-out losses
    are blank at the steps they were not measured)."""
    if not hasattr(history, "eval_steps"):
        return curve_columns(history)
    measured_at = np.asarray(history.eval_steps, int)
    last_step = max([len(losses) for losses in history.train_loss.values()] + [int(measured_at.max(initial=0))])
    columns = {"step": np.arange(last_step + 1)}
    for model, losses in history.train_loss.items():
        columns[f"{model}_train_loss"] = _spread(np.arange(1, len(losses) + 1), losses, last_step)
    for name, losses in language_model_columns(history).items():
        if name != "step":
            columns[name] = _spread(measured_at, losses, last_step)
    return columns


def _spread(steps: np.ndarray, values, last_step: int) -> np.ndarray:
    """The values at their steps in a column of steps 0..last_step, blank (NaN) elsewhere."""
    column = np.full(last_step + 1, np.nan, np.float32)
    column[steps] = values
    return column


def pin(run, settings=None) -> Pin:
    """What is kept of `run`; `settings` replaces its own config where a page knows more about it."""
    return Pin(run_settings(run) if settings is None else settings, curve_columns(run.history()))


def compared_curves(columns: dict) -> dict[str, str]:
    """The curves of COMPARED_CURVES these columns hold: column -> what it is called (in the learner's language)."""
    return {name: tr(words) for name, words in COMPARED_CURVES.items() if name in columns}


def compared_curve(columns: dict, choice: str | None = None) -> tuple[str, np.ndarray, np.ndarray] | None:
    """(what it is called, the axis, the values) of the curve a comparison draws from these columns: the column
    `choice` where they hold it, else the first of COMPARED_CURVES they hold."""
    curves = compared_curves(columns)
    name = choice if choice in curves else next(iter(curves), None)
    return None if name is None else (curves[name], next(iter(columns.values())), columns[name])


def setting_text(value, name: str = "") -> str:
    if name == "train_size":  # the slider shows a share of the training split; the run keeps the count it makes
        return tr("{count} examples").format(count=value)
    if isinstance(value, float):
        as_percent = name.endswith("_share") or name in PERCENT_SETTINGS
        return percent(value) if as_percent else short_number(value)
    if isinstance(value, tuple):
        return " × ".join(str(part) for part in value) if value else tr("none")
    if value is None:
        return tr("all")
    return dataset_label(value) if name == "dataset" else shortened(value, SHOWN_VALUE_CHARACTERS)


def setting_words(name: str) -> str:
    """A setting's name as the learner reads it."""
    return tr(SETTING_WORDS.get(name, name.replace("_", " ")))


def setting_items(settings) -> dict:
    """A run's settings as name -> value: a config dataclass's fields, or a dict already named in words."""
    if isinstance(settings, dict):
        return settings
    return {field.name: getattr(settings, field.name) for field in fields(settings)} if is_dataclass(settings) else {}


def settings_changes(before, after) -> list[str]:
    """Each setting that differs between two runs' settings (see setting_items), as "name old → new"."""
    old_items, new_items = setting_items(before), setting_items(after)
    return [
        f"{setting_words(name)} {setting_text(old, name)} → {setting_text(new, name)}"
        for name, old in old_items.items()
        if name in new_items and old != (new := new_items[name])
    ]


def pin_label(pinned: Pin, current_settings) -> str:
    """A legend entry for a pinned run: what changed from it to the current run."""
    changes = settings_changes(pinned.settings, current_settings)
    if not changes:
        return tr("pinned: same settings")
    named, more = ", ".join(changes[:MAX_CHANGES_NAMED]), len(changes) - MAX_CHANGES_NAMED
    if more > 0:
        return tr("pinned: {changes} (+{more} more)").format(changes=named, more=more)
    return tr("pinned: {changes}").format(changes=named)


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
