"""Links between posts: every link to a post, page, attachment page, category or tag archive of the same site
points at the page the converted site builds for it.

Which pages exist is known only once every item of the run has been seen, so the pipeline notes each
item's old URLs and new URL (:meth:`LinkMap.add`) as they come, and rewrites a post's links (:meth:`LinkMap.
rewrite`) after the last one. Old URLs are matched by permalink path (with or without the domain, http or
https, with or without the trailing slash), by ``?p=``/``?page_id=``/``?attachment_id=`` and by guid. A link to
something the run does not write (a draft, a deleted post) is left as it is and listed as unresolved.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

from .disktable import DiskTables, id_key
from .media.refs import iter_urls, link_needles, site_hosts
from .model import Post, Site

_ID_KEYS = ("p", "page_id", "attachment_id", "preview_id")


def _urlize(name: str) -> str:
    """Hugo's ``urlize`` of a term name, as its taxonomy pages are named: lower case, spaces as hyphens, and
    characters a path does not keep left out."""
    text = re.sub(r"\s+", "-", name.strip().lower())
    return re.sub(r"[^\w\-.~]", "", text)


def page_url(layout: Any, post: Post, path: str) -> str | None:
    """The URL the generator gives the post written at ``path`` (None: it builds no page for it, e.g. a draft),
    as a link holds it (percent-encoded)."""
    if not post.is_public:
        return None
    return quote(layout.url(post, path), safe="/-_.~")


def _key(path: str) -> str:
    """An old URL's path as compared: decoded, without the trailing slash, lower case."""
    return (unquote(path) if "%" in path else path).rstrip("/").lower()


def _split(url: str) -> tuple[str, str]:
    """(host, path) of an absolute or root-relative URL without a query: ``urlsplit``'s, for the one shape
    every item's permalink has, at a fraction of the cost (it runs for every item)."""
    if url.startswith(("https://", "http://")):
        at = url.find("/", url.index("//") + 2)
        host = url[url.index("//") + 2: at if at >= 0 else len(url)]
        path = url[at:] if at >= 0 else "/"
        return host, path.partition("#")[0]
    if url.startswith("/") and not url.startswith("//"):
        return "", url.partition("#")[0]
    parts = urlsplit(url)
    return parts.netloc, parts.path


