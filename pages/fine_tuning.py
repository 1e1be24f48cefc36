"""Lesson: Pretraining vs fine-tuning. A generic language model learns a recruitment agency's house style."""

import streamlit as st

from core.i18n import number, percent, tr, tr_later
from core.lessons.fine_tuning import (
    DUTCH_PRESET,
    LEARNING_RATES,
    MODELS,
    TEMPERATURES,
    FineTuneConfig,
    FineTuneRun,
    cost_reading,
    first_in_house_style,
    first_in_style_reading,
    generic_heldout_losses,
    generic_model,
    generic_model_reading,
    generic_sample,
    outcome_readings,
)
from core.lessons.house_style import MARKERS
from core.lessons.user_text import markdown_literal
from core.lm.corpus import HOUSE_STYLES, JOB_CITY_LIMIT, JOB_TITLE_LIMIT, PROMPT, job_prompt
from ui import links, live, live_view, look, pins, widgets
from ui.charts.lm import fine_tuning_losses
from ui.samples import SAMPLE_CSS, sample_html, show_sample
from ui.tasks import task_panel
from ui.tokens import tokens_panel

# A chunk trains both models one step each (~0.3 s, more on a busy server): too long to share a half-second tick
# with drawing, so a worker thread trains and every tick only redraws.
TICK_SECONDS = 0.5
MODEL_TITLES = {  # shown as tr(title)
    "fine_tuned": tr_later("Generic model, fine-tuned"),
    "from_scratch": tr_later("Same model, trained from scratch"),
}
_DEFAULT_RUN = FineTuneConfig()
DEFAULTS = {
    "ft_dataset": _DEFAULT_RUN.style,
    "ft_texts": _DEFAULT_RUN.texts,
    "ft_off_style": 0,
    "ft_lr": _DEFAULT_RUN.learning_rate,
    "ft_steps": _DEFAULT_RUN.steps,
    "ft_temperature": _DEFAULT_RUN.temperature,
    "ft_seed": _DEFAULT_RUN.seed,
}

# Each preset starts from the default data and training settings (temperature and seed stay as they are). The names
# are the buttons' labels (shown as tr(name)) and part of their keys.
PRESETS = {
    tr_later("100 house adverts (the default)"): {},
    tr_later("Only 10 adverts, long training"): {"ft_texts": 10, "ft_steps": 300},
    tr_later("Half the adverts off-style"): {"ft_off_style": 50},
    tr_later("Dutch adverts"): {
        "ft_dataset": DUTCH_PRESET["style"],
        "ft_texts": DUTCH_PRESET["texts"],
        "ft_steps": DUTCH_PRESET["steps"],
    },
    tr_later("Learning rate far too high"): {"ft_lr": 0.3},
}
PRESET_KEYS = ("ft_dataset", "ft_texts", "ft_off_style", "ft_lr", "ft_steps")

st.title(tr("Pretraining vs fine-tuning"))
st.html(SAMPLE_CSS)
st.markdown(
    tr(
        "A language model learns to write by predicting the next **token** of a text (a word or a piece of a word), "
        "again and again. "
        "**Pretraining** builds a model from scratch on a large, broad collection of text: slow and expensive. "
        "**Fine-tuning** takes that finished model and trains it a little more on a small, specific dataset. Here a "
        "small generic model (pretrained on {tokens} thousand tokens of English) is fine-tuned on job adverts "
        "written in the house style of a recruitment agency, *Harbour & Finch*. Beside it, the same model trained "
        "from scratch on the same texts, for the same number of steps."
    ).format(tokens=number(generic_model()[2]["corpus_tokens"] / 1e3, 0))
)

for widget_key, default in DEFAULTS.items():
    st.session_state.setdefault(widget_key, default)
links.exercise_link("fine-tuning")


def apply_preset(values: dict) -> None:
    st.session_state.pop("ft_written", None)
    st.session_state.update({**{key: DEFAULTS[key] for key in PRESET_KEYS}, **values})
    live.start(st.session_state, "ft", FineTuneRun(config_from_widgets()))


def config_from_widgets() -> FineTuneConfig:
    state = st.session_state
    return FineTuneConfig(
        style=state.ft_dataset,
        texts=int(state.ft_texts),
        off_style_share=state.ft_off_style / 100,
        learning_rate=float(state.ft_lr),
        steps=int(state.ft_steps),
        temperature=float(state.ft_temperature),
        seed=int(state.ft_seed),
    )


