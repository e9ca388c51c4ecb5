"""Benchmark: generate exports of several sizes, convert each, print posts/s, peak memory and the time split.

    python benchmarks/run.py                 # 1,000 and 20,000 posts
    python benchmarks/run.py --posts 1000 10000 50000

Each size is measured in a fresh process, so peak memory (max RSS) is that size's alone.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))


def measure(export: Path, out: Path) -> dict[str, float]:
    """Run in the child: time parsing alone, parsing + transforming, and the whole conversion."""
    from migrate import pipeline
    from migrate.errors import SkipPost
    from migrate.extract.wxr import read_wxr

    t0 = time.perf_counter()
    source = read_wxr(export)
    posts = sum(1 for _ in source.posts())
    t_parse = time.perf_counter() - t0

    t0 = time.perf_counter()
    ctx = pipeline.Context(site=source.site, index=source.index)
    for post in source.posts():
        try:
            pipeline.transform(post, ctx)
        except SkipPost:
            pass
    t_transform = time.perf_counter() - t0

    t0 = time.perf_counter()
    report = pipeline.convert(read_wxr(export), out)
    t_total = time.perf_counter() - t0
    assert report.counts["failed"] == 0, report.summary_lines()
    return {
        "items": posts,
        "written": report.counts["new"] + report.counts["updated"],
        "seconds": t_total,
        "parse": t_parse,
        "transform": max(t_transform - t_parse, 0.0),
        "write": max(t_total - t_transform, 0.0),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "export_mb": export.stat().st_size / 1e6,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, nargs="+", default=[1000, 20000])
    parser.add_argument("--child", nargs=2, metavar=("EXPORT", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(Path(args.child[0]), Path(args.child[1]))))
        return

    from generate_export import write_export

    print(f"{'posts':>8} {'export MB':>10} {'posts/s':>9} {'peak MB':>8} {'parse s':>8} {'transform s':>12}"
          f" {'write s':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.posts:
            export = Path(tmp, f"export-{n}.xml")
            with export.open("w", encoding="utf-8") as fh:
                write_export(fh, n, seed=1)
            child = subprocess.run([sys.executable, __file__, "--child", str(export), str(Path(tmp, f"site-{n}"))],
                                   capture_output=True, text=True, check=True)
            r = json.loads(child.stdout.strip().splitlines()[-1])
            print(f"{n:>8} {r['export_mb']:>10.1f} {r['written'] / r['seconds']:>9.0f} {r['peak_mb']:>8.0f}"
                  f" {r['parse']:>8.1f} {r['transform']:>12.1f} {r['write']:>8.1f}", flush=True)


if __name__ == "__main__":
    main()
