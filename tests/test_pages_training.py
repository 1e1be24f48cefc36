"""The two "How training works" pages through AppTest: the step walk-through, the learning-rate regimes, the
playground's live decision boundary. Helpers come from tests/test_pages.py."""

import numpy as np
import pytest

from core.lessons.training_step.stepper import LAST_PHASE, PHASES
from tests.apptest_support import (
    chart_spec,
    chart_trace,
    decoded,
    open_page,
    run_until_stopped,
    trace,
    train_to_the_end,
)

LOOP, PLAYGROUND = "pages/training_loop.py", "pages/playground.py"


def visible_text(app) -> str:
    parts = [m.value for m in app.markdown] + [str(m.value) for m in app.metric]
    parts += [e.value for kind in (app.error, app.warning, app.info, app.success) for e in kind]
    return " ".join(parts)


@pytest.fixture(scope="module")
def loop_app():
    return open_page(LOOP)


def test_next_reveals_one_phase_at_a_time_with_the_real_numbers():
    app = open_page(LOOP)
    stepper = app.session_state["loop_run"]
    assert list(app.table[0].value.columns) == ["x (input)", "y (true answer)"]
    for phase in range(1, len(PHASES)):
        app.button(key="loop_next").click().run()
        assert stepper.phase == phase
    table = app.table[0].value
    detail = stepper.detail()
    assert len(table) == 8 and "error·x" in table.columns
    np.testing.assert_allclose(table["prediction w·x+b"].astype(float), detail["predictions"][:8], atol=1e-3)
    assert stepper.steps_done == 1, "the update is applied once, at the update phase"
    text = visible_text(app)
    assert "jax.grad" in text and f"{detail['gradient'][0]:.4f}" in text and "Loss after the step" in text
    app.button(key="loop_next").click().run()
    assert (stepper.shown_step, stepper.phase) == (1, 0)


def test_step_then_run_draws_the_path_on_the_landscape():
    app = open_page(LOOP)
    app.button(key="loop_step").click().run()
    stepper = app.session_state["loop_run"]
    assert stepper.steps_done == 1 and stepper.phase == LAST_PHASE
    app.button(key="loop_train").click().run()
    app.run()
    assert 1 < stepper.steps_done < 201, "the page should redraw part-way through the run"
    shown = [bar.proto.text for bar in app.get("progress")]
    assert shown and shown[0].startswith("Step ") and " of 201 · " in shown[0], "a run under way says how far it is"
    run_until_stopped(app, "loop")
    assert stepper.steps_done == 201
    path = trace(app, "loop_landscape_chart", "path (one dot per step)")
    np.testing.assert_allclose(decoded(path["x"]), np.asarray(stepper.path)[:, 0], rtol=1e-6)
    contour = next(t for t in chart_spec(app, "loop_landscape_chart")["data"] if t["type"] == "contour")
    assert np.isfinite(decoded(contour["z"])).all()
    assert stepper.losses[-1] < 0.5 * stepper.losses[0]


def test_the_slider_marks_rates_above_the_stability_limit(loop_app):
    options = loop_app.select_slider(key="loop_lr").options
    limit = loop_app.session_state["loop_run"].problem.stability_limit
    assert "1.7" in options and "1.9 ⚠" in options and limit == pytest.approx(1.7802, abs=1e-3)
    assert "Stability limit: 1.780" in visible_text(loop_app)


@pytest.mark.parametrize(("regime", "level"), [("too_slow", "info"), ("good", "success"), ("oscillating", "warning")])
def test_each_regime_button_sets_a_rate_and_runs(regime, level):
    app = open_page(LOOP)
    app.button(key=f"loop_show_{regime}").click().run()
    run_until_stopped(app, "loop")
    stepper = app.session_state["loop_run"]
    assert stepper.problem.regime(stepper.learning_rate) == regime.replace("_", " ")
    assert stepper.steps_done == 200 and stepper.diverged_at is None
    assert getattr(app, level)[0].value.startswith(regime.replace("_", " ").capitalize())


def test_a_diverging_rate_is_stopped_and_explained_without_nan():
    app = open_page(LOOP)
    app.button(key="loop_show_diverging").click().run()
    run_until_stopped(app, "loop")
    stepper = app.session_state["loop_run"]
    assert stepper.diverged_at is not None and stepper.steps_done < 200
    assert any("overshoots the valley floor by more than it corrects" in e.value for e in app.error)
    text = visible_text(app).lower()
    assert "nan" not in text.split() and "inf " not in text
    assert np.isfinite(decoded(trace(app, "loop_landscape_chart", "path (one dot per step)")["y"])).all()
    app.button(key="loop_reset").click().run()
    assert app.session_state["loop_run"].steps_done == 0 and not app.exception


def test_minibatch_mode_shows_eight_examples_and_a_seed():
    app = open_page(LOOP)
    app.radio(key="loop_batch").set_value("minibatch").run()
    app.number_input(key="loop_seed").set_value(5).run()
    app.button(key="loop_step").click().run()
    stepper = app.session_state["loop_run"]
    assert stepper.batch_size == 8 and stepper.seed == 5 and len(app.table[0].value) == 8
    assert "8 examples (all are shown)" in visible_text(app)


