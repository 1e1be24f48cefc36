"""`python -m bench.classroom`: a class of real browser sessions training the lab at once on one server.

Every learner opens the lab with its own seed, presses Train and waits for epoch 200. The script
reports whether all finished, each one's time from click to the last epoch on screen (median and
worst, against one learner alone), the server's memory before and after, and whether each learner
saw exactly the numbers its own seed produces (computed beforehand in this process), so no session
saw another's results. The browsers run on the same machine as the server, so these figures are
pessimistic for a server with its own CPUs; the CPU seconds the server itself spent are reported too.

`--first-minute` measures the start of a class instead: on a freshly started server, how soon the home
page is ready, then the lab (reached through its link), then the first epochs drawn after Train, counted
from opening the home page, and when each step of the server's warm-up ended; then, once that learner's run is
over, Train in a new learner's lab on the now warm server; and whether a first visit straight to a lesson's
address on another fresh server shows the lesson without Streamlit's "Page not found" dialog. The fresh class is
measured twice: opening the home page the moment the server answers, and after the server's warm-up has ended (a
teacher who started the server before handing out the link). With `--pinned` the server runs on core 0 and this
process with its Chromium on core 1, as when each learner's browser runs on the learner's own computer: the server
then has one core to itself, and the browser's drawing does not count against it.

Options: --sessions N (default 10), --sweep 10,20,30 (find the largest class finishing within the
deadline), --deadline SECONDS (default 60), --first-minute [--pinned], --output PATH.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import statistics
import time
from pathlib import Path

import psutil
from playwright.async_api import async_playwright

from core.engine import jax_setup
from core.engine.classifier import LabConfig, run_lab
from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, IDLE, ROOT, start_server
from ui.first_minute import LOG_PREFIX as WARM_UP_LOGGED
from ui.first_minute import WARM_UP_STEPS

RESULTS = Path(__file__).with_name("classroom.json")
FIRST_MINUTE_RESULTS = Path(__file__).with_name("first_minute.json")
LAB_PATH = "memorize-or-generalize"
FIRST_SEED = 100
LAB_TITLE = "Memorize or generalize?"
# The first epochs on screen: the progress line the live panel draws with its charts.
FIRST_EPOCHS_SHOWN = "() => [...document.querySelectorAll('p')].some(p => /^Epoch [1-9]\\d* of \\d+/.test(p.innerText))"


def expected_numbers(seeds) -> dict[int, tuple[str, str]]:
    """What the page must show for each seed: (training accuracy, held-out accuracy) as formatted there."""
    numbers = {}
    for seed in seeds:
        history = run_lab(LabConfig(seed=seed))
        numbers[seed] = (f"{history.train_accuracy[-1]:.1%}", f"{history.test_accuracy[-1]:.1%}")
    return numbers


async def metric_value(page, label: str) -> str:
    metric = page.locator("[data-testid=stMetric]", has_text=label).first
    return (await metric.locator("[data-testid=stMetricValue]").inner_text()).strip()


async def one_learner(browser, url: str, seed: int, deadline: float) -> dict:
    context = await browser.new_context(viewport={"width": 1600, "height": 900})
    page = await context.new_page()
    try:
        await page.goto(f"{url}/{LAB_PATH}?lab_seed={seed}")
        await page.wait_for_selector(IDLE, timeout=120_000)
        started = time.monotonic()
        await page.get_by_role("button", name="Train", exact=True).click()
        await page.get_by_text(re.compile(r"^Epoch 200 of 200")).first.wait_for(timeout=deadline * 3000)
        seconds = time.monotonic() - started
        await page.wait_for_selector(IDLE, timeout=30_000)
        shown = (await metric_value(page, "Training accuracy"), await metric_value(page, "Held-out accuracy"))
        return {"seed": seed, "finished": True, "seconds": round(seconds, 2), "shown": shown}
    except Exception as error:  # a learner that never finishes is a result, not a crash of the script
        return {"seed": seed, "finished": False, "error": f"{type(error).__name__}: {error}"[:300]}
    finally:
        await context.close()


async def warmed_browser(playwright, url: str):
    """Debian's Chromium, after one visit to the home page, so that the class finds the server warm (and an
    older checkout served with `streamlit run app.py` knows the lessons' addresses)."""
    browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
    home = await browser.new_page()
    await home.goto(url)
    await home.wait_for_selector("h1", timeout=120_000)
    await home.close()
    return browser


async def run_class(url: str, sessions: int, deadline: float) -> tuple[list[dict], float]:
    """Each learner's result, and the CPU seconds the class's browser spent (read before it closes)."""
    others = browser_cpu_seconds()
    async with async_playwright() as playwright:
        browser = await warmed_browser(playwright, url)
        seeds = range(FIRST_SEED, FIRST_SEED + sessions)
        results = await asyncio.gather(*(one_learner(browser, url, seed, deadline) for seed in seeds))
        spent = browser_cpu_seconds() - others
        await browser.close()
    return list(results), spent


