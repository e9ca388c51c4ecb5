"""Rule files: loading, validation messages that name the key, extends, merging, regex safety, and the
rule-driven name and selection stages (renames, merges, drops, post types and statuses, meta)."""

from __future__ import annotations

import pickle
import re
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from migrate import pipeline
from migrate.cli import cli
from migrate.errors import RuleError
from migrate.extract.wxr import read_wxr
from migrate.rules import MAPPINGS, RuleSet, backtracking_problem, check_file, default_rules, load_rules
from migrate.transform.frontmatter import parse_document

from .wxrfactory import item, write_wxr


def rule_file(tmp_path: Path, text: str, name: str = "rules.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), "utf-8")
    return path


def error_of(tmp_path: Path, text: str) -> str:
    with pytest.raises(RuleError) as e:
        check_file(rule_file(tmp_path, text))
    return str(e.value)


# --- the bundled files --------------------------------------------------------------------------


def test_bundled_files_load_and_pickle():
    for path in sorted(MAPPINGS.glob("*.yaml")):
        rules = check_file(path)
        assert pickle.loads(pickle.dumps(rules)) == rules  # rules travel to worker processes
    defaults = default_rules()
    assert {r.name for r in defaults.html} >= {"jetpack-sharing", "jetpack-likes", "jetpack-related-posts",
                                                "comment-form", "akismet-notice"}
    assert {r.name for r in defaults.text} >= {"comment-form", "akismet-notice", "jetpack-sharing",
                                                "jetpack-likes", "jetpack-related-posts", "wordpress-com-footer"}


def test_default_rules_apply_unless_switched_off():
    assert load_rules() == load_rules([MAPPINGS / "default.yaml"], defaults=False)
    assert load_rules(defaults=False) == RuleSet()
    both = load_rules(["top-365-films"])  # a bundled file by name, on top of the defaults
    assert both.text and both.fields and both.titles


# --- validation messages --------------------------------------------------------------------------


@pytest.mark.parametrize("text,expected", [
    ("boilerplate:\n  htm: []\n", "boilerplate.htm: unknown key (expected one of: html, text, disable)"),
    ("fields:\n  - key: x\n    labels: [A]\n    type: string\n",
     "fields[0].type: expected one of text, list, integer, number, money, date, got 'string'"),
    ("fields:\n  - key: x\n    labels: [A]\n    keep: maybe\n", "fields[0].keep: expected true or false, got 'maybe'"),
    ("fields:\n  - labels: [A]\n", "fields[0].key: missing"),
    ("fields:\n  - key: rank\n    labels: [117]\n", "fields[0].labels[0]: expected text, got a number (117) (put it in quotes)"),
    ("fields:\n  - key: title\n    labels: [T]\n", "fields[0].key: 'title' is a standard front-matter key"),
    ("boilerplate:\n  text:\n    - name: a\n      patterns: ['(unclosed']\n",
     "boilerplate.text[0].patterns[0]: not a valid regular expression"),
    ("boilerplate:\n  text:\n    - name: a\n      patterns: ['(a+)+b']\n",
     "boilerplate.text[0].patterns[0]: refused: a repetition inside a repeated group"),
    ("boilerplate:\n  text:\n    - name: a\n", "boilerplate.text[0]: needs lines or patterns"),
    ("boilerplate:\n  html:\n    - name: a\n      selector: 'div[[['\n",
     "boilerplate.html[0].selector: not a CSS selector"),
    ("titles:\n  - name: t\n    pattern: '(?P<rank>\\d+)'\n    fields: {year: integer}\n",
     "titles[0].fields.year: the pattern has no group named 'year'"),
    ("taxonomies:\n  categories:\n    rename: {Old: 3}\n",
     "taxonomies.categories.rename.Old: expected text, got a number (3)"),
    ("select:\n  post_types: post\n  status: [draft]\n", "select.status: unknown key"),
    ("meta:\n  namespace: date\n", "meta.namespace: 'date' is a standard front-matter key"),
    ("fields: [\n", "not valid YAML: line 2"),
    ("fields: []\nfields: []\n", "the key 'fields' is written twice"),
    ("- just\n- a list\n", "(top level): expected a mapping, got a list"),
])
def test_a_bad_rule_file_names_the_file_and_the_key(tmp_path, text, expected):
    message = error_of(tmp_path, text)
    assert message.startswith(str(tmp_path / "rules.yaml") + ": ")
    assert expected in message
    assert "\n" not in message


def test_mappings_check_command(tmp_path):
    runner = CliRunner()
    ok = runner.invoke(cli, ["mappings", "check", str(MAPPINGS / "top-365-films.yaml")])
    assert ok.exit_code == 0 and ": ok" in ok.output and "8 labelled-line rules, 1 title rules" in ok.output
    bad = rule_file(tmp_path, "fields:\n  - key: budget\n    labels: [BUDGET]\n    type: moneyy\n")
    result = runner.invoke(cli, ["mappings", "check", str(bad)])
    assert result.exit_code == 2
    assert "fields[0].type: expected one of" in result.output and "'moneyy'" in result.output
    missing = runner.invoke(cli, ["mappings", "check", str(tmp_path / "nope.yaml")])
    assert missing.exit_code == 2 and "no such rule file" in missing.output


def test_convert_refuses_a_bad_mapping_before_writing_anything(tmp_path):
    bad = rule_file(tmp_path, "boilerplate:\n  text:\n    - name: x\n      lines: [a]\n      standalone: 1\n")
    result = CliRunner().invoke(cli, ["convert", "--out", str(tmp_path / "site"), "--mapping", str(bad)])
    assert result.exit_code == 2
    assert "boilerplate.text[0].standalone: expected true or false" in result.output
    assert not (tmp_path / "site").exists()


# --- regular expressions --------------------------------------------------------------------------


@pytest.mark.parametrize("pattern", [r"(a+)+", r"(\w*,?)*", r"(?:x|xy)*", r"(?:ab|cd|\w)+", r"((ab)*)+", r"(?:\s*-\s*)+"])
def test_backtracking_shapes_are_refused(pattern):
    assert backtracking_problem(pattern)


@pytest.mark.parametrize("pattern", [r"Share this:", r"[\w.]+ account\.", r"(?:Twitter|Facebook)+",
                                     r"(?:WordPress\.com )?Logo", r"\d{1,3}(?:,\d{3})?", r"Related(?: posts)?"])
def test_ordinary_patterns_are_accepted(pattern):
    assert backtracking_problem(pattern) is None
    re.compile(pattern)


# --- extends and merging ------------------------------------------------------------------------


def test_extends_merges_by_name_and_disables(tmp_path):
    rule_file(tmp_path, """
        boilerplate:
          text:
            - name: footer
              lines: [Powered by Something]
            - name: signup
              lines: [Sign up now]
        fields:
          - key: mood
            labels: [MOOD]
        """, "base.yaml")
    child = rule_file(tmp_path, """
        extends: base
        boilerplate:
          text:
            - name: footer
              lines: [Made with Else]
          disable: [signup, jetpack-likes]
        fields:
          - key: mood
            labels: [FEELING]
            type: list
        """, "child.yaml")
    rules = load_rules([child])  # on top of the defaults
    names = [r.name for r in rules.text]
    assert "signup" not in names and "jetpack-likes" not in names and "comment-form" in names
    footer = next(r for r in rules.text if r.name == "footer")
    assert footer.lines == frozenset({"madewithelse"})
    (mood,) = rules.fields
    assert mood.labels == ("FEELING",) and mood.type.type == "list"
    assert [Path(s).name for s in rules.sources] == ["default.yaml", "base.yaml", "child.yaml"]


def test_extends_default_counts_once_and_loops_are_errors(tmp_path):
    mine = rule_file(tmp_path, "extends: default\nboilerplate:\n  disable: [comment-form]\n", "mine.yaml")
    rules = load_rules([mine])
    assert [Path(s).name for s in rules.sources] == ["default.yaml", "mine.yaml"]
    assert "comment-form" not in {r.name for r in rules.text}
    rule_file(tmp_path, "extends: b.yaml\n", "a.yaml")
    rule_file(tmp_path, "extends: a.yaml\n", "b.yaml")
    with pytest.raises(RuleError, match=r"extends: extends itself in a loop \(a.yaml → b.yaml → a.yaml\)"):
        check_file(tmp_path / "a.yaml")
    with pytest.raises(RuleError, match=r"extends\[0\]: no rule file 'nothere'"):
        check_file(rule_file(tmp_path, "extends: nothere\n", "c.yaml"))


def test_two_files_writing_one_key_is_an_error(tmp_path):
    a = rule_file(tmp_path, "fields:\n  - key: budget\n    labels: [COST]\n    type: money\n    amount: true\n", "a.yaml")
    b = rule_file(tmp_path, "fields:\n  - key: budget_amount\n    labels: [SPEND]\n", "b.yaml")
    with pytest.raises(RuleError, match="two field rules write 'budget_amount'"):
        load_rules([a, b], defaults=False)


# --- selection, names and meta ------------------------------------------------------------------

CHANNEL = """
<wp:category><wp:term_id>1</wp:term_id><wp:category_nicename>reviews</wp:category_nicename>
<wp:category_parent></wp:category_parent><wp:cat_name>Reviews</wp:cat_name></wp:category>
"""


def convert(tmp_path, items, rules_text, **options):
    rules = load_rules([rule_file(tmp_path, rules_text)], defaults=False)
    export = read_wxr(write_wxr(tmp_path / "in.xml", items, channel=CHANNEL))
    report = pipeline.convert(export, tmp_path / "out", options=pipeline.Options(rules=rules, **options))
    return report


def front(tmp_path, rel):
    return parse_document((tmp_path / "out" / rel).read_text("utf-8"))[0]


def terms(*pairs):
    return "".join(f'<category domain="{d}" nicename="{s}"><![CDATA[{n}]]></category>' for d, s, n in pairs)


def test_select_post_types_and_statuses(tmp_path):
    report = convert(tmp_path, [
        item(1, slug="a"), item(2, slug="b", status="draft"), item(3, "P", slug="p", post_type="page"),
    ], "select:\n  post_types: [post]\n  statuses: [publish]\n")
    assert report.counts["new"] == 1
    reasons = report.reasons("skipped")
    assert reasons["status draft (not chosen by the rule files' select.statuses)"] == 1
    assert reasons["post type page (not chosen by the rule files' select.post_types)"] == 1


def test_rename_merge_and_drop_terms_and_authors(tmp_path):
    convert(tmp_path, [
        item(1, slug="a", extra=terms(("category", "reviews", "Reviews"), ("category", "film-reviews", "Film Reviews"),
                                      ("category", "uncategorized", "Uncategorized"), ("post_tag", "scifi", "SciFi"),
                                      ("post_tag", "sci-fi", "sci-fi"))),
    ], """
        taxonomies:
          categories:
            rename: {Film Reviews: Reviews}
            drop: [uncategorized]
          tags:
            rename: {scifi: Science fiction, sci-fi: Science fiction}
        authors:
          rename: {Ed Itor: Edwina Itor}
        """)
    fm = front(tmp_path, "content/posts/a.md")
    assert fm["categories"] == ["Reviews"]
    assert fm["tags"] == ["Science fiction"]
    assert fm["author"] == "Edwina Itor"


def test_meta_fields_are_namespaced_and_typed(tmp_path):
    meta = "".join(f"<wp:postmeta><wp:meta_key>{k}</wp:meta_key><wp:meta_value><![CDATA[{v}]]></wp:meta_value>"
                   "</wp:postmeta>" for k, v in [("date", "1999-01-01"), ("title", "Not the title"),
                                                  ("rating", "4.5"), ("runtime", "about two hours")])
    report = convert(tmp_path, [item(1, "Real title", slug="a", extra=meta)], """
        meta:
          fields:
            - from: date
            - from: title
            - from: rating
              type: number
            - from: runtime
              type: integer
        """)
    fm = front(tmp_path, "content/posts/a.md")
    assert fm["title"] == "Real title" and fm["date"].year == 2020
    assert fm["meta"] == {"date": "1999-01-01", "title": "Not the title", "rating": 4.5}
    assert report.counters["fields not understood"] == {"meta.runtime": 1}


def test_a_rule_pattern_python_patch_releases_match_differently_is_refused(tmp_path):
    from migrate.errors import RuleError
    from migrate.rules import check_file

    rule = tmp_path / "rules.yaml"
    rule.write_text("boilerplate:\n  text:\n    - name: x\n      patterns: ['Share(?:[^\\[]|\\[a)*+']\n")
    with pytest.raises(RuleError, match=r"possessive quantifier on a group.*3\.11\.5"):
        check_file(rule)
