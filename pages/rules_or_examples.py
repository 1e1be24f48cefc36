"""Lesson: Rules or examples? A loan rule a person writes, beside a network formed by examples."""

import streamlit as st

from core.i18n import number, tr, tr_later, trn
from core.lessons import rules
from ui import links, live, look, widgets
from ui.charts import rules as rule_charts
from ui.tasks import task_panel

DEFAULTS = {"rules_min_income": 50, "rules_max_debts": 30, "rules_examples": "all", "rules_seed": 0}
EXAMPLE_CHOICES = {
    "all": tr_later("all 280 past applicants"),
    "few_debts": tr_later("only those with debts up to {debts} thousand"),
}
NUMBERS_PER_LINE = 10

st.title(tr("Rules or examples?"))
st.markdown(
    tr(
        "A spreadsheet formula is a **rule**: someone wrote it, and it does exactly what it says. An AI model is not "
        "programmed with rules: it is **formed by examples**, and that difference decides what it can and cannot do. "
        "Here both decide on loans from an applicant's yearly income and debts. 400 past applicants show who repaid: "
        "the model learns from 280 of them, and the other 120 are held out to judge both."
    )
)

for widget_key, default in DEFAULTS.items():
    st.session_state.setdefault(widget_key, default)
links.exercise_link("rules-or-examples")


def example_choice(choice: str) -> str:
    """The shown label of an option of the examples radio."""
    return tr(EXAMPLE_CHOICES[choice]).format(debts=number(rules.LEFT_OUT_ABOVE_DEBTS))


def current_rule() -> rules.Rule:
    return rules.Rule(st.session_state.rules_min_income, st.session_state.rules_max_debts)


def use_best_rule() -> None:
    best = rules.best_rule()
    st.session_state.rules_min_income, st.session_state.rules_max_debts = int(best.min_income), int(best.max_debts)


def train(examples: str | None = None, seed: int | None = None) -> None:
    """Train a new model (optionally on other examples or with another seed); the last one is kept to compare."""
    state = st.session_state
    if examples is not None:
        state.rules_examples = examples
    if seed is not None:
        state.rules_seed = seed
    previous = state.get("rules_run")
    if previous is not None and previous.finished:
        state.rules_previous_model = rules.summarize(previous)
    live.start(state, "rules", rules.start_run(state.rules_examples == "few_debts", int(state.rules_seed)))


def finished_run():
    run = st.session_state.get("rules_run")
    return run if run is not None and run.finished else None


def rule_controls() -> None:
    st.subheader(tr("1. Write a rule"))
    income, debts = look.wrapping_row(2, "rules_thresholds", min_width=120, gap="medium")
    income.slider(
        tr("Approve only if income is at least"),
        rules.INCOME_THRESHOLDS[0],
        rules.INCOME_THRESHOLDS[-1],
        step=5,
        format=tr("%d thousand"),
        key="rules_min_income",
        persist_state="session",
        help=tr("Yearly income, in thousands."),
    )
    debts.slider(
        tr("and debts are at most"),
        rules.DEBTS_THRESHOLDS[0],
        rules.DEBTS_THRESHOLDS[-1],
        step=5,
        format=tr("%d thousand"),
        key="rules_max_debts",
        persist_state="session",
        help=tr("Everything the applicant owes, in thousands."),
    )
    button, note = look.wrapping_row([1, 1.4], "rules_best_rule", min_width=150, vertical_alignment="center")
    button.button(
        tr("Use the best two thresholds"),
        key="rules_best_rule",
        on_click=use_best_rule,
        help=tr("The thresholds that decide the most of the 280 examples right."),
    )
    held_out = rules.held_out_applicants()
    best_right = rules.right_count(rules.best_rule().approves(held_out.income, held_out.debts), held_out)
    note.caption(
        tr("They decide {right} of the {total} held-out applicants right.").format(
            right=number(best_right), total=number(len(held_out))
        )
    )


def model_controls() -> None:
    st.subheader(tr("2. Let a model learn from examples"))
    st.radio(
        tr("Examples it learns from"),
        tuple(EXAMPLE_CHOICES),
        format_func=example_choice,
        key="rules_examples",
        horizontal=True,
        persist_state="session",
        on_change=train,
        help=tr("Changing this trains a new model."),
    )
    seed, train_button, reset_button = look.wrapping_row(
        [1, 1.3, 0.8], "rules_train_row", min_width=[80, 130, 80], vertical_alignment="bottom"
    )
    with seed:
        widgets.seed_input("rules_seed")
    train_button.button(tr("Train the model"), type="primary", key="rules_train", on_click=train, width="stretch")
    if reset_button.button(tr("Reset"), key="rules_reset", width="stretch", help=tr("Back to no model.")):
        live.reset(st.session_state, "rules")
        st.session_state.pop("rules_previous_model", None)


