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
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from reader.library import passwords
from reader.library.errors import SyncError, Unauthorized
from reader.library.greader import Item
from reader.library.store import Library
from reader.library.sync_merge import Agreed, Change, ServerMarks, decide, folded
from reader.library.sync_remote import HINT, Remote, ServerState, remote_for
from reader.library.sync_store import Account, Base, label_key, name_of
from reader.library.text import clean_line
from reader.words import plural

__all__ = [
    "Account",
    "ServerState",
    "SyncError",
    "SyncResult",
    "add_account",
    "remote_for",
    "remove_account",
    "subscribe",
    "sync",
    "unsubscribe",
]

# New items are asked for from MARGIN seconds before the last sync began (Miniflux's `ot`
# is the items' publication date, not when it fetched them), and every EVERY_ID seconds
# a sync lists every item id, so that none is missed.
MARGIN = 2 * 86400
EVERY_ID = 86400
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

    def summary(self) -> str:
        """One sentence for the app: `Synced home: 2 new articles, 1 sent.`"""
        marks = "".join(
            part
            for count, part in (
                (self.pulled, f", {self.pulled} marked from the server"),
                (self.pushed, f", {self.pushed} sent"),
                (self.dropped, f", {plural(self.dropped, 'label')} not kept there"),
            )
            if count
        )
        return f"Synced {self.account}: {plural(self.new, 'new article')}{marks}."

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
    url = url.strip()
    parts = urllib.parse.urlsplit(url)
    if parts.username is not None or parts.password is not None:
        raise SyncError(
            "the address holds a user name or password: give the address without them,"
            " the user with --user and the password when asked"
        )
    account = Account(0, clean_line(name or name_of(url)), url, user, api, None, None, None, "")
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


def _remote(
    library: Library,
    account: Account,
    timeout: float,
    make: Callable[[Account, str], Remote] | None = None,
) -> Remote:
    """The account's server, with its password (`make`: a stand-in, for tests)."""
    password = passwords.load(library.path, account.name)
    if password is None:
        raise SyncError(
            f"no API password kept for {account.name}: `newsreader sync remove` it and"
            " `sync add` it again"
        )
    return (make or (lambda a, p: remote_for(a, p, timeout)))(account, password)


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
        accounts = (
            [library.find_account(n) for n in names] if names else library.accounts(counts=False)
        )
        for account in accounts:
            if stop and stop.is_set():
                break
            result = SyncResult(account.name)
            try:
                client = _remote(library, account, timeout, remote)
                _sync(library, account, client, result, progress or (lambda text: None))
            except (SyncError, passwords.PasswordError) as exc:
                result.error = clean_line(str(exc))
            except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as exc:
                # (a server's answer this code did not foresee: that account stops, no other)
                result.error = clean_line(
                    f"the server's answer could not be read ({type(exc).__name__}: {exc})"
                )[:300]
            if result.error:
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
    folders = folded(label for sub in subscriptions for label in sub.labels)
    say(f"{account.name}: marks")
    server = remote.state(folders)
    known = set(library.bases(account))
    labelled = set().union(*server.labels.values()) if server.labels else set()
    wanted = (server.unread | server.starred | labelled) - known
    every_id = account.since is None or began - (account.listed or 0) > EVERY_ID
    since = None if every_id else (account.since or 0) - MARGIN
    marks: dict[int, ServerMarks] = {}  # of the items fetched: their own

    def take(items: Iterable[Item]) -> None:
        """Store items as they come, SLICE at a time, keeping their own marks."""
        batch: list[Item] = []
        for item in items:
            marks[item.id] = _marks_of(item, folders, server)
            batch.append(item)
            if len(batch) == SLICE:
                _save(library, account, batch, result, say)
        _save(library, account, batch, result, say)

    say(f"{account.name}: new items")
    take(remote.fresh(since, known, wanted, streams))
    if every_id and account.since is not None:  # once a day: the recent items again, to
        recent = sorted(remote.recent(account.since - MARGIN) & known)  # bring their edits
        say(f"{account.name}: {len(recent)} recent items")
        take(remote.items(recent))
    bases, seen = library.bases(account), set(marks)
    for number in bases.keys() - marks.keys():
        marks[number] = _marks_in(number, server)
    changed = [i for i in bases if i in known and _differs(marks[i], bases[i]) and i not in seen]
    if changed:  # (checked: an item no longer among the unread may be gone, not read)
        say(f"{account.name}: {len(changed)} changed on the server")
        present = {item.id: item for item in remote.items(changed)}
        gone = [i for i in changed if i not in present]
        library.forget_items(bases.pop(i).article_id for i in gone)
        result.gone = len(gone)
        take(present.values())
    pushes = _merge(library, bases, marks, folders, server.labels is not None, result)
    _push(library, remote, bases, pushes, result, say)
    library.account_done(account, began, listed=began if every_id else None)


