"""HTML → Markdown (migrate/transform/markdown.py): golden cases, idempotency, figure styles.

Golden cases live in tests/cases/markdown/, one per file: the HTML, a line ``=== expected ===``,
then the Markdown. Regenerate with ``python -m pytest tests/test_markdown.py --update-golden``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from migrate.transform.markdown import WordPressConverter, close_paragraphs, html_to_markdown

from .conftest import ROOT

CASES = ROOT / "tests" / "cases" / "markdown"
SEPARATOR = "=== expected ===\n"


def render(markdown: str) -> str:
    """CommonMark with the extensions Hugo's Goldmark has on (tables, strikethrough, definition lists,
    footnotes) and raw HTML."""
    md = MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")
    return md.use(deflist_plugin).use(footnote_plugin).render(markdown)


def _cases() -> list[Path]:
    return sorted(CASES.glob("*.txt"))


@pytest.mark.parametrize("path", _cases(), ids=lambda p: p.stem)
def test_golden(path: Path, update_golden: bool) -> None:
    raw = path.read_text("utf-8")
    given, sep, expected = raw.partition("\n" + SEPARATOR)
    assert sep, f"{path.name}: no '{SEPARATOR.strip()}' line"
    got = html_to_markdown(given)
    if update_golden:
        path.write_text(given + "\n" + SEPARATOR + got, "utf-8")
        expected = got
    assert got == expected


@pytest.mark.parametrize("path", _cases(), ids=lambda p: p.stem)
def test_converting_the_rendered_output_again_changes_nothing(path: Path) -> None:
    given = path.read_text("utf-8").partition("\n" + SEPARATOR)[0]
    first = html_to_markdown(given)
    assert html_to_markdown(render(first)) == first


def test_figure_styles() -> None:
    html = '<figure><img src="a.jpg" alt="Alt" /><figcaption>Say "hi"</figcaption></figure>'
    assert html_to_markdown(html) == '![Alt](a.jpg)\n\n*Say "hi"*\n'
    assert html_to_markdown(html, figure_style="html") == (
        '<figure><img src="a.jpg" alt="Alt"><figcaption>Say "hi"</figcaption></figure>\n')
    assert html_to_markdown(html, figure_style="hugo") == '{{< figure src="a.jpg" alt="Alt" caption=`Say "hi"` >}}\n'
    with pytest.raises(ValueError):
        WordPressConverter(figure_style="nope")


def test_embeds_in_hugo_style_use_hugo_shortcodes() -> None:
    html = '<figure class="wp-embed" data-url="https://youtu.be/abcdefghijk"></figure>'
    assert html_to_markdown(html, figure_style="hugo") == "{{< youtube abcdefghijk >}}\n"
    assert '<iframe src="https://www.youtube.com/embed/abcdefghijk"' in html_to_markdown(html)


def test_no_shortcode_bracket_is_escaped() -> None:
    out = html_to_markdown("<p>[simple] and [gallery ids=\"1\"] stay as they were</p>")
    assert "\\[" not in out and "[simple]" in out


def test_paragraphs_close_where_a_browser_closes_them() -> None:
    assert close_paragraphs("<p>a<figure>f</figure></p>") == "<p>a</p><figure>f</figure>"
    assert close_paragraphs("<div><p>a</div>") == "<div><p>a</p></div>"


def test_subclass_adds_a_tag() -> None:
    class Mine(WordPressConverter):
        def convert_mark(self, el, text, parent_tags):
            return f"=={text}=="

    assert html_to_markdown("<p><mark>hi</mark></p>", Mine()) == "==hi==\n"


def test_subclass_overriding_process_text_is_used() -> None:
    class Shouting(WordPressConverter):
        def process_text(self, el, parent_tags=None):
            return super().process_text(el, parent_tags).upper()

    assert html_to_markdown("<p>hi <b>there</b></p>", Shouting()) == "HI **THERE**\n"
    assert html_to_markdown("<p>hi <b>there</b></p>") == "hi **there**\n"


def test_converts_a_beautifulsoup_tree_too() -> None:
    from bs4 import BeautifulSoup

    html = "<h2>T</h2><ul><li>a</li><li>b</li></ul><p>x <em>y</em></p>"
    converter = WordPressConverter()
    assert converter.convert_soup(BeautifulSoup(html, "lxml")) == converter.convert(html)
    assert WordPressConverter(bs4_options="html.parser").convert(html) == converter.convert(html)
