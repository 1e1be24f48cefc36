"""`python -m bench.sessions`: what a server needs per page, and what a closed session leaves behind.

Real Chromium sessions against one server (`streamlit run app.py`), one after another:
- closed tab: a learner presses Fine-tune and closes the tab while it trains; the server's CPU seconds in
  the 20 s after the close (a worker still training spends about one a second).
- memory: the server's resident memory fresh, then after a first visit to each page with a training run
  on it, then after `--learners` more learners each visit every page (a page address opens a new server
  session, so each learner is one session per page), and once more after the disconnected sessions have
  expired (Streamlit keeps them `server.disconnectedSessionTTL` seconds for a reconnect, 120 by default).
  At each point a probe inside the server (bench/server_probe.py) counts live threads, sessions, the
  lessons' runs and workers, JAX's live buffers, uploaded files and the C heap.
- per session: what one more session that trained on a page holds, in this process through AppTest (the
  same session state a browser's session keeps, without the browser): 1 + `--sessions` sessions train on
  each page and are kept; the first fills the shared caches, the others are measured.
The browsers share the server's machine; runs are kept short (`steps=50`) so a measurement takes minutes.

Options: --learners N (default 10), --sessions N (default 3), --skip-closed-tab, --skip-memory,
--skip-per-session (a part skipped keeps its last figures in the output), --expiry-wait SECONDS (default
125), --output PATH (bench/sessions.json).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import re
import signal
import tempfile
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

import psutil
from playwright.sync_api import sync_playwright

from bench import server_probe
from core.engine import jax_setup
from tests.apptest_support import open_page, run_until_stopped
from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, IDLE, ROOT, start_server, warm_up

RESULTS = Path(__file__).with_name("sessions.json")
RUN_FINISHED = r"^(Epoch|Step) (\d+) of \2\b"  # a progress line at its last epoch or step
AFTER_CLOSE_SECONDS = 20


@dataclass(frozen=True)
class Visit:
    """One page: its address, the button that trains on it, and what it shows when that run has finished."""

    name: str
    address: str
    button: str | None = None
    finished: str = RUN_FINISHED
    upload: str | None = None


VISITS = (
    Visit("home", ""),
    Visit("rules-or-examples", "rules-or-examples", "Train the model"),
    Visit("lab", "memorize-or-generalize", "Train"),
    Visit("training-loop", "training-loop", "Run", finished=r"^Step 200 · phase 6 of 6"),
    Visit("playground", "playground", "Play"),
    Visit("data-quality", "data-quality", "Train"),
    Visit("own-data", "own-data", "Train", upload="sample_data/loan_repayment.csv"),
    Visit("fine-tuning", "fine-tuning?steps=50", "Fine-tune"),
)


class ProbedServer:
    """A server started with bench.server_probe inside it, so a signal makes it report what is alive."""

    def __init__(self):
        self.folder = tempfile.TemporaryDirectory()
        probe_dir = Path(self.folder.name)
        (probe_dir / "sitecustomize.py").write_text("import bench.server_probe\n\nbench.server_probe.install()\n")
        self.report_file = probe_dir / "report.json"
        python_path = os.pathsep.join([str(probe_dir), str(ROOT), os.environ.get("PYTHONPATH", "")])
        self.server = start_server({"PYTHONPATH": python_path, "TRAINLAB_PROBE_REPORT": str(self.report_file)})
        self.process = psutil.Process(self.server.process.pid)

    @property
    def url(self) -> str:
        return self.server.url

    def cpu_seconds(self) -> float:
        times = self.process.cpu_times()
        return times.user + times.system

    def rss_mb(self) -> float:
        return round(self.process.memory_info().rss / 2**20, 1)

    def probe(self, trim: bool = False) -> dict:
        """What is alive in the server now; with `trim`, after the allocator gave its free memory back."""
        self.report_file.unlink(missing_ok=True)
        os.kill(self.process.pid, signal.SIGUSR2 if trim else signal.SIGUSR1)
        deadline = time.monotonic() + 60
        while not self.report_file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        return {"rss_mb": self.rss_mb(), **json.loads(self.report_file.read_text())}

    def stop(self) -> None:
        self.server.stop()
        self.folder.cleanup()


def visit(context, url: str, page_visit: Visit, train: bool = True) -> None:
    """Open the page in a tab of its own (a new server session), train on it until the run ends, close the tab."""
    page = context.new_page()
    page.goto(f"{url}/{page_visit.address}")
    page.wait_for_selector(IDLE, timeout=120_000)
    page.locator("h1").first.wait_for(timeout=60_000)
    if page_visit.upload:
        page.locator("input[type=file]").set_input_files(str(ROOT / page_visit.upload))
        page.get_by_role("button", name=page_visit.button, exact=True).wait_for(timeout=60_000)
    if train and page_visit.button:
        page.get_by_role("button", name=page_visit.button, exact=True).click()
        page.get_by_text(re.compile(page_visit.finished)).first.wait_for(timeout=180_000)
        page.wait_for_selector(IDLE, timeout=60_000)
    page.close()


def closed_tab(browser, server: ProbedServer) -> dict:
    """Press Fine-tune (the default 200 steps), close the tab while it trains, and watch the server's CPU."""
    context = browser.new_context(viewport={"width": 1600, "height": 900})
    page = context.new_page()
    page.goto(f"{server.url}/fine-tuning")
    page.wait_for_selector(IDLE, timeout=120_000)
    page.get_by_role("button", name="Fine-tune", exact=True).click()
    page.get_by_text(re.compile(r"^Step [1-9]\d* of 200")).first.wait_for(timeout=120_000)
    before = server.cpu_seconds()
    time.sleep(5)
    training = server.cpu_seconds() - before
    context.close()
    closed = server.cpu_seconds()
    marks = {}
    for seconds in (2, 5, 10, 15, AFTER_CLOSE_SECONDS):
        time.sleep(seconds - (max(marks) if marks else 0))
        marks[seconds] = round(server.cpu_seconds() - closed, 2)
    return {
        "cpu_seconds_per_second_while_training": round(training / 5, 2),
        "cpu_seconds_after_close": marks,
        "after_close": server.probe(),
    }


