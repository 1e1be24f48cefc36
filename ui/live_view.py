"""Live views drawn in the browser while a run trains: the decision boundary and curves on canvases.

Re-sending whole Plotly figures every redraw let the browser show about one picture a second. These views
stay mounted: each redraw sends only numbers (the model's real predictions after each recent chunk as
bytes, the curves so far), and the browser plays the epochs back smoothly between redraws
(static/live_view.js). When a run has finished, the pages draw Plotly figures again, with hover and zoom.
"""

from __future__ import annotations

import base64
import hashlib
import html
from pathlib import Path

import numpy as np
import streamlit as st
from babel.numbers import get_decimal_symbol

from core.i18n import locale, tr
from ui import look
from ui.charts import lm
from ui.charts.plane import CLASS_COLOURS, CLASS_TINTS
from ui.charts.style import FONT_SIZE, PREVIOUS_COLOUR, TEST_COLOUR, TRAIN_COLOUR, line_colour

# The view's code (static/live_view.js, 23 KB) is one of the app's static files, fetched once per page; each mount
# sends only this loader. Sent inline, the code went with every live view of every redraw: about 100 KB per redraw
# of the lab, for each learner of a class. The version in the address makes a browser fetch a changed file.
VIEW_CODE = Path(__file__).resolve().parents[1] / "static" / "live_view.js"
_LOADER = """const view = import(new URL("{address}", document.baseURI).href);

export default function (component) {
  let cleanUp = null;
  let unmounted = false;
  view.then((module) => {
    if (!unmounted) cleanUp = module.default(component);
  });
  return () => {
    unmounted = true;
    if (cleanUp) cleanUp();
  };
}
"""


def _view_address() -> str:
    """Where the server serves the view's code (Streamlit's static files, under the server's base path)."""
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    version = hashlib.sha256(VIEW_CODE.read_bytes()).hexdigest()[:12]
    return f"{'/' + base if base else ''}/app/static/{VIEW_CODE.name}?v={version}"


_COMPONENT = st.components.v2.component(
    "trainlab_live_view", js=_LOADER.replace("{address}", _view_address()), isolate_styles=True
)


def _probability_bytes(probabilities: np.ndarray) -> str:
    """(G*G, K) probabilities as one byte each (P(class 1) only for two classes), base64: ~5 KB a frame."""
    kept = probabilities[:, 1] if probabilities.shape[1] == 2 else probabilities
    return base64.b64encode(np.round(np.clip(kept, 0, 1) * 255).astype(np.uint8).tobytes()).decode()


def _points(x: np.ndarray, labels: np.ndarray) -> dict:
    """Points as bytes: (x1, x2) float32 pairs and one byte per label."""
    xy = np.ascontiguousarray(x[:, :2], dtype="<f4").tobytes()
    return {"xy": base64.b64encode(xy).decode(), "label": base64.b64encode(labels.astype(np.uint8).tobytes()).decode()}


def _new_snapshots(name: str, run_id: int, snapshots) -> list:
    """The snapshots this view has not been sent yet (the newest again if there is none), so a redraw
    carries only what the browser does not have."""
    sent_key = f"{name}_sent"
    sent_run, sent_epoch = st.session_state.get(sent_key, (None, -1))
    recent = list(snapshots)
    new = [s for s in recent if sent_run != run_id or s.epoch > sent_epoch] or recent[-1:]
    st.session_state[sent_key] = (run_id, recent[-1].epoch)
    return new


# A finished run's chart slot holds its live view and then its Plotly figure. Until the browser has drawn the figure
# (a learner's first finished run loads Plotly's script first, about 2 s, and Streamlit shows a grey placeholder
# meanwhile) the live view's last frame stays in its place; then the figure replaces it.
# Until then the chart's element lies invisible on top of the live view, at the live view's width, so that Plotly
# draws it at its real size.
UNTIL_DRAWN_CSS = """<style>
[class*="st-key-until-drawn-"] { position: relative; }
[class*="st-key-until-drawn-"]:not(:has(.js-plotly-plot))
  > :not([class*="st-key-live-"], :has([class*="st-key-live-"])) {
  position: absolute; top: 0; left: 0; width: 100%; visibility: hidden; }
[class*="st-key-until-drawn-"]:has(.js-plotly-plot) [class*="st-key-live-"] { display: none; }
</style>"""


