"""A re-run is a sync: the folder ends as a fresh conversion of the new export, plus what the user edited."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from migrate.load.directory import read_manifest
from migrate.transform.frontmatter import parse_document

from .wxrfactory import item, write_wxr

LAYOUTS = ("hugo", "jekyll")


def wp_migrate(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "migrate", *map(str, args)], capture_output=True, text=True)


def export_v1(path: Path) -> Path:
    return write_wxr(path, [
        item(1, "Kept and edited", slug="kept"),
        item(2, "Trashed later", slug="trashed"),
        item(3, "Renamed later", slug="old-name"),
        item(4, "Made private later", slug="private-later"),
        item(5, "About", slug="about", post_type="page"),
        item(6, "Team", slug="team", post_type="page", parent=5),
    ])


def export_v2(path: Path) -> Path:
    """The same site later: one post trashed, one renamed, one made private, one deleted (the team page)."""
    return write_wxr(path, [
        item(1, "Kept and edited", slug="kept"),
        item(2, "Trashed later", slug="trashed__trashed", status="trash"),
        item(3, "Renamed later", slug="new-name"),
        item(4, "Made private later", slug="private-later", status="private"),
        item(5, "About", slug="about", post_type="page"),
    ])


def files(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text("utf-8") for p in sorted(folder.rglob("*"))
            if p.is_file() and ".wp-migrate" not in p.parts}


def kept_file(folder: Path) -> Path:
    return folder / read_manifest(folder)[1]["path"]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_rerun_equals_a_fresh_conversion_plus_the_edited_file(tmp_path: Path, layout: str) -> None:
    out, fresh = tmp_path / "site", tmp_path / "fresh"
    v1, v2 = export_v1(tmp_path / "v1.xml"), export_v2(tmp_path / "v2.xml")
    assert wp_migrate("convert", v1, "--out", out, "--layout", layout).returncode == 0
    edited = kept_file(out)
    edited.write_text(edited.read_text("utf-8") + "\nA line I added by hand.\n", "utf-8")
    mine = edited.read_text("utf-8")

    dry = wp_migrate("convert", v2, "--out", out, "--layout", layout, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    before = files(out)
    second = wp_migrate("convert", v2, "--out", out, "--layout", layout)
    assert second.returncode == 0, second.stderr
    assert wp_migrate("convert", v2, "--out", fresh, "--layout", layout).returncode == 0

    got, want = files(out), files(fresh)
    name = edited.relative_to(out).as_posix()
    assert got.pop(name) == mine, "the edited file is untouched"
    want.pop(name)
    assert got == want
    # Every removal was listed, first as what would happen, then as done; the edit is reported, not lost.
    removed = sorted(p for p in before if p not in files(out))
    assert removed and all(f"would remove {p}" in dry.stdout for p in removed)
    assert all(f"removed {p}" in second.stdout for p in removed)
    assert "1 left alone" in second.stdout and "edited since wp-migrate wrote it" in second.stdout
    assert sorted(read_manifest(out)) == [1, 3, 4, 5]


def test_dry_run_changes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "site"
    wp_migrate("convert", export_v1(tmp_path / "v1.xml"), "--out", out)
    before = files(out)
    manifest = (out / ".wp-migrate/manifest.jsonl").read_bytes()
    dry = wp_migrate("convert", export_v2(tmp_path / "v2.xml"), "--out", out, "--dry-run")
    assert "would remove content/posts/trashed.md (#2: in the trash)" in dry.stdout
    assert "would remove content/posts/old-name.md (#3: now content/posts/new-name.md)" in dry.stdout
    assert files(out) == before and (out / ".wp-migrate/manifest.jsonl").read_bytes() == manifest


def test_keep_removed_marks_them_draft(tmp_path: Path) -> None:
    out = tmp_path / "site"
    wp_migrate("convert", export_v1(tmp_path / "v1.xml"), "--out", out)
    result = wp_migrate("convert", export_v2(tmp_path / "v2.xml"), "--out", out, "--keep-removed")
    assert "marked draft content/posts/trashed.md (#2: in the trash)" in result.stdout
    front, _ = parse_document((out / "content/posts/trashed.md").read_text("utf-8"))
    assert front["draft"] is True and front["title"] == "Trashed later"
    front, _ = parse_document((out / "content/posts/old-name.md").read_text("utf-8"))
    assert front["draft"] is True
    again = wp_migrate("convert", export_v2(tmp_path / "v2.xml"), "--out", out, "--keep-removed")
    assert "marked draft" not in again.stdout and "0 new" in again.stdout


def test_force_overwrites_an_edited_file_after_saving_a_copy(tmp_path: Path) -> None:
    out = tmp_path / "site"
    v1 = export_v1(tmp_path / "v1.xml")
    wp_migrate("convert", v1, "--out", out)
    edited = kept_file(out)
    original = edited.read_text("utf-8")
    edited.write_text("my version\n", "utf-8")
    result = wp_migrate("convert", v1, "--out", out, "--force")
    assert result.returncode == 0 and "1 updated" in result.stdout
    assert edited.read_text("utf-8") == original
    name = edited.relative_to(out).as_posix()
    assert (out / ".wp-migrate/backup" / name).read_text("utf-8") == "my version\n"
    assert f"saved in .wp-migrate/backup/{name}" in result.stdout


def test_a_file_the_tool_never_wrote_is_never_overwritten(tmp_path: Path) -> None:
    out = tmp_path / "site"
    export = write_wxr(tmp_path / "in.xml", [item(1, "Mine", slug="mine")])
    (out / "content/posts").mkdir(parents=True)
    (out / "content/posts/mine.md").write_text("written by hand\n", "utf-8")
    for extra in ((), ("--force",)):
        result = wp_migrate("convert", export, "--out", out, *extra)
        assert "1 left alone" in result.stdout and "not written by wp-migrate" in result.stdout
        assert (out / "content/posts/mine.md").read_text("utf-8") == "written by hand\n"
    # …and a later run that no longer has the post does not remove it either.
    wp_migrate("convert", write_wxr(tmp_path / "none.xml", [item(2, "Other", slug="other")]), "--out", out)
    assert (out / "content/posts/mine.md").read_text("utf-8") == "written by hand\n"


def test_converting_into_the_other_layouts_folder_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "site"
    export = export_v1(tmp_path / "v1.xml")
    wp_migrate("convert", export, "--out", out, "--layout", "jekyll")
    result = wp_migrate("convert", export, "--out", out, "--layout", "hugo")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "--layout jekyll" in result.stderr and "would mix two sites" in result.stderr
    assert not (out / "content").exists() and not (out / "hugo.toml").exists()


def test_unreadable_manifest_lines_are_reported_and_skipped(tmp_path: Path) -> None:
    out = tmp_path / "site"
    export = export_v1(tmp_path / "v1.xml")
    wp_migrate("convert", export, "--out", out)
    outside = tmp_path / "outside.md"
    outside.write_text("not the tool's\n", "utf-8")
    with open(out / ".wp-migrate/manifest.jsonl", "a", encoding="utf-8") as fh:
        fh.write("{not json\n")
        fh.write(json.dumps({"id": 99, "path": "../outside.md", "sha256": "0" * 64}) + "\n")
    result = wp_migrate("convert", export, "--out", out)
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert "manifest.jsonl:" in result.stdout and "cannot be read" in result.stdout
    assert "outside the output folder" in result.stdout
    assert outside.read_text("utf-8") == "not the tool's\n"
    assert "0 new, 6 unchanged" in result.stdout


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_second_run_over_troublesome_names_changes_nothing(tmp_path: Path, layout: str) -> None:
    from .troublesome import write_troublesome

    out, export = tmp_path / "site", write_troublesome(tmp_path / "t.xml")
    assert wp_migrate("convert", export, "--out", out, "--layout", layout).returncode == 0
    before = files(out)
    second = wp_migrate("convert", export, "--out", out, "--layout", layout)
    assert " 0 new, 37 unchanged, 1 skipped" in second.stdout and "updated" not in second.stdout
    assert files(out) == before


def test_an_old_url_a_later_page_took_comes_back_when_that_page_goes(tmp_path: Path) -> None:
    """Jekyll: a post's old link is another post's new URL (/Y/M/D/name/), which only the run's end can tell."""
    out = tmp_path / "site"
    taker = item(1, "Old link taken", slug="taker", link="https://films.example.org/2020/01/02/later/")
    v1 = write_wxr(tmp_path / "v1.xml", [taker, item(2, "Later", slug="later", link="https://films.example.org/?p=2")])
    wp_migrate("convert", v1, "--out", out, "--layout", "jekyll")
    path = out / "_posts/2020-01-02-taker.md"
    assert "redirect_from" not in parse_document(path.read_text("utf-8"))[0]
    assert "0 new, 2 unchanged" in wp_migrate("convert", v1, "--out", out, "--layout", "jekyll").stdout
    wp_migrate("convert", write_wxr(tmp_path / "v2.xml", [taker]), "--out", out, "--layout", "jekyll")
    assert parse_document(path.read_text("utf-8"))[0]["redirect_from"] == ["/2020/01/02/later/"]
    fresh = tmp_path / "fresh"
    wp_migrate("convert", tmp_path / "v2.xml", "--out", fresh, "--layout", "jekyll")
    assert files(out) == files(fresh)
