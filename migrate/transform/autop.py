"""Byte-faithful Python port of WordPress's ``wpautop()`` and ``shortcode_unautop()``.

Ported from ``wp-includes/formatting.php`` as it stands since WordPress 6.2
(changeset 55272, ticket #13340: ``math`` left the block list and joined
``script``/``style``/``svg`` in the newline preservation) and unchanged up to
current trunk.  WordPress <= 6.1 differs only in those two places.

The helpers ``wp_html_split()``, ``get_html_split_regex()``,
``wp_replace_in_html_tags()`` and ``_autop_newline_preservation_helper()``
are ported as well.

PHP runs these regexes on bytes without the ``/u`` flag, so ``\\s`` and
``\\w`` mean ASCII classes only and ``/i`` folds ASCII only.  Every pattern is
therefore compiled with ``re.ASCII``; for valid UTF-8 text the results then
match PHP's exactly (all delimiters are ASCII, so byte-wise and
character-wise matching agree).  Needs Python 3.11+ (possessive quantifiers).

Fast path: a text with inline elements only (most paragraphs) takes ``_autop_inline``, which runs only the
steps that can change such a text. Contract: for every text ``_NOT_INLINE_RE`` finds nothing in, it gives
exactly what ``_autop_full`` (every step, the reference) gives; with ``WP_MIGRATE_CHECK_FAST=1``
(:mod:`migrate.fastpath`) each result is compared with the reference's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

from .. import fastpath

__all__ = [
    "DEFAULT_SHORTCODE_TAGS",
    "get_html_split_regex",
    "shortcode_unautop",
    "wp_html_split",
    "wp_replace_in_html_tags",
    "wpautop",
]

#: Shortcodes WordPress core registers, in registration order
#: (class-wp-embed.php first, then media.php).
DEFAULT_SHORTCODE_TAGS: tuple[str, ...] = (
    "embed",
    "wp_caption",
    "caption",
    "gallery",
    "playlist",
    "audio",
    "video",
)

# PHP's trim() default character list: " \t\n\r\0\x0B".
_PHP_TRIM_CHARS = " \t\n\r\0\x0b"

# Every pattern: ASCII semantics for \s, \w and case folding, like PCRE without /u.
_A = re.ASCII

# wpautop()'s $allblocks: names of block-level elements (as a non-capturing group).
_ALLBLOCKS = (
    r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li"
    r"|pre|form|map|area|blockquote|address|style|p|h[1-6]|hr|fieldset|legend"
    r"|section|article|aside|hgroup|header|footer|nav|figure|figcaption|details"
    r"|menu|summary)"
)

# --- get_html_split_regex() -------------------------------------------------

# The rest of an HTML comment after "<": "!", then anything up to and including
# "-->" (unrolled); if no "-->" follows, all remaining input. (PHP's loop is
# possessive; the loop stops only before "-->" or at the end, which the "-->|\Z"
# requires, so giving back part of it never matches: the same match, on every
# Python — a possessive group is matched differently before 3.11.5.)
_SPLIT_COMMENTS = r"!(?:-(?!->)[^\-]*+)*(?:-->|\Z)"

# The rest of a CDATA section after "<": "![CDATA[", then anything up to and
# including "]]>" (unrolled, as the comment); if no "]]>" follows, all remaining input.
_SPLIT_CDATA = r"!\[CDATA\[[^\]]*+(?:\](?!\]>)[^\]]*+)*(?:\]\]>|\Z)"

# One HTML element, comment or CDATA section, captured whole: "<" followed by a
# comment, a CDATA section, or anything up to the next ">" (or end of input).
# PCRE's assertion conditional "(?(?=!--|!\[CDATA\[)(?(?=!-)C|D)|E)" becomes an
# alternation of guarded branches; C and D always match once their guard holds,
# so no branch is ever tried that PCRE would not have tried.
_HTML_SPLIT_PATTERN = r"(<(?:(?=!--)" + _SPLIT_COMMENTS + r"|(?=!\[CDATA\[)" + _SPLIT_CDATA + r"|[^>]*>?))"
_HTML_SPLIT_RE = re.compile(_HTML_SPLIT_PATTERN, _A)

# --- wpautop() ----------------------------------------------------------------

# Stands for the leading "\s*" of PHP patterns "\s*X..." (X starting with a
# non-space): "\s*" from the first space of a run, or nothing right after a
# space.  Same matches as PHP: a start inside a run sees the same X as the
# run's first space, which was tried first; the empty branch covers a previous
# match whose trailing "\s*" ate the run.  But linear, not quadratic, in the
# length of a run (Python's re lacks PCRE's JIT and start-up optimisations).
_LEADING_SPACES = r"(?:(?<!\s)\s*|(?<=\s))"

# Two <br> tags (any of <br>, <br/>, <br />) with only whitespace between them.
_MULTI_BR_RE = re.compile(r"<br\s*/?>\s*<br\s*/?>", _A)
# The start of a block-level opening tag: "<" + block name + whitespace, "/" or ">".
_BLOCK_OPEN_RE = re.compile(r"(<" + _ALLBLOCKS + r"[\s/>])", _A)
# The "<" of such a tag: _BLOCK_OPEN_RE's matches start at the same places (none can start inside
# another, which holds no "<"), so inserting before this "<" is inserting before the whole match, and
# a literal replacement spares re its per-match template expansion (in Python, before 3.12).
_BLOCK_OPEN_AT_RE = re.compile(r"<(?=" + _ALLBLOCKS + r"[\s/>])", _A)
# A block-level closing tag with no attributes or spaces, e.g. "</div>".
_BLOCK_CLOSE_RE = re.compile(r"(</" + _ALLBLOCKS + r">)", _A)
# An <hr> tag in the forms <hr>, <hr/>, <hr />, <hr   />.
_HR_RE = re.compile(r"(<hr\s*?/?>)", _A)
# Whitespace before an <option opening tag.
_OPTION_BEFORE_RE = re.compile(_LEADING_SPACES + r"<option", _A)
# Whitespace after an </option> closing tag.
_OPTION_AFTER_RE = re.compile(r"</option>\s*", _A)
# An <object ...> opening tag and the whitespace after it.
_OBJECT_OPEN_RE = re.compile(r"(<object[^>]*>)\s*", _A)
# Whitespace before an </object> closing tag.
_OBJECT_CLOSE_RE = re.compile(_LEADING_SPACES + r"</object>", _A)
# A <param>/<embed> opening or closing tag with the whitespace around it.
_PARAM_EMBED_RE = re.compile(_LEADING_SPACES + r"(</?(?:param|embed)[^>]*>)\s*", _A)
# An <audio>/<video> tag or [audio]/[video] shortcode opener and the whitespace after it.
_MEDIA_OPEN_RE = re.compile(r"([<\[](?:audio|video)[^>\]]*[>\]])\s*", _A)
# Whitespace before a </audio>, </video>, [/audio] or [/video] closer.
_MEDIA_CLOSE_RE = re.compile(_LEADING_SPACES + r"([<\[]/(?:audio|video)[>\]])", _A)
# A <source ...> or <track ...> tag with the whitespace around it.
_SOURCE_TRACK_RE = re.compile(_LEADING_SPACES + r"(<(?:source|track)[^>]*>)\s*", _A)
# Whitespace before a <figcaption ...> opening tag (tag captured).
_FIGCAPTION_OPEN_RE = re.compile(_LEADING_SPACES + r"(<figcaption[^>]*>)", _A)
# Whitespace after a </figcaption> closing tag.
_FIGCAPTION_CLOSE_RE = re.compile(r"</figcaption>\s*", _A)
# Two or more consecutive newlines (PHP's pattern); _MORE_NEWLINES_RE, three or more, gives the
# same result when replaced by two, without replacing every pair by itself.
_MULTI_NEWLINE_RE = re.compile(r"\n\n+", _A)
_MORE_NEWLINES_RE = re.compile(r"\n\n\n+", _A)
# A paragraph break: newline, any whitespace, newline.
_PARAGRAPH_SPLIT_RE = re.compile(r"\n\s*\n", _A)
# A paragraph holding only whitespace.
_EMPTY_P_RE = re.compile(r"<p>\s*</p>", _A)
# A paragraph of plain text closed by </div>, </address> or </form> instead of </p>.
_UNCLOSED_P_RE = re.compile(r"<p>([^<]+)</(div|address|form)>", _A)
# A paragraph wrapping nothing but one block-level opening or closing tag.
_P_WRAPPED_BLOCK_RE = re.compile(r"<p>\s*(</?" + _ALLBLOCKS + r"[^>]*>)\s*</p>", _A)
# A <p> immediately followed by a <blockquote ...> tag (case-insensitive, ASCII).
_P_BLOCKQUOTE_RE = re.compile(r"<p><blockquote([^>]*)>", _A | re.IGNORECASE)
# An opening <p> (and whitespace) before a block-level opening or closing tag.
_P_BEFORE_BLOCK_RE = re.compile(r"<p>\s*(</?" + _ALLBLOCKS + r"[^>]*>)", _A)
# A block-level opening or closing tag followed by whitespace and a closing </p>.
_BLOCK_BEFORE_CLOSE_P_RE = re.compile(r"(</?" + _ALLBLOCKS + r"[^>]*>)\s*</p>", _A)
# The start of a <script>, <style>, <svg> or <math> element (name captured).
_PRESERVE_START_RE = re.compile(r"<(script|style|svg|math)", _A)
# A maximal run of (ASCII) whitespace.
_WHITESPACE_RUN_RE = re.compile(r"\s+", _A)
# A block-level opening or closing tag followed by whitespace and a <br />.
_BLOCK_THEN_BR_RE = re.compile(r"(</?" + _ALLBLOCKS + r"[^>]*>)\s*<br />", _A)
# A <br /> before whitespace and a p/li/div/dl/dd/dt/th/pre/td/ul/ol tag.
_BR_THEN_BLOCK_RE = re.compile(r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)", _A)
# What makes wpautop do more than paragraphs and <br />: a block-level tag (by name prefix, as the
# "</?" + $allblocks + "[^>]*>" patterns see them), <br>, an element whose newlines are kept or
# collapsed, <blockquote> in any case, or wpautop's own newline placeholder typed by the author. Text
# without any is all inline (see _autop_inline).
_NOT_INLINE_RE = re.compile(
    r"</?" + _ALLBLOCKS + r"|<(?:br|script|svg|math|option|source|track|WPPreserveNewline)|</object>"
    r"|<(?i:blockquote)",
    _A,
)
# A newline before the final </p> at the end of the text (or before a final newline).
_TRAILING_NEWLINE_P_RE = re.compile(r"\n</p>$", _A)


def _keep_group(pattern: re.Pattern[str], text: str) -> str:
    """``pattern.sub("\\1", text)`` for a pattern with one group that always takes part: ``split`` keeps
    the groups between the pieces, all in C, where ``sub`` would expand the template per match in Python."""
    return "".join(pattern.split(text))


def _append_to_matches(pattern: re.Pattern[str], text: str, suffix: str) -> str:
    """``pattern.sub("\\1" + suffix, text)`` for a pattern whose one group is the whole match."""
    parts = pattern.split(text)
    if len(parts) == 1:
        return text
    parts[1::2] = [match + suffix for match in parts[1::2]]
    return "".join(parts)


def _trailing_newline_p(text: str) -> str:
    """``_TRAILING_NEWLINE_P_RE.sub("</p>", text)``: "$" matches at the end or before a final newline, and
    both cannot hold for "\\n</p>" at once, so two ``endswith`` tests do it."""
    if text.endswith("\n</p>"):
        return text[:-5] + "</p>"
    if text.endswith("\n</p>\n"):
        return text[:-6] + "</p>\n"
    return text


def get_html_split_regex() -> re.Pattern[str]:
    """Return the compiled regex matching one HTML element, comment or CDATA section."""
    return _HTML_SPLIT_RE


def wp_html_split(text: str) -> list[str]:
    """Split ``text`` into text and elements: elements at odd indexes (``wp_html_split``)."""
    return _HTML_SPLIT_RE.split(text)


def _strtr(subject: str, replace_pairs: Mapping[str, str]) -> str:
    """PHP's ``strtr($subject, $array)``: longest keys first, no rescanning of output."""
    keys = sorted((k for k in replace_pairs if k != ""), key=len, reverse=True)
    if not keys:
        return subject
    # Any of the keys, longest first (so the longest one wins at each position).
    pattern = re.compile("|".join(re.escape(k) for k in keys))
    return pattern.sub(lambda m: replace_pairs[m.group(0)], subject)


