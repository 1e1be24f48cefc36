"""What the knowledge lesson's models train on, and how a reply is checked."""

import datetime

from core.lessons import knowledge
from core.lessons import knowledge_model as km
from core.lm import token_data

WORLD = knowledge.load_world()


def test_a_cutoffs_texts_are_exactly_the_documents_up_to_it_each_with_its_question_and_answer():
    for cutoff in (datetime.date(2021, 6, 30), datetime.date(2024, 1, 1)):
        texts = km.cutoff_texts(WORLD, cutoff)
        seen = knowledge.documents_up_to(WORLD.documents, cutoff)
        facts = texts[: len(seen)]
        assert len(texts) == len(seen) + km.READING_MIX
        for text, document in zip(facts, seen, strict=True):
            question, answer = km.stated_answer(WORLD, document)
            assert text.startswith(knowledge.training_text(document)) and text.endswith(f"Answer: {answer}\n")
            assert question.answer_at(document.date) == answer
        assert not any(document.text in "".join(texts) for document in WORLD.documents if document.date > cutoff)


def test_reading_practice_holds_its_own_document_and_nothing_that_contradicts_it():
    for text, question in zip(km.reading_texts(WORLD, 60), WORLD.reading_questions, strict=False):
        own = WORLD.reading_document(question)
        assert text.count("Passage ") == km.PASSAGES and own.text in text
        assert text.endswith(f"Question: {question.question}\nAnswer: {question.answer}\n")
        later = [d for d in WORLD.reading_documents if d.fact == own.fact and d.date > own.date]
        assert not any(document.text in text for document in later)


def test_the_latest_cutoffs_texts_fit_the_stream_every_cutoff_shares():
    texts = km.cutoff_texts(WORLD, WORLD.end)
    assert len(token_data.stream_of(texts).tokens) <= km.STREAM_CAPACITY


def test_a_run_trains_its_steps_counts_its_compute_and_its_model_answers_with_and_without_passages():
    from core.lm import train
    from core.lm.model import LMConfig, count_params

    tiny = LMConfig(context=16, width=32, heads=2, layers=2)
    config = km.TrainingConfig(datetime.date(2022, 1, 1), steps=2)
    run = km.train_to_end(km.KnowledgeRun(config, train.fresh_params(0, config=tiny), tiny))
    assert run.steps_done == 2 and run.failure is None and len(run.history().train_loss) == 2
    assert run.operations() == 6 * count_params(tiny) * 2 * train.BATCH_SIZE * 16
    question = WORLD.questions[0]
    closed = km.ask(tiny, run.params, WORLD, question, WORLD.end, retrieve=False)
    opened = km.ask(tiny, run.params, WORLD, question, WORLD.end, retrieve=True)
    assert closed.passages == () and len(opened.passages) == km.PASSAGES
    assert 0 <= closed.probability <= 1 and closed.right == knowledge.is_right(
        closed.written, question.answer_at(WORLD.end)
    )
