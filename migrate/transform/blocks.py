"""Block-editor content: ``<!-- wp:… -->`` comments read for what they carry, then dropped.

The parser follows WordPress's ``WP_Block_Parser`` (the same token pattern, the same tree:
freeform HTML between blocks, each block's attributes, inner HTML and inner blocks), and rendering
follows ``render_block()``: a block's output is its saved HTML with its inner blocks' output in
place, unless a method says otherwise. One method per block, found by name like the shortcodes'::

    class MySite(BlockRenderer):
        def block_acme_slider(self, block: Block) -> str:     # <!-- wp:acme/slider -->
            return self.inner_html(block)

``core/`` blocks are ``block_<name>`` (``core/media-text`` → ``block_media_text``), other
namespaces ``block_<namespace>_<name>``. What the blocks carry is used: a code block's language,
an embed's URL, a reusable block's ``wp_block`` post, the footnotes kept in post meta, the more
and page-break markers. Blocks whose output is the site's other content or the visitor's state
(latest posts, archives, search forms, query loops, comment forms…; :data:`SITE_BLOCKS`) cannot
be written as the post's Markdown: they are dropped and counted.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .autop import wpautop
from .shortcodes import attr, embed_html

#: WordPress's block comment pattern (``WP_Block_Parser::next_token``). Its attributes are everything up to the
#: first "}" followed by whitespace and "-->" (PHP: ``(?:(?:[^}]+|}+(?=})|(?!}\s+\/?-->).)*+)?``, a possessive
#: loop, which CPython before 3.11.5 matches otherwise): written as a loop that can stop only there, so that
#: giving part of it back never matches either, on every Python.
BLOCK_TOKEN = re.compile(
    r"<!--\s+(?P<closer>/)?wp:(?P<namespace>[a-z][a-z0-9_-]*/)?(?P<name>[a-z][a-z0-9_-]*)\s+"
    r"(?P<attrs>\{(?:[^}]++|\}(?!\s+/?-->))*\}\s+)?(?P<void>/)?-->",
    re.DOTALL,
)

#: Core blocks whose output comes from the site's database or the visitor, not from the post.
SITE_BLOCKS = frozenset(
    "core/" + name
    for name in [
        "archives", "avatar", "calendar", "categories", "latest-comments", "latest-posts", "loginout", "navigation",
        "navigation-link", "navigation-submenu", "page-list", "page-list-item", "pattern", "read-more", "rss", "search",
        "site-logo", "site-tagline", "site-title", "tag-cloud", "template-part", "term-description", "query",
        "query-title", "query-pagination", "query-pagination-next", "query-pagination-previous",
        "query-pagination-numbers", "query-no-results", "post-template", "post-title", "post-date", "post-excerpt",
        "post-featured-image", "post-terms", "post-author", "post-author-name", "post-author-biography",
        "post-navigation-link", "post-comments-form", "post-content", "comments", "comments-title",
        "comments-pagination", "comments-pagination-next", "comments-pagination-previous",
        "comments-pagination-numbers", "comment-template", "comment-author-name", "comment-content", "comment-date",
        "comment-edit-link", "comment-reply-link", "home-link", "legacy-widget", "widget-group"
    ]
)


def has_blocks(content: str) -> bool:
    """WordPress's ``has_blocks()``: the content was written in the block editor."""
    return "<!-- wp:" in content


@dataclass
class Block:
    """One parsed block; ``name`` is None for freeform HTML between blocks."""

    name: str | None
    attrs: dict[str, Any] = field(default_factory=dict)
    inner: list[Block] = field(default_factory=list)
    content: list[str | None] = field(default_factory=list)  # HTML pieces; None where an inner block goes

    @property
    def inner_html(self) -> str:
        return "".join(c for c in self.content if c is not None)


