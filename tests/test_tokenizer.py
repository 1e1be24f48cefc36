"""The word-piece tokenizer of issue 12's token model: exact round trips, a reproducible file, and what it measures."""

import json
import re
from pathlib import Path

import pytest

from core.lm import tokenizer as tok

ROOT = Path(__file__).resolve().parents[1]
CORPUS_FILES = [ROOT / "sample_data" / "pretraining" / name for name in ("general_train.txt", "general_heldout.txt")]
JSONL_FILES = sorted((ROOT / "sample_data" / "pretraining" / "written").glob("*.jsonl")) + sorted(
    (ROOT / "sample_data" / "house_style").glob("*.jsonl")
)
HOSTILE = [
    "",
    " ",
    "\n\n\n",
    "Crème brûlée, één coöperatie, €2.900 - €3.400 per maand",
    "Naïve façade; Ærø; straße; Ĳsselmeer; ½ × 3 ≠ 2",
    "emoji 😀👩🏽‍🔧🇳🇱 and a family 👨‍👩‍👧",
    "windows\r\nold mac\runix\n\u2028line separator\u2029paragraph",
    "control \x01\x02\x07\x1b[31m red \x7f tab\tend",
    "  leading and trailing   spaces  ",
    "Combining e\u0301 and precomposed \u00e9 differ",
    "日本語の文章と한국어 텍스트",
]


@pytest.fixture(scope="module")
def shipped():
    return tok.load()


def raw_texts(path: Path) -> list[str]:
    """The texts of a JSONL file as written, before any cleaning."""
    return [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda path: path.name)
def test_every_corpus_file_round_trips_whole(shipped, path):
    text = path.read_text(encoding="utf-8")
    assert tok.decode(shipped, tok.encode(shipped, text)) == text


@pytest.mark.parametrize("path", JSONL_FILES, ids=lambda path: path.name)
def test_every_text_and_advert_round_trips(shipped, path):
    texts = raw_texts(path)
    assert texts
    assert [tok.decode(shipped, tok.encode(shipped, text)) for text in texts] == texts


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_strings_round_trip(shipped, text):
    ids = tok.encode(shipped, text)
    assert ids.dtype.name == "int32" and ((ids >= 0) & (ids < tok.VOCAB_SIZE)).all()
    assert tok.decode(shipped, ids) == text


def test_the_shipped_file_is_what_training_on_the_general_corpus_gives_byte_for_byte():
    assert tok.serialized(tok.train()) == tok.TOKENIZER_FILE.read_text(encoding="utf-8")


def test_the_shipped_tokenizer_has_the_stated_vocabulary_and_never_saw_the_house_style(shipped):
    assert shipped.get_vocab_size() == tok.VOCAB_SIZE == json.loads(tok.STATS_FILE.read_text())["vocab_size"]
    assert not [piece for piece in shipped.get_vocab() if re.search("harbour|finch", piece, re.IGNORECASE)]


def test_the_stats_file_holds_what_the_shipped_tokenizer_measures(shipped):
    recorded = json.loads(tok.STATS_FILE.read_text(encoding="utf-8"))
    assert recorded["compared"][str(tok.VOCAB_SIZE)] == tok.measure(shipped)
    assert sorted(recorded["compared"], key=int) == [str(size) for size in tok.COMPARED_VOCAB_SIZES]
    assert recorded["example_pieces"] == {
        language: tok.pieces(shipped, sentence) for language, sentence in tok.EXAMPLE_SENTENCES.items()
    }


def test_dutch_adverts_cost_more_tokens_per_word_than_english_adverts(shipped):
    texts = tok.measured_texts()
    english = tok.tokens_per_word(shipped, texts["English adverts"])
    dutch = tok.tokens_per_word(shipped, texts["Dutch adverts"])
    assert dutch > 1.3 * english
    assert tok.characters_per_token(shipped, texts["Dutch adverts"]) < tok.characters_per_token(
        shipped, texts["English adverts"]
    )


def test_tokens_per_word_and_characters_per_token_count_what_they_say(shipped):
    texts = ["We are hiring.", "Wij zoeken een enthousiaste medewerker", "one\n\ntwo  three"]
    tokens = sum(len(shipped.encode(text).ids) for text in texts)
    assert tok.tokens_per_word(shipped, texts) == pytest.approx(tokens / (3 + 5 + 3))
    assert tok.characters_per_token(shipped, texts) == pytest.approx(sum(map(len, texts)) / tokens)


def test_pieces_cut_the_text_where_the_tokens_cut_it_with_blanks_made_visible(shipped):
    sentence = "Wij zoeken een enthousiaste medewerker\nin Rotterdam"
    shown = tok.pieces(shipped, sentence)
    assert len(shown) == len(tok.encode(shipped, sentence))
    assert "".join(shown).replace(tok.VISIBLE_SPACE, " ").replace(tok.VISIBLE_NEWLINE, "\n") == sentence
    assert shown[:4] == ["W", "i", "j", tok.VISIBLE_SPACE] and tok.VISIBLE_NEWLINE in shown


def test_a_character_stored_as_several_byte_tokens_stays_one_piece(shipped):
    assert tok.pieces(shipped, "€5 😀") == ["€", "5", tok.VISIBLE_SPACE, "😀"]
    assert len(tok.encode(shipped, "€5 😀")) == 3 + 1 + 1 + 4  # the UTF-8 bytes of each character


def test_a_tokenizer_of_another_vocabulary_size_is_refused_in_words(shipped):
    tok.check_matches(shipped, tok.VOCAB_SIZE)
    with pytest.raises(ValueError, match=r"has 2,048 tokens but the model was trained with 4,096"):
        tok.check_matches(shipped, 4096)
