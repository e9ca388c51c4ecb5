"""The site Hugo and Jekyll build from the folder is exactly the published posts: one page each, at its own URL,
with its own title; every old URL leads to it; the home page is the generator's. Judged by the real generators
over the sample, every corpus export, and a made-up export of troublesome names (tests/troublesome.py)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from migrate import pipeline
from migrate.extract.wxr import read_wxr
from migrate.load.urls import site_path, url_key
from migrate.transform.classify import skip_reason
from migrate.transform.frontmatter import old_path, parse_document

from .conftest import SAMPLE, corpus_files
from .sitebuild import Built, build
from .troublesome import write_troublesome
from .wxrfactory import item, write_wxr

EXPORTS = [pytest.param("sample", id="sample"), pytest.param("troublesome", id="troublesome")] + [
    pytest.param(path.name, id=path.stem) for path in corpus_files()]


class Converted:
    """One export converted and built: the built site, and what the export says should be in it."""

    def __init__(self, export: Path, layout: str, folder: Path) -> None:
        site = folder / "site"
        report = pipeline.convert(read_wxr(export), site, layout=layout)
        assert report.counts["failed"] == 0
        paths = {e.id: e.path for e in report.entries if e.path and e.outcome in ("new", "updated", "unchanged")}
        self.published: dict[int, str] = {}  # id → its title (as the front matter has it)
        self.old_urls: dict[int, str] = {}  # id → the path of its WordPress permalink
        self.aliases: dict[int, list[str]] = {}
        for post in read_wxr(export).posts():
            if skip_reason(post) or not post.is_public or post.id not in paths:
                continue
            front, _ = parse_document((site / paths[post.id]).read_text("utf-8"))
            self.published[post.id] = str(front["title"])
            self.aliases[post.id] = list(front.get("aliases") or front.get("redirect_from") or [])
            old = old_path(post.link)
            if old and site_path(old):
                self.old_urls[post.id] = site_path(old)  # type: ignore[assignment]
        self.built: Built = build(site, layout, folder / "public", base_path=urlsplit(read_wxr(export).site.link).path)
        # Old URLs are the old site's: it lived under the same path the new one is served from.
        base = urlsplit(read_wxr(export).site.link).path.rstrip("/")
        self.old_urls = {i: site_path(p[len(base):]) or "/" for i, p in self.old_urls.items() if p.startswith(base + "/")}


def _export_path(name: str, folder: Path) -> Path:
    if name == "sample":
        return SAMPLE
    if name == "troublesome":
        return write_troublesome(folder / "troublesome.xml")
    return Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / name


@pytest.fixture(scope="module", params=[(e, layout) for e in EXPORTS for layout in ("hugo", "jekyll")],
                ids=lambda p: f"{p[0].id}-{p[1]}")
def converted(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Converted:
    param, layout = request.param
    name = param.values[0]
    folder = tmp_path_factory.mktemp(f"{name}-{layout}")
    return Converted(_export_path(name, folder), layout, folder)


def test_every_published_post_is_one_page_with_its_title(converted: Converted) -> None:
    built = converted.built
    by_id = built.by_id()
    assert converted.published, "the export has published posts"
    assert sorted(by_id) == sorted(converted.published), "built pages are exactly the published posts and pages"
    assert {i: len(urls) for i, urls in by_id.items() if len(urls) != 1} == {}, "one page per post"
    assert sum(1 for _k, wpid, _t in built.pages.values() if wpid is not None) == len(converted.published)
    for post_id, title in converted.published.items():
        (url,) = by_id[post_id]
        assert built.pages[url][2] == title, (post_id, url)


def test_the_generator_reports_no_clash(converted: Converted) -> None:
    log = converted.built.log
    assert "Duplicate target paths" not in log and "Conflict:" not in log and "ERROR" not in log, log
    assert "deprecated" not in log, log  # (Hugo 0.158+ warns of languageCode: the config says locale)


def test_home_page_is_the_generators(converted: Converted) -> None:
    assert converted.built.pages["/"][0] == "home"
    assert "/" not in converted.built.redirects


def test_every_old_url_leads_to_its_page(converted: Converted) -> None:
    built = converted.built
    own = {post_id: urls[0] for post_id, urls in built.by_id().items()}
    for post_id, aliases in converted.aliases.items():
        for alias in aliases:
            assert built.follow(alias) == own[post_id], (post_id, alias)
    lost = []
    for post_id, old in converted.old_urls.items():
        reached = built.follow(old)
        if reached == own[post_id]:
            continue
        # Given up only where something else must be: the home page, another post's page, a generator's list page.
        taken = url_key(old) == "" or (reached is not None and built.pages[reached][1] != post_id)
        if not taken:
            lost.append((post_id, old, reached))
    assert lost == []


def test_jekyll_shows_and_links_a_post_under_the_day_it_was_written(tmp_path: Path) -> None:
    """A site at UTC-7: an evening post is on its own day in the URL and on the page, not on the next (UTC) day."""
    export = write_wxr(tmp_path / "west.xml", [
        item(i, f"Evening {i}", slug=f"evening-{i}", date=f"2020-01-0{i} 20:22:00", date_gmt=f"2020-01-0{i + 1} 03:22:00")
        for i in (1, 2, 3)])
    report = pipeline.convert(read_wxr(export), tmp_path / "site", layout="jekyll")
    assert report.counts["new"] == 3
    assert "timezone: Etc/GMT+7" in (tmp_path / "site" / "_config.yml").read_text("utf-8")
    built = build(tmp_path / "site", "jekyll", tmp_path / "public")
    assert {url: built.dates[url] for url in built.pages if url != "/"} == {
        f"/2020/01/0{i}/evening-{i}/": f"2020-01-0{i} 20:22" for i in (1, 2, 3)}


@pytest.mark.parametrize("layout", ["hugo", "jekyll"])
def test_comments_data_files_are_never_published(tmp_path: Path, layout: str) -> None:
    """--comments data-file: the data goes where the generator reads it but never copies it to the site (the
    comments of drafts and password-protected posts included)."""
    from migrate.pipeline import Options

    site = tmp_path / "site"
    pipeline.convert(read_wxr(SAMPLE), site, layout=layout, options=Options(layout=layout, comments="data-file"))
    data = list(site.rglob("*.comments.yaml")) + list((site / ("data" if layout == "hugo" else "_data")).rglob("*.y*ml"))
    assert data, "the sample has comments"
    built = build(site, layout, tmp_path / "public")
    published = [p.relative_to(built.public).as_posix() for p in built.public.rglob("*") if p.suffix in (".yaml", ".yml")]
    assert published == []
