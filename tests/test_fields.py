"""Structured front matter: labelled lines and titles → typed fields, by rule files."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest
from click.testing import CliRunner

from migrate import pipeline
from migrate.cli import cli
from migrate.extract.wxr import read_wxr
from migrate.rules import FieldRule, FieldType, load_rules
from migrate.transform.fields import NO_VALUE, convert, parse_money, split_list, take_labelled_lines
from migrate.transform.frontmatter import parse_document

from .conftest import SAMPLE
from .test_boilerplate import BOILERPLATE_LINES
from .wxrfactory import item, write_wxr


def rule(key, *labels, **options):
    keep = options.pop("keep", False)
    return FieldRule(key, labels or (key.upper(),), FieldType(**options), keep)


# --- values -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("text,expected", [
    ("Sam Neill, Laura Dern and Jeff Goldblum", ["Sam Neill", "Laura Dern", "Jeff Goldblum"]),
    ("A, B, and C", ["A", "B", "C"]),
    ("Brian Cox and Spike Jonze", ["Brian Cox", "Spike Jonze"]),
    ("Solo Artist", ["Solo Artist"]),
    ("7 Oscars (including Best Picture, Best Director and Best Score), 7 BAFTAs and 3 Golden Globes",
     ["7 Oscars (including Best Picture, Best Director and Best Score)", "7 BAFTAs", "3 Golden Globes"]),
    ("4 César Awards (including Best Film and Best Director) and 2 BAFTAs (Best Screenplay and Best Design)",
     ["4 César Awards (including Best Film and Best Director)", "2 BAFTAs (Best Screenplay and Best Design)"]),
    ("Tom & Jerry", ["Tom", "Jerry"]),
])
def test_split_list(text, expected):
    assert split_list(text) == expected


def test_split_list_options():
    assert split_list("a; b and c", separator=";", final_and=False) == ["a", "b and c"]


@pytest.mark.parametrize("text,expected", [
    ("$23m", (23_000_000, "USD")), ("$47.3m", (47_300_000, "USD")), ("$1.029bn", (1_029_000_000, "USD")),
    ("£1.2 billion", (1_200_000_000, "GBP")), ("€850k", (850_000, "EUR")), ("US$5 million", (5_000_000, "USD")),
    ("12,500,000 USD", (12_500_000, "USD")), ("¥1,900m", (1_900_000_000, "JPY")), ("approx. $60m", (60_000_000, "USD")),
    ("$19m (estimated)", (19_000_000, "USD")), ("1000", (1000, "")), ("A$3m", (3_000_000, "AUD")),
])
def test_parse_money(text, expected):
    assert parse_money(text) == expected


@pytest.mark.parametrize("text", ["unknown", "$23-25m", "lots", "$ and change"])
def test_money_that_cannot_be_read(text):
    assert parse_money(text) is None


def test_money_currency_option():
    assert parse_money("$3m", "CAD") == (3_000_000, "CAD")
    assert parse_money("3m", "EUR") == (3_000_000, "EUR")
    assert parse_money("£3m", "CAD") == (3_000_000, "GBP")


@pytest.mark.parametrize("kind,text,expected", [
    ("integer", "117", 117), ("integer", "#117", 117), ("integer", "1,234", 1234),
    ("number", "7.5", 7.5), ("number", "8", 8), ("number", "1,234.5", 1234.5),
    ("date", "2013-12-18", dt.date(2013, 12, 18)), ("date", "18 December 2013", dt.date(2013, 12, 18)),
    ("date", "December 18, 2013", dt.date(2013, 12, 18)), ("date", "18th Dec 2013", dt.date(2013, 12, 18)),
    ("text", "  as written  ", "as written"), ("money", "$23m", "$23m"),
])
def test_convert(kind, text, expected):
    assert convert(text, FieldType(type=kind)) == expected


@pytest.mark.parametrize("kind,text", [("integer", "7.5"), ("integer", "many"), ("number", "8/10"),
                                       ("date", "sometime"), ("text", "")])
def test_convert_refuses(kind, text):
    with pytest.raises(ValueError):
        convert(text, FieldType(type=kind))


def test_none_values():
    assert convert("None", FieldType(type="list", none=("None",))) is NO_VALUE
    assert convert("n/a", FieldType(type="integer", none=("N/A",))) is NO_VALUE


def test_date_formats_option():
    assert convert("18/12/2013", FieldType(type="date", formats=("%d/%m/%Y",))) == dt.date(2013, 12, 18)


# --- labelled lines ---------------------------------------------------------------------------------


@pytest.mark.parametrize("line", [
    "**DIRECTED BY:** Ana Ruiz", "**DIRECTED BY**: Ana Ruiz", "DIRECTED BY: Ana Ruiz", "*Directed by:* Ana Ruiz",
    "directed by: Ana Ruiz", "__DIRECTED BY:__ Ana Ruiz", "DIRECTED  BY : Ana Ruiz", "DIRECTED BY: **Ana Ruiz**\\",
])
def test_label_forms(line):
    body, fields = take_labelled_lines(f"Intro.\n\n{line}\n\nOutro.\n", (rule("director", "DIRECTED BY"),))
    assert fields == {"director": "Ana Ruiz"}
    assert body == "Intro.\n\nOutro.\n"


def test_label_after_an_image_keeps_the_image():
    line = "![Poster](https://example.org/p.jpg)**DIRECTED BY:** Ana Ruiz"
    body, fields = take_labelled_lines(line + "\n", (rule("director", "DIRECTED BY"),))
    assert fields == {"director": "Ana Ruiz"} and body == "![Poster](https://example.org/p.jpg)\n"


def test_capital_label_glued_to_lost_alt_text():
    body, fields = take_labelled_lines("Poster - Paper MoonsDIRECTED BY: Ana Ruiz\n\nText.\n",
                                       (rule("director", "DIRECTED BY"),))
    assert fields == {"director": "Ana Ruiz"}
    assert body == "Poster - Paper Moons\n\nText.\n"


def test_lines_in_one_paragraph_and_the_first_occurrence_wins():
    text = "DIRECTED BY: Ana Ruiz\\\nBUDGET: $2m\\\nDIRECTED BY: Someone Else\n\nReview.\n"
    body, fields = take_labelled_lines(text, (rule("director", "DIRECTED BY"), rule("budget", type="money")))
    assert fields == {"director": "Ana Ruiz", "budget": "$2m"}
    assert body == "DIRECTED BY: Someone Else\n\nReview.\n"


def test_keep_and_not_understood():
    class Ctx:
        def __init__(self):
            self.counts = {}

        def count(self, name, key, n=1):
            self.counts.setdefault(name, {}).setdefault(key, 0)
            self.counts[name][key] += n

    ctx = Ctx()
    text = "RANK: first\n\nMOOD: calm\n\nNot a label: ordinary sentence.\n"
    body, fields = take_labelled_lines(text, (rule("rank", type="integer"), rule("mood", keep=True)), ctx)
    assert fields == {"mood": "calm"}
    assert body == text  # the rank stays (not a number), the mood stays (keep)
    assert ctx.counts == {"fields not understood": {"rank": 1}, "fields extracted": {"mood": 1}}


def test_code_blocks_are_not_read():
    text = "```\nDIRECTED BY: Nobody\n```\n"
    assert take_labelled_lines(text, (rule("director", "DIRECTED BY"),)) == (text, {})


# --- a post shaped like the seed ------------------------------------------------------------------

#: The shape of a WordPress.com review copied from its rendered page: the poster's alt text glued to the
#: first label, labelled facts, a synopsis and a review, more facts, then the pasted comment form.
#: (The facts are the film's public ones; the prose is ours.)
SEEDLIKE = """Top 365 Films - HerDIRECTED BY: Spike Jonze

