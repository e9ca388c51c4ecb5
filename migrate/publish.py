"""Publish converted posts back to WordPress (``publish``), and clean a site in place (``clean``).

``publish`` reads a folder of Markdown files with YAML front matter (what ``convert`` writes) and
brings the site in line with it, one post per file:

* a file is matched to its post by the id in its front matter (``wordpress_id``), else by its slug
  (and post type); a file without a match creates a post;
* only what differs is sent: each file is compared with what converting the live post would write
  (the same pipeline ``convert`` runs), field by field — title, body, summary, status, slug, date,
  categories, tags and other taxonomies, and the structured fields. A body that changed is rendered
  from Markdown to HTML with a CommonMark renderer (markdown-it-py, with tables and strikethrough);
* front-matter keys that are not WordPress fields (the structured fields rules extract, e.g.
  ``rating``) become custom fields named ``<prefix><key>`` (``wp_migrate_rating``); keys WordPress
  derives itself (``lastmod``, ``author``, ``aliases``, ``featured_image``…) are not sent;
* the status carries over (a draft stays a draft); a password-protected post is never published
  without its password (the password is not in the file): it is created as a draft;
* before a post is overwritten, it is saved to the backup folder (:mod:`migrate.load.wordpress`);
* ``.wp-migrate/published.json`` in the folder remembers which file went to which post, and how
  both looked afterwards, so publishing the same folder twice changes nothing the second time.

``clean`` is the round trip for a site that stays on WordPress: it reads every post over XML-RPC, runs
the pipeline's selection and cleaning stages (those marked with :func:`~migrate.context.selects` and
:func:`~migrate.context.cleans`: boilerplate removal) on the content as WordPress stores it, and
publishes the cleaned content back — only for posts the cleaning changed. The content is never rendered
or converted to Markdown (HTML rules see its HTML, text rules its lines), so blocks and shortcodes stay as
they are.

With ``dry_run`` both run everything and write nothing, locally or remotely, and report every post
as new, updated, unchanged, skipped or failed (with the reason), with a unified diff of each change against
the live post.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import html as htmllib
import json
import re
import xmlrpc.client
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from datetime import date as date_type
from pathlib import Path, PurePosixPath
from typing import Any

from . import pipeline
from .context import Context, Options, stage_kind
from .errors import MigrateError, OutputError, SkipPost
from .extract.folder import (  # noqa: F401 — (the names publish had: LocalDoc, read_folder…)
    MAX_FILE_BYTES,
    NOT_CONTENT,
    NOT_READ,
    FolderSource,
    LocalDoc,
    local_status,
    read_folder,
)
from .extract.xmlrpc import FLOATING_DATE_STATUSES, GetTaxonomies, SiteClient, XmlrpcSite, post_from_struct
from .links import PublishLinks
from .load.base import Change, DryRun, Loader, Written
from .load.boundary import read_regular, refuse_links
from .load.directory import write_atomic
from .load.lock import FolderLock
from .load.wordpress import WordPressLoader, plain
from .media.upload import SiteMedia
from .model import RESERVED_KEYS, Post
from .report import Entry, Report
from .transform.frontmatter import Timestamp, dump_document, taxonomy_key
from .transform.sanitize import clean_post_fields

#: Custom fields made from structured front-matter fields are named ``<prefix><key>``.
DEFAULT_PREFIX = "wp_migrate_"
#: Where a folder remembers what was published from it.
STATE = PurePosixPath(".wp-migrate/published.json")
#: Front-matter keys that are not structured fields: WordPress fields, values WordPress derives itself, and
#: what the layouts and generators own (one list: :data:`migrate.model.RESERVED_KEYS`).
STANDARD_KEYS = RESERVED_KEYS
#: A Hugo shortcode in a body (``--figure-style hugo``): not for WordPress.
HUGO_SHORTCODE = re.compile(r"\{\{[<%]")
#: From this many posts to compare on, they are read a page at a time rather than one by one.
PREFETCH_MIN = 8
_FULL_FIELDS = ["post", "terms", "custom_fields"]
#: The fields of a post that decide whether it changed (for the "published before" record).
_SNAPSHOT_FIELDS = (
    "post_title",
    "post_content",
    "post_excerpt",
    "post_status",
    "post_name",
    "post_type",
    "post_date",
    "post_date_gmt",
    "post_password",
    "post_parent",
)


# ------------------------------------------------------------------------------------------- Markdown


@functools.lru_cache(maxsize=1)
def _markdown() -> Any:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    # A soft line break is a space: WordPress's wpautop would turn a newline inside a paragraph into <br>.
    md.add_render_rule("softbreak", lambda self, tokens, idx, options, env: " ")
    return md


def render_markdown(text: str) -> str:
    """Markdown → HTML (CommonMark, with GFM tables and strikethrough), without the final newline
    (WordPress would drop it)."""
    return _markdown().render(text or "").rstrip("\n")


def render_summary(text: str) -> str:
    """A summary → the excerpt's HTML; a single paragraph without its ``<p>`` (as excerpts are typed)."""
    out = render_markdown(text).strip()
    if out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
        out = out[3:-4]
    return out


