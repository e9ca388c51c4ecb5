"""Read a WordPress eXtended RSS (WXR) export as a stream of :class:`~migrate.model.Post`.

The file is read once, in chunks, by lxml's pull parser; every item is cleared once used, so memory
stays flat whatever the size of the export. That first pass checks the whole file is well-formed,
reads the channel (site, authors, terms), builds small indexes (attachments, page tree, reusable
blocks, item count) and notes where each item's bytes are in the file; with several jobs, a big file's
first pass is shared out, each process reading a part of the file that starts at an item. Posts are
then made from those bytes alone: an item is parsed on its own, by whichever process converts it, and
the file is not parsed a second time.
"""

from __future__ import annotations

import codecs
import html
import multiprocessing
import os
import re
from array import array
from collections.abc import Container, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import unquote, urlsplit

from lxml import etree

from .. import fastpath, parallel
from ..errors import InputError
from ..model import (
    Attachment,
    Author,
    Comment,
    ExportIndex,
    Meta,
    Post,
    Site,
    Term,
    TermRef,
    term_key,
)
from .elide import MARKER, ContentLimit, left_out
from .inputs import open_export, wide_encoding
from .itemreader import read_item
from .names import _name_cache, qname
from .phpserial import maybe_unserialize
from .recover import Problem, Salvage

# WordPress's "no date" value, and the pubDate WordPress writes for drafts (year -0001).
_ZERO_DATE = "0000-00-00 00:00:00"
# A MySQL DATETIME: 2013-01-10 20:15:40
_MYSQL_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$")
# The same in ASCII digits, the common case (parse_mysql_date reads it with fromisoformat).
_ASCII_MYSQL_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}:[0-9]{2}")

_NO_TEXT_LIMIT = 10 * 1024 * 1024  # libxml2's per-node limit without huge_tree

T = TypeVar("T")


def parse_mysql_date(text: str | None, *, utc: bool = False) -> datetime | None:
    """Parse ``YYYY-MM-DD HH:MM:SS``; the zero date and anything invalid mean no date."""
    if not text:
        return None
    text = text.strip()
    if text == _ZERO_DATE:
        return None
    try:
        if _ASCII_MYSQL_DATE.fullmatch(text) and text[11:13] < "24":
            # The common case, 5x faster than six int()s: this is exactly YYYY-MM-DD HH:MM:SS in ASCII digits
            # (the pattern below, without groups to make), which fromisoformat reads (and range-checks) as
            # datetime() does. Hour 24, which some Pythons' fromisoformat take for the next midnight, takes the
            # other way. For UTC, the offset makes fromisoformat give timezone.utc itself: 5x cheaper than replace().
            return datetime.fromisoformat(text + "+00:00" if utc else text)
        m = _MYSQL_DATE.match(text)
        if not m:
            return None
        # \d also matches other scripts' digits, which int() reads and fromisoformat does not
        year, month, day, hour, minute, second = m.groups()
        value = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second))
    except ValueError:
        return None
    return value.replace(tzinfo=timezone.utc) if utc else value


def parse_pub_date(text: str | None) -> datetime | None:
    """Parse an RSS pubDate; WordPress's ``-0001`` year for drafts means no date."""
    if not text or "-0001" in text:
        return None
    try:
        value = parsedate_to_datetime(text.strip())
    except (TypeError, ValueError, IndexError):
        return None
    return value.astimezone(timezone.utc) if value.tzinfo else value.replace(tzinfo=timezone.utc)


def decode_slug(raw: str) -> str:
    """``post_name`` is percent-encoded UTF-8: decode it exactly once, tolerating bad ``%`` sequences."""
    return unquote(raw.strip(), errors="replace") if raw else ""


def slug_from_link(link: str) -> str:
    """The last path segment of a permalink, decoded; empty when the link has none (``?p=12``)."""
    path = urlsplit(link.strip()).path if link else ""
    segments = [s for s in path.split("/") if s]
    return decode_slug(segments[-1]) if segments else ""


def _int(text: str | None, default: int = 0) -> int:
    try:
        return int((text or "").strip())
    except ValueError:
        return default


def _text(el: Any) -> str:
    return el.text or ""


def _parse_author(el: Any) -> Author:
    values = {qname(c.tag): _text(c) for c in el}
    return Author(
        login=values.get("wp:author_login", "").strip(),
        display_name=html.unescape(values.get("wp:author_display_name", "")).strip(),
        email=values.get("wp:author_email", "").strip(),
        first_name=values.get("wp:author_first_name", "").strip(),
        last_name=values.get("wp:author_last_name", "").strip(),
        id=_int(values.get("wp:author_id"), 0) or None,
    )


def _parse_term(el: Any, kind: str) -> Term:
    v = {qname(c.tag): _text(c) for c in el}
    if kind == "wp:category":
        return Term(
            taxonomy="category",
            slug=decode_slug(v.get("wp:category_nicename", "")),
            name=html.unescape(v.get("wp:cat_name", "")).strip(),
            parent=decode_slug(v.get("wp:category_parent", "")),
            description=v.get("wp:category_description", ""),
            id=_int(v.get("wp:term_id"), 0) or None,
        )
    if kind == "wp:tag":
        return Term(
            taxonomy="post_tag",
            slug=decode_slug(v.get("wp:tag_slug", "")),
            name=html.unescape(v.get("wp:tag_name", "")).strip(),
            description=v.get("wp:tag_description", ""),
            id=_int(v.get("wp:term_id"), 0) or None,
        )
    return Term(
        taxonomy=v.get("wp:term_taxonomy", "").strip(),
        slug=decode_slug(v.get("wp:term_slug", "")),
        name=html.unescape(v.get("wp:term_name", "")).strip(),
        parent=decode_slug(v.get("wp:term_parent", "")),
        description=v.get("wp:term_description", ""),
        id=_int(v.get("wp:term_id"), 0) or None,
    )


_new = object.__new__


def _build(cls: type[T], values: dict[str, Any]) -> T:
    """``cls(**values)`` for a plain frozen dataclass of :mod:`migrate.model` given every one of its fields, in
    order: what ``__init__`` would make, 3x faster (its frozen ``__setattr__`` per field is most of the cost of
    a :class:`Post`), as :func:`migrate.model.evolve` does. tests/test_extract_speed.py checks the fields."""
    obj = _new(cls)
    obj.__dict__.update(values)
    return obj


# Parsed values that repeat across an export (a post's categories, "akismet_result: false" on every comment),
# made once per process: the objects are immutable, so sharing them changes nothing but the time and memory.
_CACHE_SIZE = 4096
_SHORT_META = 64  # longer meta values are seldom repeated
_meta_cache: dict[tuple[str, str], Meta] = {}
_term_cache: dict[tuple[str, str | None, str | None], tuple[TermRef, tuple[str, str]]] = {}


