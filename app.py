"""Trainlab's router: page config, navigation and the shared sidebar.

`streamlit run app.py` finds the st.App at the bottom of this file and serves the dashboard through it: its
start-up hook runs once, before any learner connects (ui/first_minute.py: every address goes through this
file's st.navigation from the first visit on, and the engine warms up at once). Streamlit then runs this file,
as `__main__`, for every page a learner opens.
"""

from contextlib import asynccontextmanager

import streamlit as st

from core.i18n import tr
from ui import failures, first_minute, language, look

# Less empty space above each page's title: on a projector every line counts. A metric's label and value, and a
# button's label, wrap instead of ending in "..." (in Dutch, or in projector mode, many did); rows of metrics align
# their columns at the bottom, so the numbers stay in line.
PAGE_CSS = """<style>
[data-testid='stMainBlockContainer'] { padding-top: 2.5rem; }
[data-testid='stMetricLabel'] [data-testid='stMarkdownContainer'], [data-testid='stMetricLabel'] p,
[data-testid='stMetricValue'] > div, .stButton button *, .stDownloadButton button * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }
</style>"""


def lesson_pages() -> dict:
    """Every page with its address: the lessons in the order a course takes them."""
    return {
        "Trainlab": [st.Page("pages/home.py", title=tr("Home"), icon=":material/home:", default=True)],
        tr("Lessons"): [
            st.Page(
                "pages/rules_or_examples.py",
                title=tr("Rules or examples?"),
                icon=":material/rule:",
                url_path="rules-or-examples",
            ),
            st.Page(
                "pages/lab.py",
                title=tr("Memorize or generalize?"),
                icon=":material/psychology:",
                url_path="memorize-or-generalize",
            ),
            st.Page(
                "pages/training_loop.py",
                title=tr("How one training step works"),
                icon=":material/footprint:",
                url_path="training-loop",
            ),
            st.Page(
                "pages/playground.py", title=tr("Playground"), icon=":material/scatter_plot:", url_path="playground"
            ),
            st.Page(
                "pages/data_quality.py",
                title=tr("Data quality and bias"),
                icon=":material/balance:",
                url_path="data-quality",
            ),
            st.Page("pages/own_data.py", title=tr("Your own data"), icon=":material/upload_file:", url_path="own-data"),
            st.Page(
                "pages/fine_tuning.py",
                title=tr("Pretraining vs fine-tuning"),
                icon=":material/edit_note:",
                url_path="fine-tuning",
            ),
            st.Page(
                "pages/knowledge.py",
                title=tr("What a model knows"),
                icon=":material/travel_explore:",
                url_path="knowledge",
            ),
        ],
    }


def main() -> None:
    # Whatever page a fresh server is first asked for, the engine warms up from now on while the learner reads.
    # The warm-up also sets JAX up (the compile cache on disk, two devices for batches of runs): importing JAX
    # here would hold the first page until it is loaded.
    first_minute.warm_up_the_server()
    with first_minute.one_importer_at_a_time():  # while the warm-up imports, it and this run take turns
        show_the_page()


def show_the_page() -> None:
    st.set_page_config(page_title="Trainlab", page_icon=":material/model_training:", layout="wide")
    st.html(PAGE_CSS)

    language.sidebar()  # first: every text below, the pages' titles included, is in the chosen language
    navigation = st.navigation(lesson_pages())
    st.sidebar.caption(
        tr(
            "Trainlab trains real neural networks (JAX, Flax, Optax) live in your browser session. "
            "Every number on screen comes from the model being trained."
        )
    )
    look.sidebar()

    try:
        navigation.run()
    except Exception as error:  # st.rerun and st.stop are BaseExceptions and pass through
        failures.show_failure(error)


@asynccontextmanager
async def prepare_the_server(_app):
    first_minute.prepare_server()
    yield


if __name__ == "__main__":
    main()
else:  # imported by `streamlit run app.py`, which serves this st.App (AppTest runs the file as __main__)
    app = st.App(__file__, lifespan=prepare_the_server)
