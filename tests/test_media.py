"""convert --media: the old site's media brought into the converted site, against a loopback HTTP server that
also gives the failures a real host gives (404, an HTML page for an image, a slow answer, redirects, a
transient 503, a crafted path)."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from migrate.cli import cli
from migrate.media.refs import MediaHosts, Refused
from migrate.model import Site

from .wxrfactory import item, write_wxr

JPEG_A = b"\xff\xd8\xff\xe0" + b"april poster" * 100
JPEG_B = b"\xff\xd8\xff\xe0" + b"may poster" * 100
PNG = b"\x89PNG\r\n\x1a\n" + b"photo" * 100
PNG_SMALL = b"\x89PNG\r\n\x1a\n" + b"small" * 50
PNG_FLAKY = b"\x89PNG\r\n\x1a\n" + b"flaky" * 50
PDF = b"%PDF-1.4\n" + b"notes" * 100
FILES = {
    "/wp-content/uploads/2015/04/poster.jpg": (JPEG_A, "image/jpeg"),
    "/wp-content/uploads/2015/05/poster.jpg": (JPEG_B, "image/jpeg"),
    "/wp-content/uploads/2015/05/poster-copy.jpg": (JPEG_A, "image/jpeg"),  # the same bytes as April's
    "/wp-content/uploads/2015/06/photo.png": (PNG, "image/png"),
    "/wp-content/uploads/2015/06/photo-300x200.png": (PNG_SMALL, "image/png"),
    "/wp-content/uploads/2015/06/notes.pdf": (PDF, "application/pdf"),
    "/wp-content/uploads/2015/07/page.jpg": (b"<!DOCTYPE html><html><body>Not found</body></html>", "text/html"),
}


class Handler(BaseHTTPRequestHandler):
    hits: list[str] = []
    flaky: set[str] = set()

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        Handler.hits.append(self.path)
        path = self.path.split("?", 1)[0]
        if path == "/wp-content/uploads/2015/07/slow.jpg":
            time.sleep(3)
        if path == "/wp-content/uploads/2015/07/moved.jpg":
            self.send_response(301)
            self.send_header("Location", "/wp-content/uploads/2015/04/poster.jpg")
            self.end_headers()
            return
        if path == "/wp-content/uploads/2015/07/flaky.png" and path not in Handler.flaky:
            Handler.flaky.add(path)
            self.send_response(503)
            self.end_headers()
            return
        if path == "/wp-content/uploads/2015/07/flaky.png":
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(PNG_FLAKY)
            return
        if path not in FILES:
            self.send_response(404)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<html>404</html>")
            return
        body, ctype = FILES[path]
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture()
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    Handler.hits = []
    Handler.flaky = set()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def export_for(tmp_path: Path, base: str) -> Path:
    up = f"{base}/wp-content/uploads"
    first = (f'<p>April: <img src="{up}/2015/04/poster.jpg?w=660" alt="April"></p>'
             f'<p>May: <img src="{up}/2015/05/poster.jpg" alt="May"></p>'
             f'<p>Copy: <img src="{up}/2015/05/poster-copy.jpg" alt="Copy"></p>'
             f'<p><a href="{up}/2015/06/photo.png"><img src="{up}/2015/06/photo-300x200.png" '
             f'srcset="{up}/2015/06/photo-300x200.png 300w, {up}/2015/06/photo.png 1200w" alt="Photo"></a></p>'
             f'<p><a href="{up}/2015/06/notes.pdf">My notes</a></p>'
             f'<p>Elsewhere: <img src="https://cdn.example.net/pic.jpg" alt="external"></p>')
    second = (f'<p><img src="{up}/2015/07/missing.jpg" alt="gone"></p>'
              f'<p><img src="{up}/2015/07/page.jpg" alt="html"></p>'
              f'<p><img src="{up}/2015/07/slow.jpg" alt="slow"></p>'
              f'<p><img src="{up}/2015/07/moved.jpg" alt="moved"></p>'
              f'<p><img src="{up}/2015/07/flaky.png" alt="flaky"></p>'
              f'<p><img src="{up}/%2e%2e/%2e%2e/etc/passwd.jpg" alt="crafted"></p>'
              f'<p><img src="/wp-content/uploads/2015/04/poster.jpg" alt="root-relative"></p>')
    thumb = "<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>9</wp:meta_value></wp:postmeta>"
    attachment = item(9, "Poster", post_type="attachment", slug="poster",
                      extra=f"<wp:attachment_url>{up}/2015/05/poster.jpg</wp:attachment_url>")
    path = write_wxr(tmp_path / "export.xml", [
        item(1, "Posters", slug="posters", content=first, extra=thumb),
        item(2, "Troubles", slug="troubles", content=second),
        attachment,
    ])
    path.write_text(path.read_text("utf-8").replace("https://films.example.org", base), "utf-8")
    return path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["convert", *args, "--jobs", "1"], catch_exceptions=False)
    return result.exit_code, result.output


def test_download_stores_rewrites_and_lists_failures(tmp_path: Path, server: str) -> None:
    export = export_for(tmp_path, server)
    out = tmp_path / "site"
    code, output = run(str(export), "-o", str(out), "--media", "download", "--timeout", "1",
                       "--media-retries", "1")
    assert code == 0, output
    static = out / "static" / "wp-content" / "uploads"
    # April's and May's poster.jpg both survive, at their own paths; query string gone; the original fetched too.
    assert (static / "2015/04/poster.jpg").read_bytes() == JPEG_A
    assert (static / "2015/05/poster.jpg").read_bytes() == JPEG_B
    assert (static / "2015/06/photo-300x200.png").read_bytes() == PNG_SMALL
    assert (static / "2015/06/photo.png").read_bytes() == PNG
    assert (static / "2015/06/notes.pdf").read_bytes() == PDF
    # The same bytes under another name are stored once.
    assert not (static / "2015/05/poster-copy.jpg").exists()
    assert not any("?" in p.name for p in static.rglob("*"))
    posters = (out / "content/posts/posters.md").read_text("utf-8")
    assert server not in posters.replace(f"{server}/?p=1", "")  # nothing left on the old host
    assert "](/wp-content/uploads/2015/04/poster.jpg)" in posters
    assert "](/wp-content/uploads/2015/05/poster.jpg)" in posters
    assert posters.count("/wp-content/uploads/2015/04/poster.jpg") == 2  # the copy points at April's file
    assert "/wp-content/uploads/2015/06/notes.pdf" in posters
    assert "featured_image: /wp-content/uploads/2015/05/poster.jpg" in posters
    assert "https://cdn.example.net/pic.jpg" in posters  # another host: left as it is
    troubles = (out / "content/posts/troubles.md").read_text("utf-8")
    # The redirect was followed, the transient 503 asked again; the others failed and stay at their URLs.
    assert (static / "2015/07/flaky.png").read_bytes() == PNG_FLAKY
    assert "](/wp-content/uploads/2015/07/flaky.png)" in troubles
    assert "](/wp-content/uploads/2015/04/poster.jpg)" in troubles  # moved.jpg gave April's bytes
    for name, reason in (("missing.jpg", "HTTP 404"), ("page.jpg", "an HTML page, not an image"),
                         ("slow.jpg", "timed out")):
        assert f"{server}/wp-content/uploads/2015/07/{name}" in troubles
        assert f"media not had: #2 'Troubles': {server}/wp-content/uploads/2015/07/{name}: {reason}" in output
        assert not (static / "2015/07" / name).exists()
    assert "%2e%2e" in troubles and "its path leaves the uploads folder" in output
    assert not any("passwd" in h for h in Handler.hits)  # refused before any request
    assert not list((out / ".wp-migrate").rglob("*.tmp"))

    # A second run fetches nothing it already has (only the failures are asked again) and changes nothing.
    Handler.hits = []
    code, output = run(str(export), "-o", str(out), "--media", "download", "--timeout", "1", "--media-retries", "0")
    assert code == 0, output
    assert "2 unchanged" in output
    assert all("/2015/07/" in h and "flaky" not in h and "moved" not in h for h in Handler.hits), Handler.hits
    assert (out / "content/posts/posters.md").read_text("utf-8") == posters


def test_dry_run_lists_what_would_be_fetched(tmp_path: Path, server: str) -> None:
    export = export_for(tmp_path, server)
    code, output = run(str(export), "-o", str(tmp_path / "site"), "--media", "download", "--dry-run")
    assert code == 0, output
    assert f"would fetch {server}/wp-content/uploads/2015/06/notes.pdf → wp-content/uploads/2015/06/notes.pdf" \
        in output
    assert Handler.hits == []
    assert not (tmp_path / "site").exists() or not list((tmp_path / "site").rglob("*.jpg"))


def test_keep_counts_references_by_host(tmp_path: Path, server: str) -> None:
    export = export_for(tmp_path, server)
    code, output = run(str(export), "-o", str(tmp_path / "site"))
    assert code == 0, output
    host = server.split("//", 1)[1]
    assert f"media references on the old site: {host} (13)" in output
    assert "13 media references are still on the old site (by host above) — add --media download" in output
    assert Handler.hits == []


def test_media_from_a_local_uploads_folder_uses_no_network(tmp_path: Path, server: str) -> None:
    export = export_for(tmp_path, server)
    uploads = tmp_path / "backup" / "uploads"
    for path, (body, _) in FILES.items():
        target = uploads / path.removeprefix("/wp-content/uploads/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
    (uploads / "2015/07/slow.jpg").symlink_to(uploads / "2015/04/poster.jpg")  # a link is not followed
    out = tmp_path / "site"
    code, output = run(str(export), "-o", str(out), "--media-from", str(uploads), "--layout", "jekyll")
    assert code == 0, output
    assert Handler.hits == []
    assert (out / "wp-content/uploads/2015/05/poster.jpg").read_bytes() == JPEG_B
    assert (out / "wp-content/uploads/2015/06/photo.png").read_bytes() == PNG
    assert "slow.jpg: " in output and "symbolic link" in output
    assert "page.jpg: an HTML page, not an image" in output
    assert not (out / "wp-content/uploads/2015/07/slow.jpg").exists()
    cache = json.loads((out / ".wp-migrate/media.json").read_text("utf-8"))
    assert cache[f"{server}/wp-content/uploads/2015/05/poster.jpg"]["local"] == "wp-content/uploads/2015/05/poster.jpg"


def test_the_sites_own_hosts_and_unsafe_paths() -> None:
    hosts = MediaHosts(Site(link="https://films.example.org", base_site_url="http://films.example.org"))
    ref = hosts.classify("https://films.example.org/wp-content/uploads/2015/04/her-1024x576.jpg?w=660")
    assert ref is not None and ref.url == "https://films.example.org/wp-content/uploads/2015/04/her-1024x576.jpg"
    assert ref.local == "wp-content/uploads/2015/04/her-1024x576.jpg"
    assert ref.original is not None and ref.original.local == "wp-content/uploads/2015/04/her.jpg"
    wpcom = hosts.classify("https://filmsexample.files.wordpress.com/2015/04/her.jpg?w=300&h=200")
    assert wpcom is not None and wpcom.local == "wp-content/uploads/2015/04/her.jpg"
    assert wpcom.url == "https://filmsexample.files.wordpress.com/2015/04/her.jpg"
    cdn = hosts.classify("https://i2.wp.com/films.example.org/wp-content/uploads/2015/04/her.jpg?resize=300%2C200")
    assert cdn is not None and cdn.url == "https://films.example.org/wp-content/uploads/2015/04/her.jpg"
    assert hosts.classify("https://www.films.example.org/wp-content/uploads/a.pdf") is not None
    assert hosts.classify("https://films.example.org/2015/04/12/a-review/") is None  # a page, not media
    assert hosts.classify("https://elsewhere.example.com/a.jpg") is None
    with pytest.raises(Refused):
        hosts.classify("https://films.example.org/wp-content/uploads/%2e%2e/%2E%2E/wp-config.php.jpg")
    external = MediaHosts(Site(link="https://films.example.org"), external=True)
    other = external.classify("https://elsewhere.example.com/img/a.jpg")
    assert other is not None and other.local == "media/elsewhere.example.com/img/a.jpg"


def test_links_between_posts_lead_to_their_new_pages(tmp_path: Path) -> None:
    site = "https://films.example.org"
    body = (f'<p><a href="{site}/2020/01/02/her/">permalink</a> <a href="http://films.example.org/2020/01/02/her">'
            f'http, no slash</a> <a href="/2020/01/02/her/#cast">no domain</a> <a href="{site}/?p=2">by id</a> '
            f'<a href="{site}/?page_id=3">a page</a> <a href="{site}/2020/01/02/unfinished/">a draft</a> '
            f'<a href="{site}/?p=99">deleted</a> <a href="{site}/category/reviews/">archive</a> '
            f'<a href="{site}/?attachment_id=9">attachment</a> <a href="https://elsewhere.example.com/x/">other</a>'
            f'</p>')
    terms = ('<category domain="category" nicename="reviews"><![CDATA[Film Reviews]]></category>')
    channel = ("<wp:category><wp:term_id>5</wp:term_id><wp:category_nicename>reviews</wp:category_nicename>"
               "<wp:category_parent></wp:category_parent><wp:cat_name><![CDATA[Film Reviews]]></wp:cat_name>"
               "</wp:category>")
    export = write_wxr(tmp_path / "export.xml", [
        item(1, "Links", slug="links", content=body, extra=terms),
        item(2, "Her", slug="her", content="<p>A review.</p>"),
        item(3, "About", slug="about", post_type="page", link=f"{site}/about/"),
        item(4, "Unfinished", slug="unfinished", status="draft"),
        item(9, "Poster", post_type="attachment", slug="poster", link=f"{site}/2020/01/02/her/poster/",
             extra=f"<wp:attachment_url>{site}/wp-content/uploads/2020/01/poster.jpg</wp:attachment_url>"),
    ], channel=channel)
    out = tmp_path / "site"
    code, output = run(str(export), "-o", str(out))
    assert code == 0, output
    text = (out / "content/posts/links.md").read_text("utf-8")
    assert text.count("](/posts/her/)") == 3, text
    assert "](/posts/her/#cast)" in text
    assert "[a page](/about/)" in text
    assert "[archive](/categories/film-reviews/)" in text
    assert f"[a draft]({site}/2020/01/02/unfinished/)" in text
    assert f"[deleted]({site}/?p=99)" in text
    assert f"[attachment]({site}/wp-content/uploads/2020/01/poster.jpg)" in text
    assert "[other](https://elsewhere.example.com/x/)" in text
    assert f"link not resolved: #1 'Links': {site}/2020/01/02/unfinished/" in output
    assert f"link not resolved: #1 'Links': {site}/?p=99" in output


def test_a_file_that_cannot_be_stored_fails_alone(tmp_path: Path, server: str) -> None:
    export = export_for(tmp_path, server)
    out = tmp_path / "site"
    (out / "static/wp-content/uploads").mkdir(parents=True)
    (out / "static/wp-content/uploads/2015").write_text("a file where a folder should be")
    code, output = run(str(export), "-o", str(out), "--media", "download", "--timeout", "1",
                       "--media-retries", "0")
    assert code == 0, output
    assert f"{server}/wp-content/uploads/2015/05/poster.jpg: cannot write" in output
    posters = (out / "content/posts/posters.md").read_text("utf-8")
    assert f"({server}/wp-content/uploads/2015/05/poster.jpg)" in posters  # left at its URL, the post written
    assert not list((out / ".wp-migrate").rglob("*.tmp"))



def bundle_export(tmp_path: Path, base: str, *, first: bool = True) -> Path:
    up = f"{base}/wp-content/uploads"
    body = (f'<p>April: <img src="{up}/2015/04/poster.jpg?w=660" alt="April"></p>'
            f'<p>May: <img src="{up}/2015/05/poster.jpg" alt="May"></p>'
            f'<p>Copy: <img src="{up}/2015/05/poster-copy.jpg" alt="Copy"></p>'
            f'<p><a href="{up}/2015/06/photo.png"><img src="{up}/2015/06/photo-300x200.png" '
            f'srcset="{up}/2015/06/photo-300x200.png 300w, {up}/2015/06/photo.png 1200w" alt="Photo"></a></p>'
            f'<p><a href="{up}/2015/06/notes.pdf">My notes</a></p>')
    second = f'<p>The same notes: <a href="{up}/2015/06/notes.pdf">notes</a>.</p>'
    thumb = "<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>9</wp:meta_value></wp:postmeta>"
    path = write_wxr(tmp_path / ("export.xml" if first else "later.xml"), [
        *([item(1, "Posters", slug="posters", content=body, extra=thumb)] if first else []),
        item(2, "Notes again", slug="notes-again", content=second),
        item(9, "Poster", post_type="attachment", slug="poster",
             extra=f"<wp:attachment_url>{up}/2015/05/poster.jpg</wp:attachment_url>"),
    ])
    path.write_text(path.read_text("utf-8").replace("https://films.example.org", base), "utf-8")
    return path


def site_files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and ".wp-migrate" not in p.parts}


def test_bundle_layout_puts_a_posts_own_files_beside_it(tmp_path: Path, server: str) -> None:
    from migrate.verify import find_hugo

    export = bundle_export(tmp_path, server)
    out = tmp_path / "site"
    code, output = run(str(export), "-o", str(out), "--media", "download", "--media-layout", "bundle", "--dry-run")
    assert code == 0, output
    assert f"would fetch {server}/wp-content/uploads/2015/05/poster.jpg → content/posts/posters/poster.jpg" in output
    assert f"would fetch {server}/wp-content/uploads/2015/06/notes.pdf → wp-content/uploads/2015/06/notes.pdf" \
        in output  # (two posts use it)
    assert Handler.hits == []
    # First with the site's paths, then switched to bundles: the switch is a sync (no posters.md left behind).
    code, output = run(str(export), "-o", str(out), "--media", "download")
    assert code == 0, output
    assert (out / "content/posts/posters.md").is_file()
    code, output = run(str(export), "-o", str(out), "--media", "download", "--media-layout", "bundle")
    assert code == 0, output
    assert "media: 0 fetched" in output  # moved, not fetched again
    files = site_files(out)
    bundle = "content/posts/posters/"
    # The post's own files beside it; May's and April's poster.jpg two names (May's, the featured image, is met
    # first); the same bytes (April's and its copy) stored once; the sized variant and its original both; the PDF
    # two posts use stays under static/, once.
    assert {k: v for k, v in files.items() if k.startswith(bundle)} == {
        f"{bundle}index.md": files[f"{bundle}index.md"], f"{bundle}poster.jpg": JPEG_B,
        f"{bundle}poster-2.jpg": JPEG_A, f"{bundle}photo-300x200.png": PNG_SMALL, f"{bundle}photo.png": PNG}
    assert [k for k in files if k.startswith("static/")] == ["static/wp-content/uploads/2015/06/notes.pdf"]
    assert "content/posts/posters.md" not in files and "content/posts/notes-again.md" not in files
    posters = files[f"{bundle}index.md"].decode()
    assert "![April](poster-2.jpg)" in posters and "![Copy](poster-2.jpg)" in posters
    assert "![May](poster.jpg)" in posters
    assert "[![Photo](photo-300x200.png)](photo.png)" in posters
    assert "[My notes](/wp-content/uploads/2015/06/notes.pdf)" in posters
    assert "featured_image: poster.jpg" in posters
    assert "(/wp-content/uploads/2015/06/notes.pdf)" in files["content/posts/notes-again/index.md"].decode()
    assert server not in posters

    # A second run changes nothing and fetches nothing.
    Handler.hits = []
    code, output = run(str(export), "-o", str(out), "--media", "download", "--media-layout", "bundle")
    assert code == 0, output
    assert "2 unchanged" in output and "0 moved by this run" in output and Handler.hits == []
    assert site_files(out) == files

    hugo = find_hugo()
    if hugo:  # the built page loads its images from itself; verify finds nothing
        import subprocess

        subprocess.run([hugo, "--source", str(out), "--destination", str(tmp_path / "public"), "--quiet"],
                       check=True, capture_output=True)
        page = (tmp_path / "public/posts/posters/index.html").read_text("utf-8")
        assert 'src="poster.jpg"' in page and 'src="poster-2.jpg"' in page
        for name in ("poster.jpg", "poster-2.jpg", "photo.png", "photo-300x200.png"):
            assert (tmp_path / "public/posts/posters" / name).read_bytes() == files[bundle + name]
        verdict = CliRunner().invoke(cli, ["verify", str(out)])
        assert verdict.exit_code == 0, verdict.output

    # A later export without the post: its bundle goes, files and all (back under static/, for a later run).
    code, output = run(str(bundle_export(tmp_path, server, first=False)), "-o", str(out), "--media", "download",
                       "--media-layout", "bundle")
    assert code == 0, output
    assert not (out / bundle).exists()
    assert (out / "static/wp-content/uploads/2015/05/poster.jpg").read_bytes() == JPEG_B

    # Back to the site's paths: the files return under static/, the bundles go.
    code, output = run(str(export), "-o", str(out), "--media", "download")
    assert code == 0, output
    back = site_files(out)
    assert not any(k.startswith(bundle) for k in back) and (out / "content/posts/posters.md").is_file()
    assert back["static/wp-content/uploads/2015/05/poster.jpg"] == JPEG_B
    assert back["static/wp-content/uploads/2015/06/photo.png"] == PNG
    assert "media: 0 fetched" in output


def test_bundle_layout_is_for_hugo_only(tmp_path: Path) -> None:
    out = tmp_path / "site"
    code, output = run("-o", str(out), "--layout", "jekyll", "--media-layout", "bundle")
    assert code == 2
    assert "--media-layout bundle puts a post's media in a Hugo page bundle; --layout jekyll has no page bundles" \
        in output
    assert not out.exists()
