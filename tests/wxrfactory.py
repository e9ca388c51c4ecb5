"""Tiny WXR documents written in the tests, for one behaviour each."""

from __future__ import annotations

from pathlib import Path

HEADER = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="{ns}excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:{wp}="{ns}">
<channel>
<title>Test Site</title>
<link>https://films.example.org</link>
<description>Reviews</description>
<language>en-GB</language>
<{wp}:wxr_version>{version}</{wp}:wxr_version>
<{wp}:base_site_url>https://films.example.org</{wp}:base_site_url>
<{wp}:base_blog_url>https://films.example.org</{wp}:base_blog_url>
<{wp}:author><{wp}:author_id>1</{wp}:author_id><{wp}:author_login>ed</{wp}:author_login>
<{wp}:author_email>ed@example.org</{wp}:author_email><{wp}:author_display_name><![CDATA[Ed Itor]]></{wp}:author_display_name>
<{wp}:author_first_name></{wp}:author_first_name><{wp}:author_last_name></{wp}:author_last_name></{wp}:author>
{channel}
{items}
</channel>
</rss>
"""


def item(post_id: int, title: str = "A post", *, wp: str = "wp", slug: str | None = None, status: str = "publish",
         post_type: str = "post", content: str = "Hello.", date: str = "2020-01-02 10:00:00",
         date_gmt: str = "2020-01-02 09:00:00", parent: int = 0, link: str | None = None, extra: str = "") -> str:
    slug = f"post-{post_id}" if slug is None else slug
    link = f"https://films.example.org/2020/01/02/{slug}/" if link is None else link
    return f"""<item><title>{title}</title><link>{link}</link>
<pubDate>Thu, 02 Jan 2020 09:00:00 +0000</pubDate><dc:creator>ed</dc:creator>
<guid isPermaLink="false">https://films.example.org/?p={post_id}</guid>
<content:encoded><![CDATA[{content}]]></content:encoded><excerpt:encoded><![CDATA[]]></excerpt:encoded>
<{wp}:post_id>{post_id}</{wp}:post_id><{wp}:post_date>{date}</{wp}:post_date>
<{wp}:post_date_gmt>{date_gmt}</{wp}:post_date_gmt><{wp}:comment_status>open</{wp}:comment_status>
<{wp}:post_name>{slug}</{wp}:post_name><{wp}:status>{status}</{wp}:status><{wp}:post_parent>{parent}</{wp}:post_parent>
<{wp}:menu_order>0</{wp}:menu_order><{wp}:post_type>{post_type}</{wp}:post_type>
<{wp}:post_password></{wp}:post_password><{wp}:is_sticky>0</{wp}:is_sticky>{extra}</item>"""


def write_wxr(path: Path, items: list[str] | str, *, ns: str = "http://wordpress.org/export/1.2/",
              version: str = "1.2", wp: str = "wp", channel: str = "") -> Path:
    body = "\n".join(items) if isinstance(items, list) else items
    path.write_text(HEADER.format(ns=ns, version=version, wp=wp, channel=channel, items=body), "utf-8")
    return path
