"""Boilerplate removal: comment forms, sharing, likes, related posts and footers that reached post content.

Two stages, both driven by the rule files (:mod:`migrate.rules`):

* :func:`clean_html` (after ``render``) removes the elements that HTML rules' CSS selectors match;
* :func:`clean_text` (after ``to_markdown``) removes whole Markdown lines that text rules match, because
  pasted boilerplate has no markup left. A line is removed only when the *whole* line matches; a rule
  marked ``standalone: false`` removes its lines only inside a run of boilerplate lines (blank lines
  between them allowed) that holds at least one line removed on its own. Words are never taken out of
  a line, and code blocks are never touched.

Every removal is counted per rule (``ctx.count("boilerplate removed", rule)``). A post whose whole body
would go keeps it, and is counted under ``"boilerplate kept"``.

Fast path: :func:`remove_html` runs only the rules one of whose selector's words is in the HTML (ASCII case
aside; :mod:`.selectorwords`, its contract at its top), and parses nothing when none is. Contract: the result is
the one every rule run gives (:func:`_remove` with all the rules, the reference); with ``WP_MIGRATE_CHECK_FAST=1``
(:mod:`migrate.fastpath`) it is compared.
"""

from __future__ import annotations

import functools
import html as htmllib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from typing import Any

from lxml import etree
from lxml import html as lxml_html

from .. import fastpath
from ..context import Context, cleans, rules_of
from ..model import Post
from ..rules import MAX_LINE, HtmlRule, TextRule, line_key, plain_line
from .selectorwords import html_plan, may_match

REMOVED = "boilerplate removed"
KEPT = "boilerplate kept"
WHOLE_BODY = "whole body matched (kept)"

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_MEDIA = ("img", "video", "audio", "iframe", "embed", "object", "picture", "svg")


_LAST: dict[Callable[..., Any], tuple[Any, Any]] = {}


def _last(build: Callable[[Any], Any], rules: Sequence[Any]) -> Any:
    """``build(tuple(rules))`` (an lru_cache'd function), kept for the last rules tuple seen: every post of a
    run passes the same tuple, and hashing its rules again for the cache costs more than the lookup."""
    if type(rules) is not tuple:  # a list could change between calls
        return build(tuple(rules))
    last = _LAST.get(build)
    if last is not None and last[0] is rules:
        return last[1]
    built = build(rules)
    _LAST[build] = (rules, built)
    return built


def _count(ctx: Context | None, name: str, counts: Counter[str]) -> None:
    if ctx is not None:
        for key, n in counts.items():
            ctx.count(name, key, n)


# --------------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------------


def _has_content(root: Any) -> bool:
    text = "".join(root.itertext()) if hasattr(root, "itertext") else ""
    if text.strip():
        return True
    return any(True for el in root.iter(*_MEDIA))


def _attached(el: Any, root: Any) -> bool:
    return any(anc is root for anc in el.iterancestors())


def remove_html(html: str, rules: Sequence[HtmlRule]) -> tuple[str, Counter[str], bool]:
    """``html`` without the elements the rules match: (new html, removals per rule, whole body matched).

    When the removals would leave nothing to read, the HTML is returned unchanged, with no removals and
    ``True``. HTML in which no rule can match is returned as it is, without being parsed.

    The fast path: only the rules one of whose selector's words is in the HTML (:mod:`.selectorwords`) are
    run, and none when none is (then the HTML is not parsed). With :data:`migrate.fastpath.CHECK` on, the result
    is compared with the reference, every rule run (:func:`_remove`)."""
    if not rules or not html:
        return html, Counter(), False
    candidates = may_match(html, _last(html_plan, rules))
    if not candidates or not html.strip():
        result: tuple[str, Counter[str], bool] = (html, Counter(), False)
    else:
        result = _remove(html, candidates)
    if fastpath.CHECK:
        fastpath.check("boilerplate.remove_html", html, result, lambda: _remove(html, rules))
    return result


def _remove(html: str, rules: Sequence[HtmlRule]) -> tuple[str, Counter[str], bool]:
    """:func:`remove_html` with these rules, each run on the parsed HTML."""
    counts: Counter[str] = Counter()
    if not html.strip():
        return html, counts, False
    try:
        root = lxml_html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return html, counts, False
    had_content = _has_content(root)
    for rule in rules:
        for el in etree.XPath(rule.xpath)(root):
            if not isinstance(el.tag, str) or el is root or not _attached(el, root):
                continue
            el.drop_tree()
            counts[rule.name] += 1
    if not counts:
        return html, counts, False
    if had_content and not _has_content(root):
        return html, Counter(), True
    out = htmllib.escape(root.text or "", quote=False)
    out += "".join(lxml_html.tostring(child, encoding="unicode") for child in root)
    return out, counts, False


