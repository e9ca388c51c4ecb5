"""The HTML report stays usable at any size: new files listed, not diffed; each diff cut, with a note.

(How fast a 20,000-post page opens in Chromium: benchmarks/report_size.py prints it.)"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from migrate.report_html import DIFF_LINES

from .conftest import generated_export


def run(*args: object, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "migrate", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, check=False)


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> Path:
    return generated_export(tmp_path_factory.mktemp("export") / "export.xml", 1500, seed=3)


def test_a_first_run_lists_new_files_without_their_content(tmp_path, export):
    result = run("convert", export, "--out", "site", "--dry-run", "-q", "--report", "report.html", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "report.html").read_text("utf-8")
    new = int(re.search(r"(\d+) would create, ", result.stdout).group(1))  # type: ignore[union-attr]
    assert new > 1000
    assert page.count('<span class="add">') == 0  # no file's text in the page
    assert page.count("<li>") == new  # each new file listed
    # about what the table and the list of each item take, whatever the size of the posts
    assert len(page.encode()) < 2_000 * new


def test_a_long_diff_is_cut_with_a_note(tmp_path, export):
    assert run("convert", export, "--out", "site", "-q", cwd=tmp_path).returncode == 0
    post = sorted((tmp_path / "site" / "content" / "posts").glob("*.md"))[0]
    post.write_text(post.read_text("utf-8") + "".join(f"a local line {i}\n" for i in range(5000)), "utf-8")
    # (--force: a sync run leaves an edited file alone, with no diff)
    result = run("convert", export, "--out", "site", "--dry-run", "--force", "-q", "--report", "report.html",
                 cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "report.html").read_text("utf-8")
    assert page.count('<span class="del">') < DIFF_LINES
    assert re.search(r"… [\d,]+ more lines of this diff not shown \(the page shows \d+ at most\): run with "
                     r"--dry-run --diff to see all of it", page)
    assert len(page.encode()) < 1_000_000
