"""Read a live WordPress site over XML-RPC into the same document model as the WXR extractor.

:class:`SiteClient` is the connection (python-wordpress-xmlrpc, with timeouts, retries of transient
failures with backoff, and one-line errors); :class:`XmlrpcSite` is the extractor, a
:class:`~migrate.pipeline.Source` like :class:`~migrate.extract.wxr.WxrExport`: converting a site
and converting that site's own WXR export (Tools → Export) give the same files.

Like the WXR reader it makes two passes: the first reads the site (options, users, terms, post types,
the media library) and a small index of every item (id, type, parent, slug); :meth:`XmlrpcSite.posts`
then streams full posts, a page at a time, in id order (the order of WordPress's own export).

What XML-RPC cannot give, and what is done instead (see also the README):

* dates come as the site's local time and as UTC; a draft's UTC date is computed by WordPress when the
  post has none ("floating" drafts), so for drafts and pending posts the UTC date is left out, as the
  export does;
* ``future`` (scheduled) posts are reported as ``publish``: they are found with a query of their own;
* protected custom fields (keys starting with ``_``) are hidden, except the featured image
  (``_thumbnail_id``, from ``post_thumbnail``); custom fields come in meta-id order;
* comments carry their UTC date only: the local date is computed with the site's current UTC offset;
  comment meta is not available. Spam comments are read too (the WXR export leaves them out);
* the site's language is read from its RSS feed (XML-RPC does not tell it).
"""

from __future__ import annotations

import gzip
import heapq
import html
import http.client
import re
import time
import urllib.request
import xmlrpc.client
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from xml.parsers.expat import ExpatError

from wordpress_xmlrpc import Client as _LibClient
from wordpress_xmlrpc.base import AuthenticatedMethod
from wordpress_xmlrpc.exceptions import (
    InvalidCredentialsError,
    UnsupportedXmlrpcMethodError,
    XmlrpcDisabledError,
)
from wordpress_xmlrpc.methods import comments, media, options, posts, taxonomies, users

from ..compat import wordpress_xmlrpc
from ..config import SiteSettings, resolve
from ..errors import MigrateError
from ..model import Attachment, Author, Comment, ExportIndex, Meta, Post, Site, Term, TermRef, dedupe_terms
from .phpserial import maybe_unserialize
from .wxr import decode_slug, slug_from_link

wordpress_xmlrpc()  # the compat shim, before any call of the library

#: HTTP statuses worth another try: the server is busy, restarting, or a proxy timed out.
TRANSIENT_HTTP = frozenset({408, 425, 429, 500, 502, 503, 504})
#: Statuses a request can come back with before the server did anything: safe to retry any call.
_NOT_PROCESSED_HTTP = frozenset({425, 429, 503})
PAGE_SIZE = 100
#: Post statuses read: everything but auto-drafts (as WordPress's export).
ALL_STATUSES = ["any", "trash"]
#: What the first pass asks for each item.
_INDEX_FIELDS = ["post_type", "post_parent", "post_name", "link", "post_author", "post_status"]
_EXTRA_INDEX_FIELDS = {
    "wp_block": ["post_content"],
    "attachment": ["post_title", "post_excerpt", "menu_order", "guid"],
}
_FULL_FIELDS = ["post", "terms", "custom_fields"]
USER_AGENT = "wp-migrate (python-wordpress-xmlrpc)"
_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})T(\d{2}):(\d{2}):(\d{2})")


class SiteError(MigrateError):
    """The site cannot be read or written: wrong password, XML-RPC off, no answer, not XML-RPC…

    ``status`` is the HTTP status behind it, when there was one (the REST reader tells 401/403/404 apart).
    """

    def __init__(self, message: str, *, hint: str = "", status: int = 0) -> None:
        super().__init__(message, hint=hint)
        self.status = status

    @property
    def stops_run(self) -> bool:  # type: ignore[override]
        """The site refused one request (an XML-RPC fault): that post fails. Anything else (no answer, a
        password refused…) would fail every post after it: the run stops."""
        return not isinstance(self.__cause__, xmlrpc.client.Fault)