async def train_to_first_chart(page) -> float:
    """Seconds from pressing the lab's Train to its first epochs on screen."""
    started = time.monotonic()
    await page.get_by_role("button", name="Train", exact=True).click()
    await page.wait_for_function(FIRST_EPOCHS_SHOWN, timeout=120_000)
    return time.monotonic() - started


async def fresh_server_class(browser, server) -> dict:
    """One learner on a server nobody has visited: home, the lab through its link, Train. Wall seconds from
    opening the home page, and the server's CPU seconds since it started (less sensitive to other load)."""
    page = await (await browser.new_context(viewport={"width": 1600, "height": 900})).new_page()
    started, opened, report = time.monotonic(), time.time(), {}
    browser_before = own_browser_cpu_seconds()

    def reached(milestone: str) -> None:
        report[f"{milestone}_seconds"] = round(time.monotonic() - started, 2)
        report[f"{milestone}_server_cpu_seconds"] = round(server_cpu_seconds(server), 2)
        report[f"{milestone}_browser_cpu_seconds"] = round(own_browser_cpu_seconds() - browser_before, 2)

    await page.goto(server.url)
    await page.get_by_role("heading", name="Trainlab").first.wait_for(timeout=120_000)
    reached("home_ready")
    await page.get_by_role("link", name=f"Open: {LAB_TITLE}").click()
    await page.get_by_role("button", name="Train", exact=True).wait_for(timeout=120_000)
    await page.wait_for_selector(IDLE, timeout=120_000)
    reached("lab_ready")
    report["train_to_first_chart_seconds"] = round(await train_to_first_chart(page), 2)
    reached("first_chart")
    report["warm_up_steps_seconds"] = warm_up_steps(server, opened)
    # The learner's run trains on: the warm server's measurement starts once it is over and its tab is closed.
    await page.get_by_text(re.compile(r"^Epoch 200 of 200")).first.wait_for(timeout=120_000)
    await page.context.close()
    return report


def warm_up_steps(server, since: float) -> dict[str, float]:
    """When each step of the server's warm-up (ui/first_minute.py) ended, in seconds after `since` (time.time()),
    read from the server's log."""
    steps = {}
    for line in Path(server.log.name).read_text().splitlines():
        found = re.search(rf"{WARM_UP_LOGGED} (\w+) at ([\d.]+)", line)
        if found:
            steps[found[1]] = round(float(found[2]) - since, 2)
    return steps


async def warmed_up(server, timeout: float = 60) -> None:
    """Wait until the server's log shows every warm-up step done (or `timeout` seconds: an older checkout's server
    logs none)."""
    deadline = time.monotonic() + timeout
    while len(warm_up_steps(server, 0.0)) < len(WARM_UP_STEPS) and time.monotonic() < deadline:
        await asyncio.sleep(0.2)


async def warm_server_train(browser, url: str) -> float:
    """Train in a new learner's lab on a server that has trained before and is training nothing now."""
    page = await (await browser.new_context(viewport={"width": 1600, "height": 900})).new_page()
    await page.goto(f"{url}/{LAB_PATH}")
    # Idle can show before the page's first run has started: the Train button shows that it has.
    await page.get_by_role("button", name="Train", exact=True).wait_for(timeout=120_000)
    await page.wait_for_selector(IDLE, timeout=120_000)
    seconds = round(await train_to_first_chart(page), 2)
    await page.context.close()
    return seconds


async def first_direct_visit(browser, url: str) -> dict:
    """A lesson's address as the first visit a fresh server gets (a teacher's exercise link)."""
    page = await (await browser.new_context(viewport={"width": 1600, "height": 900})).new_page()
    started = time.monotonic()
    await page.goto(f"{url}/{LAB_PATH}")
    await page.get_by_role("heading", name=LAB_TITLE).first.wait_for(timeout=120_000)
    await page.wait_for_selector(IDLE, timeout=120_000)
    return {
        "lesson_ready_seconds": round(time.monotonic() - started, 2),
        "page_not_found_dialog": await page.get_by_text("Page not found").count() > 0,
    }


SERVER_CORE, BROWSER_CORE = 0, 1  # --pinned


async def first_minute(root: Path, pinned: bool = False) -> dict:
    prefix = ("taskset", "-c", str(SERVER_CORE)) if pinned else ()
    if pinned:  # Playwright's driver and Chromium, started from here, inherit the core
        os.sched_setaffinity(0, {BROWSER_CORE})
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        server = start_server(root=root, prefix=prefix)
        try:
            report = await fresh_server_class(browser, server)
            cpu_before = server_cpu_seconds(server)
            report["warm_train_to_first_chart_seconds"] = await warm_server_train(browser, server.url)
            report["warm_train_server_cpu_seconds"] = round(server_cpu_seconds(server) - cpu_before, 2)
        finally:
            server.stop()
        server = start_server(root=root, prefix=prefix)
        try:  # a teacher who started the server before handing out the link
            await warmed_up(server)
            after = await fresh_server_class(browser, server)
            report["after_the_warm_up"] = {name: value for name, value in after.items() if "steps" not in name}
        finally:
            server.stop()
        server = start_server(root=root, prefix=prefix)
        try:
            report["first_direct_visit"] = await first_direct_visit(browser, server.url)
        finally:
            server.stop()
        await browser.close()
    return report


