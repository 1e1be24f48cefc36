"""Lesson: Data quality and bias. One-sided, mislabeled, imbalanced, repetitive or shifted training data, trained
live, judged per group and per class. The same on a CSV of your own is the next lesson, pages/own_data.py."""

import streamlit as st

from core.i18n import tr, tr_later
from core.lessons import data_quality
from ui import links, live, look, pins, widgets
from ui.charts import curves, groups, style
from ui.tasks import task_panel

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
}
# Shown with tr(...) (the noise text with .format(given=...)).
EXPLANATIONS = {
    "groups": tr_later(
        "Two groups write the same digits differently: **group A** as usual, **group B** mirrored left to "
        "right (the label stays the same). Set how much of the training data comes from group B. The model is "
        "then judged on held-out data mixed like the training data, and on each group separately."
    ),
    "noise": tr_later(
        "Some training labels are wrong. Either the mistakes are **spread** at random over all digits, or one "
        "**careless labeller** wrote '{given}' on threes. Same share of wrong labels; compare "
        "what each does to the model, class by class."
    ),
    "imbalance": tr_later(
        "One digit is **rare** in the training data: only a share of its examples is kept, every other "
        "digit keeps all of its. The held-out set stays balanced. Watch that digit's recall: the share of "
        "its held-out examples the model recognises."
    ),
    "diversity": tr_later(
        "Every run trains on the **same number of examples** (1437). Here they are made of a few distinct "
        "digits copied many times, or of many different ones."
    ),
    "shift": tr_later(
        "How the held-out data is chosen changes what the test tells you. **Shuffled**: 360 digits picked at "
        "random, like the training data. **File order**: the last 360 digits of the file, written by "
        "different people than the training digits."
    ),
}
TAKEAWAYS = {
    "groups": tr_later(
        "An average over everyone can look fine while a group that was rare in the training data is served "
        "badly: look at results per group, and collect enough examples of every group."
    ),
    "noise": tr_later(
        "Random labelling mistakes mostly wash out, but the same number of systematic mistakes teaches the model "
        "the mistake itself: who labelled the data matters as much as how much of it is wrong."
    ),
    "imbalance": tr_later(
        "The class the model rarely saw in training is the class it misses in use, even while overall "
        "accuracy looks high."
    ),
    "diversity": tr_later(
        "More rows are not more information: a few examples copied many times teach the model no more than "
        "those few examples, however long it trains."
    ),
    "shift": tr_later(
        "A held-out set drawn like the training data flatters the model: test it on data gathered the way it will "
        "meet data in use (new people, places or dates)."
    ),
}

st.title(tr("Data quality and bias"))
st.markdown(
    tr(
        "*A model trained on one-sided sources carries a corresponding bias.* Here you can watch that happen: each "
        "scenario trains a real network on handwritten digits whose training data has **one flaw**, and then shows "
        "its results **per group and per class**, not only the average."
    )
)
st.page_link("pages/own_data.py", label=tr("Then try it on a spreadsheet of your own"), icon=":material/upload_file:")
for widget_key, default in DEFAULTS.items():
    st.session_state[widget_key] = st.session_state.get(widget_key, default)  # kept while a widget is hidden
# dq_scenario is always shown, so it needs no default here: a link's choice is set by exercise_link
links.exercise_link("data-quality")
task_panel("dq", lambda: start_scenario(st.session_state.dq_scenario))

scenario = st.radio(
    tr("Choose a data problem"),
    list(data_quality.SCENARIO_TITLES),
    format_func={key: tr(title) for key, title in data_quality.SCENARIO_TITLES.items()}.get,  # in this run's language
    horizontal=True,
    key="dq_scenario",
    persist_state="session",
)


