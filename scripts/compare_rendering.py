#!/usr/bin/env python3
"""Compare our Markdown with what WordPress itself renders, post by post, block by block.

    python scripts/compare_rendering.py EXPORT.xml [EXPORT.xml ...] [--env DIR/env.json] [--verbose]

For every post and page the converter writes, two renderings of the body are compared:

* WordPress's: the export is loaded into a real WordPress (scripts/wordpress-env.sh) inside a
  database transaction that is rolled back afterwards (so galleries find their attachments,
  reusable blocks their ``wp_block`` posts, footnotes their post meta), then each post's content
  goes through ``apply_filters('the_content', …)`` with that post as the global ``$post``:
  do_blocks, wptexturize, wpautop, shortcode_unautop, do_shortcode, embeds and the rest;
* ours: the Markdown body the pipeline writes, rendered by a CommonMark renderer (markdown-it-py,
  with GFM tables and raw HTML on, as Hugo's Goldmark renders it).

Both HTML texts are cut into blocks (paragraphs, headings, list items, table cells, captions…) and
each block is reduced to normalized text (see :func:`normalize_text`) with tokens for what is not
text (images, audio, video, embeds, rules). A post matches when both lists of blocks are equal.

What the comparison leaves out, and why (README: Known limitations):

* blocks whose output is the *site's* other content or the visitor's state, not the post's
  (:data:`SITE_BLOCKS`: latest posts, archives, search forms, query loops, comment forms…): the
  oracle's WordPress is not the old site, so what they show there means nothing; we drop them;
* the oracle's WordPress has no network, so it shows an embed as its URL: a block that is a
  player (``<iframe>``) or a link standing alone whose text is its URL both count as ``embed:URL``
  (a YouTube, Vimeo or VideoPress page and its player are the same embed);
* the site's rule files (mappings/: boilerplate removal, fields taken into front matter) are
  deliberate edits of the content, so our side is converted with no rules;
* what the importer would do: attachments without ``_wp_attached_file`` get it from their URL;
  a gallery in random order is compared in the order given; Jetpack's ``[youtube]``, ``[vimeo]``
  and ``[wpvideo]`` are registered as embeds of their URL; block footnotes (WordPress 6.3) are
  rendered by 6.3's own function when the oracle is older;
* markdown-it's footnote rule (``hr.footnotes-sep``) is not a block; footnote marks compare by number.

Prints, per export, the share of posts that match and every post that does not, with its first
differing block. Exit code 0 when every post matches, 1 otherwise, 2 on errors.
"""

from __future__ import annotations

import argparse
import base64
import html as html_lib
import json
import os
import re
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree
from lxml import html as lxml_html

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from migrate import pipeline
from migrate.extract.wxr import qname, read_wxr
from migrate.rules import RuleSet
from migrate.transform.classify import skip_reason

#: Post types compared (what a reader reads as a post or a page).
COMPARED_TYPES = ("post", "page")

#: Core blocks whose output comes from the site's database or the visitor, not from the post.
SITE_BLOCKS = frozenset(
    "core/" + name
    for name in ["archives", "avatar", "calendar", "categories", "latest-comments", "latest-posts", "loginout", "navigation", "navigation-link", "navigation-submenu", "page-list", "page-list-item", "pattern", "read-more", "rss", "search", "site-logo", "site-tagline", "site-title", "tag-cloud", "template-part", "term-description", "query", "query-title", "query-pagination", "query-pagination-next", "query-pagination-previous", "query-pagination-numbers", "query-no-results", "post-template", "post-title", "post-date", "post-excerpt", "post-featured-image", "post-terms", "post-author", "post-author-name", "post-author-biography", "post-navigation-link", "post-comments-form", "post-content", "comments", "comments-title", "comments-pagination", "comments-pagination-next", "comments-pagination-previous", "comments-pagination-numbers", "comment-template", "comment-author-name", "comment-content", "comment-date", "comment-edit-link", "comment-reply-link", "home-link"]
)

# ----------------------------------------------------------------------------- WordPress side