def summarise(results: list[dict], expected: dict, alone_seconds: float, deadline: float) -> dict:
    finished = [r for r in results if r["finished"]]
    times = [r["seconds"] for r in finished]
    mismatched = [r["seed"] for r in finished if tuple(r["shown"]) != expected[r["seed"]]]
    return {
        "sessions": len(results),
        "all_finished": len(finished) == len(results),
        "median_seconds": round(statistics.median(times), 2) if times else None,
        "worst_seconds": max(times) if times else None,
        "median_vs_alone": round(statistics.median(times) / alone_seconds, 2) if times else None,
        "worst_vs_alone": round(max(times) / alone_seconds, 2) if times else None,
        "all_within_deadline": bool(times) and len(finished) == len(results) and max(times) <= deadline,
        "sessions_with_foreign_numbers": mismatched,
        "failures": [r for r in results if not r["finished"]],
    }


def server_cpu_seconds(server) -> float:
    times = psutil.Process(server.process.pid).cpu_times()
    return times.user + times.system


def browser_cpu_seconds() -> float:
    """CPU seconds spent so far by every Chromium process on this machine (the class's browsers)."""
    total = 0.0
    for process in psutil.process_iter(["name", "cpu_times"]):
        if "chrom" in (process.info["name"] or "") and process.info["cpu_times"]:
            total += process.info["cpu_times"].user + process.info["cpu_times"].system
    return total


def own_browser_cpu_seconds() -> float:
    """CPU seconds spent so far by the Chromium processes this script started (other work may run its own)."""
    total = 0.0
    for process in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.Error):
            if "chrom" in process.name():
                times = process.cpu_times()
                total += times.user + times.system
    return total


def server_rss_mb(server) -> float:
    process = psutil.Process(server.process.pid)
    return round(process.memory_info().rss / 2**20, 1)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.classroom", description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--sweep", type=str, default="")
    parser.add_argument("--deadline", type=float, default=60.0)
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--root", type=Path, default=ROOT, help="serve another checkout (before/after)")
    parser.add_argument("--first-minute", action="store_true", help="measure the start of a class instead")
    parser.add_argument(
        "--pinned", action="store_true", help="--first-minute with the server and Chromium on a core each"
    )
    args = parser.parse_args()
    if args.first_minute:
        report = asyncio.run(first_minute(args.root, args.pinned)) | {"pinned": args.pinned}
        output = FIRST_MINUTE_RESULTS if args.output == RESULTS else args.output
        output.write_text(json.dumps(report, indent=2) + "\n")
        print(json.dumps(report, indent=1))
        return
    sizes = [int(size) for size in args.sweep.split(",") if size] or [args.sessions]
    expected = expected_numbers(range(FIRST_SEED, FIRST_SEED + max(sizes)))
    server = start_server(root=args.root)
    try:
        asyncio.run(run_class(server.url, 1, args.deadline))  # warms the server's compile
        alone = asyncio.run(run_class(server.url, 1, args.deadline))[0][0]
        report = {
            "alone_seconds": alone.get("seconds"),
            "deadline_seconds": args.deadline,
            "server_rss_mb_before": server_rss_mb(server),
            "classes": [],
        }
        for size in sizes:
            cpu_before = server_cpu_seconds(server)
            results, browser_seconds = asyncio.run(run_class(server.url, size, args.deadline))
            report["classes"].append(summarise(results, expected, alone["seconds"], args.deadline))
            report["classes"][-1]["server_cpu_seconds"] = round(server_cpu_seconds(server) - cpu_before, 1)
            report["classes"][-1]["browser_cpu_seconds"] = round(browser_seconds, 1)
            report["classes"][-1]["server_rss_mb_after"] = server_rss_mb(server)
            print(json.dumps(report["classes"][-1], indent=1))
        holding = [
            c["sessions"]
            for c in report["classes"]
            if c["all_within_deadline"] and not c["sessions_with_foreign_numbers"]
        ]
        report["largest_class_within_deadline"] = max(holding) if holding else 0
    finally:
        server.stop()
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    print(
        f"alone: {report['alone_seconds']} s; largest class within {args.deadline:.0f} s: "
        f"{report['largest_class_within_deadline']}; wrote {args.output}"
    )


if __name__ == "__main__":
    jax_setup.enable_compilation_cache()
    main()
