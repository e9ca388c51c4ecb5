"""Post content → rendered HTML → Markdown body, and the summary, the way WordPress showed them."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from ..model import Post
from .autop import shortcode_unautop, wpautop
from .markdown import html_to_markdown

# A block-editor comment: <!-- wp:paragraph --> (WordPress skips wpautop for such posts).
_HAS_BLOCKS = re.compile(r"<!--\s+wp:")


def has_blocks(content: str) -> bool:
    """True when the content was written in the block editor."""
    return bool(_HAS_BLOCKS.search(content))


def render_html(content: str) -> str:
    """The HTML WordPress renders from stored content: paragraphs added to classic content."""
    if has_blocks(content):
        return content
    return shortcode_unautop(wpautop(content))


def render(post: Post, ctx: Any = None) -> Post:
    """Stage: ``content`` → ``html``, what a reader of the old site saw."""
    return replace(post, html=render_html(post.content))


def to_markdown(post: Post, ctx: Any = None) -> Post:
    """Stage: ``html`` → Markdown ``body``."""
    html = post.html if post.html is not None else render_html(post.content)
    return replace(post, body=html_to_markdown(html))


def summary_of(post: Post) -> str:
    """The summary from the post's excerpt, as Markdown."""
    if not post.excerpt.strip():
        return ""
    return html_to_markdown(render_html(post.excerpt)).strip()
