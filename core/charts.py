"""Plotly figures from plain NumPy arrays, sized and styled to be read on a projector.

Every chart is named after what it draws. Figures are built with graph_objects (fast) and take
the x-axis range up front so a chart fills from left to right while a run trains.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

TRAIN_COLOUR = "#1f77b4"
TEST_COLOUR = "#ff7f0e"
MEMORIZED_COLOUR = "#d62728"
TRUE_COLOUR = "#2ca02c"
GAP_COLOUR = "#9467bd"
PREVIOUS_COLOUR = "#9e9e9e"
FONT_SIZE = 16


_AXIS = {
    "gridcolor": "#e3e3e3",
    "zeroline": False,
    "linecolor": "#999999",
    "ticks": "outside",
    "tickcolor": "#999999",
    "automargin": True,
}


def _base_figure(title: str, x_title: str, y_title: str, height: int = 420) -> go.Figure:
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
            "xaxis": {**_AXIS, "title": {"text": x_title}},
            "yaxis": {**_AXIS, "title": {"text": y_title}},
            "uirevision": "keep",  # keep a user's zoom between live redraws where Plotly can
        }
    )


def _epochs(values: np.ndarray) -> np.ndarray:
    return np.arange(1, len(values) + 1)


def _line(figure, values, name, colour, dash=None, width=3, yaxis="y"):
    figure.add_trace(
        go.Scatter(
            x=_epochs(values),
            y=values,
            name=name,
            mode="lines",
            line={"color": colour, "dash": dash, "width": width},
            yaxis=yaxis,
        )
    )


def _mark_epoch(figure, epoch: int | None, text: str, colour: str, position: str = "top"):
    """A dotted vertical line at an epoch with a label (set as plain layout dicts: add_vline is slow)."""
    if epoch:
        figure.add_shape(
            type="line", x0=epoch, x1=epoch, yref="paper", y0=0, y1=1, line={"color": colour, "dash": "dot", "width": 2}
        )
        figure.add_annotation(
            x=epoch,
            yref="paper",
            y=1.0 if position.startswith("top") else 0.02,
            xanchor="left",
            yanchor="top" if position.startswith("top") else "bottom",
            text=text,
            showarrow=False,
            font={"color": colour, "size": FONT_SIZE - 2},
        )


def _log_ticks(values: np.ndarray) -> list[float]:
    """Ticks spanning the finite positive values, each labelled in full (Plotly's own log ticks label the
    in-between ones with a single digit, which reads as nonsense on a projector): 1-2-5 per decade, or every
    digit when the values span less than a decade, so a narrow range still gets several labels."""
    positive = values[np.isfinite(values) & (values > 0)]
    if positive.size == 0:
        return [0.1, 1.0]
    low, high = float(positive.min()), float(positive.max())
    wide = high / low >= 10
    mantissas, margin = ((1, 2, 5), 2.5) if wide else ((1, 1.5, 2, 3, 4, 5, 6, 7, 8, 9), 1.5)
    decades = np.arange(np.floor(np.log10(low)), np.ceil(np.log10(high)) + 1)
    ticks = sorted(round(m * 10.0**e, 10) for e in decades for m in mantissas)
    return [t for t in ticks if low / margin <= t <= high * margin]


def loss_curves(train_loss, test_loss, total_epochs: int, best_epoch=None, previous_test_loss=None) -> go.Figure:
    """Training vs held-out loss per epoch (log scale), with the best held-out epoch marked."""
    figure = _base_figure("Loss: error on training data vs on held-out data", "epoch", "loss (log scale)")
    if previous_test_loss is not None and len(previous_test_loss):
        _line(figure, previous_test_loss, "previous run: held-out", PREVIOUS_COLOUR, dash="dash", width=2)
    _line(figure, train_loss, "training", TRAIN_COLOUR)
    _line(figure, test_loss, "held-out", TEST_COLOUR)
    _mark_epoch(figure, best_epoch, f"best held-out: epoch {best_epoch}", TEST_COLOUR)
    figure.update_xaxes(range=[0, total_epochs + 1])
    shown = [train_loss, test_loss] + ([previous_test_loss] if previous_test_loss is not None else [])
    ticks = _log_ticks(np.concatenate([np.asarray(values, float) for values in shown]))
    figure.update_yaxes(type="log", tickvals=ticks, ticktext=[f"{tick:g}" for tick in ticks])
    return figure


def accuracy_curves(history_metrics: dict, total_epochs: int, takeover_epoch=None) -> go.Figure:
    """Accuracy on training labels and held-out data, plus what happens to the mislabeled examples."""
    figure = _base_figure("Accuracy, and what the model does with wrong labels", "epoch", "share of examples")
    _line(figure, history_metrics["train_accuracy"], "training (labels as given)", TRAIN_COLOUR)
    _line(figure, history_metrics["test_accuracy"], "held-out", TEST_COLOUR)
    if np.isfinite(history_metrics["memorized_share"]).any():
        _line(
            figure,
            history_metrics["memorized_share"],
            "mislabeled: predicted as the wrong label (memorized)",
            MEMORIZED_COLOUR,
            dash="dash",
        )
        _line(
            figure,
            history_metrics["mislabeled_true_share"],
            "mislabeled: still predicted as the true label",
            TRUE_COLOUR,
            dash="dash",
        )
    _mark_epoch(figure, takeover_epoch, "memorization takes over", MEMORIZED_COLOUR, "bottom")
    figure.update_xaxes(range=[0, total_epochs + 1])
    figure.update_yaxes(range=[0, 1.02], tickformat=".0%")
    figure.update_layout(height=480, legend={"font": {"size": FONT_SIZE - 2}})
    return figure


def _panel_title(text: str, x: float) -> dict:
    """A title centred above one panel of a figure with side-by-side panels."""
    return {
        "text": text,
        "x": x,
        "y": 1.02,
        "xref": "paper",
        "yref": "paper",
        "xanchor": "center",
        "yanchor": "bottom",
        "showarrow": False,
        "font": {"size": FONT_SIZE},
    }


def generalization_gap(gap_accuracy, gap_loss, total_epochs: int) -> go.Figure:
    """Two panels: training minus held-out accuracy, and held-out minus training loss."""
    figure = _base_figure(
        "Generalization gap: how much better it does on data it has seen", "epoch", "percentage points", height=360
    )
    for axis, values, scale in (("", gap_accuracy, 100.0), ("2", gap_loss, 1.0)):
        figure.add_trace(
            go.Scatter(
                x=_epochs(values),
                y=scale * np.asarray(values),
                mode="lines",
                fill="tozeroy",
                line={"color": GAP_COLOUR, "width": 3},
                showlegend=False,
                xaxis=f"x{axis}",
                yaxis=f"y{axis}",
            )
        )
    # two side-by-side panels from plain axis domains (make_subplots costs ~20 ms per redraw)
    figure.update_layout(
        xaxis={"domain": [0, 0.44], "range": [0, total_epochs + 1]},
        xaxis2={
            **_AXIS,
            "domain": [0.56, 1],
            "range": [0, total_epochs + 1],
            "anchor": "y2",
            "title": {"text": "epoch"},
        },
        yaxis2={**_AXIS, "anchor": "x2"},
        margin={"b": 60, "t": 90},
        annotations=[
            _panel_title("accuracy: training − held-out", 0.22),
            _panel_title("loss: held-out − training", 0.78),
        ],
    )
    return figure


def image_grid(images: np.ndarray, image_shape, captions, frame_colours, frame_widths, columns=8) -> go.Figure:
    """Images tiled in one heatmap (one trace, fast to draw), each framed and captioned underneath."""
    rows = max(1, int(np.ceil(len(images) / columns)))
    height, width = image_shape
    pad, label_rows = 1, 4  # blank cells between tiles; room under each tile for its caption
    canvas = np.full((rows * (height + label_rows), columns * (width + pad)), np.nan)
    frames, labels = [], []
    for index, image in enumerate(images):
        row, column = divmod(index, columns)
        top, left = row * (height + label_rows), column * (width + pad)
        canvas[top : top + height, left : left + width] = image.reshape(height, width)
        colour = str(frame_colours[index])
        frames.append(
            {
                "type": "rect",
                "x0": left - 0.5,
                "x1": left + width - 0.5,
                "y0": top - 0.5,
                "y1": top + height - 0.5,
                "line": {"color": colour, "width": int(frame_widths[index])},
            }
        )
        labels.append(
            {
                "x": left + width / 2 - 0.5,
                "y": top + height - 0.2,
                "yanchor": "top",
                "showarrow": False,
                "text": captions[index],
                "font": {"size": FONT_SIZE - 2, "color": colour},
            }
        )
    figure = _base_figure("", "", "", height=40 + 125 * rows)
    figure.add_trace(go.Heatmap(z=canvas, colorscale="Greys", showscale=False, hoverinfo="skip"))
    # shapes and captions set in one go: add_shape/add_annotation validate the whole layout each call
    figure.update_layout(shapes=frames, annotations=labels, margin={"l": 10, "r": 10, "t": 10, "b": 10})
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False, autorange="reversed", scaleanchor="x")
    return figure


def mislabeled_grid(images: np.ndarray, image_shape, given, true, predicted, memorized_since) -> go.Figure:
    """Mislabeled images with what they were told, what they are and what the model says (and since which
    epoch, once memorized); a thick red frame marks the memorized ones, green the ones it still gets right."""
    memorized = np.asarray(memorized_since) > 0
    right = np.asarray(predicted) == np.asarray(true)
    colours = np.where(memorized, MEMORIZED_COLOUR, np.where(right, TRUE_COLOUR, "#777777"))
    captions = [
        f"told {g} · is {t}<br>says <b>{p}</b>" + (f" since {since}" if since else "")
        for g, t, p, since in zip(given, true, predicted, memorized_since)
    ]
    return image_grid(images, image_shape, captions, colours, np.where(memorized, 5, 2))


def labelled_images(images: np.ndarray, image_shape, given, true) -> go.Figure:
    """Training images with the label the model will be told; wrong labels framed red."""
    wrong = np.asarray(given) != np.asarray(true)
    captions = [f"told <b>{g}</b>" + (f" (is {t})" if g != t else "") for g, t in zip(given, true)]
    return image_grid(
        images, image_shape, captions, np.where(wrong, MEMORIZED_COLOUR, "#777777"), np.where(wrong, 4, 1)
    )


# ---- How training works: the loss landscape of a line fit, the fit itself, and decision boundaries ----

PATH_COLOUR = "#d62728"
BEST_COLOUR = "#2ca02c"
CLASS_COLOURS = ("#2166ac", "#b2182b", "#1b7837")
CLASS_TINTS = ("#9ecae1", "#f4a582", "#a1d99b")  # the same hues, light enough for points to stand out on them
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
            "title": {"text": "loss", "side": "right"},
            "tickvals": ticks,
            "thickness": 14,
            "ticktext": [f"{10**t:g}" for t in ticks],
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
        name="bottom of the valley",
        marker={"symbol": "x", "size": 16, "color": BEST_COLOUR, "line": {"width": 2}},
    )


def loss_landscape(loss_grid, w_values, b_values, path, best, limit_note: str = "") -> go.Figure:
    """Contours of the loss over (w, b), the path gradient descent took (one dot per step) and where it is now."""
    figure = _base_figure("The loss landscape and the path of the parameters", "slope w", "intercept b", height=560)
    figure.add_trace(_loss_contour(loss_grid, w_values, b_values))
    path = _thinned(np.asarray(path))
    figure.add_trace(_path_trace(path, "path (one dot per step)", PATH_COLOUR, marker_size=6))
    figure.add_trace(_valley_bottom(best))
    figure.add_trace(
        go.Scatter(
            x=path[-1:, 0],
            y=path[-1:, 1],
            mode="markers",
            name="now",
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
    return figure


RACER_COLOURS = ("#d62728", "#9467bd", "#ff7f0e")  # gradient descent, momentum, Adam


def race_landscape(loss_grid, w_values, b_values, paths: dict, best) -> go.Figure:
    """Several optimizers' paths (name -> (steps + 1, 2)) from the same start on the same loss contours."""
    figure = _base_figure("The same valley, three ways down", "slope w", "intercept b", height=520)
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
    improvement is the same height)."""
    figure = _base_figure("Loss above the lowest possible, per step", "step", "loss above the lowest", height=520)
    for (name, values), colour in zip(losses.items(), RACER_COLOURS, strict=False):
        above = np.maximum(np.asarray(values, float) - lowest, 1e-6)  # float32 losses: below this is rounding
        above[~(above < 1e3)] = np.nan  # a blown-up run leaves the chart instead of stretching it
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
    figure = _base_figure(f"The line now: y = {slope:.3f}·x {sign} {abs(intercept):.3f}", x_title, y_title, height=440)
    figure.add_trace(
        go.Scatter(
            x=x,
            y=y,
            mode="markers",
            name="all examples",
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
            name="the line (model)",
            line={"color": PATH_COLOUR, "width": 3},
        )
    )
    if show_errors:
        predictions = slope * np.asarray(batch_x) + intercept
        gaps_x = np.stack([batch_x, batch_x, np.full(len(batch_x), np.nan)], axis=1).ravel()
        gaps_y = np.stack([batch_y, predictions, np.full(len(batch_x), np.nan)], axis=1).ravel()
        figure.add_trace(
            go.Scatter(
                x=gaps_x, y=gaps_y, mode="lines", name="error of each prediction", line={"color": "#ff7f0e", "width": 2}
            )
        )
    figure.add_trace(
        go.Scatter(
            x=batch_x,
            y=batch_y,
            mode="markers",
            name="the examples in the table",
            marker={"size": 11, "color": TRAIN_COLOUR, "line": {"color": "white", "width": 1}},
        )
    )
    spread = np.ptp(y)
    figure.update_yaxes(range=[np.min(y) - 0.1 * spread, np.max(y) + 0.1 * spread])  # a wild line leaves the view
    figure.update_layout(margin={"l": 70, "r": 20, "t": 50, "b": 90}, legend={"y": -0.2})
    return figure


def _class_confidence_scale(num_classes: int) -> list:
    """A colour scale in bands, one per class, each from white (unsure) to the class's tint (sure)."""
    scale = []
    for k in range(num_classes):
        scale += [[k / num_classes, "#ffffff"], [(k + 1) / num_classes - 1e-6, CLASS_TINTS[k % len(CLASS_TINTS)]]]
    return scale


