"""Getting one media file: over HTTP (httpx) or from a local copy of ``wp-content/uploads``.

httpx rather than urllib: one connection pool shared by the worker threads (keep-alive to the old host),
streamed bodies (the size limit is enforced while reading, not after), timeouts per phase and redirects
with a limit, all in a few lines. Every answer is checked against what its reference expects: an HTML
page answered for ``photo.jpg`` is a failure, not an image.
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
from dataclasses import dataclass
from pathlib import Path

from .refs import AUDIO_VIDEO_EXTENSIONS, IMAGE_EXTENSIONS, MediaRef

USER_AGENT = "wp-migrate/0.1 (+https://github.com/wp-migrate; media of a site being migrated)"
#: Statuses worth asking again for (with backoff); every other error status fails at once.
TRANSIENT = frozenset({408, 425, 429, 500, 502, 503, 504})

_MAGIC = {
    "jpg": (b"\xff\xd8\xff",), "jpeg": (b"\xff\xd8\xff",), "jpe": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",), "gif": (b"GIF87a", b"GIF89a"), "bmp": (b"BM",),
    "ico": (b"\x00\x00\x01\x00",), "tif": (b"II*\x00", b"MM\x00*"), "tiff": (b"II*\x00", b"MM\x00*"),
    "pdf": (b"%PDF-",),
}


class FetchFailed(Exception):
    """A file that could not be had; the message is the reason the summary lists (404, not an image…)."""


@dataclass(frozen=True)
class Got:
    """A file fetched or copied into ``tmp`` (a temporary file the caller renames or removes)."""

    tmp: str
    sha256: str
    size: int


def check_content(ref: MediaRef, head: bytes, content_type: str = "") -> None:
    """Raise :class:`FetchFailed` when the first bytes (and the Content-Type, if any) are not what the file's
    extension promises."""
    ext = ref.extension
    ctype = content_type.split(";", 1)[0].strip().lower()
    start = head.lstrip()[:256].lower()
    looks_html = start.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or ctype in (
        "text/html", "application/xhtml+xml")
    if ext in ("html", "htm"):
        return
    if looks_html:
        raise FetchFailed("an HTML page, not " + ("an image" if ext in IMAGE_EXTENSIONS else f"a .{ext} file"))
    if not head:
        raise FetchFailed("empty answer")
    if ext in _MAGIC and not head.startswith(_MAGIC[ext]):
        raise FetchFailed(f"not a .{ext} file (its first bytes say otherwise)")
    if ext == "webp" and not (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        raise FetchFailed("not a .webp file (its first bytes say otherwise)")
    if ext == "svg" and b"<svg" not in head[:4096].lower():
        raise FetchFailed("not an SVG image")
    if ext in IMAGE_EXTENSIONS and ctype and not ctype.startswith("image/") and ctype != "application/octet-stream":
        raise FetchFailed(f"not an image ({ctype})")
    if ext in AUDIO_VIDEO_EXTENSIONS and ctype.startswith("text/") and ext != "vtt":
        raise FetchFailed(f"not a media file ({ctype})")


class _Sink:
    """A temporary file that hashes and counts what is written, and refuses more than ``limit`` bytes."""

    def __init__(self, tmp_dir: str, limit: int) -> None:
        self.limit = limit
        self.hash = hashlib.sha256()
        self.size = 0
        self.head = b""
        fd, self.path = _tmp_file(tmp_dir)
        self.fh = os.fdopen(fd, "wb")

    def write(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > self.limit:
            raise FetchFailed(f"larger than the {self.limit / 1e6:g} MB limit (--media-max-size)")
        if len(self.head) < 4096:
            self.head += chunk[: 4096 - len(self.head)]
        self.hash.update(chunk)
        self.fh.write(chunk)

    def done(self) -> Got:
        self.fh.close()
        return Got(self.path, self.hash.hexdigest(), self.size)

    def discard(self) -> None:
        self.fh.close()
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass


_counter = iter(range(1 << 62))


def _tmp_file(tmp_dir: str) -> tuple[int, str]:
    while True:
        path = os.path.join(tmp_dir, f".media-{os.getpid()}-{next(_counter)}.tmp")
        try:
            return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), path
        except FileExistsError:
            continue


class Downloader:
    """Fetches files over HTTP: a shared client (thread-safe), retries with backoff, limits."""

    def __init__(self, *, timeout: float = 30.0, retries: int = 3, backoff: float = 1.0,
                 max_bytes: int = 200_000_000, connections: int = 8) -> None:
        import httpx

        self.httpx = httpx
        self.retries = retries
        self.backoff = backoff
        self.max_bytes = max_bytes
        self.client = httpx.Client(
            headers={"User-Agent": USER_AGENT, "Accept": "*/*"}, timeout=httpx.Timeout(timeout),
            follow_redirects=True, max_redirects=5,
            limits=httpx.Limits(max_connections=connections, max_keepalive_connections=connections))

    def close(self) -> None:
        self.client.close()

    def get(self, ref: MediaRef, tmp_dir: str) -> Got:
        """The file ``ref.url`` answers with, in a temporary file; :class:`FetchFailed` with the reason."""
        httpx = self.httpx
        attempt = 0
        while True:
            sink = _Sink(tmp_dir, self.max_bytes)
            try:
                with self.client.stream("GET", ref.url) as response:
                    if response.status_code != 200:
                        reason = f"HTTP {response.status_code}"
                        if response.status_code in TRANSIENT and attempt < self.retries:
                            raise _Again(reason, response.headers.get("Retry-After"))
                        raise FetchFailed(reason)
                    declared = response.headers.get("Content-Length", "")
                    if declared.isdigit() and int(declared) > self.max_bytes:
                        raise FetchFailed(f"larger than the {self.max_bytes / 1e6:g} MB limit (--media-max-size)")
                    checked = False
                    for chunk in response.iter_bytes(65536):
                        sink.write(chunk)
                        if not checked and len(sink.head) >= 512:
                            check_content(ref, sink.head, response.headers.get("Content-Type", ""))
                            checked = True
                    if not checked:
                        check_content(ref, sink.head, response.headers.get("Content-Type", ""))
                return sink.done()
            except _Again as again:
                sink.discard()
                attempt += 1
                time.sleep(again.delay(self.backoff * 2 ** (attempt - 1)))
            except (httpx.TimeoutException, httpx.TransportError) as e:
                sink.discard()
                if attempt < self.retries and not isinstance(e, httpx.TooManyRedirects):
                    attempt += 1
                    time.sleep(self.backoff * 2 ** (attempt - 1))
                    continue
                if isinstance(e, httpx.TimeoutException):
                    raise FetchFailed("timed out") from None
                if isinstance(e, httpx.TooManyRedirects):
                    raise FetchFailed("too many redirects") from None
                raise FetchFailed(f"cannot connect: {type(e).__name__}") from None
            except httpx.HTTPError as e:
                sink.discard()
                raise FetchFailed(f"{type(e).__name__}: {e}") from None
            except BaseException:
                sink.discard()
                raise


class _Again(Exception):
    def __init__(self, reason: str, retry_after: str | None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after

    def delay(self, default: float) -> float:
        if self.retry_after and self.retry_after.isdigit():
            return min(float(self.retry_after), 30.0)
        return default


def copy_local(ref: MediaRef, uploads: Path, tmp_dir: str, max_bytes: int) -> Got:
    """The file ``ref`` names in a local copy of ``wp-content/uploads`` (``uploads``), copied into a temporary
    file. Symbolic links are not followed; nothing outside ``uploads`` is read."""
    marker = "wp-content/uploads/"
    at = ref.local.find(marker)
    if at < 0 or ref.local.startswith("media/"):
        raise FetchFailed(f"not under wp-content/uploads: not in {uploads}")
    relative = ref.local[at + len(marker):]
    path = uploads
    for part in relative.split("/"):  # safe_path made every part a name; no part may be a link
        path = path / part
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            raise FetchFailed(f"not in {uploads}") from None
        except OSError as e:
            raise FetchFailed(f"cannot read {path}: {e.strerror}") from None
        if stat.S_ISLNK(st.st_mode):
            raise FetchFailed(f"{path} is a symbolic link (not followed)")
    if not stat.S_ISREG(st.st_mode):
        raise FetchFailed(f"{path} is not a file")
    sink = _Sink(tmp_dir, max_bytes)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as fh:
            while chunk := fh.read(1 << 20):
                sink.write(chunk)
        check_content(ref, sink.head)
        return sink.done()
    except BaseException:
        sink.discard()
        raise
