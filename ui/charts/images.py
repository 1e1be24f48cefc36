"""Images tiled in one heatmap: the digits a model saw, with their labels and its answers."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from core.i18n import tr
from ui.charts.style import FONT_SIZE, MEMORIZED_COLOUR, TRUE_COLOUR, base_figure


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
    figure = base_figure("", "", "", height=40 + 125 * rows)
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
    since_epoch = tr("told {given} · is {true}<br>says <b>{says}</b> since {epoch}")
    now = tr("told {given} · is {true}<br>says <b>{says}</b>")
    captions = [
        (since_epoch if since else now).format(given=g, true=t, says=p, epoch=since)
        for g, t, p, since in zip(given, true, predicted, memorized_since)
    ]
    return image_grid(images, image_shape, captions, colours, np.where(memorized, 5, 2))


def labelled_images(images: np.ndarray, image_shape, given, true) -> go.Figure:
    """Training images with the label the model will be told; wrong labels framed red."""
    wrong = np.asarray(given) != np.asarray(true)
    wrong_label, right_label = tr("told <b>{given}</b> (is {true})"), tr("told <b>{given}</b>")
    captions = [(wrong_label if g != t else right_label).format(given=g, true=t) for g, t in zip(given, true)]
    return image_grid(
        images, image_shape, captions, np.where(wrong, MEMORIZED_COLOUR, "#777777"), np.where(wrong, 4, 1)
    )
