"""Lesson: Data quality and bias. One-sided, mislabeled, imbalanced, repetitive or shifted training data, trained
live, judged per group and per class; then the same on a CSV of your own."""

from pathlib import Path

import numpy as np
import streamlit as st

from core.engine.classifier import LabConfig, TrainingRun
from core.lessons import data_quality, own_data
from ui import live, widgets
from ui.charts import curves, groups, style

SAMPLE_FOLDER = Path(__file__).resolve().parents[1] / "sample_data"
SAMPLES = {
    "loan_repayment.csv": "Past loans: did the applicant repay? Few applicants come from the countryside.",
    "customer_churn.csv": "Phone customers: did they leave? A clean, balanced table.",
}
LEARNING_RATES = (1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1)
NO_GROUP = "(none)"
GROUP_COLOURS = (style.GAP_COLOUR, style.TRAIN_COLOUR, style.TEST_COLOUR)  # average, A, B; grey: previous run
DEFAULTS = {
    "dq_epochs": 50,
    "dq_seed": 0,
    "dq_group_share": 10,
    "dq_noise_share": 8,
    "dq_noise_where": "concentrated",
    "dq_rare_digit": 8,
    "dq_rare_kept": 5,
    "dq_distinct": 20,
    "dq_shift_split": "file",
    "dq_upload_noise": 0,
    "dq_upload_size": 100,
    "dq_upload_lr": 1e-3,
    "dq_upload_epochs": 100,
    "dq_upload_drop_missing": False,
}
SCENARIO_TITLES = {
    "groups": "Under-represented group",
    "noise": "Careless labels",
    "imbalance": "Rare class",
    "diversity": "Low diversity",
    "shift": "Distribution shift",
    "upload": "Your own data",
}
EXPLANATIONS = {
    "groups": "Two groups write the same digits differently: **group A** as usual, **group B** mirrored left to "
    "right (the label stays the same). Set how much of the training data comes from group B. The model is "
    "then judged on held-out data mixed like the training data, and on each group separately.",
    "noise": "Some training labels are wrong. Either the mistakes are **spread** at random over all digits, or one "
    f"**careless labeller** wrote '{data_quality.CARELESS_GIVEN}' on threes. Same share of wrong labels; compare "
    "what each does to the model, class by class.",
    "imbalance": "One digit is **rare** in the training data: only a share of its examples is kept, every other "
    "digit keeps all of its. The held-out set stays balanced. Watch that digit's recall: the share of "
    "its held-out examples the model recognises.",
    "diversity": "Every run trains on the **same number of examples** (1437). Here they are made of a few distinct "
    "digits copied many times, or of many different ones.",
    "shift": "How the held-out data is chosen changes what the test tells you. **Shuffled**: 360 digits picked at "
    "random, like the training data. **File order**: the last 360 digits of the file, written by "
    "different people than the training digits.",
}
TAKEAWAYS = {
    "groups": "An average over everyone can look fine while a group that was rare in the training data is served "
    "badly: look at results per group, and collect enough examples of every group.",
    "noise": "Random labelling mistakes mostly wash out, but the same number of systematic mistakes teaches the model "
    "the mistake itself: who labelled the data matters as much as how much of it is wrong.",
    "imbalance": "The class the model rarely saw in training is the class it misses in use, even while overall "
    "accuracy looks high.",
    "diversity": "More rows are not more information: a few examples copied many times teach the model no more than "
    "those few examples, however long it trains.",
    "shift": "A held-out set drawn like the training data flatters the model: test it on data gathered the way it will "
    "meet data in use (new people, places or dates).",
    "upload": "A model can only be as accurate and as fair as the table it learned from: look at its results per "
    "class and per group before trusting the average.",
}

st.title("Data quality and bias")
st.markdown(
    "*A model trained on one-sided sources carries a corresponding data_quality.* Here you can watch that happen: each "
    "scenario trains a real network on handwritten digits whose training data has **one flaw**, and then shows "
    "its results **per group and per class**, not only the average. Finally, try it on a spreadsheet of your own."
)
for widget_key, default in DEFAULTS.items():
    st.session_state[widget_key] = st.session_state.get(widget_key, default)  # kept while a widget is hidden
# dq_scenario is always shown, so it needs no default here, and one set here would hide the link's choice

scenario = st.radio(
    "Choose a data problem",
    list(SCENARIO_TITLES),
    format_func=SCENARIO_TITLES.get,
    horizontal=True,
    key="dq_scenario",
    bind="query-params",
)


# ---- the digit scenarios ----


