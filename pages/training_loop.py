"""Lesson: How one training step works. A line learns from real data, one phase at a time, then hundreds of steps."""

import pandas as pd
import streamlit as st

from core.i18n import tr, tr_later
from core.lessons.training_step.race import MOMENTUM, race, race_landscape, race_reading, racer_name
from core.lessons.training_step.readings import (
    formatted,
    phase_name,
    phase_texts,
    readable,
    regime_name,
    regime_reading,
)
from core.lessons.training_step.stepper import (
    LEARNING_RATES,
    MINIBATCH,
    PHASES,
    SCALINGS,
    Stepper,
    load_line_problem,
)
from ui import links, live, look, pins
from ui.charts import line_fit
from ui.tasks import task_panel

RUN_STEPS = 200
SHOWN_ROWS = 8  # rows of the table; a full batch uses all 442 examples but shows the first few
BATCH_CHOICES = {"all": tr_later("All 442 (full batch)"), "minibatch": tr_later("{count} at random (minibatch)")}
SCALING_NAMES = {"0 to 1": tr_later("0 to 1"), "standardized": tr_later("standardized")}
REGIMES = ("too slow", "good", "oscillating", "diverging")
DEFAULTS = {"loop_lr": 0.5, "loop_batch": "all", "loop_scaling": SCALINGS[0], "loop_seed": 0}
X_NAME = {"0 to 1": tr_later("BMI (scaled 0 to 1)"), "standardized": tr_later("BMI (standardized)")}
Y_NAME = tr_later("disease progression (standardized)")

st.title(tr("How one training step works"))
st.markdown(
    tr(
        "Training repeats one small step: **predict, measure the error, find which way each parameter should move, "
        "move it a little**. The model here is a straight line y = w·x + b fitted to real patients: body-mass index "
        "(x) against how much their diabetes progressed in a year (y). Press **Next** to see one step with its real "
        "numbers, then **Run** to watch hundreds."
    )
)


def current_stepper() -> Stepper:
    """The page's stepper, rebuilt when the data or the batching changes; the learning rate follows the slider."""
    state = st.session_state
    settings = (state.loop_scaling, state.loop_batch, int(state.loop_seed))
    stepper = state.get("loop_run")
    if stepper is None or state.get("loop_settings") != settings:
        batch_size = MINIBATCH if state.loop_batch == "minibatch" else None
        stepper = Stepper(load_line_problem(state.loop_scaling), float(state.loop_lr), batch_size, int(state.loop_seed))
        live.start(state, "loop", stepper, running=False)
        state.loop_settings = settings
    stepper.learning_rate = float(state.loop_lr)
    return stepper


def reset() -> None:
    live.reset(st.session_state, "loop")
    st.session_state.pop("loop_settings", None)


def run_live(stepper: Stepper) -> None:
    stepper.run_for(RUN_STEPS)
    live.resume(st.session_state, "loop")


def show_regime(regime: str) -> None:
    """Start over at a learning rate typical of `regime` and run."""
    rate = load_line_problem(st.session_state.loop_scaling).example_rate(regime, LEARNING_RATES)
    st.session_state.update(loop_lr=rate, loop_batch="all")
    reset()
    st.session_state.loop_start_running = True


for widget_key, default in DEFAULTS.items():
    st.session_state.setdefault(widget_key, default)
links.exercise_link("training-loop")
task_panel("loop", lambda: (reset(), st.session_state.update(loop_start_running=True)))  # from step 0, running

