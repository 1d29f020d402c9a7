"""What goes wrong with a library file, in words a reader can act on."""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

FULL = 1 << 20  # bytes free below which a failed write is taken for a full disk


class LibraryError(Exception):
    """A library file that cannot be used; str() says which and why."""


class SyncError(Exception):
    """A sync server's call that failed; str() names the server and the cause; `code`,
    the HTTP status if there was one."""

    def __init__(self, message: str, code: int | None = None) -> None:
        super().__init__(message)
        self.code = code


class Unauthorized(SyncError):
    """The server refused the user name or the API password."""


class FeedError(ValueError):
    """A feed that cannot be added, found or read; str() says why."""


# What the library's storage raises when a statement fails (a full disk, a read-only file,
# another writer holding it too long): SQLite's errors, named so the UI needs no sqlite3.
StorageError = sqlite3.Error


def explain(exc: sqlite3.Error | OSError, where: Path | None = None) -> str:
    """What an SQLite (or file) error means for the user, and what to do. `where`, the
    library: SQLite says "disk I/O error" when its `-wal` or `-shm` file cannot grow."""
    if isinstance(exc, OSError):
        text = "database or disk is full" if exc.errno == errno.ENOSPC else exc.strerror or ""
    else:
        text = str(exc)
    if "I/O error" in text and where is not None and _free(where) < FULL:
        text = "database or disk is full"
    if "full" in text:
        return "the disk is full: the step that failed wrote nothing; free some space and retry"
    if "readonly" in text or "read-only" in text:
        return "the library is read-only: check the permissions of the file and its folder"
    if "unable to open" in text:
        return "cannot open the library file: check that its folder exists and is writable"
    if "locked" in text or "busy" in text:
        return "another program keeps the library busy; try again in a moment"
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return (
            f"the library file is damaged ({text}): `newsreader doctor` checks it and "
            "`newsreader doctor --recover` saves your reading state into a fresh library"
        )
    return text


def _free(path: Path) -> int:
    try:
        info = os.statvfs(path.parent)
    except OSError:
        return FULL
    return info.f_bavail * info.f_frsize
