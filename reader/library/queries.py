"""Reading the library: views, lists of articles, one article, counts."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reader.library.base import StorageBase
from reader.library.body import unpacked
from reader.library.models import ALL, Article, ArticleSummary, Extra, Facet, View
from reader.library.order import ordered
from reader.library.query import parse
from reader.library.search import compile_query, source_condition, term_condition
from reader.library.state import _split, term_key
from reader.library.views import BY_NAME, EXTRA, FIXED, LISTED

_SUMMARY = (
    "a.id, a.title, a.date, coalesce(r.name, ''), a.categories, a.tags, a.read, a.bookmarked,"
    " a.missing, CASE WHEN a.story IS NULL THEN 0"
    " ELSE (SELECT count(*) - 1 FROM articles o WHERE o.story = a.story) END"
)


_ARTICLE_COLUMNS = (
    "id",
    "title",
    "date",
    "source",
    "categories",
    "tags",
    "read",
    "bookmarked",
    "url",
    "path",
    "kind",
    "body",
    "words",
    "chars",
    "missing",
    "note",
    "uid",
)


class QueryMixin(StorageBase):
    """The read side of `Library` (which provides `db`, `path` and `transaction`)."""

    def _where(
        self, views: View | Sequence[View], correlated: bool = False
    ) -> tuple[str, tuple[object, ...]]:
        """SQL for the articles in every one of `views` (one view, or several ANDed).

        `correlated` is for queries driven by the search index (see `term_condition`). What
        the ignore rules hide is left out, except from the view of just that (ignore.py).
        """
        conditions: list[str] = []
        args: list[object] = []
        views = [views] if isinstance(views, View) else list(views)
        hidden, hidden_args = self.rules_sql("hide", correlated)
        if hidden and not any(view.kind == "ignored" for view in views):
            conditions.append(f"NOT {hidden}")
            args += hidden_args
        for view in views:
            kind = BY_NAME.get(view.kind)
            if kind is None:
                raise ValueError(f"unknown view {view.kind!r}")
            if kind.filter == "all":
                continue
            if kind.filter == "ignored":
                conditions.append(hidden or "0")
                args += hidden_args
            elif kind.filter == "state":
                conditions.append(kind.where)
            elif kind.filter == "source":
                conditions.append(source_condition(correlated))
                args.append(view.value)
            elif kind.filter == "term":
                conditions.append(term_condition(correlated))
                args += [view.kind, term_key(view.value or "")]
            elif kind.filter == "query":  # a query, typed or saved by name
                text = view.value if view.kind != "saved" else self.saved_query(view.value or "")
                if text is None:  # a saved search that is gone shows nothing, not everything
                    conditions.append("0")
                    continue
                query = self.resolve(parse(text), strict=False)
                where, query_args = compile_query(query, correlated)
                if where:
                    conditions.append(f"({where.removeprefix('WHERE ')})")
                    args += query_args
            else:
                raise ValueError(f"unknown view {view.kind!r}")
        return ("WHERE " + " AND ".join(conditions) if conditions else ""), tuple(args)

    def count(self, views: View | Sequence[View] = ALL, one_per_story: bool = False) -> int:
        """How many articles the view has (`one_per_story`: counting each story once)."""
        where, args = self._where(views)
        what = (
            "count(*) - count(a.story) + count(DISTINCT a.story)" if one_per_story else "count(*)"
        )
        return int(self.db.execute(f"SELECT {what} FROM articles a {where}", args).fetchone()[0])

    def summaries(
        self,
        views: View | Sequence[View] = ALL,
        offset: int = 0,
        limit: int = 100,
        order: str = "newest",
    ) -> list[ArticleSummary]:
        """A page of the view, in `order` (see order.LIST_SORTS)."""
        where, args = self._where(views)
        select = f"SELECT {_SUMMARY} FROM articles a LEFT JOIN roots r ON r.id = a.root_id"
        rows = ordered(self.db, select, where.removeprefix("WHERE "), args, order, limit, offset)
        return [self._summary(row) for row in rows]

    def ids(
        self,
        views: View | Sequence[View] = ALL,
        limit: int = -1,
        order: str = "newest",
        one_per_story: bool = False,
    ) -> list[int]:
        """Ids in the view, in `order`: all of them is cheap for 100k articles.
        `one_per_story`: only the first of a story's articles (see stories.py)."""
        where, args = self._where(views)
        rows = ordered(
            self.db, "SELECT a.id FROM articles a", where.removeprefix("WHERE "), args, order, limit
        )
        ids = [row[0] for row in rows]
        return self.one_per_story(ids) if one_per_story else ids

    def is_empty(self) -> bool:
        return self.db.execute("SELECT 1 FROM articles LIMIT 1").fetchone() is None

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
    def _summary(row: tuple[Any, ...]) -> ArticleSummary:
        i, title, date, source, cats, tags, read, bookmarked, missing, copies = row
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
            copies,
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
            "SELECT a.id, a.title, a.date, coalesce(r.name, '') AS source, a.categories, a.tags,"
            " a.read, a.bookmarked, a.url, a.path, a.kind, a.body, a.words, a.chars, a.missing,"
            " a.note, a.uid, a.html, f.body, f.shown FROM articles a"
            " LEFT JOIN roots r ON r.id = a.root_id LEFT JOIN full_texts f ON f.article_id = a.id"
            " WHERE a.id = ?",
            (article_id,),
        ).fetchone()
        if row is None:
            return None
        *row, full_body, full_shown = row
        fields = dict(zip(_ARTICLE_COLUMNS, row[:-1], strict=True))
        fields["body"] = unpacked(fields["body"])
        full = "" if full_shown is None else "failed" if full_body is None else "kept"
        if full == "kept" and full_shown:  # the page's text in the feed's place
            full, fields["kind"], fields["body"], row[-1] = (
                "shown",
                "markdown",
                unpacked(full_body),
                0,
            )
        user_tags = self.db.execute(
            "SELECT name FROM terms WHERE article_id = ? AND kind = 'tag' AND origin = 'user'"
            " ORDER BY pos, name",
            (article_id,),
        )
        hidden = self.db.execute(
            "SELECT key FROM hidden_tags WHERE article_id = ? ORDER BY key", (article_id,)
        )
        story = self.story_of(article_id)
        return Article(
            **fields
            | {
                "categories": _split(fields["categories"]),
                "tags": _split(fields["tags"]),
                "read": bool(fields["read"]),
                "bookmarked": bool(fields["bookmarked"]),
                "missing": bool(fields["missing"]),
            },
            user_tags=tuple(name for (name,) in user_tags),
            hidden_tags=tuple(key for (key,) in hidden),
            html=bool(row[-1]),
            extra=self.extras([article_id]).get(article_id, {}),
            copies=tuple(self.summaries_for([i for i in story if i != article_id])),
            full=full,
        )

    def extras(self, ids: Sequence[int]) -> dict[int, Extra]:
        """id -> the names of views.EXTRA's kinds it has (its authors…), for the ids that
        have any."""
        found: dict[int, Extra] = {}
        if not EXTRA:
            return found
        kinds = tuple(kind.name for kind in EXTRA)
        kind_marks = ",".join("?" * len(kinds))
        for start in range(0, len(ids), 500):
            chunk = tuple(ids[start : start + 500])
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(
                f"SELECT article_id, kind, name FROM terms WHERE article_id IN ({marks})"
                f" AND kind IN ({kind_marks}) ORDER BY article_id, pos, key",
                chunk + kinds,
            )
            for article_id, kind, name in rows:
                names = found.setdefault(article_id, {})
                names[kind] = (*names.get(kind, ()), name)
        return found

    def view_counts(self, one_per_story: bool = False) -> dict[str, int]:
        """The fixed views' sizes (views.FIXED: All, Unread, Bookmarked), in one pass
        (`one_per_story`: as many rows as they show when each story is one)."""
        counted = [kind for kind in FIXED if kind.where]
        if one_per_story:  # the articles alone, and the stories with an article in the view
            each = (
                "total(a.story IS NULL AND ({0})) + count(DISTINCT CASE WHEN {0} THEN a.story END)"
            )
        else:
            each = "total({0})"
        sums = "".join(f", {each.format(kind.where)}" for kind in counted)
        where, args = self._where(ALL)
        total, *sizes = self.db.execute(
            f"SELECT {each.format('1')}{sums} FROM articles a {where}", args
        ).fetchone()
        sized = zip(counted, sizes, strict=True)
        return {"all": int(total)} | {kind.name: int(size) for kind, size in sized}

    def facets(self, kind: str) -> list[Facet]:
        """Sources, categories or tags with their article counts, biggest first (what the
        ignore rules hide is not counted)."""
        hidden, args = self.rules_sql("hide")
        shown = f"AND NOT {hidden}" if hidden else ""
        if BY_NAME[kind].filter == "source":
            rows = self.db.execute(
                "SELECT r.name, count(a.id), total(a.read = 0) FROM roots r"
                f" LEFT JOIN articles a ON a.root_id = r.id {shown}"
                " WHERE a.id IS NOT NULL OR r.path LIKE 'feed:%'"  # a new feed shows, empty
                " GROUP BY r.name ORDER BY count(a.id) DESC",
                args,
            )
        else:  # the first spelling of each tag (lowest article id) names it
            rows = self.db.execute(
                "SELECT t.name, min(t.article_id), count(*), total(a.read = 0) FROM terms t"
                f" JOIN articles a ON a.id = t.article_id WHERE t.kind = ? {shown}"
                " GROUP BY t.key ORDER BY count(*) DESC, t.key",
                (kind, *args),
            )
        return [Facet(row[0], row[-2], int(row[-1])) for row in rows]

    def stats(self) -> dict[str, Any]:
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
            **{kind.setting: self.facets(kind.name) for kind in LISTED},
        }
