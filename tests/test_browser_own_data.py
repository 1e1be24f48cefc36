""" "Your own data" in a real browser: a Dutch Excel export is shown as in the file beside the rows as read and trains;
a file whose name, columns, cells and labels are full of Markdown, maths and HTML shows them as typed, and nothing
from them becomes a link, an image or maths in the page. Screenshots land in test-artifacts/screenshots/."""

import re
from pathlib import Path

import pytest

from core.lessons.user_text import WORD_JOINER
from tests.browser_support import CHROMIUM, assert_no_error_box, open_page, screenshot, wait_idle

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)"),
]
ROOT = Path(__file__).resolve().parents[1]
TRAP = "127.0.0.1:9"  # a closed port: any element pointing there came from the file
HOSTILE_NAME = f"![px](http://{TRAP}/file.png) [click](http://{TRAP}/f).csv"
HOSTILE_COLUMNS = [f"[x](http://{TRAP}/a)", "$x^2$", f"<img src=http://{TRAP}/i.png>", "*amount*", "answer"]
HOSTILE_GROUPS = [f'<a href="http://{TRAP}/g">Fryslân</a>', "<b>bold</b>", f"[north](http://{TRAP}/n)"]
HOSTILE_LABELS = [f"[yes](http://{TRAP}/y)", "<i>no</i>"]


def quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'  # a CSV cell that may hold quotes and commas


def hostile_csv() -> bytes:
    header = ",".join(quoted(name) for name in HOSTILE_COLUMNS)
    rows = [
        f"{i % 7},{(i * 3) % 11},{quoted(HOSTILE_GROUPS[i % 3])},{20 + (i * 5) % 17},"
        f"{quoted(HOSTILE_LABELS[(i // 2) % 2])}"
        for i in range(90)
    ]
    return ("\n".join([header, *rows]) + "\n").encode()


def elements_from_the_file(page) -> int:
    return page.evaluate(
        f"""() => document.querySelectorAll('a[href*="{TRAP}"], img[src*="{TRAP}"], image[href*="{TRAP}"]').length
            + document.querySelectorAll('.katex, .stMarkdown b, .stMarkdown i, .js-plotly-plot a').length"""
    )


def train_to_the_end(page, epochs: int) -> None:
    page.get_by_role("button", name="Train", exact=True).click()
    page.get_by_text(re.compile(rf"^Epoch {epochs} of {epochs}")).first.wait_for(timeout=90_000)
    wait_idle(page)


def test_a_dutch_excel_export_is_read_as_written_and_trains(page, server):
    open_page(page, server, "own-data")
    page.locator("input[type=file]").set_input_files(str(ROOT / "tests" / "real_world_csv" / "dutch_excel_export.csv"))
    page.get_by_text("40 rows, 6 columns").first.wait_for(timeout=30_000)
    wait_idle(page)
    page.get_by_text("sep=;").first.wait_for(timeout=30_000)  # the code block draws a moment after the rest
    assert page.get_by_text("As in the file").count() == 1
    assert page.get_by_text(re.compile("Currency signs were removed from column 'omzet \\(€\\)'")).count() == 1
    page.locator("[data-testid=stDataFrame] canvas").first.wait_for(timeout=30_000)
    screenshot(page, "own-data-dutch-excel-read", height=1800)
    epochs = page.get_by_role("slider", name=re.compile("^Epochs"))
    epochs.focus()
    epochs.press("Home")  # 10 epochs
    page.wait_for_function("() => document.querySelector('input[type=range][aria-valuetext=\"10\"]') !== null")
    wait_idle(page)
    train_to_the_end(page, 10)
    page.locator(".js-plotly-plot").nth(4).wait_for(timeout=30_000)  # per group, per class, loss, accuracy, gap
    assert_no_error_box(page)
    screenshot(page, "own-data-dutch-excel-trained", height=3400)


def test_text_from_the_file_is_shown_as_typed_and_never_as_markup(page, server):
    open_page(page, server, "own-data")
    page.locator("input[type=file]").set_input_files(
        files=[{"name": HOSTILE_NAME, "mimeType": "text/csv", "buffer": hostile_csv()}]
    )
    page.get_by_text("90 rows, 5 columns").first.wait_for(timeout=30_000)
    wait_idle(page)
    epochs = page.get_by_role("slider", name=re.compile("^Epochs"))
    epochs.focus()
    epochs.press("Home")
    wait_idle(page)
    train_to_the_end(page, 10)
    page.get_by_text("127.0.0.1:9/i.png>").first.wait_for(timeout=30_000)
    page.locator(".js-plotly-plot").nth(1).wait_for(timeout=30_000)  # per group, per class
    page.get_by_text("<b>bold</b>", exact=False).first.wait_for(timeout=30_000)
    assert elements_from_the_file(page) == 0
    shown = page.evaluate("() => document.body.innerText").replace(WORD_JOINER, "")
    assert HOSTILE_NAME[:40] in shown and HOSTILE_COLUMNS[2] in shown, "names are shown as typed"
    assert_no_error_box(page)
    screenshot(page, "own-data-hostile-text-trained", height=3000)


def test_a_file_over_the_limit_gets_the_pages_own_message(page, server):
    open_page(page, server, "own-data")
    page.get_by_text("Upload a CSV file (up to 5 MB)").wait_for()
    assert page.get_by_text("50MB per file").count() == 0 or not page.get_by_text("50MB per file").is_visible()
    screenshot(page, "own-data-fresh")
    oversize = b"a,b,label\n" + b"1,2,x\n" * (6 * 1024 * 1024 // 6)
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "big.csv", "mimeType": "text/csv", "buffer": oversize}]
    )
    page.get_by_text("files up to 5 MB can be uploaded here").first.wait_for(timeout=60_000)
    assert_no_error_box(page)


def test_in_projector_mode_the_tables_are_large_text_and_the_files_text_stays_text(browser, server):
    """Projector mode draws the tables as HTML at the projector's size (the data frame's canvas would not grow): the
    file's names and cells must still show as typed, on a dark page as well."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="dark")
    page = open_page(context.new_page(), server, "own-data?projector=true")
    page.locator("input[type=file]").set_input_files(
        files=[{"name": HOSTILE_NAME, "mimeType": "text/csv", "buffer": hostile_csv()}]
    )
    page.get_by_text("90 rows, 5 columns").first.wait_for(timeout=30_000)
    wait_idle(page)
    sizes = page.evaluate("() => [...document.querySelectorAll('table')].map(t => getComputedStyle(t).fontSize)")
    assert len(sizes) == 2 and all(float(size.rstrip("px")) >= 20 for size in sizes), sizes
    assert elements_from_the_file(page) == 0
    shown = page.evaluate("() => document.body.innerText").replace(WORD_JOINER, "")
    assert HOSTILE_COLUMNS[2] in shown and HOSTILE_GROUPS[1] in shown, "names and cells are shown as typed"
    assert_no_error_box(page)
    screenshot(page, "own-data-projector-tables-dark", height=2600)
    context.close()
