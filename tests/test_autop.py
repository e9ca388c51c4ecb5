"""Tests for migrate.transform.autop: the port must match WordPress's PHP byte for byte.

The oracle is the real ``wp-includes/formatting.php`` from Debian's ``wordpress``
package run by ``php`` (php-cli).  Debian ships WordPress 6.1; the harness applies
WordPress 6.2's two-line change to wpautop() (changeset 55272: ``math`` moves from
the block list to the newline-preserving elements) so that the oracle is the
current wpautop().  Without php or /usr/share/wordpress these tests FAIL, unless
WP_MIGRATE_SKIP_WORDPRESS=1, in which case they skip.  The golden cases in
tests/cases/autop/ need no PHP.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from migrate.transform import autop
from migrate.transform.autop import (
    DEFAULT_SHORTCODE_TAGS,
    shortcode_unautop,
    wp_html_split,
    wp_replace_in_html_tags,
    wpautop,
)

WORDPRESS_DIR = Path(os.environ.get("WP_MIGRATE_WORDPRESS_DIR", "/usr/share/wordpress"))
CASES_DIR = Path(__file__).parent / "cases" / "autop"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
GOLDEN_SEPARATOR = "=== expected ===\n"

# ---------------------------------------------------------------------------
# The PHP oracle.
# ---------------------------------------------------------------------------

# Reads one JSON array of cases per line on stdin, answers one JSON array per line.
# argv: 1 = WordPress root (with trailing slash), 2 = "current" or "as-installed".
PHP_HARNESS = r"""<?php
define( 'ABSPATH', $argv[1] );
define( 'WPINC', 'wp-includes' );

// The only WordPress API formatting.php needs for wpautop()/shortcode_unautop().
function apply_filters( $hook_name, $value, ...$args ) {
	return $value;
}

$code = file_get_contents( ABSPATH . WPINC . '/formatting.php' );
if ( 'current' === $argv[2] && false === strpos( $code, '(script|style|svg|math)' ) ) {
	// WordPress 6.2, changeset 55272: <math> is inline, but its newlines are kept.
	$code = str_replace( '|address|math|style|', '|address|style|', $code, $n1 );
	$code = str_replace( '(script|style|svg)', '(script|style|svg|math)', $code, $n2 );
	if ( 1 !== $n1 || 1 !== $n2 ) {
		fwrite( STDERR, "cannot patch formatting.php to current wpautop ($n1, $n2)\n" );
		exit( 3 );
	}
}
eval( '?>' . $code );

