"""Tables of one run that grow with the export, kept on disk: a private temporary SQLite database.

The main process learns something about every item (the file each post claimed, the old URLs and new URL of
each, the old URLs other posts redirect from) and consults it until the end of the run. Held as Python dicts
and sets of strings, that is some 1.5 KB a post: 300 MB at 200,000 posts. In a temporary SQLite database
(the standard library's ``sqlite3``; ``connect("")``: a file of its own, deleted when it is closed) at most
``cache_kib`` of its pages stay in memory, whatever the size of the export, and a lookup costs a few
microseconds. Rows added are buffered and written in batches (:meth:`DiskTables.flush` before any read).
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator, MutableMapping, Sequence
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


def id_key(post_id: int) -> int | str:
    """A post id as the tables keep it: SQLite's integers are 64-bit (a larger id, from a broken export, as text)."""
    return post_id if -(1 << 63) <= post_id < (1 << 63) else str(post_id)


def _from_key(key: Any) -> Any:
    return int(key) if isinstance(key, str) else key


def _as_row(value: Any) -> tuple[Any]:
    return (value,)


def _the_value(value: Any) -> Any:
    return value


def _as_tuple(*values: Any) -> tuple[Any, ...]:
    return values


def _restore(columns: Sequence[str], to_row: Callable[[Any], tuple[Any, ...]], from_row: Callable[..., Any],
             int_keys: bool, rows: list[tuple[Any, ...]] | str) -> DiskDict:
    """A pickled DiskDict made again: from its rows, or from the database file it was copied to (then removed)."""
    made = DiskDict(columns, to_row=to_row, from_row=from_row, int_keys=int_keys)
    if isinstance(rows, str):
        try:
            made._db.execute("ATTACH DATABASE ? AS copy", (rows,))
            made._db.execute("INSERT INTO d SELECT * FROM copy.d")
            made._db.execute("DETACH DATABASE copy")
        finally:
            os.unlink(rows)
        made._empty = made._db.execute("SELECT 1 FROM d LIMIT 1").fetchone() is None
    elif rows:
        made._db.executemany(made._put, rows)
        made._empty = False  # (nothing looked up yet: no _last to forget)
    return made


