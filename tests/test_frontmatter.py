"""The YAML writer: dump_yaml's direct writer gives exactly PyYAML's (libyaml's) text, which reads back."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from migrate.transform import frontmatter, yamlwriter
from migrate.transform.yamlwriter import Timestamp, _Dumper, dump_yaml

MANY = settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def pyyaml(data: Any) -> str:
    """What PyYAML writes with the options and representers dump_yaml stands for."""
    return yaml.dump(data, Dumper=_Dumper, **yamlwriter._OPTIONS)


# Words and shapes that decide quoting: YAML 1.1 booleans and nulls, numbers, dates, indicators.
SPECIAL_WORDS = [
    "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "y", "n", "Y", "N", "true", "True",
    "TRUE", "false", "False", "null", "Null", "NULL", "~", "", " ", "-", "--", "---", "--- a", "...", ".. .", "?", ":",
    "? a", ": a", "- a", "-a", "?a", ":a", "a:", "a: b", "a:b", "a #b", "a#b", "#a", "<<", "=", "!", "&", "*", "!a",
    "&a", "*a", "|", ">", "'", '"', "%", "@", "`", ",", "[", "]", "{", "}", "a,b", "a[b]", "{a}", "0", "012", "0x1F",
    "0b101", "0o17", "1_000", "1:30", "190:20:30", "1.5", ".5", "1e5", "1.0e+5", "-1", "+1", "+.inf", ".NaN", ".nan",
    "2001-12-14", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5", "2001-1-1 1:00:00", "12:30", "1.2.3",
    "a\tb", "\ta", "a\t", "a\u00a0b", "\u00a0", "\u2028", "a\u2029b", "\u0085", "\ufeff", "\ufffd", "\U0001f600",
    "\x7f", "\x00", "\r", "a\rb", "é", "ü ñ", "日本語", "it's", "'quoted'", '"double"', "C:\\path", "a\\b",
    "\n", "\n\n", "a\n", "a\n\n", "\na", "a\nb", "a \nb", "a\n b", "a\n\nb", " a\nb", "a\nb ", "a\nb\n", "a\r\nb",
    "a\n\tb", "a\n#b", "- a\nb", "yes\n", "1\n", "a\u2028b\n", "a\n\u0085",
]
special = st.sampled_from(SPECIAL_WORDS)
# Any character at all (surrogates excepted: they cannot be written), weighted towards the ones that matter.
any_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
TRICKY_CHARS = " \n\t:#-?'\"!&*|>%@`,[]{}.~0123456789aynNTtfFoO\u00a0\u2028\ufeff\U0001f600é"
tricky_text = st.text(st.sampled_from(list(TRICKY_CHARS)), max_size=12)
composed = st.lists(special | tricky_text, max_size=4).map("".join)
long_text = st.integers(min_value=900, max_value=1100).flatmap(
    lambda n: st.sampled_from(["a b ", "x", "ab  ", "word ", "'q' ", "é "]).map(lambda s: (s * n)[:n]))
strings = special | any_text | tricky_text | composed | long_text
timestamps = st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31),
                          timezones=st.none() | st.builds(
                              lambda m: timezone(timedelta(minutes=m)), st.integers(-14 * 60, 14 * 60))).map(
    lambda d: Timestamp(d.isoformat()))
odd_timestamps = (special | tricky_text).map(Timestamp)
scalars = strings | timestamps | st.booleans() | st.integers() | st.integers(min_value=-(10**30), max_value=10**30)
keys = strings | st.sampled_from(["title", "date", "slug", "tags", "body", "a" * 40, "k" * 200]) | st.integers()


# Strings libyaml writes plain, single-quoted or as literal blocks (the direct writer's own ground):
# printable characters only, with every indicator, quote, space and line break among them.
printable = st.characters(blacklist_categories=("Cs", "Cc", "Co"), max_codepoint=0xFFFD,
                          blacklist_characters="\u2028\u2029\ufeff") | st.sampled_from(list(" \n:#-?'\"!&*|>%@`,[]{}."))
writable_text = st.text(printable, max_size=30) | st.sampled_from(
    [w for w in SPECIAL_WORDS if not set(w) & set("\t\r\x00\x7f\x85\ufeff\u2028\u2029\U0001f600")]) | st.lists(
    st.sampled_from(["yes", "a", " ", "\n", ": ", "#", "-", "'", "é", "1", "2001-12-14", "x y"]), max_size=6,
).map("".join)
writable_values = st.recursive(writable_text | timestamps | st.booleans() | st.integers(), lambda inner: st.lists(
    inner, max_size=4) | st.dictionaries(st.text(printable, max_size=10), inner, max_size=5), max_leaves=20)
writable_front_matters = st.dictionaries(st.sampled_from(["title", "slug", "a-b", "c_d", "tags"]) | st.text(
    printable, max_size=10), writable_values, min_size=1, max_size=6)


def containers(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=5)


values = st.recursive(scalars, containers, max_leaves=25)
front_matters = st.dictionaries(keys, values, min_size=1, max_size=8)


@MANY
@given(front_matters)
@example({"title": "Top 365 Films – #4 – A Alibi", "date": Timestamp("2009-03-10T00:30:00-05:00"),
          "tags": ["1970s", "yes"], "comments": [{"id": 11, "body": "One.\n\nTwo.", "replies": [{"body": "x\n"}]}],
          "draft": True, "empty": [], "none": {}})
@example({"a": [[["b", {"c": "d\ne"}]], []], "b": {"c": {"d": ["x\ny\n"]}}})
def test_dump_yaml_is_pyyaml_text(data: dict[Any, Any]) -> None:
    assert dump_yaml(data) == pyyaml(data)


@MANY
@given(writable_front_matters)
def test_dump_yaml_is_pyyaml_text_on_writable_values(data: dict[Any, Any]) -> None:
    """The same on values the direct writer mostly takes itself (random ones mostly go to libyaml)."""
    assert dump_yaml(data) == pyyaml(data)


@MANY
@given(st.dictionaries(keys, odd_timestamps | scalars, min_size=1, max_size=4), st.integers(0, 6))
def test_dump_yaml_scalars_at_any_depth(data: dict[Any, Any], depth: int) -> None:
    """Indentation and line width depend on depth: the same scalars under lists and dicts at every depth."""
    nested: Any = data
    for level in range(depth):
        nested = [nested, "x"] if level % 2 else {"k": nested, "z": [nested.copy() if isinstance(nested, dict)
                                                                    else list(nested)]}
    doc = {"top": nested}
    assert dump_yaml(doc) == pyyaml(doc)


@MANY
@given(front_matters)
def test_dump_yaml_reads_back(data: dict[Any, Any]) -> None:
    """What the writer gives, yaml.safe_load reads back as the same data (timestamps as dates)."""
    def expected(value: Any) -> Any:
        if isinstance(value, dict):
            return {expected(k): expected(v) for k, v in value.items()}
        if isinstance(value, list):
            return [expected(v) for v in value]
        if type(value) is Timestamp:
            return yaml.safe_load(f"x: {value}")["x"]
        return value

    try:
        want = expected(data)
    except (yaml.YAMLError, TypeError):
        return  # a key that reads back as a list: not a round trip YAML can make
    assert yaml.safe_load(dump_yaml(data)) == want


def test_direct_writer_takes_the_usual_front_matter() -> None:
    """The common values do not fall back to libyaml (else the writer would be correct but slow)."""
    data = {
        "title": "Hello: world #1", "date": Timestamp("2009-03-10T00:30:00-05:00"), "slug": "hello-world",
        "draft": True, "tags": ["a", "yes", "it's"], "categories": [], "summary": "Line one.\n\nLine two.",
        "wordpress_id": 12, "comments": [{"id": 1, "author": "Ann", "body": "Hi!\n", "replies": [{"id": 2}]}],
    }
    out: list[str] = []
    yamlwriter._emit_mapping(data, 0, "", out, set())
    assert "".join(out) == pyyaml(data)


def test_irregular_values_still_go_to_pyyaml() -> None:
    shared = ["a"]
    for data in ({"d": date(2020, 1, 2)}, {"f": 1.5}, {"n": None}, {"a": shared, "b": shared}, {"t": ("x",)},
                 {1: "int key"}, {"e": "\U0001f600"}, {"tab": "a\tb"}, {"long": "word " * 300}, {}):
        assert dump_yaml(data) == pyyaml(data)


def test_resolver_table_is_pyyamls() -> None:
    """The writer decides quoting with PyYAML's own implicit resolvers (none matches any first character)."""
    assert None not in _Dumper.yaml_implicit_resolvers
    assert yamlwriter._RESOLVERS
    assert all(isinstance(r, re.Pattern) for pairs in yamlwriter._RESOLVERS.values() for _, r in pairs)


