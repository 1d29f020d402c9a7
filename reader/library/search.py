"""Full-text search that finds any Chinese substring exactly, on SQLite FTS5: the search
mixin and the compiler of queries to SQL. How text and query terms become index tokens
(CJK bigrams) is in `fts.py`."""

from __future__ import annotations

import itertools
import os
from bisect import bisect_right
from collections.abc import Sequence
from contextlib import closing, suppress
from dataclasses import replace

from reader.library.base import StorageBase, id_list
from reader.library.fold import other_scripts
from reader.library.fts import fts_term
from reader.library.models import SavedView, View
from reader.library.order import LIST_SORTS, ordered, settle_ties
from reader.library.pinyin import as_sounds, pattern
from reader.library.query import Item, Query, QueryError
from reader.library.views import TERM_FIELDS

SORTS = (*LIST_SORTS, "relevance")  # the orders of search results
PREFIX_NAMES = 8  # names listed for an ambiguous `tag:` or `source:` prefix


# Each library file's titles in sound codes, joined, where each starts, their ids (sounding)
_TITLES: dict[str, tuple[tuple[object, ...], str, list[int], list[int]]] = {}
SOUNDED_MANY = 1000  # articles a `py:` finds from which its query walks the list's order


class SearchMixin(StorageBase):
    """Search methods of `Library` (which provides `db`)."""

    # ---- querying -------------------------------------------------------------------------------

    def search(
        self,
        query: Query,
        within: View | Sequence[View] = (),
        sort: str = "newest",
        limit: int = -1,
        one_per_story: bool = False,
    ) -> list[int]:
        """Ids of the articles matching `query` (and `within` views): `sort` is one of SORTS;
        `one_per_story`: only the first match of each story (see stories.py).

        With text to look for, the index is walked in rowid order (= date order, newest
        first) or by bm25, and only the other conditions are checked per row; a query of
        filters alone is plain SQL over the articles. A tag or source given by a unique
        prefix means that name (see `resolve`).
        """
        if sort not in (*SORTS, "date"):
            raise ValueError(f"unknown order {sort!r}")
        if one_per_story:
            return self.one_per_story(self.search(query, within, sort, limit))
        match, rest = split_query(self.resolve(query, strict=False))
        driven = match is not None  # rows come from the index: filters are checked per row
        where, args = compile_query(rest, driven)
        scope, scope_args = self._where(within, driven)
        conditions = " AND ".join(part.removeprefix("WHERE ") for part in (where, scope) if part)
        args = (*args, *scope_args)
        if match is None:
            order = "newest" if sort == "relevance" else sort
            found = ordered(self.db, "SELECT a.id FROM articles a", conditions, args, order, limit)
            return [i for (i,) in found]
        more = f"AND {conditions}" if conditions else ""
        if sort == "title":  # along the title index, each row checked against the matches
            rows = self.db.execute(
                "SELECT a.id FROM articles a WHERE +a.fts_rowid IN"
                f" (SELECT rowid FROM search WHERE search MATCH ?) {more}"
                " ORDER BY a.title_key, a.fts_rowid LIMIT ?",
                (match, *args, limit),
            )
            return [i for (i,) in rows]
        if sort == "relevance":
            rows = self.db.execute(
                "SELECT a.id FROM search JOIN articles a ON a.fts_rowid = search.rowid"
                f" WHERE search MATCH ? {more}"
                " ORDER BY bm25(search, 5.0, 1.0, 3.0, 2.0, 3.0), search.rowid DESC LIMIT ?",
                (match, *args, limit),  # title, tags and notes weigh more
            )
            return [i for (i,) in rows]
        walk = (
            "SELECT search.rowid, a.id FROM search JOIN articles a"
            f" ON a.fts_rowid = search.rowid WHERE search MATCH ? {more} {{}}"
            " ORDER BY search.rowid {}"
        )
        if sort != "oldest":
            with closing(self.db.execute(walk.format("", "DESC"), (match, *args))) as rows:
                return settle_ties(self.db, rows, True, limit)
        # oldest first: the dated matches up, then the undated (negative rowids)
        with (
            closing(
                self.db.execute(walk.format("AND search.rowid >= 0", "ASC"), (match, *args))
            ) as dated,
            closing(
                self.db.execute(walk.format("AND search.rowid < 0", "ASC"), (match, *args))
            ) as undated,
        ):
            return settle_ties(self.db, itertools.chain(dated, undated), False, limit)

    def resolve(self, query: Query, strict: bool = True) -> Query:
        """The query with each `tag:` and `source:` given by a unique prefix (ignoring case)
        spelled out whole; an exact name always wins. `strict`: an ambiguous prefix raises a
        QueryError naming the names it could be (else it is left as it is: an exact name)."""
        groups = [[self._resolved(item, strict) for item in group] for group in query.groups]
        return Query(groups)

    def _resolved(self, item: Item, strict: bool) -> Item:
        if item.kind == "py" and not item.value.startswith("["):  # (not resolved yet)
            # the articles it finds, as a JSON array (see `sounding`)
            return replace(item, value=id_list(self.sounding(item.value)))
        if item.kind not in TERM_FIELDS and item.kind != "source":
            return item
        names = self._names(item.kind, item.value)
        for other in [] if names else other_scripts(item.value):  # (tag:匯率 for 汇率)
            if names := self._names(item.kind, other):
                break
        if len(names) == 1:
            return replace(item, value=names[0])
        if len(names) > 1 and strict:
            listed = ", ".join(names[:PREFIX_NAMES]) + (", …" if len(names) > PREFIX_NAMES else "")
            raise QueryError(f"{item.kind}:{item.value} could be {listed}", item.position)
        return item

    def sounding(self, typed: str) -> list[int]:
        """Ids of the articles whose title sounds like `typed` (`py:`, pinyin.pattern):
        one pass of the pattern over every title at once, in sound codes (~20 ms for
        100,000; calling a Python function from SQL for each title took 200 ms). The
        coded titles (0.35 s to make at 100,000) are kept for the library's file, in this
        process, until the file changes: the app opens a `Library` for each search."""
        found = pattern(typed)
        if found is None:
            return []
        mark = self._file_mark()
        kept = _TITLES.get(str(self.path))
        if kept is None or kept[0] != mark:
            rows = self.db.execute("SELECT id, title FROM articles").fetchall()
            joined = as_sounds("\n".join(title.replace("\n", " ") for _, title in rows))
            starts = list(itertools.accumulate((len(t) + 1 for _, t in rows[:-1]), initial=0))
            kept = _TITLES[str(self.path)] = (mark, joined, starts, [i for i, _ in rows])
        _, joined, starts, ids = kept
        heard, at = [], 0
        while (match := found.search(joined, at)) is not None:
            row = bisect_right(starts, match.start()) - 1
            heard.append(ids[row])
            at = starts[row + 1] if row + 1 < len(starts) else len(joined)
        return heard

    def _file_mark(self) -> tuple[object, ...]:
        """What changes whenever anyone commits to the library: its file's and its WAL's
        size and time (a commit writes the WAL; a checkpoint, the file)."""
        marks: list[object] = []
        for name in (str(self.path), f"{self.path}-wal"):
            with suppress(OSError):
                stat = os.stat(name)
                marks += [stat.st_size, stat.st_mtime_ns, stat.st_ino]
        return tuple(marks)

    def _names(self, field: str, value: str) -> list[str]:
        """The names a `field:value` filter could mean: the name itself, or (where a start
        will do) those it starts."""
        if field == "source":
            return self._source_names(value)
        kind = TERM_FIELDS[field]
        if kind.prefix:
            return self._term_names(kind.name, value)
        from reader.library.state import term_key

        known = self.db.execute(
            "SELECT 1 FROM terms WHERE kind = ? AND key = ? LIMIT 1", (kind.name, term_key(value))
        ).fetchone()
        return [value] if known else []

    def _term_names(self, kind: str, prefix: str) -> list[str]:
        """The tag (author…) itself, or those that start with `prefix` (up to PREFIX_NAMES
        + 1), each found by one seek in the terms index."""
        from reader.library.state import term_key

        key = term_key(prefix)
        find = "SELECT key, name FROM terms WHERE kind = ? AND key {} ? AND key < ? LIMIT 1"
        end = key + "\U0010ffff"
        if self.db.execute(find.format("="), (kind, key, end)).fetchone():
            return [prefix]
        names: list[str] = []
        row = self.db.execute(find.format(">="), (kind, key, end)).fetchone()
        while row is not None and len(names) <= PREFIX_NAMES:
            names.append(row[1])
            row = self.db.execute(find.format(">"), (kind, row[0], end)).fetchone()
        return names

    def _source_names(self, prefix: str) -> list[str]:
        names = sorted({name for (name,) in self.db.execute("SELECT name FROM roots")})
        folded = prefix.casefold()
        exact = [name for name in names if name.casefold() == folded]
        return exact[:1] or [name for name in names if name.casefold().startswith(folded)]

    def search_count(self, query: Query, within: View | Sequence[View] = ()) -> int:
        """How many articles match (cheap for text alone: the index counts)."""
        match, rest = split_query(self.resolve(query, strict=False))
        if match is not None and rest.empty and not within and not self.rules_sql("hide")[0]:
            counted = self.db.execute("SELECT count(*) FROM search WHERE search MATCH ?", (match,))
            return int(counted.fetchone()[0])
        return len(self.search(query, within))

    # ---- saved searches ---------------------------------------------------------------------

    def saved_views(self) -> list[SavedView]:
        rows = self.db.execute("SELECT name, query FROM saved_views ORDER BY name")
        return [SavedView(name, query) for name, query in rows]

    def saved_query(self, name: str) -> str | None:
        row = self.db.execute("SELECT query FROM saved_views WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None


def term_condition(correlated: bool) -> str:
    """Articles with a tag or category (args: kind, key).

    When the search index drives a query (newest matches first), a correlated EXISTS is a
    point lookup per row; an IN list there made SQLite take 3.7 s instead of 2 ms for the
    first page of `tag:X word`. Scanning articles in order, the IN list is built once and
    checked along the order's index (`+` keeps SQLite from driving the query by it and
    sorting every match: a big tag's first page took 17 ms for 20k articles, now 1 ms).
    """
    if correlated:
        return (
            "EXISTS (SELECT 1 FROM terms t WHERE t.kind = ? AND t.key = ? AND t.article_id = a.id)"
        )
    return "+a.id IN (SELECT article_id FROM terms WHERE kind = ? AND key = ?)"


def source_condition(correlated: bool) -> str:
    """Articles from a source, by its name (arg: name); see `term_condition`."""
    if correlated:
        return "EXISTS (SELECT 1 FROM roots r WHERE r.id = a.root_id AND r.name = ? COLLATE NOCASE)"
    return "+a.root_id IN (SELECT id FROM roots WHERE name = ? COLLATE NOCASE)"


def compile_query(query: Query, correlated: bool = False) -> tuple[str, tuple[object, ...]]:
    """SQL conditions (on `articles a`) for a parsed query."""
    conditions: list[str] = []
    args: list[object] = []
    for group in query.groups:
        parts = []
        for item in group:
            sql, item_args = _item_sql(item, correlated)
            parts.append(sql)
            args += item_args
        conditions.append(parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")")
    return ("WHERE " + " AND ".join(conditions) if conditions else ""), tuple(args)


def _item_sql(item: Item, correlated: bool = False) -> tuple[str, list[object]]:
    sql, args = _positive_sql(item, correlated)
    return (f"NOT ({sql})" if item.negated else sql), args


def _positive_sql(item: Item, correlated: bool = False) -> tuple[str, list[object]]:
    from reader.library.state import term_key

    if item.kind in ("text", "phrase", "title"):
        expression = fts_term(item.value)
        if expression is None:  # nothing searchable (only punctuation): match nothing
            return "0", []
        if item.kind == "title":
            expression = f"title : {expression}"
        return "a.fts_rowid IN (SELECT rowid FROM search WHERE search MATCH ?)", [expression]
    if item.kind in TERM_FIELDS:
        return term_condition(correlated), [TERM_FIELDS[item.kind].name, term_key(item.value)]
    if item.kind == "source":
        return source_condition(correlated), [item.value]
    if item.kind == "py":  # the ids `resolve` found (every query is resolved first)
        # Many: walk the list's order asking each row (`+` keeps SQLite from fetching them
        # by id and sorting: 20,000 of them 52 ms, walking 3 ms); few: by id.
        many = item.value.count(",") >= SOUNDED_MANY
        return f"{'+' if many else ''}a.id IN (SELECT value FROM json_each(?))", [item.value]
    if item.kind == "is":
        return {"bookmarked": "a.bookmarked = 1", "unread": "a.read = 0", "read": "a.read = 1"}[
            item.value
        ], []
    if item.kind in ("after", "before", "date"):  # on the article's own (local) date
        # after:2022-05 takes May in (on or after its start), before:2022-06 leaves June out
        operator = {"after": ">=", "before": "<", "date": "="}[item.kind]
        # coalesce: an undated article is not in any date range (and so is in its negation)
        return f"coalesce(substr(a.date, 1, {len(item.value)}) {operator} ?, 0)", [item.value]
    raise ValueError(f"unknown query item {item.kind!r}")  # pragma: no cover


def split_query(query: Query) -> tuple[str | None, Query]:
    """Split a query into one FTS expression (its text groups) and the rest (filters).

    The expression ANDs the groups made only of text (OR within a group) and subtracts
    negated text with NOT; it needs at least one positive group, else it is None.
    """
    positive: list[str] = []
    negative: list[str] = []
    rest = Query()
    for group in query.groups:
        texts = [item for item in group if item.kind in ("text", "phrase", "title")]
        if len(texts) != len(group) or (len(group) > 1 and any(i.negated for i in group)):
            rest.groups.append(group)
            continue
        expressions = []
        for item in group:
            expression = fts_term(item.value)
            if expression is None:
                break
            expressions.append(f"title : {expression}" if item.kind == "title" else expression)
        if len(expressions) != len(group):  # a term with nothing to search for
            rest.groups.append(group)
            continue
        target = negative if group[0].negated else positive
        target.append("(" + " OR ".join(expressions) + ")")
    if not positive:
        return None, query
    return " AND ".join(positive) + "".join(f" NOT {n}" for n in negative), rest