controls, results = look.wrapping_row([1, 3], "tune_halves", min_width=look.CONTROLS_AND_RESULTS, gap="large")
with controls:
    widgets.preset_buttons("ft", PRESETS, apply_preset)
    task_panel("ft", lambda: live.start(st.session_state, "ft", FineTuneRun(config_from_widgets())))
    st.subheader(tr("Data"))
    st.radio(
        tr("Dataset"),
        list(HOUSE_STYLES),
        key="ft_dataset",
        persist_state="session",
        # labels looked up now, in the learner's language: the function may be called after the run
        format_func={style: tr(house.label) for style, house in HOUSE_STYLES.items()}.get,
        help=tr("The generic model has only read English. The Dutch adverts use the same layout in Dutch."),
    )
    st.slider(
        tr("Fine-tuning texts"),
        10,
        100,
        step=10,
        key="ft_texts",
        persist_state="session",
        help=tr("How many adverts the models train on. 20 other adverts are held out."),
    )
    st.slider(
        tr("Off-style texts mixed in"),
        0,
        100,
        step=10,
        format="%d%%",
        key="ft_off_style",
        persist_state="session",
        help=tr(
            "Data quality: this share of the training adverts is swapped for generic corporate adverts "
            "that do not follow the house style."
        ),
    )
    st.subheader(tr("Training"))
    widgets.learning_rate_slider("ft_lr", LEARNING_RATES)
    st.slider(
        tr("Steps"),
        10,
        400,
        step=10,
        key="ft_steps",
        persist_state="session",
        help=tr(
            "One step = one update on 2 stretches of text, each starting at the top of an advert and long enough "
            "for all of it (384 tokens for English, 448 for Dutch)."
        ),
    )
    widgets.decimal_slider(
        tr("Sampling temperature"),
        TEMPERATURES,
        "ft_temperature",
        tr("Low: the model picks its most likely next token. High: more adventurous, more mistakes."),
    )
    st.number_input(
        tr("Seed"),
        0,
        9999,
        key="ft_seed",
        persist_state="session",
        help=tr("The same seed gives exactly the same run and the same samples."),
    )

train_clicked = controls.button(tr("Fine-tune"), type="primary", key="ft_train", width="stretch")
stop_button, reset_button = controls.columns(2)
if train_clicked:
    st.session_state.pop("ft_written", None)  # it was written by the previous run's models
    try:
        with controls, st.spinner(tr("Loading the generic model...")):
            live.start(st.session_state, "ft", FineTuneRun(config_from_widgets()))
    except ValueError as problem:
        controls.error(tr("These settings cannot be trained: {problem}").format(problem=problem))
if stop_button.button(tr("Stop"), key="ft_stop", width="stretch"):
    live.stop(st.session_state, "ft")
if reset_button.button(tr("Reset"), key="ft_reset", width="stretch"):
    live.reset(st.session_state, "ft")
    st.session_state.pop("ft_written", None)


@st.cache_data(max_entries=64, show_spinner=False)
def cached_generic_sample(temperature: float, seed: int) -> str:
    return generic_sample(temperature, seed)


def draw_generic() -> None:
    """Before any training: what the generic model writes, and what making it cost."""
    st.info(tr("Press **Fine-tune**: both models train live, side by side, and write new samples as they learn."))
    left, right = st.columns([3, 2])
    with left:
        st.markdown(
            tr("**What the generic model writes now**, given the prompt `{prompt}`:").format(prompt=PROMPT.strip())
        )
        show_sample(
            cached_generic_sample(float(st.session_state.ft_temperature), int(st.session_state.ft_seed)),
            st.session_state.ft_dataset,
        )
    with right:
        st.markdown(generic_model_reading(generic_model()[2], generic_heldout_losses()))


def draw_results(run: FineTuneRun | None) -> None:
    if run is None:
        draw_generic()
        return
    live.progress(run)
    pins.changed_since_the_run(run.config, config_from_widgets, tr("Fine-tune"))
    history = run.history()
    draw_metrics(run, history)
    previous = st.session_state.get("ft_previous")
    # While the run trains the browser grows the curves on canvases (re-drawing a Plotly figure every half second
    # took half of the browser's CPU and slowed training beside it); a run at rest gets Plotly's hover and zoom,
    # the canvases kept until the browser has drawn it (ui.live_view.until_drawn).
    training = live.is_running(st.session_state, "ft")
    run_id, tick = live.run_number(st.session_state, "ft"), live.current_tick(st.session_state, "ft")
    with live_view.until_drawn("ft_losses"):
        with st.container(key="live-ft_losses"):
            live_view.fine_tuning_losses(run_id, history, run.config.steps, tick, previous)
        if not training:
            stacked = look.current().projector  # as the live panels: one under the other on a projector
            look.chart(fine_tuning_losses(history, run.config.steps, previous, stacked=stacked), key="ft_loss_chart")
    st.caption(loss_caption(training, stacked=look.current().projector))
    pins.tools("ft", run)
    draw_samples(run)
    st.markdown(cost_reading(run.steps_done, run.seconds, run.tokens_seen, run.pretraining))


def loss_caption(training: bool, stacked: bool) -> str:
    if stacked:
        caption = tr("Loss on text the models never trained on (top, middle) and on their training texts (bottom).")
    else:
        caption = tr("Loss on text the models never trained on (left, middle) and on their training texts (right).")
    return caption + (" " + tr("Hover over the curves and zoom in once training ends.") if training else "")


def loss_text(value: float) -> str:
    return number(value, 2) if value == value and value < 100 else tr("blew up")  # value != value: NaN