def wp_replace_in_html_tags(haystack: str, replace_pairs: Mapping[str, str]) -> str:
    """Replace substrings inside HTML elements only (``wp_replace_in_html_tags``)."""
    textarr = wp_html_split(haystack)
    changed = False
    if len(replace_pairs) == 1:
        ((needle, replace),) = replace_pairs.items()
        for i in range(1, len(textarr), 2):
            if needle in textarr[i]:
                textarr[i] = textarr[i].replace(needle, replace)
                changed = True
    else:
        needles = list(replace_pairs)
        for i in range(1, len(textarr), 2):
            for needle in needles:
                if needle in textarr[i]:
                    textarr[i] = _strtr(textarr[i], replace_pairs)
                    changed = True
                    break
    if changed:
        haystack = "".join(textarr)
    return haystack


# A "<" with a newline after it and no "<" or ">" between. An element that is not a comment or CDATA
# section and holds a newline has one: the last "<" before its first newline. (Stopping at "<" keeps
# the search linear.)
_NEWLINE_BEFORE_GT_RE = re.compile(r"<[^<>\n]*\n", _A)


def _newline_in_element(text: str) -> bool:
    """Whether an element of ``wp_html_split(text)`` may hold a newline (False: none does). An element that
    is not a comment or CDATA section is found by _NEWLINE_BEFORE_GT_RE; a comment starts at a "<!--"
    and runs to the first "-->" from its "-" on (or the end); a CDATA section is not looked into."""
    if _NEWLINE_BEFORE_GT_RE.search(text) is not None or "<![CDATA[" in text:
        return True
    i = text.find("<!--")
    while i != -1:
        end = text.find("-->", i + 2)
        if "\n" in (text[i:] if end == -1 else text[i:end]):
            return True
        i = text.find("<!--", i + 4)
    return False