class NotXmlRpc(Exception):
    """The answer of the endpoint is not an XML-RPC document."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# ------------------------------------------------------------------------------------------- transport


def _snippet(data: bytes, limit: int = 80) -> str:
    text = data.decode("utf-8", "replace")
    text = re.sub(r"\s+", " ", text).strip()
    text = "".join(ch if ch.isprintable() else "?" for ch in text)
    return text[:limit] + ("…" if len(text) > limit else "")


class _TransportMixin:
    """Timeouts, a user agent, and a clear error when the answer is not XML-RPC."""

    timeout: float = 30.0
    user_agent = USER_AGENT

    def make_connection(self, host: Any) -> Any:
        conn = super().make_connection(host)  # type: ignore[misc]  # (a mixin: the Transport after it has it)
        conn.timeout = self.timeout
        return conn

    def parse_response(self, response: Any) -> Any:
        data = response.read()
        if response.getheader("Content-Encoding", "") == "gzip":
            data = gzip.decompress(data)
        # Whitespace or a byte-order mark before the XML is harmless: leave it out.
        body = data.lstrip().removeprefix(b"\xef\xbb\xbf").lstrip()
        if not body.startswith((b"<?xml", b"<methodResponse")):
            if not body:
                raise NotXmlRpc("the answer is empty")
            cut = body.find(b"<?xml")
            junk = body[:cut] if cut > 0 else body
            raise NotXmlRpc(f"the answer is not XML-RPC: it starts with {_snippet(junk)!r}")
        parser, unmarshaller = self.getparser()  # type: ignore[attr-defined]
        try:
            parser.feed(body)
            parser.close()
        except ExpatError as e:
            raise NotXmlRpc(f"the answer is not well-formed XML ({e})") from None
        return unmarshaller.close()


class _Transport(_TransportMixin, xmlrpc.client.Transport):
    pass


class _SafeTransport(_TransportMixin, xmlrpc.client.SafeTransport):
    pass


class _Client(_LibClient):
    """python-wordpress-xmlrpc's client, connected through our transport (and our error handling)."""

    def __init__(self, url: str, username: str, password: str, transport: xmlrpc.client.Transport) -> None:
        # Not the parent's __init__: it swallows the HTTP status of a failing first call.
        self.url = url
        self.username = username
        self.password = password
        self.blog_id = 0
        self.server = xmlrpc.client.ServerProxy(url, allow_none=True, transport=transport)
        self.supported_methods: list[str] = []


class _Raw:
    """Ask a method for the raw XML-RPC structs (every field WordPress sends), not the library's objects."""

    results_class = None


class GetPosts(_Raw, posts.GetPosts):
    pass


class GetPost(_Raw, posts.GetPost):
    pass


class GetComments(_Raw, comments.GetComments):
    pass


class GetOptions(_Raw, options.GetOptions):
    def process_result(self, raw_result: Any) -> Any:
        return raw_result


class GetMediaLibrary(_Raw, media.GetMediaLibrary):
    pass


class GetPostTypes(AuthenticatedMethod):
    """``wp.getPostTypes`` with a filter (the library's class has none): names of the matching types."""

    method_name = "wp.getPostTypes"
    optional_args = ("filter", "fields")

    def process_result(self, raw_result: Any) -> Any:
        return list(raw_result or {})


class GetTaxonomies(AuthenticatedMethod):
    method_name = "wp.getTaxonomies"
    optional_args = ("filter", "fields")


def _method_name(method: Any) -> str:
    return getattr(method, "method_name", "") or "a call"


