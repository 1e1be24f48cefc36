"""How the fine-tuning page shows a written sample: the prompt in bold, each house marker highlighted in its own
colour, a legend of the six markers, and the sample's real-word share and verdicts."""

from html import escape

import streamlit as st

from core.lessons.house_style import (
    MARKERS,
    house_markers,
    marker_spans,
    real_word_share,
    takes_house_layout,
    writes_house_style,
)
from core.lm.corpus import PROMPT

# Light highlight colours that stay readable on a projector, one per house marker.
MARKER_COLOURS = {
    "header": "#cfe2ff",
    "headings": "#ffe08a",
    "bullets": "#c9efc9",
    "salary": "#f9c9d6",
    "phrase": "#e2d4f7",
    "closing": "#bfe8e4",
}
# The box takes the theme's own text colour and a faint grey over the theme's background, so it reads in the light
# and the dark theme alike (Streamlit gives pages no colour variables); highlighted text is dark on its light colour.
SAMPLE_CSS = """<style>
.lm-sample { font-family: "Source Code Pro", monospace; font-size: 0.95rem; line-height: 1.5; white-space: pre-wrap;
  height: 330px; overflow-y: auto; border: 1px solid rgba(128, 128, 128, 0.4); border-radius: 0.5rem;
  padding: 0.6rem 0.9rem; color: inherit; background: rgba(128, 128, 128, 0.08); }
.lm-sample mark, .lm-legend mark { padding: 0 0.15rem; border-radius: 0.2rem; color: #1f1f24; }
.lm-prompt { font-weight: 700; color: inherit; }
.lm-legend { font-size: 0.95rem; margin: 0.4rem 0 0.2rem; line-height: 1.9; }
.lm-missing { color: inherit; opacity: 0.6; border: 1px dashed rgba(128, 128, 128, 0.7); border-radius: 0.2rem;
  padding: 0 0.15rem; }
</style>"""


def sample_html(text: str, style: str, prompt: str = PROMPT) -> str:
    """The prompt and the text, with each house marker highlighted in its colour."""
    parts, position = [f'<span class="lm-prompt">{escape(prompt)}</span>'], 0
    for start, end, marker in marker_spans(text, style):
        parts.append(escape(text[position:start]))
        parts.append(f'<mark style="background:{MARKER_COLOURS[marker]}">{escape(text[start:end])}</mark>')
        position = end
    parts.append(escape(text[position:]))
    # Line breaks as character references: a blank line would end the HTML block, and Markdown would then read
    # the rest of the text (and a learner's prompt) as Markdown. The box keeps white space, so they still show.
    return f'<div class="lm-sample">{"".join(parts)}</div>'.replace("\n", "&#10;")


def marker_legend(text: str, style: str) -> str:
    """Every marker as a chip: coloured when the text shows it, greyed out when not."""
    shown = house_markers(text, style)
    chips = [
        f'<mark style="background:{MARKER_COLOURS[key]}">{escape(label)}</mark>'
        if shown[key]
        else f'<span class="lm-missing">{escape(label)}</span>'
        for key, label in MARKERS.items()
    ]
    count = f"<b>{sum(shown.values())} of {len(MARKERS)}</b>"
    return f'<div class="lm-legend">House markers {count}: {" ".join(chips)}</div>'


def show_sample(text: str, style: str) -> None:
    st.markdown(sample_html(text, style) + marker_legend(text, style), unsafe_allow_html=True)
    layout = "yes" if takes_house_layout(text, style) else "no"
    verdict = "yes" if writes_house_style(text, style) else "no"
    st.caption(
        f"Real words: **{real_word_share(text):.0%}** · Reads as the house style (3+ markers, 85%+ real words): "
        f"**{verdict}** · Whole layout in order: **{layout}**"
    )