def _attrs(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


@dataclass
class _Frame:
    block: Block
    start: int  # where the block's opening comment starts
    resume: int  # where the block's next HTML starts


def parse_blocks(document: str) -> list[Block]:
    """``parse_blocks()``: the top-level blocks of ``document``, freeform HTML included."""
    output: list[Block] = []
    stack: list[_Frame] = []
    offset = 0  # end of what the top level has taken

    def freeform(text: str) -> None:
        if text:
            output.append(Block(None, content=[text]))

    def add_html(frame: _Frame, until: int) -> None:
        text = document[frame.resume:until]
        if text:
            frame.block.content.append(text)

    for m in BLOCK_TOKEN.finditer(document):
        start, end = m.span()
        if m.group("closer"):
            if not stack:  # a closer with no opener: WordPress gives up and keeps the rest as HTML
                freeform(document[offset:])
                return output
            frame = stack.pop()
            add_html(frame, start)
            if stack:
                parent = stack[-1]
                parent.block.content.append(None)
                parent.block.inner.append(frame.block)
                parent.resume = end
            else:
                output.append(frame.block)
                offset = end
            continue
        block = Block((m.group("namespace") or "core/") + m.group("name"), _attrs(m.group("attrs")))
        if stack:
            parent = stack[-1]
            add_html(parent, start)
            if m.group("void"):
                parent.block.content.append(None)
                parent.block.inner.append(block)
                parent.resume = end
            else:
                stack.append(_Frame(block, start, end))
            continue
        freeform(document[offset:start])
        if m.group("void"):
            output.append(block)
            offset = end
        else:
            stack.append(_Frame(block, start, end))
    if not stack:
        freeform(document[offset:])
        return output
    # Unclosed blocks: WordPress ends each with the rest of the document, at the top level.
    first_start = stack[0].start
    freeform(document[offset:first_start])
    while stack:
        frame = stack.pop()
        add_html(frame, len(document))
        output.append(frame.block)
    return output


_FIGCAPTION = re.compile(r"<figcaption[^>]*>(.*?)</figcaption>", re.DOTALL | re.IGNORECASE)


class BlockRenderer:
    """Renders parsed blocks to HTML, one ``block_<name>`` method per block that needs one."""

    #: Nesting limit for reusable blocks that include each other.
    MAX_DEPTH = 10

    def __init__(self, post: Any = None, index: Any = None,
                 count: Callable[[str, str], None] | None = None) -> None:
        self.post = post
        self.index = index
        self._count = count or (lambda name, key: None)
        self._depth = 0

    def count(self, name: str, key: str) -> None:
        self._count(name, key)

    def render(self, content: str) -> str:
        """``do_blocks()``: the HTML of every block of ``content``."""
        return "".join(self.render_block(b) for b in parse_blocks(content))

    def method(self, name: str) -> Callable[[Block], str] | None:
        namespace, _, short = name.partition("/")
        key = short if namespace == "core" else f"{namespace}_{short}"
        return getattr(self, "block_" + re.sub(r"[^a-z0-9_]", "_", key), None)

    def render_block(self, block: Block) -> str:
        if block.name is None:
            return block.inner_html
        if block.name in SITE_BLOCKS:
            self.count("site blocks dropped", block.name.removeprefix("core/"))
            return ""
        fn = self.method(block.name)
        if fn is not None:
            return fn(block)
        if not block.name.startswith(("core/", "core-embed/")):
            self.count("plugin blocks", block.name)
        return self.inner_html(block)

    def inner_html(self, block: Block) -> str:
        """The block's saved HTML with its inner blocks rendered in place (a static block)."""
        out: list[str] = []
        inner = iter(block.inner)
        for piece in block.content:
            if piece is None:
                child = next(inner, None)
                if child is not None:
                    out.append(self.render_block(child))
            else:
                out.append(piece)
        return "".join(out)

    # -- blocks that carry something

    def block_block(self, block: Block) -> str:
        """A reusable block: the content of the ``wp_block`` post it refers to."""
        ref = block.attrs.get("ref")
        source = self.index.reusable_blocks.get(ref) if self.index is not None and isinstance(ref, int) else None
        if source is None or self._depth >= self.MAX_DEPTH:
            self.count("missing reusable blocks", str(ref))
            return ""
        self._depth += 1
        try:
            return self.render(source)
        finally:
            self._depth -= 1

    def block_shortcode(self, block: Block) -> str:
        """``render_block_core_shortcode()``: the shortcode text, with paragraphs."""
        return wpautop(block.inner_html)

    def block_code(self, block: Block) -> str:
        """A code block: its language from the attributes (plugins store it there) onto ``<code>``."""
        out = self.inner_html(block)
        language = block.attrs.get("language") or block.attrs.get("lang")
        if isinstance(language, str) and re.fullmatch(r"[\w+#.-]+", language) and "<code" in out:
            out = re.sub(r"<code(?![^>]*\bclass=)", f'<code class="language-{language.lower()}"', out, count=1)
        return out

    def block_embed(self, block: Block) -> str:
        """An embed: its URL (WordPress fetches the player with oEmbed) and its caption."""
        saved = self.inner_html(block)
        url = block.attrs.get("url")
        if not isinstance(url, str) or not url:
            m = re.search(r"https?://[^\s<>\"]+", saved)
            url = html.unescape(m.group(0)) if m else ""
        if not url:
            return saved
        caption = _FIGCAPTION.search(saved)
        return embed_html(url, caption.group(1) if caption else "")

    def block_social_link(self, block: Block) -> str:
        """``render_block_core_social_link()``: a link to the profile, labelled with the service."""
        url = block.attrs.get("url")
        if not isinstance(url, str) or not url.strip():
            return ""
        service = str(block.attrs.get("service") or "")
        label = block.attrs.get("label") or SOCIAL_SERVICES.get(service, "Share Icon")
        if service == "mail" and "@" in url and not url.startswith("mailto:"):
            url = "mailto:" + url
        return f'<li class="wp-social-link"><a href="{attr(url)}">{html.escape(str(label), quote=False)}</a></li>'

    def block_footnotes(self, block: Block) -> str:
        """The footnotes list, from the ``footnotes`` post meta (WordPress 6.3+)."""
        notes = _footnotes(self.post)
        if not notes:
            return ""
        items = "".join(
            f'<li id="{attr(n["id"])}">{n.get("content", "")} <a href="#{attr(n["id"])}-link">\u21a9\ufe0e</a></li>'
            for n in notes
        )
        return f'<ol class="wp-block-footnotes">{items}</ol>'


def _footnotes(post: Any) -> list[dict[str, Any]]:
    raw = post.meta_value("footnotes", "") if post is not None else ""
    try:
        notes = json.loads(raw) if isinstance(raw, str) and raw else raw
    except ValueError:
        return []
    if not isinstance(notes, list):
        return []
    return [n for n in notes if isinstance(n, dict) and isinstance(n.get("id"), str)]


#: Block names that WordPress's embed variations and the old ``core-embed/*`` blocks use.
for _provider in [
    "youtube", "twitter", "facebook", "instagram", "wordpress", "soundcloud", "spotify", "flickr", "vimeo", "animoto",
    "cloudup", "collegehumor", "crowdsignal", "dailymotion", "imgur", "issuu", "kickstarter", "meetup-com", "mixcloud",
    "polldaddy", "reddit", "reverbnation", "screencast", "scribd", "slideshare", "smugmug", "speaker", "speaker-deck",
    "tiktok", "ted", "tumblr", "videopress", "wordpress-tv", "amazon-kindle", "pinterest", "wolfram-cloud"
]:
    setattr(BlockRenderer, "block_core_embed_" + _provider.replace("-", "_"), BlockRenderer.block_embed)


#: ``block_core_social_link_services()``'s names of the services (what the link says).
SOCIAL_SERVICES = {
    "fivehundredpx": "500px", "amazon": "Amazon", "bandcamp": "Bandcamp", "behance": "Behance",
    "chain": "Link", "codepen": "CodePen", "deviantart": "DeviantArt", "dribbble": "Dribbble",
    "dropbox": "Dropbox", "etsy": "Etsy", "facebook": "Facebook", "feed": "RSS Feed", "flickr": "Flickr",
    "foursquare": "Foursquare", "goodreads": "Goodreads", "google": "Google", "github": "GitHub",
    "instagram": "Instagram", "lastfm": "Last.fm", "linkedin": "LinkedIn", "mail": "Mail",
    "mastodon": "Mastodon", "meetup": "Meetup", "medium": "Medium", "patreon": "Patreon",
    "pinterest": "Pinterest", "pocket": "Pocket", "reddit": "Reddit", "skype": "Skype",
    "snapchat": "Snapchat", "soundcloud": "SoundCloud", "spotify": "Spotify", "telegram": "Telegram",
    "tiktok": "TikTok", "tumblr": "Tumblr", "twitch": "Twitch", "twitter": "Twitter", "vimeo": "Vimeo",
    "vk": "VK", "wordpress": "WordPress", "whatsapp": "WhatsApp", "yelp": "Yelp", "youtube": "YouTube",
}
