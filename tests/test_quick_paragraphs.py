"""Paragraphs converted without the tree (``_quick_paragraphs``) give exactly what the tree gives.

The reference is the tree: :func:`migrate.transform.markdown.html_to_markdown` with the same converter (the
quick path is :func:`migrate.transform.quickblocks.html_to_markdown`, what the stages call). Each test compares the two on documents a user's site could hold: generated ones (hypothesis),
hand-made traps, the sample export, a generated export and the real exports of the corpus.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from migrate import pipeline
from migrate.extract.wxr import read_wxr
from migrate.transform import markdown, quickblocks
from migrate.transform.markdown import WordPressConverter
from migrate.transform.quickblocks import html_to_markdown

from .conftest import ROOT, corpus_files, generated_export

TREE = markdown.make_converter()


def same_as_tree(html: str) -> str:
    """The Markdown of ``html``, checked to be the tree's: before tidying (what each paragraph gives) and after."""
    prepared = markdown._prepare(html)
    quick = quickblocks._quick_paragraphs(prepared, "-")
    if quick is not None:
        text = quickblocks._put_back(TREE.convert(quick[0]), quick[1])
        if text is not None:
            assert text == TREE.convert(prepared), html
    result = html_to_markdown(html)
    assert result == markdown.html_to_markdown(html, converter=TREE), html
    return result


def rendered_html(export: Path) -> list[str]:
    """The HTML the converter is given for each post of an export (the stages before ``to_markdown``)."""
    source = read_wxr(export, recover=True)
    ctx = pipeline.Context(site=source.site, index=source.index)
    before = pipeline.STAGES[:[stage.__name__ for stage in pipeline.STAGES].index("to_markdown")]
    found = []
    for post in source.posts():
        try:
            for stage in before:
                post = stage(post, ctx)
        except Exception:  # noqa: BLE001 — left out or failing: no HTML to compare
            continue
        found.append(post.html or "")
    return found


# -- the quick path is taken, and gives the tree's Markdown


def test_a_classic_post_takes_the_quick_path() -> None:
    html = ("<p><strong>DIRECTED BY:</strong> Ada Lune</p>\n<p>A film about a lighthouse, and <em>fog</em>.</p>\n"
            "<ul>\n<li>one</li>\n</ul>\n"
            "<p>See <a href=\"https://example.com/x\">the trailer</a>.<br />\nThen sleep.</p>\n")
    prepared = markdown._prepare(html)
    quick = quickblocks._quick_paragraphs(prepared, "-")
    assert quick is not None
    # one placeholder for all: the paragraphs and the list between them (the raw text, tidied later)
    assert quick == ("<p>\ue0000\ue001</p>\n",
                     ["**DIRECTED BY:** Ada Lune\n\nA film about a lighthouse, and *fog*.\n\n- one\n\n"
                      "See [the trailer](https://example.com/x).\\\n Then sleep."])
    assert same_as_tree(html) == ("**DIRECTED BY:** Ada Lune\n\nA film about a lighthouse, and *fog*.\n\n- one\n\n"
                                  "See [the trailer](https://example.com/x).\\\nThen sleep.\n")


def test_most_paragraphs_of_the_sample_export_take_the_quick_path() -> None:
    htmls = [markdown._prepare(h) for h in rendered_html(ROOT / "exports" / "film-reviews.xml") if h]
    taken = [quickblocks._quick_paragraphs(h, "-") for h in htmls]
    assert sum(q is not None for q in taken) >= len(htmls) // 2
    for html in htmls:
        same_as_tree(html)