# ------------------------------------------------------------------------------------------- files


def _sha(data: Any) -> str:
    text = (
        data if isinstance(data, str) else json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# ------------------------------------------------------------------------------------------- values


def as_datetime(value: Any) -> datetime | None:
    """A front-matter date (YAML timestamp, date or ISO string) as a datetime (aware with an offset)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, date_type):
        return datetime(value.year, value.month, value.day)
    try:
        return datetime.fromisoformat(str(value).strip())
    except ValueError:
        return None


def same_date(a: datetime | None, b: datetime | None) -> bool:
    if a is None or b is None:
        return a is b
    if (a.tzinfo is None) == (b.tzinfo is None):
        return a == b
    # One has an offset, the other not (a draft's floating date): compare the wall-clock times.
    return a.replace(tzinfo=None) == b.replace(tzinfo=None)


def field_value(value: Any) -> str:
    """A front-matter value as a custom field's text (strings as they are, anything else as JSON)."""
    if isinstance(value, str):
        return value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date_type):
        return value.isoformat()
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _names(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if str(v).strip()]
    return [str(value)] if str(value).strip() else []


def _date_struct(value: datetime) -> dict[str, Any]:
    if value.tzinfo is not None:
        try:
            utc = value.astimezone(UTC).replace(tzinfo=None)
        except OverflowError:
            raise MigrateError(f"date {value.isoformat()} is out of range",
                               hint="correct the date in the file's front matter") from None
        return {"post_date_gmt": xmlrpc.client.DateTime(utc.strftime("%Y%m%dT%H:%M:%S"))}
    return {"post_date": xmlrpc.client.DateTime(value.strftime("%Y%m%dT%H:%M:%S"))}


def _unified(before: str, after: str, a: str, b: str) -> str:
    if before and not before.endswith("\n"):
        before += "\n"
    if after and not after.endswith("\n"):
        after += "\n"
    return "".join(
        difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True), a, b)
    )


# ------------------------------------------------------------------------------------------- publish


@dataclass
class View:
    """The comparable side of a post: the values ``publish`` carries, in front-matter terms."""

    values: dict[str, Any] = field(default_factory=dict)  # title, date, slug, status, taxonomies, summary
    fields: dict[str, str] = field(default_factory=dict)  # custom fields, by their full name
    body: str = ""

    def document(self, keys: list[str]) -> str:
        front: dict[str, Any] = {}
        for key in keys:
            if key in self.values:
                value = self.values[key]
                front[key] = Timestamp(value.isoformat()) if isinstance(value, datetime) else value
        front.update(dict(sorted(self.fields.items())))
        return dump_document(front, self.body)


@dataclass
class Plan:
    """What publishing one file would send."""

    fields: dict[str, Any]
    changed: list[str]
    diff: str


def publish_lock(folder: str | Path, site_url: str) -> FolderLock:
    """The lock a ``publish`` of ``folder`` to the site at ``site_url`` holds (one a folder and site)."""
    key = hashlib.sha256(site_url.encode("utf-8")).hexdigest()[:16]
    return FolderLock(folder, f"publish-{key}.lock", what=f"this folder to publish to {site_url}")


