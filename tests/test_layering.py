"""The layering rules: core/ imports neither Streamlit nor Plotly; core/engine imports nothing from core.lessons or
core.lm; ui/, pages/ and app.py never import JAX, Flax or Optax; pages/ holds only the lessons app.py
registers."""

import ast
from pathlib import Path

import pytest

from tests.app_pages import registered_pages

ROOT = Path(__file__).resolve().parents[1]
CORE_FORBIDDEN = {"streamlit", "plotly"}
ENGINE_FORBIDDEN = ("core.lessons", "core.lm")
UI_FORBIDDEN = {"jax", "jaxlib", "flax", "optax"}


def imported_modules(path: Path, root: Path = ROOT) -> set[str]:
    """Every module `path` imports, in any form, as a full dotted name: `from core import lm` counts as both
    "core" and "core.lm", and relative imports are resolved against the file's package."""
    package, names = list(path.relative_to(root).parent.parts), set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def imported_top_modules(path: Path) -> set[str]:
    return {name.split(".")[0] for name in imported_modules(path)}


def python_files(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def file_id(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("path", python_files("core"), ids=file_id)
def test_core_imports_neither_streamlit_nor_plotly(path):
    assert not imported_top_modules(path) & CORE_FORBIDDEN


@pytest.mark.parametrize("path", python_files("core/engine"), ids=file_id)
def test_the_engine_imports_nothing_from_the_lessons_or_the_language_model(path):
    assert not [name for name in imported_modules(path) if name.startswith(ENGINE_FORBIDDEN)]


@pytest.mark.parametrize("path", [ROOT / "app.py", *python_files("ui"), *python_files("pages")], ids=file_id)
def test_ui_pages_and_app_never_import_jax_flax_or_optax(path):
    assert not imported_top_modules(path) & UI_FORBIDDEN


def test_pages_holds_only_the_lessons_app_py_registers():
    present = {
        file_id(path) for path in (ROOT / "pages").rglob("*") if "__pycache__" not in path.parts and path.is_file()
    }
    assert present == {page.path for page in registered_pages()}


def test_the_rules_see_imports_in_any_form(tmp_path):
    package = tmp_path / "core" / "engine"
    package.mkdir(parents=True)
    sample = package / "sample.py"
    sample.write_text(
        "import os\nfrom jax import numpy\nfrom ..lm import model\nfrom core import lessons\n"
        "def f():\n    import streamlit.testing\n    import plotly.graph_objects as go\n"
    )
    names = imported_modules(sample, root=tmp_path)
    assert {"os", "jax", "streamlit", "plotly"} <= {name.split(".")[0] for name in names}
    assert {"core.lm.model", "core.lessons"} <= names
