"""Reading a live site over its REST API: parity with WordPress's own export (with an account, file by file;
without one, the published content), and one clear line for each way a site can refuse.

Against the test WordPress (fixture ``wordpress``); answers a WordPress would not give on demand (REST
disabled, HTML, a login wall, rate limits) come from a tiny ``http.server`` on 127.0.0.1 that passes
everything else on to the real site.
"""

from __future__ import annotations

import http.server
import json
import math
import threading
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from migrate import pipeline
from migrate.config import SiteSettings, resolve
from migrate.extract.rest import RestClient, RestSite
from migrate.extract.xmlrpc import SiteError
from migrate.rules import RuleSet
from migrate.transform.frontmatter import parse_document
from tests.wordpress.wp import WordPress

from .test_xmlrpc import cli_env, create_content, manifest, wp_migrate

_TYPOGRAPHY = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "…": "...", "–": "--", "—": "---",
                             "\u00a0": " "})


def app_password(wp: WordPress) -> str:
    """A new application password for the admin (Users → Profile → Application Passwords)."""
    name = f"wp-migrate tests {uuid.uuid4().hex[:8]}"  # names are unique per user
    return wp.php(
        f"$r = WP_Application_Passwords::create_new_application_password(1, array('name' => '{name}'));"
        "if (is_wp_error($r)) { fwrite(STDERR, $r->get_error_message()); exit(1); } echo $r[0];"
    ).strip()


def account(wp: WordPress, password: str) -> SiteSettings:
    return resolve(wp.url, env={"WORDPRESS_USER": wp.user, "WORDPRESS_PASSWORD": password})


def public(url: str) -> SiteSettings:
    return resolve(url, env={}, required=False)


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
            if p.is_file() and ".wp-migrate" not in p.parts}