def _meta(key: str, value: str) -> Meta:
    """``Meta(key, maybe_unserialize(value))``, shared when the value is short and the result immutable."""
    if len(value) > _SHORT_META:
        return _build(Meta, {"key": key, "value": maybe_unserialize(value)})
    cache_key = (key, value)
    meta = _meta_cache.get(cache_key)
    if meta is None:
        decoded = maybe_unserialize(value)
        meta = _build(Meta, {"key": key, "value": decoded})
        if not isinstance(decoded, (list, dict)):  # what unserialize makes mutable
            if len(_meta_cache) >= _CACHE_SIZE:
                _meta_cache.clear()
            _meta_cache[cache_key] = meta
    return meta


def _term(text: str, nicename: str | None, domain: str | None) -> tuple[TermRef, tuple[str, str]]:
    """The :class:`TermRef` of a ``<category>`` (its text and attributes), and its :func:`~migrate.model.term_key`."""
    cache_key = (text, nicename, domain)
    found = _term_cache.get(cache_key)
    if found is None:
        name = html.unescape(text).strip()
        ref = TermRef(taxonomy=_normalise_taxonomy(domain), slug=decode_slug(nicename) if nicename
                      else _slugify_name(name), name=name)
        found = (ref, term_key(ref))
        if len(_term_cache) >= _CACHE_SIZE:
            _term_cache.clear()
        _term_cache[cache_key] = found
    return found


def _meta_pair(el: Any) -> tuple[str, str]:
    """A ``<wp:postmeta>``/``<wp:commentmeta>``'s key and raw value (the last of each, "" when absent)."""
    key = value = ""
    names = _name_cache
    for c in el:
        tag = c.tag
        n = names.get(tag) or qname(tag)
        if n == "wp:meta_key":
            key = c.text or ""
        elif n == "wp:meta_value":
            value = c.text or ""
    return key, value


def _parse_meta(el: Any) -> Meta:
    return _meta(*_meta_pair(el))


def _parse_comment(el: Any) -> Comment:
    v: dict[str, str] = {}
    meta: list[Meta] = []
    names = _name_cache
    for c in el:
        tag = c.tag
        n = names.get(tag) or qname(tag)
        if n == "wp:commentmeta":
            meta.append(_parse_meta(c))
        else:
            v[n] = c.text or ""
    return _comment(v, meta)


def _comment(v: dict[str, str], meta: list[Meta]) -> Comment:
    """The :class:`Comment` of a ``<wp:comment>``'s fields (child name → text) and meta."""
    get = v.get
    return _build(Comment, {
        "id": _int(get("wp:comment_id")),
        "author": html.unescape(get("wp:comment_author", "")).strip(),
        "author_email": get("wp:comment_author_email", "").strip(),
        "author_url": get("wp:comment_author_url", "").strip(),
        "author_ip": get("wp:comment_author_IP", "").strip(),
        "date": parse_mysql_date(get("wp:comment_date")),
        "date_gmt": parse_mysql_date(get("wp:comment_date_gmt"), utc=True),
        "content": get("wp:comment_content", ""),
        "approved": get("wp:comment_approved", "1").strip(),
        "type": get("wp:comment_type", "").strip() or "comment",
        "parent": _int(get("wp:comment_parent")),
        "user_id": _int(get("wp:comment_user_id")),
        "meta": tuple(meta),
    })


def _normalise_taxonomy(domain: str | None) -> str:
    if domain in (None, ""):
        return "category"
    if domain == "tag":  # WXR 1.0
        return "post_tag"
    return domain


def _slugify_name(name: str) -> str:
    return re.sub(r"[^\w]+", "-", name.lower()).strip("-")


def parse_item(el: Any) -> Post:
    """Turn one ``<item>`` element into a :class:`Post`, in one walk over its children."""
    return _parse_item(el, None)  # type: ignore[return-value]  # None only with a cut_text


def _parse_item(el: Any, cut_text: str | None, shallow: Container[str] = ()) -> Post | None:
    """:func:`parse_item`; with ``cut_text``, the text of the child :func:`_cut_cdata` marked (None when the
    mark is not on one of the item's children). An item whose post type is in ``shallow`` gets no meta and
    no comments (see :func:`parse_raw_item`)."""
    v: dict[str, str] = {}
    categories: list[tuple[str, str | None, str | None]] = []
    meta: list[Meta] = []
    comments: list[Comment] = []
    names = _name_cache
    deep = True
    if shallow:
        kind = el.find("{*}post_type")
        deep = kind is None or (kind.text or "").strip() not in shallow
    for c in el:
        tag = c.tag
        n = names.get(tag) or qname(tag)
        if n == "wp:postmeta":
            if deep:
                meta.append(_parse_meta(c))
        elif n == "wp:comment":
            if deep:
                comments.append(_parse_comment(c))
        elif n == "category":
            categories.append((c.text or "", c.get("nicename"), c.get("domain")))
        elif n:
            text = c.text
            if text is None:  # an empty element, and the one _cut_cdata marked is one
                if cut_text is not None and c.get(_CUT_MARK) == _CUT_NONCE:
                    text, cut_text = cut_text, None
                else:
                    text = ""
            v[n] = text
    if cut_text is not None:
        return None
    return _post(v, categories, meta, comments)


def _post(v: dict[str, str], categories: list[tuple[str, str | None, str | None]], meta: list[Meta],
          comments: list[Comment]) -> Post:
    """The :class:`Post` of an item's fields (child name → text, the last of each name), ``<category>``
    elements (text, nicename, domain), meta and comments."""
    get = v.get
    post_id = _int(get("wp:post_id"))
    date_gmt = parse_mysql_date(get("wp:post_date_gmt"), utc=True)
    date = parse_mysql_date(get("wp:post_date"))
    if date is None and date_gmt is None:
        date_gmt = parse_pub_date(get("pubDate"))
    return _build(Post, {
        "id": post_id,
        "title": html.unescape(get("title", "")).strip(),
        "link": get("link", "").strip(),
        "guid": get("guid", "").strip(),
        "author": get("dc:creator", "").strip(),
        "content": get("content:encoded", ""),
        "excerpt": get("excerpt:encoded", ""),
        "date": date,
        "date_gmt": date_gmt,
        "modified": parse_mysql_date(get("wp:post_modified")),
        "modified_gmt": parse_mysql_date(get("wp:post_modified_gmt"), utc=True),
        "comment_status": get("wp:comment_status", "").strip(),
        "ping_status": get("wp:ping_status", "").strip(),
        "slug": _item_slug(v, post_id),
        "status": get("wp:status", "").strip() or "publish",
        "parent": _int(get("wp:post_parent")),
        "menu_order": _int(get("wp:menu_order")),
        "post_type": get("wp:post_type", "").strip() or "post",
        "password": get("wp:post_password", ""),
        "sticky": get("wp:is_sticky", "0").strip() == "1",
        "terms": _category_terms(categories),
        "meta": tuple(meta),
        "comments": tuple(comments),
        "attachment_url": get("wp:attachment_url", "").strip(),
        "html": None,
        "body": None,
        "fields": {},
        "too_big": 0,
    })


