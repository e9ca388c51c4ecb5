"""A made-up export of unusual but legal names: every one has taken over a page, a folder or the whole site
of an earlier version's output. Each item's title is its own, so a built page shows whose it is."""

from __future__ import annotations

from pathlib import Path

from .wxrfactory import item, write_wxr

SITE = "https://films.example.org"


def _items() -> list[str]:
    items = [
        # Duplicate slugs, and twins that differ only in case or Unicode form (NFC "é" / NFD "e" + U+0301).
        item(1, "Footnotes one", slug="footnotes"),
        item(2, "Footnotes two", slug="footnotes", link=f"{SITE}/2020/01/02/footnotes-2/"),
        item(3, "Footnotes in capitals", slug="Footnotes", link=f"{SITE}/2020/01/02/footnotes-3/"),
        item(4, "Café composed", slug="caf%c3%a9"),
        item(5, "Café decomposed", slug="cafe\u0301", link=f"{SITE}/2020/01/02/cafe-decomposed/"),
        # Names the generators treat specially.
        item(6, "Post called index", slug="index"),
        item(7, "Post called _index", slug="_index"),
        item(8, "Page called index", slug="index", post_type="page", link=f"{SITE}/index/"),
        item(9, "Page called _index", slug="_index", post_type="page", link=f"{SITE}/_index/"),
        item(10, "Post called dot-dot", slug="..", link=f"{SITE}/?p=10"),
        item(11, "Page called dot-dot", slug="..", post_type="page", link=f"{SITE}/?page_id=11"),
        item(12, "Page called posts", slug="posts", post_type="page", link=f"{SITE}/posts/"),
        item(13, "Page called tags", slug="tags", post_type="page", link=f"{SITE}/tags/"),
        item(14, "Page called page", slug="page", post_type="page", link=f"{SITE}/page/"),
        # Old links that name the home page, or the new URL of another post.
        item(15, "Old link was the home page", slug="home-link", link=f"{SITE}/index.html"),
        item(16, "Old link was another post's new page", slug="thief", link=f"{SITE}/posts/footnotes/"),
        item(17, "Old link climbs out of the site", slug="climber", link=f"{SITE}/../../etc/"),
        # Post types whose folders are Jekyll's own (_layouts, _plugins, _data, _posts).
        item(18, "A layouts item", slug="default", post_type="layouts", link=f"{SITE}/layouts/default/"),
        item(19, "A plugins item", slug="evil", post_type="plugins", link=f"{SITE}/plugins/evil/"),
        item(20, "A data item", slug="comments", post_type="data", link=f"{SITE}/data/comments/"),
        item(21, "A posts item", slug="2020-01-02-fake", post_type="posts", link=f"{SITE}/posts/2020-01-02-fake/"),
        # Hierarchical pages, a page and a post with the same slug, a page without children with a parent's name.
        item(30, "About us", slug="about", post_type="page", link=f"{SITE}/about/"),
        item(31, "The team", slug="team", post_type="page", parent=30, link=f"{SITE}/about/team/"),
        item(32, "Ada on the team", slug="ada", post_type="page", parent=31, link=f"{SITE}/about/team/ada/"),
        item(33, "Team at the top", slug="team", post_type="page", link=f"{SITE}/team/"),
        item(34, "Another about", slug="about", post_type="page", link=f"{SITE}/about-2/"),
        item(35, "Hello page", slug="hello", post_type="page", link=f"{SITE}/hello/"),
        item(36, "Hello post", slug="hello"),
        item(37, "About team flat", slug="about-team", post_type="page", link=f"{SITE}/about-team/"),
        # Two posts with the same old link; old links that are another post's new URL in Jekyll (/Y/M/D/name/),
        # one before that post and one after it in the export.
        item(50, "Twin link one", slug="twin-one", link=f"{SITE}/2020/01/02/shared/"),
        item(51, "Twin link two", slug="twin-two", link=f"{SITE}/2020/01/02/shared/"),
        item(52, "Took a dated URL", slug="taker", link=f"{SITE}/2020/01/02/hello/"),
        item(53, "Took a later dated URL", slug="early-taker", link=f"{SITE}/2020/01/02/latecomer/"),
        item(54, "Latecomer", slug="latecomer", link=f"{SITE}/2020/01/02/latecomer-old/"),
        # Not published: never a page of the built site (one has a published post's slug).
        item(40, "Draft footnotes", slug="footnotes", status="draft", link=f"{SITE}/?p=40"),
        item(41, "Private page", slug="secret", status="private", post_type="page", link=f"{SITE}/?page_id=41"),
        item(42, "Trashed post", slug="gone__trashed", status="trash", link=f"{SITE}/?p=42"),
        item(43, "Scheduled post", slug="later", status="future", link=f"{SITE}/?p=43"),
    ]
    return items


def write_troublesome(path: Path) -> Path:
    """Write the export at ``path``."""
    return write_wxr(path, _items())
