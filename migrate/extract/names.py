"""Element names as the readers compare them: a namespace's canonical prefix and the local name.

WordPress has bound its namespaces to other prefixes and other URIs over the years (WXR 1.0 to 1.2, http or https),
so a name is compared by its namespace's family, not by the prefix a file chose: ``wp:post_id`` whatever the file
calls it. Both item readers (the lxml walk in :mod:`.wxr` and :mod:`.itemreader`) map names here.
"""

from __future__ import annotations

import re
from typing import Any

# Namespace URIs by family, whatever prefix a file binds them to.
_NAMESPACE_FAMILIES: list[tuple[re.Pattern[str], str]] = [
    # WXR's excerpt namespace, any version, http or https: http://wordpress.org/export/1.2/excerpt/
    (re.compile(r"^https?://wordpress\.org/export/\d+\.\d+/excerpt/?$"), "excerpt"),
    # WXR's own namespace, any version, http or https: https://wordpress.org/export/1.2/
    (re.compile(r"^https?://wordpress\.org/export/\d+\.\d+/?$"), "wp"),
    # RSS content module: http://purl.org/rss/1.0/modules/content/
    (re.compile(r"^https?://purl\.org/rss/1\.0/modules/content/?$"), "content"),
    # Dublin Core elements: http://purl.org/dc/elements/1.1/
    (re.compile(r"^https?://purl\.org/dc/elements/1\.1/?$"), "dc"),
    # Well-formed web comment API: http://wellformedweb.org/CommentAPI/
    (re.compile(r"^https?://wellformedweb\.org/CommentAPI/?$"), "wfw"),
]


def _family(uri: str) -> str:
    for pattern, name in _NAMESPACE_FAMILIES:
        if pattern.match(uri):
            return name
    return uri


#: lxml tag → :func:`qname`; the walks look names up here inline, and call qname only for a new one.
_name_cache: dict[str, str] = {}


def qname(tag: Any) -> str:
    """``{https://wordpress.org/export/1.2/}post_id`` → ``wp:post_id``; ``title`` → ``title``."""
    if not isinstance(tag, str):  # comments, processing instructions
        return ""
    name = _name_cache.get(tag)
    if name is None:
        if tag.startswith("{"):
            uri, local = tag[1:].split("}", 1)
            name = f"{_family(uri)}:{local}"
        else:
            name = tag
        _name_cache[tag] = name
    return name
