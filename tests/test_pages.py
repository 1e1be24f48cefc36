"""Every page through Streamlit's AppTest: widgets move, training runs, charts and messages appear."""

import shutil

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from tests.app_pages import APP, lessons, registered_pages
from tests.apptest_support import chart_spec, chart_trace, live_views, open_page, train_to_the_end
from ui.charts import style


def test_home_page_links_every_lesson_app_py_registers():
    app = open_page()
    assert "Trainlab" in app.title[0].value
    linked = {link.proto.page for link in app.get("page_link")}
    missing = [page.path for page in lessons() if page.url_path not in linked]
    assert len(lessons()) >= 5 and not missing, f"registered in app.py but not linked from the home page: {missing}"


def test_a_page_that_fails_shows_the_friendly_error_box_and_the_other_pages_still_work(tmp_path):
    """app.py itself, routing to stand-in pages: the home page raises, every lesson writes one line."""
    shutil.copy(APP, tmp_path / "app.py")
    (tmp_path / "pages").mkdir()
    for page in registered_pages():
        lesson = 'import streamlit as st\nst.write("lesson works")\n'
        (tmp_path / page.path).write_text('raise RuntimeError("internal detail")\n' if page.default else lesson)
    app = AppTest.from_file(str(tmp_path / "app.py"), default_timeout=60).run()
    assert not app.exception
    assert [error.value for error in app.error] == [
        "Something went wrong on this page and it was stopped: RuntimeError. "
        "The other pages still work; press Reset or reload to start again."
    ], "the learner sees the kind of problem, not its internal details"
    app.switch_page(lessons()[0].path).run()
    assert not app.exception and not app.error
    assert [text.value for text in app.markdown] == ["lesson works"]


def test_lab_trains_live_and_its_charts_show_the_recorded_run():
    app = open_page("pages/lab.py")
    app.slider(key="lab_epochs").set_value(1000).run()
    app.button(key="lab_train").click().run()
    app.run()
    partial = app.session_state["lab_run"].epochs_done
    assert 0 < partial < 1000, "the page should redraw part-way through training"
    app.button(key="lab_stop").click().run()
    history = app.session_state["lab_run"].history()
    np.testing.assert_allclose(chart_trace(app, "lab_loss_chart", "held-out"), history.test_loss, rtol=1e-6)
    assert any(f"Epoch {history.epochs_done} of 1000" in bar.proto.text for bar in app.get("progress"))
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Held-out accuracy"] == f"{history.test_accuracy[-1]:.1%}"


def test_a_finished_clean_run_ends_with_a_plain_reading():
    app = open_page("pages/lab.py")
    app.slider(key="lab_epochs").set_value(60).run()
    train_to_the_end(app)
    assert app.session_state["lab_run"].epochs_done == 60
    assert app.success and "Held-out accuracy" in app.success[0].value


def test_a_second_run_draws_the_first_runs_held_out_loss_for_comparison():
    app = open_page("pages/lab.py")
    app.slider(key="lab_epochs").set_value(30).run()
    train_to_the_end(app)
    first = app.session_state["lab_run"].history().test_loss
    assert "previous run: held-out" not in {t.get("name") for t in chart_spec(app, "lab_loss_chart")["data"]}
    app.select_slider(key="lab_lr").set_value(2e-3).run()
    train_to_the_end(app)
    np.testing.assert_allclose(chart_trace(app, "lab_loss_chart", "previous run: held-out"), first, rtol=1e-6)
    current = app.session_state["lab_run"].history().test_loss
    np.testing.assert_allclose(chart_trace(app, "lab_loss_chart", "held-out"), current, rtol=1e-6)
    assert not np.allclose(current, first), "the two runs differ, so the chart cannot mix them up"


def test_the_lab_at_rest_shows_its_training_digits_without_a_plotly_chart():
    """Before Train the lab draws no Plotly chart, so a learner's browser loads no Plotly until a run is over
    (while it trains, the live view draws)."""
    app = open_page("pages/lab.py")
    app.slider(key="lab_noise").set_value(30).run()
    (grid,) = [block.value for block in app.markdown if 'class="digit-grid' in block.value]
    assert not app.get("plotly_chart") and grid.count("<figure>") == 24
    assert grid.count(style.MEMORIZED_COLOUR) == 2 * grid.count("(is "), "a wrong label is framed and said"
    assert 0 < grid.count("(is ") < 24


