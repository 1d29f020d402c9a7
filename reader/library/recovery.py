"""`doctor --recover`: a fresh library in place of a damaged one, with all the reader's state.

The state comes from the state journal (see `journal`), which no damage to the library
file touches; what the journal lacks comes from the rows of the damaged file that can
still be read. Articles come back by importing the same folders again, except those no
folder holds: feed entries and articles whose files are gone. Those are carried over from
the damaged file's rows (with their text, so they show and are found), feeds with the ids
they had, so that their entries keep their paths and the next refresh updates them.

The fresh library is built under a name of its own beside the damaged one and put in its
place only once whole, so an interrupted recovery leaves the damaged library where it was.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import re
import shutil
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reader.library import journal
from reader.library.body import detect_kind, unpacked
from reader.library.changes import JOURNAL
from reader.library.damaged import Damaged, Salvaged, file_exists
from reader.library.errors import LibraryError
from reader.library.ignore import RULED_TO
from reader.library.ingest import import_paths
from reader.library.models import ImportReport, ParsedArticle
from reader.library.state import STATE_FORMAT, _split, _strings, term_key
from reader.library.store import Library
from reader.library.text import clean_line
from reader.library.turns import alive, in_use

CHUNK = 200  # reading states merged per transaction
STATE_KEYS = ("read", "bookmarked", "note", "tags", "hidden_tags")


@dataclass
class Recovery:
    kept_aside: Path
    report: ImportReport  # the import of the damaged library's folders
    restored: int = 0  # articles whose reading state is back
    lost: list[str] = field(default_factory=list)  # ... and those whose is not (names)
    from_journal: bool = False  # the state came from the journal
    feeds: int = 0  # feeds followed again
    entries: int = 0  # feed entries carried over
    fileless: int = 0  # articles whose files are gone, carried over
    not_carried: list[str] = field(default_factory=list)  # ... those that could not be
    saved: int = 0  # saved searches back


def recover(path: Path, progress: Callable[[int, int], None] | None = None) -> Recovery:
    """Read the state (damaged file, then journal), import the same folders into a fresh
    library, carry over what no folder holds, restore the state, write the fresh library's
    journal; then move the damaged file aside and put the fresh library in its place."""
    if not os.access(path.parent, os.W_OK):
        raise LibraryError(
            f"{path}: its folder is read-only, so no fresh library can be made there: check"
            " its permissions (nothing was changed)"
        )
    _refuse_if_open(path)
    before = _stamp(path)
    noted = journal.read(journal.journal_path(path))
    try:
        with Damaged(path) as damaged:
            found = damaged.salvage()
            records = _merged(noted, found)
            carry = _to_carry(found, records)
            rows = list(damaged.article_rows(carry))
    except LibraryError:
        if not noted.articles and not noted.saved:
            raise
        found, rows, carry = _nothing(), [], []  # the journal alone: every state it holds
        records = _merged(noted, found)
    fresh = path.with_name(f"{path.name}.recovering-{os.getpid()}")
    for leftover in path.parent.glob(f"{glob.escape(path.name)}.recovering-*"):
        pid = re.match(r"\d+", leftover.name.removeprefix(f"{path.name}.recovering-"))
        if pid and not alive(int(pid.group())):  # left by a run killed midway
            leftover.unlink(missing_ok=True)
    try:
        _remove(fresh)
        result = _build(fresh, found, rows, carry, records, noted, progress)
        _refuse_if_open(path, before)  # opened meanwhile: what it wrote would be lost
        result.kept_aside = _put_in_place(path, fresh)
    except BaseException:
        _remove(fresh)
        raise
    return result


def _refuse_if_open(path: Path, before: list[tuple[int, int] | None] | None = None) -> None:
    """Another process with the library open would go on writing to the damaged file once
    it is moved aside, and all it wrote would be lost; so would what one wrote while the
    fresh library was built (if `before` is given). (No connection of ours is open.)"""
    if in_use(path) or (before is not None and _stamp(path) != before):
        raise LibraryError(
            f"{path}: another program has the library open: close newsreader (the app,"
            " imports, refreshes) first, then run `newsreader doctor --recover` again"
            " (nothing was changed)"
        )


def _stamp(path: Path) -> list[tuple[int, int] | None]:
    """What a write to the library or its journal changes: sizes and times."""
    stamps: list[tuple[int, int] | None] = []
    for file in (path, Path(f"{path}-wal"), journal.journal_path(path)):
        try:
            info = file.stat()
        except OSError:
            stamps.append(None)
        else:
            stamps.append((info.st_size, info.st_mtime_ns))
    return stamps


def _build(
    fresh: Path,
    found: Salvaged,
    rows: list[tuple[Any, ...]],
    carry: list[int],
    records: list[dict[str, Any]],
    noted: journal.Contents,
    progress: Callable[[int, int], None] | None,
) -> Recovery:
    """The fresh library, at `fresh`, with its journal beside it."""
    result = Recovery(fresh, ImportReport(), from_journal=bool(noted.articles))
    with Library(fresh) as library:
        followed = _follow_again(library, found)
        result.feeds = len(followed)
        folders = [root for root in found.roots.values() if Path(root).is_dir()]
        named = [str(r.get("path")) for r in records if _holds_state(r)]  # (rows lost)
        files = dict.fromkeys([*found.files, *named])
        loose = [f for f in files if not any(f.startswith(r + os.sep) for r in folders)]
        sources = folders + [file for file in loose if file_exists(file)]
        result.report = import_paths(library, sources, progress=progress)
        _carry_over(library, rows, carry, found, followed, records, result)
        library.restore_accounts(found.accounts, found.subscriptions, found.synced)
        library.index_pending()
        lost = _restore(library, records, found, result)
        saved = _saved_searches(noted, found)
        with library.transaction():
            for name, query in saved.items():
                if query is not None:
                    library.db.execute(
                        "INSERT OR REPLACE INTO saved_views(name, query) VALUES (?, ?)",
                        (name, query),
                    )
                    result.saved += 1
            # (a damaged page can read as NULLs; RULED_TO: the ids are new, use_rules sets it)
            for key, value in found.settings:
                if (
                    key not in (JOURNAL, RULED_TO)
                    and isinstance(key, str)
                    and isinstance(value, str)
                ):
                    library.db.execute(
                        "INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)", (key, value)
                    )
        library.set_setting(JOURNAL, str(_rewrite_journal(library, lost, saved)))
    return result


def _put_in_place(path: Path, fresh: Path) -> Path:
    """Keep the damaged library aside (its journal as it was beside it) and put the fresh
    one and its journal in its place; returns the name kept aside. `path` holds one whole
    library or the other throughout (where the file system has hard links)."""
    aside = _aside_name(path)
    kept = journal.journal_path(path)
    if kept.exists():
        shutil.copyfile(kept, journal.journal_path(aside))
    try:
        os.link(path, aside)
    except OSError:  # no hard links: a moment without a library at `path`
        os.replace(path, aside)
    for suffix in ("-wal", "-shm"):  # (never to be read with the fresh library)
        if Path(f"{path}{suffix}").exists():
            os.replace(f"{path}{suffix}", f"{aside}{suffix}")
    os.replace(journal.journal_path(fresh), kept)
    os.replace(fresh, path)
    return aside


def _aside_name(path: Path) -> Path:
    """`LIBRARY.damaged-DATE-TIME`, with a counter when a recovery in the same second
    kept one there already."""
    stamp = path.with_name(f"{path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
    for number in itertools.count(1):
        aside = Path(f"{stamp}-{number}") if number > 1 else stamp
        taken = (Path(f"{aside}{end}") for end in ("", "-wal", "-shm"))
        if not any(p.exists() for p in (*taken, journal.journal_path(aside))):
            return aside
    raise AssertionError  # (unreachable)


def _remove(fresh: Path) -> None:
    """A fresh library not put in place, and its files."""
    for end in ("", "-wal", "-shm", "-busy", "-waiting", ".state-journal"):
        with contextlib.suppress(FileNotFoundError):
            Path(f"{fresh}{end}").unlink()


def _nothing() -> Salvaged:
    state = {"newsreader_state": STATE_FORMAT, "articles": []}
    return Salvaged(state, {}, [], [], [], [], [], whole=False)


def _holds_state(record: dict[str, Any]) -> bool:
    return any(record.get(key) for key in STATE_KEYS)


def _merged(noted: journal.Contents, found: Salvaged) -> list[dict[str, Any]]:
    """Every record of reading state, the least trusted first: the damaged file's (a
    journal begun on a library already damaged lacks what could not be read then), then
    the journal's in the order they were written. An article's last record is its state,
    empty ones included (unread, untagged): see `_last_word`."""
    return [*found.state["articles"], *noted.articles.values()]


def _last_word(
    records: list[dict[str, Any]], match: Callable[[dict[str, Any]], int | None]
) -> tuple[dict[int, dict[str, Any]], list[dict[str, Any]]]:
    """The last record of each article (`match` finds its id; a moved article has records
    under several paths), and the last of those that found no article, by (uid, path)."""
    last: dict[int, dict[str, Any]] = {}
    unmatched: dict[tuple[str, str], dict[str, Any]] = {}
    for record in records:
        article_id = match(record)
        if article_id is None:
            unmatched[(str(record.get("uid")), str(record.get("path")))] = record
        else:
            last[article_id] = record
    return last, list(unmatched.values())


def _to_carry(found: Salvaged, records: list[dict[str, Any]]) -> list[int]:
    """Articles no folder brings back: feed entries, and articles with reading state whose
    files are gone."""
    last, _ = _last_word(records, found.matcher())
    return [
        article_id
        for article_id, (_, _uid, file, *_rest) in found.articles.items()
        if file.startswith(("feed:", "sync:"))
        or (not file_exists(file) and _holds_state(last.get(article_id, {})))
    ]


def _follow_again(library: Library, found: Salvaged) -> dict[int, int]:
    """Follow the damaged library's feeds again, each with its old id (its entries' paths
    name it); returns feed id -> root id. No validators: the next refresh fetches all."""
    followed: dict[int, int] = {}
    for feed_id, url, name, named, tag, keep, keep_days in library.slices(found.feeds):
        url, name = str(url), clean_line(str(name or url))
        if clean_line(url) != url or not url.startswith(("http://", "https://", os.sep)):
            continue
        root_id = library.root_id(f"feed:{url}")
        added = library.db.execute(
            "INSERT OR IGNORE INTO feeds(id, url, name, named, tag, keep, keep_days, root_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (feed_id, url, name, int(bool(named)), tag or "", keep, keep_days, root_id),
        ).rowcount
        if added:
            library.db.execute("UPDATE roots SET name = ? WHERE id = ?", (name, root_id))
            followed[feed_id] = root_id
    with library.transaction():
        library.db.executemany(
            "INSERT OR IGNORE INTO feed_pruned(feed_id, key) VALUES (?, ?)",
            [(feed_id, key) for feed_id, key in found.pruned if feed_id in followed],
        )
    return followed


def _carry_over(
    library: Library,
    rows: list[tuple[Any, ...]],
    carry: list[int],
    found: Salvaged,
    followed: dict[int, int],
    records: list[dict[str, Any]],
    result: Recovery,
) -> None:
    """Store the rows read for articles no folder brings back, as the feed store stores an
    entry (`Library.save`), keeping their uid (the state matches on it). The tags a row
    shows less any the reader ever gave it are its source tags."""
    user_tags: dict[Any, set[str]] = {}
    for record in records:
        user_tags.setdefault(record.get("uid"), set()).update(
            term_key(t) for t in _strings(record.get("tags"))
        )
    wanted = set(carry)
    for row in library.slices(rows):
        article_id, file, root, size, mtime_ns, digest, title, date, sort_ts = row[:9]
        categories, tags, url, kind, body, words, chars, uid = row[9:]
        wanted.discard(article_id)
        feed = _feed_of(file)
        entry = feed is not None or file.startswith("sync:")  # (a feed's or a server's)
        root_id = followed.get(feed) if feed is not None else None
        if root_id is None:
            where = found.roots.get(root) or (file if entry else os.path.dirname(file))
            root_id = library.root_id(where)
        try:
            body = unpacked(body or "")
        except (zlib.error, TypeError):  # a damaged compressed body: nothing of it to show
            body = ""
        if kind == "html" and detect_kind(body) != "html":  # stored as Markdown before
            kind = "markdown"
        article = ParsedArticle(
            path=file,
            title=title,
            date=date,
            timestamp=sort_ts if date else None,
            categories=_split(categories or ""),
            tags=tuple(t for t in _split(tags or "") if term_key(t) not in user_tags.get(uid, ())),
            url=url,
            kind=kind,
            body=body,
            text="",  # (the index derives it from the body)
            words=words or 0,
            chars=chars or 0,
            extra=found.extras.get(article_id, {}),
        )
        new_id, _ = library.save(article, root_id, size or 0, mtime_ns or 0, digest or "")
        library.db.execute(
            "UPDATE articles SET uid = ?, missing = ? WHERE id = ?",
            (uid or f"file:{digest}", int(not entry), new_id),
        )
        if not entry:
            result.fileless += 1
        else:
            result.entries += 1
    result.not_carried = [_label(_row_record(found.articles[i])) for i in sorted(wanted)]


def _feed_of(file: str) -> int | None:
    """The feed id in an entry's path (`feed:ID:KEY`); None for an article from a file."""
    parts = file.split(":")
    return int(parts[1]) if len(parts) == 3 and parts[0] == "feed" and parts[1].isdigit() else None


