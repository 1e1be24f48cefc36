"""Real-browser tests of the two "How training works" pages: Debian's Chromium driven by Playwright.

Fixtures come from tests/conftest.py and helpers from tests/browser_support.py; screenshots at projector
size (1600x900) land in test-artifacts/screenshots/.
"""

import re

import pytest

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
WHOLE_PAGE = 2000  # window height for a screenshot of a whole page


def test_training_loop_walks_one_step_then_runs(page, server):
    open_page(page, server, "training-loop")
    for phase in range(2, 7):
        page.get_by_role("button", name="Next", exact=True).click()
        page.get_by_text(re.compile(rf"phase {phase} of 6")).first.wait_for(timeout=30_000)
    assert page.get_by_text("Loss after the step", exact=False).count() > 0
    settle(page)
    assert_no_error_box(page)
    screenshot(page, "training-loop-phases")
    screenshot(page, "training-loop-phases-whole", height=WHOLE_PAGE)
    page.get_by_role("button", name="Run", exact=True).click()
    page.get_by_text("201", exact=True).first.wait_for(timeout=60_000)
    settle(page)
    assert_no_error_box(page)
    screenshot(page, "training-loop-ran-200-steps")


def test_training_loop_slider_above_the_limit_diverges_in_words(page, server):
    open_page(page, server, "training-loop")
    press_slider(page, "Learning rate", "ArrowRight", 6)  # 0.5 -> 1.9, just above the limit 1.78
    wait_for_slider_text(page, "Learning rate", "1.9")
    page.get_by_text(re.compile("^Diverging: 1.9 is above the stability limit")).first.wait_for(timeout=30_000)
    wait_idle(page)
    page.get_by_role("button", name="Run", exact=True).click()
    page.get_by_text(re.compile("The run diverged in step")).first.wait_for(timeout=60_000)
    wait_idle(page)
    assert page.get_by_text(re.compile(r"\bNaN\b|\binf\b")).count() == 0
    settle(page)
    assert_no_error_box(page)
    screenshot(page, "training-loop-diverged")
    screenshot(page, "training-loop-diverged-whole", height=WHOLE_PAGE)


def settle(page) -> None:
    """Wait for the page to finish and move the mouse off any tooltip before a screenshot."""
    wait_idle(page)
    page.mouse.move(5, 5)
    page.wait_for_timeout(300)


def epoch_number(page) -> int:
    text = page.get_by_text(re.compile(r"^Epoch \d+ of \d+")).first.inner_text()
    return int(text.split()[1])


def test_training_loop_races_three_optimizers(page, server):
    open_page(page, server, "training-loop")
    page.get_by_role("button", name="Race them at this learning rate").click()
    page.get_by_text(re.compile(r"Adam\s*arrived after")).first.wait_for(timeout=60_000)
    race_chart = page.locator(".js-plotly-plot").filter(has_text="three ways down").first
    race_chart.wait_for(timeout=30_000)
    race_chart.scroll_into_view_if_needed()
    settle(page)
    assert_no_error_box(page)
    screenshot(page, "training-loop-optimizer-race")


def test_playground_trains_live_after_a_slider_move(page, server):
    open_page(page, server, "playground")
    press_slider(page, "Noise", "ArrowRight", 2)
    wait_for_slider_text(page, "Noise", "0.3")
    wait_idle(page)
    page.get_by_role("button", name="Play", exact=True).click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('p')].some(p => /^Epoch [1-9]\\d* of 300/.test(p.innerText))",
        timeout=60_000,
    )
    first = epoch_number(page)
    page.wait_for_function(
        "(first) => [...document.querySelectorAll('p')].some(p => /^Epoch \\d+ of 300/.test(p.innerText)"
        " && Number(p.innerText.split(' ')[1]) > first)",
        arg=first,
        timeout=60_000,
    )
    page.get_by_text(re.compile(r"^Epoch 300 of 300")).first.wait_for(timeout=120_000)
    wait_idle(page)
    assert page.locator(".js-plotly-plot").count() >= 2, "decision boundary and loss curves"
    assert_no_error_box(page)
    screenshot(page, "playground-spirals-trained")
    screenshot(page, "playground-spirals-trained-whole", height=WHOLE_PAGE)


def test_playground_three_classes_step_by_step(page, server):
    open_page(page, server, "playground?play_dataset=gaussians&play_depth=1&play_held_out=0.5")
    page.get_by_role("button", name="Step", exact=True).click()
    page.get_by_text(re.compile(r"^Epoch 10 of 300")).first.wait_for(timeout=60_000)
    settle(page)
    assert_no_error_box(page)
    screenshot(page, "playground-gaussians-10-epochs")
