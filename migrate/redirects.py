"""``--redirects FILE``: a map from every old URL of the site to its new one, in the formats people deploy to.

Old URLs: each written post's and page's permalink, its ``?p=ID`` / ``?page_id=ID`` address, attachment pages
(to the file), category and tag archives and the feeds (Hugo). A writer per format, behind a registry, all
given the same ``(old, new)`` pairs: Netlify/Cloudflare Pages ``_redirects``, an nginx ``map``, Apache
``.htaccess``, CSV.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from .errors import MigrateError

Pair = tuple[str, str]  # (old: a root-relative path, with ?p=ID where the old URL had it; new URL)


def _path_only(old: str) -> tuple[str, str]:
    path, _, query = old.partition("?")
    return path, query


def netlify(pairs: list[Pair]) -> str:
    lines = ["# wp-migrate: old WordPress URLs → the converted site (Netlify / Cloudflare Pages _redirects)",
             "# Lines with a query (p=ID) are Netlify's query matching; Cloudflare Pages ignores them."]
    for old, new in pairs:
        path, query = _path_only(old)
        lines.append(f"{path} {query} {new} 301" if query else f"{path} {new} 301")
    return "\n".join(lines) + "\n"


def nginx(pairs: list[Pair]) -> str:
    def q(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = ["# wp-migrate: old WordPress URLs → the converted site. Include in the http block; in the server",
             "# block: if ($wp_migrate_redirect) { return 301 $wp_migrate_redirect; }",
             "map $request_uri $wp_migrate_redirect {", "    default \"\";"]
    for old, new in pairs:
        lines.append(f"    {q(old)} {q(new)};")
        path, query = _path_only(old)
        if not query and path.endswith("/"):
            lines.append(f"    {q(path.rstrip('/'))} {q(new)};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def apache(pairs: list[Pair]) -> str:
    lines = ["# wp-migrate: old WordPress URLs → the converted site (Apache, mod_rewrite)", "RewriteEngine On"]
    for old, new in pairs:
        path, query = _path_only(old)
        pattern = "^" + re.escape(unquote(path).lstrip("/")).rstrip("/")
        pattern += "/?$" if path.endswith("/") else "$"
        if pattern == "^/?$":
            pattern = "^$"
        if query:
            lines.append(f"RewriteCond %{{QUERY_STRING}} ^{re.escape(query)}$")
            lines.append(f"RewriteRule {pattern} {new}? [R=301,L]")
        else:
            lines.append(f"RewriteRule {pattern} {new} [R=301,L]")
    return "\n".join(lines) + "\n"


def as_csv(pairs: list[Pair]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["from", "to"])
    writer.writerows(pairs)
    return buffer.getvalue()


#: Writers by format name.
FORMATS: dict[str, Callable[[list[Pair]], str]] = {"netlify": netlify, "nginx": nginx, "apache": apache,
                                                   "csv": as_csv}


def format_for(path: Path, asked: str | None) -> str:
    """The format ``--redirects-format`` names, else the one the file's name says."""
    if asked:
        if asked not in FORMATS:
            raise MigrateError(f"unknown redirects format {asked!r}", hint=f"choose one of: {', '.join(FORMATS)}")
        return asked
    name = path.name.lower()
    if name == "_redirects":
        return "netlify"
    if name == ".htaccess":
        return "apache"
    if name.endswith(".csv"):
        return "csv"
    if name.endswith((".conf", ".map")) or "nginx" in name:
        return "nginx"
    raise MigrateError(f"--redirects {path}: cannot tell the format from the file name",
                       hint="name it _redirects, .htaccess, *.csv or *.conf, or give --redirects-format")


def pairs_from(links: object, layout: str) -> list[Pair]:
    """Every old URL the run knows of → its new URL, old and new differing, sorted by old URL."""
    found: dict[str, str] = {}
    for post_id, old_path in links.old_paths():  # type: ignore[attr-defined]
        new = links.new_url(post_id)[1]  # type: ignore[attr-defined]
        if new is None and post_id in links.attachment_urls:  # type: ignore[attr-defined]
            new = links._attachment(post_id)  # type: ignore[attr-defined]
        if not new:
            continue
        found.setdefault(old_path, new)
        post_type = links.post_type(post_id) or "post"  # type: ignore[attr-defined]
        key = "page_id" if post_type == "page" else "attachment_id" if post_type == "attachment" else "p"
        found.setdefault(f"/?{key}={post_id}", new)
        if old_path.endswith("/") and post_type != "attachment" and layout == "hugo":
            found.setdefault(old_path + "feed/", new)
    if layout == "hugo":
        found.setdefault("/feed/", "/index.xml")
        for (taxonomy, slug), new in links.terms.items():  # type: ignore[attr-defined]
            if (taxonomy, slug) not in links.used_terms:  # type: ignore[attr-defined]
                continue  # no post with a page uses it: the site builds no archive for it
            old = f"/{taxonomy}/{quote(slug)}/"
            found.setdefault(old, new)
            found.setdefault(old + "feed/", new + "index.xml")
    return sorted((old, new) for old, new in found.items()
                  if unquote(old).rstrip("/") != unquote(urlsplit(new).path).rstrip("/") or urlsplit(new).netloc)


def render(path: Path, pairs: list[Pair], asked: str | None = None) -> str:
    return FORMATS[format_for(path, asked)](pairs)
