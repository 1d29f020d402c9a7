"""Crash safety: SIGKILL the importer (and a schema migration) at chosen moments, and write
from several processes at once. The library stays valid, an import run again completes it,
and the reader's own state (read marks, bookmarks, notes, tags) is never touched.

Kill points are phases seen from outside, as another process sees them: the committed
article count (a read-only connection), the write lock (a probe with no busy timeout), the
WAL's size and the importer's parser processes (/proc). At a kill point the importer is
stopped first and looked at again, so it dies exactly in the phase the point names.
A kill can only leave a state that was committed, so readers watching an uninterrupted run
check the states between the kill points. (A migration step that raises is rolled back:
test_migrations covers that in-process.)
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from library_helpers import index_consistent, post

from reader.library import ArticleState, Library
from reader.library import store as store_module
from reader.library.body import shown, unpacked
from reader.library.schema import SCHEMA_VERSION

REPO = Path(__file__).resolve().parents[2]
# The kill tests send SIGSTOP/SIGKILL to process groups and watch the importer in /proc.
WATCHABLE = Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").exists()
kills = pytest.mark.skipif(not WATCHABLE, reason="signals process groups, watches /proc (Linux)")

BASE = 600  # posts imported (and given user state) before the killed imports
NEW = 2900  # posts added afterwards: with the edited ones, a first batch of 2000 and ~1000
NOT_ARTICLES = {"2015/cover.png": b"\x89PNG\r\n\x1a\n" + bytes(64), "notes.json": b"{}"}
SPILLED = 128 * 1024  # WAL bytes that only a big uncommitted transaction writes
Process = subprocess.Popen[Any]


# ---- generated posts ----------------------------------------------------------------------------


def generated(n: int, edition: int = 1, paragraphs: int = 5) -> tuple[str, str, str]:
    """(relative path, text, title) of post `n`; a later edition is the same post edited."""
    folder = f"{2015 + n % 6}"
    edited = f" (修订 {edition})" if edition > 1 else ""
    if n % 5 == 4:  # every fifth post is an HTML page without front matter
        title = f"报道 {n}{edited}"
        body = "".join(f"<p>美元指数上涨，<b>words</b> {n}.{i}</p>" for i in range(paragraphs - 1))
        html = f"<html><body><h1>{title}</h1><p>人民币汇率 zebra</p>{body}</body></html>"
        return f"{folder}/p{n:05d}.html", html, title
    title = (f"新闻 {n}" if n % 3 == 0 else f"Post {n}") + edited
    lines = [
        f"Paragraph zebra {n}{edited}.",
        *(f"美元指数上涨 {n}，*强调* {i}。" for i in range(paragraphs)),
    ]
    text = post(
        title,
        "\n\n".join(lines),
        tags=(f"t{n % 7}", "新闻"),
        categories=("经济",),
        date=f"2021-{n % 12 + 1:02d}-{n % 28 + 1:02d}",
    )
    return f"{folder}/p{n:05d}.md", text, title


@dataclass
class Corpus:
    """Generated posts under `folder`, with the titles each path may be stored under."""

    folder: Path
    paragraphs: int = 5
    titles: dict[str, list[str]] = field(default_factory=dict)  # path -> titles, newest last

    def path(self, n: int) -> str:
        return str(self.folder / generated(n)[0])

    def write(self, numbers: Iterable[int], edition: int = 1) -> list[str]:
        written = []
        for n in numbers:
            name, text, title = generated(n, edition, self.paragraphs)
            path = self.folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            self.titles.setdefault(str(path), []).append(title)
            written.append(str(path))
        return written

    def write_others(self) -> None:
        for name, data in NOT_ARTICLES.items():
            (self.folder / name).write_bytes(data)


def corpus_in(tmp_path: Path, paragraphs: int = 5) -> Corpus:
    folder = (tmp_path / "posts").resolve()  # the importer stores resolved paths
    folder.mkdir()
    return Corpus(folder, paragraphs)


# ---- running newsreader -------------------------------------------------------------------------


@pytest.fixture
def started() -> Iterator[list[Process]]:
    """Processes started in their own sessions; whatever is left of their groups is killed."""
    processes: list[Process] = []
    yield processes
    for process in processes:
        if hasattr(os, "killpg"):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)  # parser processes a kill left behind
        else:  # pragma: no cover - Windows
            process.kill()
        process.wait(timeout=60)


# Batches as big as an import's memory allows (BATCH): the kill points look for a first
# batch that spilled into the WAL before its commit, which a 0.4 s slice may not; and
# SQLite's default page cache (with the import's 64 MB one, a batch reaches the WAL only
# as it commits, too short a moment to catch on a busy machine).
LONG_SLICES = (
    "import runpy, sys, contextlib; import reader.library.store as store; store.SLICE = 600.0;"
    " store.Library.bulk = lambda self: contextlib.nullcontext();"
    " import reader.library.ingest as ingest; ingest.FLUSH = 600.0; ingest.FIRST = 2000;"
    " runpy.run_module('reader', run_name='__main__')"
)


def newsreader(started: list[Process], log: Path, *args: str) -> Process:
    """Start `newsreader ARGS` in a new session (its own process group), output to `log`."""
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-c", LONG_SLICES, *args],
            cwd=REPO,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    started.append(process)
    return process


SUMMARY = re.compile(
    r"(?P<new>\d+) new, (?P<updated>\d+) updated, (?P<unchanged>\d+) unchanged, "
    r"(?P<skipped>\d+) skipped.*, (?P<warnings>\d+) warnings?, (?P<errors>\d+) errors?"
)


def import_all(db: Path, folder: Path) -> dict[str, int]:
    """An uninterrupted `newsreader import`: the counts of its summary line."""
    done = subprocess.run(
        [sys.executable, "-m", "reader", "--library", str(db), "import", str(folder)]
        + ["--jobs", "2", "--quiet"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return summary(done.stdout)


def summary(output: str) -> dict[str, int]:
    """The counts of an import's summary line."""
    found = SUMMARY.search(output)
    assert found, output
    counts = {key: int(value) for key, value in found.groupdict().items()}
    counts["missing"] = int(m[1]) if (m := re.search(r"(\d+) missing", output)) else 0
    return counts


