"""The reader of raw items without lxml (migrate.extract.itemreader) gives parse_raw_item exactly what lxml gives.

Every Post is compared whole with the one the lxml path makes of the same bytes, shallow (as workers read items) and
not: on the corpus, the sample exports, a generated export, hand-written items that stray from what WordPress writes,
and random items written in WordPress's forms.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from migrate.extract import itemreader, wxr
from migrate.extract.wxr import parse_raw_item, read_wxr
from migrate.transform.classify import SKIPPED_TYPES

from .conftest import ROOT, corpus_files, generated_export, needs_corpus
from .wxrfactory import item, write_wxr

SHALLOW = frozenset(SKIPPED_TYPES)
WP = "http://wordpress.org/export/1.2/"
NAMESPACES = {"excerpt": WP + "excerpt/", "content": "http://purl.org/rss/1.0/modules/content/",
              "wfw": "http://wellformedweb.org/CommentAPI/", "dc": "http://purl.org/dc/elements/1.1/", "wp": WP}


def forget_shapes(monkeypatch=None) -> None:
    """Start again with no shape learned (nor namespaces met)."""
    if monkeypatch is None:
        itemreader._scopes.clear()
        itemreader._last[:] = [b"\0", None]
    else:
        monkeypatch.setattr(itemreader, "_scopes", {})
        monkeypatch.setattr(itemreader, "_last", [b"\0", None])


@pytest.fixture(autouse=True)
def _fresh(monkeypatch):
    """Each test learns its own shapes, and counts its own items read and declined."""
    forget_shapes(monkeypatch)


def read_fast(data: bytes, shallow=()) -> bool:
    """Whether the item is read without lxml."""
    return itemreader.read_item(data, shallow) is not None


def assert_same(raw: list[bytes]) -> int:
    """Every item gives the same Post both ways, shallow or not; the number read without lxml."""
    fast = 0
    for data in raw:
        for shallow in ((), SHALLOW):
            assert parse_raw_item(data, shallow) == wxr._parse_raw_item_lxml(data, shallow)
        fast += read_fast(data, SHALLOW)
    return fast


def raw_items(path: Path) -> list[bytes]:
    raw = read_wxr(path).raw_posts()
    assert raw is not None
    return list(raw)


@needs_corpus
@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_corpus(path):
    raw = raw_items(path)
    assert assert_same(raw) >= 0.9 * len(raw)  # (hexo's fixture has comments in an item; the unit tests a "'")


@pytest.mark.parametrize("path", sorted((ROOT / "exports").glob("*.xml")), ids=lambda p: p.name)
def test_sample_exports(path):
    raw = raw_items(path)
    assert assert_same(raw) == len(raw)


def test_generated_export(tmp_path):
    raw = raw_items(generated_export(tmp_path / "e.xml", 300, seed=3))
    assert assert_same(raw) == len(raw)


def _meta(key: str, value: str, kind: str = "postmeta") -> str:
    return f"<wp:{kind}><wp:meta_key>{key}</wp:meta_key><wp:meta_value>{value}</wp:meta_value></wp:{kind}>"


def _comment(cid: int, author: str = "<![CDATA[Ann]]>", extra: str = "", meta: str = "") -> str:
    return (f"<wp:comment>\n\t<wp:comment_id>{cid}</wp:comment_id><wp:comment_author>{author}</wp:comment_author>"
            "<wp:comment_author_email><![CDATA[a@example.org]]></wp:comment_author_email>"
            "<wp:comment_author_url></wp:comment_author_url><wp:comment_date>2020-01-03 10:00:00</wp:comment_date>"
            "<wp:comment_date_gmt>2020-01-03 09:00:00</wp:comment_date_gmt>"
            f"<wp:comment_content><![CDATA[Nice.]]></wp:comment_content>{extra}"
            f"<wp:comment_approved>1</wp:comment_approved><wp:comment_parent>0</wp:comment_parent>{meta}\n</wp:comment>")


TAIL = ('<category domain="category" nicename="news"><![CDATA[News]]></category>'
        + _meta("_edit_last", "1") + _comment(1, meta=_meta("akismet_result", "<![CDATA[false]]>", "commentmeta")))

# (items, whether every one is read without lxml)
HOSTILE = {
    "plain": ([item(1, extra=TAIL), item(2, extra=TAIL)], True),
    "comment between children": ([item(1).replace("<link>", "<!-- a note --><link>")], False),
    "comment inside a leaf": ([item(1, title="a<!-- x -->b")], False),
    "processing instruction": ([item(1, extra="<?pi x?>")], False),
    "text between children": ([item(1).replace("<link>", "x<link>")], False),
    "CDATA split at ]]>": ([item(1, content="a]]]]><![CDATA[>b"), item(2, content="]]]]><![CDATA[>")], True),
    "text and CDATA": ([item(1).replace("<![CDATA[Hello.]]>", "x <![CDATA[<b>]]> y&amp;z")], True),
    "references": ([item(1, title="&#x1F600; &#128512; &amp;lt; &lt;b&gt; &quot;&apos; ]]&gt; &#13; &#x9;")], True),
    "references in CDATA are text": ([item(1, content="&amp; &#x1F600;")], True),
    "attributes with tabs and line ends": ([item(1, extra='<category domain="post_tag\tx" nicename="a&#9;b\r\nc">'
                                                 "T</category><category\tdomain='category'\n nicename=\"q&amp;r\">"
                                                 "Q</category>")], True),
    "empty and self-closing": ([item(1, extra='<wp:post_password/><description/><category domain="category"/>'
                                     '<category></category><wp:postmeta><wp:meta_key/><wp:meta_value/>'
                                     "</wp:postmeta>" + _meta("", ""))], True),
    "spaces in tags": ([item(1).replace("<title>", "<title >").replace("</title>", "</title\n>")], True),
    "nested unknown element": ([item(1, extra=_meta("k", "<b>x</b>"))], False),
    "unknown container": ([item(1, extra="<wp:extra><wp:a>1</wp:a></wp:extra>")], False),
    "xmlns on an inner element": ([item(1).replace("<dc:creator>", '<dc:creator xmlns:dc="urn:other">'),
                                   item(2).replace("<title>", '<title xmlns="urn:x">')], False),
    "prefix declared inside": ([item(1, extra='<x:y xmlns:x="urn:y">1</x:y>')], False),
    "CR LF line ends": ([item(1, content="a\r\nb\rc").replace("\n", "\r\n"),
                         item(2, title="t\r", extra=TAIL.replace("><", ">\r\n<"))], True),
    "the same field twice": ([item(1, extra="<title>Second</title><wp:post_id>9</wp:post_id>")], True),
    "leaves after the categories": ([item(1, extra='<category domain="category">C</category><wp:extra>1</wp:extra>'),
                                     item(2, extra='<wp:extra>1</wp:extra>'),
                                     item(3, extra='<category>A</category><category>B</category><wp:extra>1</wp:extra>'
                                                   '<category>C</category>')], True),
    "categories after dc:creator (WXR 1.0)": ([item(i).replace("<guid", "<category>Un</category><category "
                                                                          f'nicename="c{i}">C</category><guid')
                                               for i in range(3)], True),
    "metas before the categories": ([item(1, extra=_meta("k", "v") + '<category domain="category">C</category>')],
                                    False),
    "meta key and value swapped": ([item(1, extra="<wp:postmeta><wp:meta_value>v</wp:meta_value>"
                                          "<wp:meta_key>k</wp:meta_key></wp:postmeta>")], False),
    "meta without a value": ([item(1, extra="<wp:postmeta><wp:meta_key>k</wp:meta_key></wp:postmeta>")], False),
    "leaf where a meta goes": ([item(1, extra="<wp:postmeta>x</wp:postmeta>")], False),
    "comments of other layouts": ([item(1, extra=_comment(1) + _comment(2, extra="<wp:comment_type>pingback"
                                                                         "</wp:comment_type>")
                                         + _comment(3, author="Tom &amp; Jerry",
                                                    meta=_meta("a", "1", "commentmeta") * 3)),
                                   item(2, extra=_comment(4) + _comment(5))], True),
    "an end tag's text in CDATA": ([item(1, extra=_meta("k", "<![CDATA[</wp:postmeta></category>]]>")
                                         + _comment(1, author="<![CDATA[</wp:comment>]]>"))], None),
    "attachments, shallow": ([item(1, post_type="attachment", extra=TAIL),
                              item(2, post_type=" attachment\n", extra=TAIL)], True),
    "another post_type first": ([item(1, post_type="post").replace("<item>", "<item><ex:post_type>attachment"
                                                                             "</ex:post_type>")], True),
    "item attributes": ([item(1).replace("<item>", '<item a="1">')], False),
    "the lxml path's cut mark": ([item(1).replace("<content:encoded>", '<content:encoded wp-migrate-cut="0">'),
                                  item(2, extra='<wp:extra wp-migrate-cut="1"/>')], True),
    "empty item": (["<item></item>", "<item>\n</item>"], True),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_items(tmp_path, name):
    items, fast = HOSTILE[name]
    path = write_wxr(tmp_path / "e.xml", items)
    path.write_text(path.read_text().replace("<rss ", '<rss xmlns:ex="urn:example" '))
    raw = raw_items(path)
    count = assert_same(raw)
    if fast is not None:
        assert count == (len(raw) if fast else 0)


def test_values_read_as_lxml_reads_them(tmp_path):
    path = write_wxr(tmp_path / "e.xml", HOSTILE["references"][0] + HOSTILE["attributes with tabs and line ends"][0]
                     + HOSTILE["CR LF line ends"][0])
    first, second, third, _ = (parse_raw_item(data) for data in raw_items(path))
    assert first.title == "\U0001F600 \U0001F600 < <b> \"' ]]>"  # html.unescape()d and strip()ped, as ever
    assert [(t.taxonomy, t.slug, t.name) for t in second.terms][-2:] == [("post_tag x", "a\tb c", "T"),
                                                                         ("category", "q&r", "Q")]
    assert third.content == "a\n\nb\nc"  # "a\r\r\nb\rc": the item's line ends were made "\r\n" too


def test_content_read_as_lxml_reads_it(tmp_path):
    path = write_wxr(tmp_path / "e.xml", [item(1).replace("<![CDATA[Hello.]]>", "&amp;lt; &#x1F600;&#13;\r\n")])
    (data,) = raw_items(path)
    assert read_fast(data) and parse_raw_item(data).content == "&lt; \U0001F600\r\n"


@pytest.mark.parametrize("ns", ["http://wordpress.org/export/1.0/", "https://wordpress.org/export/1.2/"])
def test_other_wxr_versions(tmp_path, ns):
    raw = raw_items(write_wxr(tmp_path / "e.xml", [item(1, extra=TAIL)], ns=ns, version=ns[-4:-1]))
    assert assert_same(raw) == 1


def test_an_unusual_wordpress_namespace_is_read_by_lxml():
    for uri in ("urn:not-wordpress", "http://wordpress.org/export/"):
        data = (wxr._wrapper_start({**NAMESPACES, "wp": uri}) + item(1, extra=TAIL).encode() + wxr._WRAPPER_END)
        assert not read_fast(data)
        assert parse_raw_item(data) == wxr._parse_raw_item_lxml(data)


def test_another_prefix_for_wordpress(tmp_path):
    path = write_wxr(tmp_path / "e.xml", [item(1, wp="w", extra=TAIL.replace("wp:", "w:"))], wp="w")
    raw = raw_items(path)
    assert assert_same(raw) == 1 and parse_raw_item(raw[0]).meta[0].key == "_edit_last"


def test_what_is_not_well_formed_or_utf8_is_left_to_lxml():
    head = wxr._wrapper_start(NAMESPACES)
    for body in ("<title>&nbsp;</title>", "<title>&#0;</title>", "<title>&#99999999;</title>", "<title>&#x;</title>",
                 "<title>a & b</title>", "<title>a</titl>"):
        assert not read_fast(head + f"<item>{body}</item>".encode() + wxr._WRAPPER_END)
    assert not read_fast(head + "<item><title>Café</title></item>".encode("latin-1") + wxr._WRAPPER_END)
    assert not read_fast(b"<item><title>t</title></item>")  # no wrapper
    assert not read_fast(b'<wp-migrate-item xmlns="urn:d"><item><title>t</title></item></wp-migrate-item>')


def test_shapes_learned_are_bounded(monkeypatch, tmp_path):
    """Each layout is learned once; past the budget, items are left to lxml (still the same Posts)."""
    monkeypatch.setattr(itemreader, "_LESSONS", 3)
    items = [item(i, extra=f"<wp:extra{i}>x</wp:extra{i}>") for i in range(6)]
    raw = raw_items(write_wxr(tmp_path / "e.xml", items * 2))
    assert assert_same(raw) == 6  # the first three layouts, twice each
    (scope,) = itemreader._scopes.values()
    assert scope.lessons["item"] == 0 and len(scope.shapes["item"]) == 3


# Text an XML export can carry (no surrogates, no C0 controls but tab, newline, CR), with what is hard to write.
TEXT = st.lists(st.characters(blacklist_categories=("Cs",), blacklist_characters="".join(
    chr(c) for c in range(32) if chr(c) not in "\t\n\r") + "\ufffe\uffff") | st.sampled_from(
    ["<", ">", "&", "]]>", "]", "\r", "\r\n", " ", "<![CDATA[", "&amp;", "]]]]><![CDATA[>"]), max_size=12).map("".join)
TEXTS = st.lists(TEXT, max_size=4).map("".join)


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


@st.composite
def leaf(draw, name: str, text: str | None = None) -> str:
    """``<name>`` holding text in one of the ways WordPress (or a person) writes it."""
    text = draw(TEXTS) if text is None else text
    way = draw(st.sampled_from(["cdata", "escaped", "mixed", "raw"]))
    if way == "cdata":
        content = cdata(text)
    elif way == "escaped":
        content = escaped(text)
    elif way == "mixed":  # half in a CDATA section, half escaped
        content = cdata(text[: len(text) // 2]) + escaped(text[len(text) // 2:])
    else:  # as it is, when it can be: line ends and all
        content = escaped(text).replace("&#13;", "\r")
    if not content and draw(st.booleans()):
        return f"<{name}/>"
    return f"<{name}>{content}</{name}>"


SPACE = st.sampled_from(["", "\n", "\n\t\t", " ", "\r\n\t"])


@st.composite
def raw_item(draw, post_id: int) -> bytes:
    space = draw(SPACE)
    children = [draw(leaf(name)) for name in ("title", "link", "dc:creator", "content:encoded", "excerpt:encoded")]
    children += [f"<wp:post_id>{post_id}</wp:post_id>", draw(leaf("wp:post_date", "2020-01-02 10:00:00")),
                 draw(leaf("wp:post_name")), draw(leaf("wp:post_type", draw(st.sampled_from(["post", "attachment"]))))]
    for _ in range(draw(st.integers(0, 3))):
        attributes = "".join(f' {name}="{escaped(draw(TEXT)).replace(chr(34), "&quot;")}"'
                             for name in draw(st.lists(st.sampled_from(["domain", "nicename"]), unique=True)))
        children.append(draw(leaf("category")).replace("<category", "<category" + attributes, 1))
    for _ in range(draw(st.integers(0, 2))):
        children.append(f"<wp:postmeta>{draw(leaf('wp:meta_key'))}{draw(leaf('wp:meta_value'))}</wp:postmeta>")
    for i in range(draw(st.integers(0, 2))):
        parts = [f"<wp:comment_id>{i}</wp:comment_id>"] + [draw(leaf(f"wp:comment_{name}"))
                                                           for name in ("author", "content", "approved")]
        parts += [f"<wp:commentmeta>{draw(leaf('wp:meta_key'))}{draw(leaf('wp:meta_value'))}</wp:commentmeta>"
                  for _ in range(draw(st.integers(0, 2)))]
        children.append("<wp:comment>" + space.join(parts) + "</wp:comment>")
    body = "<item>" + space + space.join(children) + space + "</item>"
    return wxr._wrapper_start(NAMESPACES) + body.encode() + wxr._WRAPPER_END


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(items=st.lists(st.integers(1, 3), min_size=1, max_size=3).flatmap(
    lambda ids: st.tuples(*[raw_item(i) for i in ids])))
def test_random_items_read_as_lxml_reads_them(items):
    forget_shapes()  # each example learns its own shapes
    for data in items:
        for shallow in ((), SHALLOW):
            assert parse_raw_item(data, shallow) == wxr._parse_raw_item_lxml(data, shallow)


def test_one_shape_reads_items_whose_leaves_are_written_otherwise(tmp_path):
    """A title with a reference and one in a CDATA section, a content split at "]]>": one shape for all."""
    items = [item(1), item(2, title="Tom &amp; Jerry"), item(3, content="a]]]]><![CDATA[>b"), item(4),
             item(5, title="&lt;b&gt;", content="c")]
    raw = raw_items(write_wxr(tmp_path / "e.xml", items))
    assert assert_same(raw) == 5
    (scope,) = itemreader._scopes.values()
    assert len(scope.shapes["item"]) == 1 and scope.lessons["item"] == itemreader._LESSONS - 3


def test_an_export_seldom_read_goes_to_lxml_at_once(monkeypatch, tmp_path):
    """Items of many layouts: once most have been declined (each after trying every shape), the rest are not tried."""
    monkeypatch.setattr(itemreader, "_LESSONS", 2)
    raw = raw_items(write_wxr(tmp_path / "e.xml", [item(i, extra=f"<wp:extra{i}>x</wp:extra{i}>") for i in range(9)]
                              + [item(1, extra="<wp:extra1>x</wp:extra1>")]))
    # the first two learned; then 5 declined, more than 2 read + 2: none is tried, even one of a known layout
    assert [read_fast(data) for data in raw] == [True, True] + [False] * 8
    (scope,) = itemreader._scopes.values()
    assert (scope.read, scope.declined) == (2, 5)
    assert assert_same(raw) == 0
