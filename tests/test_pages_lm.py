"""The "Pretraining vs fine-tuning" page through Streamlit's AppTest: press Fine-tune, tick the live fragment,
and the charts, samples, cost and takeaways appear without an exception."""

import gc
import json
import time
import weakref

import numpy as np
from streamlit.runtime import caching
from streamlit.testing.v1 import AppTest

from core.engine import background
from tests.apptest_support import live_views, open_page, run_until_stopped
from ui import live_view

PAGE = "pages/fine_tuning.py"
FIRST_STEPS_SECONDS = 120  # a first compile takes seconds; a worker that never trains must fail, not hang CI
APPTEST_SESSION_ID = "test session id"  # the one session id AppTest gives every app it runs


def tick_until_trained(app: AppTest) -> AppTest:
    """The page trains in a worker thread; tick like a browser does, twice a second, until it is done."""
    return run_until_stopped(app, "ft", max_ticks=400, pause_seconds=0.5)


def code_blocks(app: AppTest) -> list[str]:
    """The written samples on the page (HTML with the house markers highlighted)."""
    return [block.value for block in app.markdown if 'class="lm-sample"' in block.value]


def training_steps_drawn(app: AppTest) -> int:
    """How many training losses the live training-loss panel was sent last (0 before the first step is drawn)."""
    panel = live_views(app).get("ft_loss_2", {"curves": {"series": []}})
    return max((len(line["values"]) for line in panel["curves"]["series"]), default=0)


def tick_until_a_step_is_drawn(app: AppTest) -> None:
    """Tick until a redraw shows a training step. Waiting on the run instead would race: the worker can take its
    first step just after the page drew, leaving the last drawing empty."""
    deadline = time.monotonic() + FIRST_STEPS_SECONDS
    while not training_steps_drawn(app):
        assert time.monotonic() < deadline, f"no training step drawn after {FIRST_STEPS_SECONDS} s: is the worker dead?"
        app.run()


def assert_live_curves_are_the_runs(app: AppTest, run) -> None:
    """While it trains, the page's loss panels are live views (no Plotly figure to re-draw every tick) that carry the
    run's own losses: held-out at the steps they were measured, training loss after every step. The worker trains on
    after the page drew, so the run's history is compared as far as the views go."""
    views = live_views(app)
    assert not app.get("plotly_chart") and {"ft_loss_0", "ft_loss_1", "ft_loss_2"} <= set(views)
    lines = [
        next(line for line in views[name]["curves"]["series"] if line["name"] == "fine-tuned generic model")
        for name in ("ft_loss_0", "ft_loss_1", "ft_loss_2")
    ]
    history, measured, steps_drawn = run.history(), len(lines[0]["steps"]), len(lines[2]["values"])
    assert lines[0]["steps"] == lines[1]["steps"] == list(history.eval_steps[:measured]) and "steps" not in lines[2]
    np.testing.assert_allclose(lines[0]["values"], history.heldout_style["fine_tuned"][:measured], rtol=1e-5)
    np.testing.assert_allclose(lines[1]["values"], history.heldout_general["fine_tuned"][:measured], rtol=1e-5)
    assert 0 < steps_drawn == views["ft_loss_2"]["keyframes"][-1]["epoch"] <= run.steps_done
    assert all(not views[f"ft_loss_{panel}"]["curves"]["legend"] for panel in range(3)), "one legend for all three"
    assert any("fine-tuned generic model" in block.proto.body for block in app.get("html")), "the shared legend"


def test_the_page_shows_the_generic_model_before_training():
    app = open_page(PAGE)
    assert app.title[0].value == "Pretraining vs fine-tuning"
    assert app.info and "Fine-tune" in app.info[0].value
    assert any("HARBOUR &amp; FINCH | " in block for block in code_blocks(app))
    assert any("thousand tokens of" in text.value for text in app.markdown)


