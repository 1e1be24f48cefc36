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
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from core.lessons import knowledge
from core.lessons.knowledge import Document, Question, World
from core.lessons.retrieval import Retriever
from core.lm import sample, token_data, train

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
