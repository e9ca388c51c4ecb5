"""HTML → Markdown with a :class:`markdownify.MarkdownConverter` subclass.

Extend it the markdownify way: subclass :class:`WordPressConverter` and add or override
``convert_<tag>`` methods.

What it writes: ATX headings, ``-`` bullets, fenced code with its language, GFM tables,
``![alt](src "title")`` images, figures (an image and its caption) in the form ``figure_style``
names, backslash hard breaks, Markdown footnotes and definition lists (Goldmark and kramdown
read both), and raw HTML for what Markdown has no form for (players, embeds, ``<details>``,
``<sup>``/``<sub>``). Text is escaped only where a character would otherwise start Markdown
syntax, never a shortcode's bracket. Converting the CommonMark rendering of its output again gives
the same Markdown.
"""

from __future__ import annotations

import html as html_lib
import re
from typing import Any

from bs4 import NavigableString, Tag
from markdownify import ATX, MarkdownConverter

#: How a figure (an image with a caption) is written.
FIGURE_STYLES = ("markdown", "html", "hugo")

# Three or more newlines in a row (blank-line runs the converter leaves behind).
_EXTRA_BLANK_LINES = re.compile(r"\n{3,}")
# Trailing spaces or tabs at the end of a line (but not a two-space hard break: we use backslashes).
_TRAILING_SPACE = re.compile(r"[ \t]+\n")
# A hard break (backslash) with nothing after it in its block: invisible in the HTML, a stray "\" here.
_DANGLING_BREAK = re.compile(r"\\(?=\n[ \t>]*(?:\n|$)|$)")
_LEADING_BREAK = re.compile(r"(?:(?<=\n\n)|^)([ \t>]*)(?:\\\n)+")
_ALL_WHITESPACE = re.compile(r"[\t\r\n ]+")
# Spaces at the start of the line after a hard break (CommonMark drops them).
_BREAK_THEN_SPACE = re.compile(r"\\\n[ \t]+")
# No-break spaces at the start or end of a line: a CommonMark renderer drops them, and a reader sees nothing.
_EDGE_NBSP_START = re.compile(r"^([ >]*)[\u00a0 ]*\u00a0[\u00a0 ]*", re.MULTILINE)
_EDGE_NBSP_END = re.compile(r"[\u00a0 ]*\u00a0[\u00a0 ]*$", re.MULTILINE)

# WordPress's more and page-break comments, and its <!--noteaser--> (WP_Post content markers).
_MORE = re.compile(r"<!--more(.*?)?-->")
_NEXTPAGE = re.compile(r"<!--nextpage-->")
_NOTEASER = re.compile(r"<!--noteaser-->")

_BLOCK_PARENTS = frozenset(
    ["p", "div", "li", "td", "th", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption", "dd", "dt", "section", "article", "aside", "header", "footer", "main", "nav", "figure", "address", "summary", "details", "[document]", "body", "html", "center", "caption"]
)

# Line starts that Markdown would read as syntax, in text that starts a line.
_LINE_START = [
    (re.compile(r"^(#{1,6})(?=\s|$)"), r"\\\1"),
    (re.compile(r"^>"), r"\\>"),
    (re.compile(r"^([-+])(?=\s|$)"), r"\\\1"),
    (re.compile(r"^(\d{1,9})([.)])(?=\s|$)"), r"\1\\\2"),
    (re.compile(r"^(=+|-+)\s*$"), r"\\\1"),
    (re.compile(r"^(`{3,}|~{3,})"), r"\\\1"),
]
_INLINE_ESCAPES = [
    (re.compile(r"\\(?=[!-/:-@\[-`{-~]|$)"), r"\\\\"),
    (re.compile(r"([*`])"), r"\\\1"),
    (re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])"), r"\\_"),
    (re.compile(r"<(?=[A-Za-z/!?])"), r"\\<"),
    (re.compile(r"&(?=#?[A-Za-z0-9]+;)"), r"\\&"),
    (re.compile(r"\](?=[(\[:])"), r"\\]"),
    (re.compile(r"~(?=~)"), r"\\~"),
]

_YOUTUBE = re.compile(r"(?:youtube(?:-nocookie)?\.com/(?:watch\?(?:.*&)?v=|embed/|v/|shorts/)|youtu\.be/)([\w-]{6,})")
_VIMEO = re.compile(r"vimeo\.com/(?:video/)?(\d+)")
_VIDEOPRESS = re.compile(r"videopress\.com/(?:v|embed)/(\w+)")


