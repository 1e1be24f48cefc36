"""Rules or examples: what a written rule and a trained model decide everywhere on the income-debts plane.

Each figure is a map of approve (blue) and decline (red) with its border in black, the applicants on top
(blue circles repaid, red crosses did not), and, where asked, the made-up world's true border, a band of
left-out examples, the box the examples came from and applicants far outside it.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from core.i18n import tr, tr_later
from ui.charts.plane import CLASS_COLOURS, CLASS_TINTS
from ui.charts.style import FONT_SIZE, LABEL_BACKDROP, ON_LIGHT_MAP, SIDE_BY_SIDE, base_figure

APPROVE_COLOUR, DECLINE_COLOUR = CLASS_COLOURS[0], CLASS_COLOURS[1]
APPROVE_TINT, DECLINE_TINT = CLASS_TINTS[0], CLASS_TINTS[1]
BORDER_COLOUR = "black"
WORLD_COLOUR = "#555555"
EDGE_SHARE = 0.1  # a star this close to the map's left or right edge has its label on the inward side
INCOME_TITLE, DEBTS_TITLE = tr_later("Income (thousands a year)"), tr_later("Debts (thousands)")


def decision_map(income_axis, debts_axis, approve, title: str, height: int = 440, legend: bool = False) -> go.Figure:
    """A map of approve (G, G) in [0, 1] indexed [debts, income]: blue approve, red decline, paler where a model
    is unsure, with the 50% border drawn. With approve None only the axes are drawn. Without a legend (maps side by
    side, explained once in words) the plot takes the whole height."""
    figure = base_figure(title, tr(INCOME_TITLE), tr(DEBTS_TITLE), height=height)
    figure.update_xaxes(range=[income_axis[0], income_axis[-1]])
    figure.update_yaxes(range=[debts_axis[0], debts_axis[-1]])
    bottom = 130 if legend else 60
    figure.update_layout(
        margin={"l": 70, "r": 20, "t": 50, "b": bottom},
        legend={"y": -0.2},
        showlegend=legend,
        meta=None if legend else SIDE_BY_SIDE,
    )
    if approve is None:
        return figure
    crisp = bool(np.isin(approve, (0.0, 1.0)).all())  # a rule's yes/no is drawn sharp, a model's chance smooth
    figure.add_trace(
        go.Heatmap(
            x=income_axis,
            y=debts_axis,
            z=approve,
            zmin=0,
            zmax=1,
            colorscale=[[0.0, DECLINE_TINT], [0.5, "#ffffff"], [1.0, APPROVE_TINT]],
            zsmooth=False if crisp else "best",
            showscale=False,
            hovertemplate=tr("income %{x:.0f}, debts %{y:.0f}: approve %{z:.0%}") + "<extra></extra>",
        )
    )
    figure.add_trace(
        go.Contour(
            x=income_axis,
            y=debts_axis,
            z=approve,
            showscale=False,
            hoverinfo="skip",
            name=tr("where it switches"),
            showlegend=True,
            contours={"start": 0.5, "end": 0.5, "size": 1, "coloring": "lines"},
            colorscale=[[0, BORDER_COLOUR], [1, BORDER_COLOUR]],  # contour lines take their colour from the scale
            line={"width": 3},
        )
    )
    return figure


def add_applicants(figure: go.Figure, income, debts, repaid) -> go.Figure:
    """The applicants: blue circles repaid, red crosses did not (shape and colour, so both read in grey too)."""
    repaid = np.asarray(repaid) == 1
    for name, rows, colour, symbol in (
        (tr("repaid"), repaid, APPROVE_COLOUR, "circle"),
        (tr("did not repay"), ~repaid, DECLINE_COLOUR, "x"),
    ):
        figure.add_trace(
            go.Scatter(
                x=np.asarray(income)[rows],
                y=np.asarray(debts)[rows],
                mode="markers",
                name=name,
                hovertemplate=tr("income %{x:.0f}, debts %{y:.0f}") + "<extra>" + name + "</extra>",
                marker={"size": 9, "color": colour, "symbol": symbol, "line": {"color": "white", "width": 1}},
            )
        )
    return figure


def add_world_border(figure: go.Figure, income_axis, affordable) -> go.Figure:
    """The made-up world's true border, dashed: only the data's maker knows it; neither rule nor model sees it."""
    figure.add_trace(
        go.Scatter(
            x=income_axis,
            y=affordable,
            mode="lines",
            name=tr("true border (made-up world)"),
            hoverinfo="skip",
            line={"color": WORLD_COLOUR, "dash": "dash", "width": 2},
        )
    )
    return figure


def add_rule_border(figure: go.Figure, min_income: float, max_debts: float, right_edge: float) -> go.Figure:
    """The rule's corner: the line where `income >= min_income and debts <= max_debts` switches."""
    figure.add_trace(
        go.Scatter(
            x=[min_income, min_income, right_edge],
            y=[0, max_debts, max_debts],
            mode="lines",
            name=tr("your rule's border"),
            hoverinfo="skip",
            line={"color": "#7b3294", "width": 3, "dash": "dot"},
        )
    )
    return figure


