"""A sync account's items as stored, a part of `Library` (see sync_store.py): each item an
article (`sync:ACCOUNT:ITEM`) with, in `synced`, the marks the library and the server last
agreed on; and the accounts carried over by `doctor --recover`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from reader.library.base import StorageBase
from reader.library.models import ParsedArticle
from reader.library.sync_store import APIS, Account, Base, label_key, labels_text, lines
from reader.library.text import clean_line

if TYPE_CHECKING:
    from reader.library.greader import Item


class SyncItems(StorageBase):
    """The statements of synced items."""

    def bases(self, account: Account) -> dict[int, Base]:
        """item -> its base, for every item of the account in the library."""
        return {
            item: Base(article_id, bool(read), bool(starred), lines(labels))
            for item, article_id, read, starred, labels in self.db.execute(
                "SELECT item, article_id, read, starred, labels FROM synced WHERE account_id = ?",
                (account.id,),
            )
        }

    def move_base_labels(self, article_ids: Sequence[int], name: str, on: bool) -> None:
        """A label the server now has (`on`) or no longer has, on these articles' bases."""
        for article_id in article_ids:
            row = self.db.execute(
                "SELECT labels FROM synced WHERE article_id = ?", (article_id,)
            ).fetchone()
            if row is None:
                continue
            labels = {label_key(n): n for n in lines(row[0])}
            if on:
                labels[label_key(name)] = name
            else:
                labels.pop(label_key(name), None)
            self.db.execute(
                "UPDATE synced SET labels = ? WHERE article_id = ?",
                (labels_text(labels.values()), article_id),
            )

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
                when = _when(item.published)
                article: ParsedArticle = parse_entry(
                    path,
                    title=item.title,
                    date_value=when,
                    tags=list(folders),
                    url=item.url,
                    content=item.html,
                    extra={"author": [item.author]} if item.author else None,
                )
                article_id, outcome = self.store_entry(article, root_id)
                self.db.execute(  # (linked again too if it was unchanged but forgotten)
                    "INSERT OR IGNORE INTO synced(article_id, account_id, item) VALUES (?, ?, ?)",
                    (article_id, account.id, item.id),
                )
                new += outcome == "new"
                updated += outcome == "updated"
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
                    "UPDATE synced SET labels = ? WHERE article_id = ?",
                    (labels_text(labels), article_id),
                )

    def forget_items(self, article_ids: Iterable[int]) -> None:
        """Items the server no longer has: their articles stay, with the reader's marks,
        and are synced no more."""
        with self.transaction():
            self.db.executemany(
                "DELETE FROM synced WHERE article_id = ?", [(i,) for i in article_ids]
            )

    def restore_accounts(
        self,
        accounts: Iterable[Sequence[object]],
        subscriptions: Iterable[Sequence[object]],
        synced: Iterable[Sequence[object]],
    ) -> None:
        """`doctor --recover`: the accounts read from a damaged library, with their ids (their
        items' paths name them), their subscriptions, and the marks each carried item last
        agreed on with the server (so that what was not sent yet is sent by the next sync).
        Rows a damaged page spoiled are left out."""
        with self.transaction():
            kept = set()
            for row in accounts:
                account_id, name, url, user, api, since, listed, stamp, error = row
                if not (isinstance(account_id, int) and isinstance(name, str) and name):
                    continue
                if not (isinstance(url, str) and isinstance(user, str) and api in APIS):
                    continue
                self.db.execute(
                    "INSERT OR IGNORE INTO accounts(id, name, url, user, api, since, listed,"
                    " synced, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (account_id, name, url, user, api, since, listed, stamp, error or ""),
                )
                kept.add(account_id)
            for account_id, stream, title, url, folders in subscriptions:
                if account_id not in kept or not isinstance(stream, str):
                    continue
                self.put_subscription(
                    account_id, stream, clean_line(str(title or "")), str(url or ""),
                    str(folders or ""),
                )  # fmt: skip
            for account_id, item, read, starred, labels in synced:
                if account_id not in kept or not isinstance(item, int):
                    continue
                self.db.execute(
                    "INSERT OR IGNORE INTO synced(article_id, account_id, item, read, starred,"
                    " labels) SELECT id, ?, ?, ?, ?, ? FROM articles WHERE path = ?",
                    (
                        account_id,
                        item,
                        bool(read),
                        bool(starred),
                        str(labels or ""),
                        f"sync:{account_id}:{item}",
                    ),
                )


def _when(published: float | None) -> datetime | None:
    try:
        return datetime.fromtimestamp(published, UTC) if published else None
    except (OverflowError, OSError, ValueError):  # (a date no calendar holds: undated)
        return None