def embed_player(url: str) -> str | None:
    """The iframe URL of a video page we know how to play (YouTube, Vimeo, VideoPress), else None."""
    if m := _YOUTUBE.search(url):
        return f"https://www.youtube.com/embed/{m.group(1)}"
    if m := _VIMEO.search(url):
        return f"https://player.vimeo.com/video/{m.group(1)}"
    if m := _VIDEOPRESS.search(url):
        return f"https://videopress.com/embed/{m.group(1)}"
    return None


def _attr(value: str) -> str:
    return html_lib.escape(value, quote=True)


def _url(url: str) -> str:
    """A link destination: in angle brackets when it holds spaces or unbalanced parentheses."""
    url = url.strip().replace(" ", "%20")
    if re.search(r"[\s<>]", url) or url.count("(") != url.count(")"):
        return "<" + url.replace("<", "%3C").replace(">", "%3E") + ">"
    return url


def _title(title: str) -> str:
    return ' "%s"' % title.replace("\\", "\\\\").replace('"', '\\"') if title else ""


class WordPressConverter(MarkdownConverter):
    """markdownify with the choices wp-migrate makes (see the module's doc)."""

    class Options(MarkdownConverter.DefaultOptions):
        figure_style = "markdown"

    def __init__(self, **options: object) -> None:
        defaults = {
            "heading_style": ATX,
            "bullets": "-",
            "escape_underscores": False,
            "escape_asterisks": False,
            "escape_misc": False,
            "newline_style": "backslash",
            "code_language_callback": _code_language,
            "sup_symbol": "<sup>",
            "sub_symbol": "<sub>",
            "figure_style": "markdown",
            # lxml parses like a browser: a <p> ends where a block (<figure>, <div>…) starts.
            "bs4_options": {"features": "lxml"},
        }
        defaults.update(options)
        if defaults["figure_style"] not in FIGURE_STYLES:
            raise ValueError(f"figure_style must be one of {', '.join(FIGURE_STYLES)}")
        super().__init__(**defaults)

    # -- text

    def process_text(self, el: Any, parent_tags: Any = None) -> str:
        if parent_tags is None:
            parent_tags = set()
        if "pre" in parent_tags:
            return str(el)
        text = _ALL_WHITESPACE.sub(" ", str(el))
        # Leading/trailing whitespace next to block boundaries: as markdownify does.
        from markdownify import should_remove_whitespace_inside, should_remove_whitespace_outside

        if _is_block(el.previous_sibling) or should_remove_whitespace_outside(el.previous_sibling) or (
            should_remove_whitespace_inside(el.parent) and not el.previous_sibling
        ):
            text = text.lstrip(" ")
        if _is_block(el.next_sibling) or should_remove_whitespace_outside(el.next_sibling) or (
            should_remove_whitespace_inside(el.parent) and not el.next_sibling
        ):
            text = text.rstrip()
        if "_noformat" not in parent_tags:
            text = self.escape_text(text, starts_line="_inline" not in parent_tags and _starts_line(el),
                                    in_table=bool({"td", "th"} & parent_tags))
        return text

    def escape_text(self, text: str, starts_line: bool = False, in_table: bool = False) -> str:
        """Escape what Markdown would read as syntax in this text (and nothing else)."""
        for pattern, repl in _INLINE_ESCAPES:
            text = pattern.sub(repl, text)
        if in_table:
            text = text.replace("|", "\\|")
        if starts_line:
            stripped = text.lstrip(" ")
            lead = text[: len(text) - len(stripped)]
            for pattern, repl in _LINE_START:
                stripped = pattern.sub(repl, stripped)
            text = lead + stripped
        return text

    # -- inline

    def convert_a(self, el: Any, text: str, parent_tags: Any) -> str:
        if "_noformat" in parent_tags:
            return text
        href = (el.get("href") or "").strip()
        if not href or href.startswith("#") and not text.strip():
            return text
        title = el.get("title") or ""
        if not text.strip():
            return ""
        if el.get_text() == href and not title and re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]{1,31}:[^\s<>]*$", href):
            return f"<{href}>"
        prefix, suffix = _outer_spaces(text)
        return f"{prefix}[{text.strip()}]({_url(href)}{_title(title)}){suffix}"

    def convert_img(self, el: Any, text: str, parent_tags: Any) -> str:
        src = (el.get("src") or "").strip()
        alt = _ALL_WHITESPACE.sub(" ", el.get("alt") or "").strip()
        if "wp-smiley" in (el.get("class") or []) and alt:
            return alt
        if not src:
            return alt
        alt = alt.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
        return f"![{alt}]({_url(src)}{_title(el.get('title') or '')})"

    def convert_br(self, el: Any, text: str, parent_tags: Any) -> str:
        if _neighbour_char(el, -1) == "" or _neighbour_char(el, 1) == "":
            return ""  # a break at the start or end of a block shows nothing
        if "_inline" in parent_tags and not ({"td", "th"} & parent_tags):
            return " "
        if {"td", "th"} & parent_tags:
            return "<br>"
        return "\\\n"

    def convert_q(self, el: Any, text: str, parent_tags: Any) -> str:
        return f"<q>{text}</q>"

    def convert_code(self, el: Any, text: str, parent_tags: Any) -> str:
        if "pre" in parent_tags:
            return text
        text = _ALL_WHITESPACE.sub(" ", el.get_text())
        if not text.strip():
            return text
        ticks = max((len(t) for t in re.findall(r"`+", text)), default=0)
        fence = "`" * (ticks + 1)
        pad = " " if text.startswith("`") or text.endswith("`") or (text.startswith(" ") and text.endswith(" ") and text.strip()) else ""
        return f"{fence}{pad}{text}{pad}{fence}"

    convert_kbd = convert_code
    convert_samp = convert_code
    convert_tt = convert_code

    def convert_b(self, el: Any, text: str, parent_tags: Any) -> str:
        return self._emphasis(el, text, parent_tags, "**", "strong")

    convert_strong = convert_b

    def convert_em(self, el: Any, text: str, parent_tags: Any) -> str:
        return self._emphasis(el, text, parent_tags, "*", "em")

    convert_i = convert_em

    def _emphasis(self, el: Any, text: str, parent_tags: Any, mark: str, tag: str) -> str:
        """``**text**``, or ``<strong>`` where CommonMark would not read the marks as emphasis."""
        if "_noformat" in parent_tags:
            return text
        prefix, suffix = _outer_spaces(text)
        inner = text.strip()
        if not inner:
            return text
        if not el.get_text().strip():  # only an image (or nothing visible): nothing to emphasise
            return text
        if el.find_parent(["strong", "b"] if tag == "strong" else ["em", "i"]) is not None:
            return text  # already bold (or italic): CommonMark cannot nest the same marks this way
        before = _neighbour_char(el, -1)
        after = _neighbour_char(el, 1)
        if before in ("", "\n"):
            prefix = ""
        if after in ("", "\n"):
            suffix = ""
        if prefix:
            before = " "
        if suffix:
            after = " "
        if _flanks(before, inner[0], left=True) and _flanks(inner[-1], after, left=False):
            return f"{prefix}{mark}{inner}{mark}{suffix}"
        return f"{prefix}<{tag}>{inner}</{tag}>{suffix}"

    def convert_strike(self, el: Any, text: str, parent_tags: Any) -> str:
        return self.convert_del(el, text, parent_tags)

    # -- blocks

    def convert_pre(self, el: Any, text: str, parent_tags: Any) -> str:
        code = _pre_text(el)
        if not code.strip("\n"):
            return ""
        language = _code_language(el)
        code = code.strip("\n")
        fence_char = "`"
        runs = re.findall(r"^[ \t]*(`{3,}|~{3,})", code, re.MULTILINE)
        longest = max((len(r) for r in runs if r[0] == "`"), default=0)
        fence = fence_char * max(3, longest + 1)
        if "_inline" in parent_tags or {"td", "th"} & parent_tags:
            return "<code>" + html_lib.escape(code).replace("\n", "<br>") + "</code>"
        return f"\n\n{fence}{language}\n{code}\n{fence}\n\n"

    def convert_p(self, el: Any, text: str, parent_tags: Any) -> str:
        if "_inline" in parent_tags:
            if {"td", "th"} & parent_tags:
                return "<br>" + text.strip() + "<br>" if text.strip() else ""
            return " " + text.strip() + " "
        text = text.strip(" \t\r\n")
        return f"\n\n{text}\n\n" if text else ""

    def convert_hN(self, n: int, el: Any, text: str, parent_tags: Any) -> str:
        if "_inline" in parent_tags:
            return text
        text = _ALL_WHITESPACE.sub(" ", text.replace("\\\n", " ")).strip()
        text = re.sub(r"#+$", lambda m: "\\" + m.group(0), text)
        if not text:
            return ""
        return f"\n\n{'#' * max(1, min(6, n))} {text}\n\n"

    def convert_table(self, el: Any, text: str, parent_tags: Any) -> str:
        rows = [tr for tr in el.find_all("tr") if tr.find_parent("table") is el]
        if not rows:
            return text
        cells = [[c for c in tr.find_all(["td", "th"], recursive=False)] for tr in rows]
        width = max((sum(_colspan(c) for c in row) for row in cells), default=0)
        if width == 0:
            return ""
        lines_cells: list[list[str]] = []
        for row in cells:
            out: list[str] = []
            for c in row:
                out.append(self._cell(c, parent_tags))
                out.extend([""] * (_colspan(c) - 1))
            out.extend([""] * (width - len(out)))
            lines_cells.append(out)
        head_row = rows[0]
        has_head = head_row.find_parent("thead") is not None or all(c.name == "th" for c in cells[0])
        header = lines_cells.pop(0) if has_head else [""] * width
        aligns = [_align(c) for c in cells[0]] if cells[0] else []
        aligns = (aligns + [""] * width)[:width]
        lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(aligns) + " |"]
        lines += ["| " + " | ".join(r) + " |" for r in lines_cells]
        caption = el.find("caption")
        cap = ""
        if caption is not None and caption.find_parent("table") is el:
            cap = self.process_tag(caption, parent_tags=set(parent_tags)).strip()
        table = "\n".join(lines)
        return f"\n\n{cap}\n\n{table}\n\n" if cap else f"\n\n{table}\n\n"

    def _cell(self, cell: Any, parent_tags: Any) -> str:
        text = self.process_tag(cell, parent_tags=set(parent_tags) | {"table"})
        text = text.strip()
        text = re.sub(r"^(?:<br>)+|(?:<br>)+$", "", text)
        text = re.sub(r"(?:<br>){2,}", "<br>", text)
        return _ALL_WHITESPACE.sub(" ", text).strip()

    def convert_td(self, el: Any, text: str, parent_tags: Any) -> str:
        return text

    convert_th = convert_td

    def convert_tr(self, el: Any, text: str, parent_tags: Any) -> str:
        return text

    def convert_caption(self, el: Any, text: str, parent_tags: Any) -> str:
        return "" if el.find_parent("table") is not None else text

    def convert_figcaption(self, el: Any, text: str, parent_tags: Any) -> str:
        text = text.strip()
        return f"\n\n{text}\n\n" if text else ""

    def convert_figure(self, el: Any, text: str, parent_tags: Any) -> str:
        classes = el.get("class") or []
        if "wp-embed" in classes:
            return self.embed(el.get("data-url") or "", self._caption(el, parent_tags))
        image = _lone_image(el)
        if image is None:
            return f"\n\n{text.strip()}\n\n"
        caption_el = el.find("figcaption", recursive=False)
        return self.figure(image, caption_el, parent_tags)

    def _caption(self, el: Any, parent_tags: Any) -> str:
        caption_el = el.find("figcaption")
        if caption_el is None:
            return ""
        return self.process_tag(caption_el, parent_tags=set(parent_tags) | {"figure"}).strip()

    def figure(self, image: Any, caption_el: Any, parent_tags: Any) -> str:
        """An image (maybe linked) with its caption, in the configured ``figure_style``."""
        img = image.find("img") if image.name == "a" else image
        link = (image.get("href") or "").strip() if image.name == "a" else ""
        caption = ""
        if caption_el is not None:
            caption = self.process_tag(caption_el, parent_tags=set(parent_tags) | {"figure"}).strip()
        style = self.options["figure_style"]
        if style == "hugo":
            params = [("src", img.get("src") or ""), ("alt", img.get("alt") or ""), ("title", img.get("title") or ""),
                      ("link", link), ("caption", caption)]
            inner = " ".join(f"{k}={_hugo_param(v)}" for k, v in params if v.strip())
            return f"\n\n{{{{< figure {inner} >}}}}\n\n"
        if style == "html" and caption:
            img_html = f'<img src="{_attr(img.get("src") or "")}" alt="{_attr(img.get("alt") or "")}"'
            if img.get("title"):
                img_html += f' title="{_attr(img["title"])}"'
            img_html += ">"
            if link:
                img_html = f'<a href="{_attr(link)}">{img_html}</a>'
            cap_html = "".join(str(c) for c in caption_el.contents).strip()
            cap_html = _ALL_WHITESPACE.sub(" ", cap_html)
            return f"\n\n<figure>{img_html}<figcaption>{cap_html}</figcaption></figure>\n\n"
        md = self.convert_img(img, "", parent_tags)
        if link:
            md = f"[{md}]({_url(link)})"
        if not caption:
            return f"\n\n{md}\n\n"
        if "*" not in caption and "\n\n" not in caption and not caption.startswith(("_", "<", "!", "[")) \
                and not caption.endswith("\\"):
            caption = f"*{caption}*"
        return f"\n\n{md}\n\n{caption}\n\n"

    def embed(self, url: str, caption: str = "") -> str:
        """An embedded URL: a player for the video sites we know, else a link alone on its line."""
        url = url.strip()
        style = self.options["figure_style"]
        cap = f"\n\n{caption}\n\n" if caption else ""
        if style == "hugo":
            if m := _YOUTUBE.search(url):
                return f"\n\n{{{{< youtube {m.group(1)} >}}}}\n\n{cap}"
            if m := _VIMEO.search(url):
                return f"\n\n{{{{< vimeo {m.group(1)} >}}}}\n\n{cap}"
        player = embed_player(url)
        if player:
            return (f'\n\n<iframe src="{_attr(player)}" width="640" height="360" frameborder="0"'
                    f' allowfullscreen></iframe>\n\n{cap}')
        return f"\n\n<{url}>\n\n{cap}" if re.match(r"^https?://[^\s<>]+$", url) else f"\n\n{url}\n\n{cap}"

    def convert_iframe(self, el: Any, text: str, parent_tags: Any) -> str:
        src = (el.get("src") or "").strip()
        if not src:
            return ""
        keep = ["src", "width", "height", "title", "frameborder", "allow", "allowfullscreen"]
        attrs = "".join(_html_attr(k, el.get(k)) for k in keep if el.get(k) is not None)
        return f"\n\n<iframe{attrs}></iframe>\n\n"

    def convert_audio(self, el: Any, text: str, parent_tags: Any) -> str:
        return self._media(el, "audio")

    def convert_video(self, el: Any, text: str, parent_tags: Any) -> str:
        return self._media(el, "video")

    def _media(self, el: Any, kind: str) -> str:
        src = (el.get("src") or "").strip()
        sources = [s.get("src") for s in el.find_all("source") if s.get("src")]
        if not src and len(sources) == 1:
            src, sources = sources[0], []
        if not src and not sources:
            return ""
        keep = ["controls", "poster", "width", "height", "loop", "autoplay", "muted", "preload"] if kind == "video" \
            else ["controls", "loop", "autoplay", "preload"]
        attrs = " controls" if el.get("controls") is None else ""
        attrs += "".join(_html_attr(k, el.get(k)) for k in keep if el.get(k) is not None)
        if src:
            return f'\n\n<{kind}{attrs} src="{_attr(src)}"></{kind}>\n\n'
        inner = "".join(f'<source src="{_attr(s)}">' for s in sources)
        return f"\n\n<{kind}{attrs}>{inner}</{kind}>\n\n"

    def convert_object(self, el: Any, text: str, parent_tags: Any) -> str:
        return f"\n\n{_ALL_WHITESPACE.sub(' ', str(el))}\n\n"

    def convert_embed(self, el: Any, text: str, parent_tags: Any) -> str:
        if el.find_parent("object") is not None:
            return ""
        return f"\n\n{_ALL_WHITESPACE.sub(' ', str(el))}\n\n"

    def convert_details(self, el: Any, text: str, parent_tags: Any) -> str:
        summary = el.find("summary", recursive=False)
        summary_md = ""
        if summary is not None:
            summary_md = html_lib.escape(_ALL_WHITESPACE.sub(" ", summary.get_text()).strip(), quote=False)
        open_attr = " open" if el.get("open") is not None else ""
        head = f"<details{open_attr}>\n<summary>{summary_md}</summary>"
        return f"\n\n{head}\n\n{text.strip()}\n\n</details>\n\n"

    def convert_summary(self, el: Any, text: str, parent_tags: Any) -> str:
        return "" if el.parent is not None and el.parent.name == "details" else text

    def convert_wp_more(self, el: Any, text: str, parent_tags: Any) -> str:
        return "<!--more-->"

    def convert_hr(self, el: Any, text: str, parent_tags: Any) -> str:
        if "footnotes-sep" in (el.get("class") or []):  # markdown-it's rule above its footnotes
            return ""
        return "\n\n---\n\n"

    def convert_dt(self, el: Any, text: str, parent_tags: Any) -> str:
        text = _ALL_WHITESPACE.sub(" ", text.replace("\\\n", " ")).strip()
        if "_inline" in parent_tags:
            return " " + text + " "
        return f"\n\n{text}\n" if text else ""

    def convert_dd(self, el: Any, text: str, parent_tags: Any) -> str:
        text = text.strip()
        if "_inline" in parent_tags:
            return " " + text + " "
        if not text:
            return ""
        text = re.sub(r"^(.*)$", lambda m: "    " + m.group(1) if m.group(1) else "", text, flags=re.MULTILINE)
        return ":" + text[1:] + "\n"

    def convert_dl(self, el: Any, text: str, parent_tags: Any) -> str:
        return f"\n\n{text.strip()}\n\n"

    def convert_section(self, el: Any, text: str, parent_tags: Any) -> str:
        if "footnotes" in (el.get("class") or []):
            return self._footnote_list(el, parent_tags)
        return f"\n\n{text.strip()}\n\n"

    def convert_ol(self, el: Any, text: str, parent_tags: Any) -> str:
        if "wp-block-footnotes" in (el.get("class") or []):
            return self._footnote_list(el, parent_tags)
        return self.convert_list(el, text, parent_tags)

    def convert_li(self, el: Any, text: str, parent_tags: Any) -> str:
        out = super().convert_li(el, text, parent_tags)
        parent = el.parent
        if parent is None or not _alternate_marker(parent):
            return out
        # A list right after another of its kind would merge with it: the other marker keeps them apart.
        if parent.name == "ol":
            return re.sub(r"^(\d+)\.", r"\1)", out, count=1)
        return re.sub(r"^-", "*", out, count=1)

    def convert_sup(self, el: Any, text: str, parent_tags: Any) -> str:
        ref = _footnote_ref(el)
        if ref is not None:
            return f"[^{ref}]"
        return f"<sup>{text}</sup>" if text.strip() else ""

    def convert_sub(self, el: Any, text: str, parent_tags: Any) -> str:
        return f"<sub>{text}</sub>" if text.strip() else ""

    def _footnote_list(self, el: Any, parent_tags: Any) -> str:
        out = []
        items = el.find_all("li")
        for n, li in enumerate(items, 1):
            for back in li.find_all("a", href=True):
                if back["href"].startswith(("#fnref", "#")) and back.get_text().strip() in ("\u21a9\ufe0e", "\u21a9", "↩︎"):
                    back.decompose()
            body = self.process_tag(li, parent_tags=set(parent_tags) | {"_footnote"})
            body = body.strip()
            body = re.sub(r"^[-*+] |^\d+\. ", "", body)
            body = re.sub(r"\n(?=.)", "\n    ", body)
            out.append(f"[^{n}]: {body}")
        return "\n\n" + "\n\n".join(out) + "\n\n"


