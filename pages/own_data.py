"""Lesson: Your own data. A CSV of your own, checked and explained in plain words, trained live with the lab's
charts, and judged per class and per group of a column you choose."""

from pathlib import Path

import streamlit as st

from core import i18n
from core.engine.classifier import LabConfig, TrainingRun
from core.i18n import number, percent, tr, tr_later, trn
from core.lessons import data_quality, own_data
from core.lessons.user_text import plotly_literal
from ui import links, live, look, pins, widgets
from ui.charts import curves, groups
from ui.sweeps import banded_chart, luck_and_sweep
from ui.tasks import task_panel

SAMPLE_FOLDER = Path(__file__).resolve().parents[1] / "sample_data"
SAMPLES = {  # file -> what it holds (shown with tr())
    "loan_repayment.csv": tr_later(
        "Past loans: did the applicant repay? Few applicants come from the countryside, where living costs (not in "
        "the file) are lower. Train, then leave out 'region' and train again: whom does the model fail?"
    ),
    "customer_churn.csv": tr_later("Phone customers: did they leave? A clean, balanced table."),
}
NO_GROUP = tr_later("(none)")  # the group choice's value; its label is tr(NO_GROUP)
ROLE_WORDS = {"input": tr_later("input"), "label": tr_later("label"), "ignored": tr_later("ignored")}
REASON_ROW_HEIGHT = 72  # pixels: two lines of a column's reason (Streamlit wraps text only in rows over 4 rem, 68)
# The server takes larger files than the page's limit so that the page can refuse them in words: the uploader's own
# "50MB per file" would contradict the limit the page states, so it is hidden.
UPLOADER_CSS = (
    '<style>.st-key-dq_upload_file [data-testid="stFileUploaderDropzoneInstructions"] span {display: none}</style>'
)
DEFAULTS = {
    "dq_seed": 0,
    "dq_upload_noise": 0,
    "dq_upload_size": 100,
    "dq_upload_lr": 1e-3,
    "dq_upload_epochs": 100,
    "dq_upload_drop_missing": False,
}

st.title(tr("Your own data"))
st.markdown(
    tr(
        "Train a real network on a table of your own and look at its results **per class and per group**, not only "
        "the average: the same checks as the digit scenarios of *Data quality and bias*, on data you know."
    )
)
for widget_key, default in DEFAULTS.items():
    st.session_state[widget_key] = st.session_state.get(widget_key, default)  # kept while a widget is hidden
links.exercise_link("own-data")
task_panel("dq_upload")  # the learner uploads the sample file and presses Train


def show(readings) -> None:
    """Each (kind, sentence) reading in its colour."""
    for kind, text in readings:
        getattr(st, kind)(text)


def receive_upload(uploaded) -> None:
    """Read a newly uploaded file once. A bad file is explained and leaves the last good table and run in place."""
    state = st.session_state
    if uploaded is None or uploaded.file_id == state.get("dq_upload_seen"):
        return
    state["dq_upload_seen"] = uploaded.file_id
    raw = uploaded.getvalue()
    with st.spinner(tr("Reading your file...")):
        result = own_data.read_table(raw, uploaded.name)
    state["dq_upload_problems"] = (uploaded.name, result.problems)
    state["dq_upload_language"] = i18n.language()
    if result.table is not None:
        state["dq_upload_table_id"] = uploaded.file_id
        state["dq_upload_raw"] = raw
        state["dq_upload_table"] = result.table
        state["dq_upload_number_style"] = result.table.number_style.style
        state["dq_upload_style_asked"] = None
        state["dq_upload_label"] = own_data.guess_label_column(result.table)
        for key in ("dq_upload_group", "dq_upload_left_out"):
            state.pop(key, None)


def reread_in_number_style() -> None:
    """The learner chose how the file writes its numbers: read it again that way."""
    state = st.session_state
    table = state["dq_upload_table"]
    result = own_data.read_table(state["dq_upload_raw"], table.name, state["dq_upload_number_style"])
    if result.table is not None:
        state["dq_upload_table"] = result.table
        state["dq_upload_style_asked"] = state["dq_upload_number_style"]
    else:
        state["dq_upload_problems"] = (table.name, result.problems)


