"""A run's report as a file: a self-contained HTML page for people, JSON for machines.

The HTML page has no external resources (styles inline, no scripts), so it opens from a file, offline,
in any browser, and can be mailed around. It shows the summary, every changed item with its unified
diff, and a table that accounts for every item of the run.

It stays usable at any size (a first run of 20,000 posts): a new file is listed, not diffed (its diff would be
all of it); a diff is cut at :data:`DIFF_LINES` lines (and :data:`DIFF_CHARACTERS` characters), with a note saying
how much is left out; past :data:`OPEN_CHANGES` changes, each one's diff is folded until clicked; past
:data:`FOLD_ITEMS` items, the list of new files and the table of every item are folded too (a browser lays out
only what is unfolded: 20,000 rows took Chromium some 8 s, folded under 3; benchmarks/report_size.py).
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from .errors import OutputError
from .load.directory import write_atomic
from .report import OUTCOMES, WORDS, Entry, Report

#: The most lines, and characters, of one file's diff the page shows.
DIFF_LINES = 400
DIFF_CHARACTERS = 60_000
#: Up to this many changes, their diffs are shown unfolded.
OPEN_CHANGES = 100
#: Up to this many items, the list of new files and the table of every item are shown unfolded.
FOLD_ITEMS = 2000

#: Report file formats by suffix.
FORMATS = {".html": "html", ".htm": "html", ".json": "json"}

_CSS = """
:root { --add: #e6ffec; --add-fg: #116329; --del: #ffebe9; --del-fg: #82071e; --muted: #57606a;
        --line: #d0d7de; --hunk: #ddf4ff; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #1f2328;
       background: #f6f8fa; }
header, main { max-width: 1100px; margin: 0 auto; padding: 16px 24px; }
header { background: #fff; border-bottom: 1px solid var(--line); max-width: none; }
header .inner { max-width: 1052px; margin: 0 auto; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 10px; }
.meta { color: var(--muted); font-size: 13px; }
.counts { display: flex; flex-wrap: wrap; gap: 8px; margin: 12px 0 0; padding: 0; list-style: none; }
.counts li { border: 1px solid var(--line); border-radius: 16px; padding: 2px 12px; background: #fff; }
.counts b { font-variant-numeric: tabular-nums; }
.o-new { border-color: #4ac26b !important; } .o-updated { border-color: #d4a72c !important; }
.o-failed { border-color: #cf222e !important; } .o-skipped { border-color: #8c959f !important; }
.notes { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 8px 16px; }
.error { color: var(--del-fg); }
details.change { background: #fff; border: 1px solid var(--line); border-radius: 6px; margin: 0 0 12px; }
details.change > summary { cursor: pointer; padding: 8px 12px; border-bottom: 1px solid var(--line); }
details.change > summary .title { font-weight: 600; }
.tag { display: inline-block; font-size: 12px; border-radius: 10px; padding: 0 8px; margin-right: 6px;
       background: #eaeef2; }
.tag.new { background: var(--add); color: var(--add-fg); }
.tag.updated { background: #fff8c5; color: #7d4e00; }
.tag.failed { background: var(--del); color: var(--del-fg); }
pre.diff { margin: 0; padding: 8px 0; overflow-x: auto; font: 12.5px/1.45 ui-monospace, SFMono-Regular, Menlo,
           Consolas, monospace; }
pre.diff span { display: block; padding: 0 12px; white-space: pre; }
pre.diff .add { background: var(--add); color: var(--add-fg); }
pre.diff .del { background: var(--del); color: var(--del-fg); }
pre.diff .hunk { background: var(--hunk); color: var(--muted); }
pre.diff .file { color: var(--muted); font-weight: 600; }
pre.diff .cut { color: var(--muted); font-style: italic; background: #fff8c5; }
ol.new { background: #fff; border: 1px solid var(--line); border-radius: 6px; margin: 0 0 12px;
         padding: 8px 12px 8px 48px; font-size: 14px; }
ol.new .meta { margin-left: 6px; }
details.list > summary { cursor: pointer; margin: 0 0 8px; color: var(--muted); }
table { table-layout: fixed; }
col.c-outcome { width: 120px; } col.c-id { width: 70px; } col.c-type { width: 110px; }
td { overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; background: #fff; border: 1px solid var(--line); }
th, td { text-align: left; padding: 4px 10px; border-bottom: 1px solid var(--line); vertical-align: top;
         font-size: 14px; }
th { background: #f6f8fa; }
td.id { font-variant-numeric: tabular-nums; color: var(--muted); }
td.reason { color: var(--muted); }
"""


def report_format(path: str | Path) -> str:
    """``html`` or ``json`` from the file's suffix; OutputError for anything else."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise OutputError(f"{path}: a report file ends in .html or .json", hint="e.g. --report report.html")
    return FORMATS[suffix]


def check_report_path(path: str | Path) -> str:
    """Before a run: the report's format (by its suffix), and its folder exists (a report makes no folder).
    OutputError otherwise, so that a mistyped path stops the run before it writes anything."""
    kind = report_format(path)
    folder = Path(path).parent
    if not folder.is_dir():
        raise OutputError(f"{path}: no folder {folder} to write the report in",
                          hint="create the folder first, or give the report another path")
    if Path(path).is_dir():
        raise OutputError(f"{path}: is a folder, not a report file", hint="e.g. --report report.html")
    return kind


def write_report(report: Report, path: str | Path, *, title: str = "") -> str:
    """Write the report to ``path`` as HTML or JSON (by its suffix); return the format written.

    The file is written piece by piece as the entries are read back, so a long run's report does not
    have to fit in memory."""
    kind = report_format(path)
    chunks = html_chunks(report, title=title) if kind == "html" else report.json_chunks()
    try:
        write_atomic(Path(path), (chunk.encode("utf-8") for chunk in chunks), make_folder=False)
    except OSError as e:
        raise OutputError(f"{path}: cannot write the report: {e.strerror}") from None
    return kind


def _diff_html(diff: str) -> str:
    rows = []
    lines = diff.splitlines()
    shown = 0
    size = 0
    for line in lines:
        size += len(line) + 1
        if shown >= DIFF_LINES or size > DIFF_CHARACTERS:
            break
        shown += 1
    left = len(lines) - shown
    for line in lines[:shown]:
        if line.startswith(("+++", "---")):
            cls = "file"
        elif line.startswith("@@"):
            cls = "hunk"
        elif line.startswith("+"):
            cls = "add"
        elif line.startswith("-"):
            cls = "del"
        else:
            cls = "ctx"
        rows.append(f'<span class="{cls}">{html.escape(line) or " "}</span>')
    if left:
        rows.append(f'<span class="cut">… {left:,} more line{"s" if left != 1 else ""} of this diff not shown '
                    f"(the page shows {DIFF_LINES} at most): run with --dry-run --diff to see all of it</span>")
    return '<pre class="diff">' + "".join(rows) + "</pre>"


def to_html(report: Report, *, title: str = "") -> str:
    """The report as one self-contained HTML page."""
    return "".join(html_chunks(report, title=title))


def html_chunks(report: Report, *, title: str = "") -> Iterator[str]:
    """:func:`to_html`'s page in pieces: the entries are read back (three times) rather than held."""
    parts = _parts(report, title)
    yield next(parts)
    for part in parts:
        yield "\n" + part


def _parts(report: Report, title: str) -> Iterator[str]:
    e = html.escape
    words = WORDS[report.dry_run]
    counts = report.counts
    heading = title or ("wp-migrate dry run" if report.dry_run else "wp-migrate report")
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    written = "nothing was written (dry run)" if report.dry_run else "changes were written"
    yield from [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(heading)}{' — ' + e(report.source) if report.source else ''}</title>",
        f"<style>{_CSS}</style></head><body>",
        '<header><div class="inner">',
        f"<h1>{e(heading)}</h1>",
        (
            f'<div class="meta">{e(report.source or "")}{" · " if report.source else ""}'
            f"{report.total} items · {written} · {e(generated)}</div>"
        ),
        '<ul class="counts">',
    ]
    for outcome in OUTCOMES:
        yield (f'<li class="o-{outcome}"><b>{counts[outcome]}</b> {e(words[outcome])}</li>')
    yield ("</ul></div></header><main>")

    run_errors = getattr(report, "run_errors", [])
    if report.notes or run_errors or report.counters:
        yield ('<div class="notes">')
        for error in run_errors:
            yield (f'<p class="error">error: {e(error)}</p>')
        for name, counter in sorted(report.counters.items()):
            if counter:
                shown = ", ".join(
                    f"{k} ({v})" for k, v in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
                )
                yield (f"<p>{e(name)}: {e(shown)}</p>")
        for note in report.notes:
            yield (f"<p>{e(note)}</p>")
        yield ("</div>")

    def changed() -> Iterator[Entry]:
        return (x for x in report.iter_entries()
                if x.outcome in ("updated", "failed") and (x.diff or x.reason))

    yield f"<h2>Changes ({counts['new'] + counts['updated']})</h2>"
    if counts["new"] + counts["updated"] + counts["failed"] == 0:
        yield "<p>Nothing would change.</p>" if report.dry_run else "<p>Nothing changed.</p>"
    if counts["new"]:
        # A new file's diff is all of it: listed, not diffed (the first run of a big site would be the whole site).
        folded = "" if counts["new"] <= FOLD_ITEMS else " (click to show)"
        yield (f'<details class="list"{"" if folded else " open"}><summary>{e(words["new"]).capitalize()} '
               f'({counts["new"]}){folded}: listed, not diffed; each file is in the output folder</summary>')
        yield '<ol class="new">'
        for x in report.iter_entries():
            if x.outcome == "new":
                yield (f'<li>{e(x.title or "(no title)")}<span class="meta">'
                       f'{"#" + e(str(x.id)) if x.id is not None else ""} {e(x.post_type)} {e(x.path)}</span></li>')
        yield "</ol></details>"
    unfold = " open" if counts["updated"] + counts["failed"] <= OPEN_CHANGES else ""
    for i, x in enumerate(changed()):
        anchor = f"item-{i}"
        yield (
            f'<details class="change" id="{anchor}"{unfold}><summary>'
            f'<span class="tag {e(x.outcome)}">{e(words[x.outcome])}</span>'
            f'<span class="title">{e(x.title or "(no title)")}</span> '
            f'<span class="meta">{"#" + e(str(x.id)) if x.id is not None else ""} {e(x.post_type)} '
            f"{e(x.path)}</span></summary>"
        )
        if x.reason:
            yield (f'<p class="meta" style="padding:0 12px">{e(x.reason)}</p>')
        if x.diff:
            yield (_diff_html(x.diff))
        yield ("</details>")

    yield (f"<h2>Every item ({report.total})</h2>")
    fold_all = report.total > FOLD_ITEMS
    yield (f'<details class="list"{"" if fold_all else " open"}><summary>{"click to show " if fold_all else ""}'
           "the table</summary>")
    yield (
        '<table><colgroup><col class="c-outcome"><col class="c-id"><col class="c-type"><col><col><col>'
        "</colgroup><thead><tr><th>outcome</th><th>id</th><th>type</th><th>title</th><th>where</th>"
        "<th>reason</th></tr></thead><tbody>"
    )
    for x in report.iter_entries():
        yield (
            f'<tr class="o-{e(x.outcome)}"><td><span class="tag {e(x.outcome)}">{e(words[x.outcome])}'
            f'</span></td><td class="id">{e("" if x.id is None else str(x.id))}</td>'
            f"<td>{e(x.post_type)}</td><td>{e(x.title)}</td><td>{e(x.path)}</td>"
            f'<td class="reason">{e(x.reason)}</td></tr>'
        )
    yield "</tbody></table></details></main></body></html>\n"
