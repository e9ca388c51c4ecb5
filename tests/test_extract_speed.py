"""The fast paths of the WXR reader give exactly what the plain ones give: item offsets, shared objects."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from migrate.extract import wxr
from migrate.extract.wxr import parse_raw_item, read_wxr
from migrate.model import Comment, Meta, Post, evolve

from .wxrfactory import item, write_wxr


def slow_posts(path):
    """Posts from parsing the whole file again, as when the item offsets cannot be used."""
    export = read_wxr(path)
    export._spans = None
    return list(export.posts()), [parse_raw_item(r) for r in export.raw_posts()]


def fast_posts(path):
    export = read_wxr(path)
    assert export._spans is not None, "the item offsets were dropped"
    return list(export.posts()), [parse_raw_item(r) for r in export.raw_posts()]


@pytest.mark.parametrize("cls", [Post, Comment, Meta])
def test_built_objects_have_every_field_in_order(tmp_path, cls):
    meta = ('<wp:postmeta><wp:meta_key>k</wp:meta_key><wp:meta_value>v</wp:meta_value></wp:postmeta>'
            '<wp:comment><wp:comment_id>5</wp:comment_id><wp:comment_content>Hi</wp:comment_content></wp:comment>')
    (post,) = read_wxr(write_wxr(tmp_path / "e.xml", [item(1, extra=meta)])).posts()
    obj = {Post: post, Comment: post.comments[0], Meta: post.meta[0]}[cls]
    assert list(vars(obj)) == [f.name for f in dataclasses.fields(cls)]
    assert obj == cls(**{f.name: getattr(obj, f.name) for f in dataclasses.fields(cls)})


def test_shared_meta_and_terms_are_equal_and_mutable_values_are_not_shared(tmp_path):
    extra = ('<category domain="category" nicename="news"><![CDATA[News]]></category>'
             '<wp:postmeta><wp:meta_key>a</wp:meta_key><wp:meta_value><![CDATA[a:0:{}]]></wp:meta_value></wp:postmeta>'
             '<wp:postmeta><wp:meta_key>b</wp:meta_key><wp:meta_value>1</wp:meta_value></wp:postmeta>')
    first, second = read_wxr(write_wxr(tmp_path / "e.xml", [item(1, extra=extra), item(2, extra=extra)])).posts()
    assert first.terms == second.terms and first.meta == second.meta
    assert first.meta[0].value == [] and first.meta[0].value is not second.meta[0].value


TRICKY = [
    # "<item>" and "</item>" as text: in CDATA, in a comment, in a processing instruction, escaped
    item(1, content="<item>not an item</item> <![CDATA[ </item>"),
    "<!-- <item><title>in a comment</title></item> -->",
    item(2, title="&lt;item&gt;", extra="<!-- </item> --><?pi </item> ?>"),
    # attributes, one holding ">" and "/>", and whitespace inside the tags
    item(3).replace("<item>", '<item a="x>y" b=\'/>\' >', 1).replace("</item>", "</item \n>"),
    # an item inside an item: only the outer one is a post
    item(4, extra="<wp:postmeta><item><title>inner</title></item></wp:postmeta>"),
    # CRLF line ends, non-ASCII text, and an empty item
    item(5, title="Crème brûlée", content="line one\r\nline two\rline three"),
    "<item/>",
    # the content's CDATA, cut out before parsing (parse_raw_item): split at "]]>", empty, plain text; a fake
    # one in a comment and a nested one before it, which must not be taken for it
    item(6, content="a]]]]><![CDATA[>b"),
    item(7, content=""),
    item(8).replace("<![CDATA[Hello.]]>", "Hello &amp; bye"),
    item(9, content="real").replace(
        "<content:encoded>", "<!-- <content:encoded><![CDATA[fake]]></content:encoded> --><content:encoded>"),
    item(10, content="real").replace(
        "<content:encoded>", "<wp:postmeta><content:encoded><![CDATA[nested]]></content:encoded></wp:postmeta>"
                             "<content:encoded>"),
]


def test_tricky_items_read_from_their_offsets_as_from_the_whole_file(tmp_path):
    path = write_wxr(tmp_path / "e.xml", TRICKY)
    posts, raw = fast_posts(path)
    assert [p.id for p in posts] == [1, 2, 3, 4, 5, 0, 6, 7, 8, 9, 10]
    assert (posts, raw) == slow_posts(path)
    assert posts[4].content == "line one\nline two\nline three"
    assert [p.content for p in posts[6:]] == ["a]]>b", "", "Hello & bye", "real", "real"]


def test_items_split_across_chunks(tmp_path, monkeypatch):
    monkeypatch.setattr(wxr, "_CHUNK", 7)  # every tag is cut by a chunk's end somewhere
    path = write_wxr(tmp_path / "e.xml", TRICKY)
    posts, raw = fast_posts(path)
    monkeypatch.undo()
    assert (posts, raw) == slow_posts(path)


def test_namespaces_declared_on_the_channel_and_the_item(tmp_path):
    path = write_wxr(tmp_path / "e.xml", [item(1, wp="w").replace("<item>", '<item xmlns:x="urn:x">')], wp="w")
    text = path.read_text().replace("<channel>", '<channel xmlns:extra="urn:extra">')
    path.write_text(text.replace("<title>A post</title>", "<title>A post</title><extra:rating>5</extra:rating>"))
    posts, raw = fast_posts(path)
    assert posts[0].id == 1 and (posts, raw) == slow_posts(path)


def test_other_encodings_and_a_changed_file_parse_the_file_again(tmp_path):
    path = write_wxr(tmp_path / "e.xml", [item(1, "Café")])
    path.write_bytes(path.read_text().replace("UTF-8", "ISO-8859-1").encode("latin-1"))
    export = read_wxr(path)
    assert export._spans is None
    (post,) = export.posts()
    assert post.title == "Café"

    path = write_wxr(tmp_path / "f.xml", [item(1, "One"), item(2, "Two")])
    export = read_wxr(path)
    path.write_text(path.read_text().replace("One", "Uno"))
    assert [p.title for p in export.posts()] == ["Uno", "Two"]
    assert [parse_raw_item(r).title for r in export.raw_posts()] == ["Uno", "Two"]


def test_wrapper_declares_the_namespaces_exactly():
    from lxml import etree

    nsmap = {"a": "urn:x&y", None: "urn:default", "wp": "http://wordpress.org/export/1.2/"}
    wrapper = wxr._wrapper_start(nsmap) + wxr._WRAPPER_END
    assert etree.fromstring(wrapper).nsmap == nsmap


def test_bom_utf16_and_two_channels(tmp_path):
    path = write_wxr(tmp_path / "bom.xml", [item(1, "Ünï")])
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    posts, raw = fast_posts(path)
    assert posts[0].title == "Ünï" and (posts, raw) == slow_posts(path)

    path = write_wxr(tmp_path / "utf16.xml", [item(1, "Ünï"), item(2)])
    path.write_bytes(path.read_text().replace("UTF-8", "UTF-16").encode("utf-16"))
    export = read_wxr(path)
    assert export._spans is None  # no "<item" in its bytes: parsed again
    assert [p.title for p in export.posts()] == ["Ünï", "A post"]
    assert [parse_raw_item(r).title for r in export.raw_posts()] == ["Ünï", "A post"]

    path = write_wxr(tmp_path / "two.xml", [item(1)])
    path.write_text(path.read_text().replace("</channel>", f"</channel><channel>{item(2)}</channel>"))
    export = read_wxr(path)
    assert export._spans is None and export.index.items == 2
    assert [p.id for p in export.posts()] == [1, 2]


def test_shallow_items_are_the_same_post_without_meta_and_comments(tmp_path):
    """Workers read attachments (and other types only counted) shallow: what the summary needs is unchanged."""
    meta = ("<wp:postmeta><wp:meta_key>_wp_attachment_metadata</wp:meta_key>"
            '<wp:meta_value><![CDATA[a:1:{s:5:"width";i:640;}]]></wp:meta_value></wp:postmeta>')
    comment = "<wp:comment><wp:comment_id>9</wp:comment_id><wp:comment_content>Hi</wp:comment_content></wp:comment>"
    export = read_wxr(write_wxr(tmp_path / "e.xml", [
        item(1, "A photo", post_type="attachment", extra=meta + comment),
        item(2, "A post", extra=meta + comment),
    ]))
    full = [parse_raw_item(r) for r in export.raw_posts()]
    shallow = [parse_raw_item(r, shallow={"attachment"}) for r in export.raw_posts()]
    assert full[0].meta and full[0].comments
    assert shallow[0].meta == () and shallow[0].comments == ()
    assert evolve(shallow[0], meta=full[0].meta, comments=full[0].comments) == full[0]
    assert shallow[1] == full[1]  # a type that is converted is read whole


@pytest.mark.parametrize("text", ["2009-06-26 19:52:00", "2009-06-26T19:52:00", " 2009-06-26 19:52:00\n",
                                  "2009-02-30 10:00:00", "2009-06-26 24:00:00", "0000-00-00 00:00:00",
                                  "２００９-06-26 19:52:00", "2009-06-26 19:52", "", None])
def test_utc_dates_are_the_local_ones_with_utc(text):
    """parse_mysql_date(utc=True) reads "+00:00" with fromisoformat rather than replace() the local date's tzinfo."""
    from datetime import timezone

    local, utc = wxr.parse_mysql_date(text), wxr.parse_mysql_date(text, utc=True)
    assert utc == (None if local is None else local.replace(tzinfo=timezone.utc))
    assert utc is None or utc.tzinfo is timezone.utc


def _mysql_date_as_before(text, *, utc=False):
    """parse_mysql_date as it was before its short cut for ASCII digits (4e55cf9), as an oracle."""
    import re
    from datetime import datetime, timezone

    if not text:
        return None
    text = text.strip()
    if text == "0000-00-00 00:00:00":
        return None
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$", text)
    if not m:
        return None
    try:
        value = datetime(*map(int, m.groups()))
    except ValueError:
        return None
    return value.replace(tzinfo=timezone.utc) if utc else value


@settings(max_examples=500, deadline=None)
@given(st.text("0123456789-: T\n\t\u0661+Z.", max_size=22), st.booleans())
def test_mysql_dates_read_as_before(text, utc):
    assert wxr.parse_mysql_date(text, utc=utc) == _mysql_date_as_before(text, utc=utc)
    date = "2020-06-15 12:30:45"
    for i in range(len(date)):  # a date with one character changed, anywhere, to one of the text's
        for c in text[:3] or "x":
            changed = date[:i] + c + date[i + 1:]
            assert wxr.parse_mysql_date(changed, utc=utc) == _mysql_date_as_before(changed, utc=utc)
