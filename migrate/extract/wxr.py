"""Read a WordPress eXtended RSS (WXR) export as a stream of :class:`~migrate.model.Post`.

The file is read with ``lxml.etree.iterparse`` and every item is cleared once used,
so memory stays flat whatever the size of the export. A first pass reads the
channel (site, authors, terms) and builds small indexes (attachment URLs, reusable
blocks, item count); the second pass yields the posts.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from lxml import etree

from ..errors import InputError
from ..model import Author, Comment, Meta, Post, Site, Term, TermRef
from .phpserial import maybe_unserialize
from .recover import Problem, Salvage

# Namespace URIs by family, whatever prefix a file binds them to.
_NAMESPACE_FAMILIES: list[tuple[re.Pattern[str], str]] = [
    # WXR's excerpt namespace, any version, http or https: http://wordpress.org/export/1.2/excerpt/
    (re.compile(r"^https?://wordpress\.org/export/\d+\.\d+/excerpt/?$"), "excerpt"),
    # WXR's own namespace, any version, http or https: https://wordpress.org/export/1.2/
    (re.compile(r"^https?://wordpress\.org/export/\d+\.\d+/?$"), "wp"),
    # RSS content module: http://purl.org/rss/1.0/modules/content/
    (re.compile(r"^https?://purl\.org/rss/1\.0/modules/content/?$"), "content"),
    # Dublin Core elements: http://purl.org/dc/elements/1.1/
    (re.compile(r"^https?://purl\.org/dc/elements/1\.1/?$"), "dc"),
    # Well-formed web comment API: http://wellformedweb.org/CommentAPI/
    (re.compile(r"^https?://wellformedweb\.org/CommentAPI/?$"), "wfw"),
]

# WordPress's "no date" value, and the pubDate WordPress writes for drafts (year -0001).
_ZERO_DATE = "0000-00-00 00:00:00"
# A MySQL DATETIME: 2013-01-10 20:15:40
_MYSQL_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$")

_NO_TEXT_LIMIT = 10 * 1024 * 1024  # libxml2's per-node limit without huge_tree


def _family(uri: str) -> str:
    for pattern, name in _NAMESPACE_FAMILIES:
        if pattern.match(uri):
            return name
    return uri


_name_cache: dict[str, str] = {}


def qname(tag: Any) -> str:
    """``{https://wordpress.org/export/1.2/}post_id`` → ``wp:post_id``; ``title`` → ``title``."""
    if not isinstance(tag, str):  # comments, processing instructions
        return ""
    name = _name_cache.get(tag)
    if name is None:
        if tag.startswith("{"):
            uri, local = tag[1:].split("}", 1)
            name = f"{_family(uri)}:{local}"
        else:
            name = tag
        _name_cache[tag] = name
    return name


def parse_mysql_date(text: str | None, *, utc: bool = False) -> datetime | None:
    """Parse ``YYYY-MM-DD HH:MM:SS``; the zero date and anything invalid mean no date."""
    if not text:
        return None
    text = text.strip()
    if text == _ZERO_DATE:
        return None
    m = _MYSQL_DATE.match(text)
    if not m:
        return None
    year, month, day, hour, minute, second = m.groups()
    try:
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


@dataclass(frozen=True)
class Attachment:
    """What posts need to know about an attachment: its alt text, caption and place in galleries."""

    url: str = ""
    alt: str = ""  # _wp_attachment_image_alt
    caption: str = ""  # the attachment's excerpt (HTML)
    title: str = ""
    menu_order: int = 0


@dataclass
class ExportIndex:
    """What the first pass learns about the whole export."""

    items: int = 0
    attachment_urls: dict[int, str] = field(default_factory=dict)
    attachments: dict[int, Attachment] = field(default_factory=dict)
    attachments_by_parent: dict[int, list[int]] = field(default_factory=dict)
    reusable_blocks: dict[int, str] = field(default_factory=dict)
    #: id → (slug, parent id, post type) of every item that is not an attachment, for page paths.
    tree: dict[int, tuple[str, int, str]] = field(default_factory=dict)
    #: ids of items that have children (other than attachments).
    has_children: set[int] = field(default_factory=set)


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


def _parse_meta(el: Any) -> Meta:
    key = value = ""
    for c in el:
        n = qname(c.tag)
        if n in ("wp:meta_key",):
            key = _text(c)
        elif n == "wp:meta_value":
            value = _text(c)
    return Meta(key=key, value=maybe_unserialize(value))


def _parse_comment(el: Any) -> Comment:
    v: dict[str, str] = {}
    meta: list[Meta] = []
    for c in el:
        n = qname(c.tag)
        if n == "wp:commentmeta":
            meta.append(_parse_meta(c))
        else:
            v[n] = _text(c)
    return Comment(
        id=_int(v.get("wp:comment_id")),
        author=html.unescape(v.get("wp:comment_author", "")).strip(),
        author_email=v.get("wp:comment_author_email", "").strip(),
        author_url=v.get("wp:comment_author_url", "").strip(),
        author_ip=v.get("wp:comment_author_IP", "").strip(),
        date=parse_mysql_date(v.get("wp:comment_date")),
        date_gmt=parse_mysql_date(v.get("wp:comment_date_gmt"), utc=True),
        content=v.get("wp:comment_content", ""),
        approved=v.get("wp:comment_approved", "1").strip(),
        type=v.get("wp:comment_type", "").strip() or "comment",
        parent=_int(v.get("wp:comment_parent")),
        user_id=_int(v.get("wp:comment_user_id")),
        meta=tuple(meta),
    )


def _normalise_taxonomy(domain: str | None) -> str:
    if domain in (None, ""):
        return "category"
    if domain == "tag":  # WXR 1.0
        return "post_tag"
    return domain


def _slugify_name(name: str) -> str:
    return re.sub(r"[^\w]+", "-", name.lower()).strip("-")


def parse_item(el: Any) -> Post:
    """Turn one ``<item>`` element into a :class:`Post`."""
    v: dict[str, str] = {}
    terms: list[TermRef] = []
    meta: list[Meta] = []
    comments: list[Comment] = []
    for c in el:
        n = qname(c.tag)
        if n == "category":
            name = html.unescape(_text(c)).strip()
            nicename = c.get("nicename")
            terms.append(
                TermRef(
                    taxonomy=_normalise_taxonomy(c.get("domain")),
                    slug=decode_slug(nicename) if nicename else _slugify_name(name),
                    name=name,
                )
            )
        elif n == "wp:postmeta":
            meta.append(_parse_meta(c))
        elif n == "wp:comment":
            comments.append(_parse_comment(c))
        elif n:
            v[n] = _text(c)

    post_id = _int(v.get("wp:post_id"))
    link = v.get("link", "").strip()
    slug = _item_slug(v, post_id)
    date_gmt = parse_mysql_date(v.get("wp:post_date_gmt"), utc=True)
    date = parse_mysql_date(v.get("wp:post_date"))
    if date is None and date_gmt is None:
        date_gmt = parse_pub_date(v.get("pubDate"))
    return Post(
        id=post_id,
        title=html.unescape(v.get("title", "")).strip(),
        link=link,
        guid=v.get("guid", "").strip(),
        author=v.get("dc:creator", "").strip(),
        content=v.get("content:encoded", ""),
        excerpt=v.get("excerpt:encoded", ""),
        date=date,
        date_gmt=date_gmt,
        modified=parse_mysql_date(v.get("wp:post_modified")),
        modified_gmt=parse_mysql_date(v.get("wp:post_modified_gmt"), utc=True),
        comment_status=v.get("wp:comment_status", "").strip(),
        ping_status=v.get("wp:ping_status", "").strip(),
        slug=slug,
        status=v.get("wp:status", "").strip() or "publish",
        parent=_int(v.get("wp:post_parent")),
        menu_order=_int(v.get("wp:menu_order")),
        post_type=v.get("wp:post_type", "").strip() or "post",
        password=v.get("wp:post_password", ""),
        sticky=v.get("wp:is_sticky", "0").strip() == "1",
        terms=_dedupe_terms(terms),
        meta=tuple(meta),
        comments=tuple(comments),
        attachment_url=v.get("wp:attachment_url", "").strip(),
    )


_INDEX_FIELDS = frozenset({"wp:post_id", "wp:post_type", "wp:post_parent", "wp:attachment_url", "wp:post_name", "link",
                           "wp:menu_order"})


def _item_slug(v: dict[str, str], post_id: int) -> str:
    """The item's slug: its decoded ``post_name``, else its link's last path segment, else its id."""
    return decode_slug(v.get("wp:post_name", "")) or slug_from_link(v.get("link", "")) or str(post_id)


def _dedupe_terms(terms: list[TermRef]) -> tuple[TermRef, ...]:
    """WXR 1.0 repeats categories without a domain: keep one of each (taxonomy, name)."""
    seen: dict[tuple[str, str], TermRef] = {}
    for t in terms:
        key = (t.taxonomy, t.name.casefold())
        if key not in seen:
            seen[key] = t
    return tuple(seen.values())


_BROKEN_HINT = "repair the file or export it again, or run with --recover to salvage every complete item"
# The XML declaration's encoding: <?xml version="1.0" encoding="ISO-8859-1"?>
_DECLARED_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
# A DOCTYPE or entity declaration before the root element: WordPress never writes one.
_DTD = re.compile(rb"<!DOCTYPE|<!ENTITY", re.I)
_PROLOG_BYTES = 1 << 20


def check_prolog(path: Path) -> None:
    """Refuse, before parsing, what no WordPress export holds: a DTD (entity tricks), a false encoding."""
    with open(path, "rb") as fh:
        head = fh.read(_PROLOG_BYTES)
    root = re.search(rb"<[A-Za-z]", head)
    prolog = head[: root.start()] if root else head
    if _DTD.search(prolog):
        line = prolog[: _DTD.search(prolog).start()].count(b"\n") + 1  # type: ignore[union-attr]
        raise InputError(str(path), "declares a DOCTYPE or XML entities, which WordPress exports never do;"
                         " refusing to read it", line=line, hint="remove the <!DOCTYPE …> declaration if you trust the file")
    declared = _DECLARED_ENCODING.match(head)
    if declared and declared.group(1).decode().lower().replace("_", "-") not in ("utf-8", "utf8", "us-ascii", "ascii"):
        sample = head[: head.rfind(b"\n")] if len(head) == _PROLOG_BYTES else head
        try:
            sample.decode("utf-8")
        except UnicodeDecodeError:
            return  # really in the declared encoding
        if any(b > 0x7F for b in sample):
            raise InputError(str(path), f"declares encoding {declared.group(1).decode()} but its bytes are UTF-8",
                             line=1, hint="fix the XML declaration to say UTF-8, or run with --recover")


class WxrExport:
    """A WXR file: :attr:`site` and :attr:`index` are read on opening, :meth:`posts` streams.

    With ``recover``, a damaged file is salvaged item by item; :attr:`problems` then lists every
    item that was repaired or lost (after :meth:`posts` has run).
    """

    def __init__(self, path: str | Path, *, recover: bool = False) -> None:
        self.path = Path(path)
        self.recover = recover
        if not self.path.is_file():
            raise InputError(str(path), "no such file", hint="give the path of a WordPress export (.xml)")
        if self.path.stat().st_size == 0:
            raise InputError(str(path), "the file is empty", hint="export your site again")
        self._salvage = Salvage(self.path) if recover else None
        if not recover:
            check_prolog(self.path)
        self.site = Site()
        self.index = ExportIndex()
        self._first_pass()

    @property
    def problems(self) -> list[Problem]:
        return self._salvage.problems if self._salvage else []

    def _iterparse(self, events: tuple[str, ...], tag: str | None = None) -> Any:
        return etree.iterparse(
            str(self.path),
            events=events,
            tag=tag,
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=True,  # safe: a file with a DTD never reaches the parser (check_prolog)
            remove_comments=True,
            remove_pis=True,
        )

    def _broken(self, e: etree.XMLSyntaxError) -> InputError:
        line, column = (e.position if e.position else (None, None))
        return InputError(str(self.path), f"not well-formed XML: {e.msg}", line=line, column=column,
                          hint=_BROKEN_HINT)

    def _items(self, keep_others: bool = False) -> Iterator[Any]:
        """Each ``<item>`` that is a child of the channel, without a Python step for every element of the
        file: the parser reports only ``<item>`` ends. Items are cleared once used; with ``keep_others``
        the other channel-level elements stay, for :attr:`_root`'s caller.
        Not for a recovering reader (its elements come from :class:`Salvage`)."""
        self._check_root()
        context = self._iterparse(("end",), tag="item")
        try:
            for _, el in context:
                parent = el.getparent()
                if parent is None or parent.getparent() is None or parent.getparent().getparent() is not None:
                    continue  # an <item> that is not a child of a child of the root
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
            self._root = context.root
        except etree.XMLSyntaxError as e:
            raise self._broken(e) from None

    def _check_root(self) -> None:
        """The file has a root element, and it is ``<rss>``."""
        try:
            for _, el in self._iterparse(("start",)):
                if qname(el.tag) != "rss":
                    raise InputError(
                        str(self.path),
                        f"not a WordPress export: the root element is <{etree.QName(el).localname}>, not <rss>",
                        hint="export your site from WordPress: Tools → Export",
                    )
                return
        except etree.XMLSyntaxError as e:
            raise self._broken(e) from None
        raise InputError(str(self.path), "the file is empty", hint="export your site again")

    def _channel(self) -> Iterator[Any]:
        """The elements at channel level, in file order: every item (from :meth:`_items`, as it ends),
        then the others, which :meth:`_items` keeps (authors, terms, the site's own fields)."""
        if self._salvage is not None:
            yield from self._salvage.elements()
            return
        yield from self._items(keep_others=True)
        for level1 in self._root:
            for el in level1:
                if el.tag != "item":
                    yield el

    def _first_pass(self) -> None:
        authors: list[Author] = []
        terms: list[Term] = []
        header: dict[str, str] = {}
        saw_wxr = False
        idx = self.index
        for el in self._channel():
            n = qname(el.tag)
            if n == "item":
                idx.items += 1
                post_id = post_type = parent = 0
                v: dict[str, str] = {}
                for c in el:
                    cn = qname(c.tag)
                    if cn in _INDEX_FIELDS:
                        v[cn] = _text(c).strip()
                    elif cn in ("content:encoded", "excerpt:encoded", "title"):
                        v[cn] = _text(c)
                    elif cn == "wp:postmeta":
                        m = {qname(x.tag): _text(x) for x in c}
                        if m.get("wp:meta_key") == "_wp_attachment_image_alt":
                            v["alt"] = m.get("wp:meta_value", "")
                post_id = _int(v.get("wp:post_id"))
                post_type = v.get("wp:post_type", "post")
                parent = _int(v.get("wp:post_parent"))
                if post_type == "attachment":
                    idx.attachment_urls[post_id] = v.get("wp:attachment_url", "")
                    idx.attachments[post_id] = Attachment(
                        url=v.get("wp:attachment_url", ""), alt=v.get("alt", "").strip(),
                        caption=v.get("excerpt:encoded", ""), title=html.unescape(v.get("title", "")).strip(),
                        menu_order=_int(v.get("wp:menu_order")))
                    idx.attachments_by_parent.setdefault(parent, []).append(post_id)
                else:
                    if post_type == "wp_block":
                        idx.reusable_blocks[post_id] = v.get("content:encoded", "")
                    idx.tree[post_id] = (_item_slug(v, post_id), parent, post_type)
                    if parent:
                        idx.has_children.add(parent)
            elif n == "wp:author":
                authors.append(_parse_author(el))
                saw_wxr = True
            elif n in ("wp:category", "wp:tag", "wp:term"):
                terms.append(_parse_term(el, n))
                saw_wxr = True
            elif n:
                if n.startswith("wp:"):
                    saw_wxr = True
                header[n] = _text(el).strip()
        if not saw_wxr:
            # An RSS feed (or other XML) without any WXR data.
            raise InputError(
                str(self.path),
                "not a WordPress export: an RSS feed without WXR (wp:) data",
                hint="export your site from WordPress: Tools → Export",
            )
        self.site = Site(
            title=html.unescape(header.get("title", "")),
            link=header.get("link", ""),
            description=html.unescape(header.get("description", "")),
            language=header.get("language", ""),
            base_site_url=header.get("wp:base_site_url", ""),
            base_blog_url=header.get("wp:base_blog_url", ""),
            wxr_version=header.get("wp:wxr_version", ""),
            generator=header.get("generator", ""),
            authors=tuple(authors),
            terms=tuple(terms),
        )

    def posts(self) -> Iterator[Post]:
        """Every item of the export, in file order."""
        if self._salvage is None:
            for el in self._items():
                yield parse_item(el)
            return
        for el in self._salvage.elements():
            if qname(el.tag) == "item":
                yield parse_item(el)

    def raw_posts(self) -> Iterator[bytes] | None:
        """Every item of the export as its XML (for :func:`parse_raw_item`), in file order: what
        :meth:`posts` gives, for another process to read (an item's XML is cheaper to send than a
        :class:`Post`). None when recovering a damaged file: its items are read as :meth:`posts` reads them."""
        if self._salvage is not None:
            return None
        return (etree.tostring(el, with_tail=False) for el in self._items())


_RAW_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True,
                              remove_comments=True, remove_pis=True)


def parse_raw_item(data: bytes) -> Post:
    """The :class:`Post` of an item's XML from :meth:`WxrExport.raw_posts` (as :meth:`WxrExport.posts` gives it)."""
    return parse_item(etree.fromstring(data, _RAW_PARSER))


def read_wxr(path: str | Path, *, recover: bool = False) -> WxrExport:
    """Open a WXR export: reads its channel and indexes; iterate :meth:`WxrExport.posts` for items."""
    return WxrExport(path, recover=recover)
