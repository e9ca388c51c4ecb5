"""The first pass over an export without holding a huge post: content over the limit is left out as it streams.

The first pass (:func:`.wxr._channel_items`) feeds the file to lxml's pull parser, which builds each item whole
before the item can be looked at: a 200 MB post would be 200 MB of text in the tree (and more while libxml2 grows
it), before anything could see that it is over the limit. :class:`ContentLimit` stands between the file's bytes
and the parser: the text of a ``<prefix:encoded><![CDATA[…]]>`` (not ``excerpt:``) is held back as it streams
until its CDATA section ends; if it grows over the limit, what was held is let go and the rest skipped up to the
section's ``]]>``, and the parser is given a marker in its place. Where the text was in the file is recorded, with
its size: the post is then made from the item's other bytes (:meth:`.wxr.WxrExport.posts`), refused from its
size, and the other items are read as usual (their offsets are the file's, which nothing here changes).

The bytes are searched, not parsed, so a match could be text in a comment or in another CDATA section. The
parser judges: each item's ``<content:encoded>`` must hold exactly the marker as many times as markers were
given since the last item (:meth:`ContentLimit.confirm`), which is so only when the skipped bytes were inside
that element's CDATA section. When it is not so, or the file is not well-formed past a skip, the first pass is
read again without any (:attr:`ContentLimit.failed`, :attr:`ContentLimit.dropped`): the verdict and its line
are then the parser's own.
"""

from __future__ import annotations

import os
import re
from array import array
from typing import Any

from .names import qname

# What ends a content element's start tag and opens its CDATA section, found by a bytes search (fast).
_OPEN = b":encoded><![CDATA["
_PREFIX = re.compile(rb"[A-Za-z_][A-Za-z0-9_.-]{0,40}")
# The bytes before a match looked at for the "<prefix" (longest prefix + 1), kept from one piece to the next.
_LOOKBACK = 42
_CARRY = _LOOKBACK + len(_OPEN)
_CLOSE = b"]]>"
#: What the parser is given in place of a content left out: new in every process (no file can hold it).
MARKER = "wp-migrate-elided-" + os.urandom(8).hex()
_MARKER = MARKER.encode()

_TEXT, _COUNT, _DROP = 0, 1, 2


class _Run:
    """:meth:`ContentLimit.feed`'s work on one piece: ``data`` (what was kept of the last piece, and the piece),
    from file offset ``at``; what to give the parser; how far ``data`` is dealt with (``given``) and searched
    (``pos``), and where text outside any content began in it."""

    __slots__ = ("data", "at", "out", "given", "pos", "text_from", "floor")

    def __init__(self, data: bytes, at: int, given: int) -> None:
        self.data, self.at, self.given = data, at, given
        self.out: list[bytes] = []
        self.pos = self.text_from = 0
        #: A content whose text starts here or before was dealt with (it is in what was kept of the last piece).
        self.floor = given