TRAPS = [
    # what the paragraph holds
    "<p>1. not a list</p>", "<p>- nor this</p>", "<p># nor a heading</p>", "<p>&gt; quoted?</p>",
    "<p>a <b>b</b><br />\n2. item</p>", "<p>x<br />\n<strong>-</strong> y</p>", "<p><em>4</em> films</p>",
    "<p><b>.word</b>b</p>", "<p>a<b>word.</b>b</p>", "<p>(<b>.x.</b>)</p>", "<p>é<b>!é</b>é</p>",
    "<p>x <b> word </b> y</p>", "<p><b> word </b></p>", "<p>a<b>x</b><i>y</i>b</p>", "<p>x<b>a</b> <i>b</i> y</p>",
    "<p><br />x<br /></p>", "<p>x<br><b> .x. </b><br>y</p>", "<p>a<b>x</b> <i>.y</i></p>",
    "<p>x <br> <i>. y</i>z</p>", "<p>x<br /><br />y</p>", "<p> <br /> </p>", "<p>a  b\tc\nd</p>", "<p>\xa0x</p>",
    "<p>a_b *c* `d` [e] ~f~ \\g &amp; h</p>", '<p><a href="https://e.com">https://e.com</a></p>',
    '<p><a href="#top"> </a>x</p>', '<p>see <a href="a b">x</a></p>', '<p><a href="(x">y</a></p>',
    '<p>x <a href="https://e.com/"> spaced </a> y</p>', "<p><b>x<i>y</i></b></p>", "<p><b></b>x</p>",
    "<p><b> </b>x</p>", "<p><a>no href</a></p>", '<p><a href="x" title="t">y</a></p>', "<p><B>x</B></p>",
    "<p>a</P>\n<p>b</p>", "<p>x\r\ny</p>", "<p>\x0cx</p>", "<p>\u2028x</p>",
    # entities: only &amp; is read here, as "&" (escaped where it would start an entity)
    "<p>Crimson &amp; Clover</p>", "<p>&amp;amp; and &amp;lt;</p>", "<p>a &amp;#38; b</p>", "<p>a &amp;x b</p>",
    "<p>a&amp;b; c</p>", "<p>&lt;b&gt; &quot;x&quot; &#8217;</p>", '<p><a href="https://e.com/?a=1&amp;b=2">x</a></p>',
    "<p><em>R&amp;B</em> &amp;</p>", "<p>&amp;</p>", "<p>x &amp;nbsp; y</p>", "<h2>Q&amp;A</h2>",
    # where the paragraph is
    "<blockquote>\n<p>quoted</p>\n<p>twice</p>\n</blockquote>", "<ul>\n<li>\n<p>in a list</p>\n</li>\n</ul>",
    "<div>\n<p>in a div</p>\n</div>", "<h2>\n<p>in a heading</p>\n</h2>", "<pre>\n<p>in code</p>\n</pre>",
    "<table><tr><td>\n<p>in a cell</p>\n</td></tr></table>", "<strong>\n<p>in bold</p>\n</strong>",
    '<a href="x">\n<p>in a link</p>\n</a>', "<!--\n<p>in a comment</p>\n-->",
    "<script>\n<p>in a script</p>\n</script>", "<textarea>\n<p>in a textarea</p>\n</textarea>",
    "<p>open\n<p>again</p>", "<details>\n<p>folded</p>\n</details>",
    "<ul><li>a</li></ul>\n<p>between</p>\n<ul><li>b</li></ul>",
    "<ol><li>a</li></ol>\n<p>x</p>\n<p>y</p>\n<ol><li>b</li></ol>", "<p>\ue0000\ue001</p>",
    "<p>one</p>\n\n\n<p>two</p>\n \n<p>three</p>", "<p>a</p><p>b</p>", "<figure>\n<p>in a figure</p>\n</figure>",
    '<section class="footnotes">\n<p>x</p>\n</section>', "<dl>\n<dd>\n<p>x</p>\n</dd>\n</dl>",
    "<center>\n<p>x</p>\n</center>",
    "<p>only</p>\n\n<p>paragraphs <em>here</em></p>\n", "\n<p>one</p>", "<ul>\n<li>a\n<p>b</p>\n</li>\n</ul>",
    "<em>\n<p>x</p>\n</em>",
    # lists (a list right after another one, or inside a wrapper after one, gets the other marker)
    "<ul>\n<li>a</li>\n</ul>\n<ul>\n<li>b</li>\n</ul>", "<ol>\n<li>a</li>\n</ol>\n<ol>\n<li>b</li>\n</ol>",
    "<ul>\n<li>a</li>\n</ul>\n<ol>\n<li>b</li>\n</ol>", "<ul>\n<li>a</li>\n</ul>\n<div><ul>\n<li>b</li>\n</ul></div>",
    "<div><ul>\n<li>a</li>\n</ul></div>\n<ul>\n<li>b</li>\n</ul>",
    "<figure><ul><li>a</li></ul></figure>\n<ul>\n<li>b</li>\n</ul>",
    "<ul>\n<li>a</li>\n</ul>\n<figure><ul><li>b</li></ul></figure>", "<p>x</p>\n<ul>\n<li>a</li>\n</ul>\n<p>y</p>",
    "<ul>\n<li>a</li>\n</ul>\n<p>x</p>\n<ul>\n<li>b</li>\n</ul>", "<ol>\n<li>a</li>\n\n<li>b</li>\n<li>c</li>\n</ol>",
    "<ul>\n<li>a<br />\nb</li>\n</ul>", "<ul>\n<li>a<br />b</li>\n</ul>", "<ul>\n<li></li>\n</ul>",
    "<ul>\n<li>&nbsp;</li>\n</ul>",
    "<ul>\n<li>1. x</li>\n</ul>", "<ul>\n<li>a\n<ul>\n<li>b</li>\n</ul>\n</li>\n</ul>",
    '<ol start="3">\n<li>a</li>\n</ol>', '<ul class="x">\n<li>a</li>\n</ul>', '<ul>\n<li class="x">a</li>\n</ul>',
    "<ul>\n<li>a</li><li>b</li>\n</ul>", "<ul>\n<li><strong>Bold:</strong> text</li>\n</ul>\n<h3>Then</h3>",
    "<blockquote>\n<ul>\n<li>quoted</li>\n</ul>\n</blockquote>", "<ul><li>x</li></ul>",
    "<ul>\n<li>x</li>\n</ul>\n<hr />",
    # quotes (one newline before, not two: the same after a block, not after text)
    "<p>x</p>\n<blockquote><p>a</p></blockquote>\n<p>y</p>", "<blockquote><p>a<br />\nb</p></blockquote>",
    "<blockquote>\n<p>a</p>\n<p>&nbsp;</p>\n<p>b</p>\n</blockquote>", "text\n<blockquote><p>a</p></blockquote>",
    "<ul>\n<li>x</li>\n</ul>\n<blockquote><p>a</p></blockquote>\n<ul>\n<li>y</li>\n</ul>",
    "<p>a</p>\n<ul>\n</ul>\n<blockquote><p>a</p></blockquote>", "text\n<p></p>\n<blockquote><p>a</p></blockquote>",
    "text\n<h2></h2>\n<blockquote><p>a</p></blockquote>", "<p>x</p>\n<p>&nbsp;</p>\n<blockquote><p>a</p></blockquote>",
    "<blockquote><p>a</p><p>b</p></blockquote>", "<blockquote><p>1. a</p></blockquote>", "<blockquote></blockquote>",
    "<blockquote><p>&nbsp;</p></blockquote>", "<blockquote>\n<blockquote><p>a</p></blockquote>\n</blockquote>",
    '<blockquote class="x"><p>a</p></blockquote>', "<blockquote><p>a</p>\nb</blockquote>",
    "<hr />\n<blockquote><p>a</p></blockquote>",
    # what _prepare changes (a stray end tag, a paragraph a block ends, WordPress's comments)
    "<p>a</p>\n</p>\n<p>b</p>", "<p>a\n<ul>\n<li>b</li>\n</ul>\n</p>", "<p>x<!--more-->y</p>", "<p>x</p>\n<!--more-->",
    "<p>a</p>\n<!--nextpage-->\n<p>b</p>", "<p><!--noteaser--></p>\n<p>b</p>",
    # headings
    "<h2>Title</h2>\n<p>x</p>", "<h3>1. Intro</h3>", "<h2>Ends in #</h2>", "<h2>a<br />b</h2>", "<h2> </h2>",
    "<h4><em>x</em> y</h4>", '<h2 id="a">x</h2>', "<h6>a  b</h6>", "<h2>&nbsp;</h2>", "<h2><!--more--></h2>",
    # paragraphs that give nothing, or the more tag
    "<p>&nbsp;</p>\n<p>x</p>", "<p>x</p>\n<p>&nbsp;</p>", "<p>&nbsp;</p>", "<p>x</p>\n<p></p>\n<p>y</p>",
    "<ul>\n<li>a</li>\n</ul>\n<p>&nbsp;</p>\n<ul>\n<li>b</li>\n</ul>", "<p>x</p>\n<p><!--more--></p>\n<p>y</p>",
]


