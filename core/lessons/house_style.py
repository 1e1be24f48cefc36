"""What a written sample shows: the house style's markers, real words, copied text and the house layout.

Plain Python on strings (no JAX), so a page can measure every sample it shows. The markers are the
features a reader notices first in a Harbour & Finch advert; the real-word share tells fluent
English from letter soup; the copied share tells writing from reciting the training texts.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from core.i18n import tr, tr_later
from core.lm import corpus

COPY_SPAN = 40  # characters: a verbatim run this long counts as copied
MARKERS = {  # marker -> the name a learner reads: tr(MARKERS[marker])
    "header": tr_later("title | city line"),
    "headings": tr_later("house headings"),
    "bullets": tr_later("~ bullets"),
    "salary": tr_later("salary format"),
    "phrase": tr_later("house phrase"),
    "closing": tr_later("sign-off line"),
}
STYLE_MARKERS_NEEDED = 3  # of the six: enough that a reader sees the house style at a glance
REAL_WORDS_NEEDED = 0.85  # share of real words: below it a text reads as letter soup, whatever its layout
_FIRST_LINE = re.compile(r"[A-Za-z][^|]* \| [A-Z][^|]*")  # after the prompt: "<job title> | <City>"
_WORD = re.compile(r"[A-Za-z]+")


# ---------------------------------------------------------------- the house style's markers


def has_house_first_line(text: str) -> bool:
    """The prompt "HARBOUR & FINCH | " completed to the house's first line: "<job title> | <city>"."""
    return _FIRST_LINE.fullmatch(text.split("\n", 1)[0]) is not None


def has_tilde_bullets(text: str) -> bool:
    return any(line.startswith("~ ") for line in text.split("\n"))


def headings_found(text: str, headings) -> int:
    """How many of the house headings appear in their order, each on a line of its own (a heading out of
    order or repeated does not count again)."""
    found, next_allowed = 0, 0
    for line in text.split("\n"):
        if line in headings[next_allowed:]:
            found, next_allowed = found + 1, headings.index(line) + 1
    return found


def house_markers(text: str, style: str) -> dict[str, bool]:
    """Which of the six house markers (see MARKERS) a text written after the prompt shows: the first line
    as "<title> | <city>" (or a later advert's header), two or more different house headings on lines of
    their own, '~ ' bullets, the house salary format, a recurring house phrase, and the sign-off line."""
    spans = marker_spans(text, style)
    headings = {text[start:end] for start, end, marker in spans if marker == "headings"}
    found = {marker for _, _, marker in spans}
    return {marker: len(headings) >= 2 if marker == "headings" else marker in found for marker in MARKERS}


def writes_house_style(text: str, style: str) -> bool:
    """Reads as the house style at a glance: English (REAL_WORDS_NEEDED of its words are real) with at least
    STYLE_MARKERS_NEEDED of the six house markers. The generic model writes English without the markers;
    a model trained from scratch on a hundred adverts picks up markers in letter soup."""
    return (
        sum(house_markers(text, style).values()) >= STYLE_MARKERS_NEEDED and real_word_share(text) >= REAL_WORDS_NEEDED
    )


def takes_house_layout(text: str, style: str) -> bool:
    """The stricter test of the whole layout: it completes the first line as "<job title> | <city>", then
    has at least three of the four house headings in order, on lines of their own, and '~ ' bullets."""
    return (
        has_house_first_line(text)
        and headings_found(text, corpus.HOUSE_STYLES[style].headings) >= 3
        and has_tilde_bullets(text)
    )


# ---------------------------------------------------------------- the whole layout, section by section

ADVERT_CHARACTERS = 1000  # a written advert is cut here when the model has not ended it by then
BULLETED_SECTIONS = (1, 2)  # the house puts '~ ' bullets under its second and third headings
# The items of layout_check that are not headings (the headings are the adverts' own words), as a learner reads them:
# tr(TITLE_LINE), tr(BULLETS_UNDER).format(heading=...), tr(SIGN_OFF). The English texts are layout_check's keys.
TITLE_LINE, SIGN_OFF = tr_later("title line"), tr_later("sign-off")
BULLETS_UNDER = tr_later("~ bullets under {heading}")


_INVISIBLE = re.compile("[\ufffd\x00-\x08\x0b-\x1f\x7f]")


