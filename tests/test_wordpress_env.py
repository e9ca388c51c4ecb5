"""The test WordPress itself: a real Debian WordPress on 127.0.0.1 (scripts/wordpress-env.sh)."""

from __future__ import annotations

import io
import re
import urllib.request
import uuid
import xml.etree.ElementTree as ET
import xmlrpc.client

import pytest

from tests.wordpress.wp import WordPress, WordPressError

WP_EXPORT_NS = "http://wordpress.org/export/1.2/"


def test_site_answers_http(wordpress: WordPress) -> None:
    with urllib.request.urlopen(wordpress.url + "/", timeout=30) as resp:
        assert resp.status == 200
        html = resp.read().decode("utf-8")
    assert re.search(r'<meta name="generator" content="WordPress \d', html)
    assert wordpress.url.startswith("http://127.0.0.1:")


def test_xmlrpc_get_users_blogs(wordpress: WordPress) -> None:
    blogs = wordpress.xmlrpc().wp.getUsersBlogs(wordpress.user, wordpress.password)
    assert len(blogs) == 1
    assert blogs[0]["isAdmin"] is True
    assert blogs[0]["xmlrpc"] == wordpress.xmlrpc_url
    assert blogs[0]["url"].rstrip("/") == wordpress.url


def test_xmlrpc_wrong_password_is_fault_403(wordpress: WordPress) -> None:
    with pytest.raises(xmlrpc.client.Fault) as excinfo:
        wordpress.xmlrpc().wp.getUsersBlogs(wordpress.user, wordpress.password + "-wrong")
    assert excinfo.value.faultCode == 403


def test_password_is_not_in_repr(wordpress: WordPress) -> None:
    assert wordpress.password not in repr(wordpress)


def test_wpautop_makes_two_paragraphs(wordpress: WordPress) -> None:
    assert wordpress.wpautop("a\n\nb") == "<p>a</p>\n<p>b</p>\n"
    assert wordpress.wpautop("a\nb") == "<p>a<br />\nb</p>\n"
    assert wordpress.wpautop("a\nb", br=False) == "<p>a\nb</p>\n"


def test_shortcode_unautop_and_do_shortcode(wordpress: WordPress) -> None:
    assert wordpress.shortcode_unautop("<p>[gallery]</p>") == "[gallery]"
    assert wordpress.do_shortcode("[not_a_registered_shortcode x=1]") == "[not_a_registered_shortcode x=1]"


def test_render_content_caption_is_figure(wordpress: WordPress) -> None:
    html = wordpress.render_content(
        '[caption id="attachment_7" align="aligncenter" width="300"]'
        '<img src="http://example.com/a.jpg" alt="" width="300" height="200" /> A caption[/caption]'
    )
    assert html.startswith("<figure ")
    assert 'class="wp-caption aligncenter"' in html
    assert '<figcaption id="caption-attachment-7" class="wp-caption-text">A caption</figcaption>' in html


def test_render_content_is_the_content_filter(wordpress: WordPress) -> None:
    # Classic content: wptexturize + wpautop.
    html = wordpress.render_content('"Quoted" -- text...\n\nnext')
    assert html == "<p>&#8220;Quoted&#8221; &#8212; text&#8230;</p>\n<p>next</p>\n"
    # Block content: do_blocks renders the blocks, and WordPress then skips wpautop.
    html = wordpress.render_content(
        '<!-- wp:paragraph -->\n<p>"Block"</p>\n<!-- /wp:paragraph -->\n\nloose\n\ntext'
    )
    assert "<p>&#8220;Block&#8221;</p>" in html and "wp:paragraph" not in html
    assert "<p>loose</p>" not in html


def test_render_many_keeps_order_and_any_bytes(wordpress: WordPress) -> None:
    texts = [f"post {i}\n\nsecond 'para' {i}" for i in range(300)]
    texts.append("caf\u00e9 \U0001f600 \x00 <b>")
    texts.append(b"\xff not utf-8")
    out = wordpress.render_many(texts)
    assert len(out) == len(texts)
    assert out[0] == "<p>post 0</p>\n<p>second &#8216;para&#8217; 0</p>\n"
    assert out[299] == "<p>post 299</p>\n<p>second &#8216;para&#8217; 299</p>\n"
    assert "caf\u00e9 \U0001f600" in out[300]
    assert out[301].encode("utf-8", "surrogateescape").startswith(b"<p>\xff not utf-8")
    assert wordpress.render_many([]) == []


def test_php_reads_stdin_and_reports_errors(wordpress: WordPress) -> None:
    assert wordpress.php("echo strtoupper(stream_get_contents(STDIN));", "abc\u00e9") == "ABC\u00e9"
    assert wordpress.php("echo get_option('permalink_structure');") == "/%year%/%monthnum%/%day%/%postname%/"
    with pytest.raises(WordPressError, match="no_such_function_here"):
        wordpress.php("no_such_function_here();")


def test_post_written_over_xmlrpc_is_served_and_rendered(wordpress: WordPress) -> None:
    title = f"XML-RPC post {uuid.uuid4().hex[:8]}"
    post_id = int(
        wordpress.xmlrpc().wp.newPost(
            1,
            wordpress.user,
            wordpress.password,
            {"post_title": title, "post_content": "one<!--more-->two", "post_status": "publish"},
        )
    )
    link = wordpress.call("get_permalink", post_id)
    assert re.fullmatch(re.escape(wordpress.url) + r"/\d{4}/\d{2}/\d{2}/xml-rpc-post-[0-9a-f]{8}/", link)
    with urllib.request.urlopen(link, timeout=30) as resp:
        assert title in resp.read().decode("utf-8")
    assert wordpress.render_post(post_id) == f'<p>one<span id="more-{post_id}"></span>two</p>\n'


def test_export_wxr_is_wordpress_rss(wordpress: WordPress) -> None:
    xml = wordpress.export_wxr()
    namespaces = {prefix: uri for _, (prefix, uri) in ET.iterparse(io.BytesIO(xml), events=["start-ns"])}
    assert namespaces.get("wp") == WP_EXPORT_NS
    root = ET.fromstring(xml)
    assert root.tag == "rss"
    assert root.findtext(f"channel/{{{WP_EXPORT_NS}}}wxr_version") == "1.2"
    assert root.findtext("channel/link") == wordpress.url
    titles = [item.findtext("title") for item in root.iter("item")]
    assert "Hello world!" in titles  # wp_install()'s first post
