"""--redirects FILE: every old URL of the sample to its new page, in each format; Hugo's build holds every target."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from migrate.cli import cli
from migrate.verify import _exists, build, find_hugo

from .conftest import SAMPLE

JURASSIC = "/2015/01/12/top-365-films-12-jurassic-park-1993/"
JURASSIC_NEW = "/posts/top-365-films-12-jurassic-park-1993/"


def convert(tmp_path: Path, name: str, *args: str) -> tuple[Path, str]:
    target = tmp_path / "deploy" / name
    target.parent.mkdir(exist_ok=True)
    result = CliRunner().invoke(cli, ["convert", str(SAMPLE), "-o", str(tmp_path / "site"), "--jobs", "1",
                                      "--redirects", str(target), *args])
    assert result.exit_code == 0, result.output
    return target, result.output


def test_each_format_by_its_file_name(tmp_path: Path) -> None:
    netlify, output = convert(tmp_path, "_redirects")
    assert f"redirects to {netlify} (netlify)" in output
    lines = netlify.read_text("utf-8").splitlines()
    assert f"{JURASSIC} {JURASSIC_NEW} 301" in lines
    assert f"/ p=17 {JURASSIC_NEW} 301" in lines
    assert "/ page_id=2 /about/ 301" in lines
    assert "/category/reviews/ /categories/reviews/ 301" in lines
    assert "/feed/ /index.xml 301" in lines

    rows = list(csv.reader(convert(tmp_path, "redirects.csv")[0].open(encoding="utf-8")))
    assert rows[0] == ["from", "to"] and [JURASSIC, JURASSIC_NEW] in rows

    apache = convert(tmp_path, ".htaccess")[0].read_text("utf-8")
    assert "RewriteEngine On" in apache
    assert r"RewriteRule ^2015/01/12/top\-365\-films\-12\-jurassic\-park\-1993/?$ " + JURASSIC_NEW + " [R=301,L]" \
        in apache
    assert "RewriteCond %{QUERY_STRING} ^page_id=2$\nRewriteRule ^$ /about/? [R=301,L]" in apache

    nginx = convert(tmp_path, "redirects.conf")[0].read_text("utf-8")
    assert f'    "{JURASSIC}" "{JURASSIC_NEW}";' in nginx and '    "/?page_id=2" "/about/";' in nginx
    assert nginx.rstrip().endswith("}")

    other, output = convert(tmp_path, "moves.txt", "--redirects-format", "csv")
    assert other.read_text("utf-8").startswith("from,to\n")


def test_a_name_that_says_no_format_is_refused_before_the_run(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["convert", str(SAMPLE), "-o", str(tmp_path / "site"),
                                      "--redirects", str(tmp_path / "moves.txt")])
    assert result.exit_code == 2
    assert "cannot tell the format from the file name" in result.output
    assert not (tmp_path / "site").exists()


def test_jekyll_keeps_post_urls_so_they_need_no_redirect(tmp_path: Path) -> None:
    target, _ = convert(tmp_path, "_redirects", "--layout", "jekyll")
    text = target.read_text("utf-8")
    assert not any(line.startswith(JURASSIC + " ") for line in text.splitlines())
    assert "/ p=17 /2015/01/12/top-365-films-12-jurassic-park-1993/ 301" in text  # ?p=ID still leads to the post


@pytest.mark.skipif(not find_hugo(), reason="hugo is not installed")
def test_every_redirect_leads_to_a_page_hugo_builds(tmp_path: Path) -> None:
    target, _ = convert(tmp_path, "redirects.csv")
    with tempfile.TemporaryDirectory() as work:
        dest = Path(work) / "public"
        build(tmp_path / "site", "hugo", dest, Path(work))
        rows = list(csv.reader(target.open(encoding="utf-8")))[1:]
        local = [(old, new) for old, new in rows if new.startswith("/")]
        assert len(local) > 30
        nowhere = [(old, new) for old, new in local if not _exists(dest, new)]
        assert nowhere == []
