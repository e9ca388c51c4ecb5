"""The converter's fast paths (strings converted inside the walk, emphasis that skips looking at its
neighbours, cached steps) give what the plain rules give: cases whose Markdown was written by the
code before those paths existed, and the extension points the fast paths must still call."""

from __future__ import annotations

import pytest

from migrate.transform.markdown import WordPressConverter, html_to_markdown
from migrate.transform.soup import Element, Text, has_text, parse_html, release

CASES = [
    ('<p>a<b>word</b>b</p>', 'a**word**b\n'),
    ('<p>a<b>.word</b>b</p>', 'a<strong>.word</strong>b\n'),
    ('<p>a<b>word.</b>b</p>', 'a<strong>word.</strong>b\n'),
    ('<p>(<b>.word.</b>)</p>', '(**.word.**)\n'),
    ('<p><b>.x</b></p>', '**.x**\n'),
    ('<p>x <b> word </b> y</p>', 'x **word** y\n'),
    ('<p><b> word </b></p>', '**word**\n'),
    ('<p>x<br><b> .x. </b><br>y</p>', 'x\\\n**.x.**\\\ny\n'),
    ('<p>a<em>“quoted”</em>b</p>', 'a<em>“quoted”</em>b\n'),
    ('<p>a <i>. </i>b</p>', 'a *.* b\n'),
    ('<p><strong>x<b>y</b></strong></p>', '**xy**\n'),
    ("<p><b><img src='a.png'></b> text</p>", '![](a.png) text\n'),
    ('<p><b><!-- c -->bold</b></p>', '**bold**\n'),
    ('<p><b> <!-- c --> </b>x</p>', 'x\n'),
    ('<p><b><script>s</script></b>x</p>', 'x\n'),
    ('<p><b>\xa0x\xa0</b>y</p>', '**x** y\n'),
    ('<p>é<b>!é</b>é</p>', 'é<strong>!é</strong>é\n'),
    ('<p>x<b>a</b><i>b</i>y</p>', 'x**a***b*y\n'),
    ('<ul><li><b>-</b> item</li></ul>', '- **\\-** item\n'),
    ('<p>1<b>2</b>3 <code>a*b</code> <em>*</em></p>', '1**2**3 `a*b` *\\**\n'),
    ('<pre>  a  *b*\n\n c</pre>', '```\n  a  *b*\n\n c\n```\n'),
    ('<p># not a heading</p>', '\\# not a heading\n'),
    ('<p>a<br>- not a list<br>1. nor this</p>', 'a\\\n\\- not a list\\\n1\\. nor this\n'),
    ('<table><tr><td>a|b <b>c</b></td></tr></table>', '|  |\n| --- |\n| a\\|b **c** |\n'),
    ('<div>\n  <p>one</p>\n  <p>two  words\tand\nlines</p>\n</div>', 'one\n\ntwo words and lines\n'),
    ('<p>x <span> </span> y</p>', 'x y\n'),
]


@pytest.mark.parametrize(("html", "expected"), CASES)
def test_same_markdown_as_before_the_fast_paths(html: str, expected: str) -> None:
    assert html_to_markdown(html) == expected


def test_subclass_overriding_escape_text_is_used() -> None:
    class Shouting(WordPressConverter):
        def escape_text(self, text: str, starts_line: bool = False, in_table: bool = False) -> str:
            return super().escape_text(text, starts_line, in_table).upper()

    converter = Shouting()
    assert html_to_markdown("<p>a*b <em>c_d</em></p>", converter=converter) == "A\\*B *C_D*\n"
    assert html_to_markdown("<p>plain <b>words</b></p>", converter=converter) == "plain **words**\n"


def test_each_converter_keeps_its_own_convert_functions() -> None:
    class Loud(WordPressConverter):
        def convert_p(self, el, text, parent_tags):  # type: ignore[no-untyped-def]
            return "\n\nP: " + text + "\n\n"

    html = "<div><p>one</p><p>two</p></div>"
    assert html_to_markdown(html) == "one\n\ntwo\n"
    assert html_to_markdown(html, converter=Loud()) == "P: one\n\nP: two\n"
    assert html_to_markdown(html) == "one\n\ntwo\n"


def test_string_links() -> None:
    doc = parse_html("<p>a<b>b</b>c<!--d--></p>")
    p = doc.find("p")
    a, b, c, d = p.contents
    assert a.previous_sibling is None and a.next_sibling is b and a.parent is p
    assert b.previous_sibling is a and b.next_sibling is c
    assert c.previous_sibling is b and c.next_sibling is d
    assert d.next_sibling is None and d.previous_sibling is c
    lone = parse_html("<p>x</p>").find("p").contents[0]
    assert isinstance(lone, Text) and lone.previous_sibling is None and lone.next_sibling is None


def test_has_text() -> None:
    for html, expected in [("<b>x</b>", True), ("<b> </b>", False), ("<b><!--c--></b>", False),
                           ("<b><!--c-->x</b>", True), ("<b> <i>x</i></b>", True), ("<b><img src=a></b>", False),
                           ("<b><script>x</script></b>", False)]:
        assert has_text(parse_html(html).find("b")) is expected, html


def test_release_empties_the_tree() -> None:
    doc = parse_html("<div><p>a<b>b</b>c</p><p>d</p></div>")
    nodes = [n for n in doc.descendants]
    release(doc)
    assert doc.contents == []
    for node in nodes:
        assert node.next_sibling is None
        if isinstance(node, Element):
            assert node.contents == []


def test_parser_reused_across_documents_and_threads() -> None:
    from concurrent.futures import ThreadPoolExecutor

    from migrate.transform import soup

    docs = ["<p>a<b>b</b></p>", "<table><tr><td>x", "<div><p>unclosed<div>y</div>", "", "<?php x ?><p>z</p>",
            "<p>after</p><!-- c -->", "<ul><li>1<li>2</ul>"] * 3

    def markdown(html: str) -> str:
        return html_to_markdown(html)

    def fresh(html: str) -> str:
        soup._parsers.parser = None
        return html_to_markdown(html)

    expected = [fresh(html) for html in docs]
    assert [markdown(html) for html in docs] == expected
    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(markdown, docs * 5)) == expected * 5
