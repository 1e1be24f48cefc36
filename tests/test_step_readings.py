"""core.lessons.training_step.readings and LineProblem.example_rate: numbers in, sentences out, each reading checked
with numbers that call for it and numbers that do not."""

import types

import numpy as np
import pytest

from core.i18n import language_as
from core.lessons.training_step import race, readings
from core.lessons.training_step.stepper import LEARNING_RATES as RATES
from core.lessons.training_step.stepper import SCALINGS, load_line_problem


def step(loss: float, loss_after: float, n: int = 442) -> dict:
    """A step's numbers as Stepper.detail() gives them: w = -1, b = 1, gradient (-0.5, 0.25), rate 0.5."""
    x = np.linspace(0.0, 1.0, n)
    return {
        "params": np.array([-1.0, 1.0]),
        "gradient": np.array([-0.5, 0.25]),
        "new_params": np.array([-0.75, 0.875]),
        "x": x,
        "predictions": -x + 1.0,
        "learning_rate": 0.5,
        "loss": np.float32(loss),
        "loss_after": np.float32(loss_after),
    }


def test_numbers_are_readable_even_when_a_run_blows_up():
    assert (
        readings.readable(0.12345) == "0.123" and readings.readable(-2.0) == "−2.000"
    )  # the minus sign of the formulas
    assert readings.readable(123456.0) == "1.23e+05"
    assert readings.readable(float("nan")) == readings.readable(float("inf")) == "too large to compute"


def test_each_phase_text_carries_the_steps_own_numbers():
    texts = readings.phase_texts(step(0.8, 0.5), shown_rows=8)
    assert len(texts) == 6
    assert "from 442 examples (the first 8 are shown)" in texts[0]
    assert "w = −1.000 and b = 1.000" in texts[1] and "−1.000 · 0.000 + 1.000 = 1.000" in texts[1]
    assert "**L = 0.8000**" in texts[2]
    assert "∂L/∂w = average of error·x = **−0.5000**" in texts[3] and "**0.2500**" in texts[3]
    assert "η = 0.5" in texts[4] and "= **−0.750**" in texts[4] and "= **0.875**" in texts[4]
    assert "0.8000 → **0.5000**, down." in texts[5] and "overshot" not in texts[5]
    assert "w ← −1.000 − 0.5 · (−0.5000) = **−0.750**" in texts[4], "a negative factor is bracketed"


def test_a_late_steps_small_change_in_loss_is_written_with_the_decimals_that_show_it():
    texts = readings.phase_texts(step(0.328912, 0.328905), shown_rows=8)
    assert "0.32891 → **0.32890**, down." in texts[5], "five decimals tell them apart"
    assert "unchanged" in readings.phase_texts(step(0.3289, 0.3289), shown_rows=8)[5]


def test_a_negative_intercept_is_subtracted_not_added():
    detail = step(0.8, 0.5) | {"params": np.array([2.989, -1.032]), "x": np.array([0.583] * 8)}
    detail["predictions"] = 2.989 * detail["x"] - 1.032
    assert "2.989 · 0.583 − 1.032 = 0.711" in readings.phase_texts(detail, shown_rows=8)[1]


def test_a_step_that_raises_the_loss_says_it_overshot_and_a_small_batch_shows_all_rows():
    texts = readings.phase_texts(step(0.5, 0.9, n=8), shown_rows=8)
    assert "0.5000 → **0.9000**, **up**: the step overshot." in texts[5]
    assert "(all are shown)" in texts[0]


@pytest.fixture(scope="module", params=SCALINGS)
def problem(request):
    return load_line_problem(request.param)


@pytest.mark.parametrize(
    ("share_of_limit", "kind", "words"),
    [
        (1.1, "error", "Diverging"),
        (0.8, "warning", "Oscillating"),
        (0.3, "success", "Good"),
        (0.0005, "info", "Too slow"),
    ],
)
def test_the_regime_reading_names_the_regime_of_the_rate_and_no_other(problem, share_of_limit, kind, words):
    rate = share_of_limit * problem.stability_limit
    reading_kind, text = readings.regime_reading(problem, rate)
    assert (reading_kind, text.split(":")[0]) == (kind, words)
    assert f"{rate:g}" in text or words == "Good"
    others = {"Diverging", "Oscillating", "Good", "Too slow"} - {words}
    assert not any(other in text for other in others)


