"""Shared fixtures. JAX runs strict: silent rank promotion (accidental broadcasting) raises."""

import jax
import pytest

jax.config.update("jax_numpy_rank_promotion", "raise")


@pytest.fixture(scope="session")
def clean_digits_history():
    """One clean default-sized digits run, shared by the tests that read it (compiles once)."""
    from core.lab import LabConfig, run_lab

    return run_lab(LabConfig(epochs=60))


@pytest.fixture(scope="session")
def noisy_digits_history():
    """Digits with 30% wrong labels trained long enough to memorize them."""
    from core.lab import LabConfig, run_lab

    return run_lab(LabConfig(epochs=150, label_noise=0.3, learning_rate=2e-3))


def pytest_terminal_summary(terminalreporter):
    """Say where the browser tests left their screenshots, so a person can look at them."""
    from tests.browser_support import SCREENSHOTS

    if SCREENSHOTS.exists() and any(SCREENSHOTS.iterdir()):
        count = len(list(SCREENSHOTS.glob("*.png")))
        terminalreporter.write_line(f"browser screenshots ({count}) at projector size: {SCREENSHOTS}")
