"""Per-epoch curves of a classifier run: loss, accuracy and the generalization gap."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from core.i18n import tr, tr_later
from core.lessons.user_text import short_number
from ui.charts.style import (
    AXIS,
    FONT_SIZE,
    GAP_COLOUR,
    MEMORIZED_COLOUR,
    PREVIOUS_COLOUR,
    TEST_COLOUR,
    TRAIN_COLOUR,
    TRUE_COLOUR,
    add_line,
    base_figure,
    epoch_range,
    epochs_axis,
    log_ticks,
    mark_epoch,
    panel_title,
)

# The share of a loss chart's height over its highest curve, as a part of the curves' own span: the best epoch's
# label (a line of text, 7% of a plot of 300 pixels) stands there.
LABEL_HEADROOM = 0.12


def loss_curves(train_loss, test_loss, total_epochs: int, best_epoch=None, previous_test_loss=None) -> go.Figure:
    """Training vs held-out loss per epoch (log scale), with the best held-out epoch marked."""
    figure = base_figure(tr("Loss: error on training data vs on held-out data"), tr("epoch"), tr("loss (log scale)"))
    if previous_test_loss is not None and len(previous_test_loss):
        add_line(figure, previous_test_loss, tr("previous run: held-out"), PREVIOUS_COLOUR, dash="dash", width=2)
    add_line(figure, train_loss, tr("training"), TRAIN_COLOUR)
    add_line(figure, test_loss, tr("held-out"), TEST_COLOUR)
    best = tr("best held-out: epoch {epoch}").format(epoch=best_epoch)
    mark_epoch(figure, best_epoch, best, TEST_COLOUR, total_epochs)
    figure.update_xaxes(**epoch_range(total_epochs))
    shown = [train_loss, test_loss] + ([previous_test_loss] if previous_test_loss is not None else [])
    values = np.concatenate([np.asarray(values, float) for values in shown])
    ticks = log_ticks(values)
    figure.update_yaxes(type="log", tickvals=ticks, ticktext=[short_number(tick) for tick in ticks])
    positive = values[np.isfinite(values) & (values > 0)]
    if not positive.size:
        return figure
    low, high = positive.min(), positive.max()
    few_ticks = sum(low <= tick <= high for tick in ticks) < 2
    if few_ticks:  # Plotly's own range hugs the values (one epoch's, or a flat curve's) and held at most one tick
        low, high = min(ticks[0], low), max(ticks[-1], high)
    if best_epoch:  # the top of the axis kept free of curves for the best epoch's label, which sat on them
        bottom, top = np.log10(low), np.log10(high)
        margin = 0.04 * max(top - bottom, 0.1)
        figure.update_yaxes(range=[bottom - margin, top + margin + LABEL_HEADROOM * (top - bottom + 2 * margin)])
    elif few_ticks:
        figure.update_yaxes(range=[np.log10(low), np.log10(high)])
    return figure


def accuracy_curves(history_metrics: dict, total_epochs: int, takeover_epoch=None) -> go.Figure:
    """Accuracy on training labels and held-out data, plus what happens to the mislabeled examples if there are any
    (their shares are NaN when there are none)."""
    wrong_labels = np.isfinite(history_metrics["memorized_share"]).any()
    title = (
        tr("Accuracy, and what the model does with wrong labels")
        if wrong_labels
        else tr("Accuracy while training: training data vs held-out data")
    )
    figure = base_figure(title, tr("epoch"), tr("share of examples"))
    add_line(figure, history_metrics["train_accuracy"], tr("training (labels as given)"), TRAIN_COLOUR)
    add_line(figure, history_metrics["test_accuracy"], tr("held-out"), TEST_COLOUR)
    if wrong_labels:
        add_line(
            figure,
            history_metrics["memorized_share"],
            tr("mislabeled: predicted as the wrong label (memorized)"),
            MEMORIZED_COLOUR,
            dash="dash",
        )
        add_line(
            figure,
            history_metrics["mislabeled_true_share"],
            tr("mislabeled: still predicted as the true label"),
            TRUE_COLOUR,
            dash="dash",
        )
    mark_epoch(figure, takeover_epoch, tr("memorization takes over"), MEMORIZED_COLOUR, total_epochs, "bottom")
    figure.update_xaxes(**epoch_range(total_epochs))
    figure.update_yaxes(range=[0, 1.02], tickformat=".0%")
    figure.update_layout(height=480, legend={"font": {"size": FONT_SIZE - 2}})
    return figure


def generalization_gap(gap_accuracy, gap_loss, total_epochs: int) -> go.Figure:
    """Two panels, one above the other: training minus held-out accuracy, and held-out minus training loss. (Side by
    side, in the narrow column beside its note, the second panel's numbers ran into the first on a projector.)"""
    figure = base_figure(
        tr("Generalization gap"),  # what it is, the note beside says; a longer title ran off a projector canvas
        tr("epoch"),
        tr("percentage points"),
        height=580,
    )
    for axis, values, scale in (("", gap_accuracy, 100.0), ("2", gap_loss, 1.0)):
        figure.add_trace(
            go.Scatter(
                x=epochs_axis(values),
                y=scale * np.asarray(values),
                mode="lines",
                fill="tozeroy",
                line={"color": GAP_COLOUR, "width": 3},
                showlegend=False,
                xaxis=f"x{axis}",
                yaxis=f"y{axis}",
            )
        )
    # two stacked panels from plain axis domains (make_subplots costs ~20 ms per redraw); the lower one reads epochs
    figure.update_layout(
        xaxis={**epoch_range(total_epochs), "anchor": "y", "showticklabels": False, "title": None},
        xaxis2={**AXIS, **epoch_range(total_epochs), "anchor": "y2", "title": {"text": tr("epoch")}},
        yaxis={"domain": [0.64, 1]},
        yaxis2={**AXIS, "domain": [0, 0.36], "anchor": "x2", "title": {"text": tr("loss")}},
        margin={"b": 60, "t": 140},  # the figure's title, a gap, then the upper panel's two-line title
        annotations=[
            panel_title(tr("accuracy: training − held-out"), 1.0),
            panel_title(tr("loss: held-out − training"), 0.36),
        ],
    )
    return figure


PIN_COLOURS = ("#7f7f7f", TRUE_COLOUR, GAP_COLOUR)  # one per pinned run, oldest first
UNIT_WORDS = {"epoch": tr_later("epoch"), "step": tr_later("step")}  # a pinned comparison's x axis


def pinned_comparison(curve_name: str, unit: str, current, pinned) -> go.Figure:
    """One curve of the current run (solid) over the same curve of pinned runs (dashed). `current` and each
    of `pinned` are (legend entry, x, y); the y axis is logarithmic, as losses are. `unit` is the x axis's column:
    "epoch" or "step"."""
    figure = base_figure(
        tr("This run against the pinned ones: {curve}").format(curve=curve_name),
        tr(UNIT_WORDS.get(unit, unit)),
        tr("{curve} (log scale)").format(curve=curve_name),
    )
    for (name, x, y), colour in zip(pinned, PIN_COLOURS):
        figure.add_trace(
            go.Scatter(x=x, y=y, name=name, mode="lines", line={"color": colour, "dash": "dash", "width": 3})
        )
    name, x, y = current
    figure.add_trace(go.Scatter(x=x, y=y, name=name, mode="lines", line={"color": TEST_COLOUR, "width": 3}))
    ticks = log_ticks(np.concatenate([np.asarray(values, float) for _, _, values in (*pinned, current)]))
    figure.update_yaxes(type="log", tickvals=ticks, ticktext=[short_number(tick) for tick in ticks])
    figure.update_layout(legend={"orientation": "v", "y": -0.25})
    return figure
