"""HTML → Markdown with a :class:`markdownify.MarkdownConverter` subclass.

Extend it the markdownify way: subclass :class:`WordPressConverter` and add or override
``convert_<tag>(self, el, text, parent_tags)`` methods. The document is parsed into the light tree of
:mod:`migrate.transform.soup` (the tree ``BeautifulSoup(html, "lxml")`` gives, without BeautifulSoup's
cost), so ``el`` is a :class:`~migrate.transform.soup.Element`: ``name``, ``attrs``, ``get()``,
``contents``, ``children``, ``descendants``, ``parent``, the siblings, ``get_text()``, ``find()``,
``find_all()``, ``find_parent()`` and ``str()`` work as BeautifulSoup's do; strings are ``str``
subclasses (:class:`~migrate.transform.soup.Text`, ``name`` None). ``parent_tags`` is a frozenset.
``convert_soup()`` also takes a BeautifulSoup tree, and a subclass may override ``process_text()``.
:func:`html_to_markdown` converts through the tree; :func:`.quickblocks.html_to_markdown` (what the stages
call) gives the same Markdown, converting the plain top-level paragraphs, headings, lists and quotes most posts
are made of from their markup, for this class and for a subclass that does not replace the methods it stands for.

What it writes: ATX headings, ``-`` bullets, fenced code with its language, GFM tables,
``![alt](src "title")`` images, figures (an image and its caption) in the form ``figure_style``
names, backslash hard breaks, Markdown footnotes and definition lists (Goldmark and kramdown
read both), and raw HTML for what Markdown has no form for (players, embeds, ``<details>``,
``<sup>``/``<sub>``). Text is escaped only where a character would otherwise start Markdown
syntax, never a shortcode's bracket. Converting the CommonMark rendering of its output again gives
the same Markdown.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Callable
from typing import Any

from bs4 import BeautifulSoup
from markdownify import ATX, MarkdownConverter, should_remove_whitespace_inside, should_remove_whitespace_outside

from ..errors import MigrateError
from .embeds import VIMEO, YOUTUBE, embed_player
from .sanitize import allowed_url, break_shortcodes_in_code, clean_inline_html, safe_url
from .soup import CData, Comment, Doctype, Element, Text, from_bs4, has_text, parse_html, release

#: How a figure (an image with a caption) is written.
FIGURE_STYLES = ("markdown", "html", "hugo")

# Three or more newlines in a row (blank-line runs the converter leaves behind).
_EXTRA_BLANK_LINES = re.compile(r"\n{3,}")
# Trailing spaces or tabs at the end of a line (but not a two-space hard break: we use backslashes).
_TRAILING_SPACE = re.compile(r"[ \t]+\n")
# A hard break (backslash) with nothing after it in its block: invisible in the HTML, a stray "\" here.
_DANGLING_BREAK = re.compile(r"\\(?=\n[ \t>]*(?:\n|$)|$)")
_LEADING_BREAK = re.compile(r"(?:(?<=\n\n)|^)([ \t>]*)(?:\\\n)+")
_ALL_WHITESPACE = re.compile(r"[\t\r\n ]+")
# Spaces at the start of the line after a hard break (CommonMark drops them).
_BREAK_THEN_SPACE = re.compile(r"\\\n[ \t]+")
# No-break spaces at the start or end of a line: a CommonMark renderer drops them, and a reader sees nothing.
_EDGE_NBSP_START = re.compile(r"^([ >]*)[\u00a0 ]*\u00a0[\u00a0 ]*", re.MULTILINE)
_EDGE_NBSP_END = re.compile(r"[\u00a0 ]*\u00a0[\u00a0 ]*$", re.MULTILINE)

# WordPress's more and page-break comments, and its <!--noteaser--> (WP_Post content markers).
_MORE = re.compile(r"<!--more(.*?)?-->")
_NEXTPAGE = re.compile(r"<!--nextpage-->")
_NOTEASER = re.compile(r"<!--noteaser-->")

_BLOCK_PARENTS = frozenset(
    ["p", "div", "li", "td", "th", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption", "dd", "dt",
     "section", "article", "aside", "header", "footer", "main", "nav", "figure", "address", "summary", "details",
     "[document]", "body", "html", "center", "caption"]
)

# Line starts that Markdown would read as syntax, in text that starts a line.
_LINE_START = [
    (re.compile(r"^(#{1,6})(?=\s|$)"), r"\\\1"),
    (re.compile(r"^>"), r"\\>"),
    (re.compile(r"^([-+])(?=\s|$)"), r"\\\1"),
    (re.compile(r"^(\d{1,9})([.)])(?=\s|$)"), r"\1\\\2"),
    (re.compile(r"^(=+|-+)\s*$"), r"\\\1"),
    (re.compile(r"^(`{3,}|~{3,})"), r"\\\1"),
]
# Each with the one character it needs (only backslashes are added, and backslashes are escaped first,
# so a pattern whose character is not in the text cannot match).
_INLINE_ESCAPES = [
    ("\\", re.compile(r"\\(?=[!-/:-@\[-`{-~]|$)"), r"\\\\"),
    ("*", re.compile(r"(\*)"), r"\\\1"),
    ("`", re.compile(r"(`)"), r"\\\1"),
    ("_", re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])"), r"\\_"),
    ("<", re.compile(r"<(?=[A-Za-z/!?])"), r"\\<"),
    ("&", re.compile(r"&(?=#?[A-Za-z0-9]+;)"), r"\\&"),
    ("]", re.compile(r"\](?=[(\[:])"), r"\\]"),
    ("~", re.compile(r"~(?=~)"), r"\\~"),
    # Hugo runs "{{<" and "{{%" as a shortcode wherever they stand: "{\{<" shows the same and runs nothing.
    # A text ending in "{{" is escaped too: the "<" of a tag kept as HTML (a "<strong>" after it) would complete it.
    ("{", re.compile(r"(?<=\{)\{(?=[<%]|$)"), r"\\{"),
]
# The first characters of every _LINE_START pattern (and digits).
_LINE_START_CHARS = frozenset("#>-+=`~")

# Patterns of the convert_ methods (compiled here: re's cache lookup costs as much as a short match).
_URL_NEEDS_BRACKETS = re.compile(r"[\s<>]")
_AUTOLINK = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]{1,31}:[^\s<>]*$")
_BACKTICKS = re.compile(r"`+")
_FENCE_RUNS = re.compile(r"^[ \t]*(`{3,}|~{3,})", re.MULTILINE)
_CLOSING_HASHES = re.compile(r"#+$")
_EDGE_BREAKS = re.compile(r"^(?:<br>)+|(?:<br>)+$")
_BREAK_RUNS = re.compile(r"(?:<br>){2,}")

def _attr(value: str) -> str:
    return html_lib.escape(value, quote=True)


def _url(url: str) -> str:
    """A link destination: in angle brackets when it holds spaces or unbalanced parentheses."""
    url = url.strip().replace(" ", "%20")
    if _URL_NEEDS_BRACKETS.search(url) or url.count("(") != url.count(")"):
        return "<" + url.replace("<", "%3C").replace(">", "%3E") + ">"
    return url


def _title(title: str) -> str:
    return ' "%s"' % title.replace("\\", "\\\\").replace('"', '\\"') if title else ""


class ConverterOptionError(MigrateError, ValueError):
    """An option the converter does not know, or does not honour."""


#: markdownify's options :class:`WordPressConverter` does not honour (its own methods write what the option
#: would change), each with those methods. Such an option is refused, unless its value is the one the converter
#: writes anyway, or the class overrides one of these methods (and so may honour it: a subclass's business).
NOT_HONOURED: dict[str, tuple[str, ...]] = {
    "autolinks": ("convert_a",),
    "default_title": ("convert_a",),
    "code_language": ("convert_pre",),
    "code_language_callback": ("convert_pre",),
    "strip_pre": ("convert_pre",),
    "escape_asterisks": ("escape_text", "process_text"),
    "escape_underscores": ("escape_text", "process_text"),
    "escape_misc": ("escape_text", "process_text"),
    "heading_style": ("convert_hN",),
    "keep_inline_images_in": ("convert_img",),
    "newline_style": ("convert_br",),
    "strong_em_symbol": ("convert_b", "convert_strong", "convert_em", "convert_i"),
    "sub_symbol": ("convert_sub",),
    "sup_symbol": ("convert_sup",),
    "table_infer_header": ("convert_table", "convert_tr"),
    "wrap": ("convert_p",),
    "wrap_width": ("convert_p",),
    "strip_document": ("convert_soup",),
}


def overrides(cls: type, *methods: str) -> bool:
    """Does ``cls`` (a :class:`WordPressConverter` subclass) replace any of these methods of the converter's?"""
    return any(getattr(cls, name, None) is not getattr(WordPressConverter, name, None) for name in methods)


