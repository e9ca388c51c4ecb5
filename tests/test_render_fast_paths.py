"""Fast paths of the transform stages give what the full rendering gives."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from migrate import rules
from migrate.model import Post
from migrate.rules import HtmlRule, default_rules
from migrate.transform import autop
from migrate.transform.content import plain_prose_markdown, render_html, summary_of
from migrate.transform.frontmatter import iso_date
from migrate.transform.markdown import html_to_markdown
from migrate.transform.selectorwords import _lowered, _selector_words, _word_groups
from migrate.transform.selectorwords import html_plan as _html_plan

_PROSE = st.lists(
    st.sampled_from(list("ab Zé,.;:!?'’\"()%$–-1\r\t[/<&") + ["\n", "\n\n", "  ", "word", "http://x.org"]),
    max_size=30,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(_PROSE)
def test_plain_summaries_skip_rendering_with_the_same_result(text):
    post = Post(id=1, title="t", excerpt=text)
    if text.strip() and "\t" not in text and plain_prose_markdown(text) is not None:
        assert summary_of(post) == html_to_markdown(render_html(text, post, None)).strip()


def _old_iso_date(local, gmt):
    if gmt is None:
        return local.isoformat(timespec="seconds") if local else None
    if local is not None:
        offset = local - gmt.replace(tzinfo=None)
        minutes = offset.total_seconds() / 60
        if abs(minutes) <= 14 * 60 and minutes % 15 == 0:
            return local.replace(tzinfo=timezone(timedelta(minutes=minutes))).isoformat()
    return gmt.astimezone(timezone.utc).isoformat()


@settings(max_examples=500, deadline=None)
@given(st.datetimes(min_value=datetime(2, 1, 1), max_value=datetime(9998, 1, 1)),
       st.one_of(st.integers(-900, 900).map(lambda m: timedelta(minutes=m)),
                 st.integers(-60, 60).map(lambda q: timedelta(minutes=15 * q)),
                 st.timedeltas(min_value=timedelta(hours=-20), max_value=timedelta(hours=20))))
def test_iso_date_writes_each_offset_as_timezone_isoformat_does(gmt, offset):
    gmt = gmt.replace(tzinfo=timezone.utc)
    local = gmt.replace(tzinfo=None) + offset
    assert iso_date(local, gmt) == _old_iso_date(local, gmt)
    assert iso_date(local, None) == _old_iso_date(local, None)


def _may_match(rule: HtmlRule, lowered: bytes) -> bool:
    """The reference of remove_html's word search, one rule at a time: False when no name in the selector
    occurs in the HTML (``_lowered(html)``) at all."""
    return any(_lowered(word) in lowered for word in _selector_words(rule.selector))


_WORDS = st.lists(st.text("ab-_c", min_size=1, max_size=12), min_size=1, max_size=12, unique=True).map(tuple)


@settings(max_examples=500, deadline=None)
@given(_WORDS, st.text("ab-_cX ", max_size=60))
def test_html_word_groups_find_what_each_word_search_finds(words, text):
    groups = _word_groups(words)
    assert sorted(w for _, group in groups for w in group) == sorted(words)
    assert all(key in w for key, group in groups for w in group)
    found = {w for key, group in groups if key in text for w in group if w in text}
    assert found == {w for w in words if w in text}


def test_default_html_rule_words_share_a_few_keys():
    groups, _ = _html_plan(tuple(default_rules().html))
    assert len(groups) < sum(len(words) for _, words in groups)


# Class names and ids that start as a selector's words do ("#-" has none, and is never searched for).
_NAME_CHARS = st.builds(str.__add__, st.sampled_from("sdSDkK_"), st.text("sdSD-kK\u212aiI\u0130éÉ_", max_size=6))


@settings(max_examples=500, deadline=None)
@given(st.lists(_NAME_CHARS, min_size=1, max_size=3), st.lists(_NAME_CHARS, min_size=1, max_size=3),
       st.sampled_from(["div", "DIV", "p", "Span"]), st.sampled_from(["div", "Div", "p", "*"]))
def test_html_word_search_finds_every_selector_that_matches(classes, names, tag, selector_tag):
    """The search on ASCII-lowered bytes never rules out a selector that matches (whatever the case, or
    characters whose lower case is ASCII)."""
    from lxml import etree
    from lxml import html as lxml_html

    html = f'<{tag} class="{" ".join(classes)}" id="{names[0]}">x</{tag}><p>y</p>'
    root = lxml_html.fragment_fromstring(html, create_parent="div")
    for name in names:
        for selector in (f"{selector_tag}.{name}", f"#{name}", f"[class~={name}]"):
            try:
                rule = HtmlRule("r", selector)
                matches = etree.XPath(rule.xpath)(root)
            except Exception:  # noqa: BLE001 — not a selector cssselect reads
                continue
            if matches:
                assert _may_match(rule, _lowered(html)), (selector, html)


def _old_plain(line):
    s = line.strip().removesuffix("\\")
    s = rules._LEADING_MARKS.sub("", s)
    s = rules._IMAGE_OR_LINK.sub(r"\1", s)
    s = rules._EMPHASIS.sub("", s)
    s = rules._ESCAPE.sub(r"\1", s)
    return " ".join(s.translate(rules._TYPOGRAPHY).split())


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(list("ab *_~\\[]()!#>-+1.\t\"…’") + ["**", "~~", "](http://a.b)", "\\_", "~~~"]),
                max_size=25).map("".join))
def test_plain_line_removes_marks_as_the_patterns_do(line):
    assert rules._plain(line) == _old_plain(line)


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(["<", ">", "\n", "a", " ", "<!--", "-->", "<!-->", "-", "!", "<![CDATA[", "]]>", "<p>",
                                 "<a\nb>"]), max_size=20).map("".join))
def test_texts_said_to_have_no_newline_in_an_element_have_none(text):
    parts = autop.wp_html_split(text)
    if any("\n" in parts[i] for i in range(1, len(parts), 2)):
        assert autop._newline_in_element(text)
    assert autop._newlines_in_elements(text) == autop.wp_replace_in_html_tags(text, {"\n": " <!-- wpnl --> "})
