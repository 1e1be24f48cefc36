"""core.charts: figures carry exactly the numbers they are given, labelled readably."""

import re

import numpy as np
import pytest

from ui.charts import curves, images, style
from ui.charts.style import show_lone_points


def test_loss_curves_plot_the_given_numbers_with_full_log_labels():
    train, test = np.array([2.3, 0.9, 0.04]), np.array([2.2, 1.0, 1.4])
    figure = curves.loss_curves(train, test, total_epochs=10, best_epoch=2)
    traces = {trace.name: trace for trace in figure.data}
    np.testing.assert_array_equal(traces["training"].y, train)
    np.testing.assert_array_equal(traces["held-out"].x, [1, 2, 3])
    ticks = list(figure.layout.yaxis.tickvals)
    assert min(ticks) <= 0.04 and max(ticks) >= 2.3
    assert "0.05" in figure.layout.yaxis.ticktext and "2" in figure.layout.yaxis.ticktext


def test_log_ticks_ignore_values_that_cannot_be_drawn():
    assert style.log_ticks(np.array([np.nan, np.inf, -1.0])) == [0.1, 1.0]
    narrow = style.log_ticks(np.array([0.23, 0.57]))
    assert len([t for t in narrow if 0.23 <= t <= 0.57]) >= 3
    wide = style.log_ticks(np.array([0.01, 2.3]))
    assert {0.01, 0.1, 1} <= set(wide) and 3 not in wide and min(wide) <= 0.01 and max(wide) >= 2.3


def test_generalization_gap_shows_accuracy_in_points_and_loss_as_is():
    figure = curves.generalization_gap(np.array([0.1, -0.05]), np.array([0.3, 0.2]), total_epochs=5)
    np.testing.assert_allclose(figure.data[0].y, [10.0, -5.0])
    np.testing.assert_allclose(figure.data[1].y, [0.3, 0.2])


def test_mislabeled_grid_frames_memorized_examples_red():
    digits = np.random.default_rng(0).random((3, 64))
    figure = images.mislabeled_grid(digits, (8, 8), [1, 2, 3], [7, 8, 9], [1, 8, 4], [5, 0, 0])
    colours = [shape.line.color for shape in figure.layout.shapes]
    assert colours == [style.MEMORIZED_COLOUR, style.TRUE_COLOUR, "#777777"]
    assert "<br>since 5" in figure.layout.annotations[0].text


def test_accuracy_curves_speak_of_wrong_labels_only_when_there_are_some():
    clean = {"train_accuracy": [0.5, 0.9], "test_accuracy": [0.5, 0.8], "memorized_share": [np.nan, np.nan]}
    clean["mislabeled_true_share"] = clean["memorized_share"]
    figure = curves.accuracy_curves(clean, total_epochs=2)
    assert "wrong labels" not in figure.layout.title.text and len(figure.data) == 2
    noisy = {**clean, "memorized_share": [0.0, 0.3], "mislabeled_true_share": [0.9, 0.6]}
    figure = curves.accuracy_curves(noisy, total_epochs=2)
    assert "wrong labels" in figure.layout.title.text and len(figure.data) == 4


def drawn_digits(html: str) -> list[np.ndarray]:
    """Each SVG's squares read back as an image (1 = ink, 0 = white), from the paths' unit squares and greys."""
    images_drawn = []
    for svg in re.findall(r"<svg.*?</svg>", html):
        image = np.zeros((8, 8))
        for path, grey in re.findall(r'<path d="([^"]*)" fill="rgb\((\d+),\d+,\d+\)"/>', svg):
            for x, y in re.findall(r"M(\d+) (\d+)h1v1h-1z", path):
                image[int(y), int(x)] = 1 - int(grey) / 255
        images_drawn.append(image)
    return images_drawn


def test_the_labelled_preview_draws_each_digit_as_given_and_frames_and_names_the_wrong_labels():
    digits = np.random.default_rng(1).random((3, 64))
    html = images.labelled_images_html(digits, (8, 8), ["1", "<b>x</b>", "3"], ["1", "2", "9"])
    for drawn, digit in zip(drawn_digits(html), digits, strict=True):  # all but near-white squares drawn
        np.testing.assert_allclose(drawn.ravel(), digit, atol=6 / 255)
    frames = re.findall(r'stroke="([^"]+)"', html)
    assert frames == ["#777777", style.MEMORIZED_COLOUR, style.MEMORIZED_COLOUR]
    assert "told <b>&lt;b&gt;x&lt;/b&gt;</b><br>(is 2)" in html and "told <b>1</b></figcaption>" in html
    assert "projector" not in html and 'class="digit-grid projector"' in images.labelled_images_html(
        digits, (8, 8), ["1"] * 3, ["1"] * 3, projector=True
    )