def scenario_controls(key: str) -> None:
    """The slider(s) of one scenario; the values are read back from session state by build_scenario."""
    if key == "groups":
        st.slider(
            "Group B's share of the training data",
            0,
            50,
            step=5,
            format="%d%%",
            key="dq_group_share",
            help="0%: the model never sees a mirrored digit. 50%: both groups equally.",
        )
    elif key == "noise":
        st.slider(
            "Wrong training labels",
            0,
            10,
            format="%d%%",
            key="dq_noise_share",
            help="The share of all training labels that is wrong (about 10% of the digits are threes).",
        )
        st.radio(
            "Where the mistakes are",
            ("spread", "concentrated"),
            key="dq_noise_where",
            format_func={
                "spread": "spread over all digits",
                "concentrated": f"one careless labeller: threes marked '{data_quality.CARELESS_GIVEN}'",
            }.get,
        )
    elif key == "imbalance":
        st.selectbox("Rare digit", range(10), key="dq_rare_digit")
        st.slider("Share of its training examples kept", 0, 100, step=5, format="%d%%", key="dq_rare_kept")
    elif key == "diversity":
        st.select_slider(
            "Distinct training digits",
            data_quality.DIVERSITY_LEVELS,
            key="dq_distinct",
            help="Copied until there are 1437 training examples, the same number in every run.",
        )
    elif key == "shift":
        st.radio(
            "Held-out digits",
            ("shuffled", "file"),
            key="dq_shift_split",
            format_func={
                "shuffled": "picked at random (shuffled)",
                "file": "the last 360 in the file (other writers)",
            }.get,
        )
    st.slider("Epochs", 10, 200, step=10, key="dq_epochs", help="One epoch = one pass over every training example.")
    widgets.seed_input("dq_seed")


def build_scenario(key: str) -> data_quality.Scenario:
    state, seed = st.session_state, int(st.session_state.dq_seed)
    builders = {
        "groups": lambda: data_quality.make_group_scenario(state.dq_group_share / 100, seed),
        "noise": lambda: data_quality.make_label_noise_scenario(
            state.dq_noise_share / 100, state.dq_noise_where == "concentrated", seed
        ),
        "imbalance": lambda: data_quality.make_imbalance_scenario(
            int(state.dq_rare_digit), state.dq_rare_kept / 100, seed
        ),
        "diversity": lambda: data_quality.make_diversity_scenario(int(state.dq_distinct), seed),
        "shift": lambda: data_quality.make_shift_scenario(state.dq_shift_split == "file", seed),
    }
    return builders[key]()


def start_scenario(key: str) -> None:
    """Train a new run; the last one's results stay as grey bars to compare with."""
    prefix, state = f"dq_{key}", st.session_state
    previous = state.get(f"{prefix}_run")
    if previous is not None and previous.epochs_done:
        state[f"{prefix}_previous_results"] = data_quality.held_out_results(previous)
    live.start(state, prefix, data_quality.start_run(build_scenario(key), state.dq_epochs, state.dq_seed))


def train_buttons(prefix: str, on_train) -> None:
    train, stop = st.columns(2)
    if train.button("Train", type="primary", key=f"{prefix}_train", width="stretch"):
        on_train()
    if stop.button("Stop", key=f"{prefix}_stop", width="stretch"):
        live.stop(st.session_state, prefix)


def draw_scenario(key: str, run) -> None:
    if run is None:
        st.info("Set the slider on the left and press **Train**. The charts fill in while the network trains.")
        return
    history = run.history()
    live.progress(run)
    st.caption(run.scenario.description)
    if not history.epochs_done:
        return
    results = data_quality.held_out_results(run)
    previous = st.session_state.get(f"dq_{key}_previous_results")
    draw_reading(key, results)
    if key == "groups":
        draw_group_summary(results, previous)
    draw_per_class(key, results, previous, run.dataset.class_names)
    if key == "noise":
        confusion = results["held-out"].confusion
        st.plotly_chart(
            groups.confusion_heatmap(
                confusion, run.dataset.class_names, "Held-out digits: true digit vs the model's answer"
            ),
            key="dq_confusion_chart",
        )
    st.plotly_chart(accuracy_over_epochs(history, run.config.epochs), key=f"dq_{key}_accuracy_chart")


def accuracy_over_epochs(history, total_epochs: int):
    """The lab's accuracy chart; its title speaks of wrong labels only when there are some."""
    figure = curves.accuracy_curves(history.metrics, total_epochs)
    if not history.data.mislabeled.any():
        figure.update_layout(title_text="Accuracy while training: training data vs held-out data")
    return figure


