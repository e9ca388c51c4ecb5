"""Read an item of a WordPress export without building an XML tree, when it is laid out as items read before.

Converting a big export, each worker parses items on their own (:func:`.wxr.parse_raw_item`). With lxml, most of
that time is libxml2 building some 50 elements per item and Python walking them, when the walk only wants each
child's name and text. But WordPress writes every item of a kind with the same children in the same order, written
the same way: leaves (``<wp:post_id>12</wp:post_id>``, ``<title><![CDATA[…]]></title>``), then the item's
``<category>`` leaves, its ``<wp:postmeta>`` and its ``<wp:comment>`` elements; and each comment likewise (leaves,
then ``<wp:commentmeta>``). So this module learns the leaves of each kind of item, and of comment, once, as a
regular expression (a :class:`_Shape`) that reads all of them in one match, by position: no name is looked at, item
after item. The categories, metas and comments after them are read by a pattern for each kind, with findall().

It is exact or it declines. Every character of an item is covered by one of those patterns, which know only
WordPress's forms: leaves holding text, references and CDATA sections, empty leaves, attributes (never namespace
declarations), whitespace between elements, in that order. Anything else (a comment or a processing instruction,
text between elements, other nesting or order, an entity other than XML's five, bytes that are not UTF-8, a prefix
the wrapper does not declare) makes :func:`read_item` return None, for the caller to parse the item with lxml. What a
parser does is done here too: line ends normalised, references replaced, whitespace in attribute values made spaces,
names resolved through the namespaces the wrapper declares, then mapped by :func:`.names.qname`.

A shape is learned from the first item (or comment) that no known shape reads, cut into its children by
:data:`_CHILD`. That only proposes the names and how each leaf is written: whether an item is read is decided by the
shape's own pattern, and a shape that reads nothing costs only its compilation (for the items, and for the comments,
of one export, :data:`_SHAPES` are kept and :data:`_LESSONS` learned at most).

Contract: for any item's bytes, :func:`read_item` returns None or fields from which :func:`.wxr.parse_raw_item` makes
the very :class:`~migrate.model.Post` lxml's reading (:func:`.wxr._parse_raw_item_lxml`, the reference) makes, shallow
or not. With ``WP_MIGRATE_CHECK_FAST=1`` (:mod:`migrate.fastpath`) every item read here is read by lxml too and the two
Posts compared.
"""

from __future__ import annotations

import re
from collections.abc import Container
from operator import itemgetter
from typing import Any, NamedTuple

from lxml import etree

from .names import qname