echo json_encode( array( 'ready' => true, 'version' => PCRE_VERSION ) ), "\n";
while ( false !== ( $line = fgets( STDIN ) ) ) {
	$cases = json_decode( $line, true, 512, JSON_THROW_ON_ERROR );
	$out   = array();
	foreach ( $cases as $case ) {
		$text = $case['text'];
		$GLOBALS['shortcode_tags'] = array_fill_keys( $case['tags'] ?? array(), '__return_false' );
		switch ( $case['fn'] ) {
			case 'wpautop':
				$result = wpautop( $text, $case['br'] );
				break;
			case 'shortcode_unautop':
				$result = shortcode_unautop( $text );
				break;
			case 'the_content':
				$result = shortcode_unautop( wpautop( $text, $case['br'] ) );
				break;
			case 'wp_html_split':
				$result = wp_html_split( $text );
				break;
			default:
				$result = null;
		}
		$out[] = $result;
	}
	echo json_encode( $out, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_THROW_ON_ERROR ), "\n";
	fflush( STDOUT );
}
"""


class PhpOracle:
    """A long-lived php-cli process running WordPress's own formatting.php."""

    def __init__(self, php: str, wordpress_dir: Path, mode: str = "current") -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="wp-autop-oracle-")
        script = Path(self._dir.name) / "harness.php"
        script.write_text(PHP_HARNESS, encoding="utf-8")
        self._stderr = open(Path(self._dir.name) / "stderr.txt", "w+b")  # noqa: SIM115
        self._proc = subprocess.Popen(
            [
                php,
                "-d",
                "display_errors=stderr",
                "-d",
                "error_reporting=-1",
                str(script),
                str(wordpress_dir) + "/",
                mode,
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
            encoding="utf-8",
        )
        hello = self._proc.stdout.readline() if self._proc.stdout else ""
        if not hello:
            raise RuntimeError(f"the PHP oracle did not start: {self.stderr_tail()}")
        self.pcre_version = json.loads(hello)["version"]

    def stderr_tail(self) -> str:
        """Return the last lines PHP wrote to stderr."""
        self._stderr.flush()
        self._stderr.seek(0)
        return self._stderr.read().decode("utf-8", "replace")[-2000:]

    def run(self, cases: Sequence[dict[str, Any]]) -> list[Any]:
        """Run a batch of cases in PHP and return their results, in order."""
        assert self._proc.stdin and self._proc.stdout
        self._proc.stdin.write(json.dumps(list(cases)) + "\n")
        self._proc.stdin.flush()
        line = self._proc.stdout.readline()
        if not line:
            raise RuntimeError(f"the PHP oracle died: {self.stderr_tail()}")
        return json.loads(line)

    def close(self) -> None:
        """Stop the PHP process."""
        if self._proc.stdin:
            self._proc.stdin.close()
        self._proc.wait(timeout=30)
        self._stderr.close()
        self._dir.cleanup()


def _require_wordpress() -> str:
    """Return the php binary, or skip/fail when php or WordPress is missing."""
    if os.environ.get("WP_MIGRATE_SKIP_WORDPRESS") == "1":
        pytest.skip("WP_MIGRATE_SKIP_WORDPRESS=1: not comparing with WordPress's PHP")
    php = shutil.which("php")
    if php is None:
        pytest.fail("php (php-cli) is not installed; set WP_MIGRATE_SKIP_WORDPRESS=1 to skip")
    if not (WORDPRESS_DIR / "wp-includes" / "formatting.php").is_file():
        pytest.fail(
            f"{WORDPRESS_DIR}/wp-includes/formatting.php is missing "
            "(apt-get install wordpress); set WP_MIGRATE_SKIP_WORDPRESS=1 to skip"
        )
    return php


@pytest.fixture(scope="module")
def php_oracle() -> Iterator[PhpOracle]:
    """The current-WordPress PHP oracle, shared by the module."""
    oracle = PhpOracle(_require_wordpress(), WORDPRESS_DIR)
    yield oracle
    oracle.close()


def _python(case: dict[str, Any]) -> Any:
    """Run one case through the Python port."""
    text, fn = case["text"], case["fn"]
    tags = case.get("tags", [])

    def unautop(html: str) -> str:
        if tags == list(DEFAULT_SHORTCODE_TAGS):
            return shortcode_unautop(html)  # The precompiled default path.
        return shortcode_unautop(html, tags)

    if fn == "wpautop":
        return wpautop(text, case["br"])
    if fn == "shortcode_unautop":
        return unautop(text)
    if fn == "the_content":
        return unautop(wpautop(text, case["br"]))
    if fn == "wp_html_split":
        return wp_html_split(text)
    raise ValueError(fn)


def _cases_for(text: str, tags: Sequence[str] = DEFAULT_SHORTCODE_TAGS) -> list[dict[str, Any]]:
    """Every function, every way, on one input."""
    tag_list = list(tags)
    return [
        {"fn": "wpautop", "text": text, "br": True},
        {"fn": "wpautop", "text": text, "br": False},
        {"fn": "shortcode_unautop", "text": text, "tags": tag_list},
        {"fn": "the_content", "text": text, "br": True, "tags": tag_list},
        {"fn": "the_content", "text": text, "br": False, "tags": tag_list},
        {"fn": "wp_html_split", "text": text},
    ]


def _compare(oracle: PhpOracle, cases: Sequence[dict[str, Any]]) -> list[str]:
    """Return a description of every case where Python and PHP differ."""
    expected = oracle.run(cases)
    problems = []
    for case, want in zip(cases, expected, strict=True):
        got = _python(case)
        if got != want:
            shown = {k: v for k, v in case.items() if k != "text"}
            problems.append(f"{shown} on {case['text'][:300]!r}\n  php: {want!r:.600}\n  py:  {got!r:.600}")
    return problems


# ---------------------------------------------------------------------------
# Hand-picked inputs.
# ---------------------------------------------------------------------------

HAND_INPUTS: list[str] = [
    "",
    "   \n\t ",
    "\x0b\x0c",
    "One line",
    "One line\n",
    "Line one\nLine two",
    "Para one\n\nPara two",
    "Para one\n\n\nPara two\n\n\n\nPara three",
    "Para one\r\n\r\nPara two\r\nline two\r\n",
    "Old Mac\rline\r\rpara",
    "Trailing spaces   \n  \nnext",
    "Tabs\t\n\t\nnext",
    "<pre>code\n\n  indented\n\nmore</pre>",
    'Look:\n\n<pre class="x">a\n\nb</pre>\n\nAfter\n<pre>c\n\nd</pre>',
    "no closing <pre>here\n\nstill",
    "stray </pre> close\n\nand <pre>one</pre>",
    "<pre>a</pre></pre>b\n\nc",
    "<div>in div</div>",
    "<div>\nText\n\nMore\n</div>",
    "a<div>b</div>c",
    '<div class="x"><p>already</p></div>',
    "<blockquote>quote</blockquote>",
    "<blockquote>para 1\n\npara 2</blockquote>",
    "<BLOCKQUOTE>upper</BLOCKQUOTE>",
    "<ul>\n<li>one</li>\n<li>two\nlines</li>\n</ul>",
    "<ol><li>a</li><li>b</li></ol>",
    "<li>orphan item</li> trailing",
    "<table>\n<tr>\n<td>cell\n1</td>\n<td>cell 2</td>\n</tr>\n</table>",
    "<h1>Title</h1>\nText\n<h2>Sub</h2>\n\n<h6>six</h6>",
    '<figure><img src="a.jpg" /><figcaption>Cap</figcaption></figure>',
    '<figure>\n<img src="a.jpg" />\n<figcaption>Cap\ntwo</figcaption>\n</figure>',
    "before<hr>after",
    "before\n<hr />\nafter\n\n<hr/>end",
    "<section><header>H</header>\n\nbody\n\n<footer>F</footer></section>",
    "<article><aside>x</aside><nav>y</nav><details><summary>s</summary>d</details></article>",
    "<address>addr\nline</address>",
    "<form>text</form>",
    "<p>para</p>\n<p>para 2</p>",
    '<p class="a">x</p>',
    'Some <em>inline</em> and <strong>bold</strong>\n<a href="#">link</a>',
    "Line<br>next<br/>next<br />next",
    "Double<br><br>break",
    "Double<br />\n<br/>break\n<br>\n<br >",
    "line 1<br>\nline 2<br/>\nline 3<br />\nline 4\nline 5\n",
    "<script>\nvar a = 1;\n\nvar b = 2;\n</script>",
    'Text\n<script type="text/javascript">\n\tif (a) {\n\n\t}\n</script>\nmore',
    "<style>\n.a { color: red; }\n\n.b {}\n</style>",
    '<svg xmlns="http://www.w3.org/2000/svg">\n<circle r="3"/>\n\n</svg>',
    '<math display="block">\n<mi>x</mi>\n<mo>=</mo>\n</math>',
    "<math><mi>a</mi></math> inline\nmath",
    'Country: <select id="s">\n<option value="1">A</option>\n\n<option value="2">B</option>\n</select>',
    '<object width="400">\n<param name="a" value="b" />\n\n<embed src="x.swf" />\n</object>',
    "<object>no close",
    '<video controls>\n<source src="a.mp4" />\n\n<track kind="subtitles" src="s.srt" />\n</video>',
    '<audio>\n<source src="a.mp3">\n</audio>',
    '[video width="720"]\n<source src="a.webm" />\n[/video]',
    "Intro\n<!-- more -->\nRest",
    "Intro <!--more--> rest\n\n<!--nextpage-->\n\nPage 2",
    "<!-- a\nmultiline\n\ncomment -->",
    "Hello <!-- <object>\n<param>\n<embed>\n</embed>\n</object>\n -->",
    "Hello <![CDATA[ a\nb\n ]]>",
    "Hello <![CDATA[ <!-- a\nb\n a\n9 ]]> -->",
    "unterminated <!-- comment\n\nstill",
    "unterminated <![CDATA[ data\n\nstill",
    "Hello <a\nhref='world'>link</a>",
    '<img\nsrc="a.jpg"\nalt="b"\n/>',
    "a < b and c > d\n\n1 <2",
    '[caption id="attachment_1" align="alignnone" width="300"]<img src="a.jpg" /> Caption[/caption]',
    'Text\n\n[caption id="a" width="300"]<img src="a.jpg" />\nCap[/caption]\n\nMore',
    '[gallery ids="1,2"]',
    'Before\n\n[gallery ids="1,2" columns="3"]\n\nAfter',
    "[embed]https://www.youtube.com/watch?v=xyz[/embed]",
    'Watch:\n\n[embed width="123"]http://example.com/v[/embed]\n\nEnd',
    '[gallery/]\n\n[gallery /]\n\n[playlist ids="1"]',
    '[audio src="a.mp3"]\n\n[video src="a.mp4"][/video]',
    "  [gallery]  ",
    "&nbsp;[gallery]&nbsp;",
    "\u00a0[gallery]\u00a0",
    "[gallery-x]\n\n[galleryx]\n\n[unknown]x[/unknown]",
    "[caption]a [b] c[/caption]",
    "[caption]unclosed\n\nnext",
    "[[gallery]]",
    "<p>[gallery]</p>",
    '<p> [gallery ids="1"/] </p>',
    "Ünïcödé text\n\nñ — “quotes”\n",
    "Non-breaking\u00a0space\u00a0\n\u00a0\nnext",
    "NEL\u0085char\n\u0085\nline sep\u2028para sep\u2029",
    "Kelvin \u212a <p><blockquote\u212a>",
    '<p><bloc\u212aquote class="k">Kelvin sign folds to k only in Unicode</blockquote>',
    '[galleryé]\n\n[gallery\u00a0ids="1"]\n\n[gallery\u212a]',
    "a<hr\u00a0>b<hr\u00a0/>c<br\u00a0/><br\u0085>d<div\u00a0>e",
    '<p><blockquote class="x">q</blockquote></p>',
    "emoji 😀\n\n😀😀",
    "nul\0char\n\n\0",
    "<pre wp-pre-tag-0></pre> fake placeholder",
    "<WPPreserveNewline /> fake\n<!-- wpnl --> fake",
    "<p>\n</p>",
    "<div>a</div>\n\n\n<div>b</div>",
    '<div\nclass="multi\nline">x</div>',
    "<DIV>upper case block</DIV>\n\nx",
    "<pre>\n</pre>\n<pre>\n\n</pre>",
    "x\n</p>",
    "<p>a\n</p>\n",
    "text\n\n",
    "\n\ntext",
    "<hgroup><h1>a</h1></hgroup><menu><li>m</li></menu>",
    "<dl><dt>t</dt><dd>d\nd</dd></dl>",
    '<map><area shape="rect"></map>',
    "<fieldset><legend>L</legend>\nx</fieldset>",
    "<col><colgroup><caption>c</caption><thead><tbody><tfoot>",
    "<li\nclass='x'>a</li>",
    "<option>lone option",
    "</option>\n\nafter",
]


def test_hand_inputs_match_php(php_oracle: PhpOracle) -> None:
    """Hand-picked inputs give byte-identical results in Python and PHP."""
    cases = [case for text in HAND_INPUTS for case in _cases_for(text)]
    problems = _compare(php_oracle, cases)
    assert not problems, f"{len(problems)} of {len(cases)} differ:\n" + "\n".join(problems[:20])


def test_custom_and_empty_shortcode_tags_match_php(php_oracle: PhpOracle) -> None:
    """Caller-supplied tag lists behave like PHP's $shortcode_tags (order, regex chars, none)."""
    texts = [
        '[my-tag a="1"]\n\n[my-tag]x[/my-tag]\n\n[my.tag]\n\n[mytag]',
        "[a.b]\n\n[a]\n\n[a-b]\n\n[a b]c[/a]",
        "[gallery]\n\n[caption]x[/caption]",
        "[x+y]\n\n[x]",
    ]
    tag_sets: list[list[str]] = [
        ["my-tag", "mytag"],
        ["my.tag"],
        ["a", "a.b"],
        ["a.b", "a"],
        ["x+y", "x"],
        [],
        list(DEFAULT_SHORTCODE_TAGS) + ["contact-form-7", "vc_row"],
    ]
    cases = [c for text in texts for tags in tag_sets for c in _cases_for(text, tags)]
    problems = _compare(php_oracle, cases)
    assert not problems, "\n".join(problems[:20])


# ---------------------------------------------------------------------------
# The real WXR exports.
# ---------------------------------------------------------------------------


def _corpus_contents(corpus: Path) -> list[tuple[str, str]]:
    """Every item's content:encoded from the shared WXR corpus, as (label, text)."""
    found = []
    for path in sorted(corpus.glob("*.xml")):
        root = ET.parse(path).getroot()
        for n, item in enumerate(root.iter("item")):
            content = item.find(f"{{{CONTENT_NS}}}encoded")
            if content is not None:
                found.append((f"{path.name}#{n}", content.text or ""))
    return found


def test_corpus_matches_php(php_oracle: PhpOracle, corpus: Path) -> None:
    """Every post in the real WXR exports: 100 % byte-identical with PHP."""
    contents = _corpus_contents(corpus)
    assert contents, f"no content:encoded in {corpus}"
    problems: list[str] = []
    total = 0
    for label, text in contents:
        cases = _cases_for(text)
        total += len(cases)
        problems += [f"{label}: {p}" for p in _compare(php_oracle, cases)]
    assert not problems, f"{len(problems)} of {total} differ:\n" + "\n".join(problems[:10])


# ---------------------------------------------------------------------------
# Random inputs from a small alphabet of troublesome fragments.
# ---------------------------------------------------------------------------

FRAGMENTS: list[str] = [
    "\n",
    "\n",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    " ",
    "\t",
    "\x0b",
    "\x0c",
    "\0",
    "text",
    "word ",
    "é",
    "\u00a0",
    "&nbsp;",
    "\u0085",
    "\u2028",
    "\u212a",
    "😀",
    "<p>",
    "</p>",
    '<p class="c">',
    "<div>",
    "</div>",
    "<div\nid='x'>",
    "<DIV>",
    "<br>",
    "<br/>",
    "<br />",
    "<br >",
    "<pre>",
    "</pre>",
    "<pre class='a'>",
    "<blockquote>",
    "</blockquote>",
    "<BlockQuote>",
    "<li>",
    "</li>",
    "<ul>",
    "</ul>",
    "<hr>",
    "<hr />",
    "<hr/>",
    "<script>",
    "</script>",
    "<style>",
    "</style>",
    "<svg>",
    "</svg>",
    "<math>",
    "</math>",
    "<option>",
    "</option>",
    "<select>",
    "<object>",
    "</object>",
    "<param name='a'>",
    "<embed>",
    "</embed>",
    "<video>",
    "</video>",
    "<audio>",
    "<source src='a'>",
    "<track>",
    "[video]",
    "[/video]",
    "<figcaption>",
    "</figcaption>",
    "<figure>",
    "</figure>",
    "<!-- more -->",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "<a\nhref='x'>",
    "</a>",
    "<em>",
    '[caption id="a"]',
    "[/caption]",
    '[gallery ids="1,2"]',
    "[gallery/]",
    "[embed]",
    "[/embed]",
    "[",
    "]",
    "/",
    "<",
    ">",
    "<address>",
    "</form>",
    "<table>",
    "<td>",
    "</tr>",
    "<h2>",
    "</h2>",
    "<section>",
    "<li",
    "<pre",
    "<pre wp-pre-tag-0></pre>",
    "<WPPreserveNewline />",
    " <!-- wpnl --> ",
    "[gallery",
    "<p><bloc\u212aquote>",
    "<hr\u00a0>",
    "<div\u00a0>",
]

_texts = st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join)


