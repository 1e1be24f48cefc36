"""The models of "What a model knows": what they train on, how they answer the town's questions, and how right they are.

Three abilities, each trained for real on the token model of core.lm:
- **Reading** (the reader, made in advance: `python -m core.lessons.knowledge_model`): the generic model fine-tuned to
  answer a question from passages put before it, on the reading towns' made-up facts, none of which are Kleiwaard's,
  with copy practice beside it (the generic model could not copy from its context at all). So on the page it answers
  questions about documents it never trained on, when retrieval puts them in its context.
- **Knowledge up to a cutoff**: the reader fine-tuned on Kleiwaard's documents dated up to the cutoff and on each
  fact's question with its answer on the cutoff day (a model learns to recall a fact when asked only if it has seen
  it asked), with reading practice mixed in so that it keeps reading.
- **Fine-tuned on the new documents**: that model trained further on the documents after its cutoff.

Every example is a prompt and its completion; the loss weighs the completion's tokens fully and the prompt's little
(PROMPT_WEIGHT), so that a small model spends its training on answering. Answers are the model's most likely line
(core.lm.sample.answers) with the probability it gives it.
"""

from __future__ import annotations

import collections
import dataclasses
import datetime
import re
import sys
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
READING_MIX = 500  # reading-practice examples mixed into a cutoff's training, so that the model keeps reading
CONFLICT_MIX = 400  # examples in a cutoff's training whose passage contradicts what the model learned (see below)
RECALL_REPEATS = 4  # each fact's question appears this often in a cutoff's training (RECALL_REPEATS x facts texts)
PROMPT_WEIGHT = 0.02  # loss weight of a prompt's tokens (passages, documents, questions); an answer's weigh 1
COPY_PRACTICE = 1.0  # copy-practice examples per reading example in the reader's training (see copy_example)
WINDOW = 320  # tokens a training window holds: every town and conflict example fits, and all but 73 of the 9,366
# reading examples (the longest 365 tokens: three passages with long names); those lose the end of their answer
BATCH_SIZE = 8  # windows per step, split over the host's devices
STREAM_CAPACITY = 2**18  # tokens: every cutoff's texts (the documents and the reading mix), so all share one compile


# ---------------------------------------------------------------- what the models train on


@lru_cache(maxsize=1)
def questions_by_fact(world: World) -> dict[str, Question]:
    return {question.fact: question for question in world.questions}


def stated_answer(world: World, document: Document) -> tuple[Question, str]:
    """The question a document answers, and the answer it states."""
    question = questions_by_fact(world)[document.fact]
    return question, next(answer.answer for answer in question.answers if answer.document == document.id)


def recall_example(world: World, document: Document) -> tuple[str, str]:
    """The question a document answers, alone, and the answer it states: a fact as the model learns to recall it
    (a model learns to answer a question from memory only if it has seen the fact asked for; reading the
    document alone is not enough)."""
    question, answer = stated_answer(world, document)
    return knowledge.closed_book_prompt(question.question), knowledge.answer_text(answer)


def reading_example(world: World, retriever: Retriever, number: int, rng: np.random.Generator) -> tuple[str, str]:
    """Reading practice: the question's own document among PASSAGES retrieved ones (in a random place, so that the
    model learns to find it, not to take the first), then the question; and the answer."""
    question = world.reading_questions[number]
    own = world.reading_document(question)
    # The best-matching documents about other facts: none of them contradicts the answer (another value of the
    # same fact, older or newer, would).
    found = retriever.search(question.question, 4 * PASSAGES, current_only=False)
    others = [passage.document for passage in found if passage.document.fact != own.fact]
    passages = others[: PASSAGES - 1]
    passages.insert(int(rng.integers(0, len(passages) + 1)), own)
    return knowledge.open_book_prompt(passages, question.question), knowledge.answer_text(question.answer)


@lru_cache(maxsize=1)
def reading_retriever(world: World) -> Retriever:
    return Retriever(world.reading_documents)


@lru_cache(maxsize=1)
def town_retriever(world: World) -> Retriever:
    return Retriever(world.documents)


@lru_cache(maxsize=1)
def printable_tokens() -> np.ndarray:
    """The ids of the tokens that are printable text on one line: words, pieces of words, digits, punctuation."""
    texts = [token_data.decode([number]) for number in range(token_data.shipped_tokenizer().get_vocab_size())]
    return np.array([number for number, text in enumerate(texts) if text.isascii() and text.isprintable()], np.int32)


