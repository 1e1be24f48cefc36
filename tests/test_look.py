"""Chart looks: projector mode enlarges text and lines, the dark theme keeps charts readable, PNGs are 1080p."""

import numpy as np
import plotly.graph_objects as go
import pytest

from ui import look
from ui.charts import curves, line_fit, style
from ui.charts import rules as rule_charts
from ui.charts.style import EXPORT_HEIGHT, EXPORT_WIDTH, TRAIN_COLOUR, Look, apply_look, chart_config


def loss_figure():
    train, test = np.linspace(2, 0.1, 40), np.linspace(2, 0.3, 40)
    return curves.loss_curves(train, test, 40, 12, np.linspace(2, 0.2, 40))


def test_projector_mode_draws_larger_text_and_thicker_lines_than_normal():
    normal, projector = apply_look(loss_figure(), Look()), apply_look(loss_figure(), Look(projector=True))
    assert projector.layout.font.size > normal.layout.font.size
    assert projector.layout.title.font.size > normal.layout.title.font.size
    assert projector.layout.legend.font.size > normal.layout.legend.font.size
    assert projector.layout.annotations[0].font.size > normal.layout.annotations[0].font.size
    assert projector.layout.xaxis.tickfont.size > (normal.layout.xaxis.tickfont.size or 12)
    for thick, thin in zip(projector.data, normal.data, strict=True):
        assert thick.line.width > thin.line.width
    assert projector.layout.shapes[0].line.width > normal.layout.shapes[0].line.width


def test_the_normal_light_look_leaves_a_figure_as_it_was_built():
    assert apply_look(loss_figure(), Look()).to_plotly_json() == loss_figure().to_plotly_json()


def contrast(foreground: str, background: str) -> float:
    """WCAG contrast ratio of two #rrggbb colours."""

    def luminance(colour):
        channels = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)]) / 255
        linear = np.where(channels <= 0.03928, channels / 12.92, ((channels + 0.055) / 1.055) ** 2.4)
        return float(linear @ [0.2126, 0.7152, 0.0722])

    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_dark_look_has_a_dark_background_light_text_and_lines_that_stand_out():
    look = Look(dark=True)
    figure = apply_look(loss_figure(), look)
    assert figure.layout.paper_bgcolor == figure.layout.plot_bgcolor == look.background
    assert contrast(figure.layout.font.color, look.background) > 7
    training = next(trace for trace in figure.data if trace.name == "training")
    assert training.line.color != TRAIN_COLOUR
    for trace in figure.data:
        assert contrast(trace.line.color, look.background) >= 4.5, trace.name


def test_a_note_on_a_dark_chart_gets_a_dark_box():
    landscape = line_fit.loss_landscape(
        np.ones((4, 4)), np.arange(4.0), np.arange(4.0), np.zeros((3, 2)), np.zeros(2), "note"
    )
    assert "14, 17, 23" in apply_look(landscape, Look(dark=True)).layout.annotations[0].bgcolor


def test_every_chart_saves_a_png_at_projector_resolution():
    options = chart_config("lab_loss_chart")["toImageButtonOptions"]
    assert (options["width"], options["height"], options["format"]) == (EXPORT_WIDTH, EXPORT_HEIGHT, "png")
    assert (EXPORT_WIDTH, EXPORT_HEIGHT) == (1920, 1080) and options["filename"] == "lab_loss_chart"


def test_an_epoch_mark_stays_readable_over_a_curve_in_either_look():
    """The "best held-out" label sits in the plot, where a curve can run under it: it has a backdrop of the
    chart's own background, light on a light chart, dark on a dark one."""
    light = loss_figure().layout.annotations[0]
    dark = apply_look(loss_figure(), Look(dark=True)).layout.annotations[0]
    assert light.text.startswith("best held-out") and "255, 255, 255" in light.bgcolor
    assert "14, 17, 23" in dark.bgcolor


