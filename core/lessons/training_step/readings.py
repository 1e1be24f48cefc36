"""What one training step and a run of steps did, in words: numbers in, sentences out.

The step's numbers come from Stepper.detail(); a regime from LineProblem.regime. Sentences use Markdown bold for the
numbers that matter; kinds are "success", "info", "warning" or "error", so a page shows each in its colour. Texts and
numbers are written in the learner's language (core.i18n).
"""

from __future__ import annotations

import math

from core.i18n import formatted, tr, tr_later
from core.lessons.training_step.stepper import PHASES, LineProblem, Stepper

# The names the learner reads for LineProblem.regime's regimes and the step's PHASES (those stay the code's keys).
REGIME_NAMES = {
    "too slow": tr_later("too slow"),
    "good": tr_later("good"),
    "oscillating": tr_later("oscillating"),
    "diverging": tr_later("diverging"),
}
PHASE_NAMES = dict(
    zip(
        PHASES,
        (
            tr_later("data"),
            tr_later("predictions"),
            tr_later("loss"),
            tr_later("gradients"),
            tr_later("update"),
            tr_later("loss after"),
        ),
        strict=True,
    )
)


def regime_name(regime: str) -> str:
    """A regime of LineProblem.regime ("too slow", ...) as the learner reads it, lower case."""
    return tr(REGIME_NAMES[regime])


def phase_name(phase: int) -> str:
    """The name of phase `phase` (0-based) of a step, as the learner reads it."""
    return tr(PHASE_NAMES[PHASES[phase]])


def readable(value: float, digits: int = 3) -> str:
    """A number for the screen: never 'nan' or 'inf', short even when a diverging run makes it huge, and negative
    with the minus sign the texts' formulas use (−0.5, not the hyphen of -0.5)."""
    if not math.isfinite(value):
        return tr("too large to compute")
    text = formatted(value, f".{digits}g" if abs(value) >= 1e4 else f".{digits}f")
    return "−" + text[1:] if text.startswith("-") else text


def readable_pair(before: float, after: float, digits: int = 4, most_digits: int = 8) -> tuple[str, str]:
    """Two numbers with the fewest decimals (from `digits`) that tell them apart, so that "0.3289 → 0.3289, down"
    cannot happen late in a run; equal to `most_digits` decimals, they are written so."""
    for shown in range(digits, most_digits + 1):
        texts = readable(before, shown), readable(after, shown)
        if texts[0] != texts[1]:
            return texts
    return texts


def plus(value: float) -> str:
    """ "+ value", or "− |value|" for a negative one: 2.989 · 0.583 − 1.032, not 2.989 · 0.583 + -1.032."""
    return f"− {readable(abs(value))}" if value < 0 else f"+ {readable(value)}"


def times(value: float, digits: int = 3) -> str:
    """A factor after "·": in brackets when negative (0.5 · (−0.0066))."""
    return f"({readable(value, digits)})" if value < 0 else readable(value, digits)


