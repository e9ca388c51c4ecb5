"""The one loop: extract → transform → load, feeding the report."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from .errors import MigrateError, SkipPost, UnknownName
from .extract.wxr import ExportIndex, read_wxr
from .load.directory import LAYOUTS, DirectoryLoader, Layout
from .model import Post, Site
from .report import Entry, Report
from .transform.classify import skip_reason
from .transform.content import render, summary_of, to_markdown
from .transform.frontmatter import build_front_matter, dump_document, taxonomy_key


class Source(Protocol):
    """What an extractor returns: the site, small indexes, and a stream of posts."""

    site: Site
    index: ExportIndex

    def posts(self) -> Iterator[Post]: ...


#: Extractors by name.
EXTRACTORS: dict[str, Callable[..., Source]] = {"wxr": read_wxr}


def open_source(kind: str, location: str | Path) -> Source:
    if kind not in EXTRACTORS:
        raise UnknownName("source", kind, list(EXTRACTORS))
    return EXTRACTORS[kind](location)


def make_layout(name: str, index: ExportIndex) -> Layout:
    if name not in LAYOUTS:
        raise UnknownName("layout", name, list(LAYOUTS))
    return LAYOUTS[name](index.tree, index.has_children)


@dataclass(frozen=True)
class Options:
    """The choices of one run that stages consult. Each stage's options live here, with defaults."""

    layout: str = "hugo"


@dataclass
class Context:
    """What every post's transformation may consult, and where it records what it did.

    Stages call :meth:`count` (never the report directly): counts are kept per post, then
    added to the post's report entry and the run's totals, also when posts convert in parallel.
    """

    site: Site
    index: ExportIndex
    options: Options = field(default_factory=Options)
    post_counts: dict[str, Counter[str]] = field(default_factory=dict)

    def count(self, name: str, key: str, n: int = 1) -> None:
        """Record ``n`` of ``key`` under ``name`` (e.g. "unknown shortcodes", "gallery") for this post."""
        self.post_counts.setdefault(name, Counter())[key] += n

    def take_counts(self) -> dict[str, Counter[str]]:
        counts, self.post_counts = self.post_counts, {}
        return counts


def featured_image(post: Post, index: ExportIndex) -> str | None:
    """The URL of the post's featured image (``_thumbnail_id`` → attachment), wherever it sits in the file."""
    try:
        thumbnail = int(str(post.meta_value("_thumbnail_id", "")).strip() or 0)
    except ValueError:
        return None
    return index.attachment_urls.get(thumbnail) or None


def select(post: Post, ctx: Context) -> Post:
    """Stage: leave out what is not content (menus, attachments, trash…), with the reason."""
    reason = skip_reason(post)
    if reason:
        raise SkipPost(reason)
    return post


#: The transform stages, in order. Each takes a post and the context and returns a (changed) post,
#: or raises SkipPost. ``html`` is set by ``render``; cleaners of HTML go after it, cleaners of
#: Markdown after ``to_markdown``.
STAGES: list[Callable[[Post, Context], Post]] = [select, render, to_markdown]


def transform(post: Post, ctx: Context) -> tuple[Post, dict[str, Any]]:
    """One post through every stage: the converted post and its front matter."""
    for stage in STAGES:
        post = stage(post, ctx)
    front = build_front_matter(post, ctx.site, featured_image(post, ctx.index), summary_of(post))
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


def convert(
    source: Source,
    out: str | Path,
    *,
    layout: str = "hugo",
    dry_run: bool = False,
    options: Options | None = None,
    on_entry: Callable[[Entry], None] | None = None,
) -> Report:
    """Convert every item of ``source`` into ``out``; return the report that accounts for each."""
    report = Report(source=str(getattr(source, "path", "")), dry_run=dry_run)
    lay = make_layout(layout, source.index)
    loader = DirectoryLoader(out, lay, dry_run=dry_run)
    ctx = Context(site=source.site, index=source.index, options=options or Options(layout=layout))
    try:
        for post in source.posts():
            entry = _convert_one(post, ctx, loader, report)
            if on_entry:
                on_entry(entry)
        config = loader.write_config(source.site, site_taxonomies(source.site))
        if config:
            report.notes.append(f"wrote {config} (site configuration for {layout})")
    finally:
        loader.close()
    return report


def _convert_one(post: Post, ctx: Context, loader: DirectoryLoader, report: Report) -> Entry:
    common: dict[str, Any] = {"id": post.id, "title": post.title, "post_type": post.post_type}
    try:
        converted, front = transform(post, ctx)
        path = loader.claim(converted)
        text = dump_document(loader.layout.adapt(front, converted), converted.body or "")
        written = loader.load(converted, text, path)
        entry = report.add(written.outcome, path=written.path, diff=written.diff, **common)
    except SkipPost as e:
        entry = report.add("skipped", reason=e.reason, **common)
    except MigrateError as e:
        entry = report.add("failed", reason=str(e), **common)
    except Exception as e:  # a bug on one post must not lose the rest of the run
        entry = report.add("failed", reason=f"internal error: {type(e).__name__}: {e}", **common)
    entry.counts = {name: dict(c) for name, c in ctx.take_counts().items()}
    for name, counter in entry.counts.items():
        for key, n in counter.items():
            report.count(name, key, n)
    return entry
