"""``--media-layout bundle``: a post's own media beside it, in a Hugo page bundle.

Every post and page without children is written as a leaf bundle, ``content/posts/her/index.md`` (a page with
children already is a branch bundle, ``content/about/_index.md``), whatever media it has: where a post's file
goes then never depends on whether a download worked this time, and its URL is the same as ``her.md``'s.

A media file used by one post alone goes into that post's bundle (``content/posts/her/poster.jpg``) and the post
refers to it relatively (``poster.jpg``). A file used by several posts stays where ``--media-layout site`` puts
it (``static/wp-content/uploads/…``, root-relative references): one copy of its bytes in the site, its old URL
still served, and no post's bundle holding another post's image. Names are unique in a bundle (two different
``poster.jpg`` → ``poster.jpg``, ``poster-2.jpg``); the same bytes are stored once.

Each run places every file it uses again (:func:`plan`): a file whose place changed (a second post now uses it,
the layout was switched) is moved, so a re-run is a sync, and a run that changes nothing moves nothing.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from pathlib import PurePosixPath
from urllib.parse import quote

from ..errors import MigrateError
from ..load.directory import HugoLayout
from ..model import Post

#: ``--media-layout`` values: ``site`` keeps the old site's paths (the default), ``bundle`` uses page bundles.
MEDIA_LAYOUTS = ("site", "bundle")
#: Where bundles live: Hugo's content folder.
CONTENT = "content/"


def check_media_layout(media_layout: str, layout: str) -> None:
    """Refuse a ``--media-layout`` the output layout cannot have, before anything is read or written."""
    if media_layout not in MEDIA_LAYOUTS:
        raise MigrateError(f"unknown --media-layout {media_layout!r}",
                           hint=f"choose one of: {', '.join(MEDIA_LAYOUTS)}")
    if media_layout == "bundle" and layout != "hugo":
        raise MigrateError(f"--media-layout bundle puts a post's media in a Hugo page bundle; --layout {layout} has "
                           f"no page bundles",
                           hint=f"use --media-layout site (the default) with --layout {layout}, or --layout hugo")


class HugoBundleLayout(HugoLayout):
    """Hugo's layout with every post and childless page as a leaf bundle: ``content/posts/<name>/index.md``."""

    def path(self, post: Post) -> str:
        path = super().path(post)
        if path.endswith("/_index.md"):
            return path  # a page with children: a branch bundle already
        return f"{path[:-3]}/index.md"

    def url(self, post: Post, path: str) -> str:
        return super().url(post, path.removesuffix("/index.md") + ".md" if path.endswith("/index.md") else path)

    def companion(self, relative: PurePosixPath, suffix: str) -> PurePosixPath:
        """Data files are named as without bundles (``data/comments/posts-her.yaml``)."""
        if relative.name == "index.md":
            relative = relative.parent.with_suffix(".md")
        return super().companion(relative, suffix)


def bundle_layout(layout: str, media_layout: str) -> type[HugoLayout] | None:
    """The layout class ``--media-layout`` asks for instead of ``layout``'s own (None: its own)."""
    check_media_layout(media_layout, layout)
    return HugoBundleLayout if media_layout == "bundle" else None


def bundle_folder(post_path: str) -> str | None:
    """The bundle folder of a post written at ``post_path`` (None when it is no bundle)."""
    folder, name = posixpath.split(post_path)
    return folder if name in ("index.md", "_index.md") and folder.startswith(CONTENT) else None


def plan(files: Iterable[tuple[str, set[int]]], post_paths: dict[int, str]) -> dict[str, str]:
    """Where each stored file goes: canonical local path (``wp-content/uploads/2015/04/her.jpg``) → its path in
    the output folder (``content/posts/her/her.jpg``), for the files one post alone uses; the others are not
    listed (they stay under ``static/``). ``files``: each local path with the posts using it, in the order
    first referenced (so names given in a bundle are the same on every run)."""
    placed: dict[str, str] = {}
    taken: dict[str, set[str]] = {}  # bundle folder → casefolded names given there
    for local, users in files:
        if len(users) != 1:
            continue
        folder = bundle_folder(post_paths.get(next(iter(users)), ""))
        if folder is None:
            continue
        names = taken.setdefault(folder, set())
        stem, ext = posixpath.splitext(posixpath.basename(local))
        name, n = f"{stem}{ext}", 2
        while name.casefold() in names or name.casefold() in ("index.md", "_index.md"):
            name, n = f"{stem}-{n}{ext}", n + 1
        names.add(name.casefold())
        placed[local] = f"{folder}/{name}"
    return placed


def reference(at: str, post_path: str | None) -> str:
    """How a post written at ``post_path`` refers to a file placed at ``at`` (output-relative): by its name when
    it is in the post's own bundle, else by the URL Hugo serves it at (``/posts/her/poster.jpg``)."""
    folder, name = posixpath.split(at)
    if post_path is not None and bundle_folder(post_path) == folder:
        return quote(name, safe="!$&'*+,;=:@~")
    return "/" + quote(at.removeprefix(CONTENT), safe="/!$&'*+,;=:@~")
