"""Front matter's YAML, written fast: the text PyYAML's safe dumper writes, byte for byte.

Contract. :func:`dump_yaml` takes any value PyYAML's safe dumper takes (with :class:`Timestamp`, a string written
as a plain timestamp, and multi-line strings as ``|`` literal blocks) and must give exactly the text of
:func:`reference_dump`: ``yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
default_flow_style=False, width=1000)``, with libyaml's emitter when PyYAML has it. It handles directly a
non-empty dict of dicts, lists, strings, timestamps, booleans and integers whose every scalar libyaml would
write plain, single-quoted or as a literal block on a line too short to fold (:func:`_emit_mapping`: what
front matter nearly always is); anything else it declines (:class:`_Irregular`) and gives to libyaml, as
nodes (:func:`_node`, without the representer's per-value lookups) or, for what nodes cannot stand for (a
date, a float, a str subclass, one list in two places), through PyYAML's representer.

Check. ``WP_MIGRATE_CHECK_FAST=1`` (:mod:`migrate.fastpath`) compares every result with
:func:`reference_dump`; tests/test_frontmatter.py compares the three ways on random values.
"""

from __future__ import annotations

import io
import re
from typing import Any

import yaml

from .. import fastpath


class Timestamp(str):
    """An ISO 8601 date string that YAML writes as a plain (unquoted) timestamp."""


# libyaml's emitter when PyYAML has it (several times faster), else the pure-Python one; same output.
class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    pass


def _represent_timestamp(dumper: Any, value: Timestamp) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", str(value))


def _represent_str(dumper: Any, value: str) -> yaml.Node:
    # Multi-line strings read best as literal blocks.
    style = "|" if "\n" in value and not value.startswith((" ", "\t")) and "\r" not in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(Timestamp, _represent_timestamp)
_Dumper.add_representer(str, _represent_str)


_STR = "tag:yaml.org,2002:str"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_OPTIONS: dict[str, Any] = {"sort_keys": False, "allow_unicode": True, "default_flow_style": False, "width": 1000}


def dump_yaml(data: Any) -> str:
    """:func:`reference_dump`'s text, faster for what front matter holds (see the module's doc); with
    :data:`migrate.fastpath.CHECK` on, compared with it."""
    text = _dump_fast(data)
    if fastpath.CHECK:
        fastpath.check("yamlwriter.dump_yaml", data, text, lambda: reference_dump(data))
    return text


def reference_dump(data: Any) -> str:
    """The reference: PyYAML (libyaml's emitter when it has it) with this module's representers and options."""
    return yaml.dump(data, Dumper=_Dumper, **_OPTIONS)


def _dump_fast(data: Any) -> str:
    """``yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False,
    width=1000)``: the same text, faster for what front matter holds.

    A non-empty dict of dicts, lists, strings, timestamps, booleans and integers is written directly
    (:func:`_emit_mapping`) when every scalar in it is one libyaml would write plain, single-quoted, or as
    a ``|``/``|-`` literal block, on a line short enough that libyaml would not fold it. Anything else goes
    to libyaml: first as the nodes PyYAML's representer would make (without its per-value lookups), and a
    value those cannot stand for (a date, a float, a str subclass, one list in two places, which PyYAML
    writes as an alias) through PyYAML's representer. tests/test_frontmatter.py checks all three agree."""
    if type(data) is dict and data:
        out: list[str] = []
        try:
            _emit_mapping(data, 0, "", out, set())
        except _Irregular:
            pass
        else:
            return "".join(out)
    try:
        node = _node(data, set())
    except _Irregular:
        return reference_dump(data)
    stream = io.StringIO()
    dumper = _Dumper(stream, **_OPTIONS)
    try:
        dumper.open()
        dumper.serialize(node)
        dumper.close()
    finally:
        dumper.dispose()
    return stream.getvalue()


# --- The direct writer ------------------------------------------------------------------------------
#
# It reproduces, for the values it accepts, what libyaml's emitter writes in block style with PyYAML's
# resolver deciding which strings may go unquoted; everything it is not sure of raises _Irregular.

#: The column libyaml starts folding a plain or single-quoted scalar at a space (``width``).
_WIDTH = _OPTIONS["width"]

#: Characters libyaml writes as they are with allow_unicode: printable ones, line breaks excluded (tab,
#: C0/C1 controls, DEL, U+2028/9, surrogates, U+FEFF, U+FFFE/F and everything past the BMP make it
#: choose double quotes, which this writer leaves to libyaml).
_PRINTABLE = r"\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd"

