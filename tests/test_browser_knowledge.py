"""The "What a model knows" page in a real browser: ask a question, let retrieval miss, move the cutoff, train it
live, edit a fact. Screenshots at projector size land in test-artifacts/screenshots/."""

import re

import pytest

from tests.browser_support import CHROMIUM, assert_no_error_box, open_page, screenshot, wait_idle

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)"),
]


def test_ask_retrieve_move_the_cutoff_train_and_edit_a_fact(page, server):
    open_page(page, server, "knowledge")
    page.get_by_text("Prepared in advance and loaded at once").wait_for(timeout=120_000)
    page.get_by_text("From memory the model answers").wait_for(timeout=120_000)
    wait_idle(page)
    page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
    page.wait_for_timeout(500)  # the address is written after the first run: let that rerun paint
    wait_idle(page)
    assert_no_error_box(page)
    screenshot(page, "knowledge-opened")
    page.get_by_text("2. Ask it a question").scroll_into_view_if_needed()
    screenshot(page, "knowledge-answers")

    page.get_by_text("retrieval missed the right document").click()
    page.get_by_text("put into its context (retrieval missed the right document)").wait_for(timeout=60_000)
    wait_idle(page)
    page.get_by_text("2. Ask it a question").scroll_into_view_if_needed()
    assert_no_error_box(page)
    screenshot(page, "knowledge-wrong-passage")

    page.get_by_label("A new value for").fill("9:15")
    page.get_by_role("button", name="Edit the document and ask again").click()
    page.get_by_text("Rebuilding the retriever's index").wait_for(timeout=60_000)
    wait_idle(page)
    page.get_by_text("Rebuilding the retriever's index").scroll_into_view_if_needed()
    assert_no_error_box(page)
    screenshot(page, "knowledge-edit")

    open_page(page, server, "knowledge?kn_cutoff=2022-07-01&kn_steps=50")
    page.get_by_text("No model knows this cutoff yet").wait_for(timeout=120_000)
    page.get_by_role("button", name="Train this cutoff").click()
    page.get_by_text("Loading the model...").wait_for(timeout=30_000)
    page.get_by_test_id("stNumberInputStepUp").first.click()  # a control moved while the model loads keeps the run
    page.get_by_text(re.compile(r"^Step \d+ of 50")).first.wait_for(timeout=120_000)
    screenshot(page, "knowledge-training")
    page.get_by_text("Trained here, live").wait_for(timeout=180_000)
    page.get_by_text("From memory the model answers").wait_for(timeout=120_000)
    wait_idle(page)
    assert_no_error_box(page)
    screenshot(page, "knowledge-trained")
    screenshot(page, "knowledge-trained-whole", height=4200)