class Publisher(pipeline.Steps[LocalDoc | tuple[str, str], Change]):
    """Brings a site in line with a folder of converted posts (see the module's docstring): the folder is a
    :class:`FolderSource`, this publisher the stages that make each file's :class:`~migrate.load.base.Change`,
    and a :class:`~migrate.load.wordpress.WordPressLoader` (in a dry run: wrapped in
    :class:`~migrate.load.base.DryRun`) writes it, through :func:`migrate.pipeline.run`."""

    def __init__(
        self,
        client: SiteClient,
        folder: str | Path,
        *,
        dry_run: bool = False,
        backup_dir: str | Path | None = None,
        prefix: str = DEFAULT_PREFIX,
        options: Options | None = None,
    ) -> None:
        self.client = client
        self.files = FolderSource(folder)
        self.folder = self.files.folder
        self.dry_run = dry_run
        self.prefix = prefix
        self.loader = WordPressLoader(client, backup_dir=backup_dir)  # (reads the site's posts too)
        self.writer: Loader[Change] = DryRun(self.loader) if dry_run else self.loader
        self.source = XmlrpcSite(client)  # the site's index: ids, slugs, types, attachments, terms
        self.ctx = Context(
            site=self.source.site, index=self.source.index, options=options or Options()
        )
        self.taxonomies = self._taxonomies()
        self.state_path = self.folder / STATE
        self.claimed: dict[int, str] = {}
        self._load_state()

    def _load_state(self) -> None:
        """Read the folder's record (which file went to which post, which media were uploaded): again under the
        lock, when the run starts, so that a run that waited for another one sees what it did."""
        client = self.client
        self.state = self._read_state()
        self.site_state: dict[str, dict[str, Any]] = self.state.setdefault("sites", {}).setdefault(
            client.url, {}
        )
        media_state = self.state.setdefault("media", {})
        if not isinstance(media_state, dict) or not isinstance(media_state.get(client.url, {}), dict):
            media_state = self.state["media"] = {}  # a damaged record: the files are looked at again
        self.media = SiteMedia(client, self.folder, media_state.setdefault(client.url, {}), dry_run=self.dry_run)

    # -------------------------------------------------------------------------- setup

    def _taxonomies(self) -> dict[str, list[tuple[str, str]]]:
        """post type → [(front-matter key, taxonomy)] for the taxonomies WordPress has for it."""
        out: dict[str, list[tuple[str, str]]] = {}
        for t in self.client.call(GetTaxonomies({}, ["object_type"])) or []:
            name = str(t.get("name"))
            if name in ("post_format", "nav_menu", "wp_theme", "wp_template_part_area", "link_category"):
                continue
            for post_type in t.get("object_type") or []:
                out.setdefault(str(post_type), []).append((taxonomy_key(name), name))
        return out

    def _read_state(self) -> dict[str, Any]:
        refuse_links(str(self.folder), STATE.as_posix())
        try:
            data = json.loads(read_regular(str(self.state_path)) or b"")
        except (OSError, ValueError):
            return {"version": 1, "sites": {}}
        return (
            data
            if isinstance(data, dict) and isinstance(data.get("sites"), dict)
            else {"version": 1, "sites": {}}
        )

    def _save_state(self) -> None:
        if self.dry_run:
            return
        data = json.dumps(self.state, indent=1, sort_keys=True, ensure_ascii=False)
        try:
            refuse_links(str(self.folder), STATE.as_posix())
            self.state_path.parent.mkdir(mode=0o700, exist_ok=True)
            write_atomic(self.state_path, data.encode("utf-8"), mode=0o600)  # (post ids and states: the owner's)
        except OSError as e:
            raise OutputError(f"{self.state_path}: cannot write: {e.strerror}") from None

    # -------------------------------------------------------------------------- matching

    def match(self, doc: LocalDoc) -> tuple[int | None, str]:
        """(the post's id, "") — (None, "") to create it — (None, reason) to skip the file."""
        tree = self.source.index.tree
        post_type = doc.post_type
        remembered = self.site_state.get(doc.path, {}).get("id")
        if isinstance(remembered, int) and remembered in tree and tree[remembered][2] == post_type:
            return remembered, ""
        slug = str(doc.front["slug"]) if doc.front.get("slug") not in (None, "") else None
        wid = doc.front.get("wordpress_id")
        if isinstance(wid, int) and wid in tree:
            remote_slug, _, remote_type = tree[wid]
            if remote_type != post_type:
                return None, f"wordpress_id {wid} is a {remote_type} on the site, not a {post_type}"
            if slug is None or slug == remote_slug:
                return wid, ""
            struct = self.loader.fetch(wid)
            if (
                struct is not None
                and htmllib.unescape(str(struct.get("post_title") or "")).strip() == doc.title
            ):
                return wid, ""
            return None, (
                f"wordpress_id {wid} is another post on the site ({remote_slug!r}): "
                "remove wordpress_id from the file to create it as a new post"
            )
        if slug is not None:
            found = [i for i, (s, _, t) in tree.items() if t == post_type and s == slug]
            if len(found) > 1:
                return None, f"{len(found)} {post_type}s on the site have the slug {slug!r}: add wordpress_id"
            if found:
                return found[0], ""
        return None, ""

    # -------------------------------------------------------------------------- comparing

    def local_view(self, doc: LocalDoc) -> View:
        fm = doc.front
        view = View(body=doc.body)
        if "title" in fm:
            view.values["title"] = "" if fm["title"] is None else str(fm["title"])
        if "date" in fm:
            view.values["date"] = as_datetime(fm["date"])
        if fm.get("slug") not in (None, ""):
            view.values["slug"] = str(fm["slug"])
        view.values["status"] = local_status(fm)
        taxonomy_keys = dict(self.taxonomies.get(doc.post_type, []))
        for key in taxonomy_keys:
            if key in fm:
                view.values[key] = _names(fm[key])
        if "summary" in fm:
            view.values["summary"] = "" if fm["summary"] is None else str(fm["summary"])
        for key, value in fm.items():
            if key not in STANDARD_KEYS and key not in taxonomy_keys and value is not None:
                view.fields[self.prefix + str(key)] = field_value(value)
        return view

    def remote_view(
        self, struct: dict[str, Any], post_type: str, wanted_fields: dict[str, str] | None = None
    ) -> tuple[View, Post]:
        """What converting the live post gives, in the same terms (raises SkipPost when it is left out)."""
        post = post_from_struct(
            struct,
            logins=self.source.logins,
            future=int(struct.get("post_id") or 0) in self.source.future_ids,
        )
        converted, front = pipeline.transform(post, self.ctx)
        self.ctx.take_counts()
        self.ctx.take_companions()
        view = View(body=converted.body or "")
        view.values["title"] = str(front.get("title", ""))
        view.values["date"] = as_datetime(front.get("date"))
        view.values["slug"] = post.slug
        view.values["status"] = post.status
        for key, _ in self.taxonomies.get(post_type, []):
            view.values[key] = _names(front.get(key))
        view.values["summary"] = str(front.get("summary", "") or "")
        for cf in struct.get("custom_fields") or []:
            key = str(cf.get("key", ""))
            if key.startswith(self.prefix) and key in (wanted_fields or {}):
                view.fields.setdefault(key, str(cf.get("value", "")))
        return view, post

    def plan(self, doc: LocalDoc, struct: dict[str, Any] | None) -> Plan:
        """What to send for ``doc`` (``struct``: the live post, None for a new one), and the diff."""
        want = self.local_view(doc)
        keys = [k for k in want.values]
        if struct is None:
            return self._plan_new(doc, want, keys)
        return self._plan_update(doc, want, keys, struct)

    def _plan_new(self, doc: LocalDoc, want: View, keys: list[str]) -> Plan:
        fields: dict[str, Any] = {
            "post_type": doc.post_type,
            "post_status": want.values["status"],
            "post_title": want.values.get("title", ""),
            "post_content": render_markdown(want.body),
        }
        if doc.front.get("password_protected") and want.values["status"] == "publish":
            fields["post_status"] = "draft"  # never published without its password
        if "slug" in want.values:
            fields["post_name"] = want.values["slug"]
        if want.values.get("date"):
            fields.update(_date_struct(want.values["date"]))
        if want.values.get("summary"):
            fields["post_excerpt"] = render_summary(want.values["summary"])
        terms = {
            tax: want.values[key]
            for key, tax in self.taxonomies.get(doc.post_type, [])
            if want.values.get(key)
        }
        if terms:
            fields["terms_names"] = terms
        if want.fields:
            fields["custom_fields"] = [{"key": k, "value": v} for k, v in sorted(want.fields.items())]
        for option, name in (
            ("default_comment_status", "comment_status"),
            ("default_ping_status", "ping_status"),
        ):
            value = self.client.option(option, "")
            if value in ("open", "closed"):
                fields[name] = value
        want.values["status"] = fields["post_status"]
        diff = _unified("", want.document(keys), "/dev/null", f"b/{doc.path}")
        return Plan(fields, ["new"], diff)

    def _plan_update(self, doc: LocalDoc, want: View, keys: list[str], struct: dict[str, Any]) -> Plan:
        have, _ = self.remote_view(struct, doc.post_type, want.fields)
        fields = {}
        changed: list[str] = []
        v, h = want.values, have.values
        if "title" in v and v["title"] != h["title"]:
            fields["post_title"] = v["title"]
            changed.append("title")
        if want.body.strip() != have.body.strip():
            fields["post_content"] = render_markdown(want.body)
            changed.append("body")
        if "summary" in v and v["summary"].strip() != h["summary"].strip():
            fields["post_excerpt"] = render_summary(v["summary"])
            changed.append("summary")
        if v["status"] != h["status"]:
            remote_has_password = bool(struct.get("post_password"))
            if not (doc.front.get("password_protected") and remote_has_password and v["status"] == "publish"):
                fields["post_status"] = v["status"]
                changed.append("status")
        if "slug" in v and v["slug"] != h["slug"]:
            fields["post_name"] = v["slug"]
            changed.append("slug")
        # A draft's date is not fixed until it is published (WordPress moves it on every save).
        floating = (
            v["status"] in FLOATING_DATE_STATUSES
            and h["status"] in FLOATING_DATE_STATUSES
            and v.get("date") is not None
            and v["date"].tzinfo is None
        )
        if "date" in v and v["date"] is not None and not floating and not same_date(v["date"], h["date"]):
            fields.update(_date_struct(v["date"]))
            changed.append("date")
        terms: dict[str, list[str]] = {}
        for key, taxonomy in self.taxonomies.get(doc.post_type, []):
            if key in v and sorted(v[key]) != sorted(h[key]):
                if taxonomy == "category" and not v[key]:
                    continue  # WordPress would put it in the default category anyway
                terms[taxonomy] = v[key]
                changed.append(key)
        if terms:
            fields["terms_names"] = terms
        custom = self._custom_field_changes(want.fields, struct)
        if custom:
            fields["custom_fields"] = custom
            changed.append("custom fields")
        if not changed:
            return Plan({}, [], "")
        kind = doc.post_type
        # The live side of the diff: what differs as it is on the site, the rest as in the file.
        before = View(
            {k: (h[k] if k in changed and k in h else v[k]) for k in keys},
            have.fields if "custom fields" in changed else want.fields,
            have.body if "body" in changed else want.body,
        ).document(keys)
        after = want.document(keys)
        diff = _unified(before, after, f"a/wordpress/{kind}/{struct.get('post_id')}", f"b/{doc.path}")
        return Plan(fields, changed, diff)

    def _custom_field_changes(self, wanted: dict[str, str], struct: dict[str, Any]) -> list[dict[str, Any]]:
        remote: dict[str, list[tuple[str, str]]] = {}
        for cf in struct.get("custom_fields") or []:
            key = str(cf.get("key", ""))
            if key.startswith(self.prefix):
                remote.setdefault(key, []).append((str(cf.get("id")), str(cf.get("value", ""))))
        ops: list[dict[str, Any]] = []
        for key, value in sorted(wanted.items()):
            have = remote.pop(key, [])
            if not have:
                ops.append({"key": key, "value": value})
                continue
            (first_id, first_value), extra = have[0], have[1:]
            if first_value != value:
                ops.append({"id": first_id, "key": key, "value": value})
            ops.extend({"id": meta_id} for meta_id, _ in extra)
        # Fields the file does not have are left as they are (a folder converted again has none).
        return ops

    @staticmethod
    def snapshot(struct: dict[str, Any], prefix: str) -> str:
        data = {k: plain(struct.get(k)) for k in _SNAPSHOT_FIELDS}
        data["terms"] = sorted(
            (str(t.get("taxonomy")), str(t.get("name"))) for t in struct.get("terms") or []
        )
        data["custom_fields"] = sorted(
            (str(c.get("key")), str(c.get("value")))
            for c in struct.get("custom_fields") or []
            if str(c.get("key", "")).startswith(prefix)
        )
        return _sha(data)

    # -------------------------------------------------------------------------- running

    def run(self, on_entry: Callable[[Entry], None] | None = None) -> Report:
        """Publish the folder. A run that changes the site holds the lock of this folder and site throughout
        (a second one stops at once, naming the process), and reads the folder's record under it."""
        if self.dry_run:
            return self._run(on_entry)
        with publish_lock(self.folder, self.client.url):
            self._load_state()
            return self._run(on_entry)

    def _run(self, on_entry: Callable[[Entry], None] | None) -> Report:
        report = Report(source=f"{self.folder} → {self.client.url}", dry_run=self.dry_run)
        items = list(self.files.items())
        self.links = PublishLinks([(item.path, item.front) for item in items if isinstance(item, LocalDoc)])
        self._prefetch(items)
        try:
            pipeline.run(items, self, self.writer, report, on_entry)
            report.notes.extend(self._resend_stale(items))
        finally:
            self._save_state()
        report.notes.extend(self.media.notes())
        report.notes.extend(self.links.notes())
        if self.loader.backups:
            report.notes.append(
                f"backed up {len(self.loader.backups)} posts before overwriting them: {self.loader.run_dir}"
            )
        return report

    def _prefetch(self, items: list[LocalDoc | tuple[str, str]]) -> None:
        """Read the posts the files will be compared with a page at a time (not one request each)."""
        self._matches: dict[str, tuple[int | None, str]] = {}
        self._fetched: dict[int, dict[str, Any]] = {}
        for item in items:
            if isinstance(item, LocalDoc) and item.front:
                self._matches[item.path] = self.match(item)
        wanted: dict[str, set[int]] = {}
        for post_id, _ in self._matches.values():
            if post_id is not None and post_id in self.source.index.tree:
                wanted.setdefault(self.source.index.tree[post_id][2], set()).add(post_id)
        if sum(len(ids) for ids in wanted.values()) < PREFETCH_MIN:
            return
        for post_type, ids in wanted.items():
            missing = set(ids)
            for struct in self.client.posts_of_type(post_type, _FULL_FIELDS):
                post_id = int(struct.get("post_id") or 0)
                if post_id in missing:
                    self._fetched[post_id] = struct
                    missing.discard(post_id)
                    if not missing:
                        break

    # -------------------------------------------------------------------------- the stages (pipeline.Stages)

    def about(self, item: LocalDoc | tuple[str, str], /) -> dict[str, Any]:
        if isinstance(item, tuple):
            return {"id": None, "title": "", "path": item[0]}
        return {"id": None, "title": item.title, "post_type": item.post_type, "path": item.path}

    def __call__(self, item: LocalDoc | tuple[str, str], /) -> Change:
        """What publishing one file changes on the site (raises SkipPost for a file left out, MigrateError for
        one that cannot be published)."""
        if isinstance(item, tuple):
            # A link is not followed (nothing outside the folder is read): skipped, as a choice; unreadable: failed.
            if item[1] in NOT_READ:
                raise SkipPost(item[1])
            raise MigrateError(item[1])
        doc = item
        if not doc.front or ("title" not in doc.front and "wordpress_id" not in doc.front):
            raise SkipPost("not a converted post (no front matter with a title)")
        if HUGO_SHORTCODE.search(doc.body):
            raise SkipPost("holds Hugo shortcodes ({{< … >}}), which WordPress would "
                           "show as text: convert with --figure-style markdown or html to publish")
        body = self.media.with_site_urls(doc.body, doc.path)  # local media: uploaded when the site lacks them
        body = self.links.rewrite(doc.path, body, self._permalink_of)  # links to the folder's posts
        if body != doc.body:
            doc = LocalDoc(doc.path, doc.text, doc.front, body)
        post_id, reason = self._matches[doc.path] if doc.path in self._matches else self.match(doc)
        if reason:
            raise SkipPost(reason, post_id=post_id)
        if post_id is not None and post_id in self.claimed:
            raise SkipPost(f"post {post_id} is published from {self.claimed[post_id]} already", post_id=post_id)
        struct = None
        if post_id is not None:
            struct = self._fetched.pop(post_id, None) or self.loader.fetch(post_id)
        if post_id is not None and struct is None:
            post_id = None  # gone since the index was read: create it again
        self.links.saw(doc.path, struct)
        if struct is not None and struct.get("post_status") == "trash":
            raise SkipPost("in the trash on the site: restore it there first", post_id=post_id)
        if post_id is not None and struct is not None:  # (a post_id without its struct was cleared above)
            self.claimed[post_id] = doc.path
            remembered = self.site_state.get(doc.path, {})
            if (
                remembered.get("id") == post_id
                and remembered.get("local") == self._local_key(doc)
                and remembered.get("remote") == self.snapshot(struct, self.prefix)
            ):
                return Change(post_id, path=doc.path)
        try:
            plan = self.plan(doc, struct)
            clean_post_fields(plan.fields, trusted=self.ctx.options.allow_unsafe_html)
        except SkipPost as e:
            raise SkipPost(f"the site's post is left out: {e.reason}", post_id=post_id) from None
        if struct is not None and not plan.changed:
            return Change(post_id, path=doc.path)
        if struct is None:
            note = (
                "created as a draft: the password is not in the file"
                if plan.fields.get("post_status") == "draft" and local_status(doc.front) != "draft"
                else ""
            )
            return Change(None, plan.fields, path=doc.path, diff=plan.diff, reason=note)
        return Change(post_id, plan.fields, struct, path=doc.path, diff=plan.diff,
                      reason="changed: " + ", ".join(plan.changed))

    def loaded(self, item: LocalDoc | tuple[str, str], written: Written, /) -> None:
        if isinstance(item, LocalDoc) and written.outcome in ("new", "updated"):
            self._remember(item, written.id)

    def _resend_stale(self, items: list[LocalDoc | tuple[str, str]]) -> list[str]:
        """Send again the files whose links to other posts of the folder lead elsewhere now that every post of
        the run is on the site (a post created after the file was sent); notes for the summary."""
        notes = []
        by_path = {item.path: item for item in items if isinstance(item, LocalDoc)}
        for path in self.links.stale():
            self.claimed = {i: p for i, p in self.claimed.items() if p != path}
            entry = pipeline.step(by_path[path], self, self.writer, Report(source="", dry_run=self.dry_run))
            if entry.outcome == "failed":
                notes.append(f"{path}: its links to posts created later could not be sent: {entry.reason}")
            elif entry.outcome != "unchanged":
                notes.append(f"{path}: sent again with the permalinks of posts created after it")
        return notes

    def _local_key(self, doc: LocalDoc) -> str:
        """What the record remembers of a file: its text, and the links it was sent with (permalinks)."""
        sent = self.links.sent.get(doc.path)
        return _sha(doc.text) if sent is None else _sha(doc.text + "\0" + sent)

    def _permalink_of(self, path: str) -> str | None:
        """The permalink of the post the file ``path`` is published to, when it is on the site already."""
        post_id = self._matches.get(path, (None, ""))[0]
        if post_id is None:
            return None
        struct = self._fetched.get(post_id) or self.loader.fetch(post_id)
        if struct is not None:
            self._fetched[post_id] = struct  # (the file's own turn takes it from here)
        return str(struct["link"]) if struct and struct.get("link") else None

    def _remember(self, doc: LocalDoc, post_id: int | None) -> None:
        if post_id is None:
            self.links.would_create.add(doc.path)  # (a dry run's new post: no permalink yet)
        if self.dry_run or post_id is None:
            return
        struct = self.loader.refetch(post_id)
        self.links.saw(doc.path, struct)
        self._matches[doc.path] = (post_id, "")  # (a file sent again in this run updates the post it created)
        self.site_state[doc.path] = {
            "id": post_id,
            "local": self._local_key(doc),
            "remote": self.snapshot(struct, self.prefix) if struct else "",
        }


