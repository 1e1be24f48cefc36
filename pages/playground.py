"""Lesson: Playground. A small network learns a 2-D pattern; watch what it predicts everywhere, live."""

from decimal import Decimal

import numpy as np
import streamlit as st

from core.engine.classifier import TrainingRun
from core.engine.data import class_labels, dataset_label
from core.engine.models import ACTIVATIONS, MAX_DEPTH
from core.engine.train import BATCH_SIZES
from core.i18n import number, percent, tr, tr_later
from core.lessons.memorize import read_run
from core.lessons.playground import (
    DATASETS,
    EPOCH_BUDGETS,
    LEARNING_RATES,
    NEURONS,
    NOISE_LEVELS,
    PAGE_DEFAULTS,
    POINT_COUNTS,
    REGULARIZATIONS,
    STRENGTHS,
    PlaygroundConfig,
    plane_view,
    start_run,
)
from ui import links, live, live_view, look, pins, widgets
from ui.charts import curves, plane, style
from ui.sweeps import banded_chart, luck_and_sweep
from ui.tasks import task_panel

# The browser animates the live view, so each redraw is cheap for the server: short ticks. Training is paced
# to what a learner can follow (300 epochs in 2 s), however fast the model trains.
TICK_SECONDS = 0.3
# The plane's figure: its square plot as large as the live view's in the same column (static/live_view.js: the
# column's width less 90 pixels, at most about 480), so that the picture keeps its size when a run ends and Plotly
# takes over: about 440 pixels where it has the results' whole width (at 1280), 320 beside the loss chart (at 1600).
# With no legend under it, the figure is about as high as the live view's canvas (560), so the caption stays put too.
PLANE_HEIGHT = 565
NARROW_TITLE_CHARACTERS = 30  # the loss chart shares the page with the decision map
EPOCHS_PER_SECOND = 150
TRAINING_SHARE = 0.6
DEFAULTS = {**PAGE_DEFAULTS, "play_seed": 0}
# What each dataset looks like (shown with tr(...)).
DATASET_NOTES = {
    "spirals": tr_later("two interleaved spirals"),
    "moons": tr_later("two interlocking half circles"),
    "circles": tr_later("a disc inside a ring"),
    "xor": tr_later("four quadrants, opposite ones alike"),
    "gaussians": tr_later("three blobs: three classes"),
}
REGULARIZATION_LABELS = {"none": tr_later("none")}  # L1 and L2 are called the same in every language

st.title(tr("Playground: watch a network draw its boundary"))
st.markdown(
    tr(
        "A network with two inputs (the coordinates of a point) learns which class each point belongs to. The "
        "background shows **what it predicts at every place in the plane**, and it changes live as the network "
        "trains. Points with a black outline are **held out**: the network never trains on them, so they show how "
        "well it does on new data."
    )
)


def strength_text(value: float) -> str:
    """A regularization strength as written (0.0001, 0.03, 1), with the language's decimal mark."""
    return number(value, len(f"{value:g}".partition(".")[2]))


def loss_text(value: float) -> str:
    """Three decimals in the learner's language, rounded as f"{value:.3f}" rounds them."""
    return number(Decimal(float(value)), 3) if np.isfinite(value) else f"{value:.3f}"


def accuracy_text(value: float) -> str:
    """A percentage with one decimal in the learner's language, rounded as f"{value:.1%}" rounds it."""
    return percent(Decimal(float(value) * 100).scaleb(-2), 1) if np.isfinite(value) else f"{value:.1%}"


def config_from_widgets() -> PlaygroundConfig:
    state = st.session_state
    return PlaygroundConfig(
        dataset=state.play_dataset,
        n_points=int(state.play_points),
        noise=float(state.play_noise),
        held_out_share=state.play_held_out / 100,
        hidden=(int(state.play_width),) * int(state.play_depth),
        activation=state.play_activation,
        learning_rate=float(state.play_lr),
        batch_size=int(state.play_batch),
        regularization=state.play_reg,
        regularization_strength=float(state.play_strength),
        optimizer=state.play_optimizer,
        epochs=int(state.play_epochs),
        seed=int(state.play_seed),
    )


def fresh_run(config: PlaygroundConfig) -> None:
    """An untrained run for these settings; it keeps playing if the last one was."""
    keep_playing = bool(st.session_state.get("play_running"))
    live.start(st.session_state, "play", start_run(config), running=keep_playing)
    st.session_state.play_config = config


for widget_key, default in DEFAULTS.items():
    st.session_state.setdefault(widget_key, default)
links.exercise_link("playground")
task_panel("play", lambda: st.session_state.update(play_running=True, play_config=None))  # a fresh run, playing

