"""HTML → Markdown without the tree for what most posts are made of: the quick path of :func:`html_to_markdown`.

Most of a post is paragraphs of text with a few inline tags: <p>…</p>, each on its own line at the top of the
document, with the odd heading or list. Building and walking the tree for them is most of the converter's work,
and what it gives them depends on nothing outside them (they are blocks: every look at neighbours stops at them; a
list's marker depends on the list before it, so a list goes this way only between blocks that are no lists). So
such blocks are converted here, from their markup, and the tree sees a paragraph holding one placeholder string
for each run of them, replaced in the converted text before the text is tidied; a document of nothing else is not
parsed at all. Anything this does not know how to convert exactly as the tree would makes it decline: the block
(or the document) then goes through the tree.

Contract. :func:`html_to_markdown` takes any HTML and a converter and must give, byte for byte, what
:func:`.markdown.html_to_markdown` (the tree alone, the reference) gives with that converter. The quick path is
taken only for a converter it stands for (:func:`stands_for`): one whose class replaces none of the methods whose
results it reproduces (:data:`QUICK_METHODS`: ``convert_p``, ``convert_a``, ``convert_br``, ``convert_hN``, the
lists', the quote's, emphasis, text and the walk), with no ``strip``/``convert`` option and lxml as the parser. A
subclass that overrides ``convert_img`` keeps it; one that overrides ``convert_p`` goes through the tree.

Check. ``WP_MIGRATE_CHECK_FAST=1`` (:mod:`migrate.fastpath`) converts every document through the tree too and
compares; tests/test_quick_paragraphs.py compares the two on made-up documents, traps and every export at hand.

Figures (#17; CPU of a whole conversion in one process, least of 5 alternated runs): the 3,000-post corpus mix
of benchmarks/generate_export.py 2.84 s with it, 3.14 s without (58% of the documents need no tree at all);
the corpus exports themselves (test data full of edge cases, where it mostly declines) the same within 5%.
"""

from __future__ import annotations

import re
from typing import Any

from .. import fastpath
from . import markdown
from .markdown import (
    _ALL_WHITESPACE,
    _AUTOLINK,
    _CLOSING_HASHES,
    WordPressConverter,
    _collapsed,
    _flanked,
    _needs_line_escape,
    _outer_spaces,
    _prepare,
    _url,
    convert_prepared,
    make_converter,
    overrides,
    tidy_markdown,
)
from .sanitize import safe_url

#: The converter's methods whose results the quick path reproduces: a class that replaces one goes through the tree.
QUICK_METHODS = ("convert", "convert_soup", "process_tag", "process_element", "process_text", "escape_text",
                 "convert_p", "convert_a", "convert_br", "convert_hN", *(f"convert_h{n}" for n in range(1, 7)),
                 "convert_ul", "convert_ol", "convert_list", "convert_li", "convert_blockquote", "convert_b",
                 "convert_strong", "convert_em", "convert_i", "_emphasis", "convert_wp_more", "get_conv_fn",
                 "get_conv_fn_cached", "should_convert_tag")
_LXML = {"features": "lxml"}
_STANDS_FOR: dict[type, bool] = {}


def stands_for(converter: WordPressConverter) -> bool:
    """Does the quick path give what this converter's tree gives (see the module's doc)?"""
    cls = type(converter)
    valid = _STANDS_FOR.get(cls)
    if valid is None:
        valid = _STANDS_FOR[cls] = isinstance(converter, WordPressConverter) and not overrides(cls, *QUICK_METHODS)
    options = converter.options
    return valid and options["strip"] is None and options["convert"] is None and options["bs4_options"] == _LXML


def html_to_markdown(html: str, converter: WordPressConverter | None = None, **options: Any) -> str:
    """:func:`.markdown.html_to_markdown`'s Markdown, the quick way where the converter allows it."""
    if not html or html.isspace():
        return ""
    converter = converter or make_converter(None, options)
    if not stands_for(converter):
        return markdown.html_to_markdown(html, converter)
    text = tidy_markdown(_quick_text(html, converter))
    if fastpath.CHECK:
        fastpath.check("quickblocks.html_to_markdown", html, text, lambda: markdown.html_to_markdown(html, converter))
    return text