def _row_record(row: tuple[Any, ...]) -> dict[str, Any]:
    return {"path": row[2], "title": row[4]}


def _label(record: dict[str, Any]) -> str:
    """How the report names an article: its title, and its path when that is a file's."""
    title, file = clean_line(str(record.get("title") or "")), str(record.get("path") or "")
    if file.startswith("feed:") or not file:
        return title or file
    return f"{title} ({file})" if title else file


def _restore(
    library: Library, records: list[dict[str, Any]], found: Salvaged, result: Recovery
) -> list[dict[str, Any]]:
    """Give each article the state of its last record, CHUNK articles to a transaction;
    returns the records that found no article. No article of the fresh library has any
    state yet, so merging one record per article in (`import_state`) sets its state to
    exactly that record's. A record that a damaged file read whole does not hold either
    was removed on purpose (pruned, or by its feed's retention): neither reported nor kept."""
    last, unmatched = _last_word(records, library._match)
    chosen = {i: record for i, record in last.items() if _holds_state(record)}
    states = list(chosen.values())
    for start in range(0, len(states), CHUNK):
        chunk = states[start : start + CHUNK]
        library.import_state({"newsreader_state": STATE_FORMAT, "articles": chunk})
    # (counted as they are now: a tag guessed from a damaged file's rows may be a source tag)
    result.restored = sum(any(state[1:]) for state in library.snapshot(chosen))
    uids = {row[1] for row in found.articles.values()}
    paths = {row[2] for row in found.articles.values()}
    lost = []
    for record in filter(_holds_state, unmatched):
        if not found.whole or record.get("uid") in uids or record.get("path") in paths:
            result.lost.append(_label(record))
            lost.append(record)
    return lost


def _saved_searches(noted: journal.Contents, found: Salvaged) -> dict[str, str | None]:
    """The journal's saved searches (a deleted one stays deleted), then the file's."""
    saved = dict(noted.saved)
    for name, query in found.saved_views:
        saved.setdefault(name, query)
    return saved


def _rewrite_journal(
    library: Library, lost: list[dict[str, Any]], saved: dict[str, str | None]
) -> int:
    """The journal as the fresh library has it (uids may differ from the damaged one's),
    plus the states that found no article, so that a later recovery still has them."""
    with library.transaction():
        entries = library.state_entries() + lost
        entries += [{"saved": name, "query": None} for name, q in saved.items() if q is None]
        return journal.write(journal.journal_path(library.path), entries)