def copy_example(rng: np.random.Generator) -> tuple[str, str]:
    """Copy practice: a few random tokens (pieces of words, numbers, signs), then the same text again. The generic
    model cannot copy from its context at all (shown a random token sequence twice, it is as surprised the second
    time as the first), and answering from a passage is copying the right words out of it."""
    text = token_data.decode(rng.choice(printable_tokens(), size=int(rng.integers(2, 16)))).strip()
    return f"Copy: {text}\nAgain:", f" {text}\n"


def reading_examples(world: World, count: int | None = None, seed: int = 0) -> list[tuple[str, str]]:
    """The first `count` reading-practice examples (all when None), the same for a seed."""
    rng, retriever = np.random.default_rng(seed), reading_retriever(world)
    numbers = range(len(world.reading_questions) if count is None else count)
    return [reading_example(world, retriever, number, rng) for number in numbers]


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def other_value(value: str, values_like_it: list[str], rng: np.random.Generator) -> str:
    """A made-up value of the same form as `value`: another price, time, weekday, rate or phone number, or another
    name or address from `values_like_it` (answers to the same question about other businesses)."""
    if re.fullmatch(r"EUR \d+\.\d\d", value):
        return f"EUR {max(0.05, round(float(value[4:]) * rng.uniform(0.5, 2.0) * 20) / 20):.2f}"
    if re.fullmatch(r"\d{1,2}:\d\d", value):
        return f"{int(rng.integers(6, 24))}:{rng.choice(['00', '15', '30', '45'])}"
    if value in WEEKDAYS:
        return str(rng.choice([day for day in WEEKDAYS if day != value]))
    if re.fullmatch(r"\d+(\.\d+)?%", value):
        return f"{float(rng.integers(1, 40)) / 4:g}%"
    if re.fullmatch(r"\d+-\d+", value):
        return re.sub(r"(?<=-)\d+", lambda found: "".join(str(rng.integers(10)) for _ in found.group()), value)
    return str(rng.choice([other for other in values_like_it if other != value]))


def question_form(question: str, subject: str) -> str:
    """A question with its business or town taken out: "Who is the owner of {}?", "Who is the mayor of {}?"."""
    return question.replace(subject, "{}").replace(subject.removesuffix(" town hall"), "{}")


@lru_cache(maxsize=1)
def answers_by_question_form(world: World) -> dict[str, list[str]]:
    """Every answer in the world, town and reading towns, grouped by the form of its question."""
    found: dict[str, list[str]] = {}
    for question in world.reading_questions:
        form = question_form(question.question, world.reading_document(question).subject)
        found.setdefault(form, []).append(question.answer)
    for document in world.documents:
        question, answer = stated_answer(world, document)
        found.setdefault(question_form(question.question, document.subject), []).append(answer)
    return found


def conflict_example(world: World, document: Document, cutoff: datetime.date, rng: np.random.Generator):
    """Practice for when a passage contradicts memory: one of the town's documents from before the cutoff, its value
    replaced by a made-up one (never a value the fact really takes) and dated after the cutoff, among other passages;
    the answer is what the passage says. Without it the model learns that its own town's questions are answered
    from memory and repeats an old answer next to a newer passage that it reads correctly for any other town."""
    question, answer = stated_answer(world, document)
    taken = {known.answer for known in question.answers}
    values_like_it = answers_by_question_form(world)[question_form(question.question, document.subject)]
    made_up = other_value(answer, [value for value in values_like_it if value not in taken], rng)
    while made_up in taken:
        made_up = other_value(answer, values_like_it, rng)
    date = cutoff + datetime.timedelta(days=int(rng.integers(1, 900)))
    text = document.text.replace(answer, made_up).replace(
        knowledge.date_in_words(document.date), knowledge.date_in_words(date)
    )
    changed = dataclasses.replace(document, id=f"{document.id}-new", date=date, text=text)
    found = town_retriever(world).search(question.question, 4 * PASSAGES, up_to=cutoff)
    passages = [passage.document for passage in found if passage.document.fact != document.fact][: PASSAGES - 1]
    passages.insert(int(rng.integers(0, len(passages) + 1)), changed)
    return knowledge.open_book_prompt(passages, question.question), knowledge.answer_text(made_up)


def conflict_examples(world: World, cutoff: datetime.date, count: int, seed: int = 0) -> list[tuple[str, str]]:
    rng = np.random.default_rng(seed + 1)
    current = knowledge.current_documents(world.documents, cutoff)
    return [conflict_example(world, current[number % len(current)], cutoff, rng) for number in range(count)]


