"""Plain-language readings of a lab run: what happened and what to try next.

Each reading is (level, text) with level one of "error", "warning", "info", "success", so a page can
show it with the matching colour. The numbers in the text come from the run itself. Why a run stopped early
is core.lessons.stops's to say (the live panel shows it on every page), so a failed run has no readings here.
"""

from __future__ import annotations

import numpy as np

from core.engine.classifier import SAFE_LEARNING_RATES, LabConfig, LabHistory, suggested_learning_rate
from core.i18n import formatted, percent, tr, tr_later
from core.lessons.user_text import markdown_literal

# A run whose held-out accuracy got less than this share of the way from guessing to perfect learned little.
LEARNED_LITTLE = 0.5
# A run this short that learned little has not had the time to show what its rate does: it has learned little "so
# far", and no rate is suggested (a smaller one would learn even less in as few epochs).
EPOCHS_TO_JUDGE_THE_RATE = 100
# The lab's choices (its sliders and its exercise links).
LEARNING_RATES = (1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3, 1e-2, 2e-2, 5e-2, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0)
WEIGHT_DECAYS = (0.0, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1)
INPUT_NOISES = tuple(round(0.05 * step, 2) for step in range(21))  # 0 to 1 in steps of 0.05
RISING_TEST_LOSS = 1.2  # held-out loss 20% above its minimum counts as clearly rising
# Training itself got worse when its loss ends this many times above its lowest and its accuracy this far below its
# best: steps too large for the optimizer, not memorization (Adam at 0.1 on the digits: 93% -> 72% on its own data).
WORSE_TRAINING_LOSS = 1.5
WORSE_TRAINING_ACCURACY = 0.05


# The lab page's controls as it first opens (the seed apart): the page and its guided tasks start from them.
PAGE_DEFAULTS = {
    "lab_dataset": "digits",
    "lab_noise": 0,
    "lab_size": 100,
    "lab_input_noise": 0.0,
    "lab_lr": 1e-3,
    "lab_epochs": 200,
    "lab_wd": 0.0,
    "lab_optimizer": "adam",
    "lab_width": 128,
    "lab_depth": 2,
}


def decimal_text(value: float, decimals: int) -> str:
    """A number with fixed decimals in the learner's language ("0.62", "0,62"), rounded as f"{value:.2f}" rounds it."""
    return formatted(value, f".{decimals}f")


def short_number(value: float, spec: str = "g") -> str:
    """A rate as Python's format `spec` writes it (0.001, 1e-05, 5), with the learner's decimal sign."""
    return formatted(value, spec)


def read_run(history: LabHistory, config: LabConfig, class_names=None) -> list[tuple[str, str]]:
    """All readings that apply to a run that has not failed, the most important first."""
    if history.failure or history.epochs_done == 0:
        return []
    if history.answers_one_class():
        return [_stuck_reading(history, config, class_names)]
    learned_little = _learned_little_reading(history, config)
    readings = [
        _speed_reading(history, config),
        learned_little,
        None if learned_little else _training_got_worse_reading(history, config),  # one piece of advice on the rate
        _memorization_reading(history),
        _ignores_wrong_labels_reading(history),
        _overfitting_reading(history),
    ]
    return [reading for reading in readings if reading] or [_final_reading(history)]


def _final_reading(history: LabHistory):
    """When nothing else applies: what it learned carries over, or it has learned little so far (a model at about
    chance on both sets also has a small gap, which says nothing about generalizing)."""
    if held_out_skill(history) >= LEARNED_LITTLE:
        return _generalizes_reading(history)
    return (
        "info",
        tr(
            "Held-out accuracy {held_out} and training accuracy {training} are still low (guessing gets about "
            "{chance}): the model has learned little so far, so the small gap between them says nothing yet."
        ).format(
            held_out=percent(history.test_accuracy[-1]),
            training=percent(history.train_accuracy[-1]),
            chance=percent(1 / history.num_classes),
        ),
    )


def _stuck_reading(history: LabHistory, config: LabConfig, class_names):
    """The model answers one class for everything, and the engine did not blame the learning rate (a rate it blames
    stops the run): say what the settings point to instead."""
    top = int(np.bincount(history.train_predictions[-1][: history.data.n_active].astype(np.int64)).argmax())
    name = markdown_literal(class_names[top] if class_names else top)
    if config.weight_decay or config.l1_strength:
        cause = tr(
            "The regularization may be pulling every weight towards zero harder than the examples pull them away, "
            "which leaves the same answer for everything: make it weaker, such as {weaker}, or turn it off."
        ).format(weaker=short_number(weaker_regularization(config.l1_strength or config.weight_decay)))
    elif not config.hidden or config.activation == "linear":
        cause = tr(STRAIGHT_BORDER)
    else:
        cause = tr(
            "The same model with a smaller learning rate ({rate}) does no better, so it "
            "is not the rate: the network may need more epochs to get going (deep 'sigmoid' networks start slowly), "
            "or its inputs say too little about the classes."
        ).format(rate=short_number(suggested_learning_rate(config)))
    return (
        "warning",
        tr(
            "After {epochs} epochs the model answers '{name}' for almost every example and is no better "
            "than guessing. {cause}"
        ).format(epochs=history.epochs_done, name=name, cause=cause),
    )