def test_log_ticks_thin_out_where_neighbours_would_crowd_together():
    crowded = style.log_ticks(np.array([0.197, 1.95]))  # Adam at 0.1 in the lab: every digit crowded 0.6 to 1
    assert crowded == [0.2, 0.3, 0.5, 1.0, 2.0]
    gaps = np.diff(np.log10(style.log_ticks(np.array([1e-4, 2.3]))))
    assert gaps.min() >= style.MIN_LOG_TICK_GAP * np.log10(2.3 * 2.5 / (1e-4 / 2.5))


def test_the_mislabeled_grid_as_html_says_what_the_chart_says_with_the_same_frames():
    digits, labels = np.random.default_rng(0).random((3, 64)), ([1, 2, 3], [7, 8, 9], [1, 8, 4], [5, 0, 0])
    html = images.mislabeled_grid_html(digits, (8, 8), *labels)
    chart = images.mislabeled_grid(digits, (8, 8), *labels)
    assert re.findall(r"<figcaption[^>]*>(.*?)</figcaption>", html) == [a.text for a in chart.layout.annotations]
    assert re.findall(r'stroke="([^"]+)"', html) == [shape.line.color for shape in chart.layout.shapes]
    assert [float(w) for w in re.findall(r'stroke-width="([^"]+)"', html)] == [0.5, 0.25, 0.25]


def test_an_epoch_marked_past_the_middle_has_its_label_on_the_left_of_the_line():
    losses = np.linspace(2.0, 0.1, 30)
    early, late = (curves.loss_curves(losses, losses, 30, best_epoch=best) for best in (5, 30))
    assert early.layout.annotations[0].xanchor == "left" and late.layout.annotations[0].xanchor == "right"


def test_in_projector_mode_the_mislabeled_digits_come_in_rows_of_six_with_room_for_larger_captions():
    """Rows of eight captions ran into each other at projector size, and the third caption line ran over the next
    row's digits."""
    digits, labels = np.random.default_rng(0).random((24, 64)), ([1] * 24, [7] * 24, [1] * 24, [5] * 24)
    normal = np.asarray(images.mislabeled_grid(digits, (8, 8), *labels).data[0].z)
    projector = np.asarray(images.mislabeled_grid(digits, (8, 8), *labels, projector=True).data[0].z)
    assert normal.shape[1] == 8 * 9 and projector.shape[1] == 6 * 9  # 8 pixels and a gap per digit
    under_a_digit = {"normal": normal.shape[0] / 3 - 8, "projector": projector.shape[0] / 4 - 8}  # rows of cells
    caption_lines = 3  # told · is, says, since
    assert under_a_digit["projector"] >= style.PROJECTOR_FONT_SCALE * 1.5 * caption_lines > under_a_digit["normal"]


def test_a_one_epoch_run_draws_its_points_on_whole_epoch_ticks_with_labelled_loss_ticks():
    """A line of one point draws nothing, Plotly ticked a one-epoch axis at 0.5 and 1.5, and its range around a
    single loss held none of the loss ticks: the charts of a one-epoch run were empty."""
    figure = show_lone_points(curves.loss_curves(np.array([2.3]), np.array([2.31]), total_epochs=1, best_epoch=1))
    assert all(trace.mode == "lines+markers" for trace in figure.data)
    assert figure.layout.xaxis.dtick == 1 and list(figure.layout.xaxis.range) == [0, 2]
    low, high = figure.layout.yaxis.range
    assert sum(low <= np.log10(tick) <= high for tick in figure.layout.yaxis.tickvals) >= 2
    gap = show_lone_points(curves.generalization_gap(np.array([0.01]), np.array([0.02]), total_epochs=1))
    assert all(trace.mode == "lines+markers" for trace in gap.data)
    longer = show_lone_points(curves.loss_curves(np.linspace(2, 1, 50), np.linspace(2, 1.5, 50), total_epochs=50))
    assert all(trace.mode == "lines" for trace in longer.data) and longer.layout.xaxis.dtick is None


def fine_tuning_history(steps: int = 30):
    from core.lessons.fine_tuning import LessonHistory

    measured = np.arange(0, steps + 1, 10)
    losses = {"fine_tuned": np.linspace(4, 3, len(measured)), "from_scratch": np.linspace(7, 5, len(measured))}
    training = {name: np.linspace(5, 2, steps) for name in ("fine_tuned", "from_scratch")}
    return LessonHistory(measured, losses, losses, training)


