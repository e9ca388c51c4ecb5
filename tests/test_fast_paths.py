"""Every fast path gives what its reference gives, checked while real exports convert (WP_MIGRATE_CHECK_FAST=1).

With the switch on, each call of a fast path (migrate/fastpath.py lists them) also runs its reference and raises
on any difference, so a conversion of the sample and of every corpus export with no failed post is a comparison
of both ways on each post, comment and excerpt they hold. A fast path made to give something else is caught.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from migrate import fastpath, pipeline
from migrate.extract import itemreader, wxr
from migrate.extract.wxr import read_wxr
from migrate.transform import autop, boilerplate, comments, quickblocks, soup, yamlwriter

from .conftest import ROOT, corpus_files, needs_corpus

FAST_PATHS = {"quickblocks.html_to_markdown", "soup.parse_html", "yamlwriter.dump_yaml", "itemreader.read_item", "autop._autop_inline",
              "boilerplate.remove_html", "content.plain_prose_markdown"}
EXPORTS = sorted((ROOT / "exports").glob("*.xml"))


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """The switch on, in this process and in the workers it starts; the checks made in this process, by name."""
    monkeypatch.setenv(fastpath.ENV, "1")
    monkeypatch.setattr(fastpath, "CHECK", True)
    made: Counter[str] = Counter()
    real = fastpath.check

    def counted(name: str, given: object, fast: object, reference: Any) -> object:
        made[name] += 1
        return real(name, given, fast, reference)

    monkeypatch.setattr(fastpath, "check", counted)
    return made


def convert_checked(path: Path, out: Path, **kw: object) -> pipeline.Report:
    report = pipeline.convert(read_wxr(path), out, **kw)  # type: ignore[arg-type]
    failed = [(e.title, e.reason) for e in report.entries if e.outcome == "failed"]
    assert failed == []  # a FastPathMismatch fails its post, with the difference as the reason
    assert report.counts["new"] > 0
    return report


@pytest.mark.parametrize("layout", ["hugo", "jekyll"])
@pytest.mark.parametrize("path", EXPORTS, ids=lambda p: p.name)
def test_the_sample_with_every_fast_path_checked(checked: Counter[str], tmp_path: Path, path: Path,
                                                 layout: str) -> None:
    convert_checked(path, tmp_path / "site", layout=layout)
    assert set(checked) == FAST_PATHS, checked  # each of them met on the way


def test_workers_check_too(checked: Counter[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    convert_checked(EXPORTS[0], tmp_path / "site", jobs=2)


@needs_corpus
@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_the_corpus_with_every_fast_path_checked(checked: Counter[str], tmp_path: Path, path: Path) -> None:
    convert_checked(path, tmp_path / "site")


def test_the_switch_is_off_unless_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    for value, on in (("", False), ("0", False), ("1", True)):
        monkeypatch.setenv(fastpath.ENV, value)
        assert fastpath._from_env() is on
    monkeypatch.delenv(fastpath.ENV)
    assert fastpath._from_env() is False


def _wrong(text: object) -> object:
    return text + "x" if isinstance(text, str) else text


def test_a_wrong_fast_path_is_caught(checked: Counter[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Each fast path, made to give something else, raises FastPathMismatch naming it."""
    monkeypatch.setattr(comments, "plain_prose_markdown", lambda text: "other")
    with pytest.raises(fastpath.FastPathMismatch, match="plain_prose"):
        comments.comment_markdown("Plain words.")

    monkeypatch.setattr(quickblocks, "_quick_text", lambda html, converter: "other")
    with pytest.raises(fastpath.FastPathMismatch, match="quickblocks"):
        quickblocks.html_to_markdown("<p>one</p>")

    monkeypatch.setattr(yamlwriter, "_dump_fast", lambda data: "title: other\n")
    with pytest.raises(fastpath.FastPathMismatch, match="yamlwriter.dump_yaml"):
        yamlwriter.dump_yaml({"title": "one"})

    real_parse = soup._parse_html
    monkeypatch.setattr(soup, "_parse_html", lambda html: real_parse(html.replace("a", "b")))
    with pytest.raises(fastpath.FastPathMismatch, match="soup.parse_html"):
        soup.parse_html("<p>a</p>")

    monkeypatch.setattr(autop, "_autop_inline", lambda text, br: "<p>other</p>\n")
    with pytest.raises(fastpath.FastPathMismatch, match="autop"):
        autop.wpautop("one\n\ntwo")

    monkeypatch.setattr(boilerplate, "may_match", lambda html, plan: [])  # the word search finds nothing
    rules = [boilerplate.HtmlRule("share", ".sharedaddy")]
    with pytest.raises(fastpath.FastPathMismatch, match="boilerplate"):
        boilerplate.remove_html('<p>text</p><div class="sharedaddy">Share this</div>', rules)

    raw = next(iter(read_wxr(EXPORTS[0]).raw_posts() or []))
    real_read = itemreader.read_item

    def title_changed(data: bytes, shallow: object = ()) -> object:
        item = real_read(data, shallow)  # type: ignore[arg-type]
        assert item is not None
        fields = dict(item[0])
        fields["title"] = "changed"
        return item._replace(fields=fields)

    monkeypatch.setattr(wxr, "read_item", title_changed)
    with pytest.raises(fastpath.FastPathMismatch, match="itemreader"):
        wxr.parse_raw_item(raw)
