"""Comments: which ones are kept, their threads, their bodies in Markdown, and where they are written.

By default only approved comments are kept; pending, spam and trashed ones, pingbacks and trackbacks
(unless ``include_pings``) and comments of other types (a plugin's ``order_note``, ``webhook``…) are
left out and counted under ``"comments left out"``. Threads keep their shape: each comment sits under
its parent, replies in date order; a reply whose parent was left out moves up to its nearest kept
ancestor. Bodies go through the same autop and Markdown conversion as posts.

Where they go (``Options.comments``):

* ``front-matter`` — a ``comments`` list in the front matter, replies nested under ``replies``;
* ``data-file`` — the same list in a YAML file beside the post (``<post>.comments.yaml``);
* ``section`` — a "Comments" section appended to the body, replies as nested quotes;
* ``none`` — not written (and counted as left out).

Commenter e-mail addresses and IP addresses are never written unless ``include_emails`` /
``include_ips`` ask for them.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from dataclasses import replace
from datetime import datetime
from typing import Any

from .. import fastpath
from ..context import Context, Options
from ..errors import UnknownName
from ..model import Comment, Post, evolve
from .content import plain_prose_markdown, render_comment_html
from .frontmatter import dump_yaml, iso_date  # the front matter's YAML style, for the data file too
from .quickblocks import html_to_markdown
from .sanitize import check_nesting, clean_inline_html, safe_url

MODES = ("front-matter", "data-file", "section", "none")
LEFT_OUT = "comments left out"
WRITTEN = "comments written"
DATA_FILE_SUFFIX = ".comments.yaml"
#: Replies deeper than this sit beside their parent instead of under it (YAML and Markdown stay sane).
MAX_DEPTH = 50

_COMMENT_TYPES = ("comment", "")
_PING_TYPES = ("pingback", "trackback")


#: (the name tests knew it by)
_render_comment_html = render_comment_html


def comment_markdown(text: str) -> str:
    """A comment's stored text → Markdown, the way its HTML was shown."""
    if not text.strip():
        return ""
    # A comment that is plain prose (most are) needs no rendering.
    fast = plain_prose_markdown(text) if "\t" not in text else None
    if fast is not None:
        if fastpath.CHECK:
            fastpath.check("content.plain_prose_markdown", text, fast, lambda: _rendered_comment(text))
        return fast
    check_nesting(text, "a comment's HTML")  # (before the sanitiser and the parser: both slow down with depth)
    return _rendered_comment(text)


def _rendered_comment(text: str) -> str:
    # Commenters are strangers: their HTML is cut down to a small inline subset first (never --allow-unsafe-html).
    return html_to_markdown(clean_inline_html(render_comment_html(text))).strip()


def _options(ctx: Context | None) -> Options:
    return ctx.options if ctx is not None else Options()


def left_out_reason(comment: Comment, *, include_pings: bool = False, include_pending: bool = False) -> str | None:
    """Why a comment is not written, or None when it is kept."""
    status = comment.status
    if status == "pending" and include_pending:
        pass
    elif status != "approved":
        return status  # "pending", "spam", "trash", or whatever the export says
    if comment.type in _PING_TYPES:
        return None if include_pings else comment.type
    if comment.type not in _COMMENT_TYPES:
        return f"type {comment.type}"
    return None


def _when(comment: Comment) -> tuple[datetime, int]:
    if comment.date_gmt is not None:
        return comment.date_gmt.replace(tzinfo=None), comment.id
    return comment.date or datetime.min, comment.id


_MAILTO = re.compile(r"^\s*mailto:", re.IGNORECASE)
_WEB_URL = re.compile(r"^https?://[^\s<>]+$", re.IGNORECASE)


def _record(c: Comment, author_id: int | None, *, emails: bool, ips: bool) -> dict[str, Any]:
    """One comment's record; ``emails``/``ips``: the context's options to keep them (looked up once a post)."""
    rec: dict[str, Any] = {"id": c.id, "author": html.unescape(c.author).strip()}
    url = c.author_url.strip()
    # A commenter's site: an http(s) URL (a mailto: one only with the e-mails), nothing a browser would run.
    if url and safe_url(url) and (_WEB_URL.match(url) or emails and _MAILTO.match(url)):
        rec["author_url"] = url
    if emails and c.author_email:
        rec["email"] = c.author_email
    if ips and c.author_ip:
        rec["ip"] = c.author_ip
    date = iso_date(c.date, c.date_gmt)
    if date:
        rec["date"] = date
    if c.type in _PING_TYPES:
        rec["type"] = c.type
    if c.status != "approved":
        rec["status"] = c.status
    if author_id and c.user_id and c.user_id == author_id:
        rec["post_author"] = True
    rec["body"] = comment_markdown(c.content)
    return rec


