"""The directory loader: layouts, safe paths, collisions, atomic writes, the manifest."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import PurePosixPath

import pytest

from migrate import pipeline
from migrate.extract.wxr import read_wxr
from migrate.load.directory import LAYOUTS, read_manifest
from migrate.load.paths import safe_component
from migrate.model import Post
from migrate.transform.frontmatter import parse_document

from .wxrfactory import item, write_wxr


def run(tmp_path, items, layout="hugo", **kw):
    export = read_wxr(write_wxr(tmp_path / "in.xml", items))
    return pipeline.convert(export, tmp_path / "out", layout=layout, **kw)


def written(tmp_path):
    out = tmp_path / "out"
    return sorted(str(p.relative_to(out)) for p in out.rglob("*.md"))


def test_hugo_layout_posts_pages_and_custom_types(tmp_path):
    report = run(tmp_path, [
        item(1, slug="hello"),
        item(2, "About", slug="about", post_type="page"),
        item(3, "Team", slug="team", post_type="page", parent=2),
        item(4, "Ada", slug="ada", post_type="portfolio"),
    ])
    assert report.counts["new"] == 4
    assert written(tmp_path) == ["content/about/_index.md", "content/about/team.md", "content/portfolio/ada.md",
                                 "content/posts/hello.md"]


def test_jekyll_layout_posts_drafts_pages(tmp_path):
    run(tmp_path, [
        item(1, slug="hello"),
        item(2, slug="wip", status="draft"),
        item(3, "About", slug="about", post_type="page"),
    ], layout="jekyll")
    assert written(tmp_path) == ["_drafts/wip.md", "_posts/2020-01-02-hello.md", "about.md"]
    front, _ = parse_document((tmp_path / "out/_drafts/wip.md").read_text())
    assert front["published"] is False and front["status"] == "draft"


@pytest.mark.parametrize("slug", ["../../etc/passwd", "/abs/path", "a\\b", "..", "CON", "nul.txt", "é" * 200])
def test_slug_never_leaves_output_folder(tmp_path, slug):
    run(tmp_path, [item(1, slug=slug)])
    (path,) = (tmp_path / "out").rglob("*.md")
    assert (tmp_path / "out" / "content" / "posts") == path.parent
    assert len(path.name.encode()) <= 255
    assert path.stem.lower() not in ("con", "nul", "nul.txt", "..", "")


_ODD_SLUGS = ["../../etc/passwd", "/abs/path", "a\\b", "..", ".", "", " . ", "-.-", "CON", "nul.txt", "é" * 200,
              "a//b", "x/./y", "Ünï cödé"]


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_layout_paths_are_their_purepath_form(layout):
    """Layouts join their parts with "/" instead of building a PurePosixPath: the same text for any slug."""
    tree = {i: (slug, i - 1 if i > 1 else 0, "page") for i, slug in enumerate(_ODD_SLUGS, 1)}
    lay = LAYOUTS[layout](tree, set(tree))
    posts = [Post(id=i, slug=slug, post_type=kind, parent=parent, status=status, date=datetime(2020, 1, 2))
             for i, slug in enumerate(_ODD_SLUGS, 1)
             for kind, parent in (("post", 0), ("page", i - 1), ("page", 0), ("book/../x", 0))
             for status in ("publish", "draft")]
    for post in posts:
        path = lay.path(post)
        assert all(part not in ("", ".", "..") for part in path.split("/")), path
        assert str(PurePosixPath(*path.split("/"))) == path


def test_safe_component_drops_nul_and_controls():
    assert safe_component("a\x00b\x1fc", "7") == "a-b-c"
    assert safe_component("\x00", "7") == "7"


def test_same_slug_posts_both_survive_deterministically(tmp_path):
    items = [item(1, "One", slug="dup"), item(2, "Two", slug="dup"), item(3, "Three", slug="DUP")]
    report = run(tmp_path, items)
    assert report.counts["new"] == 3
    assert written(tmp_path) == ["content/posts/dup-2.md", "content/posts/dup-3.md", "content/posts/dup.md"]
    titles = {parse_document(p.read_text())[0]["title"] for p in (tmp_path / "out").rglob("*.md")}
    assert titles == {"One", "Two", "Three"}
    # the same names on a second run
    again = run(tmp_path, items)
    assert again.counts["unchanged"] == 3


def test_second_run_reports_unchanged_then_updated(tmp_path):
    first = run(tmp_path, [item(1), item(2)])
    assert first.counts["new"] == 2
    second = run(tmp_path, [item(1), item(2, content="Changed.")])
    assert (second.counts["unchanged"], second.counts["updated"]) == (1, 1)


def test_dry_run_writes_nothing_and_diffs(tmp_path):
    run(tmp_path, [item(1)])
    before = {p: p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file()}
    report = run(tmp_path, [item(1, content="New words.")], dry_run=True)
    after = {p: p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file()}
    assert before == after
    (entry,) = report.entries
    assert entry.outcome == "updated" and "+New words." in entry.diff and "-Hello." in entry.diff


def test_no_temporary_files_left(tmp_path):
    run(tmp_path, [item(i) for i in range(1, 20)])
    assert not [p for p in (tmp_path / "out").rglob("*") if ".tmp" in p.name]


def test_files_get_the_usual_permissions(tmp_path):
    run(tmp_path, [item(1)])
    (path,) = (tmp_path / "out").rglob("*.md")
    assert path.stat().st_mode & 0o777 == 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_a_rerun_removes_the_files_of_posts_no_longer_in_the_export(tmp_path):
    run(tmp_path, [item(1), item(2)])
    report = run(tmp_path, [item(2, content="Changed."), item(3)])
    manifest = read_manifest(tmp_path / "out")
    assert sorted(manifest) == [2, 3]
    assert manifest[3]["path"] == "content/posts/post-3.md"
    assert written(tmp_path) == ["content/posts/post-2.md", "content/posts/post-3.md"]
    assert any(note.startswith("removed content/posts/post-1.md (#1: no longer in the export)") for note in report.notes)
    assert not (tmp_path / "out" / ".wp-migrate" / "tmp").exists()


def test_a_temporary_file_left_by_a_killed_run_does_not_block_writing(tmp_path):
    from migrate.load import directory

    target, tmp = tmp_path / "a" / "post.md", tmp_path / "tmp"
    tmp.mkdir()
    n = next(directory._TMP_NUMBERS) + 1
    (tmp / f".wp-migrate-{os.getpid()}-{n}.tmp").write_text("left over")  # the name it will try first
    directory.write_atomic(target, b"fresh", tmp)
    assert target.read_bytes() == b"fresh"
    assert (tmp / f".wp-migrate-{os.getpid()}-{n}.tmp").read_text() == "left over"