# ---- watching a process from outside ------------------------------------------------------------


def workers_of(pid: int) -> tuple[int, ...]:
    found: list[int] = []
    with contextlib.suppress(OSError):
        for task in os.listdir(f"/proc/{pid}/task"):
            with contextlib.suppress(OSError):
                found += map(int, Path(f"/proc/{pid}/task/{task}/children").read_text().split())
    return tuple(found)


def holds_open(pid: int, path: Path) -> bool:
    target = os.path.realpath(path)
    with contextlib.suppress(OSError):
        for fd in os.listdir(f"/proc/{pid}/fd"):
            with contextlib.suppress(OSError):
                if os.readlink(f"/proc/{pid}/fd/{fd}") == target:
                    return True
    return False


def run_state(pid: int) -> str:
    """The process's state letter (R, S, T when stopped, Z...), or X once it is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return "X"


def alive(pids: Iterable[int]) -> list[int]:
    return [pid for pid in pids if run_state(pid) not in "ZX"]


@dataclass(frozen=True, slots=True)
class Seen:
    """One look at a running newsreader process and its library."""

    articles: int  # committed articles beyond those there when it started
    version: int  # committed schema version
    wal: int  # bytes in the -wal file
    workers: tuple[int, ...]  # its parser processes
    parsed: bool  # parser processes have been seen in this run
    opened: bool  # it holds the library file open
    writing: bool  # a connection holds the write lock
    unindexed: int = 0  # committed articles not in the search index yet
    total: int = 0  # committed articles


class Watcher:
    """Looks at one process's library as other processes would: it never waits on a lock."""

    def __init__(self, db: Path, pid: int) -> None:
        self.db, self.pid, self.parsed = db, pid, False
        self.reader = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
        self.prober = sqlite3.connect(db, timeout=0, isolation_level=None)
        self.start = self._articles()

    def _articles(self) -> int:
        return self.reader.execute("SELECT count(*) FROM articles").fetchone()[0]

    def _writing(self) -> bool:
        try:
            self.prober.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc):
                return True
            raise
        self.prober.execute("ROLLBACK")
        return False

    def look(self) -> Seen:
        workers = workers_of(self.pid)
        self.parsed = self.parsed or bool(workers)
        wal = Path(f"{self.db}-wal")
        total = self._articles()
        return Seen(
            articles=total - self.start,
            total=total,
            version=self.reader.execute("PRAGMA user_version").fetchone()[0],
            wal=wal.stat().st_size if wal.exists() else 0,
            workers=workers,
            parsed=self.parsed,
            opened=holds_open(self.pid, self.db),
            writing=self._writing(),
            unindexed=self._unindexed(),
        )

    def _unindexed(self) -> int:
        try:
            return self.reader.execute(
                "SELECT count(*) FROM articles WHERE indexed = 0"
            ).fetchone()[0]
        except sqlite3.OperationalError:  # a library before schema 9
            return 0

    def close(self) -> None:
        self.reader.close()
        self.prober.close()