class LinkMap:
    """Old URLs of the site → the new site's URLs, and the rewriting of a post's links to them."""

    def __init__(self, site: Site, layout_name: str, attachment_urls: Mapping[int, str] | None = None) -> None:
        self.hosts = site_hosts(site)
        self.layout = layout_name
        self.attachment_urls = attachment_urls or {}
        # Three tables with a row or two for every item of the run, on disk (see migrate.disktable): id → new URL
        # (None: not built) and post type; old path key → id (the first item to have it); (id, the permalink's
        # path as it was), in the order added, for redirects.
        self._db = DiskTables({"item": ("id", "url", "type"), "path": ("key", "id"), "list_old": ("id", "path")},
                              replace={"item"})
        self._items, self._paths = self._db.table("item"), self._db.table("path")
        self.used_terms: set[tuple[str, str]] = set()  # ("category"/"tag", slug) of posts with a page
        self.unresolved: Counter[tuple[int, str, str]] = Counter()  # (post id, title, url) → times
        self.terms: dict[tuple[str, str], str] = {}  # ("category", slug) → new URL
        base = "/categories/" if layout_name == "hugo" else None
        if base:
            for term in site.terms:
                if term.taxonomy == "category":
                    self.terms[("category", term.slug.lower())] = f"{base}{quote(_urlize(term.name))}/"
                elif term.taxonomy == "post_tag":
                    self.terms[("tag", term.slug.lower())] = f"/tags/{quote(_urlize(term.name))}/"
        self.needles = link_needles(self.hosts)
        self.media: Any = None  # a MediaStep: attachment pages lead to their file, local when it was stored

    def may_hold(self, text: str) -> bool:
        return any(n in text for n in self.needles)

    def add(self, post_id: int, link: str, guid: str, url: str | None, post_type: str = "post",
            terms: tuple[tuple[str, str], ...] = ()) -> None:
        """Note an item of the run: its old permalink and guid, its new URL (None: no page), and the terms of a
        post with a page (their archives then have pages too)."""
        add, key = self._db.append, id_key(post_id)
        add("item", (key, url, post_type))
        for taxonomy, slug in terms:
            self.used_terms.add(("tag" if taxonomy == "post_tag" else taxonomy, slug.lower()))
        for old in (link, guid):
            if old and "?" not in old and (old is link or old != link):  # a guid like ?p=5 is matched by id
                netloc, path = _split(old)
                if path.strip("/"):
                    add("path", (_key(path), key))
                    if old is link and (not netloc or self._own(netloc)):
                        add("list_old", (key, path))

    def new_url(self, post_id: int) -> tuple[bool, str | None]:
        """(whether the run saw item ``post_id``, its new URL: None when it has no page)."""
        row = self._items.row(id_key(post_id))
        return (False, None) if row is None else (True, row[0])

    def post_type(self, post_id: int) -> str | None:
        row = self._items.row(id_key(post_id))
        return None if row is None else row[1]

    def old_paths(self) -> Iterator[tuple[int, str]]:
        """(id, the permalink's path as it was) of every item of the site's own, in the order seen."""
        for key, path in self._db.table("list_old"):
            yield int(key), path

    def close(self) -> None:
        self._db.close()

    def _own(self, netloc: str) -> bool:
        host = netloc.lower().rsplit("@", 1)[-1]
        return (host[4:] if host.startswith("www.") else host) in self.hosts

    def target(self, url: str) -> tuple[str | None, bool]:
        """(the new URL, whether ``url`` is the site's own page link). (None, True): a link to the site that
        leads to nothing the run writes; (None, False): not a link to a page of the site."""
        try:
            parts = urlsplit(url if not url.startswith("//") else "https:" + url)
        except ValueError:
            return None, False
        if parts.netloc and not self._own(parts.netloc):
            return None, False
        if parts.scheme not in ("", "http", "https"):
            return None, False
        path = parts.path
        if "/wp-content/" in path or "/wp-admin" in path or "/wp-json" in path or path.endswith(".php") and \
                not parts.query:
            return None, False
        fragment = f"#{parts.fragment}" if parts.fragment else ""
        if parts.query:
            query = parse_qs(parts.query)
            for key in _ID_KEYS:
                if key in query and query[key][0].isdigit():
                    post_id = int(query[key][0])
                    seen, new = self.new_url(post_id)
                    if post_id in self.attachment_urls and new is None:
                        return self._attachment(post_id), True
                    if seen:
                        return (new + fragment if new else None), True
                    return None, True
            for key, taxonomy in (("tag", "tag"), ("category_name", "category")):
                if key in query:
                    return self.term_url(taxonomy, query[key][0].lower()), True
            return None, False
        key = _key(path)
        if not key:
            return None, False  # the home page (a commenter's site, often): the same address on the new host
        found = self._paths.get(key)
        if found is not None:
            post_id = int(found)
            new = self.new_url(post_id)[1]
            if post_id in self.attachment_urls and new is None:
                return self._attachment(post_id), True
            return (new + fragment if new else None), True
        segments = key.strip("/").split("/")
        if len(segments) >= 2 and segments[0] in ("category", "tag"):
            return self.term_url(segments[0], segments[-1]), True
        if not parts.netloc:
            return None, False  # a root-relative link we know nothing of: not ours to judge
        if re.fullmatch(r"\d{4}(/\d{2}){0,2}(/page/\d+)?|page/\d+|feed|comments/feed|author/[^/]+", key.strip("/")):
            return None, False  # archives, feeds: not a post
        return None, True

    def term_url(self, taxonomy: str, slug: str) -> str | None:
        """The archive page of a term, when the converted site builds one (a post with a page uses the term)."""
        key = (taxonomy, slug)
        return self.terms.get(key) if key in self.used_terms else None

    def _attachment(self, post_id: int) -> str:
        url = self.attachment_urls[post_id]
        if self.media is not None:
            local = self.media.local_url(url)
            if local:
                return local
        return url

    def rewrite(self, text: str, post_id: int, title: str) -> tuple[str, dict[str, int]]:
        """``text`` with every link to a page of the site pointing at its new URL; the counts for the post."""
        pieces: list[str] = []
        last = 0
        counts: Counter[str] = Counter()
        for start, end, url in iter_urls(text, links=True):
            new, ours = self.target(url)
            if new:
                pieces.append(text[last:start])
                pieces.append(new)
                last = end
                counts["to their new page"] += 1
            elif ours:
                counts["unresolved"] += 1
                self.unresolved[(post_id, title, url)] += 1
        pieces.append(text[last:])
        return "".join(pieces), dict(counts)

    def finish(self, report: Any) -> None:
        for (post_id, title, url), _n in self.unresolved.items():
            report.notes.append(f"link not resolved: #{post_id} {title!r}: {url} (not written by this run: "
                                f"a draft, private or deleted post?)")


