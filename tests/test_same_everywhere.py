"""The same output on every supported Python.

CPython's ``re`` before 3.11.5 matches a possessive quantifier on a group (``(?:…)*+``, ``(?:…)++``, ``(?:…)?+``)
wrongly when the group can backtrack (gh-106052, gh-100061): ``(?:\\[(?!/x\\])[^\\[]*+)*+`` takes all of
``[a[b[/x]`` on 3.11.2 and ``[a[b`` on 3.11.7. Debian 12's python3 is 3.11.2. So no pattern of the package may
use one, nor an atomic group (``(?>…)``, new in 3.11 as well): every pattern the package compiles — at import,
and while it converts and inspects the sample export — is checked. A possessive quantifier on one character or
class (``[^<]*+``) is a different opcode (POSSESSIVE_REPEAT_ONE), which every 3.11 matches alike, and is allowed.

Then the sample and the corpus are converted by the Python of every other project environment (.venv and
.venv-system, which the test command makes; any other .venv* made by hand, e.g. on 3.12 or 3.13), and the files
compared byte for byte with this one's.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from migrate.rules import patch_release_problem

from .conftest import ROOT, SAMPLE, corpus_files

_COLLECT = r"""
import json, os, pkgutil, re, sys
import migrate
PACKAGE = os.path.dirname(migrate.__file__) + os.sep
seen = set()
original = re._compile
def _compile(pattern, flags):
    frame = sys._getframe(1)
    while frame is not None and frame.f_code.co_filename == re.__file__:
        frame = frame.f_back
    # the package's own patterns (libraries it uses, such as soupsieve, have their own)
    if isinstance(pattern, (str, bytes)) and frame is not None and frame.f_code.co_filename.startswith(PACKAGE):
        seen.add((pattern if isinstance(pattern, str) else pattern.decode("latin-1"), int(flags),
                  isinstance(pattern, bytes)))
    return original(pattern, flags)
re._compile = _compile
re.purge()
for info in pkgutil.walk_packages(migrate.__path__, "migrate."):
    if info.name != "migrate.__main__":  # (it runs the command line)
        __import__(info.name)
from migrate.cli import cli
for args in (["convert", sys.argv[1], "--out", sys.argv[2], "--jobs", "1", "-q"],
             ["convert", sys.argv[1], "--out", sys.argv[2], "--jobs", "1", "-q", "--layout", "jekyll",
              "--mapping", "top-365-films"],
             ["inspect", sys.argv[1]]):
    try:
        cli.main(args, standalone_mode=False)
    except SystemExit:
        pass
with open(sys.argv[3], "w") as fh:
    json.dump(sorted(seen), fh)
"""


def _unsafe(parsed) -> list[str]:
    """The constructs in a parsed pattern whose meaning differs between 3.11 patch releases."""
    found = patch_release_problem(parsed)
    return [found] if found else []


def test_the_check_finds_what_it_looks_for():
    from re import _parser

    group = ["a possessive quantifier on a group, like (?:ab?)*+"]
    assert _unsafe(_parser.parse(r"(?:\[(?!/x\])[^\[]*+)*+")) == group
    assert _unsafe(_parser.parse(r"a(?:b|(?>c+))")) == ["an atomic group (?>...)"]
    assert _unsafe(_parser.parse(r"(x)(?(1)(?:ab?)?+|y)")) == group
    assert _unsafe(_parser.parse(r"(?=(?:ab|c)++)x")) == group
    assert _unsafe(_parser.parse(r"[^<]*+(?:a|b)*x++(?:c)*+")) == []


def test_no_pattern_of_the_package_means_something_else_on_another_python(tmp_path):
    from re import _parser

    found = tmp_path / "patterns.json"
    result = subprocess.run([sys.executable, "-c", _COLLECT, str(SAMPLE), str(tmp_path / "site"), str(found)],
                            capture_output=True, text=True, cwd=tmp_path, check=False)
    assert result.returncode == 0, result.stderr
    patterns = json.loads(found.read_text())
    assert len(patterns) > 100  # the package's own, its learned item shapes included
    bad = []
    for pattern, flags, is_bytes in patterns:
        try:
            parsed = _parser.parse(pattern.encode("latin-1") if is_bytes else pattern, flags)
        except Exception:  # noqa: BLE001 (a pattern another module compiles in its own way)
            continue
        for what in _unsafe(parsed):
            bad.append(f"{what}: {pattern[:200]!r}")
    assert not bad, "\n".join(bad)


def _other_interpreters() -> list[Path]:
    """The Pythons of the project's other virtual environments, of another version than this one."""
    found = []
    for python in sorted(ROOT.glob(".venv*/bin/python")):  # .venv, .venv-system, any other made by hand
        if python.resolve() == Path(sys.executable).resolve():
            continue
        version = subprocess.run([python, "-c", "import sys; print(sys.version)"], capture_output=True,
                                 text=True, check=False).stdout.strip()
        if version and version != sys.version:
            found.append(python)
    return found


def _convert(python: Path | str, export: Path, out: Path, *options: str) -> None:
    result = subprocess.run([python, "-m", "migrate", "convert", str(export), "--out", str(out), "-q", *options],
                            capture_output=True, text=True, cwd=ROOT, check=False)
    assert result.returncode in (0, 2), result.stderr
    assert "Traceback" not in result.stderr, result.stderr


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and ".wp-migrate" not in p.relative_to(folder).parts}


def _differences(a: Path, b: Path) -> list[str]:
    mine, theirs = _files(a), _files(b)
    return sorted(f"only in one: {name}" for name in mine.keys() ^ theirs.keys()) + sorted(
        f"differs: {name}" for name in mine.keys() & theirs.keys() if mine[name] != theirs[name])


@pytest.mark.parametrize("export", [SAMPLE, *corpus_files()], ids=lambda p: p.name)
def test_every_interpreter_writes_the_same_files(tmp_path, export):
    others = _other_interpreters()
    if not others:
        pytest.skip("no project environment on another Python (scripts/test.sh makes .venv-system)")
    mine = tmp_path / "mine"
    _convert(sys.executable, export, mine, "--jobs", "1")
    for python in others:
        theirs = tmp_path / python.parent.parent.name
        _convert(python, export, theirs, "--jobs", "1")
        assert _differences(mine, theirs) == [], f"{python} wrote other files than {sys.executable}"
