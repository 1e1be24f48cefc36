"""`python -m bench.lm_page`: the fine-tuning lesson in real browser sessions against one server.

One learner presses Fine-tune on the default run: how often new numbers reach the screen (the seconds
between changes of the "Step x of y" line: median and worst) and the wall time until the last step.
Then a class of learners, each with its own seed and a shorter run, fine-tune at once: whether all
finish, how long they take, and whether each saw exactly the held-out losses its own seed produces
(computed beforehand in this process), so no worker thread mixed up two sessions. The browsers run on
the same machine as the server, so these figures are pessimistic for a server with its own CPUs.

Options: --learners N (default 4), --class-steps N (default 60), --output PATH (bench/lm_page.json).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import statistics
import time
from pathlib import Path

from playwright.async_api import async_playwright

from bench.classroom import warmed_browser
from core.engine import jax_setup
from core.lessons import fine_tuning
from tests.browser_support import IDLE, start_server

RESULTS = Path(__file__).with_name("lm_page.json")
PAGE_PATH = "fine-tuning"
POLL_MS = 50


def expected_losses(seeds, steps: int) -> dict[int, tuple[str, ...]]:
    """What the page's "Held-out loss" metrics must show for each seed, as formatted there."""
    expected = {}
    for seed in seeds:
        history = fine_tuning.run_lesson(fine_tuning.FineTuneConfig(steps=steps, seed=seed)).history()
        expected[seed] = tuple(f"{history.heldout_style[name][-1]:.2f}" for name in fine_tuning.MODELS)
    return expected


async def open_lesson(browser, url: str, query: str):
    context = await browser.new_context(viewport={"width": 1600, "height": 900})
    page = await context.new_page()
    await page.goto(f"{url}/{PAGE_PATH}?{query}")
    await page.wait_for_selector(IDLE, timeout=120_000)
    return context, page


async def one_learner_redraws(browser, url: str) -> dict:
    """The default run: when did the step line change, and when did it reach the last step?"""
    context, page = await open_lesson(browser, url, "")
    steps = fine_tuning.FineTuneConfig().steps
    await page.get_by_role("button", name="Fine-tune", exact=True).click()
    started, changes, last = time.monotonic(), [], None
    step_line = page.get_by_text(re.compile(rf"^Step \d+ of {steps}"))
    while time.monotonic() - started < 300:
        shown = await step_line.all_inner_texts()
        if shown and shown[0] != last:
            last = shown[0]
            changes.append(time.monotonic() - started)
            if last.startswith(f"Step {steps} of {steps}"):
                break
        await page.wait_for_timeout(POLL_MS)
    await context.close()
    gaps = [later - earlier for earlier, later in zip(changes[1:], changes[2:])]  # from the first step on
    return {
        "steps": steps,
        "wall_seconds": round(changes[-1], 2),
        "updates": len(changes),
        "median_seconds_between_new_numbers": round(statistics.median(gaps), 2),
        "worst_seconds_between_new_numbers": round(max(gaps), 2),
    }


async def class_learner(browser, url: str, seed: int, steps: int) -> dict:
    context, page = await open_lesson(browser, url, f"steps={steps}&seed={seed}")  # the page's link names
    try:
        started = time.monotonic()
        await page.get_by_role("button", name="Fine-tune", exact=True).click()
        await page.get_by_text(re.compile(rf"^Step {steps} of {steps}")).first.wait_for(timeout=600_000)
        seconds = time.monotonic() - started
        await page.wait_for_selector(IDLE, timeout=60_000)
        metric = page.locator("[data-testid=stMetric]", has_text="Held-out loss")
        shown = [text.strip() for text in await metric.locator("[data-testid=stMetricValue]").all_inner_texts()]
        return {"seed": seed, "finished": True, "seconds": round(seconds, 2), "shown": shown[:2]}
    except Exception as error:  # a learner that never finishes is a result, not a crash of the script
        return {"seed": seed, "finished": False, "error": f"{type(error).__name__}: {error}"[:300]}
    finally:
        await context.close()


async def measure(url: str, learners: int, class_steps: int, expected: dict) -> dict:
    async with async_playwright() as playwright:
        browser = await warmed_browser(playwright, url)
        await class_learner(browser, url, 0, 10)  # compiles the lesson's code in the server (10: the fewest steps)
        alone = await one_learner_redraws(browser, url)
        results = await asyncio.gather(*(class_learner(browser, url, seed, class_steps) for seed in expected))
        await browser.close()
    finished = [r for r in results if r["finished"]]
    times = [r["seconds"] for r in finished]
    return {
        "one_learner_default_run": alone,
        "class": {
            "learners": learners,
            "steps": class_steps,
            "all_finished": len(finished) == learners,
            "median_seconds": round(statistics.median(times), 2) if times else None,
            "worst_seconds": max(times) if times else None,
            "sessions_with_foreign_numbers": [r["seed"] for r in finished if tuple(r["shown"]) != expected[r["seed"]]],
            "failures": [r for r in results if not r["finished"]],
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.lm_page", description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=4)
    parser.add_argument("--class-steps", type=int, default=60)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    expected = expected_losses(range(1, args.learners + 1), args.class_steps)
    server = start_server()
    try:
        report = asyncio.run(measure(server.url, args.learners, args.class_steps, expected))
    finally:
        server.stop()
    args.output.write_text(json.dumps(report, indent=1) + "\n")
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    jax_setup.enable_compilation_cache()
    main()