def folder_url(path: str, front: dict[str, Any]) -> str | None:
    """The URL the converted site gives the file at ``path`` (relative to the folder): its ``url`` or
    ``permalink`` (Jekyll files carry theirs), else Hugo's for a file under ``content/`` (``content/posts/her.md``
    and the bundle ``content/posts/her/index.md`` → ``/posts/her/``). None when it cannot be told."""
    for key in ("url", "permalink"):
        value = front.get(key)
        if isinstance(value, str) and value.startswith("/"):
            return value
    if not path.startswith("content/") or not path.endswith(".md"):
        return None
    parts = path[len("content/"):-3].split("/")
    if parts[-1] in ("index", "_index"):
        parts.pop()
    slug = front.get("slug")
    if isinstance(slug, str) and slug and "/" not in slug and parts:
        parts[-1] = slug
    return "/" + "".join(p + "/" for p in parts)


class PublishLinks:
    """``publish``: links between the folder's posts (``/posts/her/``, as convert writes them) sent as the
    permalink WordPress has for the post each leads to.

    A link to a post the run has not created yet is sent as it is at first; :meth:`stale` then lists the files to
    send again, once every post has its permalink (a post created later in the run, or whose permalink the run
    changed). A link to a file of the folder that is not on the site (skipped, failed) stays as it is and is
    reported (:meth:`notes`).
    """

    def __init__(self, docs: list[tuple[str, dict[str, Any]]]) -> None:
        self.by_url: dict[str, str] = {}  # URL key → the file's path
        for path, front in docs:
            url = folder_url(path, front)
            if url:
                self.by_url.setdefault(_key(url), path)
        self.permalinks: dict[str, str] = {}  # file → the permalink of its post on the site
        self.source: dict[str, str] = {}  # file → its body before its links were rewritten (files with links)
        self.sent: dict[str, str] = {}  # file → the body sent
        self.unresolved: dict[tuple[str, str], str] = {}  # (file, link) → the file it leads to
        self.would_create: set[str] = set()  # files a dry run would create a post for

    def saw(self, path: str, struct: dict[str, Any] | None) -> None:
        """Note the permalink of the post ``path`` is published to (``struct``: the post as the site gives it)."""
        link = struct.get("link") if struct else None
        if isinstance(link, str) and link.startswith(("http://", "https://")):
            self.permalinks[path] = link

    def rewrite(self, path: str, body: str, lookup: Callable[[str], str | None] | None = None) -> str:
        """``body`` of the file at ``path`` with its links to the folder's posts made their site permalinks.
        ``lookup(target)``: the permalink of the post of a file not seen yet (None: it has none yet)."""
        new, linked = self._rewrite(path, body, lookup)
        if linked:
            self.source[path], self.sent[path] = body, new
        return new

    def _rewrite(self, path: str, body: str, lookup: Callable[[str], str | None] | None) -> tuple[str, bool]:
        if not self.by_url or ("](/" not in body and 'href="/' not in body):
            return body, False
        pieces: list[str] = []
        last = 0
        linked = False
        for start, end, url in iter_urls(body, links=True):
            if not url.startswith("/") or url.startswith("//"):
                continue
            target_path, _, fragment = url.partition("#")
            target = self.by_url.get(_key(target_path.partition("?")[0]))
            if target is None or target == path:
                continue
            linked = True
            permalink = self.permalinks.get(target)
            if permalink is None and lookup is not None:
                permalink = lookup(target)
                if permalink:
                    self.permalinks[target] = permalink
            if not permalink:
                self.unresolved[(path, url)] = target
                continue
            self.unresolved.pop((path, url), None)
            pieces.append(body[last:start])
            pieces.append(permalink + (f"#{fragment}" if fragment else ""))
            last = end
        pieces.append(body[last:])
        return "".join(pieces), linked

    def stale(self) -> list[str]:
        """The files on the site whose links, sent earlier in the run, lead elsewhere now."""
        return [path for path, sent in self.sent.items()
                if path in self.permalinks and self._rewrite(path, self.source[path], None)[0] != sent]

    def notes(self) -> list[str]:
        return [f"link not on the site: {path}: {url} ({target} is not published to the site; the link stays as "
                f"it is)" for (path, url), target in self.unresolved.items() if target not in self.would_create] + [
            f"link to a post this run would create: {path}: {url} (sent as {target}'s permalink once it exists)"
            for (path, url), target in self.unresolved.items() if target in self.would_create]

