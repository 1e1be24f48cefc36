"""Two things a class must be able to read, in Chromium at projector size: the live accuracy chart's long title in
projector mode (whole, wrapped rather than cut off at the canvas edge) and the fine-tuning page's sample box in the
light and the dark theme (the box follows the theme instead of staying white)."""

import pytest

from tests.browser_support import CHROMIUM, assert_no_error_box, open_page, screenshot, wait_idle

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)"),
]
LUMINANCE = (
    "colour => { const [r, g, b] = colour.match(/[\\d.]+/g).map(Number); return 0.2126 * r + 0.7152 * g + 0.0722 * b; }"
)


def test_the_live_accuracy_title_is_whole_in_projector_mode(page, server):
    open_page(page, server, "memorize-or-generalize?lab_epochs=1000&projector=true")
    page.get_by_role("button", name="Train", exact=True).wait_for(timeout=60_000)
    page.get_by_role("button", name="Train", exact=True).click()
    canvas = page.locator("canvas.trainlab-live-curves").nth(1)  # loss first, then accuracy
    canvas.wait_for(timeout=90_000)
    page.wait_for_function("() => (window.trainlabLive?.lab_accuracy?.frames || 0) > 5", timeout=30_000)
    canvas.scroll_into_view_if_needed()
    screenshot(page, "live-accuracy-title-projector")
    page.get_by_test_id("stMainBlockContainer").get_by_role("button", name="Stop", exact=True).click()
    wait_idle(page)
    assert_no_error_box(page)


def sample_colours(page) -> dict:
    return page.locator(".lm-sample").first.evaluate(
        f"box => ({{text: ({LUMINANCE})(getComputedStyle(box).color),"
        " page: getComputedStyle(document.querySelector('[data-testid=stApp]')).backgroundColor,"
        " box: getComputedStyle(box).backgroundColor})"
    )


def test_the_sample_box_follows_the_light_and_the_dark_theme(page, server):
    open_page(page, server, "fine-tuning")
    page.locator(".lm-sample").first.wait_for(timeout=90_000)
    # The page's style sheet for the box can arrive a moment after the box itself
    page.wait_for_function(
        "() => getComputedStyle(document.querySelector('.lm-sample')).backgroundColor.includes('0.08')",
        timeout=30_000,
    )
    light = sample_colours(page)
    assert light["text"] < 100, "dark text on the light theme"
    page.locator(".lm-sample").first.scroll_into_view_if_needed()
    screenshot(page, "fine-tuning-sample-light")
    page.locator("[data-testid=stMainMenu]").click()
    page.locator("[data-testid=stMainMenuItem-theme-Dark]").click()
    page.keyboard.press("Escape")
    page.wait_for_function(
        f"() => ({LUMINANCE})(getComputedStyle(document.querySelector('.lm-sample')).color) > 150", timeout=30_000
    )
    dark = sample_colours(page)
    assert dark["box"] == light["box"] and "0.08" in dark["box"], "a faint tint over whichever background"
    page.locator(".lm-sample").first.scroll_into_view_if_needed()
    screenshot(page, "fine-tuning-sample-dark")
    assert_no_error_box(page)