def _refuse_options(cls: type[WordPressConverter], options: dict[str, object], defaults: dict[str, object]) -> None:
    """:class:`ConverterOptionError` for an option ``cls`` does not know, or one it does not honour
    (:data:`NOT_HONOURED`)."""
    known = {name for name in dir(cls.Options) if not name.startswith("_")}
    for name, value in options.items():
        if name not in known:
            raise ConverterOptionError(f"{cls.__name__} has no option {name!r}",
                                       hint="see markdownify's options, and figure_style, unsafe_html")
        methods = NOT_HONOURED.get(name)
        if methods is None or overrides(cls, *methods):
            continue
        if value != defaults.get(name, getattr(MarkdownConverter.DefaultOptions, name)):
            raise ConverterOptionError(
                f"{cls.__name__} does not honour markdownify's option {name}={value!r} (its "
                f"{' and '.join(methods)} write{'s' if len(methods) == 1 else ''} what it would change)",
                hint=f"leave the option out, or override {methods[0]} in a subclass")


class WordPressConverter(MarkdownConverter):
    """markdownify with the choices wp-migrate makes (see the module's doc)."""

    class Options(MarkdownConverter.DefaultOptions):
        figure_style = "markdown"
        unsafe_html = False  # True: the site's own players, objects and URLs are kept as they are (trusted)

    def __init__(self, **options: object) -> None:
        defaults = {
            "heading_style": ATX,
            "bullets": "-",
            "escape_underscores": False,
            "escape_asterisks": False,
            "escape_misc": False,
            "newline_style": "backslash",
            "code_language_callback": _code_language,
            "sup_symbol": "<sup>",
            "sub_symbol": "<sub>",
            "figure_style": "markdown",
            "unsafe_html": False,
            # lxml parses like a browser: a <p> ends where a block (<figure>, <div>…) starts.
            "bs4_options": {"features": "lxml"},
        }
        _refuse_options(type(self), options, defaults)
        defaults.update(options)
        if defaults["figure_style"] not in FIGURE_STYLES:
            raise ConverterOptionError(f"figure_style {defaults['figure_style']!r} is not one this converter writes",
                                       hint=f"choose one of: {', '.join(FIGURE_STYLES)}")
        super().__init__(**defaults)
        # Is process_text this class's own (not a subclass's)? Then the walk calls what is behind it.
        self._own_text = type(self).process_text is WordPressConverter.process_text
        # process_tag's cache: by parent tags, then tag name (see _step)
        self._steps: dict[frozenset[str], dict[str, tuple[Any, ...]]] = {}

    def convert(self, html: str) -> str:
        if self.options["bs4_options"] == {"features": "lxml"}:
            tree = parse_html(html)  # BeautifulSoup(html, "lxml")'s tree, built faster
            text = self.convert_soup(tree)
            release(tree)  # freed now, not by the garbage collector
            return text
        return self.convert_soup(BeautifulSoup(html, **self.options["bs4_options"]))

    def convert_soup(self, soup: Any) -> str:
        """Convert a document: a tree from :func:`~migrate.transform.soup.parse_html`, or a BeautifulSoup
        one (copied to a light tree first)."""
        if not isinstance(soup, Element):
            soup = from_bs4(soup)
        return self.process_tag(soup, parent_tags=set())

    def process_element(self, node: Any, parent_tags: Any = None) -> str:
        if node.name is None:
            return self.process_text(node, parent_tags=parent_tags)
        return self.process_tag(node, parent_tags=parent_tags)

    # -- the walk

    def process_tag(self, node: Any, parent_tags: Any = None) -> str:
        """markdownify's ``process_tag``, with the same result for every tree, in fewer steps.

        The children worth converting (whitespace beside block boundaries is not), each converted with
        the tag's name added to ``parent_tags`` (and ``_inline`` / ``_noformat`` where markdownify adds
        them), the newlines where two children meet collapsed to at most two (not inside ``<pre>``),
        then the tag's ``convert_<name>``.

        This runs once per element of every post, so it is written for speed: ``parent_tags`` is a
        frozenset, and what a child gets (its ``parent_tags``, and what text conversion needs to know of
        them) is made once per set of names, as is everything that depends only on a tag's name. Strings
        go to :meth:`process_text`, or when no subclass overrides it straight to ``_text_markdown`` with
        the flags already known (what :meth:`process_text` would look up again for every string).
        """
        if parent_tags is None:
            parent_tags = _NO_TAGS
        elif parent_tags.__class__ is not frozenset:
            parent_tags = frozenset(parent_tags)
        name = node.name
        try:
            child_tags, flags, remove_inside, may_collapse, convert = \
                self._steps[parent_tags][name]
        except KeyError:
            child_tags, flags, remove_inside, may_collapse, convert = \
                self._step(parent_tags, name)
        process_tag = self.process_tag
        own_text = self._own_text
        strings: list[str] = []
        collapse = False  # does a converted child after the first start with a newline?
        # Which children to convert depends only on the tree, which converting a child does not change
        # around it: so each is judged and converted in one pass.
        for el in node.contents:
            cls = el.__class__
            if cls is Element:
                text = process_tag(el, child_tags)
            elif cls is not Text and cls in _NOT_CONTENT:  # comments, doctypes
                continue
            else:  # a string (isspace(), not markdownify's strip(): the same answer without a copy)
                if not el or el.isspace():  # whitespace: not beside a block's edge, nor beside a block
                    prev, nxt = el.previous_sibling, el.next_sibling
                    if remove_inside and (not prev or not nxt):
                        continue
                    if (prev.__class__ is Element and (_TAG_INFO.get(prev.name) or _tag_info(prev.name))[1]) or (
                            nxt.__class__ is Element and (_TAG_INFO.get(nxt.name) or _tag_info(nxt.name))[1]):
                        continue
                if own_text:
                    text = _text_markdown(self, el, flags, remove_inside)
                else:
                    text = self.process_text(el, child_tags)
            if text:
                if strings and text[0] == "\n":
                    collapse = True
                strings.append(text)
        if collapse and may_collapse and not _has_ancestor(node, _PRE):
            text = _join_collapsing_newlines(strings)
        else:
            text = "".join(strings)
        if convert is not None:
            text = convert(node, text, parent_tags)
        return text

    def _step(self, parent_tags: frozenset[str], name: str) -> tuple[Any, ...]:
        """What :meth:`process_tag` needs for a tag of this name with these parent tags (cached): the
        children's parent tags, the flags of those for text, whether whitespace inside the tag goes,
        whether newlines between children may collapse, and the tag's ``convert_<name>`` (or None)."""
        found = _CHILD_TAGS.get(parent_tags, {}).get(name)
        child_tags, flags, remove_inside = found or _child_tags(parent_tags, name)
        step = (child_tags, flags, remove_inside, name != "pre" and "pre" not in parent_tags,
                self.get_conv_fn_cached(name))
        steps = self._steps
        if len(steps) > _MAX_CACHED:
            steps.clear()
        steps.setdefault(parent_tags, {})[name] = step
        return step

    # -- text

    def process_text(self, el: Any, parent_tags: Any = None) -> str:
        """A string as Markdown: whitespace collapsed (not in ``<pre>``), trimmed beside block edges as
        markdownify does, and escaped where it would read as Markdown syntax (not in code)."""
        if parent_tags is None:
            parent_tags = _NO_TAGS
        flags = _TEXT_FLAGS.get(parent_tags) if parent_tags.__class__ is frozenset else None
        parent = el.parent
        remove_inside = parent is not None and (_TAG_INFO.get(parent.name) or _tag_info(parent.name))[0]
        return _text_markdown(self, el, flags or _text_flags(parent_tags), remove_inside)

    def escape_text(self, text: str, starts_line: bool = False, in_table: bool = False) -> str:
        """Escape what Markdown would read as syntax in this text (and nothing else)."""
        for char, pattern, repl in _INLINE_ESCAPES:
            if char in text:
                text = pattern.sub(repl, text)
        if in_table:
            text = text.replace("|", "\\|")
        if starts_line:
            stripped = text.lstrip(" ")
            lead = text[: len(text) - len(stripped)]
            for pattern, repl in _LINE_START:
                stripped = pattern.sub(repl, stripped)
            text = lead + stripped
        return text

    # -- inline

    def convert_a(self, el: Any, text: str, parent_tags: Any) -> str:
        if "_noformat" in parent_tags:
            return text
        href = (el.get("href") or "").strip()
        if not href or href.startswith("#") and not text.strip():
            return text
        title = el.get("title") or ""
        if not text.strip():
            return ""
        if not self.options["unsafe_html"]:
            href = allowed_url(href) or ""
            if not href:
                return text  # a javascript:, data:… link: its text alone
        if el.get_text() == href and not title and _AUTOLINK.match(href):
            return f"<{href}>"
        prefix, suffix = _outer_spaces(text)
        return f"{prefix}[{text.strip()}]({_url(href)}{_title(title)}){suffix}"

    def convert_img(self, el: Any, text: str, parent_tags: Any) -> str:
        src = (el.get("src") or "").strip()
        alt = _ALL_WHITESPACE.sub(" ", el.get("alt") or "").strip()
        if "wp-smiley" in (el.get("class") or []) and alt:
            return alt
        if src and not self.options["unsafe_html"]:
            src = allowed_url(src) or ""
        if not src:
            return alt
        alt = alt.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
        return f"![{alt}]({_url(src)}{_title(el.get('title') or '')})"

    def convert_br(self, el: Any, text: str, parent_tags: Any) -> str:
        if _neighbour_char(el, -1) == "" or _neighbour_char(el, 1) == "":
            return ""  # a break at the start or end of a block shows nothing
        if "_inline" in parent_tags and not ({"td", "th"} & parent_tags):
            return " "
        if {"td", "th"} & parent_tags:
            return "<br>"
        return "\\\n"

    def convert_q(self, el: Any, text: str, parent_tags: Any) -> str:
        return f"<q>{text}</q>"

    def convert_code(self, el: Any, text: str, parent_tags: Any) -> str:
        if "pre" in parent_tags:
            return text
        text = break_shortcodes_in_code(_ALL_WHITESPACE.sub(" ", el.get_text()))
        if not text.strip():
            return text
        ticks = max((len(t) for t in _BACKTICKS.findall(text)), default=0)
        fence = "`" * (ticks + 1)
        pad = " " if text.startswith("`") or text.endswith("`") or (
            text.startswith(" ") and text.endswith(" ") and text.strip()) else ""
        return f"{fence}{pad}{text}{pad}{fence}"

    convert_kbd = convert_code
    convert_samp = convert_code
    convert_tt = convert_code

    def convert_b(self, el: Any, text: str, parent_tags: Any) -> str:
        return self._emphasis(el, text, parent_tags, "**", "strong")

    convert_strong = convert_b

    def convert_em(self, el: Any, text: str, parent_tags: Any) -> str:
        return self._emphasis(el, text, parent_tags, "*", "em")

    convert_i = convert_em

    def _emphasis(self, el: Any, text: str, parent_tags: Any, mark: str, tag: str) -> str:
        """``**text**``, or ``<strong>`` where CommonMark would not read the marks as emphasis."""
        if "_noformat" in parent_tags:
            return text
        inner = text.strip()
        if not inner:
            return text
        if not has_text(el):  # only an image (or nothing visible): nothing to emphasise
            return text
        if _has_ancestor(el, _BOLD if tag == "strong" else _ITALIC):
            return text  # already bold (or italic): CommonMark cannot nest the same marks this way
        return _flanked(text, inner, mark, tag, lambda direction: _neighbour_char(el, direction))

    def convert_strike(self, el: Any, text: str, parent_tags: Any) -> str:
        return self.convert_del(el, text, parent_tags)

    # -- blocks

    def convert_pre(self, el: Any, text: str, parent_tags: Any) -> str:
        code = _pre_text(el)
        if not code.strip("\n"):
            return ""
        language = _code_language(el)
        code = break_shortcodes_in_code(code.strip("\n"))
        fence_char = "`"
        runs = _FENCE_RUNS.findall(code)
        longest = max((len(r) for r in runs if r[0] == "`"), default=0)
        fence = fence_char * max(3, longest + 1)
        if "_inline" in parent_tags or {"td", "th"} & parent_tags:
            return "<code>" + html_lib.escape(code).replace("\n", "<br>") + "</code>"
        return f"\n\n{fence}{language}\n{code}\n{fence}\n\n"

    def convert_p(self, el: Any, text: str, parent_tags: Any) -> str:
        if "_inline" in parent_tags:
            if {"td", "th"} & parent_tags:
                return "<br>" + text.strip() + "<br>" if text.strip() else ""
            return " " + text.strip() + " "
        text = text.strip(" \t\r\n")
        return f"\n\n{text}\n\n" if text else ""

    def convert_hN(self, n: int, el: Any, text: str, parent_tags: Any) -> str:
        if "_inline" in parent_tags:
            return text
        text = _ALL_WHITESPACE.sub(" ", text.replace("\\\n", " ")).strip()
        text = _CLOSING_HASHES.sub(lambda m: "\\" + m.group(0), text)
        if not text:
            return ""
        return f"\n\n{'#' * max(1, min(6, n))} {text}\n\n"

    def convert_table(self, el: Any, text: str, parent_tags: Any) -> str:
        rows = [tr for tr in el.find_all("tr") if tr.find_parent("table") is el]
        if not rows:
            return text
        cells = [[c for c in tr.find_all(["td", "th"], recursive=False)] for tr in rows]
        width = max((sum(_colspan(c) for c in row) for row in cells), default=0)
        if width == 0:
            return ""
        lines_cells: list[list[str]] = []
        for row in cells:
            out: list[str] = []
            for c in row:
                out.append(self._cell(c, parent_tags))
                out.extend([""] * (_colspan(c) - 1))
            out.extend([""] * (width - len(out)))
            lines_cells.append(out)
        head_row = rows[0]
        has_head = head_row.find_parent("thead") is not None or all(c.name == "th" for c in cells[0])
        header = lines_cells.pop(0) if has_head else [""] * width
        aligns = [_align(c) for c in cells[0]] if cells[0] else []
        aligns = (aligns + [""] * width)[:width]
        lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(aligns) + " |"]
        lines += ["| " + " | ".join(r) + " |" for r in lines_cells]
        caption = el.find("caption")
        cap = ""
        if caption is not None and caption.find_parent("table") is el:
            cap = self.process_tag(caption, parent_tags=set(parent_tags)).strip()
        table = "\n".join(lines)
        return f"\n\n{cap}\n\n{table}\n\n" if cap else f"\n\n{table}\n\n"

    def _cell(self, cell: Any, parent_tags: Any) -> str:
        text = self.process_tag(cell, parent_tags=set(parent_tags) | {"table"})
        text = text.strip()
        text = _EDGE_BREAKS.sub("", text)
        text = _BREAK_RUNS.sub("<br>", text)
        return _ALL_WHITESPACE.sub(" ", text).strip()

    def convert_td(self, el: Any, text: str, parent_tags: Any) -> str:
        return text

    convert_th = convert_td

    def convert_tr(self, el: Any, text: str, parent_tags: Any) -> str:
        return text

    def convert_caption(self, el: Any, text: str, parent_tags: Any) -> str:
        return "" if el.find_parent("table") is not None else text

    def convert_figcaption(self, el: Any, text: str, parent_tags: Any) -> str:
        text = text.strip()
        return f"\n\n{text}\n\n" if text else ""

    def convert_figure(self, el: Any, text: str, parent_tags: Any) -> str:
        classes = el.get("class") or []
        if "wp-embed" in classes:
            return self.embed(el.get("data-url") or "", self._caption(el, parent_tags))
        image = _lone_image(el)
        if image is None:
            return f"\n\n{text.strip()}\n\n"
        caption_el = el.find("figcaption", recursive=False)
        return self.figure(image, caption_el, parent_tags)

    def _caption(self, el: Any, parent_tags: Any) -> str:
        caption_el = el.find("figcaption")
        if caption_el is None:
            return ""
        return self.process_tag(caption_el, parent_tags=set(parent_tags) | {"figure"}).strip()

    def figure(self, image: Any, caption_el: Any, parent_tags: Any) -> str:
        """An image (maybe linked) with its caption, in the configured ``figure_style``."""
        img = image.find("img") if image.name == "a" else image
        link = (image.get("href") or "").strip() if image.name == "a" else ""
        src = img.get("src") or ""
        if not self.options["unsafe_html"]:  # (convert_img checks the src of the Markdown style itself)
            link = allowed_url(link) or ""
            src = allowed_url(src) or ""
        caption = ""
        if caption_el is not None:
            caption = self.process_tag(caption_el, parent_tags=set(parent_tags) | {"figure"}).strip()
        style = self.options["figure_style"]
        if style == "hugo":
            params = [("src", src), ("alt", img.get("alt") or ""), ("title", img.get("title") or ""),
                      ("link", link), ("caption", caption)]
            inner = " ".join(f"{k}={_hugo_param(v, k == 'caption')}" for k, v in params if v.strip())
            return f"\n\n{{{{< figure {inner} >}}}}\n\n"
        if style == "html" and caption:
            img_html = f'<img src="{_attr(src)}" alt="{_attr(img.get("alt") or "")}"'
            if img.get("title"):
                img_html += f' title="{_attr(img["title"])}"'
            img_html += ">"
            if link:
                img_html = f'<a href="{_attr(link)}">{img_html}</a>'
            cap_html = "".join(str(c) for c in caption_el.contents).strip()
            if not self.options["unsafe_html"]:
                cap_html = clean_inline_html(cap_html)
            cap_html = _ALL_WHITESPACE.sub(" ", cap_html)
            return f"\n\n<figure>{img_html}<figcaption>{cap_html}</figcaption></figure>\n\n"
        md = self.convert_img(img, "", parent_tags)
        if link:
            md = f"[{md}]({_url(link)})"
        if not caption:
            return f"\n\n{md}\n\n"
        if "*" not in caption and "\n\n" not in caption and not caption.startswith(("_", "<", "!", "[")) \
                and not caption.endswith("\\"):
            caption = f"*{caption}*"
        return f"\n\n{md}\n\n{caption}\n\n"

    def embed(self, url: str, caption: str = "") -> str:
        """An embedded URL: a player for the video sites we know, else a link alone on its line."""
        url = url.strip()
        style = self.options["figure_style"]
        cap = f"\n\n{caption}\n\n" if caption else ""
        if style == "hugo":
            if m := YOUTUBE.search(url):
                return f"\n\n{{{{< youtube {m.group(1)} >}}}}\n\n{cap}"
            if m := VIMEO.search(url):
                return f"\n\n{{{{< vimeo {m.group(1)} >}}}}\n\n{cap}"
        player = embed_player(url)
        if player and (self.options["unsafe_html"] or safe_url(url)):
            return (f'\n\n<iframe src="{_attr(player)}" width="640" height="360" frameborder="0"'
                    f' allowfullscreen></iframe>\n\n{cap}')
        if re.match(r"^https?://[^\s<>]+$", url):
            return f"\n\n<{url}>\n\n{cap}"
        return f"\n\n{self.escape_text(url)}\n\n{cap}" if url else cap

    def convert_iframe(self, el: Any, text: str, parent_tags: Any) -> str:
        src = (el.get("src") or "").strip()
        if not src:
            return ""
        if not self.options["unsafe_html"]:
            return self._foreign_player(src)
        keep = ["src", "width", "height", "title", "frameborder", "allow", "allowfullscreen"]
        attrs = "".join(_html_attr(k, el.get(k)) for k in keep if el.get(k) is not None)
        return f"\n\n<iframe{attrs}></iframe>\n\n"

    def convert_audio(self, el: Any, text: str, parent_tags: Any) -> str:
        return self._media(el, "audio")

    def convert_video(self, el: Any, text: str, parent_tags: Any) -> str:
        return self._media(el, "video")

    def _foreign_player(self, url: str) -> str:
        """What an ``<iframe>``, ``<object>`` or ``<embed>`` of the post becomes (unless ``unsafe_html``): the
        player of a video site :func:`embed_player` knows, in the layout's form (:meth:`embed`); else a link to
        its page when that is an http(s) URL; else nothing."""
        url = url.strip()
        if url.startswith("//"):
            url = "https:" + url
        if not safe_url(url) or not re.match(r"^https?://[^\s<>]+$", url, re.IGNORECASE):
            return ""
        return self.embed(url)

    def _media(self, el: Any, kind: str) -> str:
        src = (el.get("src") or "").strip()
        sources = [s.get("src") for s in el.find_all("source") if s.get("src")]
        if not self.options["unsafe_html"]:
            src = allowed_url(src) or ""
            sources = [u for u in map(allowed_url, sources) if u]
        if not src and len(sources) == 1:
            src, sources = sources[0], []
        if not src and not sources:
            return ""
        keep = ["controls", "poster", "width", "height", "loop", "autoplay", "muted", "preload"] if kind == "video" \
            else ["controls", "loop", "autoplay", "preload"]
        attrs = " controls" if el.get("controls") is None else ""
        values = {k: el.get(k) for k in keep if el.get(k) is not None}
        if "poster" in values and not self.options["unsafe_html"]:
            values["poster"] = allowed_url(values["poster"])
        attrs += "".join(_html_attr(k, v) for k, v in values.items() if v is not None)
        if src:
            return f'\n\n<{kind}{attrs} src="{_attr(src)}"></{kind}>\n\n'
        inner = "".join(f'<source src="{_attr(s)}">' for s in sources)
        return f"\n\n<{kind}{attrs}>{inner}</{kind}>\n\n"

    def convert_object(self, el: Any, text: str, parent_tags: Any) -> str:
        if not self.options["unsafe_html"]:
            return self._foreign_player(_object_url(el))
        return f"\n\n{_ALL_WHITESPACE.sub(' ', str(el))}\n\n"

    def convert_embed(self, el: Any, text: str, parent_tags: Any) -> str:
        if el.find_parent("object") is not None:
            return ""
        if not self.options["unsafe_html"]:
            # (lxml's parser gives an <embed> what follows it as children: they are the post's, converted)
            return self._foreign_player(el.get("src") or "") + text
        return f"\n\n{_ALL_WHITESPACE.sub(' ', str(el))}\n\n"

    def convert_details(self, el: Any, text: str, parent_tags: Any) -> str:
        summary = el.find("summary", recursive=False)
        summary_md = ""
        if summary is not None:
            summary_md = html_lib.escape(_ALL_WHITESPACE.sub(" ", summary.get_text()).strip(), quote=False)
        open_attr = " open" if el.get("open") is not None else ""
        head = f"<details{open_attr}>\n<summary>{summary_md}</summary>"
        return f"\n\n{head}\n\n{text.strip()}\n\n</details>\n\n"

    def convert_summary(self, el: Any, text: str, parent_tags: Any) -> str:
        return "" if el.parent is not None and el.parent.name == "details" else text

    def convert_wp_more(self, el: Any, text: str, parent_tags: Any) -> str:
        return "<!--more-->"

    def convert_hr(self, el: Any, text: str, parent_tags: Any) -> str:
        if "footnotes-sep" in (el.get("class") or []):  # markdown-it's rule above its footnotes
            return ""
        return "\n\n---\n\n"

    def convert_dt(self, el: Any, text: str, parent_tags: Any) -> str:
        text = _ALL_WHITESPACE.sub(" ", text.replace("\\\n", " ")).strip()
        if "_inline" in parent_tags:
            return " " + text + " "
        return f"\n\n{text}\n" if text else ""

    def convert_dd(self, el: Any, text: str, parent_tags: Any) -> str:
        text = text.strip()
        if "_inline" in parent_tags:
            return " " + text + " "
        if not text:
            return ""
        text = re.sub(r"^(.*)$", lambda m: "    " + m.group(1) if m.group(1) else "", text, flags=re.MULTILINE)
        return ":" + text[1:] + "\n"

    def convert_dl(self, el: Any, text: str, parent_tags: Any) -> str:
        return f"\n\n{text.strip()}\n\n"

    def convert_section(self, el: Any, text: str, parent_tags: Any) -> str:
        if "footnotes" in (el.get("class") or []):
            return self._footnote_list(el, parent_tags)
        return f"\n\n{text.strip()}\n\n"

    def convert_ol(self, el: Any, text: str, parent_tags: Any) -> str:
        if "wp-block-footnotes" in (el.get("class") or []):
            return self._footnote_list(el, parent_tags)
        return self.convert_list(el, text, parent_tags)

    def convert_list(self, el: Any, text: str, parent_tags: Any) -> str:
        """markdownify's ``convert_list`` (whose sibling test knows only BeautifulSoup's classes): a
        nested list loses its trailing newlines; a list followed by anything but a list gets one more."""
        if "li" in parent_tags:
            return "\n" + text.rstrip()
        nxt = el.next_sibling
        while nxt is not None and not (nxt.name is not None or (nxt.__class__ not in _NOT_CONTENT and nxt.strip())):
            nxt = nxt.next_sibling
        before_paragraph = nxt is not None and nxt.name not in ("ul", "ol")
        return "\n\n" + text + ("\n" if before_paragraph else "")

    convert_ul = convert_list

    def convert_li(self, el: Any, text: str, parent_tags: Any) -> str:
        out = super().convert_li(el, text, parent_tags)
        parent = el.parent
        if parent is None or not _alternate_marker(parent):
            return out
        # A list right after another of its kind would merge with it: the other marker keeps them apart.
        if parent.name == "ol":
            return re.sub(r"^(\d+)\.", r"\1)", out, count=1)
        return re.sub(r"^-", "*", out, count=1)

    def convert_sup(self, el: Any, text: str, parent_tags: Any) -> str:
        ref = _footnote_ref(el)
        if ref is not None:
            return f"[^{ref}]"
        return f"<sup>{text}</sup>" if text.strip() else ""

    def convert_sub(self, el: Any, text: str, parent_tags: Any) -> str:
        return f"<sub>{text}</sub>" if text.strip() else ""

    def _footnote_list(self, el: Any, parent_tags: Any) -> str:
        out = []
        items = el.find_all("li")
        for n, li in enumerate(items, 1):
            for back in li.find_all("a", href=True):
                if back["href"].startswith(("#fnref", "#")) and \
                        back.get_text().strip() in ("\u21a9\ufe0e", "\u21a9", "↩︎"):
                    back.decompose()
            body = self.process_tag(li, parent_tags=set(parent_tags) | {"_footnote"})
            body = body.strip()
            body = re.sub(r"^[-*+] |^\d+\. ", "", body)
            body = re.sub(r"\n(?=.)", "\n    ", body)
            out.append(f"[^{n}]: {body}")
        return "\n\n" + "\n\n".join(out) + "\n\n"


