"""The fine-tuning lesson in Dutch and English: its readings write their numbers for the language (0,5 and 6.000 in
Dutch), its reasons and refusals speak the learner's language, and the page's own text is Dutch while the adverts the
models write stay in the language they are written in."""

from __future__ import annotations

import re
import types

import pytest

from core.i18n import language_as
from core.lessons import fine_tuning
from core.lm import corpus
from tests.test_lm import PRETRAINING, fake_run

HOUSE_ADVERT = (
    "Cook | Leeds\n\nThe role\nYou cook, with a crew that has your back.\n\nWhat you bring\n~ Knives\n~ Patience\n\n"
    "What we offer\n~ EUR 2,400 - 2,800 per month\n\n"
    "How to apply\nWrite to us.\n\nHarbour & Finch: the right people, in the right harbour."
)


def test_the_cost_reading_writes_its_numbers_for_the_language():
    """The English is checked in tests/test_lm.py; here the same reading in Dutch, with Dutch marks."""
    with language_as("nl"):
        dutch = fine_tuning.cost_reading(200, 30.0, 1_204_800, PRETRAINING)
    assert "**200 stappen**, **15 seconden** per model, **1.205 duizend tokens** gelezen" in dutch
    assert "kostte 6.000 stappen, 10,4 minuten en 12,3 miljoen tokens" in dutch and "**9,8%**" in dutch


def test_the_generic_model_reading_writes_its_facts_and_losses_for_the_language():
    losses = {"general": 1.41, "english": 1.724, "dutch": 3.771}
    with language_as("nl"):
        dutch = fine_tuning.generic_model_reading(PRETRAINING, losses)
    assert "6.000 trainingsstappen, 12,3 miljoen tokens gelezen, 10,4 minuten rekenwerk, 605.824 parameters" in dutch
    assert "tussen 2.048 tokens, scoort 7,6" in dutch and "**1,72** op vacatures van Harbour & Finch" in dutch
    assert "**3,77** op de Nederlandse" in dutch


def test_a_finished_runs_readings_read_right_in_both_languages():
    run = fake_run([1.7, 1.2, 1.6], 1.8, HOUSE_ADVERT, copied=0.9, general_losses=[4.1, 4.8, 5.2])
    english = [sentence for _, sentence in fine_tuning.outcome_readings(run)]
    assert "After 30 steps the fine-tuned model predicts unseen house-style adverts better than" in english[0]
    assert "(loss 1.60 against 1.80)" in english[0]
    assert "shows 6 of the 6 house markers, and 100% of its words are real words" in english[1]
    assert "rose from 4.10 before fine-tuning to 5.20" in english[2]
    assert "lowest at step 15 (1.20) and has risen since, to 1.60" in english[3] and "10 training adverts" in english[3]
    with language_as("nl"):
        readings = fine_tuning.outcome_readings(run)
    assert [kind for kind, _ in readings] == ["success", "success", "info", "warning", "warning"]
    dutch = [sentence for _, sentence in readings]
    assert dutch[0].startswith("Na 30 stappen voorspelt het gefinetunede model nieuwe vacatures in de huisstijl beter")
    assert "(verlies 1,60 tegen 1,80)" in dutch[0]
    assert "toont 6 van de 6 huisstijlkenmerken, en 100% van zijn woorden zijn echte woorden" in dutch[1]
    assert "0 kenmerken en 0% echte woorden: 10 vacatures zijn niet genoeg" in dutch[1]
    assert "steeg van 4,10 voor het finetunen naar 5,20" in dutch[2]
    assert "het laagst bij stap 15 (1,20) en is daarna gestegen, tot 1,60" in dutch[3]
    assert "uit het hoofd" in dutch[4]


