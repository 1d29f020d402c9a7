"""The reader's own state: read marks, bookmarks and notes, user tags, hidden source tags,
saved searches.

This is what must never be lost, so every change runs in a transaction, re-import leaves
it alone (see `Library.save`), and `export_state` / `import_state` carry it between
libraries in a readable YAML file.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from contextlib import suppress
from datetime import UTC, datetime
from typing import Any

from reader.library.base import StorageBase
from reader.library.models import Change
from reader.library.query import parse
from reader.library.text import clean_line

SEP = "\x1f"  # joins categories/tags in one column; cleaning removes it from any term
STATE_FORMAT = 1
MAX_TAG = 100
WITH_STATE = (  # the articles the reader has given something
    "SELECT id FROM articles a WHERE read OR bookmarked OR note != ''"
    " OR EXISTS (SELECT 1 FROM terms t WHERE t.article_id = a.id AND t.origin = 'user')"
    " OR EXISTS (SELECT 1 FROM hidden_tags h WHERE h.article_id = a.id)"
)


def _join(terms: Sequence[str]) -> str:
    return SEP.join(terms)


def _split(value: str) -> tuple[str, ...]:
    return tuple(value.split(SEP)) if value else ()


def term_key(name: str) -> str:
    """Tags and categories match ignoring case: `AI`, `ai` and `Ai` are one tag."""
    return name.casefold()


def clean_tag(name: str) -> str:
    """A tag as typed: trimmed, one line, no leading `#`, at most 100 characters."""
    return clean_line(name).lstrip("#").strip()[:MAX_TAG]


class StateMixin(StorageBase):
    """User-state operations of `Library` (which provides `db`, `transaction`, ...)."""

    # ---- read marks ----------------------------------------------------------------------------

    def set_read(self, ids: Iterable[int], read: bool = True) -> Change:
        wanted = list(ids)
        return self._change(
            wanted,
            lambda group: self.db.executemany(
                "UPDATE articles SET read = ? WHERE id = ?", [(int(read), i) for i in group]
            ),
        )

    # ---- bookmarks and notes -----------------------------------------------------------------

    def set_bookmark(self, ids: Iterable[int], on: bool, note: str | None = None) -> Change:
        wanted = list(ids)

        def apply(group: list[int]) -> None:
            for article_id in group:
                self.db.execute(
                    "UPDATE articles SET bookmarked = ? WHERE id = ?", (int(on), article_id)
                )
                if note is not None:
                    with self.reindexing([article_id]):
                        self.db.execute(
                            "UPDATE articles SET note = ? WHERE id = ?", (_note(note), article_id)
                        )

        return self._change(wanted, apply)

    def set_note(self, article_id: int, note: str) -> Change:
        """A note belongs to a bookmark: writing one bookmarks the article."""

        def apply(group: list[int]) -> None:
            with self.reindexing(group):
                self.db.execute(
                    "UPDATE articles SET note = ?, bookmarked = bookmarked OR ? != '' WHERE id = ?",
                    (_note(note), _note(note), article_id),
                )

        return self._change([article_id], apply)

    # ---- tags -------------------------------------------------------------------------------

    def spelling(self, name: str) -> str:
        """The spelling a tag already has in the library (the first one wins), else `name`."""
        row = self.db.execute(
            "SELECT name FROM terms WHERE kind = 'tag' AND key = ? ORDER BY article_id LIMIT 1",
            (term_key(name),),
        ).fetchone()
        return row[0] if row else name

    def tag(
        self, ids: Iterable[int], add: Iterable[str] = (), remove: Iterable[str] = ()
    ) -> Change:
        """Add user tags and remove tags (a removed source tag stays hidden on re-import)."""
        wanted = list(ids)
        adding = [t for t in (clean_tag(n) for n in add) if t]
        removing = [term_key(t) for t in (clean_tag(n) for n in remove) if t]

        def apply(group: list[int]) -> None:
            spelled = [self.spelling(t) for t in adding]
            for article_id in group:
                with self.reindexing([article_id]):
                    for key in removing:
                        self._remove_tag(article_id, key)
                    for name in spelled:
                        self._add_tag(article_id, name)
                    self.sync_tags(article_id)

        return self._change(wanted, apply)

    def set_tags(self, article_id: int, names: Iterable[str]) -> Change:
        """Make the article's visible tags exactly `names` (the tag editor's save)."""
        wanted = {term_key(t): t for t in (clean_tag(n) for n in names) if t}
        current = {term_key(t) for t in self._visible(article_id)}
        return self.tag(
            [article_id],
            add=[name for key, name in wanted.items() if key not in current],
            remove=[key for key in current if key not in wanted],
        )

    def _visible(self, article_id: int) -> list[str]:
        return [
            n
            for (n,) in self.db.execute(
                "SELECT name FROM terms WHERE article_id = ? AND kind = 'tag'", (article_id,)
            )
        ]

    def _add_tag(self, article_id: int, name: str) -> None:
        key = term_key(name)
        self.db.execute(
            "DELETE FROM hidden_tags WHERE article_id = ? AND key = ?", (article_id, key)
        )
        self.db.execute(
            "INSERT OR IGNORE INTO terms(article_id, kind, key, name, origin, pos)"
            " VALUES (?, 'tag', ?, ?, 'user',"
            " (SELECT count(*) FROM terms WHERE article_id = ? AND origin = 'user'))",
            (article_id, key, name, article_id),
        )

    def _remove_tag(self, article_id: int, key: str) -> None:
        row = self.db.execute(
            "SELECT origin, name, pos FROM terms WHERE article_id = ? AND kind = 'tag' AND key = ?",
            (article_id, key),
        ).fetchone()
        if row is None:
            return
        self.db.execute(
            "DELETE FROM terms WHERE article_id = ? AND kind = 'tag' AND key = ?",
            (article_id, key),
        )
        if row[0] == "source":
            self._hide(article_id, key, row[1], row[2])

    def _hide(self, article_id: int, key: str, name: str = "", pos: int = 0) -> None:
        self.db.execute(
            "INSERT OR IGNORE INTO hidden_tags(article_id, key, name, pos) VALUES (?, ?, ?, ?)",
            (article_id, key, name or key, pos),
        )

    def tagged(self, name: str) -> list[int]:
        """Ids of the articles that show this tag."""
        return [
            i
            for (i,) in self.db.execute(
                "SELECT article_id FROM terms WHERE kind = 'tag' AND key = ?", (term_key(name),)
            )
        ]

    def rename_tag(self, old: str, new: str) -> Change:
        """Rename a tag everywhere (merging into `new` when it exists)."""
        name = clean_tag(new)
        if not name:
            raise ValueError("a tag needs a name")
        ids = self.tagged(old)

        def apply(group: list[int]) -> None:
            spelled = self.spelling(name) if term_key(name) != term_key(old) else name
            for article_id in group:
                with self.reindexing([article_id]):
                    self._remove_tag(article_id, term_key(old))
                    self._add_tag(article_id, spelled)
                    self.sync_tags(article_id)

        return self._change(ids, apply)

    def delete_tag(self, name: str) -> Change:
        """Remove a tag from every article."""
        return self.tag(self.tagged(name), remove=[name])

    def _unhide(self, article_id: int, key: str) -> None:
        """Show a hidden source tag again, spelled and placed as the source had it."""
        row = self.db.execute(
            "SELECT name, pos FROM hidden_tags WHERE article_id = ? AND key = ?",
            (article_id, key),
        ).fetchone()
        self.db.execute(
            "DELETE FROM hidden_tags WHERE article_id = ? AND key = ?", (article_id, key)
        )
        name, pos = row if row else (key, 0)
        self.db.execute(
            "INSERT OR IGNORE INTO terms(article_id, kind, key, name, origin, pos)"
            " VALUES (?, 'tag', ?, ?, 'source', ?)",
            (article_id, key, name or key, pos),
        )

    # ---- saved searches -------------------------------------------------------------------

    def save_view(self, name: str, query: str) -> None:
        parse(query)  # only a valid query is saved
        self._saved_change(
            [name],
            lambda: self.db.execute(
                "INSERT OR REPLACE INTO saved_views(name, query) VALUES (?, ?)", (name, query)
            ),
        )

    def rename_view(self, old: str, new: str) -> None:
        def rename() -> None:
            if self.saved_query(new) is not None:
                raise ValueError(f"a saved search is already called {new!r}")
            self.db.execute("UPDATE saved_views SET name = ? WHERE name = ?", (new, old))

        self._saved_change([old, new], rename)

    def delete_view(self, name: str) -> None:
        self._saved_change(
            [name], lambda: self.db.execute("DELETE FROM saved_views WHERE name = ?", (name,))
        )

    def _saved_change(self, names: list[str], apply: Callable[[], object]) -> None:
        """Change saved searches and journal what they are then (see `ChangeMixin`)."""
        journaled = False
        try:
            with self.transaction():
                apply()
                self._journal_entries([{"saved": n, "query": self.saved_query(n)} for n in names])
                journaled = True
        except BaseException:
            if journaled:  # not committed: the journal says what the library holds
                with suppress(OSError, sqlite3.Error), self.transaction():
                    self._journal_entries(
                        [{"saved": n, "query": self.saved_query(n)} for n in names]
                    )
            raise

    # ---- export and import -------------------------------------------------------------------

    def export_state(self) -> dict[str, Any]:
        """All user state as plain data (for a YAML file): only articles that carry some."""
        rows = self.db.execute(f"{WITH_STATE} ORDER BY id").fetchall()
        records = []
        for (article_id,) in rows:
            article = self.article(article_id)
            assert article is not None
            hash_row = self.db.execute(
                "SELECT hash FROM articles WHERE id = ?", (article_id,)
            ).fetchone()
            record: dict[str, Any] = {
                "uid": article.uid,
                "path": article.path,
                "hash": hash_row[0],
                "title": article.title,
                "date": article.date,
                "read": article.read,
                "bookmarked": article.bookmarked,
            }
            if article.note:
                record["note"] = article.note
            if article.user_tags:
                record["tags"] = list(article.user_tags)
            if article.hidden_tags:
                record["hidden_tags"] = list(article.hidden_tags)
            records.append(record)
        return {
            "newsreader_state": STATE_FORMAT,
            "exported": datetime.now(UTC).isoformat(timespec="seconds"),
            "articles": records,
        }

    def import_state(self, data: Any) -> tuple[int, list[str]]:
        """Merge exported state in: nothing already here is unset. Returns (matched, unmatched).

        Articles are matched by stable uid, then source path, then content hash.
        """
        if not isinstance(data, dict) or not isinstance(data.get("articles"), list):
            raise ValueError("not a newsreader state file (no `articles` list)")
        version = data.get("newsreader_state")
        if not isinstance(version, int) or version > STATE_FORMAT:
            raise ValueError(f"state format {version!r} is not one this newsreader reads")
        found: list[tuple[int, dict[str, Any]]] = []
        unmatched = []
        for number, record in enumerate(data["articles"], 1):
            if not isinstance(record, dict):
                unmatched.append(f"entry {number}: not a mapping")
                continue
            article_id = self._match(record)
            if article_id is None:
                unmatched.append(str(record.get("path") or record.get("title") or number))
                continue
            found.append((article_id, record))

        records: dict[int, list[dict[str, Any]]] = {}
        for article_id, record in found:
            records.setdefault(article_id, []).append(record)

        def apply(group: list[int]) -> None:
            for article_id, record in ((i, r) for i in group for r in records[i]):
                self.unindex_article(article_id)
                self.db.execute(
                    "UPDATE articles SET read = read OR ?, bookmarked = bookmarked OR ?"
                    " WHERE id = ?",
                    (bool(record.get("read")), bool(record.get("bookmarked")), article_id),
                )
                if record.get("note"):
                    self.db.execute(
                        "UPDATE articles SET note = ? WHERE id = ?",
                        (_note(str(record["note"])), article_id),
                    )
                for key in _strings(record.get("hidden_tags")):
                    self._remove_tag(article_id, term_key(key))
                    self._hide(article_id, term_key(key))
                for tag in _strings(record.get("tags")):
                    if clean_tag(tag):
                        self._add_tag(article_id, self.spelling(clean_tag(tag)))
                self.sync_tags(article_id)
                self.index_article(article_id)

        self._change(records, apply)
        return len(found), unmatched

    def _match(self, record: dict[str, Any]) -> int | None:
        """The article a state entry is about: by stable uid, then path, then content.

        Identical files share a uid (it is their first content hash); then the path decides.
        """
        path = record.get("path")
        for column in ("uid", "path", "hash"):
            value = record.get(column)
            if not isinstance(value, str) or not value:
                continue
            rows = self.db.execute(
                f"SELECT id, path FROM articles WHERE {column} = ? ORDER BY id", (value,)
            ).fetchall()
            if len(rows) > 1:
                rows = [r for r in rows if r[1] == path] or rows
            if rows:
                return int(rows[0][0])
        return None


def _note(note: str) -> str:
    return clean_line(note)[:2000]


def _strings(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []
