"""WordPress shortcodes, expanded the way WordPress expands them, into HTML our Markdown converter knows.

WordPress's grammar is followed exactly (``get_shortcode_regex()``, ``shortcode_parse_atts()``,
``[[escaped]]`` forms, shortcodes inside HTML tags and comments left alone), and each known
shortcode has one method, found by name like markdownify's ``convert_<tag>``::

    class MySite(ShortcodeRenderer):
        def shortcode_pullquote(self, sc: Shortcode) -> str | None:
            return f"<blockquote>{self.render(sc.content or '')}</blockquote>"

A method returns HTML, or None to keep the shortcode's text as it is. A shortcode with no method
is kept verbatim and counted (``unknown shortcodes``). Hyphens in names become underscores in
method names (``[my-box]`` → ``shortcode_my_box``).

The HTML they return is plain and canonical: ``<figure><img><figcaption>`` for captions and
gallery items, ``<audio>``/``<video>`` with their sources, ``<figure class="wp-embed"
data-url="…">`` for embeds, ``<pre><code class="language-x">`` for code. ``markdown.py`` turns
that into Markdown (or into Hugo shortcodes, by option).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from .autop import wp_html_split

# ------------------------------------------------------------------------------------ grammar


@dataclass(frozen=True)
class Shortcode:
    """One shortcode as WordPress parses it."""

    name: str
    attrs: dict[str, str] = field(default_factory=dict)  # named attributes, names lower-cased
    positional: tuple[str, ...] = ()  # attributes without a name: [audio http://…] → ("http://…",)
    content: str | None = None  # between [name] and [/name]; None when self-closing
    raw: str = ""  # the shortcode's text as written

    def get(self, name: str, default: str = "") -> str:
        return self.attrs.get(name, default)


@lru_cache(maxsize=32)
def shortcode_regex(names: tuple[str, ...]) -> re.Pattern[str]:
    """WordPress's ``get_shortcode_regex()`` for these tag names (same groups, same matches)."""
    tagregexp = "|".join(re.escape(n) for n in names)
    return re.compile(
        r"\["  # Opening bracket.
        r"(\[?)"  # 1: Optional second opening bracket for escaping shortcodes: [[tag]].
        r"(" + tagregexp + r")"  # 2: Shortcode name.
        r"(?![\w-])"  # Not followed by word character or hyphen.
        r"("  # 3: Unroll the loop: Inside the opening shortcode tag.
        r"[^\]/]*"  # Not a closing bracket or forward slash.
        r"(?:/(?!\])[^\]/]*)*?"  # A forward slash not followed by a closing bracket, and more.
        r")"
        r"(?:"
        r"(/)"  # 4: Self closing tag...
        r"\]"  # ...and closing bracket.
        r"|"
        r"\]"  # Closing bracket.
        r"(?:"
        r"("  # 5: Unroll the loop: Optionally, anything between the opening and closing tags.
        r"[^\[]*+"  # Not an opening bracket.
        r"(?:\[(?!/\2\])[^\[]*+)*"  # An opening bracket not followed by the closing tag, and more.
        # (PHP's loop is possessive; the closing tag must follow it, so giving back part of it never matches: the
        # same match on every Python, which a possessive group is not before 3.11.5.)
        r")"
        r"\[/\2\]"  # Closing shortcode tag.
        r")?"
        r")"
        r"(\]?)",  # 6: Optional second closing bracket for escaping shortcodes: [[tag]].
        re.ASCII,
    )


# shortcode_parse_atts()'s pattern (get_shortcode_atts_regex()).
_ATTS_RE = re.compile(
    r"""([\w-]+)\s*=\s*"([^"]*)"(?:\s|$)"""
    r"""|([\w-]+)\s*=\s*'([^']*)'(?:\s|$)"""
    r"""|([\w-]+)\s*=\s*([^\s'"]+)(?:\s|$)"""
    r"""|"([^"]*)"(?:\s|$)"""
    r"""|'([^']*)'(?:\s|$)"""
    r"""|(\S+)(?:\s|$)""",
    re.ASCII,
)
_BALANCED_TAGS = re.compile(r"^[^<]*+(?:<[^>]*+>[^<]*+)*$")  # (given back, "<" is no end: no possessive needed)
_CSLASHES = re.compile(r"\\(x[0-9A-Fa-f]{1,2}|[0-7]{1,3}|.)", re.DOTALL)
_C_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}


