"""Where a site's credentials come from: the environment or a config file, never the command line.

Order, first match wins:

1. ``--config FILE`` (``config_path``): the site's entry in that file;
2. the environment: ``WORDPRESS_USER`` and ``WORDPRESS_PASSWORD`` (an application password works the same);
3. the default config file, ``$XDG_CONFIG_HOME/wp-migrate/config.yaml``
   (``~/.config/wp-migrate/config.yaml``).

The config file holds one entry per site, keyed by the site's address::

    sites:
      https://example.org:
        user: editor
        password: "abcd EFGH 1234 ijkl MNOP 5678"   # an application password
        timeout: 60     # seconds per request (optional)
        retries: 5      # retries of transient failures (optional)

Passwords are kept out of every ``repr`` and every message.
"""

from __future__ import annotations

import ipaddress
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import yaml

from .errors import MigrateError, RuleError
from .yamlsafe import load_yaml, yaml_problem

USER_VAR = "WORDPRESS_USER"
PASSWORD_VAR = "WORDPRESS_PASSWORD"
DEFAULT_TIMEOUT = 30.0
DEFAULT_RETRIES = 3


def default_config_path(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    base = env.get("XDG_CONFIG_HOME") or str(Path(env.get("HOME") or Path.home()) / ".config")
    return Path(base) / "wp-migrate" / "config.yaml"


@dataclass(frozen=True)
class Credentials:
    """A user name and password for one site. The password never shows in ``repr``."""

    user: str
    password: str = field(repr=False)
    origin: str = ""  # where they came from, for messages: "the environment" or a file's path


@dataclass(frozen=True)
class SiteSettings:
    """How to reach one site: its address, XML-RPC endpoint, credentials and patience."""

    url: str  # the site's address as given, normalised (no trailing slash, no /xmlrpc.php)
    endpoint: str  # …/xmlrpc.php
    credentials: Credentials | None  # None: no account (only what the public sees; REST API only)
    timeout: float = DEFAULT_TIMEOUT
    retries: int = DEFAULT_RETRIES
    warnings: tuple[str, ...] = ()  # for the command line to show (a credentials file others can read…)


def is_loopback(host: str | None) -> bool:
    """Whether ``host`` is this machine (``localhost``, 127.0.0.0/8, ``::1``): nothing crosses a network."""
    if not host:
        return False
    if host.lower() == "localhost" or host.lower().endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _readable_by_others(path: Path) -> str | None:
    """A warning when the credentials file at ``path`` can be read by other users (or its group)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    if mode & 0o077:
        return (f"{path}: holds credentials and can be read by other users (mode {stat.S_IMODE(mode):04o}) — "
                f"chmod 600 {path}")
    return None


def normalise_url(url: str) -> tuple[str, str]:
    """``example.org`` → (``https://example.org``, ``https://example.org/xmlrpc.php``).

    Raises MigrateError for addresses that carry a user name or password (credentials never travel
    in URLs or on the command line).
    """
    text = url.strip()
    if not text:
        raise MigrateError("no site address given", hint="give the site's address, e.g. https://example.org")
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise MigrateError(f"not a site address: {url!r}", hint="give an http:// or https:// address")
    if parts.username is not None or parts.password is not None:
        raise MigrateError(
            "the site address contains a user name or password",
            hint=f"remove it from the address; set {USER_VAR} and {PASSWORD_VAR} or use a config file",
        )
    path = parts.path.rstrip("/")
    if path.endswith(".php"):
        endpoint_path = path
        path = path.rsplit("/", 1)[0]
    else:
        endpoint_path = path + "/xmlrpc.php"
    site = urlunsplit((parts.scheme, parts.netloc, path, "", ""))
    endpoint = urlunsplit((parts.scheme, parts.netloc, endpoint_path, parts.query, ""))
    return site, endpoint


def _site_key(url: str) -> str:
    """What two spellings of one site have in common: host[:port]/path, lower-case host."""
    text = url.strip()
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    path = parts.path.rstrip("/")
    if path.endswith(".php"):
        path = path.rsplit("/", 1)[0]
    return f"{(parts.netloc or '').lower()}{path}"


def read_config(path: Path) -> dict[str, Any]:
    """The ``sites`` of a config file, keyed by :func:`_site_key`."""
    try:
        data = load_yaml(path.read_text("utf-8"))
    except FileNotFoundError:
        raise RuleError(str(path), "", "no such file", hint="create it or give another --config") from None
    except OSError as e:
        raise RuleError(str(path), "", f"cannot read it: {e.strerror}") from None
    except yaml.YAMLError as e:
        raise RuleError(str(path), "", yaml_problem(e), hint="fix the file") from None
    if data is None:
        return {}
    if not isinstance(data, dict) or not isinstance(data.get("sites", {}), dict):
        raise RuleError(
            str(path),
            "sites",
            "expected a mapping of site address → settings",
            hint="see the README's Credentials section",
        )
    sites: dict[str, Any] = {}
    for key, entry in (data.get("sites") or {}).items():
        if not isinstance(entry, dict):
            raise RuleError(
                str(path), f"sites.{key}", "expected user, password (and optional timeout, retries)"
            )
        sites[_site_key(str(key))] = (str(key), entry)
    return sites


def _from_entry(path: Path, key: str, entry: dict[str, Any]) -> tuple[Credentials, float | None, int | None]:
    user, password = entry.get("user"), entry.get("password")
    if not isinstance(user, str) or not user:
        raise RuleError(str(path), f"sites.{key}.user", "missing or not a string")
    if not isinstance(password, str) or not password:
        raise RuleError(str(path), f"sites.{key}.password", "missing or not a string")
    timeout, retries = entry.get("timeout"), entry.get("retries")
    if timeout is not None and (not isinstance(timeout, (int, float)) or timeout <= 0):
        raise RuleError(str(path), f"sites.{key}.timeout", "expected a positive number of seconds")
    if retries is not None and (not isinstance(retries, int) or retries < 0):
        raise RuleError(str(path), f"sites.{key}.retries", "expected a whole number, 0 or more")
    return Credentials(user, password, str(path)), timeout, retries


def resolve(
    url: str,
    config_path: str | Path | None = None,
    *,
    env: Mapping[str, str] | None = None,
    timeout: float | None = None,
    retries: int | None = None,
    required: bool = True,
    allow_insecure: bool = False,
) -> SiteSettings:
    """The settings for the site at ``url`` (see the module's docstring for the order).

    With ``required`` false, a site for which no credentials are found gets ``credentials=None``
    (read as the public sees it) instead of an error. Credentials are not sent over plain ``http://`` unless
    ``allow_insecure`` (or the site is this machine).
    """
    env = os.environ if env is None else env
    site, endpoint = normalise_url(url)
    warnings: list[str] = []
    key = _site_key(site)
    file_timeout: float | None = None
    file_retries: int | None = None
    credentials: Credentials | None = None

    if config_path is not None:
        path = Path(config_path)
        sites = read_config(path)
        if key not in sites:
            raise MigrateError(
                f"{path}: no entry for {site}",
                hint=f"add it under 'sites:' (known: {', '.join(k for k, _ in sites.values()) or 'none'})",
            )
        credentials, file_timeout, file_retries = _from_entry(path, *sites[key])
        warnings += filter(None, [_readable_by_others(path)])
    else:
        user, password = env.get(USER_VAR, ""), env.get(PASSWORD_VAR, "")
        if user and password:
            credentials = Credentials(user, password, "the environment")
        elif user or password:
            missing = PASSWORD_VAR if user else USER_VAR
            raise MigrateError(
                f"{missing} is not set (the other half of the credentials is)",
                hint=f"set both {USER_VAR} and {PASSWORD_VAR}",
            )
        else:
            path = default_config_path(env)
            if path.is_file():
                sites = read_config(path)
                if key in sites:
                    credentials, file_timeout, file_retries = _from_entry(path, *sites[key])
                    warnings += filter(None, [_readable_by_others(path)])
        if credentials is None and required:
            raise MigrateError(
                f"no credentials for {site}",
                hint=f"set {USER_VAR} and {PASSWORD_VAR} (an application password works), "
                f"or add the site to {default_config_path(env)}",
            )
    if credentials is not None and urlsplit(site).scheme == "http" and not allow_insecure \
            and not is_loopback(urlsplit(site).hostname):
        raise MigrateError(f"{site}: http:// would send the user name and password unencrypted",
                           hint="use the site's https:// address, or --allow-insecure if you accept that")
    return SiteSettings(
        url=site,
        endpoint=endpoint,
        credentials=credentials,
        timeout=float(
            timeout if timeout is not None else file_timeout if file_timeout is not None else DEFAULT_TIMEOUT
        ),
        retries=int(
            retries if retries is not None else file_retries if file_retries is not None else DEFAULT_RETRIES
        ),
        warnings=tuple(warnings),
    )
