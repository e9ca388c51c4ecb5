"""The document model: small frozen dataclasses that flow through every stage.

No I/O here (but for :class:`ExportIndex`'s per-item tables, which spill to a temporary file past a size:
:mod:`migrate.disktable`). Extractors build these objects, transformers return changed copies
(``dataclasses.replace``), loaders write them.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from .disktable import DiskDict

#: Post statuses WordPress shows to every reader.
PUBLIC_STATUSES = frozenset({"publish"})

#: Front-matter keys the standard front matter, the layouts (Hugo, Jekyll) and the generators own: what
#: ``convert`` writes itself (``title`` … ``featured_image``, ``comments``, ``aliases``/``redirect_from``,
#: ``permalink``, ``published``, ``render_with_liquid``) and what Hugo or Jekyll give a meaning (``type``,
#: ``layout``, ``url``, ``parent``). Rule files may not write them, a taxonomy of that name is written as
#: ``taxonomy_<name>``, and ``publish`` never sends them as custom fields.
RESERVED_KEYS = frozenset({
    "title", "date", "lastmod", "slug", "draft", "status", "categories", "tags", "author", "summary",
    "aliases", "wordpress_id", "post_type", "sticky", "featured_image", "format", "password_protected",
    "comments", "weight", "parent", "type", "layout", "url", "permalink", "published", "redirect_from",
    "render_with_liquid",
})

T = TypeVar("T")


def evolve(obj: T, **changes: Any) -> T:
    """``dataclasses.replace(obj, **changes)`` for a plain frozen dataclass of this module (or any with no
    ``__post_init__`` and every field in ``__init__``), several times faster: a copy of its fields with
    these changed, without running ``__init__`` again. Stages call it once or more per post."""
    fields = type(obj).__dataclass_fields__  # type: ignore[attr-defined]
    for name in changes:
        if name not in fields:
            raise TypeError(f"{type(obj).__name__} has no field {name!r}")
    new = object.__new__(type(obj))
    state = new.__dict__
    state.update(obj.__dict__)
    state.update(changes)
    return new


@dataclass(frozen=True)
class Author:
    """A WordPress user who wrote something in the export."""

    login: str
    display_name: str = ""
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    id: int | None = None

    @property
    def name(self) -> str:
        return self.display_name or self.login


@dataclass(frozen=True)
class Term:
    """A category, tag or custom-taxonomy term."""

    taxonomy: str
    slug: str
    name: str
    parent: str = ""  # the parent term's slug, same taxonomy
    description: str = ""
    id: int | None = None


@dataclass(frozen=True)
class TermRef:
    """A post's use of a term (as the item carries it: taxonomy, slug, display name)."""

    taxonomy: str
    slug: str
    name: str


@dataclass(frozen=True)
class Meta:
    """One post-meta or comment-meta row; ``value`` is PHP-unserialized when it was serialized."""

    key: str
    value: Any


@dataclass(frozen=True)
class Comment:
    """A comment, pingback or trackback, with every field WXR carries."""

    id: int
    author: str = ""
    author_email: str = ""
    author_url: str = ""
    author_ip: str = ""
    date: datetime | None = None  # site-local, naive
    date_gmt: datetime | None = None  # aware, UTC
    content: str = ""
    approved: str = "1"  # "1", "0" (pending), "spam", "trash"
    type: str = "comment"  # "comment", "pingback", "trackback", or a plugin's type
    parent: int = 0
    user_id: int = 0
    meta: tuple[Meta, ...] = ()

    @property
    def status(self) -> str:
        return {"1": "approved", "0": "pending", "": "pending"}.get(self.approved, self.approved)

    @property
    def is_ping(self) -> bool:
        return self.type in ("pingback", "trackback")


