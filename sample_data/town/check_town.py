"""Validate the dated-facts world written by make_town.py (the four JSONL files next to this script).

Checks that every file parses with the expected keys, ids are unique and numbered in order, dates are real
and the documents sorted by date, and all text is ASCII. For Kleiwaard: at every date on which any document
appears, each question's right answer is stated in the latest document about its fact on or before that
date, and in no other document about that fact (a document about a fact states its own value and none of
the fact's other values). For Ternsloot: each question's answer is stated in its document. And the two
towns share no business names.

Usage: python sample_data/town/check_town.py   (exit code 0 when everything passes)
Standard library only.
"""

from __future__ import annotations

import datetime
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DOCUMENT_KEYS = {"id", "date", "title", "text", "subject", "fact"}
QUESTION_KEYS = {"id", "fact", "question", "answers"}
READING_QUESTION_KEYS = {"id", "document", "question", "answer"}


def mentions(text: str, value: str) -> bool:
    """`value` stated in `text` as a whole: "8:00" is not in "18:00", "EUR 2.4" is not in "EUR 2.45"."""
    return re.search(r"(?<![\w.:])" + re.escape(value) + r"(?![\w:]|\.\d)", text) is not None


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def shape_problems(rows: list[dict], keys: set[str], prefix: str, name: str) -> list[str]:
    problems = [f"{name}: {row.get('id')} has keys {sorted(row)}" for row in rows if set(row) != keys]
    expected = [f"{prefix}-{number:0{len(rows[0]['id']) - len(prefix) - 1}d}" for number in range(1, len(rows) + 1)]
    if [row.get("id") for row in rows] != expected:
        problems.append(f"{name}: ids are not unique and numbered in order from {expected[0]}")
    problems += [f"{name}: {row['id']} is not ASCII" for row in rows if not str(row).isascii()]
    return problems


def date_problems(documents: list[dict], name: str) -> list[str]:
    problems = []
    for document in documents:
        try:
            datetime.date.fromisoformat(document["date"])
        except ValueError:
            problems.append(f"{name}: {document['id']} has no real date: {document['date']!r}")
    if [document["date"] for document in documents] != sorted(document["date"] for document in documents):
        problems.append(f"{name}: documents are not sorted by date")
    return problems


def answer_at(question: dict, date: str) -> str | None:
    """The answer in force on `date`: the last one whose "from" is on or before it (None before the first)."""
    answers = [answer["answer"] for answer in question["answers"] if answer["from"] <= date]
    return answers[-1] if answers else None


def world_problems(documents: list[dict], questions: list[dict]) -> list[str]:
    """At every document date, each question's answer is stated in exactly the document it should be."""
    problems = []
    by_id = {document["id"]: document for document in documents}
    dates = sorted({document["date"] for document in documents})
    for question in questions:
        about = [document for document in documents if document["fact"] == question["fact"]]
        values = [answer["answer"] for answer in question["answers"]]
        if len(set(values)) != len(values) or not about:
            problems.append(f"{question['id']}: its values repeat or no document is about its fact")
            continue
        if {answer["document"] for answer in question["answers"]} != {document["id"] for document in about}:
            problems.append(f"{question['id']}: its answers' documents are not the documents about its fact")
        for answer in question["answers"]:
            if by_id.get(answer["document"], {}).get("date") != answer["from"]:
                problems.append(f"{question['id']}: {answer['document']} is not dated {answer['from']}")
        for date in dates:
            problems += stated_problems(question, about, date)
    return problems


def stated_problems(question: dict, about: list[dict], date: str) -> list[str]:
    answer = answer_at(question, date)
    seen = [document for document in about if document["date"] <= date]
    if answer is None:
        return [f"{question['id']}: documents before its first answer on {date}"] if seen else []
    stating = [document["id"] for document in about if mentions(document["title"] + " " + document["text"], answer)]
    if not seen or stating != [seen[-1]["id"]]:
        return [f"{question['id']} on {date}: {answer!r} is stated in {stating}, not only in the latest document"]
    return []


def reading_problems(documents: list[dict], questions: list[dict]) -> list[str]:
    by_id = {document["id"]: document for document in documents}
    return [
        f"{question['id']}: {question['answer']!r} is not stated in {question['document']}"
        for question in questions
        if question["document"] not in by_id or not mentions(by_id[question["document"]]["text"], question["answer"])
    ]


def shared_name_problems(world: list[dict], reading: list[dict]) -> list[str]:
    """No business of one town is named in the other town's documents."""
    problems = []
    for names, documents in [({d["subject"] for d in world}, reading), ({d["subject"] for d in reading}, world)]:
        named = {name for name in names for document in documents if name in document["title"] + document["text"]}
        problems += [f"{name} appears in both towns" for name in sorted(named)]
    return problems


def problems(folder: Path = HERE) -> list[str]:
    """Everything wrong with the world in `folder`, in words (empty when it is valid)."""
    world = read_jsonl(folder / "documents.jsonl")
    questions = read_jsonl(folder / "questions.jsonl")
    reading = read_jsonl(folder / "reading_documents.jsonl")
    reading_questions = read_jsonl(folder / "reading_questions.jsonl")
    found = shape_problems(world, DOCUMENT_KEYS, "kw", "documents")
    found += shape_problems(questions, QUESTION_KEYS, "q", "questions")
    found += shape_problems(reading, DOCUMENT_KEYS, "ts", "reading documents")
    found += shape_problems(reading_questions, READING_QUESTION_KEYS, "rq", "reading questions")
    if found:
        return found
    found += date_problems(world, "documents") + date_problems(reading, "reading documents")
    found += world_problems(world, questions) + reading_problems(reading, reading_questions)
    return found + shared_name_problems(world, reading)


def main() -> int:
    found = problems()
    for problem in found:
        print(problem)
    print("town: all checks passed" if not found else f"town: {len(found)} problems")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
