"""Size of the HTML report of a big first run, and how long headless Chromium takes to open it.

    python benchmarks/report_size.py              # 20,000 new posts and 300 changed ones with long diffs
    python benchmarks/report_size.py --posts 5000

The report is made as a run makes it (Report.add with the diff the loader computes for each file); the page is
then loaded by Debian's chromium (--dump-dom, which returns once the page is loaded and laid out), three times,
and the least wall time printed.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from migrate.report import Report  # noqa: E402
from migrate.report_html import write_report  # noqa: E402

BODY = "".join(f"A paragraph of a review, line {i}, with some words in it to make it as long as one.\n"
               for i in range(80))


def make_report(posts: int, changed: int) -> Report:
    report = Report(source="export.xml", dry_run=True)
    for i in range(posts):
        path = f"content/posts/post-{i}.md"
        diff = f"--- a/{path}\n+++ b/{path}\n@@ -0,0 +1,80 @@\n" + "".join("+" + line + "\n"
                                                                          for line in BODY.splitlines())
        report.add("new", id=i, title=f"Post number {i}", post_type="post", path=path, diff=diff)
    for i in range(changed):
        path = f"content/posts/changed-{i}.md"
        diff = f"--- a/{path}\n+++ b/{path}\n@@ -1,2000 +1,2000 @@\n" + "".join(
            f"-old line {j}\n+new line {j}\n" for j in range(2000))
        report.add("updated", id=posts + i, title=f"Changed {i}", post_type="post", path=path, diff=diff)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=20_000)
    parser.add_argument("--changed", type=int, default=300)
    args = parser.parse_args()
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    with tempfile.TemporaryDirectory(prefix="wp-migrate-report-") as tmp:
        page = Path(tmp) / "report.html"
        started = time.perf_counter()
        write_report(make_report(args.posts, args.changed), page)
        print(f"{args.posts} new + {args.changed} changed posts: {page.stat().st_size / 1e6:.1f} MB, "
              f"written in {time.perf_counter() - started:.1f} s")
        if not binary:
            print("chromium is not installed: no load time")
            return
        best = None
        for _ in range(3):
            started = time.perf_counter()
            subprocess.run([binary, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp}/profile",
                            "--dump-dom", page.as_uri()], capture_output=True, check=True, timeout=600,
                           env={"HOME": tmp, "PATH": "/usr/bin:/bin"})
            took = time.perf_counter() - started
            best = took if best is None else min(best, took)
        print(f"headless Chromium loads it in {best:.1f} s (least of 3)")


if __name__ == "__main__":
    main()
