"""What an export argument holds: an XML file, a gzip-compressed one (``.xml.gz``), a zip of WXR files (as
WordPress.com hands them out, a big site split in several), or ``-`` (standard input, any of those).

The reader (:class:`.wxr.WxrExport`) reads a file more than once and seeks in it (first pass, then each item by its
offsets, perhaps in several processes), so what is not a plain file on disk is first streamed, a chunk at a time,
into one temporary XML file (removed when the process ends): memory does not grow with the export. The files of a
zip are joined in name order into one channel, as one site. What the bytes are is told by their first bytes, not
the file's name; anything else gets one line saying what it is.
"""

from __future__ import annotations

import atexit
import contextlib
import gzip
import os
import re
import sys
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from ..errors import InputError

_CHUNK = 1 << 20
_HINT = "export your site from WordPress (Tools → Export): an .xml file, an .xml.gz, or the .zip WordPress.com gives"

#: First bytes → what a file is, for the one line that says it is not an export.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"BZh", "a bzip2-compressed file"),
    (b"\xfd7zXZ\x00", "an xz-compressed file"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"(\xb5/\xfd", "a zstd-compressed file"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\xd0\xcf\x11\xe0", "a Microsoft Office document"),
    (b"ID3", "an MP3 file"),
    (b"OggS", "an Ogg file"),
    (b"\x7fELF", "a program (ELF)"),
)
_GZIP = b"\x1f\x8b"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_BOM = b"\xef\xbb\xbf"
_WIDE_XML = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff", b"<\x00", b"\x00<", b"\x00\x00\x00<", b"<\x00\x00\x00")
_SQL = re.compile(rb"^(?:--|/\*!|CREATE TABLE|INSERT INTO|DROP TABLE)", re.I)
# The channel's start tag (its end: where the items and the rest begin) and the last end tag, in a WXR file.
_CHANNEL_START = re.compile(rb"<channel(?:\s[^>]*)?>")
_CHANNEL_END = b"</channel>"
_RSS_START = re.compile(rb"<rss(?:\s[^>]*)?>")
_WXR_NAMESPACE = re.compile(rb"wordpress\.org/export/")
_DIGITS = re.compile(r"(\d+)")

_temporary: list[Path] = []

#: What an export may grow to once decompressed (or read from standard input), against decompression bombs: at most
#: MAX_EXPORT_MB megabytes, and at most MAX_RATIO times its compressed size once past RATIO_FLOOR_MB. Real exports
#: are XML, which gzip makes 5 to 20 times smaller; a bomb is a thousand times. The environment variable
#: WP_MIGRATE_MAX_EXPORT_MB sets the first limit and lifts the second (the user knows the export is real).
MAX_EXPORT_MB = 8192
MAX_RATIO = 100
RATIO_FLOOR_MB = 16
_LIMIT_VARIABLE = "WP_MIGRATE_MAX_EXPORT_MB"


class _Limit:
    """How many bytes an export read from ``name`` may be written as, after ``compressed`` bytes of it were read."""

    def __init__(self, name: str) -> None:
        self.name = name
        value = os.environ.get(_LIMIT_VARIABLE, "").strip()
        try:
            self.size = int(float(value) * 1e6) if value else MAX_EXPORT_MB * 1_000_000
        except ValueError:
            raise InputError(name, f"{_LIMIT_VARIABLE}={value!r} is not a number of megabytes",
                             hint=f"set {_LIMIT_VARIABLE} to a number, e.g. {MAX_EXPORT_MB * 2}") from None
        self.ratio = None if value else MAX_RATIO

    def check(self, written: int, compressed: int | None, what: str) -> None:
        """Refuse ``written`` bytes (of ``compressed`` ones read; None: not compressed) when over the limits."""
        if written > self.size:
            raise self._over(f"{what} over {self.size / 1e6:g} MB, the limit for an export")
        if (compressed is not None and self.ratio is not None and written > RATIO_FLOOR_MB * 1_000_000
                and written > self.ratio * max(compressed, 1)):
            raise self._over(f"{what} over {self.ratio} times its compressed size: a decompression bomb?")

    def _over(self, message: str) -> InputError:
        return InputError(self.name, message, hint=f"if it is a real export, raise the limit: "
                          f"{_LIMIT_VARIABLE}={max(self.size // 500_000, MAX_EXPORT_MB * 2)} wp-migrate …")


def remove_temporary() -> None:
    """Remove the temporary files made for exports (at exit; the command line calls it on Ctrl-C)."""
    for path in _temporary:
        with contextlib.suppress(OSError):
            path.unlink()


atexit.register(remove_temporary)


