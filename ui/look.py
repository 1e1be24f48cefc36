"""How this learner's charts look, and the one place every page draws a Plotly chart.

Streamlit's menu switches the page between its light and dark themes; the sidebar's projector switch, kept
in the page's address, asks for larger text and thicker lines. Every chart goes through `chart()`, so each
follows both and its camera button saves a projector-sized PNG.
"""

import html
import re
from pathlib import Path

import pandas as pd
import streamlit as st
from babel.numbers import get_decimal_symbol, get_group_symbol

from core.i18n import DEFAULT_LANGUAGE, language, locale, tr
from ui.charts.style import FONT_SIZE, Look, apply_look, chart_config, show_lone_points

PROJECTOR_KEY = "projector"
THEME_KEY = "theme_watch"
_THEME_WATCH = st.components.v2.component(
    "trainlab_theme_watch", js=Path(__file__).with_name("theme_watch.js").read_text(), isolate_styles=True
)


def _dark() -> bool:
    """The theme on the learner's screen: as the theme watch last saw it, else as Streamlit says (which
    can lag behind on a session's first run and after a switch)."""
    watched = st.session_state.get(THEME_KEY)
    seen = watched.get("dark") if watched else None
    return seen if seen is not None else st.context.theme.type == "dark"


def current() -> Look:
    return Look(dark=_dark(), projector=bool(st.session_state.get(PROJECTOR_KEY)))


def sidebar() -> None:
    """The projector switch (in the address, so a teacher's link opens in it), and the theme watch."""
    st.sidebar.toggle(
        tr("Projector mode"),
        key=PROJECTOR_KEY,
        bind="query-params",
        help=tr(
            "Larger text and thicker lines in every chart, for a room reading the screen from afar. Light or dark: "
            "the ⋮ menu, top right."
        ),
    )
    with st.sidebar:
        _THEME_WATCH(key=THEME_KEY, data={"dark": _dark()}, on_dark_change=lambda: None, height=0)


# Least widths of a page's controls and of its results beside them, in pixels: on a 1280-pixel screen with the
# sidebar open the controls get about 200; at 1024 they would get 130, and the results go under them instead.
CONTROLS_AND_RESULTS = [180, 360]


def metric_cells(count: int, where=None, projector_per_row: int = 2) -> list:
    """Places for `count` metrics side by side, or `projector_per_row` to a row in projector mode, where four large
    numbers beside each other broke their labels in the middle ("Nauwkeurighei/d") and touched. Out of projector
    mode they sit in a row that wraps, so a number that does not fit beside the others goes onto the next line
    instead of running into its neighbour ("0.837-1.000" in a narrow column). A label that wraps keeps the numbers
    in line (aligned at the bottom)."""
    if not current().projector:
        row = (where or st).container(horizontal=True, vertical_alignment="bottom", gap="medium")
        return [row.container() for _ in range(count)]
    per_row = min(count, projector_per_row)
    found = []
    for _ in range(0, count, per_row):
        found += (where or st).columns(per_row, vertical_alignment="bottom")
    return found[:count]


def columns(spec, where=None, *, key: str | None = None, min_width=0, **column_options) -> list:
    """Columns as st.columns(spec) makes them, or in projector mode the same places one under the other: a chart,
    a table or a pair of controls in a column of a quarter or a half of a 1280-pixel projector was squeezed until
    its titles and labels were cut. With a `key`, outside projector mode the columns are a wrapping_row (in
    projector mode they stack, as without one, each place keyed as a row's place is, so that a place left holding
    only controls an exercise link hides goes with them: ui.links.hiding_style)."""
    count = spec if isinstance(spec, int) else len(spec)
    if current().projector:
        keys = [None] * count if key is None else [f"row-{_checked(key)}-{place}" for place in range(count)]
        return [(where or st).container(key=place_key) for place_key in keys]
    if key is None:
        return (where or st).columns(spec, **column_options)
    return wrapping_row(spec, key, min_width, where, **column_options)


def wrapping_row(spec, key: str, min_width=0, where=None, **column_options) -> list:
    """Places side by side like st.columns(spec), in a row that wraps, in projector mode as well: each place grows
    with its share of the row but never gets narrower than `min_width` pixels (one number, or one per place), and
    when the places' least widths do not fit on one line, those that do not fit go onto the next. On a 1024-pixel
    screen with the sidebar open, fixed columns broke their buttons' words ("Pl/ay") and squeezed a map to a strip.
    `column_options`: gap and vertical_alignment, as for st.columns. `key` (letters, digits, "_" and "-") names the
    row; it must be unique among the page's rows."""
    count = spec if isinstance(spec, int) else len(spec)
    weights = [1] * count if isinstance(spec, int) else list(spec)
    least = [min_width] * count if isinstance(min_width, int | float) else list(min_width)
    # "row-": apart from the keys of the widgets and views the row holds, which take no such prefix
    key = f"row-{_checked(key)}"
    (where or st).html(_row_style(key, weights, least))
    row = (where or st).container(horizontal=True, key=key, **_row_options(column_options))
    return [row.container(key=f"{key}-{place}") for place in range(count)]


def _checked(key: str) -> str:
    if not re.fullmatch(r"[\w-]+", key):
        raise ValueError(f"a row's key is part of a CSS class name: {key!r}")
    return key


# The element that carries a row's style hides itself. A style alone would go to Streamlit's event container,
# whose places a live panel's reruns (fragments) write over from where the panel began, so a style drawn inside a
# panel could take the place of one drawn after it; an element in the page keeps its own place.
_STYLE_CARRIER = "trainlab-row-style"


