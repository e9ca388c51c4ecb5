"""The run's spooled tables (migrate.disktable) behave as the dicts and sets they replace, in memory and on disk."""

import multiprocessing
import os
import pickle
import sys

import pytest

from migrate import disktable
from migrate.disktable import DiskDict, DiskTables
from migrate.links import LinkMap
from migrate.model import Site


@pytest.fixture(params=["0", "10000000"], ids=["on-disk", "in-memory"])
def spill(request, monkeypatch):
    """Every test below runs with the tables on disk from the start, and with them in memory throughout."""
    monkeypatch.setenv("WP_MIGRATE_SPILL_ROWS", request.param)
    return int(request.param)


def on_disk(table) -> bool:
    return (table.db if hasattr(table, "db") else table)._mem is None


def test_tables_keep_the_first_row_or_the_last_and_the_order_added(spill):
    db = DiskTables({"first": ("key", "value"), "last": ("key", "value"), "list_rows": ("a", "b")},
                    replace={"last"})
    for n in range(10_000):  # (more than a batch: rows written while others wait)
        db.append("first", (f"k{n % 7000}", n))
        db.append("last", (f"k{n % 7000}", n))
        db.append("list_rows", (n % 3, f"r{n}"))
    first, last = db.table("first"), db.table("last")
    assert on_disk(first) is (spill == 0)
    assert first.get("k5") == 5 and last.get("k5") == 7005
    assert len(first) == 7000 and "k6999" in first and "k7000" not in first
    assert [row[1] for row in db.table("list_rows")][:4] == ["r0", "r1", "r2", "r3"]
    assert len(db.table("list_rows")) == 10_000
    assert first.add("new", 1) is True and first.add("new", 2) is False and first.get("new") == 1
    assert first.pop("new") == 1 and "new" not in first and first.pop("new", "gone") == "gone"
    db.close()


def test_link_map_keeps_any_post_id_and_unicode_paths(spill):
    links = LinkMap(Site(title="t", link="https://example.org"), "hugo")
    huge = 1 << 70  # (a broken export's id: larger than SQLite's integers)
    links.add(huge, "https://example.org/big/", "", "/posts/big/")
    links.add(7, "https://example.org/caf%C3%A9/", "", "/posts/cafe/", "page")
    links.add(8, "https://example.org/draft/", "", None)
    assert links.new_url(huge) == (True, "/posts/big/") and links.new_url(9) == (False, None)
    assert links.target("https://example.org/café/#top") == ("/posts/cafe/#top", True)
    assert links.target("/?page_id=7") == ("/posts/cafe/", True)
    assert links.target("https://example.org/draft/") == (None, True)
    assert links.post_type(7) == "page" and links.post_type(huge) == "post"
    assert list(links.old_paths()) == [(huge, "/big/"), (7, "/caf%C3%A9/"), (8, "/draft/")]
    links.close()


