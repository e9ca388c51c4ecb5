"""CPU time of ``parse_raw_item`` over every item of an export, as the converting workers call it.

    python benchmarks/parse_items.py /dev/shm/e10k.xml                   # this tree: parse_raw_item, and its lxml path
    python benchmarks/parse_items.py /dev/shm/e10k.xml --against /tmp/old # and another source tree's parse_raw_item

The items' bytes are read once (``raw_posts``), then parsed with ``shallow=SKIPPED_TYPES`` (attachments and the
like read without meta and comments), ``--repeat`` times in one process; the least CPU time (``time.process_time``)
counts, as noise on a shared machine only ever adds to it. Each measurement runs in its own process, all of them in
turn, ``--rounds`` times, and the least of each is printed, with the share of items :mod:`migrate.extract.itemreader`
read (the others went to lxml). ``--against`` takes a tree holding a ``migrate`` package, e.g. an older commit's
(``git archive COMMIT migrate | tar -x -C /tmp/old``).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def child(export: str, tree: str, mode: str, repeat: int) -> None:
    """Print {"seconds": least CPU time, "items": n, "fast": n read without lxml} for one way of parsing."""
    sys.path.insert(0, tree)
    import migrate
    from migrate.extract import wxr
    from migrate.transform.classify import SKIPPED_TYPES

    assert Path(migrate.__file__).resolve().is_relative_to(Path(tree).resolve()), migrate.__file__
    shallow = frozenset(SKIPPED_TYPES)
    raw = list(wxr.read_wxr(export).raw_posts() or ())
    parse = wxr._parse_raw_item_lxml if mode == "lxml" else wxr.parse_raw_item
    fast = None
    if mode == "fast":
        from migrate.extract.itemreader import read_item

        fast = sum(read_item(data, shallow) is not None for data in raw)
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        for data in raw:
            parse(data, shallow)
        best = min(best, time.process_time() - start)
    print(json.dumps({"seconds": best, "items": len(raw), "fast": fast}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("export")
    parser.add_argument("--against", help="another tree holding a migrate package, to time its parse_raw_item too")
    parser.add_argument("--repeat", type=int, default=5, help="runs in one process (the least counts)")
    parser.add_argument("--rounds", type=int, default=3, help="processes for each measurement, in turn")
    parser.add_argument("--child", nargs=2, metavar=("TREE", "MODE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.export, args.child[0], args.child[1], args.repeat)
        return
    runs = {"this tree, parse_raw_item": (str(ROOT), "fast"), "this tree, lxml path": (str(ROOT), "lxml")}
    if args.against:
        runs = {f"{args.against}, parse_raw_item": (args.against, "tree"), **runs}
    results: dict[str, dict[str, float]] = {}
    for _ in range(args.rounds):
        for label, (tree, mode) in runs.items():
            out = subprocess.run([sys.executable, __file__, args.export, "--repeat", str(args.repeat),
                                  "--child", tree, mode], check=True, capture_output=True, text=True).stdout
            found = json.loads(out)
            if label not in results or found["seconds"] < results[label]["seconds"]:
                results[label] = found
    first = next(iter(results.values()))["seconds"]
    for label, found in results.items():
        share = f", {found['fast']}/{found['items']} items without lxml" if found["fast"] is not None else ""
        print(f"{label:50s} {found['seconds']:.3f} s CPU ({found['seconds'] / first - 1:+.0%}){share}")


if __name__ == "__main__":
    main()
