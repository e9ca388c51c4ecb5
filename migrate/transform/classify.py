"""Which items become files, and the reason for every one that does not."""

from __future__ import annotations

from ..model import Post

#: Post types that are never content of their own, with the reason the summary gives.
SKIPPED_TYPES: dict[str, str] = {
    "attachment": "attachment (media, referenced by the posts that use it)",
    "nav_menu_item": "navigation menu item",
    "revision": "revision",
    "wp_block": "reusable block (inlined where it is used)",
    "wp_template": "block-theme internals (wp_template)",
    "wp_template_part": "block-theme internals (wp_template_part)",
    "wp_global_styles": "block-theme internals (wp_global_styles)",
    "wp_navigation": "block-theme internals (wp_navigation)",
    "wp_font_family": "block-theme internals (wp_font_family)",
    "wp_font_face": "block-theme internals (wp_font_face)",
    "custom_css": "site internals (custom_css)",
    "customize_changeset": "site internals (customize_changeset)",
    "oembed_cache": "site internals (oembed_cache)",
    "user_request": "site internals (user_request: personal data requests)",
    "feedback": "contact-form response (holds visitors' personal data)",
    # Saved pages (--from-html) that show no single post:
    "page:archive": "archive page (a list of posts: each is read from its own page)",
    "page:category": "category archive page (the posts' categories come from their own pages)",
    "page:tag": "tag archive page (the posts' tags come from their own pages)",
    "page:author": "author archive page",
    "page:date": "date archive page",
    "page:home": "the posts index (a list of posts: each is read from its own page)",
    "page:paged": "a further page of a list of posts (page 2, 3…)",
    "page:search": "search results page",
    "page:404": "the site's 'not found' page",
    "page:duplicate": "the same post as a page read before (another address of it)",
    "page:other": "not a WordPress post or page",
}

#: Statuses that are never content, with the reason.
SKIPPED_STATUSES: dict[str, str] = {
    "trash": "in the trash",
    "auto-draft": "auto-draft (never saved by its author)",
}


def skip_reason(post: Post) -> str | None:
    """Why ``post`` is left out of the output, or None when it is written."""
    if post.post_type in SKIPPED_TYPES:
        return SKIPPED_TYPES[post.post_type]
    if post.status in SKIPPED_STATUSES:
        return SKIPPED_STATUSES[post.status]
    return None