# XML whitespace, once line ends are normalised (no "\r" is left).
_S = "[ \t\n]"
_SPACE = " \t\n"
# An element or attribute name: wp:post_id. Other names, non-ASCII ones included, are legal XML left to lxml; a
# name with two colons or none after its prefix is not resolved (_Scope.qname).
_NAME = r"[A-Za-z_][A-Za-z0-9_.:-]*+"
# An attribute in a start tag, with its leading space; never a namespace declaration (xmlns="…", xmlns:p="…").
_ATTRIBUTE = rf"""{_S}++(?!xmlns(?:[:=]|{_S})){_NAME}{_S}*+={_S}*+(?:"[^"<]*+"|'[^'<]*+')"""
# A CDATA section's text: up to the first "]]>" (which always follows it in these patterns).
_CDATA_TEXT = r"[^\]]*+(?:\](?!\]>)[^\]]*+)*"
# A reference XML defines without a DTD: &#233; &#xE9; &lt; &gt; &amp; &quot; &apos;
_REFERENCE = r"&(?:\#[0-9]++|\#x[0-9A-Fa-f]++|lt|gt|amp|quot|apos);"
# A leaf's content: text, references and CDATA sections, in any order (WordPress splits a CDATA at "]]>"); an end
# tag ("</") always follows it in these patterns.
_CONTENT = rf"(?:[^<&]++|{_REFERENCE}|<!\[CDATA\[{_CDATA_TEXT}\]\]>)*"
# An element without children, and one whose children are such leaves.
_LEAF = rf"<{_NAME}(?:{_ATTRIBUTE})*{_S}*+(?:/>|>{_CONTENT}</{_NAME}{_S}*+>)"
_BRANCH = rf"<{_NAME}(?:{_ATTRIBUTE})*{_S}*+>(?:{_S}*+{_LEAF})+{_S}*+</{_NAME}{_S}*+>"
# One child of an element, to learn a shape from: findall() gives (name, attributes, content, children) for an
# element: content when it holds none, children when it holds leaves, or leaves and branches; ("", "", "", "") for
# any other character.
_CHILD = re.compile(
    rf"{_S}*+(?:<({_NAME})((?:{_ATTRIBUTE})*){_S}*+(?:/>|>(?:({_CONTENT})"
    rf"|((?:{_S}*+(?:{_LEAF}|{_BRANCH}))+{_S}*+))</\1{_S}*+>)"
    r"|[\s\S])"
)
# Whitespace only.
_BLANK = re.compile(f"{_S}*+")
# The item's start tag, without attributes, and its end tag.
_ITEM_START = re.compile(rf"<item{_S}*+>")
_ITEM_END = re.compile(rf"</item{_S}*+>")
# The wrapper's name, from its start tag.
_WRAPPER_NAME = re.compile(rb"<([^\s/>]+)")
# What _unescape replaces: a CDATA section (by its text), a reference, a lone "&" (not XML's: declined).
_PIECE = re.compile(r"<!\[CDATA\[(.*?)\]\]>|&(?:#x([0-9A-Fa-f]+);|#([0-9]+);|(lt|gt|amp|quot|apos);|)", re.S)
# One attribute of a start tag: name, value in double quotes, value in single quotes.
_ATTRIBUTE_VALUE = re.compile(rf"""({_NAME}){_S}*={_S}*(?:"([^"]*)"|'([^']*)')""")

_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
_ATTRIBUTE_SPACES = str.maketrans("\t\n", "  ")  # "\r" is "\n" by then
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
_CACHE_SIZE = 4096
_SHAPES = 8  # shapes kept for items, and for comments, of one export
_LESSONS = 64  # shapes learned for items, and for comments, of one export at most (each is a regex to compile)


def _text(mark: int) -> str:
    """The pattern of a leaf's content, written in any form, in three groups from ``mark``: one that is "" but there
    only when the content starts with a CDATA section; that section's text, or else the text before any reference;
    and the rest, usually "", for :func:`_unescape` (the leaf's text is the second group and the third unescaped).
    A leaf is read one way only: once it is read, a failure further on does not try it again read otherwise (with as
    many ways as leaves, that could take for ever). So the CDATA section is taken when there is one and only then
    (two exclusive branches, not an optional group, which could also be skipped)."""
    return (rf"(?:<!\[CDATA\[()|(?!<!\[CDATA\[))((?({mark}){_CDATA_TEXT}|[^<&]*+))(?({mark})\]\]>)"
            rf"((?!</){_CONTENT})?")


def _leaf(name: str, mark: int, attributes: bool = True) -> str:
    """The pattern of a leaf named ``name`` (as written), with attributes or none, its content in groups from
    ``mark`` (see :func:`_text`; "" in each when it is empty)."""
    name = re.escape(name)
    any_attributes = f"(?:{_ATTRIBUTE})*" if attributes else ""
    return rf"{_S}*+<{name}{any_attributes}{_S}*+(?:/>|>{_text(mark)}</{name}{_S}*+>)"


def _plain_leaf(name: str) -> str:
    """The pattern of a leaf named ``name`` (as written), with attributes or none, without groups."""
    name = re.escape(name)
    return rf"{_S}*+<{name}(?:{_ATTRIBUTE})*{_S}*+(?:/>|>{_CONTENT}</{name}{_S}*+>)"


def _form(content: str) -> str:
    """How a leaf's content is written: "cdata" (one CDATA section), "text" (without references: the text as it is)
    or "mixed" (the rest: references, several CDATA sections)."""
    if content.startswith("<![CDATA[") and content.find("]]>") == len(content) - 3:
        return "cdata"
    return "mixed" if "<" in content or "&" in content else "text"