def until_drawn(name: str):
    """A container for one chart slot: its live view (keyed live-..., or several in a container keyed so), then,
    once the run rests, its Plotly chart; the live view is shown until the chart has been drawn. The live view
    keeps its place (and its canvas) between the last training tick and the run at rest."""
    st.html(UNTIL_DRAWN_CSS)
    return st.container(key=f"until-drawn-{name}")


def stopped(name: str) -> None:
    """The view is no longer shown (the page draws its Plotly chart): the next live view starts afresh."""
    st.session_state.pop(f"{name}_sent", None)


def _look() -> dict:
    """The learner's look as the browser view draws it: text and grid colours, text and title sizes, and the words
    and decimal sign of the learner's language."""
    current = look.current()
    return {
        "ink": current.ink,
        "grid": current.grid,
        "fontSize": round(FONT_SIZE * current.font_scale),
        "titleSize": round((FONT_SIZE + 3) * current.title_scale),
        "decimal": get_decimal_symbol(locale()),
        "epochAxis": tr("epoch"),
    }


def _in_look(lines: list[dict]) -> list[dict]:
    """The lines in the learner's look: lighter colours on dark, thicker in projector mode."""
    current = look.current()
    return [
        line | {"colour": line_colour(line["colour"], current), "width": line["width"] * current.line_scale}
        for line in lines
    ]


def plane(name: str, run_id: int, view, snapshots, total_epochs: int, tick_seconds: float, title: str) -> None:
    """The class probabilities over the plane, moving from one recent snapshot to the next.

    `view` is a core.lessons.playground.PlaneView (the grid and the points); `snapshots` the run's recent
    (epoch, probabilities on the grid) pairs. The title is followed by the epochs shown ("... after 40 epochs")."""
    grid_size = len(view.grid.x1)
    data = {
        "kind": "plane",
        "name": name,
        "run": run_id,
        "tick": tick_seconds,
        "total": total_epochs,
        # the browser puts the epoch shown in place of {epochs}
        "title": tr("{title} {epochs} epochs").replace("{title}", title),
        "look": _look(),
        "keyframes": [
            {"epoch": s.epoch, "probabilities": _probability_bytes(s.probabilities)}
            for s in _new_snapshots(name, run_id, snapshots)
        ],
        "plane": {
            "size": grid_size,
            "classes": len(view.class_names),
            "bounds": [float(view.grid.x1[0]), float(view.grid.x1[-1])],
            "tints": list(CLASS_TINTS),
            "colours": list(CLASS_COLOURS),
            "train": _points(view.x_train, view.labels_given),
            "heldout": _points(view.x_test, view.y_test),
        },
    }
    _COMPONENT(key=f"live-{name}", data=data, height="content")


def _values(values) -> list:
    """Plain floats for JSON; NaN and infinity become gaps."""
    array = np.asarray(values, np.float64)
    return [round(float(v), 6) if np.isfinite(v) else None for v in array]


def series(name: str, colour: str, values, *, dashed: bool = False, previous: bool = False, steps=None) -> dict:
    """One line of a live curve chart; a `previous` line (the last run's) is drawn whole from the start. Without
    `steps` value i belongs to epoch (or step) i + 1; a series measured now and then gives the step of each value."""
    line = {"name": name, "colour": colour, "dash": dashed, "width": 2 if previous else 3, "previous": previous}
    return line | {"values": _values(values)} | ({} if steps is None else {"steps": [int(step) for step in steps]})


def curves(
    name: str,
    run_id: int,
    title: str,
    lines: list[dict],
    epochs_done: int,
    total_epochs: int,
    tick: float,
    *,
    log: bool = False,
    percent: bool = False,
    axis: str | None = None,
    legend: bool = True,
    height: int | None = None,
) -> None:
    """Per-epoch lines that grow smoothly up to the newest epoch; log scale, or shares from 0 to 100%. `axis` names
    the x axis where its unit is not the epoch (the fine-tuning lesson counts steps); without `legend` the canvas
    leaves the lines' names to a legend shared with other panels (shared_legend); `height` in pixels replaces the
    canvas's usual height."""
    data = {
        "height": height,
        "kind": "curves",
        "name": name,
        "run": run_id,
        "tick": tick,
        "total": total_epochs,
        "keyframes": [{"epoch": 0}, {"epoch": epochs_done}],
        "look": _look(),
        "curves": {
            "title": title,
            "log": log,
            "percent": percent,
            "range": [0, 1] if percent else None,
            "axis": axis,
            "legend": legend,
            "series": _in_look(lines),
        },
    }
    _COMPONENT(key=f"live-{name}", data=data, height="content")