def publish(
    client: SiteClient,
    folder: str | Path,
    *,
    dry_run: bool = False,
    backup_dir: str | Path | None = None,
    prefix: str = DEFAULT_PREFIX,
    on_entry: Callable[[Entry], None] | None = None,
) -> Report:
    """Publish every converted post in ``folder`` to the site (see the module's docstring)."""
    return Publisher(client, folder, dry_run=dry_run, backup_dir=backup_dir, prefix=prefix).run(on_entry)


# ------------------------------------------------------------------------------------------- clean


def clean_stages() -> list[tuple[str, Callable[..., Any]]]:
    """The stages ``clean`` runs, in pipeline order, each with what it works on: ``select`` (the post),
    ``html`` (a cleaner placed before ``to_markdown``) or ``text`` (a cleaner placed after it)."""
    out: list[tuple[str, Callable[..., Any]]] = []
    after_markdown = False
    for stage in pipeline.STAGES:
        if stage is pipeline.to_markdown:
            after_markdown = True
        elif stage_kind(stage) == "select":
            out.append(("select", stage))
        elif stage_kind(stage) == "clean":
            out.append(("text" if after_markdown else "html", stage))
    return out


def cleaned_content(
    post: Post, ctx: Context, stages: list[tuple[str, Callable[..., Any]]] | None = None
) -> str | None:
    """The post's stored content with the cleaning stages applied, or None when they change nothing.

    The content is never rendered or converted: HTML cleaners see it as ``html``, text cleaners as the
    ``body`` (its lines), so blocks, shortcodes and paragraphs stay as WordPress stores them. Raises
    SkipPost for posts the selection stages leave out.
    """
    stages = clean_stages() if stages is None else stages
    text = post.content
    for kind, stage in stages:
        if kind == "select":
            post = stage(post, ctx)
        elif kind == "html":
            post = stage(replace(post, html=text), ctx)
            text = post.html if post.html is not None else text
        else:
            post = stage(replace(post, body=text), ctx)
            text = post.body if post.body is not None else text
    if not post.content.endswith("\n"):
        text = text.rstrip("\n")  # the cleaners end text with a newline; WordPress keeps none
    return None if text == post.content else text


