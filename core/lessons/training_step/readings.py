"""What one training step and a run of steps did, in words: numbers in, sentences out.

The step's numbers come from Stepper.detail(); a regime from LineProblem.regime. Sentences use Markdown bold for the
numbers that matter; kinds are "success", "info", "warning" or "error", so a page shows each in its colour.
"""

from __future__ import annotations

import math

from core.lessons.training_step.stepper import LineProblem, Stepper


def readable(value: float, digits: int = 3) -> str:
    """A number for the screen: never 'nan' or 'inf', and short even when a diverging run makes it huge."""
    if not math.isfinite(value):
        return "too large to compute"
    return f"{value:.{digits}g}" if abs(value) >= 1e4 else f"{value:.{digits}f}"


def phase_texts(detail: dict, shown_rows: int) -> list[str]:
    """One short explanation per phase of the step in `detail` (Stepper.detail()), with its numbers; the page's table
    shows the first `shown_rows` examples."""
    (w, b), (grad_w, grad_b), (new_w, new_b) = detail["params"], detail["gradient"], detail["new_params"]
    n, rate, x0, p0 = len(detail["x"]), detail["learning_rate"], detail["x"][0], detail["predictions"][0]
    loss, after = float(detail["loss"]), float(detail["loss_after"])
    shown = f"the first {shown_rows} are shown" if n > shown_rows else "all are shown"
    change = "down" if after < loss else "**up**: the step overshot"
    return [
        f"**1. The data.** This step learns from {n} examples ({shown}). Each is an input x, a patient's "
        "body-mass index, and the true answer y, how much the disease progressed (0 is average).",
        f"**2. Predictions.** The model is the line w·x + b with w = {readable(w)} and b = {readable(b)}. "
        f"For the first example: {readable(w)} · {readable(x0)} + {readable(b)} = {readable(p0)}.",
        f"**3. Loss.** Each error is prediction − y; each loss is ½·error². Their average over all {n} examples "
        f"is the loss **L = {readable(loss, 4)}**: one number that says how wrong the line is.",
        f"**4. Gradients** (from `jax.grad`): how fast L rises when a parameter grows. "
        f"∂L/∂w = average of error·x = **{readable(grad_w, 4)}**; "
        f"∂L/∂b = average of error = **{readable(grad_b, 4)}**. "
        "To lower L, move each parameter against its gradient.",
        f"**5. Update** with learning rate η = {rate:g}: w ← {readable(w)} − {rate:g} · {readable(grad_w, 4)} = "
        f"**{readable(new_w)}**; b ← {readable(b)} − {rate:g} · {readable(grad_b, 4)} = **{readable(new_b)}**. "
        "The dot on the landscape moves.",
        f"**6. Loss after the step,** on the same {n} examples: {readable(loss, 4)} → **{readable(after, 4)}**, "
        f"{change}.",
    ]


def regime_reading(problem: LineProblem, learning_rate: float) -> tuple[str, str]:
    """(kind, text): what full-batch gradient descent will do at this learning rate, in words."""
    limit, regime = problem.stability_limit, problem.regime(learning_rate)
    if regime == "diverging":
        return (
            "error",
            f"Diverging: {learning_rate:g} is above the stability limit {limit:.3g}. Each step jumps "
            "across the valley and lands higher on the other side than where it started.",
        )
    if regime == "oscillating":
        return (
            "warning",
            f"Oscillating: {learning_rate:g} is between {limit / 2:.3g} and the limit {limit:.3g}. "
            "Each step overshoots the valley floor, but by less than it corrects: it zig-zags in.",
        )
    steps = problem.steps_to_tenfold(learning_rate)
    if regime == "too slow":
        return (
            "info",
            f"Too slow: at {learning_rate:g} the steps are so small that cutting the remaining error "
            f"tenfold takes about {steps:,.0f} steps.",
        )
    return ("success", f"Good: steady steps downhill; the remaining error shrinks tenfold every {steps:.0f} steps.")


def divergence_text(stepper: Stepper) -> str:
    """Why the run was stopped, in words, with its own numbers and a rate to try that steps steadily downhill."""
    problem, rate = stepper.problem, stepper.diverged_rate
    steady = problem.steady_rate_below(rate)
    text = (
        f"The run diverged at step {stepper.diverged_at} and was stopped there. The loss went from "
        f"{stepper.losses[0]:.3g} at the start to {stepper.losses[-1]:.3g} and would have gone on to infinity. "
    )
    if rate >= problem.stability_limit:
        return text + (
            f"The learning rate {rate:g} is above the stability limit {problem.stability_limit:.3g}: each "
            "step overshoots the valley floor by more than it corrects, so the error along the steepest "
            f"direction is multiplied by {problem.contraction(rate):.3g} at every step and grows. "
            f"Choose a learning rate below the limit, such as {steady:g}."
        )
    return text + (
        f"The limit holds for full-batch steps; with small batches each step sees a different, sometimes "
        f"steeper valley. Choose a smaller learning rate, such as {steady:g}, or use every example in each step."
    )
