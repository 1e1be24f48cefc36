"""The lesson "What a model knows": the cutoffs a learner can choose, the models behind them (prepared in advance
or trained live), every question asked at once, what changing one fact costs, the compute of every run beside
published foundation models, and what the numbers say, in words.
"""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
from babel.dates import format_date

from core.i18n import language, number, percent, tr, tr_later
from core.lessons import compute, knowledge
from core.lessons import knowledge_model as km
from core.lessons.knowledge import Document, Question, World
from core.lessons.retrieval import Retriever
from core.lessons.user_text import markdown_literal
from core.lm import checkpoint

# English; shown with tr(METHODS[method]), tr(GROUPS[group]).
METHODS = {
    "closed_book": tr_later("From memory (closed book)"),
    "retrieval": tr_later("With retrieval (RAG)"),
    "fine_tuned": tr_later("Fine-tuned on the new documents"),
}
GROUPS = {
    "unchanged": tr_later("Facts that did not change after the cutoff"),
    "changed": tr_later("Facts that changed (or appeared) after the cutoff"),
}


def day_in_words(day: datetime.date) -> str:
    """A date in a sentence of the interface, in the learner's language: "1 March 2024" (as the documents write it),
    "1 maart 2024". The documents and the prompts keep knowledge.date_in_words."""
    if language() == "en":
        return knowledge.date_in_words(day)
    return format_date(day, "d MMMM y", locale=language())


def month_in_words(day: datetime.date) -> str:
    """A cutoff on the slider: "Jan 2024", "jan 2024"."""
    if language() == "en":
        return day.strftime("%b %Y")
    return format_date(day, "MMM y", locale=language())


@lru_cache(maxsize=1)
def world() -> World:
    return knowledge.load_world()


def today() -> datetime.date:
    """The day the lesson's questions are asked: the date of the world's newest document."""
    return world().end


@lru_cache(maxsize=1)
def reader():
    """The reader (the generic model taught to answer from passages), loaded once per process."""
    return checkpoint.load(km.READER_STEM)


def is_prepared(cutoff: datetime.date) -> bool:
    return km.cutoff_stem(cutoff).with_suffix(".npz").exists()


@lru_cache(maxsize=len(km.PREPARED_CUTOFFS))
def prepared_model(cutoff: datetime.date):
    """A cutoff trained in advance (architecture, parameters, facts), loaded once per process."""
    return checkpoint.load(km.cutoff_stem(cutoff))


def cutoff_run(cutoff: datetime.date, seed: int = 0, steps: int = km.CUTOFF_STEPS) -> km.KnowledgeRun:
    """A live run: the reader trained on what a model with this cutoff could have read."""
    config, params, _ = reader()
    return km.KnowledgeRun(km.TrainingConfig("cutoff", cutoff, steps=steps, seed=seed), params, config)


def update_run(cutoff: datetime.date, params, seed: int = 0, steps: int = km.CUTOFF_STEPS) -> km.KnowledgeRun:
    """A live run: a cutoff's model trained further on the documents dated after its cutoff."""
    config = reader()[0]
    return km.KnowledgeRun(km.TrainingConfig("update", cutoff, steps=steps, seed=seed), params, config)


def documents_after(cutoff: datetime.date) -> list[Document]:
    return [document for document in world().documents if document.date > cutoff]


# ---------------------------------------------------------------- every question at once


@dataclass(frozen=True)
class Score:
    right: int
    asked: int

    @property
    def share(self) -> float:
        return self.right / self.asked if self.asked else float("nan")


def question_groups(cutoff: datetime.date) -> dict[str, tuple[Question, ...]]:
    split = knowledge.split_at_cutoff(world().questions, cutoff, today())
    return {"unchanged": split.unchanged, "changed": split.changed}


def scores(config, params, cutoff: datetime.date, retrieve: bool, library: str = "current") -> dict[str, Score]:
    """How many questions of each group the model answers right today, from memory or with what retrieval finds
    in `library` (see passages_for)."""
    found = {}
    find = (lambda asked: passages_for(asked, library)) if retrieve else None
    for group, questions in question_groups(cutoff).items():
        replies = km.ask_many(config, params, world(), questions, today(), retrieve, find)
        found[group] = Score(sum(reply.right for reply in replies), len(replies))
    return found