@settings(max_examples=200, deadline=None)
@given(text=_texts)
def test_random_fragments_match_php(php_oracle: PhpOracle, text: str) -> None:
    """Hypothesis: random fragment soups give the same bytes in Python and PHP."""
    problems = _compare(php_oracle, _cases_for(text))
    assert not problems, "\n".join(problems)


def test_random_batch_matches_php(php_oracle: PhpOracle) -> None:
    """A large seeded batch of fragment soups, checked against PHP in one round trip."""
    rng = random.Random(20240613)
    texts = ["".join(rng.choices(FRAGMENTS, k=rng.randint(0, 60))) for _ in range(3000)]
    cases = [c for text in texts for c in _cases_for(text)]
    problems = _compare(php_oracle, cases)
    assert not problems, f"{len(problems)} of {len(cases)} differ:\n" + "\n".join(problems[:10])


# ---------------------------------------------------------------------------
# Golden cases (no PHP needed) and plain unit tests.
# ---------------------------------------------------------------------------


def _golden_files() -> list[Path]:
    return sorted(CASES_DIR.glob("*.txt"))


def _read_golden(path: Path) -> tuple[str, str]:
    """Split a golden file into (input, expected): input ends before "\\n=== expected ===\\n"."""
    raw = path.read_bytes().decode("utf-8")
    given_text, sep, expected = raw.partition("\n" + GOLDEN_SEPARATOR)
    assert sep, f"{path.name} has no separator line"
    return given_text, expected


