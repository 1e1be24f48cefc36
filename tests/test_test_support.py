"""The tests' own helpers, checked so that the tests built on them can fail."""

import jax
import jax.numpy as jnp

from tests import browser_support, conftest
from tests.jit_support import compiled_count


@jax.jit
def _double(x):
    return 2 * x


def test_compiled_count_grows_with_a_new_shape_and_not_with_new_values():
    _double(jnp.zeros(3))
    before = compiled_count(_double)
    _double(jnp.ones(3))
    assert compiled_count(_double) == before
    _double(jnp.zeros(4))
    assert compiled_count(_double) == before + 1


class _Reporter:
    def __init__(self):
        self.lines = []

    def write_line(self, line):
        self.lines.append(line)


def test_the_run_ends_by_saying_where_the_screenshots_are(tmp_path, monkeypatch):
    folder = tmp_path / "screenshots"
    monkeypatch.setattr(browser_support, "SCREENSHOTS", folder)
    reporter = _Reporter()
    conftest.pytest_terminal_summary(reporter)
    assert reporter.lines == [], "no browser test ran: nothing to report"
    folder.mkdir()
    for name in ("home-start.png", "lab-diverged.png"):
        (folder / name).write_bytes(b"")
    conftest.pytest_terminal_summary(reporter)
    assert reporter.lines == [f"browser screenshots (2) at projector size: {folder}"]
