"""Lesson: What a model knows. The knowledge cutoff, retrieval (RAG) instead of retraining, and whether to train
your own model."""

import datetime

import streamlit as st

from core.i18n import number, tr
from core.lessons import knowledge_lesson as lesson
from core.lessons.compute import duration_in_words, operations_in_words
from core.lessons.knowledge_lesson import day_in_words
from core.lessons.knowledge_model import CUTOFF_STEPS, PASSAGES
from core.lessons.user_text import markdown_literal
from ui import links, live, look, pins
from ui.charts.knowledge import timeline, training_loss
from ui.knowledge import (
    COST_ROW_HEIGHT,
    LIBRARY_CHOICES,
    PASSAGE_ROW_HEIGHT,
    answer_card,
    ask_today,
    cost_frame,
    current_model,
    keep_finished_runs,
    passages_table,
    results_frame,
    results_table,
    session_models,
    updated_model,
)
from ui.tasks import task_panel

TICK_SECONDS = 0.5  # a step takes about half a second: a worker thread trains, each tick redraws
DEFAULTS = {
    "kn_cutoff": lesson.DEFAULT_CUTOFF.isoformat(),
    "kn_question": lesson.DEFAULT_QUESTION,
    "kn_library": "current",
    "kn_steps": CUTOFF_STEPS,
    "kn_seed": 0,
    "kn_new_value": "",
}

world, today = lesson.world(), lesson.today()
st.title(tr("What a model knows"))
st.markdown(
    tr(
        "**Kleiwaard** is a small Dutch town that exists only in this lesson: {businesses} businesses and its town "
        "hall, with {documents} dated announcements from 2019 to 2026 (owners, addresses, opening hours, prices, the "
        "tourist tax). Today, in this town, is **{today}**. A small language model (the generic model of the lesson "
        "*Pretraining vs fine-tuning*, already taught to answer from passages on other, made-up towns) is trained on "
        "the announcements up to a **cutoff date**. Then it is asked about the town today: from memory, with "
        "retrieval, or after training it again."
    ).format(businesses=len(lesson.subjects()) - 1, documents=len(world.documents), today=day_in_words(today))
)
st.caption(
    tr(
        "The announcements, the questions and the model's answers are in English, the language the model was "
        "pretrained on."
    )
)

for widget_key, default in DEFAULTS.items():
    st.session_state.setdefault(widget_key, default)
links.exercise_link("knowledge")
keep_finished_runs(st.session_state)

controls, main = look.columns([1, 3], gap="large", key="knowledge_halves", min_width=look.CONTROLS_AND_RESULTS)
with controls:
    task_panel("kn")
    st.subheader(tr("1. The cutoff"))
    st.select_slider(
        tr("Knowledge cutoff"),
        [day.isoformat() for day in lesson.CUTOFFS],
        key="kn_cutoff",
        persist_state="session",
        format_func=lambda day: lesson.month_in_words(datetime.date.fromisoformat(day)),
        help=tr("The model is trained on the announcements dated up to this day, and nothing after it."),
    )
    st.slider(
        tr("Training steps"),
        50,
        300,
        step=50,
        key="kn_steps",
        persist_state="session",
        help=tr("For a cutoff trained here, live. One step = one update on 8 stretches of 320 tokens."),
    )
    st.number_input(
        tr("Seed"), 0, 9999, key="kn_seed", persist_state="session", help=tr("The same seed, the same run.")
    )

cutoff = datetime.date.fromisoformat(st.session_state.kn_cutoff)
model = current_model(st.session_state, cutoff)
train_label = tr("Train this cutoff") if model is None else tr("Train this cutoff again, live")
with controls:
    train_clicked = st.button(
        train_label,
        type="primary" if model is None else "secondary",
        key="kn_train",
        width="stretch",
    )
    if train_clicked:
        # Kept until its run is loaded: a control moved while it loads reruns the page, which loads it again.
        st.session_state.kn_requested = (cutoff, int(st.session_state.kn_seed), int(st.session_state.kn_steps))
    if st.session_state.get("kn_requested"):
        with st.spinner(tr("Loading the model...")):
            try:
                run = lesson.cutoff_run(*st.session_state.kn_requested)
            except Exception:  # a request that fails is not tried again on every rerun (Streamlit's reruns pass)
                del st.session_state.kn_requested
                raise
            del st.session_state.kn_requested
            live.start(st.session_state, "kn", run)
    if st.button(tr("Stop"), key="kn_stop", width="stretch"):
        live.stop(st.session_state, "kn")