@dataclass(frozen=True)
class Post:
    """Any item of the export: a post, page, attachment or custom post type.

    ``content`` is the HTML as WordPress stored it; ``html`` is what WordPress
    renders from it, ``body`` the Markdown the transformers produce and
    ``fields`` the extra front matter they extract.
    """

    id: int
    title: str = ""
    link: str = ""
    guid: str = ""
    author: str = ""  # login
    content: str = ""
    excerpt: str = ""
    date: datetime | None = None  # site-local, naive
    date_gmt: datetime | None = None  # aware, UTC
    modified: datetime | None = None
    modified_gmt: datetime | None = None
    comment_status: str = ""
    ping_status: str = ""
    slug: str = ""
    status: str = "publish"
    parent: int = 0
    menu_order: int = 0
    post_type: str = "post"
    password: str = ""
    sticky: bool = False
    terms: tuple[TermRef, ...] = ()
    meta: tuple[Meta, ...] = ()
    comments: tuple[Comment, ...] = ()
    attachment_url: str = ""
    # Filled in by transformers:
    html: str | None = None  # the content as WordPress renders it to a reader
    body: str | None = None  # the Markdown
    fields: dict[str, Any] = field(default_factory=dict, compare=False)
    #: The bytes of the content, when the reader left it unread for being over the size limit (its post fails).
    too_big: int = 0

    @property
    def is_public(self) -> bool:
        """True only when WordPress shows this post to every reader."""
        return self.status in PUBLIC_STATUSES and not self.password

    def meta_value(self, key: str, default: Any = None) -> Any:
        for m in self.meta:
            if m.key == key:
                return m.value
        return default

    def terms_in(self, taxonomy: str) -> list[TermRef]:
        return [t for t in self.terms if t.taxonomy == taxonomy]


@dataclass(frozen=True)
class Site:
    """The channel of an export: the site's own facts, its authors and its terms."""

    title: str = ""
    link: str = ""
    description: str = ""
    language: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    wxr_version: str = ""
    generator: str = ""
    authors: tuple[Author, ...] = ()
    terms: tuple[Term, ...] = ()

    def author(self, login: str) -> Author | None:
        for a in self.authors:
            if a.login == login:
                return a
        return None


@dataclass(frozen=True)
class Attachment:
    """What posts need to know about an attachment: its alt text, caption and place in galleries."""

    url: str = ""
    alt: str = ""  # _wp_attachment_image_alt
    caption: str = ""  # the attachment's excerpt (HTML)
    title: str = ""
    menu_order: int = 0


def _attachment_row(a: Attachment) -> tuple[str, str, str, str, int]:
    return a.url, a.alt, a.caption, a.title, a.menu_order


@dataclass
class ExportIndex:
    """What the first pass learns about the whole export."""

    # (The tables with a row for every item are kept on disk, in temporary SQLite files, not in memory, once
    # the export is large: see migrate.disktable. They behave as dicts.)
    items: int = 0
    attachment_urls: MutableMapping[int, str] = field(default_factory=lambda: DiskDict(("url",)))
    attachments: MutableMapping[int, Attachment] = field(default_factory=lambda: DiskDict(
        ("url", "alt", "caption", "title", "menu_order"), to_row=_attachment_row, from_row=Attachment))
    attachments_by_parent: dict[int, list[int]] = field(default_factory=dict)
    reusable_blocks: dict[int, str] = field(default_factory=dict)
    #: id → (slug, parent id, post type) of every item that is not an attachment, for page paths.
    tree: MutableMapping[int, tuple[str, int, str]] = field(
        default_factory=lambda: DiskDict(("slug", "parent", "type")))
    #: ids of items that have children (other than attachments).
    has_children: set[int] = field(default_factory=set)


def term_key(term: TermRef) -> tuple[str, str]:
    """What makes two terms of a post the same one: WXR 1.0 repeats categories without a domain."""
    return term.taxonomy, term.name.casefold()


def dedupe_terms(terms: list[TermRef]) -> tuple[TermRef, ...]:
    """One of each term (see :func:`term_key`), the first: what every source keeps of a post's terms."""
    seen: dict[tuple[str, str], TermRef] = {}
    for t in terms:
        seen.setdefault(term_key(t), t)
    return tuple(seen.values())