def draw_rule_map(rule: rules.Rule, held_out: rules.Applicants) -> None:
    right = rules.right_count(rule.approves(held_out.income, held_out.debts), held_out)
    plane = rules.EXAMPLES_PLANE
    title = tr("Your rule: {right} of {total} right").format(right=number(right), total=number(len(held_out)))
    figure = rule_charts.decision_map(plane.income, plane.debts, rules.rule_on_plane(rule, plane), title)
    rule_charts.add_world_border(figure, plane.income, rules.world_on_plane(plane))
    rule_charts.add_applicants(figure, held_out.income, held_out.debts, held_out.repaid)
    look.chart(figure, key="rules_rule_chart")


def draw_model(run) -> None:
    """The model's map, scored on the same held-out applicants; redrawn live while it trains."""
    held_out, plane = rules.held_out_applicants(), rules.EXAMPLES_PLANE
    if run is None or run.epochs_done == 0:
        title, approve = tr("The model: press Train the model"), None
    else:
        right = rules.right_count(rules.model_approves(run, held_out), held_out)
        title = tr("The model after {epochs} epochs: {right} of {total} right").format(
            epochs=number(run.epochs_done), right=number(right), total=number(len(held_out))
        )
        approve = rules.model_on_plane(run, plane)
    figure = rule_charts.decision_map(plane.income, plane.debts, approve, title)
    if approve is not None and rules.leaves_out_high_debts(run):
        rule_charts.shade_left_out(
            figure, rules.LEFT_OUT_ABOVE_DEBTS, (plane.income[0], plane.income[-1]), plane.debts[-1]
        )
    rule_charts.add_world_border(figure, plane.income, rules.world_on_plane(plane))
    rule_charts.add_applicants(figure, held_out.income, held_out.debts, held_out.repaid)
    look.chart(figure, key="rules_model_chart")
    if run is not None:
        live.progress(run)


def draw_comparison(run) -> None:
    """What the maps show, and who decides more applicants right once the model has finished."""
    st.markdown(
        tr(
            "**Blue**: approve, **red**: decline (paler where the model is less sure), **black line**: where it "
            "switches. ● repaid, ✕ did not repay: the 120 held-out applicants. **Dashed**: the true border of this "
            "made-up world, which neither the rule's writer nor the model is shown."
        )
    )
    rule, held_out = current_rule(), rules.held_out_applicants()
    rule_approved = rule.approves(held_out.income, held_out.debts)
    reading = rules.read_rule(rule_approved, held_out.repaid)
    if reading is None and run is not None:
        reading = rules.read_scores(
            rules.right_count(rule_approved, held_out),
            rules.right_count(rules.model_approves(run, held_out), held_out),
            len(held_out),
            rule == rules.best_rule(),
            rules.leaves_out_high_debts(run),
        )
    if reading:
        getattr(st, reading[0])(reading[1])


task_panel("rules", train)
rule_side, model_side = st.columns(2, gap="large")
with rule_side:
    rule_controls()
with model_side:
    model_controls()
rule_side, model_side = st.columns(2, gap="large")  # a row of its own, so both maps start at the same height
with rule_side:
    draw_rule_map(current_rule(), rules.held_out_applicants())
with model_side:
    live.panel("rules", draw_model, train_tick=live.one_chunk_per_tick)
draw_comparison(finished_run())


# ---- what follows from the difference: each part reads the finished model ----


def draw_examples_part(summary) -> None:
    st.subheader(tr("The model is only as good as its examples"))
    held_out, rule = rules.held_out_applicants(), current_rule()
    high = rules.in_left_out_region(held_out)
    rule_high = rules.accuracy(rule.approves(held_out.income, held_out.debts)[high], held_out.repaid[high])
    level, text = rules.read_left_out(summary, rule_high, st.session_state.get("rules_previous_model"))
    getattr(st, level)(text)
    if summary.left_out:
        st.markdown(tr("The grey band in the model's map above marks where it had no examples."))
        st.button(tr("Train on all examples again"), key="rules_all_examples", on_click=train, args=("all",))
    else:
        st.button(
            tr("Leave out everyone with debts over {debts} thousand and train again").format(
                debts=number(rules.LEFT_OUT_ABOVE_DEBTS)
            ),
            key="rules_leave_out",
            on_click=train,
            args=("few_debts",),
        )


def draw_patterns_part(summary) -> None:
    st.subheader(tr("It finds patterns nobody wrote down"))
    best, held_out = rules.best_rule(), rules.held_out_applicants()
    best_right = rules.right_count(best.approves(held_out.income, held_out.debts), held_out)
    st.markdown(
        tr(
            "The best two thresholds for these examples are **income at least {income} thousand and "
            "debts at most {debts} thousand** (press *Use the best two thresholds* to try them). Compare "
            "the black border in the two maps above with the dashed true border."
        ).format(income=number(best.min_income), debts=number(best.max_debts))
    )
    level, text = rules.read_patterns(best_right, summary.right, summary.total, summary.left_out)
    getattr(st, level)(text)


