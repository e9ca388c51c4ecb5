"""publish sends WordPress the HTML a folder's Markdown renders to cleaned as convert cleans a post — unless
--allow-unsafe-html trusts the site's own markup. Against the real test WordPress (what it stores is what its
pages show: the test account may post unfiltered HTML, as a site's administrator may)."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

import lxml.html

from migrate.publish import render_markdown
from migrate.transform.frontmatter import parse_document
from migrate.transform.sanitize import clean_body_html
from tests.wordpress.wp import WordPress

from .conftest import SAMPLE
from .test_xmlrpc import Rpc, cli_env, wp_migrate

HOSTILE = """A paragraph with <a href="javascript:alert(1)">a raw link</a>, [a Markdown one](javascript:alert(2))
and <img src="x.png" onerror="alert(3)" alt="pic">.

<script>alert(4)</script>

<iframe src="https://evil.example/frame"></iframe>

<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ" width="640" frameborder="0" allowfullscreen></iframe>

<object data="https://evil.example/x.swf"></object>

<video src="https://films.example.org/v.mp4" poster="javascript:alert(5)" controls></video>

<details>
<summary>More</summary>

Hidden *text*.

</details>

<p onclick="alert(6)" style="color:red">Styled.</p>

<!--more-->

The rest, with <sup>1</sup>.
"""


def publish_file(wordpress: WordPress, home: Path, body: str, *flags: str, title: str = "Hostile") -> dict[str, Any]:
    """Write one new post into a folder, publish it, and fetch what WordPress stored."""
    tag = uuid.uuid4().hex[:8]
    folder = home / f"site-{tag}"
    (folder / "content" / "posts").mkdir(parents=True)
    (folder / "content" / "posts" / f"post-{tag}.md").write_text(
        f"---\ntitle: '{title} {tag}'\ndraft: true\n---\n{body}")
    result = wp_migrate("publish", folder, "--site", wordpress.url, "--backup-dir", home / "backups", *flags,
                        env=cli_env(wordpress, home), cwd=home)
    assert result.returncode == 0 and "1 new" in result.stdout, result.stdout + result.stderr
    state = (folder / ".wp-migrate" / "published.json").read_text("utf-8")
    post_id = int(re.search(r'"id": (\d+)', state).group(1))  # type: ignore[union-attr]
    return Rpc(wordpress).getPost(post_id)


def urls(doc: Any) -> list[str]:
    return [v for el in doc.iter() if isinstance(el.tag, str) for k, v in el.attrib.items()
            if k in ("href", "src", "poster", "data")]


def test_publish_sends_clean_html_by_default(wordpress: WordPress, tmp_path: Path) -> None:
    title = "A <em>title</em><script>alert(7)</script> & <img src=x onerror=alert(8)>"
    post = publish_file(wordpress, tmp_path, HOSTILE, title=title)
    assert post["post_title"].startswith("A <em>title</em> &amp;  "), post["post_title"]  # (themes print it as HTML)
    content = post["post_content"]
    doc = lxml.html.fragment_fromstring(content, create_parent="div")
    assert not [u for u in urls(doc) if u.lower().startswith(("javascript:", "vbscript:", "data:"))], content
    assert doc.xpath("//script|//object|//embed|//style") == [] and "alert(4)" not in content
    assert [f.get("src") for f in doc.iter("iframe")] == ["https://www.youtube.com/embed/dQw4w9WgXcQ"]
    assert not [el for el in doc.iter() if isinstance(el.tag, str) and any(a.startswith("on") for a in el.attrib)]
    assert doc.xpath("//p[@style]") == []
    # what the author wrote that is safe is all there
    assert doc.xpath("//details/summary")[0].text == "More" and doc.xpath("//details//em")[0].text == "text"
    assert doc.xpath("//video")[0].get("src") == "https://films.example.org/v.mp4"
    assert doc.xpath("//img")[0].get("alt") == "pic" and doc.xpath("//sup")[0].text == "1"
    assert "<!--more-->" in content and "Styled." in content


def test_publish_keeps_trusted_markup_with_allow_unsafe_html(wordpress: WordPress, tmp_path: Path) -> None:
    own = ('<iframe src="https://maps.example.org/embed?q=cinema" width="600"></iframe>\n\n'
           '<div class="widget" onclick="track()">Our <em>own</em> widget</div>\n')
    post = publish_file(wordpress, tmp_path, own, "--allow-unsafe-html")
    assert post["post_content"] == render_markdown(own)
    assert 'src="https://maps.example.org/embed?q=cinema"' in post["post_content"]
    assert 'onclick="track()"' in post["post_content"]


def test_what_convert_writes_passes_the_cleaning_unchanged(tmp_path: Path) -> None:
    """Every post of the sample export, converted (figures as HTML), rendered as publish renders it: cleaning
    keeps every element and attribute, and cleaning twice changes nothing."""
    result = wp_migrate("convert", SAMPLE, "--out", tmp_path / "site", "--figure-style", "html", "--jobs", "1",
                        env=cli_env(None, tmp_path))
    assert result.returncode == 0, result.stderr
    files = sorted((tmp_path / "site" / "content").rglob("*.md"))
    assert len(files) > 10
    for path in files:
        _, body = parse_document(path.read_text("utf-8"))
        html = render_markdown(body)
        cleaned = clean_body_html(html)
        assert clean_body_html(cleaned) == cleaned, path
        if not html.strip():
            continue
        before = lxml.html.fragment_fromstring(html, create_parent="div")
        after = lxml.html.fragment_fromstring(cleaned, create_parent="div")
        assert _shape(after) == _shape(before), path


def _shape(doc: Any) -> list[tuple[str, dict[str, str]]]:
    """Each element's tag and attributes (a bare attribute's empty value), table bodies left out (the cleaner
    spells them out), and the text."""
    return [(el.tag, {k: v for k, v in el.attrib.items()}) for el in doc.iter()
            if isinstance(el.tag, str) and el.tag != "tbody"] + [("text", {"": doc.text_content()})]