def _run_golden(name: str, text: str) -> str:
    """Run a golden case: NAME.txt is wpautop, .nobr is br=False, .unautop adds shortcode_unautop."""
    result = wpautop(text, br=".nobr." not in name)
    if ".unautop." in name:
        result = shortcode_unautop(result)
    return result


@pytest.mark.parametrize("path", _golden_files(), ids=lambda p: p.name)
def test_golden_case(path: Path) -> None:
    """tests/cases/autop/*.txt: outputs recorded from WordPress's PHP."""
    given_text, expected = _read_golden(path)
    assert _run_golden(path.name, given_text) == expected


def test_golden_cases_exist() -> None:
    """The golden cases are there (so the PHP-free run still tests something)."""
    assert len(_golden_files()) >= 20


def test_empty_and_whitespace() -> None:
    """Only PHP trim()'s characters count as blank; other whitespace is content."""
    assert wpautop("") == ""
    assert wpautop(" \t\n\r\0\x0b") == ""
    assert wpautop("\x0c") == "<br />\n"  # Not trimmed, but \s for PCRE.
    assert wpautop("\u00a0") == "<p>\u00a0</p>\n"


def test_basic_paragraphs() -> None:
    """The docstring example from WordPress's reference."""
    text = "Some long text\nthat has many lines\n\nand paragraphs in it."
    assert wpautop(text) == (
        "<p>Some long text<br />\nthat has many lines</p>\n<p>and paragraphs in it.</p>\n"
    )
    assert wpautop(text, br=False) == (
        "<p>Some long text\nthat has many lines</p>\n<p>and paragraphs in it.</p>\n"
    )


