"""A library read without being opened as a `Library` (which migrates and writes): what
`doctor` checks, on a read-only connection, so that checking never changes the file."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import NamedTuple


class Counts(NamedTuple):
    articles: int
    kept: int  # read or bookmarked
    unindexed: int  # not in the search index yet (from schema 9; 0 before)
    indexed: int  # entries the search index holds


class Readout:
    """Facts of a library file, read on a read-only connection (SQLite errors raised)."""

    def __init__(self, path: Path, timeout: float, immutable: bool = False) -> None:
        """`immutable`: nobody can be writing the file (read-only, no `-wal`), so SQLite
        needs no `-shm` beside it."""
        uri = f"{path.resolve().as_uri()}?mode=ro" + ("&immutable=1" if immutable else "")
        self.db = sqlite3.connect(uri, uri=True, timeout=timeout)

    def close(self) -> None:
        self.db.close()

    def version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def damage(self) -> list[str]:
        """SQLite's integrity check (at most 20 findings): [] when the file is sound."""
        found = [str(row[0]) for row in self.db.execute("PRAGMA integrity_check(20)")]
        return [] if found == ["ok"] else found

    def dangling(self) -> bool:
        """Whether rows point at articles that are gone."""
        return self.db.execute("PRAGMA foreign_key_check").fetchone() is not None

    def counts(self, version: int) -> Counts:
        def one(sql: str) -> int:
            return int(self.db.execute(sql).fetchone()[0])

        unindexed = one("SELECT count(*) FROM articles WHERE indexed = 0") if version >= 9 else 0
        return Counts(
            one("SELECT count(*) FROM articles"),
            one("SELECT count(*) FROM articles WHERE read OR bookmarked"),
            unindexed,
            one("SELECT count(*) FROM search_docsize"),
        )
