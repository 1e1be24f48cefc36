"""Pin and compare on every page that trains, the curves it downloads, and the look's projector switch, through
AppTest."""

import io
from pathlib import Path

import numpy as np
import pandas as pd

from core.lessons.compare import curve_columns, curves_csv, run_settings
from tests.apptest_support import chart_spec, chart_trace, open_page, run_until_stopped, train_to_the_end
from ui import pins

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"


def legend(app, chart_key: str) -> list[str]:
    return [trace["name"] for trace in chart_spec(app, chart_key)["data"]]


def upload_file(app, path: Path, name: str | None = None):
    return app.get("file_uploader")[0].set_value((name or path.name, path.read_bytes(), "text/csv")).run()


def test_a_pinned_lab_run_is_drawn_under_the_next_one_with_what_changed_in_its_legend():
    app = open_page("pages/lab.py")
    app.slider(key="lab_epochs").set_value(20).run()
    train_to_the_end(app)
    pinned_loss = app.session_state["lab_run"].history().test_loss
    app.button(key="lab_pin").click().run()
    app.select_slider(key="lab_lr").set_value(1e-2).run()
    train_to_the_end(app)
    assert legend(app, "lab_pins_chart") == ["pinned: learning rate 0.001 → 0.01", "this run"]
    np.testing.assert_array_equal(chart_trace(app, "lab_pins_chart", "pinned: learning rate 0.001 → 0.01"), pinned_loss)
    current = app.session_state["lab_run"].history().test_loss
    np.testing.assert_array_equal(chart_trace(app, "lab_pins_chart", "this run"), current)

    app.button(key="lab_pin").click().run()
    app.slider(key="lab_epochs").set_value(10).run()
    train_to_the_end(app)
    assert legend(app, "lab_pins_chart") == [
        "pinned: learning rate 0.001 → 0.01, epochs 20 → 10",
        "pinned: epochs 20 → 10",
        "this run",
    ]
    app.button(key="lab_clear_pins").click().run()
    assert not [chart for chart in app.get("plotly_chart") if "lab_pins_chart" in chart.proto.id]


def test_the_training_loop_pins_a_path_and_names_the_learning_rate_it_changed():
    app = open_page("pages/training_loop.py")
    app.button(key="loop_train").click().run()
    run_until_stopped(app, "loop")
    app.button(key="loop_pin").click().run()
    app.select_slider(key="loop_lr").set_value(0.1).run()
    app.button(key="loop_reset").click().run()
    app.button(key="loop_train").click().run()
    run_until_stopped(app, "loop")
    assert legend(app, "loop_pins_chart") == ["pinned: learning rate 0.5 → 0.1", "this run"]


def test_the_playground_names_a_changed_data_setting():
    app = open_page("pages/playground.py")
    app.button(key="play_step").click().run()
    app.button(key="play_pin").click().run()
    app.select_slider(key="play_noise").set_value(0.4).run()
    app.button(key="play_step").click().run()
    assert legend(app, "play_pins_chart") == ["pinned: noise 0.2 → 0.4", "this run"]


def test_the_downloaded_csv_is_the_runs_history_with_its_settings():
    app = open_page("pages/lab.py")
    app.slider(key="lab_epochs").set_value(10).run()
    train_to_the_end(app)
    run = app.session_state["lab_run"]
    text = curves_csv(curve_columns(run.history()), run_settings(run))
    table = pd.read_csv(io.StringIO(text), comment="#")
    np.testing.assert_array_equal(table["test_loss"].to_numpy(np.float32), run.history().test_loss)
    assert [button for button in app.get("download_button") if "lab_download_csv" in button.proto.id]


def test_projector_mode_from_the_sidebar_enlarges_the_pages_charts():
    app = open_page("pages/lab.py")
    app.slider(key="lab_epochs").set_value(10).run()
    train_to_the_end(app)
    normal = chart_spec(app, "lab_loss_chart")
    app.toggle(key="projector").set_value(True).run()
    projector = chart_spec(app, "lab_loss_chart")
    assert projector["layout"]["font"]["size"] > normal["layout"]["font"]["size"]
    assert projector["data"][0]["line"]["width"] > normal["data"][0]["line"]["width"]


class ServedFiles:
    """The CSV text each Download button of a page was given, in order (recorded where ui.pins builds it)."""

    def __init__(self, monkeypatch):
        self.texts = []
        build = pins.curves_csv
        monkeypatch.setattr(pins, "curves_csv", lambda *args: self.texts.append(build(*args)) or self.texts[-1])

    def latest(self) -> pd.DataFrame:
        return pd.read_csv(io.StringIO(self.texts[-1]), comment="#")


