"""Drive a real, disposable WordPress (Debian's packages) from Python tests.

The instance itself is made by ``scripts/wordpress-env.sh up DIR``, which
writes ``DIR/env.json``; :class:`WordPress` is loaded from that file.

Two ways in:

* over HTTP, like any client: :attr:`WordPress.url`, :attr:`WordPress.xmlrpc_url`
  (with :attr:`WordPress.user` / :attr:`WordPress.password`), :meth:`WordPress.xmlrpc`;
* through php-cli with WordPress loaded (same database, same code):
  :meth:`WordPress.php` and the helpers built on it (``wpautop``,
  ``render_content``, ``render_many``, ``export_wxr``, ...).

Example::

    wp = WordPress.start(tmp_path / "wp")      # or WordPress.from_env(".../env.json")
    try:
        assert wp.wpautop("a\\n\\nb") == "<p>a</p>\\n<p>b</p>\\n"
        html = wp.render_many(["[caption]...[/caption]", "<!-- wp:paragraph -->..."])
    finally:
        wp.stop()
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import tempfile
import xmlrpc.client
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
SCRIPT = REPO_ROOT / "scripts" / "wordpress-env.sh"
PHP_DIR = Path(__file__).resolve().parent / "php"

#: php-cli settings for every call: warnings/notices go to stderr, never into
#: the output that is being captured.
PHP_INI = ("-d", "display_errors=stderr", "-d", "log_errors=0", "-d", "memory_limit=1024M")


class WordPressError(RuntimeError):
    """WordPress (the script, or PHP with WordPress loaded) failed."""

    def __init__(self, message: str, *, returncode: int | None = None, stderr: str = "") -> None:
        super().__init__(message)
        self.returncode = returncode
        self.stderr = stderr


def _b64(text: str | bytes) -> str:
    data = text if isinstance(text, bytes) else text.encode("utf-8", "surrogateescape")
    return base64.b64encode(data).decode("ascii")


def _unb64(data: str) -> str:
    return base64.b64decode(data).decode("utf-8", "surrogateescape")


def _run_script(
    *args: str, timeout: float = 180, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    try:
        proc = subprocess.run(
            ["bash", str(SCRIPT), *args],
            check=False,
            env={**os.environ, **env} if env else None,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired as exc:
        raise WordPressError(f"{SCRIPT.name} {' '.join(args)}: timed out after {timeout}s") from exc
    if proc.returncode != 0:
        raise WordPressError(
            f"{SCRIPT.name} {' '.join(args)} failed (exit {proc.returncode}):\n{proc.stderr.strip()}",
            returncode=proc.returncode,
            stderr=proc.stderr,
        )
    return proc


@dataclass(frozen=True)
class WordPress:
    """One running instance, as described by its ``env.json``."""

    url: str
    xmlrpc_url: str
    user: str
    password: str = field(repr=False)
    port: int
    socket: str
    dir: Path
    docroot: Path
    cli_bootstrap: Path
    pids: dict[str, int] = field(default_factory=dict)
    env_path: Path | None = None

    # ------------------------------------------------------------ lifecycle

    @classmethod
    def from_env(cls, env_json: str | os.PathLike[str]) -> WordPress:
        """Load an instance from ``DIR/env.json`` (written by ``wordpress-env.sh up``)."""
        path = Path(env_json)
        env = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            url=env["url"],
            xmlrpc_url=env["xmlrpc_url"],
            user=env["user"],
            password=env["password"],
            port=int(env["port"]),
            socket=env["socket"],
            dir=Path(env["dir"]),
            docroot=Path(env["docroot"]),
            cli_bootstrap=Path(env["cli_bootstrap"]),
            pids={k: int(v) for k, v in env.get("pids", {}).items()},
            env_path=path,
        )

    @classmethod
    def start(
        cls, directory: str | os.PathLike[str], *, owner_pid: int | None = None, timeout: float = 180
    ) -> WordPress:
        """``wordpress-env.sh up DIR`` (a fresh instance; DIR must be new or empty).

        With ``owner_pid``, the instance also tears itself down once that
        process is gone (e.g. a test run that was killed)."""
        directory = Path(directory).resolve()
        env = {"WORDPRESS_ENV_OWNER_PID": str(owner_pid)} if owner_pid else None
        _run_script("up", str(directory), timeout=timeout, env=env)
        return cls.from_env(directory / "env.json")

    def stop(self, *, timeout: float = 120) -> None:
        """``wordpress-env.sh down DIR``: stop both servers and remove DIR."""
        _run_script("down", str(self.dir), timeout=timeout)

    def is_running(self) -> bool:
        try:
            _run_script("status", str(self.dir), timeout=30)
        except WordPressError:
            return False
        return True

    # ------------------------------------------------------------------ HTTP

    def xmlrpc(self, **kwargs: Any) -> xmlrpc.client.ServerProxy:
        """An ``xmlrpc.client.ServerProxy`` for this site's xmlrpc.php."""
        return xmlrpc.client.ServerProxy(self.xmlrpc_url, **kwargs)

    # ------------------------------------------------------------------- PHP

    def php_bytes(self, code: str, stdin: str | bytes | None = None, *, timeout: float = 600) -> bytes:
        """Like :meth:`php`, but returns stdout as bytes."""
        body = code.lstrip().removeprefix("<?php")
        fd, script = tempfile.mkstemp(prefix="wp-env-", suffix=".php")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write("<?php\n" + body + "\n")
            return self._php_file(script, stdin, timeout=timeout)
        finally:
            os.unlink(script)

    def php(self, code: str, stdin: str | bytes | None = None, *, timeout: float = 600) -> str:
        """Run PHP ``code`` (statements, ``<?php`` optional) with WordPress loaded.

        WordPress is loaded first in the global scope (``auto_prepend_file`` of
        the instance's cli-bootstrap.php), so ``$wpdb``, ``get_option()`` etc.
        are all there. ``stdin`` is what the code reads from ``php://stdin`` /
        ``STDIN`` - pass data that way rather than inside ``code``. Returns
        stdout (UTF-8, undecodable bytes kept as surrogates); raises
        :class:`WordPressError` with stderr if PHP exits non-zero.
        """
        return self.php_bytes(code, stdin, timeout=timeout).decode("utf-8", "surrogateescape")

    def _php_file(
        self, script: str | os.PathLike[str], stdin: str | bytes | None, *, timeout: float
    ) -> bytes:
        data = stdin.encode("utf-8", "surrogateescape") if isinstance(stdin, str) else stdin
        cmd = ["php", *PHP_INI, "-d", f"auto_prepend_file={self.cli_bootstrap}", str(script)]
        try:
            proc = subprocess.run(
                cmd,
                check=False,
                input=data if data is not None else b"",
                capture_output=True,
                timeout=timeout,
                cwd=self.docroot,
            )
        except subprocess.TimeoutExpired as exc:
            raise WordPressError(f"php timed out after {timeout}s") from exc
        if proc.returncode != 0:
            stderr = proc.stderr.decode("utf-8", "replace")
            stdout = proc.stdout.decode("utf-8", "replace")
            raise WordPressError(
                f"php (WordPress loaded) failed with exit {proc.returncode}:\n{stderr.strip()}"
                + (f"\n--- stdout:\n{stdout[-2000:]}" if stdout.strip() else ""),
                returncode=proc.returncode,
                stderr=stderr,
            )
        return proc.stdout

    def call(self, function: str, *args: Any) -> Any:
        """``function(*args)`` in PHP; arguments and result travel as JSON."""
        code = (
            "$a = json_decode(stream_get_contents(STDIN), true, 512, JSON_THROW_ON_ERROR);\n"
            "echo json_encode(call_user_func_array($a['f'], $a['args']),"
            " JSON_THROW_ON_ERROR | JSON_INVALID_UTF8_SUBSTITUTE);"
        )
        return json.loads(self.php(code, json.dumps({"f": function, "args": list(args)})))

    def _batch(
        self,
        kind: str,
        name: str,
        texts: Iterable[str | bytes],
        args: Sequence[Any] = (),
        post_id: int | None = None,
    ) -> list[str]:
        texts = list(texts)
        if not texts:
            return []
        request = {
            "kind": kind,
            "name": name,
            "args": list(args),
            "post_id": post_id,
            "texts": [_b64(t) for t in texts],
        }
        out = self._php_file(PHP_DIR / "batch.php", json.dumps(request), timeout=600 + len(texts))
        result = json.loads(out)
        if len(result) != len(texts):
            raise WordPressError(f"batch.php answered {len(result)} results for {len(texts)} texts")
        return [_unb64(r) for r in result]

    # ------------------------------------------------------------ formatting

    def apply_many(self, function: str, texts: Iterable[str | bytes], *args: Any) -> list[str]:
        """``function(text, *args)`` for each text, in one PHP process."""
        return self._batch("function", function, texts, args)

    def filter_many(
        self, hook: str, texts: Iterable[str | bytes], *args: Any, post_id: int | None = None
    ) -> list[str]:
        """``apply_filters(hook, text, *args)`` for each text, in one PHP process,
        with a global ``$post`` (post ``post_id``, or an unsaved post holding the text)."""
        return self._batch("filter", hook, texts, args, post_id=post_id)

    def wpautop(self, text: str, br: bool = True) -> str:
        return self._batch("function", "wpautop", [text], [br])[0]

    def shortcode_unautop(self, text: str) -> str:
        return self._batch("function", "shortcode_unautop", [text])[0]

    def do_shortcode(self, text: str) -> str:
        return self._batch("function", "do_shortcode", [text])[0]

    def render_content(self, text: str, *, post_id: int | None = None) -> str:
        """``apply_filters('the_content', text)``: do_blocks, wptexturize, wpautop,
        shortcode_unautop, do_shortcode, embeds, wp_filter_content_tags, ... -
        what a reader is shown for a post whose content is ``text``.

        Not run inside The Loop, so images all get ``loading="lazy"`` and a
        ``<!--more-->`` is left as is; :meth:`render_post` renders a saved
        post exactly as its single-post page does."""
        return self.filter_many("the_content", [text], post_id=post_id)[0]

    def render_many(self, texts: Iterable[str | bytes], *, post_id: int | None = None) -> list[str]:
        """:meth:`render_content` for many texts in ONE php process (fast)."""
        return self.filter_many("the_content", texts, post_id=post_id)

    def render_post(self, post_id: int) -> str:
        """``the_content()`` of a saved post inside the main query's loop, as on
        its single-post page (``<!--more-->`` becomes ``<span id="more-ID">``)."""
        code = r"""
            $id = (int) trim(stream_get_contents(STDIN));
            $GLOBALS['wp_query'] = new WP_Query(
                array('p' => $id, 'post_type' => 'any', 'post_status' => 'any')
            );
            $GLOBALS['wp_the_query'] = $GLOBALS['wp_query'];
            if (!have_posts()) { fwrite(STDERR, "no post $id\n"); exit(1); }
            the_post();
            the_content();
        """
        return self.php(code, str(int(post_id)))

    # ---------------------------------------------------------------- content

    def insert_post(self, **fields: Any) -> int:
        """``wp_insert_post(fields)`` (slashed for you); returns the new post's ID.

        e.g. ``insert_post(post_title="T", post_content="...", post_status="publish")``.
        """
        code = r"""
            $f = json_decode(stream_get_contents(STDIN), true, 512, JSON_THROW_ON_ERROR);
            $id = wp_insert_post(wp_slash($f), true);
            if (is_wp_error($id)) { fwrite(STDERR, $id->get_error_message() . "\n"); exit(1); }
            echo $id;
        """
        return int(self.php(code, json.dumps(fields)))

    def export_wxr(self, content: str = "all", **args: Any) -> bytes:
        """WordPress's own WXR export (``export_wp()`` from wp-admin/includes/export.php,
        as Tools > Export > Download), as bytes."""
        code = r"""
            require_once ABSPATH . 'wp-admin/includes/export.php';
            $args = json_decode(stream_get_contents(STDIN), true, 512, JSON_THROW_ON_ERROR);
            wp_set_current_user(1);
            ob_start();
            export_wp($args);   // header() calls are no-ops in php-cli
            $xml = ob_get_clean();
            echo $xml;
        """
        return self.php_bytes(code, json.dumps({"content": content, **args}))


def start(
    directory: str | os.PathLike[str], *, owner_pid: int | None = None, timeout: float = 180
) -> WordPress:
    """Start a fresh instance in ``directory`` (``wordpress-env.sh up``)."""
    return WordPress.start(directory, owner_pid=owner_pid, timeout=timeout)


def stop(instance: WordPress | str | os.PathLike[str], *, timeout: float = 120) -> None:
    """Stop an instance and remove its directory (``wordpress-env.sh down``)."""
    directory = instance.dir if isinstance(instance, WordPress) else Path(instance)
    _run_script("down", str(directory), timeout=timeout)
