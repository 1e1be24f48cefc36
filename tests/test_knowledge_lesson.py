"""The knowledge lesson's page logic: cutoffs, what retrieval is given, editing one fact, the results table and the
cost table, each checked against a count made here."""

import collections
import datetime
import time

import numpy as np
import pytest

from core.lessons import compute, knowledge
from core.lessons import knowledge_lesson as lesson
from core.lessons import knowledge_model as km
from core.lm import checkpoint


@pytest.fixture(scope="module")
def prepared():
    return lesson.prepared(lesson.DEFAULT_CUTOFF)


def test_every_cutoff_is_a_quarter_day_and_the_prepared_ones_are_among_them():
    assert all(day.day == 1 and day.month in (1, 4, 7, 10) for day in lesson.CUTOFFS)
    assert lesson.CUTOFFS[0] == datetime.date(2020, 1, 1) and lesson.CUTOFFS[-1] <= lesson.today()
    assert set(km.PREPARED_CUTOFFS) <= set(lesson.CUTOFFS)
    assert all(lesson.is_prepared(cutoff) for cutoff in km.PREPARED_CUTOFFS)


def test_the_default_question_is_the_opening_time_that_changed_after_the_default_cutoff():
    question = lesson.question(lesson.DEFAULT_QUESTION)
    assert question.question == "What time does Bakery Van Dijk open on weekdays?"
    assert question.answer_at(lesson.DEFAULT_CUTOFF) != question.answer_at(lesson.today())
    assert tuple(question.id for question in lesson.world().questions) == lesson.QUESTION_IDS


def test_the_question_groups_split_every_question_by_whether_its_answer_changed_after_the_cutoff():
    groups = lesson.question_groups(lesson.DEFAULT_CUTOFF)
    assert len(groups["unchanged"]) + len(groups["changed"]) == len(lesson.world().questions)
    for question in groups["unchanged"]:
        assert question.answer_at(lesson.DEFAULT_CUTOFF) == question.answer_at(lesson.today())
    for question in groups["changed"]:
        assert question.answer_at(lesson.DEFAULT_CUTOFF) != question.answer_at(lesson.today())


@pytest.mark.parametrize("library", lesson.LIBRARIES)
def test_retrieval_gives_the_right_document_only_where_it_should(library):
    question = lesson.question(lesson.DEFAULT_QUESTION)
    passages = lesson.passages_for(question, library)
    ids = [passage.document.id for passage in passages]
    today_document = question.answers[-1].document
    assert len(passages) == km.PASSAGES and len(set(ids)) == km.PASSAGES
    assert all(passage.document.date <= lesson.today() for passage in passages)
    if library == "wrong":
        assert today_document not in ids
    elif library == "current":
        assert ids[0] == today_document
        current = {document.id for document in knowledge.current_documents(lesson.world().documents, lesson.today())}
        assert set(ids) <= current
    else:
        older = {answer.document for answer in question.answers[:-1]}
        assert older & set(ids), "with old announcements kept, an outdated one is found too"


def test_the_results_table_counts_what_asking_one_by_one_gives(prepared):
    table = lesson.results(prepared.config, prepared.params, lesson.DEFAULT_CUTOFF)
    groups = lesson.question_groups(lesson.DEFAULT_CUTOFF)
    for group, questions in groups.items():
        one_by_one = [
            km.ask(prepared.config, prepared.params, lesson.world(), q, lesson.today(), False) for q in questions
        ]
        assert table["closed_book"][group] == lesson.Score(sum(reply.right for reply in one_by_one), len(questions))
    assert set(table) == {"closed_book", "retrieval"}
    readings = lesson.results_readings(table, lesson.DEFAULT_CUTOFF)
    assert f"{table['closed_book']['unchanged'].share:.0%}" in readings[0]
    assert f"{table['retrieval']['changed'].share:.0%}" in readings[1]


def test_editing_one_fact_puts_the_new_value_in_the_library_and_the_model_reads_it(prepared):
    question = lesson.question(lesson.DEFAULT_QUESTION)
    edit = lesson.edit_fact(prepared.config, prepared.params, question, "  9:15 ")
    assert "9:15" in edit.document.text and question.answer_at(lesson.today()) not in edit.document.text
    assert edit.document.date == lesson.today() and edit.reply.passages[0].document == edit.document
    assert edit.reply.right == knowledge.is_right(edit.reply.written, "9:15")
    assert 0 < edit.seconds < 5
    with pytest.raises(ValueError, match="type the new value"):
        lesson.edit_fact(prepared.config, prepared.params, question, "   ")


