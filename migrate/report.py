"""The run's report: one entry per item of the input, the counts, the wording and the exit code."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

#: Outcomes, in the order the summary lists them.
OUTCOMES = ("new", "updated", "unchanged", "skipped", "failed")

_WORDS = {
    False: {"new": "new", "updated": "updated", "unchanged": "unchanged", "skipped": "skipped", "failed": "failed"},
    True: {
        "new": "would create",
        "updated": "would update",
        "unchanged": "unchanged",
        "skipped": "would skip",
        "failed": "would fail",
    },
}


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


@dataclass
class Report:
    """Collects entries; says how the run went and with which exit code."""

    source: str = ""
    dry_run: bool = False
    entries: list[Entry] = field(default_factory=list)
    counters: dict[str, Counter[str]] = field(default_factory=dict)  # named counts, e.g. "shortcodes"
    notes: list[str] = field(default_factory=list)  # run-wide remarks shown under the summary
    run_errors: list[str] = field(default_factory=list)  # failures of the run itself (not of one item)

    def add(self, outcome: str, *, id: int | None, title: str, post_type: str = "", path: str = "",
            reason: str = "", diff: str = "") -> Entry:
        if outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {outcome!r}")
        entry = Entry(outcome, id, title, post_type, path, reason, diff)
        self.entries.append(entry)
        return entry

    def count(self, name: str, key: str, n: int = 1) -> None:
        self.counters.setdefault(name, Counter())[key] += n

    @property
    def counts(self) -> Counter[str]:
        return Counter(e.outcome for e in self.entries)

    @property
    def total(self) -> int:
        return len(self.entries)

    @property
    def changed(self) -> bool:
        """True when the run wrote (or in a dry run would write) anything."""
        c = self.counts
        return bool(c["new"] or c["updated"])

    def exit_code(self, check: bool = False) -> int:
        """0 all well; 1 with ``check`` when anything would change; 2 when any item failed."""
        if self.counts["failed"] or self.run_errors:
            return 2
        if check and self.changed:
            return 1
        return 0

    def reasons(self, outcome: str) -> Counter[str]:
        return Counter(e.reason for e in self.entries if e.outcome == outcome)

    def summary_lines(self) -> list[str]:
        """The closing summary: every item accounted for, with reasons for skips and failures."""
        words = _WORDS[self.dry_run]
        c = self.counts
        parts = [f"{c[o]} {words[o]}" for o in OUTCOMES if c[o] or o in ("new", "skipped", "failed")]
        lines = [f"{self.total} items: " + ", ".join(parts)]
        for outcome in ("skipped", "failed"):
            for reason, n in sorted(self.reasons(outcome).items(), key=lambda kv: (-kv[1], kv[0])):
                lines.append(f"  {words[outcome]} {n}: {reason}")
        if outcome_failed := [e for e in self.entries if e.outcome == "failed"]:
            for e in outcome_failed[:20]:
                lines.append(f"  failed: #{e.id} {e.title!r}: {e.reason}")
        for name, counter in sorted(self.counters.items()):
            if counter:
                shown = ", ".join(f"{k} ({v})" for k, v in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))
                lines.append(f"  {name}: {shown}")
        lines.extend(f"  {note}" for note in self.notes)
        lines.extend(f"  error: {error}" for error in self.run_errors)
        return lines

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "dry_run": self.dry_run,
            "total": self.total,
            "counts": {o: self.counts[o] for o in OUTCOMES},
            "counters": {k: dict(v) for k, v in self.counters.items()},
            "notes": self.notes,
            "run_errors": self.run_errors,
            "entries": [asdict(e) for e in self.entries],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)