def describe(head: bytes) -> str | None:
    """What a file starting with ``head`` is, when it is something known that is not XML; None otherwise."""
    if head.startswith(_GZIP):
        return "a gzip-compressed file"
    if head.startswith(_ZIP):
        return "a zip archive"
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return what
    if head[4:8] in (b"ftyp", b"moov"):
        return "a video (MP4/QuickTime)"
    if len(head) > 262 and head[257:262] == b"ustar":
        return "a tar archive"
    if head.startswith(_WIDE_XML):
        return None  # XML in UTF-16 or UTF-32, with a byte order mark or without (its "<" then has NULs around it)
    text = head.removeprefix(_BOM).lstrip()
    if text.startswith((b"{", b"[")):
        return "a JSON file"
    if _SQL.match(text):
        return "an SQL dump (a database backup)"
    if b"\x00" in head[:1024]:
        return "a binary file"
    if text and not text.startswith(b"<"):
        return "a text file that is not XML"
    return None


def _not_an_export(name: str, what: str) -> InputError:
    return InputError(name, f"this is {what}, not a WordPress export", hint=_HINT)


@contextlib.contextmanager
def _temporary_file() -> Iterator[tuple[IO[bytes], Path]]:
    """A new temporary file (removed at exit), open for writing; removed at once when writing it fails."""
    fd, name = tempfile.mkstemp(prefix="wp-migrate-", suffix=".xml")
    path = Path(name)
    _temporary.append(path)
    try:
        with os.fdopen(fd, "wb") as out:
            yield out, path
    except BaseException:
        _discard(path)
        raise


def _copy(source: IO[bytes], target: IO[bytes], name: str, limit: _Limit | None = None,
          read: Any = None, what: str = "it decompresses to") -> None:
    """Copy ``source`` into ``target``, checking the bytes written against ``limit`` as they grow (``read``: how
    many compressed bytes have been read so far, None when the source is not compressed)."""
    limit = limit or _Limit(name)
    written = 0
    try:
        while chunk := source.read(_CHUNK):
            written += len(chunk)
            limit.check(written, read() if read else None, what)
            target.write(chunk)
    except (EOFError, gzip.BadGzipFile, zlib.error, zipfile.BadZipFile) as e:
        raise InputError(name, f"the compressed data is damaged or cut off ({e})",
                         hint="download the export again") from None


def _discard(path: Path) -> None:
    """Remove a temporary file now (a refused or damaged input leaves nothing behind)."""
    with contextlib.suppress(OSError):
        path.unlink()
    with contextlib.suppress(ValueError):
        _temporary.remove(path)


class _Counted:
    """A stream that counts the bytes read from it."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream, self.count = stream, 0

    def read(self, n: int = -1) -> bytes:
        data = self.stream.read(n)
        self.count += len(data)
        return data

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def open_export(location: str | Path) -> tuple[Path, str]:
    """The plain XML file to read for the export argument ``location``, and the name to give in messages.

    A plain file is read where it is; ``-``, a gzip file and a zip are streamed into a temporary file first."""
    name = str(location)
    if name == "-":
        return _from_stream(sys.stdin.buffer, "standard input")
    path = Path(location)
    if not path.is_file():
        return path, name  # (the reader says "no such file")
    with open(path, "rb") as fh:
        head = fh.read(512)
        if head.startswith(_GZIP) or head.startswith(_ZIP):
            fh.seek(0)
            return _from_stream(fh, name, head)
    what = describe(head)
    if what:
        raise _not_an_export(name, what)
    return path, name


def _from_stream(stream: IO[bytes], name: str, head: bytes | None = None) -> tuple[Path, str]:
    """A temporary XML file from a stream holding XML, gzip-compressed XML, or a zip of WXR files."""
    if head is None:
        head = stream.read(512)
        stream = _Prepended(head, stream)  # type: ignore[assignment]
    if head.startswith(_ZIP):
        if not stream.seekable():  # a zip's directory is at its end: keep it in a file
            with _temporary_file() as (out, path):
                _copy(stream, out, name, what="the zip archive holds")
            try:
                return _from_zip(path, name)
            finally:
                _discard(path)  # (what was read from it is in another temporary file)
        return _from_zip(stream, name)
    if head.startswith(_GZIP):
        counted = _Counted(stream)
        decompressed = gzip.GzipFile(fileobj=counted, mode="rb")
        try:
            inner = decompressed.peek(512)[:512]
        except (EOFError, OSError, zlib.error) as e:
            raise InputError(name, f"the compressed data is damaged or cut off ({e})",
                             hint="download the export again") from None
        what = describe(inner)
        if what:
            raise _not_an_export(name, f"gzip-compressed data holding {what}")
        with _temporary_file() as (out, path):
            _copy(decompressed, out, name, read=lambda: counted.count)  # type: ignore[arg-type]
        return path, name
    what = describe(head)
    if what:
        raise _not_an_export(name, what)
    with _temporary_file() as (out, path):
        _copy(stream, out, name, what="it holds")
    return path, name


class _Prepended:
    """A stream with bytes already read from it put back in front."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self.head, self.rest = head, rest

    def read(self, n: int = -1) -> bytes:
        if self.head:
            if n < 0:
                data, self.head = self.head + self.rest.read(), b""
                return data
            data, self.head = self.head[:n], self.head[n:]
            return data if len(data) == n else data + self.rest.read(n - len(data))
        return self.rest.read(n)

    def seekable(self) -> bool:
        return False


