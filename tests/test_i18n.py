"""Dutch and English: the catalogue holds a translation of every text the code shows, lookups follow the learner's
language, numbers are written for it, and every page renders in Dutch without English sentences."""

from __future__ import annotations

import importlib.util
import re
import string
from pathlib import Path

import pytest

from core import i18n
from core.i18n import language_as, tr, trn
from tests.app_pages import registered_pages
from tests.apptest_support import choose_language, open_page

ROOT = Path(__file__).resolve().parents[1]


def _update_module():
    spec = importlib.util.spec_from_file_location("locale_update", ROOT / "locale" / "update.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def template():
    return _update_module().extract()


@pytest.fixture(scope="module")
def dutch():
    update = _update_module()
    return update.read(update.catalogue_path("nl"), "nl")


def _ids(catalogue) -> set:
    return {message.id if isinstance(message.id, str) else message.id[0] for message in catalogue if message.id}


def test_every_text_in_the_code_has_a_dutch_translation(template, dutch):
    translated = {
        (message.id if isinstance(message.id, str) else message.id[0])
        for message in dutch
        if message.id
        and not message.fuzzy
        and all(message.string if isinstance(message.string, tuple) else [message.string])
    }
    missing = sorted(_ids(template) - translated)
    assert not missing, (
        f"{len(missing)} texts have no Dutch translation (python locale/update.py lists them): {missing[:10]}"
    )


def test_the_dutch_catalogue_holds_no_text_the_code_no_longer_shows(template, dutch):
    stale = sorted(_ids(dutch) - _ids(template))
    assert not stale, f"run python locale/update.py: {stale[:10]}"


def _fields(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def test_translations_keep_every_placeholder_and_markdown_emphasis(dutch):
    """A translation names the same placeholders as its English (a plural form may leave out {count}: "één epoch")
    and keeps its bold marks."""
    for message in dutch:
        if not message.id or not message.string:
            continue
        if isinstance(message.id, tuple):
            named = _fields(message.id[0]) | _fields(message.id[1])
            for target in message.string:
                assert named - {"count"} <= _fields(target) <= named, f"{message.id[0]!r}: placeholders in {target!r}"
            continue
        assert _fields(message.string) == _fields(message.id), f"{message.id!r}: placeholders in {message.string!r}"
        assert message.string.count("**") == message.id.count("**"), f"{message.id!r}: bold marks in {message.string!r}"


def test_lookups_follow_the_language_of_the_block():
    assert tr("Home") == "Home"
    with language_as("nl"):
        assert i18n.language() == "nl"
        assert tr("Lessons") == "Lessen"
        assert tr("a text nobody translated") == "a text nobody translated"
    assert i18n.language() == "en" and tr("Lessons") == "Lessons"


def test_plurals_follow_the_language(dutch):
    plural = next((message for message in dutch if isinstance(message.id, tuple) and message.string[0]), None)
    if plural is None:
        pytest.skip("no text with plural forms yet")
    (singular, plurals), (one, many) = plural.id, plural.string
    assert (trn(singular, plurals, 1), trn(singular, plurals, 2)) == (singular, plurals)
    with language_as("nl"):
        assert (trn(singular, plurals, 1), trn(singular, plurals, 2)) == (one, many)


def test_numbers_are_written_for_the_language():
    assert (i18n.number(1234.5), i18n.number(0.5, 2), i18n.percent(0.925, 1)) == ("1,234.5", "0.50", "92.5%")
    with language_as("nl"):
        assert (i18n.number(1234.5), i18n.number(0.5, 2), i18n.percent(0.925, 1)) == ("1.234,5", "0,50", "92,5%")
        assert i18n.percent(0.93) == "93%"


def test_an_unknown_language_falls_back_to_english():
    with language_as("xx"):
        assert i18n.language() == "en" and tr("Lessons") == "Lessons"


# ---------------------------------------------------------------- the pages in Dutch

ENGLISH_WORDS = {"the", "and", "with", "which", "what", "this", "from", "your", "when", "each", "every", "than"}
DUTCH_WORDS = {"de", "het", "een", "en", "van", "met", "je", "op", "niet", "wat", "dat", "bij", "voor", "is"}


MODEL_WRITTEN = re.compile(r'<div class="lm-sample" lang="[a-z]+">.*?</div>', re.DOTALL)


def english_sentences(texts) -> list[str]:
    """Texts that read as English: more common English words than Dutch ones, at least three of them. What a model
    wrote (marked with its language by ui/samples.py) is set aside: it stays in the language it was written in."""
    found = []
    for text in texts:
        text = MODEL_WRITTEN.sub("", text)
        words = re.findall(r"[a-z]+", text.lower())
        english = sum(word in ENGLISH_WORDS for word in words)
        if english >= 3 and english > sum(word in DUTCH_WORDS for word in words):
            found.append(text)
    return found


def shown_texts(app) -> list[str]:
    """Every text the page shows: titles, paragraphs, captions, messages, labels and help of its widgets."""
    texts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "success", "warning", "error"):
        texts += [element.value for element in getattr(app, kind)]
    for widget in ("slider", "button", "selectbox", "radio", "toggle", "checkbox", "number_input", "text_input"):
        for element in app.get(widget):
            texts += [getattr(element.proto, "label", ""), getattr(element.proto, "help", "")]
    return [text for text in texts if isinstance(text, str) and text]


def test_english_sentences_are_found_and_dutch_ones_are_not():
    assert english_sentences(["Train the model with the data from your own file"]) != []
    assert english_sentences(["Train het model met de data uit je eigen bestand"]) == []


def catalogue_english(dutch_catalogue) -> list[str]:
    """Pieces of the catalogue's English (between placeholders, four words or more) that its Dutch does not share:
    seen on a Dutch page, they are English the page did not translate."""
    pieces = set()
    for message in dutch_catalogue:
        if not message.id or isinstance(message.id, tuple):
            continue
        for piece in re.split(r"\{[^}]*\}", MODEL_WRITTEN.sub("", message.id)):
            if len(piece.split()) >= 4 and piece.strip() not in message.string:
                pieces.add(piece.strip())
    return sorted(pieces)


@pytest.mark.parametrize("page", [page.path for page in registered_pages()])
def test_every_page_renders_in_dutch_without_english_sentences(page, dutch):
    app = choose_language(open_page(), "nl")
    app.switch_page(page).run()
    assert not app.exception
    shown = [MODEL_WRITTEN.sub("", text) for text in shown_texts(app)]
    english = english_sentences(shown)
    assert not english, f"{page} shows English in Dutch: {english[:5]}"
    from_catalogue = [piece for piece in catalogue_english(dutch) if any(piece in text for text in shown)]
    assert not from_catalogue, f"{page} shows the catalogue's English in Dutch: {from_catalogue[:5]}"


def test_a_link_with_a_language_opens_in_it_and_a_chosen_language_stays_in_the_address():
    from streamlit.testing.v1 import AppTest

    from tests.apptest_support import TIMEOUT

    app = AppTest.from_file("../app.py", default_timeout=TIMEOUT)
    app.query_params["lang"] = "nl"
    app.run()
    assert app.title[0].value == dutch_text("Trainlab: see how an AI model is trained")
    app.switch_page("pages/lab.py").run()
    assert app.query_params.get("lang") in ("nl", ["nl"]), "the language survives a page switch"
    choose_language(app, "en")
    assert app.query_params.get("lang") in ("en", ["en"]), "a chosen English overrides a Dutch browser in the link"
    assert not app.exception


def dutch_text(text: str) -> str:
    with language_as("nl"):
        return tr(text)
