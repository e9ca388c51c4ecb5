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
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

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

    def __init__(self, site: Site, layout_name: str, attachment_urls: dict[int, str] | None = None) -> None:
        self.hosts = site_hosts(site)
        self.layout = layout_name
        self.attachment_urls = attachment_urls or {}
        self.by_id: dict[int, str | None] = {}  # id → new URL (None: not built)
        self.by_path: dict[str, int] = {}  # old path key → id
        self.old_paths: list[tuple[int, str]] = []  # (id, the permalink's path as it was): for redirects
        self.types: dict[int, str] = {}  # id → post type
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
        self.by_id[post_id] = url
        self.types[post_id] = post_type
        for taxonomy, slug in terms:
            self.used_terms.add(("tag" if taxonomy == "post_tag" else taxonomy, slug.lower()))
        for old in (link, guid):
            if old and "?" not in old and (old is link or old != link):  # a guid like ?p=5 is matched by id
                netloc, path = _split(old)
                if path.strip("/"):
                    self.by_path.setdefault(_key(path), post_id)
                    if old is link and (not netloc or self._own(netloc)):
                        self.old_paths.append((post_id, path))

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
                    if post_id in self.attachment_urls and self.by_id.get(post_id) is None:
                        return self._attachment(post_id), True
                    if post_id in self.by_id:
                        new = self.by_id[post_id]
                        return (new + fragment if new else None), True
                    return None, True
            for key, taxonomy in (("tag", "tag"), ("category_name", "category")):
                if key in query:
                    return self.term_url(taxonomy, query[key][0].lower()), True
            return None, False
        key = _key(path)
        if not key:
            return None, False  # the home page (a commenter's site, often): the same address on the new host
        if key in self.by_path:
            post_id = self.by_path[key]
            if post_id in self.attachment_urls and self.by_id.get(post_id) is None:
                return self._attachment(post_id), True
            new = self.by_id.get(post_id)
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
