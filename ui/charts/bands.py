"""Charts of batches of runs: per-epoch curves over several seeds drawn as a mean inside its range (on their own,
or under one run's curves on that run's chart), and the final losses of a learning-rate sweep on a log axis with
the rates that failed shaded."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from core.i18n import tr, tr_later
from core.lessons.user_text import short_number
from ui.charts.style import FONT_SIZE, TEST_COLOUR, TRAIN_COLOUR, base_figure, epoch_range, epochs_axis, log_ticks

BAND_OPACITY = 0.22
FAILURE_COLOURS = {"blew_up": "rgba(214, 39, 40, 0.16)", "collapsed": "rgba(148, 103, 189, 0.18)"}
FAILURE_WORDS = {"blew_up": tr_later("diverged"), "collapsed": tr_later("collapsed")}


def _translucent(colour: str, opacity: float) -> str:
    red, green, blue = (int(colour[index : index + 2], 16) for index in (1, 3, 5))
    return f"rgba({red}, {green}, {blue}, {opacity})"


def add_band(
    figure: go.Figure,
    name: str,
    colour: str,
    spread: tuple[np.ndarray, np.ndarray, np.ndarray],
    mean_line=None,
    band_label: str | None = None,
    mean_in_legend: bool = True,
) -> None:
    """The mean as a line (`mean_line`: Plotly line settings, default solid and thick) inside a shaded band from
    the lowest to the highest value (three traces; `band_label` names the band, default "lowest to highest").
    Without `mean_in_legend` the band's one legend entry stands for both, which keeps a projected legend short."""
    band_label = tr("lowest to highest") if band_label is None else band_label
    mean, low, high = (np.asarray(values, float) for values in spread)
    epochs = epochs_axis(mean)
    band = {"mode": "lines", "line": {"width": 0}, "legendgroup": name, "hoverinfo": "skip", "showlegend": False}
    figure.add_trace(go.Scatter(x=epochs, y=high, name=tr("{name}: highest").format(name=name), **band))
    figure.add_trace(
        go.Scatter(
            x=epochs,
            y=low,
            name=f"{name}: {band_label}",  # two names: the curve's and the band's
            fill="tonexty",
            fillcolor=_translucent(colour, BAND_OPACITY),
            **{**band, "showlegend": True},
        )
    )
    figure.add_trace(
        go.Scatter(
            x=epochs,
            y=mean,
            name=tr("{name}: mean").format(name=name),
            mode="lines",
            line=mean_line or {"color": colour, "width": 3},
            legendgroup=name,
            showlegend=mean_in_legend,
        )
    )


def under_curves(figure: go.Figure, bands: list[tuple[str, str, tuple]], seeds: int) -> go.Figure:
    """`figure` (a run's per-epoch chart) with, under its own curves, each of `bands` ((curve name, colour,
    spread)) drawn as that curve's seeds: their mean dotted inside their lowest-to-highest range. A log axis gets
    ticks that span the bands too."""
    drawn = len(figure.data)
    for name, colour, spread in bands:
        dotted = {"color": colour, "width": 2, "dash": "dot"}
        seeded = tr("{name}, {seeds} seeds").format(name=name, seeds=seeds)
        add_band(figure, seeded, colour, spread, dotted, tr("dotted mean, shaded range"), False)
    figure.data = figure.data[drawn:] + figure.data[:drawn]
    if figure.layout.yaxis.type == "log":
        ticks = log_ticks(np.concatenate([np.asarray(trace.y, float) for trace in figure.data if trace.y is not None]))
        figure.update_yaxes(tickvals=ticks, ticktext=[short_number(tick) for tick in ticks])
    return figure


