"""Structured front matter from labelled lines and titles, as the rule files describe them.

A field rule names a front-matter key, the labels that introduce it and a type. Any line of the Markdown
body of the form ``LABEL: value`` — also ``**LABEL:** value``, ``**LABEL**: value``, ``*LABEL:* value``,
in any case, after an image — becomes ``key: value`` and leaves the body (unless the rule says
``keep``). A label written in capitals in the rule is also found, in exactly those capitals, glued to
text before it on the same line (the alt text of an image lost when a page was copied); that text stays.

A title rule is a regular expression matched against the whole title; its named groups become fields and
the group ``title``, when present, the new title.

Values are converted by type (:func:`convert`): ``text``, ``list`` (split on commas, outside brackets, and
on a final "and"), ``integer``, ``number``, ``money`` (kept as written; with ``amount: true`` also the
amount and the ISO currency), ``date``. A value that does not fit its type stays in the body and is
counted under ``"fields not understood"``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from typing import Any

from ..context import Context, rules_of
from ..model import Post
from ..rules import MAX_LINE, FieldRule, FieldType, RuleSet
from .boilerplate import drop_lines, prose_lines

EXTRACTED = "fields extracted"
NOT_UNDERSTOOD = "fields not understood"
TITLES = "title rules applied"


class _NoValue:
    """A value that means "none" (``none:`` in the rule)."""


NO_VALUE = _NoValue()


# --------------------------------------------------------------------------------------------------
# Values
# --------------------------------------------------------------------------------------------------

_PAIRED = re.compile(r"(\*\*|__|\*|_|~~)(?=\S)(.+?)(?<=\S)\1")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~<&%$])")


def plain_value(markdown: str) -> str:
    """A Markdown fragment as plain text: emphasis marks and link syntax gone, escapes undone."""
    s = markdown.strip()
    if s.endswith("\\"):
        s = s[:-1].rstrip()
    s = _LINK.sub(r"\1", s)
    for _ in range(2):
        s = _PAIRED.sub(r"\2", s)
    s = _ESCAPE.sub(r"\1", s)
    return " ".join(s.split())


_OPEN = "([{"
_CLOSE = ")]}"
_FINAL_AND = re.compile(r"\s+(?:and|&)\s+")
_LEADING_AND = re.compile(r"^(?:and|&)\s+", re.IGNORECASE)


def _split_outside_brackets(text: str, sep: str) -> list[str]:
    parts, depth, start, i = [], 0, 0, 0
    while i < len(text):
        ch = text[i]
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and text.startswith(sep, i):
            parts.append(text[start:i])
            i += len(sep)
            start = i
            continue
        i += 1
    parts.append(text[start:])
    return parts


def _last_top_level_and(text: str) -> re.Match[str] | None:
    depth_at = []
    depth = 0
    for ch in text:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        depth_at.append(depth)
    last = None
    for m in _FINAL_AND.finditer(text):
        if depth_at[m.start()] == 0:
            last = m
    return last


def split_list(text: str, separator: str = ",", final_and: bool = True) -> list[str]:
    """``"A, B (x, y) and C"`` → ``["A", "B (x, y)", "C"]``: separators inside brackets do not split."""
    parts = [p.strip() for p in _split_outside_brackets(text, separator)]
    if final_and and parts:
        if len(parts) > 1 and _LEADING_AND.match(parts[-1]):  # Oxford comma: "A, B, and C"
            parts[-1] = _LEADING_AND.sub("", parts[-1])
        else:
            m = _last_top_level_and(parts[-1])
            if m:
                last = parts.pop()
                parts += [last[: m.start()].strip(), last[m.end():].strip()]
    return [p for p in parts if p]


_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_SYMBOLS = {"$": "USD", "US$": "USD", "A$": "AUD", "AU$": "AUD", "C$": "CAD", "CA$": "CAD", "NZ$": "NZD",
            "HK$": "HKD", "£": "GBP", "€": "EUR", "¥": "JPY", "₹": "INR", "₩": "KRW", "₽": "RUB", "R$": "BRL",
            "CHF": "CHF", "kr": "SEK"}
_MULTIPLIERS = {"k": 10**3, "thousand": 10**3, "m": 10**6, "mn": 10**6, "mil": 10**6, "million": 10**6,
                "millions": 10**6, "b": 10**9, "bn": 10**9, "billion": 10**9, "billions": 10**9}
_MONEY = re.compile(
    r"^(?P<pre>US\$|AU?\$|CA?\$|NZ\$|HK\$|R\$|[$£€¥₹₩₽]|[A-Z]{3})?\s?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s?"
    r"(?P<mult>k|thousand|mn|mil|millions?|m|bn|billions?|b)?\.?\s?"
    r"(?P<post>[A-Z]{3}|[$£€¥₹])?$"
)
_APPROX = re.compile(r"^(?:~|approx\.?|approximately|about|around|est\.?|estimated|c\.|circa)\s*", re.IGNORECASE)
_TRAILING_NOTE = re.compile(r"\s*\([^()]*\)$")


def parse_money(text: str, currency: str = "") -> tuple[int | float, str] | None:
    """``"$23m"`` → ``(23000000, "USD")``; ``"£1.2bn"`` → ``(1200000000, "GBP")``; None when not read."""
    s = _TRAILING_NOTE.sub("", _APPROX.sub("", text.strip())).strip()
    m = _MONEY.match(s)
    if not m:
        return None
    pre, post = m.group("pre") or "", m.group("post") or ""
    if pre and post:
        return None
    code = pre or post
    if code in _SYMBOLS:
        cur = currency if code == "$" and currency else _SYMBOLS[code]
    elif re.fullmatch(r"[A-Z]{3}", code or ""):
        cur = code
    else:
        cur = currency
    amount = Decimal(m.group("num").replace(",", "")) * _MULTIPLIERS.get((m.group("mult") or "").lower(), 1)
    value: int | float = int(amount) if amount == amount.to_integral_value() else float(amount)
    return value, cur


_DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%B %d, %Y", "%B %d %Y", "%d %b %Y", "%b %d, %Y", "%b %d %Y",
                 "%d %B, %Y", "%Y/%m/%d")
_ORDINAL = re.compile(r"(?<=\d)(?:st|nd|rd|th)\b", re.IGNORECASE)


def parse_date(text: str, formats: tuple[str, ...] = ()) -> dt.date | None:
    s = " ".join(_ORDINAL.sub("", text.strip().rstrip(".")).split())
    for fmt in formats or _DATE_FORMATS:
        try:
            return dt.datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    return None


def convert(raw: str, ftype: FieldType) -> Any:
    """A plain-text value converted to its type; :data:`NO_VALUE` for a "none" value.

    Raises ValueError when the value does not fit the type.
    """
    text = raw.strip()
    if any(text.casefold() == n.casefold() for n in ftype.none):
        return NO_VALUE
    if not text:
        raise ValueError("empty")
    kind = ftype.type
    if kind == "text" or kind == "money":
        return text
    if kind == "list":
        return split_list(text, ftype.separator, ftype.final_and)
    if kind in ("integer", "number"):
        s = text.lstrip("#").replace("\u00a0", "").strip()
        if not _NUMBER.match(s):
            raise ValueError(f"not a number: {text!r}")
        s = s.replace(",", "")
        if kind == "integer":
            if "." in s:
                raise ValueError(f"not a whole number: {text!r}")
            return int(s)
        try:
            d = Decimal(s)
        except InvalidOperation:
            raise ValueError(f"not a number: {text!r}") from None
        return int(d) if d == d.to_integral_value() and "." not in s else float(d)
    if kind == "date":
        date = parse_date(text, ftype.formats)
        if date is None:
            raise ValueError(f"not a date: {text!r}")
        return date
    raise ValueError(f"unknown type {kind}")


def field_items(key: str, raw: str, ftype: FieldType) -> dict[str, Any]:
    """The front-matter entries one value makes: ``{key: value}``, plus amount and currency for money.

    ``{}`` for a "none" value of a scalar type; ``{key: []}`` for a "none" list. Raises ValueError.
    """
    value = convert(raw, ftype)
    if value is NO_VALUE:
        return {key: []} if ftype.type == "list" else {}
    items = {key: value}
    if ftype.type == "money" and ftype.amount:
        parsed = parse_money(value, ftype.currency)
        if parsed:
            items[f"{key}_amount"] = parsed[0]
            if parsed[1]:
                items[f"{key}_currency"] = parsed[1]
    return items


# --------------------------------------------------------------------------------------------------
# Labelled lines
# --------------------------------------------------------------------------------------------------


def _label_pattern(label: str) -> str:
    return r"\s+".join(re.escape(word) for word in label.split())


class _Matcher:
    """Finds a labelled line of any of a set of rules, and says which rule's label it is."""

    def __init__(self, rules: tuple[FieldRule, ...]) -> None:
        self.by_label: dict[str, FieldRule] = {}
        for rule in rules:
            for label in rule.labels:
                self.by_label.setdefault(self._key(label), rule)
        labels = sorted(self.by_label_text(rules), key=len, reverse=True)
        alt = "|".join(_label_pattern(lbl) for lbl in labels)
        self.line = re.compile(
            r"^(?P<pre>(?:!\[[^\]]*\]\([^)]*\)\s*)*)"  # images before the label stay
            r"(?P<open>\*\*|__|\*|_)?\s*(?P<label>" + alt + r")\s*"
            r"(?::\s*(?P=open)?|(?P=open)?\s*:)\s*(?P<value>.*)$",
            re.IGNORECASE,
        )
        caps = [lbl for lbl in labels if lbl == lbl.upper() and any(c.isalpha() for c in lbl)]
        self.glued = re.compile(
            r"(?P<open>\*\*|__)?(?P<label>" + "|".join(_label_pattern(lbl) for lbl in caps) + r")"
            r"(?::\s*(?P=open)?|(?P=open)?\s*:)\s*(?P<value>.*)$"
        ) if caps else None

    @staticmethod
    def _key(label: str) -> str:
        return " ".join(label.casefold().split())

    @staticmethod
    def by_label_text(rules: tuple[FieldRule, ...]) -> list[str]:
        return list(dict.fromkeys(label for rule in rules for label in rule.labels))

    def match(self, line: str) -> tuple[FieldRule, str, str] | None:
        """(rule, value as Markdown, what stays of the line) for a labelled line, else None."""
        m = self.line.match(line.strip())
        if m:
            return self.by_label[self._key(m.group("label"))], m.group("value"), m.group("pre").strip()
        if self.glued is not None:
            g = self.glued.search(line.strip())
            if g and g.start() > 0:
                rule = self.by_label.get(self._key(g.group("label")))
                if rule is not None:
                    return rule, g.group("value"), line.strip()[: g.start()].rstrip()
        return None