def stripcslashes(text: str) -> str:
    """PHP's ``stripcslashes()``."""
    def repl(m: re.Match[str]) -> str:
        s = m.group(1)
        if s[0] == "x" and len(s) > 1:
            return chr(int(s[1:], 16))
        if s[0] in "01234567":
            return chr(int(s, 8) & 0xFF)
        return _C_ESCAPES.get(s, s)

    return _CSLASHES.sub(repl, text) if "\\" in text else text


def parse_atts(text: str) -> tuple[dict[str, str], tuple[str, ...]]:
    """``shortcode_parse_atts()``: named attributes (lower-cased names) and positional ones."""
    text = re.sub("[\u00a0\u200b]+", " ", text)
    named: dict[str, str] = {}
    positional: list[str] = []
    for m in _ATTS_RE.finditer(text):
        if m.group(1):
            named[m.group(1).lower()] = stripcslashes(m.group(2))
        elif m.group(3):
            named[m.group(3).lower()] = stripcslashes(m.group(4))
        elif m.group(5):
            named[m.group(5).lower()] = stripcslashes(m.group(6))
        elif m.group(7):
            positional.append(stripcslashes(m.group(7)))
        elif m.group(8):
            positional.append(stripcslashes(m.group(8)))
        elif m.group(9) is not None:
            positional.append(stripcslashes(m.group(9)))
    # Reject any unclosed HTML elements.
    for key, value in named.items():
        if "<" in value and not _BALANCED_TAGS.match(value):
            named[key] = ""
    positional = [v if "<" not in v or _BALANCED_TAGS.match(v) else "" for v in positional]
    return named, tuple(positional)


#: A shortcode-like opening tag (WordPress's first look: ``@\[([^<>&/\[\]\x00-\x20=]++)@``).
_TAG_NAME = re.compile(r"\[([^<>&/\[\]\x00-\x20=]++)")
#: An opening tag of any name that WordPress could register, not [[escaped]].
_ANY_TAG = re.compile(r"(?<!\[)\[([A-Za-z0-9_][\w-]*)(?=[\s\]/])", re.ASCII)

# Placeholders for brackets that must not be read as shortcodes (inside HTML tags and comments).
_LB, _RB = "\x00wpm-lb\x00", "\x00wpm-rb\x00"


def _protect_html(text: str) -> str:
    """Hide brackets inside HTML tags and comments, as WordPress's ``do_shortcodes_in_html_tags``
    does for anything it does not expand there."""
    if "<" not in text or "[" not in text:
        return text
    parts = wp_html_split(text)
    for i in range(1, len(parts), 2):
        if "[" in parts[i]:
            parts[i] = parts[i].replace("[", _LB).replace("]", _RB)
    return "".join(parts)


def _unprotect(text: str) -> str:
    return text.replace(_LB, "[").replace(_RB, "]")


# ------------------------------------------------------------------------------------ helpers

#: Languages that SyntaxHighlighter Evolved (and the WordPress.com code shortcode) register as
#: shortcodes of their own: [php]…[/php], [python]…[/python]. Name → language of the fence.
LANGUAGE_SHORTCODES: dict[str, str] = {
    "as3": "actionscript", "actionscript3": "actionscript", "bash": "bash", "shell": "bash", "sh": "bash",
    "c": "c", "cpp": "cpp", "c-sharp": "csharp", "csharp": "csharp", "coldfusion": "cfm", "css": "css",
    "delphi": "delphi", "pascal": "pascal", "diff": "diff", "patch": "diff", "erl": "erlang",
    "erlang": "erlang", "go": "go", "golang": "go", "groovy": "groovy", "haskell": "haskell",
    "html": "html", "java": "java", "javafx": "javafx", "javascript": "javascript", "js": "javascript",
    "jscript": "javascript", "json": "json", "latex": "latex", "matlab": "matlab", "objc": "objectivec",
    "perl": "perl", "pl": "perl", "php": "php", "powershell": "powershell", "ps": "powershell",
    "py": "python", "python": "python", "r": "r", "rails": "ruby", "ror": "ruby", "ruby": "ruby",
    "rb": "ruby", "scala": "scala", "sql": "sql", "swift": "swift", "tex": "latex", "vb": "vbnet",
    "vbnet": "vbnet", "xml": "xml", "xhtml": "xml", "xslt": "xml", "yaml": "yaml", "yml": "yaml",
}

