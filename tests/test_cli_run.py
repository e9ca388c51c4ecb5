"""How a run behaves around the conversion: the report's path checked first, Ctrl-C and a killed run with
several processes, --diff of a real run, a closed pipe, --jobs above the cores."""

from __future__ import annotations

import glob
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from migrate.parallel import default_jobs

from .conftest import ROOT, SAMPLE, generated_export


def run(*args: object, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "migrate", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, check=False)


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize("report,says", [
    ("missing/report.html", "missing/report.html: no folder missing to write the report in"),
    ("report.txt", "report.txt: a report file ends in .html or .json"),
])
def test_the_report_path_is_checked_before_the_run_and_makes_no_folder(tmp_path, report, says):
    line = one_line(run("convert", SAMPLE, "--out", "site", "--report", report, cwd=tmp_path))
    assert says in line
    assert sorted(os.listdir(tmp_path)) == []  # neither the site nor the report's folder


def test_a_report_in_an_existing_folder_is_written(tmp_path):
    (tmp_path / "reports").mkdir()
    result = run("convert", SAMPLE, "--out", "site", "-q", "--report", "reports/run.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "reports" / "run.json").stat().st_size > 100


def test_diff_without_dry_run_prints_what_was_written(tmp_path):
    first = run("convert", SAMPLE, "--out", "site", "--diff", cwd=tmp_path)
    assert first.returncode == 0
    post = next((tmp_path / "site" / "content" / "posts").glob("*jurassic*.md"))
    name = post.relative_to(tmp_path / "site").as_posix()
    assert f"--- a/{name}\n+++ b/{name}\n" in first.stdout  # a new file: all of it
    post.write_text(post.read_text("utf-8").replace("Jurassic", "JURASSIC"), "utf-8")
    # (an edited file is left alone by a sync run; --force rewrites it, keeping a copy)
    second = run("convert", SAMPLE, "--out", "site", "--diff", "--force", cwd=tmp_path)
    assert second.returncode == 0
    assert "-title: 'Top 365 Films – #12 – JURASSIC Park (1993)'\n" in second.stdout
    assert "+title: 'Top 365 Films – #12 – Jurassic Park (1993)'\n" in second.stdout
    assert second.stdout.count("+++ b/") == 1  # the one file rewritten, nothing else
    assert "Jurassic Park" in post.read_text("utf-8")  # and it was written


def test_a_closed_pipe_ends_the_run_quietly(tmp_path):
    # diffs of 300 new posts: far more than a pipe holds, so the run writes on after the reader has gone
    export = generated_export(tmp_path / "export.xml", 300, seed=2)
    process = subprocess.Popen([sys.executable, "-m", "migrate", "convert", str(export), "--out", "site",
                                "--dry-run", "--diff"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.readline()
    process.stdout.close()  # as `| head -1` does
    stderr = process.stderr.read().decode()
    assert process.wait(60) == 141
    assert stderr == ""


def test_jobs_above_the_cores_are_capped_with_a_note(tmp_path):
    asked = default_jobs() + 7
    result = run("convert", SAMPLE, "--out", "site", "-q", "--jobs", asked, cwd=tmp_path)
    assert result.returncode == 0
    cores = default_jobs()
    assert result.stderr == (f"wp-migrate: note: --jobs {asked} is more than the {cores} "
                             f"core{'s' if cores != 1 else ''} this machine has: using {cores}\n")


# --- several processes: Ctrl-C, a killed run -------------------------------------------------------------------

def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.fixture(scope="module")
def big_export(tmp_path_factory) -> Path:
    return generated_export(tmp_path_factory.mktemp("big") / "export.xml", 3000, seed=5)


def _start_and_wait_for_workers(export: Path, out: Path) -> tuple[subprocess.Popen[bytes], list[int]]:
    """A run with two processes converting (new session: a process group of its own, as in a terminal), once
    its workers have written posts."""
    process = subprocess.Popen([sys.executable, "-m", "migrate", "convert", str(export), "--out", str(out),
                                "--jobs", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
                               start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        workers = _children(process.pid)
        if len(workers) >= 2 and len(glob.glob(f"{out}/content/*/*.md")) > 20:
            return process, workers
        time.sleep(0.05)
    process.kill()
    pytest.fail("the run ended before its workers were seen converting")


@pytest.mark.skipif(not Path("/proc").is_dir() or default_jobs() < 2, reason="needs Linux and two cores")
def test_ctrl_c_with_several_jobs_is_one_line_and_ends_the_workers(tmp_path, big_export):
    process, workers = _start_and_wait_for_workers(big_export, tmp_path / "site")
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C does: the whole process group
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert stderr.decode() == "wp-migrate: interrupted; files already written are complete\n"
    time.sleep(0.5)
    assert [pid for pid in workers if _alive(pid)] == []


@pytest.mark.skipif(not Path("/proc").is_dir() or default_jobs() < 2, reason="needs Linux and two cores")
def test_killing_the_main_process_ends_its_workers(tmp_path, big_export):
    process, workers = _start_and_wait_for_workers(big_export, tmp_path / "site")
    process.kill()  # SIGKILL: no chance to clean up
    process.wait(30)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.1)
    left = [pid for pid in workers if _alive(pid)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert left == []
