"""One list of reserved front-matter keys, one vocabulary of outcomes: each defined once and used everywhere."""

from __future__ import annotations

import json
from datetime import datetime
from types import SimpleNamespace

import pytest

from migrate import pipeline
from migrate.context import Context, Options
from migrate.errors import RuleError
from migrate.model import RESERVED_KEYS, Author, Comment, ExportIndex, Meta, Post, Site, TermRef
from migrate.publish import LocalDoc, Publisher
from migrate.report import OUTCOMES, WORDS, Report
from migrate.report_html import to_html
from migrate.rules import load_rules
from migrate.transform.frontmatter import taxonomy_key


def rich_post() -> Post:
    """A post that makes ``convert`` write every standard key it has."""
    return Post(
        id=7, title="Everything", link="https://example.org/2020/01/everything/", author="ana",
        content="<p>Uses {{ site.title }} and more.</p><!--more--><p>Rest.</p>", excerpt="",
        date=datetime(2020, 1, 2, 3, 4, 5), modified=datetime(2021, 1, 2, 3, 4, 5), slug="everything",
        status="private", post_type="page", menu_order=3, password="pw", sticky=True,
        terms=(TermRef("category", "news", "News"), TermRef("post_tag", "x", "X"),
               TermRef("post_format", "post-format-aside", "Aside"), TermRef("genre", "drama", "Drama")),
        meta=(Meta("_thumbnail_id", "9"),),
        comments=(Comment(id=1, author="Bo", content="Nice.", date=datetime(2020, 1, 3)),),
    )


@pytest.mark.parametrize("layout", ["hugo", "jekyll"])
def test_every_standard_key_convert_writes_is_reserved(layout):
    site = Site(title="S", link="https://example.org", authors=(Author("ana", "Ana"),))
    index = ExportIndex(attachment_urls={9: "https://example.org/wp-content/uploads/a.jpg"},
                        tree={7: ("everything", 0, "page")})
    ctx = Context(site=site, index=index, options=Options(layout=layout))
    post, front = pipeline.transform(rich_post(), ctx)
    lay = pipeline.make_layout(layout, index, site)
    written = set(lay.adapt(front, post, lay.path(post)))
    assert {"title", "comments", "featured_image", "wordpress_id", "weight", "format"} <= written  # (all there)
    if layout == "jekyll":
        assert {"render_with_liquid", "published", "redirect_from", "permalink"} <= written
    assert written - {"genre"} <= RESERVED_KEYS


@pytest.mark.parametrize("key", sorted(RESERVED_KEYS))
def test_a_reserved_key_is_refused_to_rules_renamed_for_taxonomies_and_not_published(key, tmp_path):
    rules = tmp_path / "r.yaml"
    rules.write_text(f"fields:\n  - key: {key}\n    labels: [SOMETHING]\n", encoding="utf-8")
    with pytest.raises(RuleError, match=key):
        load_rules([rules], defaults=False)
    if key not in ("categories", "tags"):
        assert taxonomy_key(key) == f"taxonomy_{key}"
    doc = LocalDoc("a.md", "", {"title": "T", key: "x"}, "body")
    view = Publisher.local_view(SimpleNamespace(taxonomies={}, prefix="wp_migrate_"), doc)  # type: ignore[arg-type]
    assert view.fields == {}  # never sent as a custom field
    other = LocalDoc("a.md", "", {"title": "T", "rating": 4}, "body")
    assert Publisher.local_view(SimpleNamespace(taxonomies={}, prefix="wp_"), other).fields == {"wp_rating": "4"}  # type: ignore[arg-type]


@pytest.mark.parametrize("dry_run", [False, True])
def test_terminal_html_and_json_reports_say_the_same_outcomes(dry_run):
    report = Report(source="x.xml", dry_run=dry_run)
    for n, outcome in enumerate(OUTCOMES):
        report.add(outcome, id=n, title=f"post {n}", post_type="post", path=f"p{n}.md", reason="because")
    summary = report.summary_lines()[0]
    page = to_html(report)
    data = json.loads(report.to_json())
    assert list(data["counts"]) == list(OUTCOMES) and all(data["counts"][o] == 1 for o in OUTCOMES)
    assert sorted(item["outcome"] for item in data["entries"]) == sorted(OUTCOMES)
    for outcome in OUTCOMES:
        word = WORDS[dry_run][outcome]
        assert f"1 {word}" in summary
        assert f"<b>1</b> {word}</li>" in page
    assert "> changed</li>" not in page and "would change</li>" not in page
