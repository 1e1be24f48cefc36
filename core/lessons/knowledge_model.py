"""The models of "What a model knows": what they train on, how they answer the town's questions, and how right they are.

Three abilities, each trained for real on the token model of core.lm:
- **Reading** (the reader, made in advance: `python -m core.lessons.knowledge_model`): the generic model fine-tuned to
  answer a question from passages put before it, on Ternsloot's made-up facts, none of which are Kleiwaard's. So on
  the page it answers questions about documents it never trained on, when retrieval puts them in its context.
- **Knowledge up to a cutoff**: the reader fine-tuned on Kleiwaard's documents dated up to the cutoff, each followed
  by the question it answers (a model learns to recall a fact when asked only if it has seen it asked), with reading
  practice mixed in so that it keeps reading.
- **Fine-tuned on the new documents**: that model trained further on the documents after its cutoff.

Answers are the model's most likely line (core.lm.sample.answer) with the probability it gives it.
"""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass
from functools import lru_cache

import jax
import numpy as np

from core.engine import jax_setup
from core.engine.run import Progress, first_blow_up
from core.lessons import compute, knowledge
from core.lessons.knowledge import Document, Question, World
from core.lessons.retrieval import Retriever
from core.lm import checkpoint, pretrain, sample, token_data, train
from core.lm.model import LMConfig, count_params

PASSAGES = 3  # retrieved passages put before a question
READING_MIX = 200  # reading-practice texts mixed into a cutoff's training, so that the model keeps reading
STREAM_CAPACITY = 2**17  # tokens: every cutoff's texts (the documents and the reading mix), so all share one compile


# ---------------------------------------------------------------- what the models train on


@lru_cache(maxsize=1)
def questions_by_fact(world: World) -> dict[str, Question]:
    return {question.fact: question for question in world.questions}


def stated_answer(world: World, document: Document) -> tuple[Question, str]:
    """The question a document answers, and the answer it states."""
    question = questions_by_fact(world)[document.fact]
    return question, next(answer.answer for answer in question.answers if answer.document == document.id)


def closed_book_text(world: World, document: Document) -> str:
    """A document followed by the question it answers and its answer: a fact as the model learns to recall it."""
    question, answer = stated_answer(world, document)
    return knowledge.training_text(document) + knowledge.closed_book_example(question.question, answer)


def reading_text(world: World, retriever: Retriever, number: int, rng: np.random.Generator) -> str:
    """Reading practice: the question's own document among PASSAGES retrieved ones (in a random place, so that the
    model learns to find it, not to take the first), then the question and its answer."""
    question = world.reading_questions[number]
    own = world.reading_document(question)
    # The best-matching documents about other facts: none of them contradicts the answer (another value of the
    # same fact, older or newer, would).
    found = retriever.search(question.question, 4 * PASSAGES, current_only=False)
    others = [passage.document for passage in found if passage.document.fact != own.fact]
    passages = others[: PASSAGES - 1]
    passages.insert(int(rng.integers(0, len(passages) + 1)), own)
    return knowledge.open_book_example(passages, question.question, question.answer)


@lru_cache(maxsize=1)
def reading_retriever(world: World) -> Retriever:
    return Retriever(world.reading_documents)


@lru_cache(maxsize=1)
def town_retriever(world: World) -> Retriever:
    return Retriever(world.documents)


def reading_texts(world: World, count: int | None = None, seed: int = 0) -> list[str]:
    """The first `count` reading-practice texts (all when None), the same for a seed."""
    rng = np.random.default_rng(seed)
    numbers = range(len(world.reading_questions) if count is None else count)
    return [reading_text(world, reading_retriever(world), number, rng) for number in numbers]


def cutoff_texts(world: World, cutoff: datetime.date, seed: int = 0) -> list[str]:
    """What a model with this knowledge cutoff trains on: every document dated up to the cutoff as a fact to
    recall, and READING_MIX reading-practice texts."""
    documents = knowledge.documents_up_to(world.documents, cutoff)
    return [closed_book_text(world, document) for document in documents] + reading_texts(world, READING_MIX, seed)


def training_data(texts, context: int, capacity: int | None = STREAM_CAPACITY) -> train.LMData:
    """Jit inputs for training on `texts` (no held-out losses are measured, so general English stands in for both
    held-out sets)."""
    heldout = token_data.general_stream("heldout")
    return train.make_data(token_data.stream_of(texts), heldout, heldout, context, capacity, starts_capacity=None)


# ---------------------------------------------------------------- asking the town's questions


@dataclass(frozen=True)
class Reply:
    question: Question
    written: str  # the model's answer
    probability: float  # how sure it was of that answer
    right: bool  # the answer right on the day asked
    passages: tuple = ()  # the retrieved passages it read (open book), best first


def ask(config, params, world: World, question: Question, on: datetime.date, retrieve: bool) -> Reply:
    """The model answers `question` as asked on `on`: from its weights alone, or with the PASSAGES best current
    documents of that day in its context."""
    passages = tuple(town_retriever(world).search(question.question, PASSAGES, up_to=on)) if retrieve else ()
    if retrieve:
        prompt = knowledge.open_book_prompt([passage.document for passage in passages], question.question)
    else:
        prompt = knowledge.closed_book_prompt(question.question)
    written, probability = sample.answer(config, params, prompt)
    return Reply(question, written, probability, knowledge.is_right(written, question.answer_at(on)), passages)


