"""The folder ``convert`` writes builds a whole site with a plain ``hugo`` or ``jekyll build`` and nothing added:
the minimal theme (migrate/theme) is written beside the configuration when the folder has no templates of its
own — only where missing, recorded so that a re-run changes nothing, shown by a dry run — and its pages escape
what comes from commenters."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest

from migrate.extract.wxr import read_wxr
from migrate.theme import theme_files
from migrate.transform.classify import skip_reason
from migrate.transform.frontmatter import old_path, parse_document

from .conftest import SAMPLE
from .sitebuild import hugo_command, jekyll_command, read_built
from .wxrfactory import item, write_wxr

LAYOUTS = ("hugo", "jekyll")
_ID = re.compile(r'<meta name="wp-migrate-id" content="([0-9]+)">')
_PLAIN = re.compile(r"[A-Za-z][A-Za-z ,]{40,}")  # plain words of a post's body: the same in Markdown and HTML


def wp_migrate(*args: object) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([sys.executable, "-m", "migrate", *map(str, args)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def plain_build(site: Path, layout: str) -> Path:
    """Build ``site`` as a user would, in the folder, with no option: ``hugo`` / ``jekyll build``."""
    cmd = [hugo_command()] if layout == "hugo" else [jekyll_command(), "build"]
    result = subprocess.run(cmd, cwd=site, capture_output=True, text=True, timeout=300,
                            env={**os.environ, "LC_ALL": "C.UTF-8", "HUGO_CACHEDIR": str(site.parent / "cache")})
    assert result.returncode == 0, result.stdout + result.stderr
    log = result.stdout + result.stderr
    assert "WARN" not in log and "Warning" not in log and "deprecated" not in log, log
    return site / ("public" if layout == "hugo" else "_site")


def snapshot(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()
            and p.relative_to(site).parts[0] not in (".wp-migrate", "public", "_site")}


def published_posts(site: Path, summary_paths: dict[int, Path]) -> dict[int, tuple[str, str]]:
    """Published posts of the sample: id → (title, a run of plain words from its body)."""
    found = {}
    for post in read_wxr(SAMPLE).posts():
        if post.post_type != "post" or skip_reason(post) or not post.is_public:
            continue
        front, body = parse_document(summary_paths[post.id].read_text("utf-8"))
        words = _PLAIN.search(body)
        assert words, post.id
        found[post.id] = (str(front["title"]), words.group(0).strip())
    return found


def document_paths(site: Path) -> dict[int, Path]:
    paths = {}
    for path in site.rglob("*.md"):
        if path.relative_to(site).parts[0] in ("public", "_site", ".wp-migrate"):
            continue
        front, _ = parse_document(path.read_text("utf-8"))
        if isinstance(front.get("wordpress_id"), int):
            paths[front["wordpress_id"]] = path
    return paths


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_plain_build_of_the_converted_folder_is_the_whole_site(tmp_path: Path, layout: str) -> None:
    site = tmp_path / "site"
    first = wp_migrate("convert", SAMPLE, "--out", site, "--layout", layout).stdout
    assert "minimal theme" in first
    written = {name for name, _text in theme_files(layout)}
    assert written and all((site / name).is_file() for name in written)
    public = plain_build(site, layout)

    posts = published_posts(site, document_paths(site))
    assert len(posts) == 7
    pages: dict[int, list[Path]] = {}
    for page in public.rglob("*.html"):
        for wpid in _ID.findall(page.read_text("utf-8")):
            pages.setdefault(int(wpid), []).append(page)
    for post_id, (title, words) in posts.items():
        assert len(pages.get(post_id, [])) == 1, (post_id, pages.get(post_id))
        text = html.unescape(pages[post_id][0].read_text("utf-8"))
        assert f"<title>{title}</title>" in text and f"<h1>{title}</h1>" in text
        assert words in text, (post_id, words)

    built = read_built(public)
    assert built.pages["/"][0] == "home"
    home = (public / "index.html").read_text("utf-8")
    listed = {unquote(href) for href in re.findall(r'<a href="([^"]+)"', home)}
    own = {wpid: urls[0] for wpid, urls in built.by_id().items()}
    assert all(unquote(own[post_id]) in listed for post_id in posts), "the home page lists every post"

    # Every old URL of a published post leads to its page (Hugo: an alias page; Jekyll keeps the URL).
    paths = document_paths(site)
    for post in read_wxr(SAMPLE).posts():
        if post.id in posts:
            old = old_path(post.link)
            assert old and built.follow(old) == own[post.id], (post.id, old)
            front, _ = parse_document(paths[post.id].read_text("utf-8"))
            for alias in front.get("aliases") or front.get("redirect_from") or []:
                assert built.follow(alias) == own[post.id], (post.id, alias)

    before = snapshot(site)
    again = wp_migrate("convert", SAMPLE, "--out", site, "--layout", layout).stdout
    assert "0 new, 13 unchanged" in again and "\n  wrote " not in again and "theme" not in again, again
    assert snapshot(site) == before
    manifest = (site / ".wp-migrate" / "manifest.jsonl").read_text("utf-8")
    assert all(f'"path": "{name}"' in manifest for name in written), "recorded: sync keeps them"


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_dry_run_shows_the_theme_and_writes_nothing(tmp_path: Path, layout: str) -> None:
    site = tmp_path / "site"
    out = wp_migrate("convert", SAMPLE, "--out", site, "--layout", layout, "--dry-run").stdout
    assert "would write a minimal theme" in out
    assert all(name in out for name, _text in theme_files(layout))
    assert not any((site / name).exists() for name, _text in theme_files(layout))


def test_a_jekyll_home_page_of_the_users_is_kept(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.md").write_text("---\ntitle: Home\n---\nMine.\n", "utf-8")
    wp_migrate("convert", SAMPLE, "--out", site, "--layout", "jekyll")
    assert (site / "_layouts" / "post.html").is_file() and not (site / "index.html").exists()
    assert "Mine." in (plain_build(site, "jekyll") / "index.html").read_text("utf-8")


@pytest.mark.parametrize("layout,own", [("hugo", "layouts/_default/single.html"), ("hugo", "themes/ananke/theme.toml"),
                                        ("hugo", "hugo.toml"), ("jekyll", "_layouts/default.html"),
                                        ("jekyll", "_config.yml")])
def test_a_folder_with_its_own_templates_gets_none(tmp_path: Path, layout: str, own: str) -> None:
    site = tmp_path / "site"
    (site / own).parent.mkdir(parents=True)
    text = {"hugo.toml": 'title = "Mine"\ntheme = "ananke"\n', "_config.yml": "title: Mine\ntheme: minima\n"}
    (site / own).write_text(text.get(own, "mine\n"), "utf-8")
    out = wp_migrate("convert", SAMPLE, "--out", site, "--layout", layout).stdout
    assert "theme" not in out
    assert not any((site / name).exists() for name, _text in theme_files(layout) if name != own)
    assert (site / own).read_text("utf-8") == text.get(own, "mine\n")
    if layout == "jekyll" and own != "_config.yml":
        assert "defaults" not in (site / "_config.yml").read_text("utf-8")


def test_a_theme_file_the_user_edited_stays_and_a_removed_one_comes_back(tmp_path: Path) -> None:
    site = tmp_path / "site"
    wp_migrate("convert", SAMPLE, "--out", site)
    single = site / "layouts" / "_default" / "single.html"
    single.write_text("{{ define \"main\" }}mine{{ end }}\n", "utf-8")
    (site / "layouts" / "_default" / "list.html").unlink()
    out = wp_migrate("convert", SAMPLE, "--out", site).stdout
    assert single.read_text("utf-8") == "{{ define \"main\" }}mine{{ end }}\n"
    assert (site / "layouts" / "_default" / "list.html").is_file()
    assert "layouts/_default/list.html" in out and "layouts/_default/single.html" not in out


def _hostile_export(path: Path) -> Path:
    comment = ("<wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_author><![CDATA[<b>Eve</b>]]>"
               "</wp:comment_author><wp:comment_author_url>javascript:alert(2)</wp:comment_author_url>"
               "<wp:comment_date>2020-01-02 11:00:00</wp:comment_date>"
               "<wp:comment_date_gmt>2020-01-02 10:00:00</wp:comment_date_gmt>"
               "<wp:comment_content><![CDATA[Nice <script>alert(1)</script> <img src=x onerror=alert(3)>]]>"
               "</wp:comment_content><wp:comment_approved>1</wp:comment_approved><wp:comment_type>comment"
               "</wp:comment_type><wp:comment_parent>0</wp:comment_parent><wp:comment_user_id>0</wp:comment_user_id>"
               "</wp:comment>")
    return write_wxr(path, [item(1, "Title &lt;script&gt;alert(4)&lt;/script&gt;", slug="hostile",
                                 content="<p>Body words.</p>", extra=comment)])


@pytest.mark.parametrize("layout", LAYOUTS)
def test_comments_and_titles_are_shown_as_text(tmp_path: Path, layout: str) -> None:
    site = tmp_path / "site"
    wp_migrate("convert", _hostile_export(tmp_path / "hostile.xml"), "--out", site, "--layout", layout)
    (doc,) = document_paths(site).values()
    front, _ = parse_document(doc.read_text("utf-8"))
    assert front["comments"], "the comment is in the front matter"
    public = plain_build(site, layout)
    (page,) = [p for p in public.rglob("*.html") if _ID.search(p.read_text("utf-8"))]
    text = page.read_text("utf-8")
    assert "Body words." in text and "Nice" in text and "Eve" in text
    assert "<script" not in text and "<img src=x" not in text and "<b>Eve" not in text
    assert "javascript:" not in text.lower()
    assert "&lt;script&gt;alert(4)" in text or "&lt;script&gt;alert(4)" in text.replace("&#43;", "+")


def test_a_jekyll_config_of_the_users_without_layouts_is_told_what_to_add(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "_config.yml").write_text("title: Mine\n", "utf-8")
    out = wp_migrate("convert", SAMPLE, "--out", site, "--layout", "jekyll").stdout
    assert (site / "_config.yml").read_text("utf-8") == "title: Mine\n"
    assert (site / "_layouts" / "post.html").is_file()
    assert "_config.yml gives posts and pages no layout" in out