_PUNCT = re.compile(r"[!-/:-@\[-`{-~\u2000-\u206f\u2e00-\u2e7f\u3000-\u303f]")


def _is_space(ch: str) -> bool:
    return not ch or ch.isspace()


def _is_punct(ch: str) -> bool:
    return bool(ch) and bool(_PUNCT.match(ch))


def _flanks(before: str, after: str, left: bool) -> bool:
    """Would a ``*`` run between ``before`` and ``after`` open (left) or close emphasis (CommonMark)?"""
    if left:
        return not _is_space(after) and (not _is_punct(after) or _is_space(before) or _is_punct(before))
    return not _is_space(before) and (not _is_punct(before) or _is_space(after) or _is_punct(after))


def _neighbour_char(el: Any, direction: int) -> str:
    """The character just outside an element in the text (before it: -1, after it: 1); "" at a block
    edge, "\n" next to a line break."""
    node = el
    spaced = False
    while node is not None:
        sib = node.previous_sibling if direction < 0 else node.next_sibling
        while sib is not None:
            if isinstance(sib, Tag):
                if sib.name in _BLOCK_PARENTS | _LIST_AND_RULE:
                    return ""
                if sib.name == "br":
                    return "\n"
                if sib.name in ("img", "audio", "video", "iframe", "object", "embed"):
                    return " " if spaced else "x"
                text = sib.get_text()
            else:
                text = str(sib)
            if text.strip():
                if spaced:
                    return " "
                text = _ALL_WHITESPACE.sub(" ", text)
                return text[-1] if direction < 0 else text[0]
            if text:
                spaced = True
            sib = sib.previous_sibling if direction < 0 else sib.next_sibling
        node = node.parent
        if node is None or node.name in _BLOCK_PARENTS:
            return ""
    return ""


