"""YAML as wp-migrate reads it from any file a user or a stranger may have written: aliases bounded.

PyYAML's safe loader shares an anchored value between its aliases (``*name``), so a "billion laughs" of a few
hundred bytes loads quickly, as a small graph; it is whatever walks the result later (hashing it, sending it,
writing it out) that expands it into gigabytes, or never ends on an alias to itself. :class:`BoundedLoader`
refuses a document whose aliases would add more than :data:`MAX_ALIAS_NODES` values once expanded, or that refers
to itself, before anything is constructed. Every YAML file wp-migrate reads goes through it (:func:`load_yaml`):
front matter (publish, verify, a sync's old URLs), rule files, the credentials file, a Jekyll ``_config.yml``.
Files wp-migrate writes hold no aliases (:func:`.transform.frontmatter.dump_document` never writes one).
"""

from __future__ import annotations

from typing import Any

import yaml

#: Values the aliases of one document may add, expanded (a rule file's shared defaults stay far below).
MAX_ALIAS_NODES = 10_000
#: The problem of the error :class:`BoundedLoader` raises (a :class:`yaml.YAMLError`, with its line).
ALIASES_REFUSED = (f"YAML aliases (*name) that expand to more than {MAX_ALIAS_NODES:,} values or into themselves"
                   " (refused: they can exhaust the memory)")


class BoundedLoader(yaml.SafeLoader):
    """YAML's safe loader, refusing a document whose aliases expand without bound (see the module)."""

    _aliased = False

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self._aliased = True
        return super().compose_node(parent, index)

    def compose_document(self) -> Any:
        self._aliased = False
        node = super().compose_document()
        if self._aliased and node is not None:
            unbounded = _unbounded(node)
            if unbounded is not None:
                raise yaml.composer.ComposerError(None, None, ALIASES_REFUSED, unbounded.start_mark)
        return node


def _unbounded(root: yaml.Node) -> yaml.Node | None:
    """The first node (in a walk from the end) whose aliases make the document expand to more than
    :data:`MAX_ALIAS_NODES` values over its own, or that is part of itself; None when there is none. Each node's
    expanded size is counted once (an alias is the node it names), so a bomb costs no more than its own size to
    measure."""
    sizes: dict[int, int] = {}  # id of a node → its expanded size, once known
    open_nodes: set[int] = set()  # nodes being measured (one met again is a cycle)
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        children = _children(node)
        if done:
            open_nodes.discard(key)
            size = 1 + sum(sizes[id(child)] for child in children)
            sizes[key] = size
            if size - len(sizes) > MAX_ALIAS_NODES:  # (more than the whole document can add)
                return node
            continue
        if key in sizes:
            continue
        if key in open_nodes:
            return node  # an alias to a value it is part of
        open_nodes.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in children if id(child) not in sizes)
    return None


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def load_yaml(text: str, loader: type[BoundedLoader] = BoundedLoader) -> Any:
    """``text``'s YAML document with :class:`BoundedLoader` (or a subclass of it); raises :class:`yaml.YAMLError`,
    with :data:`ALIASES_REFUSED` as its ``problem`` for a document whose aliases expand without bound."""
    return yaml.load(text, Loader=loader)  # noqa: S506 (a SafeLoader)


def yaml_problem(error: yaml.YAMLError, first_line: int = 1) -> str:
    """What is wrong, in one line, with where (``first_line``: the line of the text's first line in its file)."""
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    where = f"line {mark.line + first_line}: " if mark is not None else ""
    problem = getattr(error, "problem", None) or "not valid YAML"
    return where + (problem if problem == ALIASES_REFUSED else f"not valid YAML ({problem})")
