"""A light HTML tree for the Markdown converter: the tree ``BeautifulSoup(html, "lxml")`` gives, in
plain Python objects built straight from lxml's own tree.

BeautifulSoup's lxml builder gets the document from libxml2 one event at a time and spends most of its
time in Python handling those events; its nodes carry many fields the converter never reads. Here
libxml2 builds its tree in C with the same parser, fed the same way, and :func:`parse_html` makes one
:class:`Element` (``__slots__``) per element and one :class:`Text` (a ``str``) per string, with what
BeautifulSoup's builder would have given them:

* elements get their attributes as the builder leaves them (``class`` and the other multi-valued
  attributes split into lists);
* text between tags is one string; text of ASCII whitespace only becomes ``"\\n"`` (when it holds a
  newline) or ``" "``, except inside ``<pre>`` and ``<textarea>``; comments likewise;
* each string has the class matching BeautifulSoup's: :class:`Comment`, and for text inside
  ``<script>``, ``<style>``, ``<template>``, ``<rt>`` and ``<rp>`` the class for the innermost of them;
* every node links to its parent and its siblings.

The nodes offer the part of BeautifulSoup's API that the converter and markdownify's methods use:
``name``, ``attrs``, ``get``, ``[]``, ``contents``, ``children``, ``descendants``, ``parent``,
``previous_sibling``, ``next_sibling``, ``get_text``, ``find``, ``find_all``, ``find_parent``,
``find_previous_siblings``, ``decompose`` and ``str()`` (an element's HTML, as BeautifulSoup writes it).
Strings have ``name`` None, as BeautifulSoup's do. Elements are always true (no ``len()``).
:func:`has_text` is ``get_text().strip() != ""`` without joining the strings, and :func:`release`
empties a tree that is done with, so that it is freed at once rather than by the cyclic garbage
collector. ``str()`` of an element, rare in conversion, is written by BeautifulSoup from a copy.

Where libxml2's tree could differ from what its events give BeautifulSoup, the document goes through
BeautifulSoup itself and :func:`from_bs4` copies its tree, so the result is always the tree of
``BeautifulSoup(html, "lxml")``: processing instructions, doctypes, CDATA, ``<meta>`` tags, comments
outside ``<html>``, any parser error, elements nested more than 200 deep and documents of more than
2,000,000 characters (libxml2's tree has limits its events do not: depth 256, 10 MB of text), and a
boolean attribute (``disabled``…) whose value is its name (in libxml2's tree, also what a bare
``disabled`` gets). ``tests/test_soup.py`` checks the two trees are the same.

Contract: :func:`parse_html` takes any text and must give the tree of :func:`reference_tree`
(``from_bs4(BeautifulSoup(html, "lxml"))``): the same :func:`shape`. With ``WP_MIGRATE_CHECK_FAST=1``
(:mod:`migrate.fastpath`) every tree is compared with that reference as it is made.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator
from typing import Any

import bs4
from lxml import etree

from .. import fastpath

_FEATURES = "lxml"
# What makes a document one for BeautifulSoup itself: a processing instruction, a doctype, CDATA.
_UNUSUAL = re.compile(r"<[?!](?!--)|<meta\b", re.IGNORECASE)
_ASCII_SPACES = "\x20\x0a\x09\x0c\x0d"  # BeautifulSoup.ASCII_SPACES
_MAX_DEPTH = 200
_MAX_CHARS = 2_000_000
# The attributes libxml2's tree gives their own name as value when they have none (htmlIsBooleanAttr).
_BOOLEAN_ATTRIBUTES = frozenset(["checked", "compact", "declare", "defer", "disabled", "ismap", "multiple", "nohref",
                                 "noresize", "noshade", "nowrap", "readonly", "selected"])
# How BeautifulSoup splits a multi-valued attribute (bs4.element.nonwhitespace_re).
_NON_WHITESPACE = re.compile(r"\S+")


class _Linked:
    """What strings and elements both answer about where they stand in the tree."""

    __slots__ = ()

    def find_parent(self, name: str | Iterable[str] | None = None) -> Element | None:
        """The closest ancestor of this name (or of any of these names), or None."""
        return _find_parent(self, name)

    def find_previous_siblings(self, name: str | Iterable[str] | None = None) -> list[Element]:
        """The elements before this node in its parent of this name (or any of these names), closest first."""
        return _previous_siblings(self, name)


class Text(str, _Linked):
    """A string of the document (BeautifulSoup's ``NavigableString``); subclasses say what kind."""

    name: str | None = None  # as BeautifulSoup's strings: what tells a string from an element
    parent: Element | None
    # None unless set (the tree builders set only the links there are: fewer attributes for each string)
    previous_sibling: Node | None = None
    next_sibling: Node | None = None

    def extract(self) -> Text:
        """Take the string out of the tree (its siblings then link to each other)."""
        _extract(self)
        return self


class Comment(Text):
    """``<!--…-->``'s text."""


class CData(Text):
    """A CDATA section's text (only from BeautifulSoup's own tree)."""


class ProcessingInstruction(Text):
    """``<?…>``'s text (only from BeautifulSoup's own tree)."""


class Declaration(Text):
    """A declaration's text (only from BeautifulSoup's own tree)."""


class Doctype(Text):
    """A doctype's text (only from BeautifulSoup's own tree)."""


class Script(Text):
    """Text inside ``<script>``."""


class Stylesheet(Text):
    """Text inside ``<style>``."""


class TemplateString(Text):
    """Text inside ``<template>``."""


class RubyTextString(Text):
    """Text inside ``<rt>``."""


class RubyParenthesisString(Text):
    """Text inside ``<rp>``."""


# Our string classes and BeautifulSoup's, both ways.
_FROM_BS4: dict[type, type[Text]] = {
    bs4.NavigableString: Text, bs4.Comment: Comment, bs4.CData: CData, bs4.Declaration: Declaration,
    bs4.Doctype: Doctype, bs4.element.ProcessingInstruction: ProcessingInstruction,
    bs4.element.XMLProcessingInstruction: ProcessingInstruction, bs4.element.Script: Script,
    bs4.element.Stylesheet: Stylesheet, bs4.element.TemplateString: TemplateString,
    bs4.element.RubyTextString: RubyTextString, bs4.element.RubyParenthesisString: RubyParenthesisString,
}
_TO_BS4: dict[type[Text], type] = {ours: theirs for theirs, ours in _FROM_BS4.items()
                                   if theirs is not bs4.element.XMLProcessingInstruction}
# The string class of text inside these elements (BeautifulSoup's HTML builders' string_containers).
_CONTAINERS: dict[str, type[Text]] = {"script": Script, "style": Stylesheet, "template": TemplateString,
                                      "rt": RubyTextString, "rp": RubyParenthesisString}
# The strings get_text() gives, by the element's name (bs4's Tag.interesting_string_types).
_MAIN_STRINGS: frozenset[type[Text]] = frozenset([Text, CData])
_INTERESTING: dict[str, frozenset[type[Text]]] = {name: frozenset([cls]) for name, cls in _CONTAINERS.items()}
# Whitespace in these is kept as it is (BeautifulSoup's preserve_whitespace_tags).
_PRESERVE = frozenset(["pre", "textarea"])
# The multi-valued attributes, by element name ("*": every element), as BeautifulSoup's HTML builders have them.
_LIST_ATTRIBUTES: dict[str, frozenset[str]] = {
    "*": frozenset(["class", "accesskey", "dropzone"]), "a": frozenset(["rel", "rev"]),
    "link": frozenset(["rel", "rev"]), "td": frozenset(["headers"]), "th": frozenset(["headers"]),
    "form": frozenset(["accept-charset"]), "object": frozenset(["archive"]), "area": frozenset(["rel"]),
    "icon": frozenset(["sizes"]), "iframe": frozenset(["sandbox"]), "output": frozenset(["for"]),
}
_UNIVERSAL_LIST_ATTRIBUTES = _LIST_ATTRIBUTES["*"]
_list_attributes_by_name: dict[str, frozenset[str]] = {}


def _list_attributes(name: str) -> frozenset[str]:
    found = _list_attributes_by_name.get(name)
    if found is None:
        found = _list_attributes_by_name[name] = _UNIVERSAL_LIST_ATTRIBUTES | _LIST_ATTRIBUTES.get(name, frozenset())
    return found


Node = Any  # an Element or a Text: the converter tells them apart by ``name`` (None for a string)


class Element(_Linked):
    """An element of the document (BeautifulSoup's ``Tag``); the document itself is one named ``[document]``."""

    __slots__ = ("name", "attrs", "contents", "parent", "previous_sibling", "next_sibling")

    def __init__(self, name: str, attrs: dict[str, Any] | None = None, parent: Element | None = None) -> None:
        self.name: str = name
        self.attrs: dict[str, Any] = {} if attrs is None else attrs
        self.contents: list[Node] = []
        self.parent: Element | None = parent
        self.previous_sibling: Node | None = None
        self.next_sibling: Node | None = None

    def __repr__(self) -> str:
        return f"<Element {self.name} {self.attrs!r}>"

    def __str__(self) -> str:
        """The element's HTML, exactly as BeautifulSoup writes it (made by BeautifulSoup: this is rare)."""
        return str(_to_bs4(self))

    decode = __str__

    def __iter__(self) -> Iterator[Node]:
        return iter(self.contents)

    def __getitem__(self, key: str) -> Any:
        return self.attrs[key]

    def __contains__(self, node: Any) -> bool:
        return node in self.contents

    def get(self, key: str, default: Any = None) -> Any:
        """An attribute's value (a list for ``class`` and the other multi-valued ones), else ``default``."""
        return self.attrs.get(key, default)

    def has_attr(self, key: str) -> bool:
        return key in self.attrs

    @property
    def children(self) -> Iterator[Node]:
        return iter(self.contents)

    @property
    def descendants(self) -> Iterator[Node]:
        """Every node inside this one, in document order."""
        stack = [iter(self.contents)]
        while stack:
            for node in stack[-1]:
                yield node
                if node.name is not None and node.contents:
                    stack.append(iter(node.contents))
                    break
            else:
                stack.pop()

    @property
    def text(self) -> str:
        return self.get_text()

    def get_text(self, separator: str = "", strip: bool = False) -> str:
        """The element's strings joined, those BeautifulSoup's ``get_text()`` joins: plain text and CDATA
        (not comments…), or inside ``<script>`` (``<style>``…) only that element's kind of string."""
        types = _INTERESTING.get(self.name, _MAIN_STRINGS)
        strings: list[str] = []
        _strings(self, types, strings)
        if strip:
            strings = [s for s in (s.strip() for s in strings) if s]
        return separator.join(strings)

    getText = get_text

    def find_all(self, name: str | Iterable[str] | None = None, recursive: bool = True,
                 **attrs: Any) -> list[Element]:
        """The elements inside this one (or only its children) of this name, or of any of these names,
        in document order. An attribute given as True must be present, else equal the value given."""
        names = _names(name)
        nodes: Iterable[Node] = self.descendants if recursive else self.contents
        found = []
        for node in nodes:
            if node.name is None or (names is not None and node.name not in names):
                continue
            if attrs and not _has_attrs(node, attrs):
                continue
            found.append(node)
        return found

    findAll = find_all

    def find(self, name: str | Iterable[str] | None = None, recursive: bool = True, **attrs: Any) -> Element | None:
        """The first element :meth:`find_all` would give, or None."""
        names = _names(name)
        nodes: Iterable[Node] = self.descendants if recursive else self.contents
        for node in nodes:
            if node.name is not None and (names is None or node.name in names) and (
                    not attrs or _has_attrs(node, attrs)):
                return node
        return None

    def decompose(self) -> None:
        """Take the element out of the tree (its siblings then link to each other) and empty it."""
        _extract(self)
        self.name = ""
        self.contents = []
        self.attrs = {}


def has_text(el: Any) -> bool:
    """Does ``el.get_text()`` hold anything but whitespace? (Stops at the first string that does.)"""
    types = _INTERESTING.get(el.name, _MAIN_STRINGS)
    contents = el.contents
    if contents:  # most often the first child answers
        first = contents[0]
        if first.__class__ in types and first and not first.isspace():
            return True
    stack = [iter(el.contents)]
    while stack:
        for node in stack[-1]:
            cls = node.__class__
            if cls is Element:
                stack.append(iter(node.contents))
                break
            if cls in types and node and not node.isspace():
                return True
        else:
            stack.pop()
    return False


def _names(name: str | Iterable[str] | None) -> Any:
    if name is None or isinstance(name, str):
        return None if name is None else (name,)
    return frozenset(name)


def _has_attrs(node: Element, wanted: dict[str, Any]) -> bool:
    for key, value in wanted.items():
        have = node.attrs.get(key)
        if value is True:
            if have is None:
                return False
        elif value is False or value is None:
            if have is not None:
                return False
        elif have != value and not (isinstance(have, list) and (value in have or " ".join(have) == value)):
            return False
    return True


def _strings(node: Element, types: frozenset[type[Text]], out: list[str]) -> None:
    for child in node.contents:
        if child.name is not None:
            _strings(child, types, out)
        elif child.__class__ in types:
            out.append(child)


def _find_parent(node: Node, name: str | Iterable[str] | None) -> Element | None:
    names = _names(name)
    parent = node.parent
    while parent is not None:
        if names is None or parent.name in names:
            return parent
        parent = parent.parent
    return None


def _previous_siblings(node: Node, name: str | Iterable[str] | None) -> list[Element]:
    names = _names(name)
    found = []
    sib = node.previous_sibling
    while sib is not None:
        if sib.name is not None and (names is None or sib.name in names):
            found.append(sib)
        sib = sib.previous_sibling
    return found


def _extract(node: Node) -> None:
    parent = node.parent
    if parent is not None:
        contents = parent.contents
        for i, child in enumerate(contents):
            if child is node:
                del contents[i]
                break
    prev, nxt = node.previous_sibling, node.next_sibling
    if prev is not None:
        prev.next_sibling = nxt
    if nxt is not None:
        nxt.previous_sibling = prev
    node.parent = node.previous_sibling = node.next_sibling = None


class _Unusual(Exception):
    """The document holds something only BeautifulSoup's own builder handles."""


def parse_html(html: str) -> Element:
    """The tree of ``BeautifulSoup(html, "lxml")`` as light nodes (see the module's doc): the document.

    With :data:`migrate.fastpath.CHECK` on, the tree is compared with BeautifulSoup's (by :func:`shape`)."""
    tree = _parse_html(html)
    if fastpath.CHECK:
        fastpath.check("soup.parse_html", html, shape(tree), lambda: shape(reference_tree(html)))
    return tree


def reference_tree(html: str) -> Element:
    """The reference: BeautifulSoup's own tree, copied to light nodes."""
    return from_bs4(bs4.BeautifulSoup(html, _FEATURES))


def shape(node: Any) -> Any:
    """A tree as nested tuples: each string's class and text, each element's name, attributes and children,
    in order (what two trees must share to be the same tree)."""
    if node.name is None:
        return (type(node).__name__, str(node))
    return (node.name, sorted(node.attrs.items()), [shape(child) for child in node.contents])


def _parse_html(html: str) -> Element:
    if len(html) > _MAX_CHARS or _UNUSUAL.search(html):
        return from_bs4(bs4.BeautifulSoup(html, _FEATURES))
    markup = html[1:] if html[:1] == "\N{BYTE ORDER MARK}" else html
    try:
        # A parser as BeautifulSoup makes it, one for each thread: after close() it starts a new document.
        parser = getattr(_parsers, "parser", None)
        if parser is None:
            parser = etree.HTMLParser(recover=True)
        _parsers.parser = None  # (not to be used again should this document raise)
        parser.feed(markup)
        root = parser.close()
        _parsers.parser = parser
        if root is None or root.tag != "html" or root.getprevious() is not None or root.getnext() is not None:
            raise _Unusual
        document = Element("[document]")
        top = _element(root, "html", document, False, Text, 1)
        top.previous_sibling = top.next_sibling = None
        document.contents.append(top)
        return document
    except Exception:  # noqa: BLE001 — _Unusual, a parser error…: BeautifulSoup's own way, whatever it gives
        return from_bs4(bs4.BeautifulSoup(html, _FEATURES))


_COMMENT = etree.Comment
_parsers = threading.local()
_ASCII_SPACE_STARTS = frozenset(_ASCII_SPACES)


def _element(el: Any, name: Any, parent: Element, kept: bool, container: type[Text], depth: int) -> Element:
    """The light element for lxml's element ``el`` (whose tag is ``name``: lxml makes a new string each
    time it is asked) and everything inside it (recursion: at most 200 deep).

    Hot: one call per element of every post, so the strings are made inline. A string of ASCII whitespace
    only (which must start with one: a cheap test first) becomes one character, as BeautifulSoup's does.
    (lxml gives no empty text: None instead. Were one to come, value[0] would raise, and BeautifulSoup
    would build the tree.)"""
    if name.__class__ is not str or name[:1] == "{" or name == "meta" or depth > _MAX_DEPTH:
        raise _Unusual  # a PI, an entity, a namespace, a <meta>, too deep
    node = Element.__new__(Element)
    node.name = name
    node.parent = parent
    items = el.items()  # (a list: faster than el.attrib)
    if items:
        attrs = dict(items)
        lists = _list_attributes_by_name.get(name) or _list_attributes(name)
        for key, value in items:
            if key[0] == "{" or (value == key and key in _BOOLEAN_ATTRIBUTES):
                raise _Unusual
            if key in lists:
                attrs[key] = _NON_WHITESPACE.findall(value)
        node.attrs = attrs
    else:
        node.attrs = {}
    contents: list[Any] = []
    node.contents = contents
    append = contents.append
    if name in _PRESERVE:
        kept = True
    container = _CONTAINERS.get(name, container)
    prev: Any = None
    value = el.text
    if value is not None:
        if not kept and value[0] in _ASCII_SPACE_STARTS and not value.strip(_ASCII_SPACES):
            value = "\n" if "\n" in value else " "
        prev = container(value)
        prev.parent = node
        append(prev)
    for child in el:
        tag = child.tag
        if tag is _COMMENT:
            value = child.text or ""
            if not kept and (not value or value[0] in _ASCII_SPACE_STARTS and not value.strip(_ASCII_SPACES)):
                value = "\n" if "\n" in value else " "
            item: Any = Comment(value)
            item.parent = node
        else:
            item = _element(child, tag, node, kept, container, depth + 1)
        item.previous_sibling = prev
        if prev is not None:
            prev.next_sibling = item
        append(item)
        prev = item
        value = child.tail
        if value is not None:
            if not kept and value[0] in _ASCII_SPACE_STARTS and not value.strip(_ASCII_SPACES):
                value = "\n" if "\n" in value else " "
            item = container(value)
            item.parent = node
            item.previous_sibling = prev
            prev.next_sibling = item
            append(item)
            prev = item
    if prev.__class__ is Element:
        prev.next_sibling = None
    return node


def release(node: Element) -> None:
    """Empty a tree no one will read again, so that reference counting frees it at once.

    Parents and children, and siblings, refer to each other: left alone, a tree waits for Python's
    cyclic garbage collector, which then has to walk it (a tenth of what building it costs). Cutting the
    links down and to the right leaves no cycle."""
    for child in node.contents:  # (recursion: children are freed before their parent, which is faster)
        child.next_sibling = None
        if child.__class__ is Element:
            release(child)
    node.contents = []


def from_bs4(soup: Any) -> Element:
    """The light tree of a BeautifulSoup tree (or of one of its tags): the same nodes, names, attributes and
    strings (each of the matching class)."""
    return _copy(soup, None)


def _copy(tag: Any, parent: Element | None) -> Element:
    node = Element(tag.name, {k: list(v) if isinstance(v, list) else v for k, v in tag.attrs.items()}, parent)
    contents = node.contents
    for child in tag.contents:
        if isinstance(child, bs4.Tag):
            contents.append(_copy(child, node))
        else:
            text = _FROM_BS4.get(type(child), Text)(child)
            text.parent = node
            contents.append(text)
    prev = None
    for child in contents:
        child.previous_sibling = prev
        child.next_sibling = None
        if prev is not None:
            prev.next_sibling = child
        prev = child
    return node


_template: bs4.BeautifulSoup | None = None


def _to_bs4(node: Element) -> Any:
    """A BeautifulSoup tag with this element's name, attributes and contents (what writes its HTML)."""
    global _template
    if _template is None:
        _template = bs4.BeautifulSoup("", _FEATURES)
    builder = _template.builder
    attrs = {k: builder.attribute_value_list_class(v) if isinstance(v, list) else v for k, v in node.attrs.items()}
    tag = bs4.Tag(_template, builder, node.name, attrs=attrs)
    for child in node.contents:
        if child.name is not None:
            tag.append(_to_bs4(child))
        else:
            tag.append(_TO_BS4.get(type(child), bs4.NavigableString)(child))
    return tag
