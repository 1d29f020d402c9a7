"""The one base of the storage classes: `Library` is made of mixins (queries, search,
state, changes, index, feeds, sync), each holding its own statements. What they share, the
connection and the path, and what they call on one another, is declared here once, so
the type checker sees every mixin as the one `Library` they make together."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from reader.library.models import (
        Article,
        ArticleState,
        Change,
        Feed,
        ParsedArticle,
        View,
    )
    from reader.library.query import Query
    from reader.library.sync_store import Account

T = TypeVar("T")


def id_list(ids: Iterable[int]) -> str:
    """Ids as one SQL parameter, however many: a JSON array, read back with
    `IN (SELECT value FROM json_each(?))`."""
    return f"[{','.join(map(str, ids))}]"


class StorageBase:
    """Provided by `store.Library`: the connection, the file, and how long a change waits
    for another writer."""

    db: sqlite3.Connection
    path: Path
    wait_limit: float | None
    _reindex_open: set[int]

    if TYPE_CHECKING:  # the methods the mixins call on one another (where each is: its name)

        def transaction(self) -> AbstractContextManager[None]: ...  # store
        def slices(self, items: Iterable[T]) -> Iterator[T]: ...  # store
        def root_id(self, path: str) -> int: ...  # store
        def save(  # store
            self, article: ParsedArticle, root_id: int, size: int, mtime_ns: int, digest: str
        ) -> tuple[int, bool]: ...
        def setting(self, key: str, default: str | None = None) -> str | None: ...  # store
        def set_setting(self, key: str, value: str) -> None: ...  # store
        def data_version(self) -> int: ...  # store
        def group_stories(self, sketched: Sequence[tuple[int, bytes | None]]) -> None: ...
        def rule_arrivals(self, ids: Sequence[int]) -> None: ...  # ignore
        def rules_done(self) -> None: ...  # ignore
        def rules_sql(  # ignore
            self, action: str, correlated: bool = False
        ) -> tuple[str, tuple[object, ...]]: ...
        def one_per_story(self, ids: Sequence[int]) -> list[int]: ...  # stories
        def story_of(self, article_id: int) -> list[int]: ...  # stories
        def article(self, article_id: int) -> Article | None: ...  # queries
        def feeds(self, feed_id: int | None = None) -> list[Feed]: ...  # feed_store
        def prunable_entries(self, root_id: int) -> list[int]: ...  # feed_store
        def put_subscription(  # sync_store
            self, account_id: int, stream: str, title: str, url: str, folders: str
        ) -> int: ...
        def subscription_roots(  # sync_store
            self, account: Account
        ) -> dict[str, tuple[int, tuple[str, ...]]]: ...
        def drop_entries(self, ids: list[int], feed_id: int | None = None) -> int: ...
        def drop_empty_roots(self, roots: Iterable[int]) -> None: ...  # feed_store
        def store_entry(  # feed_store
            self, article: ParsedArticle, root_id: int
        ) -> tuple[int, str]: ...
        def count(self, views: View | Sequence[View] = ...) -> int: ...  # queries
        def _where(  # queries
            self, views: View | Sequence[View], correlated: bool = False
        ) -> tuple[str, tuple[object, ...]]: ...
        def saved_query(self, name: str) -> str | None: ...  # search
        def _file_mark(self) -> tuple[object, ...]: ...  # search
        def resolve(self, query: Query, strict: bool = True) -> Query: ...  # search
        def reindexing(self, ids: Iterable[int]) -> AbstractContextManager[None]: ...  # index
        def unindex_article(self, article_id: int) -> None: ...  # index
        def index_article(self, article_id: int) -> None: ...  # index
        def sync_tags(self, article_id: int) -> None: ...  # index
        def _change(  # changes
            self, ids: Iterable[int], apply: Callable[[list[int]], object]
        ) -> Change: ...
        def _journal_entries(self, entries: list[dict[str, Any]]) -> None: ...  # changes
        def snapshot(self, ids: Iterable[int]) -> list[ArticleState]: ...  # changes
        def _add_tag(self, article_id: int, name: str) -> None: ...  # state
        def _remove_tag(self, article_id: int, key: str) -> None: ...  # state
        def _hide(self, article_id: int, key: str, name: str = "", pos: int = 0) -> None: ...
        def _unhide(self, article_id: int, key: str) -> None: ...  # state