def draw_reading(key: str, results: dict) -> None:
    """The numbers that matter, in one sentence."""
    if key == "groups":
        mixed, group_a, group_b = (
            results[name].accuracy for name in (data_quality.MIXED, data_quality.GROUP_A, data_quality.GROUP_B)
        )
        text = (
            f"Held-out accuracy on data mixed like the training data: **{mixed:.0%}**. Group A: **{group_a:.0%}**, "
            f"group B: **{group_b:.0%}**."
        )
        (st.warning if group_a - group_b > 0.05 else st.success)(text)
        return
    result = results["held-out"]
    worst = int(np.nanargmin(result.per_class))
    text = (
        f"Held-out accuracy **{result.accuracy:.0%}**; worst digit: **{worst}**, recognised "
        f"**{result.per_class[worst]:.0%}** of the time."
    )
    (st.warning if result.accuracy - result.per_class[worst] > 0.15 else st.success)(text)


def draw_group_summary(results: dict, previous: dict | None) -> None:
    names = list(results)
    figure = groups.accuracy_bars(
        names,
        {"this run": [results[name].accuracy for name in names]},
        "Held-out accuracy: the average and each group",
        "",
        previous=[previous[name].accuracy for name in names] if previous else None,
        category_colours=GROUP_COLOURS,
    )
    st.plotly_chart(figure, key="dq_group_chart")


def draw_per_class(key: str, results: dict, previous: dict | None, class_names) -> None:
    shown = {name: result.per_class for name, result in results.items() if name != data_quality.MIXED}
    single = len(shown) == 1
    series = {"this run" if single else name: values for name, values in shown.items()}
    earlier = previous["held-out"].per_class if previous and single else None
    figure = groups.accuracy_bars(
        class_names, series, "Held-out recall per digit: the share of each digit recognised", "digit", previous=earlier
    )
    st.plotly_chart(figure, key=f"dq_{key}_class_chart")


def scenario_section(key: str) -> None:
    controls, results = st.columns([1, 2.7], gap="large")
    with controls:
        st.markdown(EXPLANATIONS[key])
        scenario_controls(key)
        train_buttons(f"dq_{key}", lambda: start_scenario(key))
    with results:
        live.panel(f"dq_{key}", lambda run: draw_scenario(key, run))


# ---- your own data ----


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
    for problem in prepared.problems:
        (st.warning if problem.kind == "missing_values" else st.error)(problem.text)
    for note in prepared.notes:
        st.info(note.text)
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
    for problem in problems:
        st.error(f"**{name}** cannot be used. {problem.text}")
    table = st.session_state.get("dq_upload_table")
    if problems and table is not None:
        st.info(f"Still using your previous file, **{table.name}**.")


def upload_status_and_training() -> None:
    table = st.session_state.get("dq_upload_table")
    if table is None:
        return
    st.success(f"**{table.name}**: {len(table.frame)} rows, {len(table.frame.columns)} columns.")
    group = table_choices(table)
    prepared = prepared_upload(table, group)
    if prepared.dataset is None:
        return
    upload_controls()
    train_buttons("dq_upload", lambda: start_upload_run(prepared, group))


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
    st.plotly_chart(accuracy_over_epochs(history, total), key="dq_upload_accuracy_chart")
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
    counts = ", ".join(f"{name}: {int((held_out_groups == name).sum())}" for name in names)
    read_groups(group, names, results, run.dataset.class_names)
    st.plotly_chart(
        groups.accuracy_bars(names, series, f"Held-out results per {group}", group), key="dq_upload_group_chart"
    )
    st.caption(f"Held-out rows per group: {counts}. Recall of a class: the share of its rows the model got right.")


def read_groups(group: str, names, results, class_names) -> None:
    """One sentence: the best and the worst served group, and the class the worst group loses most."""
    accuracies = [result.accuracy for result in results]
    best, worst = int(np.argmax(accuracies)), int(np.argmin(accuracies))
    recall = results[worst].per_class
    missed = int(np.nanargmin(recall))
    text = (
        f"Held-out accuracy per {group}: **{names[best]} {accuracies[best]:.0%}**, **{names[worst]} "
        f"{accuracies[worst]:.0%}**. Of the {names[worst]} rows whose answer is '{class_names[missed]}', the "
        f"model gets **{recall[missed]:.0%}** right."
    )
    (st.warning if accuracies[best] - accuracies[worst] > 0.05 else st.success)(text)


if scenario == "upload":
    upload_section()
else:
    scenario_section(scenario)

st.divider()
st.markdown(f"**Takeaway.** {TAKEAWAYS[scenario]}")
