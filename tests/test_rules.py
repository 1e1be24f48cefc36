"""core.lessons.rules: the rule is scored as a hand count says; the model beats the best two thresholds on the
curved border, goes wrong where its examples were left out and outside their range (over several seeds); the
readings say what the numbers show."""

import numpy as np
import pytest

from core.engine import train
from core.engine.models import count_params
from core.i18n import language_as
from core.lessons import rules
from core.lessons.playground import PlaygroundConfig, plane_grid, predictions_on_grid, start_run
from core.lessons.rules import Applicants, FarAnswer, ModelSummary, Rule

SEEDS = (0, 1, 2)
FRESH = rules.make_applicants(4000, np.random.default_rng(2024))  # new applicants from the same made-up world


def trained(leave_out_high_debts: bool, seed: int):
    run = rules.start_run(leave_out_high_debts, seed)
    while run.advance():
        pass
    return run


@pytest.fixture(scope="module")
def full_runs():
    return [trained(False, seed) for seed in SEEDS]


@pytest.fixture(scope="module")
def left_out_runs():
    return [trained(True, seed) for seed in SEEDS]


# ---- the rule, by hand ----

FOUR = Applicants(
    income=np.array([40.0, 20.0, 80.0, 60.0]), debts=np.array([10.0, 5.0, 50.0, 30.0]), repaid=np.array([1, 0, 0, 1])
)


def test_rule_decisions_and_scores_match_a_hand_count():
    # income >= 30 and debts <= 40: approve, decline (income 20), decline (debts 50), approve: all four right
    assert Rule(30, 40).approves(FOUR.income, FOUR.debts).tolist() == [True, False, False, True]
    assert rules.accuracy(Rule(30, 40).approves(FOUR.income, FOUR.debts), FOUR.repaid) == 1.0
    # income >= 50 and debts <= 20 declines all four: right only about the two who did not repay
    assert rules.accuracy(Rule(50, 20).approves(FOUR.income, FOUR.debts), FOUR.repaid) == 0.5
    assert rules.right_count(Rule(50, 20).approves(FOUR.income, FOUR.debts), FOUR) == 2
    assert Rule(40, 10).approves([40.0], [10.0]).tolist() == [True], "'at least' and 'at most' include the threshold"


def test_each_line_is_tallied_as_counted_by_hand():
    tallies = rules.tally_lines(Rule(50, 20), FOUR)
    # line 1 (income below 50) declines rows 0 and 1, right about row 1; line 2 (debts above 20) declines
    # rows 2 and 3, right about row 2; line 3 approves nobody
    assert [(t.decided, t.right) for t in tallies] == [(2, 1), (2, 1), (0, 0)]
    assert tallies[0].text == "if income is below 50 thousand: decline"


def test_the_best_rule_is_unbeaten_by_any_rule_the_sliders_can_set():
    examples, best = rules.training_applicants(), rules.best_rule()
    best_score = rules.accuracy(best.approves(examples.income, examples.debts), examples.repaid)
    for income in rules.INCOME_THRESHOLDS:
        for debts in rules.DEBTS_THRESHOLDS:
            rule = Rule(income, debts)
            assert rules.accuracy(rule.approves(examples.income, examples.debts), examples.repaid) <= best_score


# ---- the data ----


def test_data_is_deterministic_and_in_the_playgrounds_shapes():
    first = rules.make_applicants(50, np.random.default_rng(1))
    second = rules.make_applicants(50, np.random.default_rng(1))
    np.testing.assert_array_equal(first.repaid, second.repaid)
    dataset = rules.loans()
    playground = start_run(PlaygroundConfig())
    assert dataset.x_train.shape == playground.data.x.shape and dataset.x_test.shape == playground.dataset.x_test.shape
    held_out = rules.held_out_applicants()
    np.testing.assert_allclose(rules.model_inputs(held_out.income, held_out.debts), dataset.x_test, atol=1e-6)
    assert held_out.income.min() >= rules.INCOME_RANGE[0] and held_out.debts.max() <= rules.DEBTS_RANGE[1]


def test_the_lesson_reuses_the_playgrounds_compiled_code(full_runs):
    rules.model_on_plane(full_runs[0], rules.EXAMPLES_PLANE)
    compiled = train.train_chunk._cache_size(), train.predict_proba._cache_size()
    playground = start_run(PlaygroundConfig(epochs=10))
    playground.advance()
    predictions_on_grid(playground, plane_grid(playground.dataset))
    assert (train.train_chunk._cache_size(), train.predict_proba._cache_size()) == compiled