def _newlines_in_elements(text: str) -> str:
    """``wp_replace_in_html_tags(text, {"\\n": " <!-- wpnl --> "})``, without splitting a text whose elements
    hold no newline (most texts)."""
    if "\n" not in text or not _newline_in_element(text):
        return text
    return wp_replace_in_html_tags(text, {"\n": " <!-- wpnl --> "})


def _autop_newline_preservation_helper(match: re.Match[str]) -> str:
    """Hide the newlines of a matched element behind ``<WPPreserveNewline />``."""
    return _hide_newlines(match.group(0))


def _hide_newlines(element: str) -> str:
    """Replace each newline with the ``<WPPreserveNewline />`` placeholder."""
    return element.replace("\n", "<WPPreserveNewline />")


# The three helpers below do what one PHP regex does, with the same result on
# every input, in linear time: Python's re has neither PCRE's JIT nor its
# start-up optimisations, and these patterns are quadratic on unlucky input.
# tests/test_autop.py checks each against the literal PHP pattern.


def _unwrap_li_paragraphs(text: str) -> str:
    """``preg_replace('|<p>(<li.+?)</p>|', '$1', $text)``."""
    i = text.find("<p><li")
    if i == -1:
        return text
    out: list[str] = []
    pos = 0
    close = -1  # First "</p>" at or after the current search point (cached).
    newline = -1  # First "\n" at or after the current search point (cached).
    while i != -1:
        # ".+?" needs one character after "<p><li", and cannot cross a newline.
        if close < i + 7:
            close = text.find("</p>", i + 7)
            if close == -1:
                break
        if newline < i + 6:
            newline = text.find("\n", i + 6)
            if newline == -1:
                newline = len(text)
        if newline < close:
            i = text.find("<p><li", i + 1)
            continue
        out.append(text[pos:i])
        out.append(text[i + 3 : close])
        pos = close + 4
        i = text.find("<p><li", pos)
    out.append(text[pos:])
    return "".join(out)


