"""User text (file names, columns, cells, labels, prompts) is shown as typed: never as Markdown, maths or HTML."""

from core.lessons.user_text import WORD_JOINER, markdown_literal, plotly_literal, shortened

TYPED = "*bold* [link](https://example.org) `code` $x$ <b>html</b> :red[x] #1 _a_ ![px](http://h/p.png)"


def test_markdown_literal_escapes_every_mark_that_could_form_markup():
    literal = markdown_literal(TYPED + "\nnext line", limit=1000)
    assert literal.replace("\\", "").replace(WORD_JOINER, "") == TYPED + " next line"
    assert all(literal[i - 1] == "\\" for i, char in enumerate(literal) if char in "*[]()`$<>:#_!")
    assert markdown_literal("city") == "city" and markdown_literal(3) == "3"


def test_plotly_literal_writes_tags_as_entities():
    assert plotly_literal('<a href="http://h">x</a> & <b>y</b>') == (
        '&lt;a href="http://h"&gt;x&lt;/a&gt; &amp; &lt;b&gt;y&lt;/b&gt;'
    )
    assert plotly_literal("Fryslân") == "Fryslân"


def test_long_text_is_shortened_and_says_how_long_it_was():
    header = "x" * 100_000
    assert shortened(header) == "x" * 59 + "… (100,000 characters)"
    assert len(markdown_literal(header)) < 100 and len(plotly_literal(header)) < 100
    assert shortened("a\n b\tc") == "a b c"


def test_bare_addresses_get_an_invisible_break_so_markdown_does_not_link_them():
    literal = markdown_literal("see http://a.b/c, www.x.nl or a@b.nl")
    assert "http\\:" + WORD_JOINER + "\\/\\/a" in literal
    assert "www" + WORD_JOINER + "\\.x" in literal and "a" + WORD_JOINER + "\\@b" in literal


def test_a_sample_box_is_one_html_block_so_markdown_never_reads_the_text():
    from ui.samples import sample_html

    text = "[x](http://h/a) $x^2$\n\n*y* <b>z</b>\n\nnext"
    html = sample_html(text, "english", prompt="HARBOUR & FINCH | <i>Nurse</i> | [A](http://h)\n\n")
    assert "\n" not in html and html.count("&#10;") == 6
    assert "<b>" not in html and "<i>" not in html and "&lt;i&gt;Nurse" in html


def test_characters_that_show_nothing_are_written_as_their_codes():
    """A cell of bytes in another encoding (0x81 0x82 0x83 read as Latin-1) was quoted as '' in the page's message."""
    assert shortened("a\x81\x82\x83b") == "a\\x81\\x82\\x83b"
    assert shortened("x\u200by") == "x\\u200by"
    assert shortened("héllo wörld") == "héllo wörld"