# ---- the model against the rule, over several seeds ----


def fresh_accuracy(approved, rows=slice(None)) -> float:
    return rules.accuracy(np.asarray(approved)[rows], FRESH.repaid[rows])


def test_the_model_beats_the_best_two_thresholds_on_the_curved_border(full_runs):
    best = fresh_accuracy(rules.best_rule().approves(FRESH.income, FRESH.debts))
    for run in full_runs:
        assert fresh_accuracy(rules.model_approves(run, FRESH)) >= best + 0.05
        assert rules.summarize(run).right >= 110, "and on the 120 held-out applicants the page shows"


def test_the_model_goes_wrong_where_its_examples_were_left_out(full_runs, left_out_runs):
    high = rules.in_left_out_region(FRESH)
    for full, left_out in zip(full_runs, left_out_runs):
        assert left_out.data.n_active < len(left_out.data.x) == len(full.data.x), "same shapes, fewer rows trained"
        with_all = fresh_accuracy(rules.model_approves(full, FRESH), high)
        without = rules.model_approves(left_out, FRESH)
        assert fresh_accuracy(without, high) <= with_all - 0.10
        assert fresh_accuracy(without, high) <= fresh_accuracy(without, ~high) - 0.10
        summary = rules.summarize(left_out)
        assert summary.left_out and summary.wrong_approvals_high_debts > 5
        assert rules.read_left_out(summary, 0.8, rules.summarize(full))[0] == "warning"


def test_outside_the_examples_the_models_answers_are_guesses(full_runs):
    income, debts = rules.BEYOND_PLANE.mesh()
    inside = (income >= rules.INCOME_RANGE[0]) & (income <= rules.INCOME_RANGE[1]) & (debts <= rules.DEBTS_RANGE[1])
    world = debts < rules.affordable_debts(income)
    for run in full_runs:
        wrong = (rules.approval_chance(run, income, debts) >= 0.5) != world
        assert wrong[~inside].mean() >= 3 * wrong[inside].mean()
        assert rules.read_far(rules.far_answers(run, rules.best_rule()))[0] == "warning"


def test_far_answers_follow_the_rules_lines_exactly_and_read_as_a_table(full_runs):
    answers = rules.far_answers(full_runs[0], Rule(35, 40))
    # (200, 90) and (270, 130): debts above 40, line 2; (250, 20): approved, line 3; (5, 10): income below 35, line 1
    assert [(a.rule_line, a.rule_approves) for a in answers] == [(1, False), (1, False), (2, True), (0, False)]
    assert [a.world_repays for a in answers] == [False, False, True, False]
    table = rules.far_table(answers)
    assert table["Applicant"][0] == "200 / 90" and table["Your rule"][2] == "approve (line 3)"
    assert table["Made-up world"][0] == "would not repay"


def test_the_models_rule_is_hundreds_of_numbers_that_differ_by_seed(full_runs):
    numbers = [rules.model_numbers(run) for run in full_runs]
    assert len(numbers[0]) == count_params(full_runs[0].architecture) == 354
    assert abs(np.corrcoef(numbers[0], numbers[1])[0, 1]) < 0.5, "another seed, other numbers"
    rights = [rules.summarize(run).right for run in full_runs]
    assert max(rights) - min(rights) <= 4, "... and about the same decisions"


def test_planes_draw_what_rule_and_model_decide(full_runs):
    plane, rule = rules.EXAMPLES_PLANE, Rule(35, 40)
    on_plane = rules.rule_on_plane(rule, plane)
    assert on_plane.shape == (rules.GRID, rules.GRID)
    row, column = 10, 40  # indexed [debts, income]
    assert on_plane[row, column] == float(rule.approves(plane.income[column], plane.debts[row]))
    chances = rules.model_on_plane(full_runs[0], plane)
    assert chances.shape == (rules.GRID, rules.GRID) and ((chances >= 0) & (chances <= 1)).all()


# ---- readings: numbers that trigger each one, and numbers that do not ----


def summary(seed=0, left_out=False, right=110, high=0.95, rest=0.97, wrong_approvals=0) -> ModelSummary:
    return ModelSummary(seed, left_out, right, 120, high, rest, wrong_approvals, np.zeros(354))


def test_read_scores():
    level, text = rules.read_scores(100, 115, 120, False, False)
    assert level == "success" and "115 of the 120" in text and "your rule 100" in text and "corner" in text
    level, text = rules.read_scores(105, 99, 120, True, True)
    assert level == "info" and text.startswith("The rule is ahead") and "large debts" in text
    assert "best two thresholds" in text
    assert rules.read_scores(105, 106, 120, False, False)[1].startswith("Too close to call")