_PUNCT = re.compile(r"[!-/:-@\[-`{-~\u2000-\u206f\u2e00-\u2e7f\u3000-\u303f]")


# What a character is to CommonMark's flanking rules ("": the edge of a block, a space).
_SPACE, _PUNCT_CHAR, _OTHER_CHAR = 1, 2, 3
_CHAR_KINDS: dict[str, int] = {"": _SPACE}


def _flanked(text: str, inner: str, mark: str, tag: str, neighbour: Callable[[int], str]) -> str:
    """``text`` (``inner``: it stripped, not empty) emphasised with ``mark``, or in ``<tag>`` where CommonMark would
    not read the marks as emphasis; ``neighbour(-1)`` and ``neighbour(1)``: the characters just outside.

    CommonMark's flanking rules: could the marks open before inner[0], and close after inner[-1]? (inner[0]
    and inner[-1] are never spaces.) A letter or digit there can; a punctuation mark only with no letter or
    digit outside. The character outside is looked for only when it counts: for those rules, or to drop a
    space at a block's edge or beside a line break."""
    kinds = _CHAR_KINDS
    first = kinds.get(inner[0]) or _char_kind(inner[0])
    last = kinds.get(inner[-1]) or _char_kind(inner[-1])
    prefix = " " if text[0].isspace() else ""
    suffix = " " if text[-1].isspace() else ""
    opens = closes = True
    if prefix or first == _PUNCT_CHAR:
        before = neighbour(-1)
        if before == "" or before == "\n":
            prefix = ""
        if prefix:
            before = " "
        opens = first != _PUNCT_CHAR or (kinds.get(before) or _char_kind(before)) != _OTHER_CHAR
    if suffix or last == _PUNCT_CHAR:
        after = neighbour(1)
        if after == "" or after == "\n":
            suffix = ""
        if suffix:
            after = " "
        closes = last != _PUNCT_CHAR or (kinds.get(after) or _char_kind(after)) != _OTHER_CHAR
    if opens and closes:
        return f"{prefix}{mark}{inner}{mark}{suffix}"
    return f"{prefix}<{tag}>{inner}</{tag}>{suffix}"