def draw_cutoff_run(run) -> None:
    if run is None:
        return
    if run.config.cutoff != cutoff:
        st.info(
            tr(
                "This run learns the cutoff {run_day}, chosen when it started: its model answers once you choose "
                "that cutoff again."
            ).format(run_day=day_in_words(run.config.cutoff))
        )
    live.progress(run)
    pins.changed_since_the_run(
        {"steps": run.config.steps, "seed": run.config.seed},
        lambda: {"steps": int(st.session_state.kn_steps), "seed": int(st.session_state.kn_seed)},
        train_label,
    )
    look.chart(
        training_loss(
            run.history().train_loss,
            run.config.steps,
            tr("Training up to {day}").format(day=day_in_words(run.config.cutoff)),
        ),
        key="kn_loss_chart",
    )
    if run.finished and not run.failure:
        st.success(tr("Trained. Its answers below come from this model."))


with main:
    st.subheader(tr("What a model with the cutoff {day} could read").format(day=day_in_words(cutoff)))
    look.chart(timeline(world.documents, cutoff, today, lesson.fact_of(st.session_state.kn_question)), key="kn_time")
    if model is None:
        st.info(
            tr(
                "No model knows this cutoff yet. Press **Train this cutoff**: the model reads the {count} "
                "announcements up to {day}, live, in about {seconds} seconds. Prepared in advance (they load at "
                "once): {prepared}."
            ).format(
                count=len(lesson.documents_up_to(cutoff)),
                day=day_in_words(cutoff),
                seconds=number(lesson.expected_seconds(int(st.session_state.kn_steps)), 0),
                prepared=lesson.prepared_in_words(),
            )
        )
    else:
        st.caption(model.source_in_words)
    live.panel("kn", draw_cutoff_run, train_tick=live.in_background("kn"), tick_seconds=TICK_SECONDS)

st.divider()
st.subheader(tr("2. Ask it a question"))
question_column, library_column = st.columns([3, 2])
question_column.selectbox(
    tr("Question"),
    [question.id for question in world.questions],
    key="kn_question",
    persist_state="session",
    format_func=lesson.question_label,
    help=tr("Each question has one right answer on any day; many changed over the years."),
)
library_column.radio(
    tr("What retrieval finds"),
    list(LIBRARY_CHOICES),
    key="kn_library",
    persist_state="session",
    format_func=lambda library: tr(LIBRARY_CHOICES[library]),
    help=tr("The library is searched for the question's words (TF-IDF). See what a wrong passage does."),
)
question = lesson.question(st.session_state.kn_question)
st.markdown(
    tr("The right answer today: **{answer}**").format(answer=markdown_literal(question.answer_at(today)))
    + lesson.answer_history_in_words(question, cutoff)
)
if model is None:
    st.info(tr("Train a model for this cutoff first (step 1), or choose a prepared cutoff."))
else:
    library = st.session_state.kn_library
    closed, opened = ask_today(st.session_state, model, question, library)
    updated = updated_model(st.session_state, cutoff)
    # the answers side by side where each card has room for a sentence, else under each other
    columns = look.wrapping_row(3 if updated else 2, "kn_answers", min_width=200)
    answer_card(columns[0], tr(lesson.METHODS["closed_book"]), closed, tr("Only the question is in its context."))
    answer_card(
        columns[1],
        tr(lesson.METHODS["retrieval"]),
        opened,
        tr("The {count} passages below are in its context.").format(count=PASSAGES),
    )
    if updated:
        tuned = ask_today(st.session_state, updated, question, library)[0]
        answer_card(columns[2], tr(lesson.METHODS["fine_tuned"]), tuned, tr("From memory, after training on them."))
    st.markdown(
        tr("**The passages retrieval put into its context** ({library}):").format(
            library=tr(LIBRARY_CHOICES[st.session_state.kn_library])
        )
    )
    look.table(
        passages_table(opened),
        hide_index=True,
        width="stretch",
        row_height=PASSAGE_ROW_HEIGHT,
        column_config={
            tr("rank"): st.column_config.NumberColumn(width=60),
            tr("score"): st.column_config.TextColumn(width=70),
            tr("date"): st.column_config.TextColumn(width=110),
        },
        key="kn_passages",
    )

st.divider()
st.subheader(tr("3. Every question at once"))
if model is None:
    st.info(tr("The results table appears once a model knows this cutoff."))
else:
    with st.spinner(
        tr("Asking the model all {count} questions, from memory and with retrieval...").format(
            count=len(world.questions)
        )
    ):
        table = results_table(st.session_state, model, updated, st.session_state.kn_library)
    st.caption(
        tr("With retrieval: {library} (as chosen in step 2).").format(
            library=tr(LIBRARY_CHOICES[st.session_state.kn_library])
        )
    )
    look.table(results_frame(table), width="stretch", key="kn_results")
    for reading in lesson.results_readings(table, cutoff, st.session_state.kn_library):
        st.markdown(f"- {reading}")

