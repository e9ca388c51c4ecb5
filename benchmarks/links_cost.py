"""What looking for links between posts costs a conversion without --media, on one tree.

    python benchmarks/links_cost.py                       # 10,000 posts of the corpus mix, 5 runs each way
    python benchmarks/links_cost.py --posts 5000 --runs 7 --workdir /dev/shm

Converts the same generated export ``--runs`` times each way, alternating, each in a fresh process with one job:
as it is, and with the links left alone (no post waits for links: ``Scanner.link_needles`` empty; the link map
noting nothing). Prints the CPU time (user+sys of the child) of every run, the least and median of each way, and
the difference: the share of a conversion that links between posts cost. (``compare_trees.py`` compares whole
commits; this isolates the one feature on the same code.)
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))


@contextlib.contextmanager
def links_off() -> Iterator[None]:
    """Conversions inside look for no links between posts."""
    from migrate import links, media

    scanner_init, add = media.Scanner.__init__, links.LinkMap.add

    def init(self: media.Scanner, *args: object, **kwargs: object) -> None:
        scanner_init(self, *args, **kwargs)  # type: ignore[arg-type]
        self.link_needles = ()

    media.Scanner.__init__ = init  # type: ignore[method-assign]
    links.LinkMap.add = lambda self, *args, **kwargs: None  # type: ignore[method-assign]
    try:
        yield
    finally:
        media.Scanner.__init__ = scanner_init  # type: ignore[method-assign]
        links.LinkMap.add = add  # type: ignore[method-assign]


def child(way: str, export: str, out: str) -> None:
    """In the child: one conversion, with links (``on``) or without (``off``)."""
    from migrate import pipeline
    from migrate.extract.wxr import read_wxr

    with links_off() if way == "off" else contextlib.nullcontext():
        report = pipeline.convert(read_wxr(export), out)
    if report.exit_code():
        raise SystemExit("the conversion failed")


def convert_cpu(way: str, export: Path, out: Path) -> float:
    """CPU seconds (user+sys) of one conversion in a fresh process."""
    shutil.rmtree(out, ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, __file__, "--child", way, str(export), str(out)], check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--mix", choices=("corpus", "film"), default="corpus")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return

    from generate_export import write_export

    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        export = Path(tmp, "export.xml")
        with export.open("w", encoding="utf-8", buffering=1 << 20) as fh:
            write_export(fh, args.posts, seed=1, mix=args.mix)
        compileall.compile_dir(HERE.parent / "migrate", quiet=1)  # (not compiled again in a timed run)
        print(f"{args.posts} posts, mix {args.mix}, one job, load {os.getloadavg()[0]:.1f} at the start",
              flush=True)
        cpus: dict[str, list[float]] = {"with links": [], "links off": []}
        for run in range(args.runs):
            for way in (("with links", "links off") if run % 2 == 0 else ("links off", "with links")):
                cpus[way].append(convert_cpu("off" if way == "links off" else "on", export, Path(tmp, "out")))
                print(f"  run {run + 1} {way:>10}: CPU {cpus[way][-1]:6.2f} s  load {os.getloadavg()[0]:.1f}",
                      flush=True)
        for way, values in cpus.items():
            print(f"{way:>10}: CPU ms/post least {1000 * min(values) / args.posts:.3f}, "
                  f"median {1000 * statistics.median(values) / args.posts:.3f}")
        on, off = cpus["with links"], cpus["links off"]
        print(f"links between posts: {100 * (min(on) - min(off)) / min(off):+.1f}% CPU (least of each), "
              f"{100 * (statistics.median(on) - statistics.median(off)) / statistics.median(off):+.1f}% (median)")


if __name__ == "__main__":
    main()
