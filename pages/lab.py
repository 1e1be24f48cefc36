"""Lesson: Memorize or generalize? Train a real network live and watch it fit, generalize or memorize."""

import numpy as np
import streamlit as st

from core.engine.classifier import LabConfig, TrainingRun, training_code, training_data
from core.engine.data import DATASET_NAMES, dataset_label, load_dataset
from core.engine.models import WIDTHS
from core.i18n import percent, tr, tr_later
from core.lessons import memorize
from core.lessons.memorize import INPUT_NOISES, LEARNING_RATES, WEIGHT_DECAYS, decimal_text, read_run, short_number
from core.lessons.playground import plane_view
from ui import links, live, live_view, look, pins, widgets
from ui.charts import curves, images, plane, style
from ui.sweeps import banded_chart, luck_and_sweep
from ui.tasks import task_panel

# The browser animates the curves while the run trains, so a redraw costs the server little: most of each
# tick can train.
TRAINING_SHARE = 0.7
GRID_SIZE = 24  # mislabeled digits shown at once
# Least widths of a chart and of the note beside it, in pixels: on a projector or a narrow screen the note goes
# under its chart, where a quarter-wide note had broken its words.
NOTE_BESIDE_CHART = [400, 160]
DEFAULTS = {**memorize.PAGE_DEFAULTS, "lab_seed": 0}
# Shown through tr() by widgets.preset_buttons; the English names are also the buttons' keys.
PRESETS = {
    tr_later("Clean data"): {"lab_noise": 0, "lab_epochs": 100, "lab_lr": 1e-3, "lab_size": 100},
    tr_later("30% wrong labels, long training"): {"lab_noise": 30, "lab_epochs": 300, "lab_lr": 1e-3, "lab_size": 100},
    tr_later("Small training set"): {"lab_noise": 0, "lab_epochs": 300, "lab_lr": 1e-3, "lab_size": 10},
    tr_later("Learning rate far too high"): {"lab_noise": 0, "lab_epochs": 100, "lab_lr": 5.0, "lab_size": 100},
}

st.title(tr("Memorize or generalize?"))
st.markdown(
    tr(
        "A neural network learns by **adjusting its parameters to reduce its error on the training data**. "
        "But a low training error is not the goal: we want it to be right on examples it has **never seen**. "
        "Here a real network learns to read handwritten digits (or 2-D point patterns). Spoil the data with "
        "wrong labels or shrink it, press **Train**, and watch whether the model learns the pattern or memorizes "
        "its examples."
    )
)


def apply_preset(values: dict) -> None:
    st.session_state.update(values, lab_dataset="digits")
    live.start(st.session_state, "lab", TrainingRun(config_from_widgets()))


def config_from_widgets() -> LabConfig:
    state = st.session_state
    dataset = load_dataset(state.lab_dataset)
    size = round(len(dataset.y_train) * state.lab_size / 100)
    return LabConfig(
        dataset=state.lab_dataset,
        learning_rate=float(state.lab_lr),
        epochs=int(state.lab_epochs),
        label_noise=state.lab_noise / 100,
        train_size=max(size, 10),
        input_noise=float(state.lab_input_noise),
        hidden=(int(state.lab_width),) * int(state.lab_depth),
        weight_decay=float(state.lab_wd),
        optimizer=state.lab_optimizer,
        seed=int(state.lab_seed),
    )


for widget_key, default in DEFAULTS.items():
    st.session_state.setdefault(widget_key, default)  # widgets take their start values from here
links.exercise_link("memorize-or-generalize")

controls, results = look.wrapping_row([1, 2.7], "lab_halves", min_width=look.CONTROLS_AND_RESULTS, gap="large")
# Train on a row of its own: three buttons beside each other broke their words ("Tra/ine/n") on a projector.
run_button = controls.container()
stop_button, reset_button = look.wrapping_row(2, "lab_stop_reset", min_width=80, where=controls)
if run_button.button(tr("Train"), type="primary", key="lab_train", width="stretch"):
    try:
        live.start(st.session_state, "lab", TrainingRun(config_from_widgets()))
    except ValueError as problem:
        controls.error(tr("These settings cannot be trained: {problem}").format(problem=problem))
if stop_button.button(tr("Stop"), key="lab_stop", width="stretch"):
    live.stop(st.session_state, "lab")
