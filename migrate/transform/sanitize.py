"""What untrusted content may leave in the output: one policy, enforced with nh3 (ammonia's HTML sanitiser).

Post bodies reach the output as Markdown that the converter writes itself: text is escaped, unknown tags
give their text, and raw HTML is written only by its own ``convert_<tag>`` methods (players, ``<details>``,
``<sup>``…). What can still carry a script is a URL (a link, an image, a player's source, a commenter's
``author_url``), an ``<iframe>``/``<object>``/``<embed>`` and text a generator runs as a template. So:

* :func:`safe_url` / :func:`allowed_url` — allowed are ``http``, ``https``, ``mailto``, relative URLs and fragments,
  judged by nh3's URL policy (a WHATWG parse: case, whitespace and control characters inside the scheme count) on the
  URL and on every form a renderer could decode it to (HTML entities as in ``&#106;avascript:`` or
  ``javascript&colon;``, Markdown backslash escapes);
* :func:`clean_inline_html` — a comment's HTML reduced to a small inline subset (links checked the same
  way) before it is converted;
* template text: the converter escapes ``{{<`` and ``{{%`` (Hugo shortcodes) in text, and breaks them in
  code; a Jekyll document that holds ``{{`` or ``{%`` is marked ``render_with_liquid: false``;
* :func:`needs_raw_html` — whether Markdown holds raw HTML, so Hugo's configuration allows it only then;
* :func:`clean_body_html` — the HTML ``publish`` renders from a folder's Markdown (which anyone may have edited)
  reduced to what the converter itself writes, unless ``--allow-unsafe-html`` trusts it (:func:`clean_post_fields`).
"""

from __future__ import annotations

import functools
import html
import re
from typing import Any

import nh3

from ..errors import MigrateError
from .embeds import embed_player

#: Schemes a link or a media source may have (besides relative URLs and fragments).
URL_SCHEMES = frozenset({"http", "https", "mailto"})

#: What a comment (or a caption kept as HTML) may keep: inline markup, quotes, lists and code, and links (checked).
INLINE_TAGS = frozenset({"a", "b", "strong", "i", "em", "code", "pre", "blockquote", "p", "br", "del", "s",
                          "strike", "ul", "ol", "li", "q", "cite", "abbr", "sup", "sub"})

_URL_CHECK = nh3.Cleaner(tags={"a"}, attributes={"a": {"href"}}, url_schemes=set(URL_SCHEMES), link_rel=None)
_INLINE_CLEANER = nh3.Cleaner(
    tags=set(INLINE_TAGS), attributes={"a": {"href", "title"}, "abbr": {"title"}},
    url_schemes=set(URL_SCHEMES), link_rel=None, strip_comments=True,
    clean_content_tags={"script", "style", "iframe", "object", "embed", "noscript", "template", "svg", "math",
                        "textarea", "select", "video", "audio"})

_BACKSLASH_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def _allowed(url: str) -> bool:
    return 'href="' in _URL_CHECK.clean(f'<a href="{html.escape(url, quote=True)}">x</a>')


@functools.lru_cache(maxsize=4096)
def safe_url(url: str) -> bool:
    """Whether ``url`` (an attribute's value, entities already decoded once) is allowed as a link or a media
    source, also after a Markdown renderer or a browser decodes it again."""
    url = url.strip()
    # (most URLs: no decoding can change a scheme that is spelt out first, nor give one to a path)
    if not url or url.startswith(("https://", "http://", "/", "#", "?", "./", "../")):
        return True
    seen = set()
    form = url
    for _ in range(4):  # nested encodings (&amp;#106;…) decode a step at a time
        if form in seen:
            break
        seen.add(form)
        if not _allowed(form):
            return False
        form = html.unescape(_BACKSLASH_ESCAPE.sub(r"\1", form))
    return form in seen or _allowed(form)


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def allowed_url(url: str) -> str | None:
    """``url`` when :func:`safe_url`; else, as WordPress's kses does, the URL without its scheme when what is
    left is a web address of the page's own scheme (``ttps://host/x.mov``, a typo WordPress shows, gives
    ``//host/x.mov``); else None (``javascript:…``, ``data:…``: the link or source goes)."""
    url = url.strip()
    if safe_url(url):
        return url
    rest = _SCHEME.sub("", url, count=1)
    if rest.startswith("//") and not rest.startswith("///") and safe_url(rest):
        return rest
    return None