st.divider()
st.subheader(tr("4. Or train it on the new documents?"))
after = lesson.documents_after(cutoff)
if model is None:
    st.info(tr("First a model for this cutoff (step 1)."))
elif not after:
    st.info(tr("No document is dated after this cutoff: there is nothing new to train on."))
else:
    st.markdown(
        tr(
            "Instead of retrieval, train the model further on the {count} announcements dated after its cutoff (and "
            "the questions they answer). It then knows the new facts from memory, until the next one changes."
        ).format(count=len(after))
        + " "
        + tr("{steps} steps (the training steps of step 1), about {seconds} seconds on this server.").format(
            steps=st.session_state.kn_steps, seconds=number(lesson.expected_seconds(int(st.session_state.kn_steps)), 0)
        )
    )
    if st.button(
        tr("Fine-tune on the {count} new documents").format(count=len(after)), key="kn_update_train", type="primary"
    ):
        update = lesson.update_run(cutoff, model.params, int(st.session_state.kn_seed), int(st.session_state.kn_steps))
        live.start(st.session_state, "knu", update)

    def draw_update_run(run) -> None:
        if run is None:
            return
        live.progress(run)
        look.chart(
            training_loss(run.history().train_loss, run.config.steps, tr("Fine-tuning on the new documents")),
            key="knu_loss",
        )
        if run.finished and not run.failure:
            st.success(
                tr(
                    "Fine-tuned in {seconds} seconds ({operations} operations). Its answers are in the table above "
                    "and beside the others in step 2."
                ).format(seconds=number(run.seconds, 0), operations=operations_in_words(run.operations()))
            )

    live.panel("knu", draw_update_run, train_tick=live.in_background("knu"), tick_seconds=TICK_SECONDS)

    st.markdown(tr("**Changing one fact.** With retrieval, a business edits one document; training would start again."))
    value_column, edit_column = st.columns([3, 2], vertical_alignment="bottom")
    value_column.text_input(
        tr("A new value for: {question}").format(question=markdown_literal(question.question)),
        key="kn_new_value",
        max_chars=lesson.NEW_VALUE_LIMIT,
        placeholder=lesson.example_new_value(question),
    )
    if edit_column.button(tr("Edit the document and ask again"), key="kn_edit", width="stretch"):
        try:
            st.session_state.kn_edit_result = lesson.edit_fact(
                model.config, model.params, question, st.session_state.kn_new_value
            )
        except ValueError as problem:
            st.error(tr("That value cannot be written: {problem}.").format(problem=problem))
    edit = st.session_state.get("kn_edit_result")
    if edit is not None and edit.question.id == question.id:
        st.markdown(lesson.edit_reading(edit, lesson.retraining_seconds(updated, int(st.session_state.kn_steps))))

st.divider()
st.subheader(tr("5. Should you train your own model?"))
rows = lesson.run_cost_rows(session_models(st.session_state, cutoff))
speed = lesson.operations_per_second(rows)
look.table(
    cost_frame(rows, speed),
    hide_index=True,
    width="stretch",
    height="content",
    row_height=COST_ROW_HEIGHT,
    # Widths in pixels that add up to less than a 1280-pixel projector's column (760): the long names and sources
    # wrap, where wider columns ran the sources off the table's edge.
    column_config={
        tr("training"): st.column_config.TextColumn(width=190),
        tr("operations"): st.column_config.TextColumn(width=130),
        tr("time"): st.column_config.TextColumn(width=140),
        tr("what"): st.column_config.TextColumn(width=300),
    },
    key="kn_costs",
)
st.caption(
    tr(
        "Training compute counted as 6 × parameters × tokens read. Published models: their makers' figures (or 6 × "
        "the published parameters × tokens). This server trains at about {speed} operations a second (measured on "
        "the runs above); it would need {duration} for the largest."
    ).format(speed=operations_in_words(speed), duration=duration_in_words(lesson.seconds_for_biggest(speed)))
)
st.markdown(lesson.cost_reading(rows, speed))

st.divider()
st.markdown(
    tr(
        "**Takeaways.** A model knows only what was in its training data: after its cutoff it gives old answers, as "
        "sure of itself as of its right ones. Retrieval puts today's documents into its context, so it answers from "
        "them without any training, and changing a fact is editing one document. Fine-tuning on new documents costs "
        "a training run each time something changes, and can overwrite what it knew. For most businesses: use an "
        "existing model with retrieval for facts; fine-tune for a style or a format; train a model of your own "
        "almost never."
    )
)