@functools.lru_cache(maxsize=64)
def _matcher(rules: tuple[FieldRule, ...]) -> _Matcher:
    return _Matcher(rules)


def take_labelled_lines(body: str, rules: tuple[FieldRule, ...],
                        ctx: Context | None = None) -> tuple[str, dict[str, Any]]:
    """(the body without its labelled lines, the fields they hold in rule order)."""
    if not rules or not body:
        return body, {}
    matcher = _matcher(rules)
    lines = body.split("\n")
    found: dict[str, dict[str, Any]] = {}
    remove: set[int] = set()
    rewrite: dict[int, str] = {}
    for i in prose_lines(lines, body):
        line = lines[i]
        if not line.strip() or ":" not in line or len(line) > 10 * MAX_LINE:
            continue
        hit = matcher.match(line)
        if hit is None:
            continue
        rule, value, rest = hit
        if rule.key in found:
            continue  # the first occurrence wins; later ones stay in the body
        try:
            items = field_items(rule.key, plain_value(value), rule.type)
        except ValueError:
            if ctx is not None:
                ctx.count(NOT_UNDERSTOOD, rule.key)
            continue
        found[rule.key] = items
        if ctx is not None:
            ctx.count(EXTRACTED, rule.key)
        if not rule.keep:
            if rest:
                rewrite[i] = rest + ("\\" if line.rstrip().endswith("\\") else "")
            else:
                remove.add(i)
    fields: dict[str, Any] = {}
    for rule in rules:
        fields.update(found.get(rule.key, {}))
    if not remove and not rewrite:
        return body, fields
    return drop_lines(lines, remove, rewrite), fields


