"""The pages app.py registers, read from its source (the st.Page(...) calls) without running it."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "app.py"


@dataclass(frozen=True)
class RegisteredPage:
    path: str  # relative to the repository root, e.g. "pages/lab.py"
    url_path: str  # the page's address; Streamlit's default is the file name without ".py"
    default: bool  # the page the app opens on (the home page)


def _is_st_page(call: ast.Call) -> bool:
    function = call.func
    return isinstance(function, ast.Attribute) and function.attr == "Page" and getattr(function.value, "id", "") == "st"


def _as_page(call: ast.Call) -> RegisteredPage:
    path = ast.literal_eval(call.args[0])
    wanted = ("url_path", "default")  # titles are translated calls, not literals
    options = {keyword.arg: ast.literal_eval(keyword.value) for keyword in call.keywords if keyword.arg in wanted}
    return RegisteredPage(path, options.get("url_path", Path(path).stem), options.get("default", False))


def registered_pages(app_file: Path = APP) -> list[RegisteredPage]:
    """Every st.Page(...) in `app_file`, sorted by path."""
    calls = [node for node in ast.walk(ast.parse(app_file.read_text())) if isinstance(node, ast.Call)]
    return sorted((_as_page(call) for call in calls if _is_st_page(call)), key=lambda page: page.path)


def lessons() -> list[RegisteredPage]:
    """The registered pages other than the home page."""
    return [page for page in registered_pages() if not page.default]
