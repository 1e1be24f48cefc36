"""Is it luck? in a real browser: after a lab run, eight seeds of its settings appear under its own curves."""

import re

import pytest

from tests.browser_support import CHROMIUM, assert_no_error_box, open_page, screenshot, wait_idle

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)"),
]


def test_the_lab_draws_eight_seeds_under_its_runs_curves(page, server):
    open_page(page, server, "memorize-or-generalize?lab_noise=20&lab_epochs=60")
    page.get_by_role("button", name="Train", exact=True).click()
    page.get_by_text(re.compile(r"^Epoch 60 of 60")).first.wait_for(timeout=60_000)
    wait_idle(page)
    page.get_by_role("button", name=re.compile("Is it luck")).click()
    page.get_by_text(re.compile("^Held-out accuracy ends between")).first.wait_for(timeout=120_000)
    wait_idle(page)
    page.get_by_text("Loss: error on training data").first.scroll_into_view_if_needed()
    assert page.locator(".js-plotly-plot").filter(has_text="held-out, 8 seeds").count() == 2, "loss and accuracy"
    assert page.get_by_text(re.compile("^Held-out loss ends between")).count() == 1
    assert_no_error_box(page)
    screenshot(page, "lab-seed-band-on-the-run-charts", height=1800)
