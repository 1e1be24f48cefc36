"""The first "Is it luck?" click on a fresh server: its server CPU seconds and wall seconds, in Chromium.

    python -m bench.first_click [CHECKOUT ...]   # default: this checkout; give another to compare (before/after)

For each checkout: start `streamlit run app.py` (persistent compile cache present: a first pass fills it), open
the home page, wait until the server's warm-up has gone quiet, open the lab, then press "Is it luck?" on the lab's
defaults and time it until the band's reading shows. CPU seconds are the server process's own (user + system),
read from /proc: the browser's drawing is not in them. On a shared machine, state the load beside the numbers.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, ROOT, start_server, wait_idle

# The server used under 5% of a core for this long: its warm-up is over. Longer than the warm-up's own idle wait
# (ui/first_minute.py waits 3 quiet seconds before the batched step), so the bench does not click into that step.
QUIET_SECONDS = 8.0
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def wait_quiet(pid: int, limit: float = 180.0) -> float:
    """Seconds until the server has been quiet for QUIET_SECONDS."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        before = cpu_seconds(pid)
        time.sleep(QUIET_SECONDS)
        if cpu_seconds(pid) - before < 0.05 * QUIET_SECONDS:
            return time.monotonic() - started
    return float("nan")


def first_click(browser, checkout: Path) -> dict:
    server = start_server(root=checkout)
    try:
        page = browser.new_page(viewport={"width": 1600, "height": 900})
        page.goto(server.url)
        page.wait_for_selector("h1", timeout=120_000)
        wait_quiet(server.process.pid)
        page.goto(f"{server.url}/memorize-or-generalize")
        wait_idle(page)
        wait_quiet(server.process.pid)
        cpu, wall = cpu_seconds(server.process.pid), time.monotonic()
        page.get_by_role("button", name=re.compile("Is it luck")).click()
        page.get_by_text(re.compile("held-out accuracy ended between")).first.wait_for(timeout=300_000)
        return {
            "server_cpu_s": round(cpu_seconds(server.process.pid) - cpu, 2),
            "wall_s": round(time.monotonic() - wall, 2),
        }
    finally:
        server.stop()


def main(checkouts: list[Path]) -> dict:
    results = {"load_before": os.getloadavg()}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        for checkout in checkouts:
            first_click(browser, checkout)  # fills the persistent cache with whatever this checkout compiles
            results[str(checkout)] = first_click(browser, checkout)
        browser.close()
    results["load_after"] = os.getloadavg()
    return results


if __name__ == "__main__":
    print(json.dumps(main([Path(arg).resolve() for arg in sys.argv[1:]] or [ROOT]), indent=2))
