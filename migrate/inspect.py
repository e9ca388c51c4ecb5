"""What an export holds: counts by type and status, comments, authors, terms, shortcodes and blocks."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .context import Context, Options, Source
from .model import Site
from .pipeline import STAGES
from .rules import RuleSet, default_rules
from .transform.boilerplate import preview

# An opening shortcode tag: [name, [name attr=…], [name/] — not [[escaped]] ones (the lookbehind).
SHORTCODE_TAG = re.compile(r"(?<!\[)\[([A-Za-z][\w-]*)(?=[\s\]/])")
# A block-editor opening comment: <!-- wp:core-name or <!-- wp:namespace/name
BLOCK_TAG = re.compile(r"<!--\s+wp:([a-z][a-z0-9_-]*(?:/[a-z][a-z0-9_-]*)?)")


@dataclass
class Inventory:
    """The counts ``wp-migrate inspect`` prints."""

    site: Site
    items: int = 0
    types: Counter[tuple[str, str]] = field(default_factory=Counter)  # (post type, status)
    comments: Counter[str] = field(default_factory=Counter)  # status, or pingback/trackback
    shortcodes: Counter[str] = field(default_factory=Counter)
    blocks: Counter[str] = field(default_factory=Counter)
    authors: Counter[str] = field(default_factory=Counter)  # login → posts written
    boilerplate: Counter[str] = field(default_factory=Counter)  # rule → what it would remove
    boilerplate_rule_posts: Counter[str] = field(default_factory=Counter)  # rule → posts it would change
    boilerplate_posts: set[int] = field(default_factory=set)  # posts the rules would change
    boilerplate_kept: int = 0  # posts the rules would empty, which keep their body


def inventory(source: Source, rules: RuleSet | None = None) -> Inventory:
    """Read every item of ``source`` and count what it holds, and what the boilerplate rules (``rules``,
    the defaults when None) would remove."""
    inv = Inventory(site=source.site)
    ctx = Context(site=source.site, index=source.index,
                  options=Options(rules=default_rules() if rules is None else rules, comments="none"))
    for post in source.posts():
        removed, kept = preview(post, ctx, STAGES)
        inv.boilerplate.update(removed)
        inv.boilerplate_rule_posts.update(removed.keys())
        if removed:
            inv.boilerplate_posts.add(post.id)
        inv.boilerplate_kept += kept
        inv.items += 1
        inv.types[(post.post_type, post.status)] += 1
        if post.author:
            inv.authors[post.author] += 1
        for c in post.comments:
            inv.comments[c.type if c.is_ping else c.status] += 1
        inv.shortcodes.update(m.group(1).lower() for m in SHORTCODE_TAG.finditer(post.content))
        inv.blocks.update(m.group(1) for m in BLOCK_TAG.finditer(post.content))
    return inv
