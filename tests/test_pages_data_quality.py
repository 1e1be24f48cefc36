"""The "Data quality and bias" and "Your own data" pages through AppTest: scenarios train live, charts show the run's
own numbers, and every malformed CSV, uploaded through the real file uploader, gets its message without losing the last
file."""

from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from core.lessons import data_quality, own_data
from tests.apptest_support import chart_trace, open_page, train_to_the_end
from tests.test_uploads import FOLDER, PROBLEMS

PAGE, OWN_DATA = "pages/data_quality.py", "pages/own_data.py"
SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"


def chart_keys(app: AppTest) -> str:
    return " ".join(chart.proto.id for chart in app.get("plotly_chart"))


def upload(app: AppTest, name: str, raw: bytes) -> AppTest:
    return app.get("file_uploader")[0].set_value((name, raw, "text/csv")).run()


@pytest.fixture(scope="module")
def upload_page():
    """One session on "Your own data" with the loan example trained: shared by the upload tests."""
    app = open_page(OWN_DATA)
    upload(app, "loan_repayment.csv", (SAMPLES / "loan_repayment.csv").read_bytes())
    app.slider(key="dq_upload_epochs").set_value(30).run()
    return train_to_the_end(app, "dq_upload")


def test_the_scenarios_link_to_your_own_data_and_offer_no_upload():
    app = open_page(PAGE)
    assert [link.proto.page for link in app.get("page_link")] == ["own-data"]
    assert "upload" not in app.radio(key="dq_scenario").options and not app.get("file_uploader")


def test_group_scenario_shows_each_group_next_to_the_average():
    app = open_page(PAGE)
    assert "Takeaway" in app.markdown[-1].value
    app.slider(key="dq_group_share").set_value(10).run()
    app.slider(key="dq_epochs").set_value(30).run()
    train_to_the_end(app, "dq_groups")
    results = data_quality.held_out_results(app.session_state["dq_groups_run"])
    shown = chart_trace(app, "dq_group_chart", "this run")
    np.testing.assert_allclose(
        shown, [results[name].accuracy for name in (data_quality.MIXED, data_quality.GROUP_A, data_quality.GROUP_B)]
    )
    assert any("group B" in message.value for message in (*app.warning, *app.success))
    assert app.session_state["dq_groups_run"].epochs_done == 30
    app.slider(key="dq_group_share").set_value(40).run()
    app.number_input(key="dq_seed").set_value(2).run()
    notes = [caption.value for caption in app.caption if "Changed since this run started" in caption.value]
    assert notes and "group B share 10% → 40%, seed 0 → 2" in notes[0] and "**Train**" in notes[0]


def test_a_second_run_keeps_the_first_as_grey_bars_and_noise_shows_a_confusion_matrix():
    app = open_page(PAGE)
    app.radio(key="dq_scenario").set_value("noise").run()
    app.slider(key="dq_epochs").set_value(20).run()
    app.radio(key="dq_noise_where").set_value("spread").run()
    train_to_the_end(app, "dq_noise")
    first = data_quality.held_out_results(app.session_state["dq_noise_run"])["held-out"].per_class
    app.radio(key="dq_noise_where").set_value("concentrated").run()
    train_to_the_end(app, "dq_noise")
    np.testing.assert_allclose(chart_trace(app, "dq_noise_class_chart", "previous run"), first)
    assert "dq_confusion_chart" in chart_keys(app)
    worst = chart_trace(app, "dq_noise_class_chart", "this run")
    assert int(np.argmin(worst)) == data_quality.CARELESS_TRUE
    assert any(f"worst digit: **{data_quality.CARELESS_TRUE}**" in w.value for w in app.warning)


@pytest.mark.parametrize(
    "scenario, settings",
    [
        ("imbalance", {"dq_rare_digit": 0, "dq_rare_kept": 0}),
        ("diversity", {"dq_distinct": 10}),
        ("shift", {"dq_shift_split": "file"}),
    ],
)
def test_the_other_scenarios_train_and_show_per_class_results(scenario, settings):
    app = open_page(PAGE)
    app.radio(key="dq_scenario").set_value(scenario).run()
    for key, value in {**settings, "dq_epochs": 10}.items():
        app.session_state[key] = value
    app.run()
    train_to_the_end(app, f"dq_{scenario}")
    assert f"dq_{scenario}_class_chart" in chart_keys(app)
    assert app.session_state[f"dq_{scenario}_run"].epochs_done == 10


def test_upload_trains_with_the_lab_charts_and_results_per_group(upload_page):
    app = upload_page
    assert "Takeaway" in app.markdown[-1].value
    assert any(r"**loan\_repayment\.csv**: 2000 rows, 6 columns" in success.value for success in app.success)
    keys = chart_keys(app)
    for chart in ("loss", "accuracy", "gap", "class", "group"):
        assert f"dq_upload_{chart}_chart" in keys
    assert app.session_state["dq_upload_label"] == "repaid" and app.session_state["dq_upload_group"] == "region"
    roles = next(frame.value for frame in app.dataframe if list(frame.value.columns) == ["column", "used as", "why"])
    assert roles.set_index("column").loc["region", "why"] == "text with 2 values: one input per value (one-hot)"
    examples = [button for button in app.get("download_button") if "dq_download_" in button.proto.id]
    assert len(examples) == len(list(SAMPLES.glob("*.csv")))
    city, rural = chart_trace(app, "dq_upload_group_chart", "accuracy")
    assert rural > city - 0.12, "with the region as an input the model serves rural applicants nearly as well"


