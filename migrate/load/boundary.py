"""The output folder is a boundary: nothing is read, written or deleted through a symbolic link inside it.

A link inside the folder (``content/posts`` → elsewhere, ``.wp-migrate`` → elsewhere, a post's file → a
file elsewhere) would take writes, deletions or reads outside it. Every folder a run touches is checked,
component by component from the output folder down (:func:`first_link`, once a folder per run), and files
are opened with ``O_NOFOLLOW`` and must be regular files (:func:`read_regular`). The output folder itself
may be a link: that is the user's own choice of where it lives.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator

from ..errors import OutputError

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def make_output_folder(folder: os.PathLike[str]) -> None:
    """Create the output folder (and its parents) if missing; one line naming it when that fails."""
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as e:
        raise OutputError(f"{folder}: cannot create the output folder: {e.strerror}",
                          hint="choose another --out") from None


def first_link(root: str, relative: str) -> str | None:
    """The first path below ``root`` along ``relative`` (a "/"-separated path inside it) that is a symbolic
    link, or None (components that do not exist yet are no links)."""
    path = root
    for part in relative.split("/"):
        if not part or part == ".":
            continue
        path = os.path.join(path, part)
        try:
            mode = os.lstat(path).st_mode
        except (FileNotFoundError, NotADirectoryError):
            return None
        if stat.S_ISLNK(mode):
            return path
    return None


def refuse_links(root: str, relative: str) -> None:
    """Raise :class:`OutputError` naming the link when a component of ``relative`` below ``root`` is one."""
    link = first_link(root, relative)
    if link is not None:
        raise OutputError(link_message(link), hint="replace the link with a real folder, or choose another --out")


def link_message(path: str) -> str:
    try:
        target = f" (to {os.readlink(path)})"
    except OSError:
        target = ""
    return f"{path}: is a symbolic link{target}; wp-migrate reads and writes nothing through links in its folder"


def read_regular(path: str) -> bytes | None:
    """The bytes of the regular file at ``path``, never through a link at its end; None when there is none.
    Raises :class:`OutputError` for a link or anything but a regular file."""
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as e:
        if os.path.islink(path):
            raise OutputError(link_message(path), hint="replace the link with the file itself") from None
        raise OutputError(f"{path}: cannot read: {e.strerror}") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OutputError(f"{path}: is not a regular file", hint="move it out of the output folder")
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def regular_files(folder: str, suffix: str, skip: Callable[[str], bool] = lambda name: False
                  ) -> Iterator[tuple[str, str | None]]:
    """Every file under ``folder`` whose name ends in ``suffix``, in path order, as (path relative to ``folder``
    with "/", None) for a regular file, or (path, reason) for a link (to a file or a folder: neither is
    followed) or another kind of file, neither of which is read. Folders ``skip(name)`` names are left out."""
    found: list[tuple[str, str | None]] = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        rel_dir = os.path.relpath(dirpath, folder)
        rel_dir = "" if rel_dir == "." else rel_dir.replace(os.sep, "/") + "/"
        dirnames[:] = [name for name in dirnames if not skip(name)]
        for name in dirnames:
            if os.path.islink(os.path.join(dirpath, name)):
                found.append((rel_dir + name, "a symbolic link to a folder: not followed"))
        for name in filenames:
            if not name.endswith(suffix):
                continue
            mode = os.lstat(os.path.join(dirpath, name)).st_mode
            if stat.S_ISLNK(mode):
                found.append((rel_dir + name, "a symbolic link: not followed"))
            elif not stat.S_ISREG(mode):
                found.append((rel_dir + name, "not a regular file"))
            else:
                found.append((rel_dir + name, None))
    return iter(sorted(found, key=lambda f: f[0].split("/")))  # (as sorted Paths: part by part)
