"""A folder of converted posts as a source: the Markdown files with YAML front matter ``convert`` writes, which
``publish`` reads (registered as ``folder`` in :mod:`migrate.sources`).

Only regular files inside the folder are read (a link, to a file or a folder, is reported and not followed);
a file over :data:`MAX_FILE_BYTES` is refused from its size, before it is parsed.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import MigrateError, OutputError
from ..load.boundary import read_regular, regular_files
from ..model import ExportIndex, Post, Site
from ..transform.frontmatter import ALIAS_REFUSED, parse_document

__all__ = ["MAX_FILE_BYTES", "NOT_CONTENT", "NOT_READ", "FolderSource", "LocalDoc", "local_status", "read_folder"]


@dataclass
class LocalDoc:
    """One Markdown file of the folder."""

    path: str  # relative, with forward slashes
    text: str
    front: dict[str, Any]
    body: str

    @property
    def post_type(self) -> str:
        return str(self.front.get("post_type") or "post")

    @property
    def title(self) -> str:
        return str(self.front.get("title") or "")


#: Folders of a site that hold no posts of its own (themes, built output, dependencies).
#: Why a file of the folder is not read (boundary.regular_files): skipped, not failed.
NOT_READ = frozenset({"a symbolic link: not followed", "a symbolic link to a folder: not followed",
                      "not a regular file"})

#: A file of the folder larger than this is refused from its size, before it is parsed.
MAX_FILE_BYTES = 32 * 10**6

NOT_CONTENT = frozenset({"themes", "public", "resources", "_site", "node_modules", "vendor"})


def read_folder(folder: Path) -> Iterator[LocalDoc | tuple[str, str]]:
    """Every ``*.md`` file under ``folder`` (hidden folders and :data:`NOT_CONTENT` left out), in path
    order, as a :class:`LocalDoc` — or ``(path, reason)`` when it cannot be read."""
    # Only regular files inside the folder are read: a link (to a file or a folder) is reported, not followed.
    for rel, refused in regular_files(str(folder), ".md", lambda name: name.startswith(".") or name in NOT_CONTENT):
        if refused:
            yield rel, refused
            continue
        try:
            data = read_regular(os.path.join(folder, rel))
            if data is not None and len(data) > MAX_FILE_BYTES:
                yield rel, f"{len(data) / 1e6:.1f} MB: larger than the {MAX_FILE_BYTES // 10**6} MB a post may be"
                continue
            text = (data or b"").decode("utf-8")
        except (OutputError, UnicodeDecodeError) as e:
            yield rel, f"cannot read it: {e}"
            continue
        try:
            front, body = parse_document(text)
        except yaml.YAMLError as e:
            mark = getattr(e, "problem_mark", None)
            where = f" (line {mark.line + 2})" if mark is not None else ""
            if getattr(e, "problem", None) == ALIAS_REFUSED:
                yield rel, f"front matter holds {ALIAS_REFUSED}{where}"
                continue
            yield rel, f"front matter is not valid YAML{where}"
            continue
        if not isinstance(front, dict):
            yield rel, "front matter is not a mapping"
            continue
        yield LocalDoc(rel, text, front, body)


def local_status(front: dict[str, Any]) -> str:
    """The WordPress status a file asks for: ``status``, else draft/publish from ``draft``/``published``."""
    if front.get("status"):
        return str(front["status"])
    if front.get("password_protected"):
        return "publish"  # shown only to those with the password: not a draft
    if front.get("draft") is True or front.get("published") is False:
        return "draft"
    return "publish"


class FolderSource:
    """A folder of converted posts (Markdown files with YAML front matter, as ``convert`` writes them): the source
    ``publish`` reads, registered as ``folder`` (:mod:`migrate.sources`). :meth:`items` gives each file as a
    :class:`LocalDoc`, or ``(path, reason)`` when it cannot be read; :meth:`posts` gives the converted posts
    (``body`` and ``fields`` set, as the stages leave them)."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        if not self.folder.is_dir():
            raise MigrateError(
                f"{self.folder}: no such folder", hint="give the folder convert wrote (e.g. site)"
            )
        self.name = str(self.folder)
        self.site = Site()
        self.index = ExportIndex()

    def items(self) -> Iterator[LocalDoc | tuple[str, str]]:
        return read_folder(self.folder)

    def posts(self) -> Iterator[Post]:
        for item in self.items():
            if isinstance(item, LocalDoc) and item.front:
                front = item.front
                wid = front.get("wordpress_id")
                yield Post(id=wid if isinstance(wid, int) else 0, title=item.title, post_type=item.post_type,
                           slug=str(front.get("slug") or ""), status=local_status(front), body=item.body,
                           fields=dict(front))
