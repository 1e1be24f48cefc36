"""Dutch and English in Chromium: a Dutch browser's first visit opens in Dutch, every page switches language from the
sidebar (screenshotted in Dutch), and the address keeps the language so an exercise link opens in it."""

import re

import pytest

from core.i18n import language_as, tr
from tests.app_pages import registered_pages
from tests.browser_support import CHROMIUM, assert_no_error_box, open_page, screenshot, wait_idle

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)"),
]
PAGE_TITLES = {  # the sidebar's name of each page, as app.py gives it
    "pages/home.py": "Home",
    "pages/rules_or_examples.py": "Rules or examples?",
    "pages/lab.py": "Memorize or generalize?",
    "pages/training_loop.py": "How one training step works",
    "pages/playground.py": "Playground",
    "pages/data_quality.py": "Data quality and bias",
    "pages/own_data.py": "Your own data",
    "pages/fine_tuning.py": "Pretraining vs fine-tuning",
    "pages/knowledge.py": "What a model knows",
}


STOP_REASONS = (  # core.lessons.stops: why a run stopped, each naming its epoch
    "Training diverged in epoch {epoch} (so that epoch is not shown): with a learning rate of {rate} each update "
    "overshoots so far that the error grows instead of shrinking, until the model was more than {factor} times "
    "worse than guessing. Training was stopped. Try a smaller learning rate, such as {smaller}.",
)
NOTHING_STILL_LOADING = "() => !document.querySelector('[data-testid=stSkeleton]')"


def dutch(text: str) -> str:
    with language_as("nl"):
        return tr(text)


def sidebar_link(page, title: str):
    return page.locator("[data-testid=stSidebarNav]").get_by_text(title, exact=True)


def test_every_registered_page_has_a_title_here():
    assert set(PAGE_TITLES) == {page.path for page in registered_pages()}


def test_a_dutch_browser_opens_the_dashboard_in_dutch(browser, server):
    context = browser.new_context(locale="nl-NL", viewport={"width": 1600, "height": 900})
    page = context.new_page()
    try:
        open_page(page, server, "")
        page.get_by_text(dutch("Trainlab: see how an AI model is trained")).wait_for(timeout=30_000)
        assert sidebar_link(page, dutch("Playground")).count() == 1
        assert_no_error_box(page)
        screenshot(page, "language-home-dutch-browser")

        # An exercise link names the language even though the address leaves out one taken from the browser.
        open_page(page, server, "memorize-or-generalize")
        page.get_by_text(dutch("Copy a link to this experiment")).click()
        link = page.locator("[data-testid=stSidebar] [data-testid=stCode]")
        link.wait_for(timeout=30_000)
        assert "lang=nl" in link.inner_text()
    finally:
        context.close()


LESSONS = [page for page in registered_pages() if not page.default]


@pytest.mark.parametrize("registered", LESSONS, ids=[lesson.url_path for lesson in LESSONS])
def test_every_page_switches_between_dutch_and_english(page, server, registered):
    english_title = PAGE_TITLES[registered.path]
    open_page(page, server, f"{registered.url_path}?lang=nl")
    sidebar_link(page, dutch(english_title)).wait_for(timeout=30_000)
    wait_idle(page)
    page.wait_for_function(NOTHING_STILL_LOADING, timeout=60_000)  # the screenshot shows the page, not placeholders
    assert_no_error_box(page)
    screenshot(page, f"language-{registered.url_path}-nl")

    page.locator("[data-testid=stSidebar]").get_by_text("English", exact=True).click()
    sidebar_link(page, english_title).wait_for(timeout=30_000)
    wait_idle(page)
    assert "lang=nl" not in page.url
    page.locator("[data-testid=stSidebar]").get_by_text("Nederlands", exact=True).click()
    sidebar_link(page, dutch(english_title)).wait_for(timeout=30_000)
    wait_idle(page)
    assert "lang=nl" in page.url
    assert_no_error_box(page)


def test_a_diverging_run_is_explained_in_dutch(page, server):
    """The most extreme learning rate, in Dutch: the run stops and says why in words, with Dutch numbers."""
    open_page(page, server, "memorize-or-generalize?lang=nl")
    page.get_by_text(dutch("Try one of these")).click()
    page.get_by_role("button", name=dutch("Learning rate far too high")).click()
    stopped = [dutch(text).split("{")[0] for text in STOP_REASONS]
    page.get_by_text(re.compile("|".join(re.escape(text) for text in stopped))).first.wait_for(timeout=60_000)
    wait_idle(page)
    assert_no_error_box(page)
    screenshot(page, "language-lab-diverged-nl")
