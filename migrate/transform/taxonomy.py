"""Rule-file stages about names and selection: which posts to migrate, renamed or merged terms and
authors, and post meta copied into front matter.

* :func:`select_by_rules` — ``select: {post_types, statuses}`` leaves other posts out, with the reason;
* :func:`apply_names` — ``taxonomies.<key>.rename/drop`` and ``authors.rename``; two names renamed to
  one merge (the post lists the term once); renaming an author to another author's login merges the two;
* :func:`map_meta` — ``meta.fields`` copies post-meta values, typed, under one front-matter key
  (``meta.namespace``, default ``meta``), so a meta key called ``date`` or ``title`` never overwrites
  the real one.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..context import Context, rules_of, selects
from ..errors import SkipPost
from ..model import Post, TermRef
from .fields import NOT_UNDERSTOOD, field_items
from .frontmatter import taxonomy_key

RENAMED = "terms renamed"
DROPPED = "terms dropped"
AUTHORS = "authors renamed"
META = "meta fields"


@selects
def select_by_rules(post: Post, ctx: Context | None = None) -> Post:
    """Stage (after ``select``): leave out post types and statuses the rules do not choose."""
    rules = rules_of(ctx)
    if rules.post_types and post.post_type not in rules.post_types:
        raise SkipPost(f"post type {post.post_type} (not chosen by the rule files' select.post_types)")
    if rules.statuses and post.status not in rules.statuses:
        raise SkipPost(f"status {post.status} (not chosen by the rule files' select.statuses)")
    return post


def _count(ctx: Context | None, name: str, key: str) -> None:
    if ctx is not None:
        ctx.count(name, key)


def rename_terms(post: Post, ctx: Context | None = None) -> tuple[TermRef, ...]:
    """The post's terms after the renames and drops, each (taxonomy, name) once."""
    by_key = {t.taxonomy: t for t in rules_of(ctx).taxonomies}
    if not by_key:
        return post.terms
    out: list[TermRef] = []
    seen: set[tuple[str, str]] = set()
    for term in post.terms:
        rules = by_key.get(taxonomy_key(term.taxonomy)) or by_key.get(term.taxonomy)
        name: str | None = term.name
        if rules is not None:
            name = rules.new_name(term.name, term.slug)
            if name is None:
                _count(ctx, DROPPED, f"{taxonomy_key(term.taxonomy)}: {term.name}")
                continue
            if name != term.name:
                _count(ctx, RENAMED, f"{taxonomy_key(term.taxonomy)}: {term.name} → {name}")
                term = replace(term, name=name)
        key = (term.taxonomy, term.name.casefold())
        if key not in seen:
            seen.add(key)
            out.append(term)
    return tuple(out)


def rename_author(post: Post, ctx: Context | None = None) -> str:
    """The post's author after ``authors.rename`` (matched on the login or the display name)."""
    renames = rules_of(ctx).authors
    if not renames or not post.author:
        return post.author
    author = ctx.site.author(post.author) if ctx is not None else None
    names = {post.author.casefold()} | ({author.name.casefold()} if author else set())
    for old, new in renames:
        if old in names:
            _count(ctx, AUTHORS, f"{author.name if author else post.author} → {new}")
            return new
    return post.author


def apply_names(post: Post, ctx: Context | None = None) -> Post:
    """Stage: renamed, merged and dropped terms and authors."""
    terms = rename_terms(post, ctx)
    author = rename_author(post, ctx)
    if terms == post.terms and author == post.author:
        return post
    return replace(post, terms=terms, author=author)


def _meta_items(key: str, value: Any, rule: Any) -> dict[str, Any]:
    """A meta value as front-matter entries (raises ValueError when it does not fit the type)."""
    if isinstance(value, bool):
        value = "1" if value else "0"
    if isinstance(value, (int, float)):
        value = str(value)
    if isinstance(value, str):
        return field_items(key, value, rule.type)
    if isinstance(value, (list, tuple)) and rule.type.type == "list":
        return {key: [str(v) for v in value if not isinstance(v, (dict, list, tuple))]}
    raise ValueError("a structured value")


def map_meta(post: Post, ctx: Context | None = None) -> Post:
    """Stage: post-meta values → front matter under the meta namespace."""
    rules = rules_of(ctx)
    if not rules.meta or not post.meta:
        return post
    values: dict[str, Any] = {}
    for rule in rules.meta:
        value = post.meta_value(rule.source)
        if value is None or value == "":
            continue
        try:
            values.update(_meta_items(rule.key, value, rule))
        except ValueError:
            _count(ctx, NOT_UNDERSTOOD, f"{rules.meta_namespace}.{rule.key}")
            continue
        _count(ctx, META, rule.key)
    if not values:
        return post
    existing = post.fields.get(rules.meta_namespace)
    merged = {**existing, **values} if isinstance(existing, dict) else values
    return replace(post, fields={**post.fields, rules.meta_namespace: merged})
