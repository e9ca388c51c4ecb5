"""Write converted posts into a folder laid out for Hugo or Jekyll.

Files are written atomically (temporary file, then rename). No path is written
twice in a run: two posts that want the same file both survive, the later one
under ``<slug>-<id>``. A manifest (``.wp-migrate/manifest.jsonl``, one line a post)
records WordPress id → path → content hash; it is written as the run goes, so
memory does not grow with the export.
"""

from __future__ import annotations

import difflib
import hashlib
import itertools
import json
import os
import re
import shutil
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import yaml

from ..disktable import DiskDict, DiskTables
from ..errors import OutputError
from ..model import Post, Site
from ..theme import HUGO_CONFIGS, JEKYLL_DEFAULTS, has_own_templates, theme_files
from ..transform.classify import SKIPPED_TYPES
from ..transform.sanitize import has_liquid
from ..yamlsafe import load_yaml, yaml_problem
from .base import Written
from .boundary import first_link, link_message, make_output_folder, refuse_links
from .urls import (
    RESERVED_NAMES,
    RESERVED_TOP,
    ancestors_of,
    is_reserved,
    plan_names,
    site_path,
    type_folder,
    url_key,
    url_name,
)

MANIFEST = PurePosixPath(".wp-migrate/manifest.jsonl")
BACKUP = PurePosixPath(".wp-migrate/backup")  # users' versions of files a --force run overwrote
TMP = PurePosixPath(".wp-migrate/tmp")  # temporary files; what a killed run left there is removed
_TMP_NUMBERS = itertools.count()  # temporary file names of this process
_SUFFIX_RESERVE = 32  # bytes kept free in a name for "-<id>-<n>.md"


_json_string = json.encoder.encode_basestring  # (json.dumps of a str, ensure_ascii=False)


