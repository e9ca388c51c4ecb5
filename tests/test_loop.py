"""The one per-post loop (pipeline.run): every command's posts go through it, and it alone catches and counts a
post that is left out or fails — the run goes on, every item accounted for."""

from __future__ import annotations

import xmlrpc.client
from pathlib import Path
from typing import Any

import pytest

from migrate import pipeline, sources
from migrate.errors import MigrateError, SkipPost
from migrate.extract.xmlrpc import SiteClient, SiteError
from migrate.load.base import Written
from migrate.publish import FolderSource, Publisher
from migrate.report import Report
from tests.wordpress.wp import WordPress

from .test_publish import checksum
from .test_xmlrpc import settings_for


class Numbers(pipeline.Steps[int, str]):
    """Stages over numbers: 3 is left out, 4 is a bug, 5 cannot be written, 6 is the site gone away."""

    def about(self, item: int, /) -> dict[str, Any]:
        return {"id": item, "title": f"post {item}", "post_type": "post"}

    def __call__(self, item: int, /) -> str:
        if item == 3:
            raise SkipPost("a draft")
        if item == 4:
            raise KeyError("oops")
        if item == 6:
            error = SiteError("http://x: no answer")
            raise error
        return f"text {item}"


class Memory:
    """A loader that keeps what it is given."""

    dry_run = False

    def __init__(self) -> None:
        self.written: dict[str, str] = {}
        self.told: list[tuple[str, int | None, str]] = []

    def load(self, item: str) -> Written:
        if item == "text 5":
            raise MigrateError("disk full")
        self.written[item] = item
        return Written("new", f"{item}.md")

    def skipped(self, post_id: int | None, reason: str) -> None:
        self.told.append(("skipped", post_id, reason))

    def failed(self, post_id: int | None, reason: str) -> None:
        self.told.append(("failed", post_id, reason))

    def close(self) -> None:
        pass


def test_a_post_left_out_or_failing_is_counted_and_the_run_goes_on():
    loader, report, seen = Memory(), Report(), []
    pipeline.run([1, 2, 3, 4, 5, 7], Numbers(), loader, report, seen.append)
    assert report.counts == {"new": 3, "skipped": 1, "failed": 2}
    assert [e.outcome for e in seen] == ["new", "new", "skipped", "failed", "failed", "new"]
    assert sorted(loader.written) == ["text 1", "text 2", "text 7"]
    reasons = {e.id: e.reason for e in report.entries}
    assert reasons[3] == "a draft"
    assert reasons[4] == "internal error: KeyError: 'oops'"  # a bug on one post, named
    assert reasons[5] == "disk full"
    assert loader.told == [("skipped", 3, "a draft"), ("failed", 4, "internal error: KeyError: 'oops'"),
                           ("failed", 5, "disk full")]
    assert [e.path for e in report.entries if e.outcome == "new"] == ["text 1.md", "text 2.md", "text 7.md"]


def test_a_site_that_stops_answering_stops_the_run_but_a_refused_post_fails_alone():
    with pytest.raises(SiteError, match="no answer"):
        pipeline.run([1, 6, 7], Numbers(), Memory(), Report())
    refused = SiteError("http://x: wp.editPost failed: no (fault 401)")
    refused.__cause__ = xmlrpc.client.Fault(401, "no")
    assert not refused.stops_run and SiteError("x").stops_run and not MigrateError("x").stops_run


def test_the_folder_is_a_registered_source(tmp_path: Path):
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "a.md").write_text("---\ntitle: A\nwordpress_id: 4\ndraft: true\n---\n\nBody.\n")
    (tmp_path / "content" / "b.md").write_text("---\ntitle: [unclosed\n---\n")
    source = sources.open_source("folder", tmp_path)
    assert isinstance(source, FolderSource)
    [post] = list(source.posts())
    assert (post.id, post.title, post.status, post.body) == (4, "A", "draft", "Body.\n")
    good, (path, reason) = source.items()
    assert good.path == "content/a.md" and path == "content/b.md" and "not valid YAML" in reason
    with pytest.raises(MigrateError, match="no such folder"):
        sources.open_source("folder", tmp_path / "nothere")


def test_publish_of_a_folder_with_one_broken_file_publishes_the_rest(wordpress: WordPress, tmp_path: Path):
    """A file whose date cannot be sent (year 1 at UTC+14 is before year 1 in UTC) fails alone."""
    tag = tmp_path.name[-12:].replace("_", "-")
    folder = tmp_path / "site"
    (folder / "content").mkdir(parents=True)
    for name, date in (("a", "2020-01-02T03:04:05+00:00"), ("b", "0001-01-01T00:00:00+14:00"),
                       ("c", "2021-05-06T07:08:09+00:00")):
        (folder / "content" / f"{name}.md").write_text(
            f"---\ntitle: Loop {name} {tag}\ndate: {date}\nslug: loop-{name}-{tag}\n---\n\nPost {name}.\n")
    client = SiteClient(settings_for(wordpress)).connect()
    before = checksum(wordpress)
    dry = Publisher(client, folder, dry_run=True).run()
    assert dry.counts == {"new": 2, "failed": 1} and checksum(wordpress) == before
    report = Publisher(client, folder, backup_dir=tmp_path / "backups").run()
    assert report.counts == {"new": 2, "failed": 1}
    [failed] = [e for e in report.entries if e.outcome == "failed"]
    assert failed.path == "content/b.md" and "date 0001-01-01T00:00:00+14:00 is out of range" in failed.reason
    assert report.exit_code() == 2
    created = {e.path: e.id for e in report.entries if e.outcome == "new"}
    for name in ("a", "c"):
        post = client.get_post(created[f"content/{name}.md"])
        assert post is not None and post["post_title"] == f"Loop {name} {tag}"
    again = Publisher(client, folder, backup_dir=tmp_path / "backups").run()
    assert again.counts == {"unchanged": 2, "failed": 1}  # (the two published are remembered)


def test_clean_runs_the_stages_marked_as_selecting_or_cleaning(monkeypatch: pytest.MonkeyPatch):
    from migrate.context import cleans, selects
    from migrate.publish import clean_stages

    assert [(kind, stage.__name__) for kind, stage in clean_stages()] == [
        ("select", "select"), ("select", "select_by_rules"), ("html", "clean_html"), ("text", "clean_text")]

    @cleans
    def strip_signature(post, ctx):  # (a stage of a plugin: any module, any name)
        return post

    @selects
    def only_reviews(post, ctx):
        return post

    def selecting_nothing(post, ctx):  # (its name alone does not make it a selection)
        return post

    stages = [only_reviews, selecting_nothing, *pipeline.STAGES, strip_signature]
    monkeypatch.setattr(pipeline, "STAGES", stages)
    kinds = [(kind, stage.__name__) for kind, stage in clean_stages()]
    assert kinds[0] == ("select", "only_reviews") and kinds[-1] == ("text", "strip_signature")
    assert "selecting_nothing" not in dict((name, kind) for kind, name in kinds)
