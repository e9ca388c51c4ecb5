"""The WXR extractor: namespaces, dates, slugs, terms, meta, comments, errors."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from migrate.errors import InputError
from migrate.extract.phpserial import maybe_unserialize
from migrate.extract.wxr import read_wxr

from .wxrfactory import item, write_wxr


def posts_of(path):
    return list(read_wxr(path).posts())


@pytest.mark.parametrize(
    "ns,version",
    [
        ("http://wordpress.org/export/1.0/", "1.0"),
        ("http://wordpress.org/export/1.1/", "1.1"),
        ("http://wordpress.org/export/1.2/", "1.2"),
        ("https://wordpress.org/export/1.2/", "1.2"),
    ],
)
def test_every_wxr_version_and_scheme_is_read(tmp_path, ns, version):
    path = write_wxr(tmp_path / "e.xml", [item(1, "First"), item(2, "Second")], ns=ns, version=version)
    export = read_wxr(path)
    assert export.site.title == "Test Site"
    assert export.site.wxr_version == version
    assert export.site.authors[0].display_name == "Ed Itor"
    assert [(p.id, p.title, p.slug) for p in export.posts()] == [(1, "First", "post-1"), (2, "Second", "post-2")]


def test_namespace_matched_by_uri_not_prefix(tmp_path):
    path = write_wxr(tmp_path / "e.xml", [item(7, wp="wordpress")], wp="wordpress")
    (post,) = posts_of(path)
    assert post.id == 7 and post.slug == "post-7" and post.status == "publish"


def test_title_entities_decoded_exactly_once(tmp_path):
    # Older exports escape the title for XML; newer ones put WordPress's stored HTML title in CDATA.
    path = write_wxr(tmp_path / "e.xml", [item(1, "Fast &amp; Furious &#8211; ok"),
                                          item(2, "<![CDATA[Media &amp; Text &amp;amp; more]]>")])
    first, second = posts_of(path)
    assert first.title == "Fast & Furious – ok"
    assert second.title == "Media & Text &amp; more"


def test_dates_local_gmt_and_no_date_drafts(tmp_path):
    draft = item(2, status="draft", slug="", date="2020-03-04 05:06:07", date_gmt="0000-00-00 00:00:00",
                 link="https://films.example.org/?p=2")
    path = write_wxr(tmp_path / "e.xml", [item(1), draft])
    published, unpublished = posts_of(path)
    assert published.date == datetime(2020, 1, 2, 10, 0, 0)
    assert published.date_gmt == datetime(2020, 1, 2, 9, 0, 0, tzinfo=timezone.utc)
    assert unpublished.date_gmt is None
    assert unpublished.slug == "2"  # empty post_name, link without a path segment: the id


def test_zero_dates_everywhere_are_no_date(tmp_path):
    path = write_wxr(tmp_path / "e.xml", [item(3, status="draft", date="0000-00-00 00:00:00",
                                                date_gmt="0000-00-00 00:00:00")])
    (post,) = posts_of(path)
    assert post.date is None and post.date_gmt is not None  # falls back to pubDate
    path = write_wxr(tmp_path / "e.xml", [item(3, status="draft", date="0000-00-00 00:00:00",
                                                date_gmt="0000-00-00 00:00:00").replace(
        "Thu, 02 Jan 2020 09:00:00 +0000", "Mon, 30 Nov -0001 00:00:00 +0000")])
    (post,) = posts_of(path)
    assert post.date is None and post.date_gmt is None


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("%c3%bcber-uns", "über-uns"),
        ("%ce%b5%cf%80%ce%af%cf%80%ce%b5%ce%b4%ce%bf-2", "επίπεδο-2"),
        ("100%-sure", "100%-sure"),  # a malformed % sequence is kept as it is
        ("%25c3", "%c3"),  # decoded once, not twice
    ],
)
def test_slugs_are_percent_decoded_once(tmp_path, raw, expected):
    (post,) = posts_of(write_wxr(tmp_path / "e.xml", [item(1, slug=raw)]))
    assert post.slug == expected


def test_empty_slug_falls_back_to_link_segment(tmp_path):
    (post,) = posts_of(write_wxr(tmp_path / "e.xml", [item(1, slug="", link="https://x.example/2020/a-b%c3%a9/")]))
    assert post.slug == "a-bé"


def test_wxr_10_terms_are_not_duplicated_nor_lost(tmp_path):
    terms = (
        '<category><![CDATA[Reviews]]></category>'
        '<category domain="category" nicename="reviews"><![CDATA[Reviews]]></category>'
        '<category domain="tag"><![CDATA[drama]]></category>'
        '<category domain="tag" nicename="drama"><![CDATA[drama]]></category>'
        '<category><![CDATA[Only Here]]></category>'
        '<category domain="genre" nicename="sci-fi"><![CDATA[Sci-Fi]]></category>'
    )
    path = write_wxr(tmp_path / "e.xml", [item(1, extra=terms)], ns="http://wordpress.org/export/1.0/",
                     version="1.0")
    (post,) = posts_of(path)
    assert sorted((t.taxonomy, t.name) for t in post.terms) == [
        ("category", "Only Here"), ("category", "Reviews"), ("genre", "Sci-Fi"), ("post_tag", "drama")]


def test_meta_unserialized_safely_and_comments_read(tmp_path):
    meta = (
        '<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value><![CDATA[42]]></wp:meta_value></wp:postmeta>'
        '<wp:postmeta><wp:meta_key>data</wp:meta_key>'
        '<wp:meta_value><![CDATA[a:2:{s:5:"width";i:600;s:4:"name";s:5:"héé";}]]></wp:meta_value></wp:postmeta>'
        '<wp:postmeta><wp:meta_key>broken</wp:meta_key><wp:meta_value><![CDATA[a:9:{oops]]></wp:meta_value></wp:postmeta>'
        '<wp:comment><wp:comment_id>5</wp:comment_id><wp:comment_author><![CDATA[Ann]]></wp:comment_author>'
        '<wp:comment_author_email>ann@example.com</wp:comment_author_email><wp:comment_author_IP>192.0.2.1</wp:comment_author_IP>'
        '<wp:comment_date>2020-01-03 10:00:00</wp:comment_date>'
        '<wp:comment_date_gmt>2020-01-03 09:00:00</wp:comment_date_gmt>'
        '<wp:comment_content><![CDATA[Nice.]]></wp:comment_content><wp:comment_approved>1</wp:comment_approved>'
        '<wp:comment_type></wp:comment_type><wp:comment_parent>0</wp:comment_parent>'
        '<wp:commentmeta><wp:meta_key>akismet_result</wp:meta_key><wp:meta_value>false</wp:meta_value></wp:commentmeta>'
        '</wp:comment>'
    )
    (post,) = posts_of(write_wxr(tmp_path / "e.xml", [item(1, extra=meta)]))
    assert post.meta_value("_thumbnail_id") == "42"
    assert post.meta_value("data") == {"width": 600, "name": "héé"}
    assert post.meta_value("broken") == "a:9:{oops"
    (comment,) = post.comments
    assert (comment.author, comment.author_email, comment.author_ip, comment.status, comment.type) == (
        "Ann", "ann@example.com", "192.0.2.1", "approved", "comment")
    assert comment.meta[0].key == "akismet_result"


@pytest.mark.parametrize(
    "text,expected",
    [
        ("N;", None),
        ("b:1;", True),
        ("i:-3;", -3),
        ("d:0.5;", 0.5),
        ('a:2:{i:0;s:1:"a";i:1;s:1:"b";}', ["a", "b"]),
        ('O:8:"stdClass":1:{s:1:"x";i:1;}', {"__class__": "stdClass", "x": 1}),
        ('s:3:"ab";', 's:3:"ab";'),  # wrong length: not serialized data, kept as text
        ("plain text", "plain text"),
    ],
)
def test_php_unserialize(text, expected):
    assert maybe_unserialize(text) == expected


def test_not_an_export_is_a_clear_error(tmp_path):
    path = tmp_path / "feed.xml"
    path.write_text('<?xml version="1.0"?><html><body/></html>')
    with pytest.raises(InputError, match="not a WordPress export"):
        read_wxr(path)
    path.write_text('<?xml version="1.0"?><rss><channel><title>x</title><item><title>a</title></item></channel></rss>')
    with pytest.raises(InputError, match="not a WordPress export"):
        read_wxr(path)


def test_broken_xml_names_line(tmp_path):
    path = write_wxr(tmp_path / "e.xml", [item(1), item(2, title="Tom & Jerry")])
    with pytest.raises(InputError) as err:
        read_wxr(path)
    assert str(path) in str(err.value) and err.value.line is not None