_INDEX_FIELDS = frozenset({"wp:post_id", "wp:post_type", "wp:post_parent", "wp:attachment_url", "wp:post_name", "link",
                           "wp:menu_order"})
# The children that may be index fields (any namespace here; _INDEX_FIELDS then keeps the wp: ones).
_INDEX_TAGS = ("link", "{*}post_id", "{*}post_type", "{*}post_parent", "{*}attachment_url", "{*}post_name",
               "{*}menu_order")


# tag → its index field (a name in _INDEX_FIELDS), "" for another child _INDEX_TAGS matches.
_index_fields: dict[str, str] = {}


def _index_field(tag: str) -> str:
    name = qname(tag)
    return name if name in _INDEX_FIELDS else ""


def _item_slug(v: dict[str, str], post_id: int) -> str:
    """The item's slug: its decoded ``post_name``, else its link's last path segment, else its id."""
    return decode_slug(v.get("wp:post_name", "")) or slug_from_link(v.get("link", "")) or str(post_id)


def _category_terms(categories: list[tuple[str, str | None, str | None]]) -> tuple[TermRef, ...]:
    """:func:`~migrate.model.dedupe_terms` of an item's ``<category>`` elements (text, nicename, domain), with the keys
    :func:`_term` keeps."""
    seen: dict[tuple[str, str], TermRef] = {}
    for text, nicename, domain in categories:
        ref, key = _term(text, nicename, domain)
        seen.setdefault(key, ref)
    return tuple(seen.values())


_BROKEN_HINT = "repair the file or export it again, or run with --recover to salvage every complete item"
# The XML declaration's encoding: <?xml version="1.0" encoding="ISO-8859-1"?>
_DECLARED_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_PROLOG_BYTES = 1 << 20


def _prolog_encoding(head: bytes) -> str:
    """The encoding the XML parser will read the file in: from its byte order mark, the way its first "<" is
    written (UTF-16/32 without a mark), or its declaration; UTF-8 otherwise."""
    wide = wide_encoding(head)
    if wide is not None:
        return wide
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    declared = _DECLARED_ENCODING.match(head)
    if declared:
        name = declared.group(1).decode("ascii")
        try:
            codecs.lookup(name)
            return name
        except LookupError:
            pass
    return "utf-8"


def _dtd_line(path: Path) -> int | None:
    """The line of a ``<!DOCTYPE`` or ``<!ENTITY`` before the root element, or None. The prolog is decoded as
    the parser will read it (UTF-16 too) and read to the root element however long it is: comments and
    processing instructions are skipped whole, in one pass (a declaration after a megabyte of comment is found),
    holding a few bytes between chunks."""
    with open(path, "rb") as fh:
        data = fh.read(4096)
        decoder = codecs.getincrementaldecoder(_prolog_encoding(data))("replace")
        carry, lines, until = "", 1, ""  # until: the end of the comment or PI being skipped
        while True:
            final = not data
            text = carry + decoder.decode(data, final=final)
            pos, carry = 0, ""
            while True:
                if until:
                    end = text.find(until, pos)
                    if end < 0:
                        carry = text[max(pos, len(text) - len(until) + 1):]
                        break
                    pos, until = end + len(until), ""
                    continue
                lt = text.find("<", pos)
                if lt < 0:
                    break
                if len(text) - lt < 9 and not final:
                    carry = text[lt:]  # (more text is needed to know what this "<" starts)
                    break
                if text.startswith("<!--", lt) or text.startswith("<?", lt):
                    pos, until = lt + (4 if text[lt + 1] == "!" else 2), ("-->" if text[lt + 1] == "!" else "?>")
                    continue
                if text[lt + 1: lt + 9].upper().startswith(("!DOCTYPE", "!ENTITY")):
                    return lines + text.count("\n", 0, lt)
                if text[lt + 1: lt + 2].isalpha() or text[lt + 1: lt + 2] in ("_", ":"):
                    return None  # the root element: no declaration can follow it
                pos = lt + 1
            if final:
                return None
            lines += text.count("\n", 0, len(text) - len(carry))
            data = fh.read(1 << 16)


_DTD_REFUSED = "declares a DOCTYPE or XML entities, which WordPress exports never do; refusing to read it"
_DTD_HINT = "remove the <!DOCTYPE …> declaration if you trust the file"


class _DeclaresDtd(Exception):
    """The parser read a DOCTYPE that :func:`check_prolog` did not find (in an encoding it does not decode as the
    parser does): :func:`_channel_items` stops there."""


def check_prolog(path: Path, name: str | None = None, encoding: bool = True) -> None:
    """Refuse, before parsing, what no WordPress export holds: a DTD (entity tricks), a false encoding (unless not
    ``encoding``: a file being salvaged). ``name``: the export's name in messages (default: ``path``)."""
    name = str(path) if name is None else name
    with open(path, "rb") as fh:
        head = fh.read(_PROLOG_BYTES)
    line = _dtd_line(path)
    if line is not None:
        raise InputError(name, _DTD_REFUSED, line=line, hint=_DTD_HINT)
    if not encoding:
        return
    declared = _DECLARED_ENCODING.match(head)
    if declared and not _self_describing(declared.group(1).decode()):
        sample = head[: head.rfind(b"\n")] if len(head) == _PROLOG_BYTES else head
        try:
            sample.decode("utf-8")
        except UnicodeDecodeError:
            return  # really in the declared encoding
        if any(b > 0x7F for b in sample):
            raise InputError(name, f"declares encoding {declared.group(1).decode()} but its bytes are UTF-8",
                             line=1, hint="fix the XML declaration to say UTF-8, or run with --recover")


# What may be an <item> start or end tag in the file's bytes. Every real one matches, and so may text inside
# CDATA, comments or processing instructions: WxrExport._items lets the parser tell which are real.
_ITEM_TAG = re.compile(rb"<item[\s/>]|</item[\s>]")
# A whole <item> start tag, attributes and all, from its "<". An attribute value never holds "<", so a match
# never runs past the next tag (see WxrExport._items).
_ITEM_START = re.compile(rb"""<item(?:\s+[^\s=/<>"']+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*\s*(/?)>""")
_ITEM_END = re.compile(rb"</item\s*>")
_CHUNK = 1 << 18  # bigger chunks are no faster (the parser is fed an item at a time), and cost memory
_PART_BYTES = 8 << 20  # a smaller part is read faster than a process starts and reports back
_CUT_WINDOW = 1 << 20  # bytes searched for an item to cut the file at, from each mark
_LONGEST_TAG = 1 << 16  # an <item> start tag longer than this is not waited for across chunks: offsets are dropped
# An item's bytes as raw_posts gives them: the item inside this element, which declares the namespaces the item
# had in scope in the file.
_WRAPPER = "wp-migrate-item"
_WRAPPER_END = f"</{_WRAPPER}>".encode()
_BARE_WRAPPER = f"<{_WRAPPER}>".encode()  # declaring no namespace: for items parsed again and serialised by lxml
# Encodings in which the file's bytes of an item, alone, are read as they are in the file (UTF-8 by default).
_SELF_DESCRIBING = ("utf-8", "utf8", "us-ascii", "ascii")
_PARSER_OPTIONS: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": True,  # safe: a file with a DTD is refused (check_prolog, and _channel_items as the parser reads it)
    "remove_comments": True,
    "remove_pis": True,
}


