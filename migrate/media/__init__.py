"""Media of the converted site: find the old site's media in each written post, bring the files in (download
or copy from a local ``wp-content/uploads``), and rewrite the references to them.

The pipeline hands every rendered post to :meth:`MediaStep.note`; a post that references media to bring in
waits (its path already claimed) until :meth:`MediaStep.resolve` has fetched every file of the run, in
parallel, then is rewritten by :meth:`MediaStep.rewrite` and written. With ``--media keep`` (the default)
nothing waits: references are only counted, by host, for the summary.

Files keep their path on the old site (``wp-content/uploads/2015/04/her.jpg``; under ``static/`` for Hugo),
so the old image URLs keep working on the new host; references become root-relative. ``.wp-migrate/media.json``
records what each URL gave, so a second run fetches nothing it already has.
"""

from __future__ import annotations

import json
import os
import posixpath
import stat
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import MigrateError, OutputError
from ..load.directory import write_atomic
from ..model import Site
from .fetch import Downloader, FetchFailed, Got, copy_local
from .refs import MediaHosts, MediaRef, Refused, iter_urls, link_needles, root_relative

MODES = ("keep", "download")
CACHE = ".wp-migrate/media.json"
#: Where a layout keeps files served as they are.
STATIC_ROOT = {"hugo": "static", "jekyll": ""}


@dataclass
class MediaOptions:
    """``--media``, ``--media-from``, ``--media-external`` and the download's limits."""

    mode: str = "keep"  # keep | download
    uploads: Path | None = None  # a local copy of wp-content/uploads
    external: bool = False  # other hosts' media too, into media/<host>/
    connections: int = 8
    timeout: float = 30.0
    retries: int = 3
    backoff: float = 1.0
    max_mb: float = 200.0

    @property
    def active(self) -> bool:
        return self.mode == "download" or self.uploads is not None


@dataclass
class _File:
    ref: MediaRef
    users: list[tuple[int, str]] = field(default_factory=list)  # (post id, title) of the posts that use it
    wanted: bool = True  # False: only the original of a referenced sized variant (fetched when the site has it)


#: The counter (summary line) of media references left on the old site, by host.
KEPT = "media references on the old site"


class Scanner:
    """What each post's process looks for in its rendered text (so the main process, which writes every
    file, does not): with ``--media keep``, the media references left on the old site, counted by host;
    and whether the post must wait for the whole run (media to bring in, or links that may lead to other
    posts of the site)."""

    def __init__(self, site: Site, options: MediaOptions) -> None:
        self.hosts = MediaHosts(site, external=options.external)
        self.active = options.active
        self.link_needles = link_needles(self.hosts.hosts)
        self._hosts: dict[str, str | None] = {}  # URL → the old host of its media file (bounded)

    def waits(self, text: str, count: Callable[[str, str], None]) -> bool:
        media = self.hosts.may_hold(text)
        if media and not self.active:
            for _, _, url in iter_urls(text):
                host = self._hosts.get(url, False)
                if isinstance(host, bool):  # (False: not seen yet)
                    try:
                        ref = self.hosts.classify(url)
                    except Refused:
                        ref = None
                    host = ref.host if ref is not None else None
                    if len(self._hosts) > 20_000:
                        self._hosts.clear()
                    self._hosts[url] = host
                if host:
                    count(KEPT, host)
        if media and self.active:
            return True
        return any(n in text for n in self.link_needles)