STARRING: Joaquin Phoenix, Scarlett Johansson, Amy Adams, Rooney Mara, Olivia Wilde, Chris Pratt, Matt Letscher, \
Luka Jones, Kristen Wiig, Bill Hader, Portia Doubleday, Brian Cox and Spike Jonze

BUDGET: $23m

EARNED (Worldwide): $47.3m

AWARDS: 1 Oscar (Best Original Screenplay) and 1 Golden Globe (Best Original Screenplay)



A man who writes other people's letters falls for the voice of his computer.


Our synopsis goes here, two or three sentences about the story, in our own words.



Our review goes here, with an opinion about the photography and the performances.


FAVOURITE SCENE: A day trip to the seaside.

FAVOURITE QUOTE: ‘A line we made up for this test.’ – Someone 

DID YOU KNOW?: A piece of trivia we wrote ourselves..

Leave a Reply

Fill in your details below or click an icon to log in: Logo

You are commenting using your account. Log Out /  Change )

Twitter picture

You are commenting using your Twitter account. Log Out /  Change )

Facebook photo

You are commenting using your Facebook account. Log Out /  Change )

Connecting to %s

This site uses Akismet to reduce spam. Learn how your comment data is processed."""

STARRING = ["Joaquin Phoenix", "Scarlett Johansson", "Amy Adams", "Rooney Mara", "Olivia Wilde", "Chris Pratt",
            "Matt Letscher", "Luka Jones", "Kristen Wiig", "Bill Hader", "Portia Doubleday", "Brian Cox",
            "Spike Jonze"]


def convert_one(tmp_path, title, content, *mappings):
    export = read_wxr(write_wxr(tmp_path / "in.xml", [item(117, title, slug="her", content=content)]))
    rules = load_rules(list(mappings))
    report = pipeline.convert(export, tmp_path / "out", options=pipeline.Options(rules=rules))
    assert report.counts["new"] == 1, report.summary_lines()
    return parse_document((tmp_path / "out/content/posts/her.md").read_text("utf-8")), report


def test_a_post_shaped_like_the_seed(tmp_path):
    (fm, body), report = convert_one(tmp_path, "Top 365 Films – #117 – Her (2013)", SEEDLIKE, "top-365-films")
    assert fm["title"] == "Her"
    expected = {
        "series": "Top 365 Films", "rank": 117, "year": 2013, "director": "Spike Jonze", "starring": STARRING,
        "budget": "$23m", "budget_amount": 23_000_000, "budget_currency": "USD", "earned_worldwide": "$47.3m",
        "earned_worldwide_amount": 47_300_000, "earned_worldwide_currency": "USD",
        "awards": ["1 Oscar (Best Original Screenplay)", "1 Golden Globe (Best Original Screenplay)"],
        "favourite_scene": "A day trip to the seaside.",
        "favourite_quote": "‘A line we made up for this test.’ – Someone",
        "did_you_know": "A piece of trivia we wrote ourselves..",
    }
    assert {k: fm[k] for k in expected} == expected
    keys = list(fm)
    assert keys[keys.index("series"):] == list(expected)  # in the rule file's order, after the standard keys
    assert body.startswith("Top 365 Films - Her\n\nA man who writes other people's letters")
    assert "Our review goes here" in body
    for label in ("DIRECTED BY", "STARRING", "BUDGET", "EARNED", "AWARDS", "FAVOURITE", "DID YOU KNOW"):
        assert label not in body
    for line in BOILERPLATE_LINES:
        assert line not in body, line
    assert report.counters["title rules applied"] == {"top-365-films": 1}
    assert len(report.counters["fields extracted"]) == 8


def test_when_conditions(tmp_path):
    mapping = tmp_path / "m.yaml"
    mapping.write_text(textwrap.dedent("""
        fields:
          - key: director
            labels: [DIRECTED BY]
            when: {categories: [Reviews]}
        """), "utf-8")
    (fm, body), _ = convert_one(tmp_path, "Her", "DIRECTED BY: Spike Jonze\n\nText.", mapping)
    assert "director" not in fm and "DIRECTED BY" in body


# --- the sample export with the worked example ----------------------------------------------------

SAMPLE_FIELDS = {
    "top-365-films-11-schindlers-list-1993.md": ("Schindler’s List", 11, 1993, "Steven Spielberg", 6, "$22m", "$322.2m", 3),
    "top-365-films-12-jurassic-park-1993.md": ("Jurassic Park", 12, 1993, "Steven Spielberg", 11, "$63m", "$1.029bn", 1),
    "top-365-films-13-amélie-2001.md": ("Amélie", 13, 2001, "Jean-Pierre Jeunet", 10, "$10m", "$174.1m", 2),
    "top-365-films-14-spirited-away-2001.md": ("Spirited Away", 14, 2001, "Hayao Miyazaki", 8, "$19m", "$274.9m", 2),
    "top-365-films-15-fast-furious-6-2013.md": ("Fast & Furious 6", 15, 2013, "Justin Lin", 11, "$160m", "$788.7m", 0),
    "33.md": ("Heat", 16, 1995, "Michael Mann", 9, "$60m", "$187.4m", 0),
}


def test_sample_with_the_worked_example(tmp_path):
    result = CliRunner().invoke(cli, ["convert", str(SAMPLE), "--out", str(tmp_path / "site"),
                                      "--mapping", "top-365-films"])
    assert result.exit_code == 0, result.output
    assert "title rules applied: top-365-films (6)" in result.output
    posts = tmp_path / "site" / "content" / "posts"
    for name, (title, rank, year, director, cast, budget, earned, awards) in SAMPLE_FIELDS.items():
        fm, body = parse_document((posts / name).read_text("utf-8"))
        assert (fm["title"], fm["series"], fm["rank"], fm["year"]) == (title, "Top 365 Films", rank, year)
        assert fm["director"] == director and len(fm["starring"]) == cast
        assert fm["budget"] == budget and fm["earned_worldwide"] == earned and len(fm["awards"]) == awards
        assert isinstance(fm["budget_amount"], int) and fm["budget_currency"] == "USD"
        if name != "33.md":  # the draft has no scene, quote or trivia yet
            assert fm["favourite_scene"] and fm["favourite_quote"].startswith("‘") and fm["did_you_know"]
        for label in ("DIRECTED BY", "STARRING", "BUDGET", "EARNED", "AWARDS", "FAVOURITE", "DID YOU KNOW"):
            assert label not in body, (name, label)
        for line in BOILERPLATE_LINES:
            assert line not in body, (name, line)
        assert len(body) > 80  # the synopsis and the review stay
    other, _ = parse_document((posts / "five-opening-scenes-i-could-watch-on-repeat.md").read_text("utf-8"))
    assert "series" not in other and other["title"] == "Five Opening Scenes I Could Watch on Repeat"
