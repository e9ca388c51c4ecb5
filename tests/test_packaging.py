"""A wheel works as the checkout does: it carries the rule files and the sample export, and converts the same.

As a user installs it: the wheel is built from a copy of the sources (``pip wheel``, with the build backend of
pyproject.toml), installed into a new virtual environment, and run from another folder. The new environment gets
the dependencies from this one (a path in a .pth file), so no test needs the internet; ``migrate`` itself comes
from the wheel, which is checked.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from .conftest import CORPUS, ROOT

SOURCES = ["pyproject.toml", "README.md", "migrate", "mappings", "exports"]


def _run(*args: object, cwd: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True, cwd=cwd, check=False)
    if check:
        assert result.returncode == 0, f"{args}: {result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The bin folder of a new virtual environment holding only the wheel built from the sources."""
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    src.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(ROOT / name, src / name)
    _run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "--no-index",
         "-w", tmp / "dist", src, cwd=tmp)
    wheel = next((tmp / "dist").glob("wp_migrate-*.whl"))
    venv = tmp / "venv"
    base = getattr(sys, "_base_executable", sys.executable)
    _run(base, "-m", "venv", venv, cwd=tmp)
    python = venv / "bin" / "python"
    site = _run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=tmp).stdout.strip()
    # the dependencies: this environment's site-packages, after the new one's (a plain path: its .pth files, the
    # editable install's among them, are not read)
    (Path(site) / "zz-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    _run(python, "-m", "pip", "install", "-q", "--no-deps", "--no-index", wheel, cwd=tmp)
    where = _run(python, "-c", "import migrate; print(migrate.__file__)", cwd=tmp).stdout.strip()
    assert Path(where).is_relative_to(venv), where
    return venv / "bin"


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and ".wp-migrate" not in p.relative_to(folder).parts}


def test_the_wheel_carries_the_rule_files_and_the_sample(installed):
    listing = _run(installed / "python", "-c", "import migrate.bundled as b; print(sorted(p.name for p in "
                   "b.MAPPINGS.glob('*.yaml'))); print(b.SAMPLE_EXPORT.is_file())", cwd=installed).stdout.split("\n")
    assert listing[:2] == ["['default.yaml', 'top-365-films.yaml']", "True"]


@pytest.mark.parametrize("options", [[], ["--mapping", "top-365-films"], ["--layout", "jekyll", "--no-default-rules"]],
                         ids=["default-rules", "mapping-by-name", "jekyll"])
def test_the_wheel_converts_the_sample_as_the_checkout_does(installed, tmp_path, options):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = _run(installed / "wp-migrate", "convert", "--out", "from-wheel", "-q", *options, cwd=elsewhere)
    assert "0 failed" in result.stdout
    _run(sys.executable, "-m", "migrate", "convert", "--out", "from-checkout", "-q", *options, cwd=elsewhere)
    wheel, checkout = _files(elsewhere / "from-wheel"), _files(elsewhere / "from-checkout")
    assert len(wheel) > 5
    assert wheel == checkout


def test_the_default_rules_of_the_wheel_apply(installed, tmp_path):
    """Not only found: used. The sample's share buttons go with the default rules, and stay without them."""
    with_rules = _run(installed / "wp-migrate", "inspect", ROOT / "exports" / "film-reviews.xml", cwd=tmp_path)
    without = _run(installed / "wp-migrate", "inspect", ROOT / "exports" / "film-reviews.xml", "--no-default-rules",
                   cwd=tmp_path)
    removed = [line for line in with_rules.stdout.splitlines() if line.startswith("boilerplate the rules")]
    assert removed and not removed[0].startswith("boilerplate the rules would remove: 0 ")
    assert "boilerplate the rules would remove: 0 in 0 posts" in without.stdout


@pytest.mark.skipif(not (CORPUS / "theme-unit-test-data.xml").exists(), reason="corpus absent")
def test_the_wheel_converts_a_corpus_export_as_the_checkout_does(installed, tmp_path):
    export = CORPUS / "theme-unit-test-data.xml"
    _run(installed / "wp-migrate", "convert", export, "--out", tmp_path / "wheel", "-q", cwd=tmp_path, check=False)
    _run(sys.executable, "-m", "migrate", "convert", export, "--out", tmp_path / "checkout", "-q", cwd=tmp_path,
         check=False)
    assert _files(tmp_path / "wheel") == _files(tmp_path / "checkout")
