"""Property-based tests: whatever the input, nothing is lost on the way to front matter, and no HTML
makes the converter raise."""

from __future__ import annotations

from datetime import datetime, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from migrate.load.paths import safe_component
from migrate.model import Meta, Post, Site, TermRef
from migrate.transform.content import render_html
from migrate.transform.frontmatter import build_front_matter, dump_document, parse_document
from migrate.transform.markdown import html_to_markdown

# Text an XML export can carry: no surrogates, no C0 controls but tab/newline/CR.
xml_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="".join(
    chr(c) for c in range(32) if chr(c) not in "\t\n\r") + "\ufffe\uffff"), max_size=80)

meta_values = st.recursive(
    st.none() | st.booleans() | st.integers() | xml_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(xml_text, inner, max_size=4),
    max_leaves=10,
)

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(title=xml_text, slug=xml_text, tags=st.lists(xml_text, max_size=5), cats=st.lists(xml_text, max_size=3),
       meta=meta_values)
def test_fields_survive_front_matter_and_yaml(title, slug, tags, cats, meta):
    post = Post(id=7, title=title, slug=slug, date=datetime(2020, 1, 2, 3, 4, 5),
                date_gmt=datetime(2020, 1, 2, 8, 4, 5, tzinfo=timezone.utc),
                terms=tuple([TermRef("post_tag", f"t{i}", t) for i, t in enumerate(tags)]
                            + [TermRef("category", f"c{i}", c) for i, c in enumerate(cats)]),
                meta=(Meta("anything", meta),), fields={"meta_anything": meta})
    front = build_front_matter(post, Site(), None, "")
    text = dump_document(front, "Body.\n")
    parsed, body = parse_document(text)
    assert parsed["title"] == title
    assert parsed["slug"] == slug
    assert parsed.get("tags", []) == tags
    assert parsed.get("categories", []) == cats
    assert parsed["meta_anything"] == meta
    assert parsed["date"].isoformat() == "2020-01-02T03:04:05-05:00"
    assert body == "Body.\n"


@FAST
@given(name=st.text(max_size=300))
def test_any_slug_gives_one_safe_file_name(name):
    component = safe_component(name, "42", reserve=32)
    assert component and "/" not in component and "\\" not in component and "\x00" not in component
    assert component not in (".", "..")
    assert len((component + "-123456789-99.md").encode()) <= 255


html_fragments = st.lists(
    st.sampled_from(["<p>", "</p>", "<div>", "</div>", "<ul><li>", "</li></ul>", "<table><tr><td>", "</td></tr></table>",
                     "<pre>", "</pre>", "<a href='x'>", "</a>", "<img src='a.png' alt='b'>", "<br>", "\n", "\n\n",
                     "[caption width='1']", "[/caption]", "<!--more-->", "<!-- wp:paragraph -->", "<b>", "</b>",
                     "*", "_", "#", "<", ">", "&amp;", "&", "`", "<blockquote>", "</blockquote>", "<h2>", "</h2>"])
    | xml_text,
    max_size=30,
).map("".join)


@FAST
@given(html=html_fragments)
def test_any_html_converts_without_exception(html):
    markdown = html_to_markdown(render_html(html))
    assert isinstance(markdown, str)
    assert markdown == "" or markdown.endswith("\n")