def test_read_rule():
    repaid = np.array([1, 1, 0, 1])
    everyone = rules.read_rule(np.ones(4, bool), repaid)
    assert everyone == ("warning", "Your rule approves everyone, so it is right only about the 75% who repaid.")
    no_one = rules.read_rule(np.zeros(4, bool), repaid)
    assert "declines everyone" in no_one[1] and "25%" in no_one[1]
    assert rules.read_rule(np.array([True, False, True, True]), repaid) is None


def test_read_left_out():
    level, text = rules.read_left_out(summary(high=0.97), 0.63, None)
    assert level == "info" and "97%" in text and "63%" in text and "leave those examples out" in text
    level, text = rules.read_left_out(summary(left_out=True, high=0.66, rest=1.0, wrong_approvals=21), 0.82, summary())
    assert level == "warning" and "only 66%" in text and "approved 21" in text and "still decides 82%" in text
    assert "With all the examples, the model got 95%" in text
    level, text = rules.read_left_out(summary(left_out=True, high=0.93, rest=0.97), 0.82, None)
    assert level == "info" and "happened to land" in text


def test_read_numbers():
    level, text = rules.read_numbers(354, summary(), None)
    assert "354 numbers" in text and "another seed" in text
    text = rules.read_numbers(354, summary(seed=1, right=117), summary(seed=0, right=118))[1]
    assert "seed 0 decided 118" in text and "seed 1 117" in text and "about the same decisions" in text
    assert "about the same" not in rules.read_numbers(354, summary(seed=1, right=100), summary(seed=0, right=118))[1]


def test_read_far():
    sure_wrong = FarAnswer(200, 90, 1, False, 0.99, False)
    unsure_wrong = FarAnswer(270, 130, 1, False, 0.6, False)
    right = FarAnswer(250, 20, 2, True, 0.99, True)
    level, text = rules.read_far([right, unsure_wrong, sure_wrong])
    assert level == "warning" and "approves someone earning 200 thousand" in text and "99% sure" in text
    assert "sounds sure" in text
    assert "sounds sure" not in rules.read_far([unsure_wrong])[1]
    level, text = rules.read_far([right])
    assert level == "info" and "happened to land" in text


def test_read_patterns():
    assert rules.read_patterns(105, 118, 120, False)[0] == "success"
    assert "not a fair race" in rules.read_patterns(105, 99, 120, True)[1]
    assert rules.read_patterns(105, 106, 120, False)[0] == "info"


def test_readings_with_numbers_read_right_in_english_and_dutch():
    rule = Rule(62.5, 30)
    wrong = FarAnswer(200, 90, 1, False, 0.97, False)
    shared = (rule.lines()[0], rules.read_numbers(1234, summary(), None)[1], rules.read_far([wrong])[1])
    assert shared[0] == "if income is below 62.5 thousand: decline"
    assert shared[1].startswith("The model's whole rule is these 1,234 numbers.")
    assert "it approves someone earning 200 thousand with 90 thousand of debts, 97% sure" in shared[2]
    left_out = rules.read_left_out(summary(left_out=True, high=0.66, rest=1.0, wrong_approvals=1), 0.82, summary())[1]
    assert "it approved 1 of them who did not repay" in left_out and "still decides 82% of them right" in left_out
    with language_as("nl"):
        lines = rule.lines()
        numbers = rules.read_numbers(1234, summary(), None)[1]
        far = rules.read_far([wrong])[1]
        left_out = rules.read_left_out(summary(left_out=True, high=0.66, rest=1.0, wrong_approvals=1), 0.82, summary())
        table = rules.far_table([wrong])
    assert lines == ("als het inkomen lager is dan 62,5 duizend: afwijzen", lines[1], "anders: goedkeuren")
    assert numbers.startswith("De hele regel van het model bestaat uit deze 1.234 getallen.")
    assert "het keurt iemand goed die 200 duizend verdient en 90 duizend schulden heeft, voor 97% zeker" in far
    assert "keurde er 1 goed die niet terugbetaalde," in left_out[1] and "nog steeds 82% van goed" in left_out[1]
    assert table == {
        "Aanvrager": ["200 / 90"],
        "Je regel": ["afwijzen (regel 2)"],
        "Het model": ["goedkeuren, 97% zeker"],
        "Verzonnen wereld": ["zou niet terugbetalen"],
    }
