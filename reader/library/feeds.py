"""Feeds: RSS, Atom and JSON Feed sources whose entries become articles in the library.

A feed has an import root (`feed:URL`) that names it under Sources; its entries are
articles with paths `feed:ID:KEY`, KEY coming from the entry's guid/id, else its link,
else its content, so a re-fetched entry updates its article and keeps the user's state.
Fetching runs in daemon threads, each fetch bounded by its timeout, and a fetch that
outlives it anyway (a name lookup or a file system that never answers) is given up on.
This module checks and orchestrates; every statement on the library is in `FeedStore`
(feed_store.py), a part of `Library` (storing runs on the caller's connection, one feed at
a time, in slices short enough for other writers).
"""

from __future__ import annotations

import queue
import threading
import time
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

from reader.library.errors import FeedError
from reader.library.feed_store import SLICE, FeedResult, Parsed, Taken, name_from
from reader.library.fetch import Fetched, fetch, parse_feed
from reader.library.models import Feed
from reader.library.store import Library
from reader.library.text import clean_line

__all__ = [
    "SLICE",
    "Feed",
    "FeedError",
    "FeedResult",
    "Wanted",
    "add_feed",
    "add_feeds",
    "normal_source",
    "refresh",
    "remove_feed",
    "rename_feed",
]

WORKERS = 8  # feeds fetched at once
GRACE = 2.0  # seconds a fetch may run past its timeout before the refresh gives up on it
FAULT = "newsreader could not read this feed (a fault in its feed reader)"
Progress = Callable[[int, int, str], None]


# ---- subscriptions ------------------------------------------------------------------------


def normal_source(source: str) -> str:
    """An http(s) URL as given, or a local feed file as an absolute path. Nothing else:
    no other scheme, no command."""
    text = source.strip()
    scheme = urlsplit(text).scheme.lower()
    if scheme in ("http", "https"):
        if not urlsplit(text).netloc:
            raise FeedError(f"{text!r}: a web address needs a host")
        return text
    if scheme == "file":
        text = urllib.request.url2pathname(urlsplit(text).path)
    elif scheme and len(scheme) > 1:  # (a one-letter "scheme" is a Windows drive)
        raise FeedError(f"{source!r}: only http, https and local files can be feeds")
    path = Path(text).expanduser()
    if not path.is_file():
        raise FeedError(f"{source!r}: no such file (and not an http or https address)")
    return str(path.resolve())


def add_feed(
    library: Library,
    source: str,
    *,
    tag: str | None = None,
    name: str | None = None,
    keep: int | None = None,
    keep_days: int | None = None,
    every: int | None = None,
    full_text: bool = False,
) -> Feed:
    """Follow a feed; `every`: the app refreshes it every so many seconds (else as the
    `refresh_every` setting says); `full_text`: its articles get their pages' full text."""
    with library.transaction():
        feed = _follow(library, Taken(library), source, tag, name, keep, keep_days)
    if every is not None:
        library.set_feed_every(feed.id, every)
    if full_text:
        library.set_feed_full_text(feed.id, True)
    return library.find_feed(feed.url)


Wanted = tuple[str, str | None, str | None]  # (source, tag, name) of a feed to follow


def add_feeds(
    library: Library, wanted: list[Wanted], progress: Callable[[int, int], None] | None = None
) -> tuple[list[Feed], list[str]]:
    """Follow many feeds (an OPML file's): the names and addresses taken are read once and
    the feeds written SLICE at a time, so 10,000 take seconds, not minutes. Returns (the
    feeds added, a message per source refused)."""
    taken = Taken(library)
    added: list[Feed] = []
    refused: list[str] = []
    for start in range(0, len(wanted), SLICE):
        with library.transaction():
            for source, tag, name in wanted[start : start + SLICE]:
                try:
                    added.append(_follow(library, taken, source, tag, name, None, None))
                except FeedError as exc:
                    refused.append(clean_line(str(exc))[:300])
        if progress:
            progress(min(start + SLICE, len(wanted)), len(wanted))
    return added, refused


def _follow(
    library: Library,
    taken: Taken,
    source: str,
    tag: str | None,
    name: str | None,
    keep: int | None,
    keep_days: int | None,
) -> Feed:
    """Follow one feed; the caller holds the transaction."""
    url = normal_source(source)
    if url in taken.urls:
        raise FeedError(f"{url}: already a feed")
    given = clean_line(name or "")
    title = taken.unique(given or name_from(url))
    if given and title != given:
        raise FeedError(f"a feed is already called {given!r}")
    feed = library.insert_feed(url, title, bool(given), clean_line(tag or ""), keep, keep_days)
    taken.urls.add(url)
    taken.names.add(title.casefold())
    return feed


def remove_feed(library: Library, name_or_url: str) -> int:
    """Unsubscribe. Entries the user bookmarked, noted or tagged stay; returns how many
    entries went."""
    return library.delete_feed(library.find_feed(name_or_url))


def rename_feed(library: Library, old: str, new: str) -> Feed:
    feed = library.find_feed(old)
    name = clean_line(new)
    if not name:
        raise FeedError("a feed's name needs letters")
    if library.unique_name(name, feed.id) != name:
        raise FeedError(f"a feed is already called {name!r}")
    library.name_feed(feed, name)
    return library.find_feed(feed.url)


# ---- refreshing ---------------------------------------------------------------------------


