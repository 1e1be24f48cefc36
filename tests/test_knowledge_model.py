"""What the knowledge lesson's models train on, and how a reply is checked."""

import datetime

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
    longest = max(len(token_data.encode(p + c)) for p, c in km.reading_examples(WORLD))
    assert longest <= km.WINDOW


def test_a_run_trains_its_steps_counts_its_compute_and_its_model_answers_with_and_without_passages():
    from core.lm import train
    from core.lm.model import LMConfig, count_params

    tiny = LMConfig(context=512, width=32, heads=2, layers=1)  # answers need room for a prompt and its answer
    config = km.TrainingConfig("cutoff", datetime.date(2022, 1, 1), steps=2)
    run = km.train_to_end(km.KnowledgeRun(config, train.fresh_params(0, config=tiny), tiny))
    assert run.steps_done == 2 and run.failure is None and len(run.history().train_loss) == 2
    assert run.operations() == 6 * count_params(tiny) * 2 * km.BATCH_SIZE * km.WINDOW
    question = WORLD.questions[0]
    closed = km.ask(tiny, run.params, WORLD, question, WORLD.end, retrieve=False)
    opened = km.ask(tiny, run.params, WORLD, question, WORLD.end, retrieve=True)
    assert closed.passages == () and len(opened.passages) == km.PASSAGES
    assert 0 <= closed.probability <= 1 and closed.right == knowledge.is_right(
        closed.written, question.answer_at(WORLD.end)
    )


def test_copy_practice_asks_for_the_same_text_again():
    rng = np.random.default_rng(0)
    for _ in range(50):
        prompt, completion = km.copy_example(rng)
        assert prompt.startswith("Copy: ") and prompt.endswith("\nAgain:") and "\n" not in prompt[:-7]
        assert completion == " " + prompt[len("Copy: ") : -len("\nAgain:")] + "\n"


def test_the_reader_trains_on_reading_and_copy_practice_in_turn():
    examples = km.TrainingConfig("reading").examples(WORLD)
    assert len(examples) == 2 * len(WORLD.reading_questions)
    assert all(prompt.startswith("Passage 1: ") for prompt, _ in examples[::2])
    assert all(prompt.startswith("Copy: ") for prompt, _ in examples[1::2])


def test_the_shipped_reader_copies_from_its_context_and_the_generic_model_does_not():
    from core.lm import checkpoint, sample

    rng = np.random.default_rng(7)
    examples = [km.copy_example(rng) for _ in range(32)]

    def copied(stem) -> float:
        config, params, _ = checkpoint.load(stem)
        written = sample.answers(config, params, [prompt for prompt, _ in examples])
        return np.mean([text == completion[:-1] for (text, _), (_, completion) in zip(written, examples, strict=True)])

    assert copied(checkpoint.GENERIC_CHECKPOINT) < 0.1
    assert copied(km.READER_STEM) > 0.8
