"""Helpers shared by the library tests: posts to write, and a check of the search index."""

from __future__ import annotations

import itertools
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

from reader.library import Library

WritePost = Callable[[str, bytes | str], Path]
_copies = itertools.count()


def post(
    title: str,
    body: str = "Body text.",
    *,
    tags: tuple[str, ...] = (),
    categories: tuple[str, ...] = (),
    date: str | None = None,
) -> str:
    """A post with YAML front matter (JSON strings and lists are valid YAML)."""
    lines = ["---", f"title: {json.dumps(title, ensure_ascii=False)}"]
    if date:
        lines.append(f"date: {date}")
    if tags:
        lines.append(f"tags: {json.dumps(list(tags), ensure_ascii=False)}")
    if categories:
        lines.append(f"categories: {json.dumps(list(categories), ensure_ascii=False)}")
    return "\n".join([*lines, "---", body, ""])


def index_consistent(library: Library, tmp_path: Path) -> None:
    """FTS5's own check, and the index holds exactly what a rebuild from scratch would.

    A contentless index cannot check itself against the articles (a delete with stale
    values passes `integrity-check`), so its every token is compared with a fresh copy's.
    """
    library.db.execute("INSERT INTO search(search) VALUES ('integrity-check')")
    copy_path = tmp_path / f"index-copy-{next(_copies)}.db"
    target = sqlite3.connect(copy_path)
    library.db.backup(target)
    target.close()
    held = {r for (r,) in library.db.execute("SELECT fts_rowid FROM articles WHERE indexed = 1")}
    with Library(copy_path) as copy:
        copy.rebuild_index()
        expected = [token for token in _tokens(copy.db) if token[1] in held]  # (the rest: not
    assert _tokens(library.db) == expected  # indexed yet, by design: see index_pending)


def _tokens(db: sqlite3.Connection) -> list[tuple[str, int, str, int]]:
    db.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_tokens"
        " USING fts5vocab(main, search, 'instance')"
    )
    return sorted(db.execute("SELECT term, doc, col, offset FROM temp.search_tokens"))
