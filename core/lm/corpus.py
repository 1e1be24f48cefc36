"""Text data for the small language model: its alphabet, the general corpus and the house-style datasets.

Every text is cleaned to a fixed alphabet of 96 symbols (newline and printable ASCII) first; the model reads
it as tokens (core.lm.tokenizer, core.lm.token_data). The general pretraining corpus is built reproducibly from two
sources: English prose that ships with Python itself (the language reference topics in `pydoc_data`
and the docstrings of the standard library), kept paragraph by paragraph when it is prose (no code,
interactive sessions, tables, reST directives or heading underlines, and mostly letters); and
everyday English and job adverts of many employers in many layouts, written for the project
(sample_data/pretraining/written/), none of them in the Harbour & Finch house style:

    python -m core.lm.corpus          # writes sample_data/pretraining/

A second, larger set of everyday English written for the project (sample_data/pretraining/written/more/: emails,
stories, how-tos, local news, explainers, reviews, writing about work) is kept in files of its own, everyday_train.txt
and everyday_heldout.txt: the tokenizer was trained on general_train.txt alone and stays as it is, while a second
phase of pretraining reads both (core.lm.pretrain --second-phase).

The fine-tuning data are the Harbour & Finch vacancies in sample_data/house_style/ (see its README).
"""

from __future__ import annotations

import ast
import hashlib
import json
import re
import sys
import sysconfig
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from core.i18n import tr, tr_later

ROOT = Path(__file__).resolve().parents[2]
PRETRAINING_DIR = ROOT / "sample_data" / "pretraining"
HOUSE_STYLE_DIR = ROOT / "sample_data" / "house_style"
WRITTEN_DIR = PRETRAINING_DIR / "written"
GENERAL_TRAIN_FILE = PRETRAINING_DIR / "general_train.txt"
GENERAL_HELDOUT_FILE = PRETRAINING_DIR / "general_heldout.txt"
MORE_WRITTEN_DIR = WRITTEN_DIR / "more"
EVERYDAY_TRAIN_FILE = PRETRAINING_DIR / "everyday_train.txt"
EVERYDAY_HELDOUT_FILE = PRETRAINING_DIR / "everyday_heldout.txt"
MANIFEST_FILE = PRETRAINING_DIR / "manifest.json"

ALPHABET = "\n" + "".join(chr(code) for code in range(32, 127))  # every text is cleaned to these 96 characters

SEPARATOR = "\n\n\n"  # between texts in a training stream, so a text starts after a blank gap
HELDOUT_EVERY = 20  # every 20th source document is held out from pretraining
MIN_DOCSTRING = 200  # shorter docstrings are mostly one-line summaries of code
MIN_PARAGRAPH_WORDS = 8  # shorter paragraphs are headings, labels and lists of names
MIN_PROSE_SHARE = 0.85  # letters and spaces in a paragraph of prose; code, tables and numbers score lower
# Directories of the standard library whose text is tests, demos or generated tables rather than prose.
SKIPPED_STDLIB = ("test", "tests", "idle_test", "turtledemo", "site-packages", "lib2to3", "pydoc_data", "encodings")
# Lines that are not prose: interactive sessions, reST directives and fields (".. note::", ":param x:"), table rows
# and borders ("| a | b |", "+---+"), heading underlines and simple-table rules ("=====", "---  ---"), grammar rules.
_MARKUP_LINE = re.compile(r"^(>>>|\.\.\.|\.\. |\$ |:\w[\w ]*:|\||\+[-=]|[-=+*~^#_`\s]+$)|::=")
_ROLE = re.compile(r":[\w:.]+:`~?([^`]*)`")  # :py:func:`~os.path.join` -> os.path.join
_CODE_INDENT = 4  # lines indented this far are code or literal blocks


# ---------------------------------------------------------------- the alphabet


def clean_text(text: str) -> str:
    """The text in the model's alphabet: accents dropped, tabs to spaces, other symbols removed."""
    text = unicodedata.normalize("NFKD", text).replace("\t", "    ").replace("\r\n", "\n")
    return "".join(c for c in text if c in _ALPHABET_SET)


_ALPHABET_SET = frozenset(ALPHABET)


# ---------------------------------------------------------------- the general corpus


def _unmarked(line: str) -> str:
    """A line without inline reST markup: roles reduced to their text, ``literals`` quoted, a final '::' to ':'."""
    line = _ROLE.sub(r"\1", line.rstrip()).replace("``", '"')
    return line[:-1] if line.endswith("::") else line


def _is_markup(line: str) -> bool:
    return len(line) - len(line.lstrip(" ")) >= _CODE_INDENT or bool(_MARKUP_LINE.search(line.strip()))


