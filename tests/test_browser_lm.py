"""The "Pretraining vs fine-tuning" page in a real browser: press Fine-tune, watch the samples change.

Screenshots at projector size (1600x900, and the whole page) land in test-artifacts/screenshots/.
"""

import re
import time

import psutil
import pytest

from core.lessons.fine_tuning import FineTuneConfig
from tests.browser_support import (
    CHROMIUM,
    assert_no_error_box,
    open_page,
    screenshot,
    wait_for_the_servers_warm_up,
    wait_idle,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)"),
]
PATH = "fine-tuning"
STEP_TEXT = re.compile(r"^Step \d+ of \d+")
# CPU seconds the server may spend in 4 s after a training tab closed: a worker still training spent about
# 4 of them, an idle server a few hundredths (bench/sessions.json)
IDLE_CPU_SECONDS = 1.0


def sample_texts(page) -> list[str]:
    return page.locator(".lm-sample").all_inner_texts()


def whole_page_screenshot(page, name: str) -> None:
    screenshot(page, name, height=2600)


def test_fine_tuning_changes_the_samples_live(page, server):
    steps = FineTuneConfig().steps  # the default run, whose final adverts show the whole house layout
    open_page(page, server, PATH)
    page.get_by_text("What the generic model writes now").first.wait_for(timeout=60_000)
    assert_no_error_box(page)
    screenshot(page, "fine-tuning-start")
    before = sample_texts(page)
    page.get_by_role("button", name="Fine-tune", exact=True).click()
    page.get_by_text(STEP_TEXT).first.wait_for(timeout=90_000)
    page.wait_for_function(
        "(before) => { const now = [...document.querySelectorAll('.lm-sample')].map(e => e.innerText);"
        " return now.length >= 2 && now.join('|') !== before.join('|')"
        " && /Step [1-9]/.test(document.body.innerText); }",
        arg=before,
        timeout=90_000,
    )
    # while it trains, the three loss panels grow on canvases, without Plotly figures to re-draw every tick
    page.wait_for_function("() => (window.trainlabLive?.ft_loss_2?.frames || 0) > 10", timeout=60_000)
    assert page.locator("canvas.trainlab-live-curves").count() == 3 and page.locator(".js-plotly-plot").count() == 0
    page.get_by_text(STEP_TEXT).first.scroll_into_view_if_needed()
    page.wait_for_timeout(700)  # a redraw replaces the samples shown before training; let it settle
    screenshot(page, "fine-tuning-training")
    page.get_by_text(re.compile(rf"^Step {steps} of {steps}")).first.wait_for(timeout=300_000)
    # the last step's redraw still shows the canvases; the next tick finds the worker done and draws the figure
    page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
    wait_idle(page)
    canvases = page.locator("canvas.trainlab-live-curves")  # kept, hidden, once the chart is drawn
    assert not any(canvases.nth(i).is_visible() for i in range(canvases.count())), "trained: a Plotly chart"
    assert page.get_by_text("Cost.", exact=False).count() > 0
    assert_no_error_box(page)
    screenshot(page, "fine-tuning-trained")
    whole_page_screenshot(page, "fine-tuning-trained-whole")
    page.get_by_label("Job title").fill("Night Nurse")
    page.get_by_label("City").fill("Antwerp")
    page.get_by_role("button", name="Write the advert").click()
    page.locator(".lm-sample", has_text="Night Nurse | Antwerp").nth(1).wait_for(timeout=60_000)
    wait_idle(page)
    page.locator(".lm-sample", has_text="Night Nurse | Antwerp").first.scroll_into_view_if_needed()
    assert_no_error_box(page)
    screenshot(page, "fine-tuning-own-advert")
    page.get_by_text("How the model reads text").click()
    page.get_by_label("Try a sentence of your own").fill("De bakker zoekt een leerling <b>vandaag</b>")
    page.keyboard.press("Enter")
    page.get_by_text("Your sentence").wait_for(timeout=30_000)
    wait_idle(page)
    assert page.locator(".lm-tokens b").count() == 0, "a typed sentence is shown as text, never as HTML"
    page.get_by_text("Your sentence").scroll_into_view_if_needed()
    assert_no_error_box(page)
    screenshot(page, "fine-tuning-tokens")


def cpu_seconds(process: psutil.Process) -> float:
    times = process.cpu_times()
    return times.user + times.system


def test_closing_the_tab_stops_its_training_at_once(browser, server):
    context = browser.new_context()
    page = open_page(context.new_page(), server, f"{PATH}?steps=400")
    wait_for_the_servers_warm_up(server)  # it trains for a few CPU-seconds once the server idles, as after the close
    page.get_by_role("button", name="Fine-tune", exact=True).click()
    page.get_by_text(re.compile(r"^Step [1-9]\d* of 400")).first.wait_for(timeout=90_000)
    context.close()
    server_process = psutil.Process(server.process.pid)
    time.sleep(2)  # the chunk in progress ends
    before = cpu_seconds(server_process)
    time.sleep(4)
    spent = cpu_seconds(server_process) - before
    assert spent < IDLE_CPU_SECONDS, f"the server spent {spent:.1f} CPU seconds in 4 s for a closed tab"