@dataclass(frozen=True, slots=True)
class KillPoint:
    name: str
    ready: Callable[[Seen], bool]
    group: bool = True  # SIGKILL the process group (as a terminal would), else the importer only

    def __str__(self) -> str:
        return self.name + ("" if self.group else " (importer only)")


def kill_at(point: KillPoint, process: Process, db: Path) -> Seen:
    """Watch `process` until `point` is ready, stop it, check again, and SIGKILL it there."""
    watcher = Watcher(db, process.pid)
    try:
        deadline = time.monotonic() + 120  # only against a hang: no timing is asserted
        while time.monotonic() < deadline:
            if process.poll() is not None:
                break
            if point.ready(watcher.look()):
                os.kill(process.pid, signal.SIGSTOP)
                while run_state(process.pid) not in "TtZX":
                    time.sleep(0.0005)
                seen = watcher.look()  # it cannot move now: this is where it dies
                if point.ready(seen):
                    if point.group:
                        os.killpg(process.pid, signal.SIGKILL)
                    else:
                        os.kill(process.pid, signal.SIGKILL)
                    process.wait(timeout=60)
                    assert process.returncode == -signal.SIGKILL, f"{point}: not killed"
                    return seen
                os.kill(process.pid, signal.SIGCONT)
            time.sleep(0.002)
    finally:
        watcher.close()
    raise AssertionError(f"{point}: never reached (exit status {process.poll()})")


# ---- checking a library -------------------------------------------------------------------------

FINGERPRINTED = ("roots", "articles", "terms", "hidden_tags")
INDEX_TABLES = ("search_data", "search_idx", "search_docsize", "search_config")


def fingerprint(db: sqlite3.Connection, tables: Iterable[str]) -> str:
    """A digest of the tables' rows (a scan returns them in key order, whatever the pages)."""
    digest = hashlib.blake2b()
    for table in tables:
        digest.update(table.encode())
        for row in db.execute(f"SELECT * FROM {table}"):
            digest.update(repr(row).encode())
    return digest.hexdigest()


def user_state(library: Library) -> list[ArticleState]:
    """The state of every article that carries some (a fresh import carries none)."""
    ids = [i for (i,) in library.db.execute("SELECT id FROM articles ORDER BY id")]
    return [
        s
        for s in library.snapshot(ids)
        if s.read or s.bookmarked or s.note or s.user_tags or s.hidden_tags
    ]


@dataclass
class Expected:
    """What every look at the library must find, and the states already checked in full."""

    corpus: Corpus
    state: list[ArticleState]
    tmp_path: Path
    verified: set[str] = field(default_factory=set)

    def check(self, db: Path, where: str) -> int:
        """Integrity, every row a whole version of its file, the search index in step,
        user state as it was. Returns the article count."""
        with Library(db) as library:  # opening it is what the next newsreader does
            sql = library.db
            assert sql.execute("PRAGMA integrity_check").fetchall() == [("ok",)], where
            assert sql.execute("PRAGMA foreign_key_check").fetchall() == [], where
            rows = sql.execute("SELECT path, title FROM articles").fetchall()
            torn = [row for row in rows if row[1] not in self.corpus.titles.get(row[0], ())]
            assert torn == [], f"{where}: rows that are no version of their file"
            matched = sql.execute("SELECT count(*) FROM search WHERE search MATCH 'zebra'")
            assert matched.fetchone()[0] == len(rows) - library.unindexed(), (
                f"{where}: index and articles differ"
            )
            assert user_state(library) == self.state, f"{where}: the user's state changed"
            mark = fingerprint(sql, FINGERPRINTED + INDEX_TABLES)
            if mark not in self.verified:  # a state not seen before: compare with a rebuild
                try:
                    index_consistent(library, self.tmp_path)
                except AssertionError as exc:
                    raise AssertionError(f"{where}: the index differs from a rebuild") from exc
                self.verified.add(mark)
        return len(rows)


