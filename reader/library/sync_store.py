"""Sync accounts as stored, a part of `Library` (sync.py talks to the servers).

An account's subscriptions are import roots (`sync:ACCOUNT:feed/N`) that name them under
Sources; its items are articles with paths `sync:ACCOUNT:ITEM`. For each item, `synced`
keeps the marks the library and the server last agreed on (read, starred, labels): the
base a sync compares both sides with. What the reader changed since is what differs from
it, so nothing needs queueing apart: a change is in the library the moment it is made,
and the base moves only once the server has it."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import urlsplit

from reader.library.base import StorageBase
from reader.library.errors import SyncError
from reader.library.models import ParsedArticle
from reader.library.state import term_key
from reader.library.text import clean_line

if TYPE_CHECKING:
    from reader.library.greader import Item, Subscription

APIS = ("greader", "fever")


class Account(NamedTuple):
    id: int
    name: str
    url: str
    user: str
    api: str
    since: float | None  # the server's items are fetched from this time on (None: all)
    listed: float | None  # when a sync last listed every item id
    synced: str | None  # when it last synced (ISO 8601, UTC)
    error: str  # the last sync's error, or ""
    articles: int = 0
    unread: int = 0
    waiting: int = 0  # articles whose marks changed here and are not on the server yet


class Base(NamedTuple):
    """An item's marks as the library and the server last agreed on them."""

    article_id: int
    read: bool
    starred: bool
    labels: tuple[str, ...]  # names (compared by their term keys)


def labels_text(names: Iterable[str]) -> str:
    return "\n".join(sorted({term_key(n): n for n in names}.values(), key=term_key))


def name_of(url: str) -> str:
    return clean_line(urlsplit(url).hostname or url)[:60] or "sync"


_WAITING = (  # a synced article whose marks differ from the base
    "SELECT count(*) FROM synced s JOIN articles a ON a.id = s.article_id"
    " JOIN accounts c ON c.id = s.account_id"
    " WHERE s.account_id = ? AND (a.read != s.read OR a.bookmarked != s.starred OR"
    " c.api != 'fever' AND coalesce((SELECT group_concat(t.key, char(10)) FROM"
    " (SELECT key FROM terms WHERE article_id = a.id AND kind = 'tag' AND origin = 'user'"
    " ORDER BY key) t), '') != s.label_keys)"
)


