"""Home: what the dashboard teaches, with a link to every lesson."""

import streamlit as st

from core.i18n import tr

st.title(tr("Trainlab: see how an AI model is trained"))
st.markdown(
    tr(
        "Every lesson here trains a **real neural network, live, in front of you**. Move the sliders, press "
        "Train and watch what the model learns, epoch by epoch. No curve is pre-recorded; only the language models "
        "that take long to pretrain are prepared in advance, and the pages that use one say so."
    )
)

LESSONS = (
    (
        "pages/rules_or_examples.py",
        tr("Rules or examples?"),
        tr(
            "**Start here.** A spreadsheet formula is a rule someone wrote; an AI model is formed by examples. Write "
            "a loan rule with two sliders, let a network learn the same decisions from 280 past applicants, and "
            "see what follows: the model finds a pattern nobody wrote down, goes wrong where its examples were "
            "missing, and guesses outside them, while the rule does exactly what it says."
        ),
    ),
    (
        "pages/lab.py",
        tr("Memorize or generalize?"),
        tr(
            "A network can fit its training data perfectly, wrong labels included, and still fail on new data. "
            "Change the learning rate, the epochs and the quality of the data and watch loss, the generalization gap "
            "and memorization of mislabeled examples."
        ),
    ),
    (
        "pages/training_loop.py",
        tr("How one training step works"),
        tr(
            "Watch a straight line learn from real patients' data, one phase at a time: predictions, loss, gradients "
            "from jax.grad and the update, with every number shown. Then run hundreds of steps on the loss landscape "
            "and find the learning rate above which training diverges; then race gradient descent, momentum and Adam "
            "down the same valley."
        ),
    ),
    (
        "pages/playground.py",
        tr("Playground"),
        tr(
            "Train a small network on spirals, moons, circles, xor or three gaussian blobs and watch what it predicts "
            "everywhere in the plane change live. Change layers, neurons, activation, batch size and L1 or L2 "
            "regularization and compare training with held-out loss."
        ),
    ),
    (
        "pages/data_quality.py",
        tr("Data quality and bias"),
        tr(
            "See what one-sided, mislabeled, imbalanced, repetitive or shifted training data does to a model, group by "
            "group and class by class, not only on average."
        ),
    ),
    (
        "pages/own_data.py",
        tr("Your own data"),
        tr(
            "Upload a spreadsheet of your own (or one of two examples), learn what makes a table usable, train on it "
            "live and see the results per class and per group, not only the average."
        ),
    ),
    (
        "pages/fine_tuning.py",
        tr("Pretraining vs fine-tuning"),
        tr(
            "A small generic language model learns a recruitment agency's house style from a hundred adverts, live, "
            "beside the same model trained from scratch on the same texts. See what fine-tuning costs, what it "
            "cannot fix, and when it starts to copy its training texts."
        ),
    ),
    (
        "pages/knowledge.py",
        tr("What a model knows"),
        tr(
            "Why doesn't the assistant know the new opening hours? A model trained up to a cutoff date answers a "
            "town's questions from memory, with retrieval (RAG) and after fine-tuning on the new documents. See "
            "which is right, what each costs, and what training a model of your own would take."
        ),
    ),
)

lesson_columns = st.columns(2, gap="medium")
for index, (path, title, summary) in enumerate(LESSONS):
    with lesson_columns[index % 2].container(border=True):
        st.subheader(title)
        st.write(summary)
        st.page_link(path, label=tr("Open: {title}").format(title=title), icon=":material/arrow_forward:")

st.markdown(
    tr(
        "**For teachers.** Project the dashboard and let students move the sliders on their own laptops: every "
        "browser tab trains its own model. The link in the address bar holds the current settings, so you can "
        "share a setup."
    )
)