def empty_wal(db: Path) -> None:
    """Checkpoint all of the WAL into the library, so the next run starts at WAL size 0."""
    with contextlib.closing(sqlite3.connect(db)) as plain:
        plain.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def give_state(library: Library, corpus: Corpus, numbers: range) -> None:
    """Read marks, bookmarks with notes, user tags and a hidden source tag on some posts."""
    ids: dict[str, int] = dict(library.db.execute("SELECT path, id FROM articles"))

    def pick(rule: Callable[[int], bool]) -> list[int]:
        return [ids[corpus.path(n)] for n in numbers if rule(n)]

    library.set_read(pick(lambda n: n % 3 == 2))
    library.set_bookmark(pick(lambda n: n % 10 == 0), True, note="值得再读")
    for article in pick(lambda n: n % 10 == 5):
        library.set_note(article, f"笔记 {article}")
    library.tag(pick(lambda n: n % 4 == 1), add=["读过", "Keep"])
    for n in numbers:
        if n % 8 == 3 and n % 5 != 4:  # a source tag the user removed stays hidden
            library.tag([ids[corpus.path(n)]], remove=[f"t{n % 7}"])


# ---- 1. kills during an import ------------------------------------------------------------------

# In order: each run imports what the killed runs before it left undone. The first batch of
# the import is 2000 files; the library's state changes only when a batch commits.
KILL_POINTS = (
    KillPoint("interpreter starting", lambda s: True),
    KillPoint("library open, not yet parsing", lambda s: s.opened and not s.parsed),
    KillPoint("parsing", lambda s: bool(s.workers) and not s.writing and s.articles == 0),
    KillPoint(
        "parsing",
        lambda s: bool(s.workers) and not s.writing and s.articles == 0,
        group=False,
    ),
    KillPoint(
        "first batch being written, none of it in the WAL yet",
        lambda s: s.writing and bool(s.workers) and s.articles == 0 and s.wal == 0,
    ),
    KillPoint(
        "first batch spilled into the WAL",
        lambda s: s.writing and s.articles == 0 and s.wal >= SPILLED,
        group=False,
    ),
    KillPoint(
        "first batch spilled into the WAL",
        lambda s: s.writing and s.articles == 0 and s.wal >= SPILLED,
    ),
    KillPoint(
        "second batch being written, after the first commit",
        lambda s: s.writing and 0 < s.articles < NEW,
    ),
    KillPoint(
        "last slice being written, parsing done",
        lambda s: s.writing and s.parsed and not s.workers and s.articles < NEW,
    ),
    KillPoint(
        "indexing: every article listed, the index being written",
        # (the indexing stage has parser processes of its own: they may be running)
        lambda s: s.writing and s.parsed and s.unindexed > 0 and s.total == BASE + NEW,
    ),
)