# --------------------------------------------------------------------------------------------------
# Titles
# --------------------------------------------------------------------------------------------------


def apply_title_rules(post: Post, rules: RuleSet, ctx: Context | None = None) -> tuple[str, dict[str, Any]]:
    """(the new title, the fields from its groups) by the first title rule that matches the whole title."""
    title = post.title.strip()
    if not rules.titles or not title or len(title) > MAX_LINE:
        return post.title, {}
    for rule in rules.titles:
        if rule.when is not None and not rule.when.holds(post):
            continue
        m = rule.pattern.fullmatch(title)
        if not m:
            continue
        fields: dict[str, Any] = {}
        for group, ftype in rule.fields:
            raw = m.group(group)
            if raw is None or not raw.strip():
                continue
            try:
                fields.update(field_items(group, raw, ftype))
            except ValueError:
                if ctx is not None:
                    ctx.count(NOT_UNDERSTOOD, group)
        new_title = m.group("title").strip() if "title" in rule.pattern.groupindex and m.group("title") else post.title
        if ctx is not None:
            ctx.count(TITLES, rule.name)
        return new_title, fields
    return post.title, {}


def extract_fields(post: Post, ctx: Context | None = None) -> Post:
    """Stage (after boilerplate removal): title and labelled-line fields into ``post.fields``."""
    rules = rules_of(ctx)
    if not rules.titles and not rules.fields:
        return post
    title, fields = apply_title_rules(post, rules, ctx)
    applicable = tuple(r for r in rules.fields if r.when is None or r.when.holds(post))
    body, labelled = take_labelled_lines(post.body or "", applicable, ctx)
    if not fields and not labelled and title == post.title:
        return post
    merged = dict(post.fields)
    for key, value in {**fields, **labelled}.items():
        merged.setdefault(key, value)
    return replace(post, title=title, body=body if post.body is not None else None, fields=merged)
