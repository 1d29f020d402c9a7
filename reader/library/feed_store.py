"""Feeds as stored: the FeedResult record, finding feeds, and writing a fetched
feed's entries, SLICE to a transaction, so that another writer (the app marking an article
read) waits for one slice at most, never for a whole feed of thousands of entries."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from reader.library.base import StorageBase
from reader.library.errors import FeedError
from reader.library.models import Feed, ParsedArticle
from reader.library.text import clean_line

if TYPE_CHECKING:
    from reader.library.fetch import Entry, Fetched

SLICE = 200  # entries written per transaction: another writer waits for one slice at most
Parsed = tuple[str, list["Entry"]]  # a feed's title and entries


@dataclass(frozen=True)
class FeedResult:
    feed: Feed
    new: int = 0
    updated: int = 0
    not_modified: bool = False
    error: str | None = None
    pruned: int = 0

    def line(self) -> str:
        if self.error:  # `hn: not a feed: the XML ends at line 3`
            return f"{self.feed.name}: {self.error}"
        if self.not_modified:
            return f"{self.feed.name}: not modified"
        pruned = f", {self.pruned} pruned" if self.pruned else ""
        return f"{self.feed.name}: {self.new} new, {self.updated} updated{pruned}"


def name_from(url: str) -> str:
    if url.startswith(("http://", "https://")):
        parts = urlsplit(url)
        return clean_line(parts.netloc + parts.path.rstrip("/"))[:80] or url
    return Path(url).stem


# ---- storing a fetched feed ---------------------------------------------------------------


class Taken:
    """The addresses and names (casefolded) of the feeds followed (but `own_id`), read once."""

    def __init__(self, library: StorageBase, own_id: int = 0) -> None:
        taken = "SELECT url, name FROM feeds WHERE id != ?"
        rows = library.db.execute(taken, (own_id,)).fetchall()
        self.urls = {url for url, _ in rows}
        self.names = {name.casefold() for _, name in rows}
        self._next: dict[str, int] = {}  # name -> the number its next copy may take

    def unique(self, name: str) -> str:
        """`name`, or `name (2)`, `name (3)`… if it is taken."""
        key = name.casefold()
        candidate, number = name, self._next.get(key, 2)
        if candidate.casefold() in self.names:
            candidate = f"{name} ({number})"
        while candidate.casefold() in self.names:
            number += 1
            candidate = f"{name} ({number})"
        self._next[key] = number
        return candidate


_HOLDS_NOTHING = (  # an entry the reader has not bookmarked, noted or tagged
    "a.bookmarked = 0 AND a.note = ''"
    " AND NOT EXISTS (SELECT 1 FROM terms t WHERE t.article_id = a.id AND t.origin = 'user')"
    " AND NOT EXISTS (SELECT 1 FROM hidden_tags h WHERE h.article_id = a.id)"
)


class FeedStore(StorageBase):
    """The feeds' statements, a part of `Library` (feeds.py fetches and orchestrates)."""

    def failing_feeds(self) -> dict[str, str]:
        """Feed name -> the error of its last refresh, for the feeds whose refresh failed (the
        sidebar asks after every change: no counting here)."""
        return dict(self.db.execute("SELECT name, error FROM feeds WHERE error != ''"))

    def feeds(self, feed_id: int | None = None) -> list[Feed]:
        """The feeds followed (or the one with `feed_id`), with their article and unread
        counts."""
        where = "" if feed_id is None else f"WHERE f.id = {int(feed_id)}"
        rows = self.db.execute(
            "SELECT f.id, f.url, f.name, f.tag, f.keep, f.keep_days, f.etag, f.modified,"
            " f.checked, f.error, count(a.id), total(a.read = 0), f.every, f.full_text FROM feeds f"
            f" LEFT JOIN articles a ON a.root_id = f.root_id {where} GROUP BY f.id ORDER BY f.name"
        )
        return [_feed(row) for row in rows]

    def due_feeds(self, every: int | None, now: float) -> list[str]:
        """The feeds whose time has come at `now` (seconds since the epoch): never fetched,
        or fetched at least their own `every` ago (or `every`, the setting's, for those
        without one; None: only those with their own)."""
        due = []
        for name, own, checked in self.db.execute("SELECT name, every, checked FROM feeds"):
            interval = own or every
            if interval is None:
                continue
            try:
                last = datetime.fromisoformat(checked).timestamp() if checked else None
            except ValueError:
                last = None
            if last is None or now - last >= interval:
                due.append(name)
        return due

    def set_feed_every(self, feed_id: int, every: int | None) -> None:
        """The feed's own schedule in the app: every `every` seconds (None: the setting's)."""
        with self.transaction():
            self.db.execute("UPDATE feeds SET every = ? WHERE id = ?", (every, feed_id))

    def find_feed(self, name_or_url: str) -> Feed:
        """The feed by its name (ignoring case) or address; only its articles are counted."""
        folded = name_or_url.casefold()
        for feed_id, url, name in self.db.execute("SELECT id, url, name FROM feeds ORDER BY name"):
            if name_or_url in (name, url) or name.casefold() == folded:
                return self.feeds(feed_id)[0]
        raise FeedError(f"no feed called {name_or_url!r} (see `newsreader feed list`)")

    def root_of(self, feed: Feed) -> int:
        return int(
            self.db.execute("SELECT root_id FROM feeds WHERE id = ?", (feed.id,)).fetchone()[0]
        )

    def unique_name(self, name: str, own_id: int = 0) -> str:
        return Taken(self, own_id).unique(name)

    def insert_feed(
        self,
        url: str,
        name: str,
        named: bool,
        tag: str,
        keep: int | None,
        keep_days: int | None,
    ) -> Feed:
        """A feed followed (the caller holds the transaction): its row and its import root,
        named as the feed."""
        root_id = self.root_id(f"feed:{url}")
        self.db.execute("UPDATE roots SET name = ? WHERE id = ?", (name, root_id))
        cursor = self.db.execute(
            "INSERT INTO feeds(url, name, named, tag, keep, keep_days, root_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (url, name, named, tag, keep, keep_days, root_id),
        )
        return Feed(cursor.lastrowid or 0, url, name, tag, keep, keep_days, None, None, None, "")

    def delete_feed(self, feed: Feed) -> int:
        """A feed no longer followed: its entries go, but those the reader bookmarked, noted or
        tagged (and the root, while they are there). Returns how many entries went."""
        root_id = self.root_of(feed)
        gone = self.drop_entries(self.prunable_entries(root_id))
        with self.transaction():
            self.db.execute("DELETE FROM feeds WHERE id = ?", (feed.id,))
            self.drop_empty_roots([root_id])
        return gone

    def drop_empty_roots(self, roots: Iterable[int]) -> None:
        """Sources left with no article (a feed or subscription no longer followed)."""
        for root in roots:
            if not self.db.execute("SELECT 1 FROM articles WHERE root_id = ?", (root,)).fetchone():
                self.db.execute("DELETE FROM roots WHERE id = ?", (root,))

    def name_feed(self, feed: Feed, name: str) -> None:
        """The reader's name for a feed (kept over the feed's own title from now on)."""
        with self.transaction():
            self.db.execute("UPDATE feeds SET name = ?, named = 1 WHERE id = ?", (name, feed.id))
            self.db.execute("UPDATE roots SET name = ? WHERE id = ?", (name, self.root_of(feed)))

    def store_fetched(
        self,
        feed: Feed,
        fetched: Fetched,
        parsed: Parsed | None,
        keep: int | None,
        keep_days: int | None,
    ) -> FeedResult:
        """Store a fetched feed: its entries in slices of SLICE, each its own transaction (a
        slice cut off by a crash is fetched again: the feed's validators are written last)."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        if fetched.error:
            with self.transaction():
                self.db.execute(
                    "UPDATE feeds SET error = ?, checked = ? WHERE id = ?",
                    (clean_line(fetched.error)[:500], now, feed.id),
                )
            return FeedResult(feed, error=clean_line(fetched.error))
        new = updated = 0
        root_id = self.root_of(feed)
        title, entries = parsed if parsed is not None else ("", [])
        for start in range(0, len(entries), SLICE):
            with self.transaction():
                for entry in entries[start : start + SLICE]:
                    outcome = self._save_entry(feed, root_id, entry)
                    new += outcome == "new"
                    updated += outcome == "updated"
        with self.transaction():
            if parsed is not None:
                named = self.db.execute(
                    "SELECT named FROM feeds WHERE id = ?", (feed.id,)
                ).fetchone()[0]
                if title and not named and feed.name == name_from(feed.url):
                    better = self.unique_name(title, feed.id)
                    self.db.execute("UPDATE feeds SET name = ? WHERE id = ?", (better, feed.id))
                    self.db.execute("UPDATE roots SET name = ? WHERE id = ?", (better, root_id))
            self.db.execute(
                "UPDATE feeds SET error = '', checked = ?, etag = ?, modified = ? WHERE id = ?",
                (now, fetched.etag, fetched.modified, feed.id),
            )
        pruned = self._retain(feed, root_id, feed.keep or keep, feed.keep_days or keep_days)
        return FeedResult(
            self.find_feed(feed.url), new, updated, not_modified=parsed is None, pruned=pruned
        )

    def _save_entry(self, feed: Feed, root_id: int, entry: Entry) -> str:
        key = hashlib.blake2b(entry.key.encode(), digest_size=12).hexdigest()
        path = f"feed:{feed.id}:{key}"
        if self.db.execute(
            "SELECT 1 FROM feed_pruned WHERE feed_id = ? AND key = ?", (feed.id, key)
        ).fetchone():
            return "pruned"
        from reader.library.parse import parse_entry  # (the app's start needs no parser)

        tags = [*entry.tags, feed.tag] if feed.tag else entry.tags
        article: ParsedArticle = parse_entry(
            path,
            title=entry.title,
            date_value=entry.date,
            tags=tags,
            url=entry.url,
            content=entry.content,
            extra=entry.extra,
        )
        return self.store_entry(article, root_id)[1]

    def store_entry(self, article: ParsedArticle, root_id: int) -> tuple[int, str]:
        """Store an entry that has no file (a feed's, a sync server's): (its article id,
        "new", "updated" or "unchanged"). The caller holds the transaction."""
        # the path too: the same entry in two feeds is two articles
        kept = (article.path, article.title, article.date, article.tags, article.url)
        digest = hashlib.blake2b(
            repr(
                (*kept, article.body, article.extra) if article.extra else (*kept, article.body)
            ).encode(),
            digest_size=16,
        ).hexdigest()
        old = self.db.execute(
            "SELECT id, hash, mtime_ns FROM articles WHERE path = ?", (article.path,)
        ).fetchone()
        if old and old[1] == digest:
            return old[0], "unchanged"
        stamp = old[2] if old else int(datetime.now(UTC).timestamp() * 1e9)  # first seen: the
        # date of an undated entry, which an update must not move to the top
        article_id, _ = self.save(article, root_id, len(article.body), stamp, digest)
        return article_id, "updated" if old else "new"

    def prunable_entries(self, root_id: int) -> list[int]:
        """Entries of a feed that hold nothing of the user's, newest first."""
        return [
            i
            for (i,) in self.db.execute(
                f"SELECT id FROM articles a WHERE root_id = ? AND {_HOLDS_NOTHING}"
                " ORDER BY sort_ts DESC, id DESC",
                (root_id,),
            )
        ]

    def _retain(self, feed: Feed, root_id: int, keep: int | None, keep_days: int | None) -> int:
        if not keep and not keep_days:
            return 0
        ids = self.prunable_entries(root_id)
        gone = set(ids[keep:]) if keep else set()
        if keep_days:
            cutoff = (datetime.now(UTC) - timedelta(days=keep_days)).timestamp()
            prunable = set(ids)
            gone |= {
                i
                for (i,) in self.db.execute(
                    "SELECT id FROM articles WHERE root_id = ? AND sort_ts < ?", (root_id, cutoff)
                )
                if i in prunable
            }
        return self.drop_entries(sorted(gone), feed.id)

    def drop_entries(self, ids: list[int], feed_id: int | None = None) -> int:
        """Delete those of `ids` that still hold nothing of the user's (they were read outside
        the transaction), SLICE at a time. With `feed_id`, their keys are remembered, so that
        the feed's next fetch skips them. Returns how many went."""
        gone = 0
        for start in range(0, len(ids), SLICE):
            chunk = ids[start : start + SLICE]
            with self.transaction():
                rows = self.db.execute(
                    f"SELECT id, path FROM articles a WHERE id IN ({','.join('?' * len(chunk))})"
                    f" AND {_HOLDS_NOTHING}",
                    chunk,
                ).fetchall()
                if feed_id is not None:
                    self.db.executemany(
                        "INSERT OR IGNORE INTO feed_pruned(feed_id, key) VALUES (?, ?)",
                        [(feed_id, path.rsplit(":", 1)[-1]) for _, path in rows],
                    )
                self._delete([article_id for article_id, _ in rows])
            gone += len(rows)
        return gone

    def _delete(self, ids: Iterable[int]) -> None:
        for article_id in ids:
            self.unindex_article(article_id)
            self.db.execute("DELETE FROM articles WHERE id = ?", (article_id,))


def _feed(row: tuple[Any, ...]) -> Feed:
    """A row of `FeedStore.feeds`' query as a Feed."""
    i, url, name, tag, keep, days, etag, modified, checked, error, count, unread, *more = row
    every, full_text = more
    return Feed(
        i, url, name, tag, keep, days, etag, modified, checked, error, count, int(unread), every,
        bool(full_text),
    )  # fmt: skip
