"""The run's report: every item accounted for, in order, however long the run (entries are spooled)."""

from __future__ import annotations

import json
import re

from migrate.report import Report
from migrate.report_html import write_report


def long_report(n: int) -> Report:
    report = Report(source="big.xml")
    for i in range(n):
        outcome = ("new", "skipped", "failed")[i % 3]
        entry = report.add(outcome, id=i, title=f"Post {i}", post_type="post", path=f"content/posts/{i}.md",
                           reason="" if outcome == "new" else f"reason {i % 2}")
        entry.counts = {"shortcodes": {"gallery": i}}  # filled in after adding, as publish does
    return report


def test_every_entry_comes_back_in_order_with_what_was_filled_in_later():
    report = long_report(2000)  # well past what the report keeps in memory
    entries = list(report.iter_entries())
    assert [e.id for e in entries] == list(range(2000))
    assert [e.counts["shortcodes"]["gallery"] for e in entries] == list(range(2000))
    assert report.total == 2000 and report.counts == {"new": 667, "skipped": 667, "failed": 666}
    assert report.reasons("failed") == {"reason 0": 333, "reason 1": 333}
    assert report.exit_code() == 2


def test_summary_lists_the_first_failures_and_counts_all():
    lines = long_report(2000).summary_lines()
    assert lines[0] == "2000 items: 667 new, 667 skipped, 666 failed"
    listed = [line for line in lines if line.startswith("  failed: #")]
    assert len(listed) == 20 and listed[0] == "  failed: #2 'Post 2': reason 0"


def test_json_report_of_a_long_run_holds_every_item(tmp_path):
    report = long_report(1500)
    write_report(report, tmp_path / "r.json")
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert data["total"] == 1500 and data["counts"]["failed"] == 500
    assert [e["id"] for e in data["entries"]] == list(range(1500))
    assert data == report.to_dict()


def test_html_report_of_a_long_run_has_a_row_for_every_item(tmp_path):
    write_report(long_report(1500), tmp_path / "r.html")
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.endswith("</html>\n")
    rows = re.findall(r'<tr class="o-(\w+)"><td>.*?<td class="id">(\d+)</td>', page)
    assert [int(i) for _, i in rows] == list(range(1500))
    assert "<h2>Changes (500)</h2>" in page


def test_empty_report():
    report = Report(source="empty.xml")
    assert report.summary_lines()[0] == "0 items: 0 new, 0 skipped, 0 failed"
    assert json.loads(report.to_json())["entries"] == [] and report.exit_code() == 0