#: Shortcodes whose bodies are code: expanded before wpautop (as SyntaxHighlighter does), so
#: paragraphs and line breaks are never added inside them.
CODE_SHORTCODES = ("code", "sourcecode", *LANGUAGE_SHORTCODES)

_AUDIO_EXTENSIONS = ("mp3", "ogg", "flac", "m4a", "wav")
_VIDEO_EXTENSIONS = ("mp4", "m4v", "webm", "ogv", "flv", "wmv", "mov")
_IMAGE_EXTENSIONS = ("jpg", "jpeg", "jpe", "gif", "png", "webp", "bmp", "tif", "tiff", "ico", "heic", "avif", "svg")


def extension(url: str) -> str:
    path = urlsplit(url).path if "://" in url else url.split("?", 1)[0]
    return path.rsplit(".", 1)[-1].lower() if "." in path.rsplit("/", 1)[-1] else ""


def attr(value: str) -> str:
    """An HTML attribute value, escaped."""
    return html.escape(value, quote=True)


def img_tag(src: str, alt: str = "", title: str = "", width: str = "", height: str = "") -> str:
    parts = [f'<img src="{attr(src)}" alt="{attr(alt)}"']
    if title:
        parts.append(f' title="{attr(title)}"')
    if width and width.isdigit():
        parts.append(f' width="{width}"')
    if height and height.isdigit():
        parts.append(f' height="{height}"')
    return "".join(parts) + " />"


def figure(inner: str, caption: str = "", cls: str = "") -> str:
    """A figure: ``inner`` (an image, maybe linked) and a caption (HTML)."""
    class_attr = f' class="{cls}"' if cls else ""
    cap = f"<figcaption>{caption}</figcaption>" if caption.strip() else ""
    return f"<figure{class_attr}>{inner}{cap}</figure>"


def embed_html(url: str, caption: str = "") -> str:
    """An embedded URL (oEmbed in WordPress): the converter writes the player or the link."""
    cap = f"<figcaption>{caption}</figcaption>" if caption.strip() else ""
    return f'<figure class="wp-embed" data-url="{attr(url)}">{cap}</figure>'


def media_html(kind: str, sources: Iterable[str], **attrs: str) -> str:
    """An ``<audio>`` or ``<video>`` element with ``controls`` and its sources."""
    sources = [s for s in dict.fromkeys(sources) if s]
    extra = "".join(f' {k}="{attr(v)}"' for k, v in attrs.items() if v)
    if len(sources) == 1:
        return f'<{kind} controls src="{attr(sources[0])}"{extra}></{kind}>'
    inner = "".join(f'<source src="{attr(s)}">' for s in sources)
    return f"<{kind} controls{extra}>{inner}</{kind}>"


# ------------------------------------------------------------------------------------ renderer


