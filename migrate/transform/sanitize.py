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
* :func:`needs_raw_html` — whether Markdown holds raw HTML, so Hugo's configuration allows it only then.
"""

from __future__ import annotations

import functools
import html
import re

import nh3

from ..errors import MigrateError

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
