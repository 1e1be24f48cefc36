"""Exercise links through AppTest: opening a link sets every control of every lesson (typed values, first options),
the page writes its whole state back into the address, hidden controls keep their values, and every control a page
draws is in its link."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.lessons import links
from tests.app_pages import lessons
from tests.apptest_support import TIMEOUT, train_to_the_end
from ui.links import hiding_style

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "loan_repayment.csv"
WIDGET_KINDS = (
    "slider",
    "select_slider",
    "selectbox",
    "radio",
    "number_input",
    "checkbox",
    "text_input",
    "multiselect",
)
# Own data: the choices that depend on an uploaded file's columns cannot travel without the file.
NOT_IN_LINKS = {"dq_upload_number_style", "dq_upload_label", "dq_upload_left_out", "dq_upload_group"}
PAGES = {page.url_path: page.path for page in lessons()}


def open_link(address: str, parameters: dict) -> AppTest:
    """A fresh session opened on `address` with these query parameters."""
    app = AppTest.from_file("../app.py", default_timeout=TIMEOUT)
    app.query_params.update(parameters)
    app.switch_page(PAGES[address]).run()
    if address == "own-data":  # its controls appear with a table
        app.get("file_uploader")[0].set_value((SAMPLE.name, SAMPLE.read_bytes(), "text/csv")).run()
    assert not app.exception
    return app


def drawn_widgets(app: AppTest) -> dict:
    return {widget.key: widget for kind in WIDGET_KINDS for widget in app.get(kind) if widget.key}


def another_value(control: links.Control, current):
    """A value of `control` other than `current`: its first option (or lowest number) where it is not already."""
    if control.max_chars is not None:
        return "Night Nurse"[: control.max_chars]
    first, last = (control.options[0], control.options[-1]) if control.options else (control.low, control.high)
    return first if current != first else last


def defaults(address: str) -> dict:
    app = open_link(address, {})
    return {
        control.key: app.session_state[control.key]
        for control in links.PAGES[address]
        if control.key in app.session_state
    }


@pytest.mark.parametrize("address", list(links.PAGES))
def test_a_link_restores_every_control_and_the_address_keeps_them_all(address):
    controls, start = links.PAGES[address], defaults(address)
    wanted = {control.key: another_value(control, start.get(control.key)) for control in controls}
    app = open_link(address, links.link_parameters(controls, wanted, ()))
    drawn = drawn_widgets(app)
    for control in controls:
        assert app.session_state[control.key] == wanted[control.key], control.key
        if control.key in drawn:  # some controls show only in one scenario, with a minibatch or after training
            assert drawn[control.key].value == wanted[control.key], control.key
    assert not [warning for warning in app.warning if warning.value.startswith("This link")]
    written = links.read_link(controls, app.query_params).values
    assert written == {key: app.session_state[key] for key in written}
    assert set(written) >= {control.key for control in controls if control.key in drawn}


@pytest.mark.parametrize("address", list(links.PAGES))
def test_every_control_a_page_draws_is_in_its_link(address):
    drawn = set(drawn_widgets(open_link(address, {})))
    assert drawn - NOT_IN_LINKS <= {control.key for control in links.PAGES[address]}


def test_typed_values_and_the_first_option_are_restored_on_the_training_loop():
    app = open_link("training-loop", {"loop_lr": "1.9", "batch": "minibatch", "loop_seed": "7"})
    assert app.select_slider(key="loop_lr").value == 1.9 and app.session_state["loop_run"].learning_rate == 1.9
    assert app.radio(key="loop_batch").value == "minibatch" and app.number_input(key="loop_seed").value == 7
    first = open_link("training-loop", {"loop_lr": "1e-3"})
    assert first.select_slider(key="loop_lr").value == 0.001
    assert first.query_params["loop_lr"] == "0.001", "the first option stays in the address"


def test_an_old_links_label_and_a_value_between_steps_are_read():
    app = open_link("memorize-or-generalize", {"lab_lr": "2 ⚠", "lab_noise": "33", "lab_input_noise": "0.1"})
    assert app.select_slider(key="lab_lr").value == 2.0
    assert app.slider(key="lab_noise").value == 35 and app.select_slider(key="lab_input_noise").value == 0.1


def test_hidden_controls_are_drawn_invisibly_and_keep_their_linked_values():
    app = open_link("memorize-or-generalize", {"lab_optimizer": "sgd", "lab_seed": "42", "hide": "optimizer,seed"})
    styles = [element.proto.body for element in app.get("html")]
    assert any(
        ".st-key-lab_optimizer" in style and ".st-key-lab_seed" in style and "display: none" in style
        for style in styles
    )
    assert app.radio(key="lab_optimizer").value == "sgd" and app.number_input(key="lab_seed").value == 42
    app.slider(key="lab_epochs").set_value(5).run()
    assert app.query_params["hide"] == "optimizer,seed", "the address keeps what it hides"
    app.button(key="lab_train").click().run()
    config = app.session_state["lab_run"].config
    assert (config.optimizer, config.seed, config.epochs) == ("sgd", 42, 5)


def test_a_link_that_cannot_be_read_says_so_and_changes_nothing_else():
    app = open_link("playground", {"play_lr": "fast", "colour": "red", "hide": "nothing", "play_noise": "0.5"})
    problems = " ".join(warning.value for warning in app.warning)
    assert "play\\_lr\\=fast" in problems and "colour" in problems and "nothing" in problems
    assert app.select_slider(key="play_lr").value == 0.03 and app.select_slider(key="play_noise").value == 0.5


def test_the_copy_control_shows_the_whole_address_with_the_pages_hide_names():
    app = open_link("training-loop", {"loop_lr": "0.02"})
    assert not app.sidebar.code, "the address is drawn before its panel is opened"
    app.session_state["links_copy_open"] = True
    app.run()
    address = app.sidebar.code[0].value
    assert address.startswith("/training-loop?") and "loop_lr=0.02" in address and "loop_scaling=0%20to%201" in address
    assert all(f"`{control.name}`" in app.sidebar.caption[-1].value for control in links.PAGES["training-loop"])


def test_a_linked_value_outlives_a_visit_to_another_lesson():
    app = open_link("training-loop", {"loop_lr": "1.9", "hide": "seed"})
    app.switch_page(PAGES["playground"]).run()
    assert not [warning for warning in app.warning if warning.value.startswith("This link")]
    app.switch_page(PAGES["training-loop"]).run()
    assert app.select_slider(key="loop_lr").value == 1.9 and app.query_params["hide"] == "seed"


def test_the_address_is_written_once_a_run_starts_not_on_every_slider_move():
    app = open_link("memorize-or-generalize", {"lab_epochs": "5", "projector": "true"})
    app.slider(key="lab_epochs").set_value(6).run()
    app.slider(key="lab_epochs").set_value(7).run()
    assert app.query_params["lab_epochs"] == "5", "each write is a browser history entry: none for a slider move"
    train_to_the_end(app)
    assert app.query_params["lab_epochs"] == "7" and app.query_params["projector"] == "true"
    assert not app.exception


def test_the_hiding_style_hides_each_control_and_a_row_place_or_expander_holding_only_hidden_ones():
    css = hiding_style(("play_depth", "play_batch"))
    controls_rule = ".st-key-play_depth, .st-key-play_batch { display: none; }"
    assert css.startswith(controls_rule), "the controls' rule stands alone"
    place_rule = css.split("}", 1)[1]
    assert ':has(> [class*="st-key-row-"])' in place_rule
    assert ":has(.st-key-play_depth, .st-key-play_batch)" in place_rule
    anything_shown = "[data-testid=stElementContainer]:not(.st-key-play_depth):not(.st-key-play_batch)"
    holding_nothing_shown = f":not(:has({anything_shown}))"
    assert place_rule.count(holding_nothing_shown) == 2, "a row's place and an expander"
    assert f"[data-testid=stExpander]:has(.st-key-play_depth, .st-key-play_batch){holding_nothing_shown}" in place_rule
    for start in [index for index in range(len(css)) if css.startswith(":has(", index)]:
        depth, end = 0, start + len(":has")
        while True:
            depth += {"(": 1, ")": -1}.get(css[end], 0)
            if depth == 0:
                break
            end += 1
        assert ":has(" not in css[start + len(":has(") : end], "a browser drops a rule with :has inside :has"


def test_a_preset_that_would_change_a_hidden_control_is_not_offered():
    """A teacher hid the learning rate: "Learning rate far too high" would change it out of the student's sight."""
    app = open_link("memorize-or-generalize", {"hide": "lr"})  # the rate stays at its default, 0.001
    offered = {button.label for button in app.button if button.key.startswith("lab_preset_")}
    assert offered == {"Clean data", "30% wrong labels, long training", "Small training set"}
    app = open_link("memorize-or-generalize", {"lab_lr": "0.01", "hide": "lr"})  # every preset would change it
    assert not [button for button in app.button if button.key.startswith("lab_preset_")]
    assert not [expander for expander in app.expander if expander.label == "Try one of these"]
    app = open_link("memorize-or-generalize", {"lab_lr": "0.01"})  # shown, so the student sees what a preset sets
    assert len([button for button in app.button if button.key.startswith("lab_preset_")]) == 4
