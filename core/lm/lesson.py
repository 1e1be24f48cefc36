"""The "Pretraining vs fine-tuning" lesson as a Python API: two copies of one architecture trained side by side.

    >>> from core.lm.lesson import FineTuneConfig, FineTuneRun
    >>> run = FineTuneRun(FineTuneConfig(steps=100))
    >>> while run.advance():
    ...     pass
    >>> run.history().heldout_style["fine_tuned"][-1], run.samples[-1].texts["fine_tuned"]

"fine_tuned" starts from the pretrained generic model, "from_scratch" from random parameters; both
see the same batches of the same texts for the same number of steps. The run also writes samples
from a fixed prompt every few chunks and measures how much of them is copied from the training texts.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from functools import lru_cache

import jax
import numpy as np

from core import corpus
from core.lm import checkpoint, sample, train

MODELS = ("fine_tuned", "from_scratch")
MAX_STEPS = 1000
TEXT_COUNTS = (10, 100)
SAMPLE_LENGTH = 600
SAMPLE_EVERY_STEPS = 15
HELDOUT_EVERY_STEPS = 15  # measuring the held-out losses costs about one step, so not after every chunk
COPY_SPAN = 40  # characters: a verbatim run this long counts as copied
_FIRST_LINE = re.compile(r"[A-Za-z][^|]* \| [A-Z][^|]*")  # after the prompt: "<job title> | <City>"
DIVERGED_LOSS = 8.0  # guessing uniformly among 96 characters costs ln(96) = 4.6; far above that, training blew up


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
    learning_rate: float = 1e-3
    steps: int = 150
    temperature: float = 0.5
    seed: int = 0

    def __post_init__(self):
        if self.style not in corpus.HOUSE_STYLES:
            raise ValueError(f"dataset must be one of {', '.join(corpus.HOUSE_STYLES)}")
        if not 1 <= self.steps <= MAX_STEPS:
            raise ValueError(f"steps must be between 1 and {MAX_STEPS}")
        if not TEXT_COUNTS[0] <= self.texts <= TEXT_COUNTS[1]:
            raise ValueError(f"the number of texts must be between {TEXT_COUNTS[0]} and {TEXT_COUNTS[1]}")
        if not (self.learning_rate > 0 and np.isfinite(self.learning_rate)):
            raise ValueError("learning rate must be a positive number")
        if not 0.0 <= self.off_style_share <= 1.0:
            raise ValueError("the off-style share must be between 0% and 100%")
        if not (self.temperature > 0 and np.isfinite(self.temperature)):
            raise ValueError("temperature must be a positive number")


@dataclass(frozen=True)
class Samples:
    step: int
    texts: dict  # model name -> generated text (prompt not included)
    copied: dict  # model name -> share of its characters copied verbatim from the training texts


@dataclass
class LessonHistory:
    """What has been measured so far, as NumPy arrays per model name."""

    eval_steps: np.ndarray  # steps at which the held-out losses were measured (0 = before training)
    heldout_style: dict
    heldout_general: dict
    train_loss: dict  # one value per step

    @property
    def test_loss(self) -> np.ndarray:
        """The curve kept as 'previous run': (2, n), the steps and the fine-tuned model's held-out house-style loss."""
        return np.stack([self.eval_steps.astype(np.float32), self.heldout_style["fine_tuned"]])


# ---------------------------------------------------------------- measuring the samples


def copy_index(training_texts, common_texts, span: int = COPY_SPAN) -> frozenset:
    """Every `span`-character run of the training texts that does not also occur in `common_texts`
    (so shared house phrases, which every text of the style contains, do not count as copying)."""

    def runs(texts):
        return {text[i : i + span] for text in texts for i in range(len(text) - span + 1)}

    return frozenset(runs(training_texts) - runs(common_texts))


def copied_share(text: str, index: frozenset, span: int = COPY_SPAN) -> float:
    """Share of the characters of `text` that lie inside a run of `span`+ characters found in the index."""
    if not text:
        return 0.0
    copied = np.zeros(len(text), bool)
    for i in range(len(text) - span + 1):
        if text[i : i + span] in index:
            copied[i : i + span] = True
    return float(copied.mean())


def headings_found(text: str, headings) -> int:
    """How many of the house headings appear in their order, each on a line of its own (a heading out of
    order or repeated does not count again)."""
    found, next_allowed = 0, 0
    for line in text.split("\n"):
        if line in headings[next_allowed:]:
            found, next_allowed = found + 1, headings.index(line) + 1
    return found


def has_tilde_bullets(text: str) -> bool:
    return any(line.startswith("~ ") for line in text.split("\n"))


def has_house_first_line(text: str) -> bool:
    """The prompt "HARBOUR & FINCH | " completed to the house's first line: "<job title> | <city>"."""
    return _FIRST_LINE.fullmatch(text.split("\n", 1)[0]) is not None


def takes_house_style(text: str, style: str) -> bool:
    """The automatic "it writes in the house layout" test of a text written after the prompt: it completes
    the first line as "<job title> | <city>", then has at least three of the four house headings in order,
    on lines of their own, and bullets that start with '~ '. No generic text does that by chance."""
    return (
        has_house_first_line(text)
        and headings_found(text, corpus.HOUSE_STYLES[style].headings) >= 3
        and has_tilde_bullets(text)
    )