def test_a_data_quality_scenario_pins_a_run_and_names_the_share_it_changed(monkeypatch):
    served = ServedFiles(monkeypatch)
    app = open_page("pages/data_quality.py")
    app.slider(key="dq_group_share").set_value(10).run()
    app.slider(key="dq_epochs").set_value(10).run()
    train_to_the_end(app, "dq_groups")
    pinned_loss = app.session_state["dq_groups_run"].history().test_loss
    app.button(key="dq_groups_pin").click().run()
    app.slider(key="dq_group_share").set_value(30).run()
    train_to_the_end(app, "dq_groups")
    assert legend(app, "dq_groups_pins_chart") == ["pinned: group B share 10% → 30%", "this run"]
    np.testing.assert_array_equal(
        chart_trace(app, "dq_groups_pins_chart", "pinned: group B share 10% → 30%"), pinned_loss
    )
    history = app.session_state["dq_groups_run"].history()
    np.testing.assert_array_equal(served.latest()["test_accuracy"].to_numpy(np.float32), history.test_accuracy)
    assert "# group B share = 30%\n" in served.texts[-1] and "# epochs = 10\n" in served.texts[-1]


def test_your_own_data_names_the_file_and_a_left_out_column_in_its_pins_and_its_csv(monkeypatch):
    served = ServedFiles(monkeypatch)
    app = open_page("pages/own_data.py")
    upload_file(app, SAMPLES / "loan_repayment.csv")
    app.slider(key="dq_upload_epochs").set_value(20).run()
    train_to_the_end(app, "dq_upload")
    assert "# file = loan_repayment.csv\n" in served.texts[-1] and "# label column = repaid\n" in served.texts[-1]
    app.button(key="dq_upload_pin").click().run()
    app.multiselect(key="dq_upload_left_out").set_value(["region"]).run()
    train_to_the_end(app, "dq_upload")
    assert legend(app, "dq_upload_pins_chart") == ["pinned: left out none → region", "this run"]
    history = app.session_state["dq_upload_run"].history()
    np.testing.assert_array_equal(served.latest()["test_loss"].to_numpy(np.float32), history.test_loss)

    upload_file(app, SAMPLES / "customer_churn.csv")
    app.slider(key="dq_upload_epochs").set_value(20).run()
    train_to_the_end(app, "dq_upload")
    first, *_ = legend(app, "dq_upload_pins_chart")
    assert first.startswith("pinned: file loan_repayment.csv → customer_churn.csv, label column repaid → ")


def test_a_file_name_in_a_legend_is_text_not_plotly_markup(monkeypatch):
    app = open_page("pages/own_data.py")
    upload_file(app, SAMPLES / "loan_repayment.csv", name="<b>loans</b>.csv")
    app.slider(key="dq_upload_epochs").set_value(10).run()
    train_to_the_end(app, "dq_upload")
    app.button(key="dq_upload_pin").click().run()
    upload_file(app, SAMPLES / "loan_repayment.csv")
    app.slider(key="dq_upload_epochs").set_value(10).run()
    train_to_the_end(app, "dq_upload")
    assert legend(app, "dq_upload_pins_chart")[0] == "pinned: file &lt;b&gt;loans&lt;/b&gt;.csv → loan_repayment.csv"


def test_fine_tuning_pins_a_run_and_compares_either_models_held_out_loss(monkeypatch):
    served = ServedFiles(monkeypatch)
    app = open_page("pages/fine_tuning.py")
    app.slider(key="ft_steps").set_value(20).run()
    app.button(key="ft_train").click().run()
    run_until_stopped(app, "ft", max_ticks=400, pause_seconds=0.5)
    pinned = app.session_state["ft_run"].history()
    app.button(key="ft_pin").click().run()
    app.select_slider(key="ft_lr").set_value(1e-2).run()
    app.button(key="ft_train").click().run()
    run_until_stopped(app, "ft", max_ticks=400, pause_seconds=0.5)
    name = "pinned: learning rate 0.005 → 0.01"
    assert legend(app, "ft_pins_chart") == [name, "this run"]
    np.testing.assert_array_equal(chart_trace(app, "ft_pins_chart", name), pinned.heldout_style["fine_tuned"])
    app.radio(key="ft_pins_curve").set_value("from_scratch_heldout_style_loss").run()
    np.testing.assert_array_equal(chart_trace(app, "ft_pins_chart", name), pinned.heldout_style["from_scratch"])
    history = app.session_state["ft_run"].history()
    table = served.latest().set_index("step")
    assert list(table.index) == list(range(21)), "one row per step, step 0 before training"
    for model in ("fine_tuned", "from_scratch"):
        np.testing.assert_array_equal(table[f"{model}_train_loss"].to_numpy(np.float32)[1:], history.train_loss[model])
        measured = table.loc[history.eval_steps]
        np.testing.assert_array_equal(
            measured[f"{model}_heldout_style_loss"].to_numpy(np.float32), history.heldout_style[model]
        )
        np.testing.assert_array_equal(
            measured[f"{model}_heldout_general_loss"].to_numpy(np.float32), history.heldout_general[model]
        )
    assert "# learning_rate = 0.01\n" in served.texts[-1]