_LIST_AND_RULE = frozenset(["ul", "ol", "dl", "pre", "table", "hr", "figure"])
_WRAPPERS = frozenset(["div", "figure", "section", "article", "aside", "header", "footer", "main", "nav", "center", "span", "p"])


def _previous_list(lst: Any) -> Any:
    """The list that ends right before this one in the Markdown (same kind), if any: the two would merge."""
    node = lst
    while node is not None:
        sib = node.previous_sibling
        while sib is not None and not (isinstance(sib, Tag) or str(sib).strip()):
            sib = sib.previous_sibling
        if sib is None:
            node = node.parent
            if node is None or node.name not in _WRAPPERS:
                return None
            continue
        if not isinstance(sib, Tag):
            return None
        while sib.name in _WRAPPERS and sib.name != "p":  # the last thing inside a wrapper
            children = [c for c in sib.children if isinstance(c, Tag) or str(c).strip()]
            if not children or not isinstance(children[-1], Tag):
                return None
            sib = children[-1]
        return sib if sib.name == lst.name else None
    return None


def _alternate_marker(lst: Any, depth: int = 0) -> bool:
    """Every other list in a run of adjacent lists of one kind gets the other marker."""
    prev = _previous_list(lst)
    if prev is None or depth > 50:
        return False
    return not _alternate_marker(prev, depth + 1)