def clean(
    client: SiteClient,
    *,
    dry_run: bool = False,
    backup_dir: str | Path | None = None,
    options: Options | None = None,
    only: set[int] | None = None,
    on_entry: Callable[[Entry], None] | None = None,
) -> Report:
    """Clean every post of the site (or only those ``only`` names) in place (see the module's docstring)."""
    source = XmlrpcSite(client)
    loader = WordPressLoader(client, backup_dir=backup_dir)
    report = Report(source=client.url, dry_run=dry_run)
    ctx = Context(site=source.site, index=source.index, options=options or Options())
    if only is None:
        posts: Iterator[Post] = source.posts()
    else:  # just these: one request each rather than reading the whole site
        structs = (client.get_post(post_id) for post_id in sorted(only))
        posts = (
            post_from_struct(s, logins=source.logins, future=int(s.get("post_id") or 0) in source.future_ids)
            for s in structs
            if s is not None
        )
    pipeline.run(posts, Cleaning(ctx, loader), DryRun(loader) if dry_run else loader, report, on_entry)
    if loader.backups:
        report.notes.append(
            f"backed up {len(loader.backups)} posts before overwriting them: {loader.run_dir}"
        )
    return report


class Cleaning(pipeline.Steps[Post, Change]):
    """``clean``'s stages: a site's post → the :class:`~migrate.load.base.Change` of its cleaned content."""

    def __init__(self, ctx: Context, loader: WordPressLoader) -> None:
        self.ctx = ctx
        self.loader = loader  # (reads each post again before it is changed)
        self.stages = clean_stages()

    def take_counts(self) -> dict[str, dict[str, int]]:
        return pipeline.post_counts(self.ctx)

    def about(self, post: Post, /) -> dict[str, Any]:
        return {"id": post.id, "title": post.title, "post_type": post.post_type,
                "path": f"wordpress/{post.post_type}/{post.id}"}

    def __call__(self, post: Post, /) -> Change:
        path = f"wordpress/{post.post_type}/{post.id}"
        new = cleaned_content(post, self.ctx, self.stages)
        if new is None:
            return Change(post.id, path=path)
        struct = self.loader.fetch(post.id)
        if struct is None:
            raise SkipPost("deleted on the site during the run")
        if str(struct.get("post_content") or "") != post.content:
            raise SkipPost("changed on the site during the run: clean again")
        diff = _unified(post.content, new, f"a/{path}", f"b/{path}")
        return Change(post.id, {"post_content": new}, struct, path=path, diff=diff)
