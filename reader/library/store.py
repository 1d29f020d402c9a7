"""Library: the SQLite file that holds articles and the reader's state."""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, suppress
from pathlib import Path
from typing import TypeVar

from reader.library.changes import ChangeMixin
from reader.library.deferred import build_if_left
from reader.library.errors import LibraryError, explain
from reader.library.feed_store import FeedStore
from reader.library.full_store import FullTextStore
from reader.library.ignore import IgnoreMixin
from reader.library.indexing import IndexMixin
from reader.library.models import ParsedArticle
from reader.library.order import tie_key, title_key
from reader.library.queries import QueryMixin
from reader.library.rows import ADD_TERM, columns, terms
from reader.library.schema import AFTER, MIGRATIONS, SCHEMA_VERSION
from reader.library.search import SearchMixin
from reader.library.state import StateMixin, _join
from reader.library.stories import StoryMixin
from reader.library.sync_items import SyncItems
from reader.library.sync_store import SyncStore
from reader.library.text import clean_line
from reader.library.turns import SLICE, Holding, begin, give_way, holding

T = TypeVar("T")
COMPACT = 2000  # pages given back to the file system in one transaction (see compact)
WAIT = 10.0  # seconds a command waits for another writer before it gives up


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (sqlite3.complete_statement knows quotes)."""
    statements, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    if current.strip():
        statements.append(current.strip())
    return [s for s in statements if s.strip(" ;\n")]


class Library(
    QueryMixin,
    StateMixin,
    ChangeMixin,
    IndexMixin,
    SearchMixin,
    FeedStore,
    SyncStore,
    SyncItems,
    StoryMixin,
    IgnoreMixin,
    FullTextStore,
):
    """One library file. Not thread-safe: give each thread its own `Library`."""

    wait_limit: float | None = WAIT  # None: a change waits as long as another writer writes
    on_wait: Callable[[float], None] | None = None  # told how long a change has waited
    longest_hold = 0.0  # seconds: the longest this connection held the write lock

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._reindex_open: set[int] = set()
        sidecars = [Path(f"{self.path}{end}") for end in ("-wal", "-shm")]
        new = [file for file in sidecars if not file.exists()]
        opened: sqlite3.Connection | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = opened = sqlite3.connect(self.path, isolation_level=None, timeout=10)
            self.db.execute("PRAGMA busy_timeout = 10000")
            # Tag keys are Python's casefold (SQLite's lower() folds ASCII only).
            self.db.create_function("casefold", 1, str.casefold, deterministic=True)
            for function in (tie_key, title_key):  # the sort keys, for the migration adding them
                self.db.create_function(function.__name__, 1, function, deterministic=True)
            self._check_version()  # before anything is written to a newer library
            self._new_file_settings()
            mode = self._wal()
            if mode != "wal":
                raise LibraryError(f"{self.path}: cannot use write-ahead logging ({mode})")
            self.db.execute("PRAGMA synchronous = NORMAL")
            self.db.execute("PRAGMA foreign_keys = ON")
            self._migrate()
            self.fold_as_now()
            self.start_journal()
            with suppress(LibraryError, sqlite3.Error):  # (slower queries, not a failure)
                build_if_left(self)
        except BaseException as exc:
            if opened is not None:
                opened.close()
            if isinstance(exc, sqlite3.Error):
                reason = explain(exc, self.path)
                if reason.startswith("the disk is full"):  # (then no other open can have
                    for file in new:  # made them meanwhile: its -shm could not grow either)
                        with suppress(OSError):
                            if file.stat().st_size < 32768:  # never a working -shm
                                file.unlink()
                raise LibraryError(f"{self.path}: {reason}") from None
            if isinstance(exc, OSError):
                raise LibraryError(
                    f"{self.path}: cannot open the library ({exc.strerror})"
                ) from None
            raise

    def _new_file_settings(self) -> None:
        """A new library: 16 KB pages (an HTML post's row of ~3 KB left a quarter of each 4 KB
        page empty) and pages an import freed given back to the file system (see `compact`).
        Only possible before the first table; older libraries keep what they had."""
        if not self.db.execute("SELECT 1 FROM sqlite_master").fetchone():
            self.db.execute("PRAGMA page_size = 16384")
            self.db.execute("PRAGMA auto_vacuum = INCREMENTAL")

    def _wal(self) -> str:
        """Switch to WAL. The switch does not wait on busy_timeout when another process is
        creating the same new file, so wait here (up to the same 10 s)."""
        for attempt in range(200):
            try:
                return str(self.db.execute("PRAGMA journal_mode = WAL").fetchone()[0])
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or attempt == 199:
                    raise
                time.sleep(0.05)
        raise AssertionError("unreachable")  # pragma: no cover

    def _check_version(self) -> int:
        version = int(self.db.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise LibraryError(
                f"{self.path}: made by a newer newsreader (library schema {version}, "
                f"this version reads up to {SCHEMA_VERSION}); upgrade newsreader"
            )
        return version

    def _migrate(self) -> None:
        version = self._check_version()
        if 0 < version < SCHEMA_VERSION:
            self._back_up(version)
        while self._check_version() < SCHEMA_VERSION:
            # Each step commits whole, with its version bump, or not at all. The version is
            # read again inside the write lock: another process may have just migrated.
            begin(self.db, self.path, WAIT)
            try:
                number = self._check_version()
                if number < SCHEMA_VERSION:
                    for statement in _statements(MIGRATIONS[number]):
                        self.db.execute(statement)
                    if number + 1 in AFTER:
                        getattr(self, AFTER[number + 1])()
                    self.db.execute(f"PRAGMA user_version = {number + 1}")
            except BaseException:
                if self.db.in_transaction:  # SQLite may have rolled back already (a full disk)
                    self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")

    def _back_up(self, version: int) -> None:
        """Copy the library before its schema changes: `NAME.schema-N.bak` beside it."""
        target = self.path.with_name(f"{self.path.name}.schema-{version}.bak")
        if target.exists():
            return
        temporary = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        try:
            copy = sqlite3.connect(temporary)
            try:
                self.db.backup(copy)
            finally:
                copy.close()
            os.replace(temporary, target)
        except (sqlite3.Error, OSError) as exc:
            temporary.unlink(missing_ok=True)
            reason = explain(exc) if isinstance(exc, sqlite3.Error) else exc.strerror
            raise LibraryError(
                f"{self.path}: not upgraded, since it could not be backed up first ({reason})"
            ) from None

    def data_version(self) -> int:
        """Changes whenever another connection (an import, another app) commits."""
        return int(self.db.execute("PRAGMA data_version").fetchone()[0])

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All or nothing: a crash or an error inside leaves the library as it was. Waits
        its turn when another writer holds the library (see `turns`)."""
        if self.db.in_transaction:
            yield
            return
        begin(self.db, self.path, self.wait_limit, self.on_wait)
        started = time.monotonic()
        try:
            yield
            self.db.execute("COMMIT")
        except BaseException:
            if self.db.in_transaction:  # SQLite may have rolled back already (a full disk)
                self.db.execute("ROLLBACK")
            raise
        self.longest_hold = max(self.longest_hold, time.monotonic() - started)
        give_way(self.path)

    def slices(self, items: Iterable[T]) -> Iterator[T]:
        """`items`, each handled in a transaction that commits every `SLICE` seconds: a
        long job never keeps another writer waiting longer. Consume it to the end."""
        rest = iter(items)
        while True:
            with self.transaction():
                until = time.monotonic() + SLICE
                for item in rest:
                    yield item
                    if time.monotonic() > until:
                        break
                else:
                    return

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """For a long job that writes much (an import): a page cache big enough for the
        library's indexes (SQLite's default 2 MB makes each insert read pages back), and
        the WAL copied into the library every 40 MB instead of every 4 MB."""
        self.db.execute("PRAGMA cache_size = -65536")
        self.db.execute("PRAGMA wal_autocheckpoint = 10000")
        try:
            yield
        finally:
            self.db.execute("PRAGMA cache_size = -2000")
            self.db.execute("PRAGMA wal_autocheckpoint = 1000")

    def compact(self) -> int:
        """Give the pages a long job freed (the search index's merges leave ~15% of it)
        back to the file system, a slice at a time; returns how many (none in a library
        made before this was possible)."""
        freed = 0
        if self.db.execute("PRAGMA auto_vacuum").fetchone()[0] != 2:  # INCREMENTAL
            return 0
        while left := self.db.execute("PRAGMA freelist_count").fetchone()[0]:
            with self.transaction():
                for _ in range(min(left, COMPACT)):  # (one page each: sqlite3 takes one
                    self.db.execute("PRAGMA incremental_vacuum")  # step of the pragma)
            freed += min(left, COMPACT)
        return freed

    def holding(self, what: str) -> AbstractContextManager[Holding]:
        """Name a long job (`an import`) for a change that waits for it meanwhile."""
        return holding(self.path, what)

    # ---- writing, for the importer ----------------------------------------------------------

    def root_id(self, path: str) -> int:
        name = clean_line(os.path.basename(path.rstrip(os.sep)) or path) or "(unnamed)"
        self.db.execute("INSERT OR IGNORE INTO roots(path, name) VALUES (?, ?)", (path, name))
        return int(self.db.execute("SELECT id FROM roots WHERE path = ?", (path,)).fetchone()[0])

    def known_files(self) -> dict[str, tuple[int, int, int, str]]:
        """path -> (id, size, mtime_ns, hash) of stored files, for skipping unchanged ones."""
        rows = self.db.execute("SELECT path, id, size, mtime_ns, hash FROM articles")
        return {path: (i, size, mtime, digest) for path, i, size, mtime, digest in rows}

    def save(
        self, article: ParsedArticle, root_id: int, size: int, mtime_ns: int, digest: str
    ) -> tuple[int, bool]:
        """Insert or update the article stored for `article.path`; returns (id, is_new).
        It is indexed for search by `index_pending`, after.

        Only parsed fields change on update: read state, bookmarks and user tags stay.
        A new path whose bytes match an article whose file is gone is that article moved.
        """
        row = self.db.execute(
            "SELECT id FROM articles WHERE path = ?", (article.path,)
        ).fetchone() or self._moved(digest)
        if not row:
            return self.add_articles(root_id, [(article, size, mtime_ns, digest)])[0], True
        article_id = row[0]
        self.unindex_article(article_id)
        self.db.execute(
            "UPDATE articles SET root_id=?, size=?, mtime_ns=?, hash=?, title=?, date=?,"
            " sort_ts=?, categories=?, url=?, kind=?, body=?, words=?, chars=?, path=?,"
            " order_ts=?, tie_key=?, title_key=?, html=?, fts_rowid=?, missing=0, indexed=0"
            " WHERE id=?",
            (*columns(article_id, article, root_id, size, mtime_ns, digest), article_id),
        )
        self.db.execute(
            "DELETE FROM terms WHERE article_id = ? AND origin = 'source'", (article_id,)
        )
        hidden = {
            k
            for (k,) in self.db.execute(
                "SELECT key FROM hidden_tags WHERE article_id = ?", (article_id,)
            )
        }
        self.db.executemany(ADD_TERM, terms(article_id, article, hidden))
        self.sync_tags(article_id)
        return article_id, False

    def add_articles(
        self, root_id: int, items: Sequence[tuple[ParsedArticle, int, int, str]]
    ) -> list[int]:
        """Insert new articles (article, size, mtime_ns, hash) in one statement; their ids.
        They are indexed for search by `index_pending`, after."""
        first = self.db.execute("SELECT coalesce(max(id), 0) + 1 FROM articles").fetchone()[0]
        ids = list(range(first, first + len(items)))
        rows, all_terms = [], []
        for article_id, (article, size, mtime_ns, digest) in zip(ids, items, strict=True):
            tags = terms(article_id, article, set())
            names = _join([name for _, kind, _, name, _ in tags if kind == "tag"])
            fields = columns(article_id, article, root_id, size, mtime_ns, digest)
            rows.append((article_id, *fields, names, f"file:{digest}"))
            all_terms += tags
        self.db.executemany(
            "INSERT INTO articles(id, root_id, size, mtime_ns, hash, title, date, sort_ts,"
            " categories, url, kind, body, words, chars, path, order_ts, tie_key, title_key,"
            " html, fts_rowid, tags, uid, indexed)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,0)",
            rows,
        )
        self.db.executemany(ADD_TERM, all_terms)
        return ids

    def _moved(self, digest: str) -> tuple[int] | None:
        """An article with these exact bytes whose file no longer exists (moved or renamed)."""
        for article_id, path in self.db.execute(
            "SELECT id, path FROM articles WHERE hash = ?", (digest,)
        ).fetchall():
            if not os.path.exists(path):
                return (article_id,)
        return None

    def sync_tags(self, article_id: int) -> None:
        """Refresh the article's visible tags (source ones not hidden, then the user's)."""
        names = [
            n
            for (n,) in self.db.execute(
                "SELECT name FROM terms WHERE article_id = ? AND kind = 'tag'"
                " ORDER BY origin = 'user', pos, name",
                (article_id,),
            )
        ]
        self.db.execute("UPDATE articles SET tags = ? WHERE id = ?", (_join(names), article_id))

    def touch(self, article_id: int, size: int, mtime_ns: int) -> None:
        """A file whose bytes did not change: remember its new mtime so the next scan skips it."""
        self.db.execute(
            "UPDATE articles SET size=?, mtime_ns=?, missing=0 WHERE id=?",
            (size, mtime_ns, article_id),
        )

    def mark_missing(self, root_id: int, present: set[int]) -> int:
        """Flag the root's articles whose files are gone; they stay until pruned."""
        rows = self.db.execute(
            "SELECT id, missing FROM articles WHERE root_id = ?", (root_id,)
        ).fetchall()
        gone = [(i,) for i, missing in rows if i not in present and not missing]
        back = [(i,) for i, missing in rows if i in present and missing]
        self.db.executemany("UPDATE articles SET missing = 1 WHERE id = ?", gone)
        self.db.executemany("UPDATE articles SET missing = 0 WHERE id = ?", back)
        return len(gone)

    def prune(self) -> int:
        """Delete articles whose files are gone, unless bookmarked, noted or tagged by the user."""
        ids = [
            i
            for (i,) in self.db.execute(
                "SELECT id FROM articles a WHERE missing = 1 AND bookmarked = 0 AND note = ''"
                " AND NOT EXISTS (SELECT 1 FROM terms t WHERE t.article_id = a.id"
                " AND t.origin = 'user')"
            )
        ]
        deleted = 0
        for article_id in self.slices(ids):  # (looked at again: state may have come since)
            if self.db.execute(
                "SELECT 1 FROM articles a WHERE id = ? AND missing = 1 AND bookmarked = 0"
                " AND note = '' AND NOT EXISTS (SELECT 1 FROM terms t WHERE"
                " t.article_id = a.id AND t.origin = 'user')",
                (article_id,),
            ).fetchone():
                self.unindex_article(article_id)
                self.db.execute("DELETE FROM articles WHERE id = ?", (article_id,))
                deleted += 1
        return deleted

    def setting(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        with self.transaction():
            self.db.execute(
                "INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)", (key, value)
            )
