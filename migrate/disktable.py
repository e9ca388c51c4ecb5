"""Tables of one run that grow with the export: kept in memory while the run is small, on disk once it is large.

The main process learns something about every item (the file each post claimed, the old URLs and new URL of
each, the old URLs other posts redirect from) and consults it until the end of the run. Held as Python dicts
and sets of strings, that is some 1.5 KB a post: 300 MB at 200,000 posts. So the tables spool, as
``tempfile.SpooledTemporaryFile`` does: each keeps its rows in plain dicts and lists until the rows of all the
run's tables (in this process) pass ``WP_MIGRATE_SPILL_ROWS`` (default :data:`SPILL_ROWS`; 0: on disk from the
start), then every table moves them, once, to a temporary SQLite database of its own (the standard library's
``sqlite3``; a file in the temporary folder, removed when the table is closed or the process ends) and goes on
there: at most ``cache_kib`` of its pages stay in memory, whatever the size of the export, and a lookup costs a
few microseconds. Rows added to a database are buffered and written in batches. Both states behave the same
(order, which row a key keeps, KeyError, pickling).

A process forked from the one that filled a table (the ``fork`` workers of a run) never uses its parent's
SQLite connection (SQLite forbids carrying one across ``fork``): on its first use there, it copies the
database, through a connection of its own, from the parent's file into one of its own; from then on each
process has its own table, as each would have its own dict. (A table copied so can't be copied again into a
process forked from that one: that raises RuntimeError.)
"""

from __future__ import annotations

import multiprocessing.util
import os
import sqlite3
import tempfile
import weakref
from collections.abc import Callable, Iterable, Iterator, MutableMapping, Sequence
from contextlib import closing
from os import getpid
from typing import Any

_BATCH = 4096  # rows buffered before they are written
SPILL_ROWS = 100_000  # rows of all the run's tables held in memory at most (see the module's docstring)
_SPILL_ENV = "WP_MIGRATE_SPILL_ROWS"

_live: dict[int, weakref.ref[_Spool]] = {}  # tables still in memory (by id: a DiskDict can't be hashed)
_limit = SPILL_ROWS
_every = 1024  # rows added between two counts of the rows held
_added = 0
_abandoned: list[sqlite3.Connection] = []  # a parent's connections, in a forked child: never used nor closed


def spill_rows() -> int:
    """The rows held in memory before the tables move to disk: ``WP_MIGRATE_SPILL_ROWS`` or the default."""
    text = os.environ.get(_SPILL_ENV, "").strip()
    if not text:
        return SPILL_ROWS
    try:
        value = int(text.replace("_", ""))
    except ValueError:
        raise ValueError(f"{_SPILL_ENV}={text!r}: give a whole number of rows (0: tables on disk from the start)") \
            from None
    return max(value, 0)


def _in_memory() -> int:
    """The rows the run's tables hold in memory now."""
    return sum(spool._held() for spool in (ref() for ref in list(_live.values())) if spool is not None)


def _note(rows: int = 1) -> None:
    """``rows`` more held in memory: past the limit, every table still in memory moves to disk."""
    global _added
    _added += rows
    if _added >= _every:
        _added = 0
        spools = [spool for spool in (ref() for ref in list(_live.values())) if spool is not None]
        if sum(spool._held() for spool in spools) > _limit:
            for spool in spools:
                spool._spill()


_disk: dict[int, weakref.ref[_Spool]] = {}  # tables in a database file of this process (or its parent)


def _files() -> Iterator[sqlite3.Connection]:
    pid = getpid()
    for ref in list(_disk.values()):
        spool = ref()
        if spool is not None and spool._pid == pid and spool._path is not None:
            yield spool._db


def _commit_all() -> None:
    """Before a fork: what the tables wrote is committed to their files (for a child to copy)."""
    for db in _files():
        if db.in_transaction:
            db.execute("COMMIT")


def _begin_all() -> None:
    """After it, in the parent: each table writes in one transaction again (written out when its cache is full
    or at the next fork, not at every statement: a few times less system time)."""
    for db in _files():
        if not db.in_transaction:
            db.execute("BEGIN")


if hasattr(os, "register_at_fork"):
    os.register_at_fork(before=_commit_all, after_in_parent=_begin_all)


def _connect(path: str, cache_kib: int) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    for pragma in (f"cache_size = -{int(cache_kib)}", "journal_mode = OFF", "synchronous = OFF", "temp_store = FILE"):
        db.execute(f"PRAGMA {pragma}")
    return db


def _remove(path: str, pid: int) -> None:
    if getpid() == pid:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass


def _close(db: sqlite3.Connection, path: str | None, pid: int) -> None:
    if getpid() != pid:  # (a forked child leaves its parent's database alone)
        return
    db.close()
    if path is not None:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass


class _Spool:
    """What a spooled table shares: the count of its rows in memory, and its database once it has one."""

    _db: sqlite3.Connection

    def _start(self, cache_kib: int) -> bool:
        """Set up in memory; True when the tables go on disk from the start."""
        global _limit, _every
        self._cache_kib = cache_kib
        self._pid = 0  # the process whose database self._db is (0: none yet)
        self._path: str | None = None
        self._finalizer: weakref.finalize[Any, Any] | None = None
        _limit = spill_rows()
        _every = max(1, min(1024, _limit // 16))
        if _limit == 0:
            return True
        key = id(self)
        _live[key] = weakref.ref(self, lambda _ref: _live.pop(key, None))
        return False

    def _held(self) -> int:
        raise NotImplementedError

    def _spill(self) -> None:
        raise NotImplementedError

    def _open(self) -> sqlite3.Connection:
        """A new database, in a file of the temporary folder (a forked child copies it from there)."""
        fd, path = tempfile.mkstemp(prefix="wp-migrate-", suffix=".sqlite")
        os.close(fd)
        try:
            db = _connect(path, self._cache_kib)
        except BaseException:
            os.unlink(path)
            raise
        self._db, self._path, self._pid = db, path, getpid()
        self._finalizer = weakref.finalize(self, _close, db, path, self._pid)
        # (a worker of a multiprocessing pool ends with os._exit, past the finalizer: its files removed then too)
        multiprocessing.util.Finalize(None, _remove, args=(path, self._pid), exitpriority=0)
        _live.pop(id(self), None)
        key = id(self)
        _disk[key] = weakref.ref(self, lambda _ref: _disk.pop(key, None))
        db.execute("BEGIN")
        return db

    def _commit(self) -> sqlite3.Connection:
        """The connection, outside a transaction (for ATTACH, VACUUM); the caller begins one again."""
        db = self._conn()
        if db.in_transaction:
            db.execute("COMMIT")
        return db

    def _adopt(self) -> sqlite3.Connection:
        """In a forked child: the parent's database copied into one of this process's own, through its own
        connection (the parent's is kept, unused and open: closing it here could undo the parent's locks)."""
        if self._path is None:
            raise RuntimeError("a table copied into a forked process can't be used in a process forked from that "
                               "one; pass it pickled instead")
        _abandoned.append(self._db)
        if self._finalizer is not None:
            self._finalizer.detach()
        db = _connect("", self._cache_kib)  # (private to this process: removed when closed)
        db.execute("ATTACH DATABASE ? AS parent", (self._path,))
        tables = db.execute("SELECT name, sql FROM parent.sqlite_master WHERE type = 'table'").fetchall()
        for name, sql in tables:
            db.execute(sql)
            db.execute(f"INSERT INTO main.{name} SELECT * FROM parent.{name}")
        db.execute("DETACH DATABASE parent")
        self._db, self._path, self._pid = db, None, getpid()
        self._finalizer = weakref.finalize(self, _close, db, None, self._pid)
        return db

    def _conn(self) -> sqlite3.Connection:
        return self._db if self._pid == getpid() else self._adopt()

    def close(self) -> None:
        _live.pop(id(self), None)
        if self._finalizer is not None:
            self._finalizer()


def _order(row: tuple[Any, ...]) -> tuple[int, Any]:
    """The place of a row by its key as SQLite sorts keys: NULL, numbers, text (by code point), blobs."""
    key = row[0]
    if key is None:
        return 0, 0
    if isinstance(key, (int, float)):
        return 1, key
    return (2, key) if isinstance(key, str) else (3, bytes(key))


class DiskTables(_Spool):
    """The tables of one run; ``tables`` maps a table's name to its columns (the first is the key, unique; a
    table named ``list_…`` has no key and keeps its rows in the order added). A row added with a key already
    there is left out, but in the tables named in ``replace``, where it replaces the one there."""

    def __init__(self, tables: dict[str, Sequence[str]], *, replace: Iterable[str] = (), cache_kib: int = 2048) -> None:
        self._replace = set(replace)
        self._columns = {name: tuple(columns) for name, columns in tables.items()}
        # in memory: a list of rows (a list_ table), or a dict key → row
        self._mem: dict[str, Any] | None = {name: [] if name.startswith("list_") else {} for name in tables}
        self._pending: dict[str, list[tuple[Any, ...]]] = {name: [] for name in tables}
        self._filled: set[str] = set()  # tables that may hold rows (a lookup in the others costs nothing)
        self._insert: dict[str, str] = {}
        if self._start(cache_kib):
            self._spill()

    def _held(self) -> int:
        return sum(len(rows) for rows in self._mem.values()) if self._mem is not None else 0

    def _spill(self) -> None:
        mem = self._mem
        if mem is None:
            return
        db = self._open()
        for name, columns in self._columns.items():
            key, *rest = columns
            if name.startswith("list_"):  # rows kept in the order added, no key
                db.execute(f"CREATE TABLE {name} ({', '.join(columns)})")
            else:
                cols = ", ".join([f"{key} PRIMARY KEY", *rest])
                db.execute(f"CREATE TABLE {name} ({cols}) WITHOUT ROWID")
            verb = "INSERT OR REPLACE" if name in self._replace else "INSERT OR IGNORE"
            self._insert[name] = f"{verb} INTO {name} VALUES ({', '.join('?' * len(columns))})"
            rows = mem[name]
            if rows:
                db.executemany(self._insert[name], rows if isinstance(rows, list) else rows.values())
        self._mem = None

    def table(self, name: str) -> DiskTable:
        return DiskTable(self, name)

    def append(self, name: str, row: tuple[Any, ...]) -> None:
        """Add ``row`` (on disk: written with the next batch)."""
        self._filled.add(name)
        mem = self._mem
        if mem is not None:
            rows = mem[name]
            if isinstance(rows, list):
                rows.append(row)
            elif name in self._replace:
                rows[row[0]] = row
            elif row[0] not in rows:
                rows[row[0]] = row
            else:
                return
            _note()
            return
        pending = self._pending[name]
        pending.append(row)
        if len(pending) >= _BATCH:
            self._conn().executemany(self._insert[name], pending)
            pending.clear()

    def flush(self) -> None:
        if self._mem is not None:
            return
        for name, rows in self._pending.items():
            if rows:
                self._conn().executemany(self._insert[name], rows)
                rows.clear()

    def close(self) -> None:
        self._mem = None if self._mem is None else {}
        super().close()


class DiskTable:
    """One key → value table of :class:`DiskTables` (its first column the key, its second the value)."""

    def __init__(self, db: DiskTables, name: str) -> None:
        self.db, self.name = db, name
        # (statements made once: sqlite3 caches them, prepared, by their text)
        columns = list(db._columns[name])
        self.key, self.columns = columns[0], columns
        self._ordered = name.startswith("list_")
        self._get = f"SELECT {', '.join(columns[1:]) or columns[0]} FROM {name} WHERE {self.key} = ?"
        self._add = f"INSERT OR IGNORE INTO {name} VALUES ({', '.join('?' * len(columns))})"
        self._set = f"INSERT OR REPLACE INTO {name} VALUES ({', '.join('?' * len(columns))})"
        self._delete = f"DELETE FROM {name} WHERE {self.key} = ?"
        self._cut = 1 if len(columns) > 1 else 0  # where a row's values (but the key) begin

    def _rows(self) -> Any:
        """The table's rows in memory (a dict, or a list for a list_ table), or None once on disk."""
        mem = self.db._mem
        return None if mem is None else mem[self.name]

    def _db(self) -> sqlite3.Connection:
        db = self.db
        if db._pending[self.name]:
            db.flush()
        return db._conn()

    def add(self, *row: Any) -> bool:
        """Insert ``row`` unless its key is there; True when it was inserted (written at once, not buffered)."""
        self.db._filled.add(self.name)
        rows = self._rows()
        if rows is not None:
            if self._ordered:
                rows.append(row)
            elif row[0] in rows:
                return False
            else:
                rows[row[0]] = row
            _note()
            return True
        return self._db().execute(self._add, row).rowcount == 1

    def row(self, key: Any) -> tuple[Any, ...] | None:
        """The row's values but the key (the key alone for a one-column table), or None."""
        if self.name not in self.db._filled:
            return None
        rows = self._rows()
        if rows is not None:
            found = next((row for row in rows if row[0] == key), None) if self._ordered else rows.get(key)
            return None if found is None else (found[1:] if self._cut else found[:1])
        result: tuple[Any, ...] | None = self._db().execute(self._get, (key,)).fetchone()
        return result

    def __contains__(self, key: Any) -> bool:
        return self.row(key) is not None

    def get(self, key: Any, default: Any = None) -> Any:
        found = self.row(key)
        return default if found is None else found[0]

    def set(self, *row: Any) -> None:
        """Insert or replace ``row``."""
        self.db._filled.add(self.name)
        rows = self._rows()
        if rows is None:
            self.db.flush()
            self.db._conn().execute(self._set, row)
        elif self._ordered:
            rows.append(row)
            _note()
        else:
            if row[0] not in rows:
                _note()
            rows[row[0]] = row

    def pop(self, key: Any, default: Any = None) -> Any:
        found = self.row(key)
        if found is None:
            return default
        rows = self._rows()
        if rows is None:
            self.db._conn().execute(self._delete, (key,))
        elif self._ordered:
            rows[:] = [row for row in rows if row[0] != key]
        else:
            del rows[key]
        return found[0]

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        """Every row, in the order added (a ``list_`` table) or by key."""
        rows = self._rows()
        if rows is not None:
            return iter(list(rows) if self._ordered else sorted(rows.values(), key=_order))
        order = "rowid" if self._ordered else self.key
        return iter(self._db().execute(f"SELECT * FROM {self.name} ORDER BY {order}"))

    def __len__(self) -> int:
        rows = self._rows()
        if rows is not None:
            return len(rows)
        count: int = self._db().execute(f"SELECT count(*) FROM {self.name}").fetchone()[0]
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
    """A pickled DiskDict made again: from its rows, or from the database file it was copied to (then removed):
    into memory while the run's tables have room for its rows, else into a database of its own."""
    made = DiskDict(columns, to_row=to_row, from_row=from_row, int_keys=int_keys)
    if isinstance(rows, str):
        try:
            with closing(sqlite3.connect(rows)) as copy:
                count = copy.execute("SELECT count(*) FROM d").fetchone()[0]
                if made._mem is not None and count + _in_memory() <= _limit:
                    made._mem.update((row[0], row[1:]) for row in copy.execute(
                        f"SELECT k, {', '.join(columns)} FROM d ORDER BY n"))
                    _note(count)
                    made._empty = not count
                    return made
            made._spill()
            db = made._commit()
            db.execute("ATTACH DATABASE ? AS copy", (rows,))
            db.execute("INSERT INTO d SELECT * FROM copy.d")
            db.execute("DETACH DATABASE copy")
            db.execute("BEGIN")  # (made: a file of this process's own)
        finally:
            os.unlink(rows)
        made._empty = db.execute("SELECT 1 FROM d LIMIT 1").fetchone() is None
    elif rows:
        if made._mem is not None:
            made._mem.update((row[0], row[1:]) for row in rows)
            _note(len(rows))
        else:
            made._conn().executemany(made._put, rows)
        made._empty = False  # (nothing looked up yet: no _last to forget)
    return made


class DiskDict(_Spool, MutableMapping[Any, Any]):
    """A dict of post id (or, ``int_keys=False``, string) → value, spooled (see the module's docstring), in the
    order first added (a key set again keeps its place, as in a dict). ``columns`` name the value's parts: with
    one, the value is stored as it is; with more, ``to_row(value)`` gives their values and ``from_row(*values)``
    makes the value again (a tuple by default). Pickled (for another process), its rows go as they are stored.
    Iterated while it changes, it goes on (as a dict would not): keys deleted meanwhile are left out."""

    def __init__(self, columns: Sequence[str], *, to_row: Callable[[Any], tuple[Any, ...]] | None = None,
                 from_row: Callable[..., Any] | None = None, cache_kib: int = 1024, int_keys: bool = True) -> None:
        self._int_keys = int_keys
        self._key: Callable[[Any], Any] = id_key if int_keys else str
        self._one = len(columns) == 1
        self._columns = tuple(columns)
        self._to_row = to_row or (_as_row if self._one else tuple)
        self._from_row = from_row or (_the_value if self._one else _as_tuple)
        values = ", ".join(columns)
        marks = ", ".join("?" * (len(columns) + 1))
        updates = ", ".join(f"{c} = excluded.{c}" for c in columns)
        self._put = f"INSERT INTO d (k, {values}) VALUES ({marks}) ON CONFLICT(k) DO UPDATE SET {updates}"
        self._create = f"CREATE TABLE d (n INTEGER PRIMARY KEY, k UNIQUE NOT NULL, {values})"
        self._get = f"SELECT {values} FROM d WHERE k = ?"
        self._rows = f"SELECT n, k, {values} FROM d WHERE n > ? ORDER BY n LIMIT 1024"
        self._pending: list[tuple[Any, ...]] = []
        self._empty = True
        self._last: tuple[Any, tuple[Any, ...] | None] | None = None  # the last key looked up, and its row
        self._mem: dict[Any, tuple[Any, ...]] | None = {}  # stored key → its values, while in memory
        if self._start(cache_kib):
            self._spill()

    def _held(self) -> int:
        return len(self._mem) if self._mem is not None else 0

    def _spill(self) -> None:
        mem = self._mem
        if mem is None:
            return
        db = self._open()
        db.execute(self._create)
        if mem:
            db.executemany(self._put, ((key, *row) for key, row in mem.items()))
        self._empty = not mem
        self._last = None
        self._mem = None

    def _flush(self) -> None:
        if self._pending:
            self._conn().executemany(self._put, self._pending)
            self._pending.clear()

    def __setitem__(self, key: Any, value: Any) -> None:
        mem = self._mem
        if mem is not None:
            stored = self._key(key)
            if stored not in mem:
                mem[stored] = self._to_row(value)
                _note()
            else:
                mem[stored] = self._to_row(value)
            return
        self._pending.append((self._key(key), *self._to_row(value)))
        self._empty = False
        self._last = None
        if len(self._pending) >= _BATCH:
            self._flush()

    def row(self, key: Any) -> tuple[Any, ...] | None:
        """The stored values of ``key`` (its columns), or None."""
        return self._row(key)

    def _row(self, key: Any) -> tuple[Any, ...] | None:
        mem = self._mem
        if mem is not None:
            try:
                return mem.get(self._key(key))
            except TypeError:  # not a key's type: no such key
                return None
        if self._pending:
            self._flush()
        if self._empty:
            return None
        last = self._last  # (a post's stages ask for the same key a few times in a row)
        if last is not None and last[0] == key and type(last[0]) is type(key):
            return last[1]
        try:
            row: tuple[Any, ...] | None = self._conn().execute(self._get, (self._key(key),)).fetchone()
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
        if self._mem is not None:
            del self._mem[self._key(key)]
            return
        self._conn().execute("DELETE FROM d WHERE k = ?", (self._key(key),))
        self._last = None

    def __len__(self) -> int:
        if self._mem is not None:
            return len(self._mem)
        self._flush()
        count: int = self._conn().execute("SELECT count(*) FROM d").fetchone()[0]
        return count

    def _stored(self, stored: Any) -> tuple[Any, ...] | None:
        mem = self._mem
        if mem is not None:
            return mem.get(stored)
        self._flush()
        row: tuple[Any, ...] | None = self._conn().execute(self._get, (stored,)).fetchone()
        return row

    def _scan(self) -> Iterator[tuple[Any, ...]]:
        mem = self._mem
        if mem is not None:  # (the keys there now, each with its values when it comes)
            for key in list(mem):
                row = mem.get(key) if self._mem is mem else self._stored(key)
                if row is not None:
                    yield (key, *row)
            return
        # (in pages of rows: the table may change while a caller iterates, as a dict may not, but harmlessly)
        self._flush()
        last = 0
        while True:
            rows = self._conn().execute(self._rows, (last,)).fetchall()
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
        # A few rows go as they are stored; more, on disk, in a copy of the database written to a temporary file by
        # SQLite itself (VACUUM INTO), which the other side copies from and removes: no Python object a row on
        # either side (the parts of the first pass come back to the main process so).
        spec = (self._columns, self._to_row, self._from_row, self._int_keys)
        mem = self._mem
        if mem is not None and len(mem) < _BATCH:
            return _restore, (*spec, [(key, *row) for key, row in mem.items()])
        if mem is not None:  # (many rows in memory: written to a file, not pickled one Python object a row)
            fd, path = tempfile.mkstemp(prefix="wp-migrate-", suffix=".sqlite")
            os.close(fd)
            try:
                with closing(_connect(path, self._cache_kib)) as copy:
                    copy.execute(self._create)
                    copy.execute("BEGIN")
                    copy.executemany(self._put, ((key, *row) for key, row in mem.items()))
                    copy.execute("COMMIT")
            except BaseException:
                os.unlink(path)
                raise
            return _restore, (*spec, path)
        self._flush()
        db = self._conn()
        if self._empty or db.execute(f"SELECT count(*) FROM (SELECT 1 FROM d LIMIT {_BATCH})").fetchone()[0] < _BATCH:
            return _restore, (*spec, [row[1:] for row in db.execute("SELECT * FROM d ORDER BY n")])
        fd, path = tempfile.mkstemp(prefix="wp-migrate-", suffix=".sqlite")
        os.close(fd)
        try:
            if db.in_transaction:
                db.execute("COMMIT")
            db.execute("VACUUM INTO ?", (path,))
        except BaseException:
            os.unlink(path)
            raise
        finally:
            if self._path is not None and not db.in_transaction:
                db.execute("BEGIN")
        return _restore, (*spec, path)

    def close(self) -> None:
        self._mem = None if self._mem is None else {}
        super().close()

    def __repr__(self) -> str:
        return f"DiskDict({len(self)} items)"