# The controls beside the results while both have room; on a narrow screen the results go below the controls.
controls, results = look.wrapping_row([1, 2.8], "play_halves", min_width=look.CONTROLS_AND_RESULTS, gap="large")
buttons = controls.container()  # filled below, once the settings are read: the buttons stay in view at the top
with controls:
    st.subheader(tr("Data"))
    st.selectbox(
        tr("Dataset"),
        DATASETS,
        format_func={name: dataset_label(name) for name in DATASETS}.get,  # labels in this run's language
        key="play_dataset",
        persist_state="session",
        help="; ".join(f"{dataset_label(name)}: {tr(note)}" for name, note in DATASET_NOTES.items()),
    )
    widgets.decimal_slider(tr("Noise"), NOISE_LEVELS, "play_noise", tr("How far points stray from the clean pattern."))
    points, held_out = look.columns(2, key="play_point_pair", min_width=100)
    points.select_slider(tr("Points"), POINT_COUNTS, key="play_points", persist_state="session")
    held_out.slider(
        tr("Held out"),
        10,
        50,
        step=10,
        format="%d%%",
        key="play_held_out",
        persist_state="session",
        help=tr("Share of the points kept aside to test on."),
    )
    st.subheader(tr("Network"))
    depth, width = look.columns(2, key="play_network_pair", min_width=100)
    depth.slider(
        tr("Hidden layers"),
        0,
        MAX_DEPTH,
        key="play_depth",
        persist_state="session",
        help=tr("0 hidden layers: the boundary can only be a straight line."),
    )
    width.select_slider(tr("Neurons per layer"), NEURONS, key="play_width", persist_state="session")
    st.selectbox(
        tr("Activation"),
        tuple(ACTIVATIONS),
        key="play_activation",
        persist_state="session",
        help=tr("The bend each neuron applies. 'linear' means no bend at all."),
    )
    st.subheader(tr("Training"))
    widgets.learning_rate_slider("play_lr", LEARNING_RATES)
    batch, epochs = look.columns(2, key="play_training_pair", min_width=100)
    batch.select_slider(
        tr("Batch size"), BATCH_SIZES, key="play_batch", persist_state="session", help=tr("Examples per update.")
    )
    epochs.select_slider(
        tr("Epochs"),
        EPOCH_BUDGETS,
        key="play_epochs",
        persist_state="session",
        help=tr("One epoch = one pass over every training point."),
    )
    st.radio(
        tr("Regularization"),
        REGULARIZATIONS,
        format_func={choice: tr(REGULARIZATION_LABELS.get(choice, choice)) for choice in REGULARIZATIONS}.get,
        key="play_reg",
        horizontal=True,
        persist_state="session",
        help=tr("L1 pulls every weight towards zero by a fixed amount; L2 by a share of its size."),
    )
    st.select_slider(
        tr("Regularization strength"),
        STRENGTHS,
        format_func={strength: strength_text(strength) for strength in STRENGTHS}.get,
        key="play_strength",
        persist_state="session",
        disabled=st.session_state.play_reg == "none",
    )
    widgets.optimizer_choice("play_optimizer")
    widgets.seed_input("play_seed")

try:
    config = config_from_widgets()
    if st.session_state.get("play_config") != config or "play_run" not in st.session_state:
        fresh_run(config)  # like the original playground: new settings start a new run
except ValueError as problem:
    buttons.error(tr("These settings cannot be trained: {problem}").format(problem=problem))
    st.stop()

play_button, pause_button = look.columns(2, where=buttons, key="play_buttons_top", min_width=80)
step_button, reset_button = look.columns(2, where=buttons, key="play_buttons_bottom", min_width=80)
if play_button.button(tr("Play"), type="primary", key="play_train", width="stretch"):
    if st.session_state.play_run.finished:
        fresh_run(config)
    live.resume(st.session_state, "play")
if pause_button.button(tr("Pause"), key="play_pause", width="stretch"):
    live.pause(st.session_state, "play")
if step_button.button(tr("Step"), key="play_step", width="stretch", help=tr("Train 10 more epochs, then pause.")):
    live.pause(st.session_state, "play")
    st.session_state.play_run.advance()
if reset_button.button(tr("Reset"), key="play_reset", width="stretch", help=tr("Back to an untrained network.")):
    live.stop(st.session_state, "play")
    fresh_run(config)


