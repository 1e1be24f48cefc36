"""Trainlab's router: page config, navigation and the shared sidebar."""

import streamlit as st

from core.engine import jax_setup
from ui import look

# Compiled training code is kept on disk, so a restarted server does not compile again (once per process).
jax_setup.enable_compilation_cache()

st.set_page_config(page_title="Trainlab", page_icon=":material/model_training:", layout="wide")
# Less empty space above each page's title: on a projector every line counts.
st.html("<style>[data-testid='stMainBlockContainer'] { padding-top: 2.5rem; }</style>")

navigation = st.navigation(
    {
        "Trainlab": [st.Page("pages/home.py", title="Home", icon=":material/home:", default=True)],
        "Lessons": [
            st.Page(
                "pages/rules_or_examples.py",
                title="Rules or examples?",
                icon=":material/rule:",
                url_path="rules-or-examples",
            ),
            st.Page(
                "pages/lab.py",
                title="Memorize or generalize?",
                icon=":material/psychology:",
                url_path="memorize-or-generalize",
            ),
            st.Page(
                "pages/training_loop.py",
                title="How one training step works",
                icon=":material/footprint:",
                url_path="training-loop",
            ),
            st.Page("pages/playground.py", title="Playground", icon=":material/scatter_plot:", url_path="playground"),
            st.Page(
                "pages/data_quality.py",
                title="Data quality and bias",
                icon=":material/balance:",
                url_path="data-quality",
            ),
            st.Page("pages/own_data.py", title="Your own data", icon=":material/upload_file:", url_path="own-data"),
            st.Page(
                "pages/fine_tuning.py",
                title="Pretraining vs fine-tuning",
                icon=":material/edit_note:",
                url_path="fine-tuning",
            ),
        ],
    }
)
st.sidebar.caption(
    "Trainlab trains real neural networks (JAX, Flax, Optax) live in your browser session. "
    "Every number on screen comes from the model being trained."
)
look.sidebar()

try:
    navigation.run()
except Exception as error:  # st.rerun and st.stop are BaseExceptions and pass through
    st.error(
        f"Something went wrong on this page and it was stopped: {type(error).__name__}. "
        "The other pages still work; press Reset or reload to start again."
    )