def test_math_is_inline_but_keeps_newlines() -> None:
    """WordPress 6.2+: <math> gets a <p> and no <br /> inside (ticket #13340)."""
    text = '<math display="block">\n<mi>x</mi>\n</math>'
    assert wpautop(text).strip() == f"<p>{text}</p>"


def test_unicode_whitespace_is_not_pcre_whitespace() -> None:
    """PCRE without /u: \\s is ASCII only, so NBSP/NEL/U+2028 are never collapsed."""
    assert wpautop("a\u00a0\nb") == "<p>a\u00a0<br />\nb</p>\n"
    assert wpautop("a\u0085\n\u0085\nb") == "<p>a\u0085<br />\n\u0085<br />\nb</p>\n"


def test_wp_html_split() -> None:
    """Elements, comments and CDATA sit at odd indexes."""
    assert wp_html_split("a<b>c<!-- d > e -->f<![CDATA[ g > h ]]>i<j") == [
        "a",
        "<b>",
        "c",
        "<!-- d > e -->",
        "f",
        "<![CDATA[ g > h ]]>",
        "i",
        "<j",
        "",
    ]


def test_wp_replace_in_html_tags() -> None:
    """Only inside tags; several pairs go through strtr (longest key first)."""
    assert wp_replace_in_html_tags("a\n<b\n>\n", {"\n": " "}) == "a\n<b >\n"
    assert wp_replace_in_html_tags("x<ab abc>", {"a": "1", "ab": "2"}) == "x<2 2c>"