@dataclass
class _Scan:
    """What :func:`_channel_items` notes as it reads: where each item's bytes are (start and end offsets, in
    pairs; None once they cannot be trusted), the namespaces in scope on the items' parent, and the root element
    once the input has ended (the items gone, the channel's other elements kept when asked for)."""

    spans: array[int] | None
    nsmap: dict[str | None, str] | None = None
    root: Any = None
    #: What leaves out contents over the limit on their way to the parser (see :mod:`.elide`); None: nothing is.
    limit: ContentLimit | None = None


def _channel_items(pieces: Iterator[tuple[bytes, int, int]], scan: _Scan, keep_others: bool = False) -> Iterator[Any]:
    """Each ``<item>`` that is a child of the channel, as the parser ends it, without a Python step for every
    element of the input; lxml's errors are the caller's. Items are cleared once used; with ``keep_others`` the
    other channel-level elements stay, for the caller to read from ``scan.root`` at the end.

    ``pieces`` come from :func:`_pieces`: each ends just after something that may be an item's start or end tag
    (:data:`_ITEM_TAG`). libxml2 reports a tag as soon as it has read its ``>``, so when a piece makes the parser
    report an item's start or end, the tag that ends the piece is that item's, and its offset is exact; a piece
    ending in ``<item>`` inside CDATA or a comment makes it report nothing. Should the parser ever report an item
    at another time (an attribute value holding ``>``, an encoding that is not ASCII-compatible, a libxml2 that
    reads differently), ``scan.spans`` is dropped.
    """
    parser = etree.XMLPullParser(events=("start", "end"), tag="item", **_PARSER_OPTIONS)
    starts: list[int] = []  # offsets of the items open at this point (nested ones included)
    channel: Any = None
    checked = False  # the prolog, as the parser read it: no DTD (check_prolog looked at the bytes)
    for piece, at_start, at_end in pieces:
        # at_start/at_end: the file offsets of the item tag the piece ends with, -1 when it cannot be that
        if piece:
            parser.feed(piece)
        else:
            scan.root = parser.close()
            _check_no_dtd(scan.root)
        for event, el in parser.read_events():
            if not checked:
                _check_no_dtd(el)
                checked = True
            if event == "start":
                if at_start < 0:
                    scan.spans = None
                starts.append(at_start)
                at_start = -1
                continue
            begin = starts.pop() if starts else -1
            if at_end < 0 or begin < 0:
                scan.spans = None
            end, at_end = at_end, -1
            parent = el.getparent()
            if parent is not channel:  # (the same proxy while it is referenced: the check is done)
                if parent is None or parent.getparent() is None or parent.getparent().getparent() is not None:
                    continue  # an <item> that is not a child of a child of the root
                if channel is None:
                    channel = parent
                    scan.nsmap = dict(channel.nsmap)
                else:  # a second channel: its namespaces could differ
                    scan.spans = None
            if scan.spans is not None:
                scan.spans.append(begin)
                scan.spans.append(end)
            if scan.limit is not None:
                scan.limit.confirm(el)
            yield el
            el.clear()
            if keep_others:
                prev = el.getprevious()
                while prev is not None and prev.tag == "item":
                    parent.remove(prev)
                    prev = el.getprevious()
            else:
                while el.getprevious() is not None:
                    del parent[0]
    if starts:
        scan.spans = None
    if scan.limit is not None and scan.limit.unconfirmed:
        scan.limit.failed = True  # left out of something that is no channel item


def _input(path: Path, start: int = 0, stop: int | None = None, prefix: bytes = b"", suffix: bytes = b"",
           limit: ContentLimit | None = None) -> Iterator[tuple[bytes, int, int]]:
    """:func:`_pieces`; with ``limit``, the file's bytes go through it (see :mod:`.elide`)."""
    if limit is None:
        return _pieces(path, start, stop, prefix, suffix)
    return _limited(_pieces(path, start, stop), limit, start, prefix, suffix)


def _check_no_dtd(el: Any) -> None:
    """Raise :class:`_DeclaresDtd` if the document of ``el`` has a DOCTYPE, as the parser read it."""
    info = el.getroottree().docinfo
    if info.internalDTD is not None or info.doctype:
        raise _DeclaresDtd


def _pieces(path: Path, start: int = 0, stop: int | None = None, prefix: bytes = b"",
            suffix: bytes = b"") -> Iterator[tuple[bytes, int, int]]:
    """The file's bytes from ``start`` to ``stop`` (the end) in pieces for :func:`_channel_items`: ``(piece,
    at_start, at_end)``, where a piece ending in what may be an item's start tag has its offset as ``at_start``
    (and ``at_end`` the offset after it if it is self-closing), one ending in what may be an item's end tag the
    offset after it as ``at_end``; -1 otherwise. ``prefix`` and ``suffix`` (bytes that are not the file's) go
    before and after. The last piece is empty: the end of the input."""
    if prefix:
        yield prefix, -1, -1
    with open(path, "rb") as fh:
        fh.seek(start)
        left = -1 if stop is None else stop - start
        buf = b""
        base = start  # the file offset of buf[0]
        eof = False
        while not eof:
            chunk = fh.read(_CHUNK if left < 0 else min(_CHUNK, left))
            left -= len(chunk)
            eof = not chunk
            buf += chunk
            pos = search = 0  # buf[:pos] is given out; candidates before search are dealt with
            hold = len(buf)  # give out up to here at the end of this chunk
            while (m := _ITEM_TAG.search(buf, search)) is not None:
                closing = buf[m.start() + 1] == 0x2F  # "/"
                tag = (_ITEM_END if closing else _ITEM_START).match(buf, m.start())
                if tag is None:
                    if not eof and len(buf) - m.start() < _LONGEST_TAG:
                        hold = m.start()  # perhaps cut by the chunk's end: wait for the next chunk
                        break
                    search = m.end()  # text in CDATA or a comment, or a tag too odd to be sure of
                    continue
                cut = tag.end()
                if closing:
                    yield buf[pos:cut], -1, base + cut
                else:
                    yield buf[pos:cut], base + m.start(), base + cut if tag.group(1) else -1
                pos = search = cut
            else:
                if not eof:
                    hold = max(pos, len(buf) - 6)  # the start of a candidate may end the chunk
            if hold > pos:
                yield buf[pos:hold], -1, -1
            buf = buf[hold:]
            base += hold
    if suffix:
        yield suffix, -1, -1
    yield b"", -1, -1


