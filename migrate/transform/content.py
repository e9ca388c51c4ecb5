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

from .. import fastpath
from ..context import Context, Options
from ..model import Post, evolve
from .autop import shortcode_unautop, wpautop
from .blocks import BlockRenderer, has_blocks
from .markdown import WordPressConverter, make_converter, overrides
from .quickblocks import html_to_markdown
from .shortcodes import ShortcodeRenderer, expand_code_shortcodes, expand_embeds

__all__ = [
    "has_blocks", "plain_prose_markdown", "render", "render_comment_html", "render_html", "summary_of", "to_markdown",
]

#: WordPress's more tag: <!--more-->, <!--more Read on-->, as ``get_the_content()`` finds it.
MORE = re.compile(r"<!--more(.*?)?-->")


def _counter(ctx: Context | None) -> Callable[..., None] | None:
    return ctx.count if ctx is not None else None


def render_html(content: str, post: Post | None = None, ctx: Context | None = None, *,
                shortcodes: type[ShortcodeRenderer] | None = None,
                blocks: type[BlockRenderer] | None = None) -> str:
    """The HTML WordPress renders from stored content (see the module's doc). ``shortcodes``, ``blocks``: the
    renderer classes (default: the run's options' ``shortcodes`` and ``blocks``, else the package's own)."""
    index = ctx.index if ctx is not None else None
    count = _counter(ctx)
    if shortcodes is None or blocks is None:
        default_shortcodes, default_blocks = renderers(ctx)
        shortcodes = shortcodes or default_shortcodes
        blocks = blocks or default_blocks
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


def _options(ctx: Context | None) -> Options:
    """The run's options; the defaults for a bare call (no context, or a stand-in with only ``index`` and
    ``count``, as the render stage's tests give)."""
    options = getattr(ctx, "options", None)
    return options if isinstance(options, Options) else _DEFAULTS


_DEFAULTS = Options()


def renderers(ctx: Context | None) -> tuple[type[ShortcodeRenderer], type[BlockRenderer]]:
    """The shortcode and block renderer classes a run's options name (``shortcodes``, ``blocks``), else the
    package's own."""
    options = _options(ctx)
    return options.shortcodes or ShortcodeRenderer, options.blocks or BlockRenderer


def converter_for(ctx: Context | None) -> WordPressConverter:
    """The HTML → Markdown converter a run's options ask for: their ``converter`` class (a
    :class:`~.markdown.WordPressConverter` subclass; default: that class) with their ``converter_options``, the
    figure style and ``--allow-unsafe-html``. Raises :class:`~.markdown.ConverterOptionError` for an option the
    class does not know or does not honour."""
    options = _options(ctx)
    last = _LAST_CONVERTER
    if last and last[0] is options:  # every post of a run: the same options
        return last[1]
    made = make_converter(options.converter, {**options.converter_options, **_converter_options(ctx)})
    _LAST_CONVERTER[:] = [options, made]
    return made


_LAST_CONVERTER: list[Any] = []  # the options converter_for was last asked for, and its converter


#: What plain_prose_markdown stands for: a converter whose class replaces none of these methods, and a shortcode
#: renderer whose class keeps its render() (plain prose holds no "[", so no shortcode of the package's matches).
_PROSE_METHODS = ("convert", "convert_soup", "process_tag", "process_element", "process_text", "escape_text",
                  "convert_p", "convert_br", "convert_hN")


def prose_path_valid(converter: WordPressConverter, shortcodes: type[ShortcodeRenderer] = ShortcodeRenderer) -> bool:
    """Is :func:`plain_prose_markdown` still what this converter and shortcode renderer would give plain prose?
    (Not when a subclass replaces a method it stands for, or converter options change what they write.)"""
    return (not overrides(type(converter), *_PROSE_METHODS)
            and shortcodes.render is ShortcodeRenderer.render
            and converter.options.get("strip") is None and converter.options.get("convert") is None)


def _converter_options(ctx: Context | None) -> dict[str, Any]:
    """The converter's options a run's context sets: the figure style, and whether the site's own markup is
    trusted (``--allow-unsafe-html``)."""
    options = _options(ctx)
    return {"figure_style": options.figure_style or "markdown", "unsafe_html": options.allow_unsafe_html}


def to_markdown(post: Post, ctx: Context | None = None) -> Post:
    """Stage: ``html`` → Markdown ``body``."""
    html = post.html if post.html is not None else render_html(post.content, post, ctx)
    return evolve(post, body=html_to_markdown(html, converter_for(ctx)))


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
    converter = converter_for(ctx)
    shortcodes, blocks = renderers(ctx)
    # Plain prose holds nothing render_html acts on but paragraphs: no "[", "<", "://" or tab.
    fast = plain_prose_markdown(source) if "\t" not in source and prose_path_valid(converter, shortcodes) else None

    def rendered() -> str:
        return html_to_markdown(render_html(source, post, None, shortcodes=shortcodes, blocks=blocks),
                                converter).strip()

    if fast is None:
        return rendered()
    if fastpath.CHECK:
        fastpath.check("content.plain_prose_markdown", source, fast, rendered)
    return fast


# Plain prose: lines that start with a letter and hold nothing Markdown or HTML would treat specially.
_PLAIN_PROSE = re.compile(r"[^\W\d_][\w ,.;:!?'’‘“”\"()%$–—-]*", re.UNICODE)


_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def plain_prose_markdown(text: str) -> str | None:
    """The Markdown of a text that is plain prose (most comments and excerpts are), without rendering it;
    None otherwise.

    Gives what autop and the converter give (stripped): paragraphs at blank lines, a hard break at a
    single newline, runs of spaces as one (tests/test_comments.py checks the two agree). Its characters
    leave the other steps of :func:`render_html` and :func:`render_comment_html` nothing to do (no "[",
    "<", "&" or "/"), except a tab, which callers keep from it. A fast path: with ``WP_MIGRATE_CHECK_FAST=1``
    (:mod:`migrate.fastpath`) its callers compare it with the rendering it stands for.
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