def advert_part(text: str) -> str:
    """The first advert of a text written after the prompt: up to the blank gap with which the model ends an advert
    (as every training text ends), or about ADVERT_CHARACTERS characters, cut at a line or word end. Bytes that form
    no character (a byte-level model at a high temperature writes some; they decode to U+FFFD) and control characters
    other than line breaks and tabs (an untrained model writes any byte; a browser draws them as empty boxes) are
    left out."""
    text = _INVISIBLE.sub("", text).split(corpus.SEPARATOR, 1)[0].rstrip("\n")
    if len(text) <= ADVERT_CHARACTERS:
        return text
    cut = text.rfind("\n", 0, ADVERT_CHARACTERS)
    return text[: cut if cut > ADVERT_CHARACTERS // 2 else text.rfind(" ", 0, ADVERT_CHARACTERS)]


def layout_sections(text: str, style: str) -> list[tuple[int, int, str]]:
    """The house layout's parts in a text written after the prompt, in the order the house uses, each found after
    the one before: (start, end, part) for the title line ("title"), each heading's section from the heading to the
    next found heading ("heading 1" to "heading 4") and the sign-off line ("closing"). Read from the top, a part
    counts when it comes after the last part counted: one that is missing or out of order is not in the list."""
    house = corpus.HOUSE_STYLES[style]
    lines, position = [], 0
    for line in text.split("\n"):
        lines.append((position, line))
        position += len(line) + 1
    found = [(0, len(lines[0][1]), "title")] if has_house_first_line(text) else []
    parts, next_allowed = [*house.headings, house.closing], 0
    for start, line in lines[1:]:
        if line in parts[next_allowed:]:
            index = parts.index(line, next_allowed)
            found.append(
                (start, start + len(line), "closing" if index == len(house.headings) else f"heading {index + 1}")
            )
            next_allowed = index + 1
    sections = []
    for i, (start, end, part) in enumerate(found):
        if part.startswith("heading"):  # a section runs to the next part (or the end of the text)
            end = found[i + 1][0] - 1 if i + 1 < len(found) else len(text)
        sections.append((start, end, part))
    return sections


def layout_check(text: str, style: str) -> dict[str, bool]:
    """The whole house layout, item by item, in order: the title line, each of the four headings after the one
    before, '~ ' bullets in the sections that have them, and the sign-off line after the last heading."""
    house = corpus.HOUSE_STYLES[style]
    sections = {part: text[start:end] for start, end, part in layout_sections(text, style)}
    check = {TITLE_LINE: "title" in sections}
    for number, heading in enumerate(house.headings, 1):
        check[heading] = f"heading {number}" in sections
    for number in BULLETED_SECTIONS:
        body = sections.get(f"heading {number + 1}", "")
        check[BULLETS_UNDER.format(heading=house.headings[number])] = any(
            line.startswith("~ ") for line in body.split("\n")
        )
    check[SIGN_OFF] = "closing" in sections and f"heading {len(house.headings)}" in sections
    return check


def layout_item_names(style: str) -> list[str]:
    """The items of layout_check, in its order, as a learner reads them (in the learner's language; the headings
    stay as the house writes them)."""
    house = corpus.HOUSE_STYLES[style]
    bullets = [tr(BULLETS_UNDER).format(heading=house.headings[number]) for number in BULLETED_SECTIONS]
    return [tr(TITLE_LINE), *house.headings, *bullets, tr(SIGN_OFF)]


def has_whole_layout(text: str, style: str) -> bool:
    """Every item of layout_check holds: the advert has the house layout from its title line to its sign-off."""
    return all(layout_check(text, style).values())


def marker_spans(text: str, style: str) -> list[tuple[int, int, str]]:
    """Where the house markers sit in a text written after the prompt: sorted, non-overlapping
    (start, end, marker) character ranges, for a page to highlight what the model picked up."""
    house = corpus.HOUSE_STYLES[style]
    patterns = {
        "header": r"\A[A-Za-z][^|\n]* \| [A-Z][^|\n]*$|(?<=^HARBOUR & FINCH \| )[A-Za-z][^|\n]* \| [A-Z][^|\n]*$",
        "headings": "|".join(rf"^{re.escape(heading)}$" for heading in house.headings),
        "bullets": r"^~ ",
        "salary": house.salary,
        "phrase": "|".join(re.escape(phrase) for phrase in house.phrases),
        "closing": rf"^{re.escape(house.closing)}$",
    }
    found = sorted(
        (match.start(), -match.end(), marker)
        for marker, pattern in patterns.items()
        for match in re.finditer(pattern, text, re.MULTILINE | (re.IGNORECASE if marker == "phrase" else 0))
    )
    spans, covered_until = [], 0
    for start, negative_end, marker in found:
        if start >= covered_until:  # earliest first, longest first among equal starts
            spans.append((start, -negative_end, marker))
            covered_until = -negative_end
    return spans


# ---------------------------------------------------------------- real words


def _known_texts() -> list[str]:
    texts = [corpus.GENERAL_TRAIN_FILE.read_text(), corpus.GENERAL_HELDOUT_FILE.read_text()]
    for file in [house.file for house in corpus.HOUSE_STYLES.values()] + [corpus.OFF_STYLE_FILE]:
        texts.extend(corpus.load_texts(file))
    return texts


@lru_cache(maxsize=1)
def known_words() -> frozenset:
    """Every word (letters only, lower case) of the general corpus and of all the adverts."""
    return frozenset(word.lower() for text in _known_texts() for word in _WORD.findall(text))


@lru_cache(maxsize=1)
def known_chunks() -> frozenset:
    """Every blank-separated chunk with letters (lower case, without the punctuation at its ends) of the same texts:
    words written with their joins, as people write them ("e-mail", "z'n")."""
    chunks = (chunk.strip(_EDGES).lower() for text in _known_texts() for chunk in text.split())
    return frozenset(chunk for chunk in chunks if _WORD.search(chunk))


_EDGES = "\"'()[]{}.,:;!?*~-"  # punctuation a word may carry at either end
_WORD_JOINS = re.compile(r"[-'/.&]")  # inside a word: "full-time", "we're", "and/or", "e.g.", "R&D"
_SINGLE_LETTER_WORDS = frozenset({"a", "i"})


def _is_real_word(chunk: str, known: frozenset) -> bool:
    """A chunk written so in the known texts ("e-mail"), or a chunk of letters (joined at most by - ' / . &) whose
    every part is a known word, with or without an 's (English "someone's", Dutch "collega's"); a single letter
    counts only as "a" or "I". Letters mixed with other symbols ("c|&&", "es,ing") are not a word."""
    if chunk.lower() in known_chunks():
        return True
    parts = _WORD_JOINS.split(chunk[:-2] if chunk.lower().endswith("'s") else chunk)
    return all(part.isalpha() and part.isascii() for part in parts) and all(
        part.lower() in known and (len(part) > 1 or part.lower() in _SINGLE_LETTER_WORDS) for part in parts
    )


def real_word_share(text: str) -> float:
    """Share of the words of `text` that are real words, 0 for a text without words. Text is cut at blanks; a chunk
    without letters (a number, "&", "~") or with digits (a price, a reference code) is not a word and not counted.
    A model that writes in tokens (whole words and pieces of words) can string real words into nonsense, so
    symbols glued to letters and stray single letters count against it."""
    chunks = [chunk.strip(_EDGES) for chunk in text.split()]
    words = [chunk for chunk in chunks if _WORD.search(chunk) and not any(c.isdigit() for c in chunk)]
    if not words:
        return 0.0
    known = known_words()
    return sum(_is_real_word(word, known) for word in words) / len(words)


# ---------------------------------------------------------------- copying


def _run_hashes(text: str, span: int) -> np.ndarray:
    """The hash of every `span`-character run of `text`, in order: (len(text) - span + 1,) int64."""
    return np.fromiter((hash(text[i : i + span]) for i in range(len(text) - span + 1)), np.int64)


def copy_index(training_texts, common_texts, span: int = COPY_SPAN) -> np.ndarray:
    """Every `span`-character run of the training texts that does not also occur in `common_texts` (so
    shared house phrases, which every text of the style contains, do not count as copying), as the sorted
    hashes of those runs: 8 bytes a run instead of the ~150 a stored string and its set slot take (for the
    default fine-tuning texts 0.6 MB instead of 10 MB, kept by every session's run). Python's string hash
    is fixed within a process, which is where an index is built and used."""

    def hashes(texts):
        return np.concatenate([_run_hashes(text, span) for text in texts] or [np.zeros(0, np.int64)])

    return np.setdiff1d(hashes(training_texts), hashes(common_texts))


def _in_sorted(values: np.ndarray, sorted_values: np.ndarray) -> np.ndarray:
    """Whether each of `values` is in `sorted_values` (a binary search each; np.isin would sort the index again)."""
    if not len(sorted_values):
        return np.zeros(len(values), bool)
    places = np.minimum(np.searchsorted(sorted_values, values), len(sorted_values) - 1)
    return sorted_values[places] == values


def copied_share(text: str, index: np.ndarray, span: int = COPY_SPAN) -> float:
    """Share of the characters of `text` that lie inside a run of `span`+ characters found in the index."""
    if not text:
        return 0.0
    copied = np.zeros(len(text), bool)
    for i in np.flatnonzero(_in_sorted(_run_hashes(text, span), index)):
        copied[i : i + span] = True
    return float(copied.mean())
