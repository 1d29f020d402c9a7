"""Syncing the library with a feed server's account (Google Reader API or Fever).

A sync, for each account: the server's subscriptions become sources (their folders, tags);
its new items become articles; then each mark of each item (read, starred ↔ bookmarked,
each label ↔ a user tag) is merged three ways: the library's, the server's, and the base
both last agreed on (sync_store.py). The side that changed a mark since the base wins; a
mark has two values, so when both changed it they agree. Changes made here go to the
server, then the base moves: a sync cut off anywhere (a crash, a kill, a server gone) is
taken up by the next one, and nothing the reader did is lost. Labels that are folders
stay the server's (they are the sources' tags here); notes stay here.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from reader.library import passwords
from reader.library.errors import SyncError, Unauthorized
from reader.library.fever import Fever, FeverItem
from reader.library.greader import LABEL, READ, STARRED, GReader, Item, Subscription
from reader.library.state import term_key
from reader.library.store import Library
from reader.library.sync_store import Account, Base, name_of
from reader.library.text import clean_line
from reader.words import plural

__all__ = ["Account", "SyncError", "SyncResult", "add_account", "remote_for", "sync"]

HINT = {
    "greader": "(the Google Reader API's address: FreshRSS's ends in /api/greader.php;"
    " Miniflux's is the server's own, e.g. https://miniflux.example.org)",
    "fever": "(the Fever API's address: FreshRSS's ends in /api/fever.php; Miniflux's"
    " ends in /fever/)",
}
MARGIN = 2 * 86400  # seconds: new items are asked for from this long before the last sync
# began (Miniflux's `ot` is the items' publication date, not when it fetched them), and
EVERY_ID = 86400  # seconds between two syncs that list every item id (to miss none)
SLICE = 200  # items merged per transaction
Progress = Callable[[str], None]


@dataclass
class SyncResult:
    account: str
    new: int = 0
    updated: int = 0
    pulled: int = 0  # articles whose marks came from the server
    pushed: int = 0  # articles whose marks went to it
    gone: int = 0  # items the server no longer has (their articles stay)
    dropped: int = 0  # labels sent that the server did not keep (the tags stay here)
    error: str | None = None

    def line(self) -> str:
        if self.error:
            return f"{self.account}: {self.error}"
        parts = [f"{self.new} new", f"{self.updated} updated"]
        parts += [f"{self.pulled} marked from the server", f"{self.pushed} sent"]
        if self.gone:
            parts.append(f"{self.gone} gone from the server")
        if self.dropped:
            parts.append(f"{plural(self.dropped, 'label')} the server did not keep")
        return f"{self.account}: " + ", ".join(parts)


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
        labels = [name for name in c.labels() if name not in folders]
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
        ids -= known
        yield from self.client.items(sorted(ids))

    def items(self, ids: Sequence[int]) -> list[Item]:
        return self.client.items(ids, some_gone=True)

    def mark(self, ids: list[int], what: str, on: bool) -> set[int]:
        """Mark the items; returns those the server has so now. A label is read back: a
        server may drop labels (Miniflux keeps none), and a tag it dropped stays ours."""
        tag = {"read": READ, "starred": STARRED}.get(what, LABEL + what.removeprefix("label:"))
        self.client.edit_tags(ids, add=[tag] if on else [], remove=[] if on else [tag])
        if not (on and tag.startswith(LABEL)):
            return set(ids)
        name = term_key(tag.removeprefix(LABEL))  # (asked of the items themselves: FreshRSS
        return {  # lists every item in the stream of a label it does not have)
            item.id
            for item in self.client.items(ids, some_gone=True)
            if name in {term_key(label) for label in item.labels}
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


# ---- accounts -------------------------------------------------------------------------------


def add_account(
    library: Library,
    url: str,
    user: str,
    password: str,
    *,
    name: str | None = None,
    api: str = "greader",
    timeout: float = 30.0,
    check: bool = True,
) -> tuple[Account, str]:
    """A new account, its password kept (returns where, in words). With `check`, the server
    is asked first: a wrong address or password adds nothing."""
    account = Account(
        0, clean_line(name or name_of(url)), url.strip(), user, api, None, None, None, ""
    )
    if check:
        try:
            remote_for(account, password, timeout).subscriptions()
        except SyncError as exc:
            if isinstance(exc, Unauthorized):
                raise
            raise SyncError(f"{exc}\n{HINT[api]}", exc.code) from None
    account = library.insert_account(account.name, account.url, user, api)
    try:
        where = passwords.save(library.path, account.name, password)
    except BaseException:
        library.delete_account(account)
        raise
    return account, where


def remove_account(library: Library, name: str) -> int:
    """The account and its password go (the password first: a passwords file that cannot
    be written leaves everything as it was)."""
    account = library.find_account(name)
    passwords.forget(library.path, account.name)
    return library.delete_account(account)


def subscribe(library: Library, account_name: str, url: str, timeout: float = 30.0) -> str:
    """Follow a feed on the account's server (which fetches it); the next sync brings it."""
    account = library.find_account(account_name)
    return _remote(library, account, timeout).subscribe(url.strip())