def test_the_too_slow_reading_says_how_many_steps_a_tenfold_cut_takes(problem):
    rate = 0.0005 * problem.stability_limit
    assert f"about {problem.steps_to_tenfold(rate):,.0f} steps" in readings.regime_reading(problem, rate)[1]


def diverged(problem, learning_rate: float):
    """A stepper that diverged at `learning_rate`; its slider has moved on to 0.01 since."""
    return types.SimpleNamespace(
        problem=problem,
        learning_rate=0.01,
        diverged_rate=learning_rate,
        diverged_at=7,
        steps_done=6,
        losses=[0.6, 0.9, 850.0],
    )


def test_a_divergence_above_the_limit_is_blamed_on_the_learning_rate(problem):
    rate = 1.2 * problem.stability_limit
    text = readings.divergence_text(diverged(problem, rate))
    assert "diverged in step 7, so it was stopped after step 6" in text and "from 0.6 at the start to 850" in text
    assert f"{rate:g} is above the stability limit" in text and f"{problem.contraction(rate):.3g}" in text
    assert "small batches" not in text and "below the limit, such as 0.8." in text


def test_a_divergence_below_the_limit_is_blamed_on_small_batches(problem):
    text = readings.divergence_text(diverged(problem, 0.9 * problem.stability_limit))
    assert "with small batches each step sees a different" in text and "above the stability limit" not in text
    assert "a smaller learning rate, such as 0.8, or use every example" in text


def test_the_rate_to_try_is_the_largest_steady_one_below_the_failed_rate(problem):
    assert problem.steady_rate_below(3.0) == 0.8 and problem.regime(0.8) == "good"
    assert problem.steady_rate_below(0.8) == max(
        rate for rate in RATES if rate < 0.8 and problem.regime(rate) == "good"
    )
    assert problem.steady_rate_below(0.001) == min(RATES), "nothing steady below: the smallest choice"


@pytest.mark.parametrize("regime", ["too slow", "good", "oscillating", "diverging"])
def test_an_example_rate_shows_its_regime(problem, regime):
    rate = problem.example_rate(regime, RATES)
    assert rate in RATES and problem.regime(rate) == regime
    if regime == "diverging":
        assert rate == min(r for r in RATES if r >= problem.stability_limit), "just past the limit"


def test_no_example_rate_when_no_rate_shows_the_regime(problem):
    with pytest.raises(ValueError, match="diverging"):
        problem.example_rate("diverging", (0.001, 0.01))


def test_a_step_reading_with_numbers_reads_right_in_english_and_in_dutch():
    detail = step(0.8, 0.5)
    english = readings.phase_texts(detail, shown_rows=8)
    assert "is the loss **L = 0.8000**" in english[2]
    assert "η = 0.5: w ← −1.000 − 0.5 · (−0.5000) = **−0.750**" in english[4]
    with language_as("nl"):
        dutch = readings.phase_texts(detail, shown_rows=8)
        assert "Deze stap leert van 442 voorbeelden (de eerste 8 zie je in de tabel)" in dutch[0]
        assert "het verlies (loss) **L = 0,8000**" in dutch[2]
        assert "leersnelheid η = 0,5: w ← −1,000 − 0,5 · (−0,5000) = **−0,750**" in dutch[4]
        assert "0,8000 → **0,5000**, omlaag." in dutch[5]
        assert readings.readable(123456.0) == "1,23e+05"
        assert readings.readable(float("inf")) == "te groot om te berekenen"
    assert readings.phase_texts(detail, shown_rows=8) == english, "English again outside the block"


def test_the_regime_divergence_and_race_readings_are_dutch_with_dutch_numbers(problem):
    slow = 0.0005 * problem.stability_limit
    with language_as("nl"):
        kind, text = readings.regime_reading(problem, slow)
        steps = f"{problem.steps_to_tenfold(slow):,.0f}".replace(",", ".")
        assert kind == "info" and text.startswith("Te langzaam: bij ") and f"ongeveer {steps} stappen" in text
        stopped = readings.divergence_text(diverged(problem, 1.2 * problem.stability_limit))
        assert stopped.startswith("De training ontspoorde in stap 7 en is dus gestopt na stap 6.")
        assert "van 0,6 bij het begin naar 850" in stopped and "bijvoorbeeld 0,8." in stopped
        racers = race.race(problem, 1.4 * problem.stability_limit)
        reading = race.race_reading(racers, 2.5)
        assert reading.startswith("Bij leersnelheid 2,5: **gradient descent** ontspoorde; **momentum 0,9** kwam aan na")