def draw_metrics(run: FineTuneRun, history) -> None:
    latest = run.samples[-1]
    for name in MODELS:  # one box under the other: side by side, a third of half a laptop's width cut the numbers
        box = st.container(border=True)
        box.markdown(f"**{tr(MODEL_TITLES[name])}**")
        cells = box.columns(3, vertical_alignment="bottom")
        cells[0].metric(
            tr("Held-out loss"),
            loss_text(history.heldout_style[name][-1]),
            help=tr("Loss on the held-out house-style adverts, never trained on (lower is better)."),
        )
        cells[1].metric(
            tr("Markers"),
            tr("{shown} of {total}").format(shown=sum(latest.markers[name].values()), total=len(MARKERS)),
            help=tr("House markers in its latest sample: {markers}.").format(
                markers=", ".join(tr(label) for label in MARKERS.values())
            ),
        )
        cells[2].metric(
            tr("Copied"),
            percent(latest.copied[name]),
            help=tr(
                "Share of its latest sample copied word for word (runs of 40+ characters) "
                "from the training adverts. Phrases every advert shares do not count."
            ),
        )


def draw_samples(run: FineTuneRun) -> None:
    latest = run.samples[-1]
    st.subheader(tr("What they write now (step {step})").format(step=latest.step))
    st.caption(
        tr(
            "Both continue the agency's first line, {prompt}, with the same random numbers: "
            "the differences come from training alone."
        ).format(prompt=repr(PROMPT.strip()))
    )
    columns = st.columns(2)
    for column, name in zip(columns, MODELS, strict=True):
        with column:
            st.markdown(f"**{tr(MODEL_TITLES[name])}**")
            show_sample(latest.texts[name], run.config.style)
            st.markdown(first_in_style_reading(first_in_house_style(run, name)))
    if not run.finished:  # drawn once training ends: re-sending them every half second slows the browser
        st.caption(
            tr("{count} earlier samples, back to step 0, appear here when training ends.").format(
                count=len(run.samples) - 1
            )
        )
        return
    with st.expander(
        tr("Earlier samples, back to step 0 (before training): {count}").format(count=len(run.samples) - 1)
    ):
        for samples in reversed(run.samples[:-1]):
            left, right = st.columns(2)
            for column, name in zip((left, right), MODELS, strict=True):
                column.markdown(
                    tr("Step {step}, {model}").format(step=samples.step, model=tr(MODEL_TITLES[name]).lower())
                )
                column.markdown(sample_html(samples.texts[name], run.config.style), unsafe_allow_html=True)
    if not run.failure:
        read_outcome(run)


def read_outcome(run: FineTuneRun) -> None:
    boxes = {"success": st.success, "info": st.info, "warning": st.warning}
    for kind, sentence in outcome_readings(run):
        boxes[kind](sentence)


def draw_own_advert() -> None:
    """Both models, as trained so far, write an advert for a job the learner types in."""
    run = st.session_state.get("ft_run")
    if run is None or run.failure:
        return
    st.subheader(tr("Ask both models for an advert of your own"))
    title_column, city_column, button_column = st.columns([3, 2, 2], vertical_alignment="bottom")
    title_column.text_input(tr("Job title"), key="ft_job_title", max_chars=JOB_TITLE_LIMIT, placeholder="Night Nurse")
    city_column.text_input(tr("City"), key="ft_job_city", max_chars=JOB_CITY_LIMIT, placeholder="Antwerp")
    if button_column.button(tr("Write the advert"), key="ft_write", width="stretch"):
        try:
            prompt = job_prompt(st.session_state.ft_job_title, st.session_state.ft_job_city)
            st.session_state.ft_written = (prompt, run.steps_done, run.write_advert(prompt))
        except ValueError as problem:
            st.error(tr("That job cannot be written: {problem}.").format(problem=problem))
    if "ft_written" in st.session_state:
        prompt, step, texts = st.session_state.ft_written
        typed = markdown_literal(prompt.strip(), limit=200)
        st.caption(
            tr("Written at step {step}, from the prompt '{prompt}'; the first line is yours.").format(
                step=step, prompt=typed
            )
        )
        for column, name in zip(st.columns(2), MODELS, strict=True):
            column.markdown(f"**{tr(MODEL_TITLES[name])}**")
            column.markdown(sample_html(texts[name], run.config.style, prompt), unsafe_allow_html=True)


with results:
    live.panel("ft", draw_results, train_tick=live.in_background("ft"), tick_seconds=TICK_SECONDS)
    draw_own_advert()
    with st.expander(tr("How the model reads text: tokens, in English and in Dutch")):
        tokens_panel("ft")

st.divider()
st.markdown(
    tr(
        "**Takeaways.** *Training* builds a model from scratch on a broad dataset: it must learn the language itself "
        "before it can learn any style. *Fine-tuning* adjusts an existing model on a smaller, specific dataset: it "
        "is much faster and cheaper, but it always builds on what the existing model already knows, for better (its "
        "English) and worse (its gaps: the generic model has never read Dutch). Train too long on too few texts and "
        "it starts to copy them and to forget some of its general English. And a model only knows what its data "
        "contained: mix in off-style adverts and it learns those too."
    )
)
