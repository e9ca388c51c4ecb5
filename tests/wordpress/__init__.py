"""A real, disposable WordPress for tests (see scripts/wordpress-env.sh and wp.py)."""

from .wp import WordPress, WordPressError, start, stop

__all__ = ["WordPress", "WordPressError", "start", "stop"]
