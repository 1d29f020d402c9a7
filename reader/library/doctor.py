"""`newsreader doctor`: check a library, rebuild its search index, or recover the reader's
state from a damaged library into a fresh one (see `recovery`; the damaged file is kept
aside). The check tells real damage from what is not damage: a library another program
is writing to (it waits its turn, as any writer does) and one it may not write to."""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from reader.library.damaged import Salvaged, salvage
from reader.library.errors import LibraryError, StorageError
from reader.library.readout import Readout
from reader.library.recovery import Recovery, recover
from reader.library.schema import SCHEMA_VERSION
from reader.library.store import WAIT, Library
from reader.library.turns import holder, rebuild_runs

__all__ = [
    "Checkup",
    "Recovery",
    "Salvaged",
    "check",
    "finish_index",
    "rebuild_index",
    "recover",
    "salvage",
]

DAMAGED = "damaged"  # how a problem that is damage begins


@dataclass
class Checkup:
    path: Path
    problems: list[str] = field(default_factory=list)  # damage, or an index to rebuild
    facts: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)  # not damage: permissions, a lock
    unindexed: int = 0  # articles not in the search index yet: not damage (see finish_index)

    @property
    def ok(self) -> bool:
        return not self.problems and not self.blocked

    @property
    def damaged(self) -> bool:
        """Real damage, which `--recover` is for (an index to rebuild is not)."""
        return any(problem.startswith(DAMAGED) for problem in self.problems)


class _Undo(Exception):
    """Rolls back the index check (an INSERT that changes nothing)."""


def check(path: Path) -> Checkup:
    """SQLite's integrity and foreign keys, the schema, the search index. Reads only, on a
    read-only connection, except FTS5's own check, which is an INSERT rolled back: it
    waits for the write lock like any change (up to `store.WAIT`)."""
    result = Checkup(path)
    if not path.is_file():
        result.problems.append("no library file here")
        return result
    if not os.access(path, os.R_OK):
        result.blocked.append(_permissions(path, "the library file cannot be read"))
        return result
    read_only = _read_only(path)
    if read_only:
        result.blocked.append(_permissions(path, read_only))
        result.facts.append("the search index's own check needs to write: skipped")
    immutable = bool(read_only) and not Path(f"{path}-wal").exists()
    try:
        readout = Readout(path, WAIT, immutable)
    except StorageError as exc:
        _trouble(result, exc, "cannot be opened")
        return result
    try:
        _read_checks(readout, result)
    except StorageError as exc:
        _trouble(result, exc)
    finally:
        readout.close()
    if rebuild_runs(path):  # the index is short because it is being built: not a problem
        result.problems = [p for p in result.problems if not p.startswith("the search index")]
        result.blocked.append(
            "the search index is being rebuilt (`doctor --rebuild-index`): run doctor again "
            "when it is done"
        )
    if result.ok:
        _index_check(path, result)
    return result


def _read_checks(readout: Readout, result: Checkup) -> None:
    version = readout.version()
    result.facts.append(f"schema version {version} (this newsreader: {SCHEMA_VERSION})")
    if version > SCHEMA_VERSION:
        result.problems.append("made by a newer newsreader: upgrade newsreader")
    damage = readout.damage()
    if damage:
        lines = [line for text in damage for line in text.splitlines() if "***" not in line]
        result.problems += [f"{DAMAGED}: {line}" for line in lines]
        return
    if readout.dangling():
        result.problems.append(f"{DAMAGED}: rows point at articles that are gone")
    articles, kept, result.unindexed, indexed = readout.counts(version)
    result.facts.append(f"{articles} articles, {kept} read or bookmarked")
    held = articles - result.unindexed  # (articles before schema 9 were all indexed)
    if indexed != held:
        result.problems.append(
            f"the search index holds {indexed} articles, not {held}: "
            "run `newsreader doctor --rebuild-index`"
        )
    elif result.unindexed:
        result.facts.append(f"{result.unindexed} articles are not in the search index yet")


def _index_check(path: Path, result: Checkup) -> None:
    """FTS5's own check is an INSERT: run it in a write transaction, taken in turn (an
    import gives way within a slice), then rolled back."""
    try:
        with Library(path) as library, suppress(_Undo), library.transaction():
            library.check_index()
            raise _Undo
    except LibraryError as exc:
        _trouble(result, exc)
    except StorageError as exc:
        if _blocked(result, exc):
            return
        result.problems.append(
            f"the search index is damaged ({exc}): run `newsreader doctor --rebuild-index`"
        )


def _trouble(result: Checkup, exc: Exception, what: str = DAMAGED) -> None:
    """An error while checking: a lock or a permission, else damage."""
    if not _blocked(result, exc):
        prefix = DAMAGED if what == DAMAGED else f"{DAMAGED}: {what}"
        result.problems.append(f"{prefix}: {exc}")


def _blocked(result: Checkup, exc: Exception) -> bool:
    text = str(exc)
    if "locked" in text or "busy" in text:
        who = holder(result.path) or "another program"
        result.blocked.append(
            f"{who} kept the library busy for over {WAIT:g} s, so it was not all checked:"
            " this is not damage; run `newsreader doctor` again when it is done"
        )
        return True
    if any(word in text for word in ("readonly", "read-only", "unable to open", "ermission")):
        if not result.blocked:
            result.blocked.append(_permissions(result.path, f"it cannot be opened ({text})"))
        return True
    return False


def _read_only(path: Path) -> str | None:
    """Why newsreader could not write to this library, if it could not."""
    if not os.access(path, os.W_OK):
        return "the library file is read-only"
    if not os.access(path.parent, os.W_OK):
        return f"its folder ({path.parent}) is read-only"
    return None


def _permissions(path: Path, why: str) -> str:
    return (
        f"{why}: this is not damage, but newsreader cannot save reading state there."
        " Check the permissions of the file and its folder (or whether the disk is"
        " mounted read-only); `--recover` would not help"
    )


def rebuild_index(path: Path) -> int:
    """Index every article afresh; returns how many."""
    with Library(path) as library, library.holding("`newsreader doctor --rebuild-index`"):
        return library.rebuild_index()


def finish_index(path: Path, progress: Callable[[int, int], None] | None = None) -> int:
    """Index the articles search does not cover yet (an import or upgrade left them);
    returns how many."""
    from reader.library.processes import index_pool

    with Library(path) as library, library.holding("`newsreader doctor`") as job:

        def indexed(done: int, total: int) -> None:
            job.progress("indexing", done, total)
            if progress:
                progress(done, total)

        with index_pool(library.unindexed()) as pool:
            return library.index_pending(indexed, pool)
