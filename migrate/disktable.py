"""Tables of one run that grow with the export, kept on disk: a private temporary SQLite database.

The main process learns something about every item (the file each post claimed, the old URLs and new URL of
each, the old URLs other posts redirect from) and consults it until the end of the run. Held as Python dicts
and sets of strings, that is some 1.5 KB a post: 300 MB at 200,000 posts. In a temporary SQLite database
(the standard library's ``sqlite3``; ``connect("")``: a file of its own, deleted when it is closed) at most
``cache_kib`` of its pages stay in memory, whatever the size of the export, and a lookup costs a few
microseconds. Rows added are buffered and written in batches (:meth:`DiskTables.flush` before any read).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

_BATCH = 4096  # rows buffered before they are written


class DiskTables:
    """One temporary database; ``tables`` maps a table's name to its columns (the first is the key, unique; a
    table named ``list_…`` has no key and keeps its rows in the order added). A row added with a key already
    there is left out, but in the tables named in ``replace``, where it replaces the one there."""

    def __init__(self, tables: dict[str, Sequence[str]], *, replace: Iterable[str] = (), cache_kib: int = 2048) -> None:
        replace = set(replace)
        self._db = sqlite3.connect("", isolation_level=None, check_same_thread=False)
        self._db.execute(f"PRAGMA cache_size = -{int(cache_kib)}")
        self._db.execute("PRAGMA journal_mode = OFF")
        self._db.execute("PRAGMA synchronous = OFF")
        self._db.execute("PRAGMA temp_store = FILE")
        self._pending: dict[str, list[tuple[Any, ...]]] = {}
        self._filled: set[str] = set()  # tables that may hold rows (a lookup in the others costs nothing)
        self._insert: dict[str, str] = {}
        for name, columns in tables.items():
            key, *rest = columns
            ordered = name.startswith("list_")  # rows kept in the order added, no key
            if ordered:
                self._db.execute(f"CREATE TABLE {name} ({', '.join(columns)})")
            else:
                cols = ", ".join([f"{key} PRIMARY KEY", *rest])
                self._db.execute(f"CREATE TABLE {name} ({cols}) WITHOUT ROWID")
            verb = "INSERT OR REPLACE" if name in replace else "INSERT OR IGNORE"
            self._insert[name] = f"{verb} INTO {name} VALUES ({', '.join('?' * len(columns))})"
            self._pending[name] = []

    def table(self, name: str) -> DiskTable:
        return DiskTable(self, name)

    def append(self, name: str, row: tuple[Any, ...]) -> None:
        """Add ``row``, written with the next batch."""
        rows = self._pending[name]
        rows.append(row)
        self._filled.add(name)
        if len(rows) >= _BATCH:
            self._db.executemany(self._insert[name], rows)
            rows.clear()

    def flush(self) -> None:
        for name, rows in self._pending.items():
            if rows:
                self._db.executemany(self._insert[name], rows)
                rows.clear()

    def execute(self, sql: str, args: Iterable[Any] = ()) -> sqlite3.Cursor:
        self.flush()
        return self._db.execute(sql, tuple(args))

    def close(self) -> None:
        self._db.close()


class DiskTable:
    """One key → value table of :class:`DiskTables` (its first column the key, its second the value)."""

    def __init__(self, db: DiskTables, name: str) -> None:
        self.db, self.name = db, name
        # (statements made once: sqlite3 caches them, prepared, by their text)
        columns = [row[1] for row in db._db.execute(f"PRAGMA table_info({name})")]
        self.key, self.columns = columns[0], columns
        self._get = f"SELECT {', '.join(columns[1:]) or columns[0]} FROM {name} WHERE {self.key} = ?"
        self._add = f"INSERT OR IGNORE INTO {name} VALUES ({', '.join('?' * len(columns))})"
        self._set = f"INSERT OR REPLACE INTO {name} VALUES ({', '.join('?' * len(columns))})"
        self._delete = f"DELETE FROM {name} WHERE {self.key} = ?"

    def add(self, *row: Any) -> bool:
        """Insert ``row`` unless its key is there; True when it was inserted (written at once, not buffered)."""
        db = self.db
        if db._pending[self.name]:
            db.flush()
        db._filled.add(self.name)
        return db._db.execute(self._add, row).rowcount == 1

    def row(self, key: Any) -> tuple[Any, ...] | None:
        """The row's values but the key (the key alone for a one-column table), or None."""
        db = self.db
        if self.name not in db._filled:
            return None
        if db._pending[self.name]:
            db.flush()
        result: tuple[Any, ...] | None = db._db.execute(self._get, (key,)).fetchone()
        return result

    def __contains__(self, key: Any) -> bool:
        return self.row(key) is not None

    def get(self, key: Any, default: Any = None) -> Any:
        found = self.row(key)
        return default if found is None else found[0]

    def set(self, *row: Any) -> None:
        """Insert or replace ``row``."""
        self.db.flush()
        self.db._filled.add(self.name)
        self.db._db.execute(self._set, row)

    def pop(self, key: Any, default: Any = None) -> Any:
        found = self.row(key)
        if found is None:
            return default
        self.db._db.execute(self._delete, (key,))
        return found[0]

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        """Every row, in the order added (a ``list_`` table) or by key."""
        order = "rowid" if self.name.startswith("list_") else self.key
        return iter(self.db.execute(f"SELECT * FROM {self.name} ORDER BY {order}"))

    def __len__(self) -> int:
        count: int = self.db.execute(f"SELECT count(*) FROM {self.name}").fetchone()[0]
        return count
