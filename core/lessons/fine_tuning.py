"""The "Pretraining vs fine-tuning" lesson as a Python API: two copies of one architecture trained side by side.

    >>> from core.lessons.fine_tuning import FineTuneConfig, FineTuneRun
    >>> run = FineTuneRun(FineTuneConfig(steps=100))
    >>> while run.advance():
    ...     pass
    >>> run.history().heldout_style["fine_tuned"][-1], run.samples[-1].texts["fine_tuned"]

"fine_tuned" starts from the pretrained generic model, "from_scratch" from random parameters; both
see the same batches of the same texts for the same number of steps. The run also writes samples
from a fixed prompt every few chunks and measures how much of them is copied from the training texts.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from functools import lru_cache

import jax
import numpy as np

from core.engine.run import Progress, first_blow_up
from core.i18n import number, percent, tr, tr_later, trn
from core.lessons import house_style
from core.lm import checkpoint, corpus, sample, token_data, train

MODELS = ("fine_tuned", "from_scratch")
MODEL_NAMES = {"fine_tuned": "fine-tuned generic model", "from_scratch": "model trained from scratch"}
LEARNING_RATES = (1e-4, 3e-4, 1e-3, 3e-3, 5e-3, 1e-2, 3e-2, 0.1, 0.3)  # the page's choices; a suggestion is one
# The sampling temperatures the page offers, 0.2 to 1.5 in tenths (rounded, so 0.3 is 0.3 as a link reads it).
TEMPERATURES = tuple(round(0.2 + 0.1 * tenth, 1) for tenth in range(14))
MAX_STEPS = 400
TEXT_COUNTS = (10, 100)
# Measuring the held-out losses of both models costs about two steps (0.43 s against 0.20 s for a step of both, on
# the 2-core development machine) and writing both samples more than one (0.27 s): every tenth step they were a
# quarter of the default run (35 s). Every twentieth the run takes about 30 s; its held-out curves have 7 points
# (16 for the memorization preset), and a sample comes every 4-5 s, time enough to read it. Training is unchanged.
SAMPLE_EVERY_STEPS = 20
HELDOUT_KEYS = ("heldout_style_loss", "heldout_general_loss")
HELDOUT_EVERY_STEPS = 20
# Fine-tuning windows in tokens: the shortest of these that holds every training text whole (an English advert is at
# most 366 tokens, a Dutch one 439), so that no step pays for attention over more text than an advert needs.
WINDOWS = (384, 448, 512)
FROM_TEXT_STARTS = 1.0  # every window starts at the top of an advert: the layout is learned from there
END_SHARE = 0.1  # the learning rate falls in a straight line to this share of the chosen rate at the last step
CLEAR_LEAD = 0.3  # held-out loss: a lead this large reads as "far better"
CLEAR_RISE = 0.15  # held-out loss this far above its best: the model has started memorizing


# The page's "Dutch adverts" preset: the Dutch adverts need more steps than the English ones before the whole layout
# appears (the generic model has read no Dutch, and its tokens cut Dutch into smaller pieces; bench/lm_recipes.json).
DUTCH_PRESET = {"style": "dutch", "texts": 100, "steps": 160}


@lru_cache(maxsize=1)
def generic_model():
    """The pretrained generic model (architecture, parameters, facts), loaded once per process."""
    return checkpoint.load()


@dataclass(frozen=True)
class FineTuneConfig:
    """Everything one side-by-side run depends on."""

    style: str = "english"
    texts: int = 100
    off_style_share: float = 0.0  # share of the fine-tuning texts replaced by off-style ones
    # The defaults: of the recipes measured (5 seeds, 24 adverts each: bench/lm_recipes.py, bench/lm_recipes.json),
    # the one that wrote the whole layout most often for the time it takes (about 43 s for both models on two cores).
    learning_rate: float = 5e-3
    steps: int = 120
    temperature: float = 0.3
    seed: int = 0

    def __post_init__(self):
        if self.style not in corpus.HOUSE_STYLES:
            raise ValueError(tr("dataset must be one of {choices}").format(choices=", ".join(corpus.HOUSE_STYLES)))
        if not 1 <= self.steps <= MAX_STEPS:
            raise ValueError(tr("steps must be between 1 and {most}").format(most=MAX_STEPS))
        if not TEXT_COUNTS[0] <= self.texts <= TEXT_COUNTS[1]:
            raise ValueError(
                tr("the number of texts must be between {least} and {most}").format(
                    least=TEXT_COUNTS[0], most=TEXT_COUNTS[1]
                )
            )
        if not (self.learning_rate > 0 and np.isfinite(self.learning_rate)):
            raise ValueError(tr("learning rate must be a positive number"))
        if not 0.0 <= self.off_style_share <= 1.0:
            raise ValueError(tr("the off-style share must be between 0% and 100%"))
        if not (self.temperature > 0 and np.isfinite(self.temperature)):
            raise ValueError(tr("temperature must be a positive number"))


@dataclass(frozen=True)
class Samples:
    step: int
    texts: dict  # model name -> generated text (prompt not included)
    copied: dict  # model name -> share of its characters copied verbatim from the training texts
    markers: dict  # model name -> {marker: shown?} (see core.lessons.house_style.MARKERS)
    real_words: dict  # model name -> share of its words that are real words
    in_house_style: dict  # model name -> does it read as the house style (core.lessons.house_style.writes_house_style)?
    seconds: float  # training seconds (both models) before these samples were written


@dataclass
class LessonHistory:
    """What has been measured so far, as NumPy arrays per model name."""

    eval_steps: np.ndarray  # steps at which the held-out losses were measured (0 = before training)
    heldout_style: dict
    heldout_general: dict
    train_loss: dict  # one value per step

    def heldout_style_curve(self, name: str) -> np.ndarray:
        """(2, n): the steps at which the held-out house-style loss of model `name` was measured, and that loss."""
        return np.stack([self.eval_steps.astype(np.float32), self.heldout_style[name]])


# ---------------------------------------------------------------- the run


def advert_text(config, params, prompt: str, *, temperature: float, seed: int) -> str:
    """What a model writes after `prompt`: one advert, up to the gap with which it ends it (see advert_part)."""
    return house_style.advert_part(sample.sample(config, params, prompt, temperature=temperature, seed=seed))


def advert_texts(config, states: dict, prompt: str, *, temperature: float, seed: int) -> dict:
    """advert_text for every model of MODELS at once (from `states`, model name -> LMState): the two write side by
    side, each on its own device."""
    written = sample.sample_each(
        config, [states[name].params for name in MODELS], prompt, temperature=temperature, seed=seed
    )
    return {name: house_style.advert_part(text) for name, text in zip(MODELS, written)}


def learning_rate_at(step: int, config: FineTuneConfig) -> float:
    """The learning rate of a step: the chosen rate at the first, falling in a straight line to END_SHARE of it at
    the last. Smaller steps at the end let the model settle instead of jumping around the house style it found
    (the samples at the end of a run are the ones a learner reads)."""
    return config.learning_rate * (1 - (1 - END_SHARE) * step / max(config.steps - 1, 1))


def fine_tuning_data(texts: corpus.FineTuningTexts, window: int) -> train.LMData:
    """The jit inputs of a fine-tuning run: its training texts as one stream, measured on its held-out
    texts and on held-out general English in windows of `window` tokens (the training window: each held-out advert
    whole, and a measurement costs a third less than over the model's whole context)."""
    return train.make_data(
        token_data.stream_of(texts.train),
        token_data.stream_of(texts.heldout),
        token_data.general_stream("heldout"),
        window,
        start_share=FROM_TEXT_STARTS,
    )


def training_window(texts: corpus.FineTuningTexts, context: int) -> int:
    """The training window for these texts: the shortest of WINDOWS that holds the longest of them and the gap
    after it (the model's context if none does)."""
    stream = token_data.stream_of(texts.train)
    longest = int(np.diff([*stream.starts, len(stream.tokens)]).max())
    return next((window for window in WINDOWS if window >= longest), context)


def _weights_only(states: dict) -> dict:
    """A finished run's models only write (samples, adverts): drop the optimizer's moments, twice the
    weights' size (~9 MB a run, otherwise kept as long as the learner's session)."""
    return {name: state._replace(opt_state=None) for name, state in states.items()}


@dataclass(repr=False)
class FineTuneRun:
    """Fine-tuning the generic model and training from scratch, one chunk of steps at a time."""

    config: FineTuneConfig
    samples: list = field(default_factory=list)

    def __post_init__(self):
        self.model_config, generic_params, self.pretraining = generic_model()
        self.texts = corpus.fine_tuning_texts(
            self.config.style, self.config.texts, self.config.off_style_share, self.config.seed
        )
        # Each model trains on a device of its own (one per core where the host is split in two): both are
        # dispatched at once and train side by side, in about 0.6 of the time they take one after the other.
        devices = jax.devices()
        self._devices = {name: devices[i % len(devices)] for i, name in enumerate(MODELS)}
        self.window = training_window(self.texts, self.model_config.context)
        data = fine_tuning_data(self.texts, self.window)
        self._data = {name: jax.device_put(data, device) for name, device in self._devices.items()}
        self._copy_index = house_style.copy_index(self.texts.train, self.texts.heldout)
        starting_params = {
            "fine_tuned": generic_params,
            "from_scratch": train.fresh_params(self.config.seed, config=self.model_config),
        }
        self._states = {
            name: train.init_lm_state(
                jax.device_put(params, self._devices[name]),
                float(self.config.learning_rate),
                int(self.config.seed),
                config=self.model_config,
            )
            for name, params in starting_params.items()
        }
        self._chunks = {name: [] for name in MODELS}
        self._evaluations = {name: [self._evaluate(name)] for name in MODELS}
        self._evaluated_at = [0]
        self.steps_done, self.seconds = 0, 0.0
        self.failure: str | None = None  # "blew_up" once a model's training blew up
        self.failed_model: str | None = None  # which of MODELS it was
        self._lock = threading.Lock()  # a page may draw the run while a worker thread trains it
        self.samples.append(self._samples_of(self._states, 0, 0.0))

    @property
    def finished(self) -> bool:
        return self.failure is not None or self.steps_done >= self.config.steps

    def progress(self) -> Progress:
        return Progress(self.steps_done, self.config.steps, "step")

    def comparison(self) -> np.ndarray | None:
        """The fine-tuned model's held-out house-style loss, (2, n): the steps it was measured at and the loss."""
        return self.history().heldout_style_curve("fine_tuned") if self.steps_done else None

    @property
    def tokens_seen(self) -> int:
        """Training tokens each model has read so far."""
        return self.steps_done * train.BATCH_SIZE * self.window

    def _evaluate(self, name: str) -> dict:
        return jax.device_get(train.evaluate(self._states[name].params, self._data[name], config=self.model_config))

    def advance(self) -> bool:
        """Train both models one chunk of steps. Returns True while steps remain.

        Another thread may draw the run meanwhile: the new results are computed first and then added
        all at once under the run's lock, so a reader never sees half a chunk."""
        if self.finished:
            return False
        started = time.perf_counter()
        steps_after = min(self.steps_done + train.CHUNK_STEPS, self.config.steps)
        measure = steps_after % HELDOUT_EVERY_STEPS == 0 or steps_after == self.config.steps
        for state in self._states.values():  # a traced value: a new rate every chunk compiles nothing
            state.opt_state.hyperparams["learning_rate"] = np.float32(learning_rate_at(self.steps_done, self.config))
        trained = {  # both dispatched before either is read, so that they run at the same time
            name: train.train_chunk(
                self._states[name],
                self._data[name],
                int(self.config.steps),
                measure,
                config=self.model_config,
                window=self.window,
            )
            for name in MODELS
        }
        states = {name: state for name, (state, _) in trained.items()}
        chunks = {name: jax.device_get(chunk) for name, (_, chunk) in trained.items()}
        for chunk in chunks.values():
            chunk["train_loss"] = chunk["train_loss"][: self.config.steps - self.steps_done]
        seconds = self.seconds + time.perf_counter() - started
        failed_model = self._diverged(chunks, measure)
        due = steps_after == self.config.steps or steps_after % SAMPLE_EVERY_STEPS == 0
        samples = self._samples_of(states, steps_after, seconds) if due and failed_model is None else None
        if steps_after >= self.config.steps or failed_model is not None:
            states = _weights_only(states)
        with self._lock:
            self._states = states
            for name in MODELS:
                self._chunks[name].append(chunks[name]["train_loss"])
                if measure:
                    self._evaluations[name].append({key: chunks[name][key] for key in HELDOUT_KEYS})
            if measure:
                self._evaluated_at.append(steps_after)
            if samples is not None:
                self.samples.append(samples)
            self.steps_done, self.seconds, self.failed_model = steps_after, seconds, failed_model
            self.failure = None if failed_model is None else "blew_up"
        return not self.finished

    def _diverged(self, chunks: dict, measured: bool) -> str | None:
        """The model whose losses blew up in this chunk, if any (measured against guessing every token)."""
        guessing = np.log(self.model_config.vocab_size)
        for name in MODELS:
            heldout = [chunks[name][key] for key in HELDOUT_KEYS] if measured else []
            if first_blow_up(np.concatenate([chunks[name]["train_loss"], heldout]), guessing) is not None:
                return name
        return None

    def _samples_of(self, states: dict, step: int, seconds: float) -> Samples:
        """Both models continue the same prompt with the same random numbers, so only training differs."""
        texts = advert_texts(
            self.model_config, states, corpus.PROMPT, temperature=self.config.temperature, seed=self.config.seed
        )
        house = self.config.style

        def per_model(measure):
            return {name: measure(text) for name, text in texts.items()}

        return Samples(
            step,
            texts,
            copied=per_model(lambda text: house_style.copied_share(text, self._copy_index)),
            markers=per_model(lambda text: house_style.house_markers(text, house)),
            real_words=per_model(house_style.real_word_share),
            in_house_style=per_model(lambda text: house_style.writes_house_style(text, house)),
            seconds=seconds,
        )

    def write_advert(self, prompt: str) -> dict:
        """Both models, as trained so far, continue `prompt` (see corpus.job_prompt) with the run's temperature
        and seed: model name -> text written after the prompt."""
        with self._lock:
            states = dict(self._states)
        return advert_texts(
            self.model_config, states, prompt, temperature=self.config.temperature, seed=self.config.seed
        )

    def history(self) -> LessonHistory:
        with self._lock:
            return self._history()

    def _history(self) -> LessonHistory:
        steps = np.array(self._evaluated_at)

        def series(key):
            return {name: np.array([e[key] for e in self._evaluations[name]], np.float32) for name in MODELS}

        train_loss = {name: np.concatenate([np.zeros(0, np.float32), *self._chunks[name]]) for name in MODELS}
        return LessonHistory(steps, series("heldout_style_loss"), series("heldout_general_loss"), train_loss)


def first_in_house_style(run: FineTuneRun, name: str):
    """The first samples in which model `name` wrote in the house style, or None."""
    return next((samples for samples in run.samples if samples.in_house_style[name]), None)


def run_lesson(config: FineTuneConfig) -> FineTuneRun:
    """Train to the end (or until training blows up) and return the finished run."""
    run = FineTuneRun(config)
    while run.advance():
        pass
    return run


def outcome_readings(run: FineTuneRun) -> list[tuple[str, str]]:
    """What a finished run showed, in words: (kind, sentence) pairs, kind one of "success", "info", "warning"."""
    history, latest, house = run.history(), run.samples[-1], run.config.style
    fine_tuned, scratch = (float(history.heldout_style[name][-1]) for name in MODELS)
    if not fine_tuned < scratch:
        return [
            (
                "warning",
                tr(
                    "The fine-tuned model is not ahead of the model trained from scratch: with this learning rate or "
                    "this data it has lost what pretraining gave it."
                ),
            )
        ]
    markers = {name: sum(latest.markers[name].values()) for name in MODELS}
    words = {name: latest.real_words[name] for name in MODELS}
    if scratch - fine_tuned > CLEAR_LEAD:
        ahead = tr(
            "After {steps} steps the fine-tuned model predicts unseen house-style adverts far better than the same "
            "model trained from scratch (loss {fine_tuned} against {scratch}): the scratch model had to learn the "
            "language itself first."
        )
    else:
        ahead = tr(
            "After {steps} steps the fine-tuned model predicts unseen house-style adverts better than the same "
            "model trained from scratch (loss {fine_tuned} against {scratch}): the scratch model had to learn the "
            "language itself first."
        )
    if words["from_scratch"] < house_style.REAL_WORDS_NEEDED:
        sample_words = tr(
            "Its latest sample shows {markers} of the {total} house markers, and {words} of its words are real "
            "words. The model trained from scratch: {scratch_markers} and {scratch_words} real words: "
            "{adverts} adverts are not enough to learn a language from scratch."
        )
    else:
        sample_words = tr(
            "Its latest sample shows {markers} of the {total} house markers, and {words} of its words are real "
            "words. The model trained from scratch: {scratch_markers} and {scratch_words} real words."
        )
    readings = [
        (
            "success",
            ahead.format(steps=run.steps_done, fine_tuned=number(fine_tuned, 2), scratch=number(scratch, 2)),
        ),
        (
            "success" if latest.in_house_style["fine_tuned"] else "info",
            sample_words.format(
                markers=markers["fine_tuned"],
                total=len(house_style.MARKERS),
                words=percent(words["fine_tuned"]),
                scratch_markers=trn("{count} marker", "{count} markers", markers["from_scratch"]).format(
                    count=markers["from_scratch"]
                ),
                scratch_words=percent(words["from_scratch"]),
                adverts=len(run.texts.train),
            ),
        ),
    ]
    if not house_style.has_whole_layout(latest.texts["fine_tuned"], house):
        readings.append(
            (
                "info",
                tr(
                    "The whole layout in order (the title line, then the headings one after the other) is not there "
                    "yet: a model this small picks up the house phrases and markers sooner than their order."
                ),
            )
        )
    general = history.heldout_general["fine_tuned"]
    if general[-1] > general[0] + CLEAR_RISE:
        readings.append(
            (
                "info",
                tr(
                    "What fine-tuning cost it: its loss on general English it never saw rose from {before} before "
                    "fine-tuning to {after}. Learning the house style, it forgot some general English; a smaller "
                    "learning rate or fewer steps keep more of it."
                ).format(before=number(general[0], 2), after=number(general[-1], 2)),
            )
        )
    losses = history.heldout_style["fine_tuned"]
    best = int(np.argmin(losses))
    if fine_tuned > losses[best] + CLEAR_RISE:
        readings.append(
            (
                "warning",
                tr(
                    "The fine-tuned model's loss on unseen adverts was lowest at step {step} ({lowest}) and has "
                    "risen since, to {now}: after that it learned its {adverts} training adverts by heart instead "
                    "of the house style."
                ).format(
                    step=history.eval_steps[best],
                    lowest=number(losses[best], 2),
                    now=number(fine_tuned, 2),
                    adverts=len(run.texts.train),
                ),
            )
        )
    if max(latest.copied.values()) > 0.3:
        readings.append(
            (
                "warning",
                tr(
                    "A large part of the latest sample is copied word for word from the training adverts: the model "
                    "is memorizing them. Fewer steps or more adverts help."
                ),
            )
        )
    return readings


def suggested_learning_rate(failed_rate: float, pretraining_peak: float, choices=LEARNING_RATES) -> float:
    """A rate to try after `failed_rate` blew up: a tenth of it, never above the peak rate the generic model was
    pretrained with (fine-tuning needs no bigger steps than building the model did), snapped down to the nearest
    of `choices` (the smallest choice if none is that low)."""
    target = min(failed_rate / 10, pretraining_peak)
    lower = [rate for rate in choices if rate <= target * (1 + 1e-9)]  # 0.3 / 10 is 0.030000000000000002
    return max(lower) if lower else min(choices)


def rate_text(rate: float) -> str:
    """A learning rate as the language writes it, with as many decimals as it needs: 0.003 in English, 0,003 in
    Dutch (what f"{rate:g}" writes, with the language's decimal mark)."""
    written = f"{rate:g}"
    if "e" in written:
        return written
    return number(rate, len(written.partition(".")[2]))


BLEW_UP = {  # model name -> why training stopped, in words
    "fine_tuned": tr_later(
        "Training failed: the loss of the fine-tuned generic model blew up (it got worse, not better) and training "
        "was stopped."
    ),
    "from_scratch": tr_later(
        "Training failed: the loss of the model trained from scratch blew up (it got worse, not better) and training "
        "was stopped."
    ),
}


def failure_text(failed_model: str, learning_rate: float, pretraining_peak: float) -> str:
    """Why training stopped (`failed_model` blew up at `learning_rate`) and which learning rate to try instead."""
    smaller = suggested_learning_rate(learning_rate, pretraining_peak)
    advice = tr(
        "A learning rate of {rate} is too high for this model: try {smaller} (at most a tenth of it, and no more "
        "than the {peak} the generic model was pretrained with)."
    ).format(rate=rate_text(learning_rate), smaller=rate_text(smaller), peak=rate_text(pretraining_peak))
    return f"{tr(BLEW_UP[failed_model])} {advice}"


def first_in_style_reading(first: Samples | None) -> str:
    """When a model first wrote in the house style (see first_in_house_style), or that it has not yet."""
    if first is None:
        return tr("Has not yet written in the house style ({needed} of the {total} markers, in real words).").format(
            needed=house_style.STYLE_MARKERS_NEEDED, total=len(house_style.MARKERS)
        )
    return tr(
        "First wrote in the house style at **step {step}**, after **{seconds} s** of training "
        "(both models, side by side)."
    ).format(step=first.step, seconds=number(first.seconds, 1))


def cost_reading(steps_done: int, seconds: float, tokens_seen: int, pretraining: dict) -> str:
    """What fine-tuning has cost so far (`seconds` for both models together) against pretraining's facts."""
    share = tokens_seen / pretraining["tokens_seen"]
    return tr(
        "**Cost.** Fine-tuning so far: **{steps} steps**, **{seconds} seconds** per model, "
        "**{tokens} thousand tokens** read. Pretraining the generic model took "
        "{pretraining_steps} steps, {minutes} minutes and {million} million tokens: fine-tuning used "
        "**{share}** of that. A real generic model costs millions; fine-tuning it costs a tiny fraction, but you "
        "can only fine-tune a model someone has already pretrained."
    ).format(
        steps=steps_done,
        seconds=number(seconds / len(MODELS), 0),
        tokens=number(tokens_seen / 1e3, 0),
        pretraining_steps=number(pretraining["steps"]),
        minutes=number(pretraining["seconds"] / 60, 1),
        million=number(pretraining["tokens_seen"] / 1e6, 1),
        share=percent(share, 1),
    )


def generic_model_reading(pretraining: dict, heldout_losses: dict) -> str:
    """How the generic model was made and how surprised it is by each kind of text (generic_heldout_losses)."""
    vocabulary = pretraining["architecture"]["vocab_size"]
    made = tr(
        "**How the generic model was made.** {steps} training steps, {million} million tokens read, {minutes} "
        "minutes of computing, {parameters} parameters. It has read English: Python's documentation, everyday "
        "texts and job adverts of many employers in many layouts, but never one from Harbour & Finch."
    ).format(
        steps=number(pretraining["steps"]),
        million=number(pretraining["tokens_seen"] / 1e6, 1),
        minutes=number(pretraining["seconds"] / 60, 1),
        parameters=number(pretraining["parameters"]),
    )
    surprised = tr(
        "**Loss** measures how surprised a model is by a text (lower is better; guessing blindly among "
        "{vocabulary} tokens scores {guessing}). The generic model scores **{general}** on English it never saw, "
        "**{english}** on Harbour & Finch adverts and **{dutch}** on the Dutch ones."
    ).format(
        vocabulary=number(vocabulary),
        guessing=number(np.log(vocabulary), 1),
        general=number(heldout_losses["general"], 2),
        english=number(heldout_losses["english"], 2),
        dutch=number(heldout_losses["dutch"], 2),
    )
    return f"{made}\n\n{surprised}"


# ---------------------------------------------------------------- the generic model on its own


def generic_sample(temperature: float = 0.5, seed: int = 0) -> str:
    """What the pretrained generic model writes after the house prompt, before any fine-tuning."""
    config, params, _ = generic_model()
    return advert_text(config, params, corpus.PROMPT, temperature=float(temperature), seed=int(seed))


@lru_cache(maxsize=1)
def generic_heldout_losses() -> dict:
    """The generic model's loss on the held-out texts of each house style and on held-out general English."""
    config, params, _ = generic_model()
    losses = {}
    # In the windows a run of each style measures its held-out adverts in, as at its step 0; general English in the
    # English run's window (a Dutch run measures it in its longer window: its step 0 reads a little differently).
    for style_name, house in corpus.HOUSE_STYLES.items():
        texts = corpus.fine_tuning_texts(style_name, house.train_texts)
        window = training_window(texts, config.context)
        windows = train.evaluation_windows(token_data.stream_of(texts.heldout), window)
        losses[style_name] = float(train.windows_loss(params, windows, config=config))
    windows = train.evaluation_windows(token_data.general_stream("heldout"), WINDOWS[0])
    losses["general"] = float(train.windows_loss(params, windows, config=config))
    return losses
