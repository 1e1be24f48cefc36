"""The lessons on a narrow screen, in Chromium: a 1024-pixel projector or a 1280-pixel laptop with the sidebar open.

Columns of a fixed share of the page broke words there ("Pl/ay", "Networ/k", "Hel/d out"), ran numbers into each
other ("0.837-1.000") and squeezed the Playground's plane into a tall strip. Now rows wrap (ui.look.wrapping_row):
every page is opened, trained where its run is quick, and checked for a word broken across two lines in a button,
heading, label or number, for numbers that overlap, and for a plane that is not square.
"""

import pytest

from tests.browser_support import CHROMIUM, assert_no_error_box, open_page, screenshot, wait_idle

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)"),
]

# Where a learner reads words that must stay whole. A word may break after a hyphen or a slash ("held-/out").
WHOLE_WORDS = ", ".join(
    f"[data-testid=stMain] {place}"
    for place in ("button", "h1", "h2", "h3", "[data-testid=stWidgetLabel]", "[data-testid=stMetricLabel]")
)
METRIC_VALUES = "[data-testid=stMain] [data-testid=stMetricValue]"
BROKEN_WORDS = """selector => {
  const broken = [];
  for (const element of document.querySelectorAll(selector)) {
    if (!element.offsetParent) continue;
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.textContent.matchAll(/[^\\s\\-\\/\\u2013\\u2014]{2,}/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const rows = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
        if (rows.size > 1) broken.push(match[0]);
      }
    }
  }
  return broken;
}"""
OVERLAPPING = """selector => {
  const boxes = [...document.querySelectorAll(selector)].filter((e) => e.offsetParent).map((e) => {
    const range = document.createRange();
    range.selectNodeContents(e);
    return [e.textContent, range.getBoundingClientRect()];
  });
  const pairs = [];
  boxes.forEach(([a, p], i) => boxes.slice(i + 1).forEach(([b, q]) => {
    const apart = p.right - 1 <= q.left || q.right - 1 <= p.left || p.bottom - 1 <= q.top || q.bottom - 1 <= p.top;
    if (!apart) pairs.push([a, b]);
  }));
  return pairs;
}"""
# (page, the button that trains it quickly, or None), in English and in Dutch, whose words are longer
PAGES = {
    "en": [
        ("", None),
        ("rules-or-examples", "Train the model"),
        ("training-loop", "Next"),
        ("memorize-or-generalize", "Train"),
        ("playground", "Play"),
        ("data-quality", "Train"),
        ("own-data", None),
        ("fine-tuning", None),
        ("knowledge", None),
    ],
    "nl": [
        ("?lang=nl", None),
        ("rules-or-examples?lang=nl", "Model trainen"),
        ("training-loop?lang=nl", "Volgende"),
        ("memorize-or-generalize?lang=nl", "Trainen"),
        ("playground?lang=nl", "Start"),
        ("data-quality?lang=nl", "Trainen"),
        ("own-data?lang=nl", None),
        ("fine-tuning?lang=nl", None),
        ("knowledge?lang=nl", None),
    ],
}


def read_as_a_learner(page, server, width: int, slug: str, button: str | None) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    open_page(page, server, slug)
    if button:
        page.get_by_test_id("stMain").get_by_role("button", name=button, exact=True).first.click()
        page.wait_for_timeout(1_000)
        wait_idle(page, 120_000)
    assert_no_error_box(page)
    broken = page.evaluate(BROKEN_WORDS, WHOLE_WORDS)
    overlapping = page.evaluate(OVERLAPPING, METRIC_VALUES)
    if broken or overlapping:
        screenshot(page, f"narrow-{width}-{slug.replace('?', '-') or 'home'}", height=2400)
    assert not broken, f"{slug} at {width} px: words broken across lines: {broken}"
    assert not overlapping, f"{slug} at {width} px: numbers running into each other: {overlapping}"


@pytest.mark.parametrize(("width", "language"), [(1024, "en"), (1280, "en"), (1024, "nl")])
def test_no_word_breaks_and_no_number_runs_into_another_on_a_narrow_screen(page, server, width, language):
    for slug, button in PAGES[language]:
        read_as_a_learner(page, server, width, slug, button)


def test_the_playgrounds_plane_is_square_at_every_width(page, server):
    for width in (1024, 1280, 1600):
        page.set_viewport_size({"width": width, "height": 900})
        open_page(page, server, "playground")
        page.get_by_test_id("stMain").get_by_role("button", name="Play", exact=True).click()
        page.wait_for_timeout(1_000)
        wait_idle(page, 120_000)
        plot = page.locator(".st-key-play_boundary_chart .nsewdrag").first
        plot.wait_for(timeout=30_000)
        box = plot.bounding_box()
        assert abs(box["width"] - box["height"]) <= 2, f"at {width} px the plane is {box['width']} x {box['height']}"
        assert box["width"] >= 250, f"at {width} px the plane is only {box['width']} pixels wide"
        screenshot(page, f"playground-plane-{width}", height=1400)