@pytest.fixture(scope="module")
def rest(wordpress: WordPress, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    ids = create_content(wordpress)
    block = wordpress.insert_post(post_type="wp_block", post_title=f"Shared {ids['tag']}", post_status="publish",
                                  post_content="<!-- wp:paragraph -->\n<p>Shared words.</p>\n<!-- /wp:paragraph -->")
    ids["reuses"] = wordpress.insert_post(post_title=f"Reuses {ids['tag']}", post_status="publish",
                                          post_content=f'<!-- wp:block {{"ref":{block}}} /-->')
    password = app_password(wordpress)
    out = tmp_path_factory.mktemp("rest")
    export = out / "export.xml"
    export.write_bytes(wordpress.export_wxr())
    site = pipeline.open_source("rest", wordpress.url, settings=account(wordpress, password))
    anonymous = pipeline.open_source("rest", wordpress.url, settings=public(wordpress.url))
    published = pipeline.Options(rules=RuleSet(statuses=("publish",)))
    reports = {
        "rest": pipeline.convert(site, out / "rest"),
        "wxr": pipeline.convert(pipeline.open_source("wxr", export), out / "wxr"),
        "public": pipeline.convert(anonymous, out / "public"),
        "wxr-published": pipeline.convert(pipeline.open_source("wxr", export), out / "wxr-published",
                                          options=published),
    }
    return {"ids": ids, "out": out, "password": password, "reports": reports, "export": export,
            "wxr": pipeline.open_source("wxr", export)}


def test_with_an_account_the_files_are_the_exports(rest: dict[str, Any]) -> None:
    out = rest["out"]
    got, expected = files(out / "rest"), files(out / "wxr")
    assert sorted(got) == sorted(expected)
    # What the README lists as impossible: a draft whose date was set by hand gets no UTC offset (the API
    # fills in every draft's UTC date, so a set one cannot be told from a floating one).
    hand_dated = {str(p.id) for p in rest["wxr"].posts() if p.status in ("draft", "pending") and p.date_gmt}
    paths = manifest(out / "wxr")
    allowed = {paths[i] for i in hand_dated if i in paths}
    differing = sorted(path for path in expected if got[path] != expected[path])
    assert [p for p in differing if p not in allowed] == []
    mine = [v for k, v in rest["ids"].items() if isinstance(v, int) and k not in ("tag", "image")]
    assert all(paths[str(i)] not in differing for i in mine)
    assert "Shared words." in got[paths[str(rest["ids"]["reuses"])]].decode()  # a reusable block, inlined
    assert manifest(out / "rest") == paths
    counts = {k: r.counts for k, r in rest["reports"].items()}
    assert counts["rest"]["new"] == counts["wxr"]["new"] > 10
    assert any("read over the REST API" in n for n in rest["reports"]["rest"].notes)


def _normal(text: str) -> str:
    return " ".join(text.translate(_TYPOGRAPHY).split())


def test_without_an_account_the_published_content(rest: dict[str, Any]) -> None:
    out, ids = rest["out"], rest["ids"]
    got, expected = files(out / "public"), files(out / "wxr-published")
    assert sorted(got) == sorted(expected)
    paths = manifest(out / "public")
    for hidden in ("draft", "private", "future"):
        assert str(ids[hidden]) not in paths
    for path in sorted(expected):
        if not path.endswith(".md"):
            assert got[path] == expected[path], path
            continue
        front, body = parse_document(got[path].decode())
        want_front, want_body = parse_document(expected[path].decode())
        if front.get("password_protected"):
            assert body.strip() == ""  # the public does not get a protected post's content
        else:
            assert _normal(body) == _normal(want_body), path  # WordPress's curly quotes aside
        for key in ("date", "lastmod", "slug", "categories", "tags", "author", "aliases", "draft", "sticky",
                    "featured_image", "wordpress_id", "summary", "password_protected"):
            assert front.get(key) == want_front.get(key), (path, key)
        assert _normal(front["title"]) == _normal(want_front["title"])
        assert json.dumps(front.get("comments"), default=str) == json.dumps(want_front.get("comments"), default=str)
    post = parse_document(got[paths[str(ids["post"])]].decode())[0]
    assert [c["body"] for c in post["comments"]] == [f"Top comment {ids['tag']}"]
    assert "Shared words." in got[paths[str(ids["reuses"])]].decode()  # the block, as WordPress rendered it
    notes = rest["reports"]["public"].notes
    assert any("drafts, pending, private and scheduled posts" in n for n in notes)


def test_a_protected_post_stays_unpublished_without_its_password(rest: dict[str, Any]) -> None:
    out, ids = rest["out"], rest["ids"]
    front, body = parse_document((out / "public" / manifest(out / "public")[str(ids["protected"])]).read_text())
    assert front["draft"] is True and front["password_protected"] is True and "Secret" not in body


def test_convert_and_inspect_on_the_command_line(wordpress: WordPress, rest: dict[str, Any], tmp_path: Path) -> None:
    env = cli_env(None, tmp_path, WORDPRESS_USER=wordpress.user, WORDPRESS_PASSWORD=rest["password"])
    result = wp_migrate("convert", "--from-site", wordpress.url, "--api", "rest", "--out", tmp_path / "site", env=env)
    assert result.returncode == 0, result.stderr
    assert "read over the REST API" in result.stdout and rest["password"] not in result.stdout + result.stderr
    assert files(tmp_path / "site") == files(rest["out"] / "rest")
    result = wp_migrate("inspect", "--from-site", wordpress.url, env=cli_env(None, tmp_path))
    assert result.returncode == 0, result.stderr
    assert "(REST API)" in result.stdout and "page                 publish" in result.stdout
    assert "cannot be seen" in result.stdout


# ------------------------------------------------------------------------------------------- a server in front


class Front:
    """An HTTP server on 127.0.0.1: ``answer(method, path)`` gives (status, headers, body) or None to pass the
    request on to the real WordPress (whose own address is rewritten to this one's)."""

    def __init__(self, wp: WordPress, answer: Callable[[str, str], tuple[int, dict[str, str], bytes] | None]) -> None:
        self.requests: list[str] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _serve(self, method: str) -> None:
                outer.requests.append(f"{method} {self.path}")
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)) if method == "POST" else None
                own = answer(method, self.path)
                if own is None:
                    headers = {k: v for k, v in self.headers.items() if k.lower() in ("authorization", "content-type")}
                    request = urllib.request.Request(wp.url + self.path, data=body, headers=headers, method=method)
                    try:
                        with urllib.request.urlopen(request, timeout=60) as resp:
                            status, data = resp.status, resp.read()
                            kind = resp.headers.get("Content-Type", "")
                            extra = {k: v for k, v in resp.headers.items() if k.startswith("X-WP-")}
                    except urllib.error.HTTPError as e:
                        status, data, kind, extra = e.code, e.read(), e.headers.get("Content-Type", ""), {}
                    data = data.replace(wp.url.encode(), outer.url.encode()).replace(
                        wp.url.replace("/", "\\/").encode(), outer.url.replace("/", "\\/").encode())
                    own = (status, {"Content-Type": kind, **extra}, data)
                status, headers, data = own
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                self._serve("GET")

            def do_POST(self) -> None:
                self._serve("POST")

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def front(wordpress: WordPress) -> Iterator[Callable[..., Front]]:
    made: list[Front] = []

    def make(answer: Callable[[str, str], tuple[int, dict[str, str], bytes] | None]) -> Front:
        made.append(Front(wordpress, answer))
        return made[-1]

    yield make
    for f in made:
        f.close()