def test_shortcode_unautop_default_and_custom_tags() -> None:
    """Core shortcodes by default; other tags only when passed; none means no change."""
    assert shortcode_unautop('<p>[gallery ids="1"]</p>\n') == '[gallery ids="1"]\n'
    assert shortcode_unautop("<p>[foo]</p>") == "<p>[foo]</p>"
    assert shortcode_unautop("<p>[foo]</p>", ["foo"]) == "[foo]"
    assert shortcode_unautop("<p>[gallery]</p>", []) == "<p>[gallery]</p>"
    assert shortcode_unautop("<p>[foo]</p>", iter(["foo"])) == "[foo]"
    assert shortcode_unautop("<p>[foo]</p>", "foo") == "[foo]"


# ---------------------------------------------------------------------------
# The linear-time stand-ins are the literal PHP patterns (no PHP needed).
# ---------------------------------------------------------------------------

_FAST_PATH_FRAGMENTS = [
    "\n",
    "\n",
    " ",
    " ",
    "\t",
    "\x0b",
    "x",
    "<p><li",
    "<p>",
    "<li",
    "</p>",
    "<br />",
    "<br",
    "<script>",
    "</script>",
    "<style>",
    "</style>",
    "<svg>",
    "</svg>",
    "<math>",
    "</math>",
    "<script",
    "</svg",
    "<option",
    "</object>",
    "<param>",
    "</embed>",
    "<embed x>",
    "[/video]",
    "</audio>",
    "[audio]",
    "<source>",
    "<track>",
    "<figcaption>",
    "\u00a0",
    "\u0085",
    ">",
]
_fast_texts = st.lists(st.sampled_from(_FAST_PATH_FRAGMENTS), max_size=60).map("".join)


