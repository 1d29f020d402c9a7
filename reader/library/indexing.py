"""Keeping the full-text index in step with the articles: an article is indexed after it
is written (`index_pending`: in the index's rowid order, in slices, its index rows made by
worker processes when an import gives them), and taken out and put back around a change
to its text or tags (`reindexing`). How text becomes index tokens is in `fts.py`."""

from __future__ import annotations

import sqlite3
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future
from contextlib import contextmanager, suppress
from itertools import islice
from typing import Any, cast

from reader.library.base import StorageBase
from reader.library.body import plain_of, unpacked
from reader.library.errors import LibraryError
from reader.library.fold import FOLD_ID, fold
from reader.library.fts import TOKENS_ID, index_folded, index_text
from reader.library.order import FTS_ROWID
from reader.library.stories import SKETCH_ID, sketch
from reader.library.text import count_words
from reader.library.turns import busy, rebuilding

INDEX_BATCH = 200  # articles indexed by one statement
FOLD = "search.fold"  # setting: the fold and sketch the index was made with (MADE_BY)
MADE_BY = f"{FOLD_ID}/{SKETCH_ID}/{TOKENS_ID}"
INDEX_CHUNK = 2000  # articles read (and their index rows made) at a time
IndexRows = list[tuple[Any, ...]]  # rows of the search table and counts (_index_rows)
Chunk = tuple[int, list[tuple[object, ...]]]  # data_version, rows (see _pending_chunks)
AHEAD = 2  # chunks whose index rows are being made while one is written
MAKERS = 4  # parts a chunk's index rows are made in, by a pool's processes
PASSES = 3  # over the unindexed articles: the next takes those changed while read
# The columns an index row is made of (see _values), with fts_rowid first; the last is the
# article's full text from its page (full_store.py), indexed with its body.
_INDEXED = (
    "fts_rowid, title, kind, html, body, tags, categories, note,"
    " (SELECT f.body FROM full_texts f WHERE f.article_id = articles.id)"
)
# (before schema 9 no `html` column, before 15 no full texts)
_BEFORE_9 = "fts_rowid, title, kind, 0, body, tags, categories, note, NULL"
_INSERT = "INSERT INTO search(rowid, title, body, tags, categories, note) VALUES (?, ?, ?, ?, ?, ?)"
_DELETE = (
    "INSERT INTO search(search, rowid, title, body, tags, categories, note)"
    " VALUES ('delete', ?, ?, ?, ?, ?, ?)"
)