def _char_kind(ch: str) -> int:
    kind = _SPACE if ch.isspace() else _PUNCT_CHAR if _PUNCT.match(ch) else _OTHER_CHAR
    if len(_CHAR_KINDS) < 10_000:
        _CHAR_KINDS[ch] = kind
    return kind


def _neighbour_char(el: Any, direction: int) -> str:
    """The character just outside an element in the text (before it: -1, after it: 1); "" at a block
    edge, "\n" next to a line break."""
    node = el
    spaced = False
    while node is not None:
        sib = node.previous_sibling if direction < 0 else node.next_sibling
        while sib is not None:
            if sib.__class__ is Element:
                name = sib.name
                if name in _BLOCKS_AND_LISTS:
                    return ""
                if name == "br":
                    return "\n"
                if name in _EMBEDDED:
                    return " " if spaced else "x"
                text = sib.get_text()
            else:
                text = sib  # any string, comments too
            if text and not text.isspace():
                if spaced:
                    return " "
                ch = text[-1] if direction < 0 else text[0]  # as in the text with its whitespace collapsed
                return " " if ch in "\t\r\n " else ch
            if text:
                spaced = True
            sib = sib.previous_sibling if direction < 0 else sib.next_sibling
        node = node.parent
        if node is None or node.name in _BLOCK_PARENTS:
            return ""
    return ""