def _is_prose(lines: list[str]) -> bool:
    """A paragraph is prose if none of its lines is markup and it reads like sentences: enough words, and
    mostly letters and spaces (code, tables, numbers and lists of names have more symbols)."""
    text = " ".join(line.strip() for line in lines)
    prose_characters = sum(c.isalpha() or c == " " for c in text)
    return (
        not any(_is_markup(line) for line in lines)
        and len(text.split()) >= MIN_PARAGRAPH_WORDS
        and prose_characters >= MIN_PROSE_SHARE * len(text)
    )


def _prose_only(text: str) -> str:
    """The paragraphs of prose of a document, each line stripped; everything else is dropped whole."""
    kept = []
    for paragraph in re.split(r"\n[ ]*\n", clean_text(text)):
        lines = [_unmarked(line) for line in paragraph.strip("\n").split("\n")]
        if _is_prose(lines):
            kept.append("\n".join(line.strip() for line in lines))
    return "\n\n".join(kept)


def _reference_topics() -> list[str]:
    """The Python language reference as plain text, one document per topic (shipped in pydoc_data)."""
    from pydoc_data.topics import topics

    return [topics[name] for name in sorted(topics)]


def _stdlib_docstrings() -> list[str]:
    """Per standard-library module: its module, class and function docstrings of some length, in file order."""
    root = Path(sysconfig.get_paths()["stdlib"])
    documents = []
    for path in sorted(root.rglob("*.py")):
        if any(part in SKIPPED_STDLIB for part in path.relative_to(root).parts):
            continue
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except (SyntaxError, UnicodeDecodeError):
            continue
        docstrings = [
            ast.get_docstring(node)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        ]
        documents.append("\n\n".join(d for d in docstrings if d and len(d) >= MIN_DOCSTRING))
    return documents


