"""Plotly figures of the fine-tuning lesson, in the chart style of core.charts (built without templates
or make_subplots, which cost tens of milliseconds per live redraw)."""

from __future__ import annotations

import textwrap

import numpy as np
import plotly.graph_objects as go

from core.i18n import tr, tr_later
from ui.charts.style import AXIS, FONT_SIZE, PREVIOUS_COLOUR, TEST_COLOUR, TRAIN_COLOUR

MODEL_COLOURS = {"fine_tuned": TRAIN_COLOUR, "from_scratch": TEST_COLOUR}
MODEL_NAMES = {"fine_tuned": tr_later("fine-tuned generic model"), "from_scratch": tr_later("trained from scratch")}
PANELS = (  # shown as tr(title)
    tr_later("House style<br>(held-out adverts)"),
    tr_later("General English<br>(held-out text)"),
    tr_later("Training adverts<br>(smoothed)"),
)
# The same panels' titles where each has the width of the page (one under the other): each says what it measures.
FULL_TITLES = (
    tr_later("Loss on the house style (held-out adverts)"),
    tr_later("Loss on general English (held-out text)"),
    tr_later("Loss on the training adverts (smoothed)"),
)
PANEL_DOMAINS = ((0.0, 0.28), (0.36, 0.64), (0.72, 1.0))
# One under the other (projector mode), in pixels at projector size: a panel's title, its plot, and below it its
# tick labels and axis title; the legend above the first.
STACKED_PIXELS = {"title": 72, "plot": 230, "below": 96, "legend": 64}
# Side by side (never in projector mode, where they stack) a panel title's lines hold about this many characters.
PANEL_TITLE_CHARACTERS = 22
TITLE_LINE_PIXELS = 24


def smoothed(values: np.ndarray, window: int = 5) -> np.ndarray:
    """A running mean: single batches are noisy, the trend is what matters."""
    if len(values) < window:
        return values
    kernel = np.ones(window) / window
    return np.concatenate([values[: window - 1], np.convolve(values, kernel, mode="valid")])


def _short_lines(title: str) -> str:
    """A panel title in lines of a few words: a third of a chart is narrow, and Dutch titles such as
    "(vacatures uit de testdata)" ran into the next panel's."""
    return "<br>".join("<br>".join(textwrap.wrap(part, PANEL_TITLE_CHARACTERS)) for part in title.split("<br>"))


def _panels_layout(height: int, margin: dict, legend: dict) -> dict:
    """What the loss panels' layouts share; each panel is added by _add_panel."""
    return {
        "template": "none",
        "font": {"size": FONT_SIZE, "color": "#262730"},
        "height": height,
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "uirevision": "keep",
        "margin": margin,
        "legend": legend,
        "annotations": [],
    }


def _add_panel(layout: dict, index: int, total_steps: int, x_axis: dict, y_axis: dict, title: dict) -> None:
    """Panel `index` (1-3): its axes over the steps and its title (an annotation), with what differs per layout."""
    suffix = "" if index == 1 else str(index)
    steps = {"range": [0, total_steps * 1.02], "title": {"text": tr("training step")}}
    layout[f"xaxis{suffix}"] = {**AXIS, "anchor": f"y{suffix}", **steps, **x_axis}
    layout[f"yaxis{suffix}"] = {**AXIS, "anchor": f"x{suffix}", "rangemode": "tozero", **y_axis}
    placed = {
        "xref": "paper",
        "yref": "paper",
        "yanchor": "bottom",
        "showarrow": False,
        "font": {"size": FONT_SIZE + 1},
    }
    layout["annotations"].append(placed | title)


