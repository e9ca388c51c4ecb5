"""Read a site's rendered pages — one saved page, a folder of them, or a ``wget --mirror`` — into the document
model, for sites that cannot be exported and whose API is closed.

Each page that shows one post or page becomes one :class:`~migrate.model.Post`: where its parts are is said
by the rule files' ``pages`` selectors (``mappings/default.yaml`` knows the common classic and block themes;
a user adds theme of their own), and the page's metadata fills in the rest: ``article:published_time``,
``og:image``, ``og:description``, JSON-LD, the canonical URL (which becomes the alias), WordPress's body
classes (``single``, ``page``, ``postid-N``…). The content area is WordPress's rendered HTML already: it is
the post's ``html`` and is not rendered again; the default boilerplate rules then remove Jetpack's sharing
and likes, related posts and the comment form.

What a page is, is told by its body classes: archives, category, tag, author and date archives, search
results, the posts index and paginated lists are items skipped with their reason (their posts are read
from their own pages). A page with no sign of WordPress at all is skipped; when no page is WordPress's,
the run stops with one line.

When no selector finds a content area, the element inside the article with the most paragraph text is
taken (a documented heuristic; extraction libraries such as trafilatura return their own cleaned text,
not WordPress's HTML, so captions, blocks and links would be lost).
"""

from __future__ import annotations

import html as htmlmod
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from ..errors import InputError
from ..model import Author, Comment, ExportIndex, Meta, Post, Site, Term, TermRef
from ..rules import RuleSet, css_to_xpath, default_rules
from .wxr import decode_slug

#: A page larger than this is not read (a saved page with inline media can be huge; work per input is bounded).
MAX_PAGE_BYTES = 20_000_000
#: Ids for posts whose page does not tell their WordPress id, and for featured images: above any real one.
SYNTHETIC_ID = 1_000_000_000
_PAGE_SUFFIXES = (".html", ".htm", ".xhtml")

#: Body classes of pages that list posts rather than show one: the item type (see classify.SKIPPED_TYPES).
LISTING_CLASSES = (
    ("paged", "page:paged"), ("search", "page:search"), ("error404", "page:404"), ("category", "page:category"),
    ("tag", "page:tag"), ("author", "page:author"), ("date", "page:date"), ("tax", "page:archive"),
    ("archive", "page:archive"), ("blog", "page:home"), ("home", "page:home"),
)


@dataclass
class Failure:
    """A page that could not be read: counted as failed, with the reason."""

    id: int
    title: str
    reason: str


def _xpath(selector: str) -> etree.XPath:
    return etree.XPath(css_to_xpath(selector))


class PageRules:
    """The ``pages`` selectors of a rule set, compiled once."""

    def __init__(self, rules: RuleSet) -> None:
        self.parts: dict[str, list[etree.XPath]] = {}
        for part, selectors in rules.pages:
            self.parts[part] = [_xpath(s) for s in selectors]

    def all(self, part: str, node: Any) -> list[Any]:
        """The matches of the first selector of ``part`` that matches anything inside ``node``."""
        for xp in self.parts.get(part, []):
            found = xp(node)
            if found:
                return list(found)
        return []

    def every(self, part: str, node: Any) -> list[Any]:
        """The matches of every selector of ``part`` inside ``node``, each element once, in document order."""
        seen: dict[Any, None] = {}
        for xp in self.parts.get(part, []):
            seen.update((el, None) for el in xp(node))
        order = {el: i for i, el in enumerate(node.iter())}
        return sorted(seen, key=lambda el: order.get(el, 0))

    def first(self, part: str, node: Any) -> Any | None:
        found = self.all(part, node)
        return found[0] if found else None


# ------------------------------------------------------------------------------------------- reading