def draw_readable_part(summary) -> None:
    st.subheader(tr("A rule can be read line by line; the model is a heap of numbers"))
    rule_column, numbers_column = st.columns([1, 1.3], gap="large")
    with rule_column:
        st.markdown(tr("**Your rule**, three lines:"))
        rule = current_rule()
        st.code(
            "\n".join(f"{index}  {line}" for index, line in enumerate(rule.lines(), start=1)),
            language=None,
            wrap_lines=True,  # a long line of a Dutch rule was cut at the box edge on a projector
        )
        st.markdown(tr("What each line did to the 120 held-out applicants:"))
        for line, tally in enumerate(rules.tally_lines(rule, rules.held_out_applicants()), start=1):
            if line == 3:
                text = trn(
                    "Line {line} approved **{count}**, and was right about {right} of them.",
                    "Line {line} approved **{count}**, and was right about {right} of them.",
                    tally.decided,
                )
            else:
                text = trn(
                    "Line {line} declined **{count}**, and was right about {right} of them.",
                    "Line {line} declined **{count}**, and was right about {right} of them.",
                    tally.decided,
                )
            st.markdown("- " + text.format(line=line, count=number(tally.decided), right=number(tally.right)))
    with numbers_column:
        st.markdown(
            tr("**The model**: all {count} of its numbers (scroll):").format(count=number(len(summary.numbers)))
        )
        st.code(numbers_text(summary.numbers), language=None, height=260)
        previous = st.session_state.get("rules_previous_model")
        if previous is not None and previous.seed != summary.seed:
            st.caption(tr("The first numbers of the model trained with seed {seed}:").format(seed=previous.seed))
            st.code(numbers_text(previous.numbers[:NUMBERS_PER_LINE]), language=None)
    level, text = rules.read_numbers(len(summary.numbers), summary, st.session_state.get("rules_previous_model"))
    getattr(st, level)(text)
    next_seed = (summary.seed + 1) % 10_000
    st.button(
        tr("Train again with seed {seed}").format(seed=next_seed),
        key="rules_next_seed",
        on_click=train,
        kwargs={"seed": next_seed},
    )


def numbers_text(numbers) -> str:
    cells = [("+" if value >= 0 else "-") + number(abs(value), 2) for value in numbers]  # +0.12 / +0,12
    return "\n".join(" ".join(cells[i : i + NUMBERS_PER_LINE]) for i in range(0, len(cells), NUMBERS_PER_LINE))


def draw_beyond_part(run) -> None:
    st.subheader(tr("Outside its examples, the model guesses"))
    rule, plane = current_rule(), rules.BEYOND_PLANE
    answers = rules.far_answers(run, rule)
    chart_column, table_column = look.columns([1.1, 1], gap="large")  # the table's four columns need the room
    with chart_column:
        figure = rule_charts.decision_map(
            plane.income,
            plane.debts,
            rules.model_on_plane(run, plane),
            tr("The model, far beyond its examples"),
            height=580,
            legend=True,
        )
        rule_charts.add_examples_box(figure, rules.INCOME_RANGE, rules.DEBTS_RANGE)
        rule_charts.add_world_border(figure, plane.income, rules.world_on_plane(plane))
        rule_charts.add_rule_border(figure, rule.min_income, rule.max_debts, plane.income[-1])
        labels = [rules.far_label(answer) for answer in answers]
        rule_charts.add_far_applicants(
            figure, [answer.income for answer in answers], [answer.debts for answer in answers], labels
        )
        look.chart(figure, key="rules_beyond_chart")
    with table_column:
        st.markdown(tr("**Applicants unlike any example** (income / debts, in thousands):"))
        st.table(rules.far_table(answers))
        level, text = rules.read_far(answers)
        getattr(st, level)(text)


st.divider()
st.header(tr("What follows from the difference"))
run = finished_run()
if run is None:
    st.info(tr("Press **Train the model** above. What follows from the difference appears here when it has finished."))
else:
    summary = rules.summarize(run)
    examples_column, patterns_column = st.columns(2, gap="large")
    with examples_column:
        draw_examples_part(summary)
    with patterns_column:
        draw_patterns_part(summary)
    draw_readable_part(summary)
    draw_beyond_part(run)

st.divider()
st.markdown(
    tr(
        "**Takeaway.** A rule does what its writer understood, no more and no less: it can be read, checked and "
        "explained line by line, and it does the same on any input. A model does what its examples showed: it can "
        "find patterns nobody wrote down, but where its examples are missing or one-sided it guesses, often sure of "
        "itself, and its reasons are numbers, not sentences. So judge a model by its examples, and test it on cases "
        "it has never seen."
    )
)
st.markdown(tr("**Go deeper:**"))
st.page_link(
    "pages/lab.py",
    label=tr("Memorize or generalize? When a model learns its examples by heart"),
    icon=":material/psychology:",
)
st.page_link(
    "pages/data_quality.py",
    label=tr("Data quality and bias: one-sided and wrong examples"),
    icon=":material/balance:",
)
st.page_link(
    "pages/fine_tuning.py",
    label=tr("Pretraining vs fine-tuning: new examples for a model that is already trained"),
    icon=":material/edit_note:",
)
st.markdown(
    tr(
        "A model's examples also end at a moment in time: a language model knows nothing that happened after its "
        "texts were collected (its *knowledge cutoff*)."
    )
)
st.page_link(
    "pages/knowledge.py",
    label=tr("What a model knows: its knowledge cutoff, and looking facts up instead of retraining"),
    icon=":material/travel_explore:",
)