def _preserve_newlines(text: str) -> str:
    """``preg_replace_callback('/<(script|style|svg|math).*?<\\/\\1>/s', helper, $text)``."""
    out: list[str] = []
    pos = 0
    search = 0
    unclosed: set[str] = set()  # Names with no closing tag after the search point.
    while (start := _PRESERVE_START_RE.search(text, search)) is not None:
        name = start.group(1)
        end = -1 if name in unclosed else text.find(f"</{name}>", start.end())
        if end == -1:
            unclosed.add(name)
            search = start.start() + 1
            continue
        end += len(name) + 3
        out.append(text[pos : start.start()])
        out.append(_hide_newlines(text[start.start() : end]))
        pos = search = end
    out.append(text[pos:])
    return "".join(out)


def _newline_to_br_in_run(match: re.Match[str]) -> str:
    """Apply PHP's ``(?<!<br />)\\s*\\n`` -> ``<br />\\n`` to one maximal whitespace run."""
    run = match.group(0)
    last = run.rfind("\n")
    if last == -1:
        return run
    # The look-behind can only fail at the run's first character (a space
    # cannot end "<br />"); PHP then matches from the second one.
    if match.string.endswith("<br />", 0, match.start()):
        return run if last == 0 else run[0] + "<br />\n" + run[last + 1 :]
    return "<br />\n" + run[last + 1 :]