def _html_attr(name: str, value: Any) -> str:
    if isinstance(value, list):
        value = " ".join(value)
    if value == "" or value == name or value is None:
        return f" {name}"
    return f' {name}="{_attr(str(value))}"'


def _hugo_param(value: str) -> str:
    value = _ALL_WHITESPACE.sub(" ", value).strip()
    if "`" not in value:
        return f"`{value}`" if '"' in value or "\\" in value else f'"{value}"'
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _colspan(cell: Any) -> int:
    span = str(cell.get("colspan") or "1")
    return max(1, min(100, int(span))) if span.isdigit() else 1


def _align(cell: Any) -> str:
    style = (cell.get("style") or "").replace(" ", "").lower()
    classes = " ".join(cell.get("class") or [])
    align = (cell.get("align") or "").lower() or ("center" if "text-align:center" in style or "has-text-align-center" in classes
                                                  else "right" if "text-align:right" in style or "has-text-align-right" in classes
                                                  else "left" if "text-align:left" in style or "has-text-align-left" in classes else "")
    return {"center": ":---:", "right": "---:", "left": ":---"}.get(align, "---")


def _is_block(node: Any) -> bool:
    return isinstance(node, Tag) and (node.name in _BLOCK_PARENTS or node.name in _LIST_AND_RULE
                                      or node.name in ("audio", "video", "iframe", "wp-more"))


