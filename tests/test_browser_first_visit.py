"""A teacher starts the server and hands out a link to one lesson: the class's first visit is that address."""

import re

import pytest

from tests.browser_support import CHROMIUM, assert_no_error_box, start_server, wait_idle

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)"),
]


def test_a_lessons_address_as_a_fresh_servers_first_visit_opens_the_lesson_with_no_dialog(page):
    server = start_server()  # its own: the shared one has been visited already
    try:
        page.goto(f"{server.url}/memorize-or-generalize")
        page.get_by_role("heading", name="Memorize or generalize?").first.wait_for(timeout=120_000)
        wait_idle(page, 120_000)
        assert page.get_by_text("Page not found").count() == 0
        assert page.get_by_role("dialog").count() == 0
        # Nothing lies over the lesson: its Train button takes the click (a dialog would intercept it).
        page.get_by_role("button", name="Train", exact=True).click(timeout=10_000)
        page.get_by_text(re.compile(r"^Epoch [1-9]\d* of 200")).first.wait_for(timeout=120_000)
        assert_no_error_box(page)
    finally:
        server.stop()
