"""Texts as token streams for the model: the ids of many texts one after another, and where each text starts.

Training windows start at these text starts as well as at random places, so the model sees adverts and documents
from their first line on (see core.lm.train.random_windows).
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import numpy as np

from core.lm import tokenizer
from core.lm.corpus import GENERAL_HELDOUT_FILE, GENERAL_TRAIN_FILE, SEPARATOR


class TokenStream(NamedTuple):
    tokens: np.ndarray  # (n,) int32 token ids of all the texts, each followed by SEPARATOR's tokens
    starts: np.ndarray  # (texts,) int32: where each text's first token is


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
    encoded = [encode(text + SEPARATOR) for text in texts]
    lengths = np.array([len(ids) for ids in encoded], np.int64)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int32)
    tokens = np.concatenate(encoded or [np.zeros(0, np.int32)]).astype(np.int32)
    return TokenStream(tokens, starts)


@lru_cache(maxsize=2)
def general_stream(part: str = "train") -> TokenStream:
    """The committed general corpus ("train" or "heldout"), document by document."""
    path = {"train": GENERAL_TRAIN_FILE, "heldout": GENERAL_HELDOUT_FILE}[part]
    return stream_of(tokenizer.documents(path))