def _shaped_leaf(name: str, attributes: bool, form: str) -> str:
    """The pattern of a leaf named ``name`` (as written), with attributes or none, its content written in ``form``
    (see :func:`_form`; "text" and "mixed" leaves may be empty, ``<name/>``) in one group. With the form
    "categories", a run of ``<category>`` leaves (none or more), whole in one group (a run is always followed by
    another leaf, see :func:`_learn`: a run read short fails there)."""
    if form == "categories":
        return rf"((?:{_S}*+<category(?:{_ATTRIBUTE})*{_S}*+(?:/>|>{_CONTENT}</category{_S}*+>))*)"
    name = re.escape(name)
    start = rf"{_S}*+<{name}" + (f"(?:{_ATTRIBUTE})*" if attributes else "") + f"{_S}*+"
    end = rf"</{name}{_S}*+>"
    if form == "cdata":
        return rf"{start}><!\[CDATA\[({_CDATA_TEXT})\]\]>{end}"
    return rf"{start}(?:/>|>({'[^<&]*+' if form == 'text' else _CONTENT}){end})"


def _start(name: str) -> str:
    """The pattern of a start tag without attributes, and the whitespace before it."""
    return rf"{_S}*+<{re.escape(name)}{_S}*+>"


def _end(name: str) -> str:
    """The pattern of an end tag, and the whitespace before it."""
    return rf"{_S}*+</{re.escape(name)}{_S}*+>"


class ItemFields(NamedTuple):
    """What :func:`.wxr._parse_item` reads of an item, before it makes a :class:`~migrate.model.Post` of it."""

    #: Leaf child's name (:func:`.names.qname`) → its text; the last of each name.
    fields: dict[str, str]
    #: Each ``<category>``'s text and its ``nicename`` and ``domain`` attributes (None when absent).
    categories: list[tuple[str, str | None, str | None]]
    #: Each ``<wp:postmeta>``'s key and value (see :func:`.wxr._meta_pair`); none for a shallow item.
    meta: list[tuple[str, str]]
    #: Each ``<wp:comment>``'s fields and meta; none for a shallow item.
    comments: list[tuple[dict[str, str], list[tuple[str, str]]]]


class _Decline(Exception):
    """Raised where the item is not laid out as this reader knows."""


def _reference(m: re.Match[str]) -> str:
    cdata, hexadecimal, decimal, entity = m.groups()
    if cdata is not None:
        return cdata
    if entity:
        return _ENTITIES[entity]
    if hexadecimal is None and decimal is None:
        raise _Decline  # "&" that starts no reference XML knows without a DTD
    code = int(hexadecimal, 16) if hexadecimal else int(decimal)
    # XML's Char: a reference to anything else is an error, which lxml would report
    if not (0x20 <= code <= 0xD7FF or code in (0x9, 0xA, 0xD) or 0xE000 <= code <= 0xFFFD
            or 0x10000 <= code <= 0x10FFFF):
        raise _Decline
    return chr(code)


def _unescape(content: str) -> str:
    """Text as a parser gives it, from content holding references or CDATA sections."""
    return _PIECE.sub(_reference, content)


def _attribute(value: str) -> str:
    """An attribute's value as a parser gives it: whitespace made spaces, then references replaced."""
    value = value.translate(_ATTRIBUTE_SPACES)
    return _unescape(value) if "&" in value else value


# A category's findall() groups → its text, nicename and domain: an export has few categories, used again and again.
_categories: dict[tuple[str, ...], tuple[str, str | None, str | None]] = {}


def _category(found: tuple[str, ...]) -> tuple[str, str | None, str | None]:
    """A ``<category>``'s text and its ``nicename`` and ``domain`` attributes (None for one it does not have), from
    :attr:`_Names.category`'s groups."""
    attributes, _, text, rest, other = found
    if other:
        raise _Decline
    if rest:
        text += _unescape(rest)
    values: dict[str, str] = {}
    for name, double, single in _ATTRIBUTE_VALUE.findall(attributes):
        if name in values:
            raise _Decline  # (not well-formed)
        values[name] = double or single
    nicename, domain = values.get("nicename"), values.get("domain")
    category = (text, None if nicename is None else _attribute(nicename),
                None if domain is None else _attribute(domain))
    if len(_categories) >= _CACHE_SIZE:
        _categories.clear()
    _categories[found] = category
    return category


