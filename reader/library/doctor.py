"""`newsreader doctor`: check a library, rebuild its search index, or recover the user's
state from a damaged library into a fresh one (the damaged file is kept aside)."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reader.library.feeds import FeedError, add_feed
from reader.library.ingest import import_paths
from reader.library.models import ImportReport
from reader.library.schema import SCHEMA_VERSION
from reader.library.state import STATE_FORMAT, _split
from reader.library.store import Library, LibraryError

MAX_ROWID = 10_000_000  # how far rows are looked for, at most
GAP = 5_000  # ... when max(id) cannot be read: until this many ids in a row hold nothing
BY_ARTICLE = "article_id"  # the range key of tables without rowids


@dataclass
class Checkup:
    path: Path
    problems: list[str] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check(path: Path) -> Checkup:
    """Read-only checks: SQLite's integrity and foreign keys, the schema, the search index."""
    result = Checkup(path)
    if not path.is_file():
        result.problems.append("no library file here")
        return result
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        result.problems.append(f"cannot be opened: {exc}")
        return result
    try:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        result.facts.append(f"schema version {version} (this newsreader: {SCHEMA_VERSION})")
        if version > SCHEMA_VERSION:
            result.problems.append("made by a newer newsreader: upgrade newsreader")
        damage = [row[0] for row in db.execute("PRAGMA integrity_check(20)")]
        if damage != ["ok"]:
            lines = [line for text in damage for line in text.splitlines() if "***" not in line]
            result.problems += [f"damaged: {line}" for line in lines]
            return result
        if db.execute("PRAGMA foreign_key_check").fetchone():
            result.problems.append("damaged: rows point at articles that are gone")
        articles = db.execute("SELECT count(*) FROM articles").fetchone()[0]
        kept = db.execute("SELECT count(*) FROM articles WHERE read OR bookmarked").fetchone()[0]
        result.facts.append(f"{articles} articles, {kept} read or bookmarked")
        indexed = db.execute("SELECT count(*) FROM search_docsize").fetchone()[0]
        if indexed != articles:
            result.problems.append(
                f"the search index holds {indexed} articles, not {articles}: "
                "run `newsreader doctor --rebuild-index`"
            )
    except sqlite3.DatabaseError as exc:
        result.problems.append(f"damaged: {exc}")
        return result
    finally:
        db.close()
    if result.ok:
        try:  # FTS5's own check is an INSERT: run it on a writable connection, then undo
            with Library(path) as library:
                library.db.execute("BEGIN")
                library.db.execute("INSERT INTO search(search) VALUES ('integrity-check')")
                library.db.execute("ROLLBACK")
        except (sqlite3.DatabaseError, LibraryError) as exc:
            result.problems.append(
                f"the search index is damaged ({exc}): run `newsreader doctor --rebuild-index`"
            )
    return result


def rebuild_index(path: Path) -> int:
    """Index every article afresh; returns how many."""
    with Library(path) as library, library.transaction():
        return library.rebuild_index()


@dataclass
class Recovery:
    kept_aside: Path
    state: int  # articles whose state was saved from the damaged file
    matched: int  # ... and found again in the fresh library
    unmatched: list[str]
    report: ImportReport


