"""What the knowledge lesson's models train on, and how a reply is checked."""

import datetime
import re

import numpy as np

from core.lessons import knowledge
from core.lessons import knowledge_model as km
from core.lm import token_data

WORLD = knowledge.load_world()


def joined(examples) -> str:
    return "".join(prompt + completion for prompt, completion in examples)


def test_moving_the_cutoff_changes_exactly_which_documents_are_trained_on():
    for cutoff in (datetime.date(2021, 6, 30), datetime.date(2024, 1, 1)):
        examples = km.cutoff_examples(WORLD, cutoff)
        seen = knowledge.documents_up_to(WORLD.documents, cutoff)
        text = joined(examples)
        assert all(knowledge.training_text(document) in text for document in seen)
        assert not any(document.text in text for document in WORLD.documents if document.date > cutoff)
        assert (
            len(examples)
            == len(seen)
            + km.RECALL_REPEATS * len(knowledge.current_documents(WORLD.documents, cutoff))
            + km.READING_MIX
            + km.CONFLICT_MIX
        )


def test_a_cutoff_asks_each_fact_once_with_its_answer_on_the_cutoff_day():
    cutoff = datetime.date(2024, 1, 1)
    asked = {}
    for prompt, completion in km.cutoff_examples(WORLD, cutoff):
        if prompt.startswith("Question: "):
            asked.setdefault(prompt, set()).add(completion)
    assert len(asked) == len(knowledge.current_documents(WORLD.documents, cutoff))
    by_question = {knowledge.closed_book_prompt(question.question): question for question in WORLD.questions}
    for prompt, answers in asked.items():
        assert answers == {knowledge.answer_text(by_question[prompt].answer_at(cutoff))}, "one answer to a question"


def test_the_update_reads_only_documents_after_the_cutoff_and_asks_the_answers_of_now():
    cutoff = datetime.date(2024, 1, 1)
    examples = km.update_examples(WORLD, cutoff)
    text = joined(examples)
    assert not any(document.text in text for document in WORLD.documents if document.date <= cutoff)
    assert all(document.text in text for document in WORLD.documents if document.date > cutoff)
    questions = {knowledge.closed_book_prompt(q.question): q for q in WORLD.questions}
    for prompt, completion in examples:
        if prompt in questions:
            assert completion == knowledge.answer_text(questions[prompt].answer_at(WORLD.end))


def test_reading_practice_holds_its_own_document_and_nothing_that_contradicts_it():
    for (prompt, completion), question in zip(km.reading_examples(WORLD, 60), WORLD.reading_questions, strict=False):
        own = WORLD.reading_document(question)
        assert prompt.count("Passage ") == km.PASSAGES and own.text in prompt
        assert prompt.endswith(f"Question: {question.question}\nAnswer:") and completion == f" {question.answer}\n"
        later = [d for d in WORLD.reading_documents if d.fact == own.fact and d.date > own.date]
        assert not any(document.text in prompt for document in later)


def test_answers_weigh_fully_in_the_loss_and_prompts_little():
    examples = km.reading_examples(WORLD, 3)
    stream = token_data.prompted_stream_of(examples, km.PROMPT_WEIGHT)
    assert np.array_equal(stream.tokens, token_data.stream_of([p + c for p, c in examples]).tokens)
    for (prompt, _), start in zip(examples, stream.starts, strict=True):
        prompt_length = len(token_data.encode(prompt))
        assert np.all(stream.weights[start : start + prompt_length] == km.PROMPT_WEIGHT)
        assert stream.weights[start + prompt_length] == 1.0


def test_every_training_set_fits_its_window_and_the_shared_stream():
    for examples in (km.cutoff_examples(WORLD, WORLD.end), km.update_examples(WORLD, datetime.date(2019, 1, 1))):
        assert len(token_data.prompted_stream_of(examples, km.PROMPT_WEIGHT).tokens) <= km.STREAM_CAPACITY
    conflicts = km.conflict_examples(WORLD, WORLD.end, 300)
    assert max(len(token_data.encode(p + c)) for p, c in conflicts) <= km.WINDOW
    reading = [len(token_data.encode(p + c)) for p, c in km.reading_examples(WORLD)]
    assert np.mean(np.array(reading) > km.WINDOW) < 0.01, "the reader learns nearly every reading example whole"


def test_conflict_practice_gives_a_passage_from_after_the_cutoff_that_overrules_memory():
    """The model learns to trust a newer passage over what it learned: the passage states a made-up value (never one
    the fact really takes, so nothing after the cutoff leaks in), dated after the cutoff, and that is the answer."""
    cutoff = datetime.date(2023, 1, 1)
    questions = {question.question: question for question in WORLD.questions}
    later = [document for document in WORLD.documents if document.date > cutoff]
    examples = km.conflict_examples(WORLD, cutoff, 150)
    assert len({prompt for prompt, _ in examples}) == 150
    for prompt, completion in examples:
        question = questions[prompt.rsplit("Question: ", 1)[1].removesuffix("\nAnswer:")]
        made_up = completion.strip()
        assert made_up not in {answer.answer for answer in question.answers}
        lines = prompt.splitlines()
        stated = next(number for number, line in enumerate(lines) if made_up in line)
        header = lines[stated - 1]
        dated = datetime.datetime.strptime(header.split(": ", 1)[1].split(" - ")[0], "%d %B %Y").date()
        assert header.startswith("Passage ") and dated > cutoff
        assert prompt.count("Passage ") == km.PASSAGES
        assert not any(document.text in prompt for document in later), "no real document from after the cutoff"


def test_a_made_up_value_has_the_form_of_the_real_one():
    rng = np.random.default_rng(0)
    names = ["Anna de Vries", "Bas Smit"]
    for value, pattern in (
        ("EUR 2.45", r"EUR \d+\.\d\d"),
        ("9:30", r"\d{1,2}:\d\d"),
        ("Monday", r"(Tues|Wednes|Thurs|Fri|Satur|Sun)day"),
        ("1.5%", r"\d+(\.\d+)?%"),
        ("0527-618114", r"0527-\d{6}"),
        ("Anna de Vries", r"Bas Smit"),
    ):
        for _ in range(20):
            assert re.fullmatch(pattern, km.other_value(value, names, rng))