def test_while_the_lab_trains_on_wrong_labels_it_draws_no_plotly_figure_and_its_mislabeled_digits_as_html():
    app = open_page("pages/lab.py")
    app.slider(key="lab_noise").set_value(30).run()
    app.slider(key="lab_epochs").set_value(1000).run()
    app.button(key="lab_train").click().run()
    app.run()
    run = app.session_state["lab_run"]
    assert 0 < run.epochs_done < 1000 and app.session_state["lab_running"]
    (grid,) = [block.value for block in app.markdown if 'class="digit-grid' in block.value]
    assert not app.get("plotly_chart") and grid.count("<figure>") == 24 and "says <b>" in grid
    app.button(key="lab_stop").click().run()
    assert any("lab_mislabeled_chart" in chart.proto.id for chart in app.get("plotly_chart")), "at rest: a chart"


def test_a_finished_lab_run_keeps_its_live_views_beside_its_plotly_charts_with_the_same_numbers():
    """At rest each chart slot sends the live view's last frame and the Plotly chart (ui.live_view.until_drawn: the
    browser shows the first until it has drawn the second), both of the whole run."""
    app = open_page("pages/lab.py")
    app.slider(key="lab_noise").set_value(30).run()
    app.slider(key="lab_epochs").set_value(40).run()
    train_to_the_end(app)
    history = app.session_state["lab_run"].history()
    views = live_views(app)
    assert {"lab_loss", "lab_accuracy", "lab_gap_accuracy", "lab_gap_loss"} <= set(views)
    held_out = next(line for line in views["lab_loss"]["curves"]["series"] if line["name"] == "held-out")
    np.testing.assert_allclose(held_out["values"], history.test_loss, rtol=1e-5)
    np.testing.assert_allclose(chart_trace(app, "lab_loss_chart", "held-out"), history.test_loss, rtol=1e-6)
    keys = " ".join(chart.proto.id for chart in app.get("plotly_chart"))
    assert all(key in keys for key in ("lab_loss_chart", "lab_accuracy_chart", "lab_gap_chart", "lab_mislabeled_chart"))
    assert sum('class="digit-grid' in block.value for block in app.markdown) == 1, "the digits' HTML, until drawn"


def test_wrong_labels_show_memorization_and_the_digit_grid():
    app = open_page("pages/lab.py")
    app.slider(key="lab_noise").set_value(40).run()
    app.slider(key="lab_epochs").set_value(150).run()
    app.select_slider(key="lab_lr").set_value(2e-3).run()
    train_to_the_end(app)
    history = app.session_state["lab_run"].history()
    assert history.data.mislabeled.sum() == round(0.4 * history.data.n_active)
    keys = [chart.proto.id for chart in app.get("plotly_chart")]
    assert any("lab_mislabeled_chart" in key for key in keys)
    assert any("memorized" in warning.value for warning in app.warning)
    assert {m.label: m.value for m in app.metric}["Memorized"] == f"{history.memorized_share[-1]:.0%}"


def test_a_diverging_learning_rate_is_explained_not_crashed():
    app = open_page("pages/lab.py")
    app.select_slider(key="lab_lr").set_value(10.0).run()
    app.radio(key="lab_optimizer").set_value("sgd").run()
    train_to_the_end(app)
    assert app.error and "learning rate" in app.error[0].value and "smaller" in app.error[0].value
    assert "nan" not in " ".join(m.value for m in app.metric).lower()


@pytest.mark.parametrize(
    "settings",
    [
        {"lab_size": 5, "lab_noise": 100, "lab_epochs": 1},
        {"lab_dataset": "spirals", "lab_width": 8, "lab_depth": 1, "lab_epochs": 15},
        {"lab_dataset": "gaussians", "lab_wd": 0.1, "lab_input_noise": 1.0, "lab_epochs": 12, "lab_seed": 9999},
    ],
    ids=["extremes", "spirals-tiny-model", "gaussians-heavy-regularisation"],
)
def test_extreme_settings_train_without_errors(settings):
    app = open_page("pages/lab.py")
    for key, value in settings.items():
        app.session_state[key] = value
    app.run()
    train_to_the_end(app)
    assert not app.exception
    assert app.session_state["lab_run"].epochs_done == settings["lab_epochs"]


def test_stop_reset_and_presets():
    app = open_page("pages/lab.py")
    app.button(key="lab_train").click().run()
    app.button(key="lab_stop").click().run()
    stopped_at = app.session_state["lab_run"].epochs_done
    app.run()
    assert app.session_state["lab_run"].epochs_done == stopped_at < 200
    app.button(key="lab_reset").click().run()
    assert "lab_run" not in app.session_state and app.info
    app.button(key="lab_preset_Learning rate far too high").click().run()
    assert app.session_state["lab_lr"] == 5.0 and app.session_state["lab_run"].config.learning_rate == 5.0
    train_to_the_end(app)
    assert app.error and not app.exception
