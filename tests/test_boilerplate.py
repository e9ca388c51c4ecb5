"""Boilerplate removal: the default rules on HTML and on pasted text, counted per rule and per post.

Golden cases: tests/cases/rules/<name>.md.txt (Markdown in, Markdown out, default text rules) and
<name>.html.txt (HTML in, HTML out, default HTML rules); the expected output follows ``=== expected ===``.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from migrate import pipeline
from migrate.cli import cli
from migrate.extract.wxr import read_wxr
from migrate.inspect import inventory
from migrate.rules import RuleSet, default_rules, load_rules
from migrate.transform.boilerplate import remove_html, remove_text
from migrate.transform.frontmatter import parse_document

from .conftest import ROOT, SAMPLE
from .wxrfactory import item, write_wxr

CASES = ROOT / "tests" / "cases" / "rules"
SEPARATOR = "\n=== expected ===\n"

#: Every line of the comment form, sharing, likes and related blocks the issue lists.
BOILERPLATE_LINES = [
    "Leave a Reply", "Fill in your details below or click an icon to log in:", "You are commenting using your",
    "Log Out", "Connecting to %s", "Notify me of new comments via email.", "Notify me of new posts via email.",
    "This site uses Akismet to reduce spam", "Share this:", "Like this:", "Like Loading...", "Loading...",
    "Be the first to like this.", "bloggers like this", "Related", "Blog at WordPress.com.", "Δ",
]


def _cases(suffix: str) -> list[Path]:
    return sorted(CASES.glob(f"*{suffix}"))


@pytest.mark.parametrize("case", _cases(".md.txt"), ids=lambda p: p.name)
def test_text_golden(case):
    given, expected = case.read_text("utf-8").split(SEPARATOR)
    given += "\n"
    text, counts, whole = remove_text(given, default_rules().text)
    assert text == expected
    assert whole == (case.name == "whole-body-kept.md.txt")
    assert bool(counts) == (text != given)


@pytest.mark.parametrize("case", _cases(".html.txt"), ids=lambda p: p.name)
def test_html_golden(case):
    given, expected = case.read_text("utf-8").split(SEPARATOR)
    html, counts, whole = remove_html(given, default_rules().html)
    assert html.strip() == expected.strip()
    assert counts and not whole


def test_counts_per_rule():
    text = "Review.\n\nShare this:\n\nTwitter\n\nFacebook\n\nLike this:\n\nLike Loading...\n\nRelated\n"
    out, counts, _ = remove_text(text, default_rules().text)
    assert out == "Review.\n"
    assert counts == Counter({"jetpack-sharing": 1, "jetpack-sharing-buttons": 2, "jetpack-likes": 2,
                              "jetpack-related-posts": 1})
    html = '<p>x</p><div class="sharedaddy sd-like"><h3>Like this:</h3></div><div id="jp-relatedposts"></div>'
    _, counts, _ = remove_html(html, default_rules().html)
    assert counts == Counter({"jetpack-likes": 1, "jetpack-related-posts": 1})


def test_html_without_a_possible_match_is_not_reparsed():
    html = "<p>Plain &amp; simple<br />text</p>\n<!-- wp:paragraph -->"
    assert remove_html(html, default_rules().html) == (html, Counter(), False)


def test_a_whole_body_of_boilerplate_html_is_kept():
    html = '<div class="sharedaddy"><h3>Share this:</h3></div>'
    assert remove_html(html, default_rules().html) == (html, Counter(), True)
    with_image = '<div class="sharedaddy">Share</div><img src="a.jpg" alt="">'
    out, counts, whole = remove_html(with_image, default_rules().html)
    assert out == '<img src="a.jpg" alt="">' and counts["jetpack-sharing"] == 1 and not whole


def test_no_rules_change_nothing():
    text = "Share this:\n\nLike this:\n\nBody.\n"
    assert remove_text(text, RuleSet().text) == (text, Counter(), False)


# --- the sample export, end to end ----------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    report = pipeline.convert(read_wxr(SAMPLE), out)
    return out, report


def test_sample_posts_lose_their_boilerplate(sample_site):
    out, report = sample_site
    posts = out / "content" / "posts"
    for name in ("top-365-films-13-amélie-2001.md", "top-365-films-14-spirited-away-2001.md",
                 "top-365-films-15-fast-furious-6-2013.md"):
        _, body = parse_document((posts / name).read_text("utf-8"))
        for line in BOILERPLATE_LINES:
            assert line not in body, (name, line)
        assert "DID YOU KNOW?" in body  # the real text stays (no field rules by default)
    removed = report.counters["boilerplate removed"]
    assert removed["comment-form"] == 7 and removed["akismet-notice"] == 1
    assert removed["jetpack-sharing"] == 2 and removed["jetpack-likes"] == 3
    by_post = {e.id: e.counts.get("boilerplate removed", {}) for e in report.entries}
    assert set(by_post[24]) == {"jetpack-sharing", "jetpack-likes", "jetpack-related-posts"}
    assert by_post[27]["comment-form"] == 7 and by_post[14] == {}


def test_summary_and_inspect_show_what_was_removed(tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["convert", str(SAMPLE), "--out", str(tmp_path / "site")])
    assert result.exit_code == 0, result.output
    assert "boilerplate removed: comment-form (7)" in result.output
    shown = runner.invoke(cli, ["inspect", str(SAMPLE)])
    assert shown.exit_code == 0
    assert "boilerplate the rules would remove: 19 in 3 posts" in shown.output
    assert "comment-form                     7 in 1 post" in shown.output
    off = runner.invoke(cli, ["inspect", str(SAMPLE), "--no-default-rules"])
    assert "boilerplate the rules would remove: 0 in 0 posts" in off.output


def test_no_default_rules_keeps_everything(tmp_path):
    result = CliRunner().invoke(cli, ["convert", str(SAMPLE), "--out", str(tmp_path / "site"), "--no-default-rules"])
    assert result.exit_code == 0 and "boilerplate removed" not in result.output
    text = (tmp_path / "site/content/posts/top-365-films-15-fast-furious-6-2013.md").read_text("utf-8")
    assert "Leave a Reply" in text


def test_a_post_that_is_all_boilerplate_keeps_its_body_and_is_reported(tmp_path):
    export = read_wxr(write_wxr(tmp_path / "in.xml", [item(1, slug="only", content="Share this:\n\nLike this:")]))
    report = pipeline.convert(export, tmp_path / "out")
    assert report.counters["boilerplate kept"] == {"whole body matched (kept)": 1}
    _, body = parse_document((tmp_path / "out/content/posts/only.md").read_text("utf-8"))
    assert "Share this:" in body and "Like this:" in body


def test_inventory_counts_per_rule_and_post():
    inv = inventory(read_wxr(SAMPLE), load_rules())
    assert inv.boilerplate["comment-form"] == 7
    assert inv.boilerplate_rule_posts["jetpack-likes"] == 2
    assert inv.boilerplate_posts == {21, 24, 27}
