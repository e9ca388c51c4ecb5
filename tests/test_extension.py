"""Extension through Options: a converter, shortcode and block renderer classes of one's own reach every post of a
run made with the library API; options the converter does not honour are refused before anything is written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from markdownify import SETEXT, UNDERLINED

from migrate import pipeline
from migrate.extract.wxr import read_wxr
from migrate.model import Post
from migrate.pipeline import Options
from migrate.transform.blocks import Block, BlockRenderer
from migrate.transform.content import converter_for, summary_of
from migrate.transform.markdown import ConverterOptionError, WordPressConverter, html_to_markdown
from migrate.transform.shortcodes import Shortcode, ShortcodeRenderer

from .conftest import SAMPLE
from .wxrfactory import item, write_wxr


class ImagesAsLinks(WordPressConverter):
    """A site that wants its images as plain links to them."""

    def convert_img(self, el: Any, text: str, parent_tags: Any) -> str:
        return f"[image: {el.get('alt') or 'untitled'}]({el.get('src')})"


class LoudParagraphs(WordPressConverter):
    def convert_p(self, el: Any, text: str, parent_tags: Any) -> str:
        return f"\n\nP> {text.strip()}\n\n" if text.strip() else ""


class Spoilers(ShortcodeRenderer):
    def shortcode_spoiler(self, sc: Shortcode) -> str:
        return f"<details><summary>Spoiler</summary>{sc.content or ''}</details>"


class RatingBlock(BlockRenderer):
    def block_films_rating(self, block: Block) -> str:
        return f"<p>Rated {block.attrs.get('stars', 0)} of 5</p>"


def body(path: Path) -> str:
    return path.read_text("utf-8").split("---\n", 2)[2]


@pytest.fixture
def export(tmp_path: Path) -> Path:
    return write_wxr(tmp_path / "e.xml", [
        item(1, "Pictures", slug="pictures",
             content='Intro paragraph.\n\n<img src="https://films.example.org/a.jpg" alt="A still">\n\nLast words.'),
        item(2, "Spoiled", slug="spoiled", content="Before.\n\n[spoiler]The butler did it.[/spoiler]"),
        item(3, "Rated", slug="rated",
             content='<!-- wp:paragraph -->\n<p>Good film.</p>\n<!-- /wp:paragraph -->\n\n'
                     '<!-- wp:films/rating {"stars":4} /-->'),
    ])


@pytest.mark.parametrize("jobs", [1, 2])
def test_classes_of_ones_own_reach_every_post(tmp_path: Path, export: Path, jobs: int) -> None:
    options = Options(converter=ImagesAsLinks, shortcodes=Spoilers, blocks=RatingBlock)
    report = pipeline.convert(read_wxr(export), tmp_path / "site", options=options, jobs=jobs)
    assert report.counts["failed"] == 0
    posts = tmp_path / "site" / "content" / "posts"
    assert "[image: A still](https://films.example.org/a.jpg)" in body(posts / "pictures.md")
    assert "<summary>Spoiler</summary>" in body(posts / "spoiled.md")
    assert "Rated 4 of 5" in body(posts / "rated.md")


def test_without_them_the_package_converts_as_before(tmp_path: Path, export: Path) -> None:
    pipeline.convert(read_wxr(export), tmp_path / "site")
    posts = tmp_path / "site" / "content" / "posts"
    assert "![A still](https://films.example.org/a.jpg)" in body(posts / "pictures.md")
    assert "[spoiler]" in body(posts / "spoiled.md")
    assert "Rated" not in body(posts / "rated.md")


def test_a_subclass_converts_every_paragraph_itself(tmp_path: Path) -> None:
    """Paragraphs, the sample's included, go through a subclass's convert_p (no path around it)."""
    pipeline.convert(read_wxr(SAMPLE), tmp_path / "site", options=Options(converter=LoudParagraphs))
    bodies = [body(f) for f in (tmp_path / "site" / "content" / "posts").glob("*.md")]
    assert sum("\nP> " in "\n" + b for b in bodies) >= len(bodies) // 2


def test_the_prose_fast_path_is_off_for_a_converter_it_does_not_stand_for() -> None:
    post = Post(id=1, title="t", excerpt="Plain words.\n\nMore of them.")
    ctx = type("Ctx", (), {"options": Options(converter=LoudParagraphs)})()
    assert summary_of(post) == "Plain words.\n\nMore of them."
    assert summary_of(post, ctx) == "P> Plain words.\n\nP> More of them."
    kept = type("Ctx", (), {"options": Options(converter=ImagesAsLinks)})()  # images only: the path stays
    assert summary_of(post, kept) == "Plain words.\n\nMore of them."


@pytest.mark.parametrize("option", [{"heading_style": SETEXT}, {"heading_style": UNDERLINED},
                                    {"strong_em_symbol": "_"}, {"newline_style": "spaces"},
                                    {"escape_underscores": True}, {"wrap": True}, {"autolinks": False},
                                    {"sup_symbol": "^"}, {"code_language": "python"}])
def test_options_the_converter_does_not_honour_are_refused(option: dict[str, object]) -> None:
    name = next(iter(option))
    with pytest.raises(ConverterOptionError, match=f"does not honour markdownify's option {name}"):
        WordPressConverter(**option)  # type: ignore[arg-type]


def test_the_value_it_writes_anyway_and_the_options_it_honours_are_taken() -> None:
    WordPressConverter(heading_style="atx", newline_style="backslash", escape_underscores=False)
    assert html_to_markdown("<ul><li>a</li></ul>", WordPressConverter(bullets="*")) == "* a\n"
    assert html_to_markdown("<p>a <b>b</b></p>", WordPressConverter(strip=["b"])) == "a b\n"


def test_unknown_options_are_refused() -> None:
    with pytest.raises(ConverterOptionError, match="has no option 'heading_styel'"):
        WordPressConverter(heading_styel="atx")  # type: ignore[arg-type]


def test_a_subclass_that_writes_headings_itself_may_take_heading_style() -> None:
    class Setext(WordPressConverter):
        def convert_hN(self, n: int, el: Any, text: str, parent_tags: Any) -> str:
            line = ("=" if n == 1 else "-") * len(text.strip())
            if self.options["heading_style"] != SETEXT:
                return super().convert_hN(n, el, text, parent_tags)
            return f"\n\n{text.strip()}\n{line}\n\n"

    assert html_to_markdown("<h1>Title</h1>", Setext(heading_style=SETEXT)) == "Title\n=====\n"


def test_a_run_with_an_option_not_honoured_stops_before_writing(tmp_path: Path, export: Path) -> None:
    options = Options(converter_options={"heading_style": SETEXT})
    with pytest.raises(ConverterOptionError, match="heading_style"):
        pipeline.convert(read_wxr(export), tmp_path / "site", options=options)
    assert not list((tmp_path / "site").rglob("*.md"))


def test_converter_options_reach_the_converter() -> None:
    ctx = type("Ctx", (), {"options": Options(converter=ImagesAsLinks, converter_options={"bullets": "+"},
                                              figure_style="hugo")})()
    made = converter_for(ctx)
    assert type(made) is ImagesAsLinks
    assert made.options["bullets"] == "+" and made.options["figure_style"] == "hugo"
    assert converter_for(ctx) is made  # made once
