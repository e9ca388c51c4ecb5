"""Fast paths, and the switch that checks each one against its reference while a run goes on.

Some work is done two ways: a *fast path*, written for what real exports hold, and its *reference*, the library
or the plain code whose result the fast path must give, byte for byte (the same value, compared with ``==``).
A fast path that does not know an input declines it, and the reference does the work. Each fast path's module
says at its top what it handles and what it must give; they are:

======================================  ======================================================================
fast path                               reference
======================================  ======================================================================
``transform/quickblocks.py``            the tree: ``markdown.html_to_markdown`` with the same converter
``transform/soup.py`` ``parse_html``    ``BeautifulSoup(html, "lxml")``, copied to light nodes by ``from_bs4``
``transform/yamlwriter.py``            ``yaml.dump`` with libyaml's emitter (``frontmatter.dump_yaml``'s options)
``extract/itemreader.py`` ``read_item`` lxml (``wxr._parse_raw_item_lxml``)
``transform/autop.py`` inline path      every step of ``wpautop`` (``autop._autop_full``)
``transform/selectorwords.py``          every HTML rule run on the parsed HTML, none ruled out by its words
``content.plain_prose_markdown``        rendering (``render_html``/comments') and converting: summaries, comments
======================================  ======================================================================

With ``WP_MIGRATE_CHECK_FAST=1`` in the environment (read when this module is imported: set it before the run
starts; worker processes inherit it), every call of a fast path also runs its reference and raises
:class:`FastPathMismatch` on any difference. The test suite converts the sample and the corpus so
(tests/test_fast_paths.py). It costs the reference's time: it is for tests, not for users' runs.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TypeVar

#: The environment variable that turns the checks on ("1"; "", "0" or unset: off).
ENV = "WP_MIGRATE_CHECK_FAST"

T = TypeVar("T")


def _from_env() -> bool:
    return os.environ.get(ENV, "") not in ("", "0")


#: Whether fast paths are checked against their references (from the environment, at import).
CHECK: bool = _from_env()


class FastPathMismatch(AssertionError):
    """A fast path gave something else than its reference: a bug in the fast path."""

    def __init__(self, name: str, given: object, fast: object, reference: object) -> None:
        super().__init__(f"fast path {name} differs from its reference ({ENV}=1) on {_short(given)}: "
                         f"fast {_short(fast)}, reference {_short(reference)}")
        self.name = name
        self.given = given
        self.fast = fast
        self.reference = reference


def _short(value: object, limit: int = 300) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + f"… ({len(text)} characters)"


def check(name: str, given: object, fast: T, reference: Callable[[], object]) -> T:
    """``fast`` (what the fast path ``name`` gave for ``given``), after comparing it with ``reference()``:
    :class:`FastPathMismatch` when they differ. Call it only when :data:`CHECK` is on."""
    expected = reference()
    if fast != expected:
        raise FastPathMismatch(name, given, fast, expected)
    return fast