def _literal_results(text: str) -> list[str]:
    """The PHP patterns, compiled as PHP has them (ASCII, no speed-ups)."""
    li = re.compile(r"<p>(<li.+?)</p>", re.ASCII).sub(r"\1", text)
    keep = re.compile(r"<(script|style|svg|math).*?</\1>", re.ASCII | re.DOTALL).sub(
        autop._autop_newline_preservation_helper, text
    )
    br = re.compile(r"(?<!<br />)\s*\n", re.ASCII).sub("<br />\n", text)
    return [li, keep, br]


def _fast_results(text: str) -> list[str]:
    """The port's linear-time equivalents."""
    return [
        autop._unwrap_li_paragraphs(text),
        autop._preserve_newlines(text),
        autop._WHITESPACE_RUN_RE.sub(autop._newline_to_br_in_run, text),
    ]


_GUARDED = [
    (name, pattern)
    for name, pattern in vars(autop).items()
    if isinstance(pattern, re.Pattern) and pattern.pattern.startswith(autop._LEADING_SPACES)
]


@settings(max_examples=1000, deadline=None)
@given(text=_fast_texts)
def test_fast_paths_equal_php_patterns(text: str) -> None:
    """_unwrap_li_paragraphs, _preserve_newlines and the <br /> run helper = PHP's regexes."""
    assert _fast_results(text) == _literal_results(text)
    for name, guarded in _GUARDED:
        plain = re.compile(r"\s*" + guarded.pattern.removeprefix(autop._LEADING_SPACES), guarded.flags)
        assert guarded.sub("[\\g<0>]", text) == plain.sub("[\\g<0>]", text), name


def test_fast_paths_are_linear() -> None:
    """Inputs that are quadratic for a backtracking engine finish quickly."""
    nasty = [
        "<p><li" * 20000,
        "<script>" * 20000,
        "<svg>\n" * 20000,
        "a" + " " * 40000 + "b",
        "<source" + " " * 40000,
        " " * 40000 + "x<option",
    ]
    for text in nasty:
        started = time.perf_counter()
        shortcode_unautop(wpautop(text))
        assert time.perf_counter() - started < 2, text[:20]


def test_guarded_patterns_found() -> None:
    """The six PHP patterns "\\s*X..." use the run-start form of their leading "\\s*"."""
    assert len(_GUARDED) == 6


_SUB_FRAGMENTS = [
    "<p>", "</p>", "<div>", "</div>", "<div class='a'>", "<pre", "<param x>", "<br />", "<br>", "<br/>", "<hr>",
    "<hr />", "<hr/>", "\n", "\n\n", "\n\n\n", " ", "\t", "x", "<", ">", "</", "<li>", "</li>", "<td ", "<col>",
    "<colgroup>", "<object>", "</object>", "<embed>", "[audio x]", "</video>", "<source>", "<figcaption>",
]
_sub_texts = st.lists(st.sampled_from(_SUB_FRAGMENTS), max_size=40).map("".join)