def _quick_text(html: str, converter: WordPressConverter) -> str:
    """The converted text (not yet tidied), with the quick blocks converted here and the rest by the tree."""
    bullet = converter.options["bullets"][:1]
    # A document of nothing but quick blocks holds no comment, and no paragraph that a block or a stray end
    # tag would end: _prepare would not change it. Most documents are that.
    quick = _quick_paragraphs(html, bullet)
    if quick is not None and len(quick[1]) == 1 and quick[0].strip("\n") == _ONLY_PLACEHOLDER:
        return quick[1][0]  # what the tree would give, without it
    prepared = _prepare(html)
    if prepared is not html:
        quick = _quick_paragraphs(prepared, bullet)
    if quick is not None:
        text = _put_back(convert_prepared(quick[0], converter), quick[1])
        if text is not None:
            return text
    return convert_prepared(prepared, converter)


_PLACEHOLDER = "\ue000"  # a private-use character: "\ue000<n>\ue001" stands for the n-th paragraph
_ONLY_PLACEHOLDER = f"<p>{_PLACEHOLDER}0\ue001</p>"
_QUICK_BLOCK = re.compile(r"<(p|h[1-6]|ul|ol|blockquote)>")
_NEWLINES = re.compile(r"\n*")
# What may come before and after a quick list: blocks that never hold a list, or nothing.
_LIST_MAY_FOLLOW = ("</p>", "</h1>", "</h2>", "</h3>", "</h4>", "</h5>", "</h6>", "</blockquote>", "</pre>",
                    "</table>", "<hr />", "<hr/>", "<hr>")
_LIST_NEXT = re.compile(r"\n*(?:\Z|<(?:p|h[1-6]|blockquote|pre|table|hr)[\s/>])")
# Paragraphs as wpautop writes them that hold no text: "" (the paragraph gives nothing), and <!--more-->.
_QUICK_SPECIALS = {"": "", "&nbsp;": "", "\u00a0": "", " ": "", "<wp-more></wp-more>": "<!--more-->"}
# Inside a quick paragraph: text, and these tags, not nested (an <a> with nothing but a plain href).
_INLINE_TAG = re.compile(r"<(/?)(strong|b|em|i|a|br)( href=\"[^\"\s&<>]+\"| ?/)?>")
_ENTITY_LIKE = re.compile(r"&#?[A-Za-z0-9]+;")  # what escape_text escapes an "&" before
_EMPHASIS_MARKS = {"strong": ("**", "strong"), "b": ("**", "strong"), "em": ("*", "em"), "i": ("*", "em")}
# Characters the quick path leaves to the tree (besides "<" not in a tag it knows, and entities but &amp;):
# what escape_text acts on, control characters and whitespace other than ASCII's (which the parser and the
# converter's collapsing treat in their own ways).
_NOT_QUICK = re.compile(
    "[\\\\*`_\\]~{\x00-\x08\x0b-\x1f\x7f\r\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")


def _quick_paragraphs(html: str, bullet: str = "") -> tuple[str, list[str]] | None:
    """``html`` with each paragraph (heading, list) the quick path converts replaced by a paragraph holding a
    placeholder, and their Markdown (in document order); None when there is none. ``bullet``: the marker of
    the converter's lists ("": lists go through the tree).

    Paragraphs and headings are looked for where wpautop writes top-level ones, at the start of a line. One
    that is not at the top level after all (in a ``<blockquote>`` written as HTML, in a comment or a
    ``<script>``…) is found out by :func:`_put_back`: its placeholder is not where a paragraph's would be.
    """
    if _PLACEHOLDER in html:
        return None
    pieces: list[str] = []
    found: list[list[str]] = []  # the Markdown of the blocks each placeholder stands for
    copied = 0  # html[copied:] is still to be copied
    last_end = -1  # where the last quick block ends
    lead = _NEWLINES.match(html).end()  # type: ignore[union-attr]  # where the first block can start (after newlines)
    search = _QUICK_BLOCK.search
    m = search(html)
    while m is not None:
        start = m.start()
        name = m.group(1)
        if start and html[start - 1] != "\n":
            m = search(html, m.end())
            continue
        # Its end tag, looked for only up to the next start tag of its name: what holds another is no quick
        # block, and every byte is searched once however the tags nest (a hostile post: 10 MB of "<p>").
        bound = html.find(f"<{name}>", m.end())
        end = html.find(f"</{name}>", m.end(), len(html) if bound < 0 else bound)
        if end < 0:
            m = search(html, m.end())
            continue
        after = end + len(name) + 3
        # Right after another quick block, with only newlines between (strings the converter skips beside a
        # block)? Then one placeholder stands for both, their Markdown joined by a blank line.
        joins = last_end >= 0 and _NEWLINES.match(html, last_end).end() == start  # type: ignore[union-attr]
        inner = html[m.end():end]
        if name == "p":
            markdown = _quick_paragraph(inner)
        elif name[0] == "h":
            markdown = _quick_heading(inner, int(name[1]))
        elif name == "blockquote":
            # (a quote starts with one newline, where a paragraph starts with two: the same after a block
            # that gives two, or at the start; not after text, nor after a block that gives nothing)
            markdown = _quick_blockquote(inner) if joins or start <= lead else None
        elif bullet and _LIST_NEXT.match(html, after) and (start <= lead or _list_may_follow(html, start)):
            # (a list right after another list, or in a wrapper after one, gets the other marker; a list
            # beside these blocks does not, and neither does the list after them)
            markdown = _quick_list(inner, name == "ol", bullet)
        else:
            markdown = None
        if markdown is None:
            m = search(html, m.end())
            continue
        if joins:
            if markdown:
                found[-1].append(markdown)
        elif markdown:
            pieces.append(html[copied:start])
            pieces.append(f"<p>{_PLACEHOLDER}{len(found)}\ue001</p>")
            found.append([markdown])
        else:  # a paragraph that gives nothing stays in the tree, but for beside one that gives something
            m = search(html, after)
            continue
        copied = last_end = after
        m = search(html, after)
    if not found:
        return None
    pieces.append(html[copied:])
    return "".join(pieces), ["\n\n".join(blocks) for blocks in found]