class SiteClient:
    """One site over XML-RPC: calls with a timeout, retries of transient failures, one-line errors.

    ``sleep`` and ``backoff`` (seconds before the first retry; doubled each time, at most
    ``max_backoff``) are there for tests.
    """

    def __init__(
        self,
        settings: SiteSettings,
        *,
        backoff: float = 1.0,
        max_backoff: float = 16.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self.url = settings.url
        self.endpoint = settings.endpoint
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.sleep = sleep
        transport = _SafeTransport() if self.endpoint.startswith("https:") else _Transport()
        transport.timeout = settings.timeout
        self._transport = transport
        creds = settings.credentials
        if creds is None:
            raise SiteError(
                f"{self.url}: XML-RPC needs an account: no credentials for this site",
                hint="set WORDPRESS_USER and WORDPRESS_PASSWORD, or read it without one with --api rest",
            )
        self._client = _Client(self.endpoint, creds.user, creds.password, transport)
        self._credentials = creds
        self._connected = False
        self.options: dict[str, Any] = {}
        self.is_admin = False  # an administrator sees every post: a short page of posts is the last

    # ------------------------------------------------------------------------------ connecting

    def connect(self) -> SiteClient:
        """Check the endpoint and the credentials (idempotent); read the site's options."""
        if self._connected:
            return self
        self._client.supported_methods = self._call(
            lambda: self._client.server.mt.supportedMethods(), "mt.supportedMethods", idempotent=True
        )
        try:
            self.options = self.call(GetOptions([]))
        except SiteError as e:
            if isinstance(e.__cause__, InvalidCredentialsError):
                creds = self._credentials
                raise SiteError(
                    f"{self.url}: wrong user name or password (user {creds.user!r}, from {creds.origin})",
                    hint="check the user and password; an application password works the same",
                ) from None
            raise
        try:
            self.is_admin = any(getattr(b, "is_admin", False) for b in self.call(users.GetUsersBlogs()) or [])
        except SiteError:
            self.is_admin = False
        self._connected = True
        return self

    def option(self, name: str, default: Any = "") -> Any:
        value = self.options.get(name)
        return value.get("value", default) if isinstance(value, dict) else default

    # ------------------------------------------------------------------------------ calling

    def call(self, method: Any, *, idempotent: bool = True) -> Any:
        """Call a python-wordpress-xmlrpc method object; retry transient failures; raise SiteError."""
        return self._call(lambda: self._client.call(method), _method_name(method), idempotent=idempotent)

    def _call(self, fn: Callable[[], Any], name: str, *, idempotent: bool) -> Any:
        attempt = 0
        while True:
            try:
                return fn()
            except Exception as e:  # sorted out below
                self._transport.close()
                transient = self._is_transient(e, idempotent)
                if not transient or attempt >= self.settings.retries:
                    raise self._error(e, name, attempt + 1) from e
                self.sleep(min(self.backoff * (2**attempt), self.max_backoff))
                attempt += 1

    @staticmethod
    def _is_transient(e: Exception, idempotent: bool) -> bool:
        if isinstance(e, xmlrpc.client.ProtocolError):
            return e.errcode in (TRANSIENT_HTTP if idempotent else _NOT_PROCESSED_HTTP)
        if isinstance(e, ConnectionRefusedError):
            return True  # nothing was sent
        if isinstance(e, (TimeoutError, ConnectionError, http.client.HTTPException)):
            return idempotent
        return False

    def _error(self, e: Exception, name: str, attempts: int) -> SiteError:
        where = self.endpoint
        tries = f" ({attempts} attempts)" if attempts > 1 else ""
        if isinstance(e, InvalidCredentialsError):
            return SiteError(f"{self.url}: {name}: the site refused: {_one_line(str(e))}")
        if isinstance(e, XmlrpcDisabledError):
            return SiteError(
                f"{self.url}: XML-RPC is disabled on this site ({_one_line(str(e))})",
                hint="enable XML-RPC (a security plugin or a filter may turn it off)",
            )
        if isinstance(e, UnsupportedXmlrpcMethodError):
            return SiteError(
                f"{self.url}: the site does not offer {name} over XML-RPC",
                hint="WordPress 3.4 or later is needed",
            )
        if isinstance(e, xmlrpc.client.Fault):
            return SiteError(
                f"{self.url}: {name} failed: {_one_line(str(e.faultString))} (fault {e.faultCode})"
            )
        if isinstance(e, xmlrpc.client.ProtocolError):
            code, reason = e.errcode, _one_line(e.errmsg or "")
            if code in (403, 405):
                return SiteError(
                    f"{where}: XML-RPC is blocked or disabled (HTTP {code} {reason})",
                    hint="enable XML-RPC, or allow xmlrpc.php in the server or security plugin",
                )
            if code == 404:
                return SiteError(
                    f"{where}: no XML-RPC endpoint here (HTTP 404)", hint="check the site's address"
                )
            if code in (301, 302, 303, 307, 308):
                location = (
                    (e.headers or {}).get("Location") or (e.headers or {}).get("location") or "elsewhere"
                )
                return SiteError(f"{where}: the site redirects to {location}", hint="use that address")
            if code == 401:
                return SiteError(
                    f"{where}: HTTP 401: the server asks for a login of its own (e.g. basic auth)"
                )
            return SiteError(f"{where}: HTTP {code} {reason}{tries}")
        if isinstance(e, NotXmlRpc):
            return SiteError(
                f"{where}: {e.message}",
                hint="a plugin or theme prints text before the XML (e.g. a PHP notice): fix or disable it",
            )
        if isinstance(e, TimeoutError):
            return SiteError(
                f"{where}: no answer within {self.settings.timeout:g} s{tries}",
                hint="the site is slow or unreachable; try a larger --timeout",
            )
        if isinstance(e, ConnectionRefusedError):
            return SiteError(
                f"{where}: cannot connect: connection refused{tries}", hint="check the site's address"
            )
        if isinstance(e, (ConnectionError, http.client.HTTPException)):
            return SiteError(
                f"{where}: the connection failed: {_one_line(str(e)) or type(e).__name__}{tries}"
            )
        if isinstance(e, OSError):
            return SiteError(
                f"{where}: cannot connect: {_one_line(e.strerror or str(e))}{tries}",
                hint="check the site's address",
            )
        return SiteError(f"{where}: {name} failed: {type(e).__name__}: {_one_line(str(e))}")

    # ------------------------------------------------------------------------------ paging

    def paged(
        self, make: Callable[[int, int], Any], page_size: int = PAGE_SIZE, *, short_page_ends: bool = True
    ) -> Iterator[Any]:
        """Every result of a paged method: ``make(offset, number)`` builds the call for one page.

        A page shorter than ``page_size`` is the last one — unless ``short_page_ends`` is false: methods
        that leave out what the user may not edit (``wp.getPosts`` for a non-administrator) can return
        short pages before the end, so then only an empty page ends.
        """
        offset = 0
        while True:
            batch = self.call(make(offset, page_size))
            if not batch:
                return
            yield from batch
            if short_page_ends and len(batch) < page_size:
                return
            offset += page_size

    def posts_of_type(
        self, post_type: str, fields: list[str], *, status: Any = None, page_size: int = PAGE_SIZE
    ) -> Iterator[dict[str, Any]]:
        """Raw structs of every post of ``post_type`` (all statuses but auto-draft), in id order."""
        query = {
            "post_type": post_type,
            "post_status": status or ALL_STATUSES,
            "orderby": "ID",
            "order": "ASC",
        }
        return self.paged(
            lambda offset, number: GetPosts({**query, "offset": offset, "number": number}, fields),
            page_size,
            short_page_ends=self.is_admin,
        )

    def get_post(self, post_id: int, fields: list[str] | None = None) -> dict[str, Any] | None:
        """One post's raw struct, or None when there is no such post."""
        try:
            return self.call(GetPost(post_id, fields or _FULL_FIELDS))
        except SiteError as e:
            cause = e.__cause__
            if isinstance(cause, xmlrpc.client.Fault) and cause.faultCode == 404:
                return None
            raise

    def close(self) -> None:
        self._transport.close()


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# ------------------------------------------------------------------------------------------- model


def parse_date(value: Any) -> datetime | None:
    """An XML-RPC date (``20130110T20:15:40``) as a naive datetime; WordPress's zero date → None."""
    if value is None:
        return None
    text = value.value if isinstance(value, xmlrpc.client.DateTime) else str(value)
    m = _DATE.match(text)
    if not m:
        return None
    try:
        year, month, day, hour, minute, second = (int(g) for g in m.groups())
        return datetime(year, month, day, hour, minute, second)
    except ValueError:  # year 0000
        return None


def _int(value: Any, default: int = 0) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default


#: Statuses whose UTC date WordPress leaves empty until the post is published ("floating" dates).
FLOATING_DATE_STATUSES = frozenset({"draft", "pending", "auto-draft"})
_COMMENT_STATUS = {"approve": "1", "hold": "0"}


def comment_from_struct(c: dict[str, Any], utc_offset: timedelta) -> Comment:
    date_gmt = parse_date(c.get("date_created_gmt"))
    return Comment(
        id=_int(c.get("comment_id")),
        author=html.unescape(str(c.get("author") or "")).strip(),
        author_email=str(c.get("author_email") or "").strip(),
        author_url=str(c.get("author_url") or "").strip(),
        author_ip=str(c.get("author_ip") or "").strip(),
        date=(date_gmt + utc_offset) if date_gmt else None,
        date_gmt=date_gmt.replace(tzinfo=UTC) if date_gmt else None,
        content=str(c.get("content") or ""),
        approved=_COMMENT_STATUS.get(str(c.get("status") or ""), str(c.get("status") or "")),
        type=str(c.get("type") or "").strip() or "comment",
        parent=_int(c.get("parent")),
        user_id=_int(c.get("user_id")),
    )


def item_slug(post_name: str, link: str, post_id: int) -> str:
    """As the WXR reader: the decoded ``post_name``, else the link's last segment, else the id."""
    return decode_slug(post_name or "") or slug_from_link(link or "") or str(post_id)


def post_from_struct(
    p: dict[str, Any],
    *,
    logins: dict[int, str] | None = None,
    future: bool = False,
    comments_of: list[Comment] | None = None,
    attachment_url: str = "",
) -> Post:
    """A :class:`Post` from a ``wp.getPost(s)`` struct, with the same values the WXR reader gives."""
    post_id = _int(p.get("post_id"))
    status = str(p.get("post_status") or "publish")
    if future and status == "publish":
        status = "future"
    date = parse_date(p.get("post_date"))
    date_gmt = parse_date(p.get("post_date_gmt"))
    if status in FLOATING_DATE_STATUSES:
        date_gmt = None
    meta = sorted(p.get("custom_fields") or [], key=lambda m: _int(m.get("id")))
    metas = [Meta(str(m.get("key", "")), maybe_unserialize(str(m.get("value", "")))) for m in meta]
    thumbnail = p.get("post_thumbnail")
    if isinstance(thumbnail, dict) and thumbnail.get("attachment_id"):
        metas.append(Meta("_thumbnail_id", str(thumbnail["attachment_id"])))
    terms = [
        TermRef(
            taxonomy=str(t.get("taxonomy", "")),
            slug=decode_slug(str(t.get("slug", ""))),
            name=html.unescape(str(t.get("name", ""))).strip(),
        )
        for t in p.get("terms") or []
    ]
    author_id = _int(p.get("post_author"))
    link = str(p.get("link") or "").strip()
    return Post(
        id=post_id,
        title=html.unescape(str(p.get("post_title") or "")).strip(),
        link=link,
        guid=str(p.get("guid") or "").strip(),
        author=(logins or {}).get(author_id, ""),
        content=str(p.get("post_content") or ""),
        excerpt=str(p.get("post_excerpt") or ""),
        date=date,
        date_gmt=date_gmt.replace(tzinfo=UTC) if date_gmt else None,
        modified=parse_date(p.get("post_modified")),
        modified_gmt=(m.replace(tzinfo=UTC) if (m := parse_date(p.get("post_modified_gmt"))) else None),
        comment_status=str(p.get("comment_status") or "").strip(),
        ping_status=str(p.get("ping_status") or "").strip(),
        slug=item_slug(str(p.get("post_name") or ""), link, post_id),
        status=status,
        parent=_int(p.get("post_parent")),
        menu_order=_int(p.get("menu_order")),
        post_type=str(p.get("post_type") or "post"),
        password=str(p.get("post_password") or ""),
        sticky=bool(p.get("sticky")),
        terms=dedupe_terms(terms),
        meta=tuple(metas),
        comments=tuple(comments_of or ()),
        attachment_url=attachment_url,
    )


def _utc_offset(value: Any) -> timedelta:
    try:
        return timedelta(hours=float(str(value).strip() or 0))
    except ValueError:
        return timedelta(0)


def site_language(home: str, timeout: float) -> str:
    """The site's language as its RSS feed gives it (what the WXR export writes); "" when unknown."""
    return feed_facts(read_feed_head(home, timeout))[0]


def read_feed_head(home: str, timeout: float) -> bytes:
    """The first 16 KB of the site's RSS feed; b"" when it cannot be read."""
    request = urllib.request.Request(home.rstrip("/") + "/?feed=rss2", headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:  # the user's own site
            return bytes(resp.read(16384))
    except (OSError, ValueError):
        return b""


def feed_facts(head: bytes) -> tuple[str, str]:
    """The language and generator an RSS feed's head names ("" for each one it does not)."""
    found = []
    for tag in (rb"language", rb"generator"):
        m = re.search(rb"<" + tag + rb">\s*([^<\s]+)\s*</" + tag + rb">", head)
        found.append(html.unescape(m.group(1).decode("utf-8", "replace")) if m else "")
    return found[0], found[1]


# ------------------------------------------------------------------------------------------- source


@dataclass
class _Item:
    id: int
    post_type: str
    status: str
    author: int


class XmlrpcSite:
    """A live site as a :class:`~migrate.pipeline.Source`: :attr:`site` and :attr:`index` are read on
    opening, :meth:`posts` streams."""

    def __init__(self, client: SiteClient, *, page_size: int = PAGE_SIZE) -> None:
        self.client = client.connect()
        self.path = client.url  # what reports name as the source
        self.page_size = page_size
        self.index = ExportIndex()
        self.post_types: list[str] = []
        self.future_ids: set[int] = set()
        self.logins: dict[int, str] = {}
        self._comments: dict[int, list[Comment]] | None = None
        self.utc_offset = _utc_offset(client.option("time_zone", "0"))
        self.site = Site()
        self._first_pass()

    # -------------------------------------------------------------------------- first pass

    def _first_pass(self) -> None:
        client = self.client
        self.post_types = list(client.call(GetPostTypes({"can_export": True}, [])))
        items: list[_Item] = []
        idx = self.index
        for post_type in self.post_types:
            fields = _INDEX_FIELDS + _EXTRA_INDEX_FIELDS.get(post_type, [])
            for p in client.posts_of_type(post_type, fields, page_size=self.page_size):
                post_id = _int(p.get("post_id"))
                parent = _int(p.get("post_parent"))
                status = str(p.get("post_status") or "")
                items.append(_Item(post_id, post_type, status, _int(p.get("post_author"))))
                if post_type == "attachment":
                    idx.attachments[post_id] = Attachment(
                        url=str(p.get("guid") or ""),  # until the media library gives the file's URL
                        caption=str(p.get("post_excerpt") or ""),
                        title=html.unescape(str(p.get("post_title") or "")).strip(),
                        menu_order=_int(p.get("menu_order")),
                    )
                    idx.attachments_by_parent.setdefault(parent, []).append(post_id)
                    continue
                if post_type == "wp_block":
                    idx.reusable_blocks[post_id] = str(p.get("post_content") or "")
                idx.tree[post_id] = (
                    item_slug(str(p.get("post_name") or ""), str(p.get("link") or ""), post_id),
                    parent,
                    post_type,
                )
                if parent:
                    idx.has_children.add(parent)
        items.sort(key=lambda i: i.id)
        idx.items = len(items)
        for post_type in sorted({i.post_type for i in items if i.status == "publish"}):
            for p in client.posts_of_type(
                post_type, ["post_status"], status="future", page_size=self.page_size
            ):
                self.future_ids.add(_int(p.get("post_id")))
        if any(i.post_type == "attachment" for i in items):
            for m in client.paged(
                lambda offset, number: GetMediaLibrary({"offset": offset, "number": number}), self.page_size
            ):
                idx.attachment_urls[_int(m.get("attachment_id"))] = str(m.get("link") or "")
            for post_id, attachment in idx.attachments.items():
                url = idx.attachment_urls.setdefault(post_id, attachment.url)
                idx.attachments[post_id] = replace(attachment, url=url)
        self.site = Site(
            title=html.unescape(str(client.option("blog_title"))),
            link=str(client.option("home_url")),
            description=html.unescape(str(client.option("blog_tagline"))),
            language=site_language(str(client.option("home_url")), client.settings.timeout),
            base_site_url=str(client.option("blog_url")),
            base_blog_url=str(client.option("home_url")),
            wxr_version="",
            generator=f"https://wordpress.org/?v={client.option('software_version')}",
            authors=self._authors(items),
            terms=self._terms(),
        )

    def _authors(self, items: list[_Item]) -> tuple[Author, ...]:
        """The users who wrote an item, in the order of their first item (as the export lists them)."""
        everyone: dict[int, Author] = {}
        try:
            for u in self.client.paged(
                lambda offset, number: users.GetUsers(
                    {"offset": offset, "number": number, "orderby": "ID", "order": "ASC"}, ["all"]
                ),
                self.page_size,
                short_page_ends=self.client.is_admin,
            ):
                uid = _int(getattr(u, "id", 0))
                everyone[uid] = Author(
                    login=str(getattr(u, "username", "") or ""),
                    display_name=html.unescape(str(getattr(u, "display_name", "") or "")).strip(),
                    email=str(getattr(u, "email", "") or ""),
                    first_name=str(getattr(u, "first_name", "") or ""),
                    last_name=str(getattr(u, "last_name", "") or ""),
                    id=uid or None,
                )
        except SiteError as e:
            if not (isinstance(e.__cause__, xmlrpc.client.Fault) and e.__cause__.faultCode == 401):
                raise
            # Not allowed to list users (an editor): the authors list has logins and names only.
            for a in self.client.call(users.GetAuthors()) or []:
                uid = _int(getattr(a, "id", 0))
                everyone[uid] = Author(
                    login=str(getattr(a, "user_login", "") or ""),
                    display_name=html.unescape(str(getattr(a, "display_name", "") or "")).strip(),
                    id=uid or None,
                )
        self.logins = {uid: a.login for uid, a in everyone.items()}
        ordered: dict[int, Author] = {}
        for item in items:
            if item.author in everyone and item.author not in ordered:
                ordered[item.author] = everyone[item.author]
        return tuple(ordered.values())

    def _terms(self) -> tuple[Term, ...]:
        """Categories, tags, custom taxonomies' terms, then menus; parents before children (as the export)."""
        taxonomies = [t for t in self.client.call(GetTaxonomies({}, ["name"])) or [] if isinstance(t, dict)]
        names = {str(t.get("name")) for t in taxonomies}
        custom = sorted(str(t.get("name")) for t in taxonomies if not t.get("_builtin"))
        categories = self._terms_of("category") if "category" in names else []
        tags = self._terms_of("post_tag") if "post_tag" in names else []
        custom_terms = sorted(
            (t for tax in custom for t in self._terms_of(tax)), key=lambda t: t.name.casefold()
        )
        menus = self._terms_of("nav_menu") if "nav_menu" in names else []
        return tuple(
            _parents_first(categories)
            + tags
            + _parents_first(custom_terms)
            + [replace(t, parent="") for t in menus]
        )

    def _terms_of(self, taxonomy: str) -> list[Term]:
        try:
            raw = list(
                self.client.paged(
                    lambda offset, number: taxonomies.GetTerms(
                        taxonomy, {"offset": offset, "number": number, "orderby": "name", "order": "ASC"}
                    ),
                    self.page_size,
                )
            )
        except SiteError as e:
            if isinstance(e.__cause__, xmlrpc.client.Fault):
                return []  # not this user's to read (menus need an administrator)
            raise
        slugs = {_int(t.id): decode_slug(str(getattr(t, "slug", "") or "")) for t in raw}
        return [
            Term(
                taxonomy=taxonomy,
                slug=decode_slug(str(getattr(t, "slug", "") or "")),
                name=html.unescape(str(getattr(t, "name", "") or "")).strip(),
                parent=slugs.get(_int(getattr(t, "parent", 0)), ""),
                description=str(getattr(t, "description", "") or ""),
                id=_int(t.id) or None,
            )
            for t in raw
        ]

    # -------------------------------------------------------------------------- second pass

    def comments_of(self, post_id: int) -> list[Comment]:
        if self._comments is None:
            grouped: dict[int, list[Comment]] = {}
            for c in self.client.paged(
                lambda offset, number: GetComments({"status": "any", "offset": offset, "number": number}),
                self.page_size,
            ):
                grouped.setdefault(_int(c.get("post_id")), []).append(comment_from_struct(c, self.utc_offset))
            for cs in grouped.values():
                cs.sort(key=lambda c: c.id)
            self._comments = grouped
        return self._comments.get(post_id, [])

    def posts(self) -> Iterator[Post]:
        """Every item (all post types WordPress exports, every status but auto-draft), in id order."""
        streams = [
            (
                (_int(p.get("post_id")), p)
                for p in self.client.posts_of_type(t, _FULL_FIELDS, page_size=self.page_size)
            )
            for t in self.post_types
        ]
        for post_id, p in heapq.merge(*streams, key=lambda pair: pair[0]):
            post_type = str(p.get("post_type") or "post")
            yield post_from_struct(
                p,
                logins=self.logins,
                future=post_id in self.future_ids,
                comments_of=self.comments_of(post_id),
                attachment_url=(self.index.attachment_urls.get(post_id) or str(p.get("guid") or ""))
                if post_type == "attachment"
                else "",
            )


def _parents_first(terms: list[Term]) -> list[Term]:
    """Terms reordered so that no child comes before its parent (WordPress's export does the same)."""
    by_slug = {(t.taxonomy, t.slug) for t in terms}
    pending, out, placed = list(terms), [], set()
    stalled = 0
    while pending and stalled <= len(pending):
        t = pending.pop(0)
        if t.parent and (t.taxonomy, t.parent) in by_slug and (t.taxonomy, t.parent) not in placed:
            pending.append(t)
            stalled += 1
            continue
        stalled = 0
        placed.add((t.taxonomy, t.slug))
        out.append(t)
    return out + pending  # a cycle (broken data) keeps its order


def connect(location: str, settings: SiteSettings | None = None, **client_options: Any) -> SiteClient:
    """A connected client for the site at ``location`` (credentials from the environment or config)."""
    return SiteClient(settings or resolve(location), **client_options).connect()


def read_site(
    location: str, settings: SiteSettings | None = None, *, page_size: int = PAGE_SIZE, **client_options: Any
) -> XmlrpcSite:
    """Open a live site: reads its options, users, terms and index; iterate :meth:`XmlrpcSite.posts`."""
    return XmlrpcSite(connect(location, settings, **client_options), page_size=page_size)


__all__ = [
    "SiteClient",
    "SiteError",
    "XmlrpcSite",
    "connect",
    "parse_date",
    "post_from_struct",
    "read_site",
]