#: Loads the export's items into WordPress inside a transaction, renders the asked posts with
#: the_content, and rolls everything back.
_PHP_RENDER = r"""
$req = json_decode(stream_get_contents(STDIN), true, 512, JSON_THROW_ON_ERROR);
global $wpdb;
foreach (array($wpdb->posts, $wpdb->postmeta) as $table) {
    $engine = $wpdb->get_var($wpdb->prepare(
        'SELECT ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %s', $table));
    if (strtolower((string) $engine) !== 'innodb') {
        fwrite(STDERR, "compare_rendering: $table is not InnoDB ($engine): cannot roll back\n");
        exit(2);
    }
}
$site_blocks = array_flip($req['site_blocks']);
add_filter('pre_render_block', function ($pre, $block) use ($site_blocks) {
    return isset($site_blocks[$block['blockName']]) ? '' : $pre;
}, 1000, 2);
// No network here: an embed falls back to its URL. Mark it, so the comparison knows it was one.
add_filter('embed_maybe_make_link', function ($output, $url) {
    return '<a data-wp-embed="1" href="' . esc_url($url) . '">' . esc_html($url) . '</a>';
}, 10, 2);
add_filter('pre_http_request', function () { return new WP_Error('offline', 'no network'); });
// A random gallery order is compared as the order given.
add_filter('shortcode_atts_gallery', function ($out) {
    if ('rand' === strtolower((string) $out['orderby'])) { $out['orderby'] = 'post__in'; }
    return $out;
});
// Jetpack's video shortcodes (not in core): registered as embeds of their URL, as Jetpack does.
$embed_sc = function ($url) { return $GLOBALS['wp_embed']->maybe_make_link($url); };
add_shortcode('youtube', function ($a) use ($embed_sc) {
    $u = isset($a[0]) ? $a[0] : (isset($a['url']) ? $a['url'] : '');
    return $embed_sc(false === strpos($u, '://') ? 'https://www.youtube.com/watch?v=' . $u : $u);
});
add_shortcode('vimeo', function ($a) use ($embed_sc) {
    $u = isset($a[0]) ? $a[0] : (isset($a['id']) ? $a['id'] : '');
    return $embed_sc(ctype_digit($u) ? 'https://vimeo.com/' . $u : $u);
});
foreach (array('wpvideo', 'videopress') as $tag) {
    add_shortcode($tag, function ($a) use ($embed_sc) {
        return $embed_sc('https://videopress.com/v/' . (isset($a[0]) ? $a[0] : ''));
    });
}
// Block footnotes are WordPress 6.3's: an older oracle renders them as 6.3 does (its own function).
if (!WP_Block_Type_Registry::get_instance()->is_registered('core/footnotes')) {
    register_block_type('core/footnotes', array('render_callback' => function ($attributes, $content, $block) {
        if (!isset($block->context['postId'])) { $post_id = get_the_ID(); } else { $post_id = $block->context['postId']; }
        $footnotes = get_post_meta($post_id, 'footnotes', true);
        if (!$footnotes) { return; }
        $footnotes = json_decode($footnotes, true);
        if (!is_array($footnotes) || count($footnotes) === 0) { return ''; }
        $block_content = '';
        foreach ($footnotes as $footnote) {
            $block_content .= sprintf('<li id="%1$s">%2$s <a href="#%1$s-link">&#8617;&#65038;</a></li>',
                $footnote['id'], $footnote['content']);
        }
        return sprintf('<ol class="wp-block-footnotes">%1$s</ol>', $block_content);
    }));
}
$wpdb->query('START TRANSACTION');
try {
    $ids = array();
    foreach ($req['items'] as $item) { $ids[] = (int) $item['ID']; }
    if ($ids) {
        $list = implode(',', $ids);
        $wpdb->query("DELETE FROM {$wpdb->posts} WHERE ID IN ($list)");
        $wpdb->query("DELETE FROM {$wpdb->postmeta} WHERE post_id IN ($list)");
    }
    foreach ($req['items'] as $item) {
        $meta = $item['meta'];
        unset($item['meta']);
        foreach (array('post_content', 'post_excerpt', 'post_title') as $k) {
            $item[$k] = base64_decode($item[$k]);
        }
        if ('attachment' === $item['post_type']) {
            $type = wp_check_filetype(basename(parse_url($item['guid'], PHP_URL_PATH) ?: ''));
            $item['post_mime_type'] = $type['type'] ? $type['type'] : '';
        }
        $item['post_author'] = 1;
        if (false === $wpdb->insert($wpdb->posts, $item)) {
            fwrite(STDERR, "compare_rendering: cannot insert item {$item['ID']}: {$wpdb->last_error}\n");
            exit(2);
        }
        if ('attachment' === $item['post_type'] && !in_array('_wp_attached_file', array_column($meta, 0), true)) {
            // What the WordPress importer records when it fetches the file: its path under uploads.
            $path = parse_url($item['guid'], PHP_URL_PATH) ?: '';
            if (preg_match('#(?:/uploads(?:/sites/\d+)?)?/(\d{4}/\d{2}/[^/]+)$#', $path, $pm)) {
                $meta[] = array('_wp_attached_file', base64_encode($pm[1]));
            } elseif ($path) {
                $meta[] = array('_wp_attached_file', base64_encode(ltrim($path, '/')));
            }
        }
        foreach ($meta as $m) {
            $wpdb->insert($wpdb->postmeta, array(
                'post_id' => $item['ID'], 'meta_key' => $m[0], 'meta_value' => base64_decode($m[1])));
        }
        clean_post_cache((int) $item['ID']);
    }
    $out = array();
    foreach ($req['render'] as $id) {
        $post = get_post((int) $id);
        $GLOBALS['post'] = $post;
        setup_postdata($post);
        ob_start();
        $html = apply_filters('the_content', $post->post_content);
        ob_end_clean();
        $out[(string) $id] = base64_encode((string) $html);
    }
    echo json_encode($out);
} finally {
    $wpdb->query('ROLLBACK');
}
"""