def draw(run: TrainingRun) -> None:
    history = run.history()
    live.progress(run)
    for level, text in read_run(history, run.config, class_labels(run.dataset)):
        getattr(st, level)(text)
    # the plane (square) beside the loss chart where both have room, else the loss chart under it
    boundary_column, curves_column = look.columns([1.25, 1], gap="medium", key="play_pictures", min_width=[330, 240])
    # While a run trains, the browser animates it; a paused or finished run gets Plotly figures with hover
    # and zoom.
    animate = live.is_running(st.session_state, "play") and history.epochs_done > 0
    with boundary_column:
        draw_boundary(run, history, animate)
    with curves_column:
        draw_metrics(history)
        if animate:
            live_view.loss_curves(
                "play_loss", *run_identity(), history.train_loss, history.test_loss, run.config.epochs, current_tick()
            )
        elif history.epochs_done:
            figure = curves.loss_curves(history.train_loss, history.test_loss, run.config.epochs, history.best_epoch())
            # a narrow column: a longer title (Dutch's) goes on two lines rather than off the chart
            title = style.fitted(tr("Loss: training vs held-out"), NARROW_TITLE_CHARACTERS)
            room = 30 if "<br>" in title else 0  # for the title's second line; the plot keeps its height
            layout = figure.layout
            figure.update_layout(
                height=layout.height + 20 + room, title={"text": title}, margin={"t": layout.margin.t + room}
            )
            banded_chart("play", run, figure, "loss", key="play_loss_chart")
        elif run.failure is None:
            st.info(tr("Press **Play** to train, or **Step** for ten epochs at a time. The loss curves appear here."))
    pins.tools("play", run, st.session_state.play_config)


def current_tick() -> float:
    return live.current_tick(st.session_state, "play", TICK_SECONDS)


def run_identity() -> tuple[int]:
    return (live.run_number(st.session_state, "play"),)


def draw_boundary(run: TrainingRun, history, animate: bool) -> None:
    # the live view draws the run's snapshots: only the points are needed from the plane then
    view = plane_view(run.dataset, run.data, None if animate else run)
    if animate:
        # Translators: the live view writes " 120 epochs" (the epoch shown) after this title.
        title = tr("What the network predicts after")
        live_view.plane("play_boundary", *run_identity(), view, run.snapshots, run.config.epochs, current_tick(), title)
    else:
        live_view.stopped("play_boundary")
        if view.probabilities is None:  # a run that blew up predicts nothing: the plane shows only its data
            title = tr("The data (the network blew up)")
        else:
            title = tr("What the network predicts after {epochs} epochs").format(epochs=history.epochs_done)
        # As the live view draws it: no colour scale beside the plane and no legend under it (in a column narrower
        # than the figure is high the legend stood far below the square); the caption says what both would.
        figure = plane.plane_figure(view, title, colour_scale=False, height=PLANE_HEIGHT, legend=False)
        look.chart(figure, key="play_boundary_chart")
    # while training the live view draws the background from its snapshots (the view here has no probabilities)
    explanation = plane_caption(len(view.class_names), background=animate or view.probabilities is not None)
    # the plane's only key: at full size and in the text's colour on a projector, where a grey caption is hard to read
    (st.markdown if look.current().projector else st.caption)(explanation)


def plane_caption(classes: int, background: bool) -> str:
    """What the plane's points and colours mean; nothing about a background that a run which blew up does not draw."""
    points = tr("Dots: training points, coloured by their class; outlined in black: held-out points.")
    if not background:
        return points
    if classes == 2:
        colours = tr("Background: the network's chance that a point there is class 1, blue 0%, white 50%, red 100%.")
    else:
        colours = tr("Background: the class the network predicts there, paler where it is less sure.")
    return f"{points} {colours}"


def draw_metrics(history) -> None:
    cells = look.metric_cells(2)  # the losses beside each other, the accuracies below them
    done = history.epochs_done
    cells[0].metric(tr("Training loss"), loss_text(history.train_loss[-1]) if done else "–")
    cells[1].metric(tr("Held-out loss"), loss_text(history.test_loss[-1]) if done else "–")
    cells = look.metric_cells(2)
    cells[0].metric(tr("Training accuracy"), accuracy_text(history.train_accuracy[-1]) if done else "–")
    cells[1].metric(tr("Held-out accuracy"), accuracy_text(history.test_accuracy[-1]) if done else "–")


with results:
    live.panel(
        "play", draw, train_tick=live.train_at_pace(EPOCHS_PER_SECOND, TRAINING_SHARE), tick_seconds=TICK_SECONDS
    )

luck_and_sweep("play", lambda: config_from_widgets().lab_config(), lambda: config_from_widgets().load())

st.divider()
st.markdown(
    tr(
        "**Takeaway.** Each hidden layer lets the network bend its boundary once more: with no hidden layer it can "
        "only draw a straight line, with enough neurons it can follow spirals. Too big a network or too little data "
        "and it bends around single training points; the held-out points and the held-out loss show when that "
        "happens."
    )
)
