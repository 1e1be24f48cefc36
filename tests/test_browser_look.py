"""Themes and projector mode in Chromium: a finished lab run, switched to dark and to projector mode."""

import pytest

from tests.browser_support import CHROMIUM, assert_no_error_box, open_page, screenshot, wait_idle

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)"),
]
LOSS_CHART = ".st-key-lab_loss_chart .js-plotly-plot"


def loss_chart_look(page) -> dict:
    """What Plotly drew the loss chart with: background, text size and the training line's width."""
    return page.locator(LOSS_CHART).evaluate(
        "plot => ({background: plot._fullLayout.paper_bgcolor, font: plot._fullLayout.font.size,"
        " line: plot._fullData[0].line.width})"
    )


def wait_for_chart_change(page, before: dict) -> dict:
    page.wait_for_function(
        "([selector, before]) => { const plot = document.querySelector(selector);"
        " return plot && plot._fullLayout && (plot._fullLayout.paper_bgcolor !== before.background"
        " || plot._fullLayout.font.size !== before.font); }",
        arg=[LOSS_CHART, before],
        timeout=30_000,
    )
    wait_idle(page)
    return loss_chart_look(page)


def test_the_lab_switches_to_dark_and_to_projector_mode_and_its_charts_follow(page, server):
    open_page(page, server, "memorize-or-generalize?lab_epochs=30")
    page.locator("[data-testid=stSliderThumbValue]", has_text="100%").first.wait_for()  # sliders drawn before Train
    page.wait_for_timeout(500)
    page.get_by_role("button", name="Train", exact=True).click()
    page.locator(LOSS_CHART).wait_for(timeout=60_000)
    wait_idle(page)
    light = loss_chart_look(page)
    assert light["background"] in ("white", "#fff", "#ffffff", "rgb(255, 255, 255)")
    screenshot(page, "look-lab-light")

    page.locator("[data-testid=stMainMenu]").click()
    page.locator("[data-testid=stMainMenuItem-theme-Dark]").click()
    page.keyboard.press("Escape")
    dark = wait_for_chart_change(page, light)
    assert dark["background"] == "#0e1117" and dark["font"] == light["font"]
    screenshot(page, "look-lab-dark")

    page.get_by_text("Projector mode").click()
    projector = wait_for_chart_change(page, dark)
    assert projector["font"] > dark["font"] and projector["line"] > dark["line"]
    assert "projector=true" in page.url, "projector mode is kept in the page's address"
    assert_no_error_box(page)
    screenshot(page, "look-lab-dark-projector")


CUT_METRIC_LABELS = """() => [...document.querySelectorAll('[data-testid=stMetricLabel] p')]
    .filter((label) => label.scrollWidth > label.clientWidth + 1).map((label) => label.innerText)"""


def test_in_dutch_projector_mode_the_labs_metric_labels_wrap_instead_of_being_cut(page, server):
    """Streamlit ends a metric's label that does not fit in "...": "Nauwkeurigheid op tra..." in projector mode."""
    open_page(page, server, "memorize-or-generalize?lab_epochs=20&lang=nl&projector=true")
    page.get_by_role("button", name="Trainen", exact=True).click()
    page.get_by_text("Epoch 20 van 20").first.wait_for(timeout=60_000)
    wait_idle(page)
    labels = page.locator("[data-testid=stMetricLabel] p")
    assert labels.count() == 4 and "Nauwkeurigheid op trainingsdata" in labels.all_inner_texts()
    assert page.evaluate(CUT_METRIC_LABELS) == []
    values = page.locator("[data-testid=stMetricValue]")
    boxes = [values.nth(i).bounding_box() for i in range(values.count())]
    tops = sorted({round(box["y"]) for box in boxes})
    # two rows of two on a projector (four side by side broke words and touched), each row's numbers level
    assert len(tops) == 2, f"a wrapped label pushed its number down: the numbers stand at {tops}"
    for left, right in ((boxes[0], boxes[1]), (boxes[2], boxes[3])):
        assert round(left["y"]) == round(right["y"]) and left["x"] + left["width"] < right["x"], "side by side, apart"
    assert_no_error_box(page)
