"""Pin and compare on the pages, and the look's projector switch, through AppTest."""

import io

import numpy as np
import pandas as pd

from core.lessons.compare import curve_columns, curves_csv, run_settings
from tests.apptest_support import chart_spec, chart_trace, open_page, run_until_stopped, train_to_the_end


def legend(app, chart_key: str) -> list[str]:
    return [trace["name"] for trace in chart_spec(app, chart_key)["data"]]


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
    app.slider(key="play_noise").set_value(0.4).run()
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