def shade_left_out(figure: go.Figure, debts_above: float, income_range, debts_top: float) -> go.Figure:
    """Grey out the band of the plane whose examples the model never saw."""
    figure.add_shape(
        type="rect",
        x0=income_range[0],
        x1=income_range[1],
        y0=debts_above,
        y1=debts_top,
        fillcolor="rgba(90, 90, 90, 0.12)",
        line={"color": "#444444", "width": 2, "dash": "dash"},
        layer="above",
    )
    figure.add_annotation(
        x=(income_range[0] + income_range[1]) / 2,
        y=debts_top,
        yanchor="top",
        text=tr("no examples here"),
        showarrow=False,
        font={"size": FONT_SIZE, "color": "#222222"},
        bgcolor="rgba(255, 255, 255, 0.8)",
    )
    return figure


def add_examples_box(figure: go.Figure, income_range, debts_range) -> go.Figure:
    """A dashed box around the part of the plane the examples came from."""
    figure.add_shape(
        type="rect",
        x0=income_range[0],
        x1=income_range[1],
        y0=debts_range[0],
        y1=debts_range[1],
        line={"color": "#222222", "width": 2, "dash": "dash"},
        layer="above",
    )
    figure.add_annotation(
        x=income_range[0],
        y=debts_range[1],
        xanchor="left",
        yanchor="bottom",
        text=tr("every example came from in here"),
        showarrow=False,
        font={"size": FONT_SIZE - 1, "color": "#222222"},
    )
    return figure


def add_far_applicants(figure: go.Figure, income, debts, labels) -> go.Figure:
    """Applicants unlike any example, as stars, each labelled on a light backdrop: the map's boundary lines ran
    through labels drawn as plain text. A star near the left or right edge has its label on the inward side."""
    figure.add_trace(
        go.Scatter(
            x=income,
            y=debts,
            mode="markers",
            name=tr("applicants unlike any example"),
            cliponaxis=False,  # a star near the edge is drawn whole
            hoverinfo="skip",
            marker={"size": 16, "color": "#ffd92f", "symbol": "star", "line": {"color": "black", "width": 1.5}},
        )
    )
    low, high = figure.layout.xaxis.range or (min(income), max(income))
    for x, y, label in zip(income, debts, labels, strict=True):
        where = (x - low) / ((high - low) or 1)
        figure.add_annotation(
            x=x,
            y=y,
            text=label,
            showarrow=False,
            yanchor="bottom",
            yshift=12,
            xanchor="left" if where < EDGE_SHARE else "right" if where > 1 - EDGE_SHARE else "center",
            font={"size": FONT_SIZE, "color": "#222222"},
            bgcolor=LABEL_BACKDROP,
            name=ON_LIGHT_MAP,  # the map stays light in the dark look, so the label does too (style._darken)
        )
    return figure
