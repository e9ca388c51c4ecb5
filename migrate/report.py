"""The run's report: one entry per item of the input, the counts, the wording and the exit code.

Entries go to a temporary file as the run goes (a few hundred at a time), so a run over 50,000 posts —
or a dry run holding a diff for each — keeps no more of them in memory than a run over fifty. The
counts, the reasons of skips and failures, and the first failures (what the summary shows) are kept
as they are added.
"""

from __future__ import annotations

import json
import pickle
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import IO, Any, Generic, TypeVar

#: Outcomes, in the order the summary lists them: the one vocabulary of the terminal summary, the HTML report
#: and the JSON report (whose ``counts`` and ``outcome`` values are these names).
OUTCOMES = ("new", "updated", "unchanged", "conflict", "skipped", "failed")

#: How the terminal and HTML reports say each outcome, for a run that wrote (False) and a dry run (True).
WORDS = {
    False: {"new": "new", "updated": "updated", "unchanged": "unchanged", "conflict": "left alone",
            "skipped": "skipped", "failed": "failed"},
    True: {
        "new": "would create",
        "updated": "would update",
        "unchanged": "unchanged",
        "conflict": "would leave alone",
        "skipped": "would skip",
        "failed": "would fail",
    },
}

_SHOWN_FAILURES = 20  # failures the summary lists one by one (the report file lists them all)


@dataclass(slots=True)
class Entry:
    """What happened to one item of the input."""

    outcome: str
    id: int | None
    title: str
    post_type: str = ""
    path: str = ""
    reason: str = ""
    diff: str = ""
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # what stages did to this post


_T = TypeVar("_T")


class EntryLog(Generic[_T]):
    """Entries in the order they were added, held in a temporary file beyond the last ``chunk``.

    The file is made on the first spill and removed when the log is closed or collected. The entry
    added last is always still in memory (callers may complete it right after adding it).
    """

    def __init__(self, chunk: int = 256) -> None:
        self.chunk = chunk
        self._recent: list[_T] = []
        self._file: IO[bytes] | None = None
        self._chunks: list[int] = []  # where each spilled chunk starts in the file
        self._len = 0

    def append(self, entry: _T) -> None:
        # Spill before adding, not after: the entry just added stays in memory until the next one, so
        # its caller may still fill it in (``entry.counts = …``).
        if len(self._recent) >= self.chunk:
            if self._file is None:
                self._file = tempfile.TemporaryFile(prefix="wp-migrate-report-")
            self._chunks.append(self._file.seek(0, 2))
            pickle.dump(self._recent, self._file, protocol=pickle.HIGHEST_PROTOCOL)
            self._recent = []
        self._recent.append(entry)
        self._len += 1

    def __len__(self) -> int:
        return self._len

    def __iter__(self) -> Iterator[_T]:
        # Each chunk is read from where it starts (appending seeks to the end itself), so entries can be
        # added while an earlier iteration is still going.
        for offset in list(self._chunks):
            assert self._file is not None
            self._file.seek(offset)
            yield from pickle.load(self._file)
        yield from list(self._recent)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


