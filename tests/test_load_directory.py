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


# -- names and URLs (migrate/load/urls.py) --

from migrate.load.urls import RESERVED_TOP, site_path, url_key, url_name  # noqa: E402


@pytest.mark.parametrize(("slug", "name"), [
    ("hello-world", "hello-world"), ("Hello World", "hello-world"), ("_index", "index"), ("..", "7"),
    ("caf\u00e9", "caf\u00e9"), ("cafe\u0301", "caf\u00e9"), ("über-uns", "über-uns"), ("a/b\\c", "a-b-c"),
    ("  -x-  ", "x"), ("नमस्ते", "नमस्ते"), ("a.b", "a-b"), ("ÄB", "äb"),
])
def test_url_name_is_what_both_generators_keep(slug, name):
    assert url_name(slug, "7") == name


@pytest.mark.parametrize(("value", "path"), [
    ("/old/a/", "/old/a/"), ("old/a", "/old/a/"), ("/a/./b/../c/", "/a/c/"), ("/a/index.html", "/a/"),
    ("/a.html", "/a.html"), ("/", None), ("/index.html", None), ("", None), ("../x/", None), ("/a/../../x/", None),
    ("https://evil.example/x/", None), ("//evil.example/x", None), ("/a/?p=1", None), ("/.git/config", None),
    ("/a\nb/", None), (["/a/"], None), (None, None),
])
def test_site_path_keeps_values_under_the_site(value, path):
    assert site_path(value) == path


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_front_matter_url_values_are_checked_as_paths(layout):
    tree = {1: ("a", 0, "post"), 2: ("b", 0, "post"), 3: ("about", 0, "page")}
    lay = LAYOUTS[layout](tree, set())
    post = Post(id=1, slug="../..", post_type="post", status="publish", date=datetime(2020, 1, 2))
    own = "/posts/a/" if layout == "hugo" else "/2020/01/02/a/"
    other = "/posts/b/" if layout == "hugo" else "/2020/01/02/b/"
    front = {"title": "A", "slug": "../..", "url": "/", "permalink": "/about/", "redirect_from": "/from/rule/",
             "aliases": ["/", "/index.html", "../../etc/x/", "/about/", own, own.upper(), "/old/a/", "/OLD/A/",
                         "http://evil.example/x/", "/a/?p=1", "/tags/" if layout == "hugo" else "/old/b/"]}
    fm = lay.adapt(front, post)
    key = "aliases" if layout == "hugo" else "redirect_from"
    assert fm["slug"] == "a"
    expected = ["/old/a/", "/from/rule/"] if layout == "hugo" else ["/old/a/", "/old/b/", "/from/rule/"]
    assert fm[key] == expected
    assert "url" not in fm
    assert fm.get("permalink") == (None if layout == "hugo" else own)
    assert url_key(other) not in {url_key(a) for a in fm[key]}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_reserved_and_clashing_names_are_never_produced(tmp_path, layout):
    slugs = sorted(RESERVED_TOP) + ["_index", "_layouts", ".", "..", "con"]
    items = [item(i, f"Page {i}", slug=slug, post_type="page") for i, slug in enumerate(slugs, 1)]
    items += [item(100 + i, f"Post {i}", slug=slug) for i, slug in enumerate(slugs, 1)]
    items += [item(300, "Layouts", slug="default", post_type="layouts"),
              item(301, "Data", slug="x", post_type="data"), item(302, "Posts", slug="y", post_type="posts")]
    run(tmp_path, items, layout=layout)
    files = written(tmp_path)
    stems = [PurePosixPath(f).stem for f in files]
    assert len(files) == len(items)
    assert not any(s in ("index", "_index", "page", "con", "", ".", "..") or s.startswith("_") for s in stems)
    top = {PurePosixPath(f).parts[0 if layout == "jekyll" else 1] for f in files}
    assert {"type-layouts", "type-data", "type-posts"} <= {t.lstrip("_") for t in top}
    # Jekyll's own folders hold nothing of the export, but its posts (in _posts/, _drafts/: not "y" of type posts).
    assert not top & {"_layouts", "_plugins", "_data", "_includes", "_sass", "_site", "_config"}
    if layout == "jekyll":
        assert sum(f.startswith("_posts/") for f in files) == len(slugs)
    assert not any(f.endswith("-y.md") and f.startswith("_posts/") for f in files)


def test_names_are_planned_the_same_on_every_run(tmp_path):
    items = [item(1, slug="dup"), item(2, slug="DUP"), item(3, slug="d\u00fcp"), item(4, slug="du\u0308p")]
    run(tmp_path, items)
    first = written(tmp_path)
    report = run(tmp_path, items)
    assert written(tmp_path) == first == ["content/posts/dup-2.md", "content/posts/dup.md",
                                          "content/posts/düp-4.md", "content/posts/düp.md"]
    assert report.counts["unchanged"] == 4


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_a_post_keeps_its_name_when_a_later_post_wants_it(tmp_path, layout):
    """A page online since the last run does not move when the export gains an earlier item with its slug."""
    run(tmp_path, [item(5, "First online", slug="news")], layout=layout)
    first = written(tmp_path)
    report = run(tmp_path, [item(3, "Restored from the trash", slug="news", link="https://films.example.org/?p=3"),
                            item(5, "First online", slug="news")], layout=layout)
    assert report.counts["unchanged"] == 1 and report.counts["new"] == 1
    assert set(first) < set(written(tmp_path))
    assert [e.path for e in report.entries if e.id == 3][0].endswith("news-3.md")