_EMBEDDED = frozenset(["img", "audio", "video", "iframe", "object", "embed"])
_LIST_AND_RULE = frozenset(["ul", "ol", "dl", "pre", "table", "hr", "figure"])
# Strings the walk skips, as markdownify does.
_NOT_CONTENT = frozenset([Comment, Doctype])
_BLOCKS_AND_LISTS = _BLOCK_PARENTS | _LIST_AND_RULE
_PRE = frozenset(["pre"])
_BOLD = frozenset(["strong", "b"])
_ITALIC = frozenset(["em", "i"])
_HEADING = re.compile(r"h(\d+)")


def _has_ancestor(el: Any, names: frozenset[str]) -> bool:
    """Is any ancestor of ``el`` a tag of one of these names (``el.find_parent(names) is not None``)?"""
    node = el.parent
    while node is not None:
        if node.name in names:
            return True
        node = node.parent
    return False


_TAG_INFO: dict[str, tuple[bool, bool, bool, tuple[str, ...]]] = {}
_NO_TAGS: frozenset[str] = frozenset()
# The parent_tags of a tag's children, by the tag's parent_tags and name; what process_text needs to know
# of a parent_tags: (in <pre>, in code, inline, in a table cell). Both made once, cleared if they grow
# past _MAX_CACHED (a corpus of made-up tag names).
_CHILD_TAGS: dict[frozenset[str], dict[str, tuple[frozenset[str], tuple[bool, bool, bool, bool], bool]]] = {}
_TEXT_FLAGS: dict[frozenset[str], tuple[bool, bool, bool, bool]] = {}
_INTERNED: dict[frozenset[str], frozenset[str]] = {}
_MAX_CACHED = 20_000