@cleans
def clean_html(post: Post, ctx: Context | None = None) -> Post:
    """Stage (after ``render``): remove the elements the HTML rules match from ``post.html``."""
    return _clean(post, ctx, "html", remove_html, rules_of(ctx).html)


def _clean(post: Post, ctx: Context | None, attr: str, remove: Callable[..., tuple[str, Counter[str], bool]],
           rules: Any) -> Post:
    """Apply ``remove`` with ``rules`` to ``post.<attr>``; count removals, and a body kept whole."""
    value = getattr(post, attr)
    if not value:
        return post
    cleaned, counts, whole = remove(value, rules)
    if whole:
        _count(ctx, KEPT, Counter({WHOLE_BODY: 1}))
    if not counts:
        return post
    _count(ctx, REMOVED, counts)
    return replace(post, **{attr: cleaned})  # type: ignore[arg-type]  # attr: a str field (html or text)


# --------------------------------------------------------------------------------------------------
# Markdown lines
# --------------------------------------------------------------------------------------------------


def prose_lines(lines: Sequence[str], text: str | None = None) -> Iterable[int]:
    """Indexes of the lines outside fenced code blocks (fence lines themselves excluded). ``text``: the lines
    joined by newlines, when the caller has it (one search for a fence there, not one in each line)."""
    if text is not None:
        # One character is found many times faster than three (and prose seldom has a "`" or "~" at all).
        can_fence = ("`" in text and "```" in text) or ("~" in text and "~~~" in text)
    else:
        can_fence = any("```" in line or "~~~" in line for line in lines)
    if not can_fence:  # no fence can open: every line
        return range(len(lines))
    return _prose_lines(lines)


def _prose_lines(lines: Sequence[str]) -> Iterator[int]:
    fence = ""
    for i, line in enumerate(lines):
        m = _FENCE.match(line)
        if fence:
            closing = line.strip()
            if closing and set(closing) == {fence[0]} and len(closing) >= len(fence):
                fence = ""
            continue
        if m:
            fence = m.group(1)
            continue
        yield i


def drop_lines(lines: Sequence[str], remove: set[int], replace_with: dict[int, str] | None = None) -> str:
    """The Markdown without the lines in ``remove`` (and with ``replace_with`` applied), tidied.

    A line left as the last of its paragraph loses its hard-break backslash; runs of blank lines
    collapse to one; the text ends with one newline (or is empty).
    """
    replace_with = replace_with or {}
    kept: list[str] = []
    for i, line in enumerate(lines):
        if i in remove:
            if kept and kept[-1].endswith("\\"):
                nxt = next((j for j in range(i + 1, len(lines)) if j not in remove), None)
                if nxt is None or not lines[nxt].strip():
                    kept[-1] = kept[-1][:-1].rstrip()
            continue
        kept.append(replace_with.get(i, line))
    text = "\n".join(kept)
    text = re.sub(r"\n{3,}", "\n\n", text).strip("\n")
    return text + "\n" if text.strip() else ""


_Matcher = tuple[dict[str, TextRule], int, tuple[tuple[re.Pattern[str], TextRule], ...], "re.Pattern[str] | None"]


@functools.lru_cache(maxsize=32)
def _text_matcher(rules: tuple[TextRule, ...]) -> _Matcher:
    """All rules' literal lines in one lookup (a standalone rule wins a tie) and the length of the longest,
    all their patterns, and one pattern that fully matches a line when any of them does (None when they
    cannot be joined)."""
    literal: dict[str, TextRule] = {}
    for rule in rules:
        for key in rule.lines:
            if key not in literal or (rule.standalone and not literal[key].standalone):
                literal[key] = rule
    patterns = tuple((p, rule) for rule in rules for p in rule.patterns)
    return literal, max(map(len, literal), default=-1), patterns, _any_of(tuple(p for p, _ in patterns))


#: Lines (stripped) already looked up, per matcher: the rule that removes each, or None. Boilerplate is
#: by nature the same lines in post after post; the bound keeps a long run's memory flat.
_KNOWN: dict[int, tuple[_Matcher, dict[str, TextRule | None]]] = {}
_KNOWN_LINES = 20_000
_UNKNOWN = TextRule("")  # not looked up yet


