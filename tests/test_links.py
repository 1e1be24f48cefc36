"""Reading exercise links (core/lessons/links.py): typed values, labels, steps, refusals, hide= names."""

import pytest

from core.lessons import knowledge, links
from core.lessons.links import Control, number, parse, read_link

RATES = Control("loop_lr", "lr", options=(0.001, 0.5, 1.9))
EPOCHS = number("lab_epochs", "epochs", 1, 1000)
NOISE = number("lab_input_noise", "input_noise", 0.0, 1.0, 0.05)
CONTROLS = (RATES, EPOCHS, NOISE, Control("lab_optimizer", "optimizer", options=("adam", "sgd")), links.seed("s"))


@pytest.mark.parametrize("text", ["1.9", "1.90", "1.9 ⚠", " 1.9"])
def test_a_rate_is_read_as_typed_or_as_its_label(text):
    assert parse(RATES, text) == 1.9


@pytest.mark.parametrize("text", ["0.001", "1e-3", "1E-03"])
def test_the_first_option_is_read_in_any_spelling(text):
    assert parse(RATES, text) == 0.001


def test_numbers_go_to_the_nearest_step_and_keep_their_type():
    assert parse(EPOCHS, "150") == 150 and isinstance(parse(EPOCHS, "150.0"), int)
    assert parse(NOISE, "0.16") == 0.15 and parse(NOISE, "0") == 0.0
    assert parse(number("x", "x", 0, 100, 5), "33") == 35


@pytest.mark.parametrize(
    ("control", "text"), [(RATES, "2"), (RATES, "fast"), (EPOCHS, "0"), (EPOCHS, "1e9"), (EPOCHS, "nan"), (NOISE, "")]
)
def test_values_a_control_cannot_take_are_refused_with_a_reason(control, text):
    with pytest.raises(ValueError):
        parse(control, text)


def test_choices_match_without_case_and_booleans_read_as_words():
    assert parse(CONTROLS[3], "SGD") == "sgd"
    flag = Control("drop", "drop", options=(False, True))
    assert parse(flag, "true") is True and parse(flag, "0") is False


def test_text_is_kept_as_typed_up_to_its_limit():
    title = Control("ft_job_title", "job_title", max_chars=5)
    assert parse(title, "[x](http://a)") == "[x](h"


def test_a_link_names_controls_by_key_or_short_name_and_lists_what_it_refused():
    reading = read_link(CONTROLS, {"lr": "1.9", "lab_epochs": "50", "s": "x", "colour": "red", "hide": "seed,lr,nope"})
    assert reading.values == {"loop_lr": 1.9, "lab_epochs": 50}
    assert reading.hidden == ("seed", "lr")
    assert len(reading.problems) == 3 and any("colour" in problem for problem in reading.problems)


def test_link_parameters_write_every_value_in_its_shortest_form_and_read_back_the_same():
    values = {"loop_lr": 0.001, "lab_epochs": 200, "lab_input_noise": 0.15, "lab_optimizer": "sgd", "s": 0}
    parameters = links.link_parameters(CONTROLS, values, ("seed",))
    assert parameters == {
        "loop_lr": "0.001",
        "lab_epochs": "200",
        "lab_input_noise": "0.15",
        "lab_optimizer": "sgd",
        "s": "0",
        "hide": "seed",
    }
    assert read_link(CONTROLS, parameters).values == values


def test_every_page_names_its_controls_once():
    for controls in links.PAGES.values():
        keys, names = [control.key for control in controls], [control.name for control in controls]
        assert len(set(keys)) == len(keys) and len(set(names)) == len(names)
        assert links.HIDE not in keys + names


def test_an_address_of_another_lesson_is_no_link_to_this_one():
    assert links.from_another_page("playground", {"loop_lr": "0.5", "hide": "seed"})
    assert not links.from_another_page("playground", {"play_lr": "0.1", "loop_lr": "0.5"})
    assert not links.from_another_page("own-data", {"dq_seed": "3"}), "a control both pages have"
    assert not links.from_another_page("playground", {"lr": "0.1", "colour": "red"})


def test_an_old_link_may_name_a_choice_by_the_title_a_learner_saw():
    scenario = next(control for control in links.PAGES["data-quality"] if control.key == "dq_scenario")
    assert links.parse(scenario, "Careless labels") == "noise" and links.parse(scenario, "noise") == "noise"


def test_dashboard_wide_parameters_are_kept_and_never_refused():
    controls = links.PAGES["memorize-or-generalize"]
    reading = read_link(controls, {"projector": "true", "lab_seed": "7"})
    assert not reading.problems and reading.values == {"lab_seed": 7}
    parameters = links.link_parameters(controls, {"lab_seed": 7}, (), app_wide={"projector": "true", "x": "1"})
    assert parameters == {"projector": "true", "lab_seed": "7"}


def test_dashboard_wide_values_the_dashboard_cannot_take_are_said_to_be_ignored():
    controls = links.PAGES["memorize-or-generalize"]
    reading = read_link(controls, {"projector": "banana", "lang": "de", "lab_seed": "7"})
    assert reading.values == {"lab_seed": 7}
    assert reading.problems == (
        "projector=banana was left as it was: not one of true, false",
        "lang=de was left as it was: not one of en, nl",
    )
    assert not read_link(controls, {"projector": "True", "lang": "nl"}).problems


def test_a_refusal_names_a_long_list_of_values_by_its_count_and_a_cut_text_is_said_to_be_cut():
    reading = read_link(links.PAGES["knowledge"], {"kn_question": "what-is-this", "kn_new_value": "x" * 500})
    cut, refused = sorted(reading.problems)
    assert refused.startswith("kn_question=what-is-this was left as it was: not one of this control's ")
    assert len(refused) < 120
    assert cut == f"kn_new_value was cut to its first {knowledge.NEW_VALUE_LIMIT} characters"
    assert reading.values["kn_new_value"] == "x" * knowledge.NEW_VALUE_LIMIT


def test_a_number_moved_to_the_nearest_step_is_said_to_be_moved():
    reading = read_link(links.PAGES["playground"], {"play_noise": "0.97", "play_seed": "7"})
    assert reading.values == {"play_noise": 0.95, "play_seed": 7}
    assert reading.problems == ("play_noise=0.97 was read as 0.95, the nearest value this control can take",)
    assert not read_link(links.PAGES["playground"], {"play_noise": "0.95"}).problems
