"""wp-migrate verify: the converted sample, built by Hugo (and Jekyll where installed), checked as a user would."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from migrate.cli import cli
from migrate.verify import find_hugo

from .conftest import SAMPLE

IMAGES = ("jurassic-park-gates.jpg", "jurassic-park-kitchen.jpg", "amelie-cafe.jpg")


def convert(out: Path, *args: str) -> None:
    result = CliRunner().invoke(cli, ["convert", str(SAMPLE), "-o", str(out), "--jobs", "1", *args])
    assert result.exit_code == 0, result.output


def verify(site: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["verify", str(site)])
    return result.exit_code, result.output


@pytest.fixture()
def uploads(tmp_path: Path) -> Path:
    folder = tmp_path / "uploads"
    (folder / "2015/01").mkdir(parents=True)
    for name in IMAGES:
        (folder / "2015/01" / name).write_bytes(b"\xff\xd8\xff\xe0" + name.encode() * 20)
    return folder


def generators() -> list:
    return [pytest.param("hugo", marks=pytest.mark.skipif(not find_hugo(), reason="hugo is not installed")),
            pytest.param("jekyll", marks=pytest.mark.skipif(not shutil.which("jekyll"),
                                                            reason="jekyll is not installed"))]


@pytest.mark.parametrize("layout", generators())
def test_media_left_on_the_old_host_are_found(tmp_path: Path, layout: str) -> None:
    convert(tmp_path / "site", "--layout", layout)
    code, output = verify(tmp_path / "site")
    assert code == 1, output
    assert "10 of 10 published posts and pages have their page" in output
    assert "points at the old host: 4" in output
    assert "https://popcornledger.files.wordpress.com/2015/01/amelie-cafe.jpg" in output
    assert "resolves to nothing: 0" in output


@pytest.mark.parametrize("layout", generators())
def test_a_site_converted_with_its_media_stands_alone(tmp_path: Path, uploads: Path, layout: str) -> None:
    site = tmp_path / "site"
    convert(site, "--layout", layout, "--media-from", str(uploads))
    code, output = verify(site)
    assert code == 0, output
    assert "points at the old host: 0" in output and "redirect leads nowhere: 0" in output
    # What a user would then break by hand is found: a missing file, a redirect to nowhere.
    static = site / ("static" if layout == "hugo" else "")
    (static / "wp-content/uploads/2015/01/amelie-cafe.jpg").unlink()
    (static / "moved.html").write_text('<!DOCTYPE html><html><head><meta http-equiv="refresh" '
                                       'content="0; url=/nowhere/"></head></html>', "utf-8")
    code, output = verify(site)
    assert code == 1, output
    assert "/wp-content/uploads/2015/01/amelie-cafe.jpg" in output.split("resolves to nothing:")[1]
    assert "/moved.html → /nowhere/" in output


def test_not_a_converted_folder(tmp_path: Path) -> None:
    code, output = verify(tmp_path)
    assert code == 2 and "neither a Hugo site" in output