class DiskDict(MutableMapping[Any, Any]):
    """A dict of post id (or, ``int_keys=False``, string) → value kept in a temporary SQLite database, in the
    order first added (a key set again keeps its place, as in a dict). ``columns`` name the value's parts: with
    one, the value is stored as it is; with more, ``to_row(value)`` gives their values and ``from_row(*values)``
    makes the value again (a tuple by default). Pickled (for another process), its rows go as they are stored.

    A process forked from the one that filled it may read it (the ``fork`` workers of a run): the parent writes
    nothing after the fork, and each process reads through its own copy of the connection and its pages."""

    def __init__(self, columns: Sequence[str], *, to_row: Callable[[Any], tuple[Any, ...]] | None = None,
                 from_row: Callable[..., Any] | None = None, cache_kib: int = 1024, int_keys: bool = True) -> None:
        self._int_keys = int_keys
        self._key: Callable[[Any], Any] = id_key if int_keys else str
        self._one = len(columns) == 1
        self._columns = tuple(columns)
        self._to_row = to_row or (_as_row if self._one else tuple)
        self._from_row = from_row or (_the_value if self._one else _as_tuple)
        values = ", ".join(columns)
        self._db = sqlite3.connect("", isolation_level=None, check_same_thread=False)
        for pragma in (f"cache_size = -{int(cache_kib)}", "journal_mode = OFF", "synchronous = OFF",
                       "temp_store = FILE"):
            self._db.execute(f"PRAGMA {pragma}")
        self._db.execute(f"CREATE TABLE d (n INTEGER PRIMARY KEY, k UNIQUE NOT NULL, {values})")
        marks = ", ".join("?" * (len(columns) + 1))
        updates = ", ".join(f"{c} = excluded.{c}" for c in columns)
        self._put = f"INSERT INTO d (k, {values}) VALUES ({marks}) ON CONFLICT(k) DO UPDATE SET {updates}"
        self._get = f"SELECT {values} FROM d WHERE k = ?"
        self._rows = f"SELECT n, k, {values} FROM d WHERE n > ? ORDER BY n LIMIT 1024"
        self._pending: list[tuple[Any, ...]] = []
        self._empty = True
        self._last: tuple[Any, tuple[Any, ...] | None] | None = None  # the last key looked up, and its row

    def _flush(self) -> None:
        if self._pending:
            self._db.executemany(self._put, self._pending)
            self._pending.clear()

    def __setitem__(self, key: Any, value: Any) -> None:
        self._pending.append((self._key(key), *self._to_row(value)))
        self._empty = False
        self._last = None
        if len(self._pending) >= _BATCH:
            self._flush()

    def row(self, key: Any) -> tuple[Any, ...] | None:
        """The stored values of ``key`` (its columns), or None."""
        return self._row(key)

    def _row(self, key: Any) -> tuple[Any, ...] | None:
        if self._pending:
            self._flush()
        if self._empty:
            return None
        last = self._last  # (a post's stages ask for the same key a few times in a row)
        if last is not None and last[0] == key and type(last[0]) is type(key):
            return last[1]
        try:
            row: tuple[Any, ...] | None = self._db.execute(self._get, (self._key(key),)).fetchone()
        except (TypeError, sqlite3.InterfaceError):  # not a key's type: no such key
            return None
        self._last = (key, row)
        return row

    def __getitem__(self, key: Any) -> Any:
        row = self._row(key)
        if row is None:
            raise KeyError(key)
        return self._from_row(*row)

    def get(self, key: Any, default: Any = None) -> Any:
        row = self._row(key)
        return default if row is None else self._from_row(*row)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, int if self._int_keys else str) and self._row(key) is not None

    def __delitem__(self, key: Any) -> None:
        if self._row(key) is None:
            raise KeyError(key)
        self._db.execute("DELETE FROM d WHERE k = ?", (self._key(key),))
        self._last = None

    def __len__(self) -> int:
        self._flush()
        count: int = self._db.execute("SELECT count(*) FROM d").fetchone()[0]
        return count

    def _scan(self) -> Iterator[tuple[Any, ...]]:
        # (in pages of rows: the table may change while a caller iterates, as a dict may not, but harmlessly)
        self._flush()
        last = 0
        while True:
            rows = self._db.execute(self._rows, (last,)).fetchall()
            if not rows:
                return
            for row in rows:
                yield row[1:]
            last = rows[-1][0]

    def __iter__(self) -> Iterator[Any]:
        unkey = _from_key if self._int_keys else str
        return (unkey(row[0]) for row in self._scan())

    def items(self) -> Iterator[tuple[Any, Any]]:  # type: ignore[override]
        from_row, unkey = self._from_row, _from_key if self._int_keys else str
        return ((unkey(row[0]), from_row(*row[1:])) for row in self._scan())

    def values(self) -> Iterator[Any]:  # type: ignore[override]
        from_row = self._from_row
        return (from_row(*row[1:]) for row in self._scan())

    def __reduce__(self) -> tuple[Any, ...]:
        # A few rows go as they are stored; more, in a copy of the database written to a temporary file by SQLite
        # itself (VACUUM INTO), which the other side copies from and removes: no Python object a row on either
        # side (the parts of the first pass come back to the main process so).
        self._flush()
        spec = (self._columns, self._to_row, self._from_row, self._int_keys)
        if self._empty or self._db.execute(f"SELECT count(*) FROM (SELECT 1 FROM d LIMIT {_BATCH})").fetchone()[0] \
                < _BATCH:
            return _restore, (*spec, [row[1:] for row in self._db.execute("SELECT * FROM d ORDER BY n")])
        fd, path = tempfile.mkstemp(prefix="wp-migrate-", suffix=".sqlite")
        os.close(fd)
        try:
            self._db.execute("VACUUM INTO ?", (path,))
        except BaseException:
            os.unlink(path)
            raise
        return _restore, (*spec, path)

    def __repr__(self) -> str:
        return f"DiskDict({len(self)} items)"
