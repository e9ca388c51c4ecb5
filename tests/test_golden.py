"""Golden output for the bundled sample export: one expected file per case under tests/cases/sample/<layout>/.

Regenerate after a deliberate change: python -m pytest tests/test_golden.py --update-golden
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from migrate import pipeline
from migrate.extract.wxr import read_wxr

from .conftest import ROOT, SAMPLE

CASES = ROOT / "tests" / "cases" / "sample"
LAYOUTS = ("hugo", "jekyll")


def _tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): p.read_text("utf-8") for p in sorted(folder.rglob("*"))
            if p.is_file() and ".wp-migrate" not in p.parts}


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, dict[str, str]]:
    result = {}
    for layout in LAYOUTS:
        out = tmp_path_factory.mktemp(layout)
        report = pipeline.convert(read_wxr(SAMPLE), out, layout=layout)
        assert report.counts["failed"] == 0
        result[layout] = _tree(out)
    return result


def _golden_cases() -> list[tuple[str, str]]:
    return [(layout, str(p.relative_to(CASES / layout))) for layout in LAYOUTS
            for p in sorted((CASES / layout).rglob("*")) if p.is_file()]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_golden_file_set(outputs, layout, update_golden):
    if update_golden:
        shutil.rmtree(CASES / layout, ignore_errors=True)
        for rel, text in outputs[layout].items():
            (CASES / layout / rel).parent.mkdir(parents=True, exist_ok=True)
            (CASES / layout / rel).write_text(text, "utf-8")
    assert sorted(outputs[layout]) == sorted(_tree(CASES / layout))


@pytest.mark.parametrize("layout,case", _golden_cases(), ids=lambda v: v)
def test_golden_case(outputs, layout, case):
    expected = (CASES / layout / case).read_text("utf-8")
    assert outputs[layout].get(case) == expected
