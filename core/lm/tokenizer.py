"""Word-piece tokens: a byte-level BPE tokenizer trained on the general English corpus only.

The language model predicts the next token, a word or a piece of a word, instead of the next character, so the same
context holds two to three times as much text.

How it is made: Hugging Face `tokenizers` learns byte-pair merges from sample_data/pretraining/general_train.txt (never
from the house-style adverts, which the model must learn only by fine-tuning). It starts from all 256 bytes and splits
text into words the GPT-2 way (a word keeps the space before it) before merging, so every text can be encoded, whatever
its characters, and decode(encode(text)) == text. Training is deterministic: the same corpus gives a byte-identical
file (a test checks the shipped one). `python -m core.lm.tokenizer` writes sample_data/lm/tokenizer.json and, measured
for every compared vocabulary size, sample_data/lm/tokenizer_stats.json.

Why 2,048 tokens (numbers from tokenizer_stats.json; vocabulary 1,024 / 2,048 / 4,096): held-out English is
2.5 / 2.9 / 3.4 characters per token, the English adverts 2.2 / 2.6 / 3.0, the Dutch adverts 1.7 / 1.8 / 1.9. At 2,048
an English advert (about 800 characters) is about 310 tokens and the longest advert, a Dutch one, 476, so a context of
512 tokens holds every advert whole. 1,024 would make adverts a fifth longer in tokens; 4,096 would shorten them by only
an eighth while doubling the model's embedding and output tables, and 6% of its learned pieces occur fewer than 10
times in the whole corpus (1.4% at 2,048), too rarely for a small model to learn them. Dutch is cut into smaller
pieces at every size ('Wij zoeken een enthousiaste medewerker' is 22 tokens, many of one or two letters; its English
twin 15): 3.3 tokens per word in the Dutch adverts against 2.1 in the English ones, the point the lesson makes about a
model trained on English.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

from core.i18n import number, tr
from core.lm.corpus import GENERAL_HELDOUT_FILE, GENERAL_TRAIN_FILE, HOUSE_STYLES, OFF_STYLE_FILE, SEPARATOR, load_texts

LM_DIR = Path(__file__).resolve().parents[2] / "sample_data" / "lm"
TOKENIZER_FILE = LM_DIR / "tokenizer.json"
STATS_FILE = LM_DIR / "tokenizer_stats.json"
VOCAB_SIZE = 2048
COMPARED_VOCAB_SIZES = (1024, 2048, 4096)
MIN_PAIR_COUNT = 2  # a pair seen once in the corpus is not worth a token
RARE_COUNT = 10  # a learned piece seen fewer times than this in the whole corpus is too rare to learn well
VISIBLE_SPACE, VISIBLE_NEWLINE = "\u2423", "\u21b5"  # how pieces() shows the blanks a piece starts or ends with
EXAMPLE_SENTENCES = {
    "English": "We are looking for an enthusiastic colleague",
    "Dutch": "Wij zoeken een enthousiaste medewerker",
}


def documents(path: Path) -> list[str]:
    """The documents of a corpus file (they are separated by two blank lines)."""
    return [text for text in path.read_text(encoding="utf-8").split(SEPARATOR) if text.strip()]


def train(vocab_size: int = VOCAB_SIZE) -> Tokenizer:
    """A byte-level BPE tokenizer with `vocab_size` tokens (the 256 bytes and learned merges), trained on the
    general pretraining corpus."""
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        min_frequency=MIN_PAIR_COUNT,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tokenizer.train_from_iterator(documents(GENERAL_TRAIN_FILE), trainer)
    return tokenizer


def serialized(tokenizer: Tokenizer) -> str:
    """The tokenizer as the JSON text of its file (indented, so that a change to it reads as a diff)."""
    return tokenizer.to_str(pretty=True) + "\n"


def load(path: Path = TOKENIZER_FILE) -> Tokenizer:
    """The shipped tokenizer (or the one in `path`)."""
    return Tokenizer.from_file(str(path))


def check_matches(tokenizer: Tokenizer, vocab_size: int) -> None:
    """ValueError, in words, when a tokenizer does not have the vocabulary a model was trained with: its token ids
    would mean other pieces of text, and the model would read and write nonsense."""
    size = tokenizer.get_vocab_size()
    if size != vocab_size:
        raise ValueError(
            tr(
                "This tokenizer has {size} tokens but the model was trained with {trained}: "
                "load the tokenizer file that was saved with the model."
            ).format(size=number(size), trained=number(vocab_size))
        )


def encode(tokenizer: Tokenizer, text: str) -> np.ndarray:
    """Token ids (int32) of a text."""
    return np.asarray(tokenizer.encode(text).ids, np.int32)


def decode(tokenizer: Tokenizer, ids) -> str:
    return tokenizer.decode([int(i) for i in np.asarray(ids).reshape(-1)])


def pieces(tokenizer: Tokenizer, text: str) -> list[str]:
    """The text cut where its tokens are cut, for display: one piece per token, with a space shown as '␣' and a line
    break as '↵' so that a piece that starts a word ('␣zoeken') differs from one inside a word ('iaste'). A character
    that the tokenizer stores as several bytes (an accent, a euro sign, an emoji: none was common enough in the
    English corpus to get a token of its own) stays whole in one piece, so such a piece stands for several tokens."""
    cuts = []
    for start, end in tokenizer.encode(text).offsets:
        if cuts and start < cuts[-1][1]:  # another byte of a character the previous token started
            cuts[-1] = (cuts[-1][0], max(end, cuts[-1][1]))
        else:
            cuts.append((start, end))
    return [text[start:end].replace(" ", VISIBLE_SPACE).replace("\n", VISIBLE_NEWLINE) for start, end in cuts]


def token_counts(tokenizer: Tokenizer, texts) -> list[int]:
    return [len(encoding.ids) for encoding in tokenizer.encode_batch(list(texts))]


def tokens_per_word(tokenizer: Tokenizer, texts) -> float:
    """Tokens per word over a set of texts (words as separated by blanks)."""
    return sum(token_counts(tokenizer, texts)) / sum(len(text.split()) for text in texts)


def characters_per_token(tokenizer: Tokenizer, texts) -> float:
    return sum(len(text) for text in texts) / sum(token_counts(tokenizer, texts))


# ---------------------------------------------------------------- measurements


def measured_texts() -> dict[str, list[str]]:
    """The text sets the tokenizer is measured on; none of them was trained on."""
    return {
        "general held-out English": documents(GENERAL_HELDOUT_FILE),
        "English adverts": list(load_texts(HOUSE_STYLES["english"].file)),
        "Dutch adverts": list(load_texts(HOUSE_STYLES["dutch"].file)),
        "off-style English adverts": list(load_texts(OFF_STYLE_FILE)),
    }


def rare_piece_share(tokenizer: Tokenizer) -> float:
    """The share of learned pieces (not single bytes) used fewer than RARE_COUNT times to encode the training corpus."""
    counts = np.bincount(
        np.concatenate([np.asarray(ids, np.int64) for ids in _corpus_ids(tokenizer)]),
        minlength=tokenizer.get_vocab_size(),
    )
    learned = [token_id for token, token_id in tokenizer.get_vocab().items() if len(token) > 1]
    return float(np.mean(counts[learned] < RARE_COUNT))


def _corpus_ids(tokenizer: Tokenizer) -> list[list[int]]:
    return [encoding.ids for encoding in tokenizer.encode_batch(documents(GENERAL_TRAIN_FILE))]


def measure(tokenizer: Tokenizer) -> dict:
    """Characters per token, tokens per word and the longest text in tokens on each measured text set (the context must
    hold a whole advert), and how rare the learned pieces are."""
    texts = measured_texts()
    return {
        "characters_per_token": {name: round(characters_per_token(tokenizer, t), 3) for name, t in texts.items()},
        "tokens_per_word": {name: round(tokens_per_word(tokenizer, t), 3) for name, t in texts.items()},
        "longest_text_in_tokens": {name: max(token_counts(tokenizer, t)) for name, t in texts.items()},
        f"learned_pieces_seen_fewer_than_{RARE_COUNT}_times": round(rare_piece_share(tokenizer), 3),
    }


def stats(tokenizers_by_size: dict[int, Tokenizer]) -> dict:
    """What the stats file records: the shipped size, what it was trained on, and every compared size measured."""
    shipped = tokenizers_by_size[VOCAB_SIZE]
    return {
        "vocab_size": shipped.get_vocab_size(),
        "trained_on": GENERAL_TRAIN_FILE.name,
        "example_pieces": {language: pieces(shipped, text) for language, text in EXAMPLE_SENTENCES.items()},
        "compared": {str(size): measure(tokenizer) for size, tokenizer in tokenizers_by_size.items()},
    }


def write() -> dict:
    """Trains every compared size, ships the chosen one, and writes the measurements beside it."""
    trained = {size: train(size) for size in COMPARED_VOCAB_SIZES}
    TOKENIZER_FILE.write_text(serialized(trained[VOCAB_SIZE]), encoding="utf-8")
    facts = stats(trained)
    STATS_FILE.write_text(json.dumps(facts, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return facts


if __name__ == "__main__":
    print(json.dumps(write(), indent=2, ensure_ascii=False))