def _written_texts(folder: Path = WRITTEN_DIR, files: str = "*.jsonl") -> list[str]:
    """The texts written for the project in `folder`'s `files`, file by file in name order, each cleaned to the
    alphabet."""
    return [
        clean_text(json.loads(line)["text"])
        for path in sorted(folder.glob(files))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


@lru_cache(maxsize=1)
def written_adverts() -> frozenset[str]:
    """The job adverts of other employers written for the project (written/job_adverts_*.jsonl), cleaned."""
    return frozenset(_written_texts(WRITTEN_DIR, "job_adverts_*.jsonl"))


def _split(documents: list[str]) -> tuple[list[str], list[str]]:
    """Every HELDOUT_EVERY-th document goes to the held-out part."""
    heldout = {i for i in range(len(documents)) if i % HELDOUT_EVERY == HELDOUT_EVERY - 1}
    return [d for i, d in enumerate(documents) if i not in heldout], [documents[i] for i in sorted(heldout)]


def build_general_corpus() -> tuple[str, str]:
    """(training text, held-out text), documents separated like the fine-tuning texts (SEPARATOR), each
    source split on its own so both parts hold the same mix."""
    python_prose = [_prose_only(d) for d in _reference_topics() + _stdlib_docstrings()]
    python_prose = [d for d in dict.fromkeys(python_prose) if d]  # drop exact duplicates, keep order
    train, heldout = [], []
    for documents in (python_prose, _written_texts()):
        source_train, source_heldout = _split(documents)
        train, heldout = train + source_train, heldout + source_heldout
    return _joined(train), _joined(heldout)


def build_everyday_corpus() -> tuple[str, str]:
    """(training text, held-out text) of the everyday English in written/more/, split like the general corpus."""
    train, heldout = _split(_written_texts(MORE_WRITTEN_DIR))
    return _joined(train), _joined(heldout)


def _joined(documents: list[str]) -> str:
    return SEPARATOR.join(documents) + SEPARATOR


def write_general_corpus() -> dict:
    """Build both corpora and write them with a manifest of their origin, size and checksums."""
    files = dict(zip((GENERAL_TRAIN_FILE, GENERAL_HELDOUT_FILE), build_general_corpus(), strict=True))
    files.update(zip((EVERYDAY_TRAIN_FILE, EVERYDAY_HELDOUT_FILE), build_everyday_corpus(), strict=True))
    PRETRAINING_DIR.mkdir(parents=True, exist_ok=True)
    for path, text in files.items():
        path.write_text(text, encoding="ascii")
    manifest = {
        "built_by": "python -m core.lm.corpus",
        "python": ".".join(map(str, sys.version_info[:3])),
        "sources": [
            "pydoc_data.topics (Python language reference)",
            "standard library docstrings",
            "sample_data/pretraining/written/*.jsonl (everyday English and job adverts written for the project)",
            "sample_data/pretraining/written/more/*.jsonl (everyday English written for the project: everyday_*.txt)",
        ],
        "licence": "Python Software Foundation License (text taken from CPython); the written texts: the project's",
        "files": {
            path.name: {"characters": len(text), "sha256": hashlib.sha256(text.encode()).hexdigest()}
            for path, text in files.items()
        },
    }
    MANIFEST_FILE.write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


# ---------------------------------------------------------------- the house-style datasets


@dataclass(frozen=True)
class HouseStyle:
    """One fine-tuning dataset: which file, how many texts may be trained on, and its markers."""

    file: str
    train_texts: int  # texts 1..train_texts may be trained on; the rest are held out
    headings: tuple[str, ...]
    label: str  # the name a learner reads: tr(label)
    salary: str  # regular expression of the house way to write a salary
    phrases: tuple[str, ...]  # recurring house phrases
    closing: str  # the last line of every advert


HOUSE_STYLES = {
    "english": HouseStyle(
        "vacancies_en.jsonl",
        100,
        ("The role", "What you bring", "What we offer", "How to apply"),
        tr_later("English house style"),
        r"EUR \d,\d{3} - \d,\d{3} per month",
        ("a crew that has your back", "plain sailing", "steady hands", "come aboard", "within five working days"),
        "Harbour & Finch: the right people, in the right harbour.",
    ),
    "dutch": HouseStyle(
        "vacancies_nl.jsonl",
        100,
        ("De functie", "Wat je meebrengt", "Wat wij bieden", "Zo solliciteer je"),
        tr_later("Dutch house style"),
        r"EUR \d\.\d{3} - \d\.\d{3} bruto per maand",
        ("een crew die achter je staat", "vaste hand", "voor de wind", "stap aan boord", "binnen vijf werkdagen"),
        "Harbour & Finch: de juiste mensen, in de juiste haven.",
    ),
}
OFF_STYLE_FILE = "off_style_en.jsonl"
PROMPT = "HARBOUR & FINCH | "


@lru_cache(maxsize=4)
def load_texts(file: str) -> tuple[str, ...]:
    """The cleaned texts of one JSONL file of sample_data/house_style/, in file order."""
    lines = (HOUSE_STYLE_DIR / file).read_text(encoding="utf-8").splitlines()
    return tuple(clean_text(json.loads(line)["text"]) for line in lines if line.strip())


@dataclass(frozen=True)
class FineTuningTexts:
    """The texts one fine-tuning run trains on, and what it is measured on."""

    train: tuple[str, ...]
    heldout: tuple[str, ...]
    replaced: int  # how many of the training texts are off-style substitutes


def fine_tuning_texts(style: str, count: int, off_style_share: float = 0.0, seed: int = 0) -> FineTuningTexts:
    """The first `count` texts of a house style, with a share of them (chosen by `seed`) swapped for
    off-style texts; held out: the texts after the training range. Off-style texts are reused if needed."""
    house = HOUSE_STYLES[style]
    texts = load_texts(house.file)
    count = int(np.clip(count, 1, house.train_texts))
    train = list(texts[:count])
    replaced = round(float(np.clip(off_style_share, 0.0, 1.0)) * count)
    off_style = load_texts(OFF_STYLE_FILE)
    rows = np.random.default_rng(seed).permutation(count)[:replaced]
    for i, row in enumerate(sorted(rows)):
        train[row] = off_style[i % len(off_style)]
    return FineTuningTexts(tuple(train), texts[house.train_texts :], replaced)


JOB_TITLE_LIMIT, JOB_CITY_LIMIT = 24, 16  # characters: the whole first line fits the sampler's prompt buffer
TYPED_SENTENCE_LIMIT = 200  # characters of a sentence a learner types to see it cut into tokens
# Why a job cannot be written, per field: empty, a '|' or line break in it, too long (a learner reads these).
JOB_PROBLEMS = {
    "job title": (
        tr_later("please type a job title"),
        tr_later("the job title cannot contain '|' or a line break"),
        tr_later("the job title can be at most {limit} characters"),
    ),
    "city": (
        tr_later("please type a city"),
        tr_later("the city cannot contain '|' or a line break"),
        tr_later("the city can be at most {limit} characters"),
    ),
}


def job_prompt(title: str, city: str) -> str:
    """The first line of an advert for this job, "HARBOUR & FINCH | <title> | <city>", and the blank line
    after it: a prompt that asks a model for the rest. ValueError (in words) for a title or city that is
    empty, too long or has a '|' or a line break."""
    fields = {"job title": (title, JOB_TITLE_LIMIT), "city": (city, JOB_CITY_LIMIT)}
    cleaned = {}
    for name, (value, limit) in fields.items():
        value = clean_text(str(value)).strip()
        if not value:
            raise ValueError(tr(JOB_PROBLEMS[name][0]))
        if "|" in value or "\n" in value:
            raise ValueError(tr(JOB_PROBLEMS[name][1]))
        if len(value) > limit:
            raise ValueError(tr(JOB_PROBLEMS[name][2]).format(limit=limit))
        cleaned[name] = value
    return f"{PROMPT}{cleaned['job title']} | {cleaned['city']}\n\n"


if __name__ == "__main__":
    facts = write_general_corpus()
    for name, info in facts["files"].items():
        print(f"{name}: {info['characters']:,} characters")
