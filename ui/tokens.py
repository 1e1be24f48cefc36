"""The "tokens and Dutch" panel of the fine-tuning page: a sentence cut into the model's tokens, English beside Dutch,
and the measured tokens per word of each language."""

from html import escape

import streamlit as st

from core.i18n import number, tr, tr_later
from core.lessons.tokens import EXAMPLE_SENTENCES, MAX_TYPED_CHARACTERS, token_pieces, tokens_per_word, vocabulary_size
from ui import look

LANGUAGE_NAMES = {"English": tr_later("English"), "Dutch": tr_later("Dutch")}  # EXAMPLE_SENTENCES' keys, shown
# Two light chip colours in turn, so that neighbouring tokens stand apart; dark text on both, in either theme.
CHIP_COLOURS = ("#cfe2ff", "#ffe08a")
TOKENS_CSS = """<style>
.lm-tokens { font-family: "Source Code Pro", monospace; font-size: 1rem; line-height: 2.1; margin: 0.2rem 0 0.6rem; }
.lm-tokens span { padding: 0.1rem 0.2rem; margin-right: 2px; border-radius: 0.25rem; color: #1f1f24; }
</style>"""


def tokens_html(pieces: list[str]) -> str:
    """The pieces as chips of alternating colours (the text escaped: it may be a learner's own)."""
    chips = "".join(
        f'<span style="background:{CHIP_COLOURS[i % 2]}">{escape(piece)}</span>' for i, piece in enumerate(pieces)
    )
    return f'<div class="lm-tokens">{chips}</div>'


def show_sentence(label: str, sentence: str) -> None:
    pieces = token_pieces(sentence)
    words = len(sentence.split())
    st.markdown(
        tr("**{label}**: {tokens} tokens for {words} words").format(label=label, tokens=len(pieces), words=words)
    )
    st.html(tokens_html(pieces))


def tokens_panel(key: str) -> None:
    """The panel, with a box where a learner can cut a sentence of their own."""
    st.html(TOKENS_CSS)
    st.markdown(
        tr(
            "The model does not read letters or whole words but **tokens**: {vocabulary} pieces of text that "
            "its tokenizer learned from the English it was pretrained on. A short, frequent English word such as "
            '"for" or "team" is one token; a longer or rarer word is cut into pieces. Dutch is cut into more, '
            "smaller pieces, so the "
            "generic model has to build Dutch words from bits it learned inside English words, until fine-tuning on "
            "Dutch adverts teaches it how they go together. ␣ marks a space that starts a token."
        ).format(vocabulary=number(vocabulary_size()))
    )
    for language, sentence in EXAMPLE_SENTENCES.items():
        show_sentence(tr(LANGUAGE_NAMES.get(language, language)), sentence)
    measured = tokens_per_word()
    st.markdown(tr("**Tokens per word**, measured on texts the tokenizer never learned from:"))
    columns = look.metric_cells(len(measured), projector_per_row=len(measured))
    for column, (name, value) in zip(columns, measured.items(), strict=True):
        column.metric(tr(name), number(value, 1))
    typed = st.text_input(
        tr("Try a sentence of your own"),
        key=f"{key}_tokens_text",
        max_chars=MAX_TYPED_CHARACTERS,
        placeholder="Typ hier",
    )
    if typed.strip():
        show_sentence(tr("Your sentence"), typed)
