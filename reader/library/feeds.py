"""Feeds: RSS, Atom and JSON Feed sources whose entries become articles in the library.

A feed has an import root (`feed:URL`) that names it under Sources; its entries are
articles with paths `feed:ID:KEY`, KEY coming from the entry's guid/id, else its link,
else its content, so a re-fetched entry updates its article and keeps the user's state.
Fetching runs in threads; storing runs on the caller's connection, one feed at a time.
"""

from __future__ import annotations

import hashlib
import urllib.request
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from reader.library.fetch import Entry, FeedError, Fetched, fetch, parse_feed
from reader.library.fts import index_text
from reader.library.models import ParsedArticle
from reader.library.parse import parse_entry
from reader.library.store import Library
from reader.library.text import clean_line

WORKERS = 8  # feeds fetched at once
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Feed:
    id: int
    url: str
    name: str
    tag: str
    keep: int | None
    keep_days: int | None
    etag: str | None
    modified: str | None
    checked: str | None
    error: str
    articles: int = 0
    unread: int = 0

    @property
    def local(self) -> bool:
        return not self.url.startswith(("http://", "https://"))


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


# ---- subscriptions ------------------------------------------------------------------------

_COLUMNS = "id, url, name, tag, keep, keep_days, etag, modified, checked, error"


def list_feeds(library: Library) -> list[Feed]:
    rows = library.db.execute(
        f"SELECT {', '.join('f.' + c for c in _COLUMNS.split(', '))},"
        " count(a.id), total(a.read = 0) FROM feeds f"
        " LEFT JOIN articles a ON a.root_id = f.root_id GROUP BY f.id ORDER BY f.name"
    )
    return [Feed(*row[:10], articles=row[10], unread=int(row[11])) for row in rows]


def failing(library: Library) -> dict[str, str]:
    """Feed name -> the error of its last refresh, for the feeds whose refresh failed (the
    sidebar asks after every change: no counting here)."""
    return dict(library.db.execute("SELECT name, error FROM feeds WHERE error != ''"))


def find_feed(library: Library, name_or_url: str) -> Feed:
    for feed in list_feeds(library):
        if name_or_url in (feed.name, feed.url) or feed.name.casefold() == name_or_url.casefold():
            return feed
    raise FeedError(f"no feed called {name_or_url!r} (see `newsreader feed list`)")


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
) -> Feed:
    url = normal_source(source)
    if library.db.execute("SELECT 1 FROM feeds WHERE url = ?", (url,)).fetchone():
        raise FeedError(f"{url}: already a feed")
    given = clean_line(name or "")
    title = _unique(library, given or _name_from(url))
    if given and title != given:
        raise FeedError(f"a feed is already called {given!r}")
    with library.transaction():
        root_id = library.root_id(f"feed:{url}")
        library.db.execute("UPDATE roots SET name = ? WHERE id = ?", (title, root_id))
        library.db.execute(
            "INSERT INTO feeds(url, name, named, tag, keep, keep_days, root_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (url, title, bool(given), clean_line(tag or ""), keep, keep_days, root_id),
        )
    return find_feed(library, url)


def remove_feed(library: Library, name_or_url: str) -> int:
    """Unsubscribe. Entries the user bookmarked, noted or tagged stay; returns how many
    entries went."""
    feed = find_feed(library, name_or_url)
    with library.transaction():
        root_id = _root(library, feed)
        gone = _prunable(library, root_id)
        _delete(library, gone)
        library.db.execute("DELETE FROM feeds WHERE id = ?", (feed.id,))
        if not library.db.execute(
            "SELECT 1 FROM articles WHERE root_id = ?", (root_id,)
        ).fetchone():
            library.db.execute("DELETE FROM roots WHERE id = ?", (root_id,))
    return len(gone)


