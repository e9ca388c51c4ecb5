"""``BeautifulSoup(html, "lxml")``, built faster: the same tree, made from lxml's own tree.

BeautifulSoup's lxml builder gets the document from libxml2 one event at a time (a start tag, a
piece of text, an end tag) and spends most of its time in Python handling those events. Here
libxml2 builds its tree in C with the same parser, fed the same way, and the bs4 objects are made
from that tree in one walk, in document order, with the fields BeautifulSoup's builder gives them:

* tags get their attributes as the builder leaves them (``class`` and the other multi-valued
  attributes split into lists), and the per-name fields of a tag the builder makes;
* text between tags is one string; text of ASCII whitespace only becomes ``"\\n"`` (when it holds a
  newline) or ``" "``, except inside ``<pre>`` and ``<textarea>``; comments likewise;
* text inside ``<script>``, ``<style>``, ``<template>``, ``<rt>`` and ``<rp>`` gets the builder's
  string class for the innermost of them;
* every node links to its parent, its siblings and the nodes parsed just before and after it.

Where libxml2's tree could differ from what its events give BeautifulSoup, the document goes through
BeautifulSoup itself, so the result is always what ``BeautifulSoup(html, "lxml")`` gives: processing
instructions, doctypes, CDATA, ``<meta>`` tags, comments outside ``<html>``, any parser error, elements
nested more than 200 deep and documents of more than 2,000,000 characters (libxml2's tree has limits
its events do not: depth 256, 10 MB of text), and a boolean attribute (``disabled``…) whose value is
its name (in libxml2's tree, also what a bare ``disabled`` gets). ``tests/test_markdown.py`` and the
whole suite convert through it.
"""

from __future__ import annotations

import re
from typing import Any

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from lxml import etree

_FEATURES = "lxml"
# What makes a document one for BeautifulSoup itself: a processing instruction, a doctype, CDATA.
_UNUSUAL = re.compile(r"<[?!](?!--)|<meta\b", re.IGNORECASE)
_ASCII_SPACES = "\x20\x0a\x09\x0c\x0d"  # BeautifulSoup.ASCII_SPACES
_MAX_DEPTH = 200
_MAX_CHARS = 2_000_000
# The attributes libxml2's tree gives their own name as value when they have none (htmlIsBooleanAttr).
_BOOLEAN_ATTRIBUTES = frozenset(["checked", "compact", "declare", "defer", "disabled", "ismap", "multiple", "nohref",
                                 "noresize", "noshade", "nowrap", "readonly", "selected"])
_LINKS = ("parent", "next_element", "previous_element", "next_sibling", "previous_sibling")


class _Template:
    """What BeautifulSoup's lxml builder gives every tag of a name, and every document, learnt once."""

    def __init__(self) -> None:
        soup = BeautifulSoup("<p>x</p>", _FEATURES)
        self.builder = soup.builder
        self.soup_fields = {k: v for k, v in soup.__dict__.items() if k not in _LINKS and k != "contents"}
        self.namespaces = soup.find("p")._namespaces  # type: ignore[union-attr]
        self.preserve = frozenset(self.builder.preserve_whitespace_tags or ())
        self.containers = dict(self.builder.string_containers or {})
        self.attr_dict = self.builder.attribute_dict_class
        self.tags: dict[str, dict[str, Any]] = {}
        self._probe = soup

    def tag_fields(self, name: str) -> dict[str, Any]:
        fields = self.tags.get(name)
        if fields is None:
            tag = Tag(self._probe, self.builder, name, None, None, self.attr_dict(), namespaces=self.namespaces)
            fields = {k: v for k, v in tag.__dict__.items() if k not in _LINKS and k not in ("contents", "attrs")}
            self.tags[name] = fields
        return fields


_template: _Template | None = None


class _Unusual(Exception):
    """The document holds something only BeautifulSoup's own builder handles."""