def memory(browser, server: ProbedServer, learners: int, expiry_wait: float) -> dict:
    report = {"fresh": server.probe()}
    warm_up(browser, server.server)
    first = browser.new_context(viewport={"width": 1600, "height": 900})
    report["first_visits"] = {}
    for page_visit in VISITS:
        started = time.monotonic()
        visit(first, server.url, page_visit)
        seconds = round(time.monotonic() - started, 1)
        report["first_visits"][page_visit.name] = {"seconds": seconds, **server.probe()}
        print(page_visit.name, json.dumps(report["first_visits"][page_visit.name]), flush=True)
    first.close()
    report["learners"] = {}
    started = time.monotonic()
    for learner in range(1, learners + 1):
        context = browser.new_context(viewport={"width": 1600, "height": 900})
        for page_visit in VISITS:
            visit(context, server.url, page_visit)
        context.close()
        if learner % 2 == 0 or learner == learners:
            report["learners"][learner] = server.probe()
            print(learner, json.dumps(report["learners"][learner]), flush=True)
    report["seconds_per_learner"] = round((time.monotonic() - started) / max(learners, 1), 1)
    time.sleep(expiry_wait)
    context = browser.new_context()
    visit(context, server.url, VISITS[0])  # a disconnect is what removes expired sessions from storage
    context.close()
    time.sleep(2)
    report["after_expiry"] = server.probe()
    report["after_expiry_trimmed"] = server.probe(trim=True)
    return report


# The pages' runs through AppTest: its name, page script, live prefix and settings (the fine-tuning run kept short)
APPTEST_RUNS = (
    ("rules-or-examples", "pages/rules_or_examples.py", "rules", {}),
    ("lab", "pages/lab.py", "lab", {}),
    ("training-loop", "pages/training_loop.py", "loop", {}),
    ("playground", "pages/playground.py", "play", {}),
    ("data-quality", "pages/data_quality.py", "dq_groups", {}),
    ("fine-tuning", "pages/fine_tuning.py", "ft", {"ft_steps": 50}),
)


def trained_session(page: str, prefix: str, settings: dict):
    app = open_page(page)
    for key, value in settings.items():
        app.session_state[key] = value
    app.run()
    app.button(key=f"{prefix}_train").click().run()
    return run_until_stopped(app, prefix, max_ticks=2000, pause_seconds=0.5 if prefix == "ft" else 0.0)


def memory_now() -> dict:
    """This process's memory: resident, JAX's live buffers, and what Python (objects, NumPy arrays) allocated
    since tracemalloc started and still holds."""
    gc.collect()
    return {
        "rss_mb": round(psutil.Process().memory_info().rss / 2**20, 1),
        "jax_live_mb": server_probe.report()["jax"].get("live_array_mb", 0.0),
        "python_mb": round(tracemalloc.get_traced_memory()[0] / 2**20, 2),
    }


def per_session(sessions: int) -> dict:
    """MB each more session that trained on a page holds, beyond what the first one's visit cached for all:
    held = JAX buffers + Python objects and arrays; the resident memory's growth is given too."""
    results = {}
    for name, page, prefix, settings in APPTEST_RUNS:
        kept = [trained_session(page, prefix, settings)]
        tracemalloc.start()
        before = memory_now()
        kept += [trained_session(page, prefix, settings) for _ in range(sessions)]
        after = memory_now()
        tracemalloc.stop()
        grown = {key: (after[key] - before[key]) / sessions for key in before}
        results[name] = {
            "held_mb": round(grown["jax_live_mb"] + grown["python_mb"], 1),
            **{key: round(value, 2) for key, value in grown.items()},
        }
        print(name, results[name], flush=True)
        del kept
    return results


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.sessions", description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=10)
    parser.add_argument("--sessions", type=int, default=3)
    parser.add_argument("--skip-closed-tab", action="store_true")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--skip-per-session", action="store_true")
    parser.add_argument("--expiry-wait", type=float, default=125.0)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    # a part skipped this time keeps its last measurement
    report = json.loads(args.output.read_text()) if args.output.exists() else {}
    if not args.skip_per_session:
        jax_setup.enable_compilation_cache()
        report["per_session"] = per_session(args.sessions)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        if not args.skip_memory:
            server = ProbedServer()
            try:
                report["memory"] = memory(browser, server, args.learners, args.expiry_wait)
            finally:
                server.stop()
        if not args.skip_closed_tab:
            server = ProbedServer()
            try:
                warm_up(browser, server.server)
                warming = browser.new_context()
                visit(warming, server.url, VISITS[-1])  # compiles the lesson's code
                warming.close()
                report["closed_tab"] = closed_tab(browser, server)
            finally:
                server.stop()
        browser.close()
    args.output.write_text(json.dumps(report, indent=1) + "\n")
    print(json.dumps(report.get("closed_tab"), indent=1))


if __name__ == "__main__":
    main()