def clean_inline_html(text: str) -> str:
    """HTML nobody vouches for (a comment, a caption written out as HTML) with only :data:`INLINE_TAGS` left:
    scripts, players, forms and their content dropped; attributes dropped but a link's ``href``/``title``; a
    link with a scheme not allowed loses its ``href``."""
    return _INLINE_CLEANER.clean(text)


#: What a post's HTML may hold when it is not trusted (publish renders Markdown to it): what Markdown gives, and the
#: raw HTML the converter itself writes (players, figures, ``<details>``, ``<sup>``…); nothing that runs.
BODY_TAGS = INLINE_TAGS | frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "img", "hr", "table", "thead", "tbody",
                                     "tfoot", "tr", "th", "td", "figure", "figcaption", "iframe", "video", "audio",
                                     "source", "track", "details", "summary", "div", "span", "dl", "dt", "dd",
                                     "mark", "kbd", "small", "ins"})
_BODY_ATTRIBUTES = {
    "a": {"href", "title"}, "abbr": {"title"}, "img": {"src", "alt", "title", "width", "height"},
    "iframe": {"src", "width", "height", "title", "frameborder", "allowfullscreen"},
    "video": {"src", "poster", "controls", "width", "height", "loop", "autoplay", "muted", "preload"},
    "audio": {"src", "controls", "loop", "autoplay", "preload"}, "source": {"src", "type"},
    "track": {"src", "kind", "srclang", "label", "default"}, "ol": {"start"}, "code": {"class"},
    "details": {"open"}, "th": {"style"}, "td": {"style"}, "q": {"cite"}, "blockquote": {"cite"},
}


def _body_attribute(element: str, attribute: str, value: str) -> str | None:
    """nh3's hook on every attribute kept: URLs as :func:`safe_url` allows them (``poster`` too, which nh3 does
    not read as a URL); an ``<iframe>`` only from a video site the converter plays (:func:`.embeds.embed_player`:
    its own player URL)."""
    if attribute not in ("src", "href", "poster", "cite"):
        return value
    if not safe_url(value):
        return None
    if element == "iframe":

        player = embed_player(value)
        if player is None or value.split("?", 1)[0].rstrip("/") != player:
            return None
    return value


_BODY_CLEANER = nh3.Cleaner(
    tags=set(BODY_TAGS), attributes={k: set(v) for k, v in _BODY_ATTRIBUTES.items()},
    attribute_filter=_body_attribute, url_schemes=set(URL_SCHEMES), link_rel=None,
    strip_comments=False,  # (<!--more--> is WordPress's; a comment runs nothing)
    filter_style_properties={"text-align"},
    clean_content_tags={"script", "style", "noscript", "template", "svg", "math", "textarea", "select", "object",
                        "embed", "applet", "frameset", "noembed"})
# An <iframe> whose source was not allowed: nothing is left to show.
_EMPTY_IFRAME = re.compile(r"<iframe(?![^>]*\ssrc=)[^>]*>\s*</iframe>")


def clean_body_html(text: str) -> str:
    """A post's HTML nobody vouches for (what ``publish`` renders from a folder's Markdown) with only what the
    converter itself would write: :data:`BODY_TAGS`, their plain attributes, URLs :func:`safe_url` allows, players
    of the video sites it knows; scripts, styles, objects, forms and event handlers gone with their content. What
    the converter writes passes (as the same HTML, attributes and table bodies spelt out)."""
    out = _BODY_CLEANER.clean(text)
    return _EMPTY_IFRAME.sub("", out) if "<iframe" in out else out


#: The fields of a post sent to WordPress that hold HTML.
HTML_FIELDS = ("post_content", "post_excerpt")