def find_pages(path: Path) -> list[Path]:
    """The HTML files of ``path``: the file itself, or every page under the folder (symlinks not followed)."""
    if path.is_symlink():
        raise InputError(str(path), "is a symbolic link; give the saved page or folder itself")
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise InputError(str(path), "no such file or folder", hint="give a saved page, a folder, or a wget mirror")
    found: list[Path] = []
    stack = [path]
    while stack:
        folder = stack.pop()
        for entry in sorted(folder.iterdir()):
            if entry.is_symlink():
                continue
            if entry.is_dir():
                stack.append(entry)
            elif entry.suffix.lower() in _PAGE_SUFFIXES or entry.name.lower().startswith(("index.html", "index.htm")):
                found.append(entry)
    return sorted(found)


def _meta(tree: Any, *names: str) -> str:
    for name in names:
        for el in tree.xpath("//meta[@property=$n or @name=$n]", n=name):
            value = (el.get("content") or "").strip()
            if value:
                return value
    return ""


def _json_ld(tree: Any) -> list[dict[str, Any]]:
    objects: list[dict[str, Any]] = []
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                objects.append(item)
                if isinstance(item.get("@graph"), list):
                    stack.extend(item["@graph"])
    return [o for o in objects if str(o.get("@type", "")) in ("Article", "BlogPosting", "NewsArticle", "WebPage")]


def parse_when(value: str) -> tuple[datetime | None, datetime | None]:
    """An ISO date as the page gives it → (local naive, UTC aware or None when no offset is given)."""
    text = value.strip().replace("Z", "+00:00")
    if not re.match(r"^\d{4}-\d{2}-\d{2}", text):
        return None, None
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        try:
            when = datetime.fromisoformat(text[:19])
        except ValueError:
            return None, None
    if when.tzinfo is None:
        return when, None
    return when.replace(tzinfo=None), when.astimezone(UTC)


def _text(node: Any) -> str:
    return " ".join((node.text_content() if node is not None else "").split())


def _post_type(classes: set[str]) -> str:
    """The post type the body's classes name (``single-<type>``, ``page``, ``attachment``; else ``post``)."""
    post_type = "page" if "page" in classes or any(c.startswith("page-id-") for c in classes) else "post"
    for c in classes:
        if c.startswith("single-") and not c.startswith(("single-format-", "single-post")):
            post_type = c[len("single-"):]
    if "attachment" in classes:
        post_type = "attachment"
    return post_type


def _post_id(tree: Any, classes: set[str], article: Any) -> int:
    """The post's ID as the page gives it (body classes, the article's id, the shortlink), 0 when it does not."""
    post_id = 0
    for c in classes:
        m = re.fullmatch(r"(?:postid|page-id)-(\d+)", c)
        if m:
            post_id = int(m.group(1))
    if not post_id and article is not None:
        m = re.fullmatch(r"post-(\d+)", article.get("id") or "")
        post_id = int(m.group(1)) if m else 0
    if not post_id:
        for el in tree.xpath("//link[@rel='shortlink']"):
            m = re.search(r"[?&]p=(\d+)", el.get("href") or "")
            post_id = int(m.group(1)) if m else 0
    return post_id


def _inner_html(node: Any) -> str:
    parts = [htmlmod.escape(node.text, quote=False)] if node.text else []
    for child in node:
        parts.append(lxml.html.tostring(child, encoding="unicode", with_tail=True))
    return "".join(parts).strip("\n") + "\n"


def _body_classes(tree: Any) -> set[str]:
    body = tree.find(".//body")
    return set((body.get("class") or "").split()) if body is not None else set()


def is_wordpress(tree: Any, classes: set[str]) -> bool:
    """Signs of WordPress: its generator tag, its API link, its folders in addresses, its body classes."""
    if _meta(tree, "generator").lower().startswith("wordpress"):
        return True
    if tree.xpath("//link[@rel='https://api.w.org/']"):
        return True
    if tree.xpath("//*[contains(@href, '/wp-content/') or contains(@src, '/wp-content/') or "
                  "contains(@href, '/wp-includes/') or contains(@src, '/wp-includes/')]"):
        return True
    return any(c.startswith(("postid-", "page-id-", "wp-")) for c in classes)


def _slug_from_url(url: str) -> str:
    parts = [p for p in urlsplit(url).path.split("/") if p and not p.lower().startswith("index.htm")]
    return decode_slug(parts[-1]) if parts else ""