URL_PARTS = ["http://", "https://", "HTTP://", "ftp://", "//", "/", "?", "#", "[", "]", "[::1]", ":", "@", "%20",
             "%C3%A9", "a", "example.com", "x.org:8080", " ", "\t", "\n", "é", "?p=12", "#frag", "2013/01/10/hello/",
             "\x00"]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(URL_PARTS) | st.text(max_size=5), max_size=8).map("".join))
def test_path_and_query_is_urlsplits(link: str) -> None:
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(link)
    except ValueError:
        with pytest.raises(ValueError):
            frontmatter._path_and_query(link)
        return
    assert frontmatter._path_and_query(link) == (parts.path, parts.query)


@settings(max_examples=3000, deadline=None)
@given(strings | st.text(st.sampled_from(list(TRICKY_CHARS + ".-")), max_size=6))
def test_plain_check_is_the_pattern(value: str) -> None:
    assert yamlwriter._plain_ok(value) == bool(yamlwriter._PLAIN_RE.fullmatch(value))


@settings(max_examples=500, deadline=None)
@given(st.from_regex(yamlwriter._ISO_TIMESTAMP, fullmatch=True))
def test_iso_timestamps_are_plain_timestamps(value):
    assert yamlwriter._PLAIN_RE.fullmatch(value)
    assert yamlwriter._resolved_tag(value) == yamlwriter._TIMESTAMP
