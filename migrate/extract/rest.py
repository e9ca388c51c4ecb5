"""Read a live site over its REST API (``/wp-json/wp/v2/``) into the same document model as the WXR reader.

:class:`RestClient` is the connection (httpx: connection reuse, timeouts, redirects, and a clear view of
status codes and headers such as ``X-WP-TotalPages`` and ``Retry-After``, which ``urllib`` hides behind
exceptions), with the XML-RPC reader's conventions: retries of transient failures with backoff (and a
server's ``Retry-After``), one-line :class:`~migrate.extract.xmlrpc.SiteError` messages.
:class:`RestSite` is the extractor, a :class:`~migrate.pipeline.Source`.

Two ways in:

* **with an account** (an application password, from the same places as XML-RPC's credentials), every
  request asks for ``context=edit``: raw content, titles and excerpts, every status, the commenters'
  addresses — the same files as the site's own WXR export, but for what the API does not give (below);
* **without one**, what the public sees: published posts and pages, approved comments, terms, authors'
  display names and media. Content is then WordPress's rendered HTML (``content.rendered``), which is
  given to the pipeline as the post's ``html``: it is not rendered again (no ``wpautop``, no shortcodes).

What the REST API cannot give (also in the README): custom fields not registered with ``show_in_rest``
(the featured image comes from ``featured_media``); comment meta; attachments' and posts' ``menu_order``
(pages have it); without an account also drafts, pending, private and future posts, comments awaiting
moderation, pingbacks, password-protected content, users' logins (their slugs stand in) and whether an
excerpt was written by hand (an excerpt that is the start of the content is taken as generated).
"""

from __future__ import annotations

import heapq
import html
import json
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx

from ..config import SiteSettings, resolve
from ..model import Attachment, Author, Comment, ExportIndex, Meta, Post, Site, Term, TermRef, dedupe_terms
from .wxr import decode_slug
from .xmlrpc import (
    FLOATING_DATE_STATUSES,
    TRANSIENT_HTTP,
    SiteError,
    _one_line,
    _parents_first,
    _snippet,
    feed_facts,
    item_slug,
)

PER_PAGE = 100
USER_AGENT = "wp-migrate (httpx)"
#: Post types whose REST routes are not lists of posts (string ids, one per theme) and that the
#: conversion skips anyway.
_NOT_POSTS = frozenset({"wp_template", "wp_template_part", "wp_global_styles", "wp_font_family", "wp_font_face"})
#: The longest ``Retry-After`` waited for; a site asking for more is reported.
MAX_RETRY_AFTER = 120.0
_COMMENT_STATUS = {"approved": "1", "approve": "1", "hold": "0", "unapproved": "0", "spam": "spam",
                   "trash": "trash"}
_INDEX_FIELDS = "id,type,parent,post,slug,link,author,status,source_url,title,caption,alt_text"
NO_ACCOUNT_NOTE = ("read without an account: only published content is visible (drafts, pending, private and "
                   "scheduled posts, comments awaiting moderation and pingbacks cannot be seen)")


