"""The command line: parse options, call one library function, print the result.

Only this module prints. Library errors (:class:`~migrate.errors.MigrateError`) become
one line on stderr and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import pipeline
from .errors import MigrateError
from .inspect import inventory
from .load.directory import LAYOUTS
from .parallel import default_jobs
from .report import Entry, Report

#: The sample export bundled with the project, converted when no export is named.
SAMPLE_EXPORT = Path(__file__).resolve().parent.parent / "exports" / "film-reviews.xml"

EXIT_ERROR = 2


def friendly_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn library errors into one line on stderr and exit code 2."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except MigrateError as e:
            click.echo(f"wp-migrate: error: {e}", err=True)
            sys.exit(EXIT_ERROR)
        except OSError as e:  # the file system said no outside any one post (disk, permissions)
            click.echo(f"wp-migrate: error: {e.filename or ''}: {e.strerror or e}", err=True)
            sys.exit(EXIT_ERROR)
        except KeyboardInterrupt:
            click.echo("wp-migrate: interrupted; files already written are complete", err=True)
            sys.exit(130)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="wp-migrate")
def cli() -> None:
    """Move WordPress content out of WordPress without losing anything on the way."""


def _export_argument(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.argument("export", required=False, type=click.Path(dir_okay=False, path_type=Path))(fn)


def _resolve_export(export: Path | None) -> Path:
    if export is not None:
        return export
    if not SAMPLE_EXPORT.exists():
        raise MigrateError("no export given and the bundled sample is missing",
                           hint="name a WordPress export: wp-migrate convert EXPORT.xml")
    return SAMPLE_EXPORT


@cli.command()
@_export_argument
@click.option("--out", "-o", default="site", show_default=True, type=click.Path(path_type=Path),
              help="Output folder.")
@click.option("--layout", type=click.Choice(sorted(LAYOUTS)), default="hugo", show_default=True,
              help="Folder layout of the static-site generator.")
@click.option("--dry-run", is_flag=True, help="Run everything, write nothing; report what would change.")
@click.option("--check", is_flag=True, help="Exit 1 when anything would change (implies --dry-run).")
@click.option("--diff", "show_diff", is_flag=True, help="With --dry-run: print a unified diff of each change.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also save the run's report as JSON to this file.")
@click.option("--quiet", "-q", is_flag=True, help="Print only the summary.")
@click.option("--recover", is_flag=True,
              help="Salvage a damaged export: convert every complete item, list the repaired and lost ones.")
@click.option("--max-post-size", "max_post_mb", type=click.FloatRange(min=0.001), default=10.0, show_default=True,
              help="Posts with more content than this many MB fail (with the reason) instead of converting.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Processes that convert posts in parallel. [default: all cores]")
@friendly_errors
def convert(export: Path | None, out: Path, layout: str, dry_run: bool, check: bool, show_diff: bool,
            report_path: Path | None, quiet: bool, recover: bool, max_post_mb: float, jobs: int | None) -> None:
    """Convert a WordPress export (WXR) into a Hugo or Jekyll content folder.

    With no EXPORT, converts the bundled sample export.
    """
    dry_run = dry_run or check
    source = pipeline.open_source("wxr", _resolve_export(export), recover=recover)
    options = pipeline.Options(layout=layout, max_post_mb=max_post_mb)
    with _progress(source.index.items, quiet) as on_entry:
        report = pipeline.convert(source, out, layout=layout, dry_run=dry_run, on_entry=on_entry, options=options,
                                  jobs=_jobs(jobs, source.index.items))
    if show_diff:
        for entry in report.entries:
            if entry.diff:
                click.echo(entry.diff, nl=False)
    _print_summary(report, out)
    if report_path:
        report_path.write_text(report.to_json(), "utf-8")
    sys.exit(report.exit_code(check=check))


def _jobs(asked: int | None, items: int) -> int:
    """The number of processes: as asked, else all cores — but one for a small export, where starting
    workers costs more than it saves."""
    if asked is not None:
        return asked
    return default_jobs() if items >= 200 else 1


class _progress:
    """A progress bar on a terminal (stderr), nothing otherwise."""

    def __init__(self, total: int, quiet: bool) -> None:
        self.bar = None
        if not quiet and sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="item", file=sys.stderr, leave=False)

    def __enter__(self) -> Callable[[Entry], None] | None:
        bar = self.bar
        return (lambda entry: bar.update(1)) if bar else None

    def __exit__(self, *exc: object) -> None:
        if self.bar:
            self.bar.close()


def _print_summary(report: Report, out: Path) -> None:
    verb = "would write to" if report.dry_run else "wrote to"
    click.echo(f"wp-migrate: {verb} {out}")
    for line in report.summary_lines():
        click.echo(line)


@cli.command()
@click.argument("export", type=click.Path(dir_okay=False, path_type=Path))
@friendly_errors
def inspect(export: Path) -> None:
    """Show what an export holds: post types, statuses, comments, authors, terms, shortcodes, blocks."""
    source = pipeline.open_source("wxr", export)
    inv = inventory(source)
    site = inv.site
    click.echo(f"{site.title or '(untitled site)'} — {site.link} (WXR {site.wxr_version or '?'})")
    click.echo(f"items: {inv.items}")
    for (post_type, status), n in sorted(inv.types.items()):
        click.echo(f"  {post_type:<20} {status:<10} {n}")
    click.echo(f"comments: {sum(inv.comments.values())}")
    for status, n in sorted(inv.comments.items()):
        click.echo(f"  {status:<20} {n}")
    click.echo(f"authors: {len(site.authors)}")
    for author in site.authors:
        click.echo(f"  {author.login:<20} {author.name} ({inv.authors[author.login]} items)")
    by_taxonomy: dict[str, int] = {}
    for term in site.terms:
        by_taxonomy[term.taxonomy] = by_taxonomy.get(term.taxonomy, 0) + 1
    click.echo(f"terms: {len(site.terms)}")
    for taxonomy, n in sorted(by_taxonomy.items()):
        click.echo(f"  {taxonomy:<20} {n}")
    for label, counter in (("shortcodes", inv.shortcodes), ("blocks", inv.blocks)):
        click.echo(f"{label}: {sum(counter.values())}")
        for name, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])):
            click.echo(f"  {name:<20} {n}")


def main() -> None:
    cli(prog_name="wp-migrate")