if reset_button.button(tr("Reset"), key="lab_reset", width="stretch"):
    live.reset(st.session_state, "lab")

with controls:
    widgets.preset_buttons("lab", PRESETS, apply_preset)
    task_panel("lab", lambda: apply_preset({}))
    st.subheader(tr("Data"))
    st.selectbox(
        tr("Dataset"),
        DATASET_NAMES,
        format_func={name: dataset_label(name) for name in DATASET_NAMES}.get,  # built now: AppTest calls it later
        key="lab_dataset",
        persist_state="session",
        help=tr("digits: 8x8 handwritten digits, 10 classes. The others are 2-D point patterns."),
    )
    st.slider(
        tr("Wrong labels (label noise)"),
        0,
        100,
        step=5,
        format="%d%%",
        key="lab_noise",
        persist_state="session",
        help=tr("This share of training examples gets a different, wrong class. The held-out set stays clean."),
    )
    st.slider(
        tr("Training-set size"),
        5,
        100,
        step=5,
        format="%d%%",
        key="lab_size",
        persist_state="session",
        help=tr("Share of the training split used for training."),
    )
    widgets.decimal_slider(
        tr("Input noise"),
        INPUT_NOISES,
        "lab_input_noise",
        tr("Random noise added to the training inputs (pixels run from 0 to 1)."),
    )
    st.subheader(tr("Training"))
    widgets.learning_rate_slider("lab_lr", LEARNING_RATES)
    st.slider(
        tr("Epochs"),
        1,
        1000,
        key="lab_epochs",
        persist_state="session",
        help=tr("One epoch = one pass over every training example."),
    )
    with st.expander(tr("Model and optimizer")):
        st.select_slider(tr("Neurons per layer"), WIDTHS, key="lab_width", persist_state="session")
        st.slider(tr("Hidden layers"), 1, 3, key="lab_depth", persist_state="session")
        widgets.optimizer_choice("lab_optimizer")
        st.select_slider(
            tr("Weight decay"),
            WEIGHT_DECAYS,
            format_func=short_number,
            key="lab_wd",
            persist_state="session",
            help=tr("Pulls every parameter a little towards zero at each step."),
        )
        widgets.seed_input("lab_seed")


def draw_results(run: TrainingRun | None) -> None:
    if run is None:
        st.info(
            tr(
                "Choose settings on the left and press **Train**. Training runs live: the charts fill in epoch by "
                "epoch."
            )
        )
        draw_data_preview()
        return
    history, config = run.history(), run.config
    live.progress(run)
    pins.changed_since_the_run(config, config_from_widgets, tr("Train"))
    for level, text in read_run(history, config, run.dataset.class_names):
        getattr(st, level)(text)
    if history.epochs_done:
        draw_metrics(history, run)
        pins.tools("lab", run)
        draw_charts(history, run)


def draw_live_gap(history, number: int, total: int, tick: float) -> None:
    """The two gaps side by side, growing smoothly while the run trains."""
    accuracy_panel, loss_panel = st.container(key="live-lab_gap").columns(2)
    with accuracy_panel:
        gap = 100 * history.generalization_gap_accuracy
        line = live_view.series(tr("training − held-out"), style.GAP_COLOUR, gap)
        title = tr("Gap in accuracy (points)")
        live_view.curves("lab_gap_accuracy", number, title, [line], history.epochs_done, total, tick)
    with loss_panel:
        line = live_view.series(tr("held-out − training"), style.GAP_COLOUR, history.generalization_gap_loss)
        live_view.curves("lab_gap_loss", number, tr("Gap in loss"), [line], history.epochs_done, total, tick)


def accuracy_lines(history) -> list[dict]:
    lines = [
        live_view.series(tr("training (labels as given)"), style.TRAIN_COLOUR, history.train_accuracy),
        live_view.series(tr("held-out"), style.TEST_COLOUR, history.test_accuracy),
    ]
    if np.isfinite(history.memorized_share).any():
        memorized, still_right = history.memorized_share, history.mislabeled_true_share
        lines += [
            live_view.series(tr("wrong labels: memorized"), style.MEMORIZED_COLOUR, memorized, dashed=True),
            live_view.series(tr("wrong labels: still right"), style.TRUE_COLOUR, still_right, dashed=True),
        ]
    return lines


