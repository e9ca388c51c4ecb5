"""Which URLs of a converted post are the old site's media, and where each file goes in the new site.

No I/O here. A reference is found in the rendered text (front matter and body alike: the featured image,
``![](…)``, ``srcset`` entries, links to a full-size original or a PDF, audio/video sources), classified
against the site's own hosts, and given a *local* path: the path it had on the old site
(``wp-content/uploads/2015/04/her.jpg``), so old image URLs keep working on the new host.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

from ..model import Site

IMAGE_EXTENSIONS = frozenset("jpg jpeg jpe png gif webp avif svg bmp ico tif tiff heic heif".split())
AUDIO_VIDEO_EXTENSIONS = frozenset("mp3 m4a ogg oga wav flac aac mp4 m4v mov webm ogv avi wmv mkv 3gp vtt".split())
DOCUMENT_EXTENSIONS = frozenset("pdf doc docx xls xlsx ppt pptx pps ppsx odt ods odp rtf txt csv zip gz epub key "
                                "numbers pages psd".split())
MEDIA_EXTENSIONS = IMAGE_EXTENSIONS | AUDIO_VIDEO_EXTENSIONS | DOCUMENT_EXTENSIONS

_TRAILING = ".,;:!?*"
_WP_CDN = re.compile(r"i[0-3]\.wp\.com")
_SIZED = re.compile(r"-(\d{1,5})x(\d{1,5})(\.[A-Za-z0-9]+)$")
UPLOADS = "wp-content/uploads"
_UNSAFE = re.compile(r"[\x00-\x1f\\]")


class Refused(ValueError):
    """A URL of the site's own that cannot be stored safely (its decoded path leaves the uploads folder)."""


@dataclass(frozen=True)
class MediaRef:
    """One media file: ``url`` to fetch (query string dropped: the original), ``local`` path in the new site
    (POSIX, relative to the site root), the ``host`` it was on, and its ``original`` when this is a sized
    variant (``photo-300x200.jpg`` → ``photo.jpg``: fetched too, where the site has it)."""

    url: str
    local: str
    host: str
    original: MediaRef | None = None

    @property
    def extension(self) -> str:
        return posixpath.splitext(self.local)[1].lstrip(".").lower()


def _host(netloc: str) -> str:
    host = netloc.lower().rsplit("@", 1)[-1]
    return host[4:] if host.startswith("www.") else host


def site_hosts(site: Site) -> frozenset[str]:
    """The hosts (with port, without ``www.``) of the export's site and blog URLs."""
    hosts = set()
    for url in (site.link, site.base_site_url, site.base_blog_url):
        if url:
            netloc = urlsplit(url.strip()).netloc
            if netloc:
                hosts.add(_host(netloc))
    return frozenset(hosts)


def site_base(site: Site) -> str:
    """The URL root-relative references are fetched from (``https://example.com``)."""
    for url in (site.base_site_url, site.link, site.base_blog_url):
        parts = urlsplit(url.strip()) if url else None
        if parts and parts.netloc:
            return f"{parts.scheme or 'https'}://{parts.netloc}"
    return ""


def safe_path(path: str) -> str:
    """The decoded URL path as a relative POSIX path, or :class:`Refused` when a part of it is ``..``, ``.``,
    empty where a name must be, or holds a backslash or NUL (``/wp-content/uploads/%2e%2e/…``)."""
    decoded = unquote(path)
    parts = decoded.split("/")
    if parts and parts[0] == "":
        parts = parts[1:]
    if not parts or not parts[-1]:
        raise Refused("no file name")
    if _UNSAFE.search(decoded) or any(part in ("", ".", "..") for part in parts):
        raise Refused("its path leaves the uploads folder")
    return "/".join(parts)


