"""Retrieval for "What a model knows": find the documents that answer a question, to put them into the
model's context instead of training the facts into its weights.

A real retriever from a kept library: scikit-learn's TF-IDF over character n-grams (3 to 5 characters
within words, sublinear term counts), ranked by cosine similarity. Character n-grams match "open" with
"opens" and "closed" with "closes" without a stemmer; on the Kleiwaard questions they ranked the right
document first more often than word TF-IDF (with or without stop words and word pairs).

The library is kept up to date by default: of the documents about one fact, only the newest (on the date
asked) is searched, as a business's web page is edited rather than added to. Searching every old
announcement as well (`current_only=False`) shows what goes wrong when outdated passages stay in the
library: an old announcement often outranks the new one, since its wording can match the question better.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from core.lessons.knowledge import Document, Question, current_documents, documents_up_to


@dataclass(frozen=True)
class Passage:
    document: Document
    score: float  # cosine similarity of the question's and the document's TF-IDF vectors, 0 to 1


def searchable_text(document: Document) -> str:
    return f"{document.title}\n{document.text}"


class Retriever:
    """Ranks a fixed set of documents for a question. The vocabulary and its weights are learned from all
    the documents once; which of them may be returned is decided per search (by date, and current only)."""

    def __init__(self, documents):
        self.documents = tuple(documents)
        self._vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
        self._matrix = self._vectorizer.fit_transform([searchable_text(document) for document in self.documents])

    def scores(self, question: str) -> np.ndarray:
        """Each document's cosine similarity to the question, shape (documents,) (rows are unit length)."""
        return (self._matrix @ self._vectorizer.transform([question]).T).toarray().ravel()

    def search(
        self, question: str, k: int = 3, up_to: datetime.date | None = None, current_only: bool = True
    ) -> list[Passage]:
        """The `k` best documents for `question`, best first, among those dated on or before `up_to` (all
        when None) and, with `current_only`, only the newest document about each fact on that date."""
        allowed = self._allowed(up_to, current_only)
        scores = self.scores(question)
        order = np.argsort(-scores, kind="stable")  # ties keep the library's (date) order
        ranked = order[allowed[order]][:k]
        return [Passage(self.documents[number], float(scores[number])) for number in ranked]

    def _allowed(self, up_to: datetime.date | None, current_only: bool) -> np.ndarray:
        """Which documents a search may return, as a mask in library order."""
        if up_to is None and not current_only:
            return np.ones(len(self.documents), bool)
        date = up_to or max(document.date for document in self.documents)
        visible = current_documents(self.documents, date) if current_only else documents_up_to(self.documents, date)
        ids = {document.id for document in visible}
        return np.array([document.id in ids for document in self.documents])


def last_day_right(question: Question, number: int, end: datetime.date) -> datetime.date:
    """The last day the question's answer `number` is the right one: the day before the next, or `end`."""
    if number + 1 < len(question.answers):
        return question.answers[number + 1].start - datetime.timedelta(days=1)
    return end


def recall(retriever: Retriever, questions, end: datetime.date, k: int, current_only: bool = True) -> float:
    """The share of (question, answer) pairs for which the document stating the answer is among the top
    `k`, each question asked on the last day its answer was right (the day it is most likely outranked
    by what came before it, when old announcements are searched too)."""
    hits = [
        answer.document
        in {
            passage.document.id
            for passage in retriever.search(question.question, k, last_day_right(question, number, end), current_only)
        }
        for question in questions
        for number, answer in enumerate(question.answers)
    ]
    return float(np.mean(hits))