_MYSQL_ZERO = "0000-00-00 00:00:00"


def raw_items(path: str | Path) -> list[dict[str, Any]]:
    """Every item of a WXR file as the ``wp_posts`` row (and meta rows) WordPress's importer makes."""
    items = []
    for _, el in etree.iterparse(str(path), tag="item", resolve_entities=False, no_network=True,
                                 huge_tree=True, remove_comments=True):
        v: dict[str, str] = {}
        meta: list[list[str]] = []
        for c in el:
            n = qname(c.tag)
            if n == "wp:postmeta":
                m = {qname(x.tag): x.text or "" for x in c}
                meta.append([m.get("wp:meta_key", ""), _b64(m.get("wp:meta_value", ""))])
            elif n and n != "category" and n != "wp:comment":
                v[n] = c.text or ""
        el.clear()
        post_type = v.get("wp:post_type", "post").strip() or "post"
        if post_type in ("nav_menu_item", "revision"):
            continue
        try:
            post_id = int(v.get("wp:post_id", "0").strip() or 0)
        except ValueError:
            continue
        if post_id <= 0:
            continue
        guid = v.get("guid", "").strip()
        if post_type == "attachment":
            guid = v.get("wp:attachment_url", "").strip() or guid
        items.append({
            "ID": post_id,
            "post_date": v.get("wp:post_date", "").strip() or _MYSQL_ZERO,
            "post_date_gmt": v.get("wp:post_date_gmt", "").strip() or _MYSQL_ZERO,
            "post_modified": v.get("wp:post_modified", "").strip() or v.get("wp:post_date", "").strip() or _MYSQL_ZERO,
            "post_modified_gmt": v.get("wp:post_modified_gmt", "").strip() or _MYSQL_ZERO,
            "post_content": _b64(v.get("content:encoded", "")),
            "post_excerpt": _b64(v.get("excerpt:encoded", "")),
            "post_title": _b64(v.get("title", "")),
            "post_status": v.get("wp:status", "publish").strip() or "publish",
            "comment_status": v.get("wp:comment_status", "closed").strip() or "closed",
            "ping_status": v.get("wp:ping_status", "closed").strip() or "closed",
            "post_password": v.get("wp:post_password", ""),
            "post_name": v.get("wp:post_name", "").strip(),
            "to_ping": "",
            "pinged": "",
            "post_content_filtered": "",
            "post_parent": _int(v.get("wp:post_parent")),
            "guid": guid,
            "menu_order": _int(v.get("wp:menu_order")),
            "post_type": post_type,
            "meta": meta,
        })
    return items


