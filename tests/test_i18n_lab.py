"""The lab lesson and the guided tasks in Dutch and English: readings and answers keep their numbers, written as
each language writes them."""

import re
from types import SimpleNamespace

import numpy as np

from core import i18n
from core.i18n import language_as
from core.lessons import memorize, tasks


def memorizing_history() -> SimpleNamespace:
    """A run that learned 8 of its 10 wrong labels by heart: held-out accuracy fell from its best at epoch 2."""
    return SimpleNamespace(
        data=SimpleNamespace(mislabeled=np.array([True] * 10 + [False] * 30)),
        memorized_share=np.array([0.1, 0.4, 0.8]),
        train_accuracy=np.array([0.5, 0.9, 0.975]),
        test_accuracy=np.array([0.8, 0.925, 0.7125]),
        best_epoch=lambda: 2,
    )


def test_a_lab_reading_keeps_its_numbers_in_both_languages():
    english = memorize._memorization_reading(memorizing_history())
    assert english == (
        "warning",
        "The model has memorized 80% of the 10 mislabeled training examples: it repeats the wrong label it was "
        "given. Training accuracy is 98%, but on held-out data it is 71% (it was 92% at epoch 2).",
    ), "the English reads, and rounds, as f-strings did"
    with language_as("nl"):
        level, dutch = memorize._memorization_reading(memorizing_history())
    assert level == "warning"
    assert dutch.startswith("Het model heeft 80% van de 10 fout gelabelde trainingsvoorbeelden uit het hoofd geleerd")
    assert "op testdata 71% (bij epoch 2 was dat 92%)" in dutch


def test_lab_numbers_take_the_languages_decimal_sign_and_round_as_before():
    assert (i18n.percent(0.925, 1), memorize.decimal_text(-4.5, 2), memorize.short_number(5e-4)) == (
        "92.5%",
        "-4.50",
        "0.0005",
    )
    assert i18n.percent(0.575) == f"{0.575:.0%}" == "57%", "rounded as an f-string rounds"
    with language_as("nl"):
        assert (i18n.percent(0.925, 1), memorize.decimal_text(-4.5, 2), memorize.short_number(5e-4)) == (
            "92,5%",
            "-4,50",
            "0,0005",
        )


def test_a_task_answer_keeps_its_numbers_in_both_languages():
    task = tasks.LESSONS["loop"].tasks[0]  # its answer quotes two losses with decimals
    assert task.question == "Take 200 steps with a learning rate of 0.01. Has the line found its best fit?"
    assert task.answer_text.startswith(
        "No: the loss (the average squared error) is still about 0.62, almost twice the lowest possible (0.33)."
    )
    with language_as("nl"):
        assert (
            task.question == "Zet 200 stappen met een leersnelheid van 0,01. Heeft de lijn haar beste passing gevonden?"
        )
        assert "nog ongeveer 0,62, bijna twee keer het laagst mogelijke (0,33)" in task.answer_text
        cutoff = tasks.LESSONS["kn"].tasks[0]
        assert "1 januari 2024" in cutoff.question and "1 maart 2024" in cutoff.answer_text
        assert "7:30" in cutoff.answer_text, "the model's own answer is quoted as it writes it"


def test_every_task_reads_in_dutch_with_the_same_numbers():
    for lesson in tasks.LESSONS.values():
        for task in lesson.tasks:
            english = (task.question, task.answer_text)
            with language_as("nl"):
                dutch = (task.question, task.answer_text)
            for text_en, text_nl in zip(english, dutch, strict=True):
                assert text_nl != text_en and "{" not in text_nl, text_nl
                assert sorted(re.findall(r"\d+", text_nl)) == sorted(re.findall(r"\d+", text_en)), text_nl