def _child_tags(parent_tags: frozenset[str], name: str) -> tuple[frozenset[str], tuple[bool, bool, bool, bool], bool]:
    """What a tag of this name with these parent tags gives its children (cached): their parent tags (these,
    ``name`` and the pseudo-tags markdownify adds for it), the flags of those for text, and whether
    whitespace inside the tag goes."""
    if len(_INTERNED) > _MAX_CACHED:
        _CHILD_TAGS.clear()
        _TEXT_FLAGS.clear()
        _INTERNED.clear()
    tags = frozenset([*parent_tags, name, *(_TAG_INFO.get(name) or _tag_info(name))[3]])
    tags = _INTERNED.setdefault(tags, tags)  # one object for each set: dict lookups then compare by identity
    found = (tags, _text_flags(tags), (_TAG_INFO.get(name) or _tag_info(name))[0])
    _CHILD_TAGS.setdefault(parent_tags, {})[name] = found
    return found


def _text_markdown(converter: WordPressConverter, el: Any, flags: tuple[bool, bool, bool, bool],
                   remove_inside: bool) -> str:
    """What :meth:`WordPressConverter.process_text` gives for this string, given its parent tags' flags and
    whether whitespace inside its parent goes."""
    in_pre, noformat, inline, in_table = flags
    if in_pre:
        return str(el)
    text = _collapsed(el)
    # Leading/trailing whitespace next to block boundaries: as markdownify does.
    prev = el.previous_sibling
    if prev.__class__ is Element:
        if (_TAG_INFO.get(prev.name) or _tag_info(prev.name))[2]:
            text = text.lstrip(" ")
    elif remove_inside and not prev:
        text = text.lstrip(" ")
    nxt = el.next_sibling
    if nxt.__class__ is Element:
        if (_TAG_INFO.get(nxt.name) or _tag_info(nxt.name))[2]:
            text = text.rstrip()
    elif remove_inside and not nxt:
        text = text.rstrip()
    if noformat:
        return str(text)
    # Only text whose first character could start Markdown syntax needs to know where it stands.
    starts_line = not inline and _needs_line_escape(text) and _starts_line(el)
    if starts_line or in_table or "\\" in text or "*" in text or "`" in text or "_" in text or "<" in text \
            or "&" in text or "]" in text or "~" in text or "{" in text:  # what escape_text acts on
        return str(converter.escape_text(text, starts_line=starts_line, in_table=in_table))
    return str(text)


def _collapsed(text: str) -> str:
    """Each run of whitespace a single space, as the converter makes a string's (the pattern runs only when
    there is something to collapse: most strings have none)."""
    if "\n" in text or "  " in text or "\t" in text or "\r" in text:
        return _ALL_WHITESPACE.sub(" ", text)
    return text


def _needs_line_escape(text: str) -> bool:
    """Would this (collapsed) text be escaped were it to start a line? (:func:`_text_markdown` asks
    :func:`_starts_line` only then.)"""
    first = text[:1]
    if first == " ":
        first = text.lstrip(" ")[:1]
    return bool(first) and (first in _LINE_START_CHARS or first.isdigit())


def _text_flags(parent_tags: Any) -> tuple[bool, bool, bool, bool]:
    """(in ``<pre>``, in code, inline, in a table cell) for these parent tags (cached for a frozenset)."""
    flags = ("pre" in parent_tags, "_noformat" in parent_tags, "_inline" in parent_tags,
             "td" in parent_tags or "th" in parent_tags)
    if parent_tags.__class__ is frozenset:
        _TEXT_FLAGS[parent_tags] = flags
    return flags


def _tag_info(name: str) -> tuple[bool, bool, bool, tuple[str, ...]]:
    """What the walk needs to know about a tag of this name, cached: (whitespace inside it goes,
    whitespace beside it goes, text beside it is stripped, pseudo-tags its children get). These depend
    on the name alone (markdownify's ``should_remove_whitespace_*`` look at nothing else)."""
    info = _TAG_INFO.get(name)
    if info is None:
        probe = Element(name=name)
        outside = bool(should_remove_whitespace_outside(probe))
        pseudo = []
        if _HEADING.match(name) is not None or name in ("td", "th"):
            pseudo.append("_inline")
        if name in ("pre", "code", "kbd", "samp"):
            pseudo.append("_noformat")
        info = (bool(should_remove_whitespace_inside(probe)), outside, outside or _is_block(probe), tuple(pseudo))
        _TAG_INFO[name] = info
    return info


def _join_collapsing_newlines(strings: list[str]) -> str:
    """Join converted children as markdownify does: where one ends in newlines and the next starts with
    some, at most two (the larger count) are kept. (A child of newlines only takes part once.)"""
    out: list[str] = []
    append = out.append
    trail = 0  # the newlines that ended the previous child, not written yet
    for s in strings:
        if s[0] == "\n":
            body = s.lstrip("\n")
            lead = len(s) - len(body)
            if trail:
                if lead > trail:
                    trail = lead
                append("\n\n" if trail > 1 else "\n")  # the larger count, at most two
            else:
                append(s[:lead])
            if not body:
                trail = 0
                continue
        else:
            body = s
            if trail:
                append("\n" * trail)
        if body[-1] == "\n":
            content = body.rstrip("\n")
            trail = len(body) - len(content)
            append(content)
        else:
            trail = 0
            append(body)
    if trail:
        append("\n" * trail)
    return "".join(out)


_WRAPPERS = frozenset(["div", "figure", "section", "article", "aside", "header", "footer", "main", "nav", "center",
                       "span", "p"])