def _natural(name: str) -> list[object]:
    return [int(part) if part.isdigit() else part.lower() for part in _DIGITS.split(name)]


def _from_zip(source: Path | IO[bytes], name: str) -> tuple[Path, str]:
    """The WXR files of a zip, in name order, joined into one temporary export (one of them: copied as it is)."""
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as e:
        raise InputError(name, f"a damaged zip archive ({e})", hint="download the export again") from None
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir() and not m.filename.startswith("__MACOSX/")]
        wxr = []
        for member in sorted(members, key=lambda m: _natural(m.filename)):
            with archive.open(member) as fh:
                head = fh.read(_CHUNK)
            if describe(head) is None and _RSS_START.search(head) and _WXR_NAMESPACE.search(head):
                wxr.append(member)
        if not wxr:
            held = ", ".join(m.filename for m in members[:5]) + (", …" if len(members) > 5 else "")
            raise InputError(name, f"a zip archive with no WordPress export inside (it holds: {held or 'nothing'})",
                             hint=_HINT)
        limit = _Limit(name)
        # The sizes the zip declares (reading stops there: zipfile checks them), before anything is extracted.
        for member in wxr:
            limit.check(member.file_size, member.compress_size, f"{member.filename} decompresses to")
        limit.check(sum(m.file_size for m in wxr), sum(m.compress_size for m in wxr), "its WXR files decompress to")
        with _temporary_file() as (out, path):
            if len(wxr) == 1:
                with archive.open(wxr[0]) as fh:
                    _copy(fh, out, name, limit)
                return path, f"{name}:{wxr[0].filename}"
            _join(archive, wxr, out, name)
    return path, f"{name} ({len(wxr)} WXR files joined: {', '.join(m.filename for m in wxr)})"


def _join(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], out: IO[bytes], name: str) -> None:
    """Write the channels of several WXR files as one: the first file up to its channel's end tag, the content of
    every other one's channel, then the rest of the first. Their root start tags (the namespaces) must agree."""
    rss = None
    ending = b""
    for i, member in enumerate(members):
        with archive.open(member) as fh:
            chunks = _chunks(fh)
            head = next(chunks, b"")
            while not _CHANNEL_START.search(head) and len(head) < _CHUNK * 8:
                more = next(chunks, None)
                if more is None:
                    break
                head += more
            start_rss, start_channel = _RSS_START.search(head), _CHANNEL_START.search(head)
            if start_rss is None or start_channel is None:
                raise InputError(f"{name}:{member.filename}", "a WXR file without <rss> and <channel> start tags",
                                 hint=_HINT)
            if rss is None:
                rss = start_rss.group(0)
            elif start_rss.group(0) != rss:
                raise InputError(f"{name}:{member.filename}", "its <rss> start tag (its namespaces) differs from "
                                 f"{members[0].filename}'s: these are not parts of one export",
                                 hint="convert the files one by one")
            body = head if i == 0 else head[start_channel.end():]
            tail = b""
            for data in _prefixed(body, chunks):
                data = tail + data
                keep = len(_CHANNEL_END) + 4096  # what may follow </channel>: </rss>, whitespace
                out.write(data[:-keep])
                tail = data[-keep:]
            # (tail holds less than keep bytes only for a file shorter than that: all of it is in tail)
            at = tail.rfind(_CHANNEL_END)
            if at < 0:
                raise InputError(f"{name}:{member.filename}", "a WXR file cut off: no </channel> at its end",
                                 hint="download the export again")
            out.write(tail[:at])
            if i == 0:
                ending = tail[at:]
    out.write(ending)


def _chunks(fh: IO[bytes]) -> Iterator[bytes]:
    while chunk := fh.read(_CHUNK):
        yield chunk


def _prefixed(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    yield first
    yield from rest