def _limited(pieces: Iterator[tuple[bytes, int, int]], limit: ContentLimit, offset: int, prefix: bytes,
             suffix: bytes) -> Iterator[tuple[bytes, int, int]]:
    """:func:`_pieces` of the file's bytes from ``offset``, through ``limit``: a piece whose end it holds back is
    not given as ending in an item's tag (the parser reports that tag later, and the spans are dropped)."""
    if prefix:
        yield prefix, -1, -1
    for piece, at_start, at_end in pieces:
        if not piece:
            break
        parts = limit.feed(piece, offset)
        offset += len(piece)
        if len(parts) == 1 and parts[0] and not limit.holding:  # (the piece as it is, the common case)
            yield parts[0], at_start, at_end
            continue
        parts = [part for part in parts if part]  # (an empty piece ends the input)
        if limit.holding:
            at_start = at_end = -1
        for part in parts[:-1]:
            yield part, -1, -1
        if parts:
            yield parts[-1], at_start, at_end
    for part in limit.finish():
        yield part, -1, -1
    if suffix:
        yield suffix, -1, -1
    yield b"", -1, -1


@dataclass
class _Learnt:
    """What the first pass learns from the channel's elements: of the whole file, or of one part of it
    (:meth:`merge` joins the parts, in file order, into what one pass over the whole would have learnt)."""

    index: ExportIndex = field(default_factory=ExportIndex)
    authors: list[Author] = field(default_factory=list)
    terms: list[Term] = field(default_factory=list)
    header: dict[str, str] = field(default_factory=dict)  # the channel's own fields: the last of each name
    saw_wxr: bool = False
    spans: array[int] | None = None
    nsmap: dict[str | None, str] | None = None  # the namespaces in scope on the items' parent
    #: The contents left out of the first pass for their size (see :class:`.elide.ContentLimit`).
    left_out: array[int] | None = None

    def read(self, elements: Iterator[Any]) -> _Learnt:
        """Learn from channel-level elements (items as :func:`_channel_items` ends them, then the others)."""
        idx = self.index
        fields = _index_fields
        tree = idx.tree
        has_children = idx.has_children
        items = 0
        for el in elements:
            tag = el.tag
            if tag == "item":
                items += 1
                # Only what the index needs: seven short fields (the parser finds them, among the item's
                # children, in C); the title, excerpt, alt text or content only for the few items that use them.
                v: dict[str, str] = {}
                for c in el.iterchildren(*_INDEX_TAGS):
                    tag = c.tag
                    cn = fields.get(tag)
                    if cn is None:
                        cn = fields[tag] = _index_field(tag)
                    if cn:
                        v[cn] = (c.text or "").strip()
                get = v.get
                post_id = _int(get("wp:post_id"))
                post_type = get("wp:post_type", "post")
                parent = _int(get("wp:post_parent"))
                if post_type != "attachment":
                    if post_type == "wp_block":
                        _add_block(idx.reusable_blocks, post_id, el)
                    tree[post_id] = (_item_slug(v, post_id), parent, post_type)
                    if parent:
                        has_children.add(parent)
                else:
                    title = excerpt = alt = ""
                    for c in el.iterchildren("title", "{*}encoded", "{*}postmeta"):
                        cn = qname(c.tag)
                        if cn == "title":
                            title = c.text or ""
                        elif cn == "excerpt:encoded":
                            excerpt = c.text or ""
                        elif cn == "wp:postmeta":
                            key, value = _meta_pair(c)
                            if key == "_wp_attachment_image_alt":
                                alt = value
                    idx.attachment_urls[post_id] = get("wp:attachment_url", "")
                    idx.attachments[post_id] = Attachment(
                        url=get("wp:attachment_url", ""), alt=alt.strip(), caption=excerpt,
                        title=html.unescape(title).strip(), menu_order=_int(get("wp:menu_order")))
                    idx.attachments_by_parent.setdefault(parent, []).append(post_id)
                continue
            n = qname(tag)
            if n == "wp:author":
                self.authors.append(_parse_author(el))
                self.saw_wxr = True
            elif n in ("wp:category", "wp:tag", "wp:term"):
                self.terms.append(_parse_term(el, n))
                self.saw_wxr = True
            elif n:
                if n.startswith("wp:"):
                    self.saw_wxr = True
                self.header[n] = _text(el).strip()
        idx.items += items
        return self

    def merge(self, later: _Learnt) -> None:
        """Add what a later part of the file taught: as if one pass had read on (later values of an id win)."""
        idx, other = self.index, later.index
        idx.items += other.items
        idx.attachment_urls.update(other.attachment_urls)
        idx.attachments.update(other.attachments)
        for parent, ids in other.attachments_by_parent.items():
            idx.attachments_by_parent.setdefault(parent, []).extend(ids)
        idx.reusable_blocks.update(other.reusable_blocks)
        idx.tree.update(other.tree)
        idx.has_children |= other.has_children
        self.authors += later.authors
        self.terms += later.terms
        self.header.update(later.header)
        self.saw_wxr = self.saw_wxr or later.saw_wxr
        if self.spans is not None and later.spans is not None:
            self.spans.extend(later.spans)
        else:
            self.spans = None
        if self.left_out is not None and later.left_out is not None:
            self.left_out.extend(later.left_out)


def _add_block(blocks: dict[int, str], post_id: int, el: Any) -> None:
    """Note a reusable block's content, from its item; not when the first pass left it out for its size (the
    posts that use it then say the block is missing, in the run's summary)."""
    content = ""
    for c in el.iterchildren("{*}encoded"):
        if qname(c.tag) == "content:encoded":
            content = c.text or ""
    if content != MARKER:
        blocks[post_id] = content


def _other_elements(root: Any) -> Iterator[Any]:
    """The channel-level elements :func:`_channel_items` kept (authors, terms, the site's own fields)."""
    for level1 in root:
        for el in level1:
            if el.tag != "item":
                yield el


def _read_part(path: Path, start: int, stop: int | None, prefix: bytes, suffix: bytes,
               max_bytes: int | None = None) -> _Learnt | None:
    """What the bytes from ``start`` to ``stop`` teach, read between ``prefix`` and ``suffix`` (the start and end
    tags of the root and channel); None when they are not whole elements of the channel (an error, items whose
    place is not sure, a content left out that was not one), for the caller to read the file in one pass instead.
    Contents over ``max_bytes`` bytes are left out (see :mod:`.elide`)."""
    scan = _Scan(array("q"), limit=None if max_bytes is None else ContentLimit(max_bytes))
    learnt = _Learnt()
    try:
        learnt.read(_channel_items(_input(path, start, stop, prefix, suffix, scan.limit), scan, keep_others=True))
    except (etree.XMLSyntaxError, _DeclaresDtd):
        return None
    if scan.spans is None or scan.root is None or (scan.limit is not None and scan.limit.failed):
        return None
    learnt.read(_other_elements(scan.root))
    learnt.spans = scan.spans
    learnt.left_out = scan.limit.records if scan.limit is not None else None
    return learnt


