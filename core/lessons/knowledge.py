"""What a model knows: the dated-facts world of Kleiwaard, what a model trained up to a cutoff date could
have read, which questions that cutoff leaves it able to answer, the texts a model is trained on and
prompted with, and whether what it wrote is the right answer.

Plain Python (no JAX): the world is small (a few hundred documents), and the page, the retriever and the
language model all read it through this module. Dates are `datetime.date`; the world's files are made
by sample_data/town/make_town.py and checked by check_town.py there.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

WORLD_FOLDER = Path(__file__).resolve().parents[2] / "sample_data" / "town"
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_EDGE_PUNCTUATION = " \t.,;:!?\"'()"
# The lesson's choices, here (plain Python) so that exercise links and guided tasks can name them without importing
# the models or the retriever (scikit-learn costs a fresh server seconds).
CUTOFFS = tuple(datetime.date(year, month, 1) for year in range(2020, 2027) for month in (1, 4, 7, 10))[:-3]
DEFAULT_CUTOFF = datetime.date(2024, 1, 1)  # the prepared cutoff: it loads at once
DEFAULT_QUESTION = "q-004"  # "What time does Bakery Van Dijk open on weekdays?": new opening hours since March 2024
LIBRARIES = ("current", "all", "wrong")  # what retrieval searches (see knowledge_lesson.passages_for)
NEW_VALUE_LIMIT = 40  # characters of a value typed to change one fact


@dataclass(frozen=True)
class Document:
    """One dated announcement: it states one value of one fact, from its date on."""

    id: str
    date: datetime.date
    title: str
    text: str
    subject: str  # the business (or the town hall) it is about
    fact: str  # "<subject>/<what>", the same for every document about one fact


@dataclass(frozen=True)
class Answer:
    start: datetime.date  # the answer is right from this date until the next answer's start
    answer: str
    document: str  # the id of the document that states it


@dataclass(frozen=True)
class Question:
    id: str
    fact: str
    question: str
    answers: tuple[Answer, ...]  # by start date

    def answer_at(self, date: datetime.date) -> str | None:
        """The right answer on `date`: the latest one started on or before it (None before the first)."""
        started = [answer.answer for answer in self.answers if answer.start <= date]
        return started[-1] if started else None


@dataclass(frozen=True)
class ReadingQuestion:
    """A question whose answer is stated in one given document (the reading towns, for reading practice)."""

    id: str
    document: str
    question: str
    answer: str


@dataclass(frozen=True, eq=False)  # equal only to itself: caches keyed on a world hash it at no cost
class World:
    documents: tuple[Document, ...]  # Kleiwaard, by date
    questions: tuple[Question, ...]
    reading_documents: tuple[Document, ...]  # the reading towns: no business shared with Kleiwaard
    reading_questions: tuple[ReadingQuestion, ...]

    @property
    def end(self) -> datetime.date:
        """The date of the newest document: "now" in the world."""
        return self.documents[-1].date

    def reading_document(self, question: ReadingQuestion) -> Document:
        return self._reading_documents_by_id[question.document]

    @cached_property
    def _reading_documents_by_id(self) -> dict[str, Document]:
        return {document.id: document for document in self.reading_documents}


# ---------------------------------------------------------------- loading


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def _document(row: dict) -> Document:
    return Document(**{**row, "date": datetime.date.fromisoformat(row["date"])})


def _question(row: dict) -> Question:
    answers = tuple(
        Answer(datetime.date.fromisoformat(answer["from"]), answer["answer"], answer["document"])
        for answer in row["answers"]
    )
    return Question(row["id"], row["fact"], row["question"], answers)


@lru_cache(maxsize=4)
def load_world(folder: Path = WORLD_FOLDER) -> World:
    """The world as the four files in `folder` hold it (cached: it never changes while the server runs)."""
    return World(
        documents=tuple(_document(row) for row in _rows(folder / "documents.jsonl")),
        questions=tuple(_question(row) for row in _rows(folder / "questions.jsonl")),
        reading_documents=tuple(_document(row) for row in _rows(folder / "reading_documents.jsonl")),
        reading_questions=tuple(ReadingQuestion(**row) for row in _rows(folder / "reading_questions.jsonl")),
    )


@lru_cache(maxsize=1)
def question_ids(folder: Path = WORLD_FOLDER) -> tuple[str, ...]:
    """The ids of the town's questions, read without loading the rest of the world (exercise links need them)."""
    return tuple(row["id"] for row in _rows(folder / "questions.jsonl"))


