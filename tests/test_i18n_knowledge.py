"""The knowledge lesson's readings in both languages: the results and the cost readings, the table of every question
and the durations read the same numbers, written as English and as Dutch write them (no model is loaded)."""

from __future__ import annotations

import datetime

import pytest

from core.i18n import language_as
from core.lessons import compute
from core.lessons import knowledge_lesson as lesson
from core.lessons.knowledge_lesson import CostRow, Score
from ui.knowledge import results_frame

CUTOFF = datetime.date(2024, 1, 1)
TABLE = {
    "closed_book": {"unchanged": Score(85, 100), "changed": Score(1, 50)},
    "retrieval": {"unchanged": Score(92, 100), "changed": Score(36, 50)},
    "fine_tuned": {"unchanged": Score(60, 100), "changed": Score(45, 50)},
}
ROWS = [CostRow("Teaching it to read", 4.4e13, 1500.0, "tokens")]
SPEED = 3.3e10


def test_the_results_readings_in_english_and_in_dutch():
    readings = lesson.results_readings(TABLE, CUTOFF)
    assert readings[0].startswith(
        "From memory the model answers 85% of the questions whose answer was already true on its cutoff "
        "(1 January 2024), but only 2% of those whose answer changed after it"
    )
    assert "answers 72% of the changed facts right" in readings[1]
    assert "answers 90% of the changed facts from memory, and 60% of the old ones (it had 85% before)" in readings[2]
    with language_as("nl"):
        dutch = lesson.results_readings(TABLE, CUTOFF)
    assert dutch[0].startswith("Uit zijn geheugen beantwoordt het model 85% van de vragen")
    assert "(1 januari 2024)" in dutch[0] and "slechts 2%" in dutch[0]
    assert "72% van de veranderde feiten goed" in dutch[1]
    assert "(eerst was dat 85%)" in dutch[2]
    assert not any("From memory" in reading or "January" in reading for reading in dutch)


def test_the_cost_reading_writes_its_numbers_for_the_language():
    english = lesson.cost_reading(ROWS, SPEED)
    assert english.startswith(
        "The largest training in the table, teaching it to read, took 4.4 × 10¹³ operations. Llama 3.1 405B "
        "(Meta, 2024) took 3.8 × 10²⁵: "
        "about 860 billion times as many, which this server would need 36 million years for. "
    )
    with language_as("nl"):
        dutch = lesson.cost_reading(ROWS, SPEED)
    assert dutch.startswith(
        "De grootste training in de tabel, teaching it to read, kostte 4,4 × 10¹³ rekenbewerkingen. Llama 3.1 405B "
        "(Meta, 2024) "
        "kostte er 3,8 × 10²⁵: ongeveer 860 miljard keer zoveel, waar deze server 36 miljoen jaar voor nodig zou "
        "hebben."
    )
    assert "operations" not in dutch


def test_the_results_table_reads_in_both_languages():
    assert results_frame(TABLE).loc["With retrieval (RAG)", "Facts that changed (or appeared) after the cutoff"] == (
        "72% (36 of 50)"
    )
    with language_as("nl"):
        frame = results_frame(TABLE)
    assert frame.loc["Met opzoeken (RAG)", "Na de kennisgrens veranderd (of nieuw)"] == ("72% (36 van 50)")


@pytest.mark.parametrize(
    ("seconds", "english", "dutch"),
    [
        (1, "1 second", "1 seconde"),
        (0.4, "0.4 seconds", "0,4 seconden"),
        (7200, "2 hours", "2 uur"),
        (3.5 * 86400, "3.5 days", "3,5 dagen"),
        (3.14e23 / 8e10, "120,000 years", "120.000 jaar"),
        (8e15, "250 million years", "250 miljoen jaar"),
    ],
)
def test_durations_in_both_languages(seconds, english, dutch):
    assert compute.duration_in_words(seconds) == english
    with language_as("nl"):
        assert compute.duration_in_words(seconds) == dutch


def test_dates_in_sentences_follow_the_language_and_the_documents_keep_theirs():
    assert (lesson.day_in_words(CUTOFF), lesson.month_in_words(CUTOFF)) == ("1 January 2024", "Jan 2024")
    with language_as("nl"):
        assert (lesson.day_in_words(CUTOFF), lesson.month_in_words(CUTOFF)) == ("1 januari 2024", "jan 2024")
        assert compute.times_in_words(1234) == "ongeveer 1.200 keer"