def _list_may_follow(html: str, start: int) -> bool:
    """Does what comes before ``html[start]`` (newlines aside) end with one of :data:`_LIST_MAY_FOLLOW`?"""
    k = start
    while k and html[k - 1] == "\n":
        k -= 1
    return html.endswith(_LIST_MAY_FOLLOW, 0, k)


def _put_back(text: str, found: list[str]) -> str | None:
    """The converted text with each placeholder replaced by its paragraph's Markdown; None unless every
    placeholder stands alone between blank lines (or the text's edge), in order (as a top-level paragraph's
    does)."""
    pieces: list[str] = []
    copied = 0
    for n, block in enumerate(found):
        mark = f"{_PLACEHOLDER}{n}\ue001"
        at = text.find(mark, copied)
        after = at + len(mark)
        if at < 0 or (at and text[at - 2:at] != "\n\n") or (after < len(text) and text[after:after + 2] != "\n\n"):
            return None
        pieces.append(text[copied:at])
        pieces.append(block)
        copied = after
    pieces.append(text[copied:])
    return "".join(pieces)


def _quick_paragraph(inner: str) -> str | None:  # noqa: C901 -- one converter step after another, each short
    """What the converter gives a top-level ``<p>`` with this markup inside (stripped; "" when nothing), or None
    when the quick path does not know (see above). Each step below is the converter's for these nodes: the
    comments name the method whose result it gives."""
    if inner in _QUICK_SPECIALS:
        return _QUICK_SPECIALS[inner]
    if _NOT_QUICK.search(inner) is not None:  # (in a tag's attribute too: no matter, a rare case)
        return None
    if "&" in inner:  # "&amp;" is "&" to the parser, which escape_text leaves but before what reads as an entity
        if inner.count("&") != inner.count("&amp;"):
            return None
        inner = inner.replace("&amp;", "&")
        if _ENTITY_LIKE.search(inner):
            return None
    if "<" not in inner:  # (most paragraphs: the steps below for one string)
        text = _collapsed(inner).strip(" ")
        return text if text and not _needs_line_escape(text) else None
    parts = _INLINE_TAG.split(inner)
    # The paragraph's children: strings, and (name, text, href) for its elements.
    kids: list[Any] = []
    i, count = 0, len(parts)
    while True:
        text = parts[i]
        if text:
            if "<" in text:
                return None
            if text.isspace():  # as the parser's strings become in the light tree
                text = "\n" if "\n" in text else " "
            kids.append(text)
        if i + 1 >= count:
            break
        closing, name, attr = parts[i + 1:i + 4]
        if closing:
            return None
        if name == "br":
            if attr and attr.startswith(" h"):
                return None
            kids.append(("br", "", ""))
            i += 4
            continue
        # <name>text</name>, nothing else inside
        if i + 7 >= count or parts[i + 5] != "/" or parts[i + 6] != name or parts[i + 7] \
                or (attr is not None) != (name == "a") or (attr and attr.endswith("/")):
            return None
        text = parts[i + 4]
        if not text or text.isspace() or "<" in text:
            return None
        kids.append((name, text, attr[7:-1] if attr else ""))
        i += 8
    last = len(kids) - 1
    strings: list[str] = []
    line_start = True  # has nothing but whitespace strings come since the paragraph's start or a <br>?
    for j, kid in enumerate(kids):
        if kid.__class__ is str:  # process_tag, then _text_markdown
            if kid.isspace():
                if j and j != last:
                    strings.append(" ")
                continue
            text = _collapsed(kid)
            if j == 0:
                text = text.lstrip(" ")
            if j == last:
                text = text.rstrip()
            if line_start and _needs_line_escape(text):  # (_starts_line)
                return None
            line_start = False
            strings.append(text)
            continue
        name, raw, href = kid
        if name == "br":  # convert_br
            line_start = True
            if _quick_neighbour(kids, j, -1) == "" or _quick_neighbour(kids, j, 1) == "":
                continue
            strings.append("\\\n")
            continue
        line_start = False
        text = _collapsed(raw)
        before = kids[j - 1] if j else None
        if (before is None or (before.__class__ is str and before.isspace())) and _needs_line_escape(text):
            return None  # (_starts_line: the element starts its paragraph)
        if name == "a":  # convert_a
            if not safe_url(href):
                return None  # (the tree's convert_a decides, by the converter's options)
            if raw == href and _AUTOLINK.match(href):
                strings.append(f"<{href}>")
            else:
                prefix, suffix = _outer_spaces(text)
                strings.append(f"{prefix}[{text.strip()}]({_url(href)}){suffix}")
            continue
        strings.append(_quick_emphasis(kids, j, text, *_EMPHASIS_MARKS[name]))
    text = "".join(strings).strip(" \t\r\n")  # convert_p
    return text or None