def unsubscribe(library: Library, name_or_url: str, timeout: float = 30.0) -> str | None:
    """Stop following a synced subscription on its server; returns its account's name (None:
    no synced subscription is called so). Its articles go at the next sync, as a removed
    feed's do."""
    found = library.find_subscription(name_or_url)
    if found is None:
        return None
    account, stream, _ = found
    _remote(library, account, timeout).unsubscribe(stream)
    return account.name


def _remote(library: Library, account: Account, timeout: float) -> Remote:
    password = passwords.load(library.path, account.name)
    if password is None:
        raise SyncError(f"{account.name}: no API password kept for it")
    return remote_for(account, password, timeout)


# ---- syncing --------------------------------------------------------------------------------


def sync(
    library_path: str | Path,
    names: Iterable[str] | None = None,
    *,
    timeout: float = 30.0,
    progress: Progress | None = None,
    stop: threading.Event | None = None,
    patient: bool = False,
    remote: Callable[[Account, str], Remote] | None = None,
) -> list[SyncResult]:
    """Sync every account (or those named). One account's failure never stops another's:
    it is kept on the account (`sync list`) and the next sync tries again."""
    results = []
    with Library(library_path) as library, library.holding("a sync"):
        if patient:
            library.wait_limit = None
        accounts = [library.find_account(n) for n in names] if names else library.accounts()
        for account in accounts:
            if stop and stop.is_set():
                break
            result = SyncResult(account.name)
            try:
                password = passwords.load(library.path, account.name)
                if password is None:
                    raise SyncError(
                        "no API password kept for it: `newsreader sync remove` it and"
                        " `sync add` it again"
                    )
                client = (remote or (lambda a, p: remote_for(a, p, timeout)))(account, password)
                _sync(library, account, client, result, progress or (lambda text: None))
            except (SyncError, passwords.PasswordError) as exc:
                result.error = clean_line(str(exc))
                library.account_done(account, None, result.error)
            results.append(result)
        library.index_pending()
    return results


def _sync(
    library: Library, account: Account, remote: Remote, result: SyncResult, say: Progress
) -> None:
    began = time.time()
    say(f"{account.name}: subscriptions")
    subscriptions = remote.subscriptions()
    streams = library.store_subscriptions(account, subscriptions)
    folders = {label for sub in subscriptions for label in sub.labels}
    say(f"{account.name}: marks")
    server = remote.state(folders)
    bases = library.bases(account)
    known = set(bases)
    labelled = set().union(*server.labels.values()) if server.labels else set()
    wanted = (server.unread | server.starred | labelled) - known
    every_id = account.since is None or began - (account.listed or 0) > EVERY_ID
    since = None if every_id else (account.since or 0) - MARGIN
    say(f"{account.name}: new items")
    fresh: dict[int, Item] = {}
    batch: list[Item] = []
    for item in remote.fresh(since, known, wanted, streams):
        fresh[item.id] = item
        batch.append(item)
        if len(batch) == SLICE:
            _save(library, account, batch, result, say)
    _save(library, account, batch, result, say)
    bases = library.bases(account)
    states = {item: _server_marks(item, server) for item in bases}
    changed = [i for i, base in bases.items() if i not in fresh and _differs(states[i], base)]
    if changed:  # (checked: an item no longer among the unread may be gone, not read)
        say(f"{account.name}: {len(changed)} changed on the server")
        present = {item.id: item for item in remote.items(changed)}
        gone = [i for i in changed if i not in present]
        library.forget_items(bases.pop(i).article_id for i in gone)
        result.gone = len(gone)
        _save(library, account, [*present.values()], result, say)
        for item in present.values():
            states[item.id] = (item.read, item.starred, _labels(item, folders, server))
    pushes = _merge(library, bases, states, server.labels is not None, result)
    _push(library, remote, bases, pushes, result, say)
    library.account_done(account, began, listed=began if every_id else None)


Marks = tuple[bool, bool, tuple[str, ...]]  # read, starred, labels


def _server_marks(item: int, server: ServerState) -> Marks:
    labels = tuple(n for n, ids in (server.labels or {}).items() if item in ids)
    return item not in server.unread, item in server.starred, labels


def _labels(item: Item, folders: set[str], server: ServerState) -> tuple[str, ...]:
    return tuple(n for n in item.labels if n not in folders) if server.labels is not None else ()


def _differs(marks: Marks, base: Base) -> bool:
    return (marks[0], marks[1], _keys(marks[2])) != (base.read, base.starred, _keys(base.labels))


def _keys(names: Iterable[str]) -> set[str]:
    return {term_key(n) for n in names}


def _save(
    library: Library, account: Account, batch: list[Item], result: SyncResult, say: Progress
) -> None:
    if batch:
        new, updated = library.save_items(account, batch)
        result.new += new
        result.updated += updated
        say(f"{account.name}: {result.new} new")
        batch.clear()


