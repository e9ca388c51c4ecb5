"""The one loop: extract → transform → load, feeding the report.

:func:`run` is the per-post loop every command goes through — ``convert`` (a source's posts through
:data:`STAGES` into a folder), ``publish`` (a folder's files into a site) and ``clean`` (a site's posts back
into it): for each item, the run's :class:`Stages` make what the :class:`~migrate.load.base.Loader` writes, and
:func:`step` is the one place where a post that is left out or fails is caught and counted.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar
from urllib.parse import urlsplit

from . import parallel, redirects
from .context import Context, Options, Outcome, Rendered, Source, selects
from .errors import MigrateError, OutputError, SkipPost, UnknownName
from .extract.wxr import parse_raw_item
from .links import LinkMap, page_url
from .load.base import Loader, Written
from .load.directory import LAYOUTS, DirectoryLoader, Layout, previous_paths, write_atomic
from .load.lock import FolderLock
from .media import MediaOptions, MediaStep, Scanner
from .media.bundle import bundle_layout
from .model import ExportIndex, Post, Site, evolve
from .report import Entry, EntryLog, Report
from .sources import EXTRACTORS, SITE_APIS, open_site, open_source, read_html, read_rest, read_site
from .transform.boilerplate import clean_html, clean_text
from .transform.classify import SKIPPED_TYPES, skip_reason
from .transform.comments import attach_comments
from .transform.content import converter_for, render, summary_of, to_markdown
from .transform.fields import extract_fields
from .transform.frontmatter import build_front_matter, dump_document, taxonomy_key
from .transform.sanitize import check_nesting, needs_raw_html, safe_url
from .transform.taxonomy import apply_names, map_meta, select_by_rules

#: (Options, Context, Outcome, Rendered and Source live in :mod:`migrate.context`, the sources' registry in
#: :mod:`migrate.sources`; their names stay importable from here.)
__all__ = [
    "EXTRACTORS", "SITE_APIS", "STAGES", "Context", "Options", "Outcome", "Rendered", "Source", "Stages", "convert",
    "make_layout", "open_site", "open_source", "read_html", "read_rest", "read_site", "render_post", "run", "select",
    "step", "transform",
]

T = TypeVar("T")
U = TypeVar("U")
T_contra = TypeVar("T_contra", contravariant=True)
U_co = TypeVar("U_co", covariant=True)


class Stages(Protocol[T_contra, U_co]):
    """What a run does to each item before its loader writes it (see :class:`Steps`)."""

    def about(self, item: T_contra, /) -> dict[str, Any]:
        """How the report names the item: ``id``, ``title``, ``post_type``, ``path``."""
        ...

    def __call__(self, item: T_contra, /) -> U_co:
        """What the loader writes for the item; raises SkipPost to leave it out, MigrateError when it fails."""
        ...

    def take_counts(self) -> dict[str, dict[str, int]]:
        """What the stages counted on the last item (and forget it)."""
        ...

    def loaded(self, item: T_contra, written: Written, /) -> None:
        """The loader wrote the item (a run's own memory of it: which file became which post…)."""
        ...


class Steps(Generic[T, U]):
    """A base for :class:`Stages`: nothing counted, nothing to do after loading."""

    def about(self, item: T, /) -> dict[str, Any]:
        raise NotImplementedError

    def __call__(self, item: T, /) -> U:
        raise NotImplementedError

    def take_counts(self) -> dict[str, dict[str, int]]:
        return {}

    def loaded(self, item: T, written: Written, /) -> None:
        pass


def post_counts(ctx: Context) -> dict[str, dict[str, int]]:
    """What the stages counted on the post just done (its companion files, if it asked for any, are dropped: a
    post they were for has been written with them, or was left out or failed)."""
    ctx.take_companions()
    return {name: dict(c) for name, c in ctx.take_counts().items()}


def failure_reason(e: Exception) -> str:
    """The reason a post failed, as the report says it (a bug on one post must not lose the rest of the run:
    its exception is a failure of that post, named)."""
    return str(e) if isinstance(e, MigrateError) else f"internal error: {type(e).__name__}: {e}"


def step(item: T, stages: Stages[T, U], loader: Loader[U], report: Report) -> Entry:
    """One item through the stages and the loader, into the report: the only place where a post that is left out
    (SkipPost) or fails (any exception but one that :attr:`~migrate.errors.MigrateError.stops_run`, and
    KeyboardInterrupt) is caught and counted."""
    about = stages.about(item)
    written: Written | None = None
    try:
        written = loader.load(stages(item))
    except SkipPost as e:
        if e.post_id is not None:
            about["id"] = e.post_id
        loader.skipped(about.get("id"), e.reason)
        outcome, reason, diff = "skipped", e.reason, ""
    except Exception as e:  # noqa: BLE001 — one post's failure; the run goes on
        if isinstance(e, MigrateError) and e.stops_run:
            raise
        outcome, reason, diff = "failed", failure_reason(e), ""
        loader.failed(about.get("id"), reason)
    else:
        outcome, reason, diff = written.outcome, written.reason, written.diff
        if written.path:
            about["path"] = written.path
        if written.id is not None:
            about["id"] = written.id
    counts = stages.take_counts()
    entry = report.add(outcome, reason=reason, diff=diff, counts=counts, **about)
    for name, counter in counts.items():
        for key, n in counter.items():
            report.count(name, key, n)
    if written is not None:
        stages.loaded(item, written)
    return entry


def run(source: Iterable[T], stages: Stages[T, U], loader: Loader[U], report: Report,
        on_entry: Callable[[Entry], None] | None = None) -> Report:
    """Every item of ``source`` through ``stages`` into ``loader``, each accounted for in ``report`` (see
    :func:`step`); ``on_entry`` is told of each entry as it is added."""
    for item in source:
        entry = step(item, stages, loader, report)
        if on_entry:
            on_entry(entry)
    return report


def make_layout(name: str, index: ExportIndex, site: Site | None = None, out: str | Path | None = None,
                media_layout: str = "site") -> Layout:
    """The layout ``name`` for an export; with ``out``, posts keep the names the folder's last run gave them;
    ``media_layout`` ``bundle``: Hugo page bundles (:mod:`migrate.media.bundle`)."""
    if name not in LAYOUTS:
        raise UnknownName("layout", name, list(LAYOUTS))
    cls = bundle_layout(name, media_layout) or LAYOUTS[name]
    if site is None:
        return cls(index.tree, index.has_children)
    previous = previous_paths(out) if out is not None else None
    return cls(index.tree, index.has_children, site_taxonomies(site), urlsplit(site.link or "").path, previous)


def featured_image(post: Post, index: ExportIndex) -> str | None:
    """The URL of the post's featured image (``_thumbnail_id`` → attachment), wherever it sits in the file."""
    try:
        thumbnail = int(str(post.meta_value("_thumbnail_id", "")).strip() or 0)
    except ValueError:
        return None
    if thumbnail <= 0:  # (WordPress's "no featured image"; no item has an id below 1)
        return None
    url = index.attachment_urls.get(thumbnail) or None
    return url if url and safe_url(url) else None


@selects
def select(post: Post, ctx: Context) -> Post:
    """Stage: leave out what is not content (menus, attachments, trash…), with the reason."""
    reason = skip_reason(post)
    if reason:
        raise SkipPost(reason)
    limit = ctx.options.max_post_mb
    if post.too_big:  # (the reader found it over the limit from its bytes, and did not read it)
        raise MigrateError(f"content is {post.too_big / 1e6:.1f} MB, over the {limit:g} MB limit",
                           hint="convert it anyway with --max-post-size")
    if len(post.content) * 4 / 1e6 <= limit:  # no character is more than 4 bytes of UTF-8: no need to encode
        check_nesting(post.content)  # (before anything parses it: depth costs parsers more than linear time)
        check_nesting(post.excerpt, "its excerpt's HTML")
        return post
    size_mb = len(post.content.encode("utf-8", "replace")) / 1e6
    if size_mb > limit:
        raise MigrateError(f"content is {size_mb:.1f} MB, over the {ctx.options.max_post_mb:g} MB limit",
                           hint="convert it anyway with --max-post-size")
    check_nesting(post.content)
    check_nesting(post.excerpt, "its excerpt's HTML")
    return post


#: The transform stages, in order. Each takes a post and the context and returns a (changed) post,
#: or raises SkipPost. ``html`` is set by ``render``; cleaners of HTML go after it, cleaners of
#: Markdown after ``to_markdown``.
STAGES: list[Callable[[Post, Context], Post]] = [
    select, select_by_rules, render, clean_html, to_markdown, clean_text, extract_fields, apply_names, map_meta,
    attach_comments,
]


def transform(post: Post, ctx: Context) -> tuple[Post, dict[str, Any]]:
    """One post through every stage: the converted post and its front matter."""
    for stage in STAGES:
        post = stage(post, ctx)
    front = build_front_matter(post, ctx.site, featured_image(post, ctx.index), summary_of(post, ctx))
    return post, front


def site_taxonomies(site: Site) -> list[str]:
    """The front-matter keys of every taxonomy the site declares (categories and tags always)."""
    keys = ["categories", "tags"]
    for term in site.terms:
        if term.taxonomy not in ("category", "post_tag", "post_format", "nav_menu", "wp_theme"):
            key = taxonomy_key(term.taxonomy)
            if key not in keys:
                keys.append(key)
    return keys


def render_post(post: Post, ctx: Context, layout: Layout) -> Outcome:
    """Transform one post and render its file; never raises for a problem with the post itself."""
    rendered = None
    skipped = failed = ""
    url = None
    waits = False
    try:
        converted, front = transform(post, ctx)
        path = layout.path(converted)
        front = layout.adapt(front, converted, path)
        text = dump_document(front, converted.body or "")
        urls = (layout.url(converted, path), *front.get(layout.alias_key, ())) if converted.is_public else ()
        rendered = Rendered(path, text, ctx.take_companions(), urls)
        url = page_url(layout, converted, path)
        if ctx.scanner is None:
            ctx.scanner = Scanner(ctx.site, ctx.options.media or MediaOptions())
        waits = ctx.scanner.waits(text, ctx.count)
    except SkipPost as e:
        skipped = e.reason
    except Exception as e:  # noqa: BLE001 — (in a worker: the loop counts it, see step)
        failed = failure_reason(e)
    ctx.take_companions()  # a skipped or failed post leaves no companion file behind
    counts = {name: dict(c) for name, c in ctx.take_counts().items()}
    terms = tuple((t.taxonomy, t.slug) for t in converted.terms) if url else ()
    return Outcome(post.id, post.title, post.post_type, rendered, skipped, failed, counts, post.link, post.guid, url,
                   terms, waits)


def convert(
    source: Source,
    out: str | Path,
    *,
    layout: str = "hugo",
    dry_run: bool = False,
    options: Options | None = None,
    jobs: int = 1,
    on_entry: Callable[[Entry], None] | None = None,
    force: bool = False,
    keep_removed: bool = False,
    on_media: Callable[[int], Callable[[], None] | None] | None = None,
    diffs: bool = False,
) -> Report:
    """Convert every item of ``source`` into ``out``; return the report that accounts for each.

    With ``diffs``, each change written has its diff in the report, as a dry run's have.

    With ``jobs`` > 1 posts are transformed in that many processes; files are still claimed and
    written in export order by this process, so the output is the same as with one job.

    The run is a sync (see :class:`~migrate.load.directory.DirectoryLoader`): files the user edited are left
    alone (``force``: overwritten, a copy saved), and once every post is loaded, the files of posts no longer
    written are removed (``keep_removed``: marked draft). A run that writes holds the folder's lock
    (:class:`~migrate.load.lock.FolderLock`) throughout: a second one stops at once.
    """
    args: dict[str, Any] = {
        "layout": layout, "dry_run": dry_run, "options": options, "jobs": jobs, "on_entry": on_entry,
        "force": force, "keep_removed": keep_removed, "on_media": on_media, "diffs": diffs}
    if dry_run:
        return _convert(source, out, **args)
    with FolderLock(out):
        return _convert(source, out, **args)


def _convert(
        source: Source, out: str | Path, *, layout: str, dry_run: bool, options: Options | None, jobs: int,
        on_entry: Callable[[Entry], None] | None, force: bool, keep_removed: bool,
        on_media: Callable[[int], Callable[[], None] | None] | None, diffs: bool) -> Report:
    # (the export as messages name it: a zip or standard input is read from a temporary file)
    report = Report(source=str(getattr(source, "name", None) or getattr(source, "path", "")), dry_run=dry_run)
    ctx = Context(site=source.site, index=source.index, options=options or Options(layout=layout))
    converter_for(ctx)  # an option the converter does not honour stops the run here, not each post
    media = MediaStep(source.site, out, layout, ctx.options.media or MediaOptions(), dry_run=dry_run)
    lay = make_layout(layout, source.index, source.site, out, media.options.layout)
    loader = DirectoryLoader(out, lay, dry_run=dry_run, force=force, keep_removed=keep_removed, diffs=diffs)
    files, settle = PostFiles(loader), Settle()
    links = LinkMap(source.site, layout, source.index.attachment_urls)
    links.media = media
    # Posts whose media or links wait for the whole run (held in a temporary file beyond a few hundred).
    waiting: EntryLog[tuple[Outcome, str]] = EntryLog()
    max_bytes = int(ctx.options.max_post_mb * 1e6)
    if hasattr(source, "max_content_bytes"):  # items over the limit are refused from their bytes, not parsed
        source.max_content_bytes = max_bytes
    try:
        if jobs > 1:
            raw = getattr(source, "raw_posts", lambda: None)()  # items as XML: cheaper to send to the workers
            if raw is not None:
                # Items skipped for their type (attachments…) are only counted: their meta is not read.
                parse = functools.partial(parse_raw_item, shallow=frozenset(SKIPPED_TYPES), max_bytes=max_bytes)
                outcomes = parallel.render_all(raw, ctx, lay, jobs, render_post, parse=parse)
            else:
                outcomes = parallel.render_all(source.posts(), ctx, lay, jobs, render_post)
        else:
            outcomes = (render_post(post, ctx, lay) for post in source.posts())
        first = FirstPass(loader, media, links, waiting)
        run(first(outcomes), settle, files, report, on_entry)
        if len(waiting):
            media.resolve(on_media(len(media.pending())) if on_media else None)
            run(((_rewritten(outcome, media, links), path) for outcome, path in waiting), settle, files, report,
                on_entry)
        waiting.close()
        media.finish(report)
        links.finish(report)
        if ctx.options.redirects:
            _write_redirects(Path(ctx.options.redirects), ctx.options.redirects_format, links, layout, report,
                             loader)
        _report_problems(source, report)
        _write_config(loader, source.site, layout, first.raw_html, report)
        try:
            loader.fix_aliases()
            loader.sync()
            media.sweep()  # (a removed post's page bundle keeps no media)
        except OSError as e:
            report.run_errors.append(f"files of posts no longer written were not all removed: {e}")
    finally:
        links.close()
        try:
            loader.close()
        except OutputError as e:
            report.run_errors.append(f"the manifest was not saved: {e}")
        report.notes[:0] = loader.notes
    return report


class FirstPass:
    """``convert``'s source for the loop, from the rendered posts: each post's URLs are noted for the links between
    posts, and whether any file holds raw HTML; a post whose media or links wait for the whole run is claimed its
    path (in export order) and set aside in ``waiting``, the others go on to the loader at once."""

    def __init__(self, loader: DirectoryLoader, media: MediaStep, links: LinkMap,
                 waiting: EntryLog[tuple[Outcome, str]]) -> None:
        self.loader, self.media, self.links, self.waiting = loader, media, links, waiting
        self.raw_html = False  # does any file hold raw HTML (a player, <details>…)? Hugo's configuration allows it

    def __call__(self, outcomes: Iterable[Outcome]) -> Iterator[Loading]:
        for outcome in outcomes:
            rendered = outcome.rendered
            if not self.raw_html and rendered is not None:  # (media and links rewrite URLs, never raw HTML)
                self.raw_html = any(needs_raw_html(text) for text in (rendered.text, *rendered.extras.values()))
            self.links.add(outcome.id, outcome.link, outcome.guid, outcome.url, outcome.post_type, outcome.terms)
            if rendered is not None and outcome.waits:
                try:
                    path = self.loader.claim(rendered.path, outcome.id)  # claimed in export order
                    self.media.note(outcome.id, outcome.title, rendered.text, path)
                    self.waiting.append((outcome, path))
                except MigrateError as e:
                    yield evolve(outcome, rendered=None, failed=str(e)), None  # (fails in the loop)
                continue
            yield outcome, None


def _write_config(loader: DirectoryLoader, site: Site, layout: str, raw_html: bool, report: Report) -> None:
    """The generator's configuration files and the minimal theme, where the folder has none, said in the notes."""
    try:
        config = loader.write_config(site, site_taxonomies(site), raw_html=raw_html)
    except OutputError as e:
        report.run_errors.append(f"the site configuration was not written: {e}")
        return
    verb = loader.disk.says("wrote", "would write")
    for name, kind in config:
        if kind == "configuration":
            report.notes.append(f"{verb} {name} (site configuration for {layout})")
    theme = [name for name, kind in config if kind == "theme"]
    if theme:
        report.notes.append(f"{verb} a minimal theme for {layout} ({len(theme)} files: {', '.join(theme)})")


def _write_redirects(path: Path, fmt: str | None, links: LinkMap, layout: str, report: Report,
                     loader: DirectoryLoader) -> None:
    pairs = redirects.pairs_from(links, layout)
    text = redirects.render(path, pairs, fmt)
    if loader.dry_run:
        report.notes.append(f"would write {len(pairs)} redirects to {path}")
        return
    try:
        write_atomic(path, text.encode("utf-8"), loader.tmp)
    except OSError as e:
        report.run_errors.append(f"{path}: the redirects were not written: {e.strerror}")
        return
    report.notes.append(f"wrote {len(pairs)} redirects to {path} ({redirects.format_for(path, fmt)})")


def _rewritten(outcome: Outcome, media: MediaStep, links: LinkMap) -> Outcome:
    """A waiting post with its media references made local and its links leading to the new pages."""
    assert outcome.rendered is not None
    text = outcome.rendered.text
    counts = dict(outcome.counts)
    if media.options.active:
        text, counts["media references"] = media.rewrite(text, outcome.id)
    front, body = split_front_matter(text)
    body, link_counts = links.rewrite(body, outcome.id, outcome.title)
    if link_counts:
        counts["links to the site"] = link_counts
    return evolve(outcome, rendered=evolve(outcome.rendered, text=front + body), counts=counts)


def split_front_matter(text: str) -> tuple[str, str]:
    """(the front matter with its fences, the body) of a rendered document."""
    if text.startswith("---\n"):
        end = text.find("\n---\n", 3)
        if end >= 0:
            return text[: end + 5], text[end + 5:]
    return "", text


def _report_problems(source: Source, report: Report) -> None:
    """Items a recovering extractor lost count as failed; repaired ones are listed under the summary; a
    source's own notes (what it could not see, which API it used) are listed too."""
    report.notes.extend(getattr(source, "notes", []))
    for failure in getattr(source, "failures", []):
        report.add("failed", id=failure.id, title=failure.title, reason=failure.reason)
    for problem in getattr(source, "problems", []):
        where = f"line {problem.line}"
        if problem.kind == "lost":
            report.add("failed", id=problem.post_id, title=problem.title,
                       reason=f"lost at {where}: {problem.detail}")
        else:
            report.notes.append(f"repaired #{problem.post_id} {problem.title!r} at {where}: {problem.detail}")


#: A rendered post on its way to the folder, with the path claimed for it (None: claimed when it is loaded).
Loading = tuple[Outcome, str | None]


class Settle(Steps[Loading, Loading]):
    """``convert``'s stages as the loop sees them: the posts were transformed already (:func:`render_post`, in
    this process or the workers), so a post left out or failed there is left out or failed here."""

    def __init__(self) -> None:
        self._counts: dict[str, dict[str, int]] = {}

    def about(self, item: Loading, /) -> dict[str, Any]:
        outcome = item[0]
        self._counts = outcome.counts
        return {"id": outcome.id, "title": outcome.title, "post_type": outcome.post_type}

    def __call__(self, item: Loading, /) -> Loading:
        outcome = item[0]
        if outcome.rendered is None:
            if outcome.skipped:
                raise SkipPost(outcome.skipped)
            raise MigrateError(outcome.failed)
        return item

    def take_counts(self) -> dict[str, dict[str, int]]:
        counts, self._counts = self._counts, {}
        return counts


class PostFiles:
    """The :class:`~migrate.load.base.Loader` of rendered posts into a folder (a
    :class:`~migrate.load.directory.DirectoryLoader`, which does its own dry run)."""

    def __init__(self, files: DirectoryLoader) -> None:
        self.files = files
        self.dry_run = files.dry_run

    def load(self, item: Loading) -> Written:
        outcome, path = item
        rendered = outcome.rendered
        assert rendered is not None
        if path is None:
            path = self.files.claim(rendered.path, outcome.id)
        return self.files.load(outcome.id, rendered.text, path, rendered.extras, rendered.urls)

    def skipped(self, post_id: int | None, reason: str) -> None:
        if post_id is not None:
            self.files.skipped(post_id, reason)

    def failed(self, post_id: int | None, reason: str) -> None:
        if post_id is not None:
            self.files.keep(post_id)  # its file from the last run stays until it converts again

    def close(self) -> None:
        self.files.close()
