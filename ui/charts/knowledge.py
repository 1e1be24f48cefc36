"""Plotly figures of the lesson "What a model knows": the timeline of the town's documents around the cutoff, and
the loss of a knowledge run as it trains."""

from __future__ import annotations

import datetime

import numpy as np
import plotly.graph_objects as go

from core.i18n import tr
from ui.charts.lm import smoothed
from ui.charts.style import MEMORIZED_COLOUR, PREVIOUS_COLOUR, TRAIN_COLOUR, base_figure

SEEN_COLOUR = TRAIN_COLOUR
UNSEEN_COLOUR = PREVIOUS_COLOUR
ASKED_COLOUR = MEMORIZED_COLOUR
DAY_LINE_COLOUR = "#8a8a8a"  # the cutoff and today lines: seen on the light and the dark background alike
SUBJECT_ROW_PIXELS = 32  # a subject's row on the timeline: its name fits at projector size


def _documents_trace(documents, name: str, colour: str, filled: bool) -> go.Scatter:
    return go.Scatter(
        x=[document.date for document in documents],
        y=[document.subject for document in documents],
        mode="markers",
        name=name,
        marker={
            "size": 11,
            "color": colour if filled else "white",
            "line": {"color": colour, "width": 2},
            "symbol": "circle",
        },
        text=[f"{document.date.isoformat()}: {document.title}" for document in documents],
        hovertemplate="%{text}<extra></extra>",
    )


def _vertical_line(figure: go.Figure, day: datetime.date, text: str, colour: str, dash: str) -> None:
    figure.add_shape(
        type="line", x0=day, x1=day, yref="paper", y0=0, y1=1, line={"color": colour, "dash": dash, "width": 3}
    )
    figure.add_annotation(
        x=day, yref="paper", y=1.0, text=text, showarrow=False, xanchor="right", yanchor="bottom", font={"size": 15}
    )


def timeline(documents, cutoff: datetime.date, today: datetime.date, asked_fact: str | None = None) -> go.Figure:
    """Every document as a dot on its date, one row per business: filled where a model with this cutoff read it,
    hollow where it came later; the documents about the asked question's fact ringed in red."""
    seen = [document for document in documents if document.date <= cutoff]
    later = [document for document in documents if document.date > cutoff]
    subjects = sorted({document.subject for document in documents}, reverse=True)
    # a row per subject roomy enough for its name at projector size, every name written (Plotly left out every
    # other one where the rows were tighter than the names)
    figure = base_figure("", tr("date of the document"), "", height=max(420, SUBJECT_ROW_PIXELS * len(subjects) + 150))
    seen_name = tr("read in training ({count})").format(count=len(seen))
    figure.add_trace(_documents_trace(seen, seen_name, SEEN_COLOUR, True))
    later_name = tr("after the cutoff ({count})").format(count=len(later))
    figure.add_trace(_documents_trace(later, later_name, UNSEEN_COLOUR, False))
    asked = [document for document in documents if document.fact == asked_fact]
    if asked:
        trace = _documents_trace(asked, tr("about the question asked"), ASKED_COLOUR, False)
        trace.marker.size, trace.marker.line.width = 19, 3
        figure.add_trace(trace)
    # mid-grey: the page's dark text colour all but vanished on the dark theme's background
    _vertical_line(figure, cutoff, tr("cutoff") + " ", DAY_LINE_COLOUR, "dash")
    _vertical_line(figure, today, tr("today") + " ", DAY_LINE_COLOUR, "dot")
    figure.update_layout(
        margin={"l": 20, "r": 20, "t": 40, "b": 100},
        yaxis={"categoryorder": "array", "categoryarray": subjects, "title": None, "tickvals": subjects},
        legend={"y": -0.12},
    )
    return figure


def training_loss(losses: np.ndarray, total_steps: int, title: str) -> go.Figure:
    """The loss of a knowledge run per step, smoothed (single batches are noisy)."""
    figure = base_figure(title, tr("training step"), tr("loss"), height=330)
    steps = np.arange(1, len(losses) + 1)
    figure.add_trace(
        go.Scatter(x=steps, y=losses, mode="lines", name=tr("each step"), line={"color": "#bcd3ea", "width": 1})
    )
    figure.add_trace(
        go.Scatter(
            x=steps, y=smoothed(losses), mode="lines", name=tr("smoothed"), line={"color": TRAIN_COLOUR, "width": 3}
        )
    )
    figure.update_layout(xaxis={"range": [0, total_steps * 1.02]}, yaxis={"rangemode": "tozero"})
    return figure