def _int(text: str | None) -> int:
    try:
        return int((text or "0").strip() or 0)
    except ValueError:
        return 0


def _b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8", "surrogateescape")).decode("ascii")


def wordpress_renderings(wp: Any, items: list[dict[str, Any]], ids: Sequence[int]) -> dict[int, str]:
    """WordPress's ``the_content`` of each post in ``ids``, with the export loaded (then rolled back)."""
    if not ids:
        return {}
    request = {"items": items, "render": list(ids), "site_blocks": sorted(SITE_BLOCKS)}
    out = json.loads(wp.php(_PHP_RENDER, json.dumps(request), timeout=600 + 2 * len(ids)))
    return {int(k): base64.b64decode(v).decode("utf-8", "surrogateescape") for k, v in out.items()}


# ----------------------------------------------------------------------------- our side


def our_markdown(path: str | Path, options: pipeline.Options | None = None) -> dict[int, tuple[str, str]]:
    """id → (title, Markdown body) of every post and page the converter writes from the export."""
    source = read_wxr(path)
    options = options or pipeline.Options(rules=RuleSet())
    ctx = pipeline.Context(site=source.site, index=source.index, options=options)
    result: dict[int, tuple[str, str]] = {}
    for post in source.posts():
        if post.post_type not in COMPARED_TYPES or skip_reason(post):
            continue
        converted, _ = pipeline.transform(post, ctx)
        ctx.take_counts()
        result[post.id] = (post.title, converted.body or "")
    return result


