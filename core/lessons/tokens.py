"""What the model reads: a text cut into tokens, and how many tokens a word of English or Dutch takes.

The tokenizer learned its pieces from the English pretraining corpus alone (core.lm.tokenizer), so a short, frequent
English word is one token (longer ones are cut into pieces), while Dutch words are cut into more, smaller pieces: the
generic model has to put Dutch together from pieces it learned in English words.
"""

from __future__ import annotations

import json
from functools import lru_cache

from core.i18n import tr_later
from core.lm import tokenizer
from core.lm.corpus import TYPED_SENTENCE_LIMIT
from core.lm.token_data import shipped_tokenizer

EXAMPLE_SENTENCES = tokenizer.EXAMPLE_SENTENCES  # language -> the same sentence in it
MAX_TYPED_CHARACTERS = TYPED_SENTENCE_LIMIT  # a learner's own sentence; longer text is cut to this
# The measured text sets of tokenizer_stats.json that the panel shows, with the names a learner reads.
MEASURED_SETS = {  # shown as tr(name)
    "English adverts": tr_later("English adverts"),
    "Dutch adverts": tr_later("Dutch adverts"),
    "general held-out English": tr_later("other English"),
}


def token_pieces(text: str) -> list[str]:
    """`text` cut where the model's tokenizer cuts it, one piece per token (blanks shown as visible marks)."""
    return tokenizer.pieces(shipped_tokenizer(), text[:MAX_TYPED_CHARACTERS])


@lru_cache(maxsize=1)
def tokens_per_word() -> dict[str, float]:
    """Tokens per word on each measured set of texts (none of them trained the tokenizer), as measured when the
    tokenizer was made: learner-facing name (in English: show it as tr(name)) -> tokens per word."""
    stats = json.loads(tokenizer.STATS_FILE.read_text(encoding="utf-8"))
    measured = stats["compared"][str(stats["vocab_size"])]["tokens_per_word"]
    return {name: measured[key] for key, name in MEASURED_SETS.items()}


def vocabulary_size() -> int:
    return shipped_tokenizer().get_vocab_size()
