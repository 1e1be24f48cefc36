"""Per-class and per-group results of the data-quality lesson."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from core.i18n import percent, tr
from ui.charts.style import (
    FONT_SIZE,
    GAP_COLOUR,
    MEMORIZED_COLOUR,
    PREVIOUS_COLOUR,
    TEST_COLOUR,
    TRAIN_COLOUR,
    TRUE_COLOUR,
    base_figure,
    on_lines,
    pixels_below_the_plot,
)

SERIES_COLOURS = (TRAIN_COLOUR, TEST_COLOUR, TRUE_COLOUR, GAP_COLOUR, MEMORIZED_COLOUR)
LABELLED_BARS = 8  # at most this many bars get their share printed over them
# A category's name is broken into lines of about this many characters, fewer the more categories share the axis
# (three groups' names have a third of a chart each; on a 1280-pixel projector a line of 22 characters fits that).
NAME_LINE_CHARACTERS = 14
AXIS_LINE_CHARACTERS = 66
LEGEND_PIXELS = 40  # a one-line legend's height, with some room under it


def accuracy_bars(
    categories,
    series: dict,
    title: str,
    x_title: str,
    previous=None,
    previous_name: str | None = None,
    category_colours=None,
) -> go.Figure:
    """Grouped bars, one group per class or group of people and one colour per series, each bar a share
    from 0 to 1 printed on it (NaN: no such examples, drawn as no bar). `previous` is drawn first, in grey.
    `category_colours` (one per category) colours a single series by category instead. `previous_name`: "previous
    run" by default, in the learner's language."""
    previous_name = tr("previous run") if previous_name is None else previous_name
    figure = base_figure(title, x_title, tr("share answered right"), height=460)
    categories = [str(category) for category in categories]
    named = ({previous_name: previous} if previous is not None else {}) | dict(series)
    # A share printed over each bar, where there is room: twenty bars' labels ran into each other ("97%97%"), or
    # Plotly shrank them to specks; the axis and the hover tell every bar's share.
    labelled = len(categories) * len(named) <= LABELLED_BARS
    colours = iter(SERIES_COLOURS)
    for name, values in named.items():
        colour = PREVIOUS_COLOUR if previous is not None and name == previous_name else next(colours)
        coloured_by_category = category_colours is not None and name != previous_name
        if coloured_by_category:
            colour = list(category_colours)
        values = np.asarray(values, float)
        figure.add_trace(
            go.Bar(
                x=categories,
                y=values,
                name=name,
                marker_color=colour,
                text=[percent(v) if np.isfinite(v) and labelled else "" for v in values],
                textposition="outside",
                textfont={"size": FONT_SIZE - 3},
                cliponaxis=False,
                # bars in the categories' colours have no one colour for a legend entry: the axis names them
                showlegend=not coloured_by_category,
                hovertemplate=f"{name}<br>%{{x}}: %{{y:.1%}}<extra></extra>",
            )
        )
    figure.update_layout(barmode="group", bargap=0.25)
    if len(named) == 1:  # nothing to tell apart: no legend, and no room kept for one
        figure.update_layout(showlegend=False, height=380, margin={"b": 60})
    # long names on lines of a few words (ran over the legend below when rotated)
    line_characters = max(NAME_LINE_CHARACTERS, AXIS_LINE_CHARACTERS // max(len(categories), 1))
    ticktext = [on_lines(name, line_characters) for name in categories]
    figure.update_xaxes(type="category", tickvals=categories, ticktext=ticktext, tickangle=0)
    figure.update_yaxes(range=[0, 1.1], tickformat=".0%")
    if len(named) > 1:  # the legend under the names, however many lines they take (the plot keeps its height)
        layout, below = figure.layout, pixels_below_the_plot(figure.layout, FONT_SIZE - 2, FONT_SIZE)
        plot_height = layout.height - layout.margin.t - layout.margin.b
        margin = max(layout.margin.b, below + LEGEND_PIXELS)
        layout.height, layout.margin.b = layout.height + margin - layout.margin.b, margin
        layout.legend.y = -below / plot_height
    return figure


def confusion_heatmap(confusion: np.ndarray, class_names, title: str) -> go.Figure:
    """Rows: the true class; columns: the model's answer. Colour is the share of the row (so a class that is
    mostly answered wrong stands out however many examples it has); the number in each cell is the count."""
    confusion = np.asarray(confusion)
    totals = np.maximum(confusion.sum(axis=1, keepdims=True), 1)
    names = [str(name) for name in class_names]
    figure = base_figure(title, tr("the model's answer"), tr("true class"), height=560)
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
            hovertemplate=tr("true {true}, answered {answer}: {count}").format(
                true="%{y}", answer="%{x}", count="%{text}"
            )
            + "<extra></extra>",
        )
    )
    figure.update_xaxes(type="category", side="bottom")
    figure.update_yaxes(type="category", autorange="reversed")
    figure.update_layout(margin={"l": 70, "r": 20, "t": 50, "b": 60})
    return figure
