"""Which boilerplate HTML rules may match a document, found by searching its bytes for their selectors' words.

The fast path of :func:`.boilerplate.remove_html`: parsing the HTML and running every rule's XPath costs some
0.2 ms a post; most posts hold no word of any selector (``sharedaddy``, ``jp-relatedposts``…), and a selector
cannot match a document that holds none of its names. So the rules' words are searched for first, in groups
under a shared key (one search rules out a group), and only the rules one of whose words is found are run.

Contract: :func:`may_match` never leaves out a rule that matches an element of the HTML: running the rules it
returns gives what running every rule gives (:func:`.boilerplate._remove` with all the rules, the reference).
With ``WP_MIGRATE_CHECK_FAST=1`` (:mod:`migrate.fastpath`) :func:`.boilerplate.remove_html` compares the two on
every post; tests/test_render_fast_paths.py checks the search against each selector on random names and cases.
"""

from __future__ import annotations

import functools
import re

from ..rules import HtmlRule

_WORD = re.compile(r"[A-Za-z_][\w-]*")

_WordGroups = tuple[tuple[bytes, tuple[bytes, ...]], ...]
Plan = tuple[_WordGroups, tuple[tuple[HtmlRule, frozenset[bytes]], ...]]


def may_match(html: str, plan: Plan) -> list[HtmlRule]:
    """The rules of ``plan`` (:func:`html_plan`) one of whose words is in ``html``, in order."""
    lowered = _lowered(html)
    groups, rules = plan
    found = {word for key, words in groups if key in lowered for word in words if word in lowered}
    if not found:
        return []
    return [rule for rule, need in rules if not need.isdisjoint(found)]


def _lowered(text: str) -> bytes:
    """``text`` in UTF-8 with its ASCII letters lowered, and nothing else changed: what :func:`may_match`
    searches for selectors' words, in the HTML and in the words alike.

    A selector matches names as the HTML parser gives them (element and attribute names with their ASCII
    letters lowered) and values exactly, so a word of a selector that matches is in the HTML as written, but
    for the case of ASCII letters (or hidden in a character reference, which no search here sees). Lowering
    only those letters, on bytes, finds it, at a fraction of the cost of ``str.lower`` on non-ASCII text."""
    return text.encode("utf-8", "surrogatepass").lower()


@functools.lru_cache(maxsize=32)
def html_plan(rules: tuple[HtmlRule, ...]) -> Plan:
    """What the word search needs for each rule, searched once: every distinct word (grouped by
    :func:`_word_groups`), and each rule with its words less those that contain another of its words
    (found only where that one is found too); the words as :func:`_lowered` makes them (which keeps one
    word inside another as it was: UTF-8 is cut only between characters)."""
    plan = []
    for rule in rules:
        words = set(_selector_words(rule.selector))
        plan.append((rule, frozenset(w for w in words if not any(o != w and o in w for o in words))))
    groups = _word_groups(tuple(dict.fromkeys(w for _, words in plan for w in words)))
    return (tuple((_lowered(key), tuple(map(_lowered, words))) for key, words in groups),
            tuple((rule, frozenset(map(_lowered, words))) for rule, words in plan))


def _word_groups(words: tuple[str, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The words (each in one group) under a key that is part of every word of its group, so a text without
    the key holds none of them: one search rules out a group. Keys are runs of whole "-"/"_"-ended parts of
    a word ("sd-", "likes-widget-"; rare in prose), each covering as many words left as can be (the
    longest of those); the words left when no key covers two are their own keys."""
    left = list(words)
    groups: list[tuple[str, tuple[str, ...]]] = []
    while left:
        parts = {p for w in left for p in _separated_parts(w)}
        best = max(((sum(p in w for w in left), len(p), p) for p in parts), default=None)
        if best is None or best[0] < 2:
            groups.extend((w, (w,)) for w in left)
            break
        key = best[2]
        groups.append((key, tuple(w for w in left if key in w)))
        left = [w for w in left if key not in w]
    return tuple(groups)


def _separated_parts(word: str) -> set[str]:
    """Every run of consecutive parts of ``word`` that ends with its part's "-" or "_"."""
    ends = [i + 1 for i, char in enumerate(word) if char in "-_"]
    starts = [0, *ends]
    return {word[i:j] for i in starts for j in ends if j > i}


@functools.lru_cache(maxsize=256)
def _selector_words(selector: str) -> tuple[str, ...]:
    """The names in a selector, with their ASCII letters lowered (see :func:`_lowered`)."""
    return tuple(_lowered(word).decode("utf-8", "surrogatepass") for word in _WORD.findall(selector))