def test_the_fine_tuning_panels_stack_under_one_legend_on_top_with_their_whole_titles():
    from ui.charts import lm

    figure = lm.fine_tuning_losses(fine_tuning_history(), 30, stacked=True).to_plotly_json()["layout"]
    domains = [figure[name]["domain"] for name in ("yaxis", "yaxis2", "yaxis3")]
    assert all(0 <= low < high <= 1 for low, high in domains)
    assert domains[0][0] > domains[1][1] and domains[1][0] > domains[2][1], "top to bottom, never overlapping"
    assert "domain" not in figure["xaxis"], "each panel has the page's width"
    titles = [note["text"] for note in figure["annotations"]]
    assert titles[0] == "<b>Loss on the house style</b><br>(held-out adverts)"
    assert [note["y"] for note in figure["annotations"]] == [high for _, high in domains], "each title on its panel"
    assert figure["legend"]["y"] > 1 and figure["legend"]["yanchor"] == "bottom"
    side_by_side = lm.fine_tuning_losses(fine_tuning_history(), 30).to_plotly_json()["layout"]
    assert [side_by_side[name]["domain"] for name in ("xaxis", "xaxis2", "xaxis3")] == [
        list(domain) for domain in lm.PANEL_DOMAINS
    ]
    assert side_by_side["legend"]["y"] < 0


def test_the_best_held_out_epochs_label_stands_over_the_curves_at_the_top_of_the_axis():
    falling = np.geomspace(1, 0.1, 50)
    figure = curves.loss_curves(falling, falling * 1.2, 50, best_epoch=40).layout
    label, (bottom, top) = figure.annotations[0], figure.yaxis.range
    assert label.text == "best held-out: epoch 40" and (label.y, label.yanchor, label.yref) == (1.0, "top", "paper")
    highest = (np.log10(1.2) - bottom) / (top - bottom)  # the highest curve's share of the axis's height
    assert 0.85 < highest < 0.9, "the label's band, the top tenth, stays free of curves"
    assert (np.log10(0.1) - bottom) / (top - bottom) > 0, "the lowest point stays on the chart"


def test_bars_in_their_groups_colours_leave_the_legend_to_the_previous_run_and_names_use_their_room():
    from ui.charts import groups

    names = ["held-out, mixed like training", "group A: as written", "group B: mirrored"]
    figure = groups.accuracy_bars(
        names,
        {"this run": [0.9, 0.95, 0.7]},
        "t",
        "",
        previous=[0.8, 0.9, 0.6],
        category_colours=["red", "green", "blue"],
    )
    legend = {trace.name: trace.showlegend for trace in figure.data}
    assert legend == {"previous run": True, "this run": False}, "one colour per group has no one legend colour"
    assert list(figure.layout.xaxis.ticktext) == ["held-out, mixed like<br>training", *names[1:]]
    digits = groups.accuracy_bars([str(d) for d in range(10)], {"a": [0.5] * 10, "b": [0.6] * 10}, "t", "digit")
    assert all(trace.showlegend is not False for trace in digits.data)


def test_projector_mode_enlarges_printed_shares_and_keeps_no_empty_band_under_a_legend():
    from ui.charts import groups

    names = ["held-out, mixed like training", "group A: as written", "group B: mirrored"]
    figure = groups.accuracy_bars(names, {"this run": [0.9, 0.95, 0.7]}, "t", "", previous=[0.8, 0.9, 0.6])
    normal_text, layout = figure.data[0].textfont.size, figure.layout

    def legend_room(layout, tick_size, title_size):
        return layout.margin.b - style.pixels_below_the_plot(layout, tick_size, title_size)

    normal_room = legend_room(layout, style.FONT_SIZE - 2, style.FONT_SIZE)
    projected = style.apply_look(figure, style.Look(projector=True)).layout
    assert figure.data[0].textfont.size == round(normal_text * style.PROJECTOR_FONT_SCALE)
    room = legend_room(projected, projected.xaxis.tickfont.size, projected.xaxis.title.font.size)
    assert room == pytest.approx(normal_room * style.PROJECTOR_FONT_SCALE, abs=2), "room for the legend, no more"
    lines = [line for name in projected.xaxis.ticktext for line in name.split("<br>")]
    assert max(map(len, lines)) <= style.PROJECTOR_NAME_CHARACTERS < max(map(len, names))
