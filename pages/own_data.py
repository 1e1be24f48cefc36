"""Lesson: Your own data. A CSV of your own, checked and explained in plain words, trained live with the lab's
charts, and judged per class and per group of a column you choose."""

from pathlib import Path

import streamlit as st

from core.engine.classifier import LabConfig, TrainingRun
from core.lessons import data_quality, own_data
from ui import live, widgets
from ui.charts import curves, groups

SAMPLE_FOLDER = Path(__file__).resolve().parents[1] / "sample_data"
SAMPLES = {
    "loan_repayment.csv": "Past loans: did the applicant repay? Few applicants come from the countryside.",
    "customer_churn.csv": "Phone customers: did they leave? A clean, balanced table.",
}
LEARNING_RATES = (1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1)
NO_GROUP = "(none)"
DEFAULTS = {
    "dq_seed": 0,
    "dq_upload_noise": 0,
    "dq_upload_size": 100,
    "dq_upload_lr": 1e-3,
    "dq_upload_epochs": 100,
    "dq_upload_drop_missing": False,
}

st.title("Your own data")
st.markdown(
    "Train a real network on a table of your own and look at its results **per class and per group**, not only "
    "the average: the same checks as the digit scenarios of *Data quality and bias*, on data you know."
)
for widget_key, default in DEFAULTS.items():
    st.session_state[widget_key] = st.session_state.get(widget_key, default)  # kept while a widget is hidden


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
    result = own_data.read_table(uploaded.getvalue(), uploaded.name)
    state["dq_upload_problems"] = (uploaded.name, result.problems)
    if result.table is not None:
        state["dq_upload_table"] = result.table
        state["dq_upload_label"] = own_data.guess_label_column(result.table)
        state.pop("dq_upload_group", None)


def sample_downloads() -> None:
    st.markdown("**No file at hand?** Download an example, then upload it:")
    for filename, about in SAMPLES.items():
        st.download_button(
            f"Download {filename}",
            (SAMPLE_FOLDER / filename).read_bytes(),
            file_name=filename,
            mime="text/csv",
            key=f"dq_download_{filename}",
            icon=":material/download:",
        )
        st.caption(about)


def table_choices(table) -> str | None:
    """Label and group columns; returns the chosen group column or None."""
    columns = list(table.frame.columns)
    if st.session_state.get("dq_upload_label") not in columns:
        st.session_state["dq_upload_label"] = own_data.guess_label_column(table)
    label = st.selectbox("Label column (what the model should predict)", columns, key="dq_upload_label")
    group_choices = [NO_GROUP, *own_data.group_column_choices(table, label)]
    if st.session_state.get("dq_upload_group") not in group_choices:
        st.session_state["dq_upload_group"] = next(
            (name for name in group_choices if name in table.text_columns), NO_GROUP
        )
    group = st.selectbox(
        "Show results per group of",
        group_choices,
        key="dq_upload_group",
        help="A column with a few values, such as a region: accuracy is shown for each value.",
    )
    return None if group == NO_GROUP else group


def upload_controls() -> None:
    st.slider(
        "Wrong labels (label noise)",
        0,
        50,
        step=5,
        format="%d%%",
        key="dq_upload_noise",
        help="This share of training labels is changed to a different class. The held-out part stays clean.",
    )
    st.slider("Training-set size", 5, 100, step=5, format="%d%%", key="dq_upload_size")
    widgets.learning_rate_slider("dq_upload_lr", LEARNING_RATES)
    st.slider("Epochs", 10, 500, step=10, key="dq_upload_epochs")
    widgets.seed_input("dq_seed")


def start_upload_run(prepared: own_data.Prepared, group: str | None) -> None:
    state, dataset = st.session_state, prepared.dataset
    size = max(round(len(dataset.y_train) * state.dq_upload_size / 100), dataset.num_classes)
    config = LabConfig(
        dataset=dataset.name,
        learning_rate=float(state.dq_upload_lr),
        epochs=int(state.dq_upload_epochs),
        label_noise=state.dq_upload_noise / 100,
        train_size=size,
        hidden=(64,),
        seed=int(state.dq_seed),
    )
    state["dq_upload_groups"] = (group, prepared.held_out_groups)
    live.start(state, "dq_upload", TrainingRun(config, dataset))


