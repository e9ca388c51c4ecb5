"""The minimal, plain theme a converted folder gets when it has no templates of its own.

The templates are package data beside this module (``hugo/`` and ``jekyll/``, laid out as they are written into
the site), so ``wp-migrate convert`` writes them and ``wp-migrate verify`` builds with them: one set of templates.
They show a page's title, date, author, terms, content and the comments of its front matter, and mark each page
with its WordPress id (``<meta name="wp-migrate-id">``) for ``verify``. Nothing untrusted is made active: titles
and comments are escaped (Hugo's html/template; Liquid's ``escape``), only a post's converted body is HTML.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

#: Jekyll front-matter defaults that give posts and pages (and collections) the theme's layouts.
JEKYLL_DEFAULTS = [
    {"scope": {"path": ""}, "values": {"layout": "page"}},
    {"scope": {"path": "", "type": "posts"}, "values": {"layout": "post"}},
]


@cache
def theme_files(generator: str) -> tuple[tuple[str, str], ...]:
    """The theme's files for ``generator`` ("hugo" or "jekyll"): (path relative to the site, text), sorted."""
    found: list[tuple[str, str]] = []

    def walk(folder: Traversable, prefix: str) -> None:
        for entry in folder.iterdir():
            if entry.is_dir():
                walk(entry, f"{prefix}{entry.name}/")
            elif entry.name.endswith(".html"):
                found.append((prefix + entry.name, entry.read_text("utf-8")))

    walk(files(__name__) / generator, "")
    return tuple(sorted(found))


#: A Hugo configuration that names a theme or imports modules (which bring their own layouts).
_HUGO_THEME = re.compile(r"""^\s*["']?(?:theme|imports)["']?\s*[=:]|^\s*\[\[?module\.imports""", re.M)
_JEKYLL_THEME = re.compile(r"""^["']?(?:theme|remote_theme)["']?\s*:""", re.M)
HUGO_CONFIGS = ("hugo.toml", "hugo.yaml", "hugo.json", "config.toml", "config.yaml", "config.json")
JEKYLL_CONFIGS = ("_config.yml", "_config.yaml")


def has_own_templates(out: Path, generator: str, ours: AbstractSet[str] = frozenset()) -> str | None:
    """What in ``out`` says it has templates or a theme of its own (None when nothing does). Files in ``ours``
    (paths relative to ``out``: the theme a previous run wrote) do not count."""
    folders = ("layouts", "themes") if generator == "hugo" else ("_layouts", "_includes")
    for folder in folders:
        root = out / folder
        if root.is_symlink() or root.exists() and not root.is_dir():
            return folder
        if root.is_dir():
            for path in root.rglob("*"):
                if path.is_dir() and not path.is_symlink():
                    continue
                if path.relative_to(out).as_posix() not in ours:
                    return f"{folder}/"
    pattern = _HUGO_THEME if generator == "hugo" else _JEKYLL_THEME
    for name in HUGO_CONFIGS if generator == "hugo" else JEKYLL_CONFIGS:
        config = out / name
        if config.is_file() and not config.is_symlink():
            try:
                text = config.read_text("utf-8", "replace")
            except OSError:
                continue
            if pattern.search(text):
                return f"the theme named in {name}"
    return None
