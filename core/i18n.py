"""Every text a learner reads, in the learner's language: English (the texts as written in the code) or Dutch.

Texts are looked up in gettext message catalogues, one file per language (`locale/<code>/LC_MESSAGES/trainlab.po`,
kept up to date by `python locale/update.py`), so a translator works on that file alone. The code writes English and
wraps it: `tr("Held-out accuracy")`, `tr("{count} epochs").format(count=...)` (placeholders by name, so a translation
may put them in another order), `trn("one epoch", "{count} epochs", count)` for plurals, and `tr_later("...")` for a
text defined at import time (a module constant) and translated where it is shown (`tr(CONSTANT)`). Numbers are written
for the language: `number(0.5)` is "0.5" in English and "0,5" in Dutch.

Which language: `language_as("nl")` sets it for a block (tests, the benchmark); otherwise the source the interface
registers (`use_language_source`: the learner's choice in the page's session); otherwise English. Plain Python and
Babel: `core/` stays free of Streamlit.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import get_decimal_symbol, get_group_symbol

LANGUAGES = {"en": "English", "nl": "Nederlands"}
DEFAULT_LANGUAGE = "en"  # the language the code's texts are written in
DOMAIN = "trainlab"
LOCALE_FOLDER = Path(__file__).resolve().parents[1] / "locale"

_chosen: ContextVar[str | None] = ContextVar("trainlab_language", default=None)
_source: Callable[[], str | None] | None = None


def use_language_source(source: Callable[[], str | None]) -> None:
    """Where the language comes from when no block has set one: the interface's learner choice (a function, read at
    every lookup, so each learner's session gets its own language)."""
    global _source
    _source = source


@contextmanager
def language_as(code: str) -> Iterator[None]:
    """Texts in `code` inside this block (in this thread)."""
    token = _chosen.set(code)
    try:
        yield
    finally:
        _chosen.reset(token)


def language() -> str:
    chosen = _chosen.get() or (_source() if _source is not None else None)
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


def catalogue_path(code: str) -> Path:
    return LOCALE_FOLDER / code / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=len(LANGUAGES))
def translations(code: str) -> gettext.NullTranslations:
    """The language's catalogue, compiled in memory from its .po file once per process (a compiled .mo file kept in
    the repository could fall behind the .po a translator edited). English is the code's own text."""
    if code == DEFAULT_LANGUAGE or not catalogue_path(code).exists():
        return gettext.NullTranslations()
    with catalogue_path(code).open("rb") as file:
        catalogue = read_po(file, locale=code)
    compiled = BytesIO()
    write_mo(compiled, catalogue)  # leaves out fuzzy (unchecked) translations: they show in English
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def tr(message: str) -> str:
    """`message` (English, as written in the code) in the current language."""
    return translations(language()).gettext(message) if message else message


def trn(singular: str, plural: str, count: int) -> str:
    """The singular or plural form for `count`, in the current language (format `{count}` in it yourself)."""
    return translations(language()).ngettext(singular, plural, count)


def tr_later(message: str) -> str:
    """Marks a text defined at import time for the catalogue; `tr()` translates it where it is shown."""
    return message


def locale() -> str:
    """The Babel locale of the current language (for dates and other forms Babel writes)."""
    return language()


def formatted(value: float, spec: str) -> str:
    """`format(value, spec)` with the language's decimal and thousands marks: exactly what Python writes in English
    ("0.5", "1,234", "92.5%", "1.23e+05"), the same digits with the marks swapped in Dutch ("0,5", "1.234", "92,5%",
    "1,23e+05"). Rounding is Python's, so a text reads the same number in both languages."""
    text = format(value, spec)
    marks = {".": get_decimal_symbol(language()), ",": get_group_symbol(language())}
    return text if marks == {".": ".", ",": ","} else text.translate(str.maketrans(marks))


def number(value: float, decimals: int | None = None) -> str:
    """A number with thousands marks, as the language writes it: 1,234.5 in English, 1.234,5 in Dutch; `decimals`
    fixes the digits after the point, else it has up to three (860.0 is "860")."""
    if decimals is not None:
        return formatted(value, f",.{decimals}f")
    text = formatted(value, ",.3f")
    point = get_decimal_symbol(language())
    return text.rstrip("0").rstrip(point) if point in text else text


def percent(share: float, decimals: int = 0) -> str:
    """A share (0.925) as a percentage for the language: "92.5%" in English, "92,5%" in Dutch."""
    return formatted(share, f".{decimals}%")
