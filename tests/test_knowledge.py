"""The dated-facts world, the knowledge cutoff, the texts a model reads, answer checking, the retriever and the
compute accounting of "What a model knows". References are computed here from the raw JSON files and by
hand, independently of core/lessons/knowledge.py."""

import datetime
import importlib.util
import json
import shutil

import pytest

from core.lessons import compute, knowledge, retrieval

TOWN = knowledge.WORLD_FOLDER
CUTOFF = datetime.date(2024, 1, 1)


def load_script(name: str):
    spec = importlib.util.spec_from_file_location(name, TOWN / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def raw(name: str) -> list[dict]:
    return [json.loads(line) for line in (TOWN / name).read_text().splitlines()]


@pytest.fixture(scope="module")
def world():
    return knowledge.load_world()


@pytest.fixture(scope="module")
def retriever(world):
    return retrieval.Retriever(world.documents)


# ---------------------------------------------------------------- the world's files


def test_the_validator_passes_on_the_stored_world():
    assert load_script("check_town").problems() == []


def test_the_validator_finds_an_answer_missing_from_its_document(tmp_path):
    for path in TOWN.glob("*.jsonl"):
        shutil.copy(path, tmp_path / path.name)
    documents = raw("documents.jsonl")
    answer = raw("questions.jsonl")[0]["answers"][-1]
    changed = next(document for document in documents if document["id"] == answer["document"])
    changed["text"] = changed["text"].replace(answer["answer"], "somebody else")
    (tmp_path / "documents.jsonl").write_text("".join(json.dumps(row) + "\n" for row in documents))
    assert any(problem.startswith("q-001") for problem in load_script("check_town").problems(tmp_path))


def test_the_world_is_rebuilt_byte_for_byte(tmp_path):
    load_script("make_town").main(tmp_path)
    for path in TOWN.glob("*.jsonl"):
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


def test_the_world_has_a_few_hundred_documents_over_2019_to_2026(world):
    assert 200 <= len(world.documents) <= 400 and len(world.questions) >= 100
    assert {document.date.year for document in world.documents} == set(range(2019, 2027))
    assert len(world.reading_documents) == len(world.reading_questions) >= 300


# ---------------------------------------------------------------- the cutoff


@pytest.mark.parametrize(("earlier", "later"), [("2021-06-30", "2022-06-30"), ("2024-01-07", "2024-01-08")])
def test_moving_the_cutoff_shows_exactly_the_documents_dated_in_between(world, earlier, later):
    earlier, later = datetime.date.fromisoformat(earlier), datetime.date.fromisoformat(later)
    before = {document.id for document in knowledge.documents_up_to(world.documents, earlier)}
    after = {document.id for document in knowledge.documents_up_to(world.documents, later)}
    between = {row["id"] for row in raw("documents.jsonl") if earlier.isoformat() < row["date"] <= later.isoformat()}
    assert before <= after and after - before == between and between


def test_a_document_dated_on_the_cutoff_is_visible(world):
    day = world.documents[100].date
    assert world.documents[100] in knowledge.documents_up_to(world.documents, day)
    assert world.documents[100] not in knowledge.documents_up_to(world.documents, day - datetime.timedelta(days=1))


def test_the_split_at_a_cutoff_matches_the_answers_start_dates(world):
    split = knowledge.split_at_cutoff(world.questions, CUTOFF, world.end)
    changed = {
        row["id"] for row in raw("questions.jsonl") if any(a["from"] > CUTOFF.isoformat() for a in row["answers"])
    }
    assert {question.id for question in split.changed} == changed
    assert {question.id for question in split.unchanged} == {question.id for question in world.questions} - changed
    assert len(split.changed) >= 30 and len(split.unchanged) >= 60


def test_an_answer_holds_from_its_start_until_the_next(world):
    question = next(question for question in world.questions if len(question.answers) >= 3)
    first, second = question.answers[:2]
    assert question.answer_at(first.start - datetime.timedelta(days=1)) is None
    assert question.answer_at(first.start) == first.answer
    assert question.answer_at(second.start - datetime.timedelta(days=1)) == first.answer
    assert question.answer_at(second.start) == second.answer


def test_current_documents_hold_the_newest_document_of_each_fact(world):
    current = knowledge.current_documents(world.documents, CUTOFF)
    assert len({document.fact for document in current}) == len(current)
    for question in world.questions:
        stating = [document.id for document in current if document.fact == question.fact]
        expected = [answer.document for answer in question.answers if answer.start <= CUTOFF][-1:]
        assert stating == expected


# ---------------------------------------------------------------- the texts a model reads and writes


def test_the_training_text_dates_and_titles_a_document():
    document = knowledge.Document("kw-9999", datetime.date(2024, 3, 1), "A title", "Some text.", "Shop", "shop/x")
    assert knowledge.training_text(document) == "1 March 2024 - A title\nSome text.\n"


def test_prompts_end_where_the_answer_begins(world):
    question = world.reading_questions[0]
    passages = [world.reading_document(question), world.reading_documents[5]]
    prompt = knowledge.open_book_prompt(passages, question.question)
    assert prompt.startswith("Passage 1: " + knowledge.training_text(passages[0]) + "Passage 2: ")
    assert prompt.endswith(f"\nQuestion: {question.question}\nAnswer:")
    assert knowledge.open_book_example(passages, question.question, "7:30") == prompt + " 7:30\n"
    assert knowledge.closed_book_example("Who?", "Anna") == "Question: Who?\nAnswer: Anna\n"


def test_every_reading_answer_is_in_the_passage_the_model_is_given(world):
    for question in world.reading_questions:
        assert question.answer in knowledge.training_text(world.reading_document(question))


@pytest.mark.parametrize(
    ("written", "answer", "right"),
    [
        (" 7:30\nQuestion: next", "7:30", True),
        ("  eur 2.45.", "EUR 2.45", True),
        ("Sanne  van Dijk", "Sanne van Dijk", True),
        ("\n7:30", "7:30", True),
        ("17:30", "7:30", False),
        ("7:30 or 8:00", "7:30", False),
        ("", "7:30", False),
        ("Tuesday\nMonday", "Monday", False),
    ],
)
def test_answers_are_checked_on_the_first_line_normalised(written, answer, right):
    assert knowledge.is_right(written, answer) is right


# ---------------------------------------------------------------- the retriever


def test_the_retriever_ranks_the_answer_first_for_nine_questions_in_ten(world, retriever):
    at_1 = retrieval.recall(retriever, world.questions, world.end, k=1)
    at_3 = retrieval.recall(retriever, world.questions, world.end, k=3)
    print(f"retriever recall@1 {at_1:.3f}, recall@3 {at_3:.3f}")
    assert at_1 >= 0.9 and at_3 >= 0.97


def test_old_announcements_left_in_the_library_are_found_instead_of_new_ones(world, retriever):
    kept_current = retrieval.recall(retriever, world.questions, world.end, k=1)
    with_old = retrieval.recall(retriever, world.questions, world.end, k=1, current_only=False)
    assert with_old < kept_current - 0.1


def test_a_search_sees_only_documents_up_to_its_date(world, retriever):
    question = next(question for question in world.questions if question.fact == "bakery-van-dijk/opens")
    day = question.answers[1].start
    passages = retriever.search(question.question, k=5, up_to=day - datetime.timedelta(days=1))
    assert all(passage.document.date < day for passage in passages)
    assert passages[0].document.id == question.answers[0].document
    assert retriever.search(question.question, k=1, up_to=day)[0].document.id == question.answers[1].document


def test_search_scores_are_cosines_best_first(retriever):
    passages = retriever.search("What time does Vishandel Kok close on weekdays?", k=10, current_only=False)
    scores = [passage.score for passage in passages]
    assert scores == sorted(scores, reverse=True) and 0 < scores[-1] <= scores[0] <= 1


# ---------------------------------------------------------------- compute


def test_training_operations_match_a_hand_calculation():
    # 124 million parameters on 1 billion tokens: 6 x 124e6 x 1e9 = 744e15.
    assert compute.training_operations(124e6, 1e9) == pytest.approx(7.44e17)
    # The 6 x N x D rule against GPT-3's published 3.14e23: 6 x 175e9 x 300e9 = 3.15e23.
    gpt3 = compute.REFERENCES[0]
    assert compute.training_operations(gpt3.parameters, gpt3.tokens) == pytest.approx(gpt3.operations, rel=0.01)


def test_published_references_are_six_n_d_where_not_reported():
    chinchilla = next(reference for reference in compute.REFERENCES if reference.name.startswith("Chinchilla"))
    assert chinchilla.operations == pytest.approx(5.88e23)


def test_time_on_a_machine_follows_its_measured_speed():
    assert compute.seconds_to_train(3.14e23, 1e11) == pytest.approx(3.14e12)


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (0.4, "0.4 seconds"),
        (1, "1 second"),
        (45, "45 seconds"),
        (59.9, "1 minute"),
        (600, "10 minutes"),
        (7200, "2 hours"),
        (3.5 * 86400, "3.5 days"),
        (3e8, "9.5 years"),
        (3.14e23 / 8e10, "120,000 years"),
        (8e15, "250 million years"),
        (5e17, "16 billion years"),
    ],
)
def test_durations_read_in_plain_words(seconds, words):
    assert compute.duration_in_words(seconds) == words


def test_a_reference_reads_as_one_sentence():
    sentence = compute.reference_in_words(compute.REFERENCES[0], 8e10)
    assert sentence == (
        "GPT-3 (OpenAI, 2020): 3.1 × 10²³ operations; at 8.0 × 10¹⁰ operations a second this machine would "
        "need 120,000 years."
    )