def _speed_reading(history: LabHistory, config: LabConfig):
    losses, safe = history.train_loss, SAFE_LEARNING_RATES[config.optimizer]
    # wrong labels keep the training loss high even for a good model, so judge by held-out accuracy too
    learned_little = history.test_accuracy[-1] < 0.85
    # only a rate below one known to train is "tiny": above it, slow progress has another cause
    tiny_steps = config.learning_rate < safe
    if (
        tiny_steps
        and history.epochs_done >= 10
        and losses[-1] > 0.8 * losses[0]
        and losses[-1] > 0.3
        and learned_little
    ):
        return (
            "warning",
            tr(
                "The training error barely moved ({start} to {end}): at a learning rate "
                "of {rate} each step is tiny. Use more epochs or a larger learning rate, such as "
                "{safe}."
            ).format(
                start=decimal_text(losses[0], 2),
                end=decimal_text(losses[-1], 2),
                rate=short_number(config.learning_rate, ".2g"),
                safe=short_number(safe),
            ),
        )
    return None


def held_out_skill(history: LabHistory) -> float:
    """How far the last held-out accuracy got from guessing (0) to every answer right (1)."""
    chance = 1 / history.num_classes
    return float((history.test_accuracy[-1] - chance) / (1 - chance))


STRAIGHT_BORDER = tr_later(
    "Without a hidden layer, or with the 'linear' activation, the network can only draw a straight border "
    "between the classes, and none separates these: add a hidden layer with a bend."
)


# The strongest regularization (L1 or L2) measured to let the Playground's default network learn its hardest data
# set, the spirals, at the page's learning rate (0.03, seeds 0 and 1; tests/test_advice.py follows it).
SAFE_REGULARIZATION = 0.01


# Strengths a suggestion may name: on both the lab's weight-decay slider and the Playground's strength slider.
SUGGESTED_STRENGTHS = (1e-4, 1e-3, 1e-2)
# A regularization weaker than this whose weights still grew is not blamed (a judgment, not measured: it keeps the
# sliders' 1e-5 and 1e-4 from being named, where the rate is the likelier suspect).
HOLDS_BACK = 1e-3


def weaker_regularization(strength: float) -> float:
    """A strength to try after one that held the model back: a tenth of it, and no more than SAFE_REGULARIZATION (a
    tenth of 0.3 still kept the spirals from being learned), snapped down to one both sliders offer: 0 (none) below
    the smallest."""
    target = min(strength / 10, SAFE_REGULARIZATION) * (1 + 1e-9)
    return max((choice for choice in SUGGESTED_STRENGTHS if choice <= target), default=0.0)


def _learned_little_reading(history: LabHistory, config: LabConfig):
    """Held-out accuracy less than halfway from guessing to perfect; above the safe rate, the rate is the suspect."""
    safe = SAFE_LEARNING_RATES[config.optimizer]
    if held_out_skill(history) >= LEARNED_LITTLE or config.learning_rate < safe:
        return None  # below the safe rate, tiny steps are _speed_reading's to explain
    if history.epochs_done < EPOCHS_TO_JUDGE_THE_RATE:
        return None  # too early to blame the rate (the Playground's own rate was blamed 20 epochs in)
    text = tr("The model learned little: held-out accuracy is {accuracy} (guessing gets about {chance}).").format(
        accuracy=percent(history.test_accuracy[-1]), chance=percent(1 / history.num_classes)
    )
    strength = config.l1_strength or config.weight_decay
    if not config.hidden or config.activation == "linear":  # the border's shape, not the rate, is the likely cause
        text += " " + tr(STRAIGHT_BORDER)
    elif strength >= HOLDS_BACK and history.weight_size_ratio >= 1:  # the weights grew; less is worth a try
        text += " " + tr(
            "The regularization (strength {strength}) holds the weights back from fitting the examples: try a weaker "
            "regularization, such as {weaker}, before changing the learning rate."
        ).format(strength=short_number(strength), weaker=short_number(weaker_regularization(strength)))
    elif strength and history.weight_size_ratio < 1:  # pulled smaller than they started: the regularization won
        text += " " + tr(
            "Its weights are now {ratio} of their size at the start: the regularization (strength {strength}) pulls "
            "them towards zero harder than the examples pull them out, and a network with such small weights can "
            "only draw a simple border. Try a weaker regularization, such as {weaker}."
        ).format(
            ratio=percent(history.weight_size_ratio),
            strength=short_number(strength),
            weaker=short_number(weaker_regularization(strength)),
        )
    elif config.learning_rate > safe:
        text += " " + tr(
            "A learning rate of {rate} is above {safe}, the largest rate measured to train "
            "every data set here: steps this large keep throwing the parameters past a good fit. Try a smaller "
            "learning rate, such as {suggested}."
        ).format(
            rate=short_number(config.learning_rate, ".2g"),
            safe=short_number(safe),
            suggested=short_number(suggested_learning_rate(config)),
        )
    return ("warning", text)


