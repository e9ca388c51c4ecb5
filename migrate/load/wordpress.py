"""Write posts to a live WordPress over XML-RPC: create, update in place, and back up first.

Before a post is overwritten, its current state on the site (every field XML-RPC gives: title,
content, excerpt, status, dates, terms, custom fields…) is saved as JSON in a local backup folder,
``<backup>/<host>/<UTC time of the run>/<id>.json``, with the content also as ``<id>.html``, so
nothing is lost. A dry run wraps the loader in :class:`~migrate.load.base.DryRun`: nothing is written
anywhere, neither locally nor on the site.
"""

from __future__ import annotations

import json
import re
import xmlrpc.client
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from wordpress_xmlrpc.methods.posts import EditPost, NewPost

from ..errors import OutputError
from ..extract.xmlrpc import GetPost, SiteClient
from .base import Change, Written
from .directory import write_atomic

#: Default backup folder (relative to the current directory).
DEFAULT_BACKUP_DIR = Path("wp-migrate-backups")


def plain(value: Any) -> Any:
    """An XML-RPC struct as plain JSON-able data (dates as ISO 8601 strings)."""
    if isinstance(value, xmlrpc.client.DateTime):
        text = value.value
        m = re.match(r"^(\d{4})(\d{2})(\d{2})T(\d{2}:\d{2}:\d{2})", text)
        return f"{m.group(1)}-{m.group(2)}-{m.group(3)}T{m.group(4)}" if m else text
    if isinstance(value, xmlrpc.client.Binary):
        return value.data.decode("latin-1")
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


class WordPressLoader:
    """Creates and updates posts on one site; backs up every post before it is overwritten. A
    :class:`~migrate.load.base.Loader` of :class:`~migrate.load.base.Change` objects."""

    dry_run = False

    def __init__(self, client: SiteClient, *, backup_dir: str | Path | None = None) -> None:
        self.client = client
        self.backup_root = Path(backup_dir) if backup_dir is not None else DEFAULT_BACKUP_DIR
        self._run_dir: Path | None = None
        self.backups: list[Path] = []
        self.created: list[int] = []
        self.updated: list[int] = []

    @property
    def run_dir(self) -> Path:
        """``<backup>/<host[_port]>/<UTC time>``: this run's backups (made on the first backup)."""
        if self._run_dir is None:
            parts = urlsplit(self.client.url)
            host = re.sub(r"[^A-Za-z0-9.-]+", "_", (parts.netloc or "site").replace(":", "_"))
            if parts.path.strip("/"):
                host += "_" + re.sub(r"[^A-Za-z0-9.-]+", "_", parts.path.strip("/"))
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            base = self.backup_root / host / stamp
            candidate, n = base, 1
            while candidate.exists():
                n += 1
                candidate = base.with_name(f"{stamp}-{n}")
            self._run_dir = candidate
        return self._run_dir

    def _make_run_dir(self) -> None:
        """Make this run's backup folder, and the host's folder above it, readable by their owner alone (0700):
        backups hold private posts and post passwords."""
        for folder in (self.run_dir.parent, self.run_dir):
            if not folder.is_dir():
                folder.mkdir(parents=True, mode=0o700)
                folder.chmod(0o700)  # (whatever the umask)

    def fetch(self, post_id: int) -> dict[str, Any] | None:
        """The post's full struct on the site now (None when there is no such post)."""
        return self.client.get_post(post_id)

    def backup(self, struct: dict[str, Any]) -> Path | None:
        """Save a post as it is on the site (JSON, and its content as HTML)."""
        post_id = int(struct.get("post_id") or 0)
        data = plain(struct)
        data["_backup"] = {"site": self.client.url, "saved": datetime.now(UTC).isoformat(timespec="seconds")}
        target = self.run_dir / f"{post_id}.json"
        try:
            self._make_run_dir()
            write_atomic(
                target, json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True).encode("utf-8"), mode=0o600
            )
            write_atomic(
                self.run_dir / f"{post_id}.html", str(struct.get("post_content") or "").encode("utf-8"), mode=0o600
            )
        except OSError as e:
            raise OutputError(
                f"{target}: cannot write the backup: {e.strerror}",
                hint="choose another --backup-dir; nothing was changed on the site",
            ) from None
        self.backups.append(target)
        return target

    def create(self, fields: dict[str, Any]) -> int | None:
        """Create a post; its id. Not retried after a timeout (it may exist then)."""
        post_id = int(self.client.call(NewPost(fields), idempotent=False))
        self.created.append(post_id)
        return post_id

    def update(self, post_id: int, fields: dict[str, Any], before: dict[str, Any]) -> None:
        """Back up ``before`` (the post as it is now), then change ``fields`` of the post in place."""
        self.backup(before)
        self.client.call(EditPost(post_id, fields))
        self.updated.append(post_id)

    def refetch(self, post_id: int) -> dict[str, Any] | None:
        return self.client.call(GetPost(post_id, ["post", "terms", "custom_fields"]))

    # -------------------------------------------------------------------------- the Loader protocol

    def preview(self, change: Change) -> Written:
        return Written(change.outcome, change.path, change.diff, change.reason, change.post_id)

    def load(self, change: Change) -> Written:
        """Create the post (``post_id`` None) or send the fields that changed (after a backup); none: nothing."""
        if change.post_id is None:
            new_id = self.create(change.fields)
            return Written("new", change.path, change.diff, change.reason, new_id)
        if change.fields:
            self.update(change.post_id, change.fields, before=change.before or {"post_id": change.post_id})
        return self.preview(change)

    def skipped(self, post_id: int | None, reason: str) -> None:
        pass  # (a post left out stays on the site as it is)

    def failed(self, post_id: int | None, reason: str) -> None:
        pass

    def close(self) -> None:
        pass
