"""Post content → rendered HTML → Markdown body, and the summary, the way WordPress showed them.

``render`` does what WordPress's ``the_content`` filters do, in their order: code shortcodes
first (their bodies are never given paragraphs), ``[embed]`` and URLs alone on a line
(``WP_Embed``), then blocks (``do_blocks``) for block-editor posts or ``wpautop`` and
``shortcode_unautop`` for classic ones (WordPress never runs both), then every other shortcode
(``do_shortcode``). ``wptexturize``'s curly quotes and dashes are left to the site generator.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ..context import Context, Options
from ..model import Post, evolve
from .autop import shortcode_unautop, wpautop
from .blocks import BlockRenderer, has_blocks
from .markdown import html_to_markdown
from .shortcodes import ShortcodeRenderer, expand_code_shortcodes, expand_embeds

__all__ = [
    "has_blocks", "plain_prose_markdown", "render", "render_comment_html", "render_html", "summary_of", "to_markdown",
]

#: WordPress's more tag: <!--more-->, <!--more Read on-->, as ``get_the_content()`` finds it.
MORE = re.compile(r"<!--more(.*?)?-->")


def _counter(ctx: Context | None) -> Callable[..., None] | None:
    return ctx.count if ctx is not None else None


def render_html(content: str, post: Post | None = None, ctx: Context | None = None, *,
                shortcodes: type[ShortcodeRenderer] = ShortcodeRenderer,
                blocks: type[BlockRenderer] = BlockRenderer) -> str:
    """The HTML WordPress renders from stored content (see the module's doc)."""
    index = ctx.index if ctx is not None else None
    count = _counter(ctx)
    sc = shortcodes(post, index, count)
    text = expand_code_shortcodes(content, sc)
    text = expand_embeds(text, sc)
    if has_blocks(content):
        text = blocks(post, index, count).render(text)
    else:
        text = wpautop(text)
    text = shortcode_unautop(text, _unautop_tags(sc))
    return sc.render(text)


def _unautop_tags(sc: ShortcodeRenderer) -> tuple[str, ...]:
    return tuple(sc.handled())


def render(post: Post, ctx: Context | None = None) -> Post:
    """Stage: ``content`` → ``html``, what a reader of the old site saw. A post whose ``html`` the source
    already gives (a site's rendered pages, the public REST API) is not rendered again."""
    if post.html is not None:
        return post
    return evolve(post, html=render_html(post.content, post, ctx))


def _converter_options(ctx: Context | None) -> dict[str, Any]:
    """The converter's options a run's context sets: the figure style, and whether the site's own markup is
    trusted (``--allow-unsafe-html``)."""
    options = ctx.options if ctx is not None else Options()
    return {"figure_style": options.figure_style or "markdown", "unsafe_html": options.allow_unsafe_html}


def to_markdown(post: Post, ctx: Context | None = None) -> Post:
    """Stage: ``html`` → Markdown ``body``."""
    html = post.html if post.html is not None else render_html(post.content, post, ctx)
    return evolve(post, body=html_to_markdown(html, **_converter_options(ctx)))


def summary_of(post: Post, ctx: Context | None = None) -> str:
    """The summary, as Markdown: the post's excerpt, else its text before ``<!--more-->``."""
    if post.excerpt.strip():
        source = post.excerpt
    else:
        m = MORE.search(post.content)
        if not m:
            return ""
        source = post.content[: m.start()]
        if not source.strip():
            return ""
    # Plain prose holds nothing render_html acts on but paragraphs: no "[", "<", "://" or tab.
    fast = plain_prose_markdown(source) if "\t" not in source else None
    if fast is not None:
        return fast
    return html_to_markdown(render_html(source, post, None), **_converter_options(ctx)).strip()


# Plain prose: lines that start with a letter and hold nothing Markdown or HTML would treat specially.
_PLAIN_PROSE = re.compile(r"[^\W\d_][\w ,.;:!?'’‘“”\"()%$–—-]*", re.UNICODE)


_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def plain_prose_markdown(text: str) -> str | None:
    """The Markdown of a text that is plain prose (most comments and excerpts are), without rendering it;
    None otherwise.

    Gives what autop and the converter give (stripped): paragraphs at blank lines, a hard break at a
    single newline, runs of spaces as one (tests/test_comments.py checks the two agree). Its characters
    leave the other steps of :func:`render_html` and :func:`render_comment_html` nothing to do (no "[",
    "<", "&" or "/"), except a tab, which callers keep from it.
    """
    paragraphs = []
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    for block in _BLANK_LINE.split(text.strip()):
        lines = [" ".join(line.split()) for line in block.split("\n")]
        lines = [line for line in lines if line]
        if not lines:
            continue
        if any(not _PLAIN_PROSE.fullmatch(line) for line in lines):
            return None
        paragraphs.append("\\\n".join(lines))
    return "\n\n".join(paragraphs)


# make_clickable()'s first case, simplified: a URL after whitespace (or at the start), outside tags.
_BARE_URL = re.compile(r"(^|[\s>(])((?:https?|ftp)://[^\s<>\"']+[^\s<>\"'.,;:!?)\]])", re.IGNORECASE)


def render_comment_html(text: str) -> str:
    """A comment's body as WordPress shows it (the ``comment_text`` filters): bare URLs made links
    (``make_clickable``) and paragraphs (``wpautop``). WordPress runs no shortcodes in comments,
    so ``[caption]`` there stays text, as readers saw it."""
    return wpautop(_make_clickable(text))


def _make_clickable(text: str) -> str:
    if "://" not in text:
        return text
    out: list[str] = []
    depth_a = 0
    for piece in re.split(r"(<[^>]*>)", text):
        if piece.startswith("<"):
            lower = piece.lower()
            if lower.startswith("<a ") or lower == "<a>":
                depth_a += 1
            elif lower.startswith("</a"):
                depth_a = max(0, depth_a - 1)
            out.append(piece)
        elif depth_a:
            out.append(piece)
        else:
            out.append(_BARE_URL.sub(lambda m: f'{m.group(1)}<a href="{m.group(2)}" rel="nofollow">{m.group(2)}</a>',
                                     piece))
    return "".join(out)