class ShortcodeRenderer:
    """Expands shortcodes with ``shortcode_<name>`` methods. Subclass it to add a site's own.

    ``post`` is the post being converted, ``index`` the export's :class:`ExportIndex` (attachments,
    for galleries and media) and ``count`` where unknown shortcodes are recorded.
    """

    def __init__(self, post: Any = None, index: Any = None,
                 count: Callable[[str, str], None] | None = None) -> None:
        self.post = post
        self.index = index
        self._count = count or (lambda name, key: None)

    # -- machinery

    @classmethod
    def handled(cls) -> tuple[str, ...]:
        """The shortcode names this class expands (from its ``shortcode_<name>`` methods)."""
        return _handled(cls)[0]

    @classmethod
    def _find_handled(cls) -> tuple[str, ...]:
        names = []
        for attr_name in dir(cls):
            if attr_name.startswith("shortcode_") and callable(getattr(cls, attr_name)):
                names.append(attr_name[len("shortcode_"):])
        names.extend(n for n in LANGUAGE_SHORTCODES if "shortcode_" + n.replace("-", "_") not in names)
        return tuple(sorted(names, key=lambda n: (-len(n), n)))

    def method(self, name: str) -> Callable[[Shortcode], str | None] | None:
        fn = getattr(self, "shortcode_" + name.lower().replace("-", "_"), None)
        if fn is None and name.lower() in LANGUAGE_SHORTCODES:
            return self.shortcode_code
        return fn

    def count(self, name: str, key: str) -> None:
        self._count(name, key)

    def render(self, text: str, names: Iterable[str] | None = None) -> str:
        """``do_shortcode()``: expand every known shortcode in ``text`` (of ``names``, or all)."""
        if "[" not in text:
            return text
        wanted = _handled(type(self))[2] if names is None else set(n.lower() for n in names)
        present = [n for n in dict.fromkeys(_TAG_NAME.findall(text)) if n in wanted or n.lower() in wanted]
        if names is None:
            self._count_unknown(text)
        if not present:
            return text
        text = _protect_html(text)
        text = shortcode_regex(tuple(present)).sub(self._expand, text)
        return _unprotect(text)

    def _count_unknown(self, text: str) -> None:
        handled = _handled(type(self))[1]
        for m in _ANY_TAG.finditer(_protect_html(text)):
            name = m.group(1)
            if name.lower() not in handled and name not in handled:
                self.count("unknown shortcodes", name)

    def _expand(self, m: re.Match[str]) -> str:
        if m.group(1) == "[" and m.group(6) == "]":  # [[escaped]]: the text without one pair of brackets.
            return m.group(0)[1:-1]
        named, positional = parse_atts(m.group(3))
        sc = Shortcode(name=m.group(2), attrs=named, positional=positional,
                       content=m.group(5) if m.group(4) is None and m.group(5) is not None else None,
                       raw=m.group(0)[len(m.group(1)): len(m.group(0)) - len(m.group(6))])
        fn = self.method(sc.name)
        out = fn(sc) if fn else None
        if out is None:
            return m.group(0)
        return m.group(1) + out + m.group(6)

    # -- attachments (from the export's index)

    def attachment(self, attachment_id: int) -> Any:
        if self.index is None:
            return None
        return getattr(self.index, "attachments", {}).get(attachment_id)

    def attachment_url(self, attachment_id: int) -> str:
        if self.index is None:
            return ""
        return self.index.attachment_urls.get(attachment_id, "")

    def attached(self, kinds: tuple[str, ...], parent: int | None = None) -> list[int]:
        """A post's attachments of these file types (default: this post's), in WordPress's order
        (menu order, then id)."""
        if self.index is None:
            return []
        if parent is None:
            if self.post is None:
                return []
            parent = self.post.id
        ids = self.index.attachments_by_parent.get(parent, [])
        ids = [i for i in ids if extension(self.attachment_url(i)) in kinds]
        return sorted(ids, key=lambda i: (getattr(self.attachment(i), "menu_order", 0), i))

    # -- the shortcodes WordPress core registers

    def shortcode_caption(self, sc: Shortcode) -> str | None:
        """``img_caption_shortcode()``: an image (maybe linked) with its caption."""
        content = sc.content or ""
        caption = sc.attrs.get("caption")
        if caption is None:
            m = re.match(r"((?:<a [^>]+>\s*)?<img [^>]+>(?:\s*</a>)?)(.*)", content, re.DOTALL | re.IGNORECASE)
            if m:
                content, caption = m.group(1), m.group(2).strip(" \t\n\r\0\x0b")
        try:
            width = int(re.match(r"\s*-?\d*", sc.get("width")).group(0) or 0)  # type: ignore[union-attr]
        except ValueError:
            width = 0
        if width < 1 or not caption:
            return self.render(content)
        return figure(self.render(content), caption)

    shortcode_wp_caption = shortcode_caption

    def shortcode_gallery(self, sc: Shortcode) -> str | None:
        """``gallery_shortcode()``: the images (``ids``/``include``, or the post's own), with captions."""
        ids_text = sc.get("ids") or sc.get("include")
        if ids_text:
            ids = [int(i) for i in re.findall(r"\d+", ids_text)]
            orderby = sc.get("orderby") or ("post__in" if sc.get("ids") else "menu_order ID")
            if orderby != "post__in" and orderby != "rand":
                ids = sorted(ids, key=lambda i: (getattr(self.attachment(i), "menu_order", 0), i))
        else:
            parent = int(sc.get("id")) if sc.get("id").isdigit() else None
            ids = self.attached(_IMAGE_EXTENSIONS, parent)
            exclude = {int(i) for i in re.findall(r"\d+", sc.get("exclude"))}
            ids = [i for i in ids if i not in exclude]
        if sc.get("order", "ASC").upper() == "DESC" and (sc.get("orderby") or "") != "post__in" \
                and not (sc.get("ids") and not sc.get("orderby")):
            ids.reverse()
        items = []
        for i in ids:
            url = self.attachment_url(i)
            if not url or extension(url) not in _IMAGE_EXTENSIONS:
                continue
            info = self.attachment(i)
            image = img_tag(url, getattr(info, "alt", ""))
            if sc.get("link") == "file":
                image = f'<a href="{attr(url)}">{image}</a>'
            items.append(figure(image, getattr(info, "caption", "").strip()))
        if not items:
            return ""
        return '<div class="gallery">' + "".join(items) + "</div>"

    def shortcode_playlist(self, sc: Shortcode) -> str | None:
        """``wp_playlist_shortcode()``: each track as an audio (or video) player."""
        kind = "video" if sc.get("type") == "video" else "audio"
        kinds = _VIDEO_EXTENSIONS if kind == "video" else _AUDIO_EXTENSIONS
        ids_text = sc.get("ids") or sc.get("include")
        ids = [int(i) for i in re.findall(r"\d+", ids_text)] if ids_text else self.attached(kinds)
        urls = [self.attachment_url(i) for i in ids if extension(self.attachment_url(i)) in kinds]
        return "".join(media_html(kind, [u]) for u in urls)

    def _media(self, sc: Shortcode, kind: str, extensions: tuple[str, ...]) -> str | None:
        sources = [sc.get("src")] + [sc.get(ext) for ext in extensions]
        sources = [s.strip() for s in sources if s and s.strip()]
        if not sources:
            attached = self.attached(extensions)
            if not attached:
                self.count("shortcodes without output", kind)
                return ""
            sources = [self.attachment_url(attached[0])]
        extra: dict[str, str] = {}
        if kind == "video":
            extra = {"poster": sc.get("poster"), "width": sc.get("width"), "height": sc.get("height")}
            extra = {k: v for k, v in extra.items() if v and (k == "poster" or v.isdigit())}
        for flag in ("loop", "autoplay"):
            if sc.get(flag) in ("1", "on", "true"):
                extra[flag] = flag
        return media_html(kind, sources, **extra)

    def shortcode_audio(self, sc: Shortcode) -> str | None:
        """``wp_audio_shortcode()``: ``src`` or mp3/ogg/… attributes, else the post's first audio."""
        return self._media(sc, "audio", _AUDIO_EXTENSIONS)

    def shortcode_video(self, sc: Shortcode) -> str | None:
        """``wp_video_shortcode()``: ``src`` or mp4/webm/… attributes, else the post's first video."""
        return self._media(sc, "video", _VIDEO_EXTENSIONS)

    def shortcode_embed(self, sc: Shortcode) -> str | None:
        """``[embed]URL[/embed]``: the embedded URL."""
        url = html.unescape((sc.content or "").strip())
        if not url:
            return ""
        return embed_html(url)

    # -- Jetpack / WordPress.com video shortcodes

    def shortcode_youtube(self, sc: Shortcode) -> str | None:
        url = (sc.positional[0] if sc.positional else sc.get("url") or sc.get("id")).strip()
        if url and "://" not in url and "youtu" not in url:
            url = "https://www.youtube.com/watch?v=" + url
        return embed_html(html.unescape(url)) if url else None

    def shortcode_vimeo(self, sc: Shortcode) -> str | None:
        ref = (sc.positional[0] if sc.positional else sc.get("id") or sc.get("url")).strip()
        if ref.isdigit():
            ref = "https://vimeo.com/" + ref
        return embed_html(html.unescape(ref)) if ref else None

    def shortcode_wpvideo(self, sc: Shortcode) -> str | None:
        guid = sc.positional[0] if sc.positional else ""
        return embed_html(f"https://videopress.com/v/{guid}") if re.fullmatch(r"\w+", guid) else None

    shortcode_videopress = shortcode_wpvideo

    # -- code

    def shortcode_code(self, sc: Shortcode) -> str | None:
        """[code lang="php"]…[/code], [sourcecode language="x"], [php]…[/php]: a fenced code block."""
        if sc.content is None:
            return None
        language = sc.get("language") or sc.get("lang") or (sc.positional[0] if sc.positional else "")
        if sc.name.lower() in LANGUAGE_SHORTCODES:
            language = LANGUAGE_SHORTCODES[sc.name.lower()]
        language = re.sub(r"[^\w+#.-]", "", language.lower())
        body = html.unescape(sc.content).strip("\r\n")
        cls = f' class="language-{language}"' if language else ""
        return f"<pre><code{cls}>{html.escape(body, quote=False)}</code></pre>"

    shortcode_sourcecode = shortcode_code


