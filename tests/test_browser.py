"""Real-browser tests: Debian's Chromium driven by Playwright against `streamlit run app.py`.

Screenshots at projector size (1600x900) land in test-artifacts/screenshots/.
"""

import re

import pytest

from tests.browser_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    SCREENSHOTS,
    screenshot,
    start_server,
    wait_idle,
    warm_up,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)"),
]
PAGES = {"home": "", "lab": "memorize-or-generalize"}
PAGES_WITH_A_CHART_AT_START = {"lab"}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1600, "height": 900}}


@pytest.fixture(scope="module")
def server(browser):
    running = start_server()
    warm_up(browser, running)
    yield running
    running.stop()


def open_page(page, server, path: str):
    page.goto(f"{server.url}/{path}")
    page.wait_for_selector("[data-testid=stApp]")
    wait_idle(page)
    return page


def assert_no_error_box(page):
    assert page.locator("[data-testid=stException]").count() == 0
    assert page.get_by_text("Something went wrong").count() == 0


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_loads_without_errors(page, server, name):
    open_page(page, server, PAGES[name])
    page.locator("h1").first.wait_for()
    if name in PAGES_WITH_A_CHART_AT_START:
        page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
    page.wait_for_timeout(300)  # let the last elements paint before the screenshot
    assert_no_error_box(page)
    screenshot(page, f"{name}-start")


def epoch_text(page) -> str:
    return page.get_by_text(re.compile(r"^Epoch \d+ of \d+")).first.inner_text()


def test_lab_trains_live_after_a_slider_move(page, server):
    open_page(page, server, PAGES["lab"])
    noise = page.get_by_role("slider", name=re.compile("Wrong labels"))
    noise.focus()
    for _ in range(6):
        noise.press("ArrowRight")
    page.wait_for_function("() => window.location.search.includes('lab_noise=30')")
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
    assert page.locator(".js-plotly-plot").count() >= 4, "loss, accuracy, gap and the mislabeled grid"
    assert page.get_by_text("memorized", exact=False).count() > 0
    assert_no_error_box(page)
    screenshot(page, "lab-trained-30pct-noise")
    screenshot(page, "lab-trained-30pct-noise-whole", height=3000)


def test_lab_diverging_learning_rate_is_explained(page, server):
    open_page(page, server, PAGES["lab"])
    page.get_by_text("Try one of these").click()
    page.get_by_role("button", name="Learning rate far too high").click()
    page.get_by_text(re.compile("Training (failed|diverged)")).first.wait_for(timeout=60_000)
    wait_idle(page)
    assert_no_error_box(page)
    screenshot(page, "lab-diverged")


def test_screenshots_are_reported():
    print(f"\nscreenshots: {SCREENSHOTS}")


def test_lab_on_a_2d_dataset_draws_what_the_model_predicts(page, server):
    open_page(page, server, PAGES["lab"] + "?lab_dataset=moons&lab_noise=20&lab_epochs=100")
    page.get_by_text("The training points with the labels the model is given").first.wait_for(timeout=30_000)
    page.get_by_role("button", name="Train", exact=True).click()
    page.get_by_text(re.compile(r"^Epoch 100 of 100")).first.wait_for(timeout=60_000)
    wait_idle(page)
    assert_no_error_box(page)
    screenshot(page, "lab-moons-20pct-noise-whole", height=2600)
