"""Shortcodes (migrate/transform/shortcodes.py): WordPress's grammar, one method per shortcode."""

from __future__ import annotations

from collections import Counter

import pytest

from migrate.extract.wxr import Attachment, ExportIndex
from migrate.model import Post
from migrate.transform.content import render_comment_html, render_html
from migrate.transform.markdown import html_to_markdown
from migrate.transform.shortcodes import Shortcode, ShortcodeRenderer, parse_atts


class Ctx:
    """The bits of pipeline.Context the render stage uses."""

    def __init__(self, index: ExportIndex | None = None) -> None:
        self.index = index or ExportIndex()
        self.counts: dict[str, Counter[str]] = {}

    def count(self, name: str, key: str, n: int = 1) -> None:
        self.counts.setdefault(name, Counter())[key] += n


def index_with_images() -> ExportIndex:
    idx = ExportIndex()
    for i, name in ((11, "a.jpg"), (12, "b.jpg"), (13, "song.mp3")):
        url = f"https://example.org/uploads/{name}"
        idx.attachment_urls[i] = url
        idx.attachments[i] = Attachment(url=url, alt=f"alt {i}", caption=f"Caption {i}" if i == 11 else "",
                                        menu_order=20 - i)
        idx.attachments_by_parent.setdefault(5, []).append(i)
    return idx


def md(content: str, post_id: int = 5, ctx: Ctx | None = None) -> str:
    ctx = ctx or Ctx(index_with_images())
    return html_to_markdown(render_html(content, Post(id=post_id, content=content), ctx))


def test_parse_atts_like_wordpress() -> None:
    named, positional = parse_atts(' id="a" Width=\'300\' align=left "pos one" bare caption="x &lt; y"')
    assert named == {"id": "a", "width": "300", "align": "left", "caption": "x &lt; y"}
    assert positional == ("pos one", "bare")
    assert parse_atts(' x="a <b"')[0] == {"x": ""}


@pytest.mark.parametrize(
    "content",
    [
        '[caption id="attachment_1" align="aligncenter" width="300"]<img src="a.jpg" alt="Alt" /> The caption[/caption]',
        '[wp_caption width="300"]<img src="a.jpg" alt="Alt" /> The caption[/wp_caption]',
        '[caption width="300" caption="The caption"]<img src="a.jpg" alt="Alt" />[/caption]',
        '[caption width="300"]<a href="a.jpg"><img src="a.jpg" alt="Alt" /></a>\nThe\ncaption[/caption]',
    ],
    ids=["new", "wp_caption", "legacy-attribute", "linked-multiline"],
)
def test_every_caption_form_is_a_figure(content: str) -> None:
    out = md(content)
    assert "[caption" not in out and "[wp_caption" not in out and "\\[" not in out
    assert "![Alt](a.jpg)" in out
    assert "*The" in out and "caption*" in out


def test_caption_without_width_is_just_the_image() -> None:
    assert md('[caption caption="x"]<img src="a.jpg" alt="A" />[/caption]') == "![A](a.jpg)\n"


def test_gallery_with_ids_in_their_order() -> None:
    out = md('[gallery ids="12,11"]')
    assert out.index("b.jpg") < out.index("a.jpg")
    assert "![alt 11](https://example.org/uploads/a.jpg)" in out and "*Caption 11*" in out


def test_gallery_without_ids_shows_the_posts_images_by_menu_order() -> None:
    out = md("[gallery]")
    assert "song.mp3" not in out
    assert out.index("b.jpg") < out.index("a.jpg")  # menu_order 8 before 9
    assert md("[gallery]", post_id=99) == ""


