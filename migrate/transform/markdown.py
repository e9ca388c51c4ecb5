"""HTML → Markdown with a :class:`markdownify.MarkdownConverter` subclass.

Extend it the markdownify way: subclass :class:`WordPressConverter` and add or
override ``convert_<tag>`` methods.
"""

from __future__ import annotations

import re

from markdownify import ATX, MarkdownConverter

# Three or more newlines in a row (blank-line runs the converter leaves behind).
_EXTRA_BLANK_LINES = re.compile(r"\n{3,}")
# Trailing spaces or tabs at the end of a line (but not a two-space hard break: we use backslashes).
_TRAILING_SPACE = re.compile(r"[ \t]+\n")


class WordPressConverter(MarkdownConverter):
    """markdownify with the choices wp-migrate makes: ATX headings, ``-`` bullets, fenced code."""

    def __init__(self, **options: object) -> None:
        defaults = {
            "heading_style": ATX,
            "bullets": "-",
            "escape_underscores": False,
            "escape_misc": False,
            "newline_style": "backslash",
            "code_language_callback": _code_language,
        }
        defaults.update(options)
        super().__init__(**defaults)


def _code_language(el: object) -> str:
    """The language of a ``<pre>`` from its ``class`` (``language-php``, ``lang-php``, ``brush: php``)."""
    classes = el.get("class") or []  # type: ignore[attr-defined]
    if isinstance(classes, str):
        classes = classes.split()
    for cls in classes:
        for prefix in ("language-", "lang-"):
            if cls.startswith(prefix):
                return cls[len(prefix) :]
    code = el.find("code") if hasattr(el, "find") else None  # type: ignore[attr-defined]
    if code is not None and code is not el:
        return _code_language(code)
    return ""


def html_to_markdown(html: str, converter: MarkdownConverter | None = None) -> str:
    """Convert an HTML fragment to tidy Markdown ending in one newline (empty string for no content)."""
    if not html.strip():
        return ""
    text = (converter or WordPressConverter()).convert(html)
    text = _TRAILING_SPACE.sub("\n", text)
    text = _EXTRA_BLANK_LINES.sub("\n\n", text).strip("\n")
    return text + "\n" if text else ""
