"""The one shim for python-wordpress-xmlrpc 2.3 on Python 3.10+ (migrate/compat.py)."""

from __future__ import annotations

import collections
import collections.abc
import subprocess
import sys

from migrate import compat
from migrate.config import resolve
from migrate.extract.xmlrpc import SiteClient
from tests.wordpress.wp import WordPress

from .conftest import ROOT


def test_the_library_breaks_without_the_shim() -> None:
    """In a fresh interpreter: the library's list results need collections.Iterable, gone since 3.10."""
    code = (
        "import sys\n"
        "from wordpress_xmlrpc.methods.posts import GetPosts\n"
        "try:\n"
        "    GetPosts().process_result([{'post_id': '1', 'post_title': 'x'}])\n"
        "except AttributeError as e:\n"
        "    print('broken:', e)\n"
        "else:\n"
        "    print('works')\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=False, capture_output=True, text=True, cwd=ROOT
    ).stdout
    assert out.startswith("broken:") and "Iterable" in out


def test_the_shim_makes_it_work_and_leaves_collections_alone() -> None:
    package = compat.wordpress_xmlrpc()
    assert compat.wordpress_xmlrpc() is package  # idempotent
    from wordpress_xmlrpc.methods.posts import GetPosts
    from wordpress_xmlrpc.wordpress import WordPressPost

    posts = GetPosts().process_result(
        [{"post_id": "1", "post_title": "A"}, {"post_id": "2", "post_title": "B"}]
    )
    assert [type(p) for p in posts] == [WordPressPost, WordPressPost]
    assert [p.title for p in posts] == ["A", "B"]
    # Only the library's own module sees the aliases; the standard library is untouched.
    assert not hasattr(collections, "Iterable")
    from wordpress_xmlrpc import base

    assert base.collections.Iterable is collections.abc.Iterable
    assert base.collections.OrderedDict is collections.OrderedDict


def test_library_objects_from_the_real_wordpress(wordpress: WordPress) -> None:
    """GetUsersBlogs and GetUsers return lists of the library's objects: the path the shim repairs."""
    from wordpress_xmlrpc.methods.users import GetUsers, GetUsersBlogs

    settings = resolve(
        wordpress.url, env={"WORDPRESS_USER": wordpress.user, "WORDPRESS_PASSWORD": wordpress.password}
    )
    client = SiteClient(settings).connect()
    blogs = client.call(GetUsersBlogs())
    assert blogs[0].url.rstrip("/") == wordpress.url and blogs[0].is_admin is True
    users = client.call(GetUsers())
    assert "admin" in [u.username for u in users]