def seed_band_loss(train_spread, test_spread, seeds: int, total_epochs: int) -> go.Figure:
    """Training and held-out loss per epoch over `seeds` seeds (log scale): mean and lowest-to-highest band."""
    figure = base_figure(
        tr("Loss over {seeds} seeds: mean and range").format(seeds=seeds), tr("epoch"), tr("loss (log scale)")
    )
    add_band(figure, tr("training"), TRAIN_COLOUR, train_spread)
    add_band(figure, tr("held-out"), TEST_COLOUR, test_spread)
    figure.update_xaxes(**epoch_range(total_epochs))
    ticks = log_ticks(np.concatenate([np.ravel(train_spread), np.ravel(test_spread)]))
    figure.update_yaxes(type="log", tickvals=ticks, ticktext=[short_number(tick) for tick in ticks])
    return figure


def seed_band_accuracy(train_spread, test_spread, seeds: int, total_epochs: int) -> go.Figure:
    """Training and held-out accuracy per epoch over `seeds` seeds: mean and lowest-to-highest band."""
    figure = base_figure(
        tr("Accuracy over {seeds} seeds: mean and range").format(seeds=seeds), tr("epoch"), tr("share of examples")
    )
    add_band(figure, tr("training (labels as given)"), TRAIN_COLOUR, train_spread)
    add_band(figure, tr("held-out"), TEST_COLOUR, test_spread)
    figure.update_xaxes(**epoch_range(total_epochs))
    figure.update_yaxes(range=[0, 1.02], tickformat=".0%")
    return figure


def _shaded_span(rates: np.ndarray, index: int) -> tuple[float, float]:
    """From halfway (on the log axis) to the previous rate to halfway to the next one."""
    log_rates = np.log10(rates)
    step = np.diff(log_rates).min() if len(rates) > 1 else 1.0
    left = (log_rates[index - 1] + log_rates[index]) / 2 if index else log_rates[index] - step / 2
    right = (log_rates[index] + log_rates[index + 1]) / 2 if index + 1 < len(rates) else log_rates[index] + step / 2
    return 10.0**left, 10.0**right


def learning_rate_sweep(rates, train_loss, test_loss, failures, epochs: int) -> go.Figure:
    """Final training and held-out loss per learning rate (both axes log); rates whose run failed are shaded and
    drawn without a point (the shape's name says which failure, for readers of the figure's data)."""
    rates = np.asarray(rates, float)
    failed = np.array([failure is not None for failure in failures])
    figure = base_figure(
        tr("Loss after {epochs} epochs at each learning rate").format(epochs=epochs),
        tr("learning rate (log scale)"),
        tr("loss"),
    )
    for index, failure in enumerate(failures):
        if failure is not None:
            left, right = _shaded_span(rates, index)
            figure.add_shape(
                type="rect",
                name=f"{failure} at {rates[index]:g}",
                x0=left,
                x1=right,
                yref="paper",
                y0=0,
                y1=1,
                fillcolor=FAILURE_COLOURS.get(failure, FAILURE_COLOURS["blew_up"]),
                line={"width": 0},
                layer="below",
            )
            figure.add_annotation(
                x=np.log10(rates[index]),
                yref="paper",
                y=1.0,
                text=tr(FAILURE_WORDS.get(failure, failure)),
                textangle=-90,
                yanchor="top",
                showarrow=False,
                font={"size": FONT_SIZE - 3},
            )
    for name, colour, values in ((tr("training"), TRAIN_COLOUR, train_loss), (tr("held-out"), TEST_COLOUR, test_loss)):
        shown = np.where(failed, np.nan, np.asarray(values, float))
        figure.add_trace(
            go.Scatter(x=rates, y=shown, name=name, mode="lines+markers", line={"color": colour, "width": 3})
        )
    healthy = np.concatenate([np.asarray(train_loss, float)[~failed], np.asarray(test_loss, float)[~failed]])
    ticks = log_ticks(healthy)
    figure.update_yaxes(type="log", tickvals=ticks, ticktext=[short_number(tick) for tick in ticks])
    figure.update_xaxes(type="log", tickvals=rates, ticktext=[short_number(rate) for rate in rates])
    # The legend above the plot: below it, the axis title under slanted rate labels (projector size) ran into it.
    figure.update_layout(legend={"yanchor": "bottom", "y": 1.01}, margin={"t": 90, "b": 90})
    return figure