def _quick_list(inner: str, ordered: bool, bullet: str) -> str | None:
    """What the converter gives a top-level ``<ul>`` (``<ol>``) of items each on a line, with this markup inside,
    when no list comes right before or after it; or None. Each item's text is a quick paragraph's, on one
    line (convert_li: the bullet, or the item's number, and the text stripped)."""
    if inner[:1] != "\n":
        return None
    lines: list[str] = []
    for item in inner[1:].split("\n"):
        if not item:  # (newlines between items, and before the end tag: strings the converter skips)
            continue
        if item[:4] != "<li>" or item[-5:] != "</li>" or "<br" in item:
            return None
        text = _quick_paragraph(item[4:-5])
        if not text:
            return None
        lines.append(f"{len(lines) + 1}. {text}" if ordered else f"{bullet} {text}")
    return "\n".join(lines) if lines else None


def _quick_blockquote(inner: str) -> str | None:
    """What the converter gives a top-level ``<blockquote>`` of quick paragraphs (each ``<p>…</p>`` on a line,
    or one), or None: their Markdown (convert_blockquote: each line after "> ", an empty one ">")."""
    paragraphs = []
    for line in inner.strip("\n").split("\n"):
        if line[:3] != "<p>" or line[-4:] != "</p>":
            return None
        text = _quick_paragraph(line[3:-4])
        if text is None:
            return None
        if text:
            paragraphs.append(text)
    if not paragraphs:
        return None
    return "\n".join(f"> {line}" if line else ">" for line in "\n\n".join(paragraphs).split("\n"))


def _quick_heading(inner: str, level: int) -> str | None:
    """What the converter gives a top-level ``<h1>``…``<h6>`` with this markup inside, or None (see
    :func:`_quick_paragraph`, which converts its text: the same as in a paragraph, but for line breaks and the
    escapes of a line's start, which a heading does not make and the quick paragraph declines)."""
    if "<br" in inner:
        return None
    text = _quick_paragraph(inner)
    if not text:
        return None
    text = _ALL_WHITESPACE.sub(" ", text).strip()  # convert_hN
    if text[-1] == "#":
        text = _CLOSING_HASHES.sub(lambda m: "\\" + m.group(0), text)
    return f"{'#' * level} {text}"


def _quick_neighbour(kids: list[Any], j: int, direction: int) -> str:
    """:func:`_neighbour_char` for the paragraph's child ``j``."""
    spaced = False
    j += direction
    while 0 <= j < len(kids):
        kid = kids[j]
        if kid.__class__ is tuple:
            if kid[0] == "br":
                return "\n"
            text = kid[1]
        else:
            text = kid
        if text and not text.isspace():
            if spaced:
                return " "
            ch = text[-1] if direction < 0 else text[0]
            return " " if ch in "\t\r\n " else ch
        if text:
            spaced = True
        j += direction
    return ""  # the paragraph's edge


def _quick_emphasis(kids: list[Any], j: int, text: str, mark: str, tag: str) -> str:
    """:meth:`WordPressConverter._emphasis` for the paragraph's child ``j`` (not inside bold or italic)."""
    return _flanked(text, text.strip(), mark, tag, lambda direction: _quick_neighbour(kids, j, direction))
