"""The mix of content in WordPress exports: what share of posts hold captions, lists, quotes, tables...

    python benchmarks/corpus_mix.py ../shared/corpus/*.xml exports/film-reviews.xml
    python benchmarks/corpus_mix.py /dev/shm/e10k.xml            # a generated export, to compare

Prints one Markdown table: a column per export and one for all of them together, a row per measure.
The posts counted are the items of type ``post`` and ``page`` in any status but ``trash`` and
``auto-draft`` (what a user's site shows or could show); attachments are counted apart. Each export is
read as a stream (lxml's ``iterparse``, items cleared as they go), so any size can be measured; the
figures are those :mod:`generate_export`'s ``corpus`` mix reproduces.

What a post "has" is found in its ``content:encoded`` by markup any editor leaves:

- caption: ``[caption``, ``[wp_caption``, ``<figcaption`` or ``wp-caption``
- list: ``<ul`` or ``<ol``; quote: ``<blockquote``; table: ``<table``; heading: ``<h1``..``<h6``
- gallery: ``[gallery`` or a ``wp:gallery`` block; image: ``<img``; link: ``<a href``
- blocks: a ``<!-- wp:`` comment (written by the block editor)
- embed: ``[embed``, ``[youtube``, ``[vimeo``, ``[wpvideo``, ``[video``, ``[audio``, a ``wp:embed``
  block, an ``<iframe`` or a bare URL alone on a line (WordPress's oEmbed)
- code: ``<pre``, ``<code``, ``[code``, ``[sourcecode`` or a ``wp:code`` block
- shortcode: any ``[name ...]`` WordPress could read as one
- <p> tags: ``<p>`` or ``<p `` anywhere; classic autop text: no ``<p>``, no blocks, and a blank line or
  a newline between text (the form the classic editor saves and ``wpautop`` turns into paragraphs)
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
from collections import Counter
from pathlib import Path

from lxml import etree

FEATURES: dict[str, re.Pattern[str]] = {
    "caption": re.compile(r"\[(?:wp_)?caption[\s\]]|<figcaption|wp-caption", re.I),
    "list": re.compile(r"<[ou]l[\s>]", re.I),
    "quote": re.compile(r"<blockquote[\s>]", re.I),
    "table": re.compile(r"<table[\s>]", re.I),
    "heading": re.compile(r"<h[1-6][\s>]", re.I),
    "gallery": re.compile(r"\[gallery[\s\]]|<!-- wp:gallery", re.I),
    "image": re.compile(r"<img[\s/>]", re.I),
    "link": re.compile(r"<a\s[^>]*href", re.I),
    "blocks": re.compile(r"<!-- wp:"),
    "embed": re.compile(r"\[(?:embed|youtube|vimeo|wpvideo|video|audio)[\s\]=]|<!-- wp:(?:core-)?embed"
                        r"|<iframe[\s>]|^[ \t]*https?://\S+[ \t]*$", re.I | re.M),
    "code": re.compile(r"<pre[\s>]|<code[\s>]|\[(?:source)?code[\s\]]|<!-- wp:code", re.I),
    "shortcode": re.compile(r"\[(?!/)[a-zA-Z_][\w-]*(?:[\s/]|\])"),
}
P_TAG = re.compile(r"<p[\s>]", re.I)
TEXT_BREAK = re.compile(r"\S[ \t]*\r?\n")
COUNTED = ("post", "page")
LEFT_OUT = ("trash", "auto-draft")


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


class Mix:
    """Counts over the posts of one or more exports."""

    def __init__(self) -> None:
        self.posts = 0
        self.types: Counter[str] = Counter()
        self.has: Counter[str] = Counter()
        self.p_tags = 0
        self.autop = 0
        self.empty = 0
        self.lengths: list[int] = []
        self.comments: list[int] = []
        self.terms: list[int] = []
        self.attachments = 0
        self.thumbnails = 0
        self.excerpts = 0
        self.published = 0
        self.bytes = 0

    def add_item(self, item: etree._Element) -> None:
        fields: dict[str, str] = {}
        comments = terms = 0
        thumbnail = False
        for child in item:
            name = _local(child.tag)
            if name == "comment":
                comments += 1
            elif name == "category":
                terms += 1
            elif name == "postmeta":
                key = next((c.text for c in child if _local(c.tag) == "meta_key"), "")
                thumbnail = thumbnail or key == "_thumbnail_id"
            elif name in ("encoded", "post_type", "status"):
                # content:encoded and excerpt:encoded share a local name: the namespace tells them apart
                key = "excerpt" if name == "encoded" and "excerpt" in child.tag else name
                fields[key] = child.text or ""
        kind = fields.get("post_type", "")
        if kind == "attachment":
            self.attachments += 1
        if kind not in COUNTED or fields.get("status", "") in LEFT_OUT:
            return
        self.posts += 1
        self.types[kind] += 1
        self.published += fields.get("status") == "publish"
        content = fields.get("encoded", "")
        self.lengths.append(len(content))
        self.comments.append(comments)
        self.terms.append(terms)
        self.thumbnails += thumbnail
        self.excerpts += bool(fields.get("excerpt", "").strip())
        if not content.strip():
            self.empty += 1
            return
        for name, pattern in FEATURES.items():
            if pattern.search(content):
                self.has[name] += 1
        if P_TAG.search(content):
            self.p_tags += 1
        elif not FEATURES["blocks"].search(content) and TEXT_BREAK.search(content.strip()):
            self.autop += 1

    def read(self, path: Path) -> None:
        self.bytes += path.stat().st_size
        for _, item in etree.iterparse(str(path), tag="item", huge_tree=True, resolve_entities=False):
            self.add_item(item)
            item.clear(keep_tail=False)
            while item.getprevious() is not None:
                del item.getparent()[0]

    def merge(self, other: Mix) -> None:
        for name in ("posts", "p_tags", "autop", "empty", "attachments", "thumbnails", "excerpts", "published",
                     "bytes"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.types.update(other.types)
        self.has.update(other.has)
        self.lengths += other.lengths
        self.comments += other.comments
        self.terms += other.terms

    def rows(self) -> list[tuple[str, str]]:
        n = self.posts or 1

        def share(count: int) -> str:
            return f"{100 * count / n:.0f}%"

        def pct(values: list[int], q: float) -> str:
            if not values:
                return "-"
            ordered = sorted(values)
            return f"{ordered[min(len(ordered) - 1, int(q * len(ordered)))]:,}"

        rows = [("posts (post / page)", f"{self.posts} ({self.types['post']} / {self.types['page']})"),
                ("published", share(self.published)),
                ("export MB per 1,000 posts", f"{self.bytes / 1e3 / n:.1f}")]
        rows += [(f"with {name}", share(self.has[name])) for name in FEATURES]
        rows += [("with <p> tags", share(self.p_tags)),
                 ("classic autop text (no <p>, no blocks)", share(self.autop)),
                 ("empty content", share(self.empty)),
                 ("content chars: median", pct(self.lengths, 0.5)),
                 ("content chars: p90", pct(self.lengths, 0.9)),
                 ("content chars: mean", f"{statistics.fmean(self.lengths):,.0f}" if self.lengths else "-"),
                 ("comments per post: mean", f"{statistics.fmean(self.comments):.2f}" if self.comments else "-"),
                 ("with comments", share(sum(1 for c in self.comments if c))),
                 ("comments per post: p90", pct(self.comments, 0.9)),
                 ("terms per post: mean", f"{statistics.fmean(self.terms):.2f}" if self.terms else "-"),
                 ("with a featured image", share(self.thumbnails)),
                 ("with an excerpt", share(self.excerpts)),
                 ("attachments per post", f"{self.attachments / n:.2f}")]
        return rows


def table(paths: list[Path]) -> str:
    columns: list[tuple[str, Mix]] = []
    total = Mix()
    for path in paths:
        mix = Mix()
        mix.read(path)
        total.merge(mix)
        columns.append((path.name, mix))
    if len(columns) > 1:
        columns.append(("all", total))
    lines = ["| measure | " + " | ".join(name for name, _ in columns) + " |",
             "|---|" + "---|" * len(columns)]
    cells = [mix.rows() for _, mix in columns]
    for i, (label, _) in enumerate(cells[0]):
        lines.append(f"| {label} | " + " | ".join(rows[i][1] for rows in cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("exports", nargs="+", type=Path, help="WXR files (.xml)")
    args = parser.parse_args(argv)
    missing = [str(p) for p in args.exports if not p.is_file()]
    if missing:
        print(f"corpus_mix: no such file: {', '.join(missing)}", file=sys.stderr)
        return 2
    print(table(args.exports))
    return 0


if __name__ == "__main__":
    sys.exit(main())
