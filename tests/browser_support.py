"""A real Streamlit server and helpers for driving it from Playwright."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path(os.environ.get("TRAINLAB_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class StreamlitServer:
    """`streamlit run app.py` on 127.0.0.1, started and stopped by its own PID."""

    def __init__(
        self, extra_env: dict | None = None, root: Path = ROOT, prefix: tuple[str, ...] = (), log_name="streamlit"
    ):
        """`prefix` goes before the command (a benchmark pins the server with taskset); the log is
        test-artifacts/<log_name>-<port>.log."""
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [
            *prefix,
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(self.port),
        ]
        (ROOT / "test-artifacts").mkdir(exist_ok=True)
        self.log = open(ROOT / "test-artifacts" / f"{log_name}-{self.port}.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            command, cwd=root, stdout=self.log, stderr=subprocess.STDOUT, env={**os.environ, **(extra_env or {})}
        )

    def wait_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.process.returncode}; see {self.log.name}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as reply:
                    if reply.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise TimeoutError("streamlit did not become healthy")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def start_server(extra_env: dict | None = None, root: Path = ROOT, prefix: tuple[str, ...] = ()) -> StreamlitServer:
    """A server for the app in `root` (this checkout unless given; a benchmark may compare another), its command
    after `prefix` (a benchmark pins it to a core with taskset)."""
    (ROOT / "test-artifacts").mkdir(exist_ok=True)
    server = StreamlitServer(extra_env, root, prefix)
    server.wait_healthy()
    return server


def wait_for_the_servers_warm_up(server: StreamlitServer, timeout: float = 180) -> None:
    """Wait until the server's warm-up thread has done its last step (ui.first_minute logs each step): that step
    waits for an idle server and then trains for some CPU-seconds, which a test measuring an idle server must not
    count."""
    from ui.first_minute import LOG_PREFIX, WARM_UP_STEPS

    done = f"{LOG_PREFIX} {WARM_UP_STEPS[-1].__name__} "
    deadline = time.monotonic() + timeout
    while done not in Path(server.log.name).read_text(errors="replace"):
        if time.monotonic() > deadline:
            raise TimeoutError(f"the server's warm-up did not finish within {timeout:.0f} s; see {server.log.name}")
        time.sleep(0.5)


def warm_up(browser, server: StreamlitServer) -> None:
    """Open the home page once, so the tests that follow find the engine warm."""
    page = browser.new_page()
    page.goto(server.url)
    page.wait_for_selector("h1", timeout=120_000)
    page.close()


def wait_idle(page, timeout_ms: int = 60_000) -> None:
    page.wait_for_selector(IDLE, timeout=timeout_ms)


def open_page(page, server: StreamlitServer, path: str):
    """Go to a page of the app (path relative to the root, query string allowed) and wait for its first run."""
    page.goto(f"{server.url}/{path}")
    page.wait_for_selector("[data-testid=stApp]")
    wait_idle(page)
    return page


def assert_no_error_box(page) -> None:
    assert page.locator("[data-testid=stException]").count() == 0
    assert page.get_by_text("Something went wrong").count() == 0


def press_slider(page, name: str, key: str, presses: int) -> None:
    """Move the slider whose label matches `name` with the keyboard, as a person would; one rerun per press."""
    slider = page.get_by_role("slider", name=re.compile(name))
    slider.focus()
    for _ in range(presses):
        slider.press(key)


def wait_for_slider_text(page, name: str, text: str) -> None:
    """Wait until the slider whose label matches `name` shows a value starting with `text`, then for the page to
    be idle. (The address is no sign of a slider's rerun: ui/links writes it when a run starts.)"""
    slider = page.get_by_role("slider", name=re.compile(name)).first
    expect(slider).to_have_attribute("aria-valuetext", re.compile("^" + re.escape(text)))
    wait_idle(page)


def screenshot(page, name: str, height: int | None = None) -> Path:
    """Save what a learner sees at projector size; `height` widens the window to take in a whole page
    (Streamlit scrolls an inner container, so a "full page" shot alone would stop at the window)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    viewport = page.viewport_size
    if height:
        page.set_viewport_size({"width": viewport["width"], "height": height})
        page.wait_for_timeout(500)  # let Plotly resize its charts
    page.screenshot(path=str(path))
    if height:
        page.set_viewport_size(viewport)
    return path
