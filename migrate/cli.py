"""The command line: parse options, call one library function, print the result.

Only this module prints. Library errors (:class:`~migrate.errors.MigrateError`) become
one line on stderr and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import bundled, pipeline, sources
from .context import Options
from .errors import MigrateError
from .extract.inputs import remove_temporary
from .inspect import inventory
from .load.directory import LAYOUTS
from .media import MODES as MEDIA_MODES
from .media import MediaOptions
from .media.bundle import check_media_layout
from .parallel import default_jobs
from .report import Entry, Report
from .report_html import check_report_path, write_report
from .rules import check_file, load_rules
from .transform.comments import MODES as COMMENT_MODES
from .transform.shortcodes import ShortcodeRenderer

#: Shortcodes the conversion expands (every other one is kept as text, as WordPress without its plugin shows it).
KNOWN_SHORTCODES = frozenset(ShortcodeRenderer.handled())

#: The sample export bundled with the project, converted when no export is named.
SAMPLE_EXPORT = bundled.SAMPLE_EXPORT

EXIT_ERROR = 2
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE


def friendly_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn library errors into one line on stderr and exit code 2."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except MigrateError as e:
            click.echo(f"wp-migrate: error: {e}", err=True)
            sys.exit(EXIT_ERROR)
        except BrokenPipeError:
            # The reader of our output went away (``| head``): not an error of the run, and nothing to say. Python
            # would complain again when it flushes stdout at exit, so stdout goes to /dev/null first. The exit
            # code is a shell's for a program ended by SIGPIPE.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(EXIT_BROKEN_PIPE)
        except OSError as e:  # the file system said no outside any one post (disk, permissions)
            click.echo(f"wp-migrate: error: {e.filename or ''}: {e.strerror or e}", err=True)
            sys.exit(EXIT_ERROR)
        except KeyboardInterrupt:
            # At once, without the interpreter's exit, which would wait for a pool's thread (parallel.stop).
            click.echo("wp-migrate: interrupted; files already written are complete", err=True)
            remove_temporary()
            with contextlib.suppress(Exception):
                sys.stdout.flush()
            with contextlib.suppress(Exception):
                sys.stderr.flush()
            os._exit(130)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="wp-migrate")
def cli() -> None:
    """Move WordPress content out of WordPress without losing anything on the way."""


def _export_argument(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.argument("export", required=False, type=click.Path(dir_okay=False, path_type=Path))(fn)


def _rule_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """``--mapping FILE`` (repeatable) and ``--no-default-rules``."""
    fn = click.option("--no-default-rules", is_flag=True,
                      help="Do not apply the bundled default rules (mappings/default.yaml).")(fn)
    return click.option("--mapping", "-m", "mappings", multiple=True, metavar="FILE",
                        help="A rule file (mappings/*.yaml, or the name of a bundled one); repeatable, "
                             "later files override earlier ones.")(fn)


def _site_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """``--config FILE``, ``--timeout SECONDS`` and ``--allow-insecure`` for commands that talk to a live site."""
    fn = click.option("--allow-insecure", is_flag=True,
                      help="Send the credentials to an http:// site (unencrypted) all the same.")(fn)
    fn = click.option("--timeout", type=click.FloatRange(min=0.1), default=None, metavar="SECONDS",
                      help="Seconds to wait for each answer of the site. [default: 30]")(fn)
    return click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
                        help="Credentials file (default: ~/.config/wp-migrate/config.yaml; or set "
                             "WORDPRESS_USER and WORDPRESS_PASSWORD).")(fn)


def _site_settings(url: str, config_path: Path | None, timeout: float | None, required: bool = True,
                   allow_insecure: bool = False) -> Any:
    from .config import resolve

    settings = resolve(url, config_path, timeout=timeout, required=required, allow_insecure=allow_insecure)
    for warning in settings.warnings:
        click.echo(f"wp-migrate: warning: {warning}", err=True)
    return settings


def _source_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """``--from-site URL``, ``--api``, ``--from-html PATH`` and the site options: where else to read from."""
    option: Any  # click.option decorators and our groups of them (a list mypy types as list[function])
    for option in reversed([
        click.option("--from-site", "from_site", metavar="URL",
                     help="Read a live WordPress site instead of an export (credentials: see README; without "
                          "any, the REST API gives what the public sees)."),
        click.option("--api", type=click.Choice(sources.SITE_APIS), default="auto", show_default=True,
                     help="With --from-site: the REST API, XML-RPC, or the REST API and then XML-RPC."),
        click.option("--from-html", "from_html", metavar="PATH", type=click.Path(path_type=Path),
                     help="Read saved pages of a site (a page, a folder, a wget --mirror) instead of an export."),
        _site_options,
    ]):
        fn = option(fn)
    return fn


def _open_input(export: Path | None, from_site: str | None, api: str, from_html: Path | None,
                config_path: Path | None, timeout: float | None, rules: Any, allow_insecure: bool = False,
                **wxr_options: Any) -> Any:
    """The source a command reads: an export (the bundled sample when none), a live site, or saved pages."""
    given = [name for name, value in (("an export", export), ("--from-site", from_site),
                                      ("--from-html", from_html)) if value is not None]
    if len(given) > 1:
        raise MigrateError(f"give {' or '.join(given)}, not both")
    if from_site:
        return sources.open_site(from_site, api, _site_settings(from_site, config_path, timeout,
                                                                 required=api == "xmlrpc",
                                                                 allow_insecure=allow_insecure))
    if from_html is not None:
        return sources.open_source("html", from_html, rules=rules)
    return sources.open_source("wxr", _resolve_export(export), **wxr_options)


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
@click.option("--diff", "show_diff", is_flag=True,
              help="Print a unified diff of each change: what would be written (--dry-run), or what was.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also save the run's report to this file: .html (a page for a browser) or .json.")
@_source_options
@click.option("--quiet", "-q", is_flag=True, help="Print only the summary.")
@click.option("--recover", is_flag=True,
              help="Salvage a damaged export: convert every complete item, list the repaired and lost ones.")
@click.option("--max-post-size", "max_post_mb", type=click.FloatRange(min=0.001), default=10.0, show_default=True,
              help="Posts with more content than this many MB fail (with the reason) instead of converting.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Processes that convert posts in parallel. [default: all cores]")
@_rule_options
@click.option("--comments", "comments_mode", type=click.Choice(COMMENT_MODES), default="front-matter",
              show_default=True, help="Where approved comments go: a list in the front matter, a YAML file "
                                      "beside the post, a section at the end of the body, or nowhere.")
@click.option("--include-pings", is_flag=True, help="Also write pingbacks and trackbacks.")
@click.option("--include-pending-comments", is_flag=True, help="Also write comments awaiting moderation.")
@click.option("--include-commenter-emails", "include_emails", is_flag=True,
              help="Write commenters' e-mail addresses (left out by default).")
@click.option("--include-commenter-ips", "include_ips", is_flag=True,
              help="Write commenters' IP addresses (left out by default).")
@click.option("--figure-style", type=click.Choice(["markdown", "html", "hugo"]), default="markdown",
              show_default=True, help="How an image with a caption is written: a Markdown image and its caption, "
              "an HTML <figure>, or Hugo's {{< figure >}} (and {{< youtube >}}) shortcodes (--layout hugo only).")
@click.option("--allow-unsafe-html", is_flag=True,
              help="Trust the site's own markup: keep its <iframe>/<object>/<embed> and link URLs as they are "
                   "(comments are always sanitised).")
@click.option("--media", "media_mode", type=click.Choice(MEDIA_MODES), default="keep", show_default=True,
              help="The old site's media (images, PDFs, audio, video) the posts use: 'download' fetches them into "
                   "the site and rewrites the references; 'keep' leaves them on the old host (the summary says where).")
@click.option("--media-from", "media_from", type=click.Path(exists=True, file_okay=False, path_type=Path),
              metavar="UPLOADS",
              help="Copy the media from a local copy of wp-content/uploads (no network); with --media download, "
                   "files missing there are downloaded.")
@click.option("--media-layout", type=click.Choice(["site", "bundle"]), default="site", show_default=True,
              help="Where the media brought in go: 'site' keeps the old site's paths (static/wp-content/uploads/…, "
                   "root-relative references); 'bundle' (Hugo) puts each post in a page bundle "
                   "(content/posts/<name>/index.md) with the files it alone uses beside it, referred to relatively.")
@click.option("--media-external", is_flag=True,
              help="Also bring in media the posts use from other hosts (into media/<host>/).")
@click.option("--media-max-size", "media_max_mb", type=click.FloatRange(min=0.001), default=200.0, show_default=True,
              metavar="MB", help="Media files larger than this many MB are not fetched (listed as failed).")
@click.option("--redirects", "redirects_path", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Write a map from every old URL (permalinks, ?p=ID, attachment pages, feeds) to its new one: "
                   "_redirects (Netlify, Cloudflare Pages), .htaccess (Apache), *.conf (nginx map) or *.csv.")
@click.option("--redirects-format", type=click.Choice(["netlify", "nginx", "apache", "csv"]), default=None,
              help="The format of --redirects FILE. [default: from the file's name]")
@click.option("--media-retries", type=click.IntRange(min=0, max=10), default=3, show_default=True,
              help="Times a media download is tried again after a timeout, a lost connection or a 5xx/429 answer "
                   "(waiting 1, 2, 4… seconds).")
@click.option("--media-connections", type=click.IntRange(min=1, max=64), default=8, show_default=True,
              help="Media downloads at the same time.")
@click.option("--force", is_flag=True, help="Overwrite (or remove) files edited since wp-migrate wrote them, after "
              "saving a copy under .wp-migrate/backup/. Files wp-migrate never wrote are never overwritten.")
@click.option("--keep-removed", is_flag=True, help="Mark the files of posts no longer published draft instead of "
              "removing them.")
@friendly_errors
def convert(export: Path | None, out: Path, layout: str, dry_run: bool, check: bool, show_diff: bool,
            report_path: Path | None, quiet: bool, recover: bool, max_post_mb: float, jobs: int | None,
            mappings: tuple[Path, ...], no_default_rules: bool, comments_mode: str, include_pings: bool,
            include_pending_comments: bool, include_emails: bool, include_ips: bool, from_site: str | None,
            config_path: Path | None, timeout: float | None, figure_style: str = "markdown", force: bool = False,
            keep_removed: bool = False, api: str = "auto", from_html: Path | None = None,
            media_mode: str = "keep", media_from: Path | None = None, media_external: bool = False,
            media_max_mb: float = 200.0, media_connections: int = 8, media_retries: int = 3,
            media_layout: str = "site", redirects_path: Path | None = None, redirects_format: str | None = None,
            allow_unsafe_html: bool = False, allow_insecure: bool = False) -> None:
    """Convert a WordPress export (WXR), a live site (--from-site) or its saved pages (--from-html) into a
    Hugo or Jekyll content folder.

    With no EXPORT, converts the bundled sample export.
    """
    dry_run = dry_run or check
    if report_path:
        check_report_path(report_path)
    jobs = _capped(jobs)
    if figure_style == "hugo" and layout != "hugo":
        raise MigrateError("--figure-style hugo writes Hugo shortcodes: use it with --layout hugo",
                           hint="use --figure-style html or markdown for other layouts")
    check_media_layout(media_layout, layout)
    rules = load_rules(mappings, defaults=not no_default_rules)
    # (a big file's first pass is shared by the processes too; a small one is read by this one alone)
    source = _open_input(export, from_site, api, from_html, config_path, timeout, rules, allow_insecure=allow_insecure,
                         recover=recover, max_content_bytes=int(max_post_mb * 1e6),
                         jobs=jobs if jobs is not None else default_jobs())
    options = Options(layout=layout, max_post_mb=max_post_mb, rules=rules, comments=comments_mode,
                               include_pings=include_pings, include_pending_comments=include_pending_comments,
                               include_emails=include_emails, include_ips=include_ips, figure_style=figure_style,
                               allow_unsafe_html=allow_unsafe_html,
                               media=MediaOptions(mode=media_mode, uploads=media_from, external=media_external,
                                                  max_mb=media_max_mb, connections=media_connections,
                                                  retries=media_retries, layout=media_layout,
                                                  timeout=timeout or 30.0),
                               redirects=str(redirects_path) if redirects_path else None,
                               redirects_format=redirects_format)
    if redirects_path:
        from .redirects import format_for

        format_for(redirects_path, redirects_format)  # a name that says no format fails before the run
    with _progress(source.index.items, quiet) as on_entry:
        report = pipeline.convert(source, out, layout=layout, dry_run=dry_run, on_entry=on_entry, options=options,
                                  jobs=_jobs(jobs, source.index.items), force=force, keep_removed=keep_removed,
                                  on_media=None if quiet or dry_run else _media_progress,
                                  diffs=show_diff)
    if show_diff:
        for entry in report.iter_entries():
            if entry.diff:
                click.echo(entry.diff, nl=False)
    _print_summary(report, out)
    if report_path:
        write_report(report, report_path)
    sys.exit(report.exit_code(check=check))


def _capped(asked: int | None) -> int | None:
    """``--jobs``, at most the cores this process may use (more processes only share them), with a note."""
    cores = default_jobs()
    if asked is not None and asked > cores:
        click.echo(f"wp-migrate: note: --jobs {asked} is more than the {cores} core{'s' if cores != 1 else ''} "
                   f"this machine has: using {cores}", err=True)
        return cores
    return asked


def _jobs(asked: int | None, items: int) -> int:
    """The number of processes: as asked, else all cores — but one for a small export, where starting
    workers costs more than it saves."""
    if asked is not None:
        return asked
    return default_jobs() if items >= 200 else 1


def _media_progress(total: int) -> Callable[[], None] | None:
    """A progress bar for the media files of a run (on a terminal), closed when the last one is in."""
    if not total or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    bar = tqdm(total=total, unit="file", desc="media", file=sys.stderr, leave=False)

    def step() -> None:
        bar.update(1)
        if bar.n >= total:
            bar.close()

    return step


class _progress:
    """A progress bar on a terminal (stderr), nothing otherwise."""

    def __init__(self, total: int, quiet: bool) -> None:
        self.bar = None
        if not quiet and sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="item", file=sys.stderr, leave=False)

    def __enter__(self) -> Callable[[Entry], None] | None:
        bar = self.bar
        if bar is None:
            return None

        def step(entry: Entry) -> None:
            bar.update(1)

        return step

    def __exit__(self, *exc: object) -> None:
        if self.bar:
            self.bar.close()


def _print_summary(report: Report, out: Path) -> None:
    verb = "would write to" if report.dry_run else "wrote to"
    click.echo(f"wp-migrate: {verb} {out}")
    for line in report.summary_lines():
        click.echo(line)


@cli.command()
@_export_argument
@_source_options
@_rule_options
@friendly_errors
def inspect(export: Path | None, mappings: tuple[Path, ...], no_default_rules: bool, from_site: str | None = None,
            api: str = "auto", from_html: Path | None = None, config_path: Path | None = None,
            timeout: float | None = None, allow_insecure: bool = False) -> None:
    """Show what an export (or a live site, or saved pages) holds: post types, statuses, comments, authors,
    terms, shortcodes, blocks, and what the boilerplate rules would remove."""
    rules = load_rules(mappings, defaults=not no_default_rules)
    if export is None and not from_site and from_html is None:
        raise MigrateError("nothing to inspect", hint="name an export, or give --from-site URL or --from-html PATH")
    source = _open_input(export, from_site, api, from_html, config_path, timeout, rules,
                         allow_insecure=allow_insecure)
    inv = inventory(source, rules)
    site = inv.site
    kind = f"WXR {site.wxr_version or '?'}" if not (from_site or from_html) else (
        getattr(source, "api", "XML-RPC") if from_site else "saved pages")
    click.echo(f"{site.title or '(untitled site)'} — {site.link} ({kind})")
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
            unknown = " (unknown: kept as text)" if label == "shortcodes" and name not in KNOWN_SHORTCODES else ""
            click.echo(f"  {name:<20} {n}{unknown}")
    removed = sum(inv.boilerplate.values())
    changed = len(inv.boilerplate_posts)
    click.echo(f"boilerplate the rules would remove: {removed} in {changed} post{'s' if changed != 1 else ''}")
    for name, n in sorted(inv.boilerplate.items(), key=lambda kv: (-kv[1], kv[0])):
        posts = inv.boilerplate_rule_posts[name]
        click.echo(f"  {name:<28} {n:>5} in {posts} post{'s' if posts != 1 else ''}")
    if inv.boilerplate_kept:
        click.echo(f"  kept, because nothing else would remain: {inv.boilerplate_kept} post(s)")
    for note in getattr(source, "notes", []):
        click.echo(f"note: {note}")


@cli.group()
def mappings() -> None:
    """Rule files (mappings/*.yaml): boilerplate, fields, names, selection."""


@mappings.command("check")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@friendly_errors
def mappings_check(file: Path) -> None:
    """Validate a rule file (and the files it extends); exit 2 naming the key when it is wrong."""
    rules = check_file(file)
    click.echo(f"{file}: ok")
    for line in rules.describe():
        click.echo(f"  {line}")


def _site_command_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """The options ``publish`` and ``clean`` share."""
    option: Any  # click.option decorators and our groups of them (a list mypy types as list[function])
    for option in reversed([
        click.option("--site", "site_url", required=True, metavar="URL", help="The WordPress site."),
        _site_options,
        click.option("--dry-run", is_flag=True, help="Run everything, change nothing; report what would change."),
        click.option("--check", is_flag=True, help="Exit 1 when anything would change (implies --dry-run)."),
        click.option("--diff", "show_diff", is_flag=True, help="Print a unified diff of each change."),
        click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path),
                     help="Also save the run's report to this file: .html (a page for a browser) or .json."),
        click.option("--backup-dir", type=click.Path(file_okay=False, path_type=Path),
                     default=Path("wp-migrate-backups"), show_default=True,
                     help="Where posts are saved before they are overwritten."),
        _rule_options,
        click.option("--quiet", "-q", is_flag=True, help="Print only the summary."),
    ]):
        fn = option(fn)
    return fn


def _finish_site_run(report: Report, verb: str, where: str, show_diff: bool, report_path: Path | None,
                     check: bool) -> None:
    if show_diff:
        for entry in report.iter_entries():
            if entry.diff:
                click.echo(entry.diff, nl=False)
    if report.dry_run:
        click.echo(f"wp-migrate: dry run, nothing was changed: {where}")
    else:
        click.echo(f"wp-migrate: {verb} {where}")
    for line in report.summary_lines():
        click.echo(line)
    if report_path:
        write_report(report, report_path)
    sys.exit(report.exit_code(check=check))


@cli.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@_site_command_options
@click.option("--field-prefix", default="wp_migrate_", show_default=True,
              help="Structured front-matter fields become custom fields named PREFIX<key>.")
@click.option("--comments", "comments_mode", type=click.Choice([m for m in COMMENT_MODES if m != "section"]),
              default="front-matter", show_default=True, help="As the folder was converted: where comments went.")
@click.option("--figure-style", type=click.Choice(["markdown", "html"]), default="markdown",
              show_default=True, help="As the folder was converted: how captioned images were written.")
@click.option("--allow-unsafe-html", is_flag=True,
              help="Trust the folder's own markup: send the HTML its Markdown gives as it is (by default it is "
                   "cleaned as convert cleans a post: no script, no player but known video sites', no javascript: "
                   "URL).")
@friendly_errors
def publish(folder: Path, site_url: str, config_path: Path | None, timeout: float | None, allow_insecure: bool,
            dry_run: bool,
            check: bool, show_diff: bool, report_path: Path | None, backup_dir: Path,
            mappings: tuple[Path, ...], no_default_rules: bool, quiet: bool, field_prefix: str,
            comments_mode: str, figure_style: str, allow_unsafe_html: bool = False) -> None:
    """Publish converted posts (Markdown + front matter) back to a WordPress site.

    Each file updates its post in place (matched by wordpress_id, else by slug) or creates it; only
    what changed is sent, and every post is backed up before it is overwritten. Give the rule files
    and --comments/--figure-style the folder was converted with.
    """
    from .extract.xmlrpc import SiteClient
    from .publish import Publisher

    dry_run = dry_run or check
    if report_path:
        check_report_path(report_path)
    client = SiteClient(_site_settings(site_url, config_path, timeout, allow_insecure=allow_insecure)).connect()
    options = Options(rules=load_rules(mappings, defaults=not no_default_rules), comments=comments_mode,
                      figure_style=figure_style, allow_unsafe_html=allow_unsafe_html)
    publisher = Publisher(client, folder, dry_run=dry_run, backup_dir=backup_dir, prefix=field_prefix,
                          options=options)
    with _progress(sum(1 for _ in folder.rglob("*.md")), quiet) as on_entry:
        report = publisher.run(on_entry)
    _finish_site_run(report, "published to", client.url, show_diff, report_path, check)


@cli.command()
@_site_command_options
@click.option("--id", "only_ids", type=click.IntRange(min=1), multiple=True, metavar="ID",
              help="Clean only the post with this id (repeatable). [default: every post]")
@friendly_errors
def clean(site_url: str, config_path: Path | None, timeout: float | None, allow_insecure: bool, dry_run: bool,
          check: bool,
          show_diff: bool, report_path: Path | None, backup_dir: Path, mappings: tuple[Path, ...],
          no_default_rules: bool, quiet: bool, only_ids: tuple[int, ...]) -> None:
    """Remove boilerplate from the posts of a WordPress site, in place.

    Reads every post over XML-RPC, runs the boilerplate rules on the content as WordPress stores it,
    and publishes back the posts that changed (backing each up first).
    """
    from .extract.xmlrpc import SiteClient
    from .publish import clean as clean_site

    dry_run = dry_run or check
    if report_path:
        check_report_path(report_path)
    client = SiteClient(_site_settings(site_url, config_path, timeout, allow_insecure=allow_insecure)).connect()
    options = Options(rules=load_rules(mappings, defaults=not no_default_rules))
    with _progress(0, quiet) as on_entry:
        report = clean_site(client, dry_run=dry_run, backup_dir=backup_dir, options=options,
                            only=set(only_ids) or None, on_entry=on_entry)
    _finish_site_run(report, "cleaned", client.url, show_diff, report_path, check)


@cli.command()
@click.argument("site", type=click.Path(file_okay=False, path_type=Path))
@click.option("--generator", type=click.Choice(["hugo", "jekyll"]), default=None,
              help="The generator to build with. [default: from the folder's configuration file]")
@friendly_errors
def verify(site: Path, generator: str | None) -> None:
    """Build a converted folder (into a temporary folder) and check the built site stands alone: a page for every
    published post, nothing pointing at the old host, no local reference or redirect leading nowhere.

    Exit 0 when nothing was found, 1 when something was, 2 when the site could not be built.
    """
    from .verify import verify as run_verify

    verdict = run_verify(site, generator=generator)
    for line in verdict.lines():
        click.echo(line)
    click.echo(f"wp-migrate: {site}: " + ("ok: the site stands alone" if not verdict.problems
                                          else f"{verdict.problems} problem(s) found"))
    sys.exit(1 if verdict.problems else 0)


def main() -> None:
    cli(prog_name="wp-migrate")