class _Names:
    """The patterns of what follows an element's leaves, with the prefix a file gives WordPress's namespace
    (``wp:``). Each compiled one is for findall() over a run of elements of one kind: any other character is
    in its last group."""

    def __init__(self, wp: str) -> None:
        # After an item's leaves: a category, a meta, a comment, or the end.
        self.item_after = rf"(?={_S}*+(?:<category[ \t\n/>]|<{wp}postmeta[ \t\n>]|<{wp}comment[ \t\n>]|\Z))"
        # After a comment's leaves: a meta, or the end.
        self.comment_after = rf"(?={_S}*+(?:<{wp}commentmeta[ \t\n>]|\Z))"
        self.comment_start = _start(f"{wp}comment")
        # A category: its attributes, and its content in _text's groups.
        self.category = re.compile(
            rf"{_S}*+(?:<category((?:{_ATTRIBUTE})*){_S}*+(?:/>|>{_text(2)}</category{_S}*+>)|([\s\S]))")
        # A meta: its key and value in _text's groups (WordPress writes the key first); and a run of them, checked only.
        self.postmeta = re.compile(rf"{_S}*+(?:{self._meta(f'{wp}postmeta', wp, True)}|([\s\S]))")
        self.commentmeta = re.compile(rf"{_S}*+(?:{self._meta(f'{wp}commentmeta', wp, True)}|([\s\S]))")
        self.postmetas = re.compile(rf"(?:{self._meta(f'{wp}postmeta', wp, False)})*{_S}*+")
        # Where each run ends: after the last end tag of its kind.
        self.ends = ("</category>", f"</{wp}postmeta>", f"</{wp}comment>")
        self.wp = wp

    def comment_rest(self, group: int) -> str:
        """What follows a comment's leaves, for a comment shape's findall(): its first meta, if any (``group`` is ">"
        then, and its key and value in the next ones, see :func:`_text`), the others (one group), its end tag."""
        wp = self.wp
        key, value = _leaf(f"{wp}meta_key", group + 1), _leaf(f"{wp}meta_value", group + 4)
        # (when the comment's end tag is not found, the first meta is also tried as one of the others, which
        # reaches the same end: the match fails alike, once more)
        first = rf"(?:{_S}*+<{wp}commentmeta{_S}*+(>){key}{value}{_end(f'{wp}commentmeta')})?"
        return rf"{first}((?:{self._meta(f'{wp}commentmeta', wp, False)})*){_end(f'{wp}comment')}"

    @staticmethod
    def _meta(name: str, wp: str, groups: bool) -> str:
        """A meta's pattern: its key's and its value's in groups 1 to 6 (see :func:`_text`), or without groups."""
        key, value = f"{wp}meta_key", f"{wp}meta_value"
        leaves = _leaf(key, 1) + _leaf(value, 4) if groups else _plain_leaf(key) + _plain_leaf(value)
        return f"(?:{_start(name)}{leaves}{_end(name)})"


_wordpress: dict[str, _Names] = {}
_LAST = itemgetter(-1)


def _pairs(pattern: re.Pattern[str], xml: str, start: int, end: int) -> list[tuple[str, str]]:
    """The key and value of each meta in the run ``xml[start:end]`` (see :class:`_Names`)."""
    pairs = []
    for _, key, key_rest, _, value, value_rest, other in pattern.findall(xml, start, end):
        if other:
            raise _Decline
        pairs.append((key + _unescape(key_rest) if key_rest else key,
                      value + _unescape(value_rest) if value_rest else value))
    return pairs