def test_racing_the_optimizers_draws_three_paths_and_says_who_arrived_when():
    app = open_page(LOOP)
    app.select_slider(key="loop_lr").set_value(2.5).run()
    app.button(key="loop_race").click().run()
    names = {t["name"] for t in chart_spec(app, "loop_race_landscape")["data"] if "name" in t}
    assert {"gradient descent", "momentum 0.9", "Adam", "bottom of the valley"} <= names
    gradient_descent = decoded(trace(app, "loop_race_losses", "gradient descent")["y"])
    assert np.isnan(gradient_descent[-1]), "a blown-up walk leaves the chart"
    reading = " ".join(info.value for info in app.info)
    assert "gradient descent** blew up" in reading and "momentum 0.9** arrived after" in reading
    assert not app.exception


def test_playground_trains_live_and_draws_the_boundary_of_the_current_model():
    app = open_page(PLAYGROUND)
    run = app.session_state["play_run"]
    assert run.epochs_done == 0 and app.info, "an untrained network is drawn before Play"
    app.select_slider(key="play_epochs").set_value(1000).run()
    app.button(key="play_train").click().run()
    app.run()
    run = app.session_state["play_run"]
    assert 0 < run.epochs_done < 1000, "the boundary should redraw part-way through training"
    assert not app.get("plotly_chart"), "while it trains, the browser animates it instead of Plotly figures"
    assert run.snapshots[-1].epoch == run.epochs_done, "the live view gets the model's latest predictions"
    train_to_the_end(app, "play")
    history = run.history()
    assert history.epochs_done == 1000
    np.testing.assert_allclose(chart_trace(app, "play_loss_chart", "held-out"), history.test_loss, rtol=1e-6)
    from core.lessons.playground import plane_grid, predictions_on_grid

    heatmap = next(t for t in chart_spec(app, "play_boundary_chart")["data"] if t["type"] == "heatmap")
    expected = predictions_on_grid(run, plane_grid(run.dataset))[..., 1]
    np.testing.assert_allclose(decoded(heatmap["z"]), expected, atol=1e-6)
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Held-out accuracy"] == f"{history.test_accuracy[-1]:.1%}"


def test_playground_new_settings_start_a_new_run_and_step_trains_ten_epochs():
    app = open_page(PLAYGROUND)
    app.selectbox(key="play_dataset").set_value("gaussians").run()
    app.slider(key="play_held_out").set_value(50).run()
    run = app.session_state["play_run"]
    assert run.dataset.num_classes == 3 and len(run.dataset.y_test) == 200
    app.button(key="play_step").click().run()
    assert run.epochs_done == 10 and not app.session_state.get("play_running")
    names = [t.get("name") for t in chart_spec(app, "play_boundary_chart")["data"]]
    assert "class 2: held-out" in names and "boundary (50%)" not in names, "three classes: no 50% line"
    app.button(key="play_reset").click().run()
    assert app.session_state["play_run"].epochs_done == 0


@pytest.mark.parametrize("regularization", ["L1", "L2"])
def test_playground_regularization_reaches_the_optimizer(regularization):
    app = open_page(PLAYGROUND)
    app.radio(key="play_reg").set_value(regularization).run()
    app.select_slider(key="play_strength").set_value(0.01).run()
    config = app.session_state["play_run"].config
    assert (config.l1_strength, config.weight_decay) == ((0.01, 0.0) if regularization == "L1" else (0.0, 0.01))


def test_playground_divergence_is_explained_and_the_page_keeps_working():
    app = open_page(PLAYGROUND)
    app.select_slider(key="play_lr").set_value(3.0).run()
    app.radio(key="play_optimizer").set_value("sgd").run()
    app.select_slider(key="play_epochs").set_value(50).run()
    train_to_the_end(app, "play")
    assert app.error and "learning rate" in app.error[0].value
    assert "nan" not in " ".join(str(m.value) for m in app.metric).lower()
    assert not any("Background" in caption.value for caption in app.caption), "no background to explain"
    assert any(caption.value.startswith("Dots: training points") for caption in app.caption), "the points are drawn"
    assert chart_spec(app, "play_boundary_chart")["layout"]["title"]["text"] == "The data (the network blew up)"
    assert app.button(key="play_pin").disabled, "a run with no epoch has no curve to pin"
    app.select_slider(key="play_lr").set_value(0.03).run()
    app.button(key="play_step").click().run()
    assert app.session_state["play_run"].epochs_done == 10 and not app.exception
    assert any("held-out points. Background: the network's chance" in caption.value for caption in app.caption)
    title = chart_spec(app, "play_boundary_chart")["layout"]["title"]["text"]
    assert title == "What the network predicts after 10 epochs"
    assert not app.button(key="play_pin").disabled