def prepared_upload(table, group: str | None) -> own_data.Prepared:
    state = st.session_state
    prepared = own_data.prepare_training_data(table, state.dq_upload_label, state.dq_upload_drop_missing, group)
    if prepared.rows_with_missing:
        st.checkbox(f"Drop the {prepared.rows_with_missing} rows with missing values", key="dq_upload_drop_missing")
    show(own_data.preparation_readings(prepared))
    return prepared


def upload_section() -> None:
    upload, examples = st.columns([2, 1], gap="large")
    with upload:
        st.markdown(
            "Upload a **CSV** file: one row per example, **numeric** columns as inputs and one **label** "
            f"column with the answer (2 to {own_data.MAX_CLASSES} classes). Up to {own_data.MAX_UPLOAD_MB} MB, "
            f"{own_data.MAX_ROWS:,} rows and {own_data.MAX_COLUMNS} columns. Your file stays in this session."
        )
        receive_upload(st.file_uploader("Upload a CSV file", key="dq_upload_file"))
        file_problems()
    with examples:
        sample_downloads()
    controls, results = st.columns([1, 2.7], gap="large")
    with controls:
        upload_status_and_training()
    with results:
        live.panel("dq_upload", draw_upload)


def file_problems() -> None:
    """What is wrong with the last file uploaded, if anything; the last good file stays in use."""
    name, problems = st.session_state.get("dq_upload_problems", ("", ()))
    table = st.session_state.get("dq_upload_table")
    show(own_data.file_readings(name, problems, None if table is None else table.name))


def upload_status_and_training() -> None:
    table = st.session_state.get("dq_upload_table")
    if table is None:
        return
    show([own_data.table_summary(table)])
    group = table_choices(table)
    prepared = prepared_upload(table, group)
    if prepared.dataset is None:
        return
    upload_controls()
    widgets.train_and_stop_buttons("dq_upload", lambda: start_upload_run(prepared, group))


def draw_upload(run) -> None:
    if run is None:
        st.info("Upload a file (or one of the examples above), choose the label column and press **Train**.")
        return
    history = run.history()
    live.progress(run)
    if not history.epochs_done:
        return
    total = run.config.epochs
    cells = st.columns(3)
    cells[0].metric("Training accuracy", f"{history.train_accuracy[-1]:.1%}")
    cells[1].metric("Held-out accuracy", f"{history.test_accuracy[-1]:.1%}")
    cells[2].metric("Gap", f"{100 * history.generalization_gap_accuracy[-1]:.1f} pts")
    predictions = run.predict_proba(run.dataset.x_test).argmax(axis=1)
    draw_upload_groups(run, predictions)
    result = data_quality.judge(run.dataset.y_test, predictions, run.dataset.num_classes)
    st.plotly_chart(
        groups.accuracy_bars(
            run.dataset.class_names, {"held-out": result.per_class}, "Held-out recall per class", "class"
        ),
        key="dq_upload_class_chart",
    )
    st.plotly_chart(
        curves.loss_curves(history.train_loss, history.test_loss, total, history.best_epoch()),
        key="dq_upload_loss_chart",
    )
    st.plotly_chart(curves.accuracy_curves(history.metrics, total), key="dq_upload_accuracy_chart")
    st.plotly_chart(
        curves.generalization_gap(history.generalization_gap_accuracy, history.generalization_gap_loss, total),
        key="dq_upload_gap_chart",
    )


def draw_upload_groups(run, predictions) -> None:
    """Accuracy, and recall of each class, for every value of the chosen group column (held-out rows only)."""
    group, held_out_groups = st.session_state.get("dq_upload_groups", (None, None))
    if group is None or held_out_groups is None:
        return
    by_group = data_quality.judge_by_group(run.dataset.y_test, predictions, held_out_groups, run.dataset.num_classes)
    names, results = list(by_group), list(by_group.values())
    series = {"accuracy": [result.accuracy for result in results]}
    for index, class_name in enumerate(run.dataset.class_names[:4]):
        series[f"recall of '{class_name}'"] = [result.per_class[index] for result in results]
    show([own_data.group_reading(group, by_group, run.dataset.class_names)])
    st.plotly_chart(
        groups.accuracy_bars(names, series, f"Held-out results per {group}", group), key="dq_upload_group_chart"
    )
    st.caption(own_data.held_out_rows_per_group(held_out_groups))


upload_section()

st.divider()
st.markdown(
    "**Takeaway.** A model can only be as accurate and as fair as the table it learned from: look at its results "
    "per class and per group before trusting the average."
)
