"""Where the files the project ships beside its code are: the rule files (``mappings/``) and the sample export
(``exports/``).

They live at the top of the repository, next to ``migrate/``. A wheel carries them inside the package
(``migrate/mappings``, ``migrate/exports``: pyproject.toml maps the folders there), since a site-packages folder
has no "next to the package"; a source checkout or an editable install reads them where they are.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def folder(name: str) -> Path:
    """The bundled folder ``name`` ("mappings" or "exports"): inside the package when installed from a wheel,
    else beside it."""
    inside = _PACKAGE / name
    return inside if inside.is_dir() else _PACKAGE.parent / name


#: The bundled rule files.
MAPPINGS = folder("mappings")
#: The sample export bundled with the project, converted when no export is named.
SAMPLE_EXPORT = folder("exports") / "film-reviews.xml"