def _previous_list(lst: Any) -> Any:
    """The list that ends right before this one in the Markdown (same kind), if any: the two would merge."""
    node = lst
    while node is not None:
        sib = node.previous_sibling
        while sib is not None and not (isinstance(sib, Element) or str(sib).strip()):
            sib = sib.previous_sibling
        if sib is None:
            node = node.parent
            if node is None or node.name not in _WRAPPERS:
                return None
            continue
        if not isinstance(sib, Element):
            return None
        while sib.name in _WRAPPERS and sib.name != "p":  # the last thing inside a wrapper
            children = [c for c in sib.children if isinstance(c, Element) or str(c).strip()]
            if not children or not isinstance(children[-1], Element):
                return None
            sib = children[-1]
        return sib if sib.name == lst.name else None
    return None


def _alternate_marker(lst: Any, depth: int = 0) -> bool:
    """Every other list in a run of adjacent lists of one kind gets the other marker."""
    prev = _previous_list(lst)
    if prev is None or depth > 50:
        return False
    return not _alternate_marker(prev, depth + 1)


def _html_attr(name: str, value: Any) -> str:
    if isinstance(value, list):
        value = " ".join(value)
    if value == "" or value == name or value is None:
        return f" {name}"
    return f' {name}="{_attr(str(value))}"'


def _object_url(el: Any) -> str:
    """The URL an ``<object>`` plays: its ``data``, a ``<param name="movie|src">``, or its ``<embed>``'s ``src``."""
    if el.get("data"):
        return el.get("data")
    for param in el.find_all("param"):
        if (param.get("name") or "").lower() in ("movie", "src", "url") and param.get("value"):
            return param.get("value")
    inner = el.find("embed")
    return (inner.get("src") or "") if inner is not None else ""


# Markdown escapes in a caption (a backslash, a backtick, a hard line break) and what they become in Hugo's figure.
_MARKDOWN_ESCAPE = re.compile(r"\\[\\`\n]")
_IN_CAPTION = {"\\`": "&#96;", "\\\n": " "}


def _hugo_param(value: str, markdown: bool = False) -> str:
    """``value`` as a Hugo shortcode parameter that reads back as exactly ``value`` (whitespace runs made one space):
    nothing in it can end the shortcode or start another. Hugo's lexer reads a raw string (between backticks)
    as it is, ``>}}``, ``{{<``, quotes and backslashes included; a value holding a backtick goes between double
    quotes, where ``\\"`` is a quote, but where a backslash before a backtick or the closing quote is an
    error, and every backslash is dropped once the value holds an escaped quote. So a value with both a backtick
    and a backslash cannot be written exactly: its backticks become ``ˋ`` (U+02CB, which looks the same). In
    a caption (``markdown``: Hugo's figure runs it through markdownify) an escaped backtick is written
    ``&#96;``, which Markdown shows as a backtick, and a line break a space."""
    if markdown:
        value = _MARKDOWN_ESCAPE.sub(lambda m: _IN_CAPTION.get(m.group(), m.group()), value)
    value = _ALL_WHITESPACE.sub(" ", value).strip()
    if "`" not in value:
        return f"`{value}`" if '"' in value or "\\" in value else f'"{value}"'
    if "\\" in value:
        return "`" + value.replace("`", "\u02cb") + "`"
    return '"' + value.replace('"', '\\"') + '"'


def _colspan(cell: Any) -> int:
    span = str(cell.get("colspan") or "1")
    return max(1, min(100, int(span))) if span.isdigit() else 1


def _align(cell: Any) -> str:
    style = (cell.get("style") or "").replace(" ", "").lower()
    classes = " ".join(cell.get("class") or [])
    align = (cell.get("align") or "").lower() or (
        "center" if "text-align:center" in style or "has-text-align-center" in classes
        else "right" if "text-align:right" in style or "has-text-align-right" in classes
        else "left" if "text-align:left" in style or "has-text-align-left" in classes else "")
    return {"center": ":---:", "right": "---:", "left": ":---"}.get(align, "---")


def _is_block(node: Any) -> bool:
    return isinstance(node, Element) and (node.name in _BLOCK_PARENTS or node.name in _LIST_AND_RULE
                                      or node.name in ("audio", "video", "iframe", "wp-more"))


def _outer_spaces(text: str) -> tuple[str, str]:
    return (" " if text[:1].isspace() else "", " " if text[-1:].isspace() else "")


def _starts_line(el: Any) -> bool:
    """True when this text node starts a line of Markdown (first in its block, or after a <br>)."""
    prev = el.previous_sibling
    while prev is not None and prev.name is None and (not prev or prev.isspace()):  # whitespace strings
        prev = prev.previous_sibling
    if prev is not None:
        return isinstance(prev, Element) and prev.name == "br"
    parent = el.parent
    while parent is not None and parent.name not in _BLOCK_PARENTS:
        if parent.previous_sibling is not None and (not isinstance(parent.previous_sibling, Text)
                                                    or str(parent.previous_sibling).strip()):
            return False
        parent = parent.parent
    return True


def _lone_image(figure: Any) -> Any:
    """The figure's one image (or the link around it), when the figure holds only that and a caption."""
    images = figure.find_all("img")
    if len(images) != 1:
        return None
    img = images[0]
    node = img.parent if img.parent is not None and img.parent.name == "a" and img.parent.parent is figure else img
    if node.parent is not figure and not (node.parent is not None and node.parent.parent is figure
                                          and node.parent.name in ("div", "span", "p")
                                          and len([c for c in node.parent.children
                                                   if isinstance(c, Element) or str(c).strip()]) == 1):
        return None
    for child in figure.children:
        if isinstance(child, Element):
            if child.name == "figcaption" or child is node or node in child.descendants:
                continue
            if child.get_text().strip() or child.find(["img", "video", "audio", "iframe"]):
                return None
        elif str(child).strip():
            return None
    if node.name == "a" and node.get_text().strip():
        return None
    return node


def _footnote_ref(sup: Any) -> str | None:
    """The number of a footnote reference: WordPress's ``<sup data-fn>`` or markdown-it's ``footnote-ref``."""
    classes = sup.get("class") or []
    if sup.get("data-fn") is None and "footnote-ref" not in classes and "fn" not in classes:
        return None
    text = sup.get_text().strip().strip("[]")
    return text if text.isdigit() else None


def _pre_text(el: Any) -> str:
    """The text of a ``<pre>``: ``<br>`` as newlines, tags dropped."""
    parts: list[str] = []
    for node in el.descendants:
        if isinstance(node, Element):
            if node.name == "br":
                parts.append("\n")
        elif node.__class__ is Text or node.__class__ is CData:
            parts.append(str(node))
    return "".join(parts).replace("\r\n", "\n").replace("\r", "\n")


def _code_language(el: Any) -> str:
    """The language of a ``<pre>`` from its ``class`` (``language-php``, ``lang-php``, ``brush: php``)."""
    classes = el.get("class") or []
    if isinstance(classes, str):
        classes = classes.split()
    for i, cls in enumerate(classes):
        for prefix in ("language-", "lang-"):
            if cls.startswith(prefix) and len(cls) > len(prefix):
                return re.sub(r"[^\w+#.-]", "", cls[len(prefix):])
        if cls == "brush:" and i + 1 < len(classes):
            return re.sub(r"[^\w+#.-]", "", classes[i + 1].rstrip(";"))
        if cls.startswith("brush:") and len(cls) > 6:
            return re.sub(r"[^\w+#.-]", "", cls[6:].rstrip(";"))
    code = el.find("code") if hasattr(el, "find") else None
    if code is not None and code is not el:
        return _code_language(code)
    return ""