def _marks_in(item: int, server: ServerState) -> ServerMarks:
    labels = tuple(n for n, ids in (server.labels or {}).items() if item in ids)
    return ServerMarks(item not in server.unread, item in server.starred, labels)


def _marks_of(item: Item, folders: set[str], server: ServerState) -> ServerMarks:
    """An item's own marks, as it came (newer than the lists of ids asked for before)."""
    labels = () if server.labels is None else item.labels
    return ServerMarks(
        item.read, item.starred, tuple(n for n in labels if label_key(n) not in folders)
    )


def _differs(marks: ServerMarks, base: Base) -> bool:
    return (marks.read, marks.starred, folded(marks.labels)) != (
        base.read,
        base.starred,
        folded(base.labels),
    )


def _save(
    library: Library, account: Account, batch: list[Item], result: SyncResult, say: Progress
) -> None:
    if batch:
        new, updated = library.save_items(account, batch)
        result.new += new
        result.updated += updated
        say(f"{account.name}: {result.new} new")
        batch.clear()


Push = tuple[str, bool, int]  # (read, starred or label:NAME; on; item)


def _merge(
    library: Library,
    bases: dict[int, Base],
    marks: dict[int, ServerMarks],
    folders: set[str],
    with_labels: bool,
    result: SyncResult,
) -> list[Push]:
    """Merge the marks, SLICE items a transaction: the server's are made here (with the
    base, in the same transaction, so a change made meanwhile is not overwritten: the
    library's marks are read inside it); ours are returned, to send."""
    pushes: list[Push] = []
    items = list(bases)
    for start in range(0, len(items), SLICE):
        chunk = [(i, bases[i]) for i in items[start : start + SLICE]]
        with library.transaction():
            ids = [base.article_id for _, base in chunk]
            local = {s.article_id: s for s in library.snapshot(ids)}
            sources = library.source_tag_keys(ids)
            pulls: dict[Change, list[int]] = {}
            agreed: list[Agreed] = []
            for item, base in chunk:
                if (mine := local.get(base.article_id)) is None:
                    continue
                skip = folders | sources.get(base.article_id, set())
                decision = decide(mine, marks[item], base, skip, with_labels)
                for change in decision.pulls:
                    pulls.setdefault(change, []).append(base.article_id)
                pushes += [(what, on, item) for what, on in decision.pushes]
                agreed.append(decision.agreed)
                result.pulled += bool(decision.pulls)
            for (what, on), article_ids in pulls.items():
                if what == "read":
                    library.set_read(article_ids, on)
                elif what == "starred":
                    library.set_bookmark(article_ids, on)
                else:
                    name = what.removeprefix("label:")
                    library.tag(article_ids, add=[name] if on else [], remove=[] if on else [name])
            library.set_bases(agreed)
    return pushes


def _push(
    library: Library,
    remote: Remote,
    bases: dict[int, Base],
    pushes: list[Push],
    result: SyncResult,
    say: Progress,
) -> None:
    """Send our changes, read and starred marks first; each moves its base once the server
    has it. A label the server refuses (Miniflux answers 500) or drops stays a tag here."""
    grouped: dict[tuple[str, bool], list[int]] = {}
    for what, on, item in pushes:
        grouped.setdefault((what, on), []).append(item)
    sent: set[int] = set()
    for (what, on), items in sorted(grouped.items(), key=lambda g: g[0][0].startswith("label:")):
        say(clean_line(f"sending {len(items)} {what} marks"))
        try:
            kept = remote.mark(items, what, on)
        except SyncError as exc:
            if not what.startswith("label:") or exc.code not in REFUSED:
                raise
            kept = set()
        result.dropped += len(items) - len(kept)
        items = [i for i in items if i in kept]
        with library.transaction():
            if what.startswith("label:"):
                article_ids = [bases[i].article_id for i in items]
                library.move_base_labels(article_ids, what.removeprefix("label:"), on)
            else:
                library.set_bases(
                    Agreed(
                        bases[i].article_id,
                        on if what == "read" else None,
                        on if what == "starred" else None,
                        None,
                    )
                    for i in items
                )
        sent.update(items)
    result.pushed = len(sent)


REFUSED = {400, 403, 404, 405, 409, 422, 500}  # a label refused, not a server in trouble
