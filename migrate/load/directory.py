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
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from ..errors import OutputError
from ..model import Post, Site
from ..transform.sanitize import has_liquid
from .boundary import read_regular, refuse_links
from .paths import safe_component

MANIFEST = PurePosixPath(".wp-migrate/manifest.jsonl")
TMP = PurePosixPath(".wp-migrate/tmp")  # temporary files; what a killed run left there is removed
_TMP_NUMBERS = itertools.count()  # temporary file names of this process
_SUFFIX_RESERVE = 32  # bytes kept free in a name for "-<id>-<n>.md"


_json_string = json.encoder.encode_basestring  # type: ignore[attr-defined]  # (json.dumps of a str, ensure_ascii=False)


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


def read_manifest(out: str | Path) -> dict[int, dict[str, str]]:
    """The manifest of an output folder: post id → {"path", "sha256"} (empty when there is none)."""
    entries: dict[int, dict[str, str]] = {}
    try:
        with open(Path(out) / MANIFEST, encoding="utf-8") as fh:
            for line in fh:
                try:
                    data = json.loads(line)
                    entries[int(data["id"])] = {"path": data["path"], "sha256": data["sha256"]}
                except (ValueError, KeyError, TypeError):
                    continue
    except FileNotFoundError:
        pass
    return entries


@dataclass(frozen=True)
class Written:
    """What loading one post did (or, in a dry run, would do)."""

    outcome: str  # "new", "updated" or "unchanged"
    path: str
    diff: str = ""


class Layout:
    """Where each post goes, and the front-matter spelling a generator expects."""

    name = ""

    def __init__(self, tree: dict[int, tuple[str, int, str]], has_children: set[int]) -> None:
        self.tree = tree
        self.has_children = has_children

    def ancestors(self, post: Post) -> list[str]:
        """Safe slugs of the post's ancestors, outermost first (cycles in broken exports are cut)."""
        names: list[str] = []
        seen = {post.id}
        parent = post.parent
        while parent and parent in self.tree and parent not in seen:
            seen.add(parent)
            slug, grandparent, post_type = self.tree[parent]
            if post_type != post.post_type:
                break
            names.append(safe_component(slug, str(parent)))
            parent = grandparent
        return list(reversed(names))

    def stem(self, post: Post) -> str:
        return safe_component(post.slug, str(post.id), reserve=_SUFFIX_RESERVE)

    def path(self, post: Post) -> str:
        """The post's file, relative to the output folder, as a POSIX path. Each part is a name
        :func:`safe_component` made (or a constant): none is empty, ".", ".." or holds a "/", so the parts
        joined by "/" are the path ``PurePosixPath(*parts)`` gives, without building one for every post."""
        raise NotImplementedError

    def adapt(self, front_matter: dict[str, Any], post: Post) -> dict[str, Any]:
        return front_matter

    def companion(self, relative: PurePosixPath, suffix: str) -> PurePosixPath:
        """Where a file that goes with a post (``.comments.yaml``…) is written: beside it."""
        return relative.with_name(relative.stem + suffix)

    def config_file(self, site: Site, taxonomies: list[str], raw_html: bool = True) -> tuple[str, str] | None:
        """The generator's configuration file (name, text); ``raw_html``: whether the posts hold raw HTML."""
        return None


class HugoLayout(Layout):
    """``content/posts/<slug>.md``; pages by their path under ``content/``; other types in their section."""

    name = "hugo"

    def path(self, post: Post) -> str:
        stem = self.stem(post)
        if post.post_type == "post":
            return f"content/posts/{stem}.md"
        parts = ["content"]
        if post.post_type != "page":
            parts.append(safe_component(post.post_type, "type"))
        parts.extend(self.ancestors(post))
        if post.id in self.has_children:
            return "/".join((*parts, stem, "_index.md"))
        return "/".join((*parts, f"{stem}.md"))

    def config_file(self, site: Site, taxonomies: list[str], raw_html: bool = True) -> tuple[str, str]:
        def s(value: str) -> str:
            return json.dumps(value, ensure_ascii=False)

        lines = [
            f"baseURL = {s((site.link or 'https://example.org').rstrip('/') + '/')}",
            f"title = {s(site.title)}",
        ]
        if site.language:
            lines.append(f"languageCode = {s(site.language)}")
        lines += ["", "[taxonomies]"]
        singular = {"categories": "category", "tags": "tag"}
        lines += [f"{s(singular.get(key, key))} = {s(key)}" for key in taxonomies]
        if raw_html:
            # Goldmark drops raw HTML unless told to keep it: the players and <details> the posts hold need it. They
            # are sanitised (migrate.transform.sanitize); without raw HTML, goldmark's own URL checks stay on too.
            lines += ["", "[markup.goldmark.renderer]", "unsafe = true"]
        return "hugo.toml", "\n".join(lines) + "\n"


