"""Compute accounting for "Should you train your own?": what training costs in operations, what foundation
models cost by the figures their makers published, and how long a machine of a measured speed would need.

Training a transformer costs about 6 floating-point operations per parameter per token read: 2 for the
forward pass (a multiply and an add per weight) and 4 for the backward pass (gradients for the activations
and for the weights). Attention adds a little more at long contexts; the rule is the standard estimate
and close enough to compare a lesson's run with a foundation model, which differ by ten orders of magnitude.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.i18n import number, tr, tr_later, trn

OPERATIONS_PER_PARAMETER_TOKEN = 6
SECONDS_PER_YEAR = 365.25 * 24 * 3600
_SPANS = (  # unit, seconds in it, used up to this many seconds
    ("second", 1, 60),
    ("minute", 60, 3600),
    ("hour", 3600, 2 * 86400),
    ("day", 86400, 2 * SECONDS_PER_YEAR),
    ("year", SECONDS_PER_YEAR, 1e6 * SECONDS_PER_YEAR),
    ("million years", 1e6 * SECONDS_PER_YEAR, 1e9 * SECONDS_PER_YEAR),
    ("billion years", 1e9 * SECONDS_PER_YEAR, float("inf")),
)


def training_operations(parameters: float, tokens: float) -> float:
    """Floating-point operations to train a model of `parameters` weights on `tokens` tokens: 6 x N x D."""
    return OPERATIONS_PER_PARAMETER_TOKEN * parameters * tokens


@dataclass(frozen=True)
class Reference:
    """A published foundation model: its size, the tokens it was trained on and its training compute."""

    name: str
    parameters: float
    tokens: float
    operations: float
    source: str  # where the figures were published, in words (English: shown with tr(source))


# GPT-3's and Llama 3.1's compute are their papers' own figures; the others are 6 x the published parameters x
# the published training tokens (for GPT-3 that rule gives 3.15e23, against the paper's 3.14e23).
REFERENCES = (
    Reference(
        "GPT-3 (OpenAI, 2020)",
        175e9,
        300e9,
        3.14e23,
        tr_later(
            'Brown et al., "Language Models are Few-Shot Learners" (2020): 175 billion parameters, 300 billion '
            "tokens, 3.14 × 10²³ training operations"
        ),
    ),
    Reference(
        "Chinchilla (DeepMind, 2022)",
        70e9,
        1.4e12,
        training_operations(70e9, 1.4e12),
        tr_later(
            'Hoffmann et al., "Training Compute-Optimal Large Language Models" (2022): 70 billion parameters, '
            "1.4 trillion tokens"
        ),
    ),
    Reference(
        "Llama 2 70B (Meta, 2023)",
        70e9,
        2e12,
        training_operations(70e9, 2e12),
        tr_later(
            'Touvron et al., "Llama 2: Open Foundation and Fine-Tuned Chat Models" (2023): 70 billion parameters, '
            "2 trillion tokens"
        ),
    ),
    Reference(
        "Llama 3.1 405B (Meta, 2024)",
        405e9,
        15.6e12,
        3.8e25,
        tr_later(
            'Llama Team, Meta, "The Llama 3 Herd of Models" (2024): 405 billion parameters, 15.6 trillion tokens, '
            "3.8 × 10²⁵ training operations"
        ),
    ),
)


def seconds_to_train(operations: float, operations_per_second: float) -> float:
    """How long a machine that does `operations_per_second` (measured, not its peak) needs for `operations`."""
    return operations / operations_per_second


def duration_in_words(seconds: float) -> str:
    """A duration as a person says it, to two significant digits: "45 seconds", "3.5 days", "120,000
    years", "2.6 million years"."""
    for unit, size, below in _SPANS:
        rounded = float(f"{seconds / size:.2g}")
        if rounded * size < below:  # 59.9 seconds reads "1 minute", not "60 seconds"
            return _count(rounded, unit)
    raise AssertionError("the last span has no upper end")


def _count(rounded: float, unit: str) -> str:
    text = number(rounded, 0) if rounded >= 10 else number(rounded)
    count = 1 if text == "1" else 2  # the form the written number takes: "1 day", "1.5 days"
    if unit == "second":
        words = trn("{count} second", "{count} seconds", count)
    elif unit == "minute":
        words = trn("{count} minute", "{count} minutes", count)
    elif unit == "hour":
        words = trn("{count} hour", "{count} hours", count)
    elif unit == "day":
        words = trn("{count} day", "{count} days", count)
    elif unit == "year":
        words = trn("{count} year", "{count} years", count)
    elif unit == "million years":
        words = tr("{count} million years")
    else:
        words = tr("{count} billion years")
    return words.format(count=text)


SUPERSCRIPT_DIGITS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def operations_in_words(operations: float) -> str:
    """A count of operations as "3.1 × 10²³": an exponent a reader can compare at a glance, written as a raised
    number (no code notation like "10^23"), the mantissa written for the language ("3,1 × 10²³" in Dutch)."""
    mantissa, exponent = f"{operations:.1e}".split("e")
    return f"{number(float(mantissa), 1)} × 10{str(int(exponent)).translate(SUPERSCRIPT_DIGITS)}"


def reference_in_words(reference: Reference, operations_per_second: float) -> str:
    """One sentence: the reference's training compute and how long this machine would need for it."""
    seconds = seconds_to_train(reference.operations, operations_per_second)
    return tr(
        "{name}: {operations} operations; at {speed} operations a second this machine would need {duration}."
    ).format(
        name=reference.name,
        operations=operations_in_words(reference.operations),
        speed=operations_in_words(operations_per_second),
        duration=duration_in_words(seconds),
    )


_LARGE_NUMBERS = (
    (1e12, tr_later("about {number} trillion times")),
    (1e9, tr_later("about {number} billion times")),
    (1e6, tr_later("about {number} million times")),
)


def times_in_words(ratio: float) -> str:
    """How many times as many, as a person says it: "about 900 billion times", "about 40 times"."""
    for size, words in _LARGE_NUMBERS:
        if ratio >= size:
            return tr(words).format(number=number(float(f"{ratio / size:.2g}")))
    if ratio >= 10:
        return tr("about {number} times").format(number=number(float(f"{ratio:.2g}"), 0))
    return tr("about {number} times").format(number=number(ratio, 1))