@kills
@pytest.mark.parametrize("points", [KILL_POINTS], ids=[f"{len(KILL_POINTS)}-kill-points"])
def test_an_import_killed_anywhere_leaves_a_valid_library_and_completes_when_run_again(
    tmp_path: Path, started: list[Process], points: tuple[KillPoint, ...]
) -> None:
    corpus = corpus_in(tmp_path)
    db = tmp_path / "lib.db"
    corpus.write(range(BASE))
    assert import_all(db, corpus.folder)["new"] == BASE
    with Library(db) as library:
        give_state(library, corpus, range(BASE))
        expected = Expected(corpus, user_state(library), tmp_path)
        paths: dict[int, str] = dict(library.db.execute("SELECT id, path FROM articles"))
    assert len(expected.state) > BASE / 2
    # New posts arrive; some imported ones are edited (their state must stay), some touched.
    corpus.write(range(BASE, BASE + NEW))
    edited = corpus.write([n for n in range(BASE) if n % 7 == 3], edition=2)
    assert {paths[s.article_id] for s in expected.state} & set(edited)
    for n in range(BASE):
        if n % 7 == 5:
            info = os.stat(corpus.path(n))
            os.utime(corpus.path(n), ns=(info.st_atime_ns, info.st_mtime_ns + 10**9))
    corpus.write_others()
    count = expected.check(db, "before any kill")
    assert count == BASE
    empty_wal(db)

    survived: list[str] = []
    for number, point in enumerate(points, 1):
        where = f"kill point {number} ({point})"
        process = newsreader(
            started, tmp_path / f"run-{number}.log",
            "--library", str(db), "import", str(corpus.folder), "--jobs", "2", "--quiet",
        )  # fmt: skip
        seen = kill_at(point, process, db)
        after = expected.check(db, where)
        assert count <= after <= BASE + NEW, f"{where}: {count} articles before, {after} after"
        assert after == count + seen.articles, f"{where}: not the state committed at the kill"
        count = after
        empty_wal(db)
        survived.append(str(point))
    assert survived == [str(p) for p in points]
    with Library(db) as library:
        assert library.unindexed() > 0  # the kills left work to do

    counts = import_all(db, corpus.folder)
    assert counts["errors"] == counts["warnings"] == counts["missing"] == 0, counts
    assert counts["new"] == BASE + NEW - count, counts
    assert counts["new"] + counts["updated"] + counts["unchanged"] == BASE + NEW, counts
    assert counts["skipped"] == len(NOT_ARTICLES), counts
    assert expected.check(db, "after the import ran to the end") == BASE + NEW
    with Library(db) as library:
        assert library.unindexed() == 0
    with Library(db) as library:
        stored = dict(library.db.execute("SELECT path, title FROM articles"))
    assert stored == {path: titles[-1] for path, titles in corpus.titles.items()}
    again = import_all(db, corpus.folder)
    assert (again["new"], again["updated"], again["unchanged"]) == (0, 0, BASE + NEW)