def results(
    config, params, cutoff: datetime.date, updated_params=None, library: str = "current"
) -> dict[str, dict[str, Score]]:
    """The results table: each method's scores per group, retrieval searching `library` (fine-tuned only when there
    is such a model)."""
    table = {
        "closed_book": scores(config, params, cutoff, retrieve=False),
        "retrieval": scores(config, params, cutoff, retrieve=True, library=library),
    }
    if updated_params is not None:
        table["fine_tuned"] = scores(config, updated_params, cutoff, retrieve=False)
    return table


@lru_cache(maxsize=len(km.PREPARED_CUTOFFS) * len(knowledge.LIBRARIES))
def prepared_results(cutoff: datetime.date, library: str = "current") -> dict[str, dict[str, Score]]:
    """The results table of a prepared cutoff, measured once per server and library (every learner sees the same
    model)."""
    model = prepared(cutoff)
    return results(model.config, model.params, cutoff, library=library)


RETRIEVAL_READINGS = {  # what the retrieval row says, by the library it searched
    "current": tr_later(
        "With retrieval the same model answers {changed} of the changed facts right: nothing was retrained, the "
        "current documents were put into its context."
    ),
    "all": tr_later(
        "With retrieval from a library that kept the old announcements as well, the same model answers {changed} of "
        "the changed facts right: an old passage in its context can give the old answer, so a library for retrieval "
        "is kept up to date."
    ),
    "wrong": tr_later(
        "When retrieval misses the document that states today's answer, the same model answers {changed} of the "
        "changed facts right: retrieval is only as good as the passages it finds."
    ),
}


def results_readings(table: dict[str, dict[str, Score]], cutoff: datetime.date, library: str = "current") -> list[str]:
    """What the results table says, in words, from its own numbers (retrieval searched `library`)."""
    closed, found = table["closed_book"], table["retrieval"]
    readings = [
        tr(
            "From memory the model answers {unchanged} of the questions whose answer was already true on its cutoff "
            "({day}), but only {changed} of those whose answer changed after it: it gives the answer it learned, "
            "which is now out of date, or makes one up."
        ).format(
            unchanged=percent(closed["unchanged"].share),
            day=day_in_words(cutoff),
            changed=percent(closed["changed"].share),
        )
    ]
    readings.append(tr(RETRIEVAL_READINGS[library]).format(changed=percent(found["changed"].share)))
    if "fine_tuned" in table:
        tuned = table["fine_tuned"]
        readings.append(
            tr(
                "Fine-tuned on the new documents it answers {changed} of the changed facts from memory, and "
                "{unchanged} of the old ones (it had {before} before): training on new facts can overwrite old ones."
            ).format(
                changed=percent(tuned["changed"].share),
                unchanged=percent(tuned["unchanged"].share),
                before=percent(closed["unchanged"].share),
            )
        )
    return readings


# ---------------------------------------------------------------- changing one fact


@dataclass(frozen=True)
class Edit:
    """One fact changed by editing its document in the retrieval library."""

    question: Question
    document: Document  # the edited document, dated today
    seconds: float  # rebuilding the retriever's index over the edited library
    reply: km.Reply  # the model's answer with retrieval from the edited library


def edit_fact(config, params, question: Question, new_value: str) -> Edit:
    """Write `new_value` into the current document about the question's fact (a new version dated today), rebuild
    the retriever's index and ask again: how a business changes one fact when its assistant uses retrieval."""
    new_value = " ".join(new_value.split())
    if not new_value:
        raise ValueError(tr("type the new value first"))  # shown to the learner
    current = [doc for doc in knowledge.current_documents(world().documents, today()) if doc.fact == question.fact]
    old = current[0]
    old_value = question.answer_at(today())
    edited = replace(old, id=f"{old.id}-edited", date=today(), text=old.text.replace(old_value, new_value))
    library = [document for document in world().documents if document.fact != question.fact] + [edited]
    started = time.perf_counter()
    retriever = Retriever(library)
    seconds = time.perf_counter() - started
    passages = retriever.search(question.question, km.PASSAGES)
    edited_question = replace(question, answers=(*question.answers, knowledge.Answer(today(), new_value, edited.id)))
    reply = km.ask(config, params, world(), edited_question, today(), True, passages)
    return Edit(question, edited, seconds, reply)


