"""Sources behind a registry: each name (``wxr``, ``xmlrpc``, ``rest``, ``html``, ``folder``) opens a
:class:`~migrate.context.Source` — a site, its index, and a stream of posts — from a location.

A new source is one module and one :func:`register` call. The live-site and saved-page readers are imported
when first used: the XML-RPC client, httpx and their HTTP/TLS modules are a tenth of a second of start-up that
converting a file does not need.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from .context import Source
from .errors import UnknownName
from .extract.folder import FolderSource
from .extract.wxr import read_wxr

__all__ = [
    "EXTRACTORS", "SITE_APIS", "SOURCES", "open_site", "open_source", "read_folder", "read_html", "read_rest",
    "read_site", "register",
]


def read_site(*args: Any, **kwargs: Any) -> Source:
    """:func:`migrate.extract.xmlrpc.read_site`, imported when first used."""
    from .extract.xmlrpc import read_site as read

    return read(*args, **kwargs)


def read_rest(*args: Any, **kwargs: Any) -> Source:
    """:func:`migrate.extract.rest.read_site` (httpx), imported when first used."""
    from .extract.rest import read_site as read

    return read(*args, **kwargs)


def read_html(*args: Any, **kwargs: Any) -> Source:
    """:func:`migrate.extract.html.read_pages`: saved pages of a site, imported when first used."""
    from .extract.html import read_pages

    return read_pages(*args, **kwargs)


def read_folder(*args: Any, **kwargs: Any) -> Source:
    """:class:`migrate.extract.folder.FolderSource`: a folder of converted posts (what ``publish`` reads)."""
    return FolderSource(*args, **kwargs)


#: Sources by name: each opens a location (a file, a URL, a folder) as a :class:`~migrate.context.Source`.
SOURCES: dict[str, Callable[..., Source]] = {
    "wxr": read_wxr, "xmlrpc": read_site, "rest": read_rest, "html": read_html, "folder": read_folder,
}


#: (the registry's former name)
EXTRACTORS = SOURCES


def register(name: str, opener: Callable[..., Source]) -> None:
    """Make ``opener`` the source called ``name`` (``open_source(name, location, …)``)."""
    SOURCES[name] = opener


def open_source(kind: str, location: str | Path, **kwargs: Any) -> Source:
    """Open a source with the opener registered as ``kind`` (``wxr``…)."""
    if kind not in SOURCES:
        raise UnknownName("source", kind, list(SOURCES))
    return SOURCES[kind](location, **kwargs)


#: How ``--api`` reads a live site.
SITE_APIS = ("auto", "rest", "xmlrpc")


def open_site(location: str, api: str = "auto", settings: Any = None) -> Source:
    """A live site over the REST API, XML-RPC, or (``auto``) the REST API and, when that cannot be read,
    XML-RPC; the source's ``notes`` say which one was used and why."""
    from .extract.xmlrpc import SiteError

    if api not in SITE_APIS:
        raise UnknownName("API", api, list(SITE_APIS))
    if api == "rest":
        return read_rest(location, settings)
    if api == "xmlrpc":
        return read_site(location, settings)
    try:
        return read_rest(location, settings)
    except SiteError as rest_error:
        if settings is None or settings.credentials is None:
            raise  # XML-RPC needs an account
        # (A REST API that refuses the password may still take it over XML-RPC: an account's own password
        # works there, the REST API wants an application password.)
        try:
            source = read_site(location, settings)
        except SiteError as xmlrpc_error:
            raise SiteError(f"REST API: {rest_error.message}; XML-RPC: {xmlrpc_error.message}",
                            hint=xmlrpc_error.hint or rest_error.hint) from None
        source.notes = [f"read over XML-RPC: the REST API could not be read ({rest_error.message})"]  # type: ignore[attr-defined]
        return source
