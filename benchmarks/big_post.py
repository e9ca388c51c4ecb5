"""Peak memory of ``convert`` when one post of an export is huge (a 200 MB post, refused by --max-post-size).

    python benchmarks/big_post.py                 # a 200 MB post among 200 ordinary ones
    python benchmarks/big_post.py --mb 50 --jobs 2

Two exports are written to a temporary folder: the same 200 ordinary posts, and those with one post of ``--mb``
megabytes of content (in a CDATA section, as WordPress writes it) in the middle. Each is converted by
``python -m migrate convert`` in a fresh process, and that process's peak resident memory (ru_maxrss; with
``--jobs`` > 1, of the biggest process) and CPU time (user+sys) are printed: the huge post should cost next to
nothing over the baseline, since it is refused from its size as it is read, never held.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

HEADER = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Big</title><link>https://big.example.org</link><wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://big.example.org</wp:base_site_url>
"""
FOOTER = "</channel>\n</rss>\n"


def item(post_id: int, content: str) -> str:
    return (f"<item><title>Post {post_id}</title><link>https://big.example.org/p{post_id}/</link>"
            f"<dc:creator>ed</dc:creator><content:encoded><![CDATA[{content}]]></content:encoded>"
            f"<excerpt:encoded><![CDATA[]]></excerpt:encoded><wp:post_id>{post_id}</wp:post_id>"
            f"<wp:post_date>2020-01-02 10:00:00</wp:post_date><wp:post_name>p{post_id}</wp:post_name>"
            f"<wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>\n")


def write_export(path: Path, posts: int, big_mb: int) -> None:
    paragraph = "<p>A paragraph of a review, long enough to be like one, with <em>some</em> markup.</p>\n"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(HEADER)
        for i in range(1, posts + 1):
            fh.write(item(i, paragraph * 20))
            if big_mb and i == posts // 2:
                head, tail = item(posts + 1, "").split("<![CDATA[]]></content:encoded>", 1)
                fh.write(head + "<![CDATA[")
                block = ("<p>" + "é" * 4000 + "</p>\n") * 128  # ~1 MB of UTF-8
                for _ in range(big_mb):
                    fh.write(block)
                fh.write("]]></content:encoded>" + tail)
        fh.write(FOOTER)


def measure(export: Path, out: Path, jobs: int, limit: float) -> tuple[float, float, str]:
    """Peak RSS in MB and CPU seconds of one convert run in a fresh process, and its summary line."""
    code = (
        "import resource, subprocess, sys\n"
        "r = subprocess.run([sys.executable, '-m', 'migrate', 'convert', *sys.argv[1:]], capture_output=True,"
        " text=True)\n"
        "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "line = next((l for l in r.stdout.splitlines() if ' items: ' in l), r.stderr.strip()[-200:])\n"
        "print(u.ru_maxrss, u.ru_utime + u.ru_stime, line, sep='\\t')\n"
    )
    result = subprocess.run([sys.executable, "-c", code, str(export), "--out", str(out), "--jobs", str(jobs),
                             "--max-post-size", str(limit), "--quiet"], capture_output=True, text=True, cwd=ROOT,
                            check=True)
    rss, cpu, line = result.stdout.strip().split("\t", 2)
    return int(rss) / 1024, float(cpu), line


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=200, help="size of the huge post's content, in MB")
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--max-post-size", type=float, default=10.0, help="convert's limit, in MB (a post is held"
                        " up to it while it streams)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, big in (("baseline", 0), (f"with a {args.mb} MB post", args.mb)):
            export = folder / f"{big}.xml"
            write_export(export, args.posts, big)
            rss, cpu, line = measure(export, folder / f"site{big}", args.jobs, args.max_post_size)
            size = export.stat().st_size / 1e6
            print(f"{name:>24}: export {size:7.1f} MB  peak RSS {rss:6.1f} MB  CPU {cpu:5.2f} s  | {line}")


if __name__ == "__main__":
    main()