def _outer_spaces(text: str) -> tuple[str, str]:
    return (" " if text[:1].isspace() else "", " " if text[-1:].isspace() else "")


def _starts_line(el: Any) -> bool:
    """True when this text node starts a line of Markdown (first in its block, or after a <br>)."""
    prev = el.previous_sibling
    while prev is not None and isinstance(prev, NavigableString) and not str(prev).strip() and not isinstance(prev, Tag):
        prev = prev.previous_sibling
    if prev is not None:
        return isinstance(prev, Tag) and prev.name == "br"
    parent = el.parent
    while parent is not None and parent.name not in _BLOCK_PARENTS:
        if parent.previous_sibling is not None and (not isinstance(parent.previous_sibling, NavigableString)
                                                    or str(parent.previous_sibling).strip()):
            return False
        parent = parent.parent
    return True


def _lone_image(figure: Any) -> Any:
    """The figure's one image (or the link around it), when the figure holds only that and a caption."""
    images = figure.find_all("img")
    if len(images) != 1:
        return None
    img = images[0]
    node = img.parent if img.parent is not None and img.parent.name == "a" and img.parent.parent is figure else img
    if node.parent is not figure and not (node.parent is not None and node.parent.parent is figure
                                          and node.parent.name in ("div", "span", "p")
                                          and len([c for c in node.parent.children
                                                   if isinstance(c, Tag) or str(c).strip()]) == 1):
        return None
    for child in figure.children:
        if isinstance(child, Tag):
            if child.name == "figcaption" or child is node or node in child.descendants:
                continue
            if child.get_text().strip() or child.find(["img", "video", "audio", "iframe"]):
                return None
        elif str(child).strip():
            return None
    if node.name == "a" and node.get_text().strip():
        return None
    return node