def render_markdown(markdown: str) -> str:
    """Our Markdown as HTML: CommonMark with raw HTML, GFM tables and strikethrough, definition lists
    and footnotes: the extensions Hugo's Goldmark (and kramdown) have on."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.deflist import deflist_plugin
    from mdit_py_plugins.footnote import footnote_plugin

    md = MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")
    return md.use(deflist_plugin).use(footnote_plugin).render(markdown)


# ----------------------------------------------------------------------------- blocks

_BLOCK_TAGS = frozenset(
    ["address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "html", "center"]
)
_SKIP_TAGS = frozenset(["script", "style", "noscript", "template", "head", "title", "button", "input", "select", "textarea", "option"])

_QUOTES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2015": "-",
    "\u2026": "...", "\u00d7": "x", "\u2122": "(tm)", "\u00a0": " ",
})
_DASHES = re.compile(r"-{2,}")
_SPACES = re.compile(r"\s+")
_SIZE_SUFFIX = re.compile(r"-\d+x\d+(?=\.[A-Za-z0-9]+$)")


def normalize_text(text: str) -> str:
    """Text as compared: curly quotes, dashes and ellipses (wptexturize's) plain; whitespace collapsed."""
    text = text.translate(_QUOTES).replace("``", '"').replace("''", '"')
    text = _DASHES.sub("-", text)
    return _SPACES.sub(" ", text).strip()


def media_key(url: str) -> str:
    """An image, audio or video file by its name, whatever host or size WordPress picked."""
    path = html_lib.unescape(url or "").split("?", 1)[0].split("#", 1)[0].rstrip("/")
    name = path.rsplit("/", 1)[-1]
    return _SIZE_SUFFIX.sub("", name).lower()


_YOUTUBE = re.compile(r"(?:youtube(?:-nocookie)?\.com/(?:watch\?(?:.*&)?v=|embed/|v/|shorts/)|youtu\.be/)([\w-]{6,})")
_VIMEO = re.compile(r"vimeo\.com/(?:video/)?(\d+)")
_VIDEOPRESS = re.compile(r"videopress\.com/(?:v|embed)/(\w+)")


def embed_key(url: str) -> str:
    """An embedded URL, the same for a player and its page (``youtube:ID``, ``vimeo:ID``, else the URL)."""
    url = html_lib.unescape(url or "").strip()
    if m := _YOUTUBE.search(url):
        return "youtube:" + m.group(1)
    if m := _VIMEO.search(url):
        return "vimeo:" + m.group(1)
    if m := _VIDEOPRESS.search(url):
        return "videopress:" + m.group(1)
    return re.sub(r"^https?://(www\.)?", "", url).rstrip("/")


@dataclass
class _Blocks:
    blocks: list[str] = field(default_factory=list)
    current: list[str] = field(default_factory=list)

    def flush(self) -> None:
        text = normalize_text("".join(self.current))
        self.current = []
        if text:
            self.blocks.append(text)

    def token(self, text: str) -> None:
        self.current.append(f" [{text}] ")


def blocks_of(html: str) -> list[str]:
    """The blocks of an HTML fragment, each as normalized text with tokens for media."""
    out = _Blocks()
    if not html.strip():
        return []
    try:
        root = lxml_html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return [normalize_text(html)]
    _walk(root, out)
    out.flush()
    return out.blocks


def _walk(el: Any, out: _Blocks) -> None:
    for child in el:
        if child.tag is etree.Comment:
            if (child.text or "").strip().lower() == "nextpage":
                out.flush()
                out.blocks.append("[---]")
        elif isinstance(child.tag, str):
            _element(child, out)
        if child.tail:
            out.current.append(child.tail)


def _element(el: Any, out: _Blocks) -> None:
    tag = el.tag.lower()
    if tag in _SKIP_TAGS:
        return
    if tag == "br":
        out.current.append(" ")
        return
    if tag == "sup" and (el.get("data-fn") is not None or "footnote-ref" in (el.get("class") or "")):
        out.token("fn " + normalize_text(el.text_content()).strip("[]"))
        return
    if tag == "hr":
        if "footnotes-sep" in (el.get("class") or ""):
            return
        out.flush()
        out.blocks.append("[---]")
        return
    if tag == "img":
        if "wp-smiley" in (el.get("class") or ""):
            out.current.append(el.get("alt") or "")
        else:
            out.token(f"img {media_key(el.get('src', ''))} {normalize_text(el.get('alt') or '')}".strip())
        return
    if tag in ("audio", "video"):
        src = el.get("src") or next((s.get("src") for s in el.iter("source") if s.get("src")), "")
        out.token(f"{tag} {media_key(src)}")
        return
    if tag in ("iframe", "embed", "object"):
        out.flush()
        out.token(f"embed {embed_key(el.get('src') or el.get('data') or '')}")
        out.flush()
        return
    if tag == "a" and el.get("data-wp-embed"):
        out.token(f"embed {embed_key(el.get('href', ''))}")
        return
    block = tag in _BLOCK_TAGS
    if block:
        out.flush()
    if el.text:
        out.current.append(el.text)
    _walk(el, out)
    if block:
        out.flush()


def lone_links_as_embeds(html: str) -> str:
    """A block holding nothing but one link whose text is its URL reads as an embed of that URL."""
    def repl(m: re.Match[str]) -> str:
        href, text = html_lib.unescape(m.group(2)), html_lib.unescape(m.group(3))
        if href.strip() == text.strip():
            return f'{m.group(1)}<a data-wp-embed="1" href="{m.group(2)}">{m.group(3)}</a>{m.group(4)}'
        return m.group(0)

    return re.sub(r'(<(?:p|div|figure)[^>]*>\s*)<a href="([^"]*)"[^>]*>([^<]*)</a>(\s*</(?:p|div|figure)>)', repl, html)


# ----------------------------------------------------------------------------- comparison


@dataclass
class PostResult:
    id: int
    title: str
    ours: list[str]
    theirs: list[str]

    @property
    def matches(self) -> bool:
        return self.ours == self.theirs

    def first_difference(self) -> tuple[int, str | None, str | None]:
        for i, (a, b) in enumerate(zip(self.theirs, self.ours)):
            if a != b:
                return i, b, a
        n = min(len(self.ours), len(self.theirs))
        return (n, self.ours[n] if n < len(self.ours) else None, self.theirs[n] if n < len(self.theirs) else None)


@dataclass
class ExportResult:
    path: Path
    posts: list[PostResult]

    @property
    def matching(self) -> int:
        return sum(1 for p in self.posts if p.matches)

    @property
    def share(self) -> float:
        return self.matching / len(self.posts) if self.posts else 1.0

    def mismatches(self) -> list[PostResult]:
        return [p for p in self.posts if not p.matches]


def compare_export(wp: Any, path: str | Path, options: pipeline.Options | None = None,
                   dump: Path | None = None) -> ExportResult:
    """Compare every post and page of one export with WordPress's own rendering.

    With ``dump``, also write each post's three texts there (``ID.wp.html``, ``ID.md``, ``ID.md.html``)."""
    ours = our_markdown(path, options)
    theirs = wordpress_renderings(wp, raw_items(path), sorted(ours))
    posts = []
    for post_id, (title, markdown) in ours.items():
        our_html = lone_links_as_embeds(render_markdown(markdown))
        wp_html = lone_links_as_embeds(theirs.get(post_id, ""))
        if dump:
            folder = dump / Path(path).stem
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{post_id}.wp.html").write_text(theirs.get(post_id, ""), "utf-8")
            (folder / f"{post_id}.md").write_text(markdown, "utf-8")
            (folder / f"{post_id}.md.html").write_text(our_html, "utf-8")
        posts.append(PostResult(post_id, title, blocks_of(our_html), blocks_of(wp_html)))
    return ExportResult(Path(path), posts)


def format_result(result: ExportResult, verbose: bool = False) -> Iterator[str]:
    yield (f"{result.path.name}: {result.matching}/{len(result.posts)} posts match WordPress's rendering"
           f" ({100 * result.share:.1f}%)")
    for p in result.mismatches():
        i, ours, theirs = p.first_difference()
        yield f"  #{p.id} {p.title!r}: block {i + 1} differs"
        yield f"      WordPress: {_short(theirs)}"
        yield f"      ours:      {_short(ours)}"
        if verbose:
            yield "      -- all WordPress blocks:"
            yield from (f"        {b}" for b in p.theirs)
            yield "      -- all our blocks:"
            yield from (f"        {b}" for b in p.ours)


def _short(block: str | None, limit: int = 160) -> str:
    if block is None:
        return "(no block)"
    return block if len(block) <= limit else block[:limit] + "…"


def _start_wordpress(env: str | None) -> tuple[Any, bool]:
    from tests.wordpress.wp import WordPress

    if env:
        return WordPress.from_env(env), False
    directory = Path(tempfile.mkdtemp(prefix="wp-compare-"))
    os.rmdir(directory)
    return WordPress.start(directory, owner_pid=os.getpid()), True


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("exports", nargs="+", type=Path, metavar="WXR")
    parser.add_argument("--env", default=os.environ.get("WP_MIGRATE_WORDPRESS_ENV"),
                        help="env.json of a running WordPress (scripts/wordpress-env.sh up DIR); "
                             "default: start a disposable one")
    parser.add_argument("--verbose", "-v", action="store_true", help="print every block of each differing post")
    parser.add_argument("--dump", type=Path, metavar="DIR",
                        help="write each post's WordPress HTML, Markdown and rendered Markdown into DIR")
    args = parser.parse_args(list(argv) if argv is not None else None)
    try:
        wp, owned = _start_wordpress(args.env)
    except Exception as e:  # noqa: BLE001
        print(f"compare_rendering: cannot start WordPress: {e}", file=sys.stderr)
        return 2
    all_match = True
    try:
        for path in args.exports:
            result = compare_export(wp, path, dump=args.dump)
            for line in format_result(result, args.verbose):
                print(line)
            all_match &= not result.mismatches()
    finally:
        if owned:
            wp.stop()
    return 0 if all_match else 1


if __name__ == "__main__":
    sys.exit(main())