_ASCII_SPACES = frozenset(" \t\n\r\f\v")  # PCRE's \s without /u


# A whole block-level opening or closing tag, as _BLOCK_THEN_BR_RE's group sees one.
_BLOCK_TAG_RE = re.compile(r"</?" + _ALLBLOCKS + r"[^>]*>", _A)
# The commonest such tags, which need no match.
_SIMPLE_BLOCK_TAGS = frozenset(
    f"<{slash}{name}>" for slash in ("", "/") for name in ("p", "div", "ul", "ol", "li", "blockquote", "table", "tr",
                                                          "td", "th", "tbody", "thead", "pre", "figure", "h1", "h2",
                                                          "h3", "h4", "h5", "h6", "section", "dl", "dd", "dt")
)


def _newlines_to_br(text: str, *, drop_after_blocks: bool = False) -> str:
    """``_WHITESPACE_RUN_RE.sub(_newline_to_br_in_run, text)``, faster: only runs that hold a newline
    change, so each is found from its newline with ``str.find`` instead of matching every run.

    With ``drop_after_blocks`` (for _autop_full), less the "<br />"s that _BLOCK_THEN_BR_RE would remove
    there anyway: each run after a block tag (from the last "<" before it, within the text this call leaves
    as it is), unless what follows the run is "<br />" or a "<WPPreserveNewline />" (which turns into a
    newline before that pass). Not the same text; the same once the placeholders are restored and
    _BLOCK_THEN_BR_RE and _BR_THEN_BLOCK_RE have run: the pass's match that would remove the "<br />"
    starts at or before that tag and ends at the "<br />"; no match before it reaches that far (they end
    at a ">" before the tag), and without the "<br />", no match can start in the tag or run (the tag is
    followed by spaces and no "<br />"), after which the texts are the same. tests/test_autop.py checks
    this on random texts."""
    i = text.find("\n")
    if i == -1:
        return text
    out: list[str] = []
    pos = 0
    end = len(text)
    block_tag = _BLOCK_TAG_RE.fullmatch
    while i != -1:
        start, stop = i, i + 1
        while start > pos and text[start - 1] in _ASCII_SPACES:
            start -= 1
        while stop < end and text[stop] in _ASCII_SPACES:
            stop += 1
        run = text[start:stop]
        last = run.rfind("\n")
        if start == 0 or text[start - 1] != ">":  # not after "<br />" nor after a tag
            out.append(text[pos:start] + "<br />\n" + run[last + 1 :])
        elif text.endswith("<br />", 0, start):  # as in _newline_to_br_in_run
            out.append(text[pos:start] + (run if last == 0 else run[0] + "<br />\n" + run[last + 1 :]))
        elif (
            drop_after_blocks
            and (tag := text.rfind("<", pos, start)) != -1
            and (text[tag:start] in _SIMPLE_BLOCK_TAGS or block_tag(text, tag, start) is not None)
            and not text.startswith(("<br />", "<WPPreserveNewline />"), stop)
        ):
            out.append(text[pos:start] + "\n" + run[last + 1 :])
        else:
            out.append(text[pos:start] + "<br />\n" + run[last + 1 :])
        pos = stop
        i = text.find("\n", stop)
    out.append(text[pos:])
    return "".join(out)


