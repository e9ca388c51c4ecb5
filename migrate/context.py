"""What every stage of a run consults: the run's :class:`Options`, the per-post :class:`Context`, the
:class:`Source` protocol extractors implement, and what one post gave (:class:`Outcome`, :class:`Rendered`).

This module imports no stage, extractor or loader: stages, the loop (:mod:`migrate.pipeline`) and the
worker processes (:mod:`migrate.parallel`) all import it, and it imports none of them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from .media import MediaOptions, Scanner
from .model import ExportIndex, Post, Site
from .rules import RuleSet, default_rules

if TYPE_CHECKING:  # (the classes of the extension options: only their types, this module imports no stage)
    from .transform.blocks import BlockRenderer
    from .transform.markdown import WordPressConverter
    from .transform.shortcodes import ShortcodeRenderer

__all__ = ["Context", "Options", "Outcome", "Rendered", "Source", "cleans", "rules_of", "selects", "stage_kind"]

F = TypeVar("F", bound=Callable[..., Any])


class Source(Protocol):
    """What an extractor returns: the site, small indexes, and a stream of posts."""

    site: Site
    index: ExportIndex

    def posts(self) -> Iterator[Post]: ...


@dataclass(frozen=True)
class Options:
    """The choices of one run that stages consult. Each stage's options live here, with defaults."""

    layout: str = "hugo"
    max_post_mb: float = 10.0  # a post whose content is larger fails, with the reason (base64 images?)
    rules: RuleSet = field(default_factory=default_rules)  # rule files (mappings/): boilerplate, fields, names
    comments: str = "front-matter"  # front-matter | data-file | section | none
    include_pings: bool = False  # pingbacks and trackbacks too
    include_pending_comments: bool = False  # pending (unmoderated) comments too
    include_emails: bool = False  # commenters' e-mail addresses
    include_ips: bool = False  # commenters' IP addresses
    figure_style: str = "markdown"  # an image with a caption: markdown | html | hugo ({{< figure >}})
    allow_unsafe_html: bool = False  # keep the site's own players, objects and URLs as they are (never comments')
    media: MediaOptions | None = None  # --media, --media-from…: the old site's media brought in (main process only)
    redirects: str | None = None  # --redirects FILE: old URL → new URL map (main process only)
    redirects_format: str | None = None  # netlify | nginx | apache | csv (default: by the file's name)
    # Extension: classes of your own (None: the package's). Their methods run in every process of the run.
    converter: type[WordPressConverter] | None = None  # HTML → Markdown: a WordPressConverter subclass
    converter_options: Mapping[str, Any] = field(default_factory=dict)  # its markdownify options (see markdown.py)
    shortcodes: type[ShortcodeRenderer] | None = None  # a ShortcodeRenderer subclass (render's shortcodes)
    blocks: type[BlockRenderer] | None = None  # a BlockRenderer subclass (render's blocks)


@dataclass
class Context:
    """What every post's transformation may consult, and where it records what it did.

    Stages call :meth:`count` (never the report directly): counts are kept per post, then
    added to the post's report entry and the run's totals, also when posts convert in parallel.
    Files to write beside a post are asked for with :meth:`companion`.
    """

    site: Site
    index: ExportIndex
    options: Options = field(default_factory=Options)
    post_counts: dict[str, Counter[str]] = field(default_factory=dict)
    post_companions: dict[str, str] = field(default_factory=dict)
    scanner: Scanner | None = field(default=None, repr=False)  # made in each process when first needed

    def count(self, name: str, key: str, n: int = 1) -> None:
        """Record ``n`` of ``key`` under ``name`` (e.g. "unknown shortcodes", "gallery") for this post."""
        self.post_counts.setdefault(name, Counter())[key] += n

    def take_counts(self) -> dict[str, Counter[str]]:
        counts, self.post_counts = self.post_counts, {}
        return counts

    def companion(self, suffix: str, text: str) -> None:
        """Ask for a file beside this post's file: ``<stem><suffix>`` (e.g. ``.comments.yaml``)."""
        self.post_companions[suffix] = text

    def take_companions(self) -> dict[str, str]:
        files, self.post_companions = self.post_companions, {}
        return files


def selects(stage: F) -> F:
    """Mark a stage that leaves posts out (raises SkipPost) and changes nothing: ``clean`` runs it too."""
    stage.stage_kind = "select"  # type: ignore[attr-defined]
    return stage


def cleans(stage: F) -> F:
    """Mark a stage that removes boilerplate from ``post.html`` (placed before ``to_markdown``) or ``post.body``
    (after it): ``clean`` runs it on the content as WordPress stores it."""
    stage.stage_kind = "clean"  # type: ignore[attr-defined]
    return stage


def stage_kind(stage: Callable[..., Any]) -> str:
    """``"select"``, ``"clean"`` (see :func:`selects`, :func:`cleans`) or ``""``."""
    return str(getattr(stage, "stage_kind", ""))


def rules_of(ctx: Context | None) -> RuleSet:
    """The run's rules (the defaults for a bare call of a stage, without a context)."""
    return ctx.options.rules if ctx is not None else default_rules()


@dataclass(frozen=True)
class Rendered:
    """One post ready to load: where the layout puts it (a POSIX path; the loader makes it unique), its text, and
    files that go beside it (``extras``: name suffix → text)."""

    path: str
    text: str
    extras: dict[str, str] = field(default_factory=dict)
    #: A published post's URL, then the old URLs it redirects from (none for a post that is not built).
    urls: tuple[str, ...] = ()

    def __reduce__(self) -> tuple[Any, ...]:
        # Sent from the workers for every post: values alone pickle in a fraction of the time.
        return Rendered, (self.path, self.text, self.extras, self.urls)


@dataclass(frozen=True)
class Outcome:
    """What transforming one post gave: ``rendered``, or a skip/failure ``reason``; and its counts."""

    id: int
    title: str
    post_type: str
    rendered: Rendered | None = None
    skipped: str = ""
    failed: str = ""
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    link: str = ""  # the old permalink and guid: links to them lead to ``url``, the page the generator builds
    guid: str = ""
    url: str | None = None
    terms: tuple[tuple[str, str], ...] = ()  # (taxonomy, slug) of a post with a page: its archives have pages
    waits: bool = False  # its media or links are rewritten once the whole run has been seen

    def __reduce__(self) -> tuple[Any, ...]:
        return Outcome, (self.id, self.title, self.post_type, self.rendered, self.skipped, self.failed, self.counts,
                         self.link, self.guid, self.url, self.terms, self.waits)
