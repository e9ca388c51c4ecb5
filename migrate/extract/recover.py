"""Salvage a damaged WXR export item by item (``convert --recover``).

The file is scanned as bytes, in chunks, for ``<item>…</item>`` spans (CDATA-aware). Each span is
parsed on its own; one that fails is repaired where a known kind of damage explains it (bytes that
are not UTF-8, control characters, a bare ``&`` or an HTML entity, ``]]>`` inside CDATA) and
parsed again. Every item ends up in :attr:`Salvage.problems` as repaired or lost, with the reason,
so the run's summary can say exactly what happened.
"""

from __future__ import annotations

import html.entities
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

CHUNK = 1 << 20

# The opening <rss …> tag, whose namespace declarations every item needs.
_RSS_START = re.compile(rb"<rss\b[^>]*>", re.S)
# Tokens that matter while scanning: CDATA start, an item's start tag, an item's end tag.
_TOKEN = re.compile(rb"<!\[CDATA\[|<item[\s>]|</item\s*>")
# XML 1.0 forbids these control characters anywhere.
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# An & that does not start an entity or character reference.
_BARE_AMP = re.compile(rb"&(?![A-Za-z][A-Za-z0-9]*;|#[0-9]+;|#x[0-9A-Fa-f]+;)")
# A named entity reference: &nbsp;
_NAMED_ENTITY = re.compile(rb"&([A-Za-z][A-Za-z0-9]*);")
# A CDATA section up to the "]]>" that is followed by a closing tag (the real end).
_CDATA_SECTION = re.compile(rb"<!\[CDATA\[(.*?)\]\]>(?=\s*</)", re.S)
# A CDATA section, for splitting a span into CDATA and markup.
_ANY_CDATA = re.compile(rb"<!\[CDATA\[.*?\]\]>", re.S)
# The post id and title of an item, whatever the wp prefix: for naming a lost item.
_POST_ID = re.compile(rb"<[\w.-]+:post_id>\s*(?:<!\[CDATA\[)?\s*(\d+)")
_TITLE = re.compile(rb"<title>\s*(?:<!\[CDATA\[)?(.*?)(?:\]\]>)?\s*</title>", re.S)

_XML_ENTITIES = {b"amp", b"lt", b"gt", b"quot", b"apos"}


@dataclass(frozen=True)
class Problem:
    """An item that needed repair, or could not be salvaged."""

    kind: str  # "repaired" or "lost"
    line: int
    post_id: int | None
    title: str
    detail: str


@dataclass
class Salvage:
    """Channel-level elements of a damaged export, and what happened to each item."""

    path: Path
    problems: list[Problem] = field(default_factory=list)

    def elements(self) -> Iterator[Any]:
        """The channel's elements (header fields and items) that could be parsed, in file order."""
        self.problems = []
        rss_start = b"<rss>"
        header = bytearray()
        seen_item = False
        for line, span, complete in _spans(self.path):
            if span is None:  # text before the first item
                if not seen_item:
                    header += complete
                continue
            if not seen_item:
                seen_item = True
                m = _RSS_START.search(header)
                rss_start = m.group(0) if m else rss_start
                yield from _header_elements(bytes(header), rss_start)
            if not complete:
                self._lost(line, span, "cut off: the file ends inside this item")
                continue
            element, repairs, error = _parse_item(span, rss_start)
            if element is None:
                self._lost(line, span, f"not well-formed XML: {error}")
                continue
            if repairs:
                self.problems.append(Problem("repaired", line, _post_id(span), _title(span), ", ".join(repairs)))
            yield element
        if not seen_item:
            m = _RSS_START.search(header)
            yield from _header_elements(bytes(header), m.group(0) if m else rss_start)

    def _lost(self, line: int, span: bytes, detail: str) -> None:
        self.problems.append(Problem("lost", line, _post_id(span), _title(span), detail))


def _post_id(span: bytes) -> int | None:
    m = _POST_ID.search(span)
    return int(m.group(1)) if m else None


def _title(span: bytes) -> str:
    m = _TITLE.search(span)
    return html.unescape(m.group(1).decode("utf-8", "replace").strip()) if m else ""


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True,
                           remove_comments=True, remove_pis=True)


