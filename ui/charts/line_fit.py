"""The line-fit lesson's charts: the loss landscape with the path of the updates, the race, the fit itself."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from core.i18n import formatted, tr
from ui.charts.style import FONT_SIZE, PREVIOUS_COLOUR, SIDE_BY_SIDE, TRAIN_COLOUR, base_figure

PATH_COLOUR = "#d62728"
BEST_COLOUR = "#2ca02c"
MAX_PATH_POINTS = 2000


def _thinned(points: np.ndarray) -> np.ndarray:
    """At most MAX_PATH_POINTS points, always keeping the last one (the browser slows down beyond that)."""
    if len(points) <= MAX_PATH_POINTS:
        return points
    keep = np.unique(np.linspace(0, len(points) - 1, MAX_PATH_POINTS).round().astype(int))
    return points[keep]


def _loss_contour(loss_grid, w_values, b_values) -> go.Contour:
    """Contours of the loss over (w, b) on a log scale, the colour bar labelled in plain loss values."""
    log_loss = np.log10(np.maximum(loss_grid, 1e-12))
    decades = np.arange(np.floor(log_loss.min()), np.ceil(log_loss.max()) + 1)
    ticks = np.log10(np.outer(10.0**decades, [1, 2, 5]).ravel())
    ticks = ticks[(ticks >= log_loss.min()) & (ticks <= log_loss.max())]
    return go.Contour(
        x=w_values,
        y=b_values,
        z=log_loss,
        ncontours=18,
        colorscale="Blues",
        reversescale=True,
        opacity=0.8,
        contours={"coloring": "heatmap", "showlines": True},
        line={"width": 1, "color": "white"},
        colorbar={
            "title": {"text": tr("loss"), "side": "right"},
            "tickvals": ticks,
            "thickness": 14,
            "ticktext": [formatted(10**t, "g") for t in ticks],
        },
        hovertemplate="w %{x:.2f}, b %{y:.2f}<extra></extra>",
        showlegend=False,
    )


def _path_trace(path: np.ndarray, name: str, colour: str, marker_size: int) -> go.Scatter:
    """A walk through (w, b): one dot per step, joined."""
    return go.Scatter(
        x=path[:, 0],
        y=path[:, 1],
        mode="lines+markers",
        name=name,
        line={"color": colour, "width": 2},
        marker={"size": marker_size, "color": colour},
    )


def _valley_bottom(best) -> go.Scatter:
    return go.Scatter(
        x=[best[0]],
        y=[best[1]],
        mode="markers",
        name=tr("bottom of the valley"),
        marker={"symbol": "x", "size": 16, "color": BEST_COLOUR, "line": {"width": 2}},
    )


def loss_landscape(loss_grid, w_values, b_values, path, best, limit_note: str = "") -> go.Figure:
    """Contours of the loss over (w, b), the path gradient descent took (one dot per step) and where it is now."""
    figure = base_figure(
        tr("The loss landscape and the path of the parameters"), tr("slope w"), tr("intercept b"), height=560
    )
    figure.add_trace(_loss_contour(loss_grid, w_values, b_values))
    path = _thinned(np.asarray(path))
    figure.add_trace(_path_trace(path, tr("path (one dot per step)"), PATH_COLOUR, marker_size=6))
    figure.add_trace(_valley_bottom(best))
    figure.add_trace(
        go.Scatter(
            x=path[-1:, 0],
            y=path[-1:, 1],
            mode="markers",
            name=tr("now"),
            marker={"symbol": "star", "size": 22, "color": "#ffd700", "line": {"color": "black", "width": 2}},
        )
    )
    if limit_note:
        figure.add_annotation(
            text=limit_note,
            xref="paper",
            yref="paper",
            x=0.01,
            y=0.99,
            showarrow=False,
            xanchor="left",
            yanchor="top",
            bgcolor="rgba(255,255,255,0.85)",
            font={"size": FONT_SIZE - 1},
        )
    figure.update_xaxes(range=[w_values[0], w_values[-1]])
    figure.update_yaxes(range=[b_values[0], b_values[-1]])
    figure.update_layout(margin={"l": 70, "r": 20, "t": 50, "b": 90}, legend={"y": -0.18})
    figure.layout.meta = SIDE_BY_SIDE  # half a page wide: its long title on two lines, not cut at the chart's edge
    return figure


RACER_COLOURS = ("#d62728", "#9467bd", "#ff7f0e")  # gradient descent, momentum, Adam


def race_landscape(loss_grid, w_values, b_values, paths: dict, best) -> go.Figure:
    """Several optimizers' paths (name -> (steps + 1, 2)) from the same start on the same loss contours."""
    figure = base_figure(tr("The same valley, three ways down"), tr("slope w"), tr("intercept b"), height=520)
    figure.add_trace(_loss_contour(loss_grid, w_values, b_values))
    for (name, path), colour in zip(paths.items(), RACER_COLOURS, strict=False):
        figure.add_trace(_path_trace(_thinned(np.asarray(path)), name, colour, marker_size=5))
    figure.add_trace(_valley_bottom(best))
    figure.update_xaxes(range=[w_values[0], w_values[-1]])
    figure.update_yaxes(range=[b_values[0], b_values[-1]])
    figure.update_layout(margin={"l": 70, "r": 20, "t": 50, "b": 90}, legend={"y": -0.18})
    return figure


