"""Tables in projector mode: plain HTML at the projector's text size, every cell shown as text."""

import pandas as pd
import streamlit as st

from tests.apptest_support import open_page
from tests.test_pages_data_quality import OWN_DATA, upload
from ui import look
from ui.charts.style import FONT_SIZE, PROJECTOR_FONT_SCALE, Look


def test_every_name_and_cell_is_escaped_and_the_text_is_the_projectors_size():
    frame = pd.DataFrame({"<b>name</b>": ["<script>alert(1)</script>", "**bold**"], "count": [1, None]})
    html = look.table_html(frame, {"count"}, Look(projector=True))
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;name&lt;/b&gt;" in html and "**bold**" in html  # Markdown is not rendered either
    assert f"font-size:{round(FONT_SIZE * PROJECTOR_FONT_SCALE)}px" in html
    assert html.count("text-align:right") == 3  # the count column: its name and both cells (one empty)
    assert ">nan<" not in html and ">None<" not in html


def test_a_table_scrolls_past_its_height_unless_the_page_wants_it_whole():
    frame = pd.DataFrame({"a": range(40)})
    assert f"max-height:{look.PROJECTOR_TABLE_MAX_HEIGHT}px" in look.table_html(frame, set(), Look(projector=True))
    assert "max-height" not in look.table_html(frame, set(), Look(projector=True), scrolls=False)


def test_numbers_and_columns_set_to_the_right_are_right_aligned():
    frame = pd.DataFrame({"words": ["a"], "number": [1.5], "price": ["7,5"]})
    config = {"price": st.column_config.TextColumn(alignment="right")}
    assert look._right_aligned(frame, config) == {"number", "price"}


def test_your_own_data_in_projector_mode_shows_its_tables_as_text_at_the_projectors_size():
    app = open_page(OWN_DATA)
    app.toggle(key="projector").set_value(True).run()
    upload(app, "shop.csv", b"visitors,note,bought\n10,<i>hi</i>,yes\n20,**x**,no\n" * 10)
    assert not app.exception and not app.dataframe
    tables = [element.proto.body for element in app.get("html") if "<table" in element.proto.body]
    assert len(tables) == 2  # the rows as read, and what the model learns from
    assert "max-height" in tables[0] and "max-height" not in tables[1], "the roles table is drawn whole, as asked"
    assert "&lt;i&gt;hi&lt;/i&gt;" in tables[0] and "<i>hi</i>" not in tables[0]
    assert f"font-size:{round(FONT_SIZE * PROJECTOR_FONT_SCALE)}px" in tables[0]