class MediaStep:
    """The media of one run. Only the pipeline's main process uses it (posts arrive in export order)."""

    def __init__(self, site: Site, out: str | Path, layout: str, options: MediaOptions, *,
                 dry_run: bool = False) -> None:
        if options.mode not in MODES:
            raise MigrateError(f"unknown --media {options.mode!r}", hint=f"choose one of: {', '.join(MODES)}")
        if options.uploads is not None and not options.uploads.is_dir():
            raise MigrateError(f"--media-from {options.uploads}: not a folder",
                               hint="give the folder that holds wp-content/uploads' years (2015/, 2016/…)")
        self.options = options
        self.hosts = MediaHosts(site, external=options.external)
        self.out = Path(out)
        self.root = STATIC_ROOT.get(layout, "")
        self.dry_run = dry_run
        self.files: dict[str, _File] = {}  # fetch URL → file, in the order first referenced
        self.refused: dict[str, tuple[str, list[tuple[int, str]]]] = {}  # URL → reason, users
        self._classified: dict[str, MediaRef | Refused | None] = {}
        self.stored: dict[str, str] = {}  # fetch URL → local path it is served from
        self.failed: dict[str, str] = {}  # fetch URL → reason
        self.fetched = self.copied = self.cached = 0
        self.cache = self._read_cache()

    # -- finding ---------------------------------------------------------------------------------------------

    def _refs(self, text: str) -> list[tuple[int, int, str, MediaRef | Refused]]:
        found = []
        for start, end, url in iter_urls(text):
            ref = self._classified.get(url, False)
            if isinstance(ref, bool):  # (False: not seen yet)
                try:
                    ref = self.hosts.classify(url)
                except Refused as e:
                    ref = e
                if len(self._classified) > 20_000:  # bounded: a run over 50,000 posts keeps memory flat
                    self._classified.clear()
                self._classified[url] = ref
            if ref is not None:
                found.append((start, end, url, ref))
        return found

    def note(self, post_id: int, title: str, text: str) -> bool:
        """Take note of a rendered post's media; True when it must wait for :meth:`resolve` and :meth:`rewrite`."""
        if not self.options.active or not self.hosts.may_hold(text):
            return False
        refs = self._refs(text)
        if not refs:
            return False
        for _, _, url, ref in refs:
            if isinstance(ref, Refused):
                self.refused.setdefault(url, (str(ref), []))[1].append((post_id, title))
                continue
            file = self.files.get(ref.url)
            if file is None:
                file = self.files[ref.url] = _File(ref)
            file.wanted = True
            if (post_id, title) not in file.users:
                file.users.append((post_id, title))
            if ref.original is not None and ref.original.url not in self.files:
                self.files[ref.original.url] = _File(ref.original, wanted=False)
        return True

    # -- fetching --------------------------------------------------------------------------------------------

    def _read_cache(self) -> dict[str, dict[str, Any]]:
        try:
            with open(self.out / CACHE, encoding="utf-8") as fh:
                data = json.load(fh)
            return {k: v for k, v in data.items() if isinstance(v, dict) and isinstance(v.get("local"), str)}
        except (OSError, ValueError, AttributeError):
            return {}

    def _target(self, local: str) -> str:
        """The file a local path is stored in; refuses a path whose existing folders include a symbolic link."""
        path = self.out
        for part in ([self.root] if self.root else []) + local.split("/"):
            path = path / part
            try:
                if stat.S_ISLNK(os.lstat(path).st_mode):
                    raise FetchFailed(f"{path} is a symbolic link in the output folder (not followed)")
            except FileNotFoundError:
                break
        return str(self.out / self.root / local) if self.root else str(self.out / local)

    def _have(self, url: str) -> bool:
        """True when an earlier run stored ``url`` and the file is still there, the same size."""
        entry = self.cache.get(url)
        if not entry:
            return False
        try:
            return os.path.getsize(self._target(entry["local"])) == entry.get("size")
        except (OSError, FetchFailed):
            return False

    def pending(self) -> list[MediaRef]:
        """The files this run would fetch or copy (not had by an earlier run), in the order first referenced."""
        return [f.ref for url, f in self.files.items() if not self._have(url)]

    def resolve(self, on_file: Callable[[], None] | None = None) -> None:
        """Fetch or copy every file noted (in parallel), store each once, and record what could not be had."""
        tmp = self.out / ".wp-migrate" / "tmp"
        todo: list[_File] = []
        for url, file in self.files.items():
            if self._have(url):
                self.stored[url] = self.cache[url]["local"]
                self.cached += 1
            else:
                todo.append(file)
        if self.dry_run or not todo:
            return
        tmp.mkdir(parents=True, exist_ok=True)
        results: dict[str, Got | str] = {}
        opts = self.options
        downloader = Downloader(timeout=opts.timeout, retries=opts.retries, backoff=opts.backoff,
                                max_bytes=int(opts.max_mb * 1e6), connections=opts.connections) \
            if opts.mode == "download" else None

        def get(file: _File) -> tuple[str, Got | str, str]:
            ref = file.ref
            how = ""
            try:
                if opts.uploads is not None:
                    try:
                        return ref.url, copy_local(ref, opts.uploads, str(tmp), int(opts.max_mb * 1e6)), "copied"
                    except FetchFailed as e:
                        if downloader is None:
                            raise
                        how = f"{e}; "
                assert downloader is not None
                return ref.url, downloader.get(ref, str(tmp)), "fetched"
            except FetchFailed as e:
                return ref.url, how + str(e), ""
            except OSError as e:
                return ref.url, f"cannot read: {e.strerror}", ""

        try:
            with ThreadPoolExecutor(max_workers=max(1, opts.connections)) as pool:
                for url, got, how in pool.map(get, todo):
                    results[url] = got
                    if how == "fetched":
                        self.fetched += 1
                    elif how == "copied":
                        self.copied += 1
                    if on_file:
                        on_file()
            self._store(results)
        finally:
            if downloader is not None:
                downloader.close()
            for got in results.values():
                if isinstance(got, Got) and os.path.exists(got.tmp):
                    os.unlink(got.tmp)
            self._write_cache()

    def _store(self, results: dict[str, Got | str]) -> None:
        """Move fetched files into place, in the order first referenced: the same bytes are stored once, and no
        two different files share a name (a later one gets ``-2``…, case-insensitively)."""
        by_hash: dict[str, str] = {}
        taken: dict[str, str] = {}  # casefolded local → fetch URL
        for url, entry in self.cache.items():
            if url in self.stored:
                by_hash.setdefault(entry.get("sha256", ""), entry["local"])
                taken[entry["local"].casefold()] = url
        for url, file in self.files.items():
            got = results.get(url)
            if got is None:
                continue
            if isinstance(got, str):
                if file.wanted:
                    self.failed[url] = got
                continue
            if got.sha256 in by_hash:
                self.stored[url] = by_hash[got.sha256]
                self.cache[url] = {"local": by_hash[got.sha256], "sha256": got.sha256, "size": got.size}
                continue
            local = self._free_name(file.ref.local, url, taken)
            try:
                target = self._target(local)
                os.makedirs(os.path.dirname(target), exist_ok=True)
                os.replace(got.tmp, target)
            except FetchFailed as e:
                if file.wanted:
                    self.failed[url] = str(e)
                continue
            except OSError as e:  # a file where a folder should be, a full disk: this file fails, not the run
                if file.wanted:
                    self.failed[url] = f"cannot write {self.out / self.root / local}: {e.strerror}"
                continue
            taken[local.casefold()] = url
            by_hash[got.sha256] = local
            self.stored[url] = local
            self.cache[url] = {"local": local, "sha256": got.sha256, "size": got.size}

    @staticmethod
    def _free_name(local: str, url: str, taken: dict[str, str]) -> str:
        if taken.get(local.casefold(), url) == url:
            return local
        stem, ext = posixpath.splitext(local)
        n = 2
        while taken.get(f"{stem}-{n}{ext}".casefold(), url) != url:
            n += 1
        return f"{stem}-{n}{ext}"

    def _write_cache(self) -> None:
        data = json.dumps(self.cache, indent=1, sort_keys=True, ensure_ascii=False).encode("utf-8")
        try:
            write_atomic(self.out / CACHE, data, self.out / ".wp-migrate" / "tmp")
        except OSError as e:
            raise OutputError(f"{self.out / CACHE}: cannot write: {e.strerror}") from None

    # -- rewriting -------------------------------------------------------------------------------------------

    def local_url(self, url: str) -> str | None:
        """The root-relative URL a media file's old URL is served from in the new site, if it was stored."""
        try:
            ref = self.hosts.classify(url)
        except Refused:
            return None
        if ref is not None and ref.url in self.stored:
            return root_relative(self.stored[ref.url])
        return None

    def rewrite(self, text: str) -> tuple[str, dict[str, int]]:
        """``text`` with every reference to a stored file made root-relative; the counts for the post."""
        pieces: list[str] = []
        last = 0
        counts: Counter[str] = Counter()
        for start, end, _url, ref in self._refs(text):
            if isinstance(ref, MediaRef) and ref.url in self.stored:
                pieces.append(text[last:start])
                pieces.append(root_relative(self.stored[ref.url]))
                last = end
                counts["local"] += 1
            else:
                counts["left at the old URL"] += 1
        pieces.append(text[last:])
        return "".join(pieces), dict(counts)

    def finish(self, report: Any) -> None:
        """Add the run's media figures and every failure (post, URL, reason) to the report."""
        if not self.options.active:
            kept = report.counters.get(KEPT)
            if kept:
                report.notes.append(f"{sum(kept.values())} media references are still on the old site (by host "
                                    f"above) — add --media download (or --media-from UPLOADS_FOLDER) to bring the "
                                    f"files into the site")
            return
        if self.dry_run:
            pending = self.pending()
            report.notes.append(f"media: would fetch {len(pending)} file(s), {len(self.files) - len(pending)} "
                                f"already there")
            for ref in pending:
                report.notes.append(f"would fetch {ref.url} → {ref.local}")
            return
        report.notes.append(f"media: {self.fetched} fetched, {self.copied} copied, {self.cached} already there, "
                            f"{len(self.failed) + len(self.refused)} could not be had")
        for url, reason in self.failed.items():
            for post_id, title in self.files[url].users:
                report.notes.append(f"media not had: #{post_id} {title!r}: {url}: {reason} (left at its URL)")
        for url, (reason, users) in self.refused.items():
            for post_id, title in users:
                report.notes.append(f"media refused: #{post_id} {title!r}: {url}: {reason} (left at its URL)")
