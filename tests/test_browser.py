"""Real-browser tests: Debian's Chromium driven by Playwright against `streamlit run app.py`.

Screenshots at projector size (1600x900) land in test-artifacts/screenshots/.
"""

import re

import pytest

from tests.browser_support import (
    CHROMIUM,
    SCREENSHOTS,
    assert_no_error_box,
    open_page,
    press_slider,
    screenshot,
    wait_for_slider_text,
    wait_idle,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)"),
]
PAGES = {
    "home": "",
    "lab": "memorize-or-generalize",
    "training-loop": "training-loop",
    "playground": "playground",
    "data-quality": "data-quality",
    "fine-tuning": "fine-tuning",
    "knowledge": "knowledge",
}
# What each page draws at start, waited for before the screenshot (the lab's digits are HTML: it loads no Plotly).
DRAWN_AT_START = {"lab": ".digit-grid svg", "training-loop": ".js-plotly-plot", "playground": ".js-plotly-plot"}
PROJECTOR = (1600, 900)


def png_size(path) -> tuple[int, int]:
    """Width and height from a PNG file's header (the IHDR chunk right after the 8-byte signature)."""
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_loads_without_errors(page, server, name):
    open_page(page, server, PAGES[name])
    page.locator("h1").first.wait_for()
    if name in DRAWN_AT_START:
        page.locator(DRAWN_AT_START[name]).first.wait_for(timeout=30_000)
    page.wait_for_timeout(300)  # let the last elements paint before the screenshot
    assert_no_error_box(page)
    expected = SCREENSHOTS / f"{name}-start.png"
    expected.unlink(missing_ok=True)  # a file left by an earlier run proves nothing
    assert screenshot(page, f"{name}-start") == expected and png_size(expected) == PROJECTOR


def epoch_text(page) -> str:
    return page.get_by_text(re.compile(r"^Epoch \d+ of \d+")).first.inner_text()


def test_lab_trains_live_after_a_slider_move(page, server):
    open_page(page, server, PAGES["lab"])
    press_slider(page, "Wrong labels", "ArrowRight", 6)
    wait_for_slider_text(page, "Wrong labels", "30%")
    wait_idle(page)
    page.get_by_role("button", name="Train", exact=True).click()
    page.get_by_text(re.compile(r"^Epoch \d+ of 200")).first.wait_for(timeout=60_000)
    first = epoch_text(page)
    page.wait_for_function(
        "(first) => [...document.querySelectorAll('p')].some(p => /^Epoch \\d+ of 200/.test(p.innerText)"
        " && p.innerText.split(' ')[1] !== first.split(' ')[1])",
        arg=first,
        timeout=30_000,
    )
    page.get_by_text(re.compile(r"^Epoch 200 of 200")).first.wait_for(timeout=60_000)
    wait_idle(page)
    page.locator(".js-plotly-plot").nth(3).wait_for(timeout=30_000)  # loss, accuracy, gap, the mislabeled grid
    assert page.get_by_text("memorized", exact=False).count() > 0
    assert_no_error_box(page)
    screenshot(page, "lab-trained-30pct-noise")
    screenshot(page, "lab-trained-30pct-noise-tall", height=1400)
    screenshot(page, "lab-trained-30pct-noise-whole", height=3000)


def test_lab_diverging_learning_rate_is_explained(page, server):
    open_page(page, server, PAGES["lab"])
    page.get_by_text("Try one of these").click()
    page.get_by_role("button", name="Learning rate far too high").click()
    page.get_by_text(re.compile("Training (failed|diverged)")).first.wait_for(timeout=60_000)
    wait_idle(page)
    assert_no_error_box(page)
    screenshot(page, "lab-diverged")


def test_lab_on_a_2d_dataset_draws_what_the_model_predicts(page, server):
    open_page(page, server, PAGES["lab"] + "?lab_dataset=moons&lab_noise=20&lab_epochs=100")
    page.get_by_text("The training points with the labels the model is given").first.wait_for(timeout=30_000)
    page.get_by_role("button", name="Train", exact=True).click()
    page.get_by_text(re.compile(r"^Epoch 100 of 100")).first.wait_for(timeout=60_000)
    wait_idle(page)
    assert_no_error_box(page)
    screenshot(page, "lab-moons-20pct-noise-whole", height=2600)
