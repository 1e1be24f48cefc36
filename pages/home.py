"""Home: what the dashboard teaches, with a link to every lesson."""

import streamlit as st

st.title("Trainlab: see how an AI model is trained")
st.markdown(
    "Every lesson here trains a **real neural network, live, in front of you**. Move the sliders, press "
    "Train and watch what the model learns, epoch by epoch. Nothing is pre-recorded."
)

LESSONS = (
    ("pages/lab.py", "Memorize or generalize?",
     "A network can fit its training data perfectly, wrong labels included, and still fail on new data. "
     "Change the learning rate, the epochs and the quality of the data and watch loss, the generalization gap "
     "and memorization of mislabeled examples."),
)

for path, title, summary in LESSONS:
    with st.container(border=True):
        st.page_link(path, label=f"**{title}**", icon=":material/school:")
        st.write(summary)

st.markdown(
    "**For teachers.** Project the dashboard and let students move the sliders on their own laptops: every "
    "browser tab trains its own model. The link in the address bar holds the current settings, so you can "
    "share a setup."
)
