"""Text that comes from a user (a file name, a column name, a cell, a label, a group, a typed prompt), made safe to
show: as literal text inside a Markdown sentence, or inside a Plotly label (which reads a small HTML subset).

Every page and chart that shows user text goes through these helpers, so `[x](http://...)`, `$x^2$`, `*x*`,
`<a href=...>` and `<img src=...>` show exactly as typed and never become a link, maths, emphasis or an image.
Very long text (a 100,000-character header) is shortened, so a message stays a sentence.
"""

from __future__ import annotations

import html
import re

from babel.numbers import get_decimal_symbol

from core.i18n import formatted, locale, number, tr

SHOWN_CHARACTERS = 60  # the longest user text placed in a sentence or on a chart before it is shortened
_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation mark: backslash-escapable
# Markdown also turns bare addresses (http://..., www...., name@host) into links, escaped or not: an invisible word
# joiner inside "://", after "www" and before "@" keeps them text.
_AUTOLINK_STARTS = re.compile(r"(:)(//)|(www)(\.)|()(@)", re.IGNORECASE)
WORD_JOINER = "\u2060"


def _visible(text: str) -> str:
    """Characters that show nothing (control characters: bytes of a file in another encoding read as Latin-1, such as
    0x81) written as their code, so that a message quoting such a cell shows what is there instead of ''."""
    return "".join(character if character.isprintable() else _code(character) for character in text)


def _code(character: str) -> str:
    return f"\\x{ord(character):02x}" if ord(character) < 256 else f"\\u{ord(character):04x}"


def shortened(text, limit: int = SHOWN_CHARACTERS) -> str:
    """`text` on one line, its invisible characters written as codes, cut to `limit` characters with an ellipsis that
    says how long it was."""
    one_line = _visible(" ".join(str(text).split()))
    if len(one_line) <= limit:
        return one_line
    return one_line[: limit - 1] + "… " + tr("({count} characters)").format(count=number(len(one_line)))


def short_number(value: float, significant: int = 6) -> str:
    """A number in its shortest form, as Python's `:g` writes it (0.001, 1e-05, 30; `significant` digits at most),
    with the decimal sign of the learner's language: 0,001 in Dutch. For learning rates and other settings inside
    sentences and on axes."""
    return formatted(value, f".{significant}g")


def number_list(values) -> str:
    """Numbers in their shortest form as a list: "0.3, 1, 3" in English; "0,3; 1; 3" in Dutch, where a comma is the
    decimal sign."""
    separator = "; " if get_decimal_symbol(locale()) == "," else ", "
    return separator.join(short_number(value) for value in values)


def markdown_literal(text, limit: int = SHOWN_CHARACTERS) -> str:
    """User text for a Markdown sentence: every ASCII punctuation mark backslash-escaped (so no link, image, maths,
    emphasis or HTML tag can form), bare addresses kept from becoming links, and line breaks made spaces; shortened
    past `limit` characters."""
    unlinked = _AUTOLINK_STARTS.sub(
        lambda match: WORD_JOINER.join(part for part in match.groups() if part is not None), shortened(text, limit)
    )
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", unlinked)


def plotly_literal(text, limit: int = SHOWN_CHARACTERS) -> str:
    """User text for a Plotly title, axis label, tick, legend or hover text: `<`, `>` and `&` written as entities,
    so Plotly shows them as characters instead of reading tags such as <a href> or <b>. Quotes stay as they are:
    Plotly would show `&quot;` as typed, and without `<` no quote can end up inside a tag."""
    return html.escape(shortened(text, limit), quote=False)