def _url_of(path: Path, root: Path) -> str:
    """Where a mirrored file was on the site: its path under the mirror, without ``index.html``."""
    rel = path.relative_to(root).as_posix() if path != root else path.name
    rel = re.sub(r"(^|/)index\.html?$", r"\1", rel)
    host, _, rest = rel.partition("/")
    if "." in host and rest is not None and "/" in rel:  # wget --mirror keeps the host as the first folder
        return f"https://{host}/{rest}"
    return "/" + rel


@dataclass
class PagesSource:
    """Saved pages as a :class:`~migrate.pipeline.Source`: every page is read on opening (a page's links and
    ids are known before any post is converted), :meth:`posts` yields them in file order."""

    path: str
    rules: RuleSet = field(default_factory=default_rules)
    site: Site = field(default_factory=Site)
    index: ExportIndex = field(default_factory=ExportIndex)
    notes: list[str] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    _posts: list[Post] = field(default_factory=list)

    def posts(self) -> Iterator[Post]:
        yield from self._posts


def read_pages(location: str | Path, rules: RuleSet | None = None) -> PagesSource:
    """Read saved pages (a file, a folder, a ``wget --mirror``); raises :class:`InputError` when there are
    none, or none is WordPress's."""
    root = Path(location)
    files = find_pages(root)
    if not files:
        raise InputError(str(root), "no HTML pages here (.html or .htm files)",
                         hint="give a saved page, or a folder made by wget --mirror")
    source = PagesSource(path=str(root), rules=rules or default_rules())
    reader = _Reader(source, root if root.is_dir() else root.parent)
    for path in files:
        reader.read(path)
    if not reader.wordpress_pages:
        signs = "WordPress's generator tag, body classes or wp-content addresses"
        if len(files) == 1:
            raise InputError(str(files[0]), f"not a WordPress page (it has none of {signs})",
                             hint="--from-html reads pages a WordPress site served")
        raise InputError(str(root), f"none of the {len(files)} pages is a WordPress page (none has {signs})",
                         hint="--from-html reads pages a WordPress site served")
    reader.finish()
    return source


