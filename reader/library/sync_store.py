"""Sync accounts as stored, a part of `Library` (sync.py talks to the servers).

An account's subscriptions are import roots (`sync:ACCOUNT:feed/N`) that name them under
Sources; its items are articles with paths `sync:ACCOUNT:ITEM`. For each item, `synced`
keeps the marks the library and the server last agreed on (read, starred, labels): the
base a sync compares both sides with. What the reader changed since is what differs from
it, so nothing needs queueing apart: a change is in the library the moment it is made,
and the base moves only once the server has it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import urlsplit

from reader.library.base import StorageBase
from reader.library.errors import SyncError
from reader.library.rows import ADD_TERM
from reader.library.state import clean_tag, term_key
from reader.library.text import clean_line

if TYPE_CHECKING:
    from reader.library.greader import Subscription

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


def label_key(name: str) -> str:
    """A label as the library would hold it as a tag (`#todo`, `ToDo ` → `todo`)."""
    return term_key(clean_tag(name))


def labels_text(names: Iterable[str]) -> str:
    return "\n".join(sorted({label_key(n): n for n in names}.values(), key=label_key))


def lines(text: str | None) -> tuple[str, ...]:
    return tuple(text.split("\n")) if text else ()


def name_of(url: str) -> str:
    return clean_line(urlsplit(url).hostname or url)[:60] or "sync"


class SyncStore(StorageBase):
    """The statements of sync accounts and their items."""

    # ---- accounts ---------------------------------------------------------------------

    def accounts(self, counts: bool = True) -> list[Account]:
        """The accounts (`counts`: with their articles, unread and waiting counts)."""
        rows = self.db.execute(
            "SELECT id, name, url, user, api, since, listed, synced, error FROM accounts"
            " ORDER BY name"
        ).fetchall()
        found = []
        for row in rows:
            account = Account(*row)
            if counts:
                articles, unread = self.db.execute(
                    "SELECT count(*), total(a.read = 0) FROM synced s"
                    " JOIN articles a ON a.id = s.article_id WHERE s.account_id = ?",
                    (account.id,),
                ).fetchone()
                waiting = self._waiting(account)
                account = account._replace(articles=articles, unread=int(unread), waiting=waiting)
            found.append(account)
        return found

    def _waiting(self, account: Account) -> int:
        """How many of its articles hold marks made here that the server has not yet: read,
        bookmarked, or (but on Fever) a tag that is not a folder's or a source's."""
        rows = self.db.execute(
            "SELECT article_id, read, starred, labels FROM synced WHERE account_id = ?",
            (account.id,),
        ).fetchall()
        ids = [row[0] for row in rows]
        local = {state.article_id: state for state in self.snapshot(ids)}
        sources = self.source_tag_keys(ids)
        folders = {
            label_key(name)
            for (text,) in self.db.execute(
                "SELECT folders FROM subscriptions WHERE account_id = ?", (account.id,)
            )
            for name in lines(text)
        }
        waiting = 0
        for article_id, read, starred, labels in rows:
            mine = local[article_id]
            skip = folders | sources.get(article_id, set())
            tags = {term_key(t) for t in mine.user_tags} - skip
            waiting += (mine.read, mine.bookmarked) != (bool(read), bool(starred)) or (
                account.api != "fever" and tags != {label_key(n) for n in lines(labels)} - skip
            )
        return waiting

    def source_tag_keys(self, article_ids: Sequence[int]) -> dict[int, set[str]]:
        """article -> the keys of its source tags (shown or hidden)."""
        found: dict[int, set[str]] = {}
        for start in range(0, len(article_ids), 500):
            chunk = tuple(article_ids[start : start + 500])
            marks = ",".join("?" * len(chunk))
            for article_id, key in self.db.execute(
                f"SELECT article_id, key FROM terms WHERE kind = 'tag' AND origin = 'source'"
                f" AND article_id IN ({marks}) UNION SELECT article_id, key FROM hidden_tags"
                f" WHERE article_id IN ({marks})",
                chunk + chunk,
            ):
                found.setdefault(article_id, set()).add(key)
        return found

    def find_account(self, name: str) -> Account:
        for account in self.accounts(counts=False):
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
        roots = [  # (by their paths: items of a feed the server did not list have one too)
            r
            for (r,) in self.db.execute(
                "SELECT id FROM roots WHERE path >= ? AND path < ?",
                (f"sync:{account.id}:", f"sync:{account.id};"),
            )
        ]
        gone = sum(self.drop_entries(self.prunable_entries(root)) for root in roots)
        with self.transaction():
            self.db.execute("DELETE FROM accounts WHERE id = ?", (account.id,))
            self.drop_empty_roots(roots)
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
        rows = self.db.execute(
            "SELECT stream, root_id, folders FROM subscriptions WHERE account_id = ?",
            (account.id,),
        ).fetchall()
        old = {stream: root for stream, root, _ in rows}
        folders = {stream: text for stream, _, text in rows}
        with self.transaction():
            for sub in subscriptions:
                title = clean_line(sub.title) or clean_line(sub.url)
                root_id = self.put_subscription(
                    account.id, sub.id, title, sub.url, labels_text(sub.labels)
                )
                if sub.id in folders and folders[sub.id] != labels_text(sub.labels):
                    self._refile(root_id, lines(labels_text(sub.labels)))
        gone_roots = [
            root for stream, root in old.items() if stream not in {sub.id for sub in subscriptions}
        ]
        for root in gone_roots:  # (but those whose marks made here are not sent yet)
            unsent = {
                i
                for (i,) in self.db.execute(
                    "SELECT a.id FROM articles a JOIN synced s ON s.article_id = a.id"
                    " WHERE a.root_id = ? AND (a.read != s.read OR a.bookmarked != s.starred)",
                    (root,),
                )
            }
            self.drop_entries([i for i in self.prunable_entries(root) if i not in unsent])
        with self.transaction():
            for root in gone_roots:
                self.db.execute(
                    "DELETE FROM synced WHERE article_id IN"
                    " (SELECT id FROM articles WHERE root_id = ?)",
                    (root,),
                )
                self.db.execute("DELETE FROM subscriptions WHERE root_id = ?", (root,))
            self.drop_empty_roots(gone_roots)
        return {sub.id for sub in subscriptions} - set(old)

    def _refile(self, root_id: int, folders: Sequence[str]) -> None:
        """A subscription moved to other folders: its articles' source tags (its folders)
        follow, but those the reader removed stay removed."""
        ids = [
            i for (i,) in self.db.execute("SELECT id FROM articles WHERE root_id = ?", (root_id,))
        ]
        with self.reindexing(ids):
            for article_id in ids:
                hidden = {
                    key
                    for (key,) in self.db.execute(
                        "SELECT key FROM hidden_tags WHERE article_id = ?", (article_id,)
                    )
                }
                self.db.execute(
                    "DELETE FROM terms WHERE article_id = ? AND kind = 'tag' AND origin = 'source'",
                    (article_id,),
                )
                names = [clean_tag(name) for name in folders]
                self.db.executemany(
                    ADD_TERM,
                    [
                        (article_id, "tag", term_key(name), name, pos)
                        for pos, name in enumerate(names)
                        if name and term_key(name) not in hidden
                    ],
                )
                self.sync_tags(article_id)

    def put_subscription(
        self, account_id: int, stream: str, title: str, url: str, folders: str
    ) -> int:
        """A subscription, as a source named by its title (or its stream); its root."""
        root_id = self.root_id(f"sync:{account_id}:{stream}")
        name = title or clean_line(stream)
        self.db.execute("UPDATE roots SET name = ? WHERE id = ?", (name, root_id))
        self.db.execute(
            "INSERT OR REPLACE INTO subscriptions(account_id, stream, title, url, folders,"
            " root_id) VALUES (?, ?, ?, ?, ?, ?)",
            (account_id, stream, name, url, folders, root_id),
        )
        return root_id

    def subscription_roots(self, account: Account) -> dict[str, tuple[int, tuple[str, ...]]]:
        """stream -> (its root, its folders)."""
        return {
            stream: (root, lines(folders))
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
                account = next(a for a in self.accounts(counts=False) if a.id == account_id)
                return account, stream, title
        return None