def _three_panel_layout(total_steps: int) -> dict:
    """Three side-by-side loss panels sharing one legend, each titled by an annotation."""
    titles = [_short_lines(tr(title)) for title in PANELS]
    title_lines = max(title.count("<br>") + 1 for title in titles)
    layout = _panels_layout(
        380 + TITLE_LINE_PIXELS * title_lines,  # the plots keep their height (260 px) under longer titles
        {"l": 70, "r": 20, "t": 20 + TITLE_LINE_PIXELS * title_lines, "b": 100},
        # below the tick labels and the axis title (72 px under the 260 px plots)
        {"orientation": "h", "yanchor": "top", "y": -72 / 260, "x": 0, "font": {"size": FONT_SIZE - 1}},
    )
    for index, ((left, right), title) in enumerate(zip(PANEL_DOMAINS, titles, strict=True), start=1):
        y_title = tr("loss (lower is better)") if index == 1 else ""
        centred = {"text": title, "x": (left + right) / 2, "y": 1.0, "xanchor": "center"}
        _add_panel(layout, index, total_steps, {"domain": [left, right]}, {"title": {"text": y_title}}, centred)
    return layout


def _stacked_title(title: str) -> str:
    """A stacked panel's title in bold, what it is measured on (in brackets) on a line of its own: on one line a
    Dutch title ran past a projector's chart."""
    name, bracket, rest = title.partition(" (")
    return f"<b>{name}</b><br>({rest}" if bracket else f"<b>{title}</b>"


def _stacked_layout(total_steps: int) -> dict:
    """The three loss panels one under the other, each the page's width and titled above it, one legend on top:
    side by side in projector mode each had a quarter of a 1280-pixel projector, titles on four lines."""
    pixels = STACKED_PIXELS
    block = pixels["title"] + pixels["plot"] + pixels["below"]
    plots = 3 * block - pixels["below"]  # the last panel's tick labels and axis title go in the bottom margin
    layout = _panels_layout(
        plots + pixels["legend"] + pixels["below"],
        {"l": 70, "r": 20, "t": pixels["legend"], "b": pixels["below"]},
        {"orientation": "h", "yanchor": "bottom", "y": 1 + 8 / plots, "x": 0},
    )
    for index, title in enumerate(FULL_TITLES, start=1):
        top = plots - (index - 1) * block - pixels["title"]  # in pixels from the bottom of the plots
        on_the_left = {
            "text": _stacked_title(tr(title)),
            "x": 0,
            "xshift": -60,  # from the figure's left edge, over the y axis's numbers: room for a long title
            "y": top / plots,
            "xanchor": "left",
            "align": "left",
            "yshift": 6,
        }
        _add_panel(
            layout, index, total_steps, {}, {"domain": [(top - pixels["plot"]) / plots, top / plots]}, on_the_left
        )
    return layout


def fine_tuning_losses(history, total_steps: int, previous_curve=None, *, stacked: bool = False) -> go.Figure:
    """Three panels of loss per step, each with both models: held-out house style, held-out general
    English (what fine-tuning costs) and the training texts; optionally the previous run's first panel
    (`previous_curve`: (2, n), its steps and losses). Side by side, or `stacked` one under the other."""
    figure = go.Figure(layout=_stacked_layout(total_steps) if stacked else _three_panel_layout(total_steps))
    if previous_curve is not None and np.ndim(previous_curve) == 2 and previous_curve.shape[1]:
        figure.add_trace(
            go.Scatter(
                x=previous_curve[0],
                y=previous_curve[1],
                name=tr("previous run (fine-tuned)"),
                mode="lines",
                line={"color": PREVIOUS_COLOUR, "dash": "dash", "width": 2},
            )
        )
    for name, colour in MODEL_COLOURS.items():
        train_loss = history.train_loss[name]
        series = (
            (history.eval_steps, history.heldout_style[name]),
            (history.eval_steps, history.heldout_general[name]),
            (np.arange(1, len(train_loss) + 1), smoothed(train_loss)),
        )
        for index, (x, y) in enumerate(series, start=1):
            suffix = "" if index == 1 else str(index)
            figure.add_trace(
                go.Scatter(
                    x=x,
                    y=y,
                    name=tr(MODEL_NAMES[name]),
                    mode="lines",
                    legendgroup=name,
                    showlegend=index == 1,
                    xaxis=f"x{suffix}",
                    yaxis=f"y{suffix}",
                    line={"color": colour, "width": 3},
                )
            )
    return figure