@pytest.mark.parametrize("html", TRAPS)
def test_traps(html: str) -> None:
    same_as_tree(html)


def test_a_subclass_sees_every_paragraph() -> None:
    class Loud(WordPressConverter):
        def convert_p(self, el, text, parent_tags):  # type: ignore[no-untyped-def]
            return "\n\nP: " + text + "\n\n"

    html = "<p>one</p>\n<p>two</p>\n<h2>three</h2>\n"
    assert html_to_markdown(html) == "one\n\ntwo\n\n## three\n"
    assert html_to_markdown(html, converter=Loud()) == "P: one\n\nP: two\n\n## three\n"
    assert not quickblocks.stands_for(Loud())


def test_a_subclass_keeps_the_quick_path_where_it_is_still_valid() -> None:
    class Images(WordPressConverter):
        def convert_img(self, el, text, parent_tags):  # type: ignore[no-untyped-def]
            return "IMG"

    assert quickblocks.stands_for(Images())
    assert not quickblocks.stands_for(WordPressConverter(strip=["a"]))
    html = '<p>one <b>two</b></p>\n<p><img src="https://x.org/a.png"></p>\n'
    assert html_to_markdown(html, converter=Images()) == "one **two**\n\nIMG\n"


def test_another_bullet() -> None:
    html = "<p>x</p>\n<ul>\n<li>a</li>\n</ul>\n<p>y</p>\n<ul>\n<li>b</li>\n</ul>\n<ul>\n<li>c</li>\n</ul>"
    quick = html_to_markdown(html, bullets="+*")
    assert quick == markdown.html_to_markdown(html, bullets="+*")
    assert quick.startswith("x\n\n+ a\n\ny\n\n+ b\n\n")