HTML = {"Content-Type": "text/html; charset=UTF-8"}
PAGE = b"<!DOCTYPE html><html><head><title>Not here</title></head><body>Page not found</body></html>"


def _rest(path: str) -> bool:
    return path.startswith("/wp-json") or "rest_route=" in path


def _no_sleep() -> dict[str, Any]:
    return {"backoff": 0.01, "sleep": lambda s: None}


def test_rest_disabled_is_one_line(front: Callable[..., Front], tmp_path: Path) -> None:
    server = front(lambda method, path: (404, HTML, PAGE) if _rest(path) else None)
    with pytest.raises(SiteError) as info:
        RestClient(public(server.url), **_no_sleep()).connect()
    assert "no REST API here (HTTP 404)" in str(info.value) and "--api xmlrpc" in str(info.value)
    result = wp_migrate("convert", "--from-site", server.url, "--api", "rest", "--out", tmp_path / "o",
                        env=cli_env(None, tmp_path))
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert "no REST API here" in result.stderr and not (tmp_path / "o").exists()


def test_an_html_answer_is_one_line(front: Callable[..., Front]) -> None:
    server = front(lambda method, path: (200, HTML, PAGE) if _rest(path) else None)
    with pytest.raises(SiteError) as info:
        RestClient(public(server.url), **_no_sleep()).connect()
    message = str(info.value)
    assert "the answer is not JSON (text/html): it starts with '<!DOCTYPE html>" in message and "\n" not in message


def test_a_site_behind_a_login(front: Callable[..., Front], tmp_path: Path) -> None:
    def answer(method: str, path: str) -> tuple[int, dict[str, str], bytes] | None:
        if path.startswith("/wp-login.php"):
            return 200, HTML, b"<html><body><form id='loginform'></form></body></html>"
        return 302, {"Location": "/wp-login.php?redirect_to=x"}, b""

    server = front(answer)
    result = wp_migrate("convert", "--from-site", server.url, "--out", tmp_path / "o", env=cli_env(None, tmp_path))
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert "the site is behind a login" in result.stderr and "--from-html" in result.stderr


def test_basic_auth_wall_and_blocked_api(front: Callable[..., Front]) -> None:
    wall = front(lambda m, p: (401, {"WWW-Authenticate": 'Basic realm="x"', **HTML}, b"<h1>401</h1>"))
    with pytest.raises(SiteError, match="HTTP 401: the server asks for a login of its own"):
        RestClient(public(wall.url), **_no_sleep()).connect()
    blocked = front(lambda m, p: (403, HTML, b"<h1>Forbidden</h1>") if _rest(p) else None)
    with pytest.raises(SiteError, match=r"the REST API is blocked \(HTTP 403\)"):
        RestClient(public(blocked.url), **_no_sleep()).connect()


def test_wrong_application_password(wordpress: WordPress, tmp_path: Path) -> None:
    with pytest.raises(SiteError) as info:
        RestClient(account(wordpress, "nope nope nope"), **_no_sleep()).connect()
    assert "wrong user name or password (user 'admin'" in str(info.value) and "nope" not in str(info.value)


def test_rate_limits_wait_as_asked_then_go_on(front: Callable[..., Front], wordpress: WordPress) -> None:
    hits = {"n": 0}

    def answer(method: str, path: str) -> tuple[int, dict[str, str], bytes] | None:
        if path.startswith("/wp-json/wp/v2/users"):
            hits["n"] += 1
            if hits["n"] <= 2:
                return 429, {"Retry-After": "3", "Content-Type": "application/json"}, b'{"code":"too_many"}'
        return None

    server = front(answer)
    sleeps: list[float] = []
    site = RestSite(RestClient(public(server.url), backoff=0.5, sleep=sleeps.append))
    assert sleeps == [3.0, 3.0]  # Retry-After, not the shorter backoff
    assert site.site.authors and sum(1 for _ in site.posts()) >= 1

    always = front(lambda m, p: (429, {"Retry-After": "3600"}, b"slow down") if _rest(p) else None)
    with pytest.raises(SiteError) as info:
        RestClient(public(always.url), **_no_sleep()).connect()
    assert "rate limited (HTTP 429; it asks to wait 3600 s)" in str(info.value)


def test_transient_failures_are_retried_then_one_line(front: Callable[..., Front]) -> None:
    server = front(lambda m, p: (503, HTML, b"busy") if _rest(p) else None)
    sleeps: list[float] = []
    settings = SiteSettings(server.url, server.url + "/xmlrpc.php", None, timeout=5, retries=2)
    with pytest.raises(SiteError) as info:
        RestClient(settings, backoff=0.5, sleep=sleeps.append).connect()
    assert "HTTP 503" in str(info.value) and "(3 attempts)" in str(info.value)
    assert sleeps[:2] == [0.5, 1.0]