def make_soup(html: str) -> BeautifulSoup:
    """``BeautifulSoup(html, "lxml")``: the same tree, faster (see the module's doc)."""
    global _template
    if len(html) > _MAX_CHARS or _UNUSUAL.search(html):
        return BeautifulSoup(html, _FEATURES)
    if _template is None:
        _template = _Template()
    markup = html[1:] if html[:1] == "\N{BYTE ORDER MARK}" else html
    try:
        parser = etree.HTMLParser(recover=True)  # as BeautifulSoup makes it (one a document: thread-safe)
        parser.feed(markup)
        root = parser.close()
        if root is None or root.tag != "html" or root.getprevious() is not None or root.getnext() is not None:
            raise _Unusual
        return _build(root, _template)
    except Exception:  # noqa: BLE001 — _Unusual, a parser error…: BeautifulSoup's own way, whatever it gives
        return BeautifulSoup(html, _FEATURES)


def _build(root: Any, t: _Template) -> BeautifulSoup:
    soup = BeautifulSoup.__new__(BeautifulSoup)
    fields = soup.__dict__
    fields.update(t.soup_fields)
    fields.update(parent=None, next_element=None, previous_element=None, next_sibling=None,
                  previous_sibling=None, contents=[], attrs=t.attr_dict(), _namespaces={},
                  current_data=[], tagStack=[soup], currentTag=soup, preserve_whitespace_tag_stack=[],
                  string_container_stack=[], _most_recent_element=None, markup=None)
    preserve, containers, attr_dict = t.preserve, t.containers, t.attr_dict
    replace_lists, tag_fields = t.builder._replace_cdata_list_attribute_values, t.tag_fields
    comment_tag, new_str, new_tag = etree.Comment, str.__new__, Tag.__new__
    last: Any = None  # the node made most recently (document order)

    # An explicit stack, not recursion: (lxml node or a tail's text, bs4 parent, inside <pre>/<textarea>,
    # string class). A child's tail is pushed under it, so it follows the child's whole subtree. An
    # element's own text is pushed as a tail too, above its children.
    stack: list[tuple[Any, Any, bool, Any, int]] = [(root, soup, False, None, 1)]
    pop, push = stack.pop, stack.append
    while stack:
        el, parent, kept, container, depth = pop()
        if type(el) is str or el is None:  # text (None: a comment's empty text)
            value = el or ""
            if not kept and not value.strip(_ASCII_SPACES):  # ASCII whitespace only: one character
                value = "\n" if "\n" in value else " "
            node = new_str(container or NavigableString, value)
            node.__dict__["hidden"] = False
        else:
            tag = el.tag
            if tag is comment_tag:
                push((el.text, parent, kept, Comment, depth))
                continue
            if not isinstance(tag, str) or tag[:1] == "{" or tag == "meta" or depth > _MAX_DEPTH:
                raise _Unusual  # a PI, an entity, a namespace, a <meta>, too deep
            node = new_tag(Tag)
            node.__dict__.update(tag_fields(tag))
            attrs = attr_dict()
            for k, v in el.attrib.items():
                if k[:1] == "{" or (v == k and k in _BOOLEAN_ATTRIBUTES):
                    raise _Unusual
                attrs[k] = v
            node.__dict__["attrs"] = replace_lists(tag, attrs)
            node.__dict__["contents"] = []
            inner_kept = kept or tag in preserve
            inner_container = containers.get(tag, container)
            for child in reversed(el):
                if child.tail is not None:
                    push((child.tail, node, inner_kept, inner_container, depth))
                push((child, node, inner_kept, inner_container, depth + 1))
            if el.text is not None:
                push((el.text, node, inner_kept, inner_container, depth))
        siblings = parent.contents
        prev = siblings[-1] if siblings else None
        node.__dict__.update(parent=parent, previous_element=last, next_element=None, next_sibling=None,
                             previous_sibling=prev)
        if prev is not None:
            prev.next_sibling = node
        if last is not None:
            last.next_element = node
        siblings.append(node)
        last = node
    return soup
