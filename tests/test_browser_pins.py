"""Pin and compare, and the exercise link's address, in a real browser: a data-quality run pinned and compared with
the next one (legend and screenshot), and slider moves that leave the browser's history alone."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser_support import CHROMIUM, assert_no_error_box, open_page, press_slider, screenshot, wait_idle

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)"),
]
PINS_CHART = ".st-key-dq_groups_pins_chart .js-plotly-plot"
PINNED_NAME = "pinned: group B share 10% → 30%"


def train_and_wait(page, epochs: int) -> None:
    page.get_by_role("button", name="Train", exact=True).click()
    page.get_by_text(re.compile(rf"^Epoch {epochs} of {epochs}")).first.wait_for(timeout=90_000)
    wait_idle(page)


def press_and_wait(page, slider_name: str, shown: str) -> None:
    """One ArrowRight on the slider, then wait until it shows `shown` and the rerun it caused has ended."""
    press_slider(page, slider_name, "ArrowRight", 1)
    slider = page.get_by_role("slider", name=re.compile(slider_name))
    slider.and_(page.locator(f"[aria-valuetext='{shown}']")).wait_for(timeout=30_000)
    wait_idle(page)


def test_a_pinned_scenario_run_is_drawn_under_the_next_with_the_change_in_its_legend(page, server):
    open_page(page, server, "data-quality?dq_scenario=groups&dq_group_share=10&dq_epochs=20")
    page.get_by_role("slider", name=re.compile("^Group B's share")).wait_for(timeout=60_000)
    train_and_wait(page, 20)
    page.get_by_role("button", name="Pin this run").click()
    wait_idle(page)
    for share in ("15%", "20%", "25%", "30%"):  # one press, one rerun: wait for each before the next
        press_and_wait(page, "^Group B's share", share)
    train_and_wait(page, 20)
    # The last run's "Epoch 20 of 20" can still be on screen when the new run starts: wait for the new comparison
    page.wait_for_function(
        "([selector, name]) => [...document.querySelectorAll(selector)]"
        ".some(plot => (plot._fullData || []).some(trace => trace.name === name))",
        arg=[PINS_CHART, PINNED_NAME],
        timeout=60_000,
    )
    wait_idle(page)
    # The last comparison chart on the page, once Plotly has drawn it (a rerun may have just replaced it), holds the
    # pinned run and this one
    page.wait_for_function(
        "([selector, names]) => { const plots = document.querySelectorAll(selector);"
        " const plot = plots[plots.length - 1];"
        " return Boolean(plot && plot._fullData)"
        " && JSON.stringify(plot._fullData.map(trace => trace.name)) === JSON.stringify(names); }",
        arg=[PINS_CHART, [PINNED_NAME, "this run"]],
        timeout=60_000,
    )
    expect(page.locator(PINS_CHART).last.get_by_text(PINNED_NAME)).to_be_visible()
    expect(page.get_by_role("button", name="Download curves (CSV)")).to_be_visible()
    assert_no_error_box(page)
    page.locator(PINS_CHART).last.scroll_into_view_if_needed()
    screenshot(page, "pins-data-quality-group-share")


def test_moving_a_slider_three_times_adds_at_most_one_history_entry(page, server):
    open_page(page, server, "memorize-or-generalize?lab_epochs=20")
    slider = page.get_by_role("slider", name=re.compile("^Epochs"))
    slider.wait_for(timeout=60_000)
    page.wait_for_timeout(500)
    before = page.evaluate("history.length")
    for value in ("21", "22", "23"):
        press_and_wait(page, "^Epochs", value)
    page.wait_for_timeout(1000)  # an address written by the last rerun would have arrived by now
    assert page.evaluate("history.length") <= before + 1
    train_and_wait(page, 23)
    page.wait_for_function("() => new URLSearchParams(location.search).get('lab_epochs') === '23'", timeout=30_000)