def write_atomic(path: str | os.PathLike[str], data: bytes | Iterable[bytes],
                 tmp_dir: str | os.PathLike[str] | None = None, *, make_folder: bool = True, mode: int = 0o666) -> None:
    """Write ``data`` (bytes, or pieces of bytes) to ``path`` through a temporary file (in ``tmp_dir``, same
    file system) and a rename. A process killed at any moment leaves ``path`` either as it was or complete.

    ``make_folder``: make ``path``'s folder first (False when the caller knows it exists: a loader, for a run).
    ``mode``: the file's permissions (through the umask); 0o600 for what only its owner may read (backups).
    """
    path = os.fspath(path)
    parent = os.path.dirname(path) or "."
    tmp_folder = parent if tmp_dir is None else os.fspath(tmp_dir)
    if make_folder:
        os.makedirs(parent, exist_ok=True)
    # A name of our own rather than mkstemp's random one: this process's id and a counter are unique among
    # running writers, and O_EXCL refuses a name a killed run left behind (then the next number is tried).
    # Mode 0o666 goes through the umask, as open() would: readable by a web server, not mkstemp's 0600.
    while True:
        tmp = os.path.join(tmp_folder, f".wp-migrate-{os.getpid()}-{next(_TMP_NUMBERS)}.tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), mode)
            break
        except FileExistsError:
            continue
    try:
        try:
            for piece in (data,) if isinstance(data, bytes) else data:
                view = memoryview(piece)
                while view:  # os.write may write less than asked (a signal, a pipe): the rest goes next
                    view = view[os.write(fd, view):]
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


MANIFEST_VERSION = 2


@dataclass(frozen=True, slots=True)  # (no __dict__: one a file of the last run)
class ManifestLine:
    """One file the tool wrote: the post it belongs to, its content's hash, and for a file that goes with a
    post's document (``.comments.yaml``…) the document's path (``of``); ``kept``: a removed post's file kept
    as a draft (``--keep-removed``)."""

    id: int
    path: str
    sha256: str
    of: str = ""
    kept: bool = False
    dropped: tuple[str, ...] = ()  # old URLs taken out at the end of the run (see DirectoryLoader.fix_aliases)


def read_manifest_lines(out: str | Path) -> tuple[list[ManifestLine], dict[str, Any], list[str]]:
    """Every line of an output folder's manifest: the files, the header (``layout``…), and a message for each
    line that cannot be read (it is skipped). A path that could lead outside the folder is such a line."""
    header: dict[str, Any] = {}
    problems: list[str] = []
    lines = list(iter_manifest_lines(out, header, problems))
    return lines, header, problems


def iter_manifest_lines(out: str | Path, header: dict[str, Any], problems: list[str]) -> Iterator[ManifestLine]:
    """:func:`read_manifest_lines`'s lines one at a time (a manifest has a line a file: none is held); the header
    goes into ``header``, the messages into ``problems``, as they are read."""
    path = Path(out) / MANIFEST
    try:
        fh = open(path, encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return
    except OSError as e:
        problems.append(f"{path}: cannot be read ({e.strerror}): every file in the folder counts as the user's")
        return
    with fh:
        for number, text in enumerate(fh, 1):
            if not text.strip():
                continue
            try:
                data = json.loads(text)
                if "id" not in data and isinstance(data, dict) and "wp_migrate_manifest" in data:
                    header.clear()
                    header.update(data)
                    continue
                line = ManifestLine(int(data["id"]), str(data["path"]), str(data["sha256"]), str(data.get("of", "")),
                                    bool(data.get("kept", False)), tuple(map(str, data.get("dropped", ()))))
            except (ValueError, KeyError, TypeError, AttributeError):
                problems.append(f"{path}:{number}: a manifest line that cannot be read was skipped")
                continue
            if not _inside(line.path) or (line.of and not _inside(line.of)):
                problems.append(f"{path}:{number}: a path outside the output folder ({line.path!r}) was skipped")
                continue
            yield line


def _inside(relative: str) -> bool:
    """True for a relative POSIX path with no empty, ".", ".." parts, not in the tool's own folder."""
    parts = relative.split("/")
    return (bool(relative) and not relative.startswith("/") and "\\" not in relative and "\x00" not in relative
            and all(p not in ("", ".", "..") for p in parts) and parts[0] != ".wp-migrate")


def previous_paths(out: str | Path) -> DiskDict:
    """Post id → the path of its document in the folder's last run (see :func:`read_manifest`), kept on disk."""
    paths = DiskDict(("path",))
    for line in iter_manifest_lines(out, {}, []):
        if not line.of and not line.kept and line.id != DirectoryLoader.SITE_ID:
            paths[line.id] = line.path
    return paths


def _line_row(line: ManifestLine) -> tuple[int, str, str, str, bool, str]:
    return line.id, line.path, line.sha256, line.of, line.kept, json.dumps(line.dropped, ensure_ascii=False)


def _line_of_row(post_id: int, path: str, sha256: str, of: str, kept: int, dropped: str) -> ManifestLine:
    return ManifestLine(post_id, path, sha256, of, bool(kept), tuple(json.loads(dropped)))


def read_manifest(out: str | Path) -> dict[int, dict[str, str]]:
    """The manifest of an output folder: post id → {"path", "sha256"} of its document (empty when there is none)."""
    lines, _header, _problems = read_manifest_lines(out)
    return {line.id: {"path": line.path, "sha256": line.sha256} for line in lines
            if not line.of and not line.kept and line.id != DirectoryLoader.SITE_ID}


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _key_hash(key: str) -> int:
    """A 64-bit hash of a URL key, the same in every process (``hash()`` of a str is not)."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little")


class Layout:
    """Where each post goes, its URL, and the front-matter spelling a generator expects.

    Every post's name (file stem and last part of its URL) is planned once, from the export's index, before any
    post is converted (:func:`~migrate.load.urls.plan_names`): unique in its URL folder, never reserved. The
    planned URLs are known to every process, so no alias can name another post's page.
    """

    name = ""

    def __init__(self, tree: Mapping[int, tuple[str, int, str]], has_children: set[int],
                 taxonomies: Iterable[str] = ("categories", "tags"), base_path: str = "",
                 previous: Mapping[int, str] | None = None) -> None:
        self.tree = tree
        #: The path the old site lived under (``/blog`` of ``https://example.org/blog``): old URLs are under it,
        #: and the new site is served there too, so aliases are relative to it.
        self.base_path = base_path.rstrip("/")
        self.has_children = has_children
        self.taxonomies = tuple(taxonomies)
        self.types = sorted({t for (_s, _p, t) in tree.values() if _written_type(t)} - {"post", "page"})
        folders = {type_folder(t) for t in self.types}
        self.reserved_top = RESERVED_TOP | {url_name(t, "") for t in self.taxonomies} | folders
        #: Top folders whose URL (and pagination) the generator makes list pages at: no alias may take them.
        self.reserved_roots = self.list_roots(folders)
        previous_names = DiskDict(("name",))  # (a name a post of the last run: on disk)
        for i, path in (previous or {}).items():
            previous_names[i] = self.name_in(path)
        self.names, self.chains = plan_names(tree, self.folder_key, self._reserved_in, _written_type, previous_names)
        del previous_names
        # The planned URLs, for :meth:`is_planned`: a sorted array of 64-bit hashes of their keys and the post
        # of each (16 bytes a post, in this process and in every worker, instead of a set of strings). A hash
        # found is confirmed against the post's URL made again, so a collision never counts. (Sorted through the
        # order of their places: no tuple a post.)
        hashes = array("Q")
        ids: array[int] | list[int] = array("q")
        for i in self.names:
            url = self.planned_url(i)
            if url:
                hashes.append(_key_hash(url_key(url)))
                try:
                    ids.append(i)
                except OverflowError:  # (an id over 64 bits, from a broken export)
                    ids = [*ids, i]
        order = sorted(range(len(hashes)), key=hashes.__getitem__)
        self._url_hashes = array("Q", [hashes[at] for at in order])
        sorted_ids = [ids[at] for at in order]
        self._url_ids = array("q", sorted_ids) if isinstance(ids, array) else sorted_ids
        del hashes, ids, order, sorted_ids

    def is_planned(self, key: str) -> bool:
        """True when ``key`` (a :func:`~migrate.load.urls.url_key`) is the URL key of a planned post's page."""
        hashes, wanted = self._url_hashes, _key_hash(key)
        at = bisect_left(hashes, wanted)
        while at < len(hashes) and hashes[at] == wanted:
            if url_key(self.planned_url(self._url_ids[at]) or "") == key:
                return True
            at += 1
        return False

    # -- names and URLs --

    def folder_key(self, post_id: int, post_type: str, ancestors: list[str]) -> str:
        """The URL folder a post's name must be unique in ("" for the top of the site)."""
        prefix = "" if post_type == "page" else "/" + type_folder(post_type)
        return "/".join((prefix, *ancestors)) if ancestors else prefix

    def _reserved_in(self, folder: str) -> frozenset[str] | set[str]:
        return self.reserved_top if folder == "" else RESERVED_NAMES

    def planned_url(self, post_id: int) -> str | None:
        """The URL path of a planned post when it does not depend on the post's date (None when it does)."""
        name, post_type = self.named(post_id)
        folder = self.folder_key(post_id, post_type, [self.names[a] for a in self.chains.get(post_id, ())])
        return f"{folder}/{name}/"

    def named(self, post_id: int) -> tuple[str, str]:
        """(name, post type) of a planned post (KeyError for another)."""
        row = self.names.row(post_id)
        if row is None:
            raise KeyError(post_id)
        return row[0], row[1]

    @staticmethod
    def name_in(path: str) -> str:
        """The post's name in a path this layout gave it (its folder's for an index file)."""
        parts = path.split("/")
        stem = parts[-1].rsplit(".", 1)[0]
        if stem in ("_index", "index") and len(parts) > 1:
            return parts[-2]
        if parts[0] == "_posts" and re.match(r"\d{4}-\d\d-\d\d-", stem):
            return stem[11:]
        return stem

    def planned_name(self, post: Post) -> str | None:
        """The name planned for ``post`` (None: the index does not know it, or as another type)."""
        row = self.names.row(post.id)
        return row[0] if row is not None and row[1] == post.post_type else None

    def planned(self, post: Post) -> bool:
        return self.planned_name(post) is not None

    def stem(self, post: Post) -> str:
        """The post's name: the planned one, or (a post the index does not know) one made from its slug."""
        planned = self.planned_name(post)
        if planned is not None:
            return planned
        name = url_name(post.slug, str(post.id))
        reserved = RESERVED_NAMES if post.parent or post.post_type != "page" else self.reserved_top
        return f"{name}-{post.id}" if is_reserved(name, reserved) else name

    def ancestors(self, post: Post) -> list[str]:
        """Names of the post's ancestors (of its own type), outermost first."""
        if self.planned(post):
            return [self.names[a] for a in self.chains.get(post.id, ())]
        if not post.parent or post.parent not in self.tree:
            return []
        chain = [*ancestors_of(post.parent, self.tree), post.parent]
        chain = [a for a in chain if self.tree[a][2] == post.post_type]
        return [self.names.get(a) or url_name(self.tree[a][0], str(a)) for a in chain]

    def path(self, post: Post) -> str:
        """The post's file, relative to the output folder, as a POSIX path. Each part is a name
        :func:`~migrate.load.urls.url_name` made (or a constant): none is empty, ".", ".." or holds a "/", so
        the parts joined by "/" are the path ``PurePosixPath(*parts)`` gives."""
        raise NotImplementedError

    def url(self, post: Post, path: str) -> str:
        """The URL path the generator gives the post written at ``path``."""
        raise NotImplementedError

    # -- front matter --

    def adapt(self, front_matter: dict[str, Any], post: Post, path: str | None = None) -> dict[str, Any]:
        """The front matter as this generator wants it, with every value that becomes a URL checked: ``slug`` is
        the post's name; old URLs (``aliases``, and ``url``/``permalink``/``redirect_from`` a rule file gave) are
        kept only as paths under the site that are no other page's URL, not the post's own and not the home page."""
        if path is None:
            path = self.path(post)
        own = self.url(post, path)
        aliases = self.old_urls(front_matter, own)
        fm: dict[str, Any] = {}
        own_fields = self.own_url_fields(own)
        for key, value in front_matter.items():
            if key == "slug":
                fm["slug"] = self.stem(post)
                fm.update(own_fields)
            elif key in _URL_KEYS:
                if key == "aliases" and aliases:
                    fm[self.alias_key] = aliases
            else:
                fm[key] = value
        if aliases and self.alias_key not in fm:
            fm[self.alias_key] = aliases
        for key, value in own_fields.items():
            fm.setdefault(key, value)
        return fm

    alias_key = "aliases"

    def own_url_fields(self, own: str) -> dict[str, Any]:
        return {}

    def old_urls(self, front_matter: dict[str, Any], own: str) -> list[str]:
        """The old URLs a post may redirect from (see :meth:`adapt`), each once, in order."""
        kept: dict[str, str] = {}
        own_key = url_key(own)
        for key in _URL_KEYS:
            value = front_matter.get(key)
            if key == "slug" or value is None:
                continue
            for item in value if isinstance(value, list) else [value]:
                path = site_path(item)
                if path is None:
                    continue
                if self.base_path:
                    if not url_key(path).startswith(url_key(self.base_path) + "/"):
                        continue  # not a page of the old site
                    path = site_path(path[len(self.base_path):])
                    if path is None:
                        continue
                k = url_key(path)
                if k == own_key or k in kept or self.is_planned(k) or self._reserved_url(k):
                    continue
                kept[k] = path
        return list(kept.values())

    def list_roots(self, type_folders: set[str]) -> set[str]:
        return set()

    def _reserved_url(self, key: str) -> bool:
        parts = key.strip("/").split("/")
        top = parts[0]
        if len(parts) == 1:
            return top in self.reserved_roots or top in _TOP_FILES
        return top in self.taxonomies or (top in self.reserved_roots and parts[1] == "page") or (
            top == "page" and bool(self.reserved_roots))

    # -- companions and configuration --

    def companion(self, relative: PurePosixPath, suffix: str) -> PurePosixPath:
        """Where a file that goes with a post (``.comments.yaml``…) is written: beside it."""
        return relative.with_name(relative.stem + suffix)

    def config_files(self, site: Site, taxonomies: list[str], offsets: Counter[str] | None = None,
                     raw_html: bool = True, theme: bool = False) -> list[tuple[str, str]]:
        """The generator's configuration files: (name, text) each; ``theme``: the folder gets the tool's theme
        (:mod:`migrate.theme`), and the configuration says what it needs."""
        return []

    def owns(self, out: Path) -> tuple[str, str] | None:
        """The other layout ``out`` was made for, and the file that says so (None when nothing does)."""
        return None


#: Front-matter keys whose values become URLs; the layout decides them (see :meth:`Layout.adapt`).
_URL_KEYS = ("slug", "aliases", "url", "permalink", "redirect_from")
#: Files at the top of a built site no alias may replace.
_TOP_FILES = frozenset({"index.xml", "sitemap.xml", "robots.txt", "404.html", "feed.xml", "favicon.ico"})


def _written_type(post_type: str) -> bool:
    return post_type not in SKIPPED_TYPES


class HugoLayout(Layout):
    """``content/posts/<name>.md``; pages by their path under ``content/``; other types in their section."""

    name = "hugo"

    def folder_key(self, post_id: int, post_type: str, ancestors: list[str]) -> str:
        if post_type == "post":
            return "/posts"
        return super().folder_key(post_id, post_type, ancestors)

    def list_roots(self, type_folders: set[str]) -> set[str]:
        """Hugo makes a list page for each section and taxonomy, and pages the home page under /page/."""
        return {"posts", *self.taxonomies, *type_folders}

    def path(self, post: Post) -> str:
        stem = self.stem(post)
        if post.post_type == "post":
            return f"content/posts/{stem}.md"
        parts = ["content"]
        if post.post_type != "page":
            parts.append(type_folder(post.post_type))
        parts.extend(self.ancestors(post))
        if post.id in self.has_children:
            return "/".join((*parts, stem, "_index.md"))
        return "/".join((*parts, f"{stem}.md"))

    def url(self, post: Post, path: str) -> str:
        parts = path.split("/")[1:]
        parts[-1] = parts[-1][:-3]  # ".md"
        if parts[-1] == "_index":
            parts.pop()
        return "/" + "".join(p + "/" for p in parts)

    def companion(self, relative: PurePosixPath, suffix: str) -> PurePosixPath:
        """Hugo publishes every other file under ``content/``: data goes to ``data/<kind>/<path>.yaml``
        (``site.Data.comments…``), which it never publishes."""
        kind, _, ext = suffix.lstrip(".").partition(".")
        flat = "-".join(relative.with_suffix("").parts[1:]).lstrip("_")
        return PurePosixPath("data", kind or "extra", f"{flat}.{ext or 'yaml'}")

    def config_files(self, site: Site, taxonomies: list[str], offsets: Counter[str] | None = None,
                     raw_html: bool = True, theme: bool = False) -> list[tuple[str, str]]:
        def s(value: str) -> str:
            return json.dumps(value, ensure_ascii=False)

        lines = [
            f"baseURL = {s((site.link or 'https://example.org').rstrip('/') + '/')}",
            f"title = {s(site.title)}",
        ]
        if site.language:
            lines.append(f"locale = {s(site.language)}")  # (languageCode before Hugo 0.158)
        lines += ["", "[taxonomies]"]
        singular = {"categories": "category", "tags": "tag"}
        lines += [f"{s(singular.get(key, key))} = {s(key)}" for key in taxonomies]
        if raw_html:
            # Goldmark drops raw HTML unless told to keep it: the players and <details> the posts hold need it. They
            # are sanitised (migrate.transform.sanitize); without raw HTML, goldmark's own URL checks stay on too.
            lines += ["", "[markup.goldmark.renderer]", "unsafe = true"]
        return [("hugo.toml", "\n".join(lines) + "\n")]

    def owns(self, out: Path) -> tuple[str, str] | None:
        for name in ("_config.yml", "_config.yaml", "_posts"):
            if (out / name).exists() and not any((out / n).exists() for n in _HUGO_CONFIGS):
                return "jekyll", name
        return None


_HUGO_CONFIGS = HUGO_CONFIGS


class JekyllLayout(Layout):
    """``_posts/YYYY-MM-DD-<name>.md``, unpublished posts in ``_drafts/``, pages by path, types as collections.

    Each file says its URL (``permalink``): posts ``/YYYY/MM/DD/<name>/`` by the date WordPress showed, pages by
    their path, whatever the site's time zone or permalink style."""

    name = "jekyll"
    alias_key = "redirect_from"

    def folder_key(self, post_id: int, post_type: str, ancestors: list[str]) -> str:
        if post_type == "post":
            return "post:"  # every post's name is unique among the posts, whatever their dates
        return super().folder_key(post_id, post_type, ancestors)

    def planned_url(self, post_id: int) -> str | None:
        return None if self.named(post_id)[1] == "post" else super().planned_url(post_id)

    @staticmethod
    def _date(post: Post) -> Any:
        return post.date or (post.date_gmt.replace(tzinfo=None) if post.date_gmt else None)

    def path(self, post: Post) -> str:
        stem = self.stem(post)
        if post.post_type == "post":
            date = self._date(post)
            if post.is_public and date:
                return f"_posts/{date:%Y-%m-%d}-{stem}.md"
            return f"_drafts/{stem}.md"
        parts: list[str] = []
        if post.post_type != "page":
            parts.append("_" + type_folder(post.post_type))
        parts.extend(self.ancestors(post))
        if post.id in self.has_children:
            return "/".join((*parts, stem, "index.md"))
        return "/".join((*parts, f"{stem}.md"))

    def url(self, post: Post, path: str) -> str:
        if post.post_type == "post":
            date = self._date(post)
            return f"/{date:%Y/%m/%d}/{self.stem(post)}/" if date else f"/{self.stem(post)}/"
        parts = path.split("/")
        parts[-1] = parts[-1][:-3]
        if parts[-1] == "index":
            parts.pop()
        if parts[0].startswith("_"):
            parts[0] = parts[0][1:]
        return "/" + "".join(p + "/" for p in parts)

    def own_url_fields(self, own: str) -> dict[str, Any]:
        return {"permalink": own}

    def companion(self, relative: PurePosixPath, suffix: str) -> PurePosixPath:
        """Jekyll would read a file in ``_posts/`` as a post: data goes to ``_data/<kind>/<path>.yml``
        (``site.data.comments[...]``)."""
        kind, _, _ = suffix.lstrip(".").partition(".")
        flat = "-".join(relative.with_suffix("").parts).lstrip("_")
        return PurePosixPath("_data", kind or "extra", f"{flat}.yml")

    def adapt(self, front_matter: dict[str, Any], post: Post, path: str | None = None) -> dict[str, Any]:
        fm = super().adapt(front_matter, post, path)
        if fm.pop("draft", False):
            fm["published"] = False
        if has_liquid(post.body or ""):
            fm["render_with_liquid"] = False  # Jekyll ≥ 4: "{{ site }}" or "{% include %}" in a post shows as text
        return fm

    def config_files(self, site: Site, taxonomies: list[str], offsets: Counter[str] | None = None,
                     raw_html: bool = True, theme: bool = False) -> list[tuple[str, str]]:
        link = urlsplit(site.link or "")
        config: dict[str, Any] = {"title": site.title, "description": site.description}
        config["url"] = f"{link.scheme}://{link.netloc}" if link.netloc else ""
        config["baseurl"] = link.path.rstrip("/")
        config["timezone"] = site_timezone(offsets or Counter())
        # Posts and pages carry their own permalink; this is the style of posts written later by hand.
        config["permalink"] = "/:year/:month/:day/:title/"
        config["excerpt_separator"] = "<!--more-->"
        config["plugins"] = ["jekyll-redirect-from"]
        if self.types:
            config["collections"] = {type_folder(t): {"output": True} for t in self.types}
        if theme:  # posts and pages use the theme's layouts (migrate/theme/jekyll/_layouts)
            config["defaults"] = JEKYLL_DEFAULTS
        gemfile = ('source "https://rubygems.org"\n\ngem "jekyll", "~> 4.3"\n\n'
                   'group :jekyll_plugins do\n  gem "jekyll-redirect-from", "~> 0.16"\nend\n')
        return [("_config.yml", yaml.safe_dump(config, sort_keys=False, allow_unicode=True)), ("Gemfile", gemfile)]

    def owns(self, out: Path) -> tuple[str, str] | None:
        for name in (*_HUGO_CONFIGS, "content"):
            if (out / name).exists() and not (out / "_config.yml").exists():
                return "hugo", name
        return None


#: IANA zones for the UTC offsets that are not whole hours (Etc/GMT±N has whole hours only).
_ODD_OFFSETS = {"+05:30": "Asia/Kolkata", "+05:45": "Asia/Kathmandu", "+03:30": "Asia/Tehran",
                "+04:30": "Asia/Kabul", "+06:30": "Asia/Yangon", "+09:30": "Australia/Darwin",
                "-03:30": "America/St_Johns", "-09:30": "Pacific/Marquesas", "+08:45": "Australia/Eucla",
                "+12:45": "Pacific/Chatham", "+10:30": "Australia/Lord_Howe"}


def site_timezone(offsets: Counter[str]) -> str:
    """The time zone to show dates in: the UTC offset most of the posts were written at (``+02:00`` →
    ``Etc/GMT-2``: the POSIX sign is the other way round), else UTC."""
    if not offsets:
        return "UTC"
    offset = max(sorted(offsets), key=lambda o: offsets[o])
    if offset in _ODD_OFFSETS:
        return _ODD_OFFSETS[offset]
    sign, hours, minutes = offset[0], int(offset[1:3]), int(offset[4:6])
    if minutes or not hours:
        return "UTC"
    return f"Etc/GMT{'-' if sign == '+' else '+'}{hours}"


LAYOUTS: dict[str, type[Layout]] = {"hugo": HugoLayout, "jekyll": JekyllLayout}


_DATE_OFFSET = re.compile(r"^date: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d([+-]\d\d:\d\d)$", re.MULTILINE)


class Disk:
    """Where a :class:`DirectoryLoader`'s changes to its folder go: the folder itself. A dry run's loader has a
    :class:`DryDisk`, which records them instead; the loader writes and removes only through its disk, and says
    what it did with :meth:`says`."""

    dry_run = False

    def __init__(self, root: Path) -> None:
        self.root = root
        self.tmp = root / TMP
        self.dirs: set[str] = set()  # folders this run made or found (no mkdir for each file)
        # Folders this run made: they hold only what it wrote, and it writes no path twice, so a file about to be
        # written there is new without looking.
        self.fresh: set[str] = set()

    def prepare(self) -> None:
        """Before the run: the folder exists and is writable, and its temporary folder is empty."""
        make_output_folder(self.root)
        if not os.access(self.root, os.W_OK):
            raise OutputError(f"{self.root}: the output folder is not writable", hint="choose another --out")
        refuse_links(str(self.root), TMP.as_posix())  # (rmtree through a linked .wp-migrate would delete elsewhere)
        shutil.rmtree(self.tmp, ignore_errors=True)
        self.tmp.mkdir(parents=True, exist_ok=True)

    def write(self, target: str | Path, data: bytes) -> None:
        """Write ``target`` whole (atomically), its folder made first."""
        write_atomic(target, data, self.tmp)

    def put(self, target: str, parent: str, data: bytes) -> None:
        """Write a post's file: its folder ``parent`` made once a run (and noted as fresh when this run made it)."""
        if parent not in self.dirs:
            if not os.path.isdir(parent):
                os.makedirs(parent, exist_ok=True)
                self.fresh.add(parent)
            self.dirs.add(parent)
        write_atomic(target, data, self.tmp, make_folder=False)

    def remove(self, target: Path) -> None:
        """Remove ``target``, then its folder and the folders above it up to the output folder while empty."""
        target.unlink()
        root = self.root.resolve()
        folder = target.parent
        while folder.resolve() != root and root in folder.resolve().parents:
            try:
                folder.rmdir()
            except OSError:
                return
            folder = folder.parent

    def says(self, done: str, would: str) -> str:
        """The words for what was done (``done``), or in a dry run would be (``would``)."""
        return done


class DryDisk(Disk):
    """A dry run's disk: nothing is written or removed; :attr:`changes` lists what would be, in order."""

    dry_run = True

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.changes: list[tuple[str, str]] = []  # ("write" | "remove", path)

    def prepare(self) -> None:
        pass

    def write(self, target: str | Path, data: bytes) -> None:
        self.changes.append(("write", os.fspath(target)))

    def put(self, target: str, parent: str, data: bytes) -> None:
        self.changes.append(("write", target))

    def remove(self, target: Path) -> None:
        self.changes.append(("remove", os.fspath(target)))

    def says(self, done: str, would: str) -> str:
        return would


class DirectoryLoader:
    """Writes documents under ``out``; with ``dry_run`` (a :class:`DryDisk`) it only reports what it would write,
    with diffs.

    A run is a sync with the folder: the manifest of the last run says which files the tool wrote and what
    they held. A file the user changed since (or wrote) is left alone and reported as a conflict (``force``:
    overwritten, after a copy is saved under ``.wp-migrate/backup/``); after a complete run, :meth:`sync` removes
    the files of posts that are no longer written (``keep_removed``: marks them draft instead).
    """

    def __init__(self, out: str | Path, layout: Layout, *, dry_run: bool = False, force: bool = False,
                 keep_removed: bool = False, diffs: bool = False) -> None:
        self.out = Path(out)
        self.layout = layout
        self.disk = DryDisk(self.out) if dry_run else Disk(self.out)
        #: Diff each change also when writing it (a dry run always does).
        self.diffs = diffs
        self.force = force
        self.keep_removed = keep_removed
        # What grows with the export is kept on disk (migrate.disktable): the casefolded relative paths claimed (→ post
        # id), the URL keys of published posts' pages loaded so far (see check_urls), and the URL key of each old URL
        # → the file redirecting from it.
        self._tables = DiskTables({"claimed": ("key", "id"), "pages": ("key",), "aliases": ("key", "name"),
                                   "done": ("name",)})
        self._claimed = self._tables.table("claimed")
        self._pages = self._tables.table("pages")
        self._aliases = self._tables.table("aliases")
        self._root = str(self.out)
        self.manifest_path = self.out / MANIFEST
        self._manifest: Any = None  # the new manifest, written line by line in .wp-migrate/tmp
        self.tmp = self.out / TMP
        self.backup = self.out / BACKUP
        #: Remarks for the summary: manifest lines skipped, copies saved, files removed or kept.
        self.notes: list[str] = []
        self.offsets: Counter[str] = Counter()  # UTC offsets of the posts' dates (Jekyll's time zone)
        # path → what the last run wrote there (a line a file of the last run: on disk, see migrate.disktable)
        self._previous = DiskDict(("id", "path", "sha256", "of", "kept", "dropped"), to_row=_line_row,
                                  from_row=_line_of_row, int_keys=False)
        # What only a sync with the last run needs is kept only when there was one (self._had_previous), on disk:
        # the paths this run wrote, found unchanged, or must keep; for each post, why its files of the last run
        # are not written (skipped), and its document this run (said as "now <path>" when needed).
        self._done = self._tables.table("done")
        self._keep_ids: set[int] = set()  # posts whose files stay as they are (they failed this run)
        self._why = DiskDict(("why",))
        self._now = DiskDict(("name",))
        # (_pages: but for those that are the post's planned URL: no old URL that reaches check_urls is a planned
        # URL, Layout.old_urls leaves those out.)
        self._fixups: dict[str, set[str]] = {}  # file → old URLs to take out (see fix_aliases)
        # Documents with old URLs left alone as conflicts (fix_aliases never changes them). What this run wrote
        # in the others, fix_aliases finds in the new manifest, not in memory.
        self._conflicts: set[str] = set()
        self._pending: dict[str, tuple[int, str]] = {}  # files left as the last fix_aliases made them: id, text
        self._refuse_other_layout()
        header: dict[str, Any] = {}
        problems: list[str] = []
        for line in iter_manifest_lines(self.out, header, problems):
            self._previous[line.path] = line
        self._had_previous = bool(len(self._previous))
        self.notes.extend(problems)
        if header.get("layout") not in (None, layout.name):
            raise OutputError(f"{self.out}: was converted with --layout {header['layout']}; converting it with "
                              f"--layout {layout.name} would mix two sites",
                              hint=f"use --layout {header['layout']}, or convert into another --out")
        self._checked: set[str] = set()  # folders found to hold no symbolic link on the way from the output folder
        self.disk.prepare()

    @property
    def dry_run(self) -> bool:
        return self.disk.dry_run

    def _refuse_other_layout(self) -> None:
        found = self.layout.owns(self.out) if self.out.is_dir() else None
        if found:
            other, name = found
            raise OutputError(f"{self.out}: holds a {other.capitalize()} site ({name}); converting it with --layout "
                              f"{self.layout.name} would mix two sites",
                              hint=f"use --layout {other}, or convert into another --out")

    def _open_manifest(self) -> Any:
        if self._manifest is None:
            self._manifest = open(self.tmp / "manifest.jsonl", "w", encoding="utf-8")
            self._manifest.write(f'{{"wp_migrate_manifest": {MANIFEST_VERSION}, "layout": '
                                 f'{_json_string(self.layout.name)}}}\n')
        return self._manifest

    def _record(self, post_id: int, name: str, sha: str, of: str = "", kept: bool = False,
                dropped: Iterable[str] = ()) -> None:
        if self.disk.dry_run:
            return  # (a dry run keeps no manifest)
        # (json.dumps of the line, key by key: a line for every post, in the process that writes them all)
        extra = (f', "of": {_json_string(of)}' if of else "") + (', "kept": true' if kept else "")
        if dropped:
            extra += f', "dropped": {json.dumps(sorted(dropped), ensure_ascii=False)}'
        (self._manifest or self._open_manifest()).write(
            f'{{"id": {post_id:d}, "path": {_json_string(name)}, "sha256": "{sha}"{extra}}}\n')

    def claim(self, path: str | PurePosixPath, post_id: int) -> str:
        """The post's path (the layout's: :meth:`Layout.path`), made unique within this run (case-insensitively),
        as a POSIX path."""
        path = str(path)
        if self._claimed.add(path.casefold(), post_id):  # the usual case, without path arithmetic
            return path
        for candidate in self._candidates(PurePosixPath(path), post_id):
            if self._claimed.add(str(candidate).casefold(), post_id):
                return str(candidate)
        raise OutputError(f"no free file name for post {post_id} near {path}")

    @staticmethod
    def _candidates(path: PurePosixPath, post_id: int) -> Iterator[PurePosixPath]:
        """``path``, then ``<stem>-<id>``, then ``<stem>-<id>-2``… (for a page with children: its folder)."""
        yield path
        for n in range(1, 100):
            tail = f"-{post_id}" if n == 1 else f"-{post_id}-{n}"
            if path.name in ("_index.md", "index.md"):
                folder = path.parent
                yield folder.with_name(folder.name + tail) / path.name
            else:
                yield path.with_name(f"{path.stem}{tail}{path.suffix}")

    def skipped(self, post_id: int, reason: str) -> None:
        """``post_id`` is in the export but not written (trash, a rule…): said when its old file is removed."""
        if self._had_previous:
            self._why[post_id] = reason
            self._now.pop(post_id, None)

    def _why_not(self, post_id: int) -> str:
        """Why the files of ``post_id`` from the last run are not written this time."""
        name = self._now.get(post_id)
        return f"now {name}" if name is not None else self._why.get(post_id, "no longer in the export")

    def keep(self, post_id: int) -> None:
        """Leave the files of ``post_id`` as they are (it failed this run: its last good version stays)."""
        self._keep_ids.add(post_id)

    def check_urls(self, post_id: int, name: str, text: str, urls: tuple[str, ...]) -> str:
        """``text`` without the old URLs another published post has already taken (as its page's URL, or as its
        own old URL); an earlier post's old URL that is this post's page URL is taken from that post's file at
        the end of the run (:meth:`fix_aliases`). The layouts check what one post alone can know; this, what
        depends on the others (a Jekyll post's URL holds its date, two posts can have the same old link)."""
        own, *aliases = urls
        key = url_key(own)
        # A planned URL is no old URL (Layout.old_urls): neither kept in _pages nor one of _aliases' keys.
        if post_id not in self.layout.names or own != self.layout.planned_url(post_id):
            self._pages.add(key)
            holder = self._aliases.pop(key)
            if holder is not None:
                self._fixups.setdefault(holder, set()).add(key)
        drop = set()
        for alias in aliases:
            k = url_key(alias)
            if k == key or k in self._pages or not self._aliases.add(k, name):
                drop.add(k)
        return _without_aliases(text, drop, self.layout.alias_key) if drop else text

    def fix_aliases(self) -> None:
        """Take old URLs that a later post's page turned out to have from the files that redirect from them.
        The manifest remembers which (``dropped``), so the next run finds such a file unchanged."""
        written = self._recorded(self._fixups)
        for name, keys in self._fixups.items():
            target = self.out / name
            try:
                old = target.read_bytes()
            except OSError:
                continue
            post_id, sha = written.get(name, (0, ""))
            if name in self._conflicts or sha != _sha256(old):
                continue  # a file the user edited, or one this run did not write
            pending = self._pending.pop(name, None)
            text = pending[1] if pending else old.decode("utf-8")
            new = _without_aliases(text, keys, self.layout.alias_key).encode("utf-8")
            if new != old:
                self.disk.write(target, new)
            self._record(post_id, name, _sha256(new), dropped=keys)
        for name, (post_id, text) in self._pending.items():  # nothing took them this time: they come back
            data = text.encode("utf-8")
            self.disk.write(self.out / name, data)
            self._record(post_id, name, _sha256(data))
        self._fixups.clear()
        self._pending.clear()

    def _recorded(self, names: Iterable[str]) -> dict[str, tuple[int, str]]:
        """The post and hash this run's manifest gives each of ``names`` first (none in a dry run)."""
        wanted = {_json_string(name): name for name in names}
        found: dict[str, tuple[int, str]] = {}
        if not wanted or self._manifest is None:
            return found
        self._manifest.flush()
        with open(self.tmp / "manifest.jsonl", encoding="utf-8") as fh:
            for line in fh:
                # (_record's lines: '{"id": N, "path": "…", "sha256": "…"…}'; a JSON string holds no bare '", "')
                start = line.find(', "path": ') + 10
                end = line.find(', "sha256": "', start)
                name = wanted.get(line[start:end]) if start >= 10 and end > 0 else None
                if name is not None and name not in found:
                    data = json.loads(line)
                    found[name] = (data["id"], data["sha256"])
        return found

    def load(self, post_id: int, text: str, relative: str | PurePosixPath,
             extras: dict[str, str] | None = None, urls: tuple[str, ...] = ()) -> Written:
        """Write post ``post_id``'s document at its claimed path, and its companion files beside it (or, dry,
        say what would happen). The outcome is the document's; a changed companion makes it "updated".
        ``urls``: a published post's URL and old URLs (see :meth:`check_urls`)."""
        name = str(relative)
        if urls:
            text = self.check_urls(post_id, name, text, urls)
        data = text.encode("utf-8")
        match = _DATE_OFFSET.search(text, 0, 600)
        if match:
            self.offsets[match.group(1)] += 1
        written = self._write(name, text, data, post_id)
        if self._had_previous:
            self._now[post_id] = name
            self._why.pop(post_id, None)
        if len(urls) > 1 and written.outcome == "conflict":
            self._conflicts.add(name)
        if extras:
            outcomes = [written]
            for suffix, extra_text in sorted(extras.items()):
                # Claimed as a post's file is: two posts' companions can meet (Jekyll's flat data file names:
                # about/team and about-team), and the second then gets "-<id>" rather than overwrite the first.
                companion = self.claim(self.layout.companion(PurePosixPath(name), suffix), post_id)
                outcomes.append(self._write(companion, extra_text, None, post_id, of=name))
            outcome = written.outcome
            if outcome == "unchanged" and any(w.outcome not in ("unchanged", "conflict") for w in outcomes[1:]):
                outcome = "updated"
            reasons = "; ".join(w.reason for w in outcomes if w.reason)
            written = Written(outcome, name, "".join(w.diff for w in outcomes), reasons)
        return written

    def _write(self, name: str, text: str, data: bytes | None, post_id: int, of: str = "") -> Written:
        target = os.path.join(self._root, name)
        parent = os.path.dirname(target)
        if data is None:
            data = text.encode("utf-8")
        if self._had_previous:
            self._done.add(name)
        if parent not in self._checked:  # nothing is read or written through a link inside the folder
            refuse_links(self._root, os.path.dirname(name))
            self._checked.add(parent)
        if parent in self.disk.fresh:
            old = None
        elif os.path.islink(target):
            raise OutputError(link_message(target), hint="replace the link with the file itself")
        else:
            try:
                with open(target, "rb") as fh:
                    old = fh.read()
            except (FileNotFoundError, NotADirectoryError):
                old = None
            except IsADirectoryError:
                return Written("conflict", name, "", f"{name} is a folder")
            except OSError as e:
                raise OutputError(f"{target}: cannot read: {e.strerror}") from None
        sha = _sha256(data)
        outcome = "new" if old is None else ("unchanged" if old == data else "updated")
        if outcome == "updated":
            previous = self._previous.get(name)
            if previous is None:
                # Not ours: never overwritten. (Its manifest line stays away, so it stays the user's.)
                return Written("conflict", name, "", f"{name} was not written by wp-migrate "
                                                     "(move it away to convert this post)")
            if previous.dropped and not of and _sha256(old) == previous.sha256:  # type: ignore[arg-type]
                expected = _without_aliases(text, set(previous.dropped), self.layout.alias_key).encode("utf-8")
                if expected == old:
                    # As the last run left it: the old URLs a later post's page took were taken out at its end
                    # (fix_aliases), as they will be at this one's; the file is settled there.
                    self._pending[name] = (post_id, text)
                    self._record(post_id, name, previous.sha256, dropped=previous.dropped)
                    return Written("unchanged", name)
            if _sha256(old) != previous.sha256:  # type: ignore[arg-type]
                if not self.force:
                    self._record(previous.id, name, previous.sha256, previous.of, previous.kept)
                    return Written("conflict", name, "", f"{name} was edited since wp-migrate wrote it "
                                                         "(--force overwrites it, saving a copy)")
                saved = self._save_copy(name, old)  # type: ignore[arg-type]
                self.notes.append(f"{name} was edited since wp-migrate wrote it: "
                                  + self.disk.says(f"saved in {saved}", f"a copy would be saved in {saved}"))
        diff = ""
        if (self.disk.dry_run or self.diffs) and outcome != "unchanged":
            before = old.decode("utf-8", "replace").splitlines(keepends=True) if old else []
            diff = "".join(difflib.unified_diff(before, text.splitlines(keepends=True), f"a/{name}", f"b/{name}"))
        if outcome != "unchanged":
            try:
                self.disk.put(target, parent, data)
            except OSError as e:
                raise OutputError(f"{target}: cannot write: {e.strerror}") from None
        self._record(post_id, name, sha, of)
        return Written(outcome, name, diff)

    def _save_copy(self, name: str, data: bytes) -> str:
        """Save ``data`` (the user's version of ``name``) under .wp-migrate/backup/; return where."""
        base = (BACKUP / name).as_posix()
        candidate, n = base, 1
        while (self.out / candidate).exists():
            candidate, n = f"{base}.{n}", n + 1
        try:
            self.disk.write(self.out / candidate, data)
        except OSError as e:
            raise OutputError(f"{self.out / candidate}: cannot save a copy: {e.strerror}") from None
        return candidate

    def sync(self) -> None:
        """After a complete run: the files of the last run that this one did not write (their post left the
        export's published set, was renamed, lost its comments file…) are removed, or with ``keep_removed``
        marked draft; one the user edited since is left alone (``force``: removed after a copy is saved)."""
        for name, line in self._previous.items():
            if name in self._done:
                continue
            if line.id in self._keep_ids:
                self._done.add(name)
                self._record(line.id, name, line.sha256, line.of, line.kept)
                continue
            target = self.out / name
            if first_link(self._root, name) is not None:  # nothing read or removed through a link
                self.notes.append(f"{link_message(str(first_link(self._root, name)))}: {name} left alone")
                continue
            try:
                data = target.read_bytes()
            except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
                continue  # already gone
            except OSError as e:
                self.notes.append(f"{name}: cannot read ({e.strerror}): left alone")
                continue
            would = self.disk.says("", "would ")
            if _sha256(data) != line.sha256 and not line.kept:
                if not self.force:
                    self.notes.append(f"{name} (#{line.id}) is no longer written, but was edited since wp-migrate "
                                      "wrote it: left alone (--force removes it, saving a copy)")
                    continue
                saved = self._save_copy(name, data)
                self.notes.append(f"{name} was edited since wp-migrate wrote it: {would}save a copy in {saved}")
            if self.keep_removed and not line.of:
                text = _as_draft(data.decode("utf-8", "replace"), self.layout)
                new = text.encode("utf-8")
                if new != data:
                    why = self._why_not(line.id)
                    self.notes.append(f"{self.disk.says('marked', 'would mark')} draft {name} (#{line.id}: {why})")
                    self.disk.write(target, new)
                self._record(line.id, name, _sha256(new), "", True)
                continue
            why = self._why_not(line.id)
            self.notes.append(f"{self.disk.says('removed', 'would remove')} {name} (#{line.id}: {why})")
            try:
                self.disk.remove(target)
            except OSError as e:
                self.notes.append(f"{name}: cannot remove ({e.strerror})")
        self._synced = True

    #: The manifest's id for the site's own files (configuration, theme): no WordPress post has it.
    SITE_ID = 0

    def write_config(self, site: Site, taxonomies: list[str], *, raw_html: bool = True) -> list[tuple[str, str]]:
        """Write the generator's configuration files and, when the folder has no templates or theme of its own,
        the tool's minimal theme (:mod:`migrate.theme`): each only where the folder has no such file (a file
        there, the user's or an earlier run's, is never overwritten). What it writes is recorded in the manifest,
        so a re-run finds it unchanged and :meth:`sync` keeps it. Return (name, "configuration" or "theme") of
        each file written (dry run: that would be written). Call before :meth:`sync`. ``raw_html``: whether the
        files written hold raw HTML (Hugo's configuration allows it only then)."""
        ours = {name for name, line in self._previous.items() if line.id == self.SITE_ID}
        own = has_own_templates(self.out, self.layout.name, ours)
        wanted: list[tuple[str, str, str]] = [
            (name, text, "configuration")
            for name, text in self.layout.config_files(site, taxonomies, self.offsets, raw_html, theme=own is None)]
        if own is None:
            wanted += [(name, text, "theme") for name, text in theme_files(self.layout.name)]
            self._note_missing_defaults()
        written = []
        for name, content, kind in wanted:
            target = self.out / name
            if os.path.lexists(target) or (name == "index.html" and any(
                    os.path.lexists(self.out / other) for other in ("index.md", "index.markdown", "index.htm"))):
                continue  # only where missing (a home page of the user's, whatever its kind, is theirs)
            refuse_links(self._root, os.path.dirname(name))  # nothing written through a link inside the folder
            written.append((name, kind))
            self._done.add(name)
            data = content.encode("utf-8")
            try:
                self.disk.write(target, data)
            except OSError as e:
                raise OutputError(f"{target}: cannot write: {e.strerror}") from None
            self._record(self.SITE_ID, name, _sha256(data))
        # (an earlier run's: kept as they are, never removed by sync)
        for name in sorted(name for name in ours if name not in self._done):
            if os.path.lexists(self.out / name):
                self._done.add(name)
                line = self._previous[name]
                self._record(line.id, name, line.sha256)
        return written

    def _note_missing_defaults(self) -> None:
        """A Jekyll folder whose own _config.yml gives posts no layout: say what to add for the theme."""
        if self.layout.name != "jekyll" or not (self.out / "_config.yml").is_file():
            return
        try:
            config = load_yaml((self.out / "_config.yml").read_text("utf-8"))
        except (OSError, UnicodeDecodeError):
            return
        except yaml.YAMLError as e:
            self.notes.append(f"_config.yml not read: {yaml_problem(e)}")
            return
        if isinstance(config, dict) and "defaults" not in config:
            self.notes.append("_config.yml gives posts and pages no layout: add the 'defaults' of "
                              "migrate/theme (layout: post for posts, page for the rest) to use the written theme")

    def close(self) -> None:
        """Save the manifest; lines of earlier runs for files this run did not get to are kept (a run that
        stopped early removes nothing)."""
        self._tables.close()
        if self.disk.dry_run:
            return  # (a dry run keeps no manifest)
        try:
            self._open_manifest()
            if not self._synced:
                for name, line in self._previous.items():
                    if name not in self._done and (self.out / name).exists():
                        self._record(line.id, name, line.sha256, line.of, line.kept)
            self._manifest.close()
            self.manifest_path.parent.mkdir(parents=True, exist_ok=True)
            os.replace(self.tmp / "manifest.jsonl", self.manifest_path)
        except OSError as e:
            raise OutputError(f"{self.manifest_path}: cannot write: {e.strerror}") from None
        finally:
            if self._manifest is not None:
                self._manifest.close()
            shutil.rmtree(self.tmp, ignore_errors=True)

    _synced = False


def _as_draft(text: str, layout: Layout) -> str:
    """A document with its front matter saying it is not to be published (Hugo ``draft``, Jekyll ``published``)."""
    line = "published: false" if layout.name == "jekyll" else "draft: true"
    end = text.find("\n---\n", 3) if text.startswith("---\n") else -1
    if end < 0:
        return f"---\n{line}\n---\n\n{text}"
    key = line.split(":")[0] + ":"
    head = "".join(h for h in text[4 : end + 1].splitlines(keepends=True) if not h.startswith(key))
    return f"---\n{head}{line}\n" + text[end + 1 :]


def _without_aliases(text: str, keys: set[str], alias_key: str) -> str:
    """``text`` without the old URLs (under ``alias_key`` in its front matter) whose :func:`url_key` is in ``keys``.
    Works on the lines :func:`~migrate.transform.frontmatter.dump_document` writes (a block list, one item a
    line), so the rest of the file stays byte for byte."""
    end = text.find("\n---\n", 3) if text.startswith("---\n") else -1
    if end < 0:
        return text
    lines = text[: end + 1].split("\n")
    try:
        start = lines.index(f"{alias_key}:")
    except ValueError:
        return text
    stop = start + 1
    while stop < len(lines) and lines[stop].startswith("- "):
        stop += 1
    kept = []
    for entry in lines[start + 1 : stop]:
        try:
            value = load_yaml(entry[2:])
        except yaml.YAMLError:
            value = None
        if not isinstance(value, str) or url_key(value) not in keys:
            kept.append(entry)
    lines[start:stop] = [f"{alias_key}:", *kept] if kept else []
    return "\n".join(lines) + text[end + 1 :]
