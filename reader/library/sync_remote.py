"""A feed server's account as the sync sees it, whatever its API: the Google Reader API
(FreshRSS, Miniflux, Inoreader…) or Fever. Each `Remote` lists subscriptions, the ids of
the unread, starred and labelled items, new items, and marks items."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from reader.library.errors import SyncError
from reader.library.fever import Fever, FeverItem
from reader.library.greader import (
    CONTENTS,
    LABEL,
    READ,
    STARRED,
    GReader,
    Item,
    Subscription,
)
from reader.library.sync_store import label_key

if TYPE_CHECKING:
    from reader.library.sync_store import Account

HINT = {
    "greader": "(the Google Reader API's address: FreshRSS's ends in /api/greader.php;"
    " Miniflux's is the server's own, e.g. https://miniflux.example.org)",
    "fever": "(the Fever API's address: FreshRSS's ends in /api/fever.php; Miniflux's"
    " ends in /fever/)",
}


@dataclass
class ServerState:
    unread: set[int]
    starred: set[int]
    labels: dict[str, set[int]] | None  # label -> its items (None: the API has no labels)


# ---- the two APIs, as one -------------------------------------------------------------------


class Remote(Protocol):
    def subscriptions(self) -> list[Subscription]: ...
    def state(self, folders: set[str]) -> ServerState: ...
    def fresh(
        self, since: float | None, known: set[int], wanted: set[int], streams: set[str]
    ) -> Iterator[Item]: ...
    def items(self, ids: Sequence[int]) -> list[Item]: ...
    def recent(self, since: float) -> set[int]: ...
    def mark(self, ids: list[int], what: str, on: bool) -> set[int]: ...
    def subscribe(self, url: str) -> str: ...
    def unsubscribe(self, stream: str) -> None: ...


class GReaderRemote:
    def __init__(self, client: GReader) -> None:
        self.client = client

    def subscriptions(self) -> list[Subscription]:
        return self.client.subscriptions()

    def state(self, folders: set[str]) -> ServerState:
        c = self.client
        folded = {label_key(f) for f in folders}
        labels = [name for name in c.labels() if label_key(name) not in folded]
        return ServerState(
            set(c.item_ids(without=READ)),
            set(c.item_ids(stream=STARRED)),
            {name: set(c.item_ids(stream=LABEL + name)) for name in labels},
        )

    def fresh(
        self, since: float | None, known: set[int], wanted: set[int], streams: set[str]
    ) -> Iterator[Item]:
        """The items not `known`: new since `since` (None: all), `wanted`, and every
        item of the subscriptions new since the last sync (`streams`)."""
        ids = set(self.client.item_ids(since=since)) | wanted
        if since is not None:
            for stream in streams:
                ids.update(self.client.item_ids(stream=stream))
        wanted_ids = sorted(ids - known)
        for start in range(0, len(wanted_ids), CONTENTS):  # (a page at a time in memory)
            yield from self.client.items(wanted_ids[start : start + CONTENTS])

    def items(self, ids: Sequence[int]) -> list[Item]:
        return self.client.items(ids, some_gone=True)

    def recent(self, since: float) -> set[int]:
        """The ids of the items the server took in since `since` (FreshRSS) or published
        since then (Miniflux)."""
        return set(self.client.item_ids(since=since))

    def mark(self, ids: list[int], what: str, on: bool) -> set[int]:
        """Mark the items; returns those the server has so now. A label is read back: a
        server may drop labels (Miniflux keeps none), and a tag it dropped stays ours."""
        tag = {"read": READ, "starred": STARRED}.get(what, LABEL + what.removeprefix("label:"))
        self.client.edit_tags(ids, add=[tag] if on else [], remove=[] if on else [tag])
        if not (on and tag.startswith(LABEL)):
            return set(ids)
        name = tag.removeprefix(LABEL)  # (asked of the items themselves: FreshRSS lists
        return {  # every item in the stream of a label it does not have)
            item.id for item in self.client.items(ids, some_gone=True) if name in item.labels
        }

    def subscribe(self, url: str) -> str:
        return self.client.subscribe(url)

    def unsubscribe(self, stream: str) -> None:
        self.client.unsubscribe(stream)


class FeverRemote:
    def __init__(self, client: Fever) -> None:
        self.client = client

    def subscriptions(self) -> list[Subscription]:
        return [
            Subscription(f"feed/{f.id}", f.title, f.url, f.site, f.groups)
            for f in self.client.feeds()
        ]

    def state(self, folders: set[str]) -> ServerState:
        return ServerState(self.client.unread_ids(), self.client.saved_ids(), None)

    def fresh(
        self, since: float | None, known: set[int], wanted: set[int], streams: set[str]
    ) -> Iterator[Item]:
        after = max(known, default=0)
        seen = set()
        for item in self.client.items_since(after):
            seen.add(item.id)
            yield _item(item)
        yield from self.items(sorted(wanted - known - seen))

    def items(self, ids: Sequence[int]) -> list[Item]:
        return [_item(item) for item in self.client.items(ids)]

    def recent(self, since: float) -> set[int]:
        return set()  # (Fever lists items by id, not by time: none are looked at again)

    def mark(self, ids: list[int], what: str, on: bool) -> set[int]:
        as_ = {"read": ("read", "unread"), "starred": ("saved", "unsaved")}[what]
        self.client.mark(ids, as_[0] if on else as_[1])
        return set(ids)

    def subscribe(self, url: str) -> str:
        raise SyncError(f"{self.client.url}: the Fever API cannot subscribe; use the server's site")

    def unsubscribe(self, stream: str) -> None:
        raise SyncError(
            f"{self.client.url}: the Fever API cannot unsubscribe; use the server's site"
        )


def _item(item: FeverItem) -> Item:
    return Item(
        item.id,
        f"feed/{item.feed}",
        item.title,
        item.url,
        item.published,
        item.html,
        item.author,
        item.read,
        item.saved,
        (),
    )


def remote_for(account: Account, password: str, timeout: float = 30.0) -> Remote:
    if account.api == "fever":
        return FeverRemote(Fever(account.url, account.user, password, timeout))
    return GReaderRemote(GReader(account.url, account.user, password, timeout))