def test_maps_side_by_side_keep_their_plots_level_in_projector_mode_when_one_title_is_long():
    """The rules page's two maps: a long title went on two lines and pushed its plot below its neighbour's."""

    axis = np.linspace(0, 1, 5)
    short = rule_charts.decision_map(axis, axis, np.ones((5, 5)), "Your rule: 86 of 120 right")
    long = rule_charts.decision_map(axis, axis, np.ones((5, 5)), "The model after 100 epochs: 118 of 120 right")
    short, long = (apply_look(figure, Look(projector=True)) for figure in (short, long))
    assert short.layout.title.text == "Your rule:<br>86 of 120 right"
    assert (short.layout.margin.t, short.layout.height) == (long.layout.margin.t, long.layout.height)
    alone = apply_look(rule_charts.decision_map(axis, axis, None, "Your rule: 86", legend=True), Look(projector=True))
    assert "<br>" not in alone.layout.title.text


def test_projector_mode_keeps_a_bands_edges_unseen():
    """A seed band's edges have no line (width 0); projector mode drew them as thick lines in Plotly's own colours,
    so the training range showed as an orange line, the held-out mean's colour."""
    from ui.charts import bands

    figure = go.Figure()
    bands.add_band(figure, "training", TRAIN_COLOUR, (np.full(10, 0.7), np.full(10, 0.5), np.full(10, 1.0)))
    edges = [trace for trace in figure.data if trace.line.width == 0]
    assert edges
    apply_look(figure, Look(dark=True, projector=True))
    assert all(trace.line.width == 0 for trace in edges)


def test_far_applicants_labels_stand_on_a_light_backdrop_in_every_look_and_turn_inward_at_the_edges():
    axis = np.linspace(0, 300, 31)
    figure = rule_charts.decision_map(axis, axis, np.full((31, 31), 0.5), "map")
    rule_charts.add_far_applicants(figure, [5, 150, 290], [10, 90, 130], ["5 / 10", "150 / 90", "290 / 130"])
    dark = apply_look(figure, Look(dark=True)).layout.annotations
    labels = {note.text: note for note in dark}
    assert [labels[text].xanchor for text in ("5 / 10", "150 / 90", "290 / 130")] == ["left", "center", "right"]
    assert all(note.bgcolor == style.LABEL_BACKDROP and note.font.color == "#222222" for note in labels.values())


def test_a_formula_is_kept_whole_on_a_line():
    text = look.formula_text("∂L/∂w = 0.5; b ← 1.000 − 0.5 · 0.25")
    assert "/\u2060∂" in text and "b\u00a0←\u00a01.000" in text


def test_a_title_too_long_for_a_laptops_chart_goes_on_two_lines_with_room_for_them():
    long = "Nauwkeurigheid tijdens het trainen: trainingsdata en testdata"  # 61 characters: cut at 1280 pixels
    figure = go.Figure(layout={"title": {"text": long}, "height": 420, "margin": {"t": 50}})
    layout = apply_look(figure, Look()).layout
    assert layout.title.text == "Nauwkeurigheid tijdens het trainen:<br>trainingsdata en testdata"
    assert layout.margin.t > 50 and layout.height - layout.margin.t == 420 - 50, "the plot keeps its height"
    short = apply_look(go.Figure(layout={"title": {"text": "Loss"}}), Look()).layout
    assert short.title.text == "Loss"


def test_a_wrapping_rows_style_gives_each_place_its_share_and_least_width_and_hides_its_own_box():
    css = look._row_style("row-lab_halves", [1, 2.7], [180, 360])
    assert ".st-key-row-lab_halves-0){flex:1 1 0% !important;min-width:min(180px,100%)" in css
    assert ".st-key-row-lab_halves-1){flex:2.7 1 0% !important;min-width:min(360px,100%)" in css
    # not style alone, which Streamlit would send to its event container, where a live panel's reruns write over it
    assert css.endswith(f'<span class="{look._STYLE_CARRIER}"></span>') and "{display:none}" in css


def test_a_wrapping_row_refuses_a_key_that_cannot_be_part_of_a_css_class():
    with pytest.raises(ValueError, match="CSS class"):
        look.wrapping_row(2, "two words")