class IndexMixin(StorageBase):
    """Index methods of `Library` (which provides `db`)."""

    def plain_text(self, article_id: int) -> str:
        """The article's text as search sees it: derived from the stored body."""
        row = self.db.execute(
            "SELECT kind, html, body FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        return "" if row is None else _text(*row)

    def _fts_values(self, article_id: int) -> tuple[int | str, ...] | None:
        """The index row of an article that is in the index (indexed = 1), else None."""
        row = self.db.execute(
            f"SELECT {_INDEXED} FROM articles WHERE id = ? AND indexed = 1", (article_id,)
        ).fetchone()
        return None if row is None or row[1] is None else _values(row)

    def index_article(self, article_id: int) -> None:
        """Put an article that is in the index back after a change (see `reindexing`)."""
        values = self._fts_values(article_id)
        if values is not None:
            self.db.execute(_INSERT, values)

    def unindex_article(self, article_id: int) -> None:
        values = self._fts_values(article_id)
        if values is not None:
            self.db.execute(_DELETE, values)

    @contextmanager
    def reindexing(self, ids: Iterable[int]) -> Iterator[None]:
        """Wrap a change to articles' text or tags: out of the index before, back in after.

        The index is contentless, so removing an entry needs exactly the values it was
        built from: the stored article as it is before the change. An article not in the
        index yet is left to `index_pending`, which indexes it as it is then.
        """
        ids = [i for i in ids if i not in self._reindex_open]
        for article_id in ids:
            self.unindex_article(article_id)
        self._reindex_open.update(ids)
        try:
            yield
        finally:
            self._reindex_open.difference_update(ids)
        for article_id in ids:
            self.index_article(article_id)

    def fold_as_now(self) -> None:
        """An index folded or sketched otherwise (a library from before folding or stories,
        or one whose fold or sketch has changed since: MADE_BY) is emptied, its articles to
        be indexed (and grouped into stories) again: beside the app, as after an import, or
        by `newsreader doctor`, with their progress."""
        if self.setting(FOLD) == MADE_BY:
            return
        limit, self.wait_limit = self.wait_limit, 0.2
        with suppress(sqlite3.Error, LibraryError), self.transaction():  # (a read-only file
            if self.setting(FOLD) != MADE_BY:  # or another writer: the next open does it)
                self.db.execute("INSERT INTO search(search) VALUES ('delete-all')")
                self.db.execute("UPDATE articles SET indexed = 0 WHERE indexed = 1")
                self.set_setting(FOLD, MADE_BY)
        self.wait_limit = limit

    def check_index(self) -> None:
        """FTS5's own check of the index: raises SQLite's error when it is damaged. (An
        INSERT: run it in a transaction that is rolled back, as doctor does.)"""
        self.db.execute("INSERT INTO search(search) VALUES ('integrity-check')")

    def unindexed(self) -> int:
        """How many articles search does not cover yet (see `index_pending`)."""
        return int(self.db.execute("SELECT count(*) FROM articles WHERE indexed = 0").fetchone()[0])

    def coverage(self) -> str | None:
        """A line saying that search does not cover every article yet (and what will make
        it), or None when it does."""
        left = self.unindexed()
        if not left:
            return None
        total = self.count()
        covered = f"Search covers {total - left:,} of {total:,} articles"
        job = busy(self.path)
        if job and job.stage == "indexing" and job.total:
            return f"{covered}: indexing for search, {100 * job.done // job.total}% done."
        if job and job.stage:
            return f"{covered}: {job.what} is running; it indexes the rest when it is done."
        return f"{covered}: `newsreader doctor` indexes the other {left:,}."

    def index_pending(
        self, progress: Callable[[int, int], None] | None = None, pool: Executor | None = None
    ) -> int:
        """Index every article that is not in the index yet, in the index's rowid order (so
        FTS5 appends instead of merging), in slices; returns how many.

        The index rows are made outside the lock (by `pool`'s processes, when given, while
        the previous chunk is written), so another writer may change an article meanwhile:
        a row is written only when the article is still as it was read, and looked at
        again in the next pass otherwise."""
        total, done = self.unindexed(), 0
        if progress and total:
            progress(0, total)
        for _ in range(PASSES):
            chunks = (_made(chunk, pool) for chunk in self._pending_chunks())
            ahead = deque(islice(chunks, AHEAD))  # (made while the one before is written)
            while ahead:
                version, rows, making = ahead.popleft()
                ahead.extend(islice(chunks, 1))
                values = [v for part in making for v in _result(part)]
                for part in self.slices(range(0, len(rows), INDEX_BATCH)):
                    alone = self.data_version() == version  # no other writer since the read
                    batch = [
                        (row, value)
                        for row, value in zip(
                            rows[part : part + INDEX_BATCH],
                            values[part : part + INDEX_BATCH],
                            strict=True,
                        )
                        if alone or self._as_read(row)
                    ]
                    self.db.executemany(_INSERT, [value[:6] for _, value in batch])
                    self.db.executemany(
                        "UPDATE articles SET indexed = 1, words = ?, chars = ? WHERE id = ?",
                        [(*value[6:8], row[0]) for row, value in batch],
                    )
                    self.group_stories([(cast(int, row[0]), value[8]) for row, value in batch])
                    self.rule_arrivals([cast(int, row[0]) for row, _ in batch])
                    done += len(batch)
                if progress:
                    progress(done, max(total, done))
            if not self.unindexed():
                if done:
                    with self.transaction():
                        self.rules_done()
                break
        return done

    def _pending_chunks(self) -> Iterator[tuple[int, list[tuple[object, ...]]]]:
        """The unindexed articles' rows (id, hash, then `_INDEXED`), a chunk at a time, with
        the library's data_version before they were read (see index_pending)."""
        after = None
        while True:
            version = self.data_version()
            rows = self.db.execute(
                f"SELECT id, hash, {_INDEXED} FROM articles WHERE indexed = 0"
                " AND fts_rowid > coalesce(?, fts_rowid - 1) ORDER BY fts_rowid LIMIT ?",
                (after, INDEX_CHUNK),
            ).fetchall()
            if not rows:
                return
            after = rows[-1][2]
            yield version, rows

    def _as_read(self, row: tuple[object, ...]) -> bool:
        """The article is still unindexed and as `row` read it (the hash stands for its body)."""
        now = self.db.execute(
            "SELECT id, hash, fts_rowid, title, tags, categories, note,"
            " (SELECT f.body FROM full_texts f WHERE f.article_id = articles.id)"
            " FROM articles WHERE id = ? AND indexed = 0",
            row[:1],
        ).fetchone()
        return now is not None and now == (*row[:4], *row[7:])

    def rebuild_index(self) -> int:
        """Index every article afresh (after a migration, or by `doctor`): the index
        emptied and every article marked unindexed at once, then `index_pending`."""
        try:
            with rebuilding(self.path):
                with self.transaction():
                    self.db.execute("INSERT INTO search(search) VALUES ('delete-all')")
                    self.db.execute("UPDATE articles SET indexed = 0 WHERE indexed = 1")
                return self.index_pending()
        except BlockingIOError:
            from reader.library.errors import LibraryError

            raise LibraryError(
                f"{self.path}: the search index is being rebuilt already (by another "
                "`newsreader doctor --rebuild-index`)"
            ) from None

    def index_all_at_step_6(self) -> None:
        """Schema step 6: every article indexed under its new rowid (in the step's one
        transaction, as libraries that old were upgraded; `indexed` comes at step 9)."""
        self.db.execute("INSERT INTO search(search) VALUES ('delete-all')")
        rows = self.db.execute(f"SELECT {_BEFORE_9} FROM articles").fetchall()
        self.db.executemany(_INSERT, [_values(row) for row in rows])

    def renumber_undated(self) -> None:
        """Give undated articles their rowids below every dated one (schema step 8, before
        articles had `indexed`: an article is in the index when its rowid is)."""
        ids = [i for (i,) in self.db.execute("SELECT id FROM articles WHERE order_ts IS NULL")]
        before_html = f"SELECT {_BEFORE_9} FROM articles WHERE id = ?"
        for article_id in ids:
            row = self.db.execute(before_html, (article_id,)).fetchone()
            held = self.db.execute(
                "SELECT 1 FROM search_docsize WHERE id = ?", (row[0],)
            ).fetchone()
            if held:
                self.db.execute(_DELETE, _values(row))
            self.db.execute(
                f"UPDATE articles SET fts_rowid = {FTS_ROWID} WHERE id = ?", (article_id,)
            )
            if held:
                row = self.db.execute(before_html, (article_id,)).fetchone()
                self.db.execute(_INSERT, _values(row))


def _text(kind: str, html: int, body: str | bytes) -> str:
    """An article's text as search sees it, from its stored body (the parser's very text).
    An HTML post from before schema 9 has kind "html" and its body made Markdown (html 0)."""
    return plain_of(kind, unpacked(body), bool(html))


def _full(full: str | bytes | None) -> str:
    """The text of an article's full text (full_store.py), for the index: "" when none."""
    return "" if full is None else "\n" + plain_of("markdown", unpacked(full))


def _values(row: Sequence[Any], folded: str | None = None) -> tuple[int | str, ...]:
    """An index row from the columns `_INDEXED` names (`folded`: the body's text and full
    text, folded, when made)."""
    rowid, title, kind, html, body, tags, categories, note, full = row
    text = _text(kind, html, body) + _full(full) if folded is None else ""
    return (
        rowid,
        index_text(title),
        index_text(text) if folded is None else index_folded(folded),
        index_text(tags.replace("\x1f", " ; ")),
        index_text(categories.replace("\x1f", " ; ")),
        index_text(note),
    )


def _index_rows(rows: list[tuple[Any, ...]]) -> IndexRows:
    """The index rows of rows read by `_pending_chunks` (in a pool's process, or here),
    each followed by the counts of the text (words, characters), which the import's parser
    leaves out (see parse_bytes), and its sketch (stories.py): they are set as it is
    indexed."""
    made = []
    for row in rows:
        text = _text(*row[4:7])
        folded = fold(text)
        indexed = folded if row[-1] is None else fold(text + _full(row[-1]))
        made.append(  # (the counts and the sketch: of the article's own text)
            (*_values(row[2:], indexed), *count_words(text), sketch(f"{fold(row[3])}\n{folded}"))
        )
    return made


def _result(part: Future[IndexRows] | IndexRows) -> IndexRows:
    return part.result() if isinstance(part, Future) else part


def _made(
    chunk: Chunk, pool: Executor | None
) -> tuple[int, list[tuple[object, ...]], list[Future[IndexRows]] | list[IndexRows]]:
    """A chunk and its index rows, made in parts by all of a pool's processes at once (with
    the whole chunk to one, the writer waited for it a fifth of the time)."""
    version, rows = chunk
    if pool is None:
        return version, rows, [_index_rows(rows)]
    size = -(-len(rows) // MAKERS)
    parts = [pool.submit(_index_rows, rows[i : i + size]) for i in range(0, len(rows), size)]
    return version, rows, parts
