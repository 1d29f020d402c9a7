"""Reading what can still be read in a damaged library file, for `doctor --recover`.

A cut (truncated) file is read with `writable_schema` on, which lets SQLite read the pages
that are there instead of refusing the whole file; a file whose first page's header is
gone is read through a copy with a header written anew. Tables are read whole when they
can be, else one row at a time, so that a damaged page loses only its own rows.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import struct
import tempfile
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reader.library.errors import LibraryError
from reader.library.schema import SCHEMA_VERSION
from reader.library.state import STATE_FORMAT, _split
from reader.library.turns import in_use
from reader.library.views import EXTRA

MAGIC = b"SQLite format 3\x00"
PAGE_SIZES = (4096, 1024, 2048, 8192, 16384, 32768, 65536, 512)  # the usual one first
MAX_ROWID = 10_000_000  # how far rows are looked for, at most
GAP = 5_000  # ... when max(id) cannot be read: until this many ids in a row hold nothing
BY_ARTICLE = "article_id"  # the range key of tables without rowids
LIGHT = "id, uid, path, hash, title, date, read, bookmarked, note, root_id"
WHOLE = (  # what an article row needs to be stored again (see `recovery.carry_over`)
    "id, path, root_id, size, mtime_ns, hash, title, date, sort_ts, categories, tags, url,"
    " kind, body, words, chars, uid"
)


@dataclass
class Salvaged:
    """What could be read: reading state as `export_state` writes it, and the rest."""

    state: dict[str, Any]
    roots: dict[int, str]  # id -> path (`feed:URL` for a feed's)
    files: list[str]  # the path of every article row read
    saved_views: list[tuple[str, str]]
    settings: list[tuple[str, str]]
    feeds: list[tuple[Any, ...]]  # id, url, name, named, tag, keep, keep_days
    pruned: list[tuple[int, str]]  # feed_pruned: (feed_id, key)
    articles: dict[int, tuple[Any, ...]] = field(default_factory=dict)  # id -> LIGHT row
    # sync accounts (their rows as sync_store.py writes them), subscriptions, and marks
    accounts: list[tuple[Any, ...]] = field(default_factory=list)
    subscriptions: list[tuple[Any, ...]] = field(default_factory=list)
    synced: list[tuple[Any, ...]] = field(default_factory=list)
    # id -> its names of views.EXTRA's kinds (authors…), for articles carried over
    extras: dict[int, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    whole: bool = True  # the articles table was read whole: no row of it is missing

    def matcher(self) -> Callable[[dict[str, Any]], int | None]:
        """`Library._match` over the article rows read: the id of the one a state record
        is about (by uid, then path, then content; the path decides among several)."""
        index: dict[str, dict[str, list[tuple[int, str]]]] = {"uid": {}, "path": {}, "hash": {}}
        for article_id, (_, uid, file, digest, *_rest) in sorted(self.articles.items()):
            for column, value in (("uid", uid), ("path", file), ("hash", digest)):
                index[column].setdefault(value, []).append((article_id, file))

        def match(record: dict[str, Any]) -> int | None:
            for column in ("uid", "path", "hash"):
                value = record.get(column)
                rows = index[column].get(value) if isinstance(value, str) and value else None
                if rows:
                    return next((i for i, file in rows if file == record.get("path")), rows[0][0])
            return None

        return match


class Damaged:
    """A read-only connection to a (damaged) library; a context manager."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._copy: tempfile.TemporaryDirectory[str] | None = None
        sidecars = [Path(f"{path}{end}") for end in ("-wal", "-shm")]
        self._made = [file for file in sidecars if not file.exists()]  # see `close`
        try:
            with open(path, "rb") as file:
                head = file.read(16)
        except OSError as exc:
            raise LibraryError(f"{path}: cannot be read ({exc.strerror})") from None
        try:
            self.db = self._open(path) if head == MAGIC else self._open_rewritten(path)
        except sqlite3.Error as exc:
            self.close()
            raise LibraryError(f"{path}: nothing can be read from it ({exc})") from None

    @staticmethod
    def _open(path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            # A cut file is shorter than its header says: SQLite refuses it all unless
            # this is on; with it, every page that is there can be read.
            db.execute("PRAGMA writable_schema = ON")
            if not db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                raise sqlite3.DatabaseError("no tables in it")
        except sqlite3.Error:
            db.close()
            raise
        return db

    def _open_rewritten(self, path: Path) -> sqlite3.Connection:
        """A copy with a new header: the page size that lets the schema be read."""
        self._copy = tempfile.TemporaryDirectory(prefix="newsreader-recover-")
        copy = Path(self._copy.name) / "library.db"
        shutil.copyfile(path, copy)
        size = copy.stat().st_size
        error: sqlite3.Error = sqlite3.DatabaseError("file is not a database")
        for page_size in likely_page_sizes(copy):
            with open(copy, "r+b") as file:
                file.write(_header(page_size, size // page_size))
            try:
                return self._open(copy)
            except sqlite3.Error as exc:
                error = exc
        raise error

    def close(self) -> None:
        """Close, and remove the `-wal` and `-shm` files that reading made (a read-only
        connection leaves them) unless another process has the library open now."""
        with suppress(AttributeError):
            self.db.close()
        if self._copy is not None:
            self._copy.cleanup()
        wal = Path(f"{self.path}-wal")
        with suppress(OSError):
            empty = not wal.exists() or not wal.stat().st_size
            if self._made and empty and not in_use(self.path):
                for file in self._made:
                    file.unlink(missing_ok=True)

    def __enter__(self) -> Damaged:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def rows(
        self,
        table: str,
        columns: str,
        where: str = "1",
        key: str = "rowid",
        damaged: set[str] | None = None,
    ) -> Iterator[Any]:
        """Rows of `table`, or as many as can be read one `key` value (an integer column)
        at a time: a damaged page loses only its rows. (Range scans over a damaged tree
        can stop early without an error, so single rows it is: ~20 µs each.) A table that
        could not be read whole is added to `damaged`."""
        db = self.db
        try:
            yield from db.execute(f"SELECT {columns} FROM {table} WHERE {where}").fetchall()
            return
        except sqlite3.DatabaseError as exc:
            if "no such table" in str(exc):  # a library from before that table
                return
            if damaged is not None:
                damaged.add(table)
        try:
            top = db.execute(f"SELECT max({key}) FROM {table}").fetchone()[0] or 0
        except sqlite3.DatabaseError:
            top = -1  # unknown: look until GAP values in a row hold nothing
        one = f"SELECT {columns} FROM {table} WHERE {where} AND {key} = ?"
        found = 0
        for value in range(MAX_ROWID):
            if value > top and value > found + GAP:
                return
            try:
                rows = db.execute(one, (value,)).fetchall()
            except sqlite3.DatabaseError:
                continue
            if rows:
                found = value
                yield from rows

    def article_rows(self, ids: list[int]) -> Iterator[tuple[Any, ...]]:
        """Whole article rows (WHOLE's columns), those that can be read, one at a time."""
        for article_id in ids:
            with suppress(sqlite3.DatabaseError):
                row = self.db.execute(
                    f"SELECT {WHOLE} FROM articles WHERE id = ?", (article_id,)
                ).fetchone()
                if row is not None:
                    yield row

    def salvage(self) -> Salvaged:
        """The user state readable here, as `export_state` writes it; the import roots and
        article files; saved views, settings and feeds. Unreadable rows are skipped."""
        damaged: set[str] = set()
        articles = {  # (a row with no path is torn: nothing could bring it back)
            row[0]: row
            for row in self.rows("articles", LIGHT, damaged=damaged)
            if isinstance(row[2], str)
        }
        user_tags: dict[int, list[str]] = {}
        user = self.rows("terms", "article_id, name", "origin = 'user'", BY_ARTICLE, damaged)
        for article_id, name in user:
            user_tags.setdefault(article_id, []).append(name)
        if "terms" in damaged:  # then the tags each article showed: its source tags come
            for article_id, tags in self.rows("articles", "id, tags"):  # back with the
                if tags:  # import, so what this adds is the user's
                    user_tags.setdefault(article_id, []).extend(_split(tags))
        hidden: dict[int, list[str]] = {}
        for article_id, key in self.rows("hidden_tags", "article_id, key", key=BY_ARTICLE):
            hidden.setdefault(article_id, []).append(key)
        records = []
        for row in articles.values():
            article_id, uid, file, digest, title, date, read, bookmarked, note, _ = row
            if not (read or bookmarked or note or article_id in user_tags or article_id in hidden):
                continue
            record: dict[str, Any] = {
                "uid": uid,
                "path": file,
                "hash": digest,
                "title": title,
                "date": date,
                "read": bool(read),
                "bookmarked": bool(bookmarked),
            }
            if note:
                record["note"] = note
            if article_id in user_tags:
                record["tags"] = user_tags[article_id]
            if article_id in hidden:
                record["hidden_tags"] = hidden[article_id]
            records.append(record)
        extras: dict[int, dict[str, tuple[str, ...]]] = {}
        kinds = ",".join(f"'{kind.name}'" for kind in EXTRA)  # (names from our own table)
        where = f"origin = 'source' AND kind IN ({kinds})"
        found = (
            self.rows("terms", "article_id, kind, name, pos", where, BY_ARTICLE) if EXTRA else []
        )
        for article_id, kind, name, _ in sorted(found, key=lambda row: (row[0], row[1], row[3])):
            names = extras.setdefault(article_id, {})
            names[kind] = (*names.get(kind, ()), name)
        return Salvaged(
            state={"newsreader_state": STATE_FORMAT, "articles": records},
            roots=dict(self.rows("roots", "id, path")),
            files=[row[2] for row in articles.values()],
            saved_views=list(self.rows("saved_views", "name, query")),
            settings=list(self.rows("settings", "key, value")),
            feeds=list(self.rows("feeds", "id, url, name, named, tag, keep, keep_days")),
            pruned=list(self.rows("feed_pruned", "feed_id, key", key="feed_id")),
            articles=articles,
            accounts=list(
                self.rows("accounts", "id, name, url, user, api, since, listed, synced, error")
            ),
            subscriptions=list(
                self.rows("subscriptions", "account_id, stream, title, url, folders")
            ),
            synced=list(
                self.rows(
                    "synced",
                    "account_id, item, read, starred, labels",
                    key="article_id",
                )
            ),
            extras=extras,
            whole="articles" not in damaged,
        )


_BTREE_PAGES = frozenset((2, 5, 10, 13))  # the first byte of a b-tree page: its kind


def likely_page_sizes(path: Path, looks: int = 4000) -> list[int]:
    """PAGE_SIZES, the likeliest first: the smallest at whose multiples b-tree pages start
    (nearly) as often as at any size's. A smaller size than the file's lets the schema be
    read too, then reads the rest wrong; a larger one skips pages."""
    length = path.stat().st_size

    def starts(size: int) -> float:
        offsets = range(size, length, size)[:looks]
        found = 0
        for offset in offsets:
            file.seek(offset)
            found += file.read(1)[0] in _BTREE_PAGES
        return found / max(1, len(offsets))

    with open(path, "rb") as file:
        rate = {size: starts(size) for size in PAGE_SIZES if size < length}
    best = max(rate.values(), default=0.0)
    likely = sorted(size for size, r in rate.items() if best and r >= 0.9 * best)[:1]
    return likely + [size for size in PAGE_SIZES if size not in likely]


def _header(page_size: int, pages: int) -> bytes:
    """A database header for a file whose own is gone (see sqlite.org/fileformat.html)."""
    header = bytearray(100)
    header[:16] = MAGIC
    struct.pack_into(">H", header, 16, 1 if page_size == 65536 else page_size)
    header[18:24] = bytes((1, 1, 0, 64, 32, 32))  # rollback journal; payload fractions
    # change counter, pages, no freelist, schema cookie and format 4, UTF-8, user_version
    struct.pack_into(">12I", header, 24, 1, pages, 0, 0, 1, 4, 0, 0, 1, SCHEMA_VERSION, 0, 0)
    major, minor, patch = sqlite3.sqlite_version_info
    struct.pack_into(">II", header, 92, 1, major * 1_000_000 + minor * 1000 + patch)
    return bytes(header)


def salvage(path: Path) -> Salvaged:
    """What `Damaged.salvage` reads from the library at `path`."""
    with Damaged(path) as damaged:
        return damaged.salvage()


def file_exists(path: str) -> bool:
    """Whether an article's file is there (a feed entry's `feed:` path never is)."""
    return not path.startswith("feed:") and os.path.exists(path)
