"""The "Rules or examples?" page in a real browser: a rule moved with the keyboard is scored at once, the model
trains live beside it, and leaving examples out shows where it goes wrong. Screenshots land in
test-artifacts/screenshots/."""

import re

import pytest

from core.lessons import rules
from tests.browser_support import (
    CHROMIUM,
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
WHOLE_PAGE = 3400  # window height for a screenshot of the whole lesson


def settle(page) -> None:
    """Wait for the page to finish and move the mouse off any tooltip before a screenshot."""
    wait_idle(page)
    page.mouse.move(5, 5)
    page.wait_for_timeout(500)


def rule_title(page) -> str:
    return page.locator(".js-plotly-plot .gtitle").filter(has_text="Your rule").first.text_content()


def wait_for_trained_model(page) -> None:
    epochs = rules.EPOCHS
    page.get_by_text(re.compile(rf"^Epoch {epochs} of {epochs}")).first.wait_for(timeout=90_000)
    page.get_by_text("What follows from the difference").first.wait_for()
    page.locator(".js-plotly-plot").nth(2).wait_for(timeout=30_000)  # the rule, the model, beyond the examples
    wait_idle(page)


def test_rule_is_scored_live_and_the_model_trains_beside_it(page, server):
    open_page(page, server, "rules-or-examples")
    page.locator(".js-plotly-plot").nth(1).wait_for(timeout=30_000)  # the rule's map and the (empty) model map
    before = rule_title(page)
    press_slider(page, "income is at least", "ArrowLeft", 3)  # 50 -> 35 thousand
    wait_for_slider_text(page, "income is at least", "35")
    page.wait_for_function(
        "(before) => [...document.querySelectorAll('.js-plotly-plot .gtitle')].some("
        "t => t.textContent.startsWith('Your rule') && t.textContent !== before)",
        arg=before,
    )
    settle(page)
    assert_no_error_box(page)
    screenshot(page, "rules-rule-moved")
    page.get_by_role("button", name="Train the model", exact=True).click()
    page.get_by_text(re.compile(r"^The model after \d+ epochs")).first.wait_for(timeout=60_000)
    wait_for_trained_model(page)
    assert page.get_by_text("Nobody told the model where the border lies").count() > 0
    settle(page)
    assert_no_error_box(page)
    screenshot(page, "rules-trained")
    screenshot(page, "rules-trained-whole", height=WHOLE_PAGE)


def test_leaving_out_large_debts_shows_where_the_model_goes_wrong(page, server):
    open_page(page, server, "rules-or-examples?rules_min_income=35&rules_max_debts=40")
    page.get_by_role("button", name="Train the model", exact=True).click()
    wait_for_trained_model(page)
    page.get_by_role("button", name=re.compile("^Leave out everyone with debts over")).click()
    page.get_by_text("The model never saw anyone with debts over").first.wait_for(timeout=90_000)
    wait_idle(page)
    assert page.get_by_text("no examples here").count() > 0, "the left-out band is marked on the model's map"
    settle(page)
    assert_no_error_box(page)
    screenshot(page, "rules-left-out")
    screenshot(page, "rules-left-out-whole", height=WHOLE_PAGE)


def test_home_opens_this_lesson_first(page, server):
    open_page(page, server, "")
    first_link = page.get_by_role("link", name=re.compile("^Open: ")).first
    assert "Rules or examples?" in first_link.inner_text()
    settle(page)
    screenshot(page, "rules-home")
    first_link.click()
    page.get_by_role("heading", name="Rules or examples?").first.wait_for(timeout=30_000)
    page.wait_for_function("() => window.location.pathname.endsWith('/rules-or-examples')")
    settle(page)
    assert_no_error_box(page)