def _boundary_heatmap(grid_x, grid_y, probabilities) -> list:
    """Binary: P(class 1) from blue to red with its 0.5 contour. More classes: the likeliest class, paler
    where the model is less sure."""
    num_classes = probabilities.shape[-1]
    if num_classes == 2:
        chance = probabilities[..., 1]
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
                colorbar={"title": {"text": "P(class 1)", "side": "right"}, "tickformat": ".0%", "thickness": 14},
                hovertemplate="P(class 1) %{z:.0%}<extra></extra>",
            ),
            go.Contour(
                x=grid_x,
                y=grid_y,
                z=chance,
                showscale=False,
                hoverinfo="skip",
                name="boundary (50%)",
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
            hovertemplate="likeliest class sure to %{customdata:.0%}<extra></extra>",
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
    title: str = "What the model predicts everywhere",
) -> go.Figure:
    """The model's class probabilities over a grid (G, G, K), with training points and outlined held-out points.
    With probabilities None (no usable model) only the points are drawn."""
    figure = _base_figure(title, "x₁", "x₂", height=620)
    if probabilities is not None:
        figure.add_traces(_boundary_heatmap(np.asarray(grid_x), np.asarray(grid_y), np.asarray(probabilities)))
    for k, name in enumerate(class_names):
        colour = CLASS_COLOURS[k % len(CLASS_COLOURS)]
        train_rows, held_rows = y_train == k, y_held_out == k
        figure.add_trace(
            go.Scatter(
                x=x_train[train_rows, 0],
                y=x_train[train_rows, 1],
                mode="markers",
                name=f"{name}: training",
                hoverinfo="skip",
                marker={"size": 8, "color": colour, "line": {"color": "white", "width": 1}},
            )
        )
        figure.add_trace(
            go.Scatter(
                x=x_held_out[held_rows, 0],
                y=x_held_out[held_rows, 1],
                mode="markers",
                name=f"{name}: held-out",
                hoverinfo="skip",
                marker={"size": 10, "color": colour, "symbol": "circle", "line": {"color": "black", "width": 2.5}},
            )
        )
    figure.update_xaxes(range=[grid_x[0], grid_x[-1]])
    figure.update_yaxes(range=[grid_y[0], grid_y[-1]])
    figure.update_layout(
        margin={"l": 60, "r": 20, "t": 50, "b": 60}, legend={"y": -0.1, "entrywidth": 0.5, "entrywidthmode": "fraction"}
    )
    return figure