def test_why_a_run_stopped_names_the_model_and_the_rates_in_the_learners_language():
    english = fine_tuning.failure_text("from_scratch", 0.3, 3e-3)
    assert "the loss of the model trained from scratch blew up" in english
    assert "A learning rate of 0.3 is too high for this model: try 0.003 " in english and "than the 0.003 " in english
    assert "try 0.0003 " in fine_tuning.failure_text("fine_tuned", 3e-3, 3e-3)
    with language_as("nl"):
        dutch = fine_tuning.failure_text("fine_tuned", 0.3, 3e-3)
        smallest = fine_tuning.failure_text("fine_tuned", 3e-3, 3e-3)
    assert dutch.startswith("De training is mislukt: het verlies van het gefinetunede algemene model ontspoorde")
    assert "Een leersnelheid van 0,3 is te hoog voor dit model: probeer 0,003 " in dutch
    assert "niet meer dan de 0,003 waarmee" in dutch and "probeer 0,0003 " in smallest


def test_the_first_sample_in_the_house_style_is_named_in_the_learners_language():
    first = types.SimpleNamespace(step=27, seconds=1.53)
    assert "at **step 27**, after **1.5 s** of training" in fine_tuning.first_in_style_reading(first)
    with language_as("nl"):
        assert "bij **stap 27**, na **1,5 s** training" in fine_tuning.first_in_style_reading(first)
        assert fine_tuning.first_in_style_reading(None).startswith("Heeft nog niet in de huisstijl geschreven (3 van")


@pytest.mark.parametrize(
    ("title", "city", "english", "dutch"),
    [
        ("Nurse", " ", "please type a city", "typ een stad"),
        ("Nurse | Cook", "Hull", "the job title cannot contain '|'", "de functietitel mag geen '|'"),
        ("t" * 25, "Hull", "the job title can be at most 24 characters", "de functietitel mag hoogstens 24 tekens"),
    ],
)
def test_a_job_that_cannot_be_written_is_refused_in_the_learners_language(title, city, english, dutch):
    with pytest.raises(ValueError, match=re.escape(english)):
        corpus.job_prompt(title, city)
    with language_as("nl"), pytest.raises(ValueError, match=re.escape(dutch)):
        corpus.job_prompt(title, city)


def test_the_layout_checklist_and_markers_are_named_in_dutch_and_the_headings_stay_the_adverts_own():
    from ui.samples import layout_steps, marker_legend, sample_html

    with language_as("nl"):
        steps, legend = layout_steps(HOUSE_ADVERT, "english"), marker_legend(HOUSE_ADVERT, "english")
    assert "Opmaak in volgorde <b>8 van 8</b>" in steps and "✓ titelregel" in steps and "✓ slotregel" in steps
    assert "✓ The role" in steps and "✓ ~ opsommingstekens onder What you bring" in steps
    assert "Huisstijlkenmerken <b>6 van 6</b>" in legend and ">salarisnotatie</mark>" in legend
    assert "Layout in order <b>8 of 8</b>" in layout_steps(HOUSE_ADVERT, "english")
    assert sample_html(HOUSE_ADVERT, "english").startswith('<div class="lm-sample" lang="en">')
    assert sample_html("De functie", "dutch").startswith('<div class="lm-sample" lang="nl">')


def test_the_page_speaks_dutch_and_the_adverts_the_models_write_keep_their_language():
    from tests.apptest_support import choose_language, open_page
    from tests.test_i18n import english_sentences, shown_texts

    app = open_page()
    choose_language(app, "nl")
    app.switch_page("pages/fine_tuning.py").run()
    assert not app.exception
    texts = shown_texts(app)
    written = [text for text in texts if '<div class="lm-sample" lang="en">' in text]
    assert written, "the generic model's advert is shown, marked as English"
    # What the models write and the adverts' own headings ("The role") are the data; everything else is Dutch.
    own_text = [re.sub(r'<div class="lm-sample" lang="en">.*?</div>', "", text) for text in texts]
    assert not english_sentences(own_text), english_sentences(own_text)[:3]
    assert any("duizend tokens Engelse tekst" in text for text in texts)
    assert app.radio(key="ft_dataset").options == ["Engelse huisstijl", "Nederlandse huisstijl"]
