"""Guided tasks: every task's answer holds for the run its button sets up, for the default seed and two more; on
every page, pressing a task's button sets the widgets to the task's values, starts the same run, and the answer
is there to reveal."""

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.lessons import tasks
from tests import browser_support
from tests.apptest_support import open_page

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"
PAGES = {
    "rules": "pages/rules_or_examples.py",
    "lab": "pages/lab.py",
    "loop": "pages/training_loop.py",
    "play": "pages/playground.py",
    "dq": "pages/data_quality.py",
    "dq_upload": "pages/own_data.py",
    "ft": "pages/fine_tuning.py",
    "kn": "pages/knowledge.py",
}
WIDGET_TYPES = ("slider", "select_slider", "selectbox", "radio", "number_input", "multiselect", "checkbox")
EVERY_TASK = [(prefix, number) for prefix, lesson in tasks.LESSONS.items() for number in range(len(lesson.tasks))]


@pytest.mark.parametrize("prefix, number", EVERY_TASK, ids=[f"{prefix}-{number + 1}" for prefix, number in EVERY_TASK])
def test_each_answer_holds_for_the_run_its_task_sets_up(prefix, number):
    task = tasks.LESSONS[prefix].tasks[number]
    for seed in tasks.SEEDS_CHECKED:
        run = tasks.run_task(prefix, task.settings, seed)
        assert task.check(run), f"the answer does not hold for seed {seed}: {task.answer_text}"


def test_every_lesson_page_has_two_to_four_tasks_that_leave_the_seed_alone():
    assert set(tasks.LESSONS) == set(PAGES)
    for lesson in tasks.LESSONS.values():
        assert 2 <= len(lesson.tasks) <= 4
        assert all(lesson.seed_key not in task.settings for task in lesson.tasks)


def widget_values(app: AppTest) -> dict:
    """Every widget on the page that has a key, by key: the value it shows."""
    return {widget.key: widget.value for kind in WIDGET_TYPES for widget in app.get(kind) if widget.key}


def page_with_the_sample_file(prefix: str) -> AppTest:
    app = open_page(PAGES[prefix])
    if prefix == "dq_upload":  # its tasks are about the example file, uploaded first as the task says
        raw = (SAMPLES / "loan_repayment.csv").read_bytes()
        app.get("file_uploader")[0].set_value(("loan_repayment.csv", raw, "text/csv")).run()
    return app


def the_state_it_trains(app: AppTest, prefix: str) -> dict:
    return {**tasks.LESSONS[prefix].tasks[0].settings, tasks.LESSONS[prefix].seed_key: 0}


@pytest.mark.parametrize("prefix", PAGES)
def test_a_task_button_sets_the_page_up_and_its_answer_is_there_to_reveal(prefix):
    app = page_with_the_sample_file(prefix)
    task = tasks.LESSONS[prefix].tasks[0]
    app.button(key=f"{prefix}_task_1").click().run()
    assert not app.exception
    shown = widget_values(app)
    for key, value in task.settings.items():
        assert shown[key] == pytest.approx(value) if isinstance(value, float) else shown[key] == value, key
    answer = next(expander for expander in app.expander if expander.label == "Answer to task 1")
    assert any(task.answer_text in block.value for block in answer.markdown)
    run_prefix = f"dq_{task.settings['dq_scenario']}" if prefix == "dq" else prefix  # one live panel per scenario
    if not task.starts_run:
        assert f"{run_prefix}_run" not in app.session_state, "the learner starts this one with the page's own button"
        return
    page_run = app.session_state[f"{run_prefix}_run"]
    assert app.session_state[f"{run_prefix}_running"] or page_run.progress().done > 0, "the task started its run"
    same_run = tasks.LESSONS[prefix].make_run(the_state_it_trains(app, prefix))
    if hasattr(same_run, "config"):
        assert page_run.config == same_run.config, "the page trains what the task's check was measured on"
    else:
        assert (page_run.problem, page_run.learning_rate, page_run.target_steps) == (
            same_run.problem,
            same_run.learning_rate,
            same_run.target_steps,
        )
    if prefix == "ft":
        app.button(key="ft_stop").click().run()  # its run trains on a worker thread


@pytest.mark.browser
@pytest.mark.skipif(not browser_support.CHROMIUM.exists(), reason="no Chromium (apt-get install chromium)")
def test_in_chromium_a_task_sets_the_slider_trains_and_reveals_its_answer(page, server):
    browser_support.open_page(page, server, "memorize-or-generalize")
    page.get_by_text("Tasks for this lesson").click()
    set_up = page.get_by_role("button", name="Set up and start this task").first
    set_up.wait_for(state="visible")
    browser_support.wait_idle(page)  # the first run's follow-up reruns (theme, live view) are over
    set_up.click()
    try:  # the click's run builds the task's run before it writes the address: generous on a busy machine
        page.wait_for_function("() => window.location.search.includes('lab_noise=40')", timeout=90_000)
    except Exception:
        browser_support.screenshot(page, "task-set-up-did-not-reach-the-address")
        raise
    page.get_by_text(re.compile(r"^Epoch \d+ of 300")).first.wait_for(timeout=60_000)
    answer = page.get_by_text(tasks.LESSONS["lab"].tasks[0].answer_text[:60])
    assert not answer.is_visible(), "the answer stays folded until asked for"
    page.get_by_text("Answer to task 1").click()
    answer.wait_for(state="visible")
    browser_support.assert_no_error_box(page)
