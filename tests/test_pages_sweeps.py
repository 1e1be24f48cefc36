"""The lab page's "Is it luck?" and learning-rate sweep buttons through AppTest: the charts draw the batch's own
numbers, and the sweep shades exactly the rates that failed."""

import numpy as np

from tests.apptest_support import chart_spec, chart_trace, decoded, open_page


def lab_page_with_short_runs():
    app = open_page("pages/lab.py")
    app.slider(key="lab_epochs").set_value(20).run()
    app.slider(key="lab_noise").set_value(20).run()
    return app


def test_the_seed_band_button_draws_mean_and_range_of_loss_and_accuracy():
    app = lab_page_with_short_runs()
    app.button(key="lab_seed_band").click().run()
    assert not app.exception and not app.error
    config, band = app.session_state["lab_band"]
    assert config.epochs == 20 and config.label_noise == 0.2 and len(band.seeds) == 8
    mean, low, high = band.spread("test_loss")
    np.testing.assert_allclose(chart_trace(app, "lab_band_loss_chart", "held-out: mean"), mean, rtol=1e-6)
    np.testing.assert_allclose(chart_trace(app, "lab_band_loss_chart", "held-out: lowest to highest"), low, rtol=1e-6)
    np.testing.assert_allclose(chart_trace(app, "lab_band_loss_chart", "held-out: highest"), high, rtol=1e-6)
    accuracy = chart_trace(app, "lab_band_accuracy_chart", "training (labels as given): mean")
    np.testing.assert_allclose(accuracy, band.spread("train_accuracy")[0], rtol=1e-6)
    assert any("held-out accuracy ended between" in info.value for info in app.info)


def test_the_sweep_button_plots_final_losses_and_shades_the_failed_rates():
    app = lab_page_with_short_runs()
    app.button(key="lab_lr_sweep").click().run()
    assert not app.exception and not app.error
    _, points = app.session_state["lab_sweep"]
    spec = chart_spec(app, "lab_sweep_chart")
    held_out = next(t for t in spec["data"] if t["name"] == "held-out")
    np.testing.assert_allclose(decoded(held_out["x"]), [point.learning_rate for point in points])
    expected = [np.nan if point.failure else point.test_loss for point in points]
    np.testing.assert_allclose(decoded(held_out["y"]), expected, rtol=1e-6)
    shaded = {shape["name"] for shape in spec["layout"]["shapes"]}
    assert shaded == {f"{point.failure} at {point.learning_rate:g}" for point in points if point.failure}
    assert shaded, "the rate ladder reaches rates that fail"
    assert spec["layout"]["xaxis"]["type"] == "log"