def _footnote_ref(sup: Any) -> str | None:
    """The number of a footnote reference: WordPress's ``<sup data-fn>`` or markdown-it's ``footnote-ref``."""
    classes = sup.get("class") or []
    if sup.get("data-fn") is None and "footnote-ref" not in classes and "fn" not in classes:
        return None
    text = sup.get_text().strip().strip("[]")
    return text if text.isdigit() else None


def _pre_text(el: Any) -> str:
    """The text of a ``<pre>``: ``<br>`` as newlines, tags dropped."""
    parts: list[str] = []
    for node in el.descendants:
        if isinstance(node, Tag):
            if node.name == "br":
                parts.append("\n")
        elif isinstance(node, NavigableString) and type(node) is NavigableString or type(node).__name__ == "CData":
            parts.append(str(node))
    return "".join(parts).replace("\r\n", "\n").replace("\r", "\n")


def _code_language(el: Any) -> str:
    """The language of a ``<pre>`` from its ``class`` (``language-php``, ``lang-php``, ``brush: php``)."""
    classes = el.get("class") or []
    if isinstance(classes, str):
        classes = classes.split()
    for i, cls in enumerate(classes):
        for prefix in ("language-", "lang-"):
            if cls.startswith(prefix) and len(cls) > len(prefix):
                return re.sub(r"[^\w+#.-]", "", cls[len(prefix):])
        if cls == "brush:" and i + 1 < len(classes):
            return re.sub(r"[^\w+#.-]", "", classes[i + 1].rstrip(";"))
        if cls.startswith("brush:") and len(cls) > 6:
            return re.sub(r"[^\w+#.-]", "", cls[6:].rstrip(";"))
    code = el.find("code") if hasattr(el, "find") else None
    if code is not None and code is not el:
        return _code_language(code)
    return ""


