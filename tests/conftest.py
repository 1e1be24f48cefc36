"""Shared fixtures. JAX runs strict: silent rank promotion (accidental broadcasting) raises."""

import jax
import pytest

from core.engine import jax_setup
from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, start_server, warm_up

jax.config.update("jax_numpy_rank_promotion", "raise")
jax_setup.enable_compilation_cache()
jax_setup.split_host_into_devices()


@pytest.fixture(scope="session")
def clean_digits_history():
    """One clean default-sized digits run, shared by the tests that read it (compiles once)."""
    from core.engine.classifier import LabConfig, run_lab

    return run_lab(LabConfig(epochs=60))


@pytest.fixture(scope="session")
def noisy_digits_history():
    """Digits with 30% wrong labels trained long enough to memorize them."""
    from core.engine.classifier import LabConfig, run_lab

    return run_lab(LabConfig(epochs=150, label_noise=0.3, learning_rate=2e-3))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright launches Debian's Chromium (playwright cannot download its own browsers here)."""
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """A projector-sized window."""
    return {**browser_context_args, "viewport": {"width": 1600, "height": 900}}


@pytest.fixture(scope="session")
def server(browser):
    """One `streamlit run app.py` for every browser test, warmed up so that lesson addresses resolve."""
    running = start_server()
    warm_up(browser, running)
    yield running
    running.stop()


def pytest_terminal_summary(terminalreporter):
    """Say where the browser tests left their screenshots, so a person can look at them."""
    from tests.browser_support import SCREENSHOTS

    if SCREENSHOTS.exists() and any(SCREENSHOTS.iterdir()):
        count = len(list(SCREENSHOTS.glob("*.png")))
        terminalreporter.write_line(f"browser screenshots ({count}) at projector size: {SCREENSHOTS}")