def draw_data_preview() -> None:
    """The first training examples as the model will see them, wrong labels included."""
    dataset, data = training_data(config_from_widgets())
    if dataset.image_shape is None:
        draw_plane(dataset, data, None)
        return
    st.subheader(tr("The training data, as the model will be told it"))
    rows = slice(0, min(GRID_SIZE, data.n_active))
    digits = dataset.x_train[data.source_rows[rows]]
    given, true = data.labels_given[rows], data.labels_true[rows]
    show_digit_grid(images.labelled_images_html(digits, dataset.image_shape, given, true, look.current().projector))
    st.caption(
        tr(
            "{examples} training examples, {wrong} of them with a wrong label "
            "({share}, framed red). The {held_out} held-out examples are all "
            "labelled correctly."
        ).format(
            examples=data.n_active,
            wrong=int(data.mislabeled.sum()),
            share=percent(data.realised_noise, 1),
            held_out=len(dataset.y_test),
        )
    )


def show_digit_grid(grid_html: str) -> None:
    st.html(images.DIGIT_GRID_CSS)
    st.markdown(grid_html, unsafe_allow_html=True)  # st.html would strip the SVG; every label in it is escaped


def draw_metrics(history, run) -> None:
    cells = look.metric_cells(4)
    cells[0].metric(
        tr("Training accuracy"),
        percent(history.train_accuracy[-1], 1),
        help=tr("On the labels as given, wrong ones included."),
    )
    cells[1].metric(
        tr("Held-out accuracy"),
        percent(history.test_accuracy[-1], 1),
        help=tr("On clean examples the model never trained on."),
    )
    cells[2].metric(
        tr("Gap"),
        tr("{points} pts").format(points=decimal_text(100 * history.generalization_gap_accuracy[-1], 1)),
        help=tr("Training minus held-out accuracy."),
    )
    memorized = history.memorized_share[-1]
    cells[3].metric(
        tr("Memorized"),
        "–" if memorized != memorized else percent(memorized),
        help=tr(
            "Share of the wrongly labelled training examples the model now answers with the wrong label "
            "(– when no label is wrong)."
        ),
    )


def draw_charts(history, run) -> None:
    total, best = run.config.epochs, history.best_epoch()
    previous = st.session_state.get("lab_previous")
    # While the run trains the browser animates its curves; a finished or stopped run gets Plotly figures with
    # hover and zoom, its live view kept in their place until the browser has drawn them (ui.live_view.until_drawn).
    animate = live.is_running(st.session_state, "lab")
    number, tick = live.run_number(st.session_state, "lab"), live.current_tick(st.session_state, "lab")
    chart, note = look.columns([3, 1], key="lab_loss_row", min_width=NOTE_BESIDE_CHART)
    with chart, live_view.until_drawn("lab_loss"):
        live_view.loss_curves("lab_loss", number, history.train_loss, history.test_loss, total, tick, previous)
        if not animate:
            figure = curves.loss_curves(history.train_loss, history.test_loss, total, best, previous)
            banded_chart("lab", run, figure, "loss", key="lab_loss_chart")
    note.markdown(
        tr(
            "**Loss** is the model's error. Training lowers it on the **training data** (blue). The **held-out** "
            "data (orange) is never trained on: it shows how the model does on new examples. Where orange turns "
            "up while blue keeps falling, the model starts to memorize. The dotted line marks the epoch where "
            "**stopping would have been best**."
        )
    )
    chart, note = look.columns([3, 1], key="lab_accuracy_row", min_width=NOTE_BESIDE_CHART)
    with chart, live_view.until_drawn("lab_accuracy"):
        title = tr("Accuracy, and what the model does with wrong labels")
        lines = accuracy_lines(history)
        live_view.curves("lab_accuracy", number, title, lines, history.epochs_done, total, tick, percent=True)
        if not animate:
            figure = curves.accuracy_curves(history.metrics, total, history.memorization_takeover_epoch())
            banded_chart("lab", run, figure, "accuracy", key="lab_accuracy_chart")
    note.markdown(
        tr(
            "A model can reach 100% on its training data **even when some labels are wrong**: it learns those "
            "examples by heart (red dashes). Green dashes are the wrongly labelled examples it still gets *right*, "
            "because it learned the real pattern. Held-out accuracy shows which of the two wins."
        )
    )
    chart, note = look.columns([3, 1], key="lab_gap_row", min_width=NOTE_BESIDE_CHART)
    with chart, live_view.until_drawn("lab_gap"):
        draw_live_gap(history, number, total, tick)
        if not animate:
            gap_accuracy, gap_loss = history.generalization_gap_accuracy, history.generalization_gap_loss
            look.chart(curves.generalization_gap(gap_accuracy, gap_loss, total), key="lab_gap_chart")
    note.markdown(
        tr(
            "The **generalization gap** is how much better the model does on data it has seen than on data it "
            "has not. A small gap means it learned something general; a growing gap means it is memorizing."
        )
    )
    if run.dataset.image_shape is None:
        draw_plane(run.dataset, history.data, run)
    draw_mislabeled(history, run, animate)