#: A string libyaml may write plain in block context (what its scalar analysis allows): printable, no
#: leading or trailing space, not starting with an indicator ("-", "?", ":" only when followed by a
#: space or nothing), not "---…"/"...…", no ": " or final ":", no " #". Whether the resolver would read
#: it back as a string is checked apart (:func:`_plain_str`).
_PLAIN_RE = re.compile(
    r"(?!---|\.\.\.)"
    r"(?:[^\x00-\x20#,\[\]{}&*!|>'\"%@`?:\-\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff\U00010000-\U0010ffff]"
    r"|[?:\-](?=[^ ]))"
    r"(?:[^\x00-\x1f:#\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff\U00010000-\U0010ffff]|:(?=[^ ])|(?<! )#)*"
    r"(?<! )"
)
#: A one-line string libyaml may write single-quoted: printable, nothing else.
_QUOTABLE_RE = re.compile(f"[{_PRINTABLE}]*")
#: A multi-line string libyaml writes as a literal block with this writer's two headers: printable but
#: for "\n" breaks, no space before a break, no trailing space, no leading break, at most one final break.
_LITERAL_RE = re.compile(f"[{_PRINTABLE}](?:[{_PRINTABLE}]|(?<! )\n)*(?<! )\n?")

#: PyYAML's implicit resolvers by first character: a plain scalar starting with one of these may read
#: back as something other than a string.
_RESOLVERS: dict[str, list[tuple[str, re.Pattern[str]]]] = {
    first: list(pairs) for first, pairs in _Dumper.yaml_implicit_resolvers.items() if first is not None
}
if None in _Dumper.yaml_implicit_resolvers:  # no such resolver in PyYAML 6; the writer would not know it
    _RESOLVERS = {}


#: What iso_date writes: a string libyaml writes plain and the resolver reads as a timestamp (so the
#: two tests above need not run; tests/test_frontmatter.py checks it).
_ISO_TIMESTAMP = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{6})?(?:[+-][0-9]{2}:[0-9]{2})?", re.ASCII
)


_INDICATORS = frozenset(" #,[]{}&*!|>'\"%@`")


def _plain_ok(value: str) -> bool:
    """``_PLAIN_RE.fullmatch(value)``, as one character-class match and a few substring tests (the
    pattern's alternation costs a step per character). tests/test_frontmatter.py checks they agree."""
    if not value or _QUOTABLE_RE.fullmatch(value) is None:
        return False
    first = value[0]
    if first in _INDICATORS or (first in "-?:" and value[1:2] in ("", " ")):
        return False
    return not (value[-1] == " " or value[-1] == ":" or ": " in value or " #" in value
                or value.startswith(("---", "...")))


def _resolved_tag(value: str) -> str:
    """The tag PyYAML's resolver gives ``value`` as a plain scalar (its first matching implicit resolver)."""
    for tag, regexp in _RESOLVERS.get(value[:1], ()):
        if regexp.match(value):
            return tag
    return _STR


def _scalar(value: Any, column: int, indent: int) -> str:
    """The text libyaml writes for a scalar starting at ``column`` in a block collection at ``indent``."""
    kind = type(value)
    if kind is str:
        if "\n" in value:
            # _represent_str asks for a literal block; libyaml grants it when the analysis allows.
            if value[0] in " \t" or value[-2:] == "\n\n" or not _LITERAL_RE.fullmatch(value):
                raise _Irregular
            pad = " " * (indent + 2)
            body = value[:-1] if value[-1] == "\n" else value
            lines = "\n".join(pad + line if line else "" for line in body.split("\n"))
            return ("|\n" if body is not value else "|-\n") + lines
        text = _ONE_LINE.get(value) or _one_line(value)
        if column + len(text) > _WIDTH:  # libyaml could fold it at a space
            raise _Irregular
        return text
    if kind is Timestamp:
        if column + len(value) > _WIDTH or (
                _ISO_TIMESTAMP.fullmatch(value) is None
                and (not _PLAIN_RE.fullmatch(value) or _resolved_tag(value) != _TIMESTAMP)):
            raise _Irregular
        return str(value)
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value)
    raise _Irregular


#: One-line strings already written: their text (names, tags and URLs recur from post to post).
_ONE_LINE: dict[str, str] = {}


def _one_line(value: str) -> str:
    """A one-line string plain when libyaml would write it plain (and it reads back as a string), else
    single-quoted; anything libyaml would double-quote raises _Irregular."""
    if _plain_ok(value) and (value[0] not in _RESOLVERS or _resolved_tag(value) == _STR):
        text = value
    elif _QUOTABLE_RE.fullmatch(value):
        text = "'" + value.replace("'", "''") + "'"
    else:
        raise _Irregular
    if len(value) <= 200:
        if len(_ONE_LINE) >= 8192:
            _ONE_LINE.clear()
        _ONE_LINE[value] = text
    return text


#: Keys already checked: their text (plain keys only; any other key goes to libyaml).
_KEYS: dict[str, str] = {}


