"""`python -m bench.live_view`: how smoothly live training moves in a real browser, and what it costs.

One learner on a warm server, in Chromium on this machine:
- Playground defaults (spirals, 300 epochs): press Play; the seconds until "Epoch 300 of 300" is on screen,
  the frames per second the decision boundary was drawn while training (requestAnimationFrame frames in
  which the picture changed, counted by the live view), how often the page's progress line changed, and
  the bytes per second the server sent over the websocket.
- Lab defaults (digits, 200 epochs): press Train; the seconds until "Epoch 200 of 200" is on screen and
  how long after the server finished training that was, the frames per second of the loss curves, and
  the bytes per second.

`--root DIR` serves another checkout (for example the commit before the live view) with the same
measurements, for a before/after comparison; canvases that do not exist there count no frames.
Options: --root DIR, --output PATH (bench/live_view.json).
"""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, ROOT, open_page, start_server, warm_up

RESULTS = Path(__file__).with_name("live_view.json")
# Records when the progress line changes (each change is one redraw the learner sees from the server).
WATCH_PROGRESS = """
window.benchProgress = [];
new MutationObserver(() => {
  const line = [...document.querySelectorAll('[data-testid=stProgress] p, [data-testid=stProgress] div')]
    .map(e => e.innerText).find(t => /^(Epoch|Step) \\d+/.test(t || ''));
  const last = window.benchProgress[window.benchProgress.length - 1];
  if (line && (!last || last[1] !== line)) window.benchProgress.push([performance.now(), line]);
}).observe(document, {subtree: true, childList: true, characterData: true});
"""


def frames_per_second(stamps: list[float]) -> float | None:
    if len(stamps) < 2:
        return None
    return round((len(stamps) - 1) / ((stamps[-1] - stamps[0]) / 1000), 1)


def measure(browser, server, path: str, button: str, done_text: str, view: str) -> dict:
    page = browser.new_page(viewport={"width": 1600, "height": 900})
    received = []
    page.on("websocket", lambda socket: socket.on("framereceived", lambda frame: received.append(len(frame))))
    open_page(page, server, path)
    page.evaluate(WATCH_PROGRESS)
    before = sum(received)
    page.get_by_role("button", name=button, exact=True).click()
    pressed = time.monotonic()
    page.get_by_text(re.compile(rf"^{done_text}")).first.wait_for(timeout=120_000)
    on_screen = time.monotonic() - pressed
    sent = sum(received) - before
    record = page.evaluate(f"(window.trainlabLive || {{}})[{view!r}] || {{frames: 0, stamps: []}}")
    progress = page.evaluate("window.benchProgress.map(p => p[0])")
    line = page.get_by_text(re.compile(rf"^{done_text}")).first.inner_text()
    training = float(re.search(r"([\d.]+) s of training", line).group(1))
    page.close()
    return {
        "seconds_to_last_epoch_on_screen": round(on_screen, 2),
        "training_seconds": training,
        "seconds_on_screen_after_training": round(on_screen - training, 2),
        "live_view_frames": record["frames"],
        "live_view_frames_per_second": frames_per_second(record["stamps"]),
        "progress_line_changes_per_second": frames_per_second(progress),
        "kilobytes_per_second_sent": round(sent / 1024 / on_screen, 1),
        "kilobytes_sent": round(sent / 1024, 1),
    }


PLAYGROUND = ("playground", "Play", "Epoch 300 of 300", "play_boundary")
LAB = ("memorize-or-generalize", "Train", "Epoch 200 of 200", "lab_loss")


def run(root: Path = ROOT) -> dict:
    """Both lessons on a warm server for the app in `root`."""
    server = start_server(root=root)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            warm_up(browser, server)
            for lesson in (PLAYGROUND, LAB):
                measure(browser, server, *lesson)  # a warm server: the compiles are done
            results = {
                "root": "this checkout" if root == ROOT else "another checkout",
                "playground": measure(browser, server, *PLAYGROUND),
                "lab": measure(browser, server, *LAB),
            }
            browser.close()
    finally:
        server.stop()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.live_view", description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    results = run(args.root)
    print(json.dumps(results, indent=2))
    args.output.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