def draw_plane(dataset, data, run) -> None:
    """2-D data: the training points with the labels the model is given, and what the model predicts."""
    chart, note = look.columns([3, 1], key="lab_plane_row", min_width=NOTE_BESIDE_CHART)
    title = tr("The training points with the labels the model is given")
    look.chart(plane.plane_figure(plane_view(dataset, data, run), title), key="lab_plane_chart", where=chart)
    note.markdown(
        tr(
            "Each dot is a training example, coloured by the label the model is told: {wrong} "
            "of them carry a wrong label. Outlined dots are the clean held-out examples. The background shows "
            "which class the model predicts at each point: watch it bend around wrongly labelled dots as it "
            "memorizes."
        ).format(wrong=int(data.mislabeled.sum()))
    )


def draw_mislabeled(history, run, animate: bool) -> None:
    """While the run trains, as HTML (cheap to redraw every tick); at rest, a chart with a camera button, the HTML
    shown until the browser has drawn it."""
    data, dataset = history.data, run.dataset
    rows = data.mislabeled.nonzero()[0][:GRID_SIZE]
    if dataset.image_shape is None or len(rows) == 0:
        return
    st.subheader(tr("The mislabeled digits, and what the model says now"))
    digits = dataset.x_train[data.source_rows[rows]], dataset.image_shape
    labels = data.labels_given[rows], data.labels_true[rows], history.train_predictions[-1][rows]
    since = history.memorized_since()[rows]
    projector = look.current().projector
    with live_view.until_drawn("lab_mislabeled"):
        with st.container(key="live-lab_mislabeled"):
            show_digit_grid(images.mislabeled_grid_html(*digits, *labels, since, projector))
        if not animate:
            look.chart(images.mislabeled_grid(*digits, *labels, since, projector), key="lab_mislabeled_chart")
    st.caption(
        tr(
            "{shown} of {wrong} mislabeled training digits ({share} of "
            "the training set). **told**: the label it was given; **is**: what it really is; **says**: the model's "
            "answer now, and since which epoch it has said so. A red frame means the model has memorized the wrong "
            "label; green means it still sees the real digit."
        ).format(shown=len(rows), wrong=int(data.mislabeled.sum()), share=percent(data.realised_noise, 1))
    )


with results:
    live.panel("lab", draw_results, train_tick=live.train_for_share(TRAINING_SHARE))

luck_and_sweep("lab", config_from_widgets)

code_panel = st.expander(tr("The code that trains this model"), key="lab_code_open", on_change="rerun")
with code_panel:
    st.markdown(
        tr(
            "Each epoch shuffles the training examples, then for every minibatch it **predicts**, measures the "
            "**loss**, computes the **gradients** by backpropagation (`jax.grad`) and lets the optimizer **update** "
            "the parameters. Ten epochs run as one compiled block (`jax.lax.scan`), then the page redraws."
        )
    )
    if code_panel.open:  # highlighting the code cost the browser seconds on every first visit, opened or not
        st.code(training_code(), language="python")

st.divider()
st.markdown(
    tr(
        "**Takeaway.** Training only ever reduces the error on the training data. Whether the model is any good is "
        "decided on data it has not seen, and the quality of the training data decides how reliable it can become: "
        "given wrong labels and enough epochs, a network will learn the mistakes by heart."
    )
)
