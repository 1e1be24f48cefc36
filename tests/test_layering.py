"""The layering rule: core/ never imports Streamlit; app.py and pages/ never import JAX, Flax or Optax."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
UI_FORBIDDEN = {"jax", "jaxlib", "flax", "optax"}


def imported_top_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", sorted((ROOT / "core").rglob("*.py")), ids=lambda p: p.name)
def test_core_never_imports_streamlit(path):
    assert "streamlit" not in imported_top_modules(path)


@pytest.mark.parametrize("path", [ROOT / "app.py", *sorted((ROOT / "pages").rglob("*.py"))], ids=lambda p: p.name)
def test_ui_never_imports_jax_flax_or_optax(path):
    assert not imported_top_modules(path) & UI_FORBIDDEN


def test_the_rule_sees_imports_in_any_form(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import os\nfrom jax import numpy\ndef f():\n    import streamlit.testing\n")
    assert {"jax", "streamlit", "os"} <= imported_top_modules(sample)