def clean_post_fields(fields: dict[str, Any], trusted: bool = False) -> None:
    """The HTML fields of a post about to be sent to WordPress (:data:`HTML_FIELDS`) cleaned in place by
    :func:`clean_body_html`, and a title holding a tag (themes print titles as HTML) by :func:`clean_inline_html`,
    unless the site's markup is ``trusted`` (``--allow-unsafe-html``)."""
    if trusted:
        return
    for name in HTML_FIELDS:
        if isinstance(fields.get(name), str):
            fields[name] = clean_body_html(fields[name])
    title = fields.get("post_title")
    if isinstance(title, str) and "<" in title:
        fields["post_title"] = clean_inline_html(title)


# A tag of raw HTML in Markdown (an escaped "\<" is text; an autolink "<https:…>" is no tag).
_RAW_TAG = re.compile(r"(?<!\\)<[A-Za-z][A-Za-z0-9-]*(?=[\s/>])")


def needs_raw_html(markdown: str) -> bool:
    """Whether this Markdown holds raw HTML a generator must pass through (a player, ``<details>``…). Code that
    shows a tag counts too: the answer errs on the side of keeping what the output shows."""
    return "<" in markdown and _RAW_TAG.search(markdown) is not None


#: Hugo runs ``{{<`` and ``{{%`` anywhere in a content file as a shortcode, code included.
_HUGO_SHORTCODE = re.compile(r"\{(?=\{[<%])")
#: Liquid runs ``{{`` and ``{%`` anywhere in a Jekyll document.
_LIQUID = re.compile(r"\{[{%]")


def break_shortcodes_in_code(code: str) -> str:
    """Code (where no escape is read) with ``{{<``/``{{%`` broken by a zero-width space after the first brace:
    it shows the same, and Hugo no longer runs it."""
    return _HUGO_SHORTCODE.sub("{\u200b", code) if "{{" in code else code


def has_liquid(text: str) -> bool:
    """Whether Jekyll's Liquid would read something in this text."""
    return "{" in text and _LIQUID.search(text) is not None


# -- bounded work: how deep HTML nests, found from its tags before any parser builds a tree

#: Deeper than this, a document fails at once (the converter walks its tree by recursion; parsers and sanitisers
#: slow down more than linearly with depth: a 100,000-deep post took minutes).
MAX_NESTING = 500

_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)[^<>]*>")
# Elements that nest nothing (void), or that the parser closes by itself when a sibling starts: they add no depth.
_FLAT = frozenset("area base br col embed hr img input link meta param source track wbr p li dt dd tr td th "
                  "option optgroup thead tbody tfoot colgroup caption rb rt rp".split())


def nesting_depth_over(html: str, limit: int = MAX_NESTING) -> bool:
    """Whether ``html`` nests elements deeper than ``limit``, judged in one pass over its tags (open elements
    kept as an HTML parser keeps them: an end tag closes up to its element, a stray one does nothing)."""
    if html.count("<") <= limit:  # (most documents: fewer tags than the limit, no need to look)
        return False
    stack: list[str] = []
    open_names: dict[str, int] = {}
    for m in _TAG.finditer(html):
        name = m.group(2).lower()
        if name in _FLAT:
            continue
        if m.group(1):  # an end tag
            if open_names.get(name):
                while stack:
                    top = stack.pop()
                    open_names[top] -= 1
                    if top == name:
                        break
            continue
        if m.group(0).endswith("/>"):
            continue
        stack.append(name)
        open_names[name] = open_names.get(name, 0) + 1
        if len(stack) > limit:
            return True
    return False


def check_nesting(html: str, what: str = "its HTML") -> None:
    """Raise :class:`~migrate.errors.MigrateError` when ``html`` nests deeper than :data:`MAX_NESTING`."""
    if nesting_depth_over(html):
        raise MigrateError(f"{what} is nested too deeply to convert (elements inside elements, over "
                           f"{MAX_NESTING} levels down)", hint="close the HTML's tags in the post, or leave it out")
