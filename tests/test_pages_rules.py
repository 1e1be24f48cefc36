"""The "Rules or examples?" page through AppTest: the rule is scored as the sliders move, the model trains live
beside it, and each suggestion the page makes (best thresholds, leave examples out, another seed) works."""

import numpy as np

from core.lessons import rules
from tests.apptest_support import chart_spec, decoded, open_page, run_until_stopped

PAGE = "pages/rules_or_examples.py"


def title(app, chart_key: str) -> str:
    """A chart's title as read, on one line (the maps side by side break theirs, so that their plots stay level)."""
    return chart_spec(app, chart_key)["layout"]["title"]["text"].replace("<br>", " ")


def messages(app) -> str:
    return " ".join(element.value for kind in (app.success, app.info, app.warning, app.error) for element in kind)


def right_about(rule: rules.Rule) -> int:
    """Counted here by hand, not with the lesson's own right_count."""
    held_out = rules.held_out_applicants()
    approved = (held_out.income >= rule.min_income) & (held_out.debts <= rule.max_debts)
    return int(np.sum(approved == (held_out.repaid == 1)))


def press(app, key: str):
    app.button(key=key).click().run()
    return run_until_stopped(app, "rules")


def test_home_points_to_this_lesson_first():
    app = open_page()
    assert app.get("page_link")[0].proto.page == "rules-or-examples"


def test_the_rule_is_scored_as_the_sliders_move():
    app = open_page(PAGE)
    assert title(app, "rules_rule_chart") == f"Your rule: {right_about(rules.Rule(50, 30))} of 120 right"
    assert "press Train" in title(app, "rules_model_chart")
    app.slider(key="rules_min_income").set_value(25).run()
    app.slider(key="rules_max_debts").set_value(60).run()
    assert title(app, "rules_rule_chart") == f"Your rule: {right_about(rules.Rule(25, 60))} of 120 right"
    approve = decoded(next(t for t in chart_spec(app, "rules_rule_chart")["data"] if t["type"] == "heatmap")["z"])
    np.testing.assert_array_equal(
        approve.reshape(rules.GRID, rules.GRID), rules.rule_on_plane(rules.Rule(25, 60), rules.EXAMPLES_PLANE)
    )
    app.button(key="rules_best_rule").click().run()
    best = rules.best_rule()
    assert (app.session_state["rules_min_income"], app.session_state["rules_max_debts"]) == (
        best.min_income,
        best.max_debts,
    )
    assert not app.exception


def test_the_model_trains_live_and_every_suggestion_works():
    app = open_page(PAGE)
    app.button(key="rules_train").click().run()
    run = app.session_state["rules_run"]
    assert 0 < run.epochs_done < rules.EPOCHS, "the page redraws part-way through training"
    assert title(app, "rules_model_chart").startswith(f"The model after {run.epochs_done} epochs")
    run_until_stopped(app, "rules")
    summary = rules.summarize(run)
    assert title(app, "rules_model_chart").endswith(f"{summary.right} of 120 right")
    text = messages(app)
    assert "Nobody told the model where the border lies" in text and "Now leave those examples out" in text
    assert "354 numbers" in text and "Outside its examples" in text
    assert len(app.table) == 1 and len(app.table[0].value) == len(rules.FAR_APPLICANTS)
    assert [link.proto.page for link in app.get("page_link")] == [
        "memorize-or-generalize",
        "data-quality",
        "fine-tuning",
        "knowledge",
    ]

    press(app, "rules_next_seed")
    assert app.session_state["rules_seed"] == 1 and app.session_state["rules_run"].config.seed == 1
    assert "seed 0 decided" in messages(app)

    press(app, "rules_leave_out")
    left_out = app.session_state["rules_run"]
    assert app.session_state["rules_examples"] == "few_debts" and rules.leaves_out_high_debts(left_out)
    assert "The model never saw anyone with debts over 30 thousand" in messages(app)
    annotations = chart_spec(app, "rules_model_chart")["layout"]["annotations"]
    assert any(note["text"] == "no examples here" for note in annotations)

    press(app, "rules_all_examples")
    assert not rules.leaves_out_high_debts(app.session_state["rules_run"]) and not app.exception


def test_changing_the_examples_trains_a_new_model_and_reset_clears_it():
    app = open_page(PAGE)
    app.radio(key="rules_examples").set_value("few_debts").run()
    assert app.session_state["rules_running"] and rules.leaves_out_high_debts(app.session_state["rules_run"])
    run_until_stopped(app, "rules")
    app.button(key="rules_reset").click().run()
    assert "rules_run" not in app.session_state and "press Train" in title(app, "rules_model_chart")
    assert any("Press **Train the model**" in info.value for info in app.info) and not app.exception
