"""Full-text search that finds any Chinese substring exactly, on SQLite FTS5.

FTS5's unicode61 tokenizer reads a whole run of Chinese as one token, and its trigram
tokenizer misses queries under three characters and costs ~3x the text in index. So the
text is rewritten before indexing: each run of CJK letters becomes its overlapping
bigrams plus its last character (`霍尼韦尔` -> `霍尼 尼韦 韦尔 尔`), so every character
position starts exactly one token. A query of n >= 2 CJK characters is then the phrase of
its n-1 bigrams, and a single character is a prefix query: both match exactly where a
substring search would. Latin words go through unicode61 as usual (case and accents
folded). The index is contentless: its input is rebuilt from the stored article whenever
an article changes, which keeps the library small.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from reader.library.models import SavedView, View
from reader.library.query import Item, Query, parse
from reader.library.text import plain_text

CJK_LETTERS = (  # letters only: CJK punctuation separates tokens, as unicode61 does
    "\u3005\u3040-\u309f\u30a0-\u30fa\u30fc-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff"
)
_CJK_RUN = re.compile(f"[{CJK_LETTERS}]+")
_SEGMENT = re.compile(f"[{CJK_LETTERS}]+|[^\\W_{CJK_LETTERS}]+", re.UNICODE)
COLUMNS = ("title", "body", "tags", "categories", "note")

CREATE = (
    "CREATE VIRTUAL TABLE search USING fts5(title, body, tags, categories, note,"
    " content='', tokenize='unicode61 remove_diacritics 2', prefix='1')"
)


def _expand(match: re.Match[str]) -> str:
    run = match.group()
    if len(run) == 1:
        return f" {run} "
    return " " + " ".join(run[i : i + 2] for i in range(len(run) - 1)) + f" {run[-1]} "


def index_text(text: str) -> str:
    """Text as the index sees it: CJK runs as bigrams plus their last character."""
    return _CJK_RUN.sub(_expand, text) if text else ""


def _quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def fts_term(text: str) -> str | None:
    """A query term as an FTS5 expression matching it as a substring (CJK) or words."""
    segments = _SEGMENT.findall(text)
    if not segments:
        return None
    tokens: list[str] = []
    prefix = False
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if _CJK_RUN.fullmatch(segment):
            if len(segment) == 1:
                tokens.append(segment)
                prefix = last  # a lone last character may start a longer run
            else:
                tokens += [segment[i : i + 2] for i in range(len(segment) - 1)]
                if not last:  # the run must end where the next word starts
                    tokens.append(segment[-1])
        else:
            tokens.append(segment.lower())
    return _quote(" ".join(tokens)) + (" *" if prefix else "")


class SearchMixin:
    """Search methods of `Library` (which provides `db`)."""

    db: sqlite3.Connection

    # ---- keeping the index in step -----------------------------------------------------------

    def plain_text(self, article_id: int) -> str:
        """The article's text as search sees it: derived from the stored Markdown body."""
        row = self.db.execute(
            "SELECT kind, body FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        return "" if row is None else (row[1] if row[0] == "text" else plain_text(row[1]))

    def _fts_values(
        self, article_id: int, text: str | None = None, indexed: str | None = None
    ) -> tuple[str, ...] | None:
        row = self.db.execute(
            "SELECT title, kind, body, tags, categories, note FROM articles WHERE id = ?",
            (article_id,),
        ).fetchone()
        if row is None:
            return None
        title, kind, body, tags, categories, note = row
        if indexed is None:
            if text is None:  # the parser's text is this very function of the body
                text = body if kind == "text" else plain_text(body)
            indexed = index_text(text)
        return (
            index_text(title),
            indexed,
            index_text(tags.replace("\x1f", " ; ")),
            index_text(categories.replace("\x1f", " ; ")),
            index_text(note),
        )

    def index_article(
        self, article_id: int, text: str | None = None, indexed: str | None = None
    ) -> None:
        """Add the article to the index; `indexed` is its text already run through index_text
        (the importer's worker processes do that in parallel)."""
        values = self._fts_values(article_id, text, indexed)
        if values is not None:
            self.db.execute(
                "INSERT INTO search(rowid, title, body, tags, categories, note)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (article_id, *values),
            )

    def unindex_article(self, article_id: int) -> None:
        values = self._fts_values(article_id)
        if values is not None:
            self.db.execute(
                "INSERT INTO search(search, rowid, title, body, tags, categories, note)"
                " VALUES ('delete', ?, ?, ?, ?, ?, ?)",
                (article_id, *values),
            )

    @contextmanager
    def reindexing(self, ids: Iterable[int]) -> Iterator[None]:
        """Wrap a change to articles' text or tags: out of the index before, back in after.

        The index is contentless, so removing an entry needs exactly the values it was
        built from: the stored article as it is before the change.
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

    def rebuild_index(self) -> int:
        """Index every article afresh (after a migration, or by `doctor`)."""
        self.db.execute("INSERT INTO search(search) VALUES ('delete-all')")
        ids = [i for (i,) in self.db.execute("SELECT id FROM articles")]
        for article_id in ids:
            self.index_article(article_id)
        return len(ids)

    # ---- querying -------------------------------------------------------------------------------

    def search(
        self,
        query: Query,
        within: View | Sequence[View] = (),
        sort: str = "date",
        limit: int = -1,
    ) -> list[int]:
        """Ids of the articles matching `query` (and `within` views), newest or best first."""
        where, args = compile_query(query)
        scope, scope_args = self._where(within)  # type: ignore[attr-defined]
        if scope:
            where = f"{where} AND {scope.removeprefix('WHERE ')}" if where else scope
            args = (*args, *scope_args)
        match = _positive_match(query) if sort == "relevance" else None
        if match:  # rank by bm25, title and tags weighing more than the body
            conditions = where.replace("WHERE", "AND", 1)
            rows = self.db.execute(
                "SELECT a.id FROM search JOIN articles a ON a.id = search.rowid"
                f" WHERE search MATCH ? {conditions}"
                " ORDER BY bm25(search, 5.0, 1.0, 3.0, 2.0, 3.0), a.sort_ts DESC LIMIT ?",
                (match, *args, limit),
            )
        else:
            rows = self.db.execute(
                f"SELECT a.id FROM articles a {where} ORDER BY a.sort_ts DESC, a.id DESC LIMIT ?",
                (*args, limit),
            )
        return [i for (i,) in rows]

    # ---- saved searches ---------------------------------------------------------------------

    def saved_views(self) -> list[SavedView]:
        rows = self.db.execute("SELECT name, query FROM saved_views ORDER BY name")
        return [SavedView(name, query) for name, query in rows]

    def save_view(self, name: str, query: str) -> None:
        parse(query)  # only a valid query is saved
        self.db.execute(
            "INSERT OR REPLACE INTO saved_views(name, query) VALUES (?, ?)", (name, query)
        )

    def rename_view(self, old: str, new: str) -> None:
        self.db.execute("UPDATE saved_views SET name = ? WHERE name = ?", (new, old))

    def delete_view(self, name: str) -> None:
        self.db.execute("DELETE FROM saved_views WHERE name = ?", (name,))

    def saved_query(self, name: str) -> str | None:
        row = self.db.execute("SELECT query FROM saved_views WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None


def compile_query(query: Query) -> tuple[str, tuple[object, ...]]:
    """SQL conditions (on `articles a`) for a parsed query."""
    conditions: list[str] = []
    args: list[object] = []
    for group in query.groups:
        parts = []
        for item in group:
            sql, item_args = _item_sql(item)
            parts.append(sql)
            args += item_args
        conditions.append(parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")")
    return ("WHERE " + " AND ".join(conditions) if conditions else ""), tuple(args)


def _item_sql(item: Item) -> tuple[str, list[object]]:
    sql, args = _positive_sql(item)
    return (f"NOT ({sql})" if item.negated else sql), args


def _positive_sql(item: Item) -> tuple[str, list[object]]:
    from reader.library.state import term_key

    if item.kind in ("text", "phrase", "title"):
        expression = fts_term(item.value)
        if expression is None:  # nothing searchable (only punctuation): match nothing
            return "0", []
        if item.kind == "title":
            expression = f"title : {expression}"
        return "a.id IN (SELECT rowid FROM search WHERE search MATCH ?)", [expression]
    if item.kind in ("tag", "cat"):
        kind = "tag" if item.kind == "tag" else "category"
        return (
            "a.id IN (SELECT article_id FROM terms WHERE kind = ? AND key = ?)",
            [kind, term_key(item.value)],
        )
    if item.kind == "source":
        return "a.root_id IN (SELECT id FROM roots WHERE name = ? COLLATE NOCASE)", [item.value]
    if item.kind == "is":
        return {"bookmarked": "a.bookmarked = 1", "unread": "a.read = 0", "read": "a.read = 1"}[
            item.value
        ], []
    if item.kind == "after":
        return "(a.date IS NOT NULL AND a.sort_ts >= ?)", [item.end]
    if item.kind == "before":
        return "(a.date IS NOT NULL AND a.sort_ts < ?)", [item.start]
    if item.kind == "date":
        return "(a.date IS NOT NULL AND a.sort_ts >= ? AND a.sort_ts < ?)", [item.start, item.end]
    raise ValueError(f"unknown query item {item.kind!r}")  # pragma: no cover


def _positive_match(query: Query) -> str | None:
    """One FTS expression of the plain (ANDed, not negated) text terms, to rank by."""
    parts = []
    for group in query.groups:
        if len(group) == 1 and group[0].kind in ("text", "phrase") and not group[0].negated:
            expression = fts_term(group[0].value)
            if expression:
                parts.append(expression)
    return " AND ".join(parts) or None