class ContentLimit:
    """A filter of the file's bytes on their way to the parser (:meth:`feed` each piece with its file offset,
    :meth:`finish` at the end) that leaves out a content's CDATA text over ``max_bytes`` bytes.

    :attr:`records` holds, for each one left out, the file offsets of its text's first byte and of the ``]]>``
    after it, and its size in bytes, three numbers each, in file order.
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.records: array[int] = array("q")
        #: Contents left out since the last :meth:`confirm`.
        self.unconfirmed = 0
        #: A content left out that the parser did not see as an item's content (see :meth:`confirm`).
        self.failed = False
        self._mode = _TEXT
        # _TEXT: the last bytes given out (to find a start tag cut by a piece's end); else the last two bytes not
        # yet dealt with (a "]]>" cut by a piece's end).
        self._tail = b""
        self._held: list[bytes] = []
        self._count = 0  # bytes of the current content's text so far
        self._start = 0  # the file offset of its first byte

    @property
    def holding(self) -> bool:
        """Are the last bytes fed held back (or skipped), not given to the parser yet?"""
        return self._mode != _TEXT

    @property
    def dropped(self) -> bool:
        """Has anything been left out?"""
        return bool(self.records) or self._mode == _DROP

    def feed(self, piece: bytes, offset: int) -> list[bytes]:
        """What the parser is to be given of ``piece``, the file's bytes from ``offset``: the piece itself, or
        parts of it and of what was held before, and the marker; nothing while a content is held or skipped."""
        tail = self._tail
        if self._mode == _TEXT and len(piece) + _CARRY <= self.max_bytes and self._whole(piece, tail):
            self._tail = piece[-_CARRY:] if len(piece) >= _CARRY else (tail + piece)[-_CARRY:]
            return [piece]
        run = _Run(tail + piece if tail else piece, offset - len(tail), len(tail) if self._mode == _TEXT else 0)
        while not (self._text(run) if self._mode == _TEXT else self._content(run)):
            pass
        return run.out

    @staticmethod
    def _whole(piece: bytes, tail: bytes) -> bool:
        """Does every content that starts in ``piece`` (or across its start, after ``tail``) end in it? The last
        one does, so the others do too."""
        last = piece.rfind(_OPEN)
        if last >= 0:
            return piece.find(_CLOSE, last) >= 0
        return (tail[-len(_OPEN):] + piece[:len(_OPEN)]).find(_OPEN) < 0

    def _text(self, run: _Run) -> bool:
        """Outside a content: give out up to the next one's text, or the rest (True: the piece is done)."""
        data = run.data
        start = self._find_open(data, run.pos, run.floor)
        if start < 0:
            if run.given < len(data):
                run.out.append(data[run.given:])
            self._tail = data[max(run.text_from, len(data) - _CARRY):]
            return True
        run.out.append(data[run.given:start])
        self._mode, self._count, self._start, self._held = _COUNT, 0, run.at + start, []
        run.pos = run.given = start
        return False

    def _content(self, run: _Run) -> bool:
        """In a content's text (from ``run.given``): hold it, or skip it once over the limit, up to its end (then
        give it out, or the marker in its place), or to the piece's end (True: the piece is done)."""
        data, pos = run.data, run.pos
        end = data.find(_CLOSE, pos)
        if end < 0:  # the text goes on in the next piece (but for the last two bytes, perhaps "]]")
            stop = max(pos, len(data) - 2)
            self._count += stop - pos
            if self._mode == _COUNT and self._count > self.max_bytes:
                self._mode, self._held = _DROP, []
            if self._mode == _COUNT:
                self._held.append(data[run.given:stop])
            run.given, self._tail = stop, data[stop:]
            return True
        self._count += end - pos
        if self._mode == _COUNT and self._count <= self.max_bytes:
            run.out.extend(self._held)  # the whole text is given: data[given:end] follows with what comes next
        else:
            run.out.append(_MARKER)
            self.records.extend((self._start, run.at + end, run.at + end - self._start))
            self.unconfirmed += 1
            run.given = end
        self._mode, self._held = _TEXT, []
        run.pos = run.text_from = end
        return False

    def finish(self) -> list[bytes]:
        """What is left to give the parser at the end of the input (a CDATA section never ended: an error it
        reports)."""
        out = self._held + [self._tail] if self._mode == _COUNT else []
        self._mode, self._tail, self._held = _TEXT, b"", []
        return [b for b in out if b]

    @staticmethod
    def _find_open(data: bytes, pos: int, floor: int) -> int:
        """Where the text of the next ``<prefix:encoded><![CDATA[`` (not ``excerpt:``) from ``pos`` begins, after
        ``floor``; -1."""
        while True:
            i = data.find(_OPEN, pos)
            if i < 0:
                return -1
            lt = data.rfind(b"<", max(0, i - _LOOKBACK), i)
            if i + len(_OPEN) > floor and lt >= 0 and _PREFIX.fullmatch(data, lt + 1, i) \
                    and data[lt + 1:i] != b"excerpt":
                return i + len(_OPEN)
            pos = i + 1

    def confirm(self, item: Any) -> None:
        """Check, on an item the parser has ended, that the contents left out since the last item were its own:
        as many of its ``<content:encoded>`` children hold exactly the marker. Sets :attr:`failed` otherwise."""
        if not self.unconfirmed:
            return
        found = sum(1 for c in item.iterchildren("{*}encoded")
                    if c.text == MARKER and qname(c.tag) == "content:encoded")
        if found != self.unconfirmed:
            self.failed = True
        self.unconfirmed = 0


def left_out(records: array[int] | None, start: int, end: int, at: int) -> tuple[int, int, int, int] | None:
    """The content left out of the item whose bytes are ``[start, end)`` in the file, from ``records`` (see
    :class:`ContentLimit`) searched from index ``at``: its text's offsets and size, and the index to search the
    next item's from; None when none was."""
    if not records:
        return None
    while at < len(records) and records[at] < start:
        at += 3
    if at < len(records) and records[at + 1] <= end:
        return records[at], records[at + 1], records[at + 2], at + 3
    return None
