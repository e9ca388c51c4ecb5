"""Front matter: the fields a post carries, and their YAML form (PyYAML's safe dumper)."""

from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import unquote, urlsplit

import yaml

from ..model import Post, Site

#: Front-matter keys that taxonomy names must never overwrite.
RESERVED_KEYS = frozenset(
    {
        "title", "date", "lastmod", "slug", "draft", "status", "categories", "tags", "author", "summary",
        "aliases", "wordpress_id", "post_type", "sticky", "featured_image", "format", "password_protected",
        "comments", "weight", "parent", "type", "layout", "url", "permalink", "published",
    }
)

_TAXONOMY_KEYS = {"category": "categories", "post_tag": "tags"}


class Timestamp(str):
    """An ISO 8601 date string that YAML writes as a plain (unquoted) timestamp."""


# libyaml's emitter when PyYAML has it (several times faster), else the pure-Python one; same output.
class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    pass


def _represent_timestamp(dumper: Any, value: Timestamp) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", str(value))


def _represent_str(dumper: Any, value: str) -> yaml.Node:
    # Multi-line strings read best as literal blocks.
    style = "|" if "\n" in value and not value.startswith((" ", "\t")) and "\r" not in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(Timestamp, _represent_timestamp)
_Dumper.add_representer(str, _represent_str)


def iso_date(local: datetime | None, gmt: datetime | None) -> Timestamp | None:
    """ISO 8601 with the site's UTC offset at the time, from the local and GMT dates WordPress keeps.

    Only the local date (drafts): no offset. Only GMT: UTC. An implausible offset: UTC.
    """
    if gmt is None:
        return Timestamp(local.isoformat(timespec="seconds")) if local else None
    if local is not None:
        offset = local - gmt.replace(tzinfo=None)
        minutes = offset.total_seconds() / 60
        if abs(minutes) <= 14 * 60 and minutes % 15 == 0:
            return Timestamp(local.replace(tzinfo=timezone(timedelta(minutes=minutes))).isoformat())
    return Timestamp(gmt.astimezone(timezone.utc).isoformat())


def old_path(link: str) -> str | None:
    """The path of the old permalink (``/2013/01/10/hello/``), for redirects; None for ``?p=12`` links."""
    if not link:
        return None
    parts = urlsplit(link)
    if parts.query or not parts.path.strip("/"):
        return None
    return unquote(parts.path, errors="replace")


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


_OPTIONS: dict[str, Any] = {"sort_keys": False, "allow_unicode": True, "default_flow_style": False, "width": 1000}


def dump_yaml(data: Any) -> str:
    """``yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False,
    width=1000)``, the same text, faster for what front matter holds: dicts, lists, strings, timestamps,
    booleans and integers become the nodes PyYAML's representer would make (without its per-value
    lookups), and libyaml writes them. Anything else (a date, a float, one list in two places, which
    PyYAML writes as an alias) goes through PyYAML's representer."""
    try:
        node = _node(data, set())
    except _Irregular:
        return yaml.dump(data, Dumper=_Dumper, **_OPTIONS)
    stream = io.StringIO()
    dumper = _Dumper(stream, **_OPTIONS)
    try:
        dumper.open()
        dumper.serialize(node)
        dumper.close()
    finally:
        dumper.dispose()
    return stream.getvalue()


class _Irregular(Exception):
    """A value :func:`_node` leaves to PyYAML's representer."""


_STR = "tag:yaml.org,2002:str"


def _node(value: Any, seen: set[int]) -> yaml.Node:
    """The node SafeRepresenter (with this module's representers) makes for ``value``."""
    kind = type(value)
    if kind is str:
        style = "|" if "\n" in value and not value.startswith((" ", "\t")) and "\r" not in value else None
        return yaml.ScalarNode(_STR, value, style=style)
    if kind is dict or kind is list:
        if id(value) in seen:  # PyYAML would write an anchor and an alias
            raise _Irregular
        seen.add(id(value))
        if kind is dict:
            pairs = [(_node(k, seen), _node(v, seen)) for k, v in value.items()]
            return yaml.MappingNode("tag:yaml.org,2002:map", pairs, flow_style=False)
        return yaml.SequenceNode("tag:yaml.org,2002:seq", [_node(v, seen) for v in value], flow_style=False)
    if kind is Timestamp:
        return yaml.ScalarNode("tag:yaml.org,2002:timestamp", str(value))
    if kind is bool:
        return yaml.ScalarNode("tag:yaml.org,2002:bool", "true" if value else "false")
    if kind is int:
        return yaml.ScalarNode("tag:yaml.org,2002:int", str(value))
    raise _Irregular


def parse_document(text: str) -> tuple[dict[str, Any], str]:
    """Split a Markdown file written by :func:`dump_document` into front matter and body."""
    if not text.startswith("---\n"):
        return {}, text
    end = text.find("\n---\n", 3)
    if end < 0:
        return {}, text
    front = yaml.safe_load(text[4 : end + 1]) or {}
    body = text[end + 5 :]
    return front, body.removeprefix("\n")
