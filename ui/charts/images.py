"""Digits a model saw, with their labels and its answers: tiled in one Plotly heatmap beside a finished run's
charts (with a camera button), or as plain HTML before a run and while it trains: the lab's first view then needs
no Plotly at all (loading Plotly's 4.7 MB script cost a learner's browser seconds before the lab was ready), and a
training tick builds and draws no figure."""

from __future__ import annotations

from html import escape
from typing import NamedTuple

import numpy as np
import plotly.graph_objects as go

from core.i18n import tr
from ui.charts.style import FONT_SIZE, MEMORIZED_COLOUR, PROJECTOR_FONT_SCALE, TRUE_COLOUR, base_figure

GRID_WIDTH_PIXELS = 750  # about the width of a page's chart column on a 1600-pixel screen


def image_grid(
    images: np.ndarray, image_shape, captions, frame_colours, frame_widths, columns=8, caption_scale=1.0
) -> go.Figure:
    """Images tiled in one heatmap (one trace, fast to draw), each framed and captioned underneath (room for
    captions `caption_scale` times the usual size: projector mode enlarges them after the figure is built)."""
    rows = max(1, int(np.ceil(len(images) / columns)))
    height, width = image_shape
    caption_lines = max((caption.count("<br>") + 1 for caption in captions), default=1)
    pad = 1  # a blank column of cells between tiles
    label_rows = int(np.ceil(1 + 1.5 * caption_lines * caption_scale))  # cells under each tile for its caption
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
    cell_pixels = GRID_WIDTH_PIXELS / (columns * (width + pad))  # the tiles keep their shape: height follows width
    figure = base_figure("", "", "", height=40 + round(cell_pixels * rows * (height + label_rows)))
    figure.add_trace(go.Heatmap(z=canvas, colorscale="Greys", showscale=False, hoverinfo="skip"))
    # shapes and captions set in one go: add_shape/add_annotation validate the whole layout each call
    figure.update_layout(shapes=frames, annotations=labels, margin={"l": 10, "r": 10, "t": 10, "b": 10})
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False, autorange="reversed", scaleanchor="x")
    return figure


class Captioned(NamedTuple):
    """What a grid writes under each image, in which colour, and which images get the thick frame."""

    captions: list[str]
    colours: np.ndarray
    thick: np.ndarray


def mislabeled_captions(given, true, predicted, memorized_since) -> Captioned:
    """What each mislabeled image was told, what it is and what the model says (and since which epoch, once
    memorized); a thick red frame marks the memorized ones, green the ones it still gets right. Labels escaped."""
    memorized = np.asarray(memorized_since) > 0
    right = np.asarray(predicted) == np.asarray(true)
    colours = np.where(memorized, MEMORIZED_COLOUR, np.where(right, TRUE_COLOUR, "#777777"))
    since_epoch = tr("told {given} · is {true}<br>says <b>{says}</b><br>since {epoch}")
    now = tr("told {given} · is {true}<br>says <b>{says}</b>")
    captions = [
        (since_epoch if since else now).format(
            given=escape(str(g)), true=escape(str(t)), says=escape(str(p)), epoch=since
        )
        for g, t, p, since in zip(given, true, predicted, memorized_since)
    ]
    return Captioned(captions, colours, memorized)


def mislabeled_grid(
    images: np.ndarray, image_shape, given, true, predicted, memorized_since, projector: bool = False
) -> go.Figure:
    """The mislabeled images as a Plotly chart (a finished run's: hover, and a camera button for a PNG). In projector
    mode in rows of six, with room for the larger captions: in rows of eight they ran into each other."""
    captioned = mislabeled_captions(given, true, predicted, memorized_since)
    return image_grid(
        images,
        image_shape,
        captioned.captions,
        captioned.colours,
        np.where(captioned.thick, 5, 2),
        columns=6 if projector else 8,
        caption_scale=PROJECTOR_FONT_SCALE if projector else 1.0,
    )


def mislabeled_grid_html(images, image_shape, given, true, predicted, memorized_since, projector=False) -> str:
    """The same grid as HTML, for a run that is training: no Plotly figure to build and draw every tick."""
    captioned = mislabeled_captions(given, true, predicted, memorized_since)
    return digit_grid_html(images, image_shape, captioned, projector, thick_frame=0.5, thin_frame=0.25)


DIGIT_GRID_CSS = """<style>
.digit-grid { display: grid; grid-template-columns: repeat(8, minmax(0, 1fr)); gap: 0.9rem 0.6rem; max-width: 46rem;
  margin-bottom: 1rem; }
.digit-grid figure { margin: 0; text-align: center; }
.digit-grid svg { width: 100%; max-width: 5.5rem; display: block; margin: 0 auto 0.2rem; }
.digit-grid figcaption { font-size: 0.9rem; line-height: 1.25; white-space: nowrap; }
.digit-grid.projector { grid-template-columns: repeat(6, minmax(0, 1fr)); }  /* rows of eight ran together */
.digit-grid.projector figcaption { font-size: 1.15rem; }
</style>"""


def digit_svg(image: np.ndarray, image_shape, frame_colour: str, frame_width: float) -> str:
    """One image as an SVG of grey squares (ink dark on white, in either theme) inside a coloured frame."""
    height, width = image_shape
    pixels = np.clip(np.asarray(image, float).reshape(height, width), 0.0, 1.0)
    greys = np.round(255 * (1 - pixels)).astype(int)
    squares = "".join(  # one path per shade of grey keeps a digit's SVG under half a kilobyte
        f'<path d="{_unit_squares(greys == grey)}" fill="rgb({grey},{grey},{grey})"/>'
        for grey in np.unique(greys)
        if grey < 250  # white squares are the background already
    )
    inset = frame_width / 2
    return (
        f'<svg viewBox="-1 -1 {width + 2} {height + 2}" shape-rendering="crispEdges" role="img">'
        f'<rect x="{-1 + inset}" y="{-1 + inset}" width="{width + 2 - 2 * inset}" height="{height + 2 - 2 * inset}" '
        f'fill="#ffffff" stroke="{frame_colour}" stroke-width="{frame_width}"/>{squares}</svg>'
    )


def _unit_squares(where: np.ndarray) -> str:
    """An SVG path of a 1x1 square at every (row, column) where `where` is true."""
    return "".join(f"M{x} {y}h1v1h-1z" for y, x in zip(*np.nonzero(where)))


def labelled_images_html(images: np.ndarray, image_shape, given, true, projector: bool = False) -> str:
    """The training images with the label the model will be told, as HTML: wrong labels framed red and said."""
    wrong = np.asarray(given) != np.asarray(true)
    captions = [
        (tr("told <b>{given}</b><br>(is {true})") if w else tr("told <b>{given}</b>")).format(
            given=escape(str(g)), true=escape(str(t))
        )
        for g, t, w in zip(given, true, wrong)
    ]
    captioned = Captioned(captions, np.where(wrong, MEMORIZED_COLOUR, "#777777"), wrong)
    return digit_grid_html(images, image_shape, captioned, projector, thick_frame=0.45, thin_frame=0.15)


def digit_grid_html(images, image_shape, captioned: Captioned, projector: bool, thick_frame, thin_frame) -> str:
    """Images in rows of eight, each framed and captioned in its colour (frame widths in image pixels)."""
    figures = (
        f"<figure>{digit_svg(image, image_shape, colour, thick_frame if thick else thin_frame)}"
        f'<figcaption style="color:{colour}">{caption}</figcaption></figure>'
        for image, caption, colour, thick in zip(images, *captioned)
    )
    return f'<div class="digit-grid{" projector" if projector else ""}">{"".join(figures)}</div>'
