"""One run at a time per output folder (and per site and folder for ``publish``).

A lock is an ``flock`` on a file in the folder's ``.wp-migrate/``, which holds the id of the process that
has it. ``fcntl.flock`` rather than the ``filelock`` package or a lock file that exists or not: the kernel
drops the lock when its process ends, however it ends (killed, crashed, the machine rebooted), so a stale
lock cannot block a later run — the file a dead process left behind is simply taken over; and the holder's
id in the file lets a second run say which process to wait for (filelock's own message does not).
"""

from __future__ import annotations

import os
from pathlib import Path
from types import TracebackType

from ..errors import MigrateError, OutputError
from .boundary import make_output_folder, refuse_links

try:
    import fcntl
except ImportError:  # (not on Windows: there, runs are not kept apart)
    fcntl = None  # type: ignore[assignment]

LOCK_FOLDER = ".wp-migrate"


class Busy(MigrateError):
    """Another run holds the lock."""


class FolderLock:
    """``with FolderLock(folder, name):`` holds ``folder/.wp-migrate/<name>`` for the block, or raises
    :class:`Busy` naming the process that holds it."""

    def __init__(self, folder: str | os.PathLike[str], name: str = "lock", *, what: str = "this folder") -> None:
        self.folder = Path(folder)
        self.name = name
        self.what = what
        self.path = self.folder / LOCK_FOLDER / name
        self._fd: int | None = None

    def acquire(self) -> FolderLock:
        make_output_folder(self.folder)
        refuse_links(str(self.folder), f"{LOCK_FOLDER}/{self.name}")
        try:
            (self.folder / LOCK_FOLDER).mkdir(exist_ok=True, mode=0o700)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
        except OSError as e:
            raise OutputError(f"{self.path}: cannot create the lock file: {e.strerror}",
                              hint="make the folder writable, or choose another --out") from None
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                holder = os.read(fd, 64).decode("ascii", "replace").strip() or "?"
                os.close(fd)
                raise Busy(f"{self.folder}: another wp-migrate run (process {holder}) is using {self.what}",
                           hint="wait for it to finish, or stop it") from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        self._fd = fd
        return self

    def release(self) -> None:
        # The file stays (removing it would let a third run lock a new file while a second waits on the old one).
        if self._fd is not None:
            os.close(self._fd)  # (closing drops the flock)
            self._fd = None

    def __enter__(self) -> FolderLock:
        return self.acquire()

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
                 ) -> None:
        self.release()
