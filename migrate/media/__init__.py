"""Media of the converted site: find the old site's media in each written post, bring the files in (download
or copy from a local ``wp-content/uploads``), and rewrite the references to them.

The pipeline hands every rendered post to :meth:`MediaStep.note`; a post that references media to bring in
waits (its path already claimed) until :meth:`MediaStep.resolve` has fetched every file of the run, in
parallel, then is rewritten by :meth:`MediaStep.rewrite` and written. With ``--media keep`` (the default)
nothing waits: references are only counted, by host, for the summary.

Files keep their path on the old site (``wp-content/uploads/2015/04/her.jpg``; under ``static/`` for Hugo),
so the old image URLs keep working on the new host; references become root-relative. With ``--media-layout
bundle`` (Hugo) a file one post alone uses goes into that post's page bundle instead (:mod:`.bundle`).
``.wp-migrate/media.json`` records what each URL gave and where it is, so a second run fetches nothing it already
has.
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
from ..load.boundary import first_link
from ..load.directory import write_atomic
from ..model import Site
from .bundle import CONTENT, check_media_layout, plan, reference
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
    layout: str = "site"  # site: the old site's paths | bundle: a post's own files in its Hugo page bundle

    @property
    def active(self) -> bool:
        return self.mode == "download" or self.uploads is not None


@dataclass
class _File:
    ref: MediaRef
    users: list[tuple[int, str]] = field(default_factory=list)  # (post id, title) of the posts that use it
    posts: set[int] = field(default_factory=set)  # the posts that use it or (an original) a sized variant of it
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
        if media and self.active:
            return True
        linky = any(n in text for n in self.link_needles)
        if not media and not linky:
            return False  # (most posts: two quick substring tests)
        waits = False
        for _, _, url in iter_urls(text, links=linky):
            if media:
                host = self._host_of(url)
                if host:
                    count(KEPT, host)
            if linky and not waits:
                waits = self._may_lead_to_a_page(url)
        return waits

    def _host_of(self, url: str) -> str | None:
        """The old host of the media file ``url`` refers to (None: not the site's media)."""
        if url in self._hosts:
            return self._hosts[url]
        try:
            ref = self.hosts.classify(url)
        except Refused:
            ref = None
        if len(self._hosts) > 20_000:  # bounded
            self._hosts.clear()
        host = self._hosts[url] = ref.host if ref is not None else None
        return host

    def _may_lead_to_a_page(self, url: str) -> bool:
        """Whether ``url`` may be a link to a page of the site (:meth:`LinkMap.target` decides): the post then
        waits for the run's end. Its media files, the admin and other hosts are not; a post with no such URL is
        written at once (a third of the posts with a site's URL in them only show its images)."""
        if url.startswith("//") or url.startswith(("http://", "https://")):
            rest = url.split("//", 1)[1]
            cut = len(rest)
            for stop in "/?#":
                at = rest.find(stop)
                if 0 <= at < cut:
                    cut = at
            host = rest[:cut].lower().rsplit("@", 1)[-1]
            if (host[4:] if host.startswith("www.") else host) not in self.hosts.hosts:
                return False
            path = rest[cut:]
        elif url.startswith("/"):
            path = url
        else:
            return False
        for stop in "?#":
            path = path.partition(stop)[0]
        return "/wp-content/" not in path and "/wp-admin" not in path and "/wp-json" not in path


class MediaStep:
    """The media of one run. Only the pipeline's main process uses it (posts arrive in export order)."""

    def __init__(self, site: Site, out: str | Path, layout: str, options: MediaOptions, *,
                 dry_run: bool = False) -> None:
        if options.mode not in MODES:
            raise MigrateError(f"unknown --media {options.mode!r}", hint=f"choose one of: {', '.join(MODES)}")
        check_media_layout(options.layout, layout)
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
        self._classified: dict[str, MediaRef | Refused | None] = {}  # URL → what it is (bounded)
        self.stored: dict[str, str] = {}  # fetch URL → local path it is served from
        self.failed: dict[str, str] = {}  # fetch URL → reason
        self.fetched = self.copied = self.cached = self.moved = 0
        self.cache = self._read_cache()
        self.post_paths: dict[int, str] = {}  # post id → its file (for bundles)
        self.placed: dict[str, str] = {}  # local path → where it is in the output folder, when not its default

    # -- finding ---------------------------------------------------------------------------------------------

    def _refs(self, text: str) -> list[tuple[int, int, str, MediaRef | Refused]]:
        found = []
        for start, end, url in iter_urls(text):
            if url in self._classified:
                ref = self._classified[url]
            else:
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

    def note(self, post_id: int, title: str, text: str, path: str | None = None) -> bool:
        """Take note of a rendered post's media (``path``: its file); True when it must wait for :meth:`resolve`
        and :meth:`rewrite`."""
        if path is not None:
            self.post_paths[post_id] = path
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
            file.posts.add(post_id)
            if ref.original is not None:
                if ref.original.url not in self.files:
                    self.files[ref.original.url] = _File(ref.original, wanted=False)
                self.files[ref.original.url].posts.add(post_id)
        return True

    # -- fetching --------------------------------------------------------------------------------------------

    def _read_cache(self) -> dict[str, dict[str, Any]]:
        try:
            with open(self.out / CACHE, encoding="utf-8") as fh:
                data = json.load(fh)
            return {k: v for k, v in data.items() if isinstance(v, dict) and isinstance(v.get("local"), str)
                    and (v.get("at") is None or _in_content(v["at"]))}
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

    def _where(self, entry: dict[str, Any]) -> str:
        """The file a cache entry's bytes are in: in a page bundle (``at``), else at its local path."""
        at = entry.get("at")
        if at is None:
            return self._target(entry["local"])
        if first_link(str(self.out), posixpath.dirname(at)) is not None:
            raise FetchFailed(f"{self.out / at}: a symbolic link in the output folder (not followed)")
        return str(self.out / at)

    def _have(self, url: str) -> bool:
        """True when an earlier run stored ``url`` and the file is still there, the same size."""
        entry = self.cache.get(url)
        if not entry:
            return False
        try:
            return os.path.getsize(self._where(entry)) == entry.get("size")
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
                if self.cache[url].get("at"):
                    self.placed[self.stored[url]] = self.cache[url]["at"]
                self.cached += 1
            else:
                todo.append(file)
        if self.dry_run or not todo:
            self._place()
            if self.moved and not self.dry_run:
                self._write_cache()
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
            self._place()
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

    def _place(self) -> None:
        """Put each stored file where the media layout wants it this run (see :mod:`.bundle`): a file that was
        elsewhere (a bundle, ``static/``) is moved, and the cache says where it is now."""
        users: dict[str, set[int]] = {}  # local path → the posts that use it, in the order first referenced
        for url, file in self.files.items():
            if url in self.stored:
                users.setdefault(self.stored[url], set()).update(file.posts)
        wanted = plan(users.items(), self.post_paths) if self.options.layout == "bundle" else {}
        for local in users:
            now, then = self.placed.get(local), wanted.get(local)
            if now != then and self._move(local, now, then):
                self.moved += 1
                if then is None:
                    self.placed.pop(local, None)
                else:
                    self.placed[local] = then
        if not self.dry_run:
            for entry in self.cache.values():  # every URL that gave these bytes says where they are now
                if entry["local"] in users:
                    entry.pop("at", None)
                    if entry["local"] in self.placed:
                        entry["at"] = self.placed[entry["local"]]

    def _move(self, local: str, now: str | None, then: str | None) -> bool:
        """Move a stored file from where it is (``now``: a bundle path, None: its local path) to ``then``; False
        when it cannot be (it stays where it is, and is referred to there)."""
        if self.dry_run:
            return True
        try:
            source = self._where({"local": local, "at": now})
            target = self._where({"local": local, "at": then})
            os.makedirs(os.path.dirname(target), exist_ok=True)
            os.replace(source, target)
        except (OSError, FetchFailed):
            return False
        self._prune(os.path.dirname(source))
        return True

    def _planned_bundles(self) -> dict[str, str]:
        """Where a dry run's files would go in page bundles (local path → path in the output folder), judged by
        their names (a dry run fetches nothing, so the same bytes under two names are not known yet)."""
        if self.options.layout != "bundle":
            return {}
        users: dict[str, set[int]] = {}
        for file in self.files.values():
            users.setdefault(self.stored.get(file.ref.url, file.ref.local), set()).update(file.posts)
        return plan(users.items(), self.post_paths)

    def sweep(self) -> None:
        """After the loader's sync: a page bundle whose post is no longer written (its ``index.md`` is gone) keeps
        no media. Its files go back to their site paths (``static/wp-content/uploads/…``: the bytes are kept for a
        later run, the old URLs still served) and the emptied folder goes."""
        if self.dry_run:
            return
        gone: dict[str, str] = {}  # local path → bundle path, for bundles without their post
        for entry in self.cache.values():
            at = entry.get("at")
            if at and entry["local"] not in gone:
                folder = self.out / posixpath.dirname(at)
                if not any(os.path.lexists(folder / name) for name in ("index.md", "_index.md")):
                    gone[entry["local"]] = at
        moved = [local for local, at in gone.items() if self._move(local, at, None)]
        for entry in self.cache.values():
            if entry["local"] in moved:
                entry.pop("at", None)
        for local in moved:
            self.placed.pop(local, None)
        if moved:
            self._write_cache()

    def _prune(self, folder: str) -> None:
        """Remove ``folder`` and its parents while they are empty, up to ``static/`` or ``content/``."""
        stops = {os.path.normpath(self.out / (self.root or ".")), os.path.normpath(self.out / CONTENT)}
        folder = os.path.normpath(folder)
        while folder not in stops and folder.startswith(str(self.out) + os.sep):
            try:
                os.rmdir(folder)
            except OSError:
                return
            folder = os.path.dirname(folder)

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

    def _reference(self, local: str, post_id: int | None) -> str:
        at = self.placed.get(local)
        if at is None:
            return root_relative(local)
        return reference(at, self.post_paths.get(post_id) if post_id is not None else None)

    def local_url(self, url: str) -> str | None:
        """The root-relative URL a media file's old URL is served from in the new site, if it was stored."""
        try:
            ref = self.hosts.classify(url)
        except Refused:
            return None
        if ref is not None and ref.url in self.stored:
            return self._reference(self.stored[ref.url], None)
        return None

    def rewrite(self, text: str, post_id: int | None = None) -> tuple[str, dict[str, int]]:
        """``text`` (of post ``post_id``) with every reference to a stored file made local: root-relative, or
        relative to the post's page bundle for a file in it; the counts for the post."""
        pieces: list[str] = []
        last = 0
        counts: Counter[str] = Counter()
        for start, end, _url, ref in self._refs(text):
            if isinstance(ref, MediaRef) and ref.url in self.stored:
                pieces.append(text[last:start])
                pieces.append(self._reference(self.stored[ref.url], post_id))
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
            bundled = self._planned_bundles()
            for ref in pending:
                report.notes.append(f"would fetch {ref.url} → {bundled.get(ref.local, ref.local)}")
            return
        report.notes.append(f"media: {self.fetched} fetched, {self.copied} copied, {self.cached} already there, "
                            f"{len(self.failed) + len(self.refused)} could not be had")
        if self.options.layout == "bundle" or self.moved:
            report.notes.append(f"media layout {self.options.layout}: {len(self.placed)} file(s) in page bundles, "
                                f"{len(set(self.stored.values())) - len(self.placed)} under the site's paths, "
                                f"{self.moved} moved by this run")
        for url, reason in self.failed.items():
            for post_id, title in self.files[url].users:
                report.notes.append(f"media not had: #{post_id} {title!r}: {url}: {reason} (left at its URL)")
        for url, (reason, users) in self.refused.items():
            for post_id, title in users:
                report.notes.append(f"media refused: #{post_id} {title!r}: {url}: {reason} (left at its URL)")


def _in_content(at: Any) -> bool:
    """A cache entry's bundle path: relative, under ``content/``, no ``..`` (the cache is read from the folder)."""
    return (isinstance(at, str) and at.startswith(CONTENT) and "\\" not in at and "\x00" not in at
            and all(part not in ("", ".", "..") for part in at.split("/")))
