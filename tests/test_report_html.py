"""The report as a file: a self-contained HTML page (checked in headless Chromium) and JSON."""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import tempfile
from pathlib import Path

import pytest

from migrate.errors import OutputError
from migrate.report import Report
from migrate.report_html import to_html, write_report

from .conftest import SAMPLE
from .test_xmlrpc import cli_env, wp_migrate

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
]


def chromium(*args: str) -> subprocess.CompletedProcess[str]:
    """Run headless Chromium (Debian's ``chromium``, installed by scripts/wordpress-env.sh install)."""
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    assert binary, "chromium is not installed: bash scripts/wordpress-env.sh install (as root)"
    with tempfile.TemporaryDirectory(prefix="wp-migrate-chromium-") as profile:
        env = {**os.environ, "HOME": profile}
        return subprocess.run(
            [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
            check=False,
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
        )


def dump_dom(page: Path) -> str:
    result = chromium("--dump-dom", page.resolve().as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def screenshot(page: Path, png: Path, size: str = "1200,1600") -> tuple[int, int]:
    result = chromium(f"--screenshot={png}", f"--window-size={size}", page.resolve().as_uri())
    assert result.returncode == 0 and png.is_file(), result.stderr[-2000:]
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def sample_report() -> Report:
    report = Report(source="exports/film-reviews.xml", dry_run=True)
    report.add(
        "updated",
        id=12,
        title="Jurassic <Park> & friends",
        post_type="post",
        path="content/posts/jp.md",
        diff="--- a/content/posts/jp.md\n+++ b/content/posts/jp.md\n@@ -1,2 +1,2 @@\n-old <b>line</b>\n"
        "+new line\n same\n",
    )
    report.add(
        "new",
        id=13,
        title="Brand new",
        post_type="page",
        path="content/new.md",
        diff="--- /dev/null\n+++ b/content/new.md\n@@ -0,0 +1 @@\n+hello\n",
    )
    report.add("unchanged", id=14, title="Same as before", post_type="post", path="content/posts/same.md")
    report.add("skipped", id=15, title="", post_type="attachment", reason="attachment (media)")
    report.add("failed", id=16, title="Broken", post_type="post", reason="content is 12 MB, over the limit")
    report.count("boilerplate removed", "jetpack-sharing", 2)
    report.notes.append("wrote hugo.toml")
    return report


def test_html_is_self_contained_and_escaped() -> None:
    page = to_html(sample_report())
    assert page.startswith("<!DOCTYPE html>") and "</html>" in page
    assert "Jurassic &lt;Park&gt; &amp; friends" in page and "<Park>" not in page
    assert '<span class="del">-old &lt;b&gt;line&lt;/b&gt;</span>' in page
    assert '<span class="add">+new line</span>' in page
    assert "would update" in page and "would create" in page and "content is 12 MB" in page
    assert "jetpack-sharing (2)" in page
    for external in ("http://", "https://", "<script", "<link", "@import"):
        assert external not in page  # nothing to fetch: it opens offline, from a file


def test_write_report_by_suffix(tmp_path: Path) -> None:
    report = sample_report()
    assert write_report(report, tmp_path / "r.json") == "json"
    assert json.loads((tmp_path / "r.json").read_text())["counts"]["updated"] == 1
    with pytest.raises(OutputError):  # a report makes no folder
        write_report(report, tmp_path / "sub" / "r.HTML")
    assert not (tmp_path / "sub").exists()
    (tmp_path / "sub").mkdir()
    assert write_report(report, tmp_path / "sub" / "r.HTML") == "html"
    assert (tmp_path / "sub" / "r.HTML").read_text().startswith("<!DOCTYPE html>")
    with pytest.raises(OutputError, match=r"ends in \.html or \.json"):
        write_report(report, tmp_path / "r.txt")


def test_convert_dry_run_report_opens_in_chromium(tmp_path: Path) -> None:
    """A dry run after editing two converted files (with --force, which would overwrite them): the page lists
    both, with their diffs."""
    env = cli_env(None, tmp_path)
    out = tmp_path / "site"
    assert wp_migrate("convert", SAMPLE, "--out", out, env=env).returncode == 0
    posts = out / "content" / "posts"
    edited = {}
    for name in ("top-365-films-12-jurassic-park-1993.md", "33.md"):
        text = (posts / name).read_text()
        (posts / name).write_text(text.replace("\n\n", "\n\nA local edit.\n\n", 1))
        edited[name] = text.split("title: ", 1)[1].split("\n", 1)[0].strip("'\"")
    page = tmp_path / "report.html"
    result = wp_migrate("convert", SAMPLE, "--out", out, "--dry-run", "--force", "--report", page, env=env)
    assert result.returncode == 0, result.stderr
    assert "2 would update" in result.stdout

    dom = dump_dom(page)
    assert "Changes (2)" in dom
    for title in edited.values():
        assert title.replace("&", "&amp;") in dom, title
    assert dom.count('class="del">+A local edit.') == 0 and dom.count("-A local edit.") == 2

    width, height = screenshot(page, tmp_path / "report.png")
    assert (width, height) == (1200, 1600)
    assert (tmp_path / "report.png").stat().st_size > 20_000  # a rendered page, not a blank one
