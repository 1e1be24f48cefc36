"""Decision boundaries: what a model predicts everywhere in a 2-D plane, with the points it learned from."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from core.i18n import tr
from ui.charts.style import base_figure

CLASS_COLOURS = ("#2166ac", "#b2182b", "#1b7837")
CLASS_TINTS = ("#9ecae1", "#f4a582", "#a1d99b")  # the same hues, light enough for points to stand out on them


def _class_confidence_scale(num_classes: int) -> list:
    """A colour scale in bands, one per class, each from white (unsure) to the class's tint (sure)."""
    scale = []
    for k in range(num_classes):
        scale += [[k / num_classes, "#ffffff"], [(k + 1) / num_classes - 1e-6, CLASS_TINTS[k % len(CLASS_TINTS)]]]
    return scale


def _boundary_heatmap(grid_x, grid_y, probabilities, colour_scale: bool = True) -> list:
    """Binary: P(class 1) from blue to red with its 0.5 contour, and its colour scale beside the plane unless
    `colour_scale` is False. More classes: the likeliest class, paler where the model is less sure."""
    num_classes = probabilities.shape[-1]
    if num_classes == 2:
        chance, chance_name = probabilities[..., 1], tr("P(class 1)")
        scale = [[0.0, CLASS_TINTS[0]], [0.5, "#ffffff"], [1.0, CLASS_TINTS[1]]]
        return [
            go.Heatmap(
                x=grid_x,
                y=grid_y,
                z=chance,
                zmin=0,
                zmax=1,
                colorscale=scale,
                zsmooth="best",
                showscale=colour_scale,
                colorbar={"title": {"text": chance_name, "side": "right"}, "tickformat": ".0%", "thickness": 14},
                hovertemplate=chance_name + " %{z:.0%}<extra></extra>",
            ),
            go.Contour(
                x=grid_x,
                y=grid_y,
                z=chance,
                showscale=False,
                hoverinfo="skip",
                name=tr("boundary (50%)"),
                contours={"start": 0.5, "end": 0.5, "size": 1, "coloring": "lines"},
                line={"color": "black", "width": 3},
            ),
        ]
    likeliest = probabilities.argmax(axis=-1)
    sureness = (probabilities.max(axis=-1) - 1 / num_classes) / (1 - 1 / num_classes)
    return [
        go.Heatmap(
            x=grid_x,
            y=grid_y,
            z=likeliest + 0.999 * sureness,
            zmin=0,
            zmax=num_classes,
            colorscale=_class_confidence_scale(num_classes),
            zsmooth="best",
            showscale=False,
            customdata=probabilities.max(axis=-1),
            hovertemplate=tr("likeliest class sure to {share}").format(share="%{customdata:.0%}") + "<extra></extra>",
        )
    ]


def decision_boundary(
    grid_x,
    grid_y,
    probabilities,
    x_train,
    y_train,
    x_held_out,
    y_held_out,
    class_names,
    title: str | None = None,
    colour_scale: bool = True,
    height: int = 620,
    legend: bool = True,
) -> go.Figure:
    """The model's class probabilities over a grid (G, G, K), with training points and outlined held-out points.
    With probabilities None (no usable model) only the points are drawn. `title`: "What the model predicts
    everywhere" by default, in the learner's language. `colour_scale` and `legend`: the scale of P(class 1) beside
    the plane and the points' legend under it (a page whose plane shares a narrow column says what the colours and
    points mean in words instead)."""
    title = tr("What the model predicts everywhere") if title is None else title
    figure = base_figure(title, "x₁", "x₂", height=height)
    if probabilities is not None:
        figure.add_traces(
            _boundary_heatmap(np.asarray(grid_x), np.asarray(grid_y), np.asarray(probabilities), colour_scale)
        )
    for k, name in enumerate(class_names):
        colour = CLASS_COLOURS[k % len(CLASS_COLOURS)]
        train_rows, held_rows = y_train == k, y_held_out == k
        figure.add_trace(
            go.Scatter(
                x=x_train[train_rows, 0],
                y=x_train[train_rows, 1],
                mode="markers",
                name=tr("{name}: training").format(name=name),
                hoverinfo="skip",
                marker={"size": 8, "color": colour, "line": {"color": "white", "width": 1}},
            )
        )
        figure.add_trace(
            go.Scatter(
                x=x_held_out[held_rows, 0],
                y=x_held_out[held_rows, 1],
                mode="markers",
                name=tr("{name}: held-out").format(name=name),
                hoverinfo="skip",
                marker={"size": 10, "color": colour, "symbol": "circle", "line": {"color": "black", "width": 2.5}},
            )
        )
    # A square plane, as the live view draws it: a narrow column had squeezed it to a tall strip. Where the column is
    # wider than the figure is high, the square keeps to the left, as in the live view; where it is narrower, the
    # square shrinks to the column's width at the top of the plot.
    figure.update_xaxes(range=[grid_x[0], grid_x[-1]], constrain="domain", constraintoward="left")
    figure.update_yaxes(
        range=[grid_y[0], grid_y[-1]], scaleanchor="x", scaleratio=1, constrain="domain", constraintoward="top"
    )
    figure.update_layout(
        # narrow side margins: in the Playground's column the square comes out within about 15 pixels of the live
        # view's size and place (static/live_view.js), so it does not jump when a run ends
        margin={"l": 50, "r": 10, "t": 50, "b": 100 if legend else 60},  # below the axis title: the legend's room
        # two entries a row where they fit; Plotly puts the rest on rows of their own (entries of half the width ran
        # into each other in Dutch); below the axis title
        legend={"y": -0.14},
        showlegend=legend,
    )
    return figure


# ---- per-class and per-group results (the "Data quality and bias" lesson) ----


def plane_figure(view, title: str, colour_scale: bool = True, height: int = 620, legend: bool = True) -> go.Figure:
    """The decision boundary of a core.lessons.playground.PlaneView (see decision_boundary)."""
    return decision_boundary(
        view.grid.x1,
        view.grid.x2,
        view.probabilities,
        view.x_train,
        view.labels_given,
        view.x_test,
        view.y_test,
        view.class_names,
        title,
        colour_scale,
        height,
        legend,
    )
