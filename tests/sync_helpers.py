"""What the sync tests look at in a library: its synced articles by title, and their marks."""

from __future__ import annotations

from pathlib import Path

from reader.library import Library

Marks = tuple[bool, bool, tuple[str, ...]]  # read, bookmarked, user tags


def by_title(path: Path) -> dict[str, int]:
    """title -> id of every synced article."""
    with Library(path) as library:
        rows = library.db.execute("SELECT title, id FROM articles WHERE path LIKE 'sync:%'")
        return dict(rows.fetchall())


def marks(path: Path) -> dict[str, Marks]:
    """title -> (read, bookmarked, user tags) of every synced article."""
    with Library(path) as library:
        ids = by_title(path)
        states = {s.article_id: s for s in library.snapshot(ids.values())}
        return {
            title: (states[i].read, states[i].bookmarked, tuple(states[i].user_tags))
            for title, i in ids.items()
        }