def read_again_in_the_learners_language(uploaded) -> None:
    """How a file was read, and why one was refused, is written in the language of the moment it was read: after a
    switch of language the files are read again (the same way, the learner's choices kept) to speak the new one."""
    state = st.session_state
    if state.get("dq_upload_language", i18n.language()) == i18n.language():
        return
    state["dq_upload_language"] = i18n.language()
    table = state.get("dq_upload_table")
    if table is not None:
        again = own_data.read_table(state["dq_upload_raw"], table.name, state.get("dq_upload_style_asked"))
        state["dq_upload_table"] = again.table or table
    name, problems = state.get("dq_upload_problems", ("", ()))
    if not problems:
        return
    if table is not None and name == table.name and state.get("dq_upload_seen") == state.get("dq_upload_table_id"):
        raw, style = state["dq_upload_raw"], state.get("dq_upload_number_style")  # the file read another way
    elif uploaded is not None and uploaded.name == name:
        raw, style = uploaded.getvalue(), None
    else:
        return
    state["dq_upload_problems"] = (name, own_data.read_table(raw, name, style).problems)


def sample_downloads() -> None:
    st.markdown(tr("**No file at hand?** Download an example, then upload it:"))
    for filename, about in SAMPLES.items():
        st.download_button(
            tr("Download {filename}").format(filename=filename),
            (SAMPLE_FOLDER / filename).read_bytes(),
            file_name=filename,
            mime="text/csv",
            key=f"dq_download_{filename}",
            icon=":material/download:",
        )
        st.caption(tr(about))


def how_the_file_was_read(table) -> None:
    """The decisions the reader made, the first lines as in the file beside the same rows as read."""
    show([own_data.table_summary(table)])
    # labels made here, in the learner's language: a format_func may be called where no session's language is known
    styles = {style: tr(words) for style, (_, _, words) in own_data.NUMBER_STYLES.items()}
    st.radio(
        tr("Numbers in this file are written as"),
        list(styles),
        format_func=styles.get,
        key="dq_upload_number_style",
        horizontal=True,
        on_change=reread_in_number_style,
        help=tr("Decided from the cells that can only be read one way; change it if the preview shows wrong numbers."),
    )
    # one under the other: side by side, each half hid the columns of a table of six
    st.markdown(tr("**As in the file** (first lines)"))
    st.code("\n".join(table.preview_lines), language=None, wrap_lines=False)
    st.markdown(tr("**As read** (the same rows)"))
    numbers_right = {name: st.column_config.TextColumn(alignment="right") for name in table.numeric_columns}
    look.table(own_data.preview_as_read(table), hide_index=True, width="stretch", column_config=numbers_right)
    show(own_data.reading_notes(table))


def table_choices(table) -> str | None:
    """Label, left-out and group columns; returns the chosen group column or None."""
    state = st.session_state
    columns = list(table.frame.columns)
    if state.get("dq_upload_label") not in columns:
        state["dq_upload_label"] = own_data.guess_label_column(table)
    label = st.selectbox(tr("Label column (what the model should predict)"), columns, key="dq_upload_label")
    state["dq_upload_left_out"] = [
        name for name in state.get("dq_upload_left_out", []) if name in columns and name != label
    ]
    st.multiselect(
        tr("Leave out as inputs"),
        [name for name in columns if name != label],
        key="dq_upload_left_out",
        placeholder=tr("None: every column is an input"),  # Streamlit's own placeholder is English only
        help=tr("Columns the model should not learn from, such as one that gives the answer away."),
    )
    group_choices = [NO_GROUP, *own_data.group_column_choices(table, label)]
    no_group = tr(NO_GROUP)
    if state.get("dq_upload_group") not in group_choices:
        state["dq_upload_group"] = next((name for name in group_choices if name in table.text_columns), NO_GROUP)
    group = st.selectbox(
        tr("Show results per group of"),
        group_choices,
        format_func=lambda name: no_group if name == NO_GROUP else name,
        key="dq_upload_group",
        help=tr("A column with a few values, such as a region: accuracy is shown for each value."),
    )
    return None if group == NO_GROUP else group


def upload_controls() -> None:
    st.slider(
        tr("Wrong labels (label noise)"),
        0,
        50,
        step=5,
        format="%d%%",
        key="dq_upload_noise",
        help=tr("This share of training labels is changed to a different class. The held-out part stays clean."),
    )
    st.slider(tr("Training-set size"), 5, 100, step=5, format="%d%%", key="dq_upload_size")
    widgets.learning_rate_slider("dq_upload_lr", own_data.LEARNING_RATES)
    st.slider(tr("Epochs"), 10, 500, step=10, key="dq_upload_epochs")
    widgets.seed_input("dq_seed")


