"""Block-editor content (migrate/transform/blocks.py): read for what the blocks carry, then dropped."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from migrate.extract.wxr import ExportIndex
from migrate.model import Meta, Post
from migrate.transform.blocks import Block, BlockRenderer, parse_blocks
from migrate.transform.content import render_html, summary_of
from migrate.transform.markdown import html_to_markdown

from .test_shortcodes import Ctx

DOC = (
    "lead\n<!-- wp:paragraph {\"align\":\"center\"} -->\n<p>One</p>\n<!-- /wp:paragraph -->\n\n"
    "<!-- wp:columns --><div class=\"wp-block-columns\"><!-- wp:column --><div>c1</div><!-- /wp:column -->"
    "<!-- wp:spacer {\"height\":\"20px\"} /--></div><!-- /wp:columns -->\n<!-- wp:acme/thing /-->tail"
)


def _tree(blocks: list[Block]) -> list[dict[str, Any]]:
    return [{"blockName": b.name, "attrs": b.attrs, "innerHTML": b.inner_html,
             "innerContent": b.content, "innerBlocks": _tree(b.inner)} for b in blocks]


def _wp_tree(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"blockName": b["blockName"], "attrs": b["attrs"] or {}, "innerHTML": b["innerHTML"],
             "innerContent": b["innerContent"], "innerBlocks": _wp_tree(b["innerBlocks"])} for b in blocks]


def md(content: str, post: Post | None = None, index: ExportIndex | None = None) -> tuple[str, Ctx]:
    ctx = Ctx(index)
    return html_to_markdown(render_html(content, post or Post(id=1, content=content), ctx)), ctx


def test_parse_blocks_tree() -> None:
    blocks = parse_blocks(DOC)
    assert [b.name for b in blocks] == [None, "core/paragraph", None, "core/columns", None, "acme/thing", None]
    assert blocks[1].attrs == {"align": "center"}
    cols = blocks[3]
    assert [b.name for b in cols.inner] == ["core/column", "core/spacer"]
    assert cols.content == ['<div class="wp-block-columns">', None, None, "</div>"]


def test_parse_blocks_matches_wordpress(wordpress) -> None:
    for doc in (DOC, "<!-- wp:list --><ul><!-- wp:list-item --><li>a</li><!-- /wp:list-item --></ul>",
                "<!-- wp:group --><div>unclosed", "text <!-- /wp:paragraph --> stray closer"):
        theirs = wordpress.call("parse_blocks", doc)
        assert _tree(parse_blocks(doc)) == _wp_tree(theirs), doc


def test_no_block_comment_survives_and_html_stays() -> None:
    out, _ = md(DOC)
    assert "wp:" not in out
    assert out == "lead\n\nOne\n\nc1\n\ntail\n"


def test_code_language_embed_and_page_markers() -> None:
    out, _ = md(
        '<!-- wp:code {"language":"php"} --><pre class="wp-block-code"><code>&lt;?php echo 1;</code></pre><!-- /wp:code -->'
        '<!-- wp:embed {"url":"https://vimeo.com/123","providerNameSlug":"vimeo"} --><figure class="wp-block-embed">'
        '<div class="wp-block-embed__wrapper">\nhttps://vimeo.com/123\n</div><figcaption>My film</figcaption></figure>'
        "<!-- /wp:embed --><!-- wp:more --><!--more--><!-- /wp:more -->"
        "<!-- wp:nextpage --><!--nextpage--><!-- /wp:nextpage --><!-- wp:paragraph --><p>Two</p><!-- /wp:paragraph -->"
    )
    assert out == (
        "```php\n<?php echo 1;\n```\n\n"
        '<iframe src="https://player.vimeo.com/video/123" width="640" height="360" frameborder="0" allowfullscreen>'
        "</iframe>\n\nMy film\n\n<!--more-->\n\n---\n\nTwo\n"
    )


def test_reusable_block_is_inlined_and_site_blocks_are_dropped_and_counted() -> None:
    index = ExportIndex(reusable_blocks={7: "<!-- wp:paragraph --><p>Shared</p><!-- /wp:paragraph -->"})
    out, ctx = md('<!-- wp:block {"ref":7} /--><!-- wp:latest-posts /--><!-- wp:block {"ref":8} /-->', index=index)
    assert out == "Shared\n"
    assert ctx.counts["site blocks dropped"] == Counter({"latest-posts": 1})
    assert ctx.counts["missing reusable blocks"] == Counter({"8": 1})


def test_footnotes_come_from_post_meta() -> None:
    notes = json.dumps([{"id": "n1", "content": "A <em>note</em>"}])
    content = ('<!-- wp:paragraph --><p>Text<sup data-fn="n1" class="fn"><a href="#n1" id="n1-link">1</a></sup></p>'
               "<!-- /wp:paragraph --><!-- wp:footnotes /-->")
    out, _ = md(content, Post(id=1, content=content, meta=(Meta("footnotes", notes),)))
    assert out == "Text[^1]\n\n[^1]: A *note*\n"


def test_shortcode_block_and_wpautop_skipped_for_block_posts() -> None:
    out, _ = md("<!-- wp:shortcode -->\n[caption width=\"10\" caption=\"c\"]<img src=\"a.jpg\" alt=\"\" />[/caption]\n"
                "<!-- /wp:shortcode -->\n\nfree\ntext")
    assert out == "![](a.jpg)\n\n*c*\n\nfree text\n"


def test_a_site_adds_its_own_block_by_subclassing() -> None:
    class Site(BlockRenderer):
        def block_acme_thing(self, block: Block) -> str:
            return "<p>acme!</p>"

    html = render_html(DOC, Post(id=1), Ctx(), blocks=Site)
    assert "acme!" in html_to_markdown(html)


def test_summary_is_the_excerpt_else_the_text_before_more() -> None:
    post = Post(id=1, content="First *part*\n\n<!--more Keep reading-->\n\nSecond")
    assert summary_of(post) == "First \\*part\\*"
    assert summary_of(Post(id=1, content="a<!--more-->b", excerpt="The <b>excerpt</b>")) == "The **excerpt**"
    assert summary_of(Post(id=1, content="no more tag")) == ""
