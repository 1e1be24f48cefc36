"""The guided tasks of a lesson (core.lessons.tasks), folded under one expander: each question, a button that sets
the page up for it (and starts the run where the task needs one), and its answer to reveal. A task's question and
answer are translated here (`tr`), so core.lessons.tasks marks them with `tr_later`."""

from collections.abc import Callable

import streamlit as st

from core.i18n import tr
from core.lessons.tasks import LESSONS, Task


def _set_up(task: Task, start: Callable[[], None] | None) -> None:
    """Give the page's widgets the task's values; then start the page's run, unless the learner starts it."""
    st.session_state.update(task.settings)
    if start is not None and task.starts_run:
        start()


def task_panel(prefix: str, start: Callable[[], None] | None = None) -> None:
    """The tasks of the lesson whose widgets start with `prefix`. `start()` starts the page's run from its widgets."""
    with st.expander(tr("Tasks for this lesson"), icon=":material/checklist:"):
        for number, task in enumerate(LESSONS[prefix].tasks, start=1):
            st.markdown(tr("**Task {number}.** {question}").format(number=number, question=task.question))
            st.button(
                tr("Set up and start this task") if task.starts_run else tr("Set up this task"),
                key=f"{prefix}_task_{number}",
                on_click=_set_up,
                args=(task, start),
                icon=":material/play_arrow:" if task.starts_run else ":material/tune:",
            )
            with st.expander(tr("Answer to task {number}").format(number=number)):
                st.markdown(task.answer_text)
