"""Comments: approved only by default, pings on request, threads kept, bodies converted, no e-mail or IP."""

from __future__ import annotations

import re

import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from migrate import pipeline
from migrate.cli import cli
from migrate.extract.wxr import read_wxr
from migrate.transform.comments import _render_comment_html, comment_markdown
from migrate.transform.content import plain_prose_markdown
from migrate.transform.frontmatter import parse_document
from migrate.transform.markdown import html_to_markdown

from .conftest import CORPUS, SAMPLE, needs_corpus
from .wxrfactory import item, write_wxr

JURASSIC = "content/posts/top-365-films-12-jurassic-park-1993.md"
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def convert(tmp_path, source=SAMPLE, *args):
    out = tmp_path / "site"
    result = CliRunner().invoke(cli, ["convert", str(source), "--out", str(out), *args])
    assert result.exit_code == 0, result.output
    return out, result.output


def ids(records):
    return [(r["id"], ids(r.get("replies", []))) for r in records]


def test_sample_front_matter(tmp_path):
    out, summary = convert(tmp_path)
    fm, _ = parse_document((out / JURASSIC).read_text("utf-8"))
    assert ids(fm["comments"]) == [(5, [(6, [])])]
    dana, = fm["comments"]
    assert dana["author"] == "Dana Whitlock" and dana["author_url"] == "https://example.com/dana"
    assert dana["date"].isoformat() == "2015-01-12T19:03:44+00:00"
    assert dana["body"].endswith("stop screaming.\n\nStill one of my all-time favourites.")
    reply = dana["replies"][0]
    assert reply["author"] == "Tom Harrow" and reply["post_author"] is True
    assert "comments left out: pending (1), pingback (1), spam (1)" in summary
    assert "comments written: front-matter (3)" in summary
    amelie, _ = parse_document((out / "content/posts/top-365-films-13-amélie-2001.md").read_text("utf-8"))
    assert [c["id"] for c in amelie["comments"]] == [10]  # empty comment_type: an ordinary comment


def test_no_email_or_ip_unless_asked(tmp_path):
    out, _ = convert(tmp_path, SAMPLE, "--include-pings", "--include-pending-comments")
    text = "".join(p.read_text("utf-8") for p in out.rglob("*.md"))
    for secret in ("dana.whitlock@example.com", "s.okafor@example.org", "192.0.2.14", "198.51.100.7",
                   "198.51.100.23", "deals@example.org"):
        assert secret not in text
    fm, _ = parse_document((out / JURASSIC).read_text("utf-8"))
    assert ids(fm["comments"]) == [(5, [(6, [])]), (7, []), (9, [])]  # by date; spam never
    pending = fm["comments"][1]
    assert pending["status"] == "pending"
    assert fm["comments"][2]["type"] == "pingback"
    assert fm["comments"][2]["author"] == "Ten Films Set on Islands « Frame by Frame"
    asked, _ = convert(tmp_path / "2", SAMPLE, "--include-commenter-emails", "--include-commenter-ips")
    fm, _ = parse_document((asked / JURASSIC).read_text("utf-8"))
    assert fm["comments"][0]["email"] == "dana.whitlock@example.com" and fm["comments"][0]["ip"] == "192.0.2.14"


def test_data_file_in_the_data_folder(tmp_path):
    out, summary = convert(tmp_path, SAMPLE, "--comments", "data-file")
    fm, _ = parse_document((out / JURASSIC).read_text("utf-8"))
    assert "comments" not in fm
    # Hugo copies other files under content/ into the built site: the data goes to data/ (site.Data.comments…),
    # which it never publishes (the comments of a draft or password-protected post must not be on the site).
    assert not list((out / "content").rglob("*.yaml"))
    data = yaml.safe_load((out / "data/comments/posts-top-365-films-12-jurassic-park-1993.yaml").read_text("utf-8"))
    assert data["wordpress_id"] == 17 and ids(data["comments"]) == [(5, [(6, [])])]
    assert "comments written: data-file (3)" in summary
    _, summary = convert(tmp_path, SAMPLE, "--comments", "data-file")
    assert "0 new, 13 unchanged" in summary
    jekyll, _ = convert(tmp_path / "j", SAMPLE, "--comments", "data-file", "--layout", "jekyll")
    # Jekyll would read a file in _posts/ as a post: its data goes to _data/ (site.data.comments[...])
    data = yaml.safe_load((jekyll / "_data/comments/posts-2015-01-12-top-365-films-12-jurassic-park-1993.yml")
                          .read_text("utf-8"))
    assert data["wordpress_id"] == 17
    assert not list((jekyll / "_posts").glob("*.yaml"))