def recover(path: Path, progress: Callable[[int, int], None] | None = None) -> Recovery:
    """Save what user state can be read, move the damaged file aside, import the same
    folders into a fresh library, and merge the saved state into it."""
    state, roots, files, extras = salvage(path)
    aside = path.with_name(f"{path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
    for suffix in ("", "-wal", "-shm"):
        old = Path(f"{path}{suffix}")
        if old.exists():
            os.replace(old, f"{aside}{suffix}")
    with Library(path) as library:
        for url, name, tag, keep, keep_days in extras["feeds"]:
            # Entries come back with the next refresh; a local feed file may be gone.
            with contextlib.suppress(FeedError):
                add_feed(library, url, tag=tag, name=name, keep=keep, keep_days=keep_days)
        folders = [root for root in roots if Path(root).is_dir()]
        loose = [f for f in files if not any(f.startswith(r + os.sep) for r in folders)]
        sources = folders + [file for file in loose if Path(file).exists()]
        report = import_paths(library, sources, progress=progress)
        matched, unmatched = library.import_state(state)
        with library.transaction():
            for name, query in extras["saved_views"]:
                library.db.execute(
                    "INSERT OR IGNORE INTO saved_views(name, query) VALUES (?, ?)", (name, query)
                )
            for key, value in extras["settings"]:
                library.set_setting(key, value)
    return Recovery(aside, len(state["articles"]), matched, unmatched, report)


def salvage(path: Path) -> tuple[dict[str, Any], list[str], list[str], dict[str, list[Any]]]:
    """The user state readable in a (damaged) library, as `export_state` writes it; the
    import roots and article files; saved views and settings. Unreadable rows are skipped."""
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as exc:
        raise LibraryError(f"{path}: nothing can be read from it ({exc})") from None
    try:
        damaged: set[str] = set()
        columns = "id, uid, path, hash, title, date, read, bookmarked, note"
        articles = {row[0]: row for row in _rows(db, "articles", columns)}
        user_tags: dict[int, list[str]] = {}
        user = _rows(db, "terms", "article_id, name", "origin = 'user'", BY_ARTICLE, damaged)
        for article_id, name in user:
            user_tags.setdefault(article_id, []).append(name)
        if "terms" in damaged:  # then the tags each article showed: its source tags come
            for article_id, tags in _rows(db, "articles", "id, tags"):  # back with the
                if tags:  # import, so what this adds is the user's
                    user_tags.setdefault(article_id, []).extend(_split(tags))
        hidden: dict[int, list[str]] = {}
        for article_id, key in _rows(db, "hidden_tags", "article_id, key", key=BY_ARTICLE):
            hidden.setdefault(article_id, []).append(key)
        records = []
        for article_id, uid, file, digest, title, date, read, bookmarked, note in articles.values():
            if not (read or bookmarked or note or article_id in user_tags or article_id in hidden):
                continue
            record: dict[str, Any] = {
                "uid": uid,
                "path": file,
                "hash": digest,
                "title": title,
                "date": date,
                "read": bool(read),
                "bookmarked": bool(bookmarked),
            }
            if note:
                record["note"] = note
            if article_id in user_tags:
                record["tags"] = user_tags[article_id]
            if article_id in hidden:
                record["hidden_tags"] = hidden[article_id]
            records.append(record)
        roots = [root for (root,) in _rows(db, "roots", "path")]
        files = [row[2] for row in articles.values()]
        extras = {
            "saved_views": list(_rows(db, "saved_views", "name, query")),
            "settings": list(_rows(db, "settings", "key, value")),
            "feeds": list(_rows(db, "feeds", "url, name, tag, keep, keep_days")),
        }
    finally:
        db.close()
    return {"newsreader_state": STATE_FORMAT, "articles": records}, roots, files, extras


def _rows(
    db: sqlite3.Connection,
    table: str,
    columns: str,
    where: str = "1",
    key: str = "rowid",
    damaged: set[str] | None = None,
) -> Iterator[Any]:
    """Rows of `table`, or as many as can be read one `key` value (an integer column) at a
    time: a damaged page loses only its rows. (Range scans over a damaged tree can stop
    early without an error, so single rows it is: ~20 µs each.)"""
    try:
        yield from db.execute(f"SELECT {columns} FROM {table} WHERE {where}").fetchall()
        return
    except sqlite3.DatabaseError as exc:
        if "no such table" in str(exc):  # a library from before that table
            return
        if damaged is not None:
            damaged.add(table)
    try:
        top = db.execute(f"SELECT max({key}) FROM {table}").fetchone()[0] or 0
    except sqlite3.DatabaseError:
        top = -1  # unknown: look until GAP values in a row hold nothing
    one = f"SELECT {columns} FROM {table} WHERE {where} AND {key} = ?"
    found = 0
    for value in range(MAX_ROWID):
        if value > top and value > found + GAP:
            return
        try:
            rows = db.execute(one, (value,)).fetchall()
        except sqlite3.DatabaseError:
            continue
        if rows:
            found = value
            yield from rows