class MediaHosts:
    """Classifies URLs: the site's own media (and, with ``external``, every other host's) → :class:`MediaRef`."""

    def __init__(self, site: Site, *, external: bool = False) -> None:
        self.hosts = site_hosts(site)
        self.base = site_base(site)
        self.scheme = urlsplit(self.base).scheme or "https"
        self.external = external
        # Substrings one of which a text must hold to hold a reference (a quick test before the regex).
        needles = {f"//{h}" for h in self.hosts} | {f"//www.{h}" for h in self.hosts}
        needles |= {"files.wordpress.com", ".wp.com/", "/wp-content/uploads/"}
        self.needles = tuple(sorted(needles)) if not external else ("//",)

    def may_hold(self, text: str) -> bool:
        return any(n in text for n in self.needles)

    def classify(self, url: str) -> MediaRef | None:
        """The media file ``url`` refers to, None when it is not media to bring in, :class:`Refused` when it is
        the site's own but unsafe."""
        if url.startswith("/wp-content/"):
            url = self.base + url if self.base else url
        elif url.startswith("//"):
            url = f"{self.scheme}:{url}"
        try:
            parts = urlsplit(url)
        except ValueError:
            return None
        if parts.scheme not in ("http", "https") or not parts.netloc:
            return None
        host = _host(parts.netloc)
        if _WP_CDN.fullmatch(host):  # https://i0.wp.com/example.com/wp-content/uploads/x.jpg?resize=…
            inner = parts.path.lstrip("/")
            if "/" not in inner:
                return None
            return self.classify(f"https://{inner}")
        path = parts.path
        ext = posixpath.splitext(unquote(path))[1].lstrip(".").lower()
        own = host in self.hosts or host.endswith(".files.wordpress.com")
        if own:
            if host.endswith(".files.wordpress.com"):
                local = f"{UPLOADS}/{safe_path(path)}" if ext else None
            elif f"/{UPLOADS}/" in path or ext in MEDIA_EXTENSIONS:
                local = safe_path(path)
            else:
                return None
        elif self.external and ext in MEDIA_EXTENSIONS:
            local = f"media/{safe_path(host.replace(':', '_'))}/{safe_path(path)}"
        else:
            return None
        if local is None:
            return None
        fetch = f"{parts.scheme}://{parts.netloc}{path}"
        original = None
        sized = _SIZED.search(local)
        if sized and sized.group(3).lstrip(".").lower() in IMAGE_EXTENSIONS:
            cut = sized.start()
            original = MediaRef(fetch[: len(fetch) - len(path)] + path[: len(path) - (len(local) - cut)]
                                + sized.group(3), local[:cut] + sized.group(3), host)
            if not original.url.endswith(original.local.rsplit("/", 1)[-1]):  # an encoded name: do not guess
                original = None
        return MediaRef(fetch, local, host, original)


#: Every run of URL characters from a "/": one search for a literal "/", far cheaper than a pattern that
#: begins with alternatives or a look-behind. :func:`iter_urls` looks at what precedes each run.
_SLASH_RUN = re.compile(r"""/[^\s"'<>()\[\]\\`|]*""")
_BEFORE_UPLOADS = frozenset("_/.:%-")


def iter_urls(text: str, *, links: bool = False) -> list[tuple[int, int, str]]:
    """Every URL of ``text``: (start, end, url), trailing punctuation left out. Absolute (``http:``/``https:``)
    and protocol-relative URLs and root-relative ``/wp-content/uploads/`` paths; with ``links``, also the
    root-relative targets of Markdown links (``](/…)``) and HTML ``href="/…"``."""
    found = []
    for m in _SLASH_RUN.finditer(text):
        start = m.start()
        run = m.group()
        if run.startswith("//"):
            if text.startswith("https:", start - 6):
                start -= 6
            elif text.startswith("http:", start - 5):
                start -= 5
            elif start and (text[start - 1] == ":" or text[start - 1].isalnum()):
                continue  # another scheme (ftp://), or "//" inside a word
            if len(run) < 3:
                continue
        elif run.startswith("/wp-content/uploads/"):
            if start and (text[start - 1].isalnum() or text[start - 1] in _BEFORE_UPLOADS):
                continue
        elif not (links and (text.startswith("](", start - 2) or text.startswith('href="', start - 6))):
            continue
        url = text[start:m.end()].rstrip(_TRAILING)
        found.append((start, start + len(url), url))
    return found


def root_relative(local: str) -> str:
    """The reference the new site uses for a stored file: ``/wp-content/uploads/2015/04/her.jpg``, encoded."""
    return "/" + quote(local, safe="/!$&'*+,;=:@~")


def link_needles(hosts: frozenset[str]) -> tuple[str, ...]:
    """Substrings one of which a text must hold to hold a link to a page of the site."""
    needles = {f"//{h}" for h in hosts} | {f"//www.{h}" for h in hosts}
    needles |= {"](/", 'href="/', "?p=", "?page_id=", "?attachment_id="}
    return tuple(sorted(needles))
