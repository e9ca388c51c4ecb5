"""Rule files (``mappings/*.yaml``): read, validate, merge, and turn into typed frozen dataclasses.

A rule file is YAML. Every key is checked against :data:`SCHEMA` when the file is loaded: an unknown
key, a value of the wrong type, a regular expression that does not compile or could backtrack
catastrophically, or a CSS selector that does not parse is a :class:`~migrate.errors.RuleError`
naming the file, the key path (``boilerplate.text[2].patterns[0]``) and what was expected.

Files may ``extends:`` others (a path relative to the file, or the name of a bundled file in
``mappings/``). Several files combine in order, later ones overriding earlier ones (see
:func:`merge`). :func:`load_rules` is the entry point; :func:`default_rules` is what a run uses
when nothing else is said.

No I/O happens after loading: a :class:`RuleSet` is plain, frozen and picklable (it travels to
worker processes), with compiled regular expressions and selector strings.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from re import _constants as _sre_constants  # type: ignore[attr-defined]  # (private: the regex parser's)
from re import _parser as _sre_parse  # type: ignore[attr-defined]  # (private, Python 3.11+)
from typing import Any

import yaml

from . import bundled, model
from .errors import RuleError
from .yamlsafe import BoundedLoader, load_yaml

#: The bundled rule files.
MAPPINGS = bundled.MAPPINGS
DEFAULT_FILE = MAPPINGS / "default.yaml"

#: Field types a labelled line, a title group or a meta value can be converted to.
FIELD_TYPES = ("text", "list", "integer", "number", "money", "date")

#: Front-matter keys rules may not write: :data:`migrate.model.RESERVED_KEYS`.
RESERVED_KEYS = model.RESERVED_KEYS

#: Longest line (in characters) a text rule or a title rule is tried on. Boilerplate lines are short;
#: the cap bounds the time any pattern can take.
MAX_LINE = 500

_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


# --------------------------------------------------------------------------------------------------
# The schema: a small description language that validates and documents at once.
# --------------------------------------------------------------------------------------------------


class _Invalid(Exception):
    """A value does not fit its spec; ``path`` is relative to where it was raised."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


