"""The benchmark's generator makes exports in the mix of the real corpus, as its docstring and the README say.

``benchmarks/corpus_mix.py`` measures the corpus (and the sample export) and a generated export alike; the shares
of posts with each kind of content must agree within a few points, the median length within a fifth.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, SAMPLE, corpus_files, needs_corpus

sys.path.insert(0, str(ROOT / "benchmarks"))
try:
    import corpus_mix
    from generate_export import write_export
finally:
    sys.path.remove(str(ROOT / "benchmarks"))

SHARES = ("caption", "list", "quote", "table", "heading", "gallery", "image", "link", "blocks", "embed", "code",
          "shortcode")


def measured(*paths: Path) -> corpus_mix.Mix:
    mix = corpus_mix.Mix()
    for path in paths:
        mix.read(path)
    return mix


def generated(tmp_path: Path, posts: int, seed: int, mix: str = "corpus") -> Path:
    path = tmp_path / f"{mix}-{seed}.xml"
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        write_export(fh, posts, seed=seed, mix=mix)
    return path


def shares(mix: corpus_mix.Mix) -> dict[str, float]:
    n = mix.posts
    out = {name: 100 * mix.has[name] / n for name in SHARES}
    out["<p> tags"] = 100 * mix.p_tags / n
    out["classic autop"] = 100 * mix.autop / n
    out["with comments"] = 100 * sum(1 for c in mix.comments if c) / n
    out["featured image"] = 100 * mix.thumbnails / n
    return out


@needs_corpus
def test_generated_mix_matches_the_corpus(tmp_path: Path) -> None:
    corpus = measured(*corpus_files(), SAMPLE)
    ours = measured(generated(tmp_path, 2000, seed=2))
    theirs_shares, our_shares = shares(corpus), shares(ours)
    off = {name: (round(theirs_shares[name]), round(our_shares[name])) for name in theirs_shares
           if abs(theirs_shares[name] - our_shares[name]) > 5}
    assert not off, f"shares (corpus, generated) more than 5 points apart: {off}"
    median = sorted(corpus.lengths)[len(corpus.lengths) // 2]
    our_median = sorted(ours.lengths)[len(ours.lengths) // 2]
    assert abs(our_median - median) <= median / 5, (median, our_median)
    assert abs(sum(ours.terms) / ours.posts - sum(corpus.terms) / corpus.posts) < 0.5


def test_the_film_mix_is_issue_6s_classic_blog(tmp_path: Path) -> None:
    film = shares(measured(generated(tmp_path, 500, seed=2, mix="film")))
    assert film["blocks"] == 0 and film["<p> tags"] == 0
    assert film["with comments"] > 50


@pytest.mark.parametrize("mix", ["corpus", "film"])
def test_same_seed_same_bytes(mix: str) -> None:
    def text(seed: int) -> str:
        out = io.StringIO()
        write_export(out, 150, seed=seed, mix=mix)
        return out.getvalue()

    assert text(4) == text(4)
    assert text(4) != text(5)


def test_the_table_prints_every_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = generated(tmp_path, 50, seed=1)
    assert corpus_mix.main([str(SAMPLE), str(path)]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0] == f"| measure | {SAMPLE.name} | {path.name} | all |"
    assert any(line.startswith("| with caption |") for line in table)
    assert corpus_mix.main([str(tmp_path / "missing.xml")]) == 2