# ---------------------------------------------------------------- the run


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
        self._data = train.make_data(
            corpus.join_texts(self.texts.train),
            corpus.join_texts(self.texts.heldout),
            corpus.general_tokens("heldout"),
            self.model_config.context,
        )
        self._copy_index = copy_index(self.texts.train, self.texts.heldout)
        starting_params = {
            "fine_tuned": generic_params,
            "from_scratch": train.fresh_params(self.config.seed, config=self.model_config),
        }
        self._states = {
            name: train.init_lm_state(
                params, float(self.config.learning_rate), int(self.config.seed), config=self.model_config
            )
            for name, params in starting_params.items()
        }
        self._chunks = {name: [] for name in MODELS}
        self._evaluations = {name: [self._evaluate(name)] for name in MODELS}
        self._evaluated_at = [0]
        self.steps_done, self.seconds = 0, 0.0
        self.failure: str | None = None  # the model whose training blew up
        self._write_samples()

    # The live panel of pages/live.py counts progress in "epochs": here that is steps.
    @property
    def epochs_done(self) -> int:
        return self.steps_done

    @property
    def finished(self) -> bool:
        return self.failure is not None or self.steps_done >= self.config.steps

    @property
    def characters_seen(self) -> int:
        """Training characters each model has read so far."""
        return self.steps_done * train.BATCH_SIZE * self.model_config.context

    def _evaluate(self, name: str) -> dict:
        return jax.device_get(train.evaluate(self._states[name].params, self._data, config=self.model_config))

    def advance(self) -> bool:
        """Train both models one chunk of steps. Returns True while steps remain."""
        if self.finished:
            return False
        started = time.perf_counter()
        steps_after = min(self.steps_done + train.CHUNK_STEPS, self.config.steps)
        measure = steps_after % HELDOUT_EVERY_STEPS == 0 or steps_after == self.config.steps
        for name in MODELS:
            self._states[name], chunk = train.train_chunk(
                self._states[name], self._data, int(self.config.steps), measure, config=self.model_config
            )
            chunk = jax.device_get(chunk)
            self._chunks[name].append(chunk["train_loss"][: self.config.steps - self.steps_done])
            if measure:
                self._evaluations[name].append({key: chunk[key] for key in ("heldout_style_loss", "heldout_general_loss")})
        if measure:
            self._evaluated_at.append(steps_after)
        self.steps_done = steps_after
        self.seconds += time.perf_counter() - started
        self._check_divergence(measure)
        if self.finished or self.steps_done % SAMPLE_EVERY_STEPS == 0:
            self._write_samples()
        return not self.finished

    def _check_divergence(self, measured: bool) -> None:
        for name in MODELS:
            heldout = list(self._evaluations[name][-1].values()) if measured else []
            losses = np.concatenate([self._chunks[name][-1], heldout])
            if not np.all(np.isfinite(losses)) or np.max(losses) > DIVERGED_LOSS:
                self.failure = name
                return

    def _write_samples(self) -> None:
        """Both models continue the same prompt with the same random numbers, so only training differs."""
        if self.failure is not None:
            return
        texts = {
            name: sample.sample(
                self.model_config,
                self._states[name].params,
                corpus.PROMPT,
                length=SAMPLE_LENGTH,
                temperature=self.config.temperature,
                seed=self.config.seed,
            )
            for name in MODELS
        }
        copied = {name: copied_share(text, self._copy_index) for name, text in texts.items()}
        self.samples.append(Samples(self.steps_done, texts, copied))

    def history(self) -> LessonHistory:
        steps = np.array(self._evaluated_at)

        def series(key):
            return {name: np.array([e[key] for e in self._evaluations[name]], np.float32) for name in MODELS}

        train_loss = {name: np.concatenate([np.zeros(0, np.float32), *self._chunks[name]]) for name in MODELS}
        return LessonHistory(steps, series("heldout_style_loss"), series("heldout_general_loss"), train_loss)


def run_lesson(config: FineTuneConfig) -> FineTuneRun:
    """Train to the end (or until training blows up) and return the finished run."""
    run = FineTuneRun(config)
    while run.advance():
        pass
    return run


# ---------------------------------------------------------------- the generic model on its own


def generic_sample(temperature: float = 0.5, seed: int = 0) -> str:
    """What the pretrained generic model writes after the house prompt, before any fine-tuning."""
    config, params, _ = generic_model()
    return sample.sample(
        config, params, corpus.PROMPT, length=SAMPLE_LENGTH, temperature=float(temperature), seed=int(seed)
    )


@lru_cache(maxsize=1)
def generic_heldout_losses() -> dict:
    """The generic model's loss on the held-out texts of each house style and on held-out general English."""
    config, params, _ = generic_model()
    losses = {}
    for style in corpus.HOUSE_STYLES:
        texts = corpus.fine_tuning_texts(style, corpus.HOUSE_STYLES[style].train_texts)
        windows = train.evaluation_windows(corpus.join_texts(texts.heldout), config.context)
        losses[style] = float(train.windows_loss(params, windows, config=config))
    windows = train.evaluation_windows(corpus.general_tokens("heldout"), config.context)
    losses["general"] = float(train.windows_loss(params, windows, config=config))
    return losses
