"""A first big import writes its rows without the list's indexes and builds them after
(deferred.py); a killed one leaves a note, and the next open builds them, not while an
import runs. Queries answer the same meanwhile."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_crash import REPO, Corpus, Watcher, corpus_in, import_all, kills, run_state

from reader.library import Library, import_paths
from reader.library import ingest as ingest_module
from reader.library.deferred import DEFERRED, SET_ASIDE, pending, set_aside
from reader.library.query import parse


def write(posts: Path, count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        (posts / f"2024-{n % 12 + 1:02d}-{n % 28 + 1:02d}-p{n}.md").write_text(
            f"---\ntitle: 第{n}篇 post {n}\ntags: [t{n % 5}]\ncategories: [c{n % 3}]\n---\n"
            f"正文 {n} 汇率 body\n",
            encoding="utf-8",
        )


def indexes(db: sqlite3.Connection) -> set[str]:
    return {n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}


def fresh_indexes(tmp_path: Path) -> set[str]:
    with Library(tmp_path / "fresh.db") as fresh:
        return indexes(fresh.db)


def answers(library: Library) -> tuple[object, ...]:
    """What the app asks of a library: the list, its counts, a search."""
    return (
        library.ids(),
        library.ids(order="title"),
        [(s.id, s.title) for s in library.summaries(limit=20)],
        library.facets("tag"),
        library.facets("category"),
        library.view_counts(),
        library.search(parse("汇率 tag:t2")),
        library.count(),
    )


@pytest.fixture
def spied(monkeypatch: pytest.MonkeyPatch) -> list[set[str]]:
    """The indexes there each time the importer writes new articles."""
    seen: list[set[str]] = []
    add = Library.add_articles

    def spy(self: Library, *args: object, **kwargs: object) -> list[int]:
        seen.append(indexes(self.db))
        return add(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Library, "add_articles", spy)
    return seen


def test_a_first_big_import_writes_its_rows_first_and_builds_the_list_indexes_after(
    tmp_path: Path, posts: Path, monkeypatch: pytest.MonkeyPatch, spied: list[set[str]]
) -> None:
    write(posts, 60)
    monkeypatch.setattr(ingest_module, "DEFER_FROM", 50)
    with Library(tmp_path / "deferred.db") as library:
        assert import_paths(library, [posts], jobs=1).new == 60
        assert spied and all(not (seen & set(DEFERRED)) for seen in spied)
        assert indexes(library.db) == fresh_indexes(tmp_path)
        assert library.setting(SET_ASIDE) is None
        deferred = answers(library)
    monkeypatch.setattr(ingest_module, "DEFER_FROM", 10**9)
    with Library(tmp_path / "kept.db") as library:
        import_paths(library, [posts], jobs=1)
        assert answers(library) == deferred


def test_an_import_below_the_threshold_or_into_a_library_with_articles_keeps_its_indexes(
    library: Library, posts: Path, monkeypatch: pytest.MonkeyPatch, spied: list[set[str]]
) -> None:
    write(posts, 20)
    monkeypatch.setattr(ingest_module, "DEFER_FROM", 50)
    import_paths(library, [posts], jobs=1)  # 20 < 50
    write(posts, 60, start=20)
    import_paths(library, [posts], jobs=1)  # 60 new, but the library has articles
    assert len(spied) >= 2 and all(set(DEFERRED) <= seen for seen in spied)
    assert library.count() == 80


def test_what_a_killed_import_set_aside_is_built_at_the_next_open_not_while_one_runs(
    tmp_path: Path, posts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "lib.db"
    write(posts, 30)
    with Library(db) as library:
        assert set_aside(library)
        with monkeypatch.context() as killed:  # (as an import killed before it built them)
            killed.setattr(ingest_module, "build_set_aside", lambda library: 0)
            import_paths(library, [posts], jobs=1)
        assert not indexes(library.db) & set(DEFERRED) and len(pending(library)) == len(DEFERRED)
        meanwhile = answers(library)
        with library.holding("an import"), Library(db) as other:  # (as while one runs)
            assert not indexes(other.db) & set(DEFERRED)
            assert answers(other) == meanwhile
    with Library(db) as library:
        assert indexes(library.db) == fresh_indexes(tmp_path)
        assert library.setting(SET_ASIDE) is None
        assert answers(library) == meanwhile
        assert not set_aside(library)  # it has articles now


# Short batches, and every import of 50 files or more sets the indexes aside.
FIRST_IMPORT = (
    "import runpy; import reader.library.ingest as ingest; ingest.DEFER_FROM = 50;"
    " ingest.FIRST = 50; ingest.BATCH = 100; ingest.FLUSH = 0.05;"
    " runpy.run_module('reader', run_name='__main__')"
)


@kills
def test_a_first_import_killed_while_its_indexes_are_aside_leaves_a_library_that_works(
    tmp_path: Path,
) -> None:
    corpus: Corpus = corpus_in(tmp_path)
    corpus.write(range(1500))
    db = tmp_path / "lib.db"
    Library(db).close()
    with open(tmp_path / "run.log", "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-c", FIRST_IMPORT, "--library", str(db), "import"]
            + [str(corpus.folder), "--jobs", "2", "--quiet"],
            cwd=REPO, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    watcher = Watcher(db, process.pid)
    try:
        deadline = time.monotonic() + 120  # only against a hang
        while time.monotonic() < deadline and process.poll() is None:
            if 0 < watcher.look().articles < 1500 and not indexes(watcher.reader) & set(DEFERRED):
                os.killpg(process.pid, signal.SIGKILL)
                break
            time.sleep(0.002)
        process.wait(timeout=60)
        assert process.returncode == -signal.SIGKILL, "never killed while listing"
        while run_state(process.pid) not in "XZ?":
            time.sleep(0.01)
    finally:
        watcher.close()

    check = sqlite3.connect(db)
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    listed = check.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert 0 < listed < 1500 and not indexes(check) & set(DEFERRED)
    check.close()
    with Library(db) as library:  # the next open builds them
        assert indexes(library.db) == fresh_indexes(tmp_path)
        assert library.count() == listed
    counts = import_all(db, corpus.folder)
    assert counts["new"] == 1500 - listed and counts["errors"] == 0
    with Library(db) as library:
        assert library.count() == 1500 and library.unindexed() == 0
        assert indexes(library.db) == fresh_indexes(tmp_path)