def training_got_worse(history: LabHistory) -> bool:
    """The model ends clearly worse on its own training data than it once was."""
    losses, accuracy = history.train_loss, history.train_accuracy
    return bool(
        losses[-1] > WORSE_TRAINING_LOSS * losses.min() and accuracy[-1] < accuracy.max() - WORSE_TRAINING_ACCURACY
    )


def _training_got_worse_reading(history: LabHistory, config: LabConfig):
    if not training_got_worse(history):
        return None
    best = int(np.argmax(history.train_accuracy))
    return (
        "warning",
        tr(
            "Training accuracy reached {best} at epoch {epoch} and has fallen to {now}: the model got worse on its "
            "own training data, so this is not memorization. At a learning rate of {rate} the steps are so large "
            "that they keep throwing the parameters past a good fit. Try a smaller learning rate, such as "
            "{suggested}."
        ).format(
            best=percent(history.train_accuracy[best]),
            epoch=best + 1,
            now=percent(history.train_accuracy[-1]),
            rate=short_number(config.learning_rate, ".2g"),
            suggested=short_number(suggested_learning_rate(config)),
        ),
    )


def _memorization_reading(history: LabHistory):
    mislabeled = int(history.data.mislabeled.sum())
    memorized = history.memorized_share[-1]
    if mislabeled == 0 or not memorized > 0.25:
        return None
    best = history.best_epoch()
    return (
        "warning",
        tr(
            "The model has memorized {memorized} of the {mislabeled} mislabeled training examples: it repeats the "
            "wrong label it was given. Training accuracy is {training}, but on held-out data it "
            "is {held_out} (it was {best_held_out} at epoch {best})."
        ).format(
            memorized=percent(memorized),
            mislabeled=mislabeled,
            training=percent(history.train_accuracy[-1]),
            held_out=percent(history.test_accuracy[-1]),
            best_held_out=percent(history.test_accuracy[best - 1]),
            best=best,
        ),
    )


def _ignores_wrong_labels_reading(history: LabHistory):
    gap = history.generalization_gap_accuracy[-1]
    if not history.data.mislabeled.any() or gap > -0.05:
        return None
    return (
        "info",
        tr(
            "The model does better on held-out data ({held_out}) than on its own training labels "
            "({training}): it has learned the real pattern and still disagrees with most of "
            "the {wrong} wrong labels. Train longer and watch whether it starts to "
            "learn them by heart."
        ).format(
            held_out=percent(history.test_accuracy[-1]),
            training=percent(history.train_accuracy[-1]),
            wrong=int(history.data.mislabeled.sum()),
        ),
    )


def _overfitting_reading(history: LabHistory):
    best = history.best_epoch()
    if best is None or history.test_loss[-1] < RISING_TEST_LOSS * history.test_loss[best - 1]:
        return None
    if history.train_loss[-1] > history.train_loss[best - 1]:
        return None  # training got worse too: not the overfitting this reading describes
    return (
        "info",
        tr(
            "Held-out loss has risen since epoch {best} while training loss kept falling: the model is now fitting "
            "details of its training data that do not carry over to new examples. Stopping at the marked epoch "
            "would have given the best held-out result."
        ).format(best=best),
    )


def _generalizes_reading(history: LabHistory):
    # The gap between the two percentages as shown (one decimal each), so that the sentence's numbers add up.
    held_out, training = (
        round(100 * float(share), 1) for share in (history.test_accuracy[-1], history.train_accuracy[-1])
    )
    if held_out >= training:
        text = tr(
            "Held-out accuracy {held_out}, training accuracy {training}: no worse on examples it never saw than on "
            "its own, so what it learned carries over."
        )
    else:
        text = tr(
            "Held-out accuracy {held_out}, training accuracy {training}: "
            "a gap of {points} percentage points, so what it learned carries over to examples it never saw."
        )
    return (
        "success",
        text.format(
            held_out=percent(held_out / 100, 1),
            training=percent(training / 100, 1),
            points=decimal_text(training - held_out, 1),
        ),
    )