def test_disk_dict_is_a_dict_in_order_and_crosses_to_another_process(spill):
    from migrate.extract.wxr import Attachment, ExportIndex

    index = ExportIndex()
    for n in range(5000, 0, -1):
        index.tree[n] = (f"post-{n}", n // 2, "page" if n % 3 else "post")
    index.tree[4999] = ("again", 0, "post")  # (set again: keeps its place, takes the new value)
    index.attachments[7] = Attachment(url="https://example.org/a.jpg", caption="<b>c</b>", menu_order=2)
    assert on_disk(index.tree) is (spill == 0)
    assert list(index.tree)[:3] == [5000, 4999, 4998] and index.tree[4999] == ("again", 0, "post")
    assert len(index.tree) == 5000 and 0 not in index.tree and "5000" not in index.tree
    copy = pickle.loads(pickle.dumps(index))  # (the first pass's parts come back to the main process so)
    assert isinstance(copy.tree, DiskDict) and list(copy.tree.items()) == list(index.tree.items())
    assert on_disk(copy.tree) is (spill == 0)  # (in memory: crossed as a database file, read back into memory)
    assert copy.attachments[7] == index.attachments[7] and copy == index
    by_path = DiskDict(("line",), int_keys=False)
    by_path["content/posts/a.md"] = "x"
    assert by_path.get("content/posts/a.md") == "x" and 1 not in by_path and list(by_path) == ["content/posts/a.md"]
    del by_path["content/posts/a.md"]
    assert dict(by_path) == {}


def fill(tables, tree, start, stop):
    for n in range(start, stop):
        tables.append("first", (f"k{n % 700}", n))
        tables.append("last", (f"k{n % 700}", n))
        tables.append("list_rows", (n % 3, f"r{n}"))
        tree[n % 900] = (f"post-{n}", n)


def test_tables_move_to_disk_once_past_the_threshold_and_keep_their_rows(monkeypatch):
    monkeypatch.setenv("WP_MIGRATE_SPILL_ROWS", "2000")
    columns = {"first": ("key", "value"), "last": ("key", "value"), "list_rows": ("a", "b")}
    tables, tree = DiskTables(columns, replace={"last"}), DiskDict(("slug", "num"))
    fill(tables, tree, 0, 300)  # (1,200 rows: under the threshold, all in memory)
    assert not on_disk(tables.table("first")) and not on_disk(tree)
    iterating = iter(tree.items())
    assert next(iterating) == (0, ("post-0", 0))
    fill(tables, tree, 300, 1000)  # (past it: both move, mid-way; then go on on disk)
    assert on_disk(tables.table("first")) and on_disk(tree)
    assert next(iterating) == (1, ("post-901", 901))  # (an iteration begun in memory goes on, current values)
    # the same as tables filled in memory throughout
    monkeypatch.setenv("WP_MIGRATE_SPILL_ROWS", "10000000")
    tables2, tree2 = DiskTables(columns, replace={"last"}), DiskDict(("slug", "num"))
    fill(tables2, tree2, 0, 1000)
    assert not on_disk(tree2)
    for name in columns:
        assert list(tables.table(name)) == list(tables2.table(name)) and len(tables.table(name)) == 1000 - 300 * (
            name != "list_rows")
    assert list(tree.items()) == list(tree2.items()) and len(tree) == 900
    assert tables.table("first").get("k5") == 5 and tables.table("last").get("k5") == 705
    del tree[3], tree2[3]
    with pytest.raises(KeyError):
        del tree[3]
    assert pickle.loads(pickle.dumps(tree)) == dict(tree2) and 3 not in tree
    tables.close(), tables2.close(), tree.close()


def test_spill_rows_reads_the_environment(monkeypatch):
    monkeypatch.setenv("WP_MIGRATE_SPILL_ROWS", "25_000")
    assert disktable.spill_rows() == 25_000
    monkeypatch.delenv("WP_MIGRATE_SPILL_ROWS")
    assert disktable.spill_rows() == disktable.SPILL_ROWS
    monkeypatch.setenv("WP_MIGRATE_SPILL_ROWS", "lots")
    with pytest.raises(ValueError, match="WP_MIGRATE_SPILL_ROWS"):
        disktable.spill_rows()


def _read_in_child(tables, tree, out):
    # (a forked child: must not use its parent's connection; it reads, and writes, a copy of its own)
    first = tables.table("first")
    tree[99_999] = ("child", 1)
    first.add("child", 1)
    out.put((os.getpid(), first.get("k5"), len(first), len(tree), tree[7], [row[0] for row in first][:3],
             tables._pid == os.getpid(), tree._pid == os.getpid()))


@pytest.mark.skipif(sys.platform == "win32", reason="fork")
def test_a_forked_child_copies_the_database_and_leaves_the_parents_alone(spill):
    tables = DiskTables({"first": ("key", "value")})
    tree = DiskDict(("slug", "num"))
    for n in range(6000):
        tables.append("first", (f"k{n}", n))
        tree[n] = (f"post-{n}", n)
    first = tables.table("first")
    assert first.get("k5") == 5  # (the parent has used its connection before the fork)
    context = multiprocessing.get_context("fork")
    out = context.Queue()
    child = context.Process(target=_read_in_child, args=(tables, tree, out))
    child.start()
    pid, k5, count, tree_count, seven, firsts, own_tables, own_tree = out.get(timeout=60)
    child.join(60)
    assert child.exitcode == 0 and pid != os.getpid()
    assert (k5, count, tree_count, seven, firsts) == (5, 6001, 6001, ("post-7", 7), ["child", "k0", "k1"])
    assert own_tables is (spill == 0) and own_tree is (spill == 0)  # (on disk: its own database, copied)
    # the parent's tables: as they were, and still usable
    assert "child" not in first and 99_999 not in tree and len(first) == 6000 and len(tree) == 6000
    first.add("parent", 2)
    tree[6000] = ("parent", 2)
    assert first.get("parent") == 2 and tree[6000] == ("parent", 2)
    path = tables._path
    tables.close()
    assert path is None or not os.path.exists(path)


def _use_copy_again(tree, out):
    tree.get(1)
    context = multiprocessing.get_context("fork")
    child = context.Process(target=_grandchild, args=(tree, out))
    child.start()
    child.join(60)


def _grandchild(tree, out):
    try:
        tree.get(2)
    except RuntimeError as error:
        out.put(str(error))
    else:
        out.put("no error")


@pytest.mark.skipif(sys.platform == "win32", reason="fork")
def test_a_copy_in_a_forked_child_refuses_a_second_fork(monkeypatch):
    monkeypatch.setenv("WP_MIGRATE_SPILL_ROWS", "0")
    tree = DiskDict(("slug",))
    tree[1] = "a"
    context = multiprocessing.get_context("fork")
    out = context.Queue()
    child = context.Process(target=_use_copy_again, args=(tree, out))
    child.start()
    message = out.get(timeout=60)
    child.join(60)
    assert "forked process" in message and tree[1] == "a"