class _Reader:
    def __init__(self, source: PagesSource, root: Path) -> None:
        self.source = source
        self.root = root
        self.sel = PageRules(source.rules)
        self.wordpress_pages = 0
        self.seen: dict[int, str] = {}
        self.authors: dict[str, Author] = {}
        self.terms: dict[tuple[str, str], Term] = {}
        self.site_facts: dict[str, str] = {}
        self.synthetic = SYNTHETIC_ID

    def _next_id(self) -> int:
        self.synthetic += 1
        return self.synthetic

    def read(self, path: Path) -> None:
        rel = path.relative_to(self.root).as_posix() if path != self.root else path.name
        try:
            size = path.stat().st_size
            if size > MAX_PAGE_BYTES:
                raise ValueError(f"{size / 1e6:.1f} MB, over the {MAX_PAGE_BYTES / 1e6:g} MB a page may have")
            data = path.read_bytes()
            if not data.strip():
                raise ValueError("the file is empty")
            if b"\x00" in data[:4096]:
                raise ValueError("not a text file (it holds NUL bytes)")
            tree = lxml.html.document_fromstring(data)
        except (OSError, ValueError, etree.ParserError) as e:
            self.source.failures.append(Failure(self._next_id(), rel, f"{rel}: cannot be read as HTML: {e}"))
            return
        classes = _body_classes(tree)
        if not is_wordpress(tree, classes):
            self._skip(rel, "page:other", self._title_of(tree))
            return
        self.wordpress_pages += 1
        self._site(tree)
        try:
            post = self._post(tree, classes, path, rel)
        except ValueError as e:
            self.source.failures.append(Failure(self._next_id(), rel, f"{rel}: {e}"))
            return
        if post is None:
            return
        if post.id in self.seen:
            self._skip(rel, "page:duplicate", post.title)
            return
        self.seen[post.id] = rel
        self.source._posts.append(post)

    def _skip(self, rel: str, kind: str, title: str) -> None:
        self.source._posts.append(Post(id=self._next_id(), title=title or rel, post_type=kind, link=rel))

    @staticmethod
    def _title_of(tree: Any) -> str:
        t = tree.find(".//title")
        return _text(t) if t is not None else ""

    def _site(self, tree: Any) -> None:
        facts = self.site_facts
        if "title" not in facts:
            name = _meta(tree, "og:site_name")
            if name:
                facts["title"] = name
        if "language" not in facts:
            lang = tree.getroot().get("lang") if hasattr(tree, "getroot") else tree.get("lang")
            if lang:
                facts["language"] = lang
        if "link" not in facts:
            for el in tree.xpath("//link[@rel='https://api.w.org/']"):
                href = el.get("href") or ""
                if "/wp-json" in href:
                    facts["link"] = href.split("/wp-json")[0]
        if "generator" not in facts:
            gen = _meta(tree, "generator")
            if gen.lower().startswith("wordpress"):
                version = gen.split()[-1] if len(gen.split()) > 1 else ""
                facts["generator"] = f"https://wordpress.org/?v={version}" if version else ""

    # ------------------------------------------------------------------------------------------ one page

    def _post(self, tree: Any, classes: set[str], path: Path, rel: str) -> Post | None:
        sel = self.sel
        canonical = next((el.get("href") for el in tree.xpath("//link[@rel='canonical']") if el.get("href")), "")
        url = canonical or _meta(tree, "og:url") or _url_of(path, self.root)
        title_tag = self._title_of(tree)
        if not self._is_one_post(tree, classes, rel, title_tag):
            return None
        post_type = _post_type(classes)
        article = sel.first("article", tree)
        if article is None:
            article = tree.find(".//body")
        post_id = _post_id(tree, classes, article) or self._next_id()
        ld = _json_ld(tree)
        title_el = sel.first("title", article)
        title = _text(title_el) or _meta(tree, "og:title") or next(
            (str(o["headline"]) for o in ld if o.get("headline")), "") or title_tag
        date, date_gmt, modified, modified_gmt = self._dates(tree, ld, article)
        login = self._author(tree, ld, article)
        terms = self._terms(article, classes)
        # content
        content_el = sel.first("content", article)
        if content_el is None:
            content_el = _densest(article)
        comments = self._comments(tree, self.authors[login].id or 0 if login else 0)
        # A password-protected post shows a form instead of its content: it stays unpublished, without a body.
        protected = bool(content_el is not None and content_el.xpath(".//form[contains(@class, 'post-password-form')]"))
        if protected:
            title = re.sub(r"^Protected:\s*", "", title)
        for part in ("remove",):
            for xp in sel.parts.get(part, []):
                for el in xp(content_el):
                    _drop(el)
        for el in list(content_el.iter()):
            if el is not content_el and (el.get("id") or "").startswith("comment-") and el.tag == "li":
                _drop(el)
        body = _inner_html(content_el) if content_el is not None and not protected else ""
        # WordPress shows <!--more--> as an anchor on the post's own page: put the tag back.
        body = re.sub(r'(?:<p>)?<span id="more-\d+"></span>(?:</p>)?', "<!--more-->", body)
        # featured image, excerpt
        meta = self._featured_image(tree, article)
        from .rest import _generated_excerpt

        excerpt = _meta(tree, "og:description", "description")
        if excerpt and _generated_excerpt(excerpt, body):
            excerpt = ""
        slug = _slug_from_url(url) or (path.parent.name if path.name.lower().startswith("index.") else path.stem)
        parent = 0
        for c in classes:
            m = re.fullmatch(r"parent-pageid-(\d+)", c)
            if m:
                parent = int(m.group(1))
        self.source.index.tree[post_id] = (slug, parent, post_type)
        if parent:
            self.source.index.has_children.add(parent)
        return Post(
            id=post_id, title=htmlmod.unescape(title).strip(), link=url, guid=url, author=login,
            content=body, html=body, excerpt=htmlmod.escape(excerpt, quote=False) if excerpt else "",
            date=date, date_gmt=date_gmt, modified=modified, modified_gmt=modified_gmt,
            slug=slug, status="publish", parent=parent, post_type=post_type, terms=terms, meta=tuple(meta),
            password="(protected)" if protected else "",
            comments=tuple(comments),
        )

    def _is_one_post(self, tree: Any, classes: set[str], rel: str, title_tag: str) -> bool:
        """Is the page a single post or page? A listing (archive, search…) or another page is counted as
        skipped."""
        single = "single" in classes or "page" in classes or any(
            c.startswith(("postid-", "page-id-")) for c in classes)
        if not single:
            for cls, kind in LISTING_CLASSES:
                if cls in classes:
                    self._skip(rel, kind, title_tag)
                    return False
            if _meta(tree, "og:type") != "article":
                self._skip(rel, "page:other", title_tag)
                return False
        return True

    def _dates(self, tree: Any, ld: list[dict[str, Any]], article: Any) -> tuple[Any, Any, Any, Any]:
        """The post's (date, date_gmt, modified, modified_gmt) from its meta tags, JSON-LD or markup."""
        sel = self.sel
        published = _meta(tree, "article:published_time") or next(
            (str(o["datePublished"]) for o in ld if o.get("datePublished")), "")
        if not published:
            el = sel.first("date", article)
            published = (el.get("datetime") or _text(el)) if el is not None else ""
        date, date_gmt = parse_when(published) if published else (None, None)
        modified_text = _meta(tree, "article:modified_time") or next(
            (str(o["dateModified"]) for o in ld if o.get("dateModified")), "")
        if not modified_text:
            el = sel.first("modified", article)
            modified_text = (el.get("datetime") or "") if el is not None else ""
        modified, modified_gmt = parse_when(modified_text) if modified_text else (None, None)
        return date, date_gmt, modified, modified_gmt

    def _author(self, tree: Any, ld: list[dict[str, Any]], article: Any) -> str:
        """The author's login ("" when the page names none), added to the authors seen."""
        author_el = self.sel.first("author", article)
        author_name = _text(author_el) or _meta(tree, "author") or next(
            (str(o["author"].get("name", "")) for o in ld if isinstance(o.get("author"), dict)), "")
        login = ""
        if author_name:
            login = re.sub(r"[^\w-]+", "-", author_name.casefold()).strip("-") or author_name
            self.authors.setdefault(login, Author(login=login, display_name=author_name, id=len(self.authors) + 1))
        return login

    def _featured_image(self, tree: Any, article: Any) -> list[Meta]:
        """The featured image as an attachment of its own (``_thumbnail_id``), when the page shows one."""
        meta: list[Meta] = []
        image = _meta(tree, "og:image")
        if not image:
            img = self.sel.first("featured_image", article)
            image = (img.get("src") or "") if img is not None else ""
        if image and not image.rstrip("/").endswith(("blank.jpg", "site-icon.png")):
            aid = self._next_id()
            self.source.index.attachment_urls[aid] = image
            meta.append(Meta("_thumbnail_id", str(aid)))
        return meta

    def _terms(self, article: Any, classes: set[str]) -> tuple[TermRef, ...]:
        art_classes = set((article.get("class") or "").split()) if article is not None else set()
        cat_slugs = {c[len("category-"):] for c in art_classes if c.startswith("category-")}
        tag_slugs = {c[len("tag-"):] for c in art_classes if c.startswith("tag-")}
        found: dict[tuple[str, str], TermRef] = {}
        links = self.sel.every("terms", article) if article is not None else []
        for a in links:
            href = a.get("href") or ""
            name = _text(a)
            slug = _slug_from_url(href) or re.sub(r"\W+", "-", name.casefold()).strip("-")
            if not name:
                continue
            rel = (a.get("rel") or "").split()
            around = " ".join((p.get("class") or "") for p in a.iterancestors())
            path = urlsplit(href).path
            if "category" in rel or slug in cat_slugs or "/category/" in path or (
                    "taxonomy-category" in around or "cat-links" in around):
                taxonomy = "category"
            elif "tag" in rel or slug in tag_slugs or "/tag/" in path or "tags-links" in around:
                taxonomy = "post_tag"
            else:
                continue
            found.setdefault((taxonomy, slug), TermRef(taxonomy, slug, name))
        for taxonomy, slugs in (("category", cat_slugs), ("post_tag", tag_slugs)):
            for slug in sorted(slugs):
                s = decode_slug(slug)
                if (taxonomy, s) not in found:
                    found[(taxonomy, s)] = TermRef(taxonomy, s, s)
        refs = sorted(found.values(), key=lambda t: t.name.casefold())
        for t in refs:
            self.terms.setdefault((t.taxonomy, t.slug), Term(t.taxonomy, t.slug, t.name))
        return tuple(refs)

    def _comments(self, tree: Any, post_author: int) -> list[Comment]:
        sel = self.sel
        items = [el for el in sel.all("comments", tree) if re.fullmatch(r"(?:li-)?comment-\d+", el.get("id") or "")]
        out: list[Comment] = []
        ids = {id(el): int(re.sub(r"\D", "", el.get("id") or "0")) for el in items}
        for el in items:
            if el.xpath(".//*[contains(@class, 'comment-awaiting-moderation')]"):
                continue  # shown only to its writer
            parent = 0
            for anc in el.iterancestors():
                if id(anc) in ids:
                    parent = ids[id(anc)]
                    break
            author_el = _own(el, sel.first("comment_author", el), ids)
            author_link = author_el.xpath(".//a[@href]") if author_el is not None else []
            date_el = _own(el, sel.first("comment_date", el), ids)
            when = (date_el.get("datetime") or "") if date_el is not None else ""
            date, date_gmt = parse_when(when) if when else (None, None)
            content_el = _own(el, sel.first("comment_content", el), ids)
            if content_el is not None:
                for reply in content_el.xpath(".//*[contains(@class, 'reply')]"):
                    _drop(reply)
            out.append(Comment(
                id=ids[id(el)], author=_text(author_el).removesuffix(" says:").strip(),
                author_url=(author_link[0].get("href") or "") if author_link else "",
                date=date, date_gmt=date_gmt,
                content=_inner_html(content_el).strip() if content_el is not None else "",
                approved="1", parent=parent,
                user_id=post_author if "bypostauthor" in (el.get("class") or "").split() else 0,
            ))
        return out

    def finish(self) -> None:
        s = self.source
        facts = self.site_facts
        first = next((p for p in s._posts if not p.post_type.startswith("page:")), None)
        link = facts.get("link") or (
            f"{urlsplit(first.link).scheme}://{urlsplit(first.link).netloc}" if first and "://" in first.link else "")
        s.site = Site(title=facts.get("title", ""), link=link, language=facts.get("language", ""),
                      base_site_url=link, base_blog_url=link, generator=facts.get("generator", ""),
                      authors=tuple(self.authors.values()), terms=tuple(self.terms.values()))
        s.index.items = len(s._posts) + len(s.failures)
        s.notes.append("read from saved pages: drafts, private posts, unapproved comments and custom fields "
                       "are not in them")


def _own(comment: Any, found: Any, ids: dict[int, int]) -> Any:
    """``found`` if it belongs to ``comment`` itself, not to a reply inside it."""
    if found is None:
        return None
    for anc in found.iterancestors():
        if id(anc) in ids:
            return found if anc is comment else None
    return None


def _drop(el: Any) -> None:
    parent = el.getparent()
    if parent is None:
        return
    el.drop_tree()


def _densest(article: Any) -> Any:
    """The element under ``article`` with the most text in paragraphs directly inside it."""
    best, score = article, 0
    for el in article.iter():
        if not isinstance(el.tag, str):
            continue
        n = sum(len(_text(p)) for p in el.findall("p"))
        if n > score:
            best, score = el, n
    return best


__all__ = ["Failure", "PagesSource", "find_pages", "is_wordpress", "parse_when", "read_pages"]
