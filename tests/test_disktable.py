"""The run's on-disk tables (migrate.disktable) behave as the dicts and sets they replace."""

from migrate.disktable import DiskTables
from migrate.links import LinkMap
from migrate.model import Site


def test_tables_keep_the_first_row_or_the_last_and_the_order_added():
    db = DiskTables({"first": ("key", "value"), "last": ("key", "value"), "list_rows": ("a", "b")},
                    replace={"last"})
    for n in range(10_000):  # (more than a batch: rows written while others wait)
        db.append("first", (f"k{n % 7000}", n))
        db.append("last", (f"k{n % 7000}", n))
        db.append("list_rows", (n % 3, f"r{n}"))
    first, last = db.table("first"), db.table("last")
    assert first.get("k5") == 5 and last.get("k5") == 7005
    assert len(first) == 7000 and "k6999" in first and "k7000" not in first
    assert [row[1] for row in db.table("list_rows")][:4] == ["r0", "r1", "r2", "r3"]
    assert len(db.table("list_rows")) == 10_000
    assert first.add("new", 1) is True and first.add("new", 2) is False and first.get("new") == 1
    assert first.pop("new") == 1 and "new" not in first and first.pop("new", "gone") == "gone"
    db.close()


def test_link_map_keeps_any_post_id_and_unicode_paths():
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


def test_disk_dict_is_a_dict_in_order_and_crosses_to_another_process():
    import pickle

    from migrate.disktable import DiskDict
    from migrate.extract.wxr import Attachment, ExportIndex

    index = ExportIndex()
    for n in range(5000, 0, -1):
        index.tree[n] = (f"post-{n}", n // 2, "page" if n % 3 else "post")
    index.tree[4999] = ("again", 0, "post")  # (set again: keeps its place, takes the new value)
    index.attachments[7] = Attachment(url="https://example.org/a.jpg", caption="<b>c</b>", menu_order=2)
    assert list(index.tree)[:3] == [5000, 4999, 4998] and index.tree[4999] == ("again", 0, "post")
    assert len(index.tree) == 5000 and 0 not in index.tree and "5000" not in index.tree
    copy = pickle.loads(pickle.dumps(index))  # (the first pass's parts come back to the main process so)
    assert isinstance(copy.tree, DiskDict) and list(copy.tree.items()) == list(index.tree.items())
    assert copy.attachments[7] == index.attachments[7] and copy == index
    by_path = DiskDict(("line",), int_keys=False)
    by_path["content/posts/a.md"] = "x"
    assert by_path.get("content/posts/a.md") == "x" and 1 not in by_path and list(by_path) == ["content/posts/a.md"]
    del by_path["content/posts/a.md"]
    assert dict(by_path) == {}