def test_the_cost_rows_count_six_times_parameters_times_tokens(prepared):
    rows = lesson.run_cost_rows([prepared])
    parameters = checkpoint.read_facts()["parameters"]
    generic, reader, cutoff = rows
    assert generic.operations == 6 * parameters * checkpoint.read_facts()["tokens_seen"]
    assert reader.operations == 6 * parameters * lesson.reader()[2]["tokens_seen"]
    assert cutoff.operations == 6 * parameters * prepared.facts["tokens_seen"] and cutoff.name.endswith("(prepared)")
    speed = lesson.operations_per_second(rows)
    assert speed == pytest.approx(sum(row.operations for row in rows) / sum(row.seconds for row in rows))
    gpt3 = next(row for row, _ in lesson.reference_rows(speed) if row.name.startswith("GPT-3"))
    assert gpt3.operations == 3.14e23
    assert "times as many" in lesson.cost_reading(rows, speed)


@pytest.mark.parametrize(
    ("ratio", "words"),
    [
        (4.0, "about 4.0 times"),
        (40, "about 40 times"),
        (1234, "about 1,200 times"),
        (8.6e11, "about 860 billion times"),
    ],
)
def test_ratios_read_in_plain_words(ratio, words):
    assert compute.times_in_words(ratio) == words


def test_a_task_check_reads_the_prepared_model_with_the_tasks_settings(prepared):
    check = lesson.TaskCheck({"kn_cutoff": "2024-01-01", "kn_question": lesson.DEFAULT_QUESTION, "kn_library": "wrong"})
    assert check.advance() is False and check.model.key == prepared.key
    closed, opened = lesson.replies(prepared, lesson.question(lesson.DEFAULT_QUESTION), "wrong")
    assert (check.closed, check.opened) == (closed, opened)
    assert np.isfinite(check.table["retrieval"]["changed"].share)


def test_the_time_a_live_run_will_take_is_read_from_the_steps_live_runs_took_here(monkeypatch):
    """The estimate came from the prepared models' quiet-machine speed, and a busy server took twice as long."""
    monkeypatch.setattr(km, "_RECENT_STEP_SECONDS", collections.deque(maxlen=50))
    monkeypatch.setattr(km, "_RECENT_START_SECONDS", collections.deque(maxlen=5))
    before = lesson.expected_seconds(100)  # no live run yet: the prepared cutoffs' speed
    started = time.perf_counter()
    run = lesson.cutoff_run(lesson.DEFAULT_CUTOFF, steps=4)
    while run.advance():
        pass
    took = time.perf_counter() - started
    steps, (start,) = list(km._RECENT_STEP_SECONDS), list(km._RECENT_START_SECONDS)
    assert len(steps) == 3, "every step but the first, which may compile"
    assert 0 < start + sum(steps) <= took, "the start (setting up and the first step) and the steps: the whole run"
    assert lesson.expected_seconds(100) == pytest.approx(start + 99 * sum(steps) / 3)
    assert before > lesson.FIRST_START_SECONDS


def test_the_results_table_asks_with_what_the_chosen_library_finds(prepared):
    """Each question of a group asked one by one with the passages the "wrong" library gives scores as the table."""
    table = lesson.prepared_results(lesson.DEFAULT_CUTOFF, "wrong")
    changed = lesson.question_groups(lesson.DEFAULT_CUTOFF)["changed"]
    one_by_one = [
        km.ask(
            prepared.config, prepared.params, lesson.world(), q, lesson.today(), True, lesson.passages_for(q, "wrong")
        )
        for q in changed
    ]
    assert table["retrieval"]["changed"] == lesson.Score(sum(reply.right for reply in one_by_one), len(changed))
    assert (
        table["retrieval"]["changed"].share
        < lesson.prepared_results(lesson.DEFAULT_CUTOFF)["retrieval"]["changed"].share
    )
    reading = lesson.results_readings(table, lesson.DEFAULT_CUTOFF, "wrong")[1]
    assert "misses" in reading and f"{table['retrieval']['changed'].share:.0%}" in reading