@dataclass
class Report:
    """Collects entries; says how the run went and with which exit code."""

    source: str = ""
    dry_run: bool = False
    counters: dict[str, Counter[str]] = field(default_factory=dict)  # named counts, e.g. "shortcodes"
    notes: list[str] = field(default_factory=list)  # run-wide remarks shown under the summary
    run_errors: list[str] = field(default_factory=list)  # failures of the run itself (not of one item)
    _log: EntryLog[Entry] = field(default_factory=EntryLog, repr=False, compare=False)
    _counts: Counter[str] = field(default_factory=Counter, repr=False, compare=False)
    _reasons: dict[str, Counter[str]] = field(default_factory=dict, repr=False, compare=False)
    _failures: list[Entry] = field(default_factory=list, repr=False, compare=False)  # the first few
    _conflicts: list[Entry] = field(default_factory=list, repr=False, compare=False)  # the first few

    def add(self, outcome: str, *, id: int | None, title: str, post_type: str = "", path: str = "",
            reason: str = "", diff: str = "", counts: dict[str, dict[str, int]] | None = None) -> Entry:
        """Record what happened to one item (``counts``: what the stages did to it)."""
        if outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {outcome!r}")
        entry = Entry(outcome, id, title, post_type, path, reason, diff, counts or {})
        self._log.append(entry)
        self._counts[outcome] += 1
        if outcome in ("conflict", "skipped", "failed"):
            self._reasons.setdefault(outcome, Counter())[reason] += 1
        if outcome == "failed" and len(self._failures) < _SHOWN_FAILURES:
            self._failures.append(entry)
        if outcome == "conflict" and len(self._conflicts) < _SHOWN_FAILURES:
            self._conflicts.append(entry)
        return entry

    def count(self, name: str, key: str, n: int = 1) -> None:
        self.counters.setdefault(name, Counter())[key] += n

    def iter_entries(self) -> Iterator[Entry]:
        """Every entry, in the order added, read back from the log (for a long run, from disk)."""
        return iter(self._log)

    @property
    def entries(self) -> list[Entry]:
        """Every entry as a list (:meth:`iter_entries` does not hold them all at once)."""
        return list(self._log)

    @property
    def counts(self) -> Counter[str]:
        return Counter(self._counts)

    @property
    def total(self) -> int:
        return len(self._log)

    @property
    def changed(self) -> bool:
        """True when the run wrote (or in a dry run would write) anything."""
        return bool(self._counts["new"] or self._counts["updated"])

    def exit_code(self, check: bool = False) -> int:
        """0 all well; 1 with ``check`` when anything would change; 2 when any item failed."""
        if self._counts["failed"] or self.run_errors:
            return 2
        if check and (self.changed or self._counts["conflict"]):
            return 1  # (a file edited by hand: the folder is not what converting gives)
        return 0

    def reasons(self, outcome: str) -> Counter[str]:
        """How many items had each reason, for ``skipped`` or ``failed``."""
        return Counter(self._reasons.get(outcome, {}))

    def summary_lines(self) -> list[str]:
        """The closing summary: every item accounted for, with reasons for skips and failures."""
        words = WORDS[self.dry_run]
        c = self._counts
        parts = [f"{c[o]} {words[o]}" for o in OUTCOMES if c[o] or o in ("new", "skipped", "failed")]
        lines = [f"{self.total} items: " + ", ".join(parts)]
        for e in self._conflicts:
            lines.append(f"  {words['conflict']}: #{e.id} {e.reason}")
        if self._counts["conflict"] > len(self._conflicts):
            lines.append(f"  … and {self._counts['conflict'] - len(self._conflicts)} more left alone (see --report)")
        for outcome in ("skipped", "failed"):
            for reason, n in sorted(self.reasons(outcome).items(), key=lambda kv: (-kv[1], kv[0])):
                lines.append(f"  {words[outcome]} {n}: {reason}")
        for e in self._failures:
            lines.append(f"  failed: #{e.id} {e.title!r}: {e.reason}" if e.id is not None or e.title or not e.path
                         else f"  failed: {e.path}: {e.reason}")  # (a file that could not be read)
        for name, counter in sorted(self.counters.items()):
            if counter:
                shown = ", ".join(f"{k} ({v})" for k, v in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))
                lines.append(f"  {name}: {shown}")
        lines.extend(f"  {note}" for note in self.notes)
        lines.extend(f"  error: {error}" for error in self.run_errors)
        return lines

    def _head(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "dry_run": self.dry_run,
            "total": self.total,
            "counts": {o: self._counts[o] for o in OUTCOMES},
            "counters": {k: dict(v) for k, v in self.counters.items()},
            "notes": self.notes,
            "run_errors": self.run_errors,
        }

    def to_dict(self) -> dict[str, Any]:
        return {**self._head(), "entries": [asdict(e) for e in self.iter_entries()]}

    def json_chunks(self) -> Iterator[str]:
        """:meth:`to_json`'s text in pieces, one entry at a time (for writing a long run's report)."""
        head = json.dumps(self._head(), indent=2, ensure_ascii=False)
        first = True
        yield head[:-2] + ',\n  "entries": ['
        for e in self.iter_entries():
            item = json.dumps(asdict(e), indent=2, ensure_ascii=False).replace("\n", "\n    ")
            yield ("\n    " if first else ",\n    ") + item
            first = False
        yield "\n  ]\n}" if not first else "]\n}"

    def to_json(self) -> str:
        return "".join(self.json_chunks())

    def close(self) -> None:
        """Remove the entries' temporary file (the counts stay)."""
        self._log.close()