class JekyllLayout(Layout):
    """``_posts/YYYY-MM-DD-<slug>.md``, unpublished posts in ``_drafts/``, pages by path, types as collections."""

    name = "jekyll"

    def path(self, post: Post) -> str:
        stem = self.stem(post)
        if post.post_type == "post":
            date = post.date or (post.date_gmt.replace(tzinfo=None) if post.date_gmt else None)
            if post.is_public and date:
                return f"_posts/{date:%Y-%m-%d}-{stem}.md"
            return f"_drafts/{stem}.md"
        parts: list[str] = []
        if post.post_type != "page":
            parts.append("_" + safe_component(post.post_type, "type"))
        parts.extend(self.ancestors(post))
        if post.id in self.has_children:
            return "/".join((*parts, stem, "index.md"))
        return "/".join((*parts, f"{stem}.md"))

    def companion(self, relative: PurePosixPath, suffix: str) -> PurePosixPath:
        """Jekyll would read a file in ``_posts/`` as a post: data goes to ``_data/<kind>/<path>.yml``
        (``site.data.comments[...]``)."""
        kind, _, _ = suffix.lstrip(".").partition(".")
        flat = "-".join(relative.with_suffix("").parts).lstrip("_")
        return PurePosixPath("_data", kind or "extra", f"{flat}.yml")

    def adapt(self, front_matter: dict[str, Any], post: Post) -> dict[str, Any]:
        fm = dict(front_matter)
        if "aliases" in fm:
            fm["redirect_from"] = fm.pop("aliases")  # jekyll-redirect-from
        if fm.pop("draft", False):
            fm["published"] = False
        if has_liquid(post.body or ""):
            fm["render_with_liquid"] = False  # Jekyll ≥ 4: "{{ site }}" or "{% include %}" in a post shows as text
        return fm

    def config_file(self, site: Site, taxonomies: list[str], raw_html: bool = True) -> tuple[str, str]:
        config = {"title": site.title, "description": site.description, "url": site.link.rstrip("/")}
        return "_config.yml", yaml.safe_dump(config, sort_keys=False, allow_unicode=True)


LAYOUTS: dict[str, type[Layout]] = {"hugo": HugoLayout, "jekyll": JekyllLayout}