def race_losses(losses: dict, lowest: float) -> go.Figure:
    """How far above the lowest possible loss each optimizer is, step by step (log scale: every tenfold
    improvement is the same height). Losses given as NaN (after a run blew up) leave the chart."""
    figure = base_figure(
        tr("Loss above the lowest possible, per step"), tr("step"), tr("loss above the lowest"), height=520
    )
    for (name, values), colour in zip(losses.items(), RACER_COLOURS, strict=False):
        above = np.maximum(np.asarray(values, float) - lowest, 1e-6)  # float32 losses: below this is rounding
        figure.add_trace(
            go.Scatter(y=above, name=name, mode="lines", line={"color": colour, "width": 3}, connectgaps=False)
        )
    figure.update_yaxes(type="log", exponentformat="power")
    figure.update_layout(margin={"l": 80, "r": 20, "t": 50, "b": 90}, legend={"y": -0.18})
    return figure


def line_fit(
    x, y, batch_x, batch_y, slope: float, intercept: float, x_title: str, y_title: str, show_errors: bool = False
) -> go.Figure:
    """All examples in grey, the highlighted ones in colour, the current line, and their errors as segments."""
    sign = "+" if intercept >= 0 else "−"
    title = tr("The line now: y = {slope}·x {sign} {intercept}").format(
        slope=formatted(slope, ".3f").replace("-", "−"),  # the minus of the sign beside it, not a hyphen
        sign=sign,
        intercept=formatted(abs(intercept), ".3f"),
    )
    figure = base_figure(title, x_title, y_title, height=440)
    figure.add_trace(
        go.Scatter(
            x=x,
            y=y,
            mode="markers",
            name=tr("all examples"),
            hoverinfo="skip",
            marker={"size": 5, "color": PREVIOUS_COLOUR, "opacity": 0.5},
        )
    )
    ends = np.array([np.min(x), np.max(x)])
    figure.add_trace(
        go.Scatter(
            x=ends,
            y=slope * ends + intercept,
            mode="lines",
            name=tr("the line (model)"),
            line={"color": PATH_COLOUR, "width": 3},
        )
    )
    if show_errors:
        predictions = slope * np.asarray(batch_x) + intercept
        gaps_x = np.stack([batch_x, batch_x, np.full(len(batch_x), np.nan)], axis=1).ravel()
        gaps_y = np.stack([batch_y, predictions, np.full(len(batch_x), np.nan)], axis=1).ravel()
        figure.add_trace(
            go.Scatter(
                x=gaps_x,
                y=gaps_y,
                mode="lines",
                name=tr("error of each prediction"),
                line={"color": "#ff7f0e", "width": 2},
            )
        )
    figure.add_trace(
        go.Scatter(
            x=batch_x,
            y=batch_y,
            mode="markers",
            name=tr("the examples in the table"),
            marker={"size": 11, "color": TRAIN_COLOUR, "line": {"color": "white", "width": 1}},
        )
    )
    spread = np.ptp(y)
    figure.update_yaxes(range=[np.min(y) - 0.1 * spread, np.max(y) + 0.1 * spread])  # a wild line leaves the view
    # the legend starts below the x-axis title (a long one, "BMI (scaled 0 to 1)", reached into it in half a page)
    figure.update_layout(margin={"l": 70, "r": 20, "t": 50, "b": 110}, legend={"y": -0.3}, height=460)
    return figure
