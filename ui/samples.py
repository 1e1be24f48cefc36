"""How the fine-tuning page shows a written advert: the prompt in bold, each part of the house layout marked by a
numbered bar in its own colour down the left of its lines, each house marker highlighted in its own colour, a
checklist of the layout in order, a legend of the six markers, and the sample's real-word share and verdicts."""

from html import escape

import streamlit as st

from core.i18n import percent, tr
from core.lessons.house_style import (
    MARKERS,
    house_markers,
    layout_check,
    layout_item_names,
    layout_sections,
    marker_spans,
    real_word_share,
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
# The language each house style's adverts are written in: a written sample carries it (lang), so that a screen reader
# reads it as written and the interface's language (tests/test_i18n_fine_tuning.py) tells it from the page's own text.
SAMPLE_LANGUAGES = {"english": "en", "dutch": "nl"}
# Bars down the left of each part of the layout, in order: strong colours that differ from each other in both themes.
SECTION_COLOURS = {
    "title": "#1f77b4",
    "heading 1": "#ff7f0e",
    "heading 2": "#2ca02c",
    "heading 3": "#d62728",
    "heading 4": "#9467bd",
    "closing": "#17becf",
}
# The box takes the theme's own text colour and a faint grey over the theme's background, so it reads in the light
# and the dark theme alike (Streamlit gives pages no colour variables); highlighted text is dark on its light colour.
SAMPLE_CSS = """<style>
.lm-sample { font-family: "Source Code Pro", monospace; font-size: 0.95rem; line-height: 1.5; white-space: pre-wrap;
  height: 470px; overflow-y: auto; border: 1px solid rgba(128, 128, 128, 0.4); border-radius: 0.5rem;
  padding: 0.6rem 0.9rem; color: inherit; background: rgba(128, 128, 128, 0.08); }
.lm-sample mark, .lm-legend mark { padding: 0 0.15rem; border-radius: 0.2rem; color: #1f1f24; }
.lm-prompt { font-weight: 700; color: inherit; }
.lm-legend { font-size: 0.95rem; margin: 0.4rem 0 0.2rem; line-height: 1.9; }
.lm-section { border-left: 5px solid; padding-left: 0.45rem; -webkit-box-decoration-break: clone;
  box-decoration-break: clone; }
.lm-layout { font-size: 0.95rem; margin: 0.4rem 0 0.2rem; line-height: 1.9; }
.lm-step { border-left: 5px solid; padding: 0 0.3rem; margin-right: 0.2rem; display: inline-block; max-width: 100%;
  vertical-align: top; }
.lm-missing { color: inherit; opacity: 0.6; border: 1px dashed rgba(128, 128, 128, 0.7); border-radius: 0.2rem;
  padding: 0 0.15rem; }
</style>"""


def _marked(text: str, start: int, end: int, markers: list) -> str:
    """text[start:end] as HTML, with the house markers that lie in it highlighted (markers never cross a line, so
    never the edge of a part of the layout)."""
    parts, position = [], start
    for marker_start, marker_end, marker in markers:
        if start <= marker_start and marker_end <= end:
            parts.append(escape(text[position:marker_start]))
            colour = MARKER_COLOURS[marker]
            parts.append(f'<mark style="background:{colour}">{escape(text[marker_start:marker_end])}</mark>')
            position = marker_end
    parts.append(escape(text[position:end]))
    return "".join(parts)


def sample_html(text: str, style: str, prompt: str = PROMPT) -> str:
    """The prompt and the text: each part of the house layout with its bar, each house marker highlighted."""
    markers = marker_spans(text, style)
    parts, position = [f'<span class="lm-prompt">{escape(prompt)}</span>'], 0
    for start, end, part in layout_sections(text, style):
        parts.append(_marked(text, position, start, markers))
        section = _marked(text, start, end, markers)
        parts.append(f'<span class="lm-section" style="border-color:{SECTION_COLOURS[part]}">{section}</span>')
        position = end
    parts.append(_marked(text, position, len(text), markers))
    # Line breaks as character references: a blank line would end the HTML block, and Markdown would then read
    # the rest of the text (and a learner's prompt) as Markdown. The box keeps white space, so they still show.
    language = SAMPLE_LANGUAGES.get(style, "en")
    return f'<div class="lm-sample" lang="{language}">{"".join(parts)}</div>'.replace("\n", "&#10;")


def marker_legend(text: str, style: str) -> str:
    """Every marker as a chip: coloured when the text shows it, greyed out when not."""
    shown = house_markers(text, style)
    chips = [
        f'<mark style="background:{MARKER_COLOURS[key]}">{escape(tr(label))}</mark>'
        if shown[key]
        else f'<span class="lm-missing">{escape(tr(label))}</span>'
        for key, label in MARKERS.items()
    ]
    count = "<b>" + escape(tr("{shown} of {total}").format(shown=sum(shown.values()), total=len(MARKERS))) + "</b>"
    title = tr("House markers {count}:").format(count=count)
    return f'<div class="lm-legend">{title} {" ".join(chips)}</div>'


def layout_steps(text: str, style: str) -> str:
    """The house layout as a checklist in order, each item with the bar colour of its part: ✓ where the text has it
    in its place, ✗ where not."""
    check = layout_check(text, style)
    bars = list(SECTION_COLOURS.values())
    colours = [bars[0], *bars[1:5], bars[2], bars[3], bars[5]]  # the bullets share their heading's colour
    steps = [
        f'<span class="lm-step" style="border-color:{colour}">{"✓" if found else "✗"} {escape(item)}</span>'
        for item, found, colour in zip(layout_item_names(style), check.values(), colours, strict=True)
    ]
    count = "<b>" + escape(tr("{shown} of {total}").format(shown=sum(check.values()), total=len(check))) + "</b>"
    title = tr("Layout in order {count}:").format(count=count)
    return f'<div class="lm-layout">{title} {" ".join(steps)}</div>'


def show_sample(text: str, style: str) -> None:
    st.markdown(
        sample_html(text, style) + layout_steps(text, style) + marker_legend(text, style), unsafe_allow_html=True
    )
    layout = tr("yes") if all(layout_check(text, style).values()) else tr("no")
    verdict = tr("yes") if writes_house_style(text, style) else tr("no")
    st.caption(
        tr(
            "Real words: **{share}** · Reads as the house style (3+ markers, 85%+ real words): "
            "**{verdict}** · Whole layout in order: **{layout}**"
        ).format(share=percent(real_word_share(text)), verdict=verdict, layout=layout)
    )