def scenario_controls(key: str) -> None:
    """The slider(s) of one scenario; the values are read back from session state by build_scenario."""
    if key == "groups":
        st.slider(
            tr("Group B's share of the training data"),
            0,
            50,
            step=5,
            format="%d%%",
            key="dq_group_share",
            help=tr("0%: the model never sees a mirrored digit. 50%: both groups equally."),
        )
    elif key == "noise":
        st.slider(
            tr("Wrong training labels"),
            0,
            10,
            format="%d%%",
            key="dq_noise_share",
            help=tr("The share of all training labels that is wrong (about 10% of the digits are threes)."),
        )
        st.radio(
            tr("Where the mistakes are"),
            ("spread", "concentrated"),
            key="dq_noise_where",
            format_func={
                "spread": tr("spread over all digits"),
                "concentrated": tr("one careless labeller: threes marked '{given}'").format(
                    given=data_quality.CARELESS_GIVEN
                ),
            }.get,
        )
    elif key == "imbalance":
        st.selectbox(tr("Rare digit"), range(10), key="dq_rare_digit")
        st.slider(tr("Share of its training examples kept"), 0, 100, step=5, format="%d%%", key="dq_rare_kept")
    elif key == "diversity":
        st.select_slider(
            tr("Distinct training digits"),
            data_quality.DIVERSITY_LEVELS,
            key="dq_distinct",
            help=tr("Copied until there are 1437 training examples, the same number in every run."),
        )
    elif key == "shift":
        st.radio(
            tr("Held-out digits"),
            ("shuffled", "file"),
            key="dq_shift_split",
            format_func={
                "shuffled": tr("picked at random (shuffled)"),
                "file": tr("the last 360 in the file (other writers)"),
            }.get,
        )
    st.slider(
        tr("Epochs"),
        10,
        200,
        step=10,
        key="dq_epochs",
        help=tr("One epoch = one pass over every training example."),
    )
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


def current_settings(key: str) -> dict:
    """The settings a run started now would have, named as data_quality.run_settings names a run's."""
    state = st.session_state
    return {**build_scenario(key).settings, "epochs": int(state.dq_epochs), "seed": int(state.dq_seed)}


def start_scenario(key: str) -> None:
    """Train a new run; the last one's results stay as grey bars to compare with."""
    prefix, state = f"dq_{key}", st.session_state
    previous = state.get(f"{prefix}_run")
    if previous is not None and previous.epochs_done:
        state[f"{prefix}_previous_results"] = data_quality.held_out_results(previous)
    live.start(state, prefix, data_quality.start_run(build_scenario(key), state.dq_epochs, state.dq_seed))


def draw_scenario(key: str, run) -> None:
    if run is None:
        st.info(tr("Set the slider on the left and press **Train**. The charts fill in while the network trains."))
        return
    history = run.history()
    live.progress(run)
    pins.changed_since_the_run(data_quality.run_settings(run), lambda: current_settings(key), tr("Train"))
    st.caption(run.scenario.description)
    if not history.epochs_done:
        return
    results = data_quality.held_out_results(run)
    previous = st.session_state.get(f"dq_{key}_previous_results")
    kind, text = data_quality.held_out_reading(results)
    getattr(st, kind)(text)
    pins.tools(f"dq_{key}", run, data_quality.run_settings(run))
    if key == "groups":
        draw_group_summary(results, previous)
    draw_per_class(key, results, previous, run.dataset.class_names)
    if key == "noise":
        confusion = results["held-out"].confusion
        look.chart(
            groups.confusion_heatmap(
                confusion, run.dataset.class_names, tr("Held-out digits: true digit vs the model's answer")
            ),
            key="dq_confusion_chart",
        )
    look.chart(curves.accuracy_curves(history.metrics, run.config.epochs), key=f"dq_{key}_accuracy_chart")


def draw_group_summary(results: dict, previous: dict | None) -> None:
    names = list(results)
    figure = groups.accuracy_bars(
        [tr(name) for name in names],
        {tr("this run"): [results[name].accuracy for name in names]},
        tr("Held-out accuracy: the average and each group"),
        "",
        previous=[previous[name].accuracy for name in names] if previous else None,
        category_colours=GROUP_COLOURS,
    )
    look.chart(figure, key="dq_group_chart")


def draw_per_class(key: str, results: dict, previous: dict | None, class_names) -> None:
    shown = {name: result.per_class for name, result in results.items() if name != data_quality.MIXED}
    single = len(shown) == 1
    series = {tr("this run") if single else tr(name): values for name, values in shown.items()}
    earlier = previous["held-out"].per_class if previous and single else None
    figure = groups.accuracy_bars(
        class_names,
        series,
        tr("Held-out recall per digit: the share of each digit recognised"),
        tr("digit"),
        previous=earlier,
    )
    look.chart(figure, key=f"dq_{key}_class_chart")


def scenario_section(key: str) -> None:
    controls, results = look.wrapping_row([1, 2.7], "quality_halves", min_width=look.CONTROLS_AND_RESULTS, gap="large")
    with controls:
        st.markdown(tr(EXPLANATIONS[key]).format(given=data_quality.CARELESS_GIVEN))
        scenario_controls(key)
        widgets.train_and_stop_buttons(f"dq_{key}", lambda: start_scenario(key))
    with results:
        live.panel(f"dq_{key}", lambda run: draw_scenario(key, run))


scenario_section(scenario)

st.divider()
st.markdown(tr("**Takeaway.** {takeaway}").format(takeaway=tr(TAKEAWAYS[scenario])))
