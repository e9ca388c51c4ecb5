"""Hostile and broken exports through the command line: one clear line, the right exit code,
no traceback, and never a half-written output folder."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from migrate.transform.frontmatter import parse_document

from .conftest import ROOT
from .wxrfactory import item, write_wxr


def wp_migrate(*args):
    return subprocess.run([sys.executable, "-m", "migrate", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, timeout=120)


def one_line_error(result, *expected):
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for text in expected:
        assert text in lines[0]
    return lines[0]


def three_items(tmp_path, middle: str | None = None):
    return write_wxr(tmp_path / "in.xml", [item(1, "One"), middle or item(2, "Two"), item(3, "Three")])


def titles(out):
    return sorted(parse_document(p.read_text())[0]["title"] for p in out.rglob("*.md"))


XXE = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss><channel><title>&xxe;</title></channel></rss>"""

LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss><channel><title>&lol9;</title></channel></rss>"""


@pytest.mark.parametrize("doc", [XXE, LAUGHS], ids=["external-entity", "billion-laughs"])
def test_entities_are_never_resolved(tmp_path, doc):
    bad = tmp_path / "bad.xml"
    bad.write_text(doc)
    started = time.monotonic()
    result = wp_migrate("convert", bad, "--out", tmp_path / "site")
    assert time.monotonic() - started < 10  # interpreter start included; the refusal itself is instant
    one_line_error(result, str(bad), "DOCTYPE")
    assert "root:" not in result.stdout + result.stderr
    assert not (tmp_path / "site").exists()


def test_truncated_export_stops_then_recovers(tmp_path):
    export = three_items(tmp_path)
    data = export.read_text()
    export.write_text(data[: data.index("<title>Three")])  # the download timed out inside item 3
    line = one_line_error(wp_migrate("convert", export, "--out", tmp_path / "site"), str(export), "--recover")
    assert ":" in line.split(str(export))[1]  # line number given
    assert not (tmp_path / "site").exists()

    result = wp_migrate("convert", export, "--out", tmp_path / "site", "--recover")
    assert result.returncode == 2  # an item was lost: the run says so
    assert "3 items: 2 new" in result.stdout and "1 failed" in result.stdout
    assert "cut off" in result.stdout
    assert titles(tmp_path / "site") == ["One", "Two"]


@pytest.mark.parametrize(
    "damage,repair",
    [
        (lambda s: s.replace("<title>Two</title>", "<title>Tom & Jerry</title>"), "bare &"),
        (lambda s: s.replace("<title>Two</title>", "<title>Caf&eacute; Two</title>"), "HTML entities"),
        (lambda s: s.replace("<title>Two</title>", "<title>T\x01wo</title>"), "control characters"),
        (lambda s: s.replace("Hello.", "a[b[0]]>c", 2).replace("a[b[0]]>c", "Hello.", 1), "']]>' inside CDATA"),
        (lambda s: s.replace("<title>Two</title>", "<title>Caf\udce9 Two</title>"), "Windows-1252"),
    ],
    ids=["bare-amp", "html-entity", "control-char", "cdata-end", "not-utf8"],
)
def test_damaged_item_stops_then_is_repaired(tmp_path, damage, repair):
    export = three_items(tmp_path)
    export.write_bytes(damage(export.read_text()).encode("utf-8", "surrogateescape"))
    one_line_error(wp_migrate("convert", export, "--out", tmp_path / "site"), str(export), "not well-formed XML")
    assert not (tmp_path / "site").exists()

    result = wp_migrate("convert", export, "--out", tmp_path / "site", "--recover")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 items: 3 new" in result.stdout
    assert "repaired #2" in result.stdout and repair in result.stdout
    assert len(titles(tmp_path / "site")) == 3


def test_false_encoding_declaration(tmp_path):
    export = write_wxr(tmp_path / "in.xml", [item(1, "Amélie")])
    export.write_text(export.read_text().replace('encoding="UTF-8"', 'encoding="ISO-8859-1"'))
    one_line_error(wp_migrate("convert", export, "--out", tmp_path / "site"), "ISO-8859-1", "UTF-8")
    result = wp_migrate("convert", export, "--out", tmp_path / "site", "--recover")
    assert result.returncode == 0 and titles(tmp_path / "site") == ["Amélie"]


def test_post_over_size_limit_fails_alone(tmp_path):
    big = "word " * 2_200_000  # 11 MB
    export = write_wxr(tmp_path / "in.xml", [item(1, "Small"), item(2, "Huge", content=big)])
    result = wp_migrate("convert", export, "--out", tmp_path / "site")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "1 new" in result.stdout and "1 failed" in result.stdout and "--max-post-size" in result.stdout
    assert titles(tmp_path / "site") == ["Small"]
    result = wp_migrate("convert", export, "--out", tmp_path / "site", "--max-post-size", "20")
    assert result.returncode == 0 and titles(tmp_path / "site") == ["Huge", "Small"]


def test_hostile_html_in_a_post_fails_it_alone(tmp_path):
    nested = "<ul><li>deeper" * 20_000  # never closed: 40,000 levels of elements
    unclosed = "<p>x\n" * 300_000  # 1.5 MB of paragraphs whose ends never come
    export = write_wxr(tmp_path / "in.xml", [item(1, "Small"), item(2, "Nested", content=nested),
                                             item(3, "Unclosed", content=unclosed)])
    started = time.monotonic()
    result = wp_migrate("convert", export, "--out", tmp_path / "site")
    assert time.monotonic() - started < 60  # (each byte is read a bounded number of times: seconds)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "3 items: 2 new" in result.stdout and "1 failed" in result.stdout
    assert "#2 'Nested': its HTML is nested too deeply to convert" in result.stdout
    assert titles(tmp_path / "site") == ["Small", "Unclosed"]


def test_not_an_export_and_empty(tmp_path):
    for content, expected in (("", "empty"), ("<opml><body/></opml>", "not a WordPress export")):
        bad = tmp_path / "bad.xml"
        bad.write_text(content)
        one_line_error(wp_migrate("convert", bad, "--out", tmp_path / "site"), expected)
        assert not (tmp_path / "site").exists()


def test_hostile_slugs_stay_inside_and_all_survive(tmp_path):
    slugs = ["../../escape", "/etc/passwd", "..\\..\\win", "CON", "aux.txt", "Same", "same", "SAME", "x" * 300,
             "é" * 200]
    export = write_wxr(tmp_path / "in.xml", [item(i + 1, f"T{i}", slug=s) for i, s in enumerate(slugs)])
    result = wp_migrate("convert", export, "--out", tmp_path / "site")
    assert result.returncode == 0, result.stderr
    files = list((tmp_path / "site").rglob("*.md"))
    assert len(files) == len(slugs)
    assert len({str(f).casefold() for f in files}) == len(slugs)
    for f in files:
        assert f.resolve().is_relative_to((tmp_path / "site").resolve())
        assert len(f.name.encode()) <= 255
    assert not list(tmp_path.glob("escape*")) and not (tmp_path / "win.md").exists()


def test_output_folder_that_is_a_file(tmp_path):
    export = three_items(tmp_path)
    (tmp_path / "site").write_text("not a folder")
    one_line_error(wp_migrate("convert", export, "--out", tmp_path / "site"), "site", "--out")


def test_unwritable_section_fails_its_posts_with_reason(tmp_path):
    export = write_wxr(tmp_path / "in.xml", [item(1, "Post"), item(2, "Page", post_type="page", slug="about")])
    (tmp_path / "site" / "content").mkdir(parents=True)
    (tmp_path / "site" / "content" / "posts").write_text("a file where a folder should be")
    result = wp_migrate("convert", export, "--out", tmp_path / "site")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "1 new" in result.stdout and "1 failed" in result.stdout and "cannot write" in result.stdout
    assert (tmp_path / "site" / "content" / "about.md").is_file()