# Elements whose start tag ends an open <p> (HTML5 parsing), and end tags that end it too.
_CLOSES_P = frozenset(
    ["address", "article", "aside", "blockquote", "details", "dialog", "div", "dl", "fieldset", "figcaption",
     "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "main", "menu", "nav",
     "ol", "p", "pre", "section", "table", "ul"]
)
_ENDS_P = frozenset(["blockquote", "div", "li", "td", "th", "dd", "dt", "figure", "figcaption", "section", "article",
                     "aside", "body", "html"])
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)\b[^>]*>|<!--.*?-->", re.DOTALL)


def close_paragraphs(html: str) -> str:
    """End each ``<p>`` where a browser ends it: before a block (``<figure>``, ``<div>``…) or at the end
    of its container. WordPress's paragraphs often wrap blocks a shortcode expanded into."""
    if "<p" not in html or not _changes_paragraphs(html):
        return html
    out: list[str] = []
    pos = 0  # html[pos:] is still to be copied; only tags that change something cut it
    p_open = False
    for m in _TAG.finditer(html):
        name = m.group(2)
        if not name:  # a comment
            continue
        name = name.lower()
        if m.group(1):  # an end tag
            if name == "p":
                if p_open:
                    p_open = False
                else:  # a </p> with no <p> open: dropped
                    out.append(html[pos:m.start()])
                    pos = m.end()
            elif p_open and name in _ENDS_P:
                out.append(html[pos:m.start()])
                out.append("</p>")
                pos = m.start()
                p_open = False
        else:
            if p_open and name in _CLOSES_P:
                out.append(html[pos:m.start()])
                out.append("</p>")
                pos = m.start()
                p_open = False
            if name == "p":
                p_open = True
    if not out:
        return html
    out.append(html[pos:])
    return "".join(out)


# What a tag found by _TAG is to close_paragraphs, by the "/" and name _TAG_TOKEN gives (cached: any case).
_OPEN_P, _CLOSE_P, _CLOSING, _OTHER = 1, 2, 3, 0
_TAG_TOKEN = re.compile(r"<(/?[A-Za-z][A-Za-z0-9-]*)\b[^>]*>|<!--.*?-->", re.DOTALL)  # _TAG, one group
_TOKEN_KINDS: dict[str, int] = {"": _OTHER}


def _token_kind(token: str) -> int:
    name = token.lower()
    if name == "p":
        kind = _OPEN_P
    elif name == "/p":
        kind = _CLOSE_P
    elif (name[1:] in _ENDS_P) if name[:1] == "/" else (name in _CLOSES_P):
        kind = _CLOSING
    else:
        kind = _OTHER
    if len(_TOKEN_KINDS) < 10_000:
        _TOKEN_KINDS[token] = kind
    return kind


def _changes_paragraphs(html: str) -> bool:
    """Would :func:`close_paragraphs` change anything? The same tags, read the same way, with far less work
    for each (most documents' paragraphs are closed already)."""
    p_open = False
    kinds = _TOKEN_KINDS
    for token in _TAG_TOKEN.findall(html):
        kind = kinds.get(token)
        if kind is None:
            kind = _token_kind(token)
        if kind is _OTHER:
            continue
        if kind is _OPEN_P:
            if p_open:  # a <p> ends the open one
                return True
            p_open = True
        elif kind is _CLOSE_P:
            if not p_open:  # a stray </p> goes
                return True
            p_open = False
        elif p_open:
            return True
    return False


def _prepare(html: str) -> str:
    """WordPress's content comments as elements the converter sees; paragraphs closed as browsers do."""
    html = close_paragraphs(html)
    if "<!--" not in html:
        return html
    if "<!--more" in html:
        html = _MORE.sub("<wp-more></wp-more>", html)
    if "<!--nextpage-->" in html:
        html = _NEXTPAGE.sub('<hr class="wp-nextpage">', html)
    if "<!--noteaser-->" in html:
        html = _NOTEASER.sub("", html)
    return html


_FENCE = re.compile(r"^[ >]*(`{3,}|~{3,})")
_INNER_SPACES = re.compile(r"(?<=[^ >])  +(?=\S)")


def _collapse_spaces(text: str) -> str:
    """Runs of spaces inside a line are one space to a reader (not in fenced code)."""
    if "  " not in text:
        return text
    lines = text.split("\n")
    fence = ""
    for i, line in enumerate(lines):
        m = _FENCE.match(line)
        if m:
            if not fence:
                fence = m.group(1)
            elif m.group(1).startswith(fence[0]) and len(m.group(1)) >= len(fence):
                fence = ""
            continue
        if not fence and not line.lstrip(" >").startswith("|"):
            lines[i] = _INNER_SPACES.sub(" ", line)
    return "\n".join(lines)


_CONVERTERS: dict[tuple[Any, ...], WordPressConverter] = {}


def make_converter(cls: type[WordPressConverter] | None = None,
                   options: dict[str, Any] | None = None) -> WordPressConverter:
    """A converter of class ``cls`` (:class:`WordPressConverter` or a subclass) with these options, made once
    for each (converters keep no state between documents). Raises :class:`ConverterOptionError` for an option
    the class does not know or does not honour."""
    cls = cls or WordPressConverter
    options = options or {}
    try:
        key = (cls, *sorted(options.items()))
        made = _CONVERTERS.get(key)
    except TypeError:  # an option that cannot be a key (a list…): a converter of its own
        return cls(**options)
    if made is None:
        if len(_CONVERTERS) >= 64:
            _CONVERTERS.clear()
        made = _CONVERTERS[key] = cls(**options)
    return made


def html_to_markdown(html: str, converter: MarkdownConverter | None = None, **options: Any) -> str:
    """Convert an HTML fragment to tidy Markdown ending in one newline (empty string for no content), through
    the tree (the reference of :func:`.quickblocks.html_to_markdown`, which the stages call)."""
    if not html or html.isspace():  # (not html.strip(): the same answer without a copy)
        return ""
    converter = converter or make_converter(None, options)
    return tidy_markdown(convert_prepared(_prepare(html), converter))


def convert_prepared(html: str, converter: MarkdownConverter) -> str:
    """The converter's text for HTML :func:`_prepare` gave (not yet tidied)."""
    try:
        return converter.convert(html)
    except RecursionError:  # the converter walks the tree by recursion, as markdownify does
        raise MigrateError("its HTML is nested too deeply to convert (elements inside elements, hundreds "
                           "of levels down)", hint="close the HTML's tags in the post, or leave it out") from None


def tidy_markdown(text: str) -> str:
    """The converter's text as written: no trailing spaces, no runs of blank lines, no stray breaks, ending in
    one newline ("" when empty)."""
    # Each pattern runs only when the text holds what it needs to match (most texts need few of them).
    text = tidied = _tidy_lines(text)
    if "\\" in text:
        text = _DANGLING_BREAK.sub("", text)
        if "\\\n" in text:
            text = _LEADING_BREAK.sub(r"\1", text)
            text = _BREAK_THEN_SPACE.sub("\\\n", text)
    if "\u00a0" in text:
        text = _EDGE_NBSP_START.sub(r"\1", text)
        text = _EDGE_NBSP_END.sub("", text)
    text = _collapse_spaces(text)
    if text is tidied:  # nothing changed since: _tidy_lines(text + "\n") would only trim the last line
        text = text.rstrip(" \t").rstrip("\n")
    else:
        text = _tidy_lines(text + "\n")
    return text + "\n" if text else ""


def _tidy_lines(text: str) -> str:
    """No spaces or tabs at line ends, no runs of blank lines, no newlines at either end."""
    if " \n" in text or ("\t" in text and "\t\n" in text):  # (a tab is rare: one fast scan for it)
        text = _TRAILING_SPACE.sub("\n", text)
    if "\n\n\n" in text:
        text = _EXTRA_BLANK_LINES.sub("\n\n", text)
    return text.strip("\n")
