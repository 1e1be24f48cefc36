"""The knowledge lesson's page parts: which model answers (kept in the session), its answers in cards, the passages
and the results and cost tables as data frames. Answers and tables are kept per model, so a rerun that changes
nothing asks the model nothing."""

from __future__ import annotations

import datetime

import pandas as pd

from core.i18n import number, percent, tr, tr_later
from core.lessons import knowledge_lesson as lesson
from core.lessons.compute import duration_in_words, operations_in_words
from core.lessons.user_text import markdown_literal

LIBRARY_CHOICES = {  # English; shown with tr(LIBRARY_CHOICES[library])
    "current": tr_later("the library kept up to date"),
    "all": tr_later("old announcements kept as well"),
    "wrong": tr_later("retrieval missed the right document"),
}
KEPT_MODELS = 3  # live-trained models a session keeps per kind (each is about 4 MB of parameters)
KEPT_ANSWERS = 64


def _keep(state, name: str, model: lesson.KnowledgeModel) -> None:
    models = state.setdefault(name, {})
    models[model.cutoff.isoformat()] = model
    while len(models) > KEPT_MODELS:
        models.pop(next(iter(models)))


def keep_finished_runs(state) -> None:
    """Once a live run has finished well, its model answers for its cutoff (a cutoff run) or beside it (an update)."""
    for prefix, name in (("kn", "kn_models"), ("knu", "kn_updated")):
        run = state.get(f"{prefix}_run")
        if run is None or not run.finished or run.failure or state.get(f"{prefix}_kept") is run:
            continue
        state[f"{prefix}_kept"] = run
        state["kn_model_count"] = state.get("kn_model_count", 0) + 1
        _keep(state, name, lesson.trained_model(run, state["kn_model_count"]))
        if prefix == "kn":  # an update trained from the model this one replaces no longer belongs to its cutoff
            state.get("kn_updated", {}).pop(run.config.cutoff.isoformat(), None)


def current_model(state, cutoff: datetime.date) -> lesson.KnowledgeModel | None:
    """The model that knows this cutoff: one trained live in this session, else a prepared one, else none."""
    return state.get("kn_models", {}).get(cutoff.isoformat()) or lesson.prepared(cutoff)


def updated_model(state, cutoff: datetime.date) -> lesson.KnowledgeModel | None:
    return state.get("kn_updated", {}).get(cutoff.isoformat())


def session_models(state, cutoff: datetime.date) -> list[lesson.KnowledgeModel]:
    """The models whose training this page can account for: this cutoff's and its update, if any."""
    return [model for model in (current_model(state, cutoff), updated_model(state, cutoff)) if model is not None]


def _remembered(state, key: tuple, work):
    answers = state.setdefault("kn_answers", {})
    if key not in answers:
        if len(answers) >= KEPT_ANSWERS:
            answers.pop(next(iter(answers)))
        answers[key] = work()
    return answers[key]


def ask_today(state, model: lesson.KnowledgeModel, question, library: str):
    """The model's answers to `question` today, from memory and with retrieval (kept for the session)."""
    return _remembered(state, (model.key, question.id, library), lambda: lesson.replies(model, question, library))


def results_table(state, model: lesson.KnowledgeModel, updated: lesson.KnowledgeModel | None, library: str) -> dict:
    """Every question asked of `model` (and `updated`), retrieval searching `library`: kept for the session, or for
    the server when the model is a prepared one."""
    if updated is None and model.key.startswith("prepared"):
        return lesson.prepared_results(model.cutoff, library)
    key = ("results", model.key, updated.key if updated else None, library)
    params = updated.params if updated else None
    return _remembered(state, key, lambda: lesson.results(model.config, model.params, model.cutoff, params, library))


def answer_card(column, title: str, reply, note: str = "") -> None:
    box = column.container(border=True)
    box.markdown(f"**{title}**")
    written = reply.written.strip() or tr("(nothing)")
    box.metric(tr("Its answer"), markdown_literal(written, limit=60), help=tr("The line it finds most likely."))
    if reply.right:
        verdict = tr(":green[right] · it gives this answer a probability of **{probability}**")
    else:
        verdict = tr(":red[wrong] · it gives this answer a probability of **{probability}**")
    box.markdown(verdict.format(probability=percent(reply.probability)))
    if note:
        box.caption(note)


# Pixels: two or three lines of a passage (165 characters at most), so its answer is not cut off at the cell edge.
PASSAGE_ROW_HEIGHT = 80
COST_ROW_HEIGHT = 92  # four lines of a published model's source in its column (Streamlit wraps only over 68 pixels)


def passages_table(reply) -> pd.DataFrame:
    return pd.DataFrame(
        {
            tr("rank"): range(1, len(reply.passages) + 1),
            tr("score"): [number(passage.score, 3) for passage in reply.passages],  # 0,714 in Dutch
            tr("date"): [passage.document.date.isoformat() for passage in reply.passages],
            tr("passage"): [f"{passage.document.title}: {passage.document.text}" for passage in reply.passages],
        }
    )


def results_frame(table: dict) -> pd.DataFrame:
    rows = {
        tr(lesson.METHODS[method]): {
            tr(lesson.GROUPS[group]): tr("{percent} ({right} of {asked})").format(
                percent=percent(score.share), right=score.right, asked=score.asked
            )
            for group, score in groups.items()
        }
        for method, groups in table.items()
    }
    return pd.DataFrame.from_dict(rows, orient="index")


def cost_frame(rows, speed: float) -> pd.DataFrame:
    """Every training the lesson stands on, then the published foundation models with the time they would take here."""
    measured = [
        {
            tr("training"): row.name,
            tr("operations"): operations_in_words(row.operations),
            tr("time"): duration_in_words(row.seconds),
            tr("what"): row.source,
        }
        for row in rows
    ]
    published = [
        {
            tr("training"): row.name,
            tr("operations"): operations_in_words(row.operations),
            tr("time"): tr("{duration} here").format(duration=words),
            tr("what"): row.source,
        }
        for row, words in lesson.reference_rows(speed)
    ]
    return pd.DataFrame(measured + published)