def test_fine_tuning_runs_live_and_the_page_shows_what_it_recorded():
    app = open_page(PAGE)
    app.slider(key="ft_steps").set_value(50).run()
    app.button(key="ft_train").click().run()
    run = app.session_state["ft_run"]
    before = code_blocks(app)
    tick_until_a_step_is_drawn(app)
    assert run.steps_done < 50, "the page redraws part-way through training"
    assert_live_curves_are_the_runs(app, run)
    tick_until_trained(app)
    assert run.steps_done == 50 and [s.step for s in run.samples] == [0, 20, 40, 50]
    assert code_blocks(app) != before, "new samples replace the old ones"
    chart = json.loads(app.get("plotly_chart")[0].proto.spec)
    names = {trace["name"] for trace in chart["data"]}
    assert {"fine-tuned generic model", "trained from scratch"} <= names and len(chart["data"]) == 6
    fine_tuned, scratch = ({m.label: m.value for m in app.metric[start : start + 3]} for start in (0, 3))
    history = run.history()
    assert fine_tuned["Held-out loss"] == f"{history.heldout_style['fine_tuned'][-1]:.2f}"
    assert scratch["Held-out loss"] == f"{history.heldout_style['from_scratch'][-1]:.2f}"
    assert scratch["Copied"].endswith("%")
    markers = run.samples[-1].markers["fine_tuned"]
    assert fine_tuned["Markers"] == f"{sum(markers.values())} of 6"
    assert app.success and "fine-tuned model predicts unseen house-style adverts" in app.success[0].value
    assert any("Cost." in text.value and "50 steps" in text.value for text in app.markdown)
    assert np.isfinite(history.heldout_general["fine_tuned"]).all()
    app.select_slider(key="ft_lr").set_value(1e-2).run()
    app.number_input(key="ft_seed").set_value(3).run()
    notes = [caption.value for caption in app.caption if "Changed since this run started" in caption.value]
    assert notes and "learning rate 0.005 → 0.01, seed 0 → 3" in notes[0] and "**Fine-tune**" in notes[0]
    assert run.config.learning_rate == 5e-3, "the shown run keeps the settings it trained with"


def test_dutch_off_style_data_and_seed_settings_train_without_errors():
    app = open_page(PAGE)
    app.radio(key="ft_dataset").set_value("dutch").run()
    app.slider(key="ft_off_style").set_value(50).run()
    app.slider(key="ft_steps").set_value(20).run()
    app.number_input(key="ft_seed").set_value(12).run()
    app.button(key="ft_train").click().run()
    tick_until_trained(app)
    run = app.session_state["ft_run"]
    assert run.config.style == "dutch" and run.texts.replaced == 50 and len(run.texts.train) == 100
    assert not app.exception


def test_both_models_write_an_advert_for_a_job_the_learner_types():
    app = open_page(PAGE)
    app.slider(key="ft_steps").set_value(20).run()
    app.button(key="ft_train").click().run()
    tick_until_trained(app)
    app.text_input(key="ft_job_title").input("Night Nurse").run()
    app.button(key="ft_write").click().run()
    assert app.error and "job title" not in app.error[0].value and "city" in app.error[0].value
    app.text_input(key="ft_job_city").input("Antwerp").run()
    app.button(key="ft_write").click().run()
    prompt, step, texts = app.session_state["ft_written"]
    assert prompt == "HARBOUR & FINCH | Night Nurse | Antwerp\n\n" and step == 20
    assert texts == app.session_state["ft_run"].write_advert(prompt), "the same seed writes the same advert"
    shown = [block for block in code_blocks(app) if "Night Nurse | Antwerp" in block]
    assert len(shown) == 2 and not app.exception
    app.button(key="ft_reset").click().run()
    assert "ft_written" not in app.session_state