def data_choice() -> tuple:
    """What the current run must have been trained on to belong on screen: the file, its reading and columns."""
    state = st.session_state
    return (
        state.get("dq_upload_table_id"),
        state.get("dq_upload_number_style"),
        state.get("dq_upload_label"),
        tuple(state.get("dq_upload_left_out", ())),
        state.get("dq_upload_drop_missing"),
    )


def forget_a_run_of_other_data() -> None:
    """A run trained on another file, reading or choice of columns does not belong beside the new choice."""
    state = st.session_state
    if state.get("dq_upload_run") is not None and state.get("dq_upload_trained_on") != data_choice():
        live.reset(state, "dq_upload")


def upload_config(prepared: own_data.Prepared) -> LabConfig:
    state, dataset = st.session_state, prepared.dataset
    size = max(round(len(dataset.y_train) * state.dq_upload_size / 100), dataset.num_classes)
    return LabConfig(
        dataset=dataset.name,
        learning_rate=float(state.dq_upload_lr),
        epochs=int(state.dq_upload_epochs),
        label_noise=state.dq_upload_noise / 100,
        train_size=size,
        hidden=(64,),
        seed=int(state.dq_seed),
    )


def start_upload_run(prepared: own_data.Prepared) -> None:
    state, config = st.session_state, upload_config(prepared)
    state["dq_upload_trained_on"] = data_choice()
    state["dq_upload_settings"] = own_data.run_settings(
        config, state.dq_upload_table.name, state.dq_upload_label, state.dq_upload_left_out
    )
    state["dq_upload_prepared"] = prepared
    live.start(state, "dq_upload", TrainingRun(config, prepared.dataset))


def prepared_upload(table) -> own_data.Prepared:
    state = st.session_state
    prepared = own_data.prepare_training_data(
        table, state.dq_upload_label, state.dq_upload_drop_missing, left_out=tuple(state.dq_upload_left_out)
    )
    if prepared.rows_with_missing:
        st.checkbox(
            trn(
                "Drop the {count} row with missing values",
                "Drop the {count} rows with missing values",
                prepared.rows_with_missing,
            ).format(count=prepared.rows_with_missing),
            key="dq_upload_drop_missing",
        )
    return prepared


def column_roles(prepared: own_data.Prepared) -> None:
    """Every column's role and why: the inputs, the label and the ignored columns."""
    st.markdown(tr("**What the model learns from**"))
    look.table(
        {
            tr("column"): [role.name for role in prepared.roles],
            tr("used as"): [tr(ROLE_WORDS[role.role]) for role in prepared.roles],
            tr("why"): [role.reason for role in prepared.roles],
        },
        hide_index=True,
        width="stretch",
        height="content",  # every column in sight, not five and a scroll bar
        row_height=REASON_ROW_HEIGHT,  # the reason on two lines, where one was cut off at the table's edge
        column_config={
            tr("used as"): st.column_config.TextColumn(width=100),
            tr("why"): st.column_config.TextColumn(width="medium"),  # a set width wraps it; unset, it ran on
        },
    )


def upload_section() -> None:
    # the examples beside the upload while their file names fit on their buttons, else under it
    upload, examples = look.wrapping_row([2, 1], "own_upload", min_width=[300, 210], gap="large")
    with upload:
        st.markdown(
            tr(
                "Upload a **CSV** file: one row per example, columns of **numbers** or of a few **categories** as "
                "inputs and one **label** column with the answer (2 to {classes} classes). Up to {megabytes} MB, "
                "{rows} rows and {columns} columns. Your file stays in this session."
            ).format(
                classes=own_data.MAX_CLASSES,
                megabytes=own_data.MAX_UPLOAD_MB,
                rows=number(own_data.MAX_ROWS),
                columns=own_data.MAX_COLUMNS,
            )
        )
        st.html(UPLOADER_CSS)
        uploaded = st.file_uploader(
            tr("Upload a CSV file (up to {megabytes} MB)").format(megabytes=own_data.MAX_UPLOAD_MB),
            key="dq_upload_file",
        )
        receive_upload(uploaded)
        read_again_in_the_learners_language(uploaded)
        file_problems()
    with examples:
        sample_downloads()
    table = st.session_state.get("dq_upload_table")
    if table is not None:
        how_the_file_was_read(table)
    # on a projector the results take the whole width under the controls: beside them the charts had 440 pixels
    controls, results = look.columns([1, 2.7], gap="large", key="own_halves", min_width=look.CONTROLS_AND_RESULTS)
    with controls:
        prepared = upload_status_and_training(table)
    st.session_state["dq_upload_ready"] = prepared  # what the results side tells a learner with no run yet
    forget_a_run_of_other_data()
    with results:
        if prepared is not None and prepared.roles:
            column_roles(prepared)
        live.panel("dq_upload", draw_upload)
    if prepared is not None and prepared.dataset is not None:
        luck_and_sweep("dq_upload", lambda: upload_config(prepared), lambda: prepared.dataset)


