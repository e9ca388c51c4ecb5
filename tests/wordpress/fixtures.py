"""pytest plugin: a session-wide real WordPress.

Enable with ``pytest_plugins = ["tests.wordpress.fixtures"]`` in tests/conftest.py.

* ``wordpress``: a :class:`tests.wordpress.wp.WordPress`, started once per
  session in a temporary directory (``scripts/wordpress-env.sh up``, ~2 s)
  and torn down (``down``) at the end. The instance is shared by all tests:
  tests that add content should not assume an otherwise empty site.
* ``WP_MIGRATE_WORDPRESS_ENV=/path/to/env.json``: use that already running
  instance instead (faster while developing; it is left running)::

      bash scripts/wordpress-env.sh up /tmp/wp-dev
      WP_MIGRATE_WORDPRESS_ENV=/tmp/wp-dev/env.json python3 -m pytest ...
      bash scripts/wordpress-env.sh down /tmp/wp-dev

* If WordPress cannot be started, tests using the fixture fail (error) with
  the reason, unless ``WP_MIGRATE_SKIP_WORDPRESS=1``, which skips them.
"""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from .wp import SCRIPT, WordPress, WordPressError

ENV_VAR = "WP_MIGRATE_WORDPRESS_ENV"
SKIP_VAR = "WP_MIGRATE_SKIP_WORDPRESS"

HINT = (
    f"Install the Debian packages with `bash {SCRIPT.relative_to(SCRIPT.parents[1])} install` (as root), "
    f"or set {SKIP_VAR}=1 to skip the tests that need WordPress."
)


def _answers(url: str) -> str | None:
    """None if ``url`` answers HTTP 200, else why not."""
    try:
        with urllib.request.urlopen(url, timeout=20) as resp:
            return None if resp.status == 200 else f"HTTP {resp.status}"
    except (urllib.error.URLError, OSError) as exc:
        return str(exc)


@pytest.fixture(scope="session")
def wordpress(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WordPress]:
    if os.environ.get(SKIP_VAR) == "1":
        pytest.skip(f"{SKIP_VAR}=1: not starting WordPress")

    env_json = os.environ.get(ENV_VAR)
    if env_json:
        try:
            wp = WordPress.from_env(env_json)
        except (OSError, ValueError, KeyError) as exc:
            failure = f"{ENV_VAR}={env_json}: cannot read it: {exc!r}"
        else:
            failure = ""
        if failure:
            pytest.fail(failure, pytrace=False)
        problem = _answers(wp.url + "/")
        if problem:
            pytest.fail(
                f"{ENV_VAR}={env_json}: WordPress at {wp.url} does not answer ({problem}). "
                f"Start it with `bash scripts/wordpress-env.sh up {wp.dir}` or unset {ENV_VAR}.",
                pytrace=False,
            )
        yield wp  # Someone else's instance: leave it running.
        return

    directory = tmp_path_factory.mktemp("wordpress", numbered=True)
    try:
        # owner_pid: should this process die without tearing down, a watcher does it.
        wp = WordPress.start(directory, owner_pid=os.getpid())
    except WordPressError as exc:
        failure = str(exc)
    else:
        failure = ""
    if failure:  # Outside the except block: no "during handling..." noise.
        pytest.fail(f"Could not start WordPress for the tests.\n{failure}\n\n{HINT}", pytrace=False)
    try:
        yield wp
    finally:
        wp.stop()