REGIME_COLOURS = {"too slow": "blue", "good": "green", "oscillating": "orange", "diverging": "red"}
# Side by side while each half has room for its table or its landscape; one under the other on a narrow screen.
left, right = look.columns([1.1, 1], gap="large", key="loop_halves", min_width=340)
problem = load_line_problem(st.session_state.loop_scaling)
limit = problem.stability_limit
with left:
    st.select_slider(
        tr("Learning rate (log scale)"),
        LEARNING_RATES,
        key="loop_lr",
        persist_state="session",
        format_func=lambda rate: formatted(rate, "g") + " ⚠" if rate >= limit else formatted(rate, "g"),
        help=tr(
            "How far each step moves the parameters, as a multiple of the gradient. ⚠ marks rates above the "
            "stability limit."
        ),
    )
    regime = problem.regime(float(st.session_state.loop_lr))
    st.markdown(
        tr("**Stability limit: {limit}** (= 2/λmax; ⚠ above it) · this rate: **:{colour}[{regime}]**").format(
            limit=formatted(limit, ".3f"), colour=REGIME_COLOURS[regime], regime=regime_name(regime)
        )
    )
    batch_box, scaling_box = look.wrapping_row(2, "loop_choices", min_width=160)
    batch_box.radio(
        tr("Examples per step"),
        tuple(BATCH_CHOICES),
        key="loop_batch",
        format_func=lambda choice: tr(BATCH_CHOICES[choice]).format(count=MINIBATCH),
        persist_state="session",
        help=tr("The stability limit is exact for full-batch steps only."),
    )
    scaling_box.radio(
        tr("Feature scaling"),
        SCALINGS,
        key="loop_scaling",
        format_func=lambda scaling: tr(SCALING_NAMES[scaling]),
        persist_state="session",
        help=tr("Scaled 0 to 1 gives a long tilted valley; standardized gives a perfectly round bowl."),
    )
    if st.session_state.loop_batch == "minibatch":
        st.number_input(
            tr("Seed"),
            0,
            9999,
            key="loop_seed",
            persist_state="session",
            help=tr("Which examples each minibatch draws. The same seed gives the same run."),
        )

stepper = current_stepper()
if st.session_state.pop("loop_start_running", False):
    run_live(stepper)
# a row that wraps: five buttons side by side in a narrow column broke their words ("Paus/e")
button_row = left.container(horizontal=True, key="loop_buttons")
if button_row.button(
    tr("Next"), type="primary", key="loop_next", width="stretch", help=tr("Reveal the next phase of this step.")
):
    stepper.next_phase()
if button_row.button(tr("Step"), key="loop_step", width="stretch", help=tr("Take one whole step.")):
    stepper.step()
if button_row.button(
    tr("Run"), key="loop_train", width="stretch", help=tr("Take {steps} steps, live.").format(steps=RUN_STEPS)
):
    run_live(stepper)
if button_row.button(tr("Pause"), key="loop_pause", width="stretch"):
    live.pause(st.session_state, "loop")
button_row.button(tr("Reset"), key="loop_reset", width="stretch", on_click=reset, help=tr("Back to the first step."))


def step_table(detail: dict, phase: int) -> pd.DataFrame:
    """The examples of this step, with one more column for each revealed phase."""
    rows = slice(0, SHOWN_ROWS)
    error = detail["predictions"] - detail["y"]
    columns = {tr("x (input)"): detail["x"], tr("y (true answer)"): detail["y"]}
    if phase >= 1:
        columns[tr("prediction w·x+b")] = detail["predictions"]
    if phase >= 2:
        columns |= {tr("error = prediction − y"): error, tr("loss = ½·error²"): detail["per_example_loss"]}
    if phase >= 3:
        columns[tr("error·x")] = error * detail["x"]
    return pd.DataFrame({name: [readable(float(v)) for v in values[rows]] for name, values in columns.items()})


def draw_walkthrough(stepper: Stepper) -> None:
    """Left: the numbers of the step on display, one more phase per press of Next."""
    detail = stepper.detail()
    if live.is_running(st.session_state, "loop"):  # a Run under way says how far it is, as every lesson's runs do
        live.progress(stepper)
    # two rows of two, w and b on one: the four in a row put "b now" alone on a second line on a 1600-pixel screen
    cells = look.metric_cells(2) + look.metric_cells(2)
    cells[0].metric(tr("Steps taken"), stepper.steps_done)
    cells[1].metric(tr("Loss, all data"), formatted(stepper.losses[-1], ".3g"))
    cells[2].metric(tr("w now"), readable(float(stepper.params[0])))  # as the texts below write it: 2.996, not 3
    cells[3].metric(tr("b now"), readable(float(stepper.params[1])))
    st.subheader(
        tr("Step {step} · phase {phase} of {phases}: {name}").format(
            step=stepper.shown_step + 1, phase=stepper.phase + 1, phases=len(PHASES), name=phase_name(stepper.phase)
        )
    )
    st.table(step_table(detail, stepper.phase), border="horizontal", hide_index=True)
    for text in phase_texts(detail, SHOWN_ROWS)[: stepper.phase + 1]:
        st.markdown(look.formula_text(text))