def rename_feed(library: Library, old: str, new: str) -> Feed:
    feed = find_feed(library, old)
    name = clean_line(new)
    if not name:
        raise FeedError("a feed's name needs letters")
    if _unique(library, name, feed.id) != name:
        raise FeedError(f"a feed is already called {name!r}")
    with library.transaction():
        library.db.execute("UPDATE feeds SET name = ?, named = 1 WHERE id = ?", (name, feed.id))
        library.db.execute("UPDATE roots SET name = ? WHERE id = ?", (name, _root(library, feed)))
    return find_feed(library, feed.url)


def _root(library: Library, feed: Feed) -> int:
    return library.db.execute("SELECT root_id FROM feeds WHERE id = ?", (feed.id,)).fetchone()[0]


def _name_from(url: str) -> str:
    if url.startswith(("http://", "https://")):
        parts = urlsplit(url)
        return clean_line(parts.netloc + parts.path.rstrip("/"))[:80] or url
    return Path(url).stem


def _unique(library: Library, name: str, own_id: int = 0) -> str:
    taken = {
        n.casefold()
        for (n,) in library.db.execute("SELECT name FROM feeds WHERE id != ?", (own_id,))
    }
    candidate, number = name, 2
    while candidate.casefold() in taken:
        candidate, number = f"{name} ({number})", number + 1
    return candidate


# ---- refreshing ---------------------------------------------------------------------------


def refresh(
    library_path: str | Path,
    names: Iterable[str] | None = None,
    *,
    timeout: float = 10.0,
    keep: int | None = None,
    keep_days: int | None = None,
    progress: Progress | None = None,
) -> list[FeedResult]:
    """Fetch all feeds (or those named) at once, store each as it arrives. One feed's
    error never stops the others: it is kept on the feed until a refresh succeeds.
    `keep` / `keep_days` are the default retention for feeds that set none."""
    with Library(library_path) as library:
        feeds = [find_feed(library, name) for name in names] if names else list_feeds(library)
        results: list[FeedResult] = []
        if not feeds:
            return results
        with ThreadPoolExecutor(min(WORKERS, len(feeds))) as pool:
            work = {pool.submit(_fetch_and_parse, feed, timeout): feed for feed in feeds}
            for done, future in enumerate(as_completed(work), 1):
                feed = work[future]
                fetched, parsed = future.result()
                results.append(_store(library, feed, fetched, parsed, keep, keep_days))
                if progress:
                    progress(done, len(feeds), feed.name)
    return results


def _fetch_and_parse(feed: Feed, timeout: float) -> tuple[Fetched, tuple[str, list[Entry]] | None]:
    fetched = fetch(feed.url, feed.etag, feed.modified, timeout)
    if fetched.error or fetched.data is None:
        return fetched, None
    try:
        return fetched, parse_feed(fetched.data, feed.url)
    except FeedError as exc:
        fetched.error = str(exc)
    except Exception:  # noqa: BLE001 - a parser bug must cost one feed, not all
        fetched.error = "newsreader could not read this feed (a fault in its feed reader)"
    return fetched, None


def _store(
    library: Library,
    feed: Feed,
    fetched: Fetched,
    parsed: tuple[str, list[Entry]] | None,
    keep: int | None,
    keep_days: int | None,
) -> FeedResult:
    now = datetime.now(UTC).isoformat(timespec="seconds")
    if fetched.error:
        with library.transaction():
            library.db.execute(
                "UPDATE feeds SET error = ?, checked = ? WHERE id = ?",
                (clean_line(fetched.error)[:500], now, feed.id),
            )
        return FeedResult(feed, error=clean_line(fetched.error))
    new = updated = 0
    with library.transaction():
        root_id = _root(library, feed)
        if parsed is not None:
            title, entries = parsed
            for entry in entries:
                outcome = _save_entry(library, feed, root_id, entry)
                new += outcome == "new"
                updated += outcome == "updated"
            named = library.db.execute(
                "SELECT named FROM feeds WHERE id = ?", (feed.id,)
            ).fetchone()[0]
            if title and not named and feed.name == _name_from(feed.url):
                better = _unique(library, title, feed.id)
                library.db.execute("UPDATE feeds SET name = ? WHERE id = ?", (better, feed.id))
                library.db.execute("UPDATE roots SET name = ? WHERE id = ?", (better, root_id))
        library.db.execute(
            "UPDATE feeds SET error = '', checked = ?, etag = ?, modified = ? WHERE id = ?",
            (now, fetched.etag, fetched.modified, feed.id),
        )
        pruned = _retain(library, feed, root_id, feed.keep or keep, feed.keep_days or keep_days)
    return FeedResult(
        find_feed(library, feed.url), new, updated, not_modified=parsed is None, pruned=pruned
    )