def loss_curves(name: str, run_id: int, train_loss, test_loss, total_epochs: int, tick: float, previous=None):
    """Training and held-out loss per epoch on a log scale, with the last run's held-out loss."""
    lines = []
    if previous is not None and len(previous):
        lines.append(series(tr("previous run: held-out"), PREVIOUS_COLOUR, previous, dashed=True, previous=True))
    lines += [series(tr("training"), TRAIN_COLOUR, train_loss), series(tr("held-out"), TEST_COLOUR, test_loss)]
    curves(name, run_id, tr("Loss (log scale)"), lines, len(train_loss), total_epochs, tick, log=True)


STACKED_PANEL_HEIGHT = 340  # pixels: a fine-tuning loss panel at full width, one under the other (projector mode)


def shared_legend(lines: list[dict]) -> None:
    """One legend for panels that draw the same lines (each without its own): a sample of each line, then its
    name, in one row that wraps where the page is narrow."""
    current = look.current()
    entries = "".join(
        '<span style="display:inline-flex;align-items:center;gap:8px;margin-right:24px">'
        f'<span style="display:inline-block;width:28px;border-top:{line["width"]}px '
        f'{"dashed" if line["dash"] else "solid"} {line["colour"]}"></span>{html.escape(line["name"])}</span>'
        for line in _in_look(lines)
    )
    size = round(FONT_SIZE * current.font_scale)
    st.html(f'<div style="color:{current.ink};font-size:{size}px;line-height:1.6">{entries}</div>')


def fine_tuning_losses(run_id: int, history, total_steps: int, tick: float, previous=None) -> None:
    """The fine-tuning lesson's three loss panels (held-out house style, held-out general English, the training
    adverts), each with both models, growing step by step, under one legend; the last run's first panel in the
    first. Side by side, or in projector mode one under the other, at full width (three side by side left each a
    quarter of a projector's width: four-line titles over tiny plots)."""
    panels = (  # per panel: the steps its values were measured at (None: after every step), and each model's values
        (history.eval_steps, history.heldout_style),
        (history.eval_steps, history.heldout_general),
        (None, {model: lm.smoothed(losses) for model, losses in history.train_loss.items()}),
    )
    has_previous = previous is not None and np.ndim(previous) == 2 and previous.shape[1]
    names = {model: tr(lm.MODEL_NAMES[model]) for model in lm.MODEL_COLOURS}
    previous_line = series(tr("previous run (fine-tuned)"), PREVIOUS_COLOUR, [], dashed=True, previous=True)
    model_lines = [series(names[model], colour, []) for model, colour in lm.MODEL_COLOURS.items()]
    legend = ([previous_line] if has_previous else []) + model_lines
    stacked = look.current().projector
    if stacked:  # where the finished chart has its legend: above panels one under the other, else below them
        shared_legend(legend)
    steps_done = len(history.train_loss["fine_tuned"])
    places = look.columns(3, key="ft_live_loss_panels", min_width=150)  # side by side from 1024 pixels up
    for panel, (place, title, (steps, values)) in enumerate(zip(places, lm.FULL_TITLES, panels, strict=True)):
        lines = []
        if panel == 0 and has_previous:
            lines.append(
                series(
                    previous_line["name"], PREVIOUS_COLOUR, previous[1], dashed=True, previous=True, steps=previous[0]
                )
            )
        lines += [
            series(names[model], colour, values[model], steps=steps) for model, colour in lm.MODEL_COLOURS.items()
        ]
        with place:
            name, axis = f"ft_loss_{panel}", tr("training step")
            curves(
                name,
                run_id,
                tr(title),
                lines,
                steps_done,
                total_steps,
                tick,
                axis=axis,
                legend=False,
                height=STACKED_PANEL_HEIGHT if stacked else None,
            )
    if not stacked:
        shared_legend(legend)