@settings(max_examples=1000, deadline=None)
@given(text=_sub_texts)
def test_split_forms_equal_php_substitutions(text: str) -> None:
    """wpautop's split-based and literal replacements give what PHP's preg_replace calls give."""
    groups = [autop._OBJECT_OPEN_RE, autop._PARAM_EMBED_RE, autop._MEDIA_OPEN_RE, autop._MEDIA_CLOSE_RE,
              autop._SOURCE_TRACK_RE, autop._FIGCAPTION_OPEN_RE, autop._P_WRAPPED_BLOCK_RE, autop._P_BEFORE_BLOCK_RE,
              autop._BLOCK_BEFORE_CLOSE_P_RE, autop._BLOCK_THEN_BR_RE, autop._BR_THEN_BLOCK_RE]
    for pattern in groups:
        assert autop._keep_group(pattern, text) == pattern.sub("\\1", text), pattern.pattern
    for pattern in (autop._BLOCK_CLOSE_RE, autop._HR_RE):
        assert autop._append_to_matches(pattern, text, "\n\n") == pattern.sub("\\1\n\n", text), pattern.pattern
    assert autop._BLOCK_OPEN_AT_RE.sub("\n\n<", text) == autop._BLOCK_OPEN_RE.sub("\n\n\\1", text)
    assert autop._MORE_NEWLINES_RE.sub("\n\n", text) == autop._MULTI_NEWLINE_RE.sub("\n\n", text)
    # wpautop splits without PHP's "\n\n+" -> "\n\n" step: the pieces are the same.
    assert autop._PARAGRAPH_SPLIT_RE.split(text) == autop._PARAGRAPH_SPLIT_RE.split(
        autop._MULTI_NEWLINE_RE.sub("\n\n", text)
    )
    for end in ("", "\n", "\n</p>", "\n</p>\n", "</p>\n", "\n</p>\n\n"):
        assert autop._trailing_newline_p(text + end) == autop._TRAILING_NEWLINE_P_RE.sub("</p>", text + end)
    assert autop._newlines_to_br(text) == re.compile(r"(?<!<br />)\s*\n", re.ASCII).sub("<br />\n", text)


_INLINE_FRAGMENTS = [
    "\n", "\n", "\n\n", " ", "\t", "\x0b", "\x0c", "\r", "\r\n", " \n ", "\n \n", "x", "word", "<em>", "</em>",
    "<a href='x'>", "</a>", "<strong\n>", "<img\nsrc=x>", "<!-- c -->", "<!--\n-->", "<!--more-->", "[caption]",
    "[/audio]", "\u00a0", "<", ">", "<P>", "<DIV>", "<Br>", "&nbsp;", "<![CDATA[\n]]>", "<x\n", "<<", "<i>\n</i>",
    "<WPPreserveNewline />", "<!-- wpnl -->", " <!-- wpnl --> ",
]


@settings(max_examples=3000, deadline=None)
@given(text=st.lists(st.sampled_from(_INLINE_FRAGMENTS), max_size=30).map("".join), br=st.booleans())
def test_inline_path_equals_full_path(text: str, br: bool) -> None:
    """Text _NOT_INLINE_RE finds nothing in gets from _autop_inline what every step would give it."""
    padded = text + "\n"
    if text.strip(" \t\n\r\0\x0b") and autop._NOT_INLINE_RE.search(padded) is None:
        assert autop._autop_inline(padded, br) == autop._autop_full(padded, br)


_BR_FRAGMENTS = [
    "<p>", "</p>", "<div>", "</div>", "<div class='a'>", "<param x>", "<br />", "<br />", "\n", "\n", "\n\n", " ", "\t",
    "x", "<", ">", "</", "<li>", "</li>", "<td ", "<WPPreserveNewline />", "<span>", "<p x='<br />'>",
    "<pre wp-pre-tag-0></pre>", "<blockquote>", "<h2>", "</h2>", "<tr>",
]


@settings(max_examples=2000, deadline=None)
@given(text=st.lists(st.sampled_from(_BR_FRAGMENTS), max_size=30).map("".join))
def test_newlines_to_br_in_full_same_after_removals(text: str) -> None:
    """_newlines_to_br(drop_after_blocks=True) leaves out only "<br />"s the two removals after it would take again."""

    def finish(converted: str) -> str:
        converted = converted.replace("<WPPreserveNewline />", "\n")
        converted = autop._keep_group(autop._BLOCK_THEN_BR_RE, converted)
        return autop._keep_group(autop._BR_THEN_BLOCK_RE, converted)

    assert finish(autop._newlines_to_br(text, drop_after_blocks=True)) == finish(autop._newlines_to_br(text))