def test_training_carries_on_after_the_learner_was_away_long_enough_for_the_worker_to_stop(monkeypatch):
    monkeypatch.setattr(background, "IDLE_STOP_SECONDS", 0.3)
    app = open_page(PAGE)
    app.slider(key="ft_steps").set_value(30).run()
    app.button(key="ft_train").click().run()
    run = app.session_state["ft_run"]
    app.session_state["ft_worker"].wait(10)  # nobody looked: the worker stopped part-way
    assert not run.finished
    tick_until_trained(app)
    assert run.finished and run.steps_done == 30 and not app.exception


def test_a_preset_sets_the_controls_and_starts_its_run():
    app = open_page(PAGE)
    app.slider(key="ft_off_style").set_value(30).run()
    app.button(key="ft_preset_Only 10 adverts, long training").click().run()
    app.button(key="ft_stop").click().run()
    run = app.session_state["ft_run"]
    assert (run.config.texts, run.config.steps, run.config.off_style_share) == (10, 300, 0.0)
    assert app.slider(key="ft_texts").value == 10 and app.slider(key="ft_steps").value == 300
    assert not app.exception


def test_a_diverging_learning_rate_gets_words_and_stop_and_reset_work():
    app = open_page(PAGE)
    app.select_slider(key="ft_lr").set_value(0.3).run()
    app.button(key="ft_train").click().run()
    tick_until_trained(app)
    assert app.error and "A learning rate of 0.3 is too high for this model: try 0.001 " in app.error[0].value
    assert "nan" not in " ".join(metric.value for metric in app.metric).lower()
    app.select_slider(key="ft_lr").set_value(1e-3).run()
    app.button(key="ft_train").click().run()
    app.run()
    app.button(key="ft_stop").click().run()
    stopped_at = app.session_state["ft_run"].steps_done
    time.sleep(1.0)
    app.run()
    assert app.session_state["ft_run"].steps_done == stopped_at, "Stop stops the worker thread too"
    assert "ft_worker" not in app.session_state
    app.button(key="ft_reset").click().run()
    assert "ft_run" not in app.session_state and app.info and not app.exception


def test_a_closed_sessions_worker_stops_at_once_a_reconnect_carries_on_and_nothing_keeps_its_run():
    app = open_page(PAGE)
    app.slider(key="ft_steps").set_value(400).run()
    app.button(key="ft_train").click().run()
    worker, run = app.session_state["ft_worker"], weakref.ref(app.session_state["ft_run"])
    deadline = time.monotonic() + FIRST_STEPS_SECONDS
    while run().steps_done == 0:
        assert time.monotonic() < deadline and worker.training, "the worker never trained"
        time.sleep(0.2)
    # What Streamlit does the moment a session's websocket closes (AppSession.clear_session_caches); the
    # worker must stop after its chunk, not IDLE_STOP_SECONDS later.
    caching.clear_session_resource_cache(APPTEST_SESSION_ID)
    worker.wait(5)
    assert not worker.training and worker.error is None and not run().finished
    app.run()  # a browser that reconnects within Streamlit's grace period carries on with a new worker
    reconnected = app.session_state["ft_worker"]
    assert reconnected is not worker and reconnected.training
    caching.clear_session_resource_cache(APPTEST_SESSION_ID)
    reconnected.wait(5)
    assert not reconnected.training
    del app, worker, reconnected
    gc.collect()
    assert run() is None, "something outside the session still holds its run"


def test_in_projector_mode_the_loss_panels_stack_live_and_when_done():
    app = open_page(PAGE)
    app.toggle(key="projector").set_value(True).run()
    app.slider(key="ft_steps").set_value(10).run()
    app.button(key="ft_train").click().run()
    tick_until_a_step_is_drawn(app)
    views = live_views(app)
    assert {views[f"ft_loss_{panel}"]["height"] for panel in range(3)} == {live_view.STACKED_PANEL_HEIGHT}
    assert any("(top, middle)" in caption.value for caption in app.caption)
    tick_until_trained(app)
    chart = json.loads(app.get("plotly_chart")[0].proto.spec)["layout"]
    assert chart["legend"]["y"] > 1 and "domain" in chart["yaxis3"], "the finished chart stacks its panels too"
    assert not app.exception