_HANDLED: dict[type, tuple[tuple[str, ...], frozenset[str], frozenset[str]]] = {}


def _handled(cls: type[ShortcodeRenderer]) -> tuple[tuple[str, ...], frozenset[str], frozenset[str]]:
    """A renderer class's shortcode names (as ``handled()`` gives them, as a set, lower-cased), found once
    per class: its methods are its class's."""
    found = _HANDLED.get(cls)
    if found is None:
        own = getattr(cls.handled, "__func__", None) is not ShortcodeRenderer.handled.__func__  # type: ignore[attr-defined]  # (a bound classmethod); overridden
        names = tuple(cls.handled()) if own else cls._find_handled()
        found = _HANDLED[cls] = (names, frozenset(names), frozenset(n.lower() for n in names))
    return found


def expand_code_shortcodes(text: str, renderer: ShortcodeRenderer) -> str:
    """Code shortcodes first, before wpautop touches their bodies (SyntaxHighlighter's order)."""
    if "[" not in text:
        return text
    return renderer.render(text, _code_names(renderer))


#: Each renderer class's code shortcode names (those its ``method`` finds), looked up once per class.
_CODE_NAMES: dict[type[ShortcodeRenderer], tuple[str, ...]] = {}


def _code_names(renderer: ShortcodeRenderer) -> tuple[str, ...]:
    """``[n for n in CODE_SHORTCODES if renderer.method(n) is not None]``: the same for every instance of a
    class that keeps the base ``method`` and has no ``shortcode_`` attribute of its own."""
    cls = type(renderer)
    if cls.method is not ShortcodeRenderer.method or any(k.startswith("shortcode_") for k in vars(renderer)):
        return tuple(n for n in CODE_SHORTCODES if renderer.method(n) is not None)
    names = _CODE_NAMES.get(cls)
    if names is None:
        names = _CODE_NAMES[cls] = tuple(n for n in CODE_SHORTCODES if renderer.method(n) is not None)
    return names