class _Shape:
    """The leaves an element (an item, or a comment) starts with, as one regular expression: the same leaves (names
    as written, with attributes or none), in the same order, their content written the same way (:func:`_form`),
    followed by what may follow them; and where the element learned from had categories between two leaves (as
    WXR 1.0 wrote them, after ``<dc:creator>``), a run of categories. A match gives every leaf's content by
    position, one group each, and each run's in one group."""

    def __init__(self, leaves: tuple[tuple[str, bool, str], ...], names: list[str], start: str, after: str,
                 rest: str | None = None) -> None:
        #: Each leaf's name as written, whether it may have attributes, its form ("categories" for a run of them).
        self.leaves = leaves
        #: The leaves' names (:func:`.names.qname`), runs left out.
        self.names = names
        pattern = start + "".join(_shaped_leaf(*leaf) for leaf in leaves)
        self.pattern = re.compile(pattern + after)
        #: A comment's shape reads a run of comments at once with findall(): for each, its leaves' groups, its
        #: metas (see :meth:`_Names.comment_rest`) and any other character (one group).
        self.every = None if rest is None else re.compile(rf"{_S}*+(?:{pattern}{rest}|([\s\S]))")
        forms = [form for _, _, form in leaves if form != "categories"]
        #: The groups of the runs of categories; and the leaves whose content holds references or CDATA sections.
        self.runs = [i for i, (_, _, form) in enumerate(leaves) if form == "categories"]
        self.mixed = [i for i, form in enumerate(forms) if form == "mixed"]
        self._texts = None if not self.runs else itemgetter(
            *[i for i, (_, _, form) in enumerate(leaves) if form != "categories"], 0)
        self.hits = 0
        #: The index of the leaf that ``find("{*}post_type")`` finds, if any: the post type, for shallow reading.
        self.kind = next((i for i, n in enumerate(names) if n.rpartition(":")[2] == "post_type"), None)

    def texts(self, groups: tuple[str, ...]) -> tuple[str, ...] | list[str]:
        """The leaves' texts, from their groups at the start of ``groups``."""
        # (the getter takes one group more than the leaves', the first, so as to give a tuple even for one leaf)
        texts = groups[: len(self.names)] if self._texts is None else self._texts(groups)[:-1]
        if self.mixed:
            texts = list(texts)
            for i in self.mixed:
                text = texts[i]
                if "&" in text or "<" in text:
                    texts[i] = _unescape(text)
        return texts


class _Scope:
    """The namespaces a wrapper declares, the :func:`.names.qname` of each element name met under it, and the
    shapes learned for its items and its comments (the most used first), with how many more may be."""

    __slots__ = ("uris", "names", "end", "wordpress", "shapes", "lessons", "read", "declined")

    def __init__(self, uris: dict[str | None, str], wrapper: str, wp: str) -> None:
        self.uris = uris
        self.names: dict[str, str] = {}
        self.end = f"</{wrapper}>"
        #: WordPress's names as this file writes them.
        self.wordpress = _wordpress.get(wp) or _wordpress.setdefault(wp, _Names(wp))
        self.shapes: dict[str, list[_Shape]] = {"item": [], "comment": []}
        self.lessons = {"item": _LESSONS, "comment": _LESSONS}
        #: Items read, and declined: when most are declined, the next ones go to lxml at once (each declined item
        #: has cost a try of every shape).
        self.read = self.declined = 0

    def qname(self, name: str) -> str:
        """``name`` as lxml would name it, mapped by :func:`.names.qname` (and kept for the next time)."""
        found = self.names.get(name)
        if found is None:
            prefix, _, local = name.rpartition(":")
            uri = self.uris.get(prefix or None)
            if (uri is None and prefix) or not local or ":" in prefix:
                raise _Decline  # declared inside the item, the xml: prefix, or no name XML's namespaces allow
            found = qname(f"{{{uri}}}{local}") if uri else local
            self.names[name] = found
        return found


_scopes: dict[bytes, _Scope | None] = {}
# The last wrapper's start tag and its scope: the same for every item of an export.
_last: list[Any] = [b"\0", None]


def _scope(head: bytes) -> _Scope | None:
    """The :class:`_Scope` of a wrapper's start tag; None when it is not one, or it declares no prefix for
    WordPress's namespace, or declares a default namespace (WordPress's never do)."""
    try:
        return _scopes[head]
    except KeyError:
        pass
    scope = None
    name = _WRAPPER_NAME.match(head)
    if name is not None:
        try:
            wrapper = etree.fromstring(head + b"</" + name.group(1) + b">", _PARSER)
            uris = dict(wrapper.nsmap)
            wp = next((p for p, uri in uris.items() if p and qname(f"{{{uri}}}x") == "wp:x"), None)
            if not wrapper.attrib and wp is not None and None not in uris:
                scope = _Scope(uris, name.group(1).decode(), wp + ":")
        except (etree.XMLSyntaxError, UnicodeDecodeError):
            pass
    if len(_scopes) >= 64:
        _scopes.clear()
    _scopes[head] = scope
    return scope