def phase_texts(detail: dict, shown_rows: int) -> list[str]:
    """One short explanation per phase of the step in `detail` (Stepper.detail()), with its numbers; the page's table
    shows the first `shown_rows` examples."""
    (w, b), (grad_w, grad_b), (new_w, new_b) = detail["params"], detail["gradient"], detail["new_params"]
    n, rate, x0, p0 = len(detail["x"]), detail["learning_rate"], detail["x"][0], detail["predictions"][0]
    loss, after = float(detail["loss"]), float(detail["loss_after"])
    eta = formatted(rate, "g")
    if n > shown_rows:
        data = tr(
            "**1. The data.** This step learns from {n} examples (the first {rows} are shown). Each is an input x, a "
            "patient's body-mass index, and the true answer y, how much the disease progressed (0 is average)."
        )
    else:
        data = tr(
            "**1. The data.** This step learns from {n} examples (all are shown). Each is an input x, a patient's "
            "body-mass index, and the true answer y, how much the disease progressed (0 is average)."
        )
    before_text, after_text = readable_pair(loss, after)
    if after < loss:
        loss_after = tr("**6. Loss after the step,** on the same {n} examples: {before} → **{after}**, down.")
    elif after == loss:
        loss_after = tr("**6. Loss after the step,** on the same {n} examples: {before} → **{after}**, unchanged.")
    else:
        loss_after = tr(
            "**6. Loss after the step,** on the same {n} examples: {before} → **{after}**, **up**: the step overshot."
        )
    return [
        data.format(n=n, rows=shown_rows),
        tr(
            "**2. Predictions.** The model is the line w·x + b with w = {w} and b = {b}. "
            "For the first example: {w} · {x} {plus_b} = {prediction}."
        ).format(w=readable(w), b=readable(b), x=times(x0), plus_b=plus(b), prediction=readable(p0)),
        tr(
            "**3. Loss.** Each error is prediction − y; each loss is ½·error². Their average over all {n} examples "
            "is the loss **L = {loss}**: one number that says how wrong the line is."
        ).format(n=n, loss=readable(loss, 4)),
        tr(
            "**4. Gradients** (from `jax.grad`): how fast L rises when a parameter grows. "
            "∂L/∂w = average of error·x = **{grad_w}**; ∂L/∂b = average of error = **{grad_b}**. "
            "To lower L, move each parameter against its gradient."
        ).format(grad_w=readable(grad_w, 4), grad_b=readable(grad_b, 4)),
        tr(
            "**5. Update** with learning rate η = {rate}: w ← {w} − {rate} · {grad_w} = **{new_w}**; "
            "b ← {b} − {rate} · {grad_b} = **{new_b}**. The dot on the landscape moves."
        ).format(
            rate=eta,
            w=readable(w),
            grad_w=times(grad_w, 4),
            new_w=readable(new_w),
            b=readable(b),
            grad_b=times(grad_b, 4),
            new_b=readable(new_b),
        ),
        loss_after.format(n=n, before=before_text, after=after_text),
    ]


def regime_reading(problem: LineProblem, learning_rate: float) -> tuple[str, str]:
    """(kind, text): what full-batch gradient descent will do at this learning rate, in words."""
    limit, regime = problem.stability_limit, problem.regime(learning_rate)
    rate = formatted(learning_rate, "g")
    if regime == "diverging":
        return (
            "error",
            tr(
                "Diverging: {rate} is above the stability limit {limit}. Each step jumps across the valley and lands "
                "higher on the other side than where it started."
            ).format(rate=rate, limit=formatted(limit, ".3g")),
        )
    if regime == "oscillating":
        return (
            "warning",
            tr(
                "Oscillating: {rate} is between {half} and the limit {limit}. Each step overshoots the valley floor, "
                "but by less than it corrects: it zig-zags in."
            ).format(rate=rate, half=formatted(limit / 2, ".3g"), limit=formatted(limit, ".3g")),
        )
    steps = problem.steps_to_tenfold(learning_rate)
    if regime == "too slow":
        return (
            "info",
            tr(
                "Too slow: at {rate} the steps are so small that cutting the remaining error tenfold takes about "
                "{steps} steps."
            ).format(rate=rate, steps=formatted(steps, ",.0f")),
        )
    return (
        "success",
        tr("Good: steady steps downhill; the remaining error shrinks tenfold every {steps} steps.").format(
            steps=formatted(steps, ".0f")
        ),
    )


def divergence_text(stepper: Stepper) -> str:
    """Why the run was stopped, in words, with its own numbers and a rate to try that steps steadily downhill."""
    problem, rate = stepper.problem, stepper.diverged_rate
    steady = formatted(problem.steady_rate_below(rate), "g")
    what_happened = tr(
        "The run diverged in step {step}, so it was stopped after step {done}. The loss went from {start} at the start "
        "to {end} and would have gone on to infinity."
    ).format(
        step=stepper.diverged_at,
        done=stepper.steps_done,
        start=formatted(stepper.losses[0], ".3g"),
        end=formatted(stepper.losses[-1], ".3g"),
    )
    if rate >= problem.stability_limit:
        why = tr(
            "The learning rate {rate} is above the stability limit {limit}: each step overshoots the valley floor by "
            "more than it corrects, so the error along the steepest direction is multiplied by {factor} at every "
            "step and grows. Choose a learning rate below the limit, such as {steady}."
        ).format(
            rate=formatted(rate, "g"),
            limit=formatted(problem.stability_limit, ".3g"),
            factor=formatted(problem.contraction(rate), ".3g"),
            steady=steady,
        )
    else:
        why = tr(
            "The limit holds for full-batch steps; with small batches each step sees a different, sometimes steeper "
            "valley. Choose a smaller learning rate, such as {steady}, or use every example in each step."
        ).format(steady=steady)
    return f"{what_happened} {why}"