def _known_lines(matcher: _Matcher) -> dict[str, TextRule | None]:
    """The lookup memo of ``matcher`` (kept while the matcher is: _text_matcher caches it)."""
    entry = _KNOWN.get(id(matcher))
    if entry is None or entry[0] is not matcher:
        if len(_KNOWN) >= 32:
            _KNOWN.clear()
        entry = _KNOWN[id(matcher)] = (matcher, {})
    return entry[1]


def _any_of(patterns: tuple[re.Pattern[str], ...]) -> re.Pattern[str] | None:
    """``(?:p1)|(?:p2)|…``: it fully matches a text exactly when one of the patterns does, which lets a
    line that none matches be passed in one step. Only for patterns with the same flags (not verbose)
    and no groups, whose meaning joining them cannot change."""
    if len(patterns) < 2 or len({p.flags for p in patterns}) != 1 or patterns[0].flags & re.VERBOSE:
        return None
    if any(p.groups or p.groupindex for p in patterns):
        return None
    try:
        return re.compile("|".join(f"(?:{p.pattern})" for p in patterns), patterns[0].flags)
    except re.error:
        return None


def _rule_for(text: str, matcher: _Matcher) -> TextRule | None:
    """The rule that removes this line (its plain text: single spaces its only whitespace): a standalone
    one if any matches, else the first that does."""
    literal, longest, patterns, any_pattern = matcher
    # A line's key has at least as many characters as the line has other than spaces (case folding never
    # shortens a character, nor makes one whitespace): longer lines need no key.
    weak = literal.get(line_key(text)) if len(text) - text.count(" ") <= longest else None
    if weak is not None and weak.standalone:
        return weak
    if any_pattern is not None and any_pattern.fullmatch(text) is None:
        return weak
    for pattern, rule in patterns:
        if (weak is None or rule.standalone) and pattern.fullmatch(text):
            if rule.standalone:
                return rule
            weak = rule
    return weak


def remove_text(markdown: str, rules: Sequence[TextRule]) -> tuple[str, Counter[str], bool]:
    """``markdown`` without the lines the rules remove: (new text, removals per rule, whole body matched)."""
    counts: Counter[str] = Counter()
    if not rules or not markdown or not markdown.strip():
        return markdown, counts, False
    lines = markdown.split("\n")
    matched: dict[int, TextRule] = {}
    matcher = _last(_text_matcher, rules)
    known = _known_lines(matcher)
    for i in prose_lines(lines, markdown):
        stripped = lines[i].strip()
        if not stripped or len(stripped) > MAX_LINE:
            continue
        rule = known.get(stripped, _UNKNOWN)
        if rule is _UNKNOWN:
            rule = _rule_for(plain_line(stripped), matcher)
            if len(known) >= _KNOWN_LINES:
                known.clear()
            known[stripped] = rule
        if rule is not None:
            matched[i] = rule
    if not matched:
        return markdown, counts, False
    remove: set[int] = set()
    run: list[int] = []

    def close() -> None:
        if any(matched[i].standalone for i in run):
            remove.update(run)
        run.clear()

    for i, line in enumerate(lines):
        if i in matched:
            run.append(i)
        elif line.strip():
            close()
    close()
    if not remove:
        return markdown, counts, False
    text = drop_lines(lines, remove)
    if not text.strip():
        return markdown, Counter(), True
    counts.update(matched[i].name for i in remove)
    return text, counts, False


@cleans
def clean_text(post: Post, ctx: Context | None = None) -> Post:
    """Stage (after ``to_markdown``): remove the lines the text rules match from ``post.body``."""
    return _clean(post, ctx, "body", remove_text, rules_of(ctx).text)


def preview(post: Post, ctx: Context, stages: Iterable[Callable[[Post, Context], Post]]) -> tuple[Counter[str], bool]:
    """What the boilerplate rules would remove from ``post``: (removals per rule, whole body kept).

    Runs ``stages`` (the pipeline's) up to :func:`clean_text` on a scratch context; nothing is written.
    A post the stages leave out or fail on removes nothing.
    """
    try:
        for stage in stages:
            post = stage(post, ctx)
            if stage is clean_text:
                break
    except Exception:  # noqa: BLE001, S110 — the conversion reports a skipped or failing post
        pass
    counts = ctx.take_counts()
    return counts.get(REMOVED, Counter()), bool(counts.get(KEPT))