def _row_style(key: str, weights: list, least: list) -> str:
    """CSS giving each place of a wrapping row its share of the row and its least width (Streamlit wraps each
    container of a horizontal row in a layout wrapper, which is what the row lays out), in an element that hides
    its own box."""
    rules = "".join(
        f"[data-testid=stLayoutWrapper]:has(> .st-key-{key}-{place})"
        f"{{flex:{weight} 1 0% !important;min-width:min({width}px,100%) !important}}"
        for place, (weight, width) in enumerate(zip(weights, least, strict=True))
    )
    hidden = f"[data-testid=stElementContainer]:has(.{_STYLE_CARRIER}){{display:none}}"
    return f'<style>{rules}{hidden}</style><span class="{_STYLE_CARRIER}"></span>'


def _row_options(column_options: dict) -> dict:
    """st.columns' gap and vertical alignment, as a horizontal container takes them."""
    options = {"gap": column_options.get("gap", "small")}
    if "vertical_alignment" in column_options:
        options["vertical_alignment"] = column_options["vertical_alignment"]
    return options


# Where a formula may not break across lines: "∂L/" at the end of a line and "∂w" on the next, or "b ←" and the number
# it becomes, read as two formulas. A word joiner after the slash, no-break spaces around the arrow.
UNBREAKABLE = {"/∂": "/\u2060∂", " ← ": "\u00a0←\u00a0"}


def formula_text(text: str) -> str:
    """`text` with its formulas kept whole on a line (see UNBREAKABLE)."""
    for breakable, whole in UNBREAKABLE.items():
        text = text.replace(breakable, whole)
    return text


def chart(figure, key: str, where=None) -> None:
    """Draw a Plotly figure (in `where`, a column or container, or the current place) in this learner's look, its
    numbers (ticks, hover) written as the learner's language writes them."""
    figure = apply_look(show_lone_points(figure), current())
    # Plotly's own separators: the decimal sign, then the thousands separator (0,5 and 1.234 in Dutch)
    english = language() == DEFAULT_LANGUAGE
    figure.layout.separators = None if english else get_decimal_symbol(locale()) + get_group_symbol(locale())
    (where or st).plotly_chart(figure, key=key, config=chart_config(key))


# A long table scrolls inside the page in projector mode, as the data frame does, instead of pushing the rest away.
PROJECTOR_TABLE_MAX_HEIGHT = 640


def table(data, *, column_config: dict | None = None, hide_index: bool | None = None, **dataframe_options) -> None:
    """A table of `data` (a data frame, or a dict of columns): Streamlit's data frame, sortable and scrollable; in
    projector mode a plain HTML table at the charts' projector text size, because the data frame draws its cells on a
    canvas at the theme's size whatever the page asks. Every cell is escaped, so a learner's own text (an uploaded
    file's names and cells) shows as text. `dataframe_options` (sizes, key) are the data frame's."""
    if not current().projector:
        st.dataframe(data, column_config=column_config, hide_index=hide_index, **dataframe_options)
        return
    frame = pd.DataFrame(data)
    if not hide_index and not isinstance(frame.index, pd.RangeIndex):  # a row's name, as the data frame shows it
        frame = frame.reset_index(names=frame.index.name or "")
    # A table the page wants whole (height="content") is drawn whole; any other scrolls past PROJECTOR_TABLE_MAX_HEIGHT.
    whole = dataframe_options.get("height") == "content"
    st.html(table_html(frame, _right_aligned(frame, column_config or {}), current(), scrolls=not whole))


def _right_aligned(frame: pd.DataFrame, column_config: dict) -> set:
    """Columns of numbers, or set to the right in `column_config` (as the data frame aligns them)."""
    numeric = {name for name in frame.columns if pd.api.types.is_numeric_dtype(frame[name])}
    chosen = {
        name
        for name, config in column_config.items()
        if isinstance(config, dict)
        and (config.get("alignment") == "right" or config.get("type_config", {}).get("type") == "number")
    }
    return numeric | chosen


SHORT_CELL = 12  # characters: a date, a number or a word stays on one line ("2024-03-01" broke at its hyphens)


def _cell_text(value) -> str:
    """The value escaped; a long name may break after its underscores ("monthly_debt_payments" ran off the table)."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = html.escape(str(value))
    return text if len(text) <= SHORT_CELL else text.replace("_", "_<wbr>")


def _wrapping(value) -> str:
    return "white-space:nowrap" if len(str(value)) <= SHORT_CELL else "overflow-wrap:break-word"


def table_html(frame: pd.DataFrame, right_aligned: set, look: Look, scrolls: bool = True) -> str:
    """The frame as an HTML table in `look` (text size, ink, grid lines); every name and cell escaped. A table that
    `scrolls` is at most PROJECTOR_TABLE_MAX_HEIGHT high; every table scrolls sideways where it is too wide."""
    size = round(FONT_SIZE * look.font_scale)
    cell = f"padding:6px 12px;border-bottom:1px solid {look.grid};vertical-align:top"

    def align(name) -> str:
        return "right" if name in right_aligned else "left"

    head = "".join(
        f'<th style="{cell};{_wrapping(name)};text-align:{align(name)};position:sticky;top:0;'
        f'background:{look.background}">{_cell_text(name)}</th>'
        for name in frame.columns
    )

    def data_cell(name, value) -> str:
        return f'<td style="{cell};{_wrapping(value)};text-align:{align(name)}">{_cell_text(value)}</td>'

    height_limit = f"max-height:{PROJECTOR_TABLE_MAX_HEIGHT}px;" if scrolls else ""
    rows = "".join("<tr>" + "".join(data_cell(*item) for item in row.items()) + "</tr>" for _, row in frame.iterrows())
    return (
        f'<div style="{height_limit}overflow:auto">'
        f'<table style="width:100%;border-collapse:collapse;font-size:{size}px;line-height:1.4;color:{look.ink}">'
        f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>"
    )
