"""The live view in a real browser: the Playground's boundary and the lab's curves move while they train,
and what the browser draws is the model's own predictions.

How fast they move is measured by `python -m bench.live_view`, not asserted here.
"""

import numpy as np
import pytest

from core.lessons.playground import PlaygroundConfig, plane_grid, start_run
from tests.browser_support import CHROMIUM, assert_no_error_box, open_page, screenshot, wait_idle

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)"),
]
PAGE_DEFAULT_RATE = 0.03  # the Playground page starts at this learning rate
EPOCHS = 1000  # long enough to pause part-way on a busy machine


def live_record(page, name: str) -> dict:
    return page.evaluate(f"(window.trainlabLive || {{}})[{name!r}] || null")


def predictions_after(epochs: int) -> np.ndarray:
    """P(class 1) on the plane's grid after `epochs` epochs of the page's default run, trained here."""
    run = start_run(PlaygroundConfig(learning_rate=PAGE_DEFAULT_RATE, epochs=EPOCHS))
    while run.epochs_done < epochs and run.advance():
        pass
    assert run.epochs_done == epochs
    return run.predict_proba(plane_grid(run.dataset).points)[:, 1]


def test_the_playground_boundary_moves_every_frame_and_shows_the_models_predictions(page, server):
    open_page(page, server, f"playground?play_epochs={EPOCHS}")
    page.get_by_role("button", name="Play", exact=True).click()
    # More than 20 pictures, and at least one of them a keyframe as it came (most are blends while the view
    # plays its backlog; which frame lands exactly on a keyframe depends on timing)
    page.wait_for_function(
        "() => (window.trainlabLive?.play_boundary?.frames || 0) > 20 && window.trainlabLive.play_boundary.keyframe",
        timeout=60_000,
    )
    screenshot(page, "playground-live-view")
    page.get_by_role("button", name="Pause", exact=True).click()
    wait_idle(page)
    record = live_record(page, "play_boundary")
    keyframe = record["keyframe"]
    assert record["frames"] > 20 and 0 < keyframe["epoch"] < EPOCHS and keyframe["epoch"] % 10 == 0
    np.testing.assert_allclose(keyframe["probabilities"], predictions_after(keyframe["epoch"]), atol=0.01)
    assert page.locator(".js-plotly-plot").count() >= 2, "paused: the Plotly charts with hover and zoom are back"
    assert_no_error_box(page)


def test_the_lab_curves_grow_while_it_trains_and_plotly_returns_after(page, server):
    open_page(page, server, "memorize-or-generalize")
    page.get_by_role("button", name="Train", exact=True).click()
    page.wait_for_function("() => (window.trainlabLive?.lab_loss?.frames || 0) > 10", timeout=60_000)
    screenshot(page, "lab-live-view")
    page.get_by_text("Epoch 200 of 200").first.wait_for(timeout=120_000)
    wait_idle(page)
    assert live_record(page, "lab_accuracy")["frames"] > 0
    # finished: loss, accuracy and gap as Plotly charts (Plotly's script loads now: the lab's first view has none)
    page.locator(".js-plotly-plot").nth(2).wait_for(timeout=30_000)
    assert_no_error_box(page)


SLOTS_SEEN = """() => ["lab_loss", "lab_accuracy", "lab_gap"].map((name) => {
    const slot = document.querySelector(`[class*="st-key-until-drawn-${name}"]`);
    if (!slot) return {name, missing: true};
    const live = slot.querySelector('[class*="st-key-live-"]');
    const chart = slot.querySelector(".js-plotly-plot");
    const shown = (element) => Boolean(element && element.offsetParent !== null
        && getComputedStyle(element).visibility === "visible" && element.getBoundingClientRect().height > 100);
    return {name, live: shown(live), chart: Boolean(chart), chartShown: shown(chart)};
})"""


def test_a_finished_runs_curves_stay_on_screen_until_its_plotly_charts_are_drawn(page, server):
    """The lab's first view loads no Plotly, so a learner's first finished run waits for Plotly's script (about
    2 s) before its figures can be drawn: meanwhile each slot shows the live view's last frame, never an empty
    space or a grey placeholder, and never both at once."""
    open_page(page, server, "memorize-or-generalize")
    page.get_by_role("button", name="Train", exact=True).click()
    page.locator('[class*="st-key-live-lab_gap"] canvas').first.wait_for(timeout=60_000)
    looks = []
    for _ in range(400):
        slots = page.evaluate(SLOTS_SEEN)
        looks.append(slots)
        if all(slot.get("chartShown") for slot in slots):
            break
        page.wait_for_timeout(50)
    page.wait_for_timeout(500)
    looks.append(page.evaluate(SLOTS_SEEN))
    assert all(slot["chartShown"] and not slot["live"] for slot in looks[-1]), f"not the charts alone: {looks[-1]}"
    for slots in looks:  # (how long Plotly takes depends on the browser's cache: it may be drawn at once)
        for slot in slots:
            assert not slot.get("missing"), f"a slot went missing: {slot}"
            assert slot["live"] or slot["chart"], f"an empty slot: neither its live view nor its chart: {slot}"
            assert not (slot["live"] and slot["chartShown"]), f"the live view and the chart at once: {slot}"
    assert_no_error_box(page)


LEAST_OPACITY = """() => Math.min(1, ...[...document.querySelectorAll('[data-testid=stElementContainer]')]
    .map((element) => parseFloat(getComputedStyle(element).opacity)))"""


def test_nothing_on_the_lab_fades_while_it_trains(page, server):
    """Streamlit fades a fragment's elements while the fragment reruns; a live panel reruns every tick, so without
    ui.live's style its texts, numbers and digits blinked twice a second."""
    open_page(page, server, "memorize-or-generalize?lab_noise=30&lab_epochs=1000")
    page.get_by_role("button", name="Train", exact=True).click()
    page.get_by_text("The mislabeled digits, and what the model says now").wait_for(timeout=60_000)
    seen = []
    for _ in range(20):  # about ten ticks; a run that ends meanwhile reruns the whole page, which may fade
        opacity = page.evaluate(LEAST_OPACITY)
        if page.get_by_text("Epoch 1000 of 1000").count():
            break
        seen.append(opacity)
        page.wait_for_timeout(100)
    assert len(seen) >= 5 and min(seen) > 0.99, f"faded while training: {seen}"
    page.get_by_test_id("stMainBlockContainer").get_by_role("button", name="Stop", exact=True).click()
    wait_idle(page)
    assert_no_error_box(page)
