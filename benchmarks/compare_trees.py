"""CPU of a conversion on two trees of the project, alternated: did a change make converting slower?

    python benchmarks/compare_trees.py 886bb89^                 # HEAD against that commit
    python benchmarks/compare_trees.py 886bb89^ --new WORKTREE  # the working tree (uncommitted changes too)
    python benchmarks/compare_trees.py 886bb89^ 4c3c84e --runs 8 --workdir /dev/shm   # three trees

Each tree (each commit as ``git archive`` gives it, in a temporary folder; several bases may be given)
converts the same generated export (``generate_export.py``, ``--mix corpus`` by default) with ``--jobs 1`` into
a fresh folder, ``--runs`` times, the trees taking turns (in a rotating order), so that a machine that speeds up
or slows down weighs on all. What counts is the CPU time (user+sys) of each conversion: on a machine shared with
other work, wall-clock time says more about the others than about the change. Prints every run, then each
tree's least and median CPU per post, and the differences (noise only ever adds time, so the least is the
steadier figure). The same interpreter runs every tree.
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))


def convert_cpu(tree: Path, export: Path, out: Path) -> tuple[float, float]:
    """(CPU seconds user+sys, wall seconds) of one conversion by the package in ``tree``, in a child process."""
    shutil.rmtree(out, ignore_errors=True)
    env = {**os.environ, "PYTHONPATH": str(tree)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "migrate", "convert", str(export), "--out", str(out), "-q",
                    "--jobs", "1"], check=True, env=env, cwd=tree, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall


def unpack(rev: str, folder: Path) -> Path:
    """The package as commit ``rev`` has it, in ``folder``."""
    folder.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "migrate", "mappings", "exports",
                              "pyproject.toml"], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("revs", nargs="+", help="the commits to compare with (bases)")
    parser.add_argument("--new", default="HEAD", help="the commit measured against it, or WORKTREE [HEAD]")
    parser.add_argument("--posts", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=5, help="conversions by each tree [5]")
    parser.add_argument("--mix", choices=("corpus", "film"), default="corpus")
    parser.add_argument("--workdir", type=Path, default=None, help="folder for the export and outputs [temporary]")
    args = parser.parse_args()

    from generate_export import write_export

    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        trees = {args.new: ROOT if args.new == "WORKTREE" else unpack(args.new, Path(tmp, "new"))}
        for n, rev in enumerate(args.revs):
            trees[rev] = unpack(rev, Path(tmp, f"base{n}"))
        for tree in trees.values():  # bytecode as an installed package has it, not compiled in a timed run
            compileall.compile_dir(tree / "migrate", quiet=1)
        export = Path(tmp, "export.xml")
        with export.open("w", encoding="utf-8", buffering=1 << 20) as fh:
            write_export(fh, args.posts, seed=1, mix=args.mix)
        cpus: dict[str, list[float]] = {name: [] for name in trees}
        print(f"{args.posts} posts ({export.stat().st_size / 1e6:.0f} MB, mix {args.mix}), --jobs 1, "
              f"load {os.getloadavg()[0]:.1f} at the start", flush=True)
        for run in range(args.runs):
            order = list(trees.items())
            for name, tree in order[run % len(order):] + order[:run % len(order)]:
                cpu, wall = convert_cpu(tree, export, Path(tmp, "out"))
                cpus[name].append(cpu)
                print(f"  run {run + 1} {name:>14}: CPU {cpu:6.2f} s  wall {wall:6.2f} s  "
                      f"load {os.getloadavg()[0]:.1f}", flush=True)
        for name, values in cpus.items():
            print(f"{name:>14}: CPU ms/post least {1000 * min(values) / args.posts:.3f}, "
                  f"median {1000 * statistics.median(values) / args.posts:.3f} ({len(values)} runs)")
        for rev in args.revs:
            least, base = min(cpus[args.new]), min(cpus[rev])
            middle, base_middle = statistics.median(cpus[args.new]), statistics.median(cpus[rev])
            print(f"{args.new} vs {rev}: {100 * (least - base) / base:+.1f}% CPU (least of each), "
                  f"{100 * (middle - base_middle) / base_middle:+.1f}% (median)")


if __name__ == "__main__":
    main()