def _written_name(el: Any) -> str:
    """An element's name as the file writes it (``prefix:local``)."""
    local = etree.QName(el).localname
    return f"{el.prefix}:{local}" if el.prefix else local


class WxrExport:
    """A WXR file: :attr:`site` and :attr:`index` are read on opening, :meth:`posts` streams.

    With ``recover``, a damaged file is salvaged item by item; :attr:`problems` then lists every
    item that was repaired or lost (after :meth:`posts` has run). With ``jobs`` > 1, a big file's first pass
    is shared by that many processes, each reading a part of the file (see :meth:`_parallel_pass`).
    """

    def __init__(self, path: str | Path, *, recover: bool = False, jobs: int = 1, name: str | None = None,
                 max_content_bytes: int | None = None) -> None:
        self.path = Path(path)
        #: The export as messages name it: its path, or what it came from (a zip, standard input).
        self.name = str(path) if name is None else name
        self.recover = recover
        if not self.path.is_file():
            raise InputError(self.name, "no such file", hint="give the path of a WordPress export (.xml)")
        if self.path.stat().st_size == 0:
            raise InputError(self.name, "the file is empty", hint="export your site again")
        self._salvage = Salvage(self.path) if recover else None
        check_prolog(self.path, self.name, encoding=not recover)
        self.site = Site()
        self.index = ExportIndex()
        #: Where each channel-level item is in the file: start and end offsets, in pairs (see
        #: _channel_items); None when they could not be trusted, or when recovering.
        self._spans: array[int] | None = None
        #: The bytes around an item's own in raw_posts: the wrapper's start tag, with the namespaces in scope.
        self._wrapper = _BARE_WRAPPER
        #: (size, mtime, inode) of the file when the spans were taken: they are used only while it is unchanged.
        self._stamp: tuple[int, int, int] | None = None
        #: Items whose content is over this many bytes are not parsed by posts() (see parse_raw_item), nor held
        #: whole by the first pass (see _serial_pass).
        self.max_content_bytes = max_content_bytes
        #: The contents the first pass left out, over max_content_bytes then (see .elide.ContentLimit).
        self._left_out: array[int] | None = None
        self._first_pass(jobs)

    @property
    def problems(self) -> list[Problem]:
        return self._salvage.problems if self._salvage else []

    def _iterparse(self, events: tuple[str, ...], tag: str | None = None) -> Any:
        return etree.iterparse(str(self.path), events=events, tag=tag, **_PARSER_OPTIONS)

    def _broken(self, e: etree.XMLSyntaxError) -> InputError:
        line, column = (e.position if e.position else (None, None))
        # (libxml2's message may quote the text where it stopped, line ends and all: one line)
        return InputError(self.name, f"not well-formed XML: {' '.join(str(e.msg).split())}", line=line, column=column,
                          hint=_BROKEN_HINT)

    def _items(self, keep_others: bool = False, scan: _Scan | None = None) -> Iterator[Any]:
        """Each ``<item>`` of the channel, in one pass over the whole file (see :func:`_channel_items`). Not for
        a recovering reader (its elements come from :class:`Salvage`)."""
        self._check_root()
        scan = scan or _Scan(None)
        try:
            yield from _channel_items(_input(self.path, limit=scan.limit), scan, keep_others)
        except etree.XMLSyntaxError as e:
            raise self._broken(e) from None
        except _DeclaresDtd:
            raise InputError(self.name, _DTD_REFUSED, hint=_DTD_HINT) from None

    def _check_root(self) -> None:
        """The file has a root element, and it is ``<rss>``."""
        try:
            for _, el in self._iterparse(("start",)):
                if qname(el.tag) != "rss":
                    raise InputError(
                        self.name,
                        f"not a WordPress export: the root element is <{etree.QName(el).localname}>, not <rss>",
                        hint="export your site from WordPress: Tools → Export",
                    )
                return
        except etree.XMLSyntaxError as e:
            raise self._broken(e) from None
        raise InputError(self.name, "the file is empty", hint="export your site again")

    def _serial_pass(self, limit: bool = True) -> _Learnt:
        """The first pass in this process: every channel-level element, in file order (items as they end, then
        the others), from :class:`Salvage` when recovering. Contents over :attr:`max_content_bytes` are left out
        as they stream (see :mod:`.elide`), in a file in UTF-8; if that was not exact, or the file turns out not
        well-formed, it is read again without (``limit`` False), for the parser's own verdict."""
        learnt = _Learnt()
        if self._salvage is not None:
            return learnt.read(self._salvage.elements())
        scan = _Scan(array("q"))
        if limit and self.max_content_bytes is not None and self._in_utf8():
            scan.limit = ContentLimit(self.max_content_bytes)
        try:
            learnt.read(self._items(keep_others=True, scan=scan))
        except InputError:
            if scan.limit is None or not scan.limit.dropped:
                raise
            return self._serial_pass(limit=False)
        if scan.limit is not None and scan.limit.failed:
            return self._serial_pass(limit=False)
        # an item's bytes alone are read as UTF-8
        learnt.spans = scan.spans if _self_describing(scan.root.getroottree().docinfo.encoding) else None
        learnt.nsmap = scan.nsmap
        learnt.left_out = scan.limit.records if scan.limit is not None else None
        return learnt.read(_other_elements(scan.root))

    def _in_utf8(self) -> bool:
        """Is the file in UTF-8 (or ASCII), as the parser will read it?"""
        with open(self.path, "rb") as fh:
            head = fh.read(4096)
        return _prolog_encoding(head).lower().replace("_", "-") in ("utf-8-sig", *_SELF_DESCRIBING)

    def _parallel_pass(self, jobs: int) -> _Learnt | None:
        """The first pass shared by ``jobs`` processes: this one reads the file up to an item's start tag near
        the ``1/jobs`` mark, each other process from there to the next one, between the root's and channel's
        start and end tags. What they learn is joined in file order. A part that is not whole elements of the
        channel (a cut inside CDATA or a comment, an item that is not the channel's: the parser then stops on
        an unclosed or a mismatched tag) or any error makes it return None, and the file is read in one pass,
        which reports the error where it is. Only for a big file in UTF-8 whose first item is the channel's."""
        size = self.path.stat().st_size
        parts = min(jobs, size // _PART_BYTES)
        if parts < 2 or "fork" not in multiprocessing.get_all_start_methods():
            return None
        self._check_root()
        channel = None
        try:
            for _, el in self._iterparse(("start",), tag="item"):
                channel = el.getparent()
                break
        except etree.XMLSyntaxError:
            return None
        if channel is None or channel.getparent() is None or channel.getparent().getparent() is not None:
            return None
        if not _self_describing(channel.getroottree().docinfo.encoding):
            return None
        root_name, channel_name, nsmap = _written_name(channel.getparent()), _written_name(channel), channel.nsmap
        del channel
        cuts = _cuts(self.path, size, parts)
        if not cuts:
            return None
        prefix = f"<{root_name}>".encode() + _start_tag(channel_name, nsmap)
        suffix = f"</{channel_name}></{root_name}>".encode()
        bounds: list[Any] = [0, *cuts, None]  # (int offsets; None: the end of the file)
        try:
            pool = ProcessPoolExecutor(len(cuts), mp_context=multiprocessing.get_context("fork"),
                                       initializer=parallel.quiet_worker)
            try:
                later = [pool.submit(_read_part, self.path, bounds[i], bounds[i + 1], prefix,
                                     suffix if bounds[i + 1] is not None else b"", self.max_content_bytes)
                         for i in range(1, len(bounds) - 1)]
                learnt = _read_part(self.path, 0, cuts[0], b"", suffix, self.max_content_bytes)
                results = [f.result() for f in later]
            except KeyboardInterrupt:
                parallel.stop(pool, now=True)
                raise
            except BaseException:
                parallel.stop(pool)
                raise
            pool.shutdown()
        except (OSError, BrokenProcessPool):
            return None
        if learnt is None or any(r is None for r in results):
            return None
        for r in results:
            learnt.merge(r)  # type: ignore[arg-type]
        learnt.nsmap = nsmap
        return learnt

    def _first_pass(self, jobs: int = 1) -> None:
        stamp = _stamp(self.path)
        learnt = self._parallel_pass(jobs) if jobs > 1 and self._salvage is None else None
        if learnt is None:
            learnt = self._serial_pass()
        self._spans = learnt.spans
        self._left_out = learnt.left_out
        if learnt.spans is not None and learnt.nsmap is not None:
            self._wrapper = _wrapper_start(learnt.nsmap)
        self._stamp = stamp
        self.index = learnt.index
        if not learnt.saw_wxr:
            # An RSS feed (or other XML) without any WXR data.
            raise InputError(
                self.name,
                "not a WordPress export: an RSS feed without WXR (wp:) data",
                hint="export your site from WordPress: Tools → Export",
            )
        header = learnt.header
        self.site = Site(
            title=html.unescape(header.get("title", "")),
            link=header.get("link", ""),
            description=html.unescape(header.get("description", "")),
            language=header.get("language", ""),
            base_site_url=header.get("wp:base_site_url", ""),
            base_blog_url=header.get("wp:base_blog_url", ""),
            wxr_version=header.get("wp:wxr_version", ""),
            generator=header.get("generator", ""),
            # (the first of each: the files of a zip, joined, each list the site's authors and terms)
            authors=tuple({a.login: a for a in reversed(learnt.authors)}[login] for login in
                          dict.fromkeys(a.login for a in learnt.authors)),
            terms=tuple({(t.taxonomy, t.slug): t for t in reversed(learnt.terms)}[key] for key in
                        dict.fromkeys((t.taxonomy, t.slug) for t in learnt.terms)),
        )

    def _item_bytes(self) -> Iterator[bytes | Post] | None:
        """Each channel-level item's bytes in the file, inside the wrapper element (see :data:`_WRAPPER`), or the
        post of an item whose content the first pass left out for its size (not read now either); None when the
        first pass could not note where they are, or the file has changed since."""
        spans = self._spans
        if spans is None or _stamp(self.path) != self._stamp:
            return None
        return self._read_spans(spans)

    def _read_spans(self, spans: array[int]) -> Iterator[bytes | Post]:
        head = self._wrapper
        records, at, limit = self._left_out, 0, self.max_content_bytes
        with open(self.path, "rb", buffering=_CHUNK) as fh:
            for i in range(0, len(spans), 2):
                start, end = spans[i], spans[i + 1]
                fh.seek(start)
                if records and limit is not None and (found := left_out(records, start, end, at)) is not None:
                    text_start, text_end, size, at = found
                    if size > limit:  # (still over it: the limit may have been raised since the first pass)
                        before = fh.read(text_start - start)
                        fh.seek(text_end)
                        yield _too_big(size, before, fh.read(end - text_end))
                        continue
                yield head + fh.read(end - start) + _WRAPPER_END

    def posts(self) -> Iterator[Post]:
        """Every item of the export, in file order."""
        if self._salvage is not None:
            for el in self._salvage.elements():
                if qname(el.tag) == "item":
                    yield parse_item(el)
            return
        items = self._item_bytes()
        if items is None:
            for el in self._items():
                yield parse_item(el)
            return
        for data in items:
            yield parse_raw_item(data, max_bytes=self.max_content_bytes)

    def raw_posts(self) -> Iterator[bytes | Post] | None:
        """Every item of the export as XML (for :func:`parse_raw_item`), in file order: what :meth:`posts`
        gives, for another process to read (an item's XML is cheaper to send than a :class:`Post`; an item over
        the content limit comes as its :class:`Post` already, see :meth:`_item_bytes`). None when recovering a
        damaged file: its items are read as :meth:`posts` reads them."""
        if self._salvage is not None:
            return None
        items = self._item_bytes()
        if items is None:
            return (_BARE_WRAPPER + etree.tostring(el, with_tail=False) + _WRAPPER_END for el in self._items())
        return items


def _self_describing(encoding: str | None) -> bool:
    """Is a file in this encoding (as its declaration names it; None: none, so UTF-8) read the same from any of
    its items' bytes alone?"""
    return (encoding or "utf-8").lower().replace("_", "-") in _SELF_DESCRIBING


def _stamp(path: Path) -> tuple[int, int, int]:
    st = path.stat()
    return st.st_size, st.st_mtime_ns, st.st_ino


def _wrapper_start(nsmap: dict[str | None, str]) -> bytes:
    """The wrapper's start tag, declaring these namespaces (``nsmap`` of the item's parent)."""
    return _start_tag(_WRAPPER, nsmap)


def _start_tag(name: str, nsmap: dict[str | None, str]) -> bytes:
    """A start tag that declares these namespaces."""
    declared = "".join(f' xmlns:{prefix}="{_attribute(uri)}"' if prefix else f' xmlns="{_attribute(uri)}"'
                       for prefix, uri in nsmap.items())
    return f"<{name}{declared}>".encode()


def _cuts(path: Path, size: int, parts: int) -> list[int]:
    """Where to cut the file into about ``parts`` parts of equal size: the offset of the first ``<item>`` start
    tag in the bytes after each mark (perhaps text in CDATA or a comment: :meth:`WxrExport._parallel_pass` finds
    out)."""
    cuts: list[int] = []
    with open(path, "rb") as fh:
        for k in range(1, parts):
            at = max(size * k // parts, cuts[-1] + 1 if cuts else 0)
            fh.seek(at)
            window = fh.read(_CUT_WINDOW)
            for m in _ITEM_START.finditer(window):
                if not m.group(1):  # not <item/>
                    cuts.append(at + m.start())
                    break
    return cuts


def _attribute(value: str) -> str:
    """``value`` escaped for a double-quoted attribute, whitespace included (a parser turns a raw tab or line end
    in an attribute into a space)."""
    for char, ref in (("&", "&amp;"), ("<", "&lt;"), ('"', "&quot;"), ("\t", "&#9;"), ("\n", "&#10;"),
                      ("\r", "&#13;")):
        value = value.replace(char, ref)
    return value


_RAW_PARSER = etree.XMLParser(**_PARSER_OPTIONS)

# parse_raw_item's shortcut for an item's biggest text: <content:encoded><![CDATA[…]]></content:encoded>.
_ENCODED_CDATA = b":encoded><![CDATA["
_PREFIX = re.compile(rb"[A-Za-z_][A-Za-z0-9_.-]*")
# The attribute that marks the element left in the CDATA's place. Its value is new in every process, so no
# file can hold an element that passes for it.
_CUT_MARK = "wp-migrate-cut"
_CUT_NONCE = os.urandom(8).hex()
_CUT_ATTRIBUTE = f' {_CUT_MARK}="{_CUT_NONCE}"/>'.encode()


def _cut_cdata(data: bytes) -> tuple[bytes, str] | None:
    """``data`` with the first ``<p:encoded>`` element that holds one CDATA section and nothing else left
    empty (and marked), and that CDATA's text; None when there is none.

    libxml2 reads CDATA about ten times slower than Python decodes UTF-8, and the content is some 40% of an
    item's bytes. The text is what the parser would give: UTF-8 (an item's bytes from raw_posts are, or hold no
    CDATA), line ends normalised as XML does, and the bytes well-formed (the first pass parsed them). Whether the
    cut element was one of the item's children, not text in a comment, is for the caller to check, in the tree.
    """
    at = data.find(_ENCODED_CDATA)
    if at < 0:
        return None
    lt = data.rfind(b"<", max(0, at - 64), at)
    if lt < 0 or not _PREFIX.fullmatch(data, lt + 1, at):
        return None
    name = data[lt + 1 : at + 8]  # prefix:encoded
    start = at + len(_ENCODED_CDATA)
    end = data.find(b"]]>", start)  # CDATA holds no "]]>": the first one ends it
    close = b"</" + name + b">"
    if end < 0 or not data.startswith(close, end + 3):
        return None  # several CDATA sections (WordPress splits one at "]]>"), text, or not an element
    try:
        text = data[start:end].decode("utf-8")
    except UnicodeDecodeError:
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return b"".join((data[:lt], b"<", name, _CUT_ATTRIBUTE, data[end + 3 + len(close):])), text


_CONTENT_START = re.compile(rb"<([A-Za-z_][\w.-]*):encoded>(<!\[CDATA\[)?")
_FIELD = re.compile(rb"<(?:([A-Za-z_][\w.-]*):)?(title|post_id|post_type|status)>(?:<!\[CDATA\[)?([^<\]]{0,4096})")


def _oversized(data: bytes, max_bytes: int) -> Post | None:
    """The post of an item's XML whose content is over ``max_bytes`` bytes, from a few searches in its bytes and no
    tree: its id, title, type and status, and ``too_big`` (its content's bytes); None when the content is within
    the limit (or cannot be found so: the item is then parsed as any other)."""
    start = _CONTENT_START.search(data)
    if start is None or start.group(1) == b"excerpt":
        return None
    end = data.find(b"</" + start.group(1) + b":encoded>", start.end())
    if end < 0:
        return None
    size = end - start.end() - (3 if start.group(2) else 0)  # (the CDATA's "]]>")
    if size <= max_bytes:
        return None
    return _too_big(size, data[: start.start()], data[end:])


def _too_big(size: int, *parts: bytes) -> Post:
    """The post of an item whose content is ``size`` bytes, too many to read: its id, title, type and status,
    from the item's bytes before and after its content (``parts``)."""
    found: dict[bytes, str] = {}
    for part in parts:
        for m in _FIELD.finditer(part):
            found.setdefault(m.group(2), html.unescape(m.group(3).decode("utf-8", "replace")).strip())
    return Post(id=_int(found.get(b"post_id")), title=found.get(b"title", ""),
                post_type=found.get(b"post_type", "post") or "post", status=found.get(b"status", "publish"),
                too_big=size)


def parse_raw_item(data: bytes | Post, shallow: Container[str] = (), max_bytes: int | None = None) -> Post:
    """The :class:`Post` of an item's XML from :meth:`WxrExport.raw_posts` (as :meth:`WxrExport.posts` gives it).

    An item laid out as WordPress writes them is read without lxml (:func:`.itemreader.read_item`), with the same
    result; any other is parsed by :func:`_parse_raw_item_lxml`. ``shallow``: post types that will only be
    counted, not converted (attachments…): their items' meta and comments, the costliest parts to read, are
    left out (``meta`` and ``comments`` empty). An item whose content is over ``max_bytes`` bytes is not parsed:
    its post has only its id, title, type and status, and ``too_big`` (see :func:`_oversized`); such a post may
    come from :meth:`WxrExport.raw_posts` already made, and is given back as it is.
    """
    if isinstance(data, Post):
        return data
    if max_bytes is not None and len(data) > max_bytes and (big := _oversized(data, max_bytes)) is not None:
        return big
    item = read_item(data, shallow)
    if item is None:
        return _parse_raw_item_lxml(data, shallow)
    fields, categories, metas, comments = item
    post = _post(fields, categories, [_meta(key, value) for key, value in metas],
                 [_comment(v, [_meta(key, value) for key, value in meta]) for v, meta in comments])
    if fastpath.CHECK:
        fastpath.check("itemreader.read_item", data, post, lambda: _parse_raw_item_lxml(data, shallow))
    return post


def _parse_raw_item_lxml(data: bytes, shallow: Container[str] = ()) -> Post:
    """:func:`parse_raw_item` with lxml, for any item. The content's CDATA is cut out before parsing and decoded
    apart (:func:`_cut_cdata`); if the empty element left in its place is not one of the item's children in the
    tree (the cut was in a comment), the bytes are parsed whole."""
    cut = _cut_cdata(data)
    if cut is not None:
        post = _parse_item(etree.fromstring(cut[0], _RAW_PARSER)[0], cut[1], shallow)
        if post is not None:
            return post
    return _parse_item(etree.fromstring(data, _RAW_PARSER)[0], None, shallow)  # type: ignore[return-value]


def read_wxr(path: str | Path, *, recover: bool = False, jobs: int = 1, max_content_bytes: int | None = None
             ) -> WxrExport:
    """Open a WXR export: reads its channel and indexes (in ``jobs`` processes when it is big); iterate
    :meth:`WxrExport.posts` for items. ``path`` may be an .xml file, a gzip-compressed one, a zip of WXR files
    (joined, as one site) or ``-``, standard input (see :mod:`.inputs`). Items whose content is over
    ``max_content_bytes`` bytes are never held whole: their posts have only ``too_big`` set (see :class:`Post`)."""
    xml, name = open_export(path)
    return WxrExport(xml, recover=recover, jobs=jobs, name=name, max_content_bytes=max_content_bytes)