def _save_entry(library: Library, feed: Feed, root_id: int, entry: Entry) -> str:
    key = hashlib.blake2b(entry.key.encode(), digest_size=12).hexdigest()
    path = f"feed:{feed.id}:{key}"
    if library.db.execute(
        "SELECT 1 FROM feed_pruned WHERE feed_id = ? AND key = ?", (feed.id, key)
    ).fetchone():
        return "pruned"
    tags = [*entry.tags, feed.tag] if feed.tag else entry.tags
    article: ParsedArticle = parse_entry(
        path,
        title=entry.title,
        date_value=entry.date,
        tags=tags,
        url=entry.url,
        content=entry.content,
    )
    digest = hashlib.blake2b(  # the path too: the same entry in two feeds is two articles
        repr((path, article.title, article.date, article.tags, article.url, article.body)).encode(),
        digest_size=16,
    ).hexdigest()
    old = library.db.execute(
        "SELECT hash, mtime_ns FROM articles WHERE path = ?", (path,)
    ).fetchone()
    if old and old[0] == digest:
        return "unchanged"
    stamp = old[1] if old else int(datetime.now(UTC).timestamp() * 1e9)  # first seen: the
    # date of an undated entry, which an update must not move to the top
    library.save(article, root_id, len(article.body), stamp, digest, index_text(article.text))
    return "updated" if old else "new"


def _prunable(library: Library, root_id: int) -> list[int]:
    """Entries of a feed that hold nothing of the user's, newest first."""
    return [
        i
        for (i,) in library.db.execute(
            "SELECT id FROM articles a WHERE root_id = ? AND bookmarked = 0 AND note = ''"
            " AND NOT EXISTS (SELECT 1 FROM terms t WHERE t.article_id = a.id"
            " AND t.origin = 'user')"
            " AND NOT EXISTS (SELECT 1 FROM hidden_tags h WHERE h.article_id = a.id)"
            " ORDER BY sort_ts DESC, id DESC",
            (root_id,),
        )
    ]


def _retain(
    library: Library, feed: Feed, root_id: int, keep: int | None, keep_days: int | None
) -> int:
    if not keep and not keep_days:
        return 0
    ids = _prunable(library, root_id)
    gone = set(ids[keep:]) if keep else set()
    if keep_days:
        cutoff = (datetime.now(UTC) - timedelta(days=keep_days)).timestamp()
        gone |= {
            i
            for (i,) in library.db.execute(
                "SELECT id FROM articles WHERE root_id = ? AND sort_ts < ?", (root_id, cutoff)
            )
            if i in set(ids)
        }
    for article_id in gone:  # remembered, so that the feed's next fetch skips them
        (path,) = library.db.execute(
            "SELECT path FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        library.db.execute(
            "INSERT OR IGNORE INTO feed_pruned(feed_id, key) VALUES (?, ?)",
            (feed.id, path.rsplit(":", 1)[-1]),
        )
    _delete(library, sorted(gone))
    return len(gone)


def _delete(library: Library, ids: Iterable[int]) -> None:
    for article_id in ids:
        library.unindex_article(article_id)
        library.db.execute("DELETE FROM articles WHERE id = ?", (article_id,))