def test_section_appended_to_the_body(tmp_path):
    out, _ = convert(tmp_path, SAMPLE, "--comments", "section")
    fm, body = parse_document((out / JURASSIC).read_text("utf-8"))
    assert "comments" not in fm
    section = body[body.index("## Comments"):]
    assert section == (
        "## Comments\n\n"
        "**[Dana Whitlock](<https://example.com/dana>)** · 2015-01-12 19:03\n\n"
        "Great pick. I saw this at a drive-in when it first came out and my dad made us leave during the raptor "
        "scene because my little sister would not stop screaming.\n\n"
        "Still one of my all-time favourites.\n\n"
        "> **[Tom Harrow](<https://popcornledger.wordpress.com>)** · 2015-01-12 20:17\n"
        ">\n"
        "> Ha, what a memory! To be fair to your sister, the raptors are still the scariest thing in the film "
        "for me too.\n"
    )


def test_none(tmp_path):
    out, summary = convert(tmp_path, SAMPLE, "--comments", "none")
    fm, _ = parse_document((out / JURASSIC).read_text("utf-8"))
    assert "comments" not in fm and "not written (--comments none) (3)" in summary


def _comment(cid, parent=0, approved="1", date="2020-01-02 10:00:00", ctype="comment", content="Hi."):
    return (f"<wp:comment><wp:comment_id>{cid}</wp:comment_id><wp:comment_author>P{cid}</wp:comment_author>"
            f"<wp:comment_author_email>p{cid}@example.org</wp:comment_author_email>"
            f"<wp:comment_author_IP>192.0.2.{cid}</wp:comment_author_IP>"
            f"<wp:comment_date>{date}</wp:comment_date><wp:comment_date_gmt>{date}</wp:comment_date_gmt>"
            f"<wp:comment_content><![CDATA[{content}]]></wp:comment_content>"
            f"<wp:comment_approved>{approved}</wp:comment_approved><wp:comment_type>{ctype}</wp:comment_type>"
            f"<wp:comment_parent>{parent}</wp:comment_parent><wp:comment_user_id>0</wp:comment_user_id></wp:comment>")


def test_threads_in_date_order_with_left_out_parents_and_loops(tmp_path):
    comments = "".join([
        _comment(1, date="2020-01-03 10:00:00"),
        _comment(2, date="2020-01-02 10:00:00"),
        _comment(3, parent=1, date="2020-01-05 10:00:00"),
        _comment(4, parent=1, date="2020-01-04 10:00:00"),
        _comment(5, parent=9, approved="spam"),  # spam: left out; its reply moves up to the top
        _comment(6, parent=5, date="2020-01-06 10:00:00"),
        _comment(7, parent=8, date="2020-01-07 10:00:00"),  # 7 ↔ 8: a loop in a broken export
        _comment(8, parent=7, date="2020-01-08 10:00:00"),
        _comment(10, parent=4, approved="trash"),
        _comment(11, ctype="order_note", content="Private note"),
        _comment(12, content="<strong>Bold</strong> and a [sic] \n\nsecond paragraph"),
    ])
    export = read_wxr(write_wxr(tmp_path / "in.xml", [item(1, slug="t", extra=comments)]))
    report = pipeline.convert(export, tmp_path / "out")
    fm, _ = parse_document((tmp_path / "out/content/posts/t.md").read_text("utf-8"))
    assert ids(fm["comments"]) == [(2, []), (12, []), (1, [(4, []), (3, [])]), (6, []), (7, [(8, [])])]
    assert report.counters["comments left out"] == {"spam": 1, "trash": 1, "type order_note": 1}
    body = next(c for c in fm["comments"] if c["id"] == 12)["body"]
    assert body == "**Bold** and a [sic]\n\nsecond paragraph"
    text = (tmp_path / "out/content/posts/t.md").read_text("utf-8")
    assert not EMAIL.search(text) and "192.0.2." not in text and "Private note" not in text


