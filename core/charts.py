"""Plotly figures from plain NumPy arrays, sized and styled to be read on a projector.

Every chart is named after what it draws. Figures are built with graph_objects (fast) and take
the x-axis range up front so a chart fills from left to right while a run trains.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

TRAIN_COLOUR = "#1f77b4"
TEST_COLOUR = "#ff7f0e"
MEMORIZED_COLOUR = "#d62728"
TRUE_COLOUR = "#2ca02c"
GAP_COLOUR = "#9467bd"
PREVIOUS_COLOUR = "#9e9e9e"
FONT_SIZE = 16


def _base_figure(title: str, x_title: str, y_title: str, height: int = 420) -> go.Figure:
    figure = go.Figure()
    figure.update_layout(
        title={"text": title, "font": {"size": FONT_SIZE + 4}},
        font={"size": FONT_SIZE},
        height=height,
        margin={"l": 70, "r": 20, "t": 50, "b": 110},
        legend={"orientation": "h", "yanchor": "top", "y": -0.3, "x": 0, "font": {"size": FONT_SIZE - 1}},
        xaxis_title=x_title,
        yaxis_title=y_title,
        template="plotly_white",
        uirevision="keep",  # keep a user's zoom between live redraws where Plotly can
    )
    return figure


def _epochs(values: np.ndarray) -> np.ndarray:
    return np.arange(1, len(values) + 1)


def _line(figure, values, name, colour, dash=None, width=3, yaxis="y"):
    figure.add_trace(
        go.Scatter(x=_epochs(values), y=values, name=name, mode="lines",
                   line={"color": colour, "dash": dash, "width": width}, yaxis=yaxis)
    )


def _mark_epoch(figure, epoch: int | None, text: str, colour: str, position: str = "top left"):
    if epoch:
        figure.add_vline(x=epoch, line={"color": colour, "dash": "dot", "width": 2},
                         annotation={"text": text, "font": {"color": colour, "size": FONT_SIZE - 2}},
                         annotation_position=position)


def loss_curves(train_loss, test_loss, total_epochs: int, best_epoch=None, previous_test_loss=None) -> go.Figure:
    """Training vs held-out loss per epoch (log scale), with the best held-out epoch marked."""
    figure = _base_figure("Loss: error on training data vs on held-out data", "epoch", "loss (log scale)")
    if previous_test_loss is not None and len(previous_test_loss):
        _line(figure, previous_test_loss, "previous run: held-out", PREVIOUS_COLOUR, dash="dash", width=2)
    _line(figure, train_loss, "training", TRAIN_COLOUR)
    _line(figure, test_loss, "held-out", TEST_COLOUR)
    _mark_epoch(figure, best_epoch, f"best held-out: epoch {best_epoch}", TEST_COLOUR)
    figure.update_xaxes(range=[0, total_epochs + 1])
    figure.update_yaxes(type="log")
    return figure


def accuracy_curves(history_metrics: dict, total_epochs: int, takeover_epoch=None) -> go.Figure:
    """Accuracy on training labels and held-out data, plus what happens to the mislabeled examples."""
    figure = _base_figure("Accuracy, and what the model does with wrong labels", "epoch", "share of examples")
    _line(figure, history_metrics["train_accuracy"], "training (labels as given)", TRAIN_COLOUR)
    _line(figure, history_metrics["test_accuracy"], "held-out", TEST_COLOUR)
    if np.isfinite(history_metrics["memorized_share"]).any():
        _line(figure, history_metrics["memorized_share"], "mislabeled: predicted as the wrong label (memorized)",
              MEMORIZED_COLOUR, dash="dash")
        _line(figure, history_metrics["mislabeled_true_share"], "mislabeled: still predicted as the true label",
              TRUE_COLOUR, dash="dash")
    _mark_epoch(figure, takeover_epoch, "memorization takes over", MEMORIZED_COLOUR, "bottom right")
    figure.update_xaxes(range=[0, total_epochs + 1])
    figure.update_yaxes(range=[0, 1.02], tickformat=".0%")
    figure.update_layout(height=480, legend={"font": {"size": FONT_SIZE - 2}})
    return figure


def generalization_gap(gap_accuracy, gap_loss, total_epochs: int) -> go.Figure:
    """Two panels: training minus held-out accuracy, and held-out minus training loss."""
    figure = make_subplots(rows=1, cols=2, horizontal_spacing=0.12,
                           subplot_titles=("accuracy gap (percentage points)", "loss gap (held-out minus training)"))
    for column, values, scale in ((1, gap_accuracy, 100.0), (2, gap_loss, 1.0)):
        figure.add_trace(go.Scatter(x=_epochs(values), y=scale * np.asarray(values), mode="lines", fill="tozeroy",
                                    line={"color": GAP_COLOUR, "width": 3}, showlegend=False), row=1, col=column)
        figure.update_xaxes(title="epoch", range=[0, total_epochs + 1], row=1, col=column)
    figure.update_layout(title={"text": "Generalization gap: how much better it does on data it has seen",
                                "font": {"size": FONT_SIZE + 4}}, font={"size": FONT_SIZE}, height=340,
                         template="plotly_white", margin={"l": 60, "r": 20, "t": 90, "b": 50})
    return figure


def mislabeled_grid(images: np.ndarray, image_shape, given, true, predicted, memorized_since, columns=8) -> go.Figure:
    """Mislabeled images tiled in one heatmap; a red frame marks the ones the model has memorized."""
    count = len(images)
    rows = max(1, int(np.ceil(count / columns)))
    height, width = image_shape
    pad, label_rows = 1, 4  # blank cells between tiles; room under each tile for its caption
    canvas = np.full((rows * (height + label_rows), columns * (width + pad)), np.nan)
    figure = _base_figure("", "", "", height=120 + 150 * rows)
    for index in range(count):
        row, column = divmod(index, columns)
        top, left = row * (height + label_rows), column * (width + pad)
        canvas[top:top + height, left:left + width] = images[index].reshape(height, width)
        memorized = memorized_since[index] > 0
        colour = MEMORIZED_COLOUR if memorized else (TRUE_COLOUR if predicted[index] == true[index] else "#777")
        figure.add_shape(type="rect", x0=left - 0.5, x1=left + width - 0.5, y0=top - 0.5, y1=top + height - 0.5,
                         line={"color": colour, "width": 5 if memorized else 2})
        figure.add_annotation(x=left + width / 2 - 0.5, y=top + height - 0.2, yanchor="top", showarrow=False,
                              text=f"told {given[index]} · is {true[index]}<br>says <b>{predicted[index]}</b>",
                              font={"size": FONT_SIZE - 3, "color": colour})
    figure.add_trace(go.Heatmap(z=canvas, colorscale="Greys", showscale=False, hoverinfo="skip"))
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False, autorange="reversed", scaleanchor="x")
    figure.update_layout(margin={"l": 10, "r": 10, "t": 10, "b": 10})
    return figure