# ---------------------------------------------------------------- what training costs


@dataclass(frozen=True)
class CostRow:
    name: str
    operations: float
    seconds: float | None  # measured here; None for published models
    source: str  # in the learner's language


def run_cost_rows(models) -> list[CostRow]:
    """The pretraining of the generic model, the reader, and each of `models` (KnowledgeModel) the page holds."""
    generic = checkpoint.read_facts()
    parameters = generic["parameters"]
    rows = [
        CostRow(
            tr("Pretraining the generic model"),
            compute.training_operations(parameters, generic["tokens_seen"]),
            generic["seconds"],
            tr("{tokens} tokens read, measured when it was made").format(tokens=number(generic["tokens_seen"])),
        ),
        cost_row(tr("Teaching it to read passages (the reader)"), reader()[2], parameters),
    ]
    return rows + [cost_row(model_title(model), model.facts, parameters) for model in models]


def model_title(model: KnowledgeModel) -> str:
    day = day_in_words(model.cutoff)
    if model.facts.get("kind") == "update":
        return tr("Fine-tuning on the documents after {day}").format(day=day)
    if model.key.startswith("prepared"):
        return tr("Learning the town up to {day} (prepared)").format(day=day)
    return tr("Learning the town up to {day} (live)").format(day=day)


def cost_row(name: str, facts: dict, parameters: int) -> CostRow:
    operations = compute.training_operations(parameters, facts["tokens_seen"])
    return CostRow(
        name, operations, facts["seconds"], tr("{tokens} tokens read").format(tokens=number(facts["tokens_seen"]))
    )


def operations_per_second(rows: list[CostRow]) -> float:
    """This machine's measured training speed: all measured operations over all measured seconds."""
    measured = [row for row in rows if row.seconds]
    return sum(row.operations for row in measured) / sum(row.seconds for row in measured)


def reference_rows(speed: float) -> list[tuple[CostRow, str]]:
    """The published foundation models, each with how long this machine would need at `speed`."""
    return [
        (
            CostRow(reference.name, reference.operations, None, tr(reference.source)),
            compute.duration_in_words(compute.seconds_to_train(reference.operations, speed)),
        )
        for reference in compute.REFERENCES
    ]


def biggest_reference() -> compute.Reference:
    return max(compute.REFERENCES, key=lambda reference: reference.operations)


def cost_reading(rows: list[CostRow], speed: float) -> str:
    """The takeaway of the cost table, from its numbers."""
    biggest, largest = biggest_reference(), max(rows, key=lambda row: row.operations)
    ours = largest.operations
    return " ".join(
        (
            tr("The largest training in the table, {name}, took {operations} operations.").format(
                name=largest.name[:1].lower() + largest.name[1:], operations=compute.operations_in_words(ours)
            ),
            tr("{name} took {operations}: {times} as many, which this server would need {duration} for.").format(
                name=biggest.name,
                operations=compute.operations_in_words(biggest.operations),
                times=compute.times_in_words(biggest.operations / ours),
                duration=compute.duration_in_words(seconds_for_biggest(speed)),
            ),
            tr("Training a foundation model of your own takes a provider's data centre."),
            tr("Use an existing model with retrieval for facts; fine-tune only for a style or a format."),
        )
    )


