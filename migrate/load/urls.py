"""Names and URLs: every post gets its own URL, and no value that becomes a URL can take over the site.

One rule for each question, shared by the layouts:

- :func:`url_name` — the last part of a post's URL (and its file's stem) made from its slug: letters (any
  script), digits, marks, ``-`` and ``_``; lower case; never starting with ``_`` or ``-``. Hugo and Jekyll keep
  such a name as it is, so two names that differ here are two different URLs in the built site.
- :func:`plan_names` — the names of every post of an export, decided once, before any post is written: unique
  within the folder they share (case-insensitively, after Unicode NFC), never a name the generators reserve;
  the loser of a clash gets ``-<id>`` (the same on every run over the same export).
- :func:`site_path` — a value that becomes a URL path (an alias, ``redirect_from``, a rule file's ``url``…)
  checked as a path: under the site, not the home page, no ``.``/``..`` or dot-file segments.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from collections.abc import Callable, Iterable, Mapping

from ..disktable import DiskDict, DiskTables
from .paths import MAX_NAME_BYTES, truncate_utf8

_PLAIN = re.compile(r"[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?\Z")
# Names Windows reserves whatever the extension (CON, NUL, COM1…): reserved here too, so a file can be copied there.
_WINDOWS = re.compile(r"(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])\Z", re.IGNORECASE)
_NAME_BYTES = MAX_NAME_BYTES - 64  # room for "-<id>-<n>" and ".comments.yaml"

#: Names no post takes in any folder: Hugo reads ``index.md`` as a leaf bundle and ``_index.md`` as a section
#: (``_`` never starts a name anyway); ``page`` is both generators' pagination folder.
RESERVED_NAMES = frozenset({"index", "page"})

#: Names no page at the top of the site takes: the generators' and bundlers' own folders, the sections and
#: taxonomies Hugo makes list pages for (the layouts add each taxonomy and post type of the export).
RESERVED_TOP = RESERVED_NAMES | frozenset({
    "posts", "post", "categories", "tags", "archetypes", "assets", "content", "data", "i18n", "layouts", "public",
    "resources", "static", "themes", "vendor", "node_modules", "gemfile", "feed", "sitemap", "404", "wp-migrate",
})

#: Post type names that cannot name their own folder: Jekyll's special folders are ``_<name>``, Hugo's sections
#: ``posts``… Such a type goes to ``type-<name>``.
RESERVED_TYPES = frozenset({
    "post", "posts", "page", "pages", "drafts", "layouts", "includes", "data", "plugins", "sass", "site", "config",
    "categories", "tags", "index", "assets", "static", "themes", "archetypes", "content", "i18n", "resources",
    "public", "wp-migrate",
})


def url_name(slug: str, fallback: str) -> str:
    """The URL-safe name of ``slug`` (``fallback`` when nothing of it is left)."""
    if _PLAIN.match(slug) and len(slug) <= _NAME_BYTES:
        return slug  # the usual WordPress slug, as it is
    text = unicodedata.normalize("NFC", slug).lower()
    out: list[str] = []
    for ch in text:
        if ch == "-" or ch == "_" or unicodedata.category(ch)[0] in "LM" or unicodedata.category(ch) == "Nd":
            out.append(ch)
        elif not out or out[-1] != "-":
            out.append("-")
    name = truncate_utf8("".join(out).strip("-_"), _NAME_BYTES).strip("-_")
    return name or fallback


def is_reserved(name: str, reserved: frozenset[str] | set[str]) -> bool:
    return name in reserved or bool(_WINDOWS.match(name))


def url_key(path: str) -> str:
    """What makes two URL paths the same page: case, Unicode form, ``index.html`` and the trailing slash aside."""
    key = unicodedata.normalize("NFC", path).casefold()
    for tail in ("/index.html", "/index.htm", "/index.php"):
        if key.endswith(tail):
            key = key[: -len(tail) + 1]
    return key.rstrip("/")


def type_folder(post_type: str) -> str:
    """The folder (Hugo section, Jekyll collection) of a post type: its URL name, ``type-<name>`` when reserved."""
    name = url_name(post_type, "type")
    return f"type-{name}" if is_reserved(name, RESERVED_TYPES) else name


def site_path(value: object) -> str | None:
    """``value`` as a URL path under the site (``/a/b/``), or None when it is no such path: empty, the home
    page, a full URL, a query, control characters, a ``..`` above the top, a segment starting with ``.``."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or any(c in text for c in "\\?#") or not text.isprintable() or "://" in text or text.startswith("//"):
        return None
    parts: list[str] = []
    for segment in text.split("/"):
        if segment in ("", "."):
            continue
        if segment == "..":
            if not parts:
                return None
            parts.pop()
        elif segment.startswith("."):
            return None
        else:
            parts.append(segment)
    trailing = text.endswith("/") or (bool(parts) and "." not in parts[-1])
    if parts and parts[-1].lower() in ("index.html", "index.htm", "index.php"):
        parts.pop()
        trailing = True
    if not parts:
        return None
    return "/" + "/".join(parts) + ("/" if trailing else "")


