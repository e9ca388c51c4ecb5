"""One contract every loader passes (as scrapy tests its exporters): a base class of tests, and one subclass per
loader that says how to make it, how to make an item for post ``n`` with a given text, and how to read back
what the loader's target holds. Each loader is tested writing, and as its dry run (which must say the same
outcomes and write nothing)."""

from __future__ import annotations

import xmlrpc.client
from pathlib import Path
from typing import Any

import pytest

from migrate import pipeline
from migrate.context import Outcome, Rendered
from migrate.errors import MigrateError
from migrate.extract.xmlrpc import SiteClient, SiteError
from migrate.load.base import Change, DryRun, Loader
from migrate.load.directory import DirectoryLoader
from migrate.load.wordpress import WordPressLoader
from migrate.model import ExportIndex
from migrate.report import Report
from tests.wordpress.wp import WordPress

from .test_xmlrpc import settings_for


class LoaderContract:
    """The tests; subclasses give the hooks below. ``dry``: the loader under test is the dry-run one."""

    dry = False

    @pytest.fixture(autouse=True)
    def _setup(self, tmp_path: Path, request: pytest.FixtureRequest) -> None:
        self.tmp = tmp_path
        self.request = request
        self.setup()

    # -- hooks
    def setup(self) -> None:
        pass

    def open(self, dry: bool) -> Loader[Any]:
        raise NotImplementedError

    def item(self, n: int, text: str) -> Any:
        """What the run's stages would give the loader for post ``n`` holding ``text``."""
        raise NotImplementedError

    def broken(self, n: int) -> Any:
        """An item for post ``n`` that cannot be written."""
        raise NotImplementedError

    def stored(self, n: int) -> str | None:
        """What the target holds for post ``n`` (None: nothing)."""
        raise NotImplementedError

    def finish(self, loader: Loader[Any]) -> None:
        loader.close()

    # -- helpers
    def written_run(self, texts: dict[int, str]) -> None:
        """A run that writes (the state a dry run is then compared with)."""
        loader = self.open(False)
        for n, text in texts.items():
            assert loader.load(self.item(n, text)).outcome == "new"
        self.finish(loader)

    # -- the contract
    def test_a_new_post_is_new(self) -> None:
        loader = self.open(self.dry)
        assert loader.dry_run is self.dry
        written = loader.load(self.item(1, "first text"))
        assert written.outcome == "new"
        self.finish(loader)
        assert self.stored(1) == (None if self.dry else "first text")

    def test_the_same_post_again_is_unchanged_and_a_changed_one_updated(self) -> None:
        self.written_run({1: "one", 2: "two"})
        loader = self.open(self.dry)
        assert loader.load(self.item(1, "one")).outcome == "unchanged"
        changed = loader.load(self.item(2, "two, changed"))
        assert changed.outcome == "updated"
        self.finish(loader)
        assert self.stored(1) == "one"
        assert self.stored(2) == ("two" if self.dry else "two, changed")

    def test_a_post_that_cannot_be_written_raises_a_migrate_error_and_the_run_goes_on(self) -> None:
        loader = self.open(self.dry)
        report = Report(dry_run=self.dry)

        class Given(pipeline.Steps[Any, Any]):
            def about(self, item: Any, /) -> dict[str, Any]:
                return {"id": None, "title": "t"}

            def __call__(self, item: Any, /) -> Any:
                return item

        items = [self.item(1, "fine"), self.broken(2), self.item(3, "fine too")]
        if self.dry:
            # A dry run writes nothing, so it cannot find out that a write would fail: it says what it would do.
            pipeline.run(items, Given(), loader, report)
            assert report.counts["failed"] == 0
        else:
            with pytest.raises(MigrateError):
                loader.load(items[1])
            pipeline.run([items[0], items[2]], Given(), loader, report)
            assert report.counts == {"new": 2}
        self.finish(loader)
        assert self.stored(3) == (None if self.dry else "fine too")

    def test_a_failed_post_keeps_what_an_earlier_run_wrote(self) -> None:
        self.written_run({1: "kept", 2: "two"})
        loader = self.open(self.dry)
        loader.failed(1, "content is 12 MB, over the limit")
        loader.load(self.item(2, "two"))
        self.finish(loader)
        assert self.stored(1) == "kept"


# ------------------------------------------------------------------------------------------ a folder


class FolderContract(LoaderContract):
    def setup(self) -> None:
        self.out = self.tmp / "site"
        self.layout = pipeline.make_layout("hugo", ExportIndex())

    def open(self, dry: bool) -> Loader[Any]:
        return pipeline.PostFiles(DirectoryLoader(self.out, self.layout, dry_run=dry))

    def item(self, n: int, text: str) -> Any:
        document = f"---\ntitle: p{n}\n---\n\n{text}\n"
        return Outcome(n, f"post {n}", "post", Rendered(f"content/posts/p{n}.md", document)), None

    def broken(self, n: int) -> Any:
        (self.out / "content").mkdir(parents=True, exist_ok=True)
        (self.out / "content" / "blocked").write_text("a file where a folder should be")
        return Outcome(n, f"post {n}", "post", Rendered("content/blocked/p.md", "x\n")), None

    def stored(self, n: int) -> str | None:
        path = self.out / "content" / "posts" / f"p{n}.md"
        return path.read_text().split("---\n\n", 1)[1].rstrip("\n") if path.exists() else None

    def finish(self, loader: Loader[Any]) -> None:
        files = loader.files  # type: ignore[attr-defined]
        files.fix_aliases()
        files.sync()  # (removes the files of posts not written: a failed post's must stay)
        loader.close()