def seconds_per_answer(config, params, question: Question, repeats: int = 3) -> float:
    """Wall time of one question answered with retrieval (search and answer), the best of `repeats`."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        km.ask(config, params, world(), question, today(), retrieve=True)
        times.append(time.perf_counter() - started)
    return float(np.min(times))


# ---------------------------------------------------------------- the models a page holds


@dataclass(frozen=True)
class KnowledgeModel:
    """A model that knows the town up to a cutoff: prepared in advance, trained live, or updated after it."""

    key: str  # names it in caches: a prepared cutoff, or a live run
    cutoff: datetime.date
    config: object
    params: object
    facts: dict

    @property
    def source_in_words(self) -> str:
        """Where the model comes from, in the learner's language (written when shown: a session keeps its models
        while the learner may change language)."""
        steps, seconds = self.facts["steps"], number(self.facts["seconds"], 0)
        if self.key.startswith("prepared"):
            return tr(
                "Prepared in advance and loaded at once: trained for {steps} steps ({seconds} seconds on two cores "
                "when it was prepared) on the {count} announcements up to {day}."
            ).format(
                steps=steps, seconds=seconds, count=len(documents_up_to(self.cutoff)), day=day_in_words(self.cutoff)
            )
        if self.key.startswith("update"):
            return tr(
                "Fine-tuned here, live, on the {count} announcements after the cutoff: {steps} steps in {seconds} "
                "seconds."
            ).format(count=len(documents_after(self.cutoff)), steps=steps, seconds=seconds)
        return tr(
            "Trained here, live, on the {count} announcements up to the cutoff: {steps} steps in {seconds} seconds."
        ).format(count=len(documents_up_to(self.cutoff)), steps=steps, seconds=seconds)


def prepared(cutoff: datetime.date) -> KnowledgeModel | None:
    if not is_prepared(cutoff):
        return None
    config, params, facts = prepared_model(cutoff)
    return KnowledgeModel(f"prepared-{cutoff.isoformat()}", cutoff, config, params, facts)


def trained_model(run: km.KnowledgeRun, number: int) -> KnowledgeModel:
    """The model a finished live run made (`number` tells the session's runs apart)."""
    return KnowledgeModel(f"{run.config.kind}-{number}", run.config.cutoff, run.model_config, run.params, run.facts())


def prepared_in_words() -> str:
    return ", ".join(day_in_words(cutoff) for cutoff in km.PREPARED_CUTOFFS)


FIRST_START_SECONDS = 5.0  # setting up a run and its first step, before any has started here (measured: 3.6 + 1.6)


def expected_seconds(steps: int) -> float:
    """How long a live run of `steps` takes, its start included: as live runs have gone on this server lately, or,
    before any has, at the speed the prepared cutoff was trained (on a quiet machine: a busy server takes longer)."""
    per_step, start = km.measured_seconds_per_step(), km.measured_start_seconds()
    if per_step is None:
        facts = prepared_model(km.PREPARED_CUTOFFS[0])[2] if is_prepared(km.PREPARED_CUTOFFS[0]) else None
        per_step = facts["seconds"] / facts["steps"] if facts else 0.5
    return (FIRST_START_SECONDS if start is None else start) + (steps - 1) * per_step


# ---------------------------------------------------------------- the questions


QUESTION_IDS = knowledge.question_ids()
# The lesson's choices (kept in core.lessons.knowledge, which exercise links import without the models).
CUTOFFS, DEFAULT_CUTOFF, DEFAULT_QUESTION = knowledge.CUTOFFS, knowledge.DEFAULT_CUTOFF, knowledge.DEFAULT_QUESTION
LIBRARIES, NEW_VALUE_LIMIT = knowledge.LIBRARIES, knowledge.NEW_VALUE_LIMIT


def subjects() -> tuple[str, ...]:
    return tuple(sorted({document.subject for document in world().documents}))


def question(question_id: str) -> Question:
    return next(question for question in world().questions if question.id == question_id)


def question_label(question_id: str) -> str:
    return question(question_id).question


def fact_of(question_id: str) -> str:
    return question(question_id).fact


def documents_up_to(cutoff: datetime.date) -> list[Document]:
    return knowledge.documents_up_to(world().documents, cutoff)


def answer_history_in_words(question: Question, cutoff: datetime.date) -> str:
    """When the question's answer changed, and what it was on the cutoff day."""
    known = question.answer_at(cutoff)
    changes = "; ".join(
        tr("{answer} from {day}").format(answer=answer.answer, day=day_in_words(answer.start))
        for answer in question.answers
    )
    if known:
        return " " + tr("(over the years: {changes}; on the cutoff day it was {known}).").format(
            changes=changes, known=known
        )
    return " " + tr("(over the years: {changes}; on the cutoff day there was no answer yet).").format(changes=changes)


def example_new_value(question: Question) -> str:
    """A new value of the same kind as today's answer, to show in the box (the learner types their own)."""
    older = [answer.answer for answer in question.answers if answer.answer != question.answer_at(today())]
    return older[0] if older else question.answer_at(today())


def passages_for(question: Question, library: str) -> list:
    """What retrieval puts into the context: the best PASSAGES of the library kept up to date ("current"), of the
    library with every old announcement kept ("all"), or of the current library without the document that states
    today's answer ("wrong": retrieval missed it)."""
    retriever = km.town_retriever(world())
    if library == "all":
        return retriever.search(question.question, km.PASSAGES, up_to=today(), current_only=False)
    found = retriever.search(question.question, km.PASSAGES + 1, up_to=today())
    if library == "wrong":
        stating = question.answers[-1].document if question.answer_at(today()) else None
        found = [passage for passage in found if passage.document.id != stating]
    return found[: km.PASSAGES]


def replies(model: KnowledgeModel, question: Question, library: str) -> tuple[km.Reply, km.Reply]:
    """The model's answer today from memory, and with the passages `library` retrieval finds."""
    closed = km.ask(model.config, model.params, world(), question, today(), retrieve=False)
    opened = km.ask(model.config, model.params, world(), question, today(), True, passages_for(question, library))
    return closed, opened


def edit_reading(edit: Edit, retrain_seconds: float) -> str:
    """What editing one document did, against what retraining takes (Markdown; the typed value shown as text)."""
    written = markdown_literal(edit.reply.written.strip() or tr("(nothing)"), limit=80)
    if edit.reply.right:
        verdict = tr(
            "Rebuilding the retriever's index took {ms} ms, and the model with retrieval now answers with the new "
            "value: {written} ({sure} sure)."
        )
    else:
        verdict = tr(
            "Rebuilding the retriever's index took {ms} ms, and the model with retrieval still does not give the new "
            "value: {written} ({sure} sure)."
        )
    return " ".join(
        (
            tr("The document now reads: {text}").format(text=markdown_literal(edit.document.text, limit=300)),
            verdict.format(ms=number(edit.seconds * 1000, 0), written=written, sure=percent(edit.reply.probability)),
            tr(
                "Training the fact in would take a training run of about {seconds} seconds on this server, each time "
                "a fact changes."
            ).format(seconds=number(retrain_seconds, 0)),
        )
    )


def retraining_seconds(updated: KnowledgeModel | None, steps: int) -> float:
    """What training a changed fact in costs: the fine-tuning run this page made on the new documents, when there was
    one, else the estimate for a run of `steps`."""
    return updated.facts["seconds"] if updated is not None else expected_seconds(steps)


def seconds_for_biggest(speed: float) -> float:
    return compute.seconds_to_train(biggest_reference().operations, speed)


class TaskCheck:
    """What a guided task's claim is read from: the prepared cutoff's answers with the task's settings (widget
    key -> value). Nothing to train: `advance` returns False at once, as a finished run's would."""

    def __init__(self, state: dict):
        self.cutoff = datetime.date.fromisoformat(state["kn_cutoff"])
        self.model = prepared(self.cutoff)
        self.question = question(state["kn_question"])
        self.library = state["kn_library"]
        self.closed, self.opened = replies(self.model, self.question, self.library)

    def advance(self) -> bool:
        return False

    @property
    def table(self) -> dict:
        return prepared_results(self.cutoff, self.library)  # the page shows the same table, measured once per server