def share_right(replies) -> float:
    return float(np.mean([reply.right for reply in replies])) if replies else float("nan")


# ---------------------------------------------------------------- training a model, live or in advance


READER_STEM = checkpoint.GENERIC_CHECKPOINT.with_name("reader")
READER_STEPS = 600
CUTOFF_STEPS = 150  # about a minute on two cores: the page trains a new cutoff live
LEARNING_RATE = 1e-3
PREPARED_CUTOFFS = (datetime.date(2024, 1, 1),)  # trained in advance: these load at once


def cutoff_stem(cutoff: datetime.date):
    return checkpoint.GENERIC_CHECKPOINT.with_name(f"cutoff-{cutoff.isoformat()}")


@dataclass(frozen=True)
class TrainingConfig:
    """One training of the knowledge lesson: which texts (a cutoff's, or reading practice), how long, how fast."""

    cutoff: datetime.date | None  # None: reading practice only (the reader)
    steps: int = CUTOFF_STEPS
    learning_rate: float = LEARNING_RATE
    seed: int = 0


@dataclass(frozen=True)
class History:
    train_loss: np.ndarray  # one value per step


class KnowledgeRun:
    """One model trained on a cutoff's texts (or reading practice), a step at a time, its batch split over the
    host's devices. Speaks the Run protocol of core.engine.run."""

    def __init__(self, config: TrainingConfig, start_params, model_config: LMConfig):
        self.config, self.model_config = config, model_config
        world = knowledge.load_world()
        texts = reading_texts(world, seed=config.seed) if config.cutoff is None else cutoff_texts(world, config.cutoff)
        self.tokens_per_step = train.BATCH_SIZE * model_config.context
        self._batch_sharding, replicated = pretrain.data_parallel()
        capacity = None if config.cutoff is None else STREAM_CAPACITY
        self._data = jax.device_put(training_data(texts, model_config.context, capacity), replicated)
        state = train.init_lm_state(start_params, float(config.learning_rate), int(config.seed), config=model_config)
        self._state = jax.device_put(state, replicated)
        self._losses: list[float] = []
        self.seconds, self.failure = 0.0, None

    @property
    def steps_done(self) -> int:
        return len(self._losses)

    @property
    def finished(self) -> bool:
        return self.failure is not None or self.steps_done >= self.config.steps

    @property
    def params(self):
        return self._state.params

    def progress(self) -> Progress:
        return Progress(self.steps_done, self.config.steps, "step")

    def advance(self) -> bool:
        if self.finished:
            return False
        started = time.perf_counter()
        self._state, metrics = train.train_chunk(
            self._state,
            self._data,
            self.config.steps,
            False,
            config=self.model_config,
            batch_sharding=self._batch_sharding,
        )
        loss = float(jax.device_get(metrics["train_loss"])[0])
        self.seconds += time.perf_counter() - started
        self._losses.append(loss)
        if first_blow_up([loss], np.log(self.model_config.vocab_size)) is not None:
            self.failure = "blew_up"
        return not self.finished

    def history(self) -> History:
        return History(np.array(self._losses, np.float32))

    def comparison(self):
        return None

    def operations(self) -> float:
        """Training compute so far: about 6 x parameters x tokens read (core.lessons.compute)."""
        return compute.training_operations(count_params(self.model_config), self.steps_done * self.tokens_per_step)

    def facts(self) -> dict:
        return {
            "steps": self.steps_done,
            "batch_size": train.BATCH_SIZE,
            "tokens_seen": self.steps_done * self.tokens_per_step,
            "seconds": round(self.seconds, 1),
            "operations": self.operations(),
            "learning_rate": self.config.learning_rate,
            "seed": self.config.seed,
            "cutoff": None if self.config.cutoff is None else self.config.cutoff.isoformat(),
        }


def train_to_end(run: KnowledgeRun) -> KnowledgeRun:
    while run.advance():
        pass
    return run


def make_prepared_models() -> None:
    """Train the reader from the generic model, then each prepared cutoff from the reader, and save them."""
    model_config, generic_params, _ = checkpoint.load()
    reader = train_to_end(KnowledgeRun(TrainingConfig(None, READER_STEPS), generic_params, model_config))
    checkpoint.save(READER_STEM, model_config, jax.device_get(reader.params), reader.facts())
    print(f"reader: {reader.facts()}", flush=True)
    for cutoff in PREPARED_CUTOFFS:
        run = train_to_end(KnowledgeRun(TrainingConfig(cutoff), reader.params, model_config))
        checkpoint.save(cutoff_stem(cutoff), model_config, jax.device_get(run.params), run.facts())
        print(f"cutoff {cutoff}: {run.facts()}", flush=True)


if __name__ == "__main__":
    jax_setup.enable_compilation_cache()
    jax_setup.split_host_into_devices()
    make_prepared_models()
