"""The state journal: the reader's state, kept a second time outside the library file.

Every change to read marks, bookmarks, notes, tags and saved searches is appended to
`LIBRARY.state-journal` (one JSON object a line, fsynced) inside the transaction that
makes it, so the journal's order is the library's commit order. Whatever happens to the
library file, `doctor --recover` finds the last state of every article here. The
journal is rewritten with only the last entry of each article once it has doubled.

An article's entry has the fields of `export-state`'s file (uid, path, hash, title,
date, read, bookmarked, note, tags, hidden_tags); a saved search's is {saved, query},
with a null query once it is deleted.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from reader.library.models import ArticleState

FORMAT = 1
COMPACT_FROM = 1 << 20  # bytes: a smaller journal is never rewritten


def journal_path(library: Path) -> Path:
    return Path(f"{library}.state-journal")


def entry(identity: tuple[str, str, str, str, str], state: ArticleState) -> dict[str, Any]:
    """The journal entry of one article's state; `identity` is (uid, path, hash, title, date)."""
    uid, path, digest, title, date = identity
    return {
        "uid": uid,
        "path": path,
        "hash": digest,
        "title": title,
        "date": date,
        "read": state.read,
        "bookmarked": state.bookmarked,
        "note": state.note,
        "tags": list(state.user_tags),
        "hidden_tags": list(state.hidden_tags),
    }


def _lines(entries: list[dict[str, Any]]) -> bytes:
    import json  # (not at start: the app's first paint does not need it)

    text = "".join(json.dumps(e, ensure_ascii=False, separators=(",", ":")) + "\n" for e in entries)
    return text.encode("utf-8")


def append(path: Path, entries: list[dict[str, Any]]) -> int:
    """Add entries and fsync them; returns the journal's size. Raises OSError."""
    data = _lines(entries)
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":  # a line cut short by a crash
            data = b"\n" + data
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
        return size + len(data)
    finally:
        os.close(fd)


def write(path: Path, entries: list[dict[str, Any]], only_new: bool = False) -> int:
    """Write a whole journal at once (a fresh one, or a compacted one); returns its size.
    With `only_new`, a journal already there is left alone (and 0 returned)."""
    with _draft(path, entries) as temporary:
        if only_new:
            try:
                os.link(temporary, path)  # (fails when it exists: never two at once)
            except FileExistsError:
                return 0
            except OSError:  # no hard links (FAT, some FUSE): the caller holds the lock
                if path.exists():
                    return 0
            else:
                _sync_folder(path)
                return path.stat().st_size
        return _put(temporary, path)


@contextlib.contextmanager
def _draft(path: Path, entries: list[dict[str, Any]]) -> Iterator[Path]:
    """A journal of `entries`, on disk beside `path` under a temporary name (gone after)."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "wb") as file:
            file.write(_lines([{"newsreader_journal": FORMAT}, *entries]))
            file.flush()
            os.fsync(file.fileno())
        yield temporary
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink()


def _put(temporary: Path, path: Path) -> int:
    """The draft in the journal's place, durably; returns its size."""
    os.replace(temporary, path)
    _sync_folder(path)
    return path.stat().st_size


def _sync_folder(path: Path) -> None:
    with contextlib.suppress(OSError):  # the new name, durable too
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


class Contents:
    """What a journal says: the last entry of each article and saved search, in the
    order they were last written; `bad` lines that could not be read are skipped."""

    def __init__(self) -> None:
        self.articles: dict[tuple[str, str], dict[str, Any]] = {}
        self.saved: dict[str, str | None] = {}
        self.bad = 0


def read(path: Path) -> Contents:
    """Everything the journal says (a line cut short by a crash counts as bad)."""
    return scan(path)[0]


def scan(
    path: Path, start: int = 0, into: Contents | None = None, whole: bool = True
) -> tuple[Contents, int]:
    """The journal's entries from byte `start` on (added to `into`), and the offset read
    up to: its end, or with `whole=False` the end of its last complete line (another
    program may be writing the next one)."""
    import json

    contents = into or Contents()
    try:
        with open(path, "rb") as file:
            file.seek(start)
            data = file.read()
    except FileNotFoundError:
        return contents, start
    if not whole:
        data = data[: data.rfind(b"\n") + 1]
    for line in data.splitlines():
        try:
            item = json.loads(line)
        except ValueError:
            contents.bad += bool(line.strip())
            continue
        if not isinstance(item, dict):
            contents.bad += 1
        elif "saved" in item:
            name, query = item.get("saved"), item.get("query")
            if isinstance(name, str) and (query is None or isinstance(query, str)):
                contents.saved.pop(name, None)
                contents.saved[name] = query
            else:
                contents.bad += 1
        elif isinstance(item.get("uid"), str) or isinstance(item.get("path"), str):
            key = (str(item.get("uid")), str(item.get("path")))
            contents.articles.pop(key, None)
            contents.articles[key] = item
        elif "newsreader_journal" not in item:
            contents.bad += 1
    return contents, start + len(data)


def compact(path: Path, locked: Callable[[], AbstractContextManager[object]]) -> int:
    """Rewrite the journal with only the last entry of each article and saved search;
    returns its new size. Reading and writing that take seconds for 100,000 articles,
    they are done first; then, inside `locked()` (the library's write lock, so nothing is
    appended meanwhile), the lines added since are copied over and the file replaced."""
    before = path.stat()
    contents, offset = scan(path, whole=False)
    saved = [{"saved": name, "query": query} for name, query in contents.saved.items()]
    with _draft(path, [*contents.articles.values(), *saved]) as temporary, locked():
        now = path.stat()
        if now.st_ino != before.st_ino or now.st_size < offset:
            return now.st_size  # another program compacted it meanwhile
        with open(path, "rb") as file:
            file.seek(offset)
            since = file.read()  # (later lines win over the compacted ones: kept last)
        if since:
            with open(temporary, "ab") as file:
                file.write(since if since.endswith(b"\n") else since + b"\n")
                file.flush()
                os.fsync(file.fileno())
        return _put(temporary, path)