class DirectoryLoader:
    """Writes documents under ``out``; with ``dry_run`` it only reports what it would write, with diffs."""

    def __init__(self, out: str | Path, layout: Layout, *, dry_run: bool = False) -> None:
        self.out = Path(out)
        self.layout = layout
        self.dry_run = dry_run
        self._claimed: dict[str, int] = {}  # casefolded relative path → post id
        self._root = str(self.out)
        self._dirs: set[str] = set()  # folders this run made or found (no mkdir for each file)
        # Folders this run made: they hold only what it wrote, and it writes no path twice, so a file about to be
        # written there is new without looking.
        self._fresh: set[str] = set()
        self.manifest_path = self.out / MANIFEST
        self._seen: set[int] = set()  # post ids recorded in this run's manifest
        self._manifest: Any = None  # the new manifest, written line by line in .wp-migrate/tmp
        self.tmp = self.out / TMP
        self._checked: set[str] = set()  # folders found to hold no symbolic link on the way from the output folder
        if not dry_run:
            self._check_writable()
            refuse_links(self._root, TMP.as_posix())  # (rmtree through a linked .wp-migrate would delete elsewhere)
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp.mkdir(parents=True, exist_ok=True)

    def _check_writable(self) -> None:
        try:
            self.out.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise OutputError(f"{self.out}: cannot create the output folder: {e.strerror}",
                              hint="choose another --out") from None
        if not os.access(self.out, os.W_OK):
            raise OutputError(f"{self.out}: the output folder is not writable", hint="choose another --out")

    def _record(self, post_id: int, name: str, data: bytes) -> None:
        if self.dry_run:
            return
        if self._manifest is None:
            self._manifest = open(self.tmp / "manifest.jsonl", "w", encoding="utf-8")
        self._seen.add(post_id)
        # (json.dumps of the line, key by key: a line for every post, in the process that writes them all)
        self._manifest.write(f'{{"id": {post_id:d}, "path": {_json_string(name)}, '
                             f'"sha256": "{hashlib.sha256(data).hexdigest()}"}}\n')

    def claim(self, path: str | PurePosixPath, post_id: int) -> str:
        """The post's path (the layout's: :meth:`Layout.path`), made unique within this run (case-insensitively),
        as a POSIX path."""
        path = str(path)
        key = path.casefold()
        if key not in self._claimed:  # the usual case, without path arithmetic
            self._claimed[key] = post_id
            return path
        for candidate in self._candidates(PurePosixPath(path), post_id):
            key = str(candidate).casefold()
            if key not in self._claimed:
                self._claimed[key] = post_id
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

    def load(self, post_id: int, text: str, relative: str | PurePosixPath,
             extras: dict[str, str] | None = None) -> Written:
        """Write post ``post_id``'s document at its claimed path, and its companion files beside it (or, dry,
        say what would happen). The outcome is the document's; a changed companion makes it "updated"."""
        name = str(relative)
        data = text.encode("utf-8")
        written = self._write(name, text, data)
        if extras:
            outcomes = [written]
            for suffix, extra_text in sorted(extras.items()):
                # Claimed as a post's file is: two posts' companions can meet (Jekyll's flat data file names:
                # about/team and about-team), and the second then gets "-<id>" rather than overwrite the first.
                companion = self.claim(self.layout.companion(PurePosixPath(name), suffix), post_id)
                outcomes.append(self._write(companion, extra_text))
            outcome = written.outcome
            if outcome == "unchanged" and any(w.outcome != "unchanged" for w in outcomes[1:]):
                outcome = "updated"
            written = Written(outcome, name, "".join(w.diff for w in outcomes))
        self._record(post_id, name, data)
        return written

    def _write(self, name: str, text: str, data: bytes | None = None) -> Written:
        target = os.path.join(self._root, name)
        parent = os.path.dirname(target)
        if data is None:
            data = text.encode("utf-8")
        if parent not in self._checked:  # nothing is read or written through a link inside the folder
            refuse_links(self._root, os.path.dirname(name))
            self._checked.add(parent)
        old = None if parent in self._fresh else read_regular(target)
        outcome = "new" if old is None else ("unchanged" if old == data else "updated")
        diff = ""
        if self.dry_run and outcome != "unchanged":
            before = old.decode("utf-8", "replace").splitlines(keepends=True) if old else []
            diff = "".join(difflib.unified_diff(before, text.splitlines(keepends=True), f"a/{name}", f"b/{name}"))
        if not self.dry_run and outcome != "unchanged":
            try:
                if parent not in self._dirs:
                    if not os.path.isdir(parent):
                        os.makedirs(parent, exist_ok=True)
                        self._fresh.add(parent)
                    self._dirs.add(parent)
                write_atomic(target, data, self.tmp, make_folder=False)
            except OSError as e:
                raise OutputError(f"{target}: cannot write: {e.strerror}") from None
        return Written(outcome, name, diff)

    def write_config(self, site: Site, taxonomies: list[str], *, raw_html: bool = True) -> str | None:
        """Write the generator's site configuration when the folder has none; return its name."""
        made = self.layout.config_file(site, taxonomies, raw_html)
        if made is None:
            return None
        name, content = made
        if os.path.lexists(self.out / name) or self.dry_run:
            return None
        try:
            write_atomic(self.out / name, content.encode("utf-8"), self.tmp)
        except OSError as e:
            raise OutputError(f"{self.out / name}: cannot write: {e.strerror}") from None
        return name

    def close(self) -> None:
        """Save the manifest; lines of earlier runs for posts not seen this time are kept."""
        if self.dry_run:
            return
        try:
            if self._manifest is None:
                self._manifest = open(self.tmp / "manifest.jsonl", "w", encoding="utf-8")
            try:
                fd = os.open(self.manifest_path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
                with open(fd, encoding="utf-8") as previous:
                    for line in previous:
                        try:
                            if json.loads(line).get("id") not in self._seen:
                                self._manifest.write(line)
                        except (ValueError, AttributeError):
                            continue  # a damaged line of an old manifest
            except FileNotFoundError:
                pass
            self._manifest.close()
            self.manifest_path.parent.mkdir(parents=True, exist_ok=True)
            os.replace(self.tmp / "manifest.jsonl", self.manifest_path)
        except OSError as e:
            raise OutputError(f"{self.manifest_path}: cannot write: {e.strerror}") from None
        finally:
            if self._manifest is not None:
                self._manifest.close()
            shutil.rmtree(self.tmp, ignore_errors=True)
