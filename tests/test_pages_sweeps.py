"""Is it luck? and the learning-rate sweep through AppTest on every page that offers them: a band of the run's own
settings lies under that run's curves on its own charts, a band of other settings gets charts of its own, and the
sweep shades exactly the rates that failed."""

import numpy as np
import pytest

from core.engine.sweeps import SEEDS_PER_BAND
from tests.apptest_support import chart_spec, chart_trace, decoded, open_page, train_to_the_end
from tests.test_pages_data_quality import SAMPLES, upload

BAND_NAME = f"held-out, {SEEDS_PER_BAND} seeds"


def lab_page_with_short_runs():
    app = open_page("pages/lab.py")
    app.slider(key="lab_epochs").set_value(20).run()
    app.slider(key="lab_noise").set_value(20).run()
    return app


def playground_with_short_runs():
    app = open_page("pages/playground.py")
    app.session_state["play_epochs"] = 50
    app.run()
    return app


def own_data_with_short_runs():
    app = open_page("pages/own_data.py")
    upload(app, "loan_repayment.csv", (SAMPLES / "loan_repayment.csv").read_bytes())
    app.slider(key="dq_upload_epochs").set_value(30).run()
    return app


def chart_names(app, key: str) -> list[str]:
    return [trace.get("name") for trace in chart_spec(app, key)["data"]]


def test_a_band_of_settings_not_trained_yet_gets_charts_of_its_own():
    app = lab_page_with_short_runs()
    app.button(key="lab_seed_band").click().run()
    assert not app.exception and not app.error
    config, _, band = app.session_state["lab_band"]
    assert config.epochs == 20 and config.label_noise == 0.2 and len(band.seeds) == 8
    mean, low, high = band.spread("test_loss")
    np.testing.assert_allclose(chart_trace(app, "lab_band_loss_chart", "held-out: mean"), mean, rtol=1e-6)
    np.testing.assert_allclose(chart_trace(app, "lab_band_loss_chart", "held-out: lowest to highest"), low, rtol=1e-6)
    np.testing.assert_allclose(chart_trace(app, "lab_band_loss_chart", "held-out: highest"), high, rtol=1e-6)
    accuracy = chart_trace(app, "lab_band_accuracy_chart", "training (labels as given): mean")
    np.testing.assert_allclose(accuracy, band.spread("train_accuracy")[0], rtol=1e-6)
    assert any("held-out accuracy ended between" in info.value for info in app.info)


PAGES = {
    "lab": (lab_page_with_short_runs, "lab", ("loss", "accuracy")),
    "playground": (playground_with_short_runs, "play", ("loss",)),
    "own data": (own_data_with_short_runs, "dq_upload", ("loss", "accuracy")),
}


@pytest.mark.parametrize("page", PAGES)
def test_a_band_of_the_runs_own_settings_lies_under_its_curves_on_its_own_charts(page):
    open_with_short_runs, prefix, kinds = PAGES[page]
    app = train_to_the_end(open_with_short_runs(), prefix)
    app.button(key=f"{prefix}_seed_band").click().run()
    assert not app.exception and not app.error
    _, _, band = app.session_state[f"{prefix}_band"]
    assert band.seeds[0] == app.session_state[f"{prefix}_run"].config.seed
    for kind in kinds:
        key, metric = f"{prefix}_{kind}_chart", f"test_{kind}"
        names = chart_names(app, key)
        assert names.index(f"{BAND_NAME}: mean") < names.index("held-out"), "the band lies under the run's curve"
        mean, low, high = band.spread(metric)
        np.testing.assert_allclose(chart_trace(app, key, f"{BAND_NAME}: mean"), mean, rtol=1e-6)
        np.testing.assert_allclose(chart_trace(app, key, f"{BAND_NAME}: dotted mean, shaded range"), low, rtol=1e-6)
        np.testing.assert_allclose(chart_trace(app, key, f"{BAND_NAME}: highest"), high, rtol=1e-6)
    assert not any(f"{prefix}_band_" in chart.proto.id for chart in app.get("plotly_chart")), "no charts of its own"
    captions = " ".join(caption.value for caption in app.caption)
    assert "ends between" in captions and f"over {SEEDS_PER_BAND} seeds" in captions


@pytest.mark.parametrize("page", ["playground", "own data"])
def test_the_sweep_runs_on_the_pages_own_data(page):
    open_with_short_runs, prefix, _ = PAGES[page]
    app = open_with_short_runs()
    app.button(key=f"{prefix}_lr_sweep").click().run()
    assert not app.exception and not app.error
    _, dataset, points = app.session_state[f"{prefix}_sweep"]
    assert dataset.name != "digits" and any(point.failure is None for point in points)
    assert chart_spec(app, f"{prefix}_sweep_chart")["layout"]["xaxis"]["type"] == "log"


def test_the_sweep_button_plots_final_losses_and_shades_the_failed_rates():
    app = lab_page_with_short_runs()
    app.button(key="lab_lr_sweep").click().run()
    assert not app.exception and not app.error
    _, _, points = app.session_state["lab_sweep"]
    spec = chart_spec(app, "lab_sweep_chart")
    held_out = next(t for t in spec["data"] if t["name"] == "held-out")
    np.testing.assert_allclose(decoded(held_out["x"]), [point.learning_rate for point in points])
    expected = [np.nan if point.failure else point.test_loss for point in points]
    np.testing.assert_allclose(decoded(held_out["y"]), expected, rtol=1e-6)
    shaded = {shape["name"] for shape in spec["layout"]["shapes"]}
    assert shaded == {f"{point.failure} at {point.learning_rate:g}" for point in points if point.failure}
    assert shaded, "the rate ladder reaches rates that fail"
    assert spec["layout"]["xaxis"]["type"] == "log"