def file_problems() -> None:
    """What is wrong with the last file uploaded, if anything; the last good file stays in use."""
    name, problems = st.session_state.get("dq_upload_problems", ("", ()))
    table = st.session_state.get("dq_upload_table")
    show(own_data.file_readings(name, problems, None if table is None else table.name))


def upload_status_and_training(table) -> own_data.Prepared | None:
    if table is None:
        return None
    table_choices(table)
    prepared = prepared_upload(table)
    show(own_data.preparation_readings(prepared))
    if prepared.dataset is None:
        return prepared
    upload_controls()
    widgets.train_and_stop_buttons("dq_upload", lambda: start_upload_run(prepared))
    return prepared


def draw_upload(run) -> None:
    if run is None:
        prepared = st.session_state.get("dq_upload_ready")
        if prepared is None:
            st.info(tr("Upload a file (or one of the examples above), choose the label column and press **Train**."))
        elif prepared.dataset is not None:  # else the problem on the left says what to do first
            st.info(tr("Check the label column on the left, then press **Train**: the results appear here."))
        return
    history = run.history()
    live.progress(run)
    if not history.epochs_done:
        return
    total = run.config.epochs
    cells = look.metric_cells(3)
    cells[0].metric(tr("Training accuracy"), percent(history.train_accuracy[-1], 1))
    cells[1].metric(tr("Held-out accuracy"), percent(history.test_accuracy[-1], 1))
    gap = number(100 * history.generalization_gap_accuracy[-1], 1)
    cells[2].metric(tr("Gap"), tr("{points} pts").format(points=gap))
    predictions = run.predict_proba(run.dataset.x_test).argmax(axis=1)
    pins.tools("dq_upload", run, st.session_state.get("dq_upload_settings"))
    draw_upload_groups(run, predictions)
    result = data_quality.judge(run.dataset.y_test, predictions, run.dataset.num_classes)
    look.chart(
        groups.accuracy_bars(
            [plotly_literal(name) for name in run.dataset.class_names],
            {tr("held-out"): result.per_class},
            tr("Held-out recall per class"),
            tr("class"),
        ),
        key="dq_upload_class_chart",
    )
    loss = curves.loss_curves(history.train_loss, history.test_loss, total, history.best_epoch())
    banded_chart("dq_upload", run, loss, "loss", key="dq_upload_loss_chart")
    banded_chart(
        "dq_upload", run, curves.accuracy_curves(history.metrics, total), "accuracy", key="dq_upload_accuracy_chart"
    )
    look.chart(
        curves.generalization_gap(history.generalization_gap_accuracy, history.generalization_gap_loss, total),
        key="dq_upload_gap_chart",
    )


def draw_upload_groups(run, predictions) -> None:
    """Accuracy, and recall of each class, for every value of the chosen group column (held-out rows only)."""
    state = st.session_state
    group, prepared, table = state.get("dq_upload_group"), state.get("dq_upload_prepared"), state.get("dq_upload_table")
    if group in (None, NO_GROUP) or prepared is None or table is None:
        return
    held_out_groups = own_data.held_out_groups(table, prepared.rows_used, prepared.held_out_rows, group)
    by_group = data_quality.judge_by_group(run.dataset.y_test, predictions, held_out_groups, run.dataset.num_classes)
    names, results = list(by_group), list(by_group.values())
    series = {tr("accuracy"): [result.accuracy for result in results]}
    for index, class_name in enumerate(run.dataset.class_names[:4]):
        recall = plotly_literal(tr("recall of '{name}'").format(name=class_name))
        series[recall] = [result.per_class[index] for result in results]
    show([own_data.group_reading(group, by_group, run.dataset.class_names)])
    look.chart(
        groups.accuracy_bars(
            [plotly_literal(name) for name in names],
            series,
            plotly_literal(tr("Held-out results per {group}").format(group=group), limit=90),
            plotly_literal(group),
        ),
        key="dq_upload_group_chart",
    )
    st.caption(own_data.held_out_rows_per_group(held_out_groups))


upload_section()

st.divider()
st.markdown(
    tr(
        "**Takeaway.** A model can only be as accurate and as fair as the table it learned from: look at its results "
        "per class and per group before trusting the average."
    )
)