def test_paging_follows_total_pages(front: Callable[..., Front], wordpress: WordPress) -> None:
    """More than 100 comments: two pages, as X-WP-TotalPages says."""
    post = wordpress.insert_post(post_title="Many comments", post_content="x", post_status="publish")
    wordpress.php(f"for ($i = 0; $i < 130; $i++) wp_insert_comment(array('comment_post_ID' => {post}, "
                  "'comment_content' => 'c' . $i, 'comment_approved' => 1));")
    server = front(lambda m, p: None)
    site = RestSite(RestClient(public(server.url), **_no_sleep()))
    assert len(site.comments_of(post)) == 130
    total = sum(len(cs) for cs in (site._comments or {}).values())  # the site's, every post's
    pages = [r for r in server.requests if "/wp/v2/comments" in r]
    assert len(pages) == math.ceil(total / 100) >= 2
    assert "per_page=100" in pages[0] and "page=2" in pages[1]


def test_auto_falls_back_to_xmlrpc_and_says_so(front: Callable[..., Front], wordpress: WordPress,
                                                tmp_path: Path) -> None:
    server = front(lambda method, path: (404, HTML, PAGE) if _rest(path) else None)
    env = cli_env(None, tmp_path, WORDPRESS_USER=wordpress.user, WORDPRESS_PASSWORD=wordpress.password)
    result = wp_migrate("convert", "--from-site", server.url, "--out", tmp_path / "o", "--dry-run", env=env)
    assert result.returncode == 0, result.stderr
    assert "read over XML-RPC: the REST API could not be read" in result.stdout
    # No account: XML-RPC cannot be tried; the REST API's reason is the error.
    result = wp_migrate("convert", "--from-site", server.url, "--out", tmp_path / "o", env=cli_env(None, tmp_path))
    assert result.returncode == 2 and "no REST API here" in result.stderr


def test_xmlrpc_without_an_account_is_one_line(tmp_path: Path) -> None:
    result = wp_migrate("convert", "--from-site", "http://127.0.0.1:9", "--api", "xmlrpc", env=cli_env(None, tmp_path))
    assert result.returncode == 2 and "no credentials for http://127.0.0.1:9" in result.stderr


def test_the_public_sees_no_credentials_needed() -> None:
    settings = resolve("https://example.org", env={}, required=False)
    assert settings.credentials is None


def test_rendered_content_is_not_rendered_again() -> None:
    """What the public gets is WordPress's own HTML: no wpautop (no <br> for its newlines), no shortcodes."""
    from migrate.extract.wxr import ExportIndex
    from migrate.model import Post, Site
    from migrate.pipeline import Context, Options, transform

    rendered = "<p>One line\nand the next, as WordPress joined them.</p>\n<p>A literal [gallery] in text.</p>\n"
    post = Post(id=1, title="T", content=rendered, html=rendered, slug="t")
    ctx = Context(site=Site(), index=ExportIndex(), options=Options())
    converted, _ = transform(post, ctx)
    assert converted.body.strip() == "One line and the next, as WordPress joined them.\n\nA literal [gallery] in text."
    stored, _ = transform(Post(id=2, title="T", content=rendered, slug="t2"), ctx)  # the same, as stored content
    assert "One line\\\nand the next" in stored.body  # wpautop's <br />: what rendering it again would add


def test_xmlrpc_disabled_converts_through_rest(front: Callable[..., Front], wordpress: WordPress,
                                               rest: dict[str, Any], tmp_path: Path) -> None:
    """A host that blocks xmlrpc.php (as many do): --api auto reads the REST API, and the files are the ones
    converted from the site directly."""
    server = front(lambda method, path: (403, HTML, b"<h1>Forbidden</h1>") if "xmlrpc" in path else None)
    env = cli_env(None, tmp_path, WORDPRESS_USER=wordpress.user, WORDPRESS_PASSWORD=rest["password"])
    result = wp_migrate("convert", "--from-site", server.url, "--out", tmp_path / "site", env=env)
    assert result.returncode == 0, result.stderr
    assert "read over the REST API" in result.stdout
    assert not any("xmlrpc" in r for r in server.requests)
    got = {k: v.replace(server.url.encode(), wordpress.url.encode()) for k, v in files(tmp_path / "site").items()}
    expected = files(rest["out"] / "rest")  # (other tests may have added posts since)
    assert {k: got.get(k) for k in expected} == expected