def _kind(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    part = key if _KEY.match(key) else f'"{key}"'
    if not path:
        return part if _KEY.match(key) else f"[{part}]"
    return f"{path}.{part}" if _KEY.match(key) else f"{path}[{part}]"


class Spec:
    """What one value must be. ``check`` returns the value normalized, or raises :class:`_Invalid`."""

    expected = "a value"

    def __init__(self, doc: str = "") -> None:
        self.doc = doc

    def check(self, value: Any, path: str) -> Any:
        raise NotImplementedError

    def fail(self, value: Any, path: str, expected: str | None = None) -> _Invalid:
        hint = " (put it in quotes)" if isinstance(value, (bool, int, float)) and self.expected.startswith("text") \
            else ""
        return _Invalid(path, f"expected {expected or self.expected}, got {_kind(value)}{hint}")

    def key_paths(self, prefix: str) -> Iterator[tuple[str, Spec]]:
        return iter(())


class Str(Spec):
    expected = "text"

    def __init__(self, doc: str = "", *, pattern: re.Pattern[str] | None = None, what: str = "") -> None:
        super().__init__(doc)
        self.pattern = pattern
        if what:
            self.expected = what

    def check(self, value: Any, path: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(value, path)
        if self.pattern and not self.pattern.match(value):
            raise self.fail(value, path)
        return value


class Bool(Spec):
    expected = "true or false"

    def check(self, value: Any, path: str) -> bool:
        if not isinstance(value, bool):
            raise self.fail(value, path)
        return value


class Choice(Spec):
    def __init__(self, choices: tuple[str, ...], doc: str = "") -> None:
        super().__init__(doc)
        self.choices = choices
        self.expected = "one of " + ", ".join(choices)

    def check(self, value: Any, path: str) -> str:
        if value not in self.choices:
            raise self.fail(value, path)
        return value


class Regex(Spec):
    """A regular expression, compiled case-insensitively, and refused when it could backtrack for ever."""

    expected = "a regular expression"

    def __init__(self, doc: str = "", *, flags: int = re.IGNORECASE) -> None:
        super().__init__(doc)
        self.flags = flags

    def check(self, value: Any, path: str) -> re.Pattern[str]:
        if not isinstance(value, str) or not value:
            raise self.fail(value, path)
        return compile_pattern(value, path, self.flags)


class Selector(Spec):
    """A CSS selector (as lxml's ``cssselect`` understands it)."""

    expected = "a CSS selector"

    def check(self, value: Any, path: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(value, path)
        from cssselect import SelectorError

        try:
            css_to_xpath(value)
        except SelectorError as e:
            raise _Invalid(path, f"not a CSS selector this tool understands: {value!r} ({e})") from None
        return value.strip()


class ListOf(Spec):
    def __init__(self, item: Spec, doc: str = "", *, single: bool = False) -> None:
        super().__init__(doc)
        self.item = item
        self.single = single  # a lone value stands for a list of one
        self.expected = f"a list of {item.expected}" + (" (or just one)" if single else "")

    def check(self, value: Any, path: str) -> list[Any]:
        if self.single and not isinstance(value, list):
            value = [value]
        if not isinstance(value, list):
            raise self.fail(value, path)
        return [self.item.check(v, _join(path, i)) for i, v in enumerate(value)]

    def key_paths(self, prefix: str) -> Iterator[tuple[str, Spec]]:
        return self.item.key_paths(prefix + "[]")


class Keys(Spec):
    """A mapping with a fixed set of keys."""

    expected = "a mapping"

    def __init__(self, fields: dict[str, Spec], doc: str = "", *, required: tuple[str, ...] = ()) -> None:
        super().__init__(doc)
        self.fields = fields
        self.required = required

    def check(self, value: Any, path: str) -> dict[str, Any]:
        if value is None:
            value = {}
        if not isinstance(value, dict):
            raise self.fail(value, path)
        out: dict[str, Any] = {}
        for key, v in value.items():
            if not isinstance(key, str) or key not in self.fields:
                raise _Invalid(_join(path, str(key)),
                               "unknown key (expected one of: " + ", ".join(self.fields) + ")")
            out[key] = self.fields[key].check(v, _join(path, key))
        for key in self.required:
            if key not in out:
                raise _Invalid(_join(path, key), f"missing (every entry here needs {key})")
        return out

    def key_paths(self, prefix: str) -> Iterator[tuple[str, Spec]]:
        for key, spec in self.fields.items():
            path = f"{prefix}.{key}" if prefix else key
            yield path, spec
            yield from spec.key_paths(path)


class MapOf(Spec):
    """A mapping whose keys are the user's own names (``<placeholder>`` in the docs)."""

    def __init__(self, value: Spec, doc: str = "", *, placeholder: str = "name",
                 key: Spec | None = None) -> None:
        super().__init__(doc)
        self.value = value
        self.placeholder = placeholder
        self.key = key or Str(what="a name")
        self.expected = f"a mapping of {placeholder} → {value.expected}"

    def check(self, value: Any, path: str) -> dict[str, Any]:
        if value is None:
            value = {}
        if not isinstance(value, dict):
            raise self.fail(value, path)
        out = {}
        for k, v in value.items():
            sub = _join(path, str(k))
            if not isinstance(k, str):
                raise _Invalid(sub, f"expected the key to be {self.key.expected}, got {_kind(k)} (put it in quotes)")
            self.key.check(k, sub)
            out[k] = self.value.check(v, sub)
        return out

    def key_paths(self, prefix: str) -> Iterator[tuple[str, Spec]]:
        path = f"{prefix}.<{self.placeholder}>"
        if isinstance(self.value, (Keys, MapOf, ListOf, OneOf)):
            yield path, self.value
        yield from self.value.key_paths(path)


class OneOf(Spec):
    """Either of two shapes (e.g. a type name, or a mapping with a type and its options)."""

    def __init__(self, first: Spec, second: Spec, doc: str = "") -> None:
        super().__init__(doc)
        self.first, self.second = first, second
        self.expected = f"{first.expected}, or {second.expected}"

    def check(self, value: Any, path: str) -> Any:
        spec = self.second if isinstance(value, dict) else self.first
        return spec.check(value, path)

    def key_paths(self, prefix: str) -> Iterator[tuple[str, Spec]]:
        return self.second.key_paths(prefix)


_TYPE = Choice(FIELD_TYPES, "the field's type")
_FIELD_KEY = Str("a front-matter key", pattern=_KEY, what="a front-matter key (letters, digits, _ and -)")

#: Options every typed field accepts (labelled lines, title groups, meta values).
_FIELD_OPTIONS: dict[str, Spec] = {
    "type": _TYPE,
    "separator": Str("list: what separates the items (default `,`)"),
    "final_and": Bool("list: also split the last item on a final \"and\" or \"&\" (default true)"),
    "none": ListOf(Str(), "values that mean \"no value\" (e.g. `None`, `N/A`): a list becomes empty, other "
                          "types are left out; the line still leaves the body", single=True),
    "amount": Bool("money: also write `<key>_amount` (a number) and `<key>_currency` (an ISO code) "
                   "when the value can be read (default false)"),
    "currency": Str("money: the ISO code a `$` or a bare number stands for (default: `$` is USD, a bare "
                    "number has none)", pattern=re.compile(r"^[A-Z]{3}$"), what="a three-letter currency code"),
    "formats": ListOf(Str(), "date: `strftime` formats tried in order (default: ISO, `17 May 2013`, "
                             "`May 17, 2013`, and their abbreviated months)", single=True),
}

_WHEN = Keys({
    "post_types": ListOf(Str(), "only posts of these types", single=True),
    "categories": ListOf(Str(), "only posts in one of these categories (name or slug)", single=True),
    "tags": ListOf(Str(), "only posts with one of these tags (name or slug)", single=True),
}, "the rule applies only to posts that meet every condition given")

#: What ``convert --from-html`` looks for in a saved page, each a list of CSS selectors tried in order.
PAGE_PARTS: dict[str, str] = {
    "article": "the element that holds one post or page (its classes give the categories and tags)",
    "title": "the post's title, inside the article (else `og:title`, else `<title>`)",
    "content": "the content area, inside the article; its HTML becomes the body",
    "date": "an element whose `datetime` (else text) is the publication date, when the page has no "
            "`article:published_time` or JSON-LD date",
    "modified": "an element whose `datetime` is the modification date",
    "author": "the author's name (else the `author` meta tag or JSON-LD)",
    "terms": "links to the post's categories and tags (`rel=\"tag\"`); a category link has `category` in its "
             "`rel`, sits in an element whose class holds `category`, or links to `/category/`",
    "featured_image": "an image (its `src`) used when the page has no `og:image`",
    "comments": "each approved comment (an element with `id=\"comment-N\"`); replies are found inside their "
                "parent's",
    "comment_author": "the commenter's name, inside a comment",
    "comment_date": "the comment's time (`datetime`), inside a comment",
    "comment_content": "the comment's text, inside a comment",
    "remove": "elements removed from the content area before anything else (the theme's own extras)",
}

SCHEMA = Keys({
    "description": Str("what the file is for"),
    "extends": ListOf(Str(), "rule files this one builds on: a path relative to this file, or the name of a "
                             "bundled file (`default`)", single=True),
    "boilerplate": Keys({
        "html": ListOf(Keys({
            "name": Str("the rule's name, shown in counts", pattern=_NAME, what="a name (letters, digits, . _ -)"),
            "selector": Selector("elements to remove, before conversion to Markdown"),
            "description": Str("what it removes"),
        }, "an HTML rule", required=("name", "selector")), "rules that remove elements of the rendered HTML"),
        "text": ListOf(Keys({
            "name": Str("the rule's name, shown in counts", pattern=_NAME, what="a name (letters, digits, . _ -)"),
            "lines": ListOf(Str(), "whole lines to remove, as written (case, spacing and Markdown marks ignored)",
                            single=True),
            "patterns": ListOf(Regex(), "regular expressions a whole line must match (case-insensitive)",
                               single=True),
            "standalone": Bool("false: remove these lines only next to other boilerplate lines that are "
                               "removed on their own (default true)"),
            "description": Str("what it removes"),
        }, "a text rule", required=("name",)), "rules that remove whole lines of the Markdown"),
        "disable": ListOf(Str(), "names of inherited boilerplate rules to switch off", single=True),
    }, "what to remove from post bodies"),
    "fields": ListOf(Keys({
        "key": _FIELD_KEY,
        "labels": ListOf(Str(), "the labels, as written before the colon (any case)", single=True),
        **_FIELD_OPTIONS,
        "keep": Bool("leave the labelled line in the body too (default false)"),
        "when": _WHEN,
    }, "a field rule", required=("key", "labels")), "labelled lines (`LABEL: value`) that become front-matter keys"),
    "titles": ListOf(Keys({
        "name": Str("the rule's name, shown in counts", pattern=_NAME, what="a name (letters, digits, . _ -)"),
        "pattern": Regex("a regular expression the whole title must match; named groups become fields, the "
                         "group `title` the new title"),
        "fields": MapOf(OneOf(_TYPE, Keys(_FIELD_OPTIONS, "a type with its options")),
                        "the type of each named group (default text)", placeholder="group"),
        "when": _WHEN,
    }, "a title rule", required=("name", "pattern")), "title patterns that yield fields and a clean title; the "
                                                      "first that matches applies"),
    "taxonomies": MapOf(Keys({
        "rename": MapOf(Str(), "old name or slug → new name; two names renamed to one merge",
                        placeholder="old"),
        "drop": ListOf(Str(), "terms (name or slug) to leave out", single=True),
    }), "per front-matter taxonomy key (`categories`, `tags`, or a custom taxonomy's key)",
        placeholder="taxonomy"),
    "authors": Keys({
        "rename": MapOf(Str(), "login or display name → the name written as `author`", placeholder="old"),
    }, "author names"),
    "select": Keys({
        "post_types": ListOf(Str(), "migrate only these post types", single=True),
        "statuses": ListOf(Str(), "migrate only these statuses (`publish`, `draft`, `private`…)", single=True),
    }, "which posts to migrate (narrows what is migrated anyway; never adds skipped items)"),
    "pages": Keys({
        name: ListOf(Selector(), doc, single=True) for name, doc in PAGE_PARTS.items()
    }, "where `convert --from-html` finds each part of a saved page, per theme; a later file's selectors are "
       "tried first"),
    "meta": Keys({
        "namespace": _FIELD_KEY,
        "fields": ListOf(Keys({
            "from": Str("the post-meta key"),
            "key": _FIELD_KEY,
            **_FIELD_OPTIONS,
        }, "a meta rule", required=("from",)), "post-meta values copied into front matter"),
    }, "post meta → front matter, under one key (`namespace`, default `meta`) so that a meta key never "
       "overwrites a standard one"),
})


def schema_key_paths() -> dict[str, str]:
    """Every key path a rule file may use (``boilerplate.text[].patterns``) → its description."""
    return {path: spec.doc for path, spec in SCHEMA.key_paths("")}


# --------------------------------------------------------------------------------------------------
# Regular expressions and selectors
# --------------------------------------------------------------------------------------------------

_REPEATS = {_sre_constants.MAX_REPEAT, _sre_constants.MIN_REPEAT}
if hasattr(_sre_constants, "POSSESSIVE_REPEAT"):
    _REPEATS.add(_sre_constants.POSSESSIVE_REPEAT)


def patch_release_problem(items: Any) -> str | None:
    """What in a parsed pattern (``re._parser.parse``) CPython's patch releases match differently, or None.

    Before 3.11.5, ``re`` matches a possessive quantifier on a group (``(?:…)*+``, ``(?:…)++``, ``(?:…)?+``)
    wrongly when the group can backtrack (gh-106052, gh-100061), and Debian 12's python3 is 3.11.2. An atomic
    group (``(?>…)``) is refused with it: the package writes neither (tests/test_same_everywhere.py), and a rule
    must mean the same on every supported Python. A possessive quantifier on one character or class (``\\d++``,
    ``[^<]*+``) is another operation, matched alike by every release, and allowed.
    """
    from re import _compiler  # type: ignore[attr-defined]  # (what decides the operation: _simple)

    for op, av in items:
        if op == _sre_constants.ATOMIC_GROUP:
            return "an atomic group (?>...)"
        if op == _sre_constants.POSSESSIVE_REPEAT and not _compiler._simple(av[2]):
            return "a possessive quantifier on a group, like (?:ab?)*+"
        for value in av if isinstance(av, (tuple, list)) else ():
            for inner in value if isinstance(value, (tuple, list)) else (value,):
                if isinstance(inner, _sre_parse.SubPattern):
                    found = patch_release_problem(inner)
                    if found:
                        return found
    return None


def backtracking_problem(pattern: str) -> str | None:
    """Why ``pattern`` could take exponential time on some line, or None.

    Refused: a repetition inside a repeated group (``(a+)+``, ``(\\w*,?)*``), and alternatives inside a
    repeated group that do not each start with a different literal character (``(a|ab)*``). Both are
    the shapes of catastrophic backtracking; any such pattern can be written without them.
    """
    parsed = _sre_parse.parse(pattern)
    version_dependent = patch_release_problem(parsed)
    if version_dependent:
        return f"{version_dependent}, which Python before 3.11.5 matches otherwise"
    return _backtracking_in(parsed, False)


def _first_found(problems: Iterator[str | None]) -> str | None:
    """The first problem found (the searches after it are not made)."""
    return next((found for found in problems if found), None)


def _first_literal(items: Any) -> int | None:
    """The literal character the parsed ``items`` start with, or None."""
    for op, av in items:
        if op == _sre_constants.LITERAL:
            return av
        if op == _sre_constants.SUBPATTERN:
            return _first_literal(av[-1])
        return None
    return None


def _backtracking_in(items: Any, repeated: bool) -> str | None:
    """:func:`backtracking_problem` of parsed ``items`` (``repeated``: inside a repeated group)."""
    return _first_found(_backtracking_at(op, av, repeated) for op, av in items)


def _backtracking_at(op: Any, av: Any, repeated: bool) -> str | None:
    """:func:`backtracking_problem` of one parsed item."""
    if op in _REPEATS:
        _min, hi, sub = av
        many = hi > 1
        if many and repeated:
            return "a repetition inside a repeated group (like (a+)+)"
        return _backtracking_in(sub, repeated or many)
    if op == _sre_constants.SUBPATTERN:
        return _backtracking_in(av[-1], repeated)
    if op == _sre_constants.BRANCH:
        branches = av[1]
        if repeated:
            firsts = [_first_literal(b) for b in branches]
            if None in firsts or len(set(firsts)) != len(firsts):
                return "alternatives inside a repeated group that can start alike (like (a|ab)*)"
        return _first_found(_backtracking_in(b, repeated) for b in branches)
    if op in (_sre_constants.ASSERT, _sre_constants.ASSERT_NOT):
        return _backtracking_in(av[1], repeated)
    if op == _sre_constants.GROUPREF_EXISTS:
        return _first_found(_backtracking_in(part, repeated) for part in av[1:] if part is not None)
    return None


# Characters a single-character matcher is tried on to find which it matches (what overlap means below).
_PROBES = "".join(map(chr, range(0x20, 0x7F))) + "\t\n\u00a0\u00e9\u00c9\u2014\u201c"
_ALL = frozenset(_PROBES)
#: A run of repetitions that can match the same characters: each more multiplies the work by the line's length.
MAX_OVERLAPPING_REPEATS = 2


def _char_set(op: Any, av: Any, ignore_case: bool) -> frozenset[str]:
    """The probe characters one single-character matcher (``.``, ``x``, ``[...]``, ``\\w``…) matches; all of them
    for anything else (a group: conservatively, it may match anything)."""
    c = _sre_constants
    if op == c.ANY:
        return _ALL
    if op in (c.LITERAL, c.NOT_LITERAL):
        chars = {chr(av)}
        if ignore_case:
            chars |= {chr(av).lower(), chr(av).upper()}
        return frozenset(ch for ch in _PROBES if (ch in chars) == (op == c.LITERAL))
    if op == c.IN:
        try:
            compiled = re.compile(_in_source(av), re.IGNORECASE if ignore_case else 0)
        except (re.error, ValueError):
            return _ALL
        return frozenset(ch for ch in _PROBES if compiled.fullmatch(ch))
    if op == c.CATEGORY:
        return _char_set(c.IN, [(op, av)], ignore_case)
    return _ALL


_CATEGORY_SOURCE = {"CATEGORY_DIGIT": r"\d", "CATEGORY_NOT_DIGIT": r"\D", "CATEGORY_SPACE": r"\s",
                    "CATEGORY_NOT_SPACE": r"\S", "CATEGORY_WORD": r"\w", "CATEGORY_NOT_WORD": r"\W"}


def _in_source(items: Any) -> str:
    """A character class's source, written back from its parsed items."""
    c = _sre_constants
    out, negate = [], False
    for op, av in items:
        if op == c.NEGATE:
            negate = True
        elif op == c.LITERAL:
            out.append(re.escape(chr(av)))
        elif op == c.RANGE:
            out.append(f"{re.escape(chr(av[0]))}-{re.escape(chr(av[1]))}")
        elif op == c.CATEGORY:
            out.append(_CATEGORY_SOURCE[str(av)])
        else:
            raise ValueError(op)
    return "[" + ("^" if negate else "") + "".join(out) + "]"


def polynomial_problem(pattern: str, flags: int = re.IGNORECASE) -> str | None:
    """Why ``pattern`` could take polynomial time (the line's length to the power of three or more) on a line
    it fails on, or None: more than :data:`MAX_OVERLAPPING_REPEATS` unbounded repetitions one after the other
    that can match the same characters (``.*.*.*``, ``\\w+\\s*\\w+\\s*\\w+x``), with nothing between them that
    the earlier one cannot match too. Each input character could end each of them: the matcher tries every
    split. Possessive repetitions and atomic groups never try again and do not count."""
    return _overlapping_repeats(_sre_parse.parse(pattern, flags), bool(flags & re.IGNORECASE))


_SINGLE_CHARACTER = (_sre_constants.ANY, _sre_constants.LITERAL, _sre_constants.NOT_LITERAL, _sre_constants.IN,
                     _sre_constants.CATEGORY)


def _single(items: Any) -> tuple[Any, Any] | None:
    """The one single-character matcher ``items`` is made of, or None."""
    items = list(items)
    return items[0] if len(items) == 1 and items[0][0] in _SINGLE_CHARACTER else None


def _overlapping_repeats(items: Any, ignore_case: bool) -> str | None:
    """:func:`polynomial_problem` of parsed ``items``."""
    c = _sre_constants
    chain: list[frozenset[str]] = []  # the sets of the overlapping repetitions met so far
    for op, av in items:
        if op in (c.MAX_REPEAT, c.MIN_REPEAT):
            lo, hi, sub = av
            inner = _single(sub)
            if hi > 1:
                found = _overlapping_repeats(sub, ignore_case)
                if found:
                    return found
            if hi == c.MAXREPEAT or hi > 100:
                chain = _run_with(chain, lo, _char_set(*inner, ignore_case) if inner else _ALL)
                if len(chain) > MAX_OVERLAPPING_REPEATS:
                    return "repetitions one after the other that can match the same characters (like .*.*.*)"
            elif lo and inner and chain and not (_char_set(*inner, ignore_case) <= chain[-1]):
                chain = []  # something the last repetition cannot take: it ends there
        elif op in (c.SUBPATTERN, c.BRANCH):
            parts = [av[-1]] if op == c.SUBPATTERN else av[1]
            found = _first_found(_overlapping_repeats(part, ignore_case) for part in parts)
            if found:
                return found
            chain = []  # (conservatively simple: a group starts a new run)
        elif op in (c.ASSERT, c.ASSERT_NOT):
            found = _overlapping_repeats(av[1], ignore_case)
            if found:
                return found
        elif op in _SINGLE_CHARACTER:
            if chain and not (_char_set(op, av, ignore_case) <= chain[-1]):
                chain = []
        elif op != c.AT:  # possessive repetitions, atomic groups, backreferences…: a new run
            chain = []
    return None


def _run_with(chain: list[frozenset[str]], lo: int, chars: frozenset[str]) -> list[frozenset[str]]:
    """The run of overlapping repetitions once an unbounded one (of at least ``lo``, over ``chars``) follows."""
    if chain and not (chain[-1] & chars):
        if not lo:
            return chain  # (it can match nothing: the repetitions around it still meet)
        chain = []
    return [*chain, chars]


def compile_pattern(pattern: str, path: str = "", flags: int = re.IGNORECASE) -> re.Pattern[str]:
    """Compile a rule's regular expression, or raise :class:`_Invalid` saying why it cannot be used."""
    try:
        compiled = re.compile(pattern, flags)
    except re.error as e:
        raise _Invalid(path, f"not a valid regular expression: {e}") from None
    problem = backtracking_problem(pattern)
    if problem and "3.11.5" in problem:
        raise _Invalid(path, f"refused: {problem}; write it without (e.g. [^<]*+ is fine, (?:a|b)*+ is not)")
    if problem:
        raise _Invalid(path, f"refused: {problem} can take exponential time; rewrite it without nesting "
                             "(e.g. [ab]+ instead of (a|b)+, \\w+ instead of (\\w+)+)")
    problem = polynomial_problem(pattern, flags)
    if problem:
        raise _Invalid(path, f"refused: {problem} can take minutes on one long line; keep at most "
                             f"{MAX_OVERLAPPING_REPEATS} in a row, or make them exclusive (e.g. [^,]*,[^,]* "
                             "instead of .*,.*)")
    return compiled


@functools.lru_cache(maxsize=512)
def css_to_xpath(selector: str) -> str:
    """The XPath expression lxml evaluates for a CSS selector (HTML semantics: case-insensitive tags)."""
    from cssselect import HTMLTranslator

    return HTMLTranslator().css_to_xpath(selector)


# --------------------------------------------------------------------------------------------------
# The typed rules
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Condition:
    """Which posts a rule applies to; empty tuples mean "any"."""

    post_types: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()

    def holds(self, post: Any) -> bool:
        if self.post_types and post.post_type not in self.post_types:
            return False
        for taxonomy, wanted in (("category", self.categories), ("post_tag", self.tags)):
            if wanted:
                names = {w.casefold() for w in wanted}
                if not any(t.name.casefold() in names or t.slug.casefold() in names
                           for t in post.terms_in(taxonomy)):
                    return False
        return True


@dataclass(frozen=True)
class FieldType:
    """A field's type and its options."""

    type: str = "text"
    separator: str = ","
    final_and: bool = True
    none: tuple[str, ...] = ()
    amount: bool = False
    currency: str = ""
    formats: tuple[str, ...] = ()


@dataclass(frozen=True)
class HtmlRule:
    """Remove the elements a CSS selector matches, before conversion."""

    name: str
    selector: str
    description: str = ""

    @property
    def xpath(self) -> str:
        return css_to_xpath(self.selector)


@dataclass(frozen=True)
class TextRule:
    """Remove whole Markdown lines that equal one of ``lines`` or fully match one of ``patterns``."""

    name: str
    lines: frozenset[str] = frozenset()  # keys made by line_key()
    patterns: tuple[re.Pattern[str], ...] = ()
    standalone: bool = True
    description: str = ""

    def matches(self, key: str, text: str) -> bool:
        """``key`` is :func:`line_key` of the line, ``text`` its plain text (spacing collapsed)."""
        return key in self.lines or any(p.fullmatch(text) for p in self.patterns)


@dataclass(frozen=True)
class FieldRule:
    """A labelled line (``LABEL: value``) → a front-matter key."""

    key: str
    labels: tuple[str, ...]
    type: FieldType = FieldType()
    keep: bool = False
    when: Condition | None = None


@dataclass(frozen=True)
class TitleRule:
    """A title pattern whose named groups become fields (and ``title`` the new title)."""

    name: str
    pattern: re.Pattern[str]
    fields: tuple[tuple[str, FieldType], ...] = ()  # group → type, in the pattern's order
    when: Condition | None = None


@dataclass(frozen=True)
class TermRules:
    """Renames and drops for one taxonomy (by its front-matter key)."""

    taxonomy: str
    rename: tuple[tuple[str, str], ...] = ()  # casefolded old name or slug → new name
    drop: frozenset[str] = frozenset()  # casefolded names or slugs

    def new_name(self, name: str, slug: str) -> str | None:
        """The term's name after the rules: unchanged, renamed, or None when dropped."""
        if name.casefold() in self.drop or slug.casefold() in self.drop:
            return None
        for old, new in self.rename:
            if old in (name.casefold(), slug.casefold()):
                return new
        return name


@dataclass(frozen=True)
class MetaRule:
    """A post-meta key → a key under the meta namespace."""

    source: str
    key: str
    type: FieldType = FieldType()


@dataclass(frozen=True)
class RuleSet:
    """Everything the rule files said, merged. The empty RuleSet changes nothing."""

    sources: tuple[str, ...] = ()
    html: tuple[HtmlRule, ...] = ()
    text: tuple[TextRule, ...] = ()
    fields: tuple[FieldRule, ...] = ()
    titles: tuple[TitleRule, ...] = ()
    taxonomies: tuple[TermRules, ...] = ()
    authors: tuple[tuple[str, str], ...] = ()  # casefolded login or display name → new name
    post_types: tuple[str, ...] = ()  # empty: every type
    statuses: tuple[str, ...] = ()  # empty: every status
    meta_namespace: str = "meta"
    meta: tuple[MetaRule, ...] = ()
    pages: tuple[tuple[str, tuple[str, ...]], ...] = ()  # part of a saved page → CSS selectors, tried in order

    def describe(self) -> list[str]:
        """One line per kind of rule, for ``mappings check``."""
        lines = [
            f"boilerplate: {len(self.html)} HTML rules, {len(self.text)} text rules",
            f"fields: {len(self.fields)} labelled-line rules, {len(self.titles)} title rules",
        ]
        if self.taxonomies or self.authors:
            n = sum(len(t.rename) + len(t.drop) for t in self.taxonomies) + len(self.authors)
            lines.append(f"names: {n} renames or drops")
        if self.post_types or self.statuses:
            lines.append("select: post types " + (", ".join(self.post_types) or "any")
                         + "; statuses " + (", ".join(self.statuses) or "any"))
        if self.meta:
            lines.append(f"meta: {len(self.meta)} keys under {self.meta_namespace}")
        return lines


# --------------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------------


class _UniqueKeyLoader(BoundedLoader):
    """PyYAML's safe loader (aliases bounded, see :mod:`.yamlsafe`), refusing a key written twice in one
    mapping."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            mark = key_node.start_mark
            raise yaml.constructor.ConstructorError(
                None, None, f"the key {key!r} is written twice (line {mark.line + 1})", mark)
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _read(path: Path) -> dict[str, Any]:
    """A rule file's validated contents (``extends`` not yet followed)."""
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        raise RuleError(str(path), "", "no such rule file",
                        hint=f"bundled rule files: {', '.join(bundled_names())}") from None
    except (OSError, UnicodeDecodeError) as e:
        raise RuleError(str(path), "", f"cannot read: {e}") from None
    try:
        data = load_yaml(text, _UniqueKeyLoader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(e, "problem", None) or str(e)
        raise RuleError(str(path), "", f"not valid YAML: {where}{problem}") from None
    if data is None:
        data = {}
    try:
        checked = SCHEMA.check(data, "")
        _check_consistency(checked)
    except _Invalid as e:
        raise RuleError(str(path), e.path or "(top level)", e.message) from None
    return checked


def _check_consistency(data: dict[str, Any]) -> None:
    """What the schema alone cannot say: unique names and keys, no reserved keys."""
    bp = data.get("boilerplate", {})
    for kind in ("html", "text"):
        seen: set[str] = set()
        for i, rule in enumerate(bp.get(kind, [])):
            if rule["name"] in seen:
                raise _Invalid(f"boilerplate.{kind}[{i}].name", f"a second rule named {rule['name']!r} in this file")
            seen.add(rule["name"])
        if kind == "text":
            for i, rule in enumerate(bp.get(kind, [])):
                if not rule.get("lines") and not rule.get("patterns"):
                    raise _Invalid(f"boilerplate.text[{i}]", "needs lines or patterns (or both)")
    keys: set[str] = set()
    for i, rule in enumerate(data.get("fields", [])):
        for key in _written_keys(rule["key"], rule):
            if key in RESERVED_KEYS:
                raise _Invalid(f"fields[{i}].key", f"{key!r} is a standard front-matter key; choose another")
            if key in keys:
                raise _Invalid(f"fields[{i}].key", f"{key!r} is written by another field rule in this file")
            keys.add(key)
    for i, rule in enumerate(data.get("titles", [])):
        pattern: re.Pattern[str] = rule["pattern"]
        groups = list(pattern.groupindex)
        for group in rule.get("fields", {}):
            if group not in pattern.groupindex:
                raise _Invalid(f"titles[{i}].fields.{group}",
                               f"the pattern has no group named {group!r} (it has: {', '.join(groups) or 'none'})")
        for group in groups:
            if group != "title" and group in RESERVED_KEYS:
                raise _Invalid(f"titles[{i}].pattern",
                               f"the group {group!r} is a standard front-matter key; choose another name")
        if "title" in rule.get("fields", {}):
            raise _Invalid(f"titles[{i}].fields.title", "the group title becomes the title; it has no type")
    meta = data.get("meta", {})
    namespace = meta.get("namespace", "meta")
    if namespace in RESERVED_KEYS:
        raise _Invalid("meta.namespace", f"{namespace!r} is a standard front-matter key; choose another")


def _written_keys(key: str, options: dict[str, Any]) -> list[str]:
    """The front-matter keys one typed field writes."""
    if options.get("type") == "money" and options.get("amount"):
        return [key, f"{key}_amount", f"{key}_currency"]
    return [key]


def bundled_names() -> list[str]:
    return sorted(p.stem for p in MAPPINGS.glob("*.yaml"))


def resolve(name: str, relative_to: Path | None = None) -> Path:
    """A rule file named in ``extends`` (``relative_to`` the extending file) or on the command line: a path,
    else the name of a bundled file (``default``, ``top-365-films``). The result may not exist."""
    candidate = Path(name).expanduser()
    tries = [relative_to.parent / candidate] if relative_to is not None and not candidate.is_absolute() else []
    tries.append(candidate)
    if "/" not in name and "\\" not in name:
        tries.append(MAPPINGS / name)
    for path in tries:
        for p in (path, path.with_name(path.name + ".yaml")):
            if p.is_file():
                return p.resolve()
    return tries[0]


def _load_chain(path: Path, stack: tuple[Path, ...], done: set[Path]) -> list[tuple[Path, dict[str, Any]]]:
    """``path`` and everything it extends, parents first; files in ``done`` are not loaded again."""
    if path in stack:
        cycle = " → ".join(str(p.name) for p in (*stack, path))
        raise RuleError(str(stack[-1]), "extends", f"extends itself in a loop ({cycle})")
    if path in done:
        return []
    data = _read(path)
    chain: list[tuple[Path, dict[str, Any]]] = []
    for i, parent in enumerate(data.get("extends", [])):
        parent_path = resolve(parent, path)
        if not parent_path.is_file():
            raise RuleError(str(path), f"extends[{i}]", f"no rule file {parent!r} (looked beside this file and "
                            f"among the bundled ones: {', '.join(bundled_names())})")
        chain += _load_chain(parent_path, (*stack, path), done)
    done.add(path)
    chain.append((path, data))
    return chain


def _merge_named(base: list[dict[str, Any]], more: list[dict[str, Any]], key: str,
                 first: bool = False) -> list[dict[str, Any]]:
    """Lists of named entries: an entry with a known name replaces it in place, new ones are added."""
    names = {e[key] for e in more}
    if first:
        return more + [e for e in base if e[key] not in names]
    out = [next((m for m in more if m[key] == e[key]), e) for e in base]
    known = {e[key] for e in base}
    return out + [m for m in more if m[key] not in known]


def merge(base: dict[str, Any], more: dict[str, Any]) -> dict[str, Any]:
    """Two validated rule files in one: ``more`` wins.

    Named rules (boilerplate rules by ``name``, field rules by ``key``, meta rules by ``from``) replace the
    rule of the same name; title rules of ``more`` are tried first; ``disable`` and ``drop`` add up;
    renames and ``select`` entries override one by one.
    """
    out = dict(base)
    if "description" in more:
        out["description"] = more["description"]
    bp, mbp = dict(base.get("boilerplate", {})), more.get("boilerplate", {})
    for kind in ("html", "text"):
        if kind in mbp:
            bp[kind] = _merge_named(bp.get(kind, []), mbp[kind], "name")
    if "disable" in mbp:
        bp["disable"] = list(dict.fromkeys(bp.get("disable", []) + mbp["disable"]))
    if bp:
        out["boilerplate"] = bp
    if "fields" in more:
        out["fields"] = _merge_named(base.get("fields", []), more["fields"], "key")
    if "titles" in more:
        out["titles"] = _merge_named(base.get("titles", []), more["titles"], "name", first=True)
    if "taxonomies" in more:
        tax = {k: dict(v) for k, v in base.get("taxonomies", {}).items()}
        for name, rules in more["taxonomies"].items():
            t = tax.setdefault(name, {})
            if "rename" in rules:
                t["rename"] = {**t.get("rename", {}), **rules["rename"]}
            if "drop" in rules:
                t["drop"] = list(dict.fromkeys(t.get("drop", []) + rules["drop"]))
        out["taxonomies"] = tax
    if "authors" in more:
        out["authors"] = {"rename": {**base.get("authors", {}).get("rename", {}),
                                     **more["authors"].get("rename", {})}}
    if "select" in more:
        out["select"] = {**base.get("select", {}), **more["select"]}
    if "pages" in more:
        pages = dict(base.get("pages", {}))
        for part, selectors in more["pages"].items():
            pages[part] = list(dict.fromkeys(selectors + pages.get(part, [])))
        out["pages"] = pages
    if "meta" in more:
        meta = dict(base.get("meta", {}))
        if "namespace" in more["meta"]:
            meta["namespace"] = more["meta"]["namespace"]
        if "fields" in more["meta"]:
            meta["fields"] = _merge_named(meta.get("fields", []), more["meta"]["fields"], "from")
        out["meta"] = meta
    return out


def line_key(text: str) -> str:
    """How literal boilerplate lines compare: case-folded, without any spacing."""
    return "".join(text.casefold().split())


def _field_type(options: dict[str, Any]) -> FieldType:
    return FieldType(
        type=options.get("type", "text"),
        separator=options.get("separator", ","),
        final_and=options.get("final_and", True),
        none=tuple(options.get("none", ())),
        amount=options.get("amount", False),
        currency=options.get("currency", ""),
        formats=tuple(options.get("formats", ())),
    )


def _condition(when: dict[str, Any] | None) -> Condition | None:
    if not when:
        return None
    return Condition(tuple(when.get("post_types", ())), tuple(when.get("categories", ())),
                     tuple(when.get("tags", ())))


def build(data: dict[str, Any], sources: tuple[str, ...] = ()) -> RuleSet:
    """The typed :class:`RuleSet` of merged, validated rule-file contents."""
    bp = data.get("boilerplate", {})
    disabled = set(bp.get("disable", []))
    html = tuple(HtmlRule(r["name"], r["selector"], r.get("description", ""))
                 for r in bp.get("html", []) if r["name"] not in disabled)
    text = tuple(
        TextRule(r["name"], frozenset(line_key(_plain(line)) for line in r.get("lines", [])),
                 tuple(r.get("patterns", [])), r.get("standalone", True), r.get("description", ""))
        for r in bp.get("text", []) if r["name"] not in disabled
    )
    fields = tuple(FieldRule(r["key"], tuple(r["labels"]), _field_type(r), r.get("keep", False),
                             _condition(r.get("when"))) for r in data.get("fields", []))
    titles = []
    for r in data.get("titles", []):
        pattern: re.Pattern[str] = r["pattern"]
        types = r.get("fields", {})
        groups = tuple(
            (g, _field_type(types[g]) if isinstance(types.get(g), dict) else FieldType(type=types.get(g, "text")))
            for g in sorted(pattern.groupindex, key=pattern.groupindex.__getitem__) if g != "title"
        )
        titles.append(TitleRule(r["name"], pattern, groups, _condition(r.get("when"))))
    taxonomies = tuple(
        TermRules(name, tuple((old.casefold(), new) for old, new in t.get("rename", {}).items()),
                  frozenset(d.casefold() for d in t.get("drop", [])))
        for name, t in data.get("taxonomies", {}).items()
    )
    authors = tuple((old.casefold(), new) for old, new in data.get("authors", {}).get("rename", {}).items())
    select = data.get("select", {})
    meta = data.get("meta", {})
    meta_rules = tuple(MetaRule(r["from"], r.get("key", r["from"]), _field_type(r)) for r in meta.get("fields", []))
    return RuleSet(sources=sources, html=html, text=text, fields=fields, titles=tuple(titles),
                   taxonomies=taxonomies, authors=authors, post_types=tuple(select.get("post_types", ())),
                   statuses=tuple(select.get("statuses", ())), meta_namespace=meta.get("namespace", "meta"),
                   meta=meta_rules,
                   pages=tuple((part, tuple(sel)) for part, sel in data.get("pages", {}).items()))


def load_rules(files: list[str | Path] | tuple[str | Path, ...] = (), *, defaults: bool = True) -> RuleSet:
    """The rules of a run: the bundled defaults (unless ``defaults`` is false), then each file in order.

    A file reached twice (say, named on the command line and extended by another) counts once, where it
    is first reached.
    """
    paths: list[Path] = [DEFAULT_FILE] if defaults else []
    for f in files:
        p = resolve(str(f))
        if not p.is_file():
            raise RuleError(str(f), "", "no such rule file",
                            hint=f"give a path, or one of the bundled files: {', '.join(bundled_names())}")
        paths.append(p)
    done: set[Path] = set()
    merged: dict[str, Any] = {}
    sources: list[str] = []
    for path in paths:
        for p, data in _load_chain(path.resolve(), (), done):
            merged = merge(merged, data)
            sources.append(str(p))
    _check_merged(merged, sources)
    return build(merged, tuple(sources))


def _check_merged(data: dict[str, Any], sources: list[str]) -> None:
    """Keys that clash only once files are combined."""
    written: dict[str, str] = {}
    for rule in data.get("fields", []):
        for key in _written_keys(rule["key"], rule):
            if key in written:
                raise RuleError(sources[-1] if sources else "rules", "fields",
                                f"two field rules write {key!r} ({written[key]} and {rule['key']})")
            written[key] = rule["key"]
    namespace = data.get("meta", {}).get("namespace", "meta")
    if data.get("meta", {}).get("fields") and namespace in written:
        raise RuleError(sources[-1] if sources else "rules", "meta.namespace",
                        f"{namespace!r} is also written by a field rule; choose another namespace")


def check_file(path: str | Path) -> RuleSet:
    """Validate one rule file (and what it extends) on its own; the rules it amounts to."""
    return load_rules([path], defaults=False)


@functools.lru_cache(maxsize=1)
def default_rules() -> RuleSet:
    """The bundled ``mappings/default.yaml``; a missing one is an error, never silently no rules."""
    if not DEFAULT_FILE.is_file():
        raise RuleError(str(DEFAULT_FILE), "", "the bundled default rules are missing",
                        hint="install wp-migrate from its repository (pip install -e .)")
    return load_rules(defaults=True)


# --------------------------------------------------------------------------------------------------
# Plain text of a Markdown line (shared by the text and field rules)
# --------------------------------------------------------------------------------------------------

_IMAGE_OR_LINK = re.compile(r"!?\[([^\]]*)\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"]*\")?\)")
_LEADING_MARKS = re.compile(r"^(?:#{1,6}\s+|>\s?|[-*+]\s+|\d{1,3}[.)]\s+)+")
_EMPHASIS = re.compile(r"(?<!\\)(\*\*|__|\*|_|~~)")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~<&%$])")
_MARK_STARTS = frozenset("#>-*+0123456789")
_TYPOGRAPHY = str.maketrans({"…": "...", "’": "'", "‘": "'", "“": '"', "”": '"', "\u00a0": " ", "–": "-", "—": "-"})
_TYPOGRAPHY_PAIRS = tuple((chr(code), ascii_form) for code, ascii_form in _TYPOGRAPHY.items())
#: Any character _TYPOGRAPHY replaces: one scan tells whether the replacements have anything to do.
_TYPOGRAPHIC = re.compile("[" + "".join(re.escape(char) for char, _ in _TYPOGRAPHY_PAIRS) + "]")


def _plain(line: str) -> str:
    """A Markdown line as plain text: no heading, quote or list marks, emphasis, link syntax, escapes or
    hard break; typographic quotes, dashes and ellipses as ASCII; spacing collapsed."""
    s = line.strip().removesuffix("\\")
    if s[:1] in _MARK_STARTS:
        s = _LEADING_MARKS.sub("", s)
    if "[" in s:
        s = "".join(_IMAGE_OR_LINK.split(s))  # .sub(r"\1", s): the one group always takes part
    if "\\" in s:
        if "*" in s or "_" in s or "~" in s:
            s = _EMPHASIS.sub("", s)
        s = "".join(_ESCAPE.split(s))  # .sub(r"\1", s), as above
    elif "*" in s or "_" in s or "~" in s:
        # _EMPHASIS.sub("", s) with no backslash for its look-behind: "~~" goes in the same non-overlapping
        # pairs from the left (no "*" or "_" removed before it could join two "~"), then every "*" and "_".
        s = s.replace("~~", "").replace("*", "").replace("_", "")
    if not s.isascii() and _TYPOGRAPHIC.search(s):
        for char, ascii_form in _TYPOGRAPHY_PAIRS:  # what s.translate(_TYPOGRAPHY) does, much faster
            if char in s:
                s = s.replace(char, ascii_form)
    # Every whitespace character but the space is unprintable: a printable text with no space at either
    # end and no two in a row is its own " ".join(s.split()).
    if s.isprintable() and "  " not in s and s[:1] != " " and s[-1:] != " ":
        return s
    return " ".join(s.split())


plain_line: Callable[[str], str] = _plain