def _header_elements(header: bytes, rss_start: bytes) -> Iterator[Any]:
    """The channel's own fields, parsed leniently (the header rarely breaks; when it does, keep what parses)."""
    start = header.find(b"<channel")
    body = header[header.find(b">", start) + 1:] if start >= 0 else b""
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, load_dtd=False)
    root = etree.fromstring(rss_start + b"<channel>" + _CONTROL.sub(b"", body) + b"</channel></rss>", parser)
    if root is None:
        return
    channel = root[0] if len(root) else None
    if channel is not None:
        yield from list(channel)


def _spans(path: Path) -> Iterator[tuple[int, bytes | None, Any]]:
    """Yield ``(line, None, text)`` for bytes outside items and ``(line, item_bytes, complete)`` for items."""
    buf = b""
    line = 1
    in_cdata = False
    item_start: int | None = None
    pos = 0
    with open(path, "rb") as fh:
        eof = False
        while not eof:
            chunk = fh.read(CHUNK)
            eof = not chunk
            buf += chunk
            while True:
                if in_cdata:
                    end = buf.find(b"]]>", pos)
                    if end < 0:
                        pos = max(pos, len(buf) - 2)
                        break
                    pos, in_cdata = end + 3, False
                    continue
                m = _TOKEN.search(buf, pos)
                if m is None:
                    pos = max(pos, len(buf) - 12)  # a token may straddle two chunks
                    break
                token = m.group(0)
                if token == b"<![CDATA[":
                    pos, in_cdata = m.end(), True
                elif token.startswith(b"<item"):
                    if item_start is not None:  # an item never closed: it is lost, the next one starts
                        yield line, buf[item_start:m.start()], False
                        line += buf.count(b"\n", item_start, m.start())
                    else:
                        yield line, None, buf[:m.start()]
                        line += buf.count(b"\n", 0, m.start())
                    buf, pos, item_start = buf[m.start():], m.end() - m.start(), 0
                else:  # </item>
                    if item_start is None:
                        pos = m.end()
                        continue
                    yield line, buf[item_start:m.end()], True
                    line += buf.count(b"\n", item_start, m.end())
                    buf, pos, item_start = buf[m.end():], 0, None
        if item_start is not None:
            yield line, buf[item_start:], False
        else:
            yield line, None, buf


def _parse_item(span: bytes, rss_start: bytes) -> tuple[Any, list[str], str]:
    """Parse one item, repairing known damage; return (element or None, repairs made, last error)."""
    repairs: list[str] = []
    error = ""
    for repair in (None, _fix_encoding, _fix_control, _fix_cdata_end, _fix_entities):
        if repair is not None:
            fixed, what = repair(span)
            if fixed == span:
                continue
            span = fixed
            repairs.append(what)
        try:
            root = etree.fromstring(rss_start + span + b"</rss>", _parser())
            return root[0], repairs, ""
        except etree.XMLSyntaxError as e:
            error = e.msg
    return None, repairs, error


def _fix_encoding(span: bytes) -> tuple[bytes, str]:
    try:
        span.decode("utf-8")
        return span, ""
    except UnicodeDecodeError:
        return span.decode("cp1252", "replace").encode("utf-8"), "bytes that were not UTF-8 read as Windows-1252"


def _fix_control(span: bytes) -> tuple[bytes, str]:
    return _CONTROL.sub(b"", span), "control characters removed"


def _outside_cdata(span: bytes, fix: Any) -> bytes:
    parts: list[bytes] = []
    last = 0
    for m in _ANY_CDATA.finditer(span):
        parts += [fix(span[last:m.start()]), m.group(0)]
        last = m.end()
    parts.append(fix(span[last:]))
    return b"".join(parts)


def _named_to_numeric(m: re.Match[bytes]) -> bytes:
    name = m.group(1)
    if name in _XML_ENTITIES:
        return m.group(0)
    codepoint = html.entities.name2codepoint.get(name.decode("ascii"))
    return f"&#{codepoint};".encode() if codepoint else b"&amp;" + name + b";"


def _fix_entities(span: bytes) -> tuple[bytes, str]:
    fixed = _outside_cdata(span, lambda part: _NAMED_ENTITY.sub(_named_to_numeric, _BARE_AMP.sub(b"&amp;", part)))
    return fixed, "bare & or HTML entities escaped"


def _fix_cdata_end(span: bytes) -> tuple[bytes, str]:
    def split(m: re.Match[bytes]) -> bytes:
        return b"<![CDATA[" + m.group(1).replace(b"]]>", b"]]]]><![CDATA[>") + b"]]>"

    return _CDATA_SECTION.sub(split, span), "']]>' inside CDATA split"
