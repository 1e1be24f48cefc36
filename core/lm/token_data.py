"""Texts as token streams for the model: the ids of many texts one after another, and where each text starts.

Training windows start at these text starts as well as at random places, so the model sees adverts and documents
from their first line on (see core.lm.train.random_windows).
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import numpy as np

from core.lm import tokenizer
from core.lm.corpus import (
    EVERYDAY_HELDOUT_FILE,
    EVERYDAY_TRAIN_FILE,
    GENERAL_HELDOUT_FILE,
    GENERAL_TRAIN_FILE,
    SEPARATOR,
    written_adverts,
)


class TokenStream(NamedTuple):
    tokens: np.ndarray  # (n,) int32 token ids of all the texts, each followed by SEPARATOR's tokens
    starts: np.ndarray  # (texts,) int32: where each text's first token is
    weights: np.ndarray | None = None  # (n,) float32: how much predicting each token counts in the loss (None: all 1)


@lru_cache(maxsize=1)
def shipped_tokenizer():
    """The tokenizer the model was trained with, loaded once per process."""
    return tokenizer.load()


def encode(text: str) -> np.ndarray:
    """Token ids (int32) of a text."""
    return tokenizer.encode(shipped_tokenizer(), text)


def decode(ids) -> str:
    return tokenizer.decode(shipped_tokenizer(), ids)


def stream_of(texts) -> TokenStream:
    """The texts one after another, each followed by a blank gap (SEPARATOR), as one stream of token ids. Each
    text is encoded on its own, so a text's tokens are the same wherever it sits in a stream."""
    return stream_of_encoded([encode(text + SEPARATOR) for text in texts])


def stream_of_encoded(encoded) -> TokenStream:
    lengths = np.array([len(ids) for ids in encoded], np.int64)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int32)
    tokens = np.concatenate(encoded or [np.zeros(0, np.int32)]).astype(np.int32)
    return TokenStream(tokens, starts)


def prompted_stream_of(examples, prompt_weight: float) -> TokenStream:
    """(prompt, completion) texts as one stream, like stream_of, with a loss weight for each token: 1 for the
    completion's tokens (and the gap after it), `prompt_weight` for the prompt's. A small model asked to answer from
    a page of passages learns the answer much faster when the passages' own words (names and numbers it cannot
    guess) do not outweigh the few words of the answer."""
    encoded = [(encode(prompt), encode(completion + SEPARATOR)) for prompt, completion in examples]
    stream = stream_of_encoded([np.concatenate(pair) for pair in encoded])
    weights = [np.r_[np.full(len(prompt), prompt_weight), np.ones(len(completion))] for prompt, completion in encoded]
    return stream._replace(weights=np.concatenate(weights or [np.zeros(0)]).astype(np.float32))


@lru_cache(maxsize=2)
def general_stream(part: str = "train") -> TokenStream:
    """The committed general corpus ("train" or "heldout"), document by document."""
    path = {"train": GENERAL_TRAIN_FILE, "heldout": GENERAL_HELDOUT_FILE}[part]
    return stream_of(tokenizer.documents(path))


# The second phase reads the general corpus's job adverts of other employers this many times more: the everyday
# English would otherwise outweigh them five to one, and their sections are what teaches a model an advert's parts.
EXTRA_ADVERT_READINGS = 3


@lru_cache(maxsize=2)
def pretraining_stream(part: str = "train") -> TokenStream:
    """What the second phase of pretraining reads ("train") and is chosen by ("heldout"): the general corpus, the
    everyday English (see core.lm.corpus) and, to train on, the general corpus's adverts EXTRA_ADVERT_READINGS more
    times, document by document."""
    general, everyday = {
        "train": (GENERAL_TRAIN_FILE, EVERYDAY_TRAIN_FILE),
        "heldout": (GENERAL_HELDOUT_FILE, EVERYDAY_HELDOUT_FILE),
    }[part]
    general_documents = tokenizer.documents(general)
    adverts = [text for text in general_documents if text in written_adverts()] if part == "train" else []
    return stream_of(general_documents + tokenizer.documents(everyday) + adverts * EXTRA_ADVERT_READINGS)
