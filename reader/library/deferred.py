"""The list's indexes set aside while a first big import writes its articles.

An import into an empty library writes every row once: keeping ten secondary indexes up
to date row by row cost the writer 6-8 s of CPU for 100,000 articles, dropping them first
and building them once the rows are in 1.9 s + 1.8 s (benchmarks/bench_import.py; the
writer shares two cores with the parser processes). Meanwhile the library stays whole and
correct: queries still answer, by scanning. What was set aside is noted in the library in
the same transaction that drops it, so a killed import leaves the note, and the next open
(not while an import runs) or the next import builds them, one to a transaction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reader.library.turns import busy

if TYPE_CHECKING:
    from reader.library.store import Library

SET_ASIDE = "deferred_indexes"  # the settings key: the CREATE statements still to run,
_SEP = "\x1f"  # one after the other
# Not set aside: the unique ones (path, fts_rowid), terms' key and the unindexed articles'
# index, which the import itself reads.
DEFERRED = (
    "articles_by_date",
    "articles_unread",
    "articles_bookmarked",
    "articles_by_title",
    "articles_unread_by_title",
    "articles_bookmarked_by_title",
    "articles_by_root",
    "articles_by_hash",
    "articles_by_uid",
    "terms_by_article",
)


def set_aside(library: Library) -> bool:
    """Drop the deferred indexes of an empty library, noting them; False when not empty."""
    with library.transaction():
        if library.db.execute("SELECT 1 FROM articles LIMIT 1").fetchone():
            return False
        marks = ", ".join("?" * len(DEFERRED))
        found = library.db.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name IN ({marks})",
            DEFERRED,
        ).fetchall()
        library.set_setting(SET_ASIDE, _SEP.join(pending(library) + [s for _, s in found]))
        for name, _ in found:
            library.db.execute(f'DROP INDEX "{name}"')
    return True


def pending(library: Library) -> list[str]:
    """The CREATE statements of the indexes set aside and not built yet."""
    saved = library.setting(SET_ASIDE)
    return saved.split(_SEP) if saved else []


def build_set_aside(library: Library) -> int:
    """Build the indexes set aside, one to a transaction (0.1-0.3 s each at 100,000
    articles); returns how many."""
    built = 0
    while True:
        with library.transaction():
            left = pending(library)
            if not left:
                library.db.execute("DELETE FROM settings WHERE key = ?", (SET_ASIDE,))
                return built
            library.db.execute(left[0].replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS", 1))
            library.set_setting(SET_ASIDE, _SEP.join(left[1:]))
            built += 1


def build_if_left(library: Library) -> None:
    """At open: build what a killed import set aside, unless an import is running now
    (it builds them itself when its articles are in)."""
    if library.setting(SET_ASIDE) and busy(library.path) is None:
        build_set_aside(library)
