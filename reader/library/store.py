"""Library: the SQLite file that holds articles and the reader's state."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from reader.library.models import ALL, Article, ArticleSummary, Facet, ParsedArticle, View
from reader.library.schema import MIGRATIONS, SCHEMA_VERSION

SEP = "\x1f"  # joins categories/tags in one column; cleaning removes it from any term


class LibraryError(Exception):
    """A library file that cannot be used; str() says which and why."""


def _join(terms: Sequence[str]) -> str:
    return SEP.join(terms)


def _split(value: str) -> tuple[str, ...]:
    return tuple(value.split(SEP)) if value else ()


_SUMMARY = (
    "a.id, a.title, a.date, coalesce(r.name, ''), a.categories, a.tags, a.read, a.bookmarked,"
    " a.missing"
)


class Library:
    """One library file. Not thread-safe: give each thread its own `Library`."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, isolation_level=None, timeout=10)
            self.db.execute("PRAGMA busy_timeout = 10000")
            mode = self.db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode != "wal":
                raise LibraryError(f"{self.path}: cannot use write-ahead logging ({mode})")
            self.db.execute("PRAGMA synchronous = NORMAL")
            self.db.execute("PRAGMA foreign_keys = ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise LibraryError(f"{self.path}: not a usable newsreader library ({exc})") from None
        except OSError as exc:
            raise LibraryError(f"{self.path}: cannot open the library ({exc.strerror})") from None

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise LibraryError(
                f"{self.path}: made by a newer newsreader (library schema {version}, "
                f"this version reads up to {SCHEMA_VERSION}); upgrade newsreader"
            )
        for number in range(version, SCHEMA_VERSION):
            # One script per step: the schema change and the version bump commit together.
            try:
                self.db.executescript(
                    f"BEGIN IMMEDIATE; {MIGRATIONS[number]}; PRAGMA user_version = {number + 1};"
                    " COMMIT;"
                )
            except sqlite3.Error:
                if self.db.in_transaction:
                    self.db.execute("ROLLBACK")
                raise

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All or nothing: a crash or an error inside leaves the library as it was."""
        if self.db.in_transaction:
            yield
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # ---- writing, for the importer ----------------------------------------------------------

    def root_id(self, path: str) -> int:
        name = os.path.basename(path.rstrip(os.sep)) or path
        self.db.execute("INSERT OR IGNORE INTO roots(path, name) VALUES (?, ?)", (path, name))
        return self.db.execute("SELECT id FROM roots WHERE path = ?", (path,)).fetchone()[0]

    def known_files(self) -> dict[str, tuple[int, int, int, str]]:
        """path -> (id, size, mtime_ns, hash) of stored files, for skipping unchanged ones."""
        rows = self.db.execute("SELECT path, id, size, mtime_ns, hash FROM articles")
        return {path: (i, size, mtime, digest) for path, i, size, mtime, digest in rows}

    def save(
        self, article: ParsedArticle, root_id: int, size: int, mtime_ns: int, digest: str
    ) -> tuple[int, bool]:
        """Insert or update the article stored for `article.path`; returns (id, is_new).

        Only parsed fields change on update: read state and bookmarks stay.
        """
        sort_ts = article.timestamp if article.timestamp is not None else mtime_ns / 1e9
        values = (
            root_id,
            size,
            mtime_ns,
            digest,
            article.title,
            article.date,
            sort_ts,
            _join(article.categories),
            _join(article.tags),
            article.url,
            article.kind,
            article.body,
            article.words,
            article.chars,
        )
        row = self.db.execute("SELECT id FROM articles WHERE path = ?", (article.path,)).fetchone()
        if row:
            article_id, is_new = row[0], False
            self.db.execute(
                "UPDATE articles SET root_id=?, size=?, mtime_ns=?, hash=?, title=?, date=?,"
                " sort_ts=?, categories=?, tags=?, url=?, kind=?, body=?, words=?, chars=?,"
                " missing=0 WHERE id=?",
                (*values, article_id),
            )
            self.db.execute("DELETE FROM terms WHERE article_id = ?", (article_id,))
        else:
            is_new = True
            article_id = self.db.execute(
                "INSERT INTO articles(root_id, size, mtime_ns, hash, title, date, sort_ts,"
                " categories, tags, url, kind, body, words, chars, path)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (*values, article.path),
            ).lastrowid
        self.db.execute(
            "INSERT OR REPLACE INTO article_text(id, text) VALUES (?, ?)",
            (article_id, article.text),
        )
        self.db.executemany(
            "INSERT OR IGNORE INTO terms(article_id, kind, name) VALUES (?, ?, ?)",
            [(article_id, "category", c) for c in article.categories]
            + [(article_id, "tag", t) for t in article.tags],
        )
        return article_id, is_new

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
        """Delete articles whose files are missing and that hold no reader state."""
        with self.transaction():
            cursor = self.db.execute("DELETE FROM articles WHERE missing = 1 AND bookmarked = 0")
        return cursor.rowcount

    # ---- reading ----------------------------------------------------------------------------

    def _where(self, view: View) -> tuple[str, tuple[object, ...]]:
        if view.kind == "all":
            return "", ()
        if view.kind == "unread":
            return "WHERE a.read = 0", ()
        if view.kind == "bookmarked":
            return "WHERE a.bookmarked = 1", ()
        if view.kind == "source":
            return "WHERE r.name = ?", (view.value,)
        if view.kind in ("category", "tag"):
            return (
                "WHERE a.id IN (SELECT article_id FROM terms WHERE kind = ? AND name = ?)",
                (view.kind, view.value),
            )
        raise ValueError(f"unknown view {view.kind!r}")

    def count(self, view: View = ALL) -> int:
        where, args = self._where(view)
        join = "LEFT JOIN roots r ON r.id = a.root_id" if view.kind == "source" else ""
        return self.db.execute(f"SELECT count(*) FROM articles a {join} {where}", args).fetchone()[
            0
        ]

    def summaries(
        self, view: View = ALL, offset: int = 0, limit: int = 100
    ) -> list[ArticleSummary]:
        """A page of the view, newest first."""
        where, args = self._where(view)
        rows = self.db.execute(
            f"SELECT {_SUMMARY} FROM articles a LEFT JOIN roots r ON r.id = a.root_id {where}"
            " ORDER BY a.sort_ts DESC, a.id DESC LIMIT ? OFFSET ?",
            (*args, limit, offset),
        )
        return [self._summary(row) for row in rows]

    def ids(self, view: View = ALL) -> list[int]:
        """Every id in the view, newest first: cheap enough to hold for 100k articles."""
        where, args = self._where(view)
        join = "LEFT JOIN roots r ON r.id = a.root_id" if view.kind == "source" else ""
        rows = self.db.execute(
            f"SELECT a.id FROM articles a {join} {where} ORDER BY a.sort_ts DESC, a.id DESC", args
        )
        return [row[0] for row in rows]

    def summaries_for(self, ids: Sequence[int]) -> list[ArticleSummary]:
        """Summaries for these ids, in the order given (missing ids are left out)."""
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = self.db.execute(
            f"SELECT {_SUMMARY} FROM articles a LEFT JOIN roots r ON r.id = a.root_id"
            f" WHERE a.id IN ({marks})",
            tuple(ids),
        )
        found = {row[0]: self._summary(row) for row in rows}
        return [found[i] for i in ids if i in found]

    @staticmethod
    def _summary(row: tuple) -> ArticleSummary:
        i, title, date, source, cats, tags, read, bookmarked, missing = row
        return ArticleSummary(
            i,
            title,
            date,
            source,
            _split(cats),
            _split(tags),
            bool(read),
            bool(bookmarked),
            bool(missing),
        )

    def locations(self, ids: Sequence[int]) -> dict[int, tuple[str, str | None]]:
        """id -> (source path, url), for listings that print them."""
        found: dict[int, tuple[str, str | None]] = {}
        for start in range(0, len(ids), 500):
            chunk = tuple(ids[start : start + 500])
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(
                f"SELECT id, path, url FROM articles WHERE id IN ({marks})", chunk
            )
            found.update((i, (path, url)) for i, path, url in rows)
        return found

    def article(self, article_id: int) -> Article | None:
        row = self.db.execute(
            "SELECT a.id, a.title, a.date, coalesce(r.name, ''), a.categories, a.tags, a.read,"
            " a.bookmarked, a.url, a.path, a.kind, a.body, a.words, a.chars, a.missing"
            " FROM articles a LEFT JOIN roots r ON r.id = a.root_id WHERE a.id = ?",
            (article_id,),
        ).fetchone()
        if row is None:
            return None
        i, title, date, source, cats, tags, read, bm, url, path, kind, body, words, chars, gone = (
            row
        )
        return Article(
            i,
            title,
            date,
            source,
            _split(cats),
            _split(tags),
            bool(read),
            bool(bm),
            url,
            path,
            kind,
            body,
            words,
            chars,
            bool(gone),
        )

    def set_read(self, ids: Iterable[int], read: bool = True) -> None:
        with self.transaction():
            self.db.executemany(
                "UPDATE articles SET read = ? WHERE id = ?", [(int(read), i) for i in ids]
            )

    def view_counts(self) -> dict[str, int]:
        total, unread, bookmarked = self.db.execute(
            "SELECT count(*), total(read = 0), total(bookmarked) FROM articles"
        ).fetchone()
        return {"all": total, "unread": int(unread), "bookmarked": int(bookmarked)}

    def facets(self, kind: str) -> list[Facet]:
        """Sources, categories or tags with their article counts, biggest first."""
        if kind == "source":
            rows = self.db.execute(
                "SELECT r.name, count(a.id), total(a.read = 0) FROM roots r"
                " JOIN articles a ON a.root_id = r.id GROUP BY r.name ORDER BY count(a.id) DESC"
            )
        else:
            rows = self.db.execute(
                "SELECT t.name, count(*), total(a.read = 0) FROM terms t"
                " JOIN articles a ON a.id = t.article_id WHERE t.kind = ?"
                " GROUP BY t.name ORDER BY count(*) DESC, t.name",
                (kind,),
            )
        return [Facet(name, count, int(unread)) for name, count, unread in rows]

    def stats(self) -> dict[str, object]:
        counts = self.view_counts()
        missing = self.db.execute("SELECT count(*) FROM articles WHERE missing = 1").fetchone()[0]
        size = sum(p.stat().st_size for p in (self.path, Path(f"{self.path}-wal")) if p.exists())
        return {
            "library": str(self.path),
            "articles": counts["all"],
            "unread": counts["unread"],
            "bookmarked": counts["bookmarked"],
            "missing": missing,
            "size_bytes": size,
            "sources": self.facets("source"),
            "categories": self.facets("category"),
            "tags": self.facets("tag"),
        }

    def setting(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)", (key, value))
