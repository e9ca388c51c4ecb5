"""What an export holds: counts by type and status, comments, authors, terms, shortcodes and blocks."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .model import Site

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


def inventory(source) -> Inventory:  # type: ignore[no-untyped-def]
    """Read every item of ``source`` and count what it holds."""
    inv = Inventory(site=source.site)
    for post in source.posts():
        inv.items += 1
        inv.types[(post.post_type, post.status)] += 1
        if post.author:
            inv.authors[post.author] += 1
        for c in post.comments:
            inv.comments[c.type if c.is_ping else c.status] += 1
        inv.shortcodes.update(m.group(1).lower() for m in SHORTCODE_TAG.finditer(post.content))
        inv.blocks.update(m.group(1) for m in BLOCK_TAG.finditer(post.content))
    return inv