# -- documents made up by hypothesis

_TEXT = st.lists(st.sampled_from(list("ab1 .-:!?#>*_`[]\\&<~'\"()\n\t\xa0é—") + ["  ", "1. ", "- ", "word", "&amp;"]),
                max_size=8).map("".join)
_INLINE = st.one_of(
    _TEXT,
    st.builds(lambda tag, t: f"<{tag}>{t}</{tag}>", st.sampled_from(["strong", "b", "em", "i"]), _TEXT),
    st.builds(lambda href, t: f'<a href="{href}">{t}</a>', st.sampled_from(["https://e.com/x", "#n", "a(b", "x"]),
              _TEXT),
    st.sampled_from(["<br />\n", "<br>", "<br/>", "<b><i>x</i></b>", "<span>s</span>", "<!--c-->",
                     '<img src="i.png">']),
)
_PARAGRAPH = st.builds(lambda parts: "<p>" + "".join(parts) + "</p>", st.lists(_INLINE, max_size=6))
_BLOCK = st.one_of(
    _PARAGRAPH,
    st.builds(lambda p: f"<blockquote>\n{p}\n</blockquote>", _PARAGRAPH),
    st.builds(lambda ps: "<blockquote>" + "\n".join(ps) + "</blockquote>",
              st.lists(_PARAGRAPH, min_size=1, max_size=3)),
    st.builds(lambda p: f"<div>\n{p}\n</div>", _PARAGRAPH),
    st.builds(lambda tag, items: f"<{tag}>\n" + "".join(f"<li>{i}</li>\n" for i in items) + f"</{tag}>",
              st.sampled_from(["ul", "ol"]), st.lists(_TEXT, max_size=3)),
    st.builds(lambda n, parts: f"<h{n}>" + "".join(parts) + f"</h{n}>", st.integers(1, 6),
              st.lists(_INLINE, max_size=4)),
    st.sampled_from(["<p><!--more--></p>", "<hr />", "<pre>a\n<p>b</p></pre>", "x", "<p class=\"c\">attr</p>"]),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_BLOCK, st.sampled_from(["\n", "\n\n", "", " \n"])), min_size=1, max_size=6))
def test_made_up_documents(blocks: list[tuple[str, str]]) -> None:
    same_as_tree("".join(block + sep for block, sep in blocks))


# -- real content


def test_a_generated_export(tmp_path: Path) -> None:
    for html in rendered_html(generated_export(tmp_path / "generated.xml", 200, seed=3)):
        same_as_tree(html)


@pytest.mark.parametrize("export", corpus_files(), ids=lambda p: p.name)
def test_the_corpus(export: Path) -> None:
    for html in rendered_html(export):
        same_as_tree(html)


# -- hostile documents


@pytest.mark.parametrize(("head", "unit"), [
    ("", "<p>x\n"), ("", "<p>\n"), ("", "<blockquote>\n"), ("", "<ul>\n<li>a\n"), ("", "<h2>x\n"),
    ("", "\n<ul>\n<li>a</li>\n</ul>\n<p>*</p>"), ("<p>x</p>\n", "<p>*</p>\n"), ("<p>x</p>\n", "<p>\n"),
])
def test_each_byte_is_looked_at_once(head: str, unit: str) -> None:
    # Tags that never close, or blocks it declines after one it took: looking for each one's end from its start
    # would read the rest of the document again for every tag, hours for a post under the 10 MB limit.
    import signal

    def too_long(signum: int, frame: object) -> None:
        raise TimeoutError("the quick path reads the document more than once")

    html = head + unit * 300_000 + "</p></ul></blockquote></h2>"
    previous = signal.signal(signal.SIGALRM, too_long)
    signal.alarm(30)  # (linear: well under a second; read again for every tag: far longer)
    try:
        quickblocks._quick_paragraphs(html, "-")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