def refresh(
    library_path: str | Path,
    names: Iterable[str] | None = None,
    *,
    timeout: float = 10.0,
    keep: int | None = None,
    keep_days: int | None = None,
    progress: Progress | None = None,
    stop: threading.Event | None = None,
    patient: bool = False,
) -> list[FeedResult]:
    """Fetch all feeds (or those named) at once, store each as it arrives. One feed's
    error never stops the others: it is kept on the feed until a refresh succeeds.
    `keep` / `keep_days` are the default retention for feeds that set none. Each fetch
    ends within `timeout` seconds (or is given up on GRACE seconds later); setting `stop`
    (or Ctrl+C) ends the refresh at once, keeping what it stored, and returns the feeds
    stored so far. `patient`: its writes wait for another writer as long as it takes (a
    refresh on a thread of its own), not the library's `wait_limit`."""
    with Library(library_path) as library, library.holding("a feed refresh"):
        if patient:
            library.wait_limit = None
        feeds = [library.find_feed(name) for name in names] if names else library.feeds()
        results: list[FeedResult] = []
        fetched = _each(feeds, lambda f: _parse(f, _fetch(f, timeout)), _no_answer, timeout, stop)
        for done, (feed, (fetched_feed, parsed)) in enumerate(fetched, 1):
            results.append(library.store_fetched(feed, fetched_feed, parsed, keep, keep_days))
            if progress:
                progress(done, len(feeds), feed.name)
        library.index_pending()
        fill_full_texts(library, timeout, stop)
    return results


def fill_full_texts(library: Library, timeout: float, stop: threading.Event | None = None) -> int:
    """Fetch the full texts that articles of --full-text feeds have not had yet (at most
    FULL_TEXTS_AT_ONCE, newest first), as feeds are fetched; returns how many came."""
    from reader.library.fulltext import FullTextError, full_text

    def page(item: tuple[int, str]) -> str | FullTextError:
        try:
            return full_text(item[1], timeout)
        except FullTextError as exc:
            return exc
        except Exception:  # noqa: BLE001 - a bug must cost one page, not all
            return FullTextError(f"{item[1]}: newsreader could not read the page (a fault)", False)

    def late(item: tuple[int, str], timeout: float) -> FullTextError:
        return FullTextError(f"{item[1]}: no answer within {timeout:g} s", lasting=False)

    came = 0
    pages = _each(library.wanting_full_text(), page, late, timeout, stop)
    for (article_id, _), text in pages:
        if isinstance(text, str):
            library.set_full_text(article_id, text)
            came += 1
        elif text.lasting:  # (a timeout or a server's bad day: asked again next time)
            library.full_text_failed(article_id, str(text))
    return came


def _no_answer(feed: Feed, timeout: float) -> tuple[Fetched, Parsed | None]:
    return Fetched(error=f"no answer within {timeout:g} s"), None


T = TypeVar("T")
R = TypeVar("R")


def _each(
    items: list[T],
    job: Callable[[T], R],
    late: Callable[..., R],
    timeout: float,
    stop: threading.Event | None,
) -> Iterator[tuple[T, R]]:
    """Each item's job done (a feed fetched and parsed), as it arrives. The threads are
    daemons and nobody waits for them: an interrupted refresh returns at once. A job still
    running GRACE seconds after its timeout (a name lookup, a hung network file system:
    what the timeout cannot reach) is given up on: its item gets `late` ("no answer"), its
    thread is left to end when it can, and a fresh thread takes its place. So a refresh
    ends within (timeout + GRACE) x ceil(items / WORKERS) seconds, plus the time to store."""
    todo: queue.SimpleQueue[int] = queue.SimpleQueue()
    arrived: queue.SimpleQueue[tuple[int, R]] = queue.SimpleQueue()
    lock = threading.Lock()
    fetching: dict[int, float] = {}  # item index -> when its job is given up on
    given_up: set[int] = set()
    for index in range(len(items)):
        todo.put(index)

    def work() -> None:
        while not (stop and stop.is_set()):
            try:
                index = todo.get_nowait()
            except queue.Empty:
                return
            with lock:
                fetching[index] = time.monotonic() + timeout + GRACE
            done = job(items[index])  # (a feed's parsing is bounded, as its fetch is)
            with lock:
                if index in given_up:  # too late: a fresh thread took this one's place
                    return
                del fetching[index]
            arrived.put((index, done))

    def overdue() -> list[int]:
        now = time.monotonic()
        with lock:
            expired = [index for index, until in fetching.items() if until <= now]
            for index in expired:
                del fetching[index]
                given_up.add(index)
        return expired

    def start_worker() -> None:
        threading.Thread(target=work, name="newsreader-fetch", daemon=True).start()

    for _ in range(min(WORKERS, len(items))):
        start_worker()
    answered = 0
    while answered < len(items):
        if stop and stop.is_set():  # (in short waits, so that Ctrl+C and `stop` are heard)
            return
        try:
            index, item = arrived.get(timeout=0.1)
        except queue.Empty:
            for index in overdue():
                start_worker()
                answered += 1
                yield items[index], late(items[index], timeout)
            continue
        answered += 1
        yield items[index], item


def _fetch(feed: Feed, timeout: float) -> Fetched:
    try:
        return fetch(feed.url, feed.etag, feed.modified, timeout)
    except Exception:  # noqa: BLE001 - a bug must cost one feed, not all
        return Fetched(error=FAULT)


def _parse(feed: Feed, fetched: Fetched) -> tuple[Fetched, Parsed | None]:
    if fetched.error or fetched.data is None:
        return fetched, None
    try:
        return fetched, parse_feed(fetched.data, feed.url)
    except FeedError as exc:
        fetched.error = str(exc)
    except Exception:  # noqa: BLE001 - a bug must cost one feed, not all
        fetched.error = FAULT
    return fetched, None