class SyncStore(StorageBase):
    """The statements of sync accounts and their items."""

    # ---- accounts ---------------------------------------------------------------------

    def accounts(self) -> list[Account]:
        rows = self.db.execute(
            "SELECT id, name, url, user, api, since, listed, synced, error FROM accounts"
            " ORDER BY name"
        ).fetchall()
        found = []
        for row in rows:
            articles, unread = self.db.execute(
                "SELECT count(*), total(a.read = 0) FROM synced s"
                " JOIN articles a ON a.id = s.article_id WHERE s.account_id = ?",
                (row[0],),
            ).fetchone()
            waiting = self.db.execute(_WAITING, (row[0],)).fetchone()[0]
            account_id, name, url, user, api, since, listed, synced, error = row
            found.append(
                Account(account_id, name, url, user, api, since, listed, synced, error)._replace(
                    articles=articles, unread=int(unread), waiting=waiting
                )
            )
        return found

    def find_account(self, name: str) -> Account:
        for account in self.accounts():
            if account.name.casefold() == name.casefold():
                return account
        raise SyncError(f"no sync account called {name!r} (see `newsreader sync list`)")

    def insert_account(self, name: str, url: str, user: str, api: str) -> Account:
        if api not in APIS:
            raise SyncError(f"{api!r}: the APIs are {', '.join(APIS)}")
        name = clean_line(name)
        if not name:
            raise SyncError("an account's name needs letters")
        with self.transaction():
            taken = {n.casefold() for (n,) in self.db.execute("SELECT name FROM accounts")}
            if name.casefold() in taken:
                raise SyncError(f"a sync account is already called {name!r}")
            self.db.execute(
                "INSERT INTO accounts(name, url, user, api) VALUES (?, ?, ?, ?)",
                (name, url, user, api),
            )
        return self.find_account(name)

    def delete_account(self, account: Account) -> int:
        """The account goes; its articles that hold nothing of the reader's go too (those
        bookmarked, noted or tagged stay, as a removed feed's do). Returns how many went."""
        roots = [
            r
            for (r,) in self.db.execute(
                "SELECT root_id FROM subscriptions WHERE account_id = ?", (account.id,)
            )
        ]
        gone = sum(self.drop_entries(self.prunable_entries(root)) for root in roots)
        with self.transaction():
            self.db.execute("DELETE FROM accounts WHERE id = ?", (account.id,))
            self._drop_empty_roots(roots)
        return gone

    def account_done(
        self, account: Account, since: float | None, error: str = "", listed: float | None = None
    ) -> None:
        """A sync's end: `since` for the next one's new items, and its error (or none);
        `listed`: it listed every item id."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self.transaction():
            if error:
                self.db.execute(
                    "UPDATE accounts SET error = ? WHERE id = ?", (error[:500], account.id)
                )
            else:
                self.db.execute(
                    "UPDATE accounts SET since = ?, synced = ?, error = '',"
                    " listed = coalesce(?, listed) WHERE id = ?",
                    (since, now, listed, account.id),
                )

    # ---- subscriptions ------------------------------------------------------------------

    def store_subscriptions(
        self, account: Account, subscriptions: Sequence[Subscription]
    ) -> set[str]:
        """The server's subscriptions as sources; one it no longer has goes, as a removed
        feed does. Returns the streams new since the last time."""
        old = dict(
            self.db.execute(
                "SELECT stream, root_id FROM subscriptions WHERE account_id = ?", (account.id,)
            )
        )
        with self.transaction():
            for sub in subscriptions:
                root_id = self.root_id(f"sync:{account.id}:{sub.id}")
                title = clean_line(sub.title) or clean_line(sub.url) or sub.id
                self.db.execute("UPDATE roots SET name = ? WHERE id = ?", (title, root_id))
                self.db.execute(
                    "INSERT OR REPLACE INTO subscriptions(account_id, stream, title, url,"
                    " folders, root_id) VALUES (?, ?, ?, ?, ?, ?)",
                    (account.id, sub.id, title, sub.url, labels_text(sub.labels), root_id),
                )
        gone_roots = [
            root for stream, root in old.items() if stream not in {sub.id for sub in subscriptions}
        ]
        for root in gone_roots:
            self.drop_entries(self.prunable_entries(root))
        with self.transaction():
            for root in gone_roots:
                self.db.execute(
                    "DELETE FROM synced WHERE article_id IN"
                    " (SELECT id FROM articles WHERE root_id = ?)",
                    (root,),
                )
                self.db.execute("DELETE FROM subscriptions WHERE root_id = ?", (root,))
            self._drop_empty_roots(gone_roots)
        return {sub.id for sub in subscriptions} - set(old)

    def subscription_roots(self, account: Account) -> dict[str, tuple[int, tuple[str, ...]]]:
        """stream -> (its root, its folders)."""
        return {
            stream: (root, tuple(folders.split("\n")) if folders else ())
            for stream, root, folders in self.db.execute(
                "SELECT stream, root_id, folders FROM subscriptions WHERE account_id = ?",
                (account.id,),
            )
        }

    def synced_subscriptions(self) -> list[tuple[str, str, str, int, int]]:
        """(account, title, address, articles, unread) of every synced subscription."""
        return [
            (account, title, url, articles, int(unread))
            for account, title, url, articles, unread in self.db.execute(
                "SELECT c.name, s.title, s.url, count(a.id), total(a.read = 0)"
                " FROM subscriptions s JOIN accounts c ON c.id = s.account_id"
                " LEFT JOIN articles a ON a.root_id = s.root_id"
                " GROUP BY s.account_id, s.stream ORDER BY c.name, s.title"
            )
        ]

    def find_subscription(self, name_or_url: str) -> tuple[Account, str, str] | None:
        """(account, stream, title) of a synced subscription by its title or address."""
        folded = name_or_url.casefold()
        for account_id, stream, title, url in self.db.execute(
            "SELECT account_id, stream, title, url FROM subscriptions ORDER BY title"
        ).fetchall():
            if name_or_url == url or title.casefold() == folded:
                account = next(a for a in self.accounts() if a.id == account_id)
                return account, stream, title
        return None

    def _drop_empty_roots(self, roots: Iterable[int]) -> None:
        for root in roots:
            if not self.db.execute("SELECT 1 FROM articles WHERE root_id = ?", (root,)).fetchone():
                self.db.execute("DELETE FROM roots WHERE id = ?", (root,))

    # ---- items ------------------------------------------------------------------------

    def bases(self, account: Account) -> dict[int, Base]:
        """item -> its base, for every item of the account in the library."""
        return {
            item: Base(
                article_id, bool(read), bool(starred), tuple(labels.split("\n")) if labels else ()
            )
            for item, article_id, read, starred, labels in self.db.execute(
                "SELECT item, article_id, read, starred, labels FROM synced WHERE account_id = ?",
                (account.id,),
            )
        }

    def bases_of(self, article_ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
        """article -> the labels of its base."""
        marks = ",".join("?" * len(article_ids))
        return {
            article_id: tuple(labels.split("\n")) if labels else ()
            for article_id, labels in self.db.execute(
                f"SELECT article_id, labels FROM synced WHERE article_id IN ({marks})",
                tuple(article_ids),
            )
        }

    def save_items(self, account: Account, items: Sequence[Item]) -> tuple[int, int]:
        """Store items as articles (a new one with the base of a new article: unread,
        unstarred, unlabelled; the sync then brings its marks); (new, updated)."""
        from reader.library.parse import parse_entry  # (the app's start needs no parser)

        roots = self.subscription_roots(account)
        new = updated = 0
        with self.transaction():
            for item in items:
                path = f"sync:{account.id}:{item.id}"
                if item.feed not in roots:
                    root = self.root_id(f"sync:{account.id}:{item.feed or 'unknown'}")
                    roots[item.feed] = (root, ())
                root_id, folders = roots[item.feed]
                when = datetime.fromtimestamp(item.published, UTC) if item.published else None
                article: ParsedArticle = parse_entry(
                    path,
                    title=item.title,
                    date_value=when,
                    tags=list(folders),
                    url=item.url,
                    content=item.html,
                    extra={"author": [item.author]} if item.author else None,
                )
                kept = (path, article.title, article.date, article.tags, article.url, article.body)
                digest = hashlib.blake2b(
                    repr((*kept, article.extra)).encode(), digest_size=16
                ).hexdigest()
                old = self.db.execute(
                    "SELECT id, hash, mtime_ns FROM articles WHERE path = ?", (path,)
                ).fetchone()
                if old and old[1] == digest:  # (unchanged; synced again if it was forgotten)
                    article_id, is_new = old[0], None
                else:
                    stamp = old[2] if old else int(datetime.now(UTC).timestamp() * 1e9)
                    article_id, is_new = self.save(
                        article, root_id, len(article.body), stamp, digest
                    )
                self.db.execute(
                    "INSERT OR IGNORE INTO synced(article_id, account_id, item) VALUES (?, ?, ?)",
                    (article_id, account.id, item.id),
                )
                new += is_new is True
                updated += is_new is False
        return new, updated

    def set_bases(
        self, bases: Iterable[tuple[int, bool | None, bool | None, tuple[str, ...] | None]]
    ) -> None:
        """(article, read, starred, labels): the marks now agreed on (None: unchanged)."""
        for article_id, read, starred, labels in bases:
            if read is not None:
                self.db.execute(
                    "UPDATE synced SET read = ? WHERE article_id = ?", (read, article_id)
                )
            if starred is not None:
                self.db.execute(
                    "UPDATE synced SET starred = ? WHERE article_id = ?", (starred, article_id)
                )
            if labels is not None:
                self.db.execute(
                    "UPDATE synced SET labels = ?, label_keys = ? WHERE article_id = ?",
                    (
                        labels_text(labels),
                        "\n".join(sorted({term_key(n) for n in labels})),
                        article_id,
                    ),
                )

    def forget_items(self, article_ids: Iterable[int]) -> None:
        """Items the server no longer has: their articles stay, with the reader's marks,
        and are synced no more."""
        with self.transaction():
            self.db.executemany(
                "DELETE FROM synced WHERE article_id = ?", [(i,) for i in article_ids]
            )
