"""Taking turns at the library's write lock.

SQLite lets one process write at a time, and its busy handler looks again only every
100 ms: a long job that commits and begins again at once would keep everyone else out
for as long as it runs. So our writers take turns:

- a long job writes in slices (`Library.slices`) of at most `SLICE` seconds;
- a writer kept waiting looks again every few milliseconds and leaves a `-waiting` file
  beside the library; after each commit, a writer that sees a fresh one steps aside for
  `GIVE_WAY` seconds, so the one waiting gets in;
- a long job names itself in a `-busy` file, so the one waiting can say what it waits for.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from reader.library.text import clean_line

SLICE = 0.4  # seconds a long job holds the write lock at most, before it commits
GIVE_WAY = 0.05  # seconds a writer steps aside after a commit when another one waits
STEP = 0.005  # seconds between two looks at a busy lock
FRESH = 1.0  # a `-waiting` file older than this is a waiter that is gone


def waiting_file(library: Path) -> Path:
    return Path(f"{library}-waiting")


def busy_file(library: Path) -> Path:
    return Path(f"{library}-busy")


def is_busy(exc: sqlite3.Error) -> bool:
    return "locked" in str(exc) or "busy" in str(exc)


def begin(
    db: sqlite3.Connection,
    library: Path,
    limit: float | None,
    on_wait: Callable[[float], None] | None = None,
) -> None:
    """BEGIN IMMEDIATE, waiting for another writer up to `limit` seconds (None: as long as
    it takes). `on_wait(seconds waited)` is called while it waits."""
    db.execute("PRAGMA busy_timeout = 0")  # the looking again is done here, more often
    try:
        started = None
        while True:
            try:
                db.execute("BEGIN IMMEDIATE")
                break
            except sqlite3.OperationalError as exc:
                if not is_busy(exc):
                    raise
                now = time.monotonic()
                started = started or now
                if limit is not None and now - started > limit:
                    raise
                with contextlib.suppress(OSError):
                    waiting_file(library).touch()
                if on_wait is not None:
                    on_wait(now - started)
                time.sleep(STEP)
        if started is not None:
            with contextlib.suppress(OSError):
                waiting_file(library).unlink()
    finally:
        db.execute("PRAGMA busy_timeout = 10000")


def give_way(library: Path) -> None:
    """After a commit: let a writer that is waiting in (it looks again every `STEP`)."""
    try:
        touched = waiting_file(library).stat().st_mtime
    except OSError:
        return
    if time.time() - touched < FRESH:
        time.sleep(GIVE_WAY)


class Busy(NamedTuple):
    """A long job of ours that holds the library: what it is and how far it has come."""

    what: str  # "an import"
    stage: str = ""  # "listing", "indexing"; "" when the job has no stages
    done: int = 0
    total: int = 0


class Holding:
    """The `-busy` marker of a running job; `progress()` updates what it says."""

    def __init__(self, library: Path, what: str) -> None:
        self.marker, self.what, self.pid = busy_file(library), what, os.getpid()
        self.shown, self.stage = 0.0, ""

    def progress(self, stage: str = "", done: int = 0, total: int = 0, every: float = 0.2) -> None:
        """Say how far the job has come (at most every `every` seconds within a stage, as
        a whole file: a reader never sees half of one)."""
        now = time.monotonic()
        if now - self.shown < every and done < total and stage == self.stage:
            return
        self.shown, self.stage = now, stage
        import json

        data = {"pid": self.pid, "what": self.what, "stage": stage, "done": done, "total": total}
        draft = self.marker.with_name(f"{self.marker.name}.{self.pid}")
        with contextlib.suppress(OSError):  # (a read-only folder: the job says so itself)
            draft.write_text(json.dumps(data), encoding="utf-8")
            os.replace(draft, self.marker)


@contextlib.contextmanager
def holding(library: Path, what: str) -> Iterator[Holding]:
    """Name a long job (`an import`) for whoever waits for the library meanwhile."""
    job = Holding(library, what)
    job.progress(every=0)
    try:
        yield job
    finally:
        with contextlib.suppress(OSError):
            if _marker_pid(library) == job.pid:
                job.marker.unlink()


def _marker(library: Path) -> dict[str, Any] | None:
    """What the `-busy` marker says (whoever wrote it, running or not), or None."""
    import json  # (not at start: the app's first paint does not need it)

    try:
        data = json.loads(busy_file(library).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _marker_pid(library: Path) -> int | None:
    try:
        return int((_marker(library) or {})["pid"])
    except (KeyError, TypeError, ValueError):
        return None


def alive(pid: int) -> bool:
    """Whether process `pid` runs (on this machine)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def busy(library: Path) -> Busy | None:
    """The long job of ours that holds the library, while it runs."""
    data = _marker(library)
    try:
        if data is None or not alive(int(data["pid"])):
            return None
        what = clean_line(str(data["what"]))[:60]
        stage = clean_line(str(data.get("stage", "")))[:20]
        return Busy(what, stage, int(data.get("done", 0)), int(data.get("total", 0)))
    except (ValueError, KeyError, TypeError):
        return None


def holder(library: Path) -> str | None:
    """What holds the library, when one of our long jobs does and is still running."""
    job = busy(library)
    return job.what if job and job.what else None


SHM_DMS = 128  # the byte of `-shm` every SQLite connection to the library holds a read lock on


def in_use(library: Path) -> bool:
    """Whether another process has the library open (the app, an import): SQLite's
    connections hold a shared lock on one byte of the `-shm` file while open. Call it
    only when this process has no connection to the library open: closing the file
    here would drop that connection's locks (POSIX locks are per process)."""
    import fcntl

    try:
        fd = os.open(f"{library}-shm", os.O_RDWR)
    except OSError:
        return False  # no -shm: nobody has it open (in WAL mode)
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, SHM_DMS)
    except OSError:
        return True
    else:
        fcntl.lockf(fd, fcntl.LOCK_UN, 1, SHM_DMS)
        return False
    finally:
        os.close(fd)


def rebuild_file(library: Path) -> Path:
    return Path(f"{library}-rebuilding")


@contextlib.contextmanager
def rebuilding(library: Path) -> Iterator[None]:
    """Hold `LIBRARY-rebuilding` locked while the search index is rebuilt, so others can
    tell one runs (a lock dies with its process: a pid in a file could be reused). Raises
    BlockingIOError when another rebuild runs."""
    import fcntl

    marker = rebuild_file(library)
    fd = os.open(marker, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        try:
            yield
        finally:
            with contextlib.suppress(OSError):
                marker.unlink()
    finally:
        os.close(fd)


def rebuild_runs(library: Path) -> bool:
    """Whether a rebuild of the search index runs now (in any process; BSD locks, so a
    test from the rebuilding process itself does not release its lock)."""
    import fcntl

    try:
        fd = os.open(rebuild_file(library), os.O_RDWR)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)
