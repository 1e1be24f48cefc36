"""What every chart shares: colours, fonts and axes sized to be read on a projector.

Figures are built with graph_objects from plain NumPy arrays (fast) and take the x-axis range up front,
so a chart fills from left to right while a run trains.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

TRAIN_COLOUR = "#1f77b4"
TEST_COLOUR = "#ff7f0e"
MEMORIZED_COLOUR = "#d62728"
TRUE_COLOUR = "#2ca02c"
GAP_COLOUR = "#9467bd"
PREVIOUS_COLOUR = "#9e9e9e"
FONT_SIZE = 16


AXIS = {
    "gridcolor": "#e3e3e3",
    "zeroline": False,
    "linecolor": "#999999",
    "ticks": "outside",
    "tickcolor": "#999999",
    "automargin": True,
    # set: Streamlit's chart theme draws ticks at 12 pixels otherwise, too small to read from a classroom's back row
    "tickfont": {"size": FONT_SIZE - 2},
}


def base_figure(title: str, x_title: str, y_title: str, height: int = 420) -> go.Figure:
    # template "none" plus explicit styling: a named template is deep-copied into every figure (~50 ms each)
    return go.Figure(
        layout={
            "template": "none",
            "title": {"text": title, "font": {"size": FONT_SIZE + 4}},
            "font": {"size": FONT_SIZE, "color": "#262730"},
            "height": height,
            "plot_bgcolor": "white",
            "paper_bgcolor": "white",
            "margin": {"l": 70, "r": 20, "t": 50, "b": 110},
            "legend": {"orientation": "h", "yanchor": "top", "y": -0.3, "x": 0, "font": {"size": FONT_SIZE - 1}},
            "xaxis": {**AXIS, "title": {"text": x_title}},
            "yaxis": {**AXIS, "title": {"text": y_title}},
            "uirevision": "keep",  # keep a user's zoom between live redraws where Plotly can
        }
    )


def epochs_axis(values: np.ndarray) -> np.ndarray:
    return np.arange(1, len(values) + 1)


def add_line(figure, values, name, colour, dash=None, width=3, yaxis="y"):
    figure.add_trace(
        go.Scatter(
            x=epochs_axis(values),
            y=values,
            name=name,
            mode="lines",
            line={"color": colour, "dash": dash, "width": width},
            yaxis=yaxis,
        )
    )


LABEL_BACKDROP = "rgba(255, 255, 255, 0.85)"  # dark looks swap it for their own (see _darken)
ON_LIGHT_MAP = "on a light map"  # an annotation's name: it lies on a map drawn light in every look, and stays as it is


def mark_epoch(figure, epoch: int | None, text: str, colour: str, total_epochs: int, position: str = "top"):
    """A dotted vertical line at an epoch with a label (set as plain layout dicts: add_vline is slow), the label on
    the side of the line with room for it: past the middle of the axis, on its left. The label has a backdrop, so it
    stays readable where a curve runs under it (in projector mode a label covers much of a narrow chart); a chart
    can keep the top of its axis free of curves for it (see curves.loss_curves)."""
    if epoch:
        figure.add_shape(
            type="line", x0=epoch, x1=epoch, yref="paper", y0=0, y1=1, line={"color": colour, "dash": "dot", "width": 2}
        )
        figure.add_annotation(
            x=epoch,
            yref="paper",
            y=1.0 if position == "top" else 0.02,
            xanchor="right" if epoch > total_epochs / 2 else "left",
            yanchor="top" if position == "top" else "bottom",
            text=text,
            showarrow=False,
            font={"color": colour, "size": FONT_SIZE - 2},
            bgcolor=LABEL_BACKDROP,
        )


# Tick values on a log axis, densest first: every digit, then fewer per decade, down to powers of ten. Neighbouring
# ticks stand at least this share of the axis's height apart: a label's height on a chart of about 300 pixels.
LOG_MANTISSAS = ((1, 1.5, 2, 3, 4, 5, 6, 7, 8, 9), (1, 2, 3, 5), (1, 2, 5), (1, 3), (1,))
MIN_LOG_TICK_GAP = 0.07


def epoch_range(total_epochs: int) -> dict:
    """An x axis from 0 to one past the last epoch (or step); a run of a few epochs is ticked at whole ones, where
    Plotly put ticks at "0.5" and "1.5" epochs."""
    return {"range": [0, total_epochs + 1]} | ({"dtick": 1, "tick0": 0} if total_epochs <= 10 else {})


def show_lone_points(figure: go.Figure) -> go.Figure:
    """A line trace with a single point draws nothing (a one-epoch run's charts were empty): give such traces a
    marker. Returns the figure."""
    for trace in figure.data:
        if trace.type != "scatter" or trace.mode != "lines" or trace.y is None:
            continue
        finite = np.isfinite(np.asarray(trace.y, dtype=float))
        if finite.sum() == 1:
            trace.mode = "lines+markers"
    return figure


def log_ticks(values: np.ndarray) -> list[float]:
    """Ticks spanning the finite positive values, each labelled in full (Plotly's own log ticks label the
    in-between ones with a single digit, which reads as nonsense on a projector): every digit where they fit, so a
    narrow range still gets several labels, else fewer per decade (1-2-3-5, 1-2-5, 1-3, powers of ten)."""
    positive = values[np.isfinite(values) & (values > 0)]
    if positive.size == 0:
        return [0.1, 1.0]
    low, high = float(positive.min()), float(positive.max())
    margin = 2.5 if high / low >= 10 else 1.5
    low, high = low / margin, high * margin
    # the densest set whose neighbours stand far enough apart (the digits between 0.6 and 1 crowd together first)
    least_gap = MIN_LOG_TICK_GAP * np.log10(high / low)
    sets = [ticks for ticks in (_log_ticks_of(m, low, high) for m in LOG_MANTISSAS) if len(ticks) >= 2]
    spaced = (ticks for ticks in sets if np.diff(np.log10(ticks)).min() >= least_gap)
    return next(spaced, sets[-1] if sets else _log_ticks_of(LOG_MANTISSAS[0], low, high))


def _log_ticks_of(mantissas, low: float, high: float) -> list[float]:
    decades = np.arange(np.floor(np.log10(low)), np.ceil(np.log10(high)) + 1)
    ticks = sorted(round(m * 10.0**e, 10) for e in decades for m in mantissas)
    return [t for t in ticks if low <= t <= high]


def panel_title(text: str, y: float) -> dict:
    """A title over the left edge of a panel whose top is at paper height `y` (figures with stacked panels); "what:
    how" on two lines, so that it fits a narrow column in projector mode in either language."""
    return {
        "text": two_lines(text),
        "align": "left",
        "x": 0,
        "y": y,
        "xref": "paper",
        "yref": "paper",
        "xanchor": "left",
        "yanchor": "bottom",
        "showarrow": False,
        "font": {"size": FONT_SIZE},
    }


# ---- the look: light or dark, normal or projector (applied to a finished figure, so every chart follows)

PROJECTOR_FONT_SCALE = 1.35
PROJECTOR_TITLE_SCALE = 1.1  # titles are large already, and a longer one would not fit a narrow column
PROJECTOR_LINE_SCALE = 1.7
PROJECTOR_MARKER_SCALE = 1.3
# Saved pictures fill a 1080p projector or slide at full size.
EXPORT_WIDTH, EXPORT_HEIGHT = 1920, 1080


@dataclass(frozen=True)
class Look:
    """How charts are drawn for one learner: Streamlit's dark theme or its light one, and projector mode
    (larger text, thicker lines) for a room that reads the screen from afar."""

    dark: bool = False
    projector: bool = False

    @property
    def ink(self) -> str:
        return "#fafafa" if self.dark else "#262730"

    @property
    def background(self) -> str:
        return "#0e1117" if self.dark else "white"  # Streamlit's own page backgrounds

    @property
    def grid(self) -> str:
        return "#3b3f4c" if self.dark else "#e3e3e3"

    @property
    def font_scale(self) -> float:
        return PROJECTOR_FONT_SCALE if self.projector else 1.0

    @property
    def title_scale(self) -> float:
        return PROJECTOR_TITLE_SCALE if self.projector else 1.0

    @property
    def line_scale(self) -> float:
        return PROJECTOR_LINE_SCALE if self.projector else 1.0


# The palette's darker colours, lightened to keep a contrast of at least 4.5:1 on the dark background.
ON_DARK = {
    TRAIN_COLOUR: "#5aa9e6",
    MEMORIZED_COLOUR: "#ff6b6b",
    TRUE_COLOUR: "#4cc15a",
    GAP_COLOUR: "#b59ce0",
    "#262730": "#fafafa",
    "black": "#fafafa",
}


def line_colour(colour: str, look: Look) -> str:
    """A line's colour in this look: lighter on the dark background where the palette's is too dark."""
    return ON_DARK.get(colour, colour) if look.dark else colour


def apply_look(figure: go.Figure, look: Look) -> go.Figure:
    """Restyle a built figure in place for `look` and return it. Light and normal change only a title too long for a
    laptop's chart."""
    if look.dark:
        _darken(figure, look)
    if look.projector:
        _enlarge(figure, look)
    else:
        _fit_long_titles(figure.layout, NORMAL_TITLE_CHARACTERS, fit_axis_title=False)
    return figure


def _darken(figure: go.Figure, look: Look) -> None:
    layout = figure.layout
    layout.paper_bgcolor = layout.plot_bgcolor = look.background
    layout.font.color = look.ink
    for axis in _axes(figure):
        axis.update(gridcolor=look.grid, linecolor="#8b8e99", tickcolor="#8b8e99")
    for trace in figure.data:
        line, marker = getattr(trace, "line", None), getattr(trace, "marker", None)
        if line is not None and isinstance(getattr(line, "color", None), str):
            line.color = line_colour(line.color, look)
        if marker is not None and isinstance(marker.color, str):
            marker.color = line_colour(marker.color, look)
    for note in layout.annotations:
        if note.name == ON_LIGHT_MAP:
            continue
        if note.bgcolor:
            note.bgcolor = "rgba(14, 17, 23, 0.85)"
        if note.font.color:
            note.font.color = line_colour(note.font.color, look)


PROJECTOR_TITLE_CHARACTERS = 42  # longer chart titles go on two lines in projector mode (half a page is narrow)
NORMAL_TITLE_CHARACTERS = 56  # and at normal size: a chart beside the controls of a 1280-pixel laptop holds this many
PROJECTOR_AXIS_TITLE_CHARACTERS = 20  # and longer y-axis titles, which ran past a short plot into the chart's title
SIDE_BY_SIDE = "side by side"  # a figure's layout.meta for charts drawn in a row (see _fit_long_titles)


def two_lines(text: str) -> str:
    """`text` broken once: after its first ": ", else at the blank nearest its middle (unchanged without one)."""
    if ": " in text:
        return text.replace(": ", ":<br>", 1)
    blanks = [index for index, character in enumerate(text) if character == " "]
    if not blanks:
        return text
    middle = min(blanks, key=lambda index: abs(index - len(text) / 2))
    return text[:middle] + "<br>" + text[middle + 1 :]


def fitted(text: str, characters: int) -> str:
    """`text` on two lines when it is longer than `characters` (see two_lines)."""
    return two_lines(text) if len(text) > characters and "<br>" not in text else text


def _fit_long_titles(layout, title_characters: int = PROJECTOR_TITLE_CHARACTERS, fit_axis_title: bool = True) -> None:
    """At projector size a long chart title ran off a half-page chart and a long y-axis title past the plot (and on
    a laptop a Dutch title ran off a chart beside another): put titles longer than `title_characters` (and, with
    `fit_axis_title`, a long y-axis title) on two lines, with room for the second (the plot keeps its height)."""
    title, axis_title = layout.title.text or "", layout.yaxis.title.text or ""
    # Charts drawn side by side break every title, so that their plots stay level when only one title is long.
    side_by_side = layout.meta == SIDE_BY_SIDE and "<br>" not in title
    layout.title.text = two_lines(title) if side_by_side else fitted(title, title_characters)
    if layout.title.text != title:
        line = round(1.3 * (layout.title.font.size or FONT_SIZE + 4))
        layout.margin.t, layout.height = (layout.margin.t or 50) + line, (layout.height or 420) + line
    if not fit_axis_title:
        return
    layout.yaxis.title.text = fitted(axis_title, PROJECTOR_AXIS_TITLE_CHARACTERS)
    if layout.yaxis.title.text != axis_title:
        layout.margin.l = (layout.margin.l or 70) + round(1.3 * layout.yaxis.title.font.size)


def pixels_below_the_plot(layout, tick_size: float, title_size: float) -> int:
    """How far below the plot the x axis's tick labels (as many lines as its longest has) and its title reach."""
    tick_lines = max((str(text).count("<br>") + 1 for text in (layout.xaxis.ticktext or ())), default=1)
    return round((0.3 + 1.3 * tick_lines) * tick_size + 1.6 * title_size + 14)


PROJECTOR_NAME_CHARACTERS = 14  # a category name's lines at projector size (three share a 1280-pixel projector)


def on_lines(name: str, characters: int) -> str:
    """A category's name broken into lines of about `characters` (never rotated: rotated names took most of a
    chart's height in projector mode)."""
    return "<br>".join(textwrap.wrap(str(name), characters)) or str(name)


def _short_category_lines(layout) -> None:
    """Category names written on lines (a bar chart's groups) get shorter lines at projector size: lines that fit
    a laptop's chart ran into their neighbours' there."""
    axis = layout.xaxis
    if axis.type == "category" and axis.tickvals and axis.ticktext:
        axis.ticktext = [on_lines(name, PROJECTOR_NAME_CHARACTERS) for name in axis.tickvals]


MIN_LEGEND_ROOM = 36  # pixels under an axis title for a one-line legend, before projector mode enlarges it


def _legend_room(layout) -> float:
    """Pixels a figure keeps under its x axis's tick labels and title: the legend's room."""
    below = pixels_below_the_plot(
        layout, layout.xaxis.tickfont.size or FONT_SIZE - 2, layout.xaxis.title.font.size or FONT_SIZE
    )
    return (layout.margin.b or 80) - below


def _legend_below_the_axis_title(layout, look: Look, legend_room: float) -> None:
    """A legend under the plot sits a share of the plot's height down, which on a short plot left the larger x-axis
    title on top of it: place it, in pixels, below the tick labels and the axis title, with the room it had
    (`legend_room`, at normal size) grown with the text (the plot keeps its height). Scaling the whole bottom margin
    instead scaled the tick labels' room twice: an empty band under charts whose names take lines."""
    below_plot = pixels_below_the_plot(layout, layout.xaxis.tickfont.size, layout.xaxis.title.font.size)
    old_margin = layout.margin.b or 80
    new_margin = round(below_plot + max(legend_room, MIN_LEGEND_ROOM) * look.font_scale)
    layout.margin.b, layout.height = new_margin, (layout.height or 420) + new_margin - old_margin
    plot_height = layout.height - (layout.margin.t or 50) - new_margin
    layout.legend.y = -below_plot / max(plot_height, 100)


def _enlarge(figure: go.Figure, look: Look) -> None:
    layout = figure.layout
    legend_room = _legend_room(layout)  # measured before the text grows
    layout.font.size = round((layout.font.size or FONT_SIZE) * look.font_scale)
    layout.title.font.size = round((layout.title.font.size or FONT_SIZE + 4) * look.title_scale)
    layout.legend.font.size = round((layout.legend.font.size or FONT_SIZE) * look.font_scale)
    for note in layout.annotations:
        note.font.size = round((note.font.size or FONT_SIZE) * look.font_scale)
    for axis in _axes(figure):  # set outright: Streamlit's chart theme gives ticks a smaller size of its own
        axis.tickfont.size = round((axis.tickfont.size or FONT_SIZE - 2) * look.font_scale)
        axis.title.font.size = round((axis.title.font.size or FONT_SIZE) * look.font_scale)
    _fit_long_titles(layout)
    _short_category_lines(layout)
    shows_legend = layout.showlegend is not False and any(t.name and t.showlegend is not False for t in figure.data)
    if shows_legend and layout.legend.y is not None and layout.legend.y < 0:
        _legend_below_the_axis_title(layout, look, legend_room)
    for trace in figure.data:
        text = getattr(trace, "textfont", None)  # a bar's printed share, a heatmap cell's count
        if text is not None and isinstance(text.size, int | float):
            text.size = round(text.size * look.font_scale)
        line, marker = getattr(trace, "line", None), getattr(trace, "marker", None)
        if line is not None and trace.type == "scatter" and line.width != 0:  # a band's edges stay unseen
            line.width = (line.width or 2) * look.line_scale
        if isinstance(getattr(marker, "size", None), int | float):  # a bar's marker has no size
            marker.size = marker.size * PROJECTOR_MARKER_SCALE
    for shape in layout.shapes:
        if shape.line.width != 0:
            shape.line.width = (shape.line.width or 2) * look.line_scale


def _axes(figure: go.Figure) -> list:
    layout = figure.layout
    return [layout[name] for name in layout if name.startswith(("xaxis", "yaxis"))]


def chart_config(name: str) -> dict:
    """Plotly's settings for one chart: its camera button saves a PNG at projector resolution, named after the chart."""
    return {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": name, "width": EXPORT_WIDTH, "height": EXPORT_HEIGHT},
    }
