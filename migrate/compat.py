"""Compatibility shims for third-party code. Every shim the project needs lives here, and only here.

python-wordpress-xmlrpc 2.3 (the last release) was written for Python 2 and early Python 3: its
``wordpress_xmlrpc.base`` refers to ``collections.Iterable``, an alias that Python 3.10 removed
(it lives in ``collections.abc``). Importing the package still works, but the first method call that
returns a list of objects (``GetPosts``, ``GetUsers``, ``GetUsersBlogs``…) fails with
``AttributeError: module 'collections' has no attribute 'Iterable'``.

:func:`wordpress_xmlrpc` imports the package and gives that one module a ``collections`` namespace
that has the old aliases again. The standard library's ``collections`` module itself is left alone,
so nothing else in the process is affected.
"""

from __future__ import annotations

import collections
import collections.abc
import types
from typing import Any

#: The aliases Python 3.10 removed from ``collections`` (they are in ``collections.abc``).
REMOVED_ALIASES = (
    "Awaitable",
    "Coroutine",
    "AsyncIterable",
    "AsyncIterator",
    "AsyncGenerator",
    "Hashable",
    "Iterable",
    "Iterator",
    "Generator",
    "Reversible",
    "Sized",
    "Container",
    "Callable",
    "Collection",
    "Set",
    "MutableSet",
    "Mapping",
    "MutableMapping",
    "MappingView",
    "KeysView",
    "ItemsView",
    "ValuesView",
    "Sequence",
    "MutableSequence",
    "ByteString",
)


def collections_with_aliases() -> types.SimpleNamespace:
    """A stand-in for the ``collections`` module that also has the aliases of ``collections.abc``."""
    namespace = types.SimpleNamespace(
        **{k: v for k, v in vars(collections).items() if not k.startswith("__")}
    )
    for name in REMOVED_ALIASES:
        if not hasattr(namespace, name) and hasattr(collections.abc, name):
            setattr(namespace, name, getattr(collections.abc, name))
    namespace.abc = collections.abc
    return namespace


def wordpress_xmlrpc() -> Any:
    """The ``wordpress_xmlrpc`` package, made to work on this Python (idempotent)."""
    import wordpress_xmlrpc as package
    from wordpress_xmlrpc import base

    if not hasattr(base.collections, "Iterable"):
        base.collections = collections_with_aliases()
    return package