class TestFolder(FolderContract):
    pass


class TestFolderDryRun(FolderContract):
    dry = True

    def test_what_would_change_is_recorded(self) -> None:
        self.written_run({1: "one", 2: "two", 3: "three"})
        loader = self.open(True)
        loader.load(self.item(1, "one"))
        loader.load(self.item(2, "two, changed"))
        loader.load(self.item(4, "four"))
        self.finish(loader)  # (3 is no longer written: its file would be removed)
        disk = loader.files.disk  # type: ignore[attr-defined]
        assert [(kind, Path(path).relative_to(self.out).as_posix()) for kind, path in disk.changes] == [
            ("write", "content/posts/p2.md"), ("write", "content/posts/p4.md"), ("remove", "content/posts/p3.md")]
        assert self.stored(3) == "three" and self.stored(4) is None


# ------------------------------------------------------------------------------------------ a WordPress site


class FakeSite:
    """The few XML-RPC calls the loader makes, on posts held in memory."""

    url = "http://site.example"

    def __init__(self) -> None:
        self.posts: dict[int, dict[str, Any]] = {}

    def get_post(self, post_id: int, fields: Any = None) -> dict[str, Any] | None:
        post = self.posts.get(post_id)
        return dict(post) if post is not None else None

    def call(self, method: Any, *, idempotent: bool = True) -> Any:
        name = method.method_name
        if name == "wp.newPost":
            post_id = 100 + len(self.posts)
            self.posts[post_id] = {"post_id": str(post_id), **method.content}
            return str(post_id)
        if name == "wp.editPost":
            if method.post_id not in self.posts:
                error = SiteError(f"{self.url}: wp.editPost failed: Invalid post ID. (fault 404)")
                error.__cause__ = xmlrpc.client.Fault(404, "Invalid post ID.")
                raise error
            self.posts[method.post_id].update(method.content)
            return True
        if name == "wp.getPost":
            return self.get_post(method.post_id)
        raise AssertionError(name)


class SiteContract(LoaderContract):
    ids: dict[int, int]

    def make_client(self) -> Any:
        raise NotImplementedError

    def setup(self) -> None:
        self.client = self.make_client()
        self.ids = {}
        self.tag = self.tmp.name[-10:]

    def open(self, dry: bool) -> Loader[Any]:
        loader = _Tracking(WordPressLoader(self.client, backup_dir=self.tmp / "backups"), self.ids)
        return DryRun(loader) if dry else loader

    def item(self, n: int, text: str) -> Any:
        post_id = self.ids.get(n)
        if post_id is None:
            return Change(None, {"post_title": f"contract {n} {self.tag}", "post_content": text,
                                 "post_status": "draft"}, path=f"p{n}.md", reason=str(n))
        before = self.client.get_post(post_id)
        fields = {} if before["post_content"] == text else {"post_content": text}
        return Change(post_id, fields, before, path=f"p{n}.md")

    def broken(self, n: int) -> Any:
        return Change(2_000_000_000, {"post_content": "x"}, {"post_id": "2000000000"}, path=f"p{n}.md")

    def stored(self, n: int) -> str | None:
        post_id = self.ids.get(n)
        post = self.client.get_post(post_id) if post_id is not None else None
        return str(post["post_content"]) if post else None


class _Tracking:
    """The loader, noting which post each new item became (as publish remembers it in the folder's record)."""

    def __init__(self, loader: WordPressLoader, ids: dict[int, int]) -> None:
        self.loader, self.ids, self.dry_run = loader, ids, False

    def load(self, change: Change) -> Any:
        written = self.loader.load(change)
        if change.post_id is None and written.id is not None:
            self.ids[int(change.reason)] = written.id
        return written

    def preview(self, change: Change) -> Any:
        return self.loader.preview(change)

    def skipped(self, post_id: int | None, reason: str) -> None:
        self.loader.skipped(post_id, reason)

    def failed(self, post_id: int | None, reason: str) -> None:
        self.loader.failed(post_id, reason)

    def close(self) -> None:
        self.loader.close()


class FakeSiteContract(SiteContract):
    def make_client(self) -> Any:
        return FakeSite()


class TestWordPressLoader(FakeSiteContract):
    def test_an_overwritten_post_is_backed_up_first(self) -> None:
        self.written_run({1: "original"})
        loader = self.open(False)
        loader.load(self.item(1, "new text"))
        backups = list((self.tmp / "backups").rglob("*.html"))
        assert [p.read_text() for p in backups] == ["original"]


class TestWordPressLoaderDryRun(FakeSiteContract):
    dry = True

    def test_what_would_change_is_recorded(self) -> None:
        self.written_run({1: "one"})
        loader = self.open(True)
        loader.load(self.item(1, "one"))
        loader.load(self.item(1, "one, changed"))
        loader.load(self.item(2, "two"))
        assert [(w.outcome, w.path) for w in loader.changes] == [("updated", "p1.md"), ("new", "p2.md")]  # type: ignore[attr-defined]
        assert not (self.tmp / "backups").exists()


class RealSiteContract(SiteContract):
    @pytest.fixture(autouse=True)
    def _site(self, wordpress: WordPress) -> None:
        self.wordpress = wordpress

    def make_client(self) -> Any:
        return SiteClient(settings_for(self.request.getfixturevalue("wordpress"))).connect()


class TestWordPressLoaderOnARealSite(RealSiteContract):
    pass


class TestWordPressLoaderDryRunOnARealSite(RealSiteContract):
    dry = True