def _leaves(text: str, start: int, end: int, scope: _Scope, level: str
            ) -> tuple[_Shape, dict[str, str], tuple[str, ...] | list[str], tuple[str, ...], int]:
    """The leaves the element whose content is ``text[start:end]`` starts with, read by the first shape of
    ``level`` that fits (one is learned when none does): the shape, the leaves' texts by name (the last of each
    name) and in order, the match's groups, and where what follows the leaves starts."""
    shapes = scope.shapes[level]
    i = 0
    for shape in shapes:
        m = shape.pattern.match(text, start, end)
        if m is not None:
            shape.hits += 1
            if i and shape.hits > shapes[i - 1].hits:  # the most used first
                shapes[i - 1], shapes[i] = shape, shapes[i - 1]
            break
        i += 1
    else:
        shape = _learn(text, start, end, scope, level)
        m = shape.pattern.match(text, start, end)
        if m is None:
            raise _Decline
    groups = m.groups("")
    texts = shape.texts(groups)
    return shape, dict(zip(shape.names, texts, strict=False)), texts, groups, m.end()


def _learn(text: str, start: int, end: int, scope: _Scope, level: str) -> _Shape:
    """A new shape of ``level``: the leaves the element whose content is ``text[start:end]`` starts with. When a
    known shape has the same leaves, written otherwise (a title with a reference, a CDATA section split at "]]>"),
    the new one replaces it and reads both: each leaf written either way, in any form. Declines when the content is
    not elements, or the shape is known (the element failed it for another reason), or enough shapes have been
    learned."""
    wordpress = scope.wordpress
    if not scope.lessons[level]:
        raise _Decline
    if level == "comment":
        m = re.match(wordpress.comment_start, text[start:end])
        if m is None:
            raise _Decline
        start += m.end()
    leaves: list[tuple[str, bool, str]] = []
    for name, attributes, content, children in _CHILD.findall(text, start, end):
        if not name:
            raise _Decline  # anything but an element: comments, text...
        if children or scope.qname(name) in _LATER[level]:
            if level != "item" or children or name != "category":
                break
            if not leaves or leaves[-1][2] != "categories":  # categories between leaves: a run of them
                leaves.append(("category", False, "categories"))
        else:
            leaves.append((name, bool(attributes), _form(content)))
    while leaves and leaves[-1][2] == "categories":
        leaves.pop()  # (the categories after the last leaf are read with the metas and comments)
    shapes = scope.shapes[level]
    hits = 0
    for known in shapes:
        if [leaf[0] for leaf in known.leaves] == [leaf[0] for leaf in leaves]:
            merged = [(name, attributes or known_attributes, form if form == known_form else "mixed")
                      for (name, attributes, form), (_, known_attributes, known_form)
                      in zip(leaves, known.leaves, strict=True)]
            if tuple(merged) == known.leaves:
                raise _Decline
            leaves, hits = merged, known.hits
            shapes.remove(known)
            break
    names = [scope.qname(name) for name, _, form in leaves if form != "categories"]
    if level == "item":
        shape = _Shape(tuple(leaves), names, "", wordpress.item_after)
    else:
        shape = _Shape(tuple(leaves), names, wordpress.comment_start, wordpress.comment_after,
                       wordpress.comment_rest(len(leaves) + 1))
    shape.hits = hits
    if len(shapes) >= _SHAPES:
        shapes.pop()  # the least used
    shapes.append(shape)
    scope.lessons[level] -= 1
    return shape


# What follows an element's leaves (by qname): a shape ends before the first of these.
_LATER = {"item": frozenset({"category", "wp:postmeta", "wp:comment"}), "comment": frozenset({"wp:commentmeta"})}