def expand_embeds(text: str, renderer: ShortcodeRenderer) -> str:
    """``WP_Embed::run_shortcode`` ([embed] first) and ``autoembed`` (URLs alone on a line or in a
    paragraph), both before wpautop, as WordPress runs them."""
    if "[embed" in text:
        text = renderer.render(text, ["embed"])
    return autoembed(text)


_OWN_LINE_URL = re.compile(r"^(\s*)(https?://[^\s<>\"]+)(\s*)$", re.IGNORECASE | re.MULTILINE)
_OWN_PARAGRAPH_URL = re.compile(r"(<p(?: [^>]*)?>\s*)(https?://[^\s<>\"]+)(\s*</p>)", re.IGNORECASE)
_URL_START = re.compile(r"(^|\s|>)https?://", re.IGNORECASE)
# The same, as a test at one place (where its "http" starts).
_URL_AT = re.compile(r"(?:^|(?<=\s)|(?<=>))https?://", re.IGNORECASE)


def _has_url_start(text: str) -> bool:
    """``_URL_START.search(text)``, found from each "://" (a pattern with no literal start is slow to search)."""
    i = text.find("://")
    while i != -1:
        if (i >= 4 and _URL_AT.match(text, i - 4)) or (i >= 5 and _URL_AT.match(text, i - 5)):
            return True
        i = text.find("://", i + 1)
    return False


def autoembed(text: str) -> str:
    """``WP_Embed::autoembed()``: a URL alone on its line (or in its paragraph) is embedded."""
    if not _has_url_start(text):
        return text
    parts = wp_html_split(text)
    for i in range(1, len(parts), 2):
        parts[i] = parts[i].replace("\n", "\x00wpm-nl\x00")
    text = "".join(parts)

    def repl(m: re.Match[str]) -> str:
        return m.group(1) + embed_html(html.unescape(m.group(2))) + m.group(3)

    text = _OWN_LINE_URL.sub(repl, text)
    text = _OWN_PARAGRAPH_URL.sub(repl, text)
    return text.replace("\x00wpm-nl\x00", "\n")
