"""A DOCTYPE (and its entities) is refused in every encoding and position: in a zip, in UTF-16, when salvaging,
and, should the bytes ever be read otherwise than the parser reads them, by the parser's own view of the prolog.
(The plain file cases, a megabyte of comment first or UTF-16 with or without a byte order mark, are in
test_safety.py.)"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from migrate.errors import InputError
from migrate.extract import wxr
from migrate.extract.wxr import read_wxr

from .conftest import ROOT
from .wxrfactory import item, write_wxr

REFUSED = "declares a DOCTYPE or XML entities, which WordPress exports never do; refusing to read it"
DTD = "<!DOCTYPE rss [<!ENTITY e 'an entity'>]>\n"


def wp_migrate(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "migrate", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, timeout=300, check=False)


def export_text(tmp_path: Path, dtd: bool, post_id: int = 1) -> str:
    text = write_wxr(tmp_path / "base.xml", [item(post_id, f"Post {post_id}", content="Hello &e; world"
                                                  if dtd else "Hello world")]).read_text("utf-8")
    decl, rest = text.split("\n", 1)
    return decl.replace("UTF-8", "UTF-16") + "\n" + (DTD if dtd else "") + rest


def zipped(tmp_path: Path, *members: tuple[str, bytes]) -> Path:
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members:
            archive.writestr(name, data)
    return path


def test_a_dtd_in_a_utf16_export_inside_a_zip_is_refused(tmp_path):
    export = zipped(tmp_path, ("site.wordpress.xml", export_text(tmp_path, dtd=True).encode("utf-16")))
    result = wp_migrate("convert", export, "--out", tmp_path / "site")
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.startswith(f"wp-migrate: error: {export}:site.wordpress.xml:2:"), result.stderr
    assert REFUSED in result.stderr
    assert not (tmp_path / "site").exists()


def test_a_utf16_export_inside_a_zip_is_recognised_and_converts(tmp_path):
    export = zipped(tmp_path, ("notes.txt", b"hello"),
                    ("site.wordpress.xml", export_text(tmp_path, dtd=False).encode("utf-16")))
    result = wp_migrate("convert", export, "--out", tmp_path / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "site" / "content" / "posts" / "post-1.md").read_text("utf-8").rstrip().endswith("Hello world")


def test_several_utf16_exports_in_a_zip_are_not_joined_but_named(tmp_path):
    export = zipped(tmp_path, ("a.xml", export_text(tmp_path, dtd=False, post_id=1).encode("utf-16")),
                    ("b.xml", export_text(tmp_path, dtd=False, post_id=2).encode("utf-16")))
    result = wp_migrate("convert", export, "--out", tmp_path / "site")
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.strip().splitlines() == [
        f"wp-migrate: error: {export}:a.xml: in UTF-16: several WXR files are joined only in UTF-8 — extract the "
        "files and convert them one by one"]


def test_a_dtd_is_refused_when_salvaging_too(tmp_path):
    export = tmp_path / "dtd.xml"
    export.write_text(export_text(tmp_path, dtd=True).replace("UTF-16", "UTF-8"), "utf-8")
    result = wp_migrate("convert", export, "--out", tmp_path / "site", "--recover")
    assert result.returncode == 2 and REFUSED in result.stderr, result.stderr
    assert result.stderr.startswith(f"wp-migrate: error: {export}:2:"), result.stderr


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_parser_refuses_a_dtd_the_byte_check_missed(tmp_path, monkeypatch, jobs):
    """The first pass looks at the prolog the parser read: a DOCTYPE the check of the bytes did not find (an
    encoding decoded otherwise) is refused all the same, before any item is read."""
    monkeypatch.setattr(wxr, "_dtd_line", lambda path: None)
    monkeypatch.setattr(wxr, "_PART_BYTES", 1)  # (jobs 2: the first pass in parts)
    export = tmp_path / "dtd.xml"
    export.write_text(export_text(tmp_path, dtd=True).replace("UTF-16", "UTF-8"), "utf-8")
    with pytest.raises(InputError) as e:
        read_wxr(export, jobs=jobs)
    assert e.value.message == f"{export}: {REFUSED}"
    export.write_text(export_text(tmp_path, dtd=False).replace("UTF-16", "UTF-8"), "utf-8")
    assert [p.content for p in read_wxr(export, jobs=jobs).posts()] == ["Hello world"]
