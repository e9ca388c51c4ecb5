#!/usr/bin/env python3
"""Generate a large, realistic WordPress eXtended RSS (WXR 1.2) export.

The output looks like what a self-hosted WordPress "Tools > Export" produces
for a film blog written in the classic editor: paragraphs without <p> tags
separated by blank lines, [caption] shortcodes around <img>, lists,
blockquotes, headings, links, <strong>/<em>, labelled-fact lines
("<strong>DIRECTED BY:</strong> ..."), categories and tags drawn from a pool
declared in the channel, several authors, threaded comments (some pending,
some spam, the odd pingback), a few drafts and private posts, and image
attachments referenced through ``_thumbnail_id``.

Everything is generated from a seeded ``random.Random``, so the same
``--posts``/``--seed`` always gives byte-identical output. Films, people and
prose are synthetic; no real facts are asserted.

The document is written item by item and never held in memory.

Usage::

    python benchmarks/generate_export.py --posts 10000 --out /tmp/big.xml [--seed 0]

or, from Python::

    from benchmarks.generate_export import write_export
    with open(path, "w", encoding="utf-8", newline="\\n") as fh:
        write_export(fh, posts=1000, seed=1)

Besides the ``posts`` items of type ``post`` the file holds two pages
(an "About" page and a child page), one ``nav_menu_item`` and one
``attachment`` item per featured or captioned image.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import math
import random
import sys
import time
import unicodedata
from typing import Callable, Dict, List, Optional, TextIO, Tuple

__all__ = ["write_export"]

SITE = "https://filmjournal.example.com"
UPLOADS = SITE + "/wp-content/uploads"
TZ_OFFSET = _dt.timedelta(hours=-5)  # site timezone (UTC-5, no DST)
START = _dt.datetime(2009, 3, 2, 14, 0, 0)  # first post, GMT

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July",
                "August", "September", "October", "November", "December")

# --------------------------------------------------------------------------- pools

AUTHORS = [
    # id, login, email, display, first, last
    (1, "admin", "editor@filmjournal.example.com", "Rosa Lindqvist", "Rosa", "Lindqvist"),
    (2, "jpereira", "joao.pereira@example.com", "João Pereira", "João", "Pereira"),
    (3, "hannah_m", "hannah.m@example.org", "Hannah Morrow", "Hannah", "Morrow"),
    (4, "okwu", "d.okwu@example.com", "Daniel Okwu", "Daniel", "Okwu"),
]
AUTHOR_WEIGHTS = [55, 20, 15, 10]

# term_id, slug, name, parent slug
CATEGORIES = [
    (1, "uncategorized", "Uncategorized", ""),
    (2, "reviews", "Reviews", ""),
    (3, "top-365-films", "Top 365 Films", "reviews"),
    (4, "classics", "Classics", "reviews"),
    (5, "new-releases", "New Releases", "reviews"),
    (6, "lists", "Lists", ""),
    (7, "news", "News", ""),
    (8, "box-office", "Box Office", "news"),
    (9, "essays", "Essays", ""),
    (10, "festivals", "Festivals", ""),
]

TAG_NAMES = [
    "action", "animation", "biopic", "black and white", "comedy", "coming of age",
    "crime", "documentary", "drama", "fantasy", "film noir", "foreign language",
    "heist", "horror", "musical", "mystery", "romance", "science fiction", "silent film",
    "sports", "thriller", "war", "western", "1950s", "1960s", "1970s", "1980s", "1990s",
    "2000s", "2010s", "soundtracks", "cinematography", "remakes", "sequels",
    "directors", "Oscars", "BAFTA", "Cannes", "box office", "rewatch", "guilty pleasures",
    "Q&A",
]

FIRST = ["Ada", "Alma", "Arthur", "Bea", "Benedikt", "Carmen", "Cyril", "Dara", "Edgar",
         "Elena", "Esme", "Felix", "Greta", "Hugo", "Ines", "Ivo", "Jonas", "Juno", "Kit",
         "Lena", "Leon", "Lucia", "Malik", "Mara", "Milo", "Nadia", "Nico", "Nora", "Otto",
         "Pia", "Quentin", "Rafa", "Rhea", "Ruth", "Saul", "Selma", "Teo", "Thea", "Umar",
         "Vera", "Wes", "Yara", "Zofia", "Zoltán", "Søren", "Chloé", "Björn", "Anaïs"]
LAST = ["Abbott", "Achterberg", "Baines", "Bellamy", "Carvalho", "Castellano", "Dunmore",
        "Eklund", "Farrow", "Fontaine", "Garrick", "Halloran", "Ibarra", "Jansen", "Kessler",
        "Lachance", "Marchetti", "Moreau", "Nakamura", "Novak", "Oyelaran", "Pemberton",
        "Quist", "Radcliffe", "Rinaldi", "Sato", "Sorensen", "Thackeray", "Underhill",
        "Valdés", "Vance", "Whitlow", "Yilmaz", "Zielinski", "Østergaard", "Brontë"]

T_ADJ = ["Silent", "Crimson", "Last", "Paper", "Hollow", "Northern", "Glass", "Midnight",
         "Burning", "Quiet", "Salt", "Golden", "Distant", "Broken", "Wild", "Winter",
         "Electric", "Velvet", "Iron", "Lonely"]
T_NOUN = ["Harbour", "Orchard", "Engine", "Lighthouse", "Parade", "Signal", "Garden",
          "Frontier", "Carousel", "Station", "Tide", "Kingdom", "Alibi", "Echo", "Circus",
          "Archive", "Meridian", "Avenue", "Lantern", "Reckoning"]
T_PLACE = ["Marseille", "the Lido", "Lake Vostok", "Brixton", "the Salt Flats", "Kowloon",
           "Pier Nine", "the Valley", "Santa Ynez", "Hollow Creek", "Île Sainte-Marie",
           "the Northern Line", "Reykjavík", "Coney Island", "Κέρκυρα", "京都"]
T_PATTERNS = [
    "The {adj} {noun}", "{adj} {noun}", "A {noun} in {month}", "The {noun} of {place}",
    "Midnight at {place}", "{first}'s {noun}", "{adj} &amp; {adj2}", "Return to {place}",
    "{noun} {num}", "The {adj} Years", "Été {adj_fr}", "Notes from {place}",
]
ADJ_FR = ["perdu", "brûlant", "étrange", "éternel", "sauvage", "tranquille"]

CHARACTERS = ["Mrs Calloway", "the Inspector", "Captain Rourke", "Lou", "the narrator",
              "Old Tomas", "Agent Price", "Marguerite", "the stranger", "Dr Halvorsen",
              "Billie", "the Duchess"]

ADJ_POS = ["gorgeous", "quietly devastating", "wonderfully odd", "sharp", "generous",
           "tense", "funny", "beautifully paced", "confident", "warm", "unsettling",
           "thrilling", "tender", "playful", "bold"]
ADJ_NEG = ["baggy", "overstuffed", "flat", "muddled", "a little smug", "predictable",
           "rushed", "tonally confused", "shapeless", "heavy-handed"]
ASPECTS = ["the cinematography", "the score", "the editing", "the third act",
           "the production design", "the opening ten minutes", "the sound mix",
           "the dialogue", "the costume work", "the final shot", "the pacing",
           "the central performance", "the screenplay", "the location work",
           "the ensemble cast"]
SCENES = ["the train pulls out of the station", "the lights go out in the hotel",
          "the two brothers finally sit down together", "the storm reaches the harbour",
          "the letter is read aloud", "the heist goes wrong in the car park",
          "the band starts playing at the wedding", "the boat drifts into the fog",
          "the phone rings in the empty flat", "the chase spills onto the rooftops",
          "the verdict is announced", "the dog finds its way home"]
TIMES = ["last Tuesday", "on a rainy Sunday afternoon", "late last night",
         "over the long weekend", "for the first time in a decade", "this morning",
         "on a flight home", "twice in one week"]
PLACES = ["at the local multiplex", "on a battered DVD", "at a packed repertory screening",
          "on the small screen", "in a half-empty cinema", "at a festival screening",
          "on a borrowed Blu-ray", "at an outdoor screening in the park"]
RELATIVES = ["brother", "sister", "dad", "mum", "flatmate", "partner", "best friend", "grandmother"]
SKILLS = ["building dread", "staging crowd scenes", "writing arguments",
          "finding the joke in a sad moment", "letting a shot breathe",
          "getting out of the way of the actors", "making a small story feel enormous"]
HEADINGS = ["The performances", "What works", "What doesn't", "The verdict",
            "Behind the scenes", "Final thoughts", "Where to watch it", "The music",
            "A note on the ending", "Should you see it?", "Background"]
AWARDS = ["None", "1 Oscar (Best Original Score)", "2 BAFTAs (Best Cinematography and Best Editing)",
          "the Palme d'Or", "1 Golden Globe (Best Actress – Drama)",
          "3 Oscars (Best Picture, Best Director and Best Adapted Screenplay)",
          "the Audience Award at a festival nobody has heard of", "1 César (Best First Film)"]
LIST_ITEMS = ["the opening tracking shot", "any scene set in the diner",
              "the argument in the lift", "the soundtrack, start to finish",
              "the way the colour drains out in the last act", "the final line",
              "the costume changes", "a two-minute single take", "the credits sequence",
              "the bit with the umbrella", "every scene with the neighbour",
              "the model work in the flood sequence"]
TRIVIA = ["Most of the night scenes were shot in a single fortnight.",
          "The lead learned to play the cello for the role.",
          "The original cut ran to almost four hours.",
          "The house used in the film was later turned into a bed and breakfast.",
          "The ending was reshot after a poor test screening.",
          "Two of the extras went on to become directors themselves.",
          "The score was recorded in a converted church."]
QUOTES = ["‘We should have turned left at the lighthouse.’",
          "‘Nobody leaves before the coffee is finished.’",
          "‘I never said it would be easy. I said it would be interesting.’",
          "‘Put the map down and look at the sky.’",
          "‘Everyone is somebody’s bad idea.’",
          "‘Ask me again tomorrow.’"]
COMMENT_LINES = [
    "Great write-up, I completely agree about {aspect}.",
    "I saw this {place} years ago and had forgotten how {adj} it was.",
    "Not sure I agree with you on this one, but I enjoyed reading it!",
    "Thanks for the recommendation, adding it to my watchlist.",
    "Have you seen the director's cut? It fixes {aspect}.",
    "My {relative} loves this film. We watch it every Christmas.",
    "{actor} deserved far more attention for this.",
    "The bit where {scene} gets me every time.",
    "Is the Blu-ray worth it or should I wait for a streaming release?",
    "Brilliant, as always. Keep them coming.",
]
SPAM_LINES = [
    "Very nice article!!! Visit our site for cheap watches and free films.",
    "I like this blog. Please see my site about easy money online.",
    "Great post thanks. Best movie downloads here no registration.",
]

SENTENCES = [
    "I watched {film} {time} {place}, and it was {adj} from start to finish.",
    "{director} has always been good at {skill}, and here it pays off in {aspect}.",
    "{actor} gives a {adj} performance that holds the whole thing together.",
    "The problem is {aspect}, which feels {neg} next to everything around it.",
    "It is easy to forget how {adj} {aspect} was when the film first came out.",
    "By the time {scene}, I had stopped taking notes altogether.",
    "If you only know {actor} from lighter work, this will come as a surprise.",
    "{aspect_cap} does a lot of quiet work in the background.",
    "I have seen it {count} times now and I still notice something new each time.",
    "There is a moment when {scene} that I would happily frame and hang on the wall.",
    "Not everything lands: {aspect} drags, and {actor2} is given far too little to do.",
    "Still, it is hard to stay annoyed with a film this {adj}.",
    "My {relative} fell asleep halfway through, which says more about the sofa than the film.",
    "The supporting cast is {adj}, especially {actor2} in a handful of small scenes.",
    "Looking back, {film} feels like the moment {director} worked out what kind of filmmaker to be.",
    "The score by {composer} carries scenes that would otherwise feel ordinary.",
    "Some critics called it {neg} at the time, and I think they were wrong.",
    "Watch it with the sound up and the lights off.",
    "It runs a little long, but I would not want to lose a single scene.",
    "The final shot is {adj}, and it left the whole room quiet for a good minute.",
    "What surprised me most on this viewing was {aspect}.",
    "You can feel the budget in places, but the ideas more than make up for it.",
    "{actor} and {actor2} have the kind of chemistry you cannot fake.",
    "I went in expecting something {neg} and came out grinning.",
    "Few films from {year} have aged this gracefully.",
    "The script never explains more than it needs to, which I appreciated.",
    "When {scene}, the whole audience gasped, and so did I.",
    "It is not perfect, but it is {adj} in a way that very few films manage.",
    "Comparisons with {film2} are inevitable, and mostly flattering.",
    "If I have one complaint, it is that {aspect} feels {neg}.",
]


# --------------------------------------------------------------------------- helpers

def _cdata(s: str) -> str:
    if "]]>" in s:
        s = s.replace("]]>", "]]]]><![CDATA[>")
    return "<![CDATA[" + s + "]]>"


def _mysql(d: _dt.datetime) -> str:
    return "%04d-%02d-%02d %02d:%02d:%02d" % (d.year, d.month, d.day, d.hour, d.minute, d.second)


def _rfc822(d: Optional[_dt.datetime]) -> str:
    if d is None:
        return "Mon, 30 Nov -0001 00:00:00 +0000"
    return "%s, %02d %s %04d %02d:%02d:%02d +0000" % (
        _DAYS[d.weekday()], d.day, _MONTHS[d.month - 1], d.year, d.hour, d.minute, d.second)


_SAFE = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


def _slugify(title: str) -> str:
    """Approximation of WordPress's sanitize_title(): accents are folded
    (remove_accents), dashes and quotes dropped, any other non-ASCII character
    is percent-encoded in lower case (sanitize_title_with_dashes)."""
    t = title.replace("&amp;", "").lower()
    for ch in "’‘“”'\"":
        t = t.replace(ch, "")
    t = t.replace("–", "-").replace("—", "-")
    out: List[str] = []
    dash = False
    for ch in t:
        if ch in _SAFE:
            out.append(ch)
            dash = False
        elif ord(ch) > 127:
            folded = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode("ascii").lower()
            if folded and folded in _SAFE:
                out.append(folded)
            else:
                out.append("".join("%%%02x" % b for b in ch.encode("utf-8")))
            dash = False
        elif not dash and out:
            out.append("-")
            dash = True
    return "".join(out).strip("-") or "untitled"


def _ascii(s: str) -> str:
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii")


def _and_list(names: List[str]) -> str:
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def _php_str(s: str) -> str:
    return 's:%d:"%s";' % (len(s.encode("utf-8")), s)


class _Film:
    __slots__ = ("title", "year", "director", "cast", "composer", "budget", "gross", "awards")

    def __init__(self, rng: random.Random, person: Callable[[], str]) -> None:
        pat = rng.choice(T_PATTERNS)
        self.title = pat.format(
            adj=rng.choice(T_ADJ), adj2=rng.choice(T_ADJ), noun=rng.choice(T_NOUN),
            place=rng.choice(T_PLACE), month=rng.choice(_MONTH_NAMES), first=rng.choice(FIRST),
            num=rng.randint(2, 9), adj_fr=rng.choice(ADJ_FR))
        self.year = rng.randint(1927, 2014)
        self.director = person()
        self.cast = [person() for _ in range(rng.randint(3, 9))]
        self.composer = person()
        budget = rng.choice((0.4, 1.2, 3, 8, 15, 22, 35, 60, 90, 140, 180))
        self.budget = "$%sm" % budget
        gross = budget * rng.uniform(0.3, 9.0)
        self.gross = ("$%.3fbn" % (gross / 1000)) if gross >= 1000 else ("$%.1fm" % gross)
        self.awards = rng.choice(AWARDS)


# --------------------------------------------------------------------------- generator

class _Gen:
    def __init__(self, fh: TextIO, posts: int, seed: int) -> None:
        self.fh = fh
        self.posts = posts
        self.rng = random.Random(seed)
        rng = self.rng
        self.people = ["%s %s" % (rng.choice(FIRST), rng.choice(LAST)) for _ in range(400)]
        self.films = [_Film(rng, self.person) for _ in range(300)]
        self.tags = [(100 + i, _slugify(n), n.replace("&", "&amp;")) for i, n in enumerate(TAG_NAMES)]
        self.slugs: Dict[str, int] = {}
        self.recent_links: List[Tuple[str, str]] = []
        self.next_id = 100
        self.next_comment = 1
        self.review_no = 0
        self.when = START

    # -- small helpers -----------------------------------------------------
    def person(self) -> str:
        rng = self.rng
        return "%s %s" % (rng.choice(FIRST), rng.choice(LAST))

    def cast_member(self, film: _Film) -> str:
        return self.rng.choice(film.cast)

    def film_ref(self, film: _Film) -> str:
        r = self.rng.random()
        if r < 0.25:
            return "<em>%s</em>" % film.title
        if r < 0.32 and self.recent_links:
            link, _title = self.rng.choice(self.recent_links)
            return '<a href="%s">%s</a>' % (link, film.title)
        if r < 0.36:
            return '<a href="https://example.org/films/%s-%d/">%s</a>' % (
                _slugify(film.title), film.year, film.title)
        return film.title

    def sentence(self, film: _Film, tpl: Optional[str] = None) -> str:
        rng = self.rng
        if tpl is None:
            tpl = rng.choice(SENTENCES)
        actor, actor2 = rng.sample(film.cast, 2)
        other = rng.choice(self.films)
        aspect = rng.choice(ASPECTS)
        adj = rng.choice(ADJ_POS)
        r = rng.random()
        if r < 0.05:
            adj = "<strong>%s</strong>" % adj
        elif r < 0.10:
            adj = "<em>%s</em>" % adj
        s = tpl.format(
            film=self.film_ref(film), film2=self.film_ref(other), director=film.director,
            actor=actor, actor2=actor2, adj=adj,
            neg=rng.choice(ADJ_NEG), aspect=aspect, aspect_cap=aspect[0].upper() + aspect[1:],
            scene=rng.choice(SCENES), time=rng.choice(TIMES), place=rng.choice(PLACES),
            relative=rng.choice(RELATIVES), skill=rng.choice(SKILLS), count=rng.randint(3, 12),
            composer=film.composer, year=film.year)
        return s[0].upper() + s[1:] if s[0].islower() else s

    def paragraph(self, film: _Film, lo: int = 3, hi: int = 7) -> str:
        tpls = self.rng.sample(SENTENCES, self.rng.randint(lo, hi))
        return " ".join(self.sentence(film, t) for t in tpls)

    def facts(self, film: _Film) -> List[str]:
        rng = self.rng
        style = rng.random()
        if style < 0.7:
            label = "<strong>%s:</strong> %s"
        elif style < 0.85:
            label = "<b>%s:</b> %s"
        else:
            label = "%s: %s"
        lines = [label % ("DIRECTED BY", film.director),
                 label % ("STARRING", _and_list(film.cast)),
                 label % ("BUDGET", film.budget),
                 label % ("EARNED (Worldwide)", film.gross),
                 label % ("AWARDS", film.awards)]
        if rng.random() < 0.2:  # typed with Shift+Enter: single newlines, one paragraph
            return ["\n".join(lines)]
        return lines

    def closing_facts(self, film: _Film) -> List[str]:
        rng = self.rng
        label = "<strong>%s:</strong> %s" if rng.random() < 0.8 else "%s: %s"
        return [label % ("FAVOURITE SCENE", "The moment " + rng.choice(SCENES) + "."),
                label % ("FAVOURITE QUOTE", "%s – %s" % (rng.choice(QUOTES), rng.choice(CHARACTERS))),
                label % ("DID YOU KNOW?", rng.choice(TRIVIA))]

    def caption(self, att_id: int, url: str, film: _Film) -> str:
        rng = self.rng
        width = rng.choice((300, 480, 600, 640))
        height = width * 9 // 16
        align = rng.choice(("aligncenter", "aligncenter", "alignleft", "alignright", "alignnone"))
        text = "A still from %s (%d)." % (film.title, film.year)
        return ('[caption id="attachment_%d" align="%s" width="%d"]<img class="size-full wp-image-%d" '
                'src="%s" alt="%s" width="%d" height="%d" /> %s[/caption]'
                % (att_id, align, width, att_id, url, film.title, width, height, text))

    def html_list(self) -> str:
        rng = self.rng
        tag = "ol" if rng.random() < 0.35 else "ul"
        items = rng.sample(LIST_ITEMS, rng.randint(3, 6))
        return "<%s>\n%s\n</%s>" % (tag, "\n".join("\t<li>%s</li>" % i for i in items), tag)

    # -- items -------------------------------------------------------------
    def unique_slug(self, base: str) -> str:
        n = self.slugs.get(base)
        if n is None:
            self.slugs[base] = 1
            return base
        self.slugs[base] = n + 1
        return "%s-%d" % (base, n + 1)

    def title_for(self, kind: str, film: _Film) -> str:
        rng = self.rng
        if kind == "review":
            self.review_no += 1
            if self.review_no <= 365:
                return "Top 365 Films – #%d – %s (%d)" % (self.review_no, film.title, film.year)
            return rng.choice(("Review: %s (%d)", "%s (%d) – a second look", "Film Review – %s (%d)")) % (
                film.title, film.year)
        if kind == "list":
            return rng.choice((
                "%s Films to Watch on a Rainy Day" % rng.choice(("Five", "Seven", "Ten", "Twelve")),
                "My Favourite Films of %d" % film.year,
                "Every %s Film, Ranked" % film.director,
                "The Best Opening Scenes of the %ds" % (film.year // 10 * 10),
            ))
        if kind == "news":
            return rng.choice((
                "Weekend Box Office: %s Holds On" % film.title,
                "Trailer Round-Up: %s %d" % (rng.choice(_MONTH_NAMES), self.when.year),
                "%s Gets a Restored Re-Release" % film.title,
                "Festival Diary &amp; Q&amp;A: %s" % film.title,
            ))
        return rng.choice((
            "Why %s Still Matters" % film.title,
            "In Defence of %s" % film.title,
            "On Rewatching %s" % film.title,
            "%s &amp; the Art of the Slow Burn" % film.title,
            "What I Learned from %s’s Films" % film.director,
        ))

    def body(self, kind: str, film: _Film, caption: Optional[str]) -> str:
        rng = self.rng
        blocks: List[str] = []
        if kind == "review":
            blocks.extend(self.facts(film))
            if rng.random() < 0.15:
                blocks.append("&nbsp;")
            blocks.append("A story about %s, %s." % (rng.choice(SCENES).replace("the ", "how the ", 1),
                                                     rng.choice(("told with real care", "more or less",
                                                                 "among other things", "set in %s" % rng.choice(T_PLACE)))))
        n_paras = rng.randint(4, 9)
        heading_at = set(rng.sample(range(1, n_paras), min(n_paras - 1, rng.randint(1, 3)))) \
            if rng.random() < 0.3 and n_paras > 2 else set()
        list_at = rng.randrange(1, n_paras) if rng.random() < 0.3 else -1
        quote_at = rng.randrange(1, n_paras) if rng.random() < 0.15 else -1
        caption_at = rng.randrange(0, n_paras) if caption else -1
        more_at = 1 if rng.random() < 0.12 else -1
        for i in range(n_paras):
            if i == more_at:
                blocks.append("<!--more-->")
            if i in heading_at:
                h = rng.choice(("h2", "h3", "h3"))
                blocks.append("<%s>%s</%s>" % (h, rng.choice(HEADINGS), h))
            if i == caption_at:
                blocks.append(caption)  # type: ignore[arg-type]
            para = self.paragraph(film)
            if i == list_at:
                # classic editor keeps the list on the line after its lead-in
                para = "Things to look out for:\n" + self.html_list()
            blocks.append(para)
            if i == quote_at:
                blocks.append("<blockquote>%s</blockquote>" % self.sentence(film))
        if kind == "review":
            blocks.extend(self.closing_facts(film))
        r = rng.random()
        if r < 0.02:
            blocks.append("Share this:\n\nTwitter\n\nFacebook\n\nLike this:\n\nLike Loading...\n\nRelated")
        elif r < 0.03:
            blocks.append("Leave a Reply\n\nFill in your details below or click an icon to log in:\n\n"
                          "You are commenting using your WordPress.com account. ( Log Out / Change )\n\n"
                          "Connecting to %s\n\nNotify me of new comments via email.\n\n"
                          "This site uses Akismet to reduce spam. Learn how your comment data is processed.")
        return "\n\n".join(blocks)

    def comment_count(self) -> int:
        return self.rng.choices((0, 1, 2, 3, 4, 5), weights=(30, 22, 17, 13, 10, 8))[0]

    def comments(self, post_date: _dt.datetime, film: _Film) -> str:
        rng = self.rng
        count = self.comment_count()
        out: List[str] = []
        ids: List[int] = []
        when = post_date
        for _ in range(count):
            cid = self.next_comment
            self.next_comment += 1
            when = when + _dt.timedelta(minutes=rng.randint(5, 4000))
            r = rng.random()
            parent = 0
            ctype = "comment"
            approved = "1"
            meta: List[Tuple[str, str]] = []
            if r < 0.03:
                ctype = "pingback"
                other = rng.choice(self.films)
                author = "%s &laquo; %s" % (other.title, rng.choice(("Frame by Frame", "Reel Notes", "The Back Row")))
                email = ""
                url = "https://example.org/%d/%02d/%s/" % (when.year, when.month, _slugify(other.title))
                text = "[&#8230;] %s [&#8230;]" % self.sentence(film)
            else:
                name = self.person()
                author = name
                email = "%s@%s" % (_ascii(name).lower().replace(" ", "."),
                                   rng.choice(("example.com", "example.org", "example.net")))
                url = rng.choice(("", "", "https://example.com/~%s" % _slugify(name.split()[0])))
                if r < 0.08:
                    approved = "spam"
                    text = rng.choice(SPAM_LINES)
                    meta.append(("akismet_result", "true"))
                else:
                    if r < 0.15:
                        approved = "0"
                    if ids and rng.random() < 0.35:
                        parent = rng.choice(ids)
                    text = rng.choice(COMMENT_LINES).format(
                        aspect=rng.choice(ASPECTS), place=rng.choice(PLACES), adj=rng.choice(ADJ_POS),
                        relative=rng.choice(RELATIVES), actor=self.cast_member(film),
                        scene=rng.choice(SCENES))
                    if rng.random() < 0.3:
                        text += "\n\n" + self.sentence(film)
                    meta.append(("akismet_result", "false"))
            ip = rng.choice(("192.0.2.%d", "198.51.100.%d", "203.0.113.%d")) % rng.randint(1, 254)
            local = when + TZ_OFFSET
            parts = [
                "\t\t<wp:comment>\n",
                "\t\t\t<wp:comment_id>%d</wp:comment_id>\n" % cid,
                "\t\t\t<wp:comment_author>%s</wp:comment_author>\n" % _cdata(author),
                "\t\t\t<wp:comment_author_email>%s</wp:comment_author_email>\n" % _cdata(email),
                "\t\t\t<wp:comment_author_url>%s</wp:comment_author_url>\n" % url,
                "\t\t\t<wp:comment_author_IP>%s</wp:comment_author_IP>\n" % _cdata(ip),
                "\t\t\t<wp:comment_date>%s</wp:comment_date>\n" % _cdata(_mysql(local)),
                "\t\t\t<wp:comment_date_gmt>%s</wp:comment_date_gmt>\n" % _cdata(_mysql(when)),
                "\t\t\t<wp:comment_content>%s</wp:comment_content>\n" % _cdata(text),
                "\t\t\t<wp:comment_approved>%s</wp:comment_approved>\n" % _cdata(approved),
                "\t\t\t<wp:comment_type>%s</wp:comment_type>\n" % _cdata(ctype),
                "\t\t\t<wp:comment_parent>%d</wp:comment_parent>\n" % parent,
                "\t\t\t<wp:comment_user_id>0</wp:comment_user_id>\n",
            ]
            for k, v in meta:
                parts.append("\t\t\t<wp:commentmeta>\n\t\t\t\t<wp:meta_key>%s</wp:meta_key>\n"
                             "\t\t\t\t<wp:meta_value>%s</wp:meta_value>\n\t\t\t</wp:commentmeta>\n"
                             % (_cdata(k), _cdata(v)))
            parts.append("\t\t</wp:comment>\n")
            out.append("".join(parts))
            if ctype == "comment" and approved != "spam":
                ids.append(cid)
        return "".join(out)

    def item(self, *, post_id: int, title: str, link: str, creator: str, guid: str,
             content: str, excerpt: str, gmt: Optional[_dt.datetime], local: _dt.datetime,
             modified: _dt.datetime, slug: str, status: str, post_type: str, parent: int = 0,
             menu_order: int = 0, password: str = "", sticky: int = 0,
             comment_status: str = "open", ping_status: str = "open",
             attachment_url: Optional[str] = None, terms: Tuple[Tuple[str, str, str], ...] = (),
             meta: Tuple[Tuple[str, str], ...] = (), comments: str = "") -> str:
        p = [
            "\t<item>\n",
            "\t\t<title>%s</title>\n" % _cdata(title),
            "\t\t<link>%s</link>\n" % link,
            "\t\t<pubDate>%s</pubDate>\n" % _rfc822(gmt),
            "\t\t<dc:creator>%s</dc:creator>\n" % _cdata(creator),
            '\t\t<guid isPermaLink="false">%s</guid>\n' % guid,
            "\t\t<description></description>\n",
            "\t\t<content:encoded>%s</content:encoded>\n" % _cdata(content),
            "\t\t<excerpt:encoded>%s</excerpt:encoded>\n" % _cdata(excerpt),
            "\t\t<wp:post_id>%d</wp:post_id>\n" % post_id,
            "\t\t<wp:post_date>%s</wp:post_date>\n" % _cdata(_mysql(local)),
            "\t\t<wp:post_date_gmt>%s</wp:post_date_gmt>\n" % _cdata(
                _mysql(gmt) if gmt else "0000-00-00 00:00:00"),
            "\t\t<wp:post_modified>%s</wp:post_modified>\n" % _cdata(_mysql(modified + TZ_OFFSET)),
            "\t\t<wp:post_modified_gmt>%s</wp:post_modified_gmt>\n" % _cdata(_mysql(modified)),
            "\t\t<wp:comment_status>%s</wp:comment_status>\n" % _cdata(comment_status),
            "\t\t<wp:ping_status>%s</wp:ping_status>\n" % _cdata(ping_status),
            "\t\t<wp:post_name>%s</wp:post_name>\n" % _cdata(slug),
            "\t\t<wp:status>%s</wp:status>\n" % _cdata(status),
            "\t\t<wp:post_parent>%d</wp:post_parent>\n" % parent,
            "\t\t<wp:menu_order>%d</wp:menu_order>\n" % menu_order,
            "\t\t<wp:post_type>%s</wp:post_type>\n" % _cdata(post_type),
            "\t\t<wp:post_password>%s</wp:post_password>\n" % _cdata(password),
            "\t\t<wp:is_sticky>%d</wp:is_sticky>\n" % sticky,
        ]
        if attachment_url is not None:
            p.append("\t\t<wp:attachment_url>%s</wp:attachment_url>\n" % _cdata(attachment_url))
        for domain, nicename, name in terms:
            p.append('\t\t<category domain="%s" nicename="%s">%s</category>\n'
                     % (domain, nicename, _cdata(name)))
        for k, v in meta:
            p.append("\t\t<wp:postmeta>\n\t\t\t<wp:meta_key>%s</wp:meta_key>\n"
                     "\t\t\t<wp:meta_value>%s</wp:meta_value>\n\t\t</wp:postmeta>\n"
                     % (_cdata(k), _cdata(v)))
        p.append(comments)
        p.append("\t</item>\n")
        return "".join(p)

    def attachment(self, att_id: int, parent_id: int, parent_link: str, creator: str,
                   when: _dt.datetime, name: str, film: _Film) -> Tuple[str, str]:
        local = when + TZ_OFFSET
        rel = "%04d/%02d/%s.jpg" % (local.year, local.month, name)
        url = "%s/%s" % (UPLOADS, rel)
        w, h = 1200, 675
        meta_val = ('a:4:{s:5:"width";i:%d;s:6:"height";i:%d;%s%s'
                    's:5:"sizes";a:1:{s:9:"thumbnail";a:4:{%s%s%s%s}}}'
                    % (w, h, _php_str("file"), _php_str(rel),
                       _php_str("file") + _php_str(name + "-150x150.jpg"),
                       _php_str("width") + "i:150;", _php_str("height") + "i:150;",
                       _php_str("mime-type") + _php_str("image/jpeg")))
        xml = self.item(
            post_id=att_id, title=name, link="%s%s/" % (parent_link, name), creator=creator,
            guid=url, content="", excerpt="", gmt=when, local=local, modified=when, slug=name,
            status="inherit", post_type="attachment", parent=parent_id,
            ping_status="closed", attachment_url=url,
            meta=(("_wp_attached_file", rel), ("_wp_attachment_metadata", meta_val),
                  ("_wp_attachment_image_alt", "%s (%d)" % (film.title, film.year))))
        return xml, url

    # -- document ----------------------------------------------------------
    def header(self) -> str:
        h = [
            '<?xml version="1.0" encoding="UTF-8" ?>\n',
            "<!-- This is a WordPress eXtended RSS file generated by WordPress as an export of your site. -->\n",
            "<!-- It contains information about your site's posts, pages, comments, categories, and other content. -->\n",
            "<!-- You may use this file to transfer that content from one site to another. -->\n",
            "<!-- This file is not intended to serve as a complete backup of your site. -->\n\n",
            '<!-- generator="WordPress/6.4.3" created="2024-03-01 12:00" -->\n',
            '<rss version="2.0"\n'
            '\txmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"\n'
            '\txmlns:content="http://purl.org/rss/1.0/modules/content/"\n'
            '\txmlns:wfw="http://wellformedweb.org/CommentAPI/"\n'
            '\txmlns:dc="http://purl.org/dc/elements/1.1/"\n'
            '\txmlns:wp="http://wordpress.org/export/1.2/"\n>\n\n',
            "<channel>\n",
            "\t<title>Film Journal</title>\n",
            "\t<link>%s</link>\n" % SITE,
            "\t<description>Reviews, lists and arguments about films</description>\n",
            "\t<pubDate>Fri, 01 Mar 2024 12:00:00 +0000</pubDate>\n",
            "\t<language>en-US</language>\n",
            "\t<wp:wxr_version>1.2</wp:wxr_version>\n",
            "\t<wp:base_site_url>%s</wp:base_site_url>\n" % SITE,
            "\t<wp:base_blog_url>%s</wp:base_blog_url>\n\n" % SITE,
        ]
        for aid, login, email, display, first, last in AUTHORS:
            h.append("\t<wp:author><wp:author_id>%d</wp:author_id><wp:author_login>%s</wp:author_login>"
                     "<wp:author_email>%s</wp:author_email><wp:author_display_name>%s</wp:author_display_name>"
                     "<wp:author_first_name>%s</wp:author_first_name><wp:author_last_name>%s</wp:author_last_name>"
                     "</wp:author>\n" % (aid, _cdata(login), _cdata(email), _cdata(display),
                                         _cdata(first), _cdata(last)))
        h.append("\n")
        for tid, slug, name, parent in CATEGORIES:
            h.append("\t<wp:category>\n\t\t<wp:term_id>%d</wp:term_id>\n"
                     "\t\t<wp:category_nicename>%s</wp:category_nicename>\n"
                     "\t\t<wp:category_parent>%s</wp:category_parent>\n"
                     "\t\t<wp:cat_name>%s</wp:cat_name>\n\t</wp:category>\n"
                     % (tid, _cdata(slug), _cdata(parent), _cdata(name)))
        for tid, slug, name in self.tags:
            h.append("\t<wp:tag>\n\t\t<wp:term_id>%d</wp:term_id>\n"
                     "\t\t<wp:tag_slug>%s</wp:tag_slug>\n"
                     "\t\t<wp:tag_name>%s</wp:tag_name>\n\t</wp:tag>\n"
                     % (tid, _cdata(slug), _cdata(name)))
        h.append("\t<wp:term>\n\t\t<wp:term_id>200</wp:term_id>\n"
                 "\t\t<wp:term_taxonomy><![CDATA[nav_menu]]></wp:term_taxonomy>\n"
                 "\t\t<wp:term_slug><![CDATA[primary]]></wp:term_slug>\n"
                 "\t\t<wp:term_name><![CDATA[Primary]]></wp:term_name>\n\t</wp:term>\n\n")
        h.append("\t<generator>https://wordpress.org/?v=6.4.3</generator>\n\n")
        return "".join(h)

    def pages(self) -> str:
        when = START - _dt.timedelta(days=3)
        about = self.item(
            post_id=2, title="About", link=SITE + "/about/", creator="admin",
            guid=SITE + "/?page_id=2",
            content="Film Journal is written by a small group of friends who watch too many films.\n\n"
                    "We write about new releases, old favourites and everything in between. "
                    "If you would like to get in touch, leave a comment on any post.",
            excerpt="", gmt=when, local=when + TZ_OFFSET, modified=when, slug="about",
            status="publish", post_type="page", comment_status="closed",
            meta=(("_wp_page_template", "default"),))
        when2 = when + _dt.timedelta(hours=1)
        policy = self.item(
            post_id=3, title="Comment Policy", link=SITE + "/about/comment-policy/", creator="admin",
            guid=SITE + "/?page_id=3",
            content="Be kind, stay on topic, and please mark spoilers.\n<ul>\n\t<li>No links to pirated films.</li>\n"
                    "\t<li>Comments are moderated on a first visit.</li>\n</ul>",
            excerpt="", gmt=when2, local=when2 + TZ_OFFSET, modified=when2, slug="comment-policy",
            status="publish", post_type="page", parent=2, menu_order=1, comment_status="closed",
            meta=(("_wp_page_template", "default"),))
        nav = self.item(
            post_id=4, title="Home", link=SITE + "/home/", creator="admin", guid=SITE + "/?p=4",
            content="", excerpt="", gmt=when2, local=when2 + TZ_OFFSET, modified=when2, slug="home",
            status="publish", post_type="nav_menu_item", menu_order=1, comment_status="closed",
            ping_status="closed", terms=(("nav_menu", "primary", "Primary"),),
            meta=(("_menu_item_type", "custom"), ("_menu_item_menu_item_parent", "0"),
                  ("_menu_item_object_id", "4"), ("_menu_item_object", "custom"),
                  ("_menu_item_url", SITE + "/")))
        return about + policy + nav

    def post(self) -> str:
        rng = self.rng
        post_id = self.next_id
        self.next_id += 1
        self.when += _dt.timedelta(minutes=rng.randint(6 * 60, 60 * 60))
        gmt = self.when
        local = gmt + TZ_OFFSET
        film = rng.choice(self.films)
        kind = rng.choices(("review", "list", "news", "essay"), weights=(50, 15, 15, 20))[0]
        title = self.title_for(kind, film)
        author = rng.choices(AUTHORS, weights=AUTHOR_WEIGHTS)[0]
        creator = author[1]

        r = rng.random()
        status, password = "publish", ""
        if r < 0.03:
            status = "draft"
        elif r < 0.04:
            status = "private"
        elif r < 0.045:
            status = "pending"
        elif r < 0.055:
            password = rng.choice(("spoilers", "popcorn", "letmein"))
        draft_like = status in ("draft", "pending")

        slug = "" if draft_like else self.unique_slug(_slugify(title))
        if draft_like:
            link = "%s/?p=%d" % (SITE, post_id)
        else:
            link = "%s/%04d/%02d/%02d/%s/" % (SITE, local.year, local.month, local.day, slug)

        # attachments (featured image and/or captioned image) are written after the post
        attachments: List[str] = []
        meta: List[Tuple[str, str]] = [("_edit_last", str(author[0]))]
        caption = None
        want_thumb = rng.random() < 0.15
        want_caption = rng.random() < 0.12
        if want_thumb or want_caption:
            att_id = self.next_id
            self.next_id += 1
            base = _slugify(film.title)
            if "%" in base:  # WordPress keeps upload names ASCII
                base = "film-still"
            name = "%s-%d" % (base[:40].strip("-"), att_id)
            att_xml, url = self.attachment(att_id, post_id, link, creator,
                                           gmt - _dt.timedelta(minutes=rng.randint(2, 90)), name, film)
            attachments.append(att_xml)
            if want_thumb:
                meta.append(("_thumbnail_id", str(att_id)))
            if want_caption:
                caption = self.caption(att_id, url, film)

        content = self.body(kind, film, caption)
        excerpt = self.paragraph(film, 1, 2) if rng.random() < 0.1 else ""

        cat = {"review": ("reviews", "Reviews"), "list": ("lists", "Lists"),
               "news": ("news", "News"), "essay": ("essays", "Essays")}[kind]
        terms: List[Tuple[str, str, str]] = [("category", cat[0], cat[1])]
        if kind == "review":
            sub = rng.choice(CATEGORIES[2:5])
            terms.append(("category", sub[1], sub[2]))
        elif kind == "news" and rng.random() < 0.5:
            terms.append(("category", "box-office", "Box Office"))
        for tid, tslug, tname in rng.sample(self.tags, rng.randint(0, 5)):
            terms.append(("post_tag", tslug, tname))
        terms.sort(key=lambda t: t[2].lower())

        comments = "" if draft_like else self.comments(gmt, film)
        modified = gmt + _dt.timedelta(minutes=rng.randint(0, 3000))
        xml = self.item(
            post_id=post_id, title=title, link=link, creator=creator,
            guid="%s/?p=%d" % (SITE, post_id), content=content, excerpt=excerpt,
            gmt=None if draft_like else gmt, local=local, modified=modified, slug=slug,
            status=status, post_type="post", password=password,
            sticky=1 if post_id == 100 or rng.random() < 0.002 else 0,
            comment_status="open" if rng.random() < 0.9 else "closed",
            terms=tuple(terms), meta=tuple(meta), comments=comments)
        if not draft_like:
            self.recent_links.append((link, title))
            if len(self.recent_links) > 50:
                del self.recent_links[0]
        return xml + "".join(attachments)

    def run(self) -> None:
        write = self.fh.write
        write(self.header())
        write(self.pages())
        for _ in range(self.posts):
            write(self.post())
        write("</channel>\n</rss>\n")


# --------------------------------------------------------------------------- the corpus mix

# Shares measured by ``benchmarks/corpus_mix.py`` over the real exports of ../shared/corpus and
# exports/film-reviews.xml (220 posts and pages; the "all" column of the table in README.md).
CORPUS_MIX = {
    "blocks": 0.42,     # block-editor posts (<!-- wp: --> comments, <p> inside)
    "p_tags": 0.02,     # classic posts written as HTML with <p> (41% with <p> overall, most of them blocks)
    "caption": 0.10, "list": 0.15, "quote": 0.09, "table": 0.04, "heading": 0.35, "gallery": 0.05,
    "image": 0.01,      # an image without caption or gallery (11% with an image overall)
    "link": 0.30, "embed": 0.05, "code": 0.09,
    "comments": 0.08,   # posts with comments; those have 4 on average (0.33 per post)
    "thumbnail": 0.08, "excerpt": 0.05, "unpublished": 0.03,
}
# Content length in characters: the measured median is 734 and the 90th percentile 8,492; a post's
# length is drawn log-normal from these (a little lower: the whole paragraphs and pieces overshoot it).
LENGTH_MEDIAN, LENGTH_P90 = 420, 9000
_LENGTH_SIGMA = (math.log(LENGTH_P90) - math.log(LENGTH_MEDIAN)) / 1.2816
LENGTH_MAX = 120_000

VIDEO_IDS = ["dQ9w1XgXcQ0", "aB3kLm9PqR2", "Zx8vT4nWq1s", "Qm2Lp7Rt0Ya", "Hk5Jd3Fs9Vb", "Tr6Ye1Uo2Ic"]
CODE_SNIPPETS = [
    "ffmpeg -i reel-{n}.mkv -ss 00:01:00 -t 10 -c copy clip-{n}.mp4",
    "for f in *.srt; do iconv -f latin1 -t utf-8 \"$f\" &gt; \"utf8/$f\"; done",
    "ratio = width / height  # 2.39 for scope, 1.85 for flat\nif ratio &gt; 2:\n    print(\"scope\")",
    "&lt;video src=\"trailer-{n}.mp4\" controls&gt;&lt;/video&gt;",
    "SELECT title, year FROM films WHERE year &lt; {year} ORDER BY year;",
]


class _CorpusGen(_Gen):
    """Posts in the mix of the real corpus (:data:`CORPUS_MIX`): block-editor, classic autop and
    classic HTML posts; captions, lists, quotes, tables, headings, galleries, images, embeds and code
    in the measured shares; lengths log-normal around the measured median and 90th percentile;
    comments on few posts. The vocabulary is the film blog's, every sentence made up here."""

    linking = False

    def film_ref(self, film: _Film) -> str:
        r = self.rng.random()
        if r < 0.25:
            return "<em>%s</em>" % film.title
        if self.linking and r < 0.45:
            if self.recent_links and r < 0.35:
                link, _title = self.rng.choice(self.recent_links)
                return '<a href="%s">%s</a>' % (link, film.title)
            return '<a href="https://example.org/films/%s-%d/">%s</a>' % (
                _slugify(film.title), film.year, film.title)
        return film.title

    def comment_count(self) -> int:
        if self.rng.random() >= CORPUS_MIX["comments"]:
            return 0
        return min(1 + int(self.rng.expovariate(1 / 3.0)), 30)

    def new_attachment(self, post_id: int, link: str, creator: str, gmt: _dt.datetime, film: _Film,
                       attachments: List[str]) -> Tuple[int, str]:
        att_id = self.next_id
        self.next_id += 1
        base = _slugify(film.title)
        if "%" in base:
            base = "film-still"
        name = "%s-%d" % (base[:40].strip("-"), att_id)
        xml, url = self.attachment(att_id, post_id, link, creator,
                                   gmt - _dt.timedelta(minutes=self.rng.randint(2, 90)), name, film)
        attachments.append(xml)
        return att_id, url

    # -- pieces, in the three forms: "block", "html" (classic with <p>), "autop" (classic without) --
    def para(self, form: str, text: str) -> str:
        if form == "block":
            return "<!-- wp:paragraph -->\n<p>%s</p>\n<!-- /wp:paragraph -->" % text
        if form == "html":
            return "<p>%s</p>" % text
        return text

    def heading(self, form: str) -> str:
        level = self.rng.choice((2, 3, 3))
        text = self.rng.choice(HEADINGS)
        if form == "block":
            attrs = "" if level == 2 else ' {"level":%d}' % level
            return ('<!-- wp:heading%s -->\n<h%d class="wp-block-heading">%s</h%d>\n<!-- /wp:heading -->'
                    % (attrs, level, text, level))
        return "<h%d>%s</h%d>" % (level, text, level)

    def a_list(self, form: str) -> str:
        rng = self.rng
        ordered = rng.random() < 0.35
        tag = "ol" if ordered else "ul"
        items = rng.sample(LIST_ITEMS, rng.randint(3, 6))
        if form == "block":
            inner = "".join("<!-- wp:list-item -->\n<li>%s</li>\n<!-- /wp:list-item -->" % i for i in items)
            return ('<!-- wp:list%s -->\n<%s>%s</%s>\n<!-- /wp:list -->'
                    % (' {"ordered":true}' if ordered else "", tag, inner, tag))
        return "<%s>\n%s\n</%s>" % (tag, "\n".join("\t<li>%s</li>" % i for i in items), tag)

    def quote(self, form: str, film: _Film) -> str:
        text = self.sentence(film)
        who = self.rng.choice(CHARACTERS)
        if form == "block":
            return ('<!-- wp:quote -->\n<blockquote class="wp-block-quote"><!-- wp:paragraph -->\n<p>%s</p>\n'
                    '<!-- /wp:paragraph --><cite>%s</cite></blockquote>\n<!-- /wp:quote -->' % (text, who))
        return "<blockquote>%s</blockquote>" % text

    def table(self, form: str, film: _Film) -> str:
        rows = [("Directed by", film.director), ("Starring", _and_list(film.cast[:3])),
                ("Budget", film.budget), ("Earned", film.gross), ("Awards", film.awards)]
        rows = rows[:self.rng.randint(3, 5)]
        body = "".join("<tr><td>%s</td><td>%s</td></tr>" % r for r in rows)
        if form == "block":
            return ('<!-- wp:table -->\n<figure class="wp-block-table"><table><tbody>%s</tbody></table></figure>\n'
                    '<!-- /wp:table -->' % body)
        return "<table>\n<tbody>\n%s\n</tbody>\n</table>" % body.replace("</tr>", "</tr>\n").strip()

    def image(self, form: str, att_id: int, url: str, film: _Film, caption: bool) -> str:
        text = "A still from %s (%d)." % (film.title, film.year)
        if form == "block":
            cap = '<figcaption class="wp-element-caption">%s</figcaption>' % text if caption else ""
            return ('<!-- wp:image {"id":%d,"sizeSlug":"large","linkDestination":"none"} -->\n'
                    '<figure class="wp-block-image size-large"><img src="%s" alt="%s" class="wp-image-%d"/>%s'
                    '</figure>\n<!-- /wp:image -->' % (att_id, url, film.title, att_id, cap))
        width = self.rng.choice((300, 480, 600, 640))
        img = ('<img class="size-full wp-image-%d" src="%s" alt="%s" width="%d" height="%d" />'
               % (att_id, url, film.title, width, width * 9 // 16))
        if caption:
            align = self.rng.choice(("aligncenter", "alignleft", "alignright", "alignnone"))
            return '[caption id="attachment_%d" align="%s" width="%d"]%s %s[/caption]' % (
                att_id, align, width, img, text)
        return img

    def gallery(self, form: str, images: List[Tuple[int, str]], film: _Film) -> str:
        if form == "block":
            inner = "\n\n".join(self.image("block", i, u, film, False) for i, u in images)
            return ('<!-- wp:gallery {"linkTo":"none"} -->\n<figure class="wp-block-gallery has-nested-images '
                    'columns-default is-cropped">%s</figure>\n<!-- /wp:gallery -->' % inner)
        return '[gallery ids="%s"]' % ",".join(str(i) for i, _ in images)

    def embed(self, form: str) -> str:
        url = "https://www.youtube.com/watch?v=%s" % self.rng.choice(VIDEO_IDS)
        if form == "block":
            return ('<!-- wp:embed {"url":"%s","type":"video","providerNameSlug":"youtube","responsive":true,'
                    '"className":"wp-embed-aspect-16-9 wp-has-aspect-ratio"} -->\n<figure class="wp-block-embed '
                    'is-type-video is-provider-youtube wp-block-embed-youtube wp-embed-aspect-16-9 '
                    'wp-has-aspect-ratio"><div class="wp-block-embed__wrapper">\n%s\n</div></figure>\n'
                    '<!-- /wp:embed -->' % (url, url))
        return url

    def code(self, form: str, film: _Film) -> str:
        text = self.rng.choice(CODE_SNIPPETS).format(n=self.rng.randint(1, 99), year=film.year)
        if form == "block":
            return '<!-- wp:code -->\n<pre class="wp-block-code"><code>%s</code></pre>\n<!-- /wp:code -->' % text
        return "<pre><code>%s</code></pre>" % text

    def post(self) -> str:
        rng = self.rng
        mix = CORPUS_MIX
        post_id = self.next_id
        self.next_id += 1
        self.when += _dt.timedelta(minutes=rng.randint(6 * 60, 60 * 60))
        gmt = self.when
        local = gmt + TZ_OFFSET
        film = rng.choice(self.films)
        kind = rng.choices(("review", "list", "news", "essay"), weights=(50, 15, 15, 20))[0]
        title = self.title_for(kind, film)
        author = rng.choices(AUTHORS, weights=AUTHOR_WEIGHTS)[0]
        creator = author[1]
        status = rng.choice(("draft", "private", "pending")) if rng.random() < mix["unpublished"] else "publish"
        draft_like = status in ("draft", "pending")
        slug = "" if draft_like else self.unique_slug(_slugify(title))
        link = ("%s/?p=%d" % (SITE, post_id) if draft_like
                else "%s/%04d/%02d/%02d/%s/" % (SITE, local.year, local.month, local.day, slug))

        r = rng.random()
        form = "block" if r < mix["blocks"] else "html" if r < mix["blocks"] + mix["p_tags"] else "autop"
        target = min(int(rng.lognormvariate(math.log(LENGTH_MEDIAN), _LENGTH_SIGMA)), LENGTH_MAX)
        self.linking = rng.random() < mix["link"]
        attachments: List[str] = []
        meta: List[Tuple[str, str]] = [("_edit_last", str(author[0]))]
        if rng.random() < mix["thumbnail"]:
            att_id, _url = self.new_attachment(post_id, link, creator, gmt, film, attachments)
            meta.append(("_thumbnail_id", str(att_id)))
        pieces: List[str] = []
        for name in ("heading", "caption", "image", "list", "quote", "table", "gallery", "embed", "code"):
            if rng.random() >= mix[name]:
                continue
            if name == "heading":
                pieces += [self.heading(form) for _ in range(rng.randint(1, 3))]
            elif name in ("caption", "image"):
                att_id, url = self.new_attachment(post_id, link, creator, gmt, film, attachments)
                pieces.append(self.image(form, att_id, url, film, caption=name == "caption"))
            elif name == "gallery":
                images = [self.new_attachment(post_id, link, creator, gmt, film, attachments)
                          for _ in range(rng.randint(3, 6))]
                pieces.append(self.gallery(form, images, film))
            elif name == "list":
                pieces.append(self.a_list(form))
            elif name == "quote":
                pieces.append(self.quote(form, film))
            elif name == "table":
                pieces.append(self.table(form, film))
            elif name == "embed":
                pieces.append(self.embed(form))
            else:
                pieces.append(self.code(form, film))
        rng.shuffle(pieces)
        # Most classic posts with nothing but text are one paragraph (the corpus's one-liners,
        # which wpautop leaves as they are); the others get paragraphs until the drawn length is reached,
        # the pieces in between them.
        if form == "autop" and not pieces and rng.random() < 0.6:
            target = 0
        blocks: List[str] = []
        size = sum(len(p) for p in pieces)
        first = True
        while first or size < target:
            text = self.paragraph(film, 1, 6)
            if first and self.linking:
                link, _title = rng.choice(self.recent_links) if self.recent_links else (SITE + "/", "")
                text += ' More on this in <a href="%s">an earlier post</a>.' % link
            if form == "autop" and rng.random() < 0.1:  # a line break typed with Shift+Enter
                text = text.replace(". ", ".\n", 1)
            blocks.append(self.para(form, text))
            size += len(blocks[-1]) + 2
            if pieces and (rng.random() < 0.5 or size >= target):
                blocks.append(pieces.pop())
            first = False
        blocks += pieces
        content = "\n\n".join(blocks)
        excerpt = self.paragraph(film, 1, 2) if rng.random() < mix["excerpt"] else ""

        cat = {"review": ("reviews", "Reviews"), "list": ("lists", "Lists"),
               "news": ("news", "News"), "essay": ("essays", "Essays")}[kind]
        terms: List[Tuple[str, str, str]] = [("category", cat[0], cat[1])]
        for _tid, tslug, tname in rng.sample(self.tags, rng.randint(0, 4)):
            terms.append(("post_tag", tslug, tname))
        terms.sort(key=lambda t: t[2].lower())
        comments = "" if draft_like else self.comments(gmt, film)
        modified = gmt + _dt.timedelta(minutes=rng.randint(0, 3000))
        xml = self.item(
            post_id=post_id, title=title, link=link, creator=creator,
            guid="%s/?p=%d" % (SITE, post_id), content=content, excerpt=excerpt,
            gmt=None if draft_like else gmt, local=local, modified=modified, slug=slug,
            status=status, post_type="post", sticky=1 if rng.random() < 0.002 else 0,
            comment_status="open" if rng.random() < 0.9 else "closed",
            terms=tuple(terms), meta=tuple(meta), comments=comments)
        if not draft_like:
            self.recent_links.append((link, title))
            if len(self.recent_links) > 50:
                del self.recent_links[0]
        return xml + "".join(attachments)


MIXES = {"corpus": _CorpusGen, "film": _Gen}


def write_export(fh: TextIO, posts: int, seed: int = 0, mix: str = "corpus") -> None:
    """Stream a WXR 1.2 export with ``posts`` blog posts to the text handle ``fh``.

    ``mix`` is ``"corpus"`` (the measured mix of the real exports, :data:`CORPUS_MIX`) or ``"film"``
    (the classic-editor film blog of issue #6: every post classic autop text, facts, comments on most)."""
    if posts < 0:
        raise ValueError("posts must be >= 0")
    if mix not in MIXES:
        raise ValueError("mix must be one of %s" % ", ".join(MIXES))
    MIXES[mix](fh, posts, seed).run()


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--posts", type=int, required=True, help="number of blog posts to generate")
    ap.add_argument("--out", required=True, help="output file ('-' for stdout)")
    ap.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    ap.add_argument("--mix", choices=sorted(MIXES), default="corpus",
                    help="corpus: the measured mix of the real exports (default); film: issue #6's film blog")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    if args.out == "-":
        write_export(sys.stdout, args.posts, args.seed, args.mix)
        return 0
    with open(args.out, "w", encoding="utf-8", newline="\n", buffering=1 << 20) as fh:
        write_export(fh, args.posts, args.seed, args.mix)
    print("wrote %d posts to %s in %.1fs" % (args.posts, args.out, time.perf_counter() - t0),
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