# ---- per-class and per-group results (the "Data quality and bias" lesson) ----

SERIES_COLOURS = (TRAIN_COLOUR, TEST_COLOUR, TRUE_COLOUR, GAP_COLOUR, MEMORIZED_COLOUR)


def accuracy_bars(
    categories,
    series: dict,
    title: str,
    x_title: str,
    previous=None,
    previous_name: str = "previous run",
    category_colours=None,
) -> go.Figure:
    """Grouped bars, one group per class or group of people and one colour per series, each bar a share
    from 0 to 1 printed on it (NaN: no such examples, drawn as no bar). `previous` is drawn first, in grey.
    `category_colours` (one per category) colours a single series by category instead."""
    figure = _base_figure(title, x_title, "share answered right", height=460)
    categories = [str(category) for category in categories]
    named = ({previous_name: previous} if previous is not None else {}) | dict(series)
    colours = iter(SERIES_COLOURS)
    for name, values in named.items():
        colour = PREVIOUS_COLOUR if previous is not None and name == previous_name else next(colours)
        if category_colours is not None and name != previous_name:
            colour = list(category_colours)
        values = np.asarray(values, float)
        figure.add_trace(
            go.Bar(
                x=categories,
                y=values,
                name=name,
                marker_color=colour,
                text=[f"{v:.0%}" if np.isfinite(v) else "" for v in values],
                textposition="outside",
                textfont={"size": FONT_SIZE - 3},
                cliponaxis=False,
                hovertemplate=f"{name}<br>%{{x}}: %{{y:.1%}}<extra></extra>",
            )
        )
    figure.update_layout(barmode="group", bargap=0.25)
    if len(named) == 1:  # nothing to tell apart: no legend, and no room kept for one
        figure.update_layout(showlegend=False, height=380, margin={"b": 60})
    figure.update_xaxes(type="category")
    figure.update_yaxes(range=[0, 1.1], tickformat=".0%")
    return figure


def confusion_heatmap(confusion: np.ndarray, class_names, title: str) -> go.Figure:
    """Rows: the true class; columns: the model's answer. Colour is the share of the row (so a class that is
    mostly answered wrong stands out however many examples it has); the number in each cell is the count."""
    confusion = np.asarray(confusion)
    totals = np.maximum(confusion.sum(axis=1, keepdims=True), 1)
    names = [str(name) for name in class_names]
    figure = _base_figure(title, "the model's answer", "true class", height=560)
    figure.add_trace(
        go.Heatmap(
            z=confusion / totals,
            x=names,
            y=names,
            text=confusion,
            texttemplate="%{text}",
            textfont={"size": FONT_SIZE - 2},
            colorscale="Blues",
            zmin=0,
            zmax=1,
            showscale=False,
            hovertemplate="true %{y}, answered %{x}: %{text}<extra></extra>",
        )
    )
    figure.update_xaxes(type="category", side="bottom")
    figure.update_yaxes(type="category", autorange="reversed")
    figure.update_layout(margin={"l": 70, "r": 20, "t": 50, "b": 60})
    return figure