def cutoff_examples(world: World, cutoff: datetime.date, seed: int = 0) -> list[tuple[str, str]]:
    """What a model with this knowledge cutoff trains on: every document dated up to the cutoff (to read), each
    fact's answer on the cutoff day as a question to recall, READING_MIX reading-practice examples so that it keeps
    reading and CONFLICT_MIX where a passage overrules what it learned. Older answers are not asked: the model would
    learn two answers to one question."""
    documents = knowledge.documents_up_to(world.documents, cutoff)
    current = knowledge.current_documents(world.documents, cutoff)
    read = [(knowledge.training_text(document), "") for document in documents]
    recall = [recall_example(world, document) for document in current]
    conflicts = conflict_examples(world, cutoff, CONFLICT_MIX, seed)
    return read + RECALL_REPEATS * recall + reading_examples(world, READING_MIX, seed) + conflicts


def training_data(examples, context: int, capacity: int | None = STREAM_CAPACITY) -> train.LMData:
    """Jit inputs for training on (prompt, completion) examples, the completions weighing most (no held-out losses
    are measured, so general English stands in for both held-out sets)."""
    heldout = token_data.general_stream("heldout")
    stream = token_data.prompted_stream_of(examples, PROMPT_WEIGHT)
    return train.make_data(stream, heldout, heldout, context, capacity, starts_capacity=None, start_share=1.0)


# ---------------------------------------------------------------- asking the town's questions


@dataclass(frozen=True)
class Reply:
    question: Question
    written: str  # the model's answer
    probability: float  # how sure it was of that answer
    right: bool  # the answer right on the day asked
    passages: tuple = ()  # the retrieved passages it read (open book), best first


def prompt_for(world: World, question: Question, on: datetime.date, retrieve: bool, passages=None):
    """The prompt for `question` asked on `on`, and the passages in it: none (closed book), the PASSAGES best
    current documents of that day, or the `passages` given (to show what a wrong passage does)."""
    if not retrieve:
        return knowledge.closed_book_prompt(question.question), ()
    if passages is None:
        passages = town_retriever(world).search(question.question, PASSAGES, up_to=on)
    passages = tuple(passages)
    return knowledge.open_book_prompt([passage.document for passage in passages], question.question), passages


def ask(config, params, world: World, question: Question, on: datetime.date, retrieve: bool, passages=None) -> Reply:
    """The model answers `question` as asked on `on`: from its weights alone, or with passages in its context
    (the retriever's, or those given)."""
    find = None if passages is None else (lambda _question: passages)
    return ask_many(config, params, world, [question], on, retrieve, find)[0]


def ask_many(config, params, world: World, questions, on: datetime.date, retrieve: bool, find=None) -> list:
    """`ask` for many questions at once (batched: several times faster than one by one). `find(question)` gives the
    passages a question is asked with; without it, retrieval's best current documents of that day."""
    prompts = [prompt_for(world, question, on, retrieve, find(question) if find else None) for question in questions]
    written = sample.answers(config, params, [prompt for prompt, _ in prompts])
    return [
        Reply(question, text, probability, knowledge.is_right(text, question.answer_at(on)), shown)
        for question, (_, shown), (text, probability) in zip(questions, prompts, written, strict=True)
    ]


def share_right(replies) -> float:
    return float(np.mean([reply.right for reply in replies])) if replies else float("nan")


# ---------------------------------------------------------------- training a model, live or in advance


READER_STEM = checkpoint.GENERIC_CHECKPOINT.with_name("reader")
READER_STEPS = 4000
CUTOFF_STEPS = 200  # under two minutes on two cores: the page trains a new cutoff live
LEARNING_RATE = 2e-3
END_SHARE = 0.1  # the learning rate falls in a straight line to this share of itself over a run
PREPARED_CUTOFFS = (knowledge.DEFAULT_CUTOFF,)  # trained in advance: these load at once


def cutoff_stem(cutoff: datetime.date):
    return checkpoint.GENERIC_CHECKPOINT.with_name(f"cutoff-{cutoff.isoformat()}")


def update_examples(world: World, cutoff: datetime.date, seed: int = 0) -> list[tuple[str, str]]:
    """Fine-tuning on the new documents: those dated after the cutoff (to read), the answer each changed fact has
    now as a question to recall, and reading practice."""
    documents = [document for document in world.documents if document.date > cutoff]
    changed = [
        document for document in knowledge.current_documents(world.documents, world.end) if document.date > cutoff
    ]
    read = [(knowledge.training_text(document), "") for document in documents]
    recall = [recall_example(world, document) for document in changed]
    return read + RECALL_REPEATS * recall + reading_examples(world, READING_MIX, seed)