def test_deep_threads_stay_within_the_depth_limit(tmp_path):
    comments = "".join(_comment(i, parent=i - 1, date=f"2020-01-01 10:{i % 60:02d}:00") for i in range(1, 80))
    export = read_wxr(write_wxr(tmp_path / "in.xml", [item(1, slug="t", extra=comments)]))
    pipeline.convert(export, tmp_path / "out")
    fm, _ = parse_document((tmp_path / "out/content/posts/t.md").read_text("utf-8"))
    depth, level = 0, fm["comments"]
    seen = 0
    while level:
        seen += len(level)
        depth += 1
        level = level[0].get("replies", [])
    assert depth == 50 and seen == 79


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("ab Zé,.;:!?'’\"()%$–-1\r") + ["\n", "\n\n", "  ", "word"]), max_size=30)
       .map("".join))
def test_plain_comments_skip_rendering_with_the_same_result(text):
    fast = plain_prose_markdown(text)
    if fast is not None and text.strip():
        assert fast == html_to_markdown(_render_comment_html(text)).strip()


def test_comment_markdown_of_markup():
    assert comment_markdown("Line one\nline two") == "Line one\\\nline two"
    assert comment_markdown("<em>x</em> &amp; y") == "*x* & y"


# --- the theme unit test ------------------------------------------------------------------------


def _kept_parent(cid, comments, kept):
    parents = {c.id: c.parent for c in comments}
    p = parents[cid]
    while p and p not in kept:
        p = parents.get(p, 0)
    return p


@needs_corpus
def test_theme_unit_test_comments(tmp_path):
    path = CORPUS / "theme-unit-test-data.xml"
    source = read_wxr(path)
    expected: dict[int, dict[int, int]] = {}  # post → approved non-ping comment → kept parent
    secrets: set[str] = set()
    for post in source.posts():
        approved = {c.id: c for c in post.comments if c.status == "approved" and not c.is_ping}
        if approved and post.post_type not in ("attachment", "nav_menu_item"):
            expected[post.id] = {cid: _kept_parent(cid, post.comments, approved) for cid in approved}
        secrets.update(s for c in post.comments for s in (c.author_email, c.author_ip) if s)
    assert sum(len(v) for v in expected.values()) == 26
    out, summary = convert(tmp_path, path)
    assert "comments left out: pending (3), pingback (2), trackback (2)" in summary
    found: dict[int, dict[int, int]] = {}
    for md in out.rglob("*.md"):
        text = md.read_text("utf-8")
        for secret in secrets:
            assert secret not in text, (md, secret)
        fm, _ = parse_document(text)

        def walk(records, parent, into):
            for r in records:
                into[r["id"]] = parent
                walk(r.get("replies", []), r["id"], into)

        if fm.get("comments"):
            walk(fm["comments"], 0, found.setdefault(fm["wordpress_id"], {}))
    assert found == expected
    template = next(p for p in out.rglob("template-comments.md"))
    fm, _ = parse_document(template.read_text("utf-8"))
    dates = [c["date"] for c in fm["comments"]]
    assert dates == sorted(dates)


def test_data_files_of_two_pages_whose_names_flatten_alike_both_survive(tmp_path):
    # Jekyll's data files are named by the page's path with "/" as "-": about/team and about-team meet.
    pages = [item(2, "About", slug="about", post_type="page"),
             item(3, "Team", slug="team", post_type="page", parent=2, extra=_comment(31, content="On the team page.")),
             item(4, "About team", slug="about-team", post_type="page", extra=_comment(41, content="On about-team."))]
    export = write_wxr(tmp_path / "pages.xml", pages)
    out = tmp_path / "site"
    for _ in range(2):  # the same names again on a second run
        result = CliRunner().invoke(cli, ["convert", str(export), "--out", str(out), "--layout", "jekyll",
                                          "--comments", "data-file"])
        assert result.exit_code == 0, result.output
        files = sorted(p.name for p in (out / "_data" / "comments").iterdir())
        assert files == ["about-team-4.yml", "about-team.yml"]
        bodies = {yaml.safe_load(p.read_text("utf-8"))["wordpress_id"]: p.read_text("utf-8")
                  for p in (out / "_data" / "comments").iterdir()}
        assert "On the team page." in bodies[3] and "On about-team." in bodies[4]