def test_audio_video_embed_and_jetpack_videos() -> None:
    assert md('[audio src="https://x.org/a.mp3"]') == '<audio controls src="https://x.org/a.mp3"></audio>\n'
    assert "song.mp3" in md("[audio]")  # the post's first audio attachment
    assert md('[video mp4="v.mp4" poster="p.jpg" width="640" height="360"][/video]') == (
        '<video controls poster="p.jpg" width="640" height="360" src="v.mp4"></video>\n')
    assert 'src="https://www.youtube.com/embed/abcdefghijk"' in md("[embed]https://youtu.be/abcdefghijk[/embed]")
    assert 'src="https://www.youtube.com/embed/abcdefghijk"' in md("[youtube https://www.youtube.com/watch?v=abcdefghijk]")
    assert 'src="https://player.vimeo.com/video/123"' in md("[vimeo 123]")
    assert 'src="https://videopress.com/embed/tFnqC9XQ"' in md("[wpvideo tFnqC9XQ w=680]")
    assert md("Look:\n\nhttps://twitter.com/x/status/1\n\nend") == "Look:\n\n<https://twitter.com/x/status/1>\n\nend\n"


def test_code_shortcodes_keep_their_bodies() -> None:
    out = md('[code lang="php"]&lt;?php\necho 1;\n\nexit;[/code]')
    assert out == "```php\n<?php\necho 1;\n\nexit;\n```\n"
    assert md("[sourcecode language=\"css\"]a > b {}[/sourcecode]") == "```css\na > b {}\n```\n"
    assert md("[python]print('x')\n\nprint(2)[/python]") == "```python\nprint('x')\n\nprint(2)\n```\n"


def test_escaped_and_unknown_shortcodes() -> None:
    ctx = Ctx(index_with_images())
    out = md("[[caption]] shows a tag; [simple x=1] and [[simple]] stay", ctx=ctx)
    assert out == "[caption] shows a tag; [simple x=1] and [[simple]] stay\n"
    assert ctx.counts["unknown shortcodes"] == Counter({"simple": 1})


def test_shortcodes_inside_html_tags_and_comments_are_left_alone() -> None:
    out = render_html('<a title="[gallery]" href="x">y</a><!-- [gallery] -->', Post(id=5), Ctx(index_with_images()))
    assert '<a title="[gallery]" href="x">y</a><!-- [gallery] -->' in out


def test_a_site_adds_its_own_shortcode_by_subclassing() -> None:
    class Site(ShortcodeRenderer):
        def shortcode_pullquote(self, sc: Shortcode) -> str:
            return f"<blockquote>{self.render(sc.content or '')}</blockquote>"

    html = render_html("[pullquote]Wise [[words]][/pullquote]", Post(id=1), Ctx(), shortcodes=Site)
    assert html_to_markdown(html) == "> Wise [[words]]\n"
    assert "pullquote" in Site.handled() and "pullquote" not in ShortcodeRenderer.handled()


def test_comment_html_gets_paragraphs_and_links_but_no_shortcodes() -> None:
    out = render_comment_html("Hi\n\nsee https://x.org/a and [gallery]")
    assert out == '<p>Hi</p>\n<p>see <a href="https://x.org/a" rel="nofollow">https://x.org/a</a> and [gallery]</p>\n'


def test_matches_wordpress_do_shortcode_for_the_grammar(wordpress) -> None:
    """Unknown tags, [[escapes]] and attribute parsing, checked against WordPress itself."""
    texts = ["[[caption]]", "[unknown a=1]", "[[gallery ids=1]]", "a [caption] b"]
    theirs = wordpress.apply_many("do_shortcode", [t.replace("[caption]", "[caption][/caption]") for t in texts[:3]])
    ours = [ShortcodeRenderer().render(t.replace("[caption]", "[caption][/caption]")) for t in texts[:3]]
    assert ours[:2] == theirs[:2]
    atts = wordpress.call("shortcode_parse_atts", ' id="a" Width=\'300\' align=left "pos one" bare')
    named, positional = parse_atts(' id="a" Width=\'300\' align=left "pos one" bare')
    assert atts == {**named, "0": positional[0], "1": positional[1]} or atts == {**named, **dict(enumerate(positional))}