def test_the_loan_example_fails_rural_applicants_once_the_region_is_left_out():
    app = open_page(OWN_DATA)
    upload(app, "loan_repayment.csv", (SAMPLES / "loan_repayment.csv").read_bytes())
    app.multiselect(key="dq_upload_left_out").set_value(["region"]).run()
    app.slider(key="dq_upload_epochs").set_value(30).run()
    train_to_the_end(app, "dq_upload")
    city, rural = chart_trace(app, "dq_upload_group_chart", "accuracy")
    assert rural < city - 0.2, (city, rural)
    assert any("Held-out accuracy per region: **city" in warning.value for warning in app.warning)


# Files that cannot be read as a table at all: the page keeps the previous file. The others are read, and their
# problem lies in the guessed label column (another column can still be chosen).
UNREADABLE = {
    "binary_data.csv",
    "duplicate_columns.csv",
    "empty.csv",
    "excel_workbook_renamed.csv",
    "header_only.csv",
    "json_records.csv",
    "only_blank_lines.csv",
    "pdf_renamed.csv",
    "plain_text.csv",
    "ragged_rows.csv",
    "unclosed_quote.csv",
    "too_many_columns.csv",
    "too_many_rows.csv",
    "web_page.csv",
}


@pytest.mark.parametrize("name", sorted(PROBLEMS))
def test_each_malformed_upload_is_explained_and_the_last_good_file_is_kept(upload_page, name):
    kind, words, *label = PROBLEMS[name]
    app = upload(upload_page, name, (FOLDER / name).read_bytes())
    if label:
        app.selectbox(key="dq_upload_label").set_value(label[0]).run()
    assert not app.exception
    messages = " ".join(element.value for element in (*app.error, *app.warning))
    assert words in messages
    kept = any("Still using your previous file" in info.value for info in app.info)
    assert kept == (name in UNREADABLE)
    assert (app.session_state["dq_upload_table"].name != name) == (name in UNREADABLE)


def test_a_bad_file_keeps_the_run_and_another_file_clears_it():
    app = open_page(OWN_DATA)
    upload(app, "churn.csv", (SAMPLES / "customer_churn.csv").read_bytes())
    app.slider(key="dq_upload_epochs").set_value(10).run()
    train_to_the_end(app, "dq_upload")
    upload(app, "ragged_rows.csv", (FOLDER / "ragged_rows.csv").read_bytes())
    assert app.session_state["dq_upload_run"].epochs_done == 10, "an unreadable file leaves the run in place"
    assert "dq_upload_loss_chart" in chart_keys(app)
    app.selectbox(key="dq_upload_label").set_value("plan").run()
    assert "dq_upload_run" not in app.session_state
    assert "dq_upload_loss_chart" not in chart_keys(app), "a run of another label is not shown as if it were this one"
    assert any("press **Train**" in info.value for info in app.info)


def test_a_file_over_the_limit_is_refused_in_python(upload_page):
    app = upload(upload_page, "huge.csv", b"a,b\n" + b"1,2\n" * (own_data.MAX_UPLOAD_BYTES // 4))
    assert any(f"up to {own_data.MAX_UPLOAD_MB} MB" in error.value for error in app.error) and not app.exception


def test_missing_values_are_offered_to_be_dropped():
    app = open_page(OWN_DATA)
    upload(app, "missing_values.csv", (FOLDER / "missing_values.csv").read_bytes())
    assert any("4 of 40 rows" in warning.value for warning in app.warning)
    assert not [button for button in app.button if button.key == "dq_upload_train"]
    assert not any("press **Train**" in info.value for info in app.info), "no Train button to press yet"
    app.checkbox(key="dq_upload_drop_missing").check().run()
    assert any("4 rows with missing values were left out" in info.value for info in app.info)
    app.slider(key="dq_upload_epochs").set_value(10).run()
    train_to_the_end(app, "dq_upload")
    assert (
        len(app.session_state["dq_upload_run"].dataset.y_test) + len(app.session_state["dq_upload_run"].dataset.y_train)
        == 36
    )


def test_a_single_row_with_a_missing_value_is_spoken_of_in_the_singular():
    rows = "".join(f"{20 + row % 7},{row % 2}\n" for row in range(25))
    app = upload(open_page(OWN_DATA), "one_missing.csv", f"age,paid\n{rows},1\n".encode())
    assert any("1 of 26 rows has missing values" in warning.value for warning in app.warning)
    assert app.checkbox(key="dq_upload_drop_missing").label == "Drop the 1 row with missing values"
    app.checkbox(key="dq_upload_drop_missing").check().run()
    assert any("1 row with missing values was left out" in info.value for info in app.info)
