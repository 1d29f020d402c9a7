"""Every change to the reader's state goes through `ChangeMixin._change`: it returns
what it changed (for undo), and it is written to the state journal (see `journal`)
before it commits.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from contextlib import suppress
from typing import Any

from reader.library import journal
from reader.library.base import StorageBase
from reader.library.models import ArticleState, Change
from reader.library.state import WITH_STATE, term_key
from reader.library.turns import SLICE

JOURNAL = "journal.size"  # setting: the journal's size when it was last compacted
GROUP = 100  # articles changed between two looks at the clock


class ChangeMixin(StorageBase):
    """Changes, snapshots and undo of `Library` (which provides `db`, `transaction`, ...)."""

    # ---- every change: undoable, and journaled ------------------------------------------------

    def _change(self, ids: Iterable[int], apply: Callable[[list[int]], object]) -> Change:
        """Run `apply` on `ids`, `GROUP` at a time, and return what it changed. The
        transactions last `SLICE` seconds at most: a change to every article must not keep
        another writer waiting (see `turns`). Each writes the new states to the journal
        before it commits; if the commit fails, the states the library holds are written
        after. An error after some slices went in carries them as `exc.partial`."""
        wanted, done = list(dict.fromkeys(ids)), 0
        if not wanted:
            return Change()
        before: list[ArticleState] = []
        after: list[ArticleState] = []
        size = min(GROUP, 10)  # articles a group: as many as take ~0.1 s, up to GROUP
        more = True
        while more:
            more, journaled = False, False
            old_states: list[ArticleState] = []
            new_states: list[ArticleState] = []
            try:
                with self.transaction():
                    until = time.monotonic() + SLICE
                    while done < len(wanted):
                        group, started = wanted[done : done + size], time.monotonic()
                        old = {s.article_id: s for s in self.snapshot(group)}
                        apply(group)
                        new = [s for s in self.snapshot(group) if old.get(s.article_id) != s]
                        old_states += [old[s.article_id] for s in new]
                        new_states += new
                        done += len(group)
                        took = time.monotonic() - started
                        size = max(1, min(GROUP, int(size * SLICE / 4 / max(took, 1e-6))))
                        if done < len(wanted) and time.monotonic() > until:
                            more = True
                            break
                    self._journal(new_states)
                    journaled = True
            except BaseException as exc:
                if journaled and old_states:  # not committed: the journal says so too (under
                    with suppress(OSError, sqlite3.Error), self.transaction():  # the lock)
                        self._journal(self.snapshot([s.article_id for s in old_states]))
                if before:  # the slices before this one are in: what, for undo and the screen
                    exc.partial = Change(tuple(before), tuple(after))  # type: ignore[attr-defined]
                raise
            before += old_states
            after += new_states
        with suppress(OSError, sqlite3.Error):  # (housekeeping: the change is in; next time)
            self.compact_journal()
        return Change(tuple(before), tuple(after))

    def _journal(self, states: Sequence[ArticleState]) -> None:
        if not states:
            return
        who = self._identities([s.article_id for s in states])
        entries = [journal.entry(who[s.article_id], s) for s in states if s.article_id in who]
        self._journal_entries(entries)

    def _journal_entries(self, entries: list[dict[str, Any]]) -> None:
        path = journal.journal_path(self.path)
        if not path.exists():
            self._start_journal()
        journal.append(path, entries)

    def compact_journal(self) -> None:
        """Rewrite the journal once it has doubled (past 1 MB)."""
        path = journal.journal_path(self.path)
        if self.db.in_transaction or not path.exists():
            return
        last = int(self.setting(JOURNAL) or 0)
        if path.stat().st_size <= max(journal.COMPACT_FROM, 2 * last):
            return
        size = journal.compact(path, self.transaction)
        self.set_setting(JOURNAL, str(size))

    def _start_journal(self) -> None:
        """The journal of a library from before it (or whose journal was deleted): all
        the state the library holds, written once."""
        journal.write(journal.journal_path(self.path), self.state_entries(), only_new=True)

    def state_entries(self) -> list[dict[str, Any]]:
        """The journal entries of all the state the library holds, and its saved searches."""
        ids = [i for (i,) in self.db.execute(WITH_STATE)]
        who = self._identities(ids)
        entries = [journal.entry(who[s.article_id], s) for s in self.snapshot(ids)]
        return entries + [
            {"saved": name, "query": query}
            for name, query in self.db.execute("SELECT name, query FROM saved_views")
        ]

    def start_journal(self) -> None:
        """At open: a library without a journal gets one, unless another writer is busy
        or the folder is read-only (then the next change writes it)."""
        if journal.journal_path(self.path).exists():
            return
        limit, self.wait_limit = self.wait_limit, 0.2
        with suppress(sqlite3.Error, OSError), self.transaction():
            self._start_journal()
        self.wait_limit = limit

    def _identities(self, ids: Sequence[int]) -> dict[int, tuple[str, str, str, str, str]]:
        found = {}
        for start in range(0, len(ids), 500):
            chunk = tuple(ids[start : start + 500])
            for row in self.db.execute(
                f"SELECT id, uid, path, hash, title, date FROM articles"
                f" WHERE id IN ({','.join('?' * len(chunk))})",
                chunk,
            ):
                found[row[0]] = row[1:]
        return found

    def undo(self, change: Change) -> tuple[Change, list[int]]:
        """Put back what `change` changed, where it still holds what the change set: a
        read mark, bookmark, note or tag changed since (by another program, say) is kept.
        Returns what the undo changed, and the articles where something was kept."""
        first = {s.article_id: s for s in change.before}
        after = {s.article_id: s for s in change.after}
        kept: list[int] = []

        def apply(group: list[int]) -> None:
            now = {s.article_id: s for s in self.snapshot(group)}
            for before in (first[i] for i in group):
                set_, current = after.get(before.article_id), now.get(before.article_id)
                if set_ and current and not self._put_back(before, set_, current):
                    kept.append(before.article_id)

        return self._change(change.ids, apply), kept

    def _put_back(self, before: ArticleState, set_: ArticleState, now: ArticleState) -> bool:
        """One article's part of `undo`; False when a field had changed since and was kept."""
        article_id, clean = before.article_id, True
        searched = (before.note, before.user_tags, before.hidden_tags) != (
            set_.note,
            set_.user_tags,
            set_.hidden_tags,
        )  # (the note and tags are in the search index; read marks and bookmarks are not)
        with self.reindexing([article_id] if searched else []):
            for column in ("read", "bookmarked", "note"):
                old, new, current = (getattr(s, column) for s in (before, set_, now))
                if old != new and current == new:
                    self.db.execute(
                        f"UPDATE articles SET {column} = ? WHERE id = ?", (old, article_id)
                    )
                elif old != new and current != old:
                    clean = False
            old_user = {term_key(t): t for t in before.user_tags}
            new_user = {term_key(t) for t in set_.user_tags}
            now_user = {term_key(t) for t in now.user_tags}
            for key in (new_user - old_user.keys()) & now_user:  # added: taken off again
                self.db.execute(
                    "DELETE FROM terms WHERE article_id = ? AND kind = 'tag' AND key = ?"
                    " AND origin = 'user'",
                    (article_id, key),
                )
            for key in old_user.keys() - new_user - now_user:  # removed: put back
                self._add_tag(article_id, old_user[key])
            old_hidden, new_hidden = set(before.hidden_tags), set(set_.hidden_tags)
            for key in (new_hidden - old_hidden) & set(now.hidden_tags):
                self._unhide(article_id, key)
            for key in old_hidden - new_hidden - set(now.hidden_tags):
                self._remove_tag(article_id, key)
                self._hide(article_id, key)
            self.sync_tags(article_id)
        return clean

    # ---- snapshots --------------------------------------------------------------------

    def snapshot(self, ids: Iterable[int]) -> list[ArticleState]:
        """The state of these articles, to put back later (undo)."""
        wanted = list(ids)
        states = []
        for start in range(0, len(wanted), 500):
            chunk = tuple(wanted[start : start + 500])
            marks = ",".join("?" * len(chunk))
            user: dict[int, list[str]] = {}
            for article_id, name in self.db.execute(
                f"SELECT article_id, name FROM terms WHERE origin = 'user'"
                f" AND article_id IN ({marks}) ORDER BY pos, name",
                chunk,
            ):
                user.setdefault(article_id, []).append(name)
            hidden: dict[int, list[str]] = {}
            for article_id, key in self.db.execute(
                f"SELECT article_id, key FROM hidden_tags WHERE article_id IN ({marks})", chunk
            ):
                hidden.setdefault(article_id, []).append(key)
            for article_id, read, bookmarked, note in self.db.execute(
                f"SELECT id, read, bookmarked, note FROM articles WHERE id IN ({marks})", chunk
            ):
                states.append(
                    ArticleState(
                        article_id,
                        bool(read),
                        bool(bookmarked),
                        note,
                        tuple(user.get(article_id, ())),
                        tuple(sorted(hidden.get(article_id, ()))),
                    )
                )
        return states

    def restore(self, states: Iterable[ArticleState]) -> Change:
        """Put articles back exactly as a snapshot found them."""
        by_id = {s.article_id: s for s in states}
        return self._change(by_id, lambda group: self._restore([by_id[i] for i in group]))

    def _restore(self, states: list[ArticleState]) -> None:
        for state in states:
            article_id = state.article_id
            self.unindex_article(article_id)
            self.db.execute(
                "UPDATE articles SET read = ?, bookmarked = ?, note = ? WHERE id = ?",
                (int(state.read), int(state.bookmarked), state.note, article_id),
            )
            self.db.execute(
                "DELETE FROM terms WHERE article_id = ? AND origin = 'user'", (article_id,)
            )
            hidden_now = {
                k
                for (k,) in self.db.execute(
                    "SELECT key FROM hidden_tags WHERE article_id = ?", (article_id,)
                )
            }
            for key in hidden_now - set(state.hidden_tags):
                self._unhide(article_id, key)
            for key in state.hidden_tags:
                self._remove_tag(article_id, key)
                self._hide(article_id, key)
            for tag in state.user_tags:
                self._add_tag(article_id, tag)
            self.sync_tags(article_id)
            self.index_article(article_id)
