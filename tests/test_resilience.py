"""Nothing lost: a run killed with SIGKILL, a full disk."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from migrate import pipeline
from migrate.extract.wxr import read_wxr

from .conftest import ROOT, generated_export

ENV = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*")
            if p.is_file() and ".wp-migrate" not in p.parts}


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> Path:
    return generated_export(tmp_path_factory.mktemp("export") / "export.xml", 1500, seed=7)


@pytest.fixture(scope="module")
def reference(export, tmp_path_factory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("reference")
    pipeline.convert(read_wxr(export), out)
    return tree(out)


def test_kill_9_leaves_no_partial_file_and_a_rerun_finishes(export, reference, tmp_path):
    out = tmp_path / "site"
    proc = subprocess.Popen([sys.executable, "-m", "migrate", "convert", str(export), "--out", str(out), "-j", "1"],
                            env=ENV, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(out.glob("content/posts/*.md"))) < 200:
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    partial = tree(out)
    assert 200 <= len(partial) < len(reference), "the run was not interrupted mid-way"
    for name, data in partial.items():  # every file there is complete: byte-identical to a full run's
        assert reference[name] == data, name
    assert not [p for p in out.rglob("*.tmp") if ".wp-migrate" not in p.parts]

    again = subprocess.run([sys.executable, "-m", "migrate", "convert", str(export), "--out", str(out)],
                           env=ENV, cwd=ROOT, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    done = sum(1 for name in partial if name.endswith(".md"))
    assert f"{done} unchanged" in again.stdout
    assert tree(out) == reference
    assert not list(out.rglob("*.tmp"))


@pytest.fixture
def small_disk(tmp_path):
    mount = tmp_path / "disk"
    mount.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", str(mount)], capture_output=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {result.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def test_full_disk_fails_posts_with_reason_and_keeps_the_rest(export, reference, small_disk):
    result = subprocess.run([sys.executable, "-m", "migrate", "convert", str(export), "--out", str(small_disk / "site")],
                            env=ENV, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "No space left on device" in result.stdout
    summary = result.stdout.splitlines()[1]
    assert "failed" in summary and " 0 failed" not in summary
    written = tree(small_disk / "site")
    assert written
    for name, data in written.items():
        assert reference[name] == data, name
