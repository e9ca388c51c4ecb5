"""Several processes give what one gives: the first pass shared by parts of the file, and the conversion."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrate import pipeline
from migrate.errors import InputError
from migrate.extract import wxr
from migrate.extract.wxr import read_wxr

from .conftest import generated_export
from .wxrfactory import item, write_wxr


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> Path:
    return generated_export(tmp_path_factory.mktemp("export") / "export.xml", 300, seed=3)


@pytest.fixture
def serial_passes(monkeypatch) -> list[Path]:
    """Files read in one pass (by the process itself): every small file, and a big one whose parts failed.
    Parts are made of any file, however small."""
    monkeypatch.setattr(wxr, "_PART_BYTES", 1)
    passes: list[Path] = []
    one_pass = wxr.WxrExport._serial_pass

    def counted(self):
        passes.append(self.path)
        return one_pass(self)

    monkeypatch.setattr(wxr.WxrExport, "_serial_pass", counted)
    return passes


def learnt(path: Path, jobs: int):
    export = read_wxr(path, jobs=jobs)
    assert export._spans is not None
    return export.index, export.site, list(export._spans), export._wrapper


def test_parts_learn_what_one_pass_learns(export, serial_passes):
    one = learnt(export, 1)
    assert len(serial_passes) == 1
    for jobs in (2, 3, 7):
        assert learnt(export, jobs) == one
    assert len(serial_passes) == 1, "a part failed: the file was read in one pass"
    assert one[0].items > 300 and one[0].attachments and one[0].has_children


def test_what_parts_learn_is_joined_in_file_order(tmp_path, serial_passes):
    """Attachments of one parent in several parts, an id given twice (the later wins), a reusable block, and
    channel fields, authors and terms among and after the items: the same index and site as one pass."""
    term = ("<wp:term><wp:term_id>{n}</wp:term_id><wp:term_taxonomy>genre</wp:term_taxonomy>"
            "<wp:term_slug>g{n}</wp:term_slug><wp:term_name><![CDATA[Genre {n}]]></wp:term_name></wp:term>")
    items = []
    for n in range(1, 13):
        items.append(item(n, f"Post {n}", parent=100 if n % 3 == 0 else 0))
        items.append(item(200 + n, f"Photo {n}", post_type="attachment", parent=1 + n % 2,
                          extra=f"<wp:attachment_url>https://e.org/{n}.jpg</wp:attachment_url>"))
        if n % 4 == 0:
            items.append(term.format(n=n))
            items.append(f"<language>lang-{n}</language>")
    items.append(item(5, "Post 5 again", slug="again"))
    items.append(item(300, "A block", post_type="wp_block", content="<!-- wp:paragraph --><p>Hi</p>"))
    path = write_wxr(tmp_path / "e.xml", items)
    one = learnt(path, 1)
    for jobs in (2, 4, 9):
        assert learnt(path, jobs) == one
    assert len(serial_passes) == 1
    index, site = one[0], one[1]
    assert index.tree[5][0] == "again" and index.attachments_by_parent[1] == [202, 204, 206, 208, 210, 212]
    assert [t.slug for t in site.terms] == ["g4", "g8", "g12"] and site.language == "lang-12"


# An "<item>" that is not an item's start at channel level, and the text just before it.
TRAPS = {
    "in CDATA": (item(3, content="before <item>after"), "before "),
    "in a comment": ("<!-- <item> -->" + item(3), "<!-- "),
    "inside another element": (item(3, extra="<wp:postmeta><item><title>in</title></item></wp:postmeta>"),
                               "<wp:postmeta>"),
    "in a processing instruction": ("<?note <item> ?>" + item(3), "<?note "),
}


@pytest.mark.parametrize("trap", TRAPS)
def test_a_cut_that_is_not_between_items_reads_the_file_in_one_pass(tmp_path, monkeypatch, serial_passes, trap):
    text, before = TRAPS[trap]
    path = write_wxr(tmp_path / "e.xml", [item(1), item(2), text, item(4)])
    at = path.read_bytes().index(before.encode()) + len(before)
    monkeypatch.setattr(wxr, "_cuts", lambda *a: [at])  # where the file is cut into parts
    one = learnt(path, 1)
    assert learnt(path, 2) == one
    assert len(serial_passes) == 2, "the parts were not refused"
    assert [p.id for p in read_wxr(path, jobs=2).posts()] == [1, 2, 3, 4]


def test_a_broken_file_gets_the_error_one_pass_gives(tmp_path, serial_passes):
    path = write_wxr(tmp_path / "e.xml", [item(n) for n in range(1, 8)] + [item(8, "Fish & chips")]
                     + [item(n) for n in range(9, 12)])
    with pytest.raises(InputError) as one:
        read_wxr(path, jobs=1)
    with pytest.raises(InputError) as parts:
        read_wxr(path, jobs=3)
    assert str(parts.value) == str(one.value) and "line" in str(one.value)


def test_a_file_in_another_encoding_is_read_in_one_pass(tmp_path, serial_passes):
    path = write_wxr(tmp_path / "e.xml", [item(n, "Café") for n in range(1, 6)])
    path.write_bytes(path.read_text().replace("UTF-8", "ISO-8859-1").encode("latin-1"))
    export = read_wxr(path, jobs=2)
    assert len(serial_passes) == 1 and [p.title for p in export.posts()] == ["Café"] * 5


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_conversion_in_several_processes_writes_what_one_writes(export, tmp_path, serial_passes):
    one = pipeline.convert(read_wxr(export), tmp_path / "one")
    two = pipeline.convert(read_wxr(export, jobs=2), tmp_path / "two", jobs=2)
    assert one.counts == two.counts and two.counts["new"] > 300
    assert tree(tmp_path / "two") == tree(tmp_path / "one")


@pytest.mark.parametrize("cls", [pipeline.Outcome, pipeline.Rendered])
def test_results_sent_from_the_workers_arrive_whole(cls):
    """Outcome and Rendered pickle as plain values (for speed): every field must make the trip."""
    import dataclasses
    import pickle

    sent = cls(**{f.name: f"value of {f.name}" for f in dataclasses.fields(cls)})
    assert pickle.loads(pickle.dumps(sent)) == sent
