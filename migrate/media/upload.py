"""``publish`` of a folder whose posts use local media: the files the site does not have go to its media
library (once: what was uploaded is remembered by content hash, per site), and the post is sent with the
site's URLs for them.

A reference is a root-relative URL of a file the folder holds (``/wp-content/uploads/2015/04/her.jpg``, as
``convert --media`` writes them; Hugo's under ``static/``), or, in a Hugo page bundle (``--media-layout
bundle``), a media file's name relative to the post's folder (``poster.jpg``) or its URL in another bundle
(``/posts/her/poster.jpg``); anything else is left as it is.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import re
import stat
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from ..errors import MigrateError

#: A root-relative media reference in Markdown or HTML: after "(", a quote, "=" or a space.
LOCAL_REF = re.compile(r"""(?<=[("'=\s])/(?:wp-content/uploads|media)/[^\s"'<>()\[\]\\`|?#]+""")
#: A media file of a page bundle: its name relative to the post (``](poster.jpg)``, ``src="poster.jpg"``), or a
#: root-relative URL with a media extension (``/posts/her/poster.jpg``), as a Markdown target or an attribute.
BUNDLE_REF = re.compile(r"""(?:(?<=\]\()|(?<==["']))(?![a-zA-Z][a-zA-Z0-9+.-]*:|//|#)[^\s"'<>()\[\]\\`|?#]+"""
                        r"""\.(?:jpe?g|png|gif|webp|avif|svg|bmp|ico|tiff?|heic|pdf|mp3|m4a|ogg|wav|mp4|m4v|mov|webm"""
                        r"""|vtt|docx?|xlsx?|pptx?|odt|zip|epub|txt|csv)(?=[)"'\s])""", re.IGNORECASE)


class SiteMedia:
    """Uploads a folder's local media to one site and maps their references to the site's URLs."""

    def __init__(self, client: Any, folder: Path, state: dict[str, Any], *, dry_run: bool = False,
                 max_bytes: int = 200_000_000) -> None:
        self.client = client
        self.folder = folder
        self.uploaded: dict[str, str] = state.setdefault("media", {})  # sha256 → the site's URL
        self.dry_run = dry_run
        self.max_bytes = max_bytes
        self.count = 0  # files uploaded in this run
        self.would: set[str] = set()  # files a dry run would upload
        self.failures: list[str] = []

    def _file(self, ref: str, base: str = "") -> Path | None:
        """The folder's file for a root-relative reference (Hugo's static/ first, then its content/: page bundles),
        or one relative to the folder ``base`` (a post's bundle), no symbolic link followed."""
        relative = not ref.startswith("/")
        parts = (base.split("/") if relative and base else []) + unquote(ref).lstrip("/").split("/")
        if any(p in ("", ".", "..") or "\\" in p or "\x00" in p for p in parts):
            return None
        for root in ((self.folder,) if relative else (self.folder / "static", self.folder, self.folder / "content")):
            path = root
            for part in parts:
                path = path / part
                try:
                    st = os.lstat(path)
                except OSError:
                    break
                if stat.S_ISLNK(st.st_mode):
                    break
            else:
                if stat.S_ISREG(st.st_mode):
                    return path
        return None

    def _upload(self, path: Path, data: bytes, digest: str) -> str:
        from wordpress_xmlrpc.compat import xmlrpc_client
        from wordpress_xmlrpc.methods.media import UploadFile

        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        answer = self.client.call(UploadFile({"name": path.name, "type": kind,
                                              "bits": xmlrpc_client.Binary(data), "overwrite": False}),
                                  idempotent=False)
        url = answer.get("url") if isinstance(answer, dict) else None
        if not url:
            raise MigrateError(f"{path}: the site gave no URL for the uploaded file")
        self.uploaded[digest] = str(url)
        self.count += 1
        return str(url)

    def site_url(self, ref: str, base: str = "") -> str | None:
        """The site's URL for the local file ``ref`` names (relative ones: in the folder ``base``), uploading it
        first when the site lacks it."""
        path = self._file(ref, base)
        if path is None:
            return None
        try:
            if path.stat().st_size > self.max_bytes:
                self.failures.append(f"{ref}: over the {self.max_bytes / 1e6:g} MB limit, not uploaded")
                return None
            data = path.read_bytes()
        except OSError as e:
            self.failures.append(f"{ref}: cannot read: {e.strerror}")
            return None
        digest = hashlib.sha256(data).hexdigest()
        if digest in self.uploaded:
            return self.uploaded[digest]
        if self.dry_run:
            self.would.add(ref)
            return None
        return self._upload(path, data, digest)

    def with_site_urls(self, text: str, path: str = "") -> str:
        """``text`` (of the file at ``path`` in the folder) with each reference to a local file the site has (now)
        replaced by the site's URL."""
        if "/wp-content/uploads/" in text or "/media/" in text:
            text = LOCAL_REF.sub(lambda m: self.site_url(m.group()) or m.group(), text)
        if path.startswith("content/") and path.endswith(("/index.md", "/_index.md")):  # a Hugo page bundle
            base = path.rsplit("/", 1)[0]
            text = BUNDLE_REF.sub(lambda m: self.site_url(m.group(), base) or m.group(), text)
        return text

    def notes(self) -> list[str]:
        lines = []
        if self.dry_run and self.would:
            lines.append(f"would upload {len(self.would)} media file(s) the site lacks")
        elif self.count:
            lines.append(f"uploaded {self.count} media file(s) the site lacked")
        lines.extend(f"media not uploaded: {f}" for f in self.failures)
        return lines
