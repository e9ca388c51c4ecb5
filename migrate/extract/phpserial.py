"""Decode PHP ``serialize()`` output safely: a small parser, never ``eval``.

WordPress stores arrays in post meta (``_wp_attachment_metadata``, plugin settings)
as PHP-serialized strings. :func:`maybe_unserialize` returns the decoded value, or
the original string when it is not (valid) serialized data, like WordPress's own
``maybe_unserialize``.
"""

from __future__ import annotations

import re
from typing import Any

# A string that starts like serialized data: a type letter and a colon (or "N;").
_LOOKS_SERIALIZED = re.compile(r"^(?:N;|[abidsO]:)")

_MAX_DEPTH = 64

_INTEGER = re.compile(rb"[+-]?\d+")  # \d: ASCII digits only, in a bytes pattern


class _Bad(Exception):
    pass


class _Parser:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def _until(self, stop: bytes) -> bytes:
        end = self.data.find(stop, self.pos)
        if end < 0:
            raise _Bad
        chunk = self.data[self.pos : end]
        self.pos = end + len(stop)
        return chunk

    def _expect(self, token: bytes) -> None:
        if not self.data.startswith(token, self.pos):
            raise _Bad
        self.pos += len(token)

    def _int(self, stop: bytes) -> int:
        # _until inlined, and the pattern compiled once: the attachment metadata of a large export holds
        # hundreds of thousands of these
        data, pos = self.data, self.pos
        end = data.find(stop, pos)
        if end < 0:
            raise _Bad
        raw = data[pos:end]
        self.pos = end + len(stop)
        if not _INTEGER.fullmatch(raw):
            raise _Bad
        return int(raw)

    def value(self, depth: int = 0) -> Any:
        if depth > _MAX_DEPTH or self.pos + 1 >= len(self.data):
            raise _Bad
        kind = self.data[self.pos : self.pos + 2]
        self.pos += 2
        if kind == b"N;":
            return None
        if kind == b"b:":
            raw = self._until(b";")
            if raw not in (b"0", b"1"):
                raise _Bad
            return raw == b"1"
        if kind == b"i:":
            return self._int(b";")
        if kind == b"d:":
            raw = self._until(b";")
            try:
                return float(raw)
            except ValueError:
                raise _Bad from None
        if kind == b"s:":
            return self._string()
        if kind == b"a:":
            return self._array(depth)
        if kind == b"O:":
            self._int(b":")
            self._expect(b'"')
            class_name = self._until(b'"').decode("utf-8", "replace")
            self._expect(b":")
            props = self._array(depth, prefixed=False)
            assert isinstance(props, dict)  # (not prefixed: never made a list)
            return {"__class__": class_name, **{str(k): v for k, v in props.items()}}
        raise _Bad

    def _string(self) -> str:
        length = self._int(b":")
        data, start = self.data, self.pos + 1
        if length < 0 or data[self.pos : start] != b'"':
            raise _Bad
        end = start + length
        if end > len(data) or data[end : end + 2] != b'";':
            raise _Bad
        self.pos = end + 2
        return data[start:end].decode("utf-8", "replace")

    def _array(self, depth: int, prefixed: bool = True) -> dict[Any, Any] | list[Any]:
        count = self._int(b":")
        self._expect(b"{")
        result: dict[Any, Any] = {}
        for _ in range(count):
            key = self.value(depth + 1)
            if not isinstance(key, (int, str)):
                raise _Bad
            result[key] = self.value(depth + 1)
        self._expect(b"}")
        if prefixed and list(result) == list(range(len(result))):
            return list(result.values())
        return result


def unserialize(text: str) -> Any:
    """Decode one PHP-serialized value; raise ``ValueError`` when ``text`` is not one."""
    parser = _Parser(text.encode("utf-8", "surrogatepass"))
    try:
        value = parser.value()
    except _Bad:
        raise ValueError("not PHP-serialized data") from None
    if parser.pos != len(parser.data):
        raise ValueError("trailing data after PHP-serialized value")
    return value


def maybe_unserialize(text: str) -> Any:
    """Return the decoded value when ``text`` is PHP-serialized, otherwise ``text`` unchanged."""
    stripped = text.strip()
    if not _LOOKS_SERIALIZED.match(stripped):
        return text
    try:
        return unserialize(stripped)
    except ValueError:
        return text
