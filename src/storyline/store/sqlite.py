"""The SQLite store: one file, WAL journal, versioned schema, explicit transactions."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import stat
import time
import urllib.parse
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import astuple, fields

from storyline.errors import NotFoundError, QueryError, StoreError
from storyline.records import Alignment, Article, ReuseLink
from storyline.store.migrations import MIGRATIONS, SCHEMA_VERSION

_ARTICLE_COLUMNS = tuple(f.name for f in fields(Article))
# SQLite caps host parameters per statement; id lists are sent in chunks of this size.
_CHUNK = 500


class SQLiteStore:
    """A Store in one SQLite file (see :class:`storyline.store.base.Store` for the contract).

    ``read_only`` opens with SQLite's ``mode=ro`` (``immutable=1`` when the folder cannot hold
    the WAL's side files), so reading never changes a file. ``create`` lets a writable open turn
    a new path, a 0-byte file or an SQLite database with no tables at all into a store; without
    it, and always when reading, anything but a storyline store is refused and left untouched.
    """

    def __init__(self, path: str, read_only: bool = False, create: bool = True) -> None:
        self.location = path
        self._depth = 0
        self._create = create and not read_only
        new = _check_file(path, self._create)
        try:
            self._db = _connect(path, read_only)
            self._db.execute(f"PRAGMA busy_timeout = {_BUSY_SECONDS * 1000}")
            self._db.execute("PRAGMA foreign_keys = ON")
            if not read_only and not new:
                version, tables = self._inspect()
                self._check(version, tables)
            if not read_only:
                self._enable_wal()
                self._db.execute("PRAGMA synchronous = NORMAL")
            version, tables = self._inspect()
        except sqlite3.OperationalError as exc:
            self._close_quietly()
            if "locked" in str(exc) or "busy" in str(exc):
                raise StoreError(f"{path}: the store stayed busy (another process is writing it); try again") from None
            if "readonly" in str(exc) or "read-only" in str(exc):
                raise StoreError(f"{path}: cannot write the store: the file or its folder is read-only ({exc}); "
                                 "read commands and `storyline serve` still work") from None
            raise StoreError(f"{path}: cannot open the store ({exc})") from None
        except sqlite3.DatabaseError as exc:
            self._close_quietly()
            raise StoreError(f"{path}: not a storyline store ({exc})") from None
        except BaseException:
            self._close_quietly()
            raise
        try:
            self._check(version, tables)
            if version < SCHEMA_VERSION:
                if read_only:
                    raise StoreError(f"{path}: store schema v{version} is older than this storyline "
                                     f"(v{SCHEMA_VERSION}); run `storyline analyse --db {path}` once to upgrade it")
                self._migrate()
        except BaseException as exc:
            self._close_quietly()
            if isinstance(exc, sqlite3.OperationalError):
                raise StoreError(f"{path}: cannot prepare the store ({exc}); if another process is writing it, "
                                 "try again") from None
            raise
        _remember(path)

    def _close_quietly(self) -> None:
        """Close a connection that failed to open as a store (if it got that far)."""
        db = getattr(self, "_db", None)
        if db is not None:
            db.close()

    def _enable_wal(self) -> None:
        """Switch to WAL unless already there. SQLite does not wait on a busy store to change the
        journal mode (a second process creating the same store meets one), so this retries."""
        deadline = time.monotonic() + _BUSY_SECONDS
        while True:
            try:
                if self._db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    self._db.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def _inspect(self) -> tuple[int, set[str]]:
        """The schema version and table names, read in one statement (one consistent snapshot)."""
        row = self._db.execute(
            "SELECT (SELECT user_version FROM pragma_user_version), "
            "(SELECT group_concat(name, char(10)) FROM sqlite_master WHERE type = 'table')").fetchone()
        names = {n for n in (row[1] or "").split("\n") if n and not n.startswith("sqlite_")}
        return int(row[0]), names

    def _check(self, version: int, tables: set[str]) -> None:
        """Refuse what is not a storyline store at ``version`` (a store to create needs no tables at all)."""
        path = self.location
        if version > SCHEMA_VERSION:
            raise StoreError(f"{path}: store schema v{version} is newer than this storyline (v{SCHEMA_VERSION}); "
                             "upgrade storyline")
        if version == 0 and tables:
            shown = ", ".join(sorted(tables)[:5]) + (", ..." if len(tables) > 5 else "")
            raise StoreError(f"{path}: not a storyline store (an SQLite database of another program, tables: "
                             f"{shown}); left unchanged: give --db a storyline store or a new file")
        if version == 0 and not self._create:
            raise StoreError(f"{path}: not a storyline store (an SQLite database with no storyline tables); "
                             "left unchanged: `storyline ingest` fills a new or empty file")
        missing = sorted(frozenset[str]().union(*_TABLES[:version]) - tables)
        if missing:
            raise StoreError(f"{path}: not a storyline store (schema v{version} but no table {', '.join(missing)}); "
                             "left unchanged")

    def _migrate(self) -> None:
        """Bring the store to the current schema in one write transaction. The version is read again
        inside it: of two processes opening a new store together, one migrates, the other waits and
        finds the work done."""
        with self.transaction():
            version, tables = self._inspect()
            self._check(version, tables)
            for number in range(version + 1, SCHEMA_VERSION + 1):
                for statement in _statements(MIGRATIONS[number - 1]):
                    self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version = {number}")

    def schema_version(self) -> int:
        """The schema version of the open store."""
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Commit everything inside together, or roll it all back (also on KeyboardInterrupt)."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self._db.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        else:
            self._db.execute("COMMIT")
        finally:
            self._depth = 0

    def add_articles(self, articles: Sequence[Article]) -> list[bool]:
        """Insert articles not yet stored; True for each one that was new."""
        placeholders = ", ".join("?" for _ in _ARTICLE_COLUMNS)
        sql = f"INSERT OR IGNORE INTO articles ({', '.join(_ARTICLE_COLUMNS)}) VALUES ({placeholders})"
        added: list[bool] = []
        with self.transaction():
            for article in articles:
                added.append(self._db.execute(sql, astuple(article)).rowcount == 1)
        return added

    def existing_ids(self, ids: Iterable[str]) -> set[str]:
        """The subset of ``ids`` already stored."""
        found: set[str] = set()
        for chunk in _chunks(list(ids)):
            marks = ", ".join("?" for _ in chunk)
            rows = self._db.execute(f"SELECT id FROM articles WHERE id IN ({marks})", chunk)
            found.update(row[0] for row in rows)
        return found

    def get_article(self, article_id: str) -> Article:
        """The article with this exact id; NotFoundError if absent."""
        row = self._db.execute(
            f"SELECT {', '.join(_ARTICLE_COLUMNS)} FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no article {article_id!r}", f"in {self.location}")
        return Article(*row)

    def resolve_article(self, ref: str) -> str:
        """An id from an id, a unique id prefix, or a unique prefix of the input file's name."""
        ref = ref.strip()
        if not ref:
            raise NotFoundError("empty article reference")
        by_id = [r[0] for r in self._db.execute(
            "SELECT id FROM articles WHERE substr(id, 1, ?) = ? LIMIT 2", (len(ref), ref))]
        if len(by_id) == 1:
            return str(by_id[0])
        if len(by_id) > 1:
            raise NotFoundError(f"article reference {ref!r} is ambiguous: give more characters of the id")
        by_name = [r[0] for r in self._db.execute("SELECT id, path FROM articles")
                   if os.path.basename(r[1]).startswith(ref)]
        if len(by_name) == 1:
            return str(by_name[0])
        if len(by_name) > 1:
            raise NotFoundError(f"article reference {ref!r} matches {len(by_name)} file names: give an id")
        raise NotFoundError(f"no article matches {ref!r} (by id or file name)", f"in {self.location}")

    def articles(self, ids: Sequence[str] | None = None) -> Iterator[Article]:
        """Articles in ingest order (all, or those in ``ids``)."""
        columns = ", ".join(_ARTICLE_COLUMNS)
        if ids is None:
            for row in self._db.execute(f"SELECT {columns} FROM articles ORDER BY seq"):
                yield Article(*row)
            return
        for chunk in _chunks(list(ids)):
            marks = ", ".join("?" for _ in chunk)
            rows = self._db.execute(f"SELECT {columns} FROM articles WHERE id IN ({marks}) ORDER BY seq", chunk)
            yield from (Article(*row) for row in rows.fetchall())

    def count_articles(self) -> int:
        """How many articles are stored."""
        return int(self._db.execute("SELECT count(*) FROM articles").fetchone()[0])

    def pending(self, stage: str) -> list[str]:
        """Ids of the articles ``stage`` has not processed yet, in ingest order."""
        rows = self._db.execute(
            "SELECT id FROM articles WHERE id NOT IN (SELECT article FROM stage_done WHERE stage = ?) ORDER BY seq",
            (stage,),
        )
        return [r[0] for r in rows]

    def processed(self, stage: str) -> list[str]:
        """Ids of the articles ``stage`` has processed, in ingest order."""
        rows = self._db.execute(
            "SELECT a.id FROM stage_done d JOIN articles a ON a.id = d.article WHERE d.stage = ? ORDER BY a.seq",
            (stage,),
        )
        return [r[0] for r in rows]

    def mark_done(self, stage: str, ids: Iterable[str]) -> None:
        """Record that ``stage`` has processed these articles."""
        with self.transaction():
            self._db.executemany("INSERT OR IGNORE INTO stage_done (stage, article) VALUES (?, ?)",
                                 ((stage, i) for i in ids))

    def put_features(self, kind: str, items: Iterable[tuple[str, bytes]]) -> None:
        """Store per-article feature blobs under ``kind``."""
        with self.transaction():
            self._db.executemany("INSERT OR REPLACE INTO features (kind, article, data) VALUES (?, ?, ?)",
                                 ((kind, i, sqlite3.Binary(b)) for i, b in items))

    def features(self, kind: str, ids: Sequence[str] | None = None) -> Iterator[tuple[str, bytes]]:
        """Stored feature blobs of ``kind`` (all, or for ``ids``), in ingest order."""
        base = "SELECT f.article, f.data FROM features f JOIN articles a ON a.id = f.article WHERE f.kind = ?"
        if ids is None:
            for article, data in self._db.execute(base + " ORDER BY a.seq", (kind,)):
                yield article, bytes(data)
            return
        for chunk in _chunks(list(ids)):
            marks = ", ".join("?" for _ in chunk)
            rows = self._db.execute(base + f" AND f.article IN ({marks}) ORDER BY a.seq", (kind, *chunk))
            yield from ((a, bytes(d)) for a, d in rows.fetchall())

    def add_reuse_links(self, links: Iterable[ReuseLink]) -> None:
        """Store reuse links, replacing an earlier link between the same two articles."""
        rows = [(link.source, link.derived, link.kind, link.score, link.direction_basis,
                 json.dumps([astuple(a) for a in link.alignments])) for link in links]
        with self.transaction():
            for row in rows:
                # One link per pair whatever its direction: a re-run may flip it.
                self._db.execute("DELETE FROM reuse_links WHERE source = ? AND derived = ?", (row[1], row[0]))
                self._db.execute("INSERT OR REPLACE INTO reuse_links VALUES (?, ?, ?, ?, ?, ?)", row)

    def reuse_links(self, article: str | None = None) -> list[ReuseLink]:
        """All reuse links, or those involving ``article``, strongest first."""
        sql = "SELECT source, derived, kind, score, direction_basis, alignments FROM reuse_links"
        params: tuple[str, ...] = ()
        if article is not None:
            sql += " WHERE source = ? OR derived = ?"
            params = (article, article)
        rows = self._db.execute(sql + " ORDER BY score DESC, source, derived", params)
        return [ReuseLink(s, d, k, sc, b, tuple(Alignment(*a) for a in json.loads(al)))
                for s, d, k, sc, b, al in rows]

    def put_state(self, name: str, data: bytes) -> None:
        """Store (replace) the state blob of a corpus-level stage."""
        with self.transaction():
            self._db.execute(
                "INSERT INTO corpus_state (name, data) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET "
                "data = excluded.data, revision = revision + 1, updated_at = excluded.updated_at",
                (name, sqlite3.Binary(data)),
            )

    def state(self, name: str) -> bytes | None:
        """The state blob of a corpus-level stage, None if it never ran."""
        row = self._db.execute("SELECT data FROM corpus_state WHERE name = ?", (name,)).fetchone()
        return bytes(row[0]) if row else None

    def state_revision(self, name: str) -> int | None:
        """The state blob's revision (it changes with every write), None if never written."""
        row = self._db.execute("SELECT revision FROM corpus_state WHERE name = ?",
                               (name,)).fetchone()
        return int(row[0]) if row else None

    def put_text_vectors(self, model: str, items: Iterable[tuple[bytes, bytes]]) -> None:
        """Store ``(key, vector)`` blobs under ``model``; a key already stored keeps its vector."""
        with self.transaction():
            self._db.executemany("INSERT OR IGNORE INTO text_vectors (model, key, vector) VALUES (?, ?, ?)",
                                 ((model, sqlite3.Binary(k), sqlite3.Binary(v)) for k, v in items))

    def text_vectors(self, model: str, keys: Sequence[bytes]) -> dict[bytes, bytes]:
        """The stored vectors of ``model`` among ``keys``, by key."""
        found: dict[bytes, bytes] = {}
        for start in range(0, len(keys), _CHUNK):
            chunk = [sqlite3.Binary(k) for k in keys[start : start + _CHUNK]]
            marks = ", ".join("?" for _ in chunk)
            rows = self._db.execute(f"SELECT key, vector FROM text_vectors WHERE model = ? AND key IN ({marks})",
                                    (model, *chunk))
            found.update((bytes(k), bytes(v)) for k, v in rows)
        return found

    def reset_stage(self, stage: str) -> None:
        """Forget what ``stage`` did (its bookkeeping, features and state), so it runs again."""
        with self.transaction():
            self._db.execute("DELETE FROM stage_done WHERE stage = ?", (stage,))
            self._db.execute("DELETE FROM features WHERE kind = ?", (stage,))
            self._db.execute("DELETE FROM corpus_state WHERE name = ? OR substr(name, 1, ?) = ?",
                             (stage, len(stage) + 1, stage + "@"))

    def search_text(self, match: str, limit: int = 50) -> list[tuple[str, float]]:
        """Article ids whose title or text match the FTS5 expression ``match``, best first, with
        their BM25 score (higher is better; the title counts three times the text)."""
        try:
            rows = self._db.execute(
                "SELECT a.id, -bm25(articles_fts, 3.0, 1.0) FROM articles_fts JOIN articles a ON a.seq = "
                "articles_fts.rowid WHERE articles_fts MATCH ? ORDER BY bm25(articles_fts, 3.0, 1.0) LIMIT ?",
                (match, limit),
            ).fetchall()
        except sqlite3.OperationalError as exc:
            raise QueryError(f"cannot search for {match!r}: {exc}") from None
        return [(str(i), float(s)) for i, s in rows]

    @contextmanager
    def exclusive(self, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
        """Hold the store's analysis lock: an OS lock (``flock``) on ``<store>.lock`` beside it. A second
        holder waits, after ``on_wait`` is told why; the lock ends with its process, so a killed
        ``analyse`` never leaves it behind. Not on the store file itself: closing any handle to that
        file would drop the POSIX locks SQLite holds on it for this process's connections."""
        try:
            import fcntl
        except ImportError:  # pragma: no cover - no flock (Windows): no lock
            yield
            return
        with open(self.location + ".lock", "ab") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if on_wait is not None:
                    on_wait(f"another `storyline analyse` is running on {self.location}; waiting for it to finish "
                            "(Ctrl-C stops waiting)")
                fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def integrity_ok(self) -> bool:
        """True when SQLite's integrity check passes."""
        return bool(self._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok")

    def close(self) -> None:
        """Close the connection."""
        self._db.close()
        _forget(self.location)


_SQLITE_HEADER = b"SQLite format 3\x00"
_BUSY_SECONDS = 10
# The tables each migration creates: a store at version N has those of migrations 1..N.
_TABLES: tuple[frozenset[str], ...] = tuple(
    frozenset(re.findall(r"CREATE (?:VIRTUAL )?TABLE (\w+)", script)) for script in MIGRATIONS)


# Real paths of the stores this process has open, with how many connections each.
_OPEN: dict[str, int] = {}


def _remember(path: str) -> None:
    key = os.path.realpath(path)
    _OPEN[key] = _OPEN.get(key, 0) + 1


def _forget(path: str) -> None:
    key = os.path.realpath(path)
    if _OPEN.get(key, 0) > 1:
        _OPEN[key] -= 1
    else:
        _OPEN.pop(key, None)


def _check_file(path: str, create: bool) -> bool:
    """Refuse, before SQLite touches it, a path that cannot be a store; True when it is new or 0 bytes
    (only a ``create`` open may use such a path)."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        folder = os.path.dirname(os.path.abspath(path))
        if create and not os.path.isdir(folder):
            raise StoreError(f"{path}: no folder {folder} to hold the store; create it first") from None
        if create:
            return True
        raise StoreError(f"{path}: no store there (run `storyline ingest PATH --db {path}` first)") from None
    except OSError as exc:
        raise StoreError(f"{path}: cannot open the store ({exc.strerror})") from None
    if stat.S_ISDIR(info.st_mode):
        raise StoreError(f"{path}: a folder, not a store; give --db a file (e.g. {os.path.join(path, 'storyline.db')})")
    if not stat.S_ISREG(info.st_mode):
        raise StoreError(f"{path}: not a regular file, not a storyline store; give --db a store file")
    if info.st_size == 0:
        if create:
            return True
        raise StoreError(f"{path}: an empty file, not a storyline store (run `storyline ingest PATH --db {path}` "
                         "to make it one)")
    if os.path.realpath(path) in _OPEN:
        return False  # a store this process has open already: reading its header would close a handle on
        # it, and closing any handle drops the POSIX locks SQLite holds for our connections
    try:
        with open(path, "rb") as handle:
            header = handle.read(len(_SQLITE_HEADER))
    except OSError as exc:
        raise StoreError(f"{path}: cannot read the store ({exc.strerror})") from None
    if header != _SQLITE_HEADER:
        raise StoreError(f"{path}: not a storyline store (not an SQLite database); left unchanged")
    return False


def _connect(path: str, read_only: bool) -> sqlite3.Connection:
    """A connection to ``path``; read-only ones use ``mode=ro``, or ``immutable=1`` when the folder is
    read-only and SQLite cannot create the WAL's shared-memory file there."""
    if not read_only:
        return sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    uri = "file:" + urllib.parse.quote(os.path.abspath(path))
    db = sqlite3.connect(uri + "?mode=ro", uri=True, isolation_level=None, check_same_thread=False)
    try:
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return db
    except sqlite3.OperationalError:
        db.close()
        if _folder_writable(path):
            raise
    return sqlite3.connect(uri + "?immutable=1", uri=True, isolation_level=None, check_same_thread=False)


def _folder_writable(path: str) -> bool:
    return os.access(os.path.dirname(os.path.abspath(path)), os.W_OK)


def _statements(script: str) -> Iterator[str]:
    """The SQL statements of a migration script (a trigger body's semicolons do not end it)."""
    pending = ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n;"):
                yield pending
            pending = ""
    if pending.strip(" \n;"):
        raise StoreError(f"incomplete statement in migration: {pending.strip()[:80]!r}")


def _chunks(items: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]