def _key(key: Any) -> str:
    """A mapping key as libyaml writes it when it is a short plain string (a simple key)."""
    text = _KEYS.get(key) if type(key) is str else None
    if text is None:
        if (type(key) is not str or not key or len(key) > 32 or not _PLAIN_RE.fullmatch(key)
                or _resolved_tag(key) != _STR):
            raise _Irregular
        if len(_KEYS) < 4096:
            _KEYS[key] = key
        text = key
    return text


def _emit_mapping(data: dict[Any, Any], indent: int, lead: str, out: list[str], seen: set[int]) -> None:
    """Append a non-empty block mapping whose keys sit at ``indent``; ``lead`` goes before the first key
    (its indentation, or nothing right after a sequence's "- ")."""
    if id(data) in seen:  # PyYAML would write an anchor and an alias
        raise _Irregular
    seen.add(id(data))
    pad = " " * indent
    for key, value in data.items():
        text = _KEYS.get(key) if type(key) is str else None
        if text is None:
            text = _key(key)
        kind = type(value)
        if kind is str and "\n" not in value:  # most values: _scalar's one-line case, in line
            scalar = _ONE_LINE.get(value) or _one_line(value)
            if indent + len(text) + 2 + len(scalar) > _WIDTH:  # libyaml could fold it at a space
                raise _Irregular
            out.append(f"{lead}{text}: {scalar}\n")
        elif kind is Timestamp and _ISO_TIMESTAMP.fullmatch(value) is not None:  # _scalar's case, in line
            if indent + len(text) + 2 + len(value) > _WIDTH:
                raise _Irregular
            out.append(f"{lead}{text}: {value}\n")
        elif kind is int:  # as _scalar writes it (a bool is not of this exact type)
            out.append(f"{lead}{text}: {value}\n")
        elif kind is dict and value:
            out.append(f"{lead}{text}:\n")
            _emit_mapping(value, indent + 2, pad + "  ", out, seen)
        elif kind is list and value:
            out.append(f"{lead}{text}:\n")  # a sequence in a mapping is not indented
            _emit_sequence(value, indent, pad, out, seen)
        else:
            out.append(f"{lead}{text}: {_flow_or_scalar(value, indent + len(text) + 2, indent, seen)}\n")
        lead = pad


def _emit_sequence(data: list[Any], indent: int, lead: str, out: list[str], seen: set[int]) -> None:
    """Append a non-empty block sequence whose "- " sit at ``indent`` (``lead`` as for mappings)."""
    if id(data) in seen:
        raise _Irregular
    seen.add(id(data))
    pad = " " * indent
    for value in data:
        kind = type(value)
        if kind is str and "\n" not in value:  # as in _emit_mapping
            scalar = _ONE_LINE.get(value) or _one_line(value)
            if indent + 2 + len(scalar) > _WIDTH:
                raise _Irregular
            out.append(f"{lead}- {scalar}\n")
        elif kind is dict and value:
            out.append(f"{lead}- ")
            _emit_mapping(value, indent + 2, "", out, seen)
        elif kind is list and value:
            out.append(f"{lead}- ")
            _emit_sequence(value, indent + 2, "", out, seen)
        else:
            out.append(f"{lead}- {_flow_or_scalar(value, indent + 2, indent, seen)}\n")
        lead = pad


def _flow_or_scalar(value: Any, column: int, indent: int, seen: set[int]) -> str:
    """A scalar, or an empty list or dict (which libyaml writes in flow style even in block context)."""
    kind = type(value)
    if kind is dict or kind is list:  # empty: the callers take the others
        if id(value) in seen:
            raise _Irregular
        seen.add(id(value))
        return "[]" if kind is list else "{}"
    return _scalar(value, column, indent)


class _Irregular(Exception):
    """A value :func:`_node` leaves to PyYAML's representer."""




def _node(value: Any, seen: set[int]) -> yaml.Node:
    """The node SafeRepresenter (with this module's representers) makes for ``value``."""
    kind = type(value)
    if kind is str:
        style = "|" if "\n" in value and not value.startswith((" ", "\t")) and "\r" not in value else None
        return yaml.ScalarNode(_STR, value, style=style)
    if kind is dict or kind is list:
        if id(value) in seen:  # PyYAML would write an anchor and an alias
            raise _Irregular
        seen.add(id(value))
        if kind is dict:
            pairs = [(_node(k, seen), _node(v, seen)) for k, v in value.items()]
            return yaml.MappingNode("tag:yaml.org,2002:map", pairs, flow_style=False)
        return yaml.SequenceNode("tag:yaml.org,2002:seq", [_node(v, seen) for v in value], flow_style=False)
    if kind is Timestamp:
        return yaml.ScalarNode("tag:yaml.org,2002:timestamp", str(value))
    if kind is bool:
        return yaml.ScalarNode("tag:yaml.org,2002:bool", "true" if value else "false")
    if kind is int:
        return yaml.ScalarNode("tag:yaml.org,2002:int", str(value))
    raise _Irregular