class _Retry(Exception):
    def __init__(self, response: httpx.Response | None, error: Exception | None, wait: float | None) -> None:
        super().__init__("retry")
        self.response, self.error, self.wait = response, error, wait


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        from email.utils import parsedate_to_datetime

        return max(0.0, (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds())
    except (TypeError, ValueError):
        return None


class RestClient:
    """One site over its REST API: GETs with a timeout, retries and one-line errors.

    ``sleep`` and ``backoff`` (seconds before the first retry; doubled each time, at most
    ``max_backoff``) are there for tests; ``transport`` lets a test put an httpx transport in between.
    """

    def __init__(self, settings: SiteSettings, *, backoff: float = 1.0, max_backoff: float = 16.0,
                 sleep: Callable[[float], None] = time.sleep, transport: httpx.BaseTransport | None = None) -> None:
        self.settings = settings
        self.url = settings.url
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.sleep = sleep
        creds = settings.credentials
        self.authenticated = creds is not None
        self._http = httpx.Client(
            timeout=settings.timeout, follow_redirects=True, headers={"User-Agent": USER_AGENT},
            auth=(creds.user, creds.password) if creds else None, transport=transport,
        )
        self.root = ""  # …/wp-json (pretty permalinks) or "" when only ?rest_route= works
        self.index: dict[str, Any] = {}
        self._connected = False

    @property
    def api_url(self) -> str:
        return self.root + "/" if self.root else self.url + "/?rest_route=/"

    def close(self) -> None:
        self._http.close()

    # ------------------------------------------------------------------------------ connecting

    def connect(self) -> RestClient:
        """Find the API (``/wp-json/``, else ``?rest_route=/``), read its index; check the credentials."""
        if self._connected:
            return self
        first: SiteError | None = None
        for root in (self.url + "/wp-json", ""):
            self.root = root
            try:
                index = self.get("/")
            except SiteError as e:
                first = first or e
                continue
            if isinstance(index, dict) and ("routes" in index or "namespaces" in index):
                self.index = index
                break
            first = first or SiteError(f"{self.api_url}: the answer is not the WordPress REST API index",
                                       hint="check the site's address")
        else:
            assert first is not None
            raise first
        if "wp/v2" not in (self.index.get("namespaces") or []):
            raise SiteError(f"{self.api_url}: the REST API offers no wp/v2 routes (they are disabled)",
                            hint="use --api xmlrpc, or --from-html with a saved copy of the site")
        if self.authenticated:
            creds = self.settings.credentials
            assert creds is not None
            try:
                self.get("/wp/v2/users/me", {"context": "edit"})
            except SiteError as e:
                if e.status in (401, 403):
                    raise SiteError(
                        f"{self.url}: wrong user name or password (user {creds.user!r}, from {creds.origin})",
                        hint="the REST API takes an application password (Users → Profile → Application "
                             "Passwords); without credentials only published content is read",
                    ) from None
                raise
        self._connected = True
        return self

    # ------------------------------------------------------------------------------ requests

    def _request(self, route: str, params: dict[str, Any]) -> httpx.Request:
        query = {k: ",".join(map(str, v)) if isinstance(v, (list, tuple)) else v for k, v in params.items()}
        if self.root:
            return self._http.build_request("GET", self.root + route, params=query)
        return self._http.build_request("GET", self.url + "/", params={"rest_route": route, **query})

    def get(self, route: str, params: dict[str, Any] | None = None) -> Any:
        return self.get_response(route, params)[0]

    def get_response(self, route: str, params: dict[str, Any] | None = None) -> tuple[Any, httpx.Headers]:
        """The decoded JSON of ``route`` and the answer's headers; retries, then a :class:`SiteError`."""
        params = params or {}
        attempt = 0
        while True:
            request = self._request(route, params)
            try:
                return self._once(request)
            except _Retry as r:
                if attempt >= self.settings.retries:
                    raise self._error(request, r.response, r.error, attempt + 1) from r.error
                wait = min(self.backoff * (2**attempt), self.max_backoff)
                if r.wait is not None:
                    if r.wait > MAX_RETRY_AFTER:
                        raise self._error(request, r.response, r.error, attempt + 1) from None
                    wait = max(wait, r.wait)
                self.sleep(wait)
                attempt += 1

    def _once(self, request: httpx.Request) -> tuple[Any, httpx.Headers]:
        try:
            response = self._http.send(request)
        except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as e:
            raise _Retry(None, e, None) from e
        except httpx.HTTPError as e:
            raise self._error(request, None, e, 1) from e
        if response.status_code in TRANSIENT_HTTP:
            raise _Retry(response, None, _retry_after(response))
        if response.status_code >= 400 or _is_login_page(response):
            raise self._error(request, response, None, 1)
        try:
            return json.loads(response.content), response.headers
        except ValueError:
            raise self._error(request, response, None, 1) from None

    def _error(self, request: httpx.Request, response: httpx.Response | None, e: Exception | None,
               attempts: int) -> SiteError:
        where = _shown(request.url)
        tries = f" ({attempts} attempts)" if attempts > 1 else ""
        if response is None:
            if isinstance(e, httpx.TimeoutException):
                return SiteError(f"{where}: no answer within {self.settings.timeout:g} s{tries}",
                                 hint="the site is slow or unreachable; try a larger --timeout")
            if isinstance(e, httpx.ConnectError):
                return SiteError(f"{where}: cannot connect: {_one_line(str(e)) or 'refused'}{tries}",
                                 hint="check the site's address")
            return SiteError(f"{where}: the connection failed: {_one_line(str(e)) or type(e).__name__}{tries}")
        code = response.status_code
        where = _shown(response.url)
        if _is_login_page(response):
            return SiteError(f"{where}: the site is behind a login (it answers with {_shown(response.url)})",
                             hint="give an account (WORDPRESS_USER and an application password), or save the "
                                  "pages from a browser and use --from-html", status=401)
        body = response.content
        data: Any = None
        try:
            data = json.loads(body)
        except ValueError:
            data = None
        if not isinstance(data, (dict, list)):
            if code == 404:
                return SiteError(f"{where}: no REST API here (HTTP 404): it is disabled or the address is wrong",
                                 hint="use --api xmlrpc, or --from-html with a saved copy of the site", status=404)
            if code == 401:
                return SiteError(f"{where}: HTTP 401: the server asks for a login of its own (e.g. basic auth)",
                                 status=401)
            if code == 403:
                return SiteError(f"{where}: the REST API is blocked (HTTP 403)",
                                 hint="a security plugin or the server refuses it; try --api xmlrpc", status=403)
            if code == 429:
                wait = _retry_after(response)
                asked = f"; it asks to wait {wait:g} s" if wait is not None else ""
                return SiteError(f"{where}: rate limited (HTTP 429{tries}{asked})",
                                 hint="try again later, or with a larger --timeout", status=429)
            if code >= 400:
                return SiteError(f"{where}: HTTP {code} {_one_line(response.reason_phrase)}{tries}", status=code)
            kind = response.headers.get("Content-Type", "").split(";")[0].strip() or "no content type"
            return SiteError(f"{where}: the answer is not JSON ({kind}): it starts with {_snippet(body)!r}",
                             hint="the REST API is disabled or a plugin answers in its place; try --api xmlrpc",
                             status=code)
        message = _one_line(html.unescape(str(data.get("message", "")))) if isinstance(data, dict) else ""
        wp_code = str(data.get("code", "")) if isinstance(data, dict) else ""
        if code == 429:
            wait = _retry_after(response)
            asked = f"; it asks to wait {wait:g} s" if wait is not None else ""
            return SiteError(f"{where}: rate limited (HTTP 429{tries}{asked})",
                             hint="try again later", status=429)
        if code == 404 and wp_code == "rest_no_route":
            return SiteError(f"{where}: the REST API has no such route (HTTP 404): {message}",
                             hint="it is disabled in part; use --api xmlrpc", status=404)
        if code in (401, 403):
            return SiteError(f"{where}: the site refused (HTTP {code} {wp_code}): {message}",
                             hint="the REST API needs an account here: set WORDPRESS_USER and an application "
                                  "password" if not self.authenticated else "the user may not read this",
                             status=code)
        return SiteError(f"{where}: HTTP {code} {wp_code}: {message}{tries}".rstrip(": "), status=code)

    # ------------------------------------------------------------------------------ paging

    def paged(self, route: str, params: dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
        """Every item of a collection, ``per_page=100`` a page, as many pages as ``X-WP-TotalPages`` says."""
        query = {**(params or {}), "per_page": PER_PAGE}
        page, pages = 1, 1
        while page <= pages:
            batch, headers = self.get_response(route, {**query, "page": page})
            if not isinstance(batch, list):
                raise SiteError(f"{self.api_url}: {route}: expected a list, got {type(batch).__name__}")
            try:
                pages = int(headers.get("X-WP-TotalPages", "0") or 0)
            except ValueError:
                pages = 0
            if not headers.get("X-WP-TotalPages"):  # a proxy dropped the header: a short page is the last
                pages = page + 1 if len(batch) == PER_PAGE else page
            yield from (b for b in batch if isinstance(b, dict))
            page += 1


def _shown(url: httpx.URL | str) -> str:
    """A URL for messages: never with user name or password."""
    u = httpx.URL(str(url))
    return str(u.copy_with(username=None, password=None)) if u.userinfo else str(u)


def _is_login_page(response: httpx.Response) -> bool:
    return "wp-login.php" in response.url.path and "json" not in response.headers.get("Content-Type", "")


# ------------------------------------------------------------------------------------------- model


def parse_date(value: Any) -> datetime | None:
    """A REST date (``2013-01-10T20:15:40``, naive) → datetime; None for none or WordPress's zero date."""
    if not isinstance(value, str) or not value or value.startswith("0000"):
        return None
    try:
        return datetime.fromisoformat(value[:19])
    except ValueError:
        return None


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _field(obj: dict[str, Any], name: str, raw: bool) -> str:
    """``obj[name]["raw"]`` (with an account) or ``["rendered"]``; a plain string as it is."""
    value = obj.get(name)
    if isinstance(value, dict):
        return str(value.get("raw" if raw and "raw" in value else "rendered") or "")
    return str(value or "")


def _letters(fragment: str) -> str:
    """An HTML fragment's text without tags or any white space (how an excerpt is compared with its post)."""
    return "".join(html.unescape(re.sub(r"<[^>]*>", "", fragment)).split())


def _generated_excerpt(excerpt: str, content: str) -> bool:
    """Whether a rendered excerpt is WordPress's own (the start of the content, ``[…]`` at the end)."""
    text = re.sub(r"(?:\[(?:…|\.\.\.)\]|…)$", "", _letters(excerpt))
    return not text or _letters(content).startswith(text)


def comment_from_rest(c: dict[str, Any], raw: bool) -> Comment:
    date_gmt = parse_date(c.get("date_gmt"))
    return Comment(
        id=_int(c.get("id")),
        author=html.unescape(str(c.get("author_name") or "")).strip(),
        author_email=str(c.get("author_email") or "").strip(),
        author_url=str(c.get("author_url") or "").strip(),
        author_ip=str(c.get("author_ip") or "").strip(),
        date=parse_date(c.get("date")),
        date_gmt=date_gmt.replace(tzinfo=UTC) if date_gmt else None,
        content=_field(c, "content", raw),
        approved=_COMMENT_STATUS.get(str(c.get("status") or ""), str(c.get("status") or "")),
        type=str(c.get("type") or "").strip() or "comment",
        parent=_int(c.get("parent")),
        user_id=_int(c.get("author")),
    )


@dataclass
class _Taxonomy:
    name: str
    rest_base: str
    hierarchical: bool
    builtin: bool


# ------------------------------------------------------------------------------------------- source


class RestSite:
    """A live site read over its REST API, as a :class:`~migrate.pipeline.Source`."""

    api = "REST API"

    def __init__(self, client: RestClient) -> None:
        self.client = client.connect()
        self.path = client.url
        self.raw = client.authenticated
        self.index = ExportIndex()
        self.notes: list[str] = [f"read over the REST API ({client.api_url})"]
        if not self.raw:
            self.notes.append(NO_ACCOUNT_NOTE)
        self.post_types: list[tuple[str, str]] = []  # (type, rest_base)
        self.taxonomies: list[_Taxonomy] = []
        self.terms_by_id: dict[tuple[str, int], Term] = {}
        self.logins: dict[int, str] = {}
        self._comments: dict[int, list[Comment]] | None = None
        self.site = Site()
        self._first_pass()

    def _ctx(self) -> dict[str, Any]:
        return {"context": "edit"} if self.raw else {}

    def _statuses(self, post_type: str) -> dict[str, Any]:
        if not self.raw:
            return {}
        return {"status": ["inherit", "private", "trash"] if post_type == "attachment" else ["any", "trash"]}

    def _items(self, post_type: str, rest_base: str, fields: str | None = None) -> Iterator[dict[str, Any]]:
        params = {**self._ctx(), **self._statuses(post_type), "orderby": "id", "order": "asc"}
        if fields:
            params["_fields"] = fields
        return self.client.paged(f"/wp/v2/{rest_base}", params)

    # -------------------------------------------------------------------------- first pass

    def _first_pass(self) -> None:
        client = self.client
        types = client.get("/wp/v2/types", self._ctx())
        for name, t in (types or {}).items():
            if not isinstance(t, dict) or name in _NOT_POSTS or not t.get("rest_base"):
                continue
            if t.get("rest_namespace", "wp/v2") != "wp/v2":
                continue
            self.post_types.append((name, str(t["rest_base"])))
        taxonomies = client.get("/wp/v2/taxonomies", self._ctx()) or {}
        for name, t in taxonomies.items():
            if isinstance(t, dict) and t.get("rest_base"):
                self.taxonomies.append(_Taxonomy(name, str(t["rest_base"]), bool(t.get("hierarchical")),
                                                 name in ("category", "post_tag", "nav_menu", "post_format")))
        idx = self.index
        items: list[tuple[int, str, str, int]] = []
        readable: list[tuple[str, str]] = []
        for post_type, rest_base in self.post_types:
            try:
                # (a reusable block's content is inlined where it is used: only theirs is read twice)
                fields = _INDEX_FIELDS + (",content" if post_type == "wp_block" else "")
                found = list(self._items(post_type, rest_base, fields))
            except SiteError as e:
                if e.status in (401, 403):  # not for the public (menu items, reusable blocks…)
                    who = "by this user" if self.raw else "without an account"
                    self.notes.append(f"{post_type}: not readable {who}")
                    continue
                raise
            readable.append((post_type, rest_base))
            for p in found:
                post_id = _int(p.get("id"))
                if not post_id:
                    continue
                items.append((post_id, post_type, str(p.get("status") or ""), _int(p.get("author"))))
                link = str(p.get("link") or "")
                if post_type == "attachment":
                    parent = _int(p.get("post"))
                    url = str(p.get("source_url") or "")
                    idx.attachments[post_id] = Attachment(
                        url=url, alt=str(p.get("alt_text") or ""), caption=_field(p, "caption", self.raw),
                        title=html.unescape(_field(p, "title", self.raw)).strip(),
                    )
                    idx.attachment_urls[post_id] = url
                    idx.attachments_by_parent.setdefault(parent, []).append(post_id)
                    continue
                parent = _int(p.get("parent"))
                if post_type == "wp_block":
                    idx.reusable_blocks[post_id] = _field(p, "content", self.raw)
                idx.tree[post_id] = (item_slug(str(p.get("slug") or ""), link, post_id), parent, post_type)
                if parent:
                    idx.has_children.add(parent)
        self.post_types = readable
        items.sort()
        idx.items = len(items)
        head = self._feed_head(str(client.index.get("home") or client.url))
        language, generator = feed_facts(head)
        self.site = Site(
            title=html.unescape(str(client.index.get("name") or "")),
            link=str(client.index.get("home") or client.url),
            description=html.unescape(str(client.index.get("description") or "")),
            language=language,
            base_site_url=str(client.index.get("url") or ""),
            base_blog_url=str(client.index.get("home") or ""),
            generator=generator,
            authors=self._authors([(i[0], i[3]) for i in items]),
            terms=self._terms(),
        )

    def _feed_head(self, home: str) -> bytes:
        try:
            response = self.client._http.get(home.rstrip("/") + "/", params={"feed": "rss2"})
        except httpx.HTTPError:
            return b""
        return response.content[:16384] if response.status_code == 200 else b""

    def _authors(self, items: list[tuple[int, int]]) -> tuple[Author, ...]:
        everyone: dict[int, Author] = {}
        for u in self.client.paged("/wp/v2/users", {**self._ctx(), "orderby": "id", "order": "asc"}):
            uid = _int(u.get("id"))
            everyone[uid] = Author(
                login=str(u.get("username") or u.get("slug") or ""),
                display_name=html.unescape(str(u.get("name") or "")).strip(),
                email=str(u.get("email") or ""),
                first_name=str(u.get("first_name") or ""),
                last_name=str(u.get("last_name") or ""),
                id=uid or None,
            )
        self.logins = {uid: a.login for uid, a in everyone.items()}
        ordered: dict[int, Author] = {}
        for _, author in items:
            if author in everyone and author not in ordered:
                ordered[author] = everyone[author]
        return tuple(ordered.values())

    def _terms(self) -> tuple[Term, ...]:
        """As the XML-RPC reader orders them: categories, tags, custom taxonomies' terms, then menus."""
        by_tax: dict[str, list[Term]] = {}
        for tax in self.taxonomies:
            try:
                raw = list(self.client.paged(f"/wp/v2/{tax.rest_base}",
                                             {**self._ctx(), "orderby": "name", "order": "asc"}))
            except SiteError as e:
                if e.status in (401, 403):
                    continue  # menus need an account
                raise
            slugs = {_int(t.get("id")): decode_slug(str(t.get("slug") or "")) for t in raw}
            terms = [
                Term(taxonomy=tax.name, slug=decode_slug(str(t.get("slug") or "")),
                     name=html.unescape(str(t.get("name") or "")).strip(),
                     parent=slugs.get(_int(t.get("parent")), ""), description=str(t.get("description") or ""),
                     id=_int(t.get("id")) or None)
                for t in raw
            ]
            for t in terms:
                self.terms_by_id[(tax.name, t.id or 0)] = t
            by_tax[tax.name] = terms
        custom = sorted((t for tax in self.taxonomies if not tax.builtin for t in by_tax.get(tax.name, [])),
                        key=lambda t: t.name.casefold())
        return tuple(_parents_first(by_tax.get("category", [])) + by_tax.get("post_tag", [])
                     + _parents_first(custom) + by_tax.get("nav_menu", []))

    # -------------------------------------------------------------------------- second pass

    def comments_of(self, post_id: int) -> list[Comment]:
        if self._comments is None:
            grouped: dict[int, list[Comment]] = {}
            queries: list[dict[str, Any]] = (
                [{"context": "edit", "status": s, "type": "all"} for s in ("all", "trash")] if self.raw else [{}]
            )
            for query in queries:
                for c in self.client.paged("/wp/v2/comments", {**query, "orderby": "id", "order": "asc"}):
                    grouped.setdefault(_int(c.get("post")), []).append(comment_from_rest(c, self.raw))
            for cs in grouped.values():
                cs.sort(key=lambda c: c.id)
            self._comments = grouped
        return self._comments.get(post_id, [])

    def post_from_rest(self, p: dict[str, Any]) -> Post:
        """A :class:`Post` with the values the WXR reader gives (see the module's doc for what differs)."""
        raw = self.raw
        post_id = _int(p.get("id"))
        post_type = str(p.get("type") or "post")
        status = str(p.get("status") or "publish")
        date_gmt = parse_date(p.get("date_gmt"))
        if status in FLOATING_DATE_STATUSES:
            date_gmt = None  # WordPress fills in a floating draft's UTC date; the export leaves it out
        modified_gmt = parse_date(p.get("modified_gmt"))
        terms: list[TermRef] = []
        for tax in self.taxonomies:
            for term_id in p.get(tax.rest_base) or []:
                term = self.terms_by_id.get((tax.name, _int(term_id)))
                if term is not None:
                    terms.append(TermRef(tax.name, term.slug, term.name))
        fmt = str(p.get("format") or "standard")
        if fmt != "standard":
            terms.append(TermRef("post_format", f"post-format-{fmt}", fmt.capitalize()))
        terms.sort(key=lambda t: t.name.casefold())  # by name across taxonomies, as wp_get_object_terms()
        meta = []
        if _int(p.get("featured_media")):
            meta.append(Meta("_thumbnail_id", str(_int(p["featured_media"]))))
        registered = p.get("meta")
        if isinstance(registered, dict):
            meta.extend(Meta(str(k), v) for k, v in registered.items() if v not in ("", [], None))
        content = _field(p, "content", raw)
        protected = isinstance(p.get("content"), dict) and bool(p["content"].get("protected"))
        excerpt = _field(p, "excerpt", raw)
        if not raw and _generated_excerpt(excerpt, content):
            excerpt = ""
        link = str(p.get("link") or "").strip()
        attachment_url = str(p.get("source_url") or "") if post_type == "attachment" else ""
        return Post(
            id=post_id,
            title=html.unescape(_field(p, "title", raw)).strip(),
            link=link,
            guid=_field(p, "guid", raw).strip(),
            author=self.logins.get(_int(p.get("author")), ""),
            content=content,
            excerpt=excerpt,
            date=parse_date(p.get("date")),
            date_gmt=date_gmt.replace(tzinfo=UTC) if date_gmt else None,
            modified=parse_date(p.get("modified")),
            modified_gmt=modified_gmt.replace(tzinfo=UTC) if modified_gmt else None,
            comment_status=str(p.get("comment_status") or "").strip(),
            ping_status=str(p.get("ping_status") or "").strip(),
            slug=item_slug(str(p.get("slug") or ""), link, post_id),
            status=status,
            parent=_int(p.get("parent") if post_type != "attachment" else p.get("post")),
            menu_order=_int(p.get("menu_order")),
            post_type=post_type,
            # Without an account a protected post's password is unknown: a placeholder keeps it unpublished.
            password=str(p.get("password") or "") if raw else ("(protected)" if protected else ""),
            sticky=bool(p.get("sticky")),
            terms=dedupe_terms(terms),
            meta=tuple(meta),
            comments=tuple(self.comments_of(post_id)),
            attachment_url=attachment_url,
            # The public gets WordPress's rendered HTML: the pipeline must not render it again.
            html=None if raw else content,
        )

    def posts(self) -> Iterator[Post]:
        """Every readable item of every post type, in id order (the order of WordPress's own export)."""
        streams = [((_int(p.get("id")), p) for p in self._items(t, base)) for t, base in self.post_types]
        for _, p in heapq.merge(*streams, key=lambda pair: pair[0]):
            yield self.post_from_rest(p)


def connect(location: str, settings: SiteSettings | None = None, **client_options: Any) -> RestClient:
    """A connected client (credentials from the environment or config when there are any)."""
    return RestClient(settings or resolve(location, required=False), **client_options).connect()


def read_site(location: str, settings: SiteSettings | None = None, **client_options: Any) -> RestSite:
    """Open a live site over its REST API: reads its index, types, users, terms; iterate :meth:`RestSite.posts`."""
    return RestSite(connect(location, settings, **client_options))


__all__ = ["NO_ACCOUNT_NOTE", "RestClient", "RestSite", "comment_from_rest", "connect", "parse_date", "read_site"]