def thread(post: Post, kept: list[Comment], ctx: Context | None = None) -> list[dict[str, Any]]:
    """The kept comments as nested records (``replies``), top level and each level in date order."""
    if not kept:
        return []
    author = ctx.site.author(post.author) if ctx is not None else None
    author_id = author.id if author is not None else None
    kept_ids = {c.id for c in kept}
    parents = {c.id: c.parent for c in post.comments}

    def kept_parent(c: Comment) -> int:
        seen, p = {c.id}, c.parent
        while p and p not in seen:
            if p in kept_ids:
                return p
            seen.add(p)
            p = parents.get(p, 0)
        return 0

    children: dict[int, list[Comment]] = defaultdict(list)
    for c in kept:
        children[kept_parent(c)].append(c)
    for siblings in children.values():
        siblings.sort(key=_when)
    emails, ips = _options(ctx).include_emails, _options(ctx).include_ips
    records = {c.id: _record(c, author_id, emails=emails, ips=ips) for c in kept}
    top: list[dict[str, Any]] = []
    placed: set[int] = set()

    def place(start: list[Comment], target: list[dict[str, Any]], depth: int) -> None:
        queue = [(start, target, depth)]
        while queue:
            comments, into, d = queue.pop(0)
            for c in comments:
                if c.id in placed:
                    continue
                placed.add(c.id)
                rec = records[c.id]
                into.append(rec)
                if children.get(c.id):
                    if d + 1 < MAX_DEPTH:
                        rec["replies"] = []
                        queue.append((children[c.id], rec["replies"], d + 1))
                    else:
                        queue.append((children[c.id], into, d))

    place(children.get(0, []), top, 0)
    if len(placed) < len(records):  # parent links that loop: those comments start threads of their own
        for c in sorted(kept, key=_when):
            if c.id not in placed:
                place([c], top, 0)
    return top


def _count_written(records: list[dict[str, Any]]) -> int:
    return sum(1 + _count_written(r.get("replies", [])) for r in records)


# --------------------------------------------------------------------------------------------------
# Output forms
# --------------------------------------------------------------------------------------------------


def data_file(post: Post, records: list[dict[str, Any]]) -> str:
    """The YAML of the data file beside a post."""
    return dump_yaml({"wordpress_id": post.id, "comments": records})


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#])")


def _escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def section(records: list[dict[str, Any]], heading: str = "Comments") -> str:
    """A Markdown section: each comment's author and date in bold, its body; replies as nested quotes."""
    out: list[str] = [f"## {heading}", ""]

    def add(rec: dict[str, Any], depth: int) -> None:
        name = _escape(rec["author"] or "Anonymous")
        who = f"[{name}](<{rec['author_url']}>)" if rec.get("author_url") else name
        meta = [f"**{who}**"]
        if rec.get("type"):
            meta.append(f"({rec['type']})")
        if rec.get("date"):
            meta.append("· " + str(rec["date"])[:16].replace("T", " "))
        lines = [" ".join(meta), ""] + (rec["body"].split("\n") if rec["body"] else [])
        prefix = "> " * depth
        out.extend((prefix + line).rstrip() if line else prefix.rstrip() for line in lines)
        out.append(prefix.rstrip())
        for reply in rec.get("replies", []):
            add(reply, depth + 1)
            out.append(prefix.rstrip())

    for rec in records:
        add(rec, 0)
    text = "\n".join(out)
    text = re.sub(r"\n(?:>[ >]*\n)+(?=\n|$)", "\n", text)  # no quote lines left dangling before a gap
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"


def attach_comments(post: Post, ctx: Context | None = None) -> Post:
    """Stage: keep the comments the options allow, thread them, and write them where the options say."""
    if not post.comments:
        return post
    options = _options(ctx)
    mode = options.comments
    if mode not in MODES:
        raise UnknownName("comments mode", str(mode), list(MODES))
    include_pings = options.include_pings
    include_pending = options.include_pending_comments
    kept: list[Comment] = []
    for c in post.comments:
        reason = left_out_reason(c, include_pings=include_pings, include_pending=include_pending)
        if reason is None:
            kept.append(c)
        elif ctx is not None:
            ctx.count(LEFT_OUT, reason)
    if not kept:
        return post
    if mode == "none":
        if ctx is not None:
            ctx.count(LEFT_OUT, "not written (--comments none)", len(kept))
        return post
    records = thread(post, kept, ctx)
    if ctx is not None:
        ctx.count(WRITTEN, mode, _count_written(records))
    if mode == "data-file":
        if ctx is not None:
            ctx.companion(DATA_FILE_SUFFIX, data_file(post, records))
        return post
    if mode == "section":
        body = (post.body or "").rstrip("\n")
        return replace(post, body=(body + "\n\n" if body else "") + section(records))
    return evolve(post, fields={**post.fields, "comments": records})