def plan_names(tree: Mapping[int, tuple[str, int, str]], folder_of: Callable[[int, str, list[str]], str],
               reserved_in: Callable[[str], frozenset[str] | set[str]], written: Callable[[str], bool],
               previous: Mapping[int, str] | None = None) -> tuple[DiskDict, dict[int, tuple[int, ...]]]:
    """The name of every post of ``tree`` (id → (slug, parent, type)) whose type is ``written``, and the ancestors
    (same type, outermost first) of each one that has any (the others have none: ``chains.get(id, ())``).

    ``folder_of(id, type, ancestor names)`` is the key of the URL folder the post's name is unique in;
    ``reserved_in(folder)`` the names no post takes there. Parents are named before their children (a child's
    folder holds its parents' names); otherwise posts are named in the export's order, the first keeping its name —
    but a post that had its name in the last run (``previous``: id → name) keeps it, so a post added later with
    the same slug does not move a page that is already online.

    The names, and the folder keys taken while they are chosen, are kept on disk (see migrate.disktable): a
    string a post each, they are most of what a run over a large export would hold.
    """
    any_previous = previous is not None and len(previous) > 0
    chains: dict[int, tuple[int, ...]] = {}
    # The order posts are named in, one 64-bit number a post: its depth, then 1 unless it keeps its name of the
    # last run, then its place in the export (sorted: export order within a depth, names held first).
    order = array("q")
    ids: list[int] = []
    for post_id, (slug, _parent, post_type) in tree.items():
        if written(post_type):
            chain = tuple(ancestors_of(post_id, tree))
            if chain:
                chains[post_id] = chain
            held = any_previous and previous.get(post_id) == url_name(slug, str(post_id))  # type: ignore[union-attr]
            order.append(min(len(chain), 1 << 20) << 41 | (not held) << 40 | len(ids))
            ids.append(post_id)
    names = DiskDict(("name", "type"), from_row=_first)  # (the type too: see Layout.planned_name)
    taken = DiskTables({"taken": ("key",)}).table("taken")
    for key in sorted(order):
        post_id = ids[key & ((1 << 40) - 1)]
        slug, _parent, post_type = tree[post_id]
        folder = folder_of(post_id, post_type, [names[a] for a in chains.get(post_id, ())])
        base = url_name(slug, str(post_id))
        if is_reserved(base, reserved_in(folder)):
            base = f"{base}-{post_id}"
        for name in _candidates(base, post_id):
            if taken.add(unicodedata.normalize("NFC", f"{folder}/{name}").casefold()):
                names[post_id] = (name, post_type)
                break
    taken.db.close()
    return names, chains


def _first(name: str, _post_type: str) -> str:
    return name


def ancestors_of(post_id: int, tree: Mapping[int, tuple[str, int, str]]) -> list[int]:
    """Ids of the post's ancestors of its own type, outermost first (cycles in broken exports are cut)."""
    _slug, parent, post_type = tree[post_id]
    chain: list[int] = []
    seen = {post_id}
    while parent and parent in tree and parent not in seen:
        seen.add(parent)
        _s, grandparent, parent_type = tree[parent]
        if parent_type != post_type:
            break
        chain.append(parent)
        parent = grandparent
    return list(reversed(chain))


def _candidates(base: str, post_id: int) -> Iterable[str]:
    yield base
    yield f"{base}-{post_id}"
    for n in range(2, 1000):
        yield f"{base}-{post_id}-{n}"
