"""The "What a model knows" page through Streamlit's AppTest: the prepared cutoff answers at once; another cutoff
trains live; retrieval's passages, a wrong passage, editing one fact, the results and the cost tables."""

import datetime

from core.lessons import knowledge, knowledge_lesson
from tests.apptest_support import chart_spec, open_page, run_until_stopped

PAGE = "pages/knowledge.py"
UNPREPARED = datetime.date(2022, 7, 1)


def markdown_text(app) -> str:
    return "\n".join(block.value for block in app.markdown)


def test_the_prepared_cutoff_answers_at_once_with_and_without_retrieval():
    app = open_page(PAGE)
    assert app.title[0].value == "What a model knows"
    assert app.session_state.kn_cutoff == knowledge_lesson.DEFAULT_CUTOFF.isoformat()
    assert any("Prepared in advance and loaded at once" in caption.value for caption in app.caption)
    text = markdown_text(app)
    assert "From memory (closed book)" in text and "With retrieval (RAG)" in text
    assert "it gives this answer a probability of" in text
    passages, results, costs = (frame.value for frame in app.dataframe)
    assert len(passages) == 3 and list(passages.columns) == ["rank", "score", "date", "passage"]
    assert list(passages["score"]) == sorted(passages["score"], reverse=True)
    assert list(results.index) == [knowledge_lesson.METHODS["closed_book"], knowledge_lesson.METHODS["retrieval"]]
    assert "GPT-3 (OpenAI, 2020)" in set(costs["training"])
    assert "From memory the model answers" in text and "With retrieval the same model answers" in text


def test_the_timeline_marks_what_the_cutoff_let_the_model_read():
    app = open_page(PAGE)
    spec = chart_spec(app, "kn_time")
    names = [trace["name"] for trace in spec["data"]]
    seen = len(knowledge.documents_up_to(knowledge_lesson.world().documents, knowledge_lesson.DEFAULT_CUTOFF))
    assert names[0] == f"read in training ({seen})"
    assert names[1] == f"after the cutoff ({len(knowledge_lesson.world().documents) - seen})"
    assert names[2] == "about the question asked"
    assert spec["layout"]["shapes"][0]["x0"].startswith(knowledge_lesson.DEFAULT_CUTOFF.isoformat())


def test_a_cutoff_not_prepared_trains_live_and_then_answers():
    app = open_page(PAGE)
    app.select_slider(key="kn_cutoff").set_value(UNPREPARED.isoformat()).run()
    assert any("No model knows this cutoff yet" in info.value for info in app.info)
    assert len(app.dataframe) == 1, "only the cost table: no model, no answers"
    app.slider(key="kn_steps").set_value(50).run()
    app.button(key="kn_train").click().run()
    run = app.session_state.kn_run
    assert run.config.cutoff == UNPREPARED and run.config.steps == 50
    app.number_input(key="kn_seed").set_value(2).run()
    app.select_slider(key="kn_cutoff").set_value(knowledge.DEFAULT_CUTOFF.isoformat()).run()
    assert any("This run learns the cutoff 1 July 2022" in info.value for info in app.info)
    assert any("Changed since this run started: seed 0 → 2" in caption.value for caption in app.caption)
    app.select_slider(key="kn_cutoff").set_value(UNPREPARED.isoformat()).run()
    assert app.session_state.kn_run is run, "moving the controls while it trains keeps the run"
    run_until_stopped(app, "kn", max_ticks=400, pause_seconds=0.5)
    app.run()
    assert not app.exception and run.steps_done == 50
    assert any("Trained here, live" in caption.value for caption in app.caption)
    assert len(app.dataframe) == 3
    costs = app.dataframe[2].value
    assert any("(live)" in name for name in costs["training"])


def test_a_wrong_passage_leaves_out_the_document_with_todays_answer():
    app = open_page(PAGE)
    question = knowledge_lesson.question(app.session_state.kn_question)
    stating = next(d for d in knowledge_lesson.world().documents if d.id == question.answers[-1].document)
    assert any(stating.title in passage for passage in app.dataframe[0].value["passage"])
    app.radio(key="kn_library").set_value("wrong").run()
    assert not any(stating.title in passage for passage in app.dataframe[0].value["passage"])
    table = knowledge_lesson.prepared_results(knowledge_lesson.DEFAULT_CUTOFF, "wrong")
    results = app.dataframe[1].value
    changed = table["retrieval"]["changed"]
    cell = results.loc["With retrieval (RAG)", "Facts that changed (or appeared) after the cutoff"]
    assert cell.startswith(f"{changed.share:.0%} ({changed.right} ")


def test_editing_one_fact_changes_what_retrieval_finds_and_shows_the_typed_value_as_text():
    app = open_page(PAGE)
    app.text_input(key="kn_new_value").input("*9:15* [x](http://a.b)").run()
    app.button(key="kn_edit").click().run()
    edit = app.session_state.kn_edit_result
    assert "*9:15* [x](http://a.b)" in edit.document.text
    assert edit.document.id in {passage.document.id for passage in edit.reply.passages}
    reading = next(block.value for block in app.markdown if "Rebuilding the retriever's index" in block.value)
    assert "\\*9\\:15\\*" in reading and "](http" not in reading
    app.text_input(key="kn_new_value").input("   ").run()
    app.button(key="kn_edit").click().run()
    assert any("type the new value first" in error.value for error in app.error)


def test_a_cutoff_run_that_fails_to_load_is_not_tried_again_on_every_rerun(monkeypatch):
    app = open_page(PAGE)
    app.select_slider(key="kn_cutoff").set_value(UNPREPARED.isoformat()).run()
    calls = []

    def failing(*arguments):
        calls.append(arguments)
        raise RuntimeError("no room to load it")

    monkeypatch.setattr(knowledge_lesson, "cutoff_run", failing)
    app.button(key="kn_train").click().run()
    assert len(calls) == 1 and "kn_requested" not in app.session_state
    app.run()
    assert len(calls) == 1 and not app.exception, "the failed request is gone; the page draws again"
