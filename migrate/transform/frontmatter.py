"""Front matter: the fields a post carries, and their YAML form (:mod:`.yamlwriter`: PyYAML's safe dumper's text)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import unquote, urlsplit

from ..model import RESERVED_KEYS, Post, Site
from ..yamlsafe import ALIASES_REFUSED, load_yaml
from .yamlwriter import Timestamp, dump_yaml

_TAXONOMY_KEYS = {"category": "categories", "post_tag": "tags"}


def iso_date(local: datetime | None, gmt: datetime | None) -> Timestamp | None:
    """ISO 8601 with the site's UTC offset at the time, from the local and GMT dates WordPress keeps.

    Only the local date (drafts): no offset. Only GMT: UTC. An implausible offset: UTC.
    """
    if gmt is None:
        return Timestamp(local.isoformat(timespec="seconds")) if local else None
    if local is not None:
        offset = local - gmt.replace(tzinfo=None)
        suffix = _OFFSET_SUFFIX.get(offset)
        if suffix is None:
            suffix = _offset_suffix(offset)
        if suffix:  # local.replace(tzinfo=timezone(offset)).isoformat(), the offset written once per run
            return Timestamp(local.isoformat() + suffix)
    return Timestamp(gmt.astimezone(timezone.utc).isoformat())


#: The ISO 8601 suffix of each offset met ("+01:00"), or "" for an implausible one (a site has a few).
_OFFSET_SUFFIX: dict[timedelta, str] = {}


def _offset_suffix(offset: timedelta) -> str:
    minutes = offset.total_seconds() / 60
    suffix = ""
    if abs(minutes) <= 14 * 60 and minutes % 15 == 0:
        suffix = datetime(2000, 1, 1, tzinfo=timezone(timedelta(minutes=minutes))).isoformat()[19:]
    if len(_OFFSET_SUFFIX) >= 256:
        _OFFSET_SUFFIX.clear()
    _OFFSET_SUFFIX[offset] = suffix
    return suffix


def old_path(link: str) -> str | None:
    """The path of the old permalink (``/2013/01/10/hello/``), for redirects; None for ``?p=12`` links."""
    if not link:
        return None
    path, query = _path_and_query(link)
    if query or not path.strip("/"):
        return None
    return unquote(path, errors="replace")


def _path_and_query(link: str) -> tuple[str, str]:
    """``urlsplit(link)``'s path and query. A printable ASCII http(s) URL whose host has no brackets
    (a permalink) is cut at "/", "?" and "#" as urlsplit would cut it, without its other work (stripping,
    removing tabs and newlines, checking IPv6 brackets and Unicode hosts); anything else goes to it."""
    if link.startswith(("http://", "https://")) and link.isascii() and link.isprintable():
        rest = link[link.index("//") + 2 :]
        end = len(rest)
        for sep in "/?#":
            i = rest.find(sep)
            if 0 <= i < end:
                end = i
        if "[" not in rest[:end] and "]" not in rest[:end]:
            path, _, query = rest[end:].partition("#")[0].partition("?")
            return path, query
    parts = urlsplit(link)
    return parts.path, parts.query


def taxonomy_key(taxonomy: str) -> str:
    """The front-matter key for a taxonomy: ``categories``, ``tags``, or the taxonomy's own name."""
    key = _TAXONOMY_KEYS.get(taxonomy, taxonomy)
    return f"taxonomy_{key}" if key not in _TAXONOMY_KEYS.values() and key in RESERVED_KEYS else key


def build_front_matter(post: Post, site: Site, featured_image: str | None, summary: str) -> dict[str, Any]:
    """The standard front matter of one post; ``post.fields`` (from rules) are merged in after."""
    fm: dict[str, Any] = {"title": post.title}
    date = iso_date(post.date, post.date_gmt)
    if date:
        fm["date"] = date
    lastmod = iso_date(post.modified, post.modified_gmt)
    if lastmod and lastmod != date:
        fm["lastmod"] = lastmod
    fm["slug"] = post.slug
    if not post.is_public:
        fm["draft"] = True
    if post.status != "publish":
        fm["status"] = post.status
    if post.password:
        fm["password_protected"] = True
    for taxonomy in dict.fromkeys(t.taxonomy for t in post.terms):
        names = [t.name for t in post.terms_in(taxonomy)]
        if taxonomy == "post_format":
            fm["format"] = post.terms_in(taxonomy)[0].slug.removeprefix("post-format-")
        else:
            fm[taxonomy_key(taxonomy)] = names
    author = site.author(post.author)
    if author or post.author:
        fm["author"] = author.name if author else post.author
    if summary:
        fm["summary"] = summary
    alias = old_path(post.link)
    if alias:
        fm["aliases"] = [alias]
    fm["wordpress_id"] = post.id
    fm["post_type"] = post.post_type
    if post.sticky:
        fm["sticky"] = True
    if post.post_type == "page" and post.menu_order:
        fm["weight"] = post.menu_order
    if featured_image:
        fm["featured_image"] = featured_image
    for key, value in post.fields.items():
        if key not in fm:
            fm[key] = value
    return fm


def dump_document(front_matter: dict[str, Any], body: str) -> str:
    """A Markdown file: ``---`` YAML front matter ``---`` then the body."""
    yaml_text = dump_yaml(front_matter)
    return f"---\n{yaml_text}---\n\n{body}" if body else f"---\n{yaml_text}---\n"


#: The problem of the error parse_document raises for front matter whose aliases expand without bound.
ALIAS_REFUSED = ALIASES_REFUSED


def parse_document(text: str) -> tuple[dict[str, Any], str]:
    """Split a Markdown file written by :func:`dump_document` into front matter and body."""
    if not text.startswith("---\n"):
        return {}, text
    end = text.find("\n---\n", 3)
    if end < 0:
        return {}, text
    front = load_yaml(text[4 : end + 1]) or {}  # (aliases bounded: see migrate.yamlsafe)
    body = text[end + 5 :]
    return front, body.removeprefix("\n")