@dataclass(frozen=True)
class TrainingConfig:
    """One training of the knowledge lesson: on what, how long, how fast. `kind` is "reading" (reading practice
    only: the reader), "cutoff" (what a model with this cutoff could read) or "update" (the documents after it)."""

    kind: str
    cutoff: datetime.date | None = None
    steps: int = CUTOFF_STEPS
    learning_rate: float = LEARNING_RATE
    seed: int = 0

    def examples(self, world: World) -> list[tuple[str, str]]:
        if self.kind == "reading":
            reading = reading_examples(world, seed=self.seed)
            rng = np.random.default_rng(self.seed)
            copying = [copy_example(rng) for _ in range(round(COPY_PRACTICE * len(reading)))]
            return [example for pair in zip(reading, copying, strict=True) for example in pair]
        chosen = cutoff_examples if self.kind == "cutoff" else update_examples
        return chosen(world, self.cutoff, self.seed)

    def learning_rate_at(self, step: int) -> float:
        return self.learning_rate * (1 - (1 - END_SHARE) * step / max(self.steps - 1, 1))


@dataclass(frozen=True)
class History:
    train_loss: np.ndarray  # one value per step


# The seconds of the last steps live runs took in this process (their first steps compile, and are left out): how
# long a live run takes on this server, busy or quiet, for the page's estimates.
_RECENT_STEP_SECONDS: collections.deque = collections.deque(maxlen=50)
# And what their start took: putting the data on the devices, and the first step (which may compile).
_RECENT_START_SECONDS: collections.deque = collections.deque(maxlen=5)


def measured_seconds_per_step() -> float | None:
    """The mean of the last steps live runs took here, or None before any has trained past its first step."""
    recent = list(_RECENT_STEP_SECONDS)
    return sum(recent) / len(recent) if recent else None


def measured_start_seconds() -> float | None:
    """The mean start (setting up and the first step) of the last live runs here, or None before any."""
    recent = list(_RECENT_START_SECONDS)
    return sum(recent) / len(recent) if recent else None


class KnowledgeRun:
    """One model trained on a cutoff's texts (or reading practice, or the new documents), a step at a time, its
    batch split over the host's devices. Speaks the Run protocol of core.engine.run."""

    def __init__(self, config: TrainingConfig, start_params, model_config: LMConfig):
        set_up_from = time.perf_counter()
        self.config, self.model_config = config, model_config
        self.window = min(WINDOW, model_config.context)
        self.tokens_per_step = BATCH_SIZE * self.window
        self._batch_sharding, replicated = pretrain.data_parallel()
        capacity = None if config.kind == "reading" else STREAM_CAPACITY
        data = training_data(config.examples(knowledge.load_world()), model_config.context, capacity)
        self._data = jax.device_put(data, replicated)
        state = train.init_lm_state(start_params, float(config.learning_rate), int(config.seed), config=model_config)
        self._state = jax.device_put(state, replicated)
        self._losses: list[float] = []
        self.seconds, self.failure = 0.0, None
        self._set_up_seconds = time.perf_counter() - set_up_from

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
        self._state.opt_state.hyperparams["learning_rate"] = np.float32(self.config.learning_rate_at(self.steps_done))
        self._state, metrics = train.train_chunk(
            self._state,
            self._data,
            self.config.steps,
            False,
            config=self.model_config,
            batch_size=BATCH_SIZE,
            window=self.window,
            batch_sharding=self._batch_sharding,
        )
        loss = float(jax.device_get(metrics["train_loss"])[0])
        took = time.perf_counter() - started
        self.seconds += took
        if self._losses:  # not the first step, which may have compiled
            _RECENT_STEP_SECONDS.append(took)
        else:
            _RECENT_START_SECONDS.append(self._set_up_seconds + took)
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
            "kind": self.config.kind,
            "steps": self.steps_done,
            "batch_size": BATCH_SIZE,
            "window": self.window,
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


def make_prepared_models(cutoffs_only: bool = False) -> None:
    """Train the reader from the generic model (unless `cutoffs_only`: then load it), then each prepared cutoff
    from the reader, and save them."""
    model_config, generic_params, _ = checkpoint.load()
    if cutoffs_only:
        _, reader_params, _ = checkpoint.load(READER_STEM)
    else:
        reader = train_to_end(KnowledgeRun(TrainingConfig("reading", steps=READER_STEPS), generic_params, model_config))
        checkpoint.save(READER_STEM, model_config, jax.device_get(reader.params), reader.facts())
        print(f"reader: {reader.facts()}", flush=True)
        reader_params = reader.params
    for cutoff in PREPARED_CUTOFFS:
        run = train_to_end(KnowledgeRun(TrainingConfig("cutoff", cutoff), reader_params, model_config))
        checkpoint.save(cutoff_stem(cutoff), model_config, jax.device_get(run.params), run.facts())
        print(f"cutoff {cutoff}: {run.facts()}", flush=True)


if __name__ == "__main__":
    jax_setup.enable_compilation_cache()
    jax_setup.split_host_into_devices()
    make_prepared_models(cutoffs_only="--cutoffs-only" in sys.argv[1:])
