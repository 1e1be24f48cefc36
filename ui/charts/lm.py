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
PANEL_DOMAINS = ((0.0, 0.28), (0.36, 0.64), (0.72, 1.0))
PANEL_TITLE_CHARACTERS = 13  # a panel title's lines hold about this many characters
TITLE_LINE_PIXELS = 30  # a panel title's line at projector size


def smoothed(values: np.ndarray, window: int = 5) -> np.ndarray:
    """A running mean: single batches are noisy, the trend is what matters."""
    if len(values) < window:
        return values
    kernel = np.ones(window) / window
    return np.concatenate([values[: window - 1], np.convolve(values, kernel, mode="valid")])


def _short_lines(title: str) -> str:
    """A panel title in lines of a few words: a third of a projector's chart is narrow, and Dutch titles such as
    "(vacatures uit de testdata)" ran into the next panel's."""
    return "<br>".join("<br>".join(textwrap.wrap(part, PANEL_TITLE_CHARACTERS)) for part in title.split("<br>"))


def _three_panel_layout(total_steps: int) -> dict:
    """Three side-by-side loss panels sharing one legend, each titled by an annotation."""
    titles = [_short_lines(tr(title)) for title in PANELS]
    title_lines = max(title.count("<br>") + 1 for title in titles)
    layout = {
        "template": "none",
        "font": {"size": FONT_SIZE, "color": "#262730"},
        "height": 360 + TITLE_LINE_PIXELS * title_lines,  # the plots keep their height under longer titles
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "uirevision": "keep",
        "margin": {"l": 70, "r": 20, "t": 20 + TITLE_LINE_PIXELS * title_lines, "b": 80},
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.22, "x": 0},
        "annotations": [],
    }
    for index, ((left, right), title) in enumerate(zip(PANEL_DOMAINS, titles, strict=True), start=1):
        suffix = "" if index == 1 else str(index)
        layout[f"xaxis{suffix}"] = {
            **AXIS,
            "domain": [left, right],
            "anchor": f"y{suffix}",
            "range": [0, total_steps * 1.02],
            "title": {"text": tr("training step")},
        }
        layout[f"yaxis{suffix}"] = {
            **AXIS,
            "anchor": f"x{suffix}",
            "rangemode": "tozero",
            "title": {"text": tr("loss (lower is better)") if index == 1 else ""},
        }
        layout["annotations"].append(
            {
                "text": title,
                "x": (left + right) / 2,
                "y": 1.0,
                "xref": "paper",
                "yref": "paper",
                "xanchor": "center",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": FONT_SIZE + 1},
            }
        )
    return layout


def fine_tuning_losses(history, total_steps: int, previous_curve=None) -> go.Figure:
    """Three panels of loss per step, each with both models: held-out house style, held-out general
    English (what fine-tuning costs) and the training texts; optionally the previous run's first panel
    (`previous_curve`: (2, n), its steps and losses)."""
    figure = go.Figure(layout=_three_panel_layout(total_steps))
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