# ---------------------------------------------------------------- the cutoff


def documents_up_to(documents, cutoff: datetime.date) -> list[Document]:
    """What a model trained with this knowledge cutoff could have read: the documents dated on or before it."""
    return [document for document in documents if document.date <= cutoff]


@dataclass(frozen=True)
class CutoffSplit:
    """The questions as a model with a cutoff meets them later, on `now`."""

    unchanged: tuple[Question, ...]  # the answer on `now` was already the answer on the cutoff
    changed: tuple[Question, ...]  # the answer changed after the cutoff, or the fact did not exist yet


def split_at_cutoff(questions, cutoff: datetime.date, now: datetime.date) -> CutoffSplit:
    """Which questions a model that read everything up to `cutoff` could answer right on `now`. A question
    asked about a fact that changed after the cutoff has, for that model, only its old answer (or none)."""
    unchanged = [question for question in questions if _unchanged(question, cutoff, now)]
    changed = [question for question in questions if not _unchanged(question, cutoff, now)]
    return CutoffSplit(tuple(unchanged), tuple(changed))


def _unchanged(question: Question, cutoff: datetime.date, now: datetime.date) -> bool:
    known = question.answer_at(cutoff)
    return known is not None and known == question.answer_at(now)


def current_documents(documents, date: datetime.date) -> list[Document]:
    """The documents in force on `date`: for each fact, the newest document dated on or before it. A library
    kept up to date holds these (an announcement replaces the one it updates), and nothing older."""
    newest = {document.fact: document for document in documents_up_to(documents, date)}
    return sorted(newest.values(), key=lambda document: (document.date, document.id))


# ---------------------------------------------------------------- the texts a model reads and writes


def date_in_words(date: datetime.date) -> str:
    """ "1 March 2024": how the documents write dates, so the model sees one form."""
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def training_text(document: Document) -> str:
    """A document as the model is trained on it: its date and title on the first line, then its text."""
    return f"{date_in_words(document.date)} - {document.title}\n{document.text}\n"


def closed_book_prompt(question: str) -> str:
    """A question alone: the model can only answer from what its training put into its weights."""
    return f"Question: {question}\nAnswer:"


def open_book_prompt(passages, question: str) -> str:
    """Retrieved documents, in the order given, then the question: the model can answer by reading them."""
    shown = "".join(f"Passage {number}: {training_text(document)}" for number, document in enumerate(passages, 1))
    return f"{shown}{closed_book_prompt(question)}"


def answer_text(answer: str) -> str:
    """What the model should write after a prompt's "Answer:": the answer and the end of its line."""
    return f" {answer}\n"


def closed_book_example(question: str, answer: str) -> str:
    return closed_book_prompt(question) + answer_text(answer)


def open_book_example(passages, question: str, answer: str) -> str:
    return open_book_prompt(passages, question) + answer_text(answer)


# ---------------------------------------------------------------- checking an answer


def written_answer(written: str) -> str:
    """The part of a model's text that counts as its answer: the first line (a small model often goes on)."""
    return written.lstrip("\n").split("\n", 1)[0]


def normalise_answer(answer: str) -> str:
    """Lower case, single spaces, no punctuation at either end: "  EUR 2.45." and "eur 2.45" are one answer."""
    return " ".join(answer.lower().split()).strip(_EDGE_PUNCTUATION)


def is_right(written: str, answer: str) -> bool:
    """Normalised exact match of the first line the model wrote with the right answer."""
    return normalise_answer(written_answer(written)) == normalise_answer(answer)