def draw_pictures(stepper: Stepper) -> None:
    """Right: where the parameters are on the loss landscape, and the line they draw through the data."""
    problem, rate, detail = stepper.problem, stepper.learning_rate, stepper.detail()
    landscape = stepper.landscape()
    note = tr("stability limit 2/λmax = {limit}<br>learning rate {rate}: {regime}").format(
        limit=formatted(limit, ".3f"), rate=formatted(rate, "g"), regime=regime_name(problem.regime(rate))
    )
    look.chart(
        line_fit.loss_landscape(
            landscape["loss"], landscape["w"], landscape["b"], stepper.path, problem.best_params, note
        ),
        key="loop_landscape_chart",
    )
    level, text = regime_reading(problem, rate)
    getattr(st, level)(text)
    w, b = stepper.params
    look.chart(
        line_fit.line_fit(
            problem.x,
            problem.y,
            detail["x"][:SHOWN_ROWS],
            detail["y"][:SHOWN_ROWS],
            float(w),
            float(b),
            tr(X_NAME[problem.scaling]),
            tr(Y_NAME),
            show_errors=stepper.phase >= 2,
        ),
        key="loop_fit_chart",
    )
    pins.tools("loop", stepper)


with right.expander(tr("Show me each learning-rate regime")):
    for name in REGIMES:
        st.button(
            regime_name(name).capitalize(),
            key=f"loop_show_{name.replace(' ', '_')}",
            on_click=show_regime,
            args=(name,),
            width="stretch",
        )
with left:
    live.panel("loop", draw_walkthrough, train_tick=live.one_chunk_per_tick)
with right:
    live.panel("loop", draw_pictures, train_tick=live.follow_only, explains_stops=False)

st.divider()
st.subheader(tr("Three ways down the same valley"))
st.markdown(
    tr(
        "Plain **gradient descent** steps straight downhill, so in a long, tilted valley it zigzags across the "
        "steep sides and crawls along the flat floor. **Momentum** keeps most of its previous step "
        "({momentum} of it) and adds the new gradient, so it builds up speed along the floor. **Adam** divides each "
        "parameter's step by the typical size of that parameter's gradients, so steep and flat directions get "
        "steps of similar size. All three start at the same wrong line and use the whole data set each step."
    ).format(momentum=formatted(MOMENTUM, "g"))
)


@st.cache_data(max_entries=32, show_spinner=False)
def cached_race(scaling: str, learning_rate: float) -> list:
    return race(load_line_problem(scaling), learning_rate)


if st.button(tr("Race them at this learning rate"), key="loop_race", type="primary"):
    st.session_state.loop_race_settings = (st.session_state.loop_scaling, float(st.session_state.loop_lr))
if "loop_race_settings" in st.session_state:
    scaling, rate = st.session_state.loop_race_settings
    problem = load_line_problem(scaling)
    racers = cached_race(scaling, rate)
    landscape = race_landscape(problem, racers)
    paths = {racer_name(racer.name): racer.path for racer in racers}
    losses = {racer_name(racer.name): racer.losses_until_blow_up() for racer in racers}
    race_left, race_right = look.wrapping_row(2, "loop_race", min_width=320)  # under each other on a narrow screen
    look.chart(
        line_fit.race_landscape(landscape["loss"], landscape["w"], landscape["b"], paths, problem.best_params),
        key="loop_race_landscape",
        where=race_left,
    )
    look.chart(line_fit.race_losses(losses, problem.lowest_loss), key="loop_race_losses", where=race_right)
    st.info(
        tr(
            "{reading} Arrived means the loss has closed 99% of the gap to the lowest possible. Scaling {scaling}; "
            "move the learning rate slider and race again."
        ).format(reading=race_reading(racers, rate), scaling=tr(SCALING_NAMES[scaling]))
    )

st.divider()
st.markdown(
    tr(
        "**Takeaway.** Every neural network trains with this same loop, only with millions of parameters instead of "
        "two. The learning rate decides everything about the walk downhill: too small and it crawls, too large and "
        "each step overshoots the valley floor by more than it corrects, so the error grows without end."
    )
)
