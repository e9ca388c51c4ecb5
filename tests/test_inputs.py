"""What `convert` and `inspect` read: an .xml file, an .xml.gz, a .zip of WXR files (joined as one site), or
standard input ("-") holding any of them; anything else gets one line saying what it is."""

from __future__ import annotations

import gzip
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import SAMPLE


def run(*args: object, cwd: Path, stdin: bytes | None = None,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TMPDIR": str(cwd / "tmp"), **(env or {})}
    (cwd / "tmp").mkdir(exist_ok=True)
    result = subprocess.run([sys.executable, "-m", "migrate", *map(str, args)], input=stdin, capture_output=True,
                            cwd=cwd, env=env, check=False)
    assert not list((cwd / "tmp").iterdir()), "temporary files left behind"
    return subprocess.CompletedProcess(result.args, result.returncode, result.stdout.decode(),
                                       result.stderr.decode())


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and ".wp-migrate" not in p.relative_to(folder).parts}


@pytest.fixture(scope="module")
def expected(tmp_path_factory) -> dict[str, bytes]:
    where = tmp_path_factory.mktemp("plain")
    assert run("convert", SAMPLE, "--out", "site", "-q", cwd=where).returncode == 0
    return files(where / "site")


def split(export: Path, folder: Path) -> list[Path]:
    """The export as WordPress.com splits a big site: two WXR files, each with the whole header (site, authors,
    terms) and half of the items."""
    text = export.read_text("utf-8")
    starts = [m.start() for m in re.finditer(r"[ \t]*<item>", text)]
    first, middle, end = starts[0], starts[len(starts) // 2], text.rindex("</channel>")
    parts = [folder / "site.wordpress.2026-12-07.000.xml", folder / "site.wordpress.2026-12-07.001.xml"]
    parts[0].write_text(text[:middle] + text[end:], "utf-8")
    parts[1].write_text(text[:first] + text[middle:], "utf-8")
    return parts


def test_a_gzipped_export_converts_as_the_xml(tmp_path, expected):
    (tmp_path / "export.xml.gz").write_bytes(gzip.compress(SAMPLE.read_bytes()))
    result = run("convert", "export.xml.gz", "--out", "site", "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert files(tmp_path / "site") == expected


@pytest.mark.parametrize("compressed", [False, True], ids=["xml", "gzip"])
def test_standard_input_converts_as_the_file(tmp_path, expected, compressed):
    data = SAMPLE.read_bytes()
    result = run("convert", "-", "--out", "site", "-q", cwd=tmp_path,
                 stdin=gzip.compress(data) if compressed else data)
    assert result.returncode == 0, result.stderr
    assert files(tmp_path / "site") == expected


def test_a_zip_of_several_wxr_files_is_one_site(tmp_path, expected):
    parts = split(SAMPLE, tmp_path)
    with zipfile.ZipFile(tmp_path / "export.zip", "w", zipfile.ZIP_DEFLATED) as z:
        for part in reversed(parts):  # (stored out of order: read in name order)
            z.write(part, f"export/{part.name}")
        z.writestr("export/readme.txt", "not an export")
    result = run("convert", "export.zip", "--out", "site", "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert files(tmp_path / "site") == expected
    whole = run("inspect", SAMPLE, cwd=tmp_path).stdout
    assert run("inspect", "export.zip", cwd=tmp_path).stdout == whole  # authors and terms once each
    piped = run("inspect", "-", cwd=tmp_path, stdin=(tmp_path / "export.zip").read_bytes())
    assert piped.stdout == whole


def test_a_zip_of_one_export(tmp_path, expected):
    with zipfile.ZipFile(tmp_path / "export.zip", "w") as z:
        z.write(SAMPLE, "film-reviews.xml")
    assert run("convert", "export.zip", "--out", "site", "-q", cwd=tmp_path).returncode == 0
    assert files(tmp_path / "site") == expected


def _one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize("name,data,says", [
    ("photo.xml", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(200), "photo.xml: this is a JPEG image, not a WordPress"),
    ("export.xml", b"%PDF-1.7\n" + bytes(100), "export.xml: this is a PDF document, not a WordPress export"),
    ("export.xml.gz", gzip.compress(b"\x89PNG\r\n\x1a\n" + bytes(100)),
     "export.xml.gz: this is gzip-compressed data holding a PNG image, not a WordPress export"),
    ("backup.xml", b"-- MySQL dump 10.13\nCREATE TABLE wp_posts (\n", "this is an SQL dump (a database backup)"),
    ("export.xml.gz", gzip.compress(SAMPLE.read_bytes())[:2000], "export.xml.gz: the compressed data is damaged"),
], ids=["jpeg", "pdf", "gzipped-png", "sql", "cut-gzip"])
def test_a_file_that_is_no_export_gets_one_line_saying_what_it_is(tmp_path, name, data, says):
    (tmp_path / name).write_bytes(data)
    for command in (["convert", name, "--out", "site"], ["inspect", name]):
        line = _one_line_error(run(*command, cwd=tmp_path))
        assert says in line
    assert not (tmp_path / "site").exists()


def test_a_zip_without_an_export_says_what_it_holds(tmp_path):
    with zipfile.ZipFile(tmp_path / "photos.zip", "w") as z:
        z.writestr("a.jpg", b"\xff\xd8\xff\xe0")
        z.writestr("notes.xml", "<notes/>")
    line = _one_line_error(run("convert", "photos.zip", "--out", "site", cwd=tmp_path))
    assert "photos.zip: a zip archive with no WordPress export inside (it holds: a.jpg, notes.xml)" in line
    assert not (tmp_path / "site").exists()


def test_an_error_in_a_zipped_export_names_the_zip_and_the_file(tmp_path):
    with zipfile.ZipFile(tmp_path / "export.zip", "w") as z:
        z.writestr("site.xml", SAMPLE.read_bytes()[:20000])  # cut off
    line = _one_line_error(run("convert", "export.zip", "--out", "site", cwd=tmp_path))
    assert line.startswith("wp-migrate: error: export.zip:site.xml:")
    assert "not well-formed XML" in line


def _bomb_xml(spaces: int) -> bytes:
    """A WXR file that is almost all one comment of spaces: it compresses some thousand times."""
    return (b'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/">'
            b"<channel><wp:wxr_version>1.2</wp:wxr_version><!--" + b" " * spaces + b"--></channel></rss>\n")


LIMIT = "if it is a real export, raise the limit: WP_MIGRATE_MAX_EXPORT_MB="


def test_a_gzip_bomb_is_refused_and_the_limit_can_be_raised(tmp_path):
    (tmp_path / "bomb.xml.gz").write_bytes(gzip.compress(_bomb_xml(30_000_000), 9))  # 30 MB in 30 KB
    line = _one_line_error(run("convert", "bomb.xml.gz", "--out", "site", cwd=tmp_path))
    assert ("bomb.xml.gz: it decompresses to over 100 times its compressed size: a decompression bomb?" in line
            and LIMIT in line), line
    assert not (tmp_path / "site").exists()
    # A lowered limit: the same for a plain size.
    (tmp_path / "big.xml.gz").write_bytes(gzip.compress(_bomb_xml(3_000_000)))
    line = _one_line_error(run("convert", "big.xml.gz", "--out", "site", cwd=tmp_path,
                               env={"WP_MIGRATE_MAX_EXPORT_MB": "2"}))
    assert "big.xml.gz: it decompresses to over 2 MB, the limit for an export" in line and LIMIT in line, line
    # The user says the export is real: read.
    result = run("inspect", "bomb.xml.gz", cwd=tmp_path, env={"WP_MIGRATE_MAX_EXPORT_MB": "50"})
    assert result.returncode == 0, result.stderr
    assert "items: 0" in result.stdout


def test_a_zip_bomb_is_refused_from_its_declared_size_before_extracting(tmp_path):
    with zipfile.ZipFile(tmp_path / "bomb.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("site.xml", _bomb_xml(30_000_000))
    line = _one_line_error(run("convert", "bomb.zip", "--out", "site", cwd=tmp_path))
    assert "bomb.zip: site.xml decompresses to over 100 times its compressed size: a decompression bomb?" in line
    # A zip declaring 2 GB for a member of a few bytes: refused from what it declares (read, it would be damaged).
    with zipfile.ZipFile(tmp_path / "liar.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("site.xml", _bomb_xml(10_000))
    data = bytearray((tmp_path / "liar.zip").read_bytes())
    for signature, at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):  # local header, central directory: file size
        start = data.index(signature)
        data[start + at:start + at + 4] = (2_000_000_000).to_bytes(4, "little")
    (tmp_path / "liar.zip").write_bytes(bytes(data))
    line = _one_line_error(run("convert", "liar.zip", "--out", "site", cwd=tmp_path,
                               env={"WP_MIGRATE_MAX_EXPORT_MB": "100"}))
    assert "liar.zip: site.xml decompresses to over 100 MB, the limit for an export" in line and LIMIT in line
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("compressed", [False, True], ids=["xml", "gzip"])
def test_standard_input_over_the_limit_is_refused(tmp_path, compressed):
    data = _bomb_xml(3_000_000)
    result = run("convert", "-", "--out", "site", cwd=tmp_path, stdin=gzip.compress(data) if compressed else data,
                 env={"WP_MIGRATE_MAX_EXPORT_MB": "2"})
    line = _one_line_error(result)
    assert f"standard input: {'it decompresses to' if compressed else 'it holds'} over 2 MB, the limit" in line
    assert not (tmp_path / "site").exists()