def _comments(xml: str, start: int, end: int, scope: _Scope) -> list[tuple[dict[str, str], list[tuple[str, str]]]]:
    """Each ``<wp:comment>``'s fields (child name → text, the last of each name) and meta, in the run of comments
    ``xml[start:end]``: all at once when the most used comment shape fits them all, else one by one."""
    if _BLANK.fullmatch(xml, start, end):
        return []
    wordpress = scope.wordpress
    shapes = scope.shapes["comment"]
    if shapes:
        shape = shapes[0]
        every = shape.every.findall(xml, start, end)  # type: ignore[union-attr]
        if not any(map(_LAST, every)):
            shape.hits += len(every)
            names, texts, metas = shape.names, shape.texts, wordpress.commentmeta
            first = len(names)  # the first meta's groups (see _Names.comment_rest)
            comments = []
            for found in every:
                fields = dict(zip(names, texts(found), strict=False))
                meta = []
                if found[first]:
                    _, _, key, key_rest, _, value, value_rest, run, _ = found[first:]
                    meta.append((key + _unescape(key_rest) if key_rest else key,
                                 value + _unescape(value_rest) if value_rest else value))
                    if run:
                        meta += _pairs(metas, run, 0, len(run))
                comments.append((fields, meta))
            return comments
    comments = []
    pieces = xml[start:end].split(wordpress.ends[2])
    for piece in pieces[:-1]:
        _, fields, _, _, at = _leaves(piece, 0, len(piece), scope, "comment")
        comments.append((fields, _pairs(wordpress.commentmeta, piece, at, len(piece))))
    if pieces[-1].strip(_SPACE):
        raise _Decline
    return comments


def read_item(data: bytes, shallow: Container[str] = ()) -> ItemFields | None:
    """What the lxml walk reads of an item's XML from :meth:`.wxr.WxrExport.raw_posts` (the item in a wrapper
    element that declares its namespaces); None when the item is not laid out as this reader knows.

    ``shallow``: post types whose items' meta and comments are left out (see :func:`.wxr.parse_raw_item`).
    """
    head, scope = _last
    if not data.startswith(head) or data[len(head):len(head) + 1] != b"<":
        at = data.find(b"<", 1)  # the wrapper's attributes are escaped: its first "<" after its own is the item's
        scope = _scope(data[:at]) if at > 0 else None
        if scope is None:
            return None
        _last[:] = data[:at], scope
    if scope.declined > scope.read + _LESSONS:
        return None
    try:
        xml = data.decode()
    except UnicodeDecodeError:
        return None
    if "\r" in xml:  # XML's line ends, done before parsing: a "\r" left is one from a reference
        xml = xml.replace("\r\n", "\n").replace("\r", "\n")
    start = _ITEM_START.match(xml, xml.find("<", 1))
    end = xml.rfind("</item")
    if start is None or end < start.end() or not xml.endswith(scope.end) \
            or _ITEM_END.fullmatch(xml, end, len(xml) - len(scope.end)) is None:
        return None
    try:
        shape, fields, texts, groups, at = _leaves(xml, start.end(), end, scope, "item")
        deep = not shallow or shape.kind is None or texts[shape.kind].strip() not in shallow
        # Then the categories, the metas and the comments, each run up to the last end tag of its kind (one in a
        # CDATA section would leave characters no pattern reads). A shallow item's metas are checked, not read;
        # its comments (seldom any) are read all the same.
        wordpress = scope.wordpress
        categories: list[tuple[str, str | None, str | None]] = []
        for run in shape.runs:  # categories between leaves first
            categories += [_categories.get(found) or _category(found)
                           for found in wordpress.category.findall(groups[run])]
        after = xml.rfind(wordpress.ends[0], at, end)
        if after >= 0:
            after += len(wordpress.ends[0])
            categories += [_categories.get(found) or _category(found)
                           for found in wordpress.category.findall(xml, at, after)]
            at = after
        meta: list[tuple[str, str]] = []
        after = xml.rfind(wordpress.ends[1], at, end)
        if after >= 0:
            after += len(wordpress.ends[1])
            if deep:
                meta = _pairs(wordpress.postmeta, xml, at, after)
            elif wordpress.postmetas.fullmatch(xml, at, after) is None:
                raise _Decline
            at = after
        comments = _comments(xml, at, end, scope)
    except (_Decline, ValueError):  # ValueError: a reference with more digits than int() reads
        scope.declined += 1
        return None
    scope.read += 1
    return ItemFields(fields, categories, meta, comments if deep else [])
