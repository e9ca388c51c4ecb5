"""The loader seam: what every loader (a folder of files, a WordPress site) does with one post, and a dry run
that records what a loader would change instead of changing it.

The per-post loop (:func:`migrate.pipeline.run`) hands a loader one item at a time — whatever the run's stages
made of a post: a rendered document for a folder, a :class:`Change` for a site — and records the
:class:`Written` it returns in the report. A loader raises :class:`~migrate.errors.MigrateError` when one item
cannot be written (the loop counts that item as failed and goes on); it is told of the items the stages left
out or failed on, so that it can keep or remove what an earlier run wrote for them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

__all__ = ["Change", "DryRun", "Loader", "Previewing", "Written"]

T = TypeVar("T")
T_contra = TypeVar("T_contra", contravariant=True)


@dataclass(frozen=True)
class Written:
    """What loading one post did (or, in a dry run, would do)."""

    outcome: str  # "new", "updated", "unchanged" or "conflict" (a file the user changed or wrote: left alone)
    path: str
    diff: str = ""
    reason: str = ""
    id: int | None = None  # the post's id where the loader gives it one (a post created on a site)


@dataclass(frozen=True)
class Change:
    """One post to bring in line on a site: ``fields`` to send (none: it is as it should be) to ``post_id``
    (None: a new post), whose state now is ``before`` (backed up before it is overwritten)."""

    post_id: int | None
    fields: dict[str, Any] = field(default_factory=dict)
    before: dict[str, Any] | None = None
    path: str = ""  # how the report names it: the file it comes from, or wordpress/<type>/<id>
    diff: str = ""
    reason: str = ""

    @property
    def outcome(self) -> str:
        """What loading it does: "new", "updated" or "unchanged"."""
        if self.post_id is None:
            return "new"
        return "updated" if self.fields else "unchanged"


class Loader(Protocol[T_contra]):
    """Writes one post at a time, and says what it did."""

    dry_run: bool

    def load(self, item: T_contra) -> Written:
        """Write ``item`` (raises :class:`~migrate.errors.MigrateError` when it cannot: nothing was written)."""
        ...

    def skipped(self, post_id: int | None, reason: str) -> None:
        """The stages left ``post_id`` out (``reason``): what an earlier run wrote for it may go."""
        ...

    def failed(self, post_id: int | None, reason: str) -> None:
        """The stages or :meth:`load` failed on ``post_id``: what an earlier run wrote for it stays."""
        ...

    def close(self) -> None:
        """The run is over: save what the loader remembers."""
        ...


class Previewing(Loader[T_contra], Protocol[T_contra]):
    """A loader that can say what it would do without doing it (what :class:`DryRun` wraps)."""

    def preview(self, item: T_contra) -> Written:
        """What :meth:`load` would do with ``item``, writing nothing."""
        ...


class DryRun(Generic[T]):
    """A loader that writes nothing: each item is previewed by the loader it wraps, and what would change is
    recorded in :attr:`changes` (and returned, so that the report says it)."""

    dry_run = True

    def __init__(self, loader: Previewing[T]) -> None:
        self.loader = loader
        self.changes: list[Written] = []

    def load(self, item: T) -> Written:
        written = self.loader.preview(item)
        if written.outcome != "unchanged":
            self.changes.append(written)
        return written

    def preview(self, item: T) -> Written:
        return self.loader.preview(item)

    def skipped(self, post_id: int | None, reason: str) -> None:
        pass  # (nothing to remove: nothing is written)

    def failed(self, post_id: int | None, reason: str) -> None:
        pass

    def close(self) -> None:
        pass