def _inner_newlines_to_br(paragraph: str) -> str:
    """What ``_newlines_to_br`` and the removal of "<p><br />" make of the inside of one paragraph of
    _autop_inline: the same runs (a paragraph starts and ends inside "<p>" and "</p>"), none after a
    "<br />" (the text has none)."""
    text = _newlines_to_br(paragraph)
    return text[6:] if text.startswith("<br />") else text


def _autop_inline(text: str, br: bool) -> str:
    """wpautop() of a padded text in which _NOT_INLINE_RE finds nothing: its steps that can change such a
    text, in order. The others cannot: the only block-level tags are the <p> and </p> it adds, <p> is
    never followed by whitespace and a block tag (paragraphs that are only whitespace are gone), and a
    <br /> after <p> or </p> is always right after it (it replaces the whole whitespace run there), so
    _BLOCK_THEN_BR_RE comes down to two replacements. _BR_THEN_BLOCK_RE can only match where a removed
    empty paragraph left a newline before a <p> with no </p> before it (a paragraph cannot end in
    whitespace holding a newline: the split takes it), so it runs only after such a removal.
    tests/test_autop.py checks this against the full path on random text."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _newlines_in_elements(text)
    # PHP's "\n\n+" -> "\n\n" step is left out, as in _autop_full: it cannot change the split below.
    paragraphs = [paragraph.strip("\n") for paragraph in _PARAGRAPH_SPLIT_RE.split(text) if paragraph]
    if br and not any(paragraph.isspace() or not paragraph for paragraph in paragraphs):
        # No paragraph for _EMPTY_P_RE to remove: each <br /> is inside a paragraph or after one, and
        # those after "</p>" and right after "<p>" go again, so only the runs inside paragraphs are done.
        text = "".join("<p>" + (_inner_newlines_to_br(p) if "\n" in p else p) + "</p>\n" for p in paragraphs)
        return _restore_newlines(_trailing_newline_p(text))
    text = "".join("<p>" + paragraph + "</p>\n" for paragraph in paragraphs)
    wrapped = len(text)
    text = _EMPTY_P_RE.sub("", text)
    emptied = len(text) != wrapped
    if br:
        text = _newlines_to_br(text)
        if "<br />" in text:
            text = text.replace("<p><br />", "<p>").replace("</p><br />", "</p>")
            if emptied:
                text = _keep_group(_BR_THEN_BLOCK_RE, text)
    return _restore_newlines(_trailing_newline_p(text))


def wpautop(text: str, br: bool = True) -> str:
    """Replace double line breaks with paragraphs, the rest with ``<br />`` if ``br``."""
    if text.strip(_PHP_TRIM_CHARS) == "":
        return ""

    # Just to make things a little easier, pad the end.
    text = text + "\n"

    # Text with inline elements only (most posts' paragraphs) skips the steps that cannot change it.
    if _NOT_INLINE_RE.search(text) is None:
        result = _autop_inline(text, br)
        if fastpath.CHECK:  # the reference: every step
            fastpath.check("autop._autop_inline", text, result, lambda: _autop_full(text, br))
        return result
    return _autop_full(text, br)


def _autop_full(text: str, br: bool) -> str:
    """wpautop() of a padded, not blank text: every step."""
    pre_tags: dict[str, str] = {}
    # Pre tags shouldn't be touched by autop: swap them for placeholders.
    if "<pre" in text:
        text_parts = text.split("</pre>")
        last_part = text_parts.pop()
        out: list[str] = []
        i = 0
        for text_part in text_parts:
            start = text_part.find("<pre")
            # Malformed HTML? (PHP drops this "</pre>".)
            if start == -1:
                out.append(text_part)
                continue
            name = f"<pre wp-pre-tag-{i}></pre>"
            pre_tags[name] = text_part[start:] + "</pre>"
            out.append(text_part[:start])
            out.append(name)
            i += 1
        out.append(last_part)
        text = "".join(out)

    # Change multiple <br>'s into two line breaks, which will turn into paragraphs.
    if "<br" in text:
        text = _MULTI_BR_RE.sub("\n\n", text)
    # Add a double line break above block-level opening tags (_BLOCK_OPEN_RE.sub("\n\n\\1")).
    text = _BLOCK_OPEN_AT_RE.sub("\n\n<", text)
    # Add a double line break below block-level closing tags.
    text = _append_to_matches(_BLOCK_CLOSE_RE, text, "\n\n")
    # Add a double line break after hr tags, which are self closing.
    if "<hr" in text:
        text = _append_to_matches(_HR_RE, text, "\n\n")
    # Standardize newline characters to "\n".
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Find newlines in all elements and add placeholders.
    text = _newlines_in_elements(text)

    # Collapse line breaks before and after <option> elements.
    if "<option" in text:
        text = _OPTION_BEFORE_RE.sub("<option", text)
        text = _OPTION_AFTER_RE.sub("</option>", text)

    # Collapse line breaks inside <object>, before <param> and <embed>.
    if "</object>" in text:
        text = _keep_group(_OBJECT_OPEN_RE, text)
        text = _OBJECT_CLOSE_RE.sub("</object>", text)
        text = _keep_group(_PARAM_EMBED_RE, text)

    # Collapse line breaks inside <audio>/<video>, around <source> and <track>.
    if "<source" in text or "<track" in text:
        text = _keep_group(_MEDIA_OPEN_RE, text)
        text = _keep_group(_MEDIA_CLOSE_RE, text)
        text = _keep_group(_SOURCE_TRACK_RE, text)

    # Collapse line breaks before and after <figcaption> elements.
    if "<figcaption" in text:
        text = _keep_group(_FIGCAPTION_OPEN_RE, text)
        text = _FIGCAPTION_CLOSE_RE.sub("</figcaption>", text)

    # PHP removes more than two contiguous line breaks here ("\n\n+" -> "\n\n"), which cannot change the
    # split that follows: a run of newlines lies inside one maximal whitespace run, and _PARAGRAPH_SPLIT_RE
    # takes from the first to the last newline of such a run when it holds two or more (greedy "\s*", tried
    # first at the run's first newline), so a run of three or more is inside one separator either way, and
    # the pieces are the same. tests/test_autop.py checks the split with and without the step.

    # Split into paragraphs on double line breaks (PREG_SPLIT_NO_EMPTY) and wrap each.
    text = "".join(
        "<p>" + paragraph.strip("\n") + "</p>\n" for paragraph in _PARAGRAPH_SPLIT_RE.split(text) if paragraph
    )

    # Under certain strange conditions it could create a P of entirely whitespace.
    text = _EMPTY_P_RE.sub("", text)
    # Add a closing <p> inside <div>, <address>, or <form> tag if missing.
    if "</div>" in text or "</address>" in text or "</form>" in text:
        text = _UNCLOSED_P_RE.sub("<p>\\1</p></\\2>", text)
    # If an opening or closing block element tag is wrapped in a <p>, unwrap it.
    text = _keep_group(_P_WRAPPED_BLOCK_RE, text)
    # In some cases <li> may get wrapped in <p>, fix them.
    text = _unwrap_li_paragraphs(text)
    # If a <blockquote> is wrapped with a <p>, move it inside the <blockquote>.
    text = _P_BLOCKQUOTE_RE.sub("<blockquote\\1><p>", text)
    text = text.replace("</blockquote></p>", "</p></blockquote>")
    # If an opening or closing block element tag is preceded by an opening <p> tag, remove it.
    text = _keep_group(_P_BEFORE_BLOCK_RE, text)
    # If an opening or closing block element tag is followed by a closing <p> tag, remove it.
    text = _keep_group(_BLOCK_BEFORE_CLOSE_P_RE, text)

    # Optionally insert line breaks.
    if br:
        # Replace newlines that shouldn't be touched with a placeholder.
        text = _preserve_newlines(text)
        # Normalize <br>.
        text = text.replace("<br>", "<br />").replace("<br/>", "<br />")
        # Replace any new line characters that aren't preceded by a <br /> with a <br /> (but for those
        # the removal after block tags below would take again).
        text = _newlines_to_br(text, drop_after_blocks=True)
        # Replace newline placeholders with newlines.
        text = text.replace("<WPPreserveNewline />", "\n")

    if "<br />" in text:
        # If a <br /> tag is after an opening or closing block tag, remove it.
        text = _keep_group(_BLOCK_THEN_BR_RE, text)
        # If a <br /> tag is before a subset of opening or closing block tags, remove it.
        text = _keep_group(_BR_THEN_BLOCK_RE, text)
    text = _trailing_newline_p(text)

    # Replace placeholder <pre> tags with their original content (in order, like str_replace).
    for name, original in pre_tags.items():
        text = text.replace(name, original)

    # Restore newlines in all elements.
    return _restore_newlines(text)


def _restore_newlines(text: str) -> str:
    """The newlines _newlines_in_elements hid in elements, back in place."""
    if "<!-- wpnl -->" in text:
        text = text.replace(" <!-- wpnl --> ", "\n").replace("<!-- wpnl -->", "\n")
    return text


# wp_spaces_regexp()'s unfiltered value: an ASCII space/tab/CR/LF, a no-break
# space (PHP's "\xC2\xA0" byte pair), or the entity "&nbsp;".
_SPACES = r"[\r\n\t ]|\u00a0|&nbsp;"


@lru_cache(maxsize=64)
def _shortcode_unautop_regex(tags: tuple[str, ...]) -> re.Pattern[str]:
    """Compile shortcode_unautop()'s pattern for the given tag names, in order."""
    tagregexp = "|".join(re.escape(tag) for tag in tags)
    # A paragraph holding only one registered shortcode (self-closing, or
    # enclosing up to its matching [/tag]) and optional whitespace around it.
    pattern = (
        r"<p>"  # Opening paragraph.
        r"(?:" + _SPACES + r")*"  # Optional leading whitespace (a "[" follows: given back, it fails).
        r"("  # 1: The shortcode.
        r"\["  # Opening bracket.
        r"(" + tagregexp + r")"  # 2: Shortcode name.
        r"(?![\w-])"  # Not followed by word character or hyphen.
        r"[^\]\/]*"  # Not a closing bracket or forward slash.
        r"(?:"
        r"\/(?!\])"  # A forward slash not followed by a closing bracket.
        r"[^\]\/]*"  # Not a closing bracket or forward slash.
        r")*?"
        r"(?:"
        r"\/\]"  # Self closing tag and closing bracket.
        r"|"
        r"\]"  # Closing bracket.
        r"(?:"  # Optionally, anything between the opening and closing tags.
        r"[^\[]*+"  # Not an opening bracket.
        r"(?:"
        r"\[(?!\/\2\])"  # An opening bracket not followed by the closing tag.
        r"[^\[]*+"  # Not an opening bracket.
        r")*"  # (PHP's is possessive; given back, "[/tag]" cannot follow: the same match.)
        r"\[\/\2\]"  # Closing shortcode tag.
        r")?"
        r")"
        r")"
        r"(?:" + _SPACES + r")*"  # Optional trailing whitespace ("</p>" follows).
        r"<\/p>"  # Closing paragraph.
    )
    return re.compile(pattern, _A)


_DEFAULT_UNAUTOP_RE = _shortcode_unautop_regex(DEFAULT_SHORTCODE_TAGS)


def shortcode_unautop(text: str, tags: Iterable[str] = DEFAULT_SHORTCODE_TAGS) -> str:
    """Unwrap ``<p>`` around registered shortcodes that stand alone in a paragraph."""
    if tags is DEFAULT_SHORTCODE_TAGS:
        regex = _DEFAULT_UNAUTOP_RE
    else:
        if isinstance(tags, str):
            tags = (tags,)
        tag_tuple = tuple(dict.fromkeys(tags))  # Keys of PHP's $shortcode_tags: unique, ordered.
        if not tag_tuple:
            return text
        regex = _shortcode_unautop_regex(tag_tuple)
    return regex.sub("\\1", text)