@kills
def test_parser_processes_do_not_outlive_a_killed_importer(
    tmp_path: Path, started: list[Process]
) -> None:
    corpus = corpus_in(tmp_path)
    corpus.write(range(600))
    db = tmp_path / "lib.db"
    process = newsreader(
        started, tmp_path / "run.log",
        "--library", str(db), "import", str(corpus.folder), "--jobs", "2", "--quiet",
    )  # fmt: skip
    workers: tuple[int, ...] = ()
    deadline = time.monotonic() + 60
    while not workers and process.poll() is None and time.monotonic() < deadline:
        workers = workers_of(process.pid)
        time.sleep(0.002)
    assert workers, "the import never started its parser processes"
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=60)
    deadline = time.monotonic() + 3  # generous: a parent-death check runs well within this
    while alive(workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert alive(workers) == []


# ---- 2. a kill during a schema migration --------------------------------------------------------


def make_version_5(source: Path, target: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`source`'s articles and state in a library made by the release with schema 5."""
    with monkeypatch.context() as patch:
        patch.setattr(store_module, "SCHEMA_VERSION", 5)
        Library(target).close()
    with contextlib.closing(sqlite3.connect(target, isolation_level=None)) as db:
        db.execute("ATTACH ? AS source", (str(source),))
        columns = ", ".join(row[1] for row in db.execute("PRAGMA main.table_info(articles)"))
        db.execute("BEGIN")
        db.execute("INSERT INTO main.roots SELECT * FROM source.roots")
        db.execute(f"INSERT INTO main.articles({columns}) SELECT {columns} FROM source.articles")
        for article_id, body in db.execute(  # schema 5 kept HTML posts as Markdown
            "SELECT id, body FROM main.articles WHERE typeof(body) = 'blob'"
        ).fetchall():
            markdown = shown(unpacked(body))[1]
            db.execute("UPDATE main.articles SET body = ? WHERE id = ?", (markdown, article_id))
        for table in ("terms", "hidden_tags", "settings", "saved_views"):
            db.execute(f"INSERT INTO main.{table} SELECT * FROM source.{table}")
        db.execute(  # schema 5 indexed articles under their ids
            "INSERT INTO main.search(rowid, title, body, tags, categories, note)"
            " SELECT id, title, body, tags, categories, note FROM source.articles"
        )
        db.execute("COMMIT")
        db.execute("DETACH source")


MIGRATION_POINTS = (
    KillPoint("migration to schema 6 begun", lambda s: s.writing and s.version == 5),
    KillPoint(
        "migration to schema 6 spilled into the WAL",
        lambda s: s.writing and s.version == 5 and s.wal >= SPILLED,
    ),
)


@kills
@pytest.mark.parametrize("points", [MIGRATION_POINTS], ids=[f"{len(MIGRATION_POINTS)}-kill-points"])
def test_a_migration_killed_midway_changes_nothing_and_completes_when_opened_again(
    tmp_path: Path,
    started: list[Process],
    monkeypatch: pytest.MonkeyPatch,
    points: tuple[KillPoint, ...],
) -> None:
    assert SCHEMA_VERSION >= 6  # step 6 (new index rowids, the whole index rebuilt) is killed
    corpus = corpus_in(tmp_path, paragraphs=40)  # long: the step spills before its commit
    corpus.write(range(800))
    current, db = tmp_path / "current.db", tmp_path / "old.db"
    import_all(current, corpus.folder)
    with Library(current) as library:
        give_state(library, corpus, range(800))
        state = user_state(library)
    make_version_5(current, db, monkeypatch)
    with monkeypatch.context() as patch:
        patch.setattr(store_module, "SCHEMA_VERSION", 5)
        with Library(db) as old:
            assert user_state(old) == state
            data = fingerprint(old.db, FINGERPRINTED)
            schema = old.db.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall()

    for number, point in enumerate(points, 1):
        where = f"kill point {number} ({point})"
        process = newsreader(started, tmp_path / f"run-{number}.log", "--library", str(db), "stats")
        kill_at(point, process, db)
        with contextlib.closing(sqlite3.connect(db)) as plain:
            assert plain.execute("PRAGMA integrity_check").fetchall() == [("ok",)], where
            assert plain.execute("PRAGMA foreign_key_check").fetchall() == [], where
            assert plain.execute("PRAGMA user_version").fetchone()[0] == 5, where
            now = plain.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall()
            assert now == schema, f"{where}: half a migration step was kept"
            assert fingerprint(plain, FINGERPRINTED) == data, f"{where}: data changed"
        empty_wal(db)

    # Run to the end, watched: a state a reader ever sees committed is one a kill could leave.
    log = tmp_path / "last-run.log"
    process = newsreader(started, log, "--library", str(db), "stats")
    seen: set[tuple[int, bool]] = set()  # (version, schema as it was)
    with contextlib.closing(sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)) as reader:
        deadline = time.monotonic() + 300  # only against a hang: no timing is asserted
        while process.poll() is None and time.monotonic() < deadline:
            reader.execute("BEGIN")
            version = reader.execute("PRAGMA user_version").fetchone()[0]
            now = reader.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall()
            reader.execute("COMMIT")
            seen.add((version, now == schema))
            time.sleep(0.001)
    assert process.wait(timeout=60) == 0, log.read_text(encoding="utf-8")
    assert (5, False) not in seen, "a reader saw half a migration step committed"
    assert (5, True) in seen  # it was watched from before the step
    with Library(db) as library:
        assert library.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert library.count() == 800
        assert library.db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert user_state(library) == state
        index_consistent(library, tmp_path)


# ---- 3. several processes at once ---------------------------------------------------------------

WRITER = """
import sys
from pathlib import Path
from reader.library import Library

db, name, ids, ready, stop = sys.argv[1:]
ids = [int(i) for i in ids.split(",")]
done = 0
with Library(db) as library:
    Path(ready).touch()
    while done < 200 or (not Path(stop).exists() and done < 3000):
        article = ids[done % len(ids)]
        library.set_bookmark([article], (done // len(ids)) % 2 == 0)
        library.tag([article], add=[f"{name}-{done}"], remove=[f"{name}-{done - 2 * len(ids)}"])
        done += 1
print(done)
"""


def written_by(name: str, ids: list[int], done: int) -> dict[int, tuple[bool, set[str]]]:
    """What WRITER leaves on its articles after `done` rounds: (bookmarked, user tags)."""
    state: dict[int, tuple[bool, set[str]]] = {}
    for n in range(done):
        article = ids[n % len(ids)]
        tags = state.get(article, (False, set()))[1] - {f"{name}-{n - 2 * len(ids)}"}
        state[article] = ((n // len(ids)) % 2 == 0, tags | {f"{name}-{n}"})
    return state


@dataclass
class Looks:
    """What a reader saw while the others wrote: each look one consistent snapshot."""

    articles: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def look(self, library: Library, watched: list[int]) -> None:
        db = library.db
        db.execute("BEGIN")  # one snapshot for all the counts below
        try:
            articles, held = db.execute("SELECT count(*), total(indexed) FROM articles").fetchone()
            indexed = db.execute("SELECT count(*) FROM search WHERE search MATCH 'zebra'")
            if (found := indexed.fetchone()[0]) != held:
                self.problems.append(f"{held} articles indexed, {found} in the index")
            for article in watched:
                row = db.execute("SELECT tags FROM articles WHERE id = ?", (article,)).fetchone()
                terms = db.execute(
                    "SELECT name FROM terms WHERE article_id = ? AND kind = 'tag'", (article,)
                )
                if set(filter(None, row[0].split("\x1f"))) != {t for (t,) in terms}:
                    self.problems.append(f"article {article}: tags column and terms differ")
        finally:
            db.execute("COMMIT")
        self.articles.append(articles)


def test_writers_and_an_import_at_once_lose_nothing_and_never_see_a_locked_library(
    tmp_path: Path, started: list[Process]
) -> None:
    corpus = corpus_in(tmp_path)
    db = tmp_path / "lib.db"
    corpus.write(range(600))
    import_all(db, corpus.folder)
    with Library(db) as library:
        ids: dict[str, int] = dict(library.db.execute("SELECT path, id FROM articles"))
        give_state(library, corpus, range(600))
        untouched = user_state(library)
    mine = {
        name: [ids[corpus.path(n)] for n in range(first, 600, 20)]
        for name, first in (("w1", 1), ("w2", 2))
    }
    # The import adds posts and re-imports (updates) the very articles the writers change.
    corpus.write(range(600, 3100))
    corpus.write(range(1, 600, 20), edition=2)
    corpus.write(range(2, 600, 20), edition=2)

    stop = tmp_path / "stop"
    writers = {}
    for name, articles in mine.items():
        ready = tmp_path / f"{name}.ready"
        writers[name] = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(db), name, ",".join(map(str, articles))]
            + [str(ready), str(stop)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        started.append(writers[name])
    deadline = time.monotonic() + 120  # only against a hang: no timing is asserted
    while not all((tmp_path / f"{name}.ready").exists() for name in mine):
        assert time.monotonic() < deadline, "the writers never started"
        assert all(w.poll() is None for w in writers.values()), "a writer failed to start"
        time.sleep(0.01)

    importer = newsreader(
        started, tmp_path / "import.log",
        "--library", str(db), "import", str(corpus.folder), "--jobs", "2",
    )  # fmt: skip
    looks = Looks()
    watched = [article for articles in mine.values() for article in articles]
    deadline = time.monotonic() + 300
    with Library(db) as reader:  # opened while the others write
        while importer.poll() is None:
            looks.look(reader, watched)
            assert time.monotonic() < deadline, "the import hangs"
            time.sleep(0.01)
        looks.look(reader, watched)
    stop.touch()
    outputs = {name: writer.communicate(timeout=300) for name, writer in writers.items()}

    log = (tmp_path / "import.log").read_text(encoding="utf-8")
    assert importer.returncode == 0, log
    assert "locked" not in log
    counts = summary(log)
    assert (counts["new"], counts["updated"], counts["unchanged"]) == (2500, 60, 540), counts
    assert counts["errors"] == counts["warnings"] == 0, counts
    for name, (out, err) in outputs.items():
        assert writers[name].returncode == 0, f"{name}: {err}"
        assert "locked" not in err, f"{name}: {err}"
        assert int(out) >= 200
    assert looks.problems == []
    assert looks.articles == sorted(looks.articles), "a reader saw the article count go down"
    assert looks.articles[-1] == 3100

    with Library(db) as library:
        assert library.db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert library.db.execute("PRAGMA foreign_key_check").fetchall() == []
        assert library.count() == 3100
        for name, articles in mine.items():
            for article, (bookmarked, tags) in written_by(
                name, articles, int(outputs[name][0])
            ).items():
                item = library.article(article)
                assert item is not None
                assert item.title.endswith("(修订 2)"), "the import's update was lost"
                assert item.bookmarked == bookmarked, f"{name}: article {article} bookmark"
                assert set(item.user_tags) - {"读过", "Keep"} == tags, f"{name}: {article} tags"
        others = [s for s in user_state(library) if s.article_id not in watched]
        assert others == [s for s in untouched if s.article_id not in watched]
        index_consistent(library, tmp_path)