# Elements whose start tag ends an open <p> (HTML5 parsing), and end tags that end it too.
_CLOSES_P = frozenset(
    ["address", "article", "aside", "blockquote", "details", "dialog", "div", "dl", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "main", "menu", "nav", "ol", "p", "pre", "section", "table", "ul"]
)
_ENDS_P = frozenset(["blockquote", "div", "li", "td", "th", "dd", "dt", "figure", "figcaption", "section", "article", "aside", "body", "html"])
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)\b[^>]*>|<!--.*?-->", re.DOTALL)


def close_paragraphs(html: str) -> str:
    """End each ``<p>`` where a browser ends it: before a block (``<figure>``, ``<div>``…) or at the end
    of its container. WordPress's paragraphs often wrap blocks a shortcode expanded into."""
    if "<p" not in html:
        return html
    out: list[str] = []
    pos = 0
    p_open = False
    for m in _TAG.finditer(html):
        closing, name = m.group(1), (m.group(2) or "").lower()
        if not name:
            continue
        insert = ""
        drop = False
        if not closing and name in _CLOSES_P and p_open:
            insert, p_open = "</p>", False
        elif closing and name == "p":
            if p_open:
                p_open = False
            else:
                drop = True
        elif closing and name in _ENDS_P and p_open:
            insert, p_open = "</p>", False
        if not closing and name == "p":
            p_open = True
        out.append(html[pos:m.start()])
        out.append(insert)
        if not drop:
            out.append(m.group(0))
        pos = m.end()
    out.append(html[pos:])
    return "".join(out)


def _prepare(html: str) -> str:
    """WordPress's content comments as elements the converter sees; paragraphs closed as browsers do."""
    html = close_paragraphs(html)
    html = _MORE.sub("<wp-more></wp-more>", html)
    html = _NEXTPAGE.sub('<hr class="wp-nextpage">', html)
    return _NOTEASER.sub("", html)


_FENCE = re.compile(r"^[ >]*(`{3,}|~{3,})")
_INNER_SPACES = re.compile(r"(?<=[^ >])  +(?=\S)")


def _collapse_spaces(text: str) -> str:
    """Runs of spaces inside a line are one space to a reader (not in fenced code)."""
    if "  " not in text:
        return text
    lines = text.split("\n")
    fence = ""
    for i, line in enumerate(lines):
        m = _FENCE.match(line)
        if m:
            if not fence:
                fence = m.group(1)
            elif m.group(1).startswith(fence[0]) and len(m.group(1)) >= len(fence):
                fence = ""
            continue
        if not fence and not line.lstrip(" >").startswith("|"):
            lines[i] = _INNER_SPACES.sub(" ", line)
    return "\n".join(lines)


def html_to_markdown(html: str, converter: MarkdownConverter | None = None, **options: Any) -> str:
    """Convert an HTML fragment to tidy Markdown ending in one newline (empty string for no content)."""
    if not html.strip():
        return ""
    text = (converter or WordPressConverter(**options)).convert(_prepare(html))
    text = _TRAILING_SPACE.sub("\n", text)
    text = _EXTRA_BLANK_LINES.sub("\n\n", text).strip("\n")
    text = _DANGLING_BREAK.sub("", text)
    text = _LEADING_BREAK.sub(r"\1", text)
    text = _BREAK_THEN_SPACE.sub("\\\n", text)
    text = _EDGE_NBSP_START.sub(r"\1", text)
    text = _EDGE_NBSP_END.sub("", text)
    text = _collapse_spaces(text)
    text = _TRAILING_SPACE.sub("\n", text + "\n")
    text = _EXTRA_BLANK_LINES.sub("\n\n", text).strip("\n")
    return text + "\n" if text else ""