Push = tuple[str, bool, int]  # (what: read, starred or label:NAME; on; item)


def _merge(
    library: Library,
    bases: dict[int, Base],
    states: dict[int, Marks],
    with_labels: bool,
    result: SyncResult,
) -> list[Push]:
    """Merge the marks, SLICE items a transaction; apply the server's here, return ours
    for the server. The base of a mark changed here moves once the server has it."""
    pushes: list[Push] = []
    items = list(bases)
    for start in range(0, len(items), SLICE):
        chunk = items[start : start + SLICE]
        with library.transaction():
            local = {s.article_id: s for s in library.snapshot(bases[i].article_id for i in chunk)}
            pulls: dict[tuple[str, bool], list[int]] = {}
            agreed: list[tuple[int, bool | None, bool | None, tuple[str, ...] | None]] = []
            pulled: set[int] = set()
            for item in chunk:
                base, (s_read, s_star, s_labels) = bases[item], states[item]
                mine = local.get(base.article_id)
                if mine is None:
                    continue
                read = _mark(mine.read, s_read, base.read)
                star = _mark(mine.bookmarked, s_star, base.starred)
                for what, (side, value) in (("read", read), ("starred", star)):
                    if side == "pull":
                        pulls.setdefault((what, value), []).append(base.article_id)
                        pulled.add(item)
                    elif side == "push":
                        pushes.append((what, value, item))
                labels = None
                if with_labels:
                    labels = _merge_labels(
                        mine.user_tags,
                        s_labels,
                        base.labels,
                        item,
                        pushes,
                        pulls,
                        base.article_id,
                        pulled,
                    )
                agreed.append(
                    (
                        base.article_id,
                        read[1] if read[0] != "push" else None,
                        star[1] if star[0] != "push" else None,
                        labels,
                    )
                )
            for (what, value), ids in pulls.items():
                if what == "read":
                    library.set_read(ids, value)
                elif what == "starred":
                    library.set_bookmark(ids, value)
                else:
                    name = what.removeprefix("label:")
                    library.tag(ids, add=[name] if value else [], remove=[] if value else [name])
            library.set_bases(agreed)
        result.pulled += len(pulled)
    return pushes


def _mark(mine: bool, server: bool, base: bool) -> tuple[str, bool]:
    """("pull" | "push" | "same", the value both will hold)."""
    if mine == server:
        return "same", mine
    return ("push", mine) if server == base else ("pull", server)


def _merge_labels(
    mine: Sequence[str],
    server: Sequence[str],
    base: Sequence[str],
    item: int,
    pushes: list[Push],
    pulls: dict[tuple[str, bool], list[int]],
    article_id: int,
    pulled: set[int],
) -> tuple[str, ...]:
    """Each label merged as a mark of its own; returns the labels agreed on now (ours
    still to send are left as the base had them)."""
    names = {term_key(n): n for n in (*base, *server, *mine)}
    have, theirs, had = _keys(mine), _keys(server), _keys(base)
    agreed = []
    for key, name in names.items():
        side, value = _mark(key in have, key in theirs, key in had)
        if side == "pull":
            pulls.setdefault((f"label:{name}", value), []).append(article_id)
            pulled.add(item)
        elif side == "push":
            pushes.append((f"label:{name}", value, item))
            value = key in had
        if value:
            agreed.append(name)
    return tuple(agreed)


def _push(
    library: Library,
    remote: Remote,
    bases: dict[int, Base],
    pushes: list[Push],
    result: SyncResult,
    say: Progress,
) -> None:
    """Send our changes, one kind at a time; each moves its base once the server has it."""
    grouped: dict[tuple[str, bool], list[int]] = {}
    for what, on, item in pushes:
        grouped.setdefault((what, on), []).append(item)
    sent: set[int] = set()
    for (what, on), items in sorted(grouped.items(), key=lambda g: g[0][0].startswith("label:")):
        say(f"sending {len(items)} {what} marks")
        try:
            kept = remote.mark(items, what, on)
        except SyncError as exc:  # a label refused (Miniflux answers 500): dropped, not a
            if not what.startswith("label:") or exc.code is None or exc.code == 401:  # fault
                raise
            kept = set()
        result.dropped += len(items) - len(kept)
        items = [i for i in items if i in kept]
        with library.transaction():
            if what.startswith("label:"):
                name = what.removeprefix("label:")
                for item in items:
                    article_id = bases[item].article_id
                    now = set(library.bases_of([article_id]).get(article_id, ()))
                    labels = {term_key(n): n for n in now}
                    if on:
                        labels[term_key(name)] = name
                    else:
                        labels.pop(term_key(name), None)
                    library.set_bases([(article_id, None, None, tuple(labels.values()))])
            else:
                library.set_bases(
                    (
                        bases[i].article_id,
                        on if what == "read" else None,
                        on if what == "starred" else None,
                        None,
                    )
                    for i in items
                )
        sent.update(items)
    result.pushed = len(sent)
