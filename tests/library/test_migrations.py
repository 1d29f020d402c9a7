"""Schema migrations: every older library upgrades in place, keeping the reader's state."""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
from pathlib import Path

import pytest
from library_helpers import index_consistent

from reader.library import Library, LibraryError, View
from reader.library import store as store_module
from reader.library.query import parse
from reader.library.schema import MIGRATIONS, SCHEMA_VERSION


def version(path: Path) -> int:
    with sqlite3.connect(path) as db:
        return db.execute("PRAGMA user_version").fetchone()[0]


def tables(db: sqlite3.Connection) -> set[str]:
    return {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def build_v1(path: Path, tags: tuple[str, ...] = ("Python", "外汇")) -> None:
    """A schema-1 library made by hand: two articles, one read and bookmarked."""
    db = sqlite3.connect(path)
    db.executescript(MIGRATIONS[0])
    db.execute("INSERT INTO roots(id, path, name) VALUES (1, '/old/posts', 'posts')")
    rows = [
        (1, "/old/posts/a.md", "h-a", "人民币汇率", "2022-05-24", 1653350400.0, "economy",
         "\x1f".join(tags), "美元指数上涨 zebra", 1, 1),
        (2, "/old/posts/b.md", "h-b", "Second", None, 1.0, "", "", "Other giraffe", 0, 0),
    ]  # fmt: skip
    db.executemany(
        "INSERT INTO articles(id, path, root_id, hash, title, date, sort_ts, categories, tags,"
        " body, read, bookmarked) VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    db.executemany(
        "INSERT INTO terms(article_id, kind, name) VALUES (1, ?, ?)",
        [("category", "economy"), *[("tag", t) for t in tags]],
    )
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()


def migrate_to(path: Path, number: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Upgrade with the real migrations, stopping at `number`, as that release would."""
    with monkeypatch.context() as patch:
        patch.setattr(store_module, "SCHEMA_VERSION", number)
        Library(path).close()
    assert version(path) == number


def add_v2_state(path: Path) -> None:
    """What a schema-2 release let the reader add: a note, a user tag, a hidden source tag."""
    with sqlite3.connect(path) as db:
        db.execute("UPDATE articles SET note = '值得一读' WHERE id = 1")
        db.execute(
            "INSERT INTO terms(article_id, kind, key, name, origin, pos)"
            " VALUES (1, 'tag', 'mine', 'mine', 'user', 0)"
        )
        db.execute("DELETE FROM terms WHERE article_id = 1 AND key = 'python'")
        db.execute("INSERT INTO hidden_tags(article_id, key) VALUES (1, 'python')")
        db.execute("UPDATE articles SET tags = '外汇\x1fmine' WHERE id = 1")
    db.close()


@pytest.mark.parametrize("start", range(1, SCHEMA_VERSION))
def test_each_older_schema_migrates_to_the_newest_keeping_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, start: int
) -> None:
    path = tmp_path / "old.db"
    build_v1(path)
    if start >= 2:
        migrate_to(path, 2, monkeypatch)
        add_v2_state(path)
    if start > 2:
        migrate_to(path, start, monkeypatch)

    with Library(path) as library:
        assert library.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert version(path) == SCHEMA_VERSION
        assert {"articles", "terms", "hidden_tags", "saved_views", "search"} <= tables(library.db)
        assert library.count() == 2
        # step 13 (folding) makes the index again: beside the app, or as doctor does
        assert library.unindexed() == 2
        assert library.coverage() == (
            "Search covers 0 of 2 articles: `newsreader doctor` indexes the other 2."
        )
        assert library.index_pending() == 2 and library.unindexed() == 0
        item = library.article(1)
        assert item is not None
        assert item.read and item.bookmarked
        assert item.title == "人民币汇率" and item.categories == ("economy",)
        assert item.uid == "file:h-a"
        if start >= 2:
            assert item.note == "值得一读"
            assert item.tags == ("外汇", "mine")
            assert item.user_tags == ("mine",) and item.hidden_tags == ("python",)
        else:
            assert item.tags == ("Python", "外汇")
            assert item.user_tags == () and item.hidden_tags == ()
        assert set(library.search(parse("汇率 zebra tag:外汇 cat:economy is:bookmarked"))) == {1}
        assert set(library.search(parse("giraffe is:unread"))) == {2}
        assert library.count(View("tag", "外汇")) == 1
        index_consistent(library, tmp_path)
        library.save_view("fx", "tag:外汇")
        assert library.count(View("saved", "fx")) == 1
        library.tag([1], add=["after upgrade"])
        library.set_note(2, "新笔记")
        assert set(library.search(parse("新笔记"))) == {2}
        index_consistent(library, tmp_path)
        # terms of any kind (step 11): an author, as an import would store one
        library.db.execute(
            "INSERT INTO terms(article_id, kind, key, name) VALUES (2, 'author', 'li', 'Li')"
        )
        assert library.count(View("author", "Li")) == 1
        assert library.article(2).extra == {"author": ("Li",)}  # type: ignore[union-attr]
    with Library(path) as again:  # and opening it again changes nothing
        assert again.article(1).tags[-1] == "after upgrade"  # type: ignore[union-attr]


@pytest.mark.parametrize("content", [None, b""])
def test_a_new_or_empty_file_becomes_a_library_at_the_newest_schema(
    tmp_path: Path, content: bytes | None
) -> None:
    path = tmp_path / "new.db"
    if content is not None:
        path.write_bytes(content)
    with Library(path) as library:
        assert library.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert library.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert library.count() == 0
        assert "article_text" not in tables(library.db)


def test_migrated_non_ascii_tags_match_ignoring_case(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    build_v1(path, tags=("ÜBER", "Straße"))
    with Library(path) as library:
        assert library.tagged("über") == [1]
        assert library.tagged("STRASSE") == [1]
        assert library.count(View("tag", "ÜBER")) == 1
        assert set(library.search(parse("tag:Über"))) == {1}


def test_a_failing_step_leaves_the_library_at_its_old_version(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    build_v1(path)
    with sqlite3.connect(path) as db:  # step 2 creates this index: make it fail half-way
        db.execute("CREATE INDEX articles_by_hash ON articles(hash)")
    db.close()
    with pytest.raises(LibraryError, match="old.db"):
        Library(path)
    assert version(path) == 1
    with sqlite3.connect(path) as db:
        columns = {row[1] for row in db.execute("PRAGMA table_info(articles)")}
        assert "note" not in columns and "uid" not in columns  # step 2 rolled back whole
        assert db.execute("SELECT read, bookmarked FROM articles WHERE id = 1").fetchone() == (
            1,
            1,
        )
    db.close()


def test_a_newer_library_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    Library(path).close()
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    assert not Path(f"{path}-wal").exists()
    before = path.read_bytes()
    with pytest.raises(LibraryError, match="newer") as caught:
        Library(path)
    assert str(path) in str(caught.value)
    assert path.read_bytes() == before
    assert not Path(f"{path}-wal").exists()


def test_a_newer_library_in_rollback_mode_is_not_switched_to_wal(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE articles (id INTEGER PRIMARY KEY, title TEXT)")
        db.execute("INSERT INTO articles VALUES (1, 'from the future')")
        db.execute("PRAGMA user_version = 99")
    db.close()
    before = path.read_bytes()
    with pytest.raises(LibraryError, match="newer"):
        Library(path)
    assert path.read_bytes() == before
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    db.close()


def _open_at_once(path: str, barrier: object, number: int) -> None:
    """Runs in a child process: wait for the others, then open and write."""
    barrier.wait()  # type: ignore[attr-defined]
    with Library(path) as library:
        library.save_view(f"view {number}", f"tag:t{number}")


@pytest.mark.parametrize("trial", range(3))
def test_processes_opening_a_new_library_at_once_all_succeed(tmp_path: Path, trial: int) -> None:
    context = multiprocessing.get_context("spawn")
    path = tmp_path / f"race-{trial}.db"
    barrier = context.Barrier(4)
    children = [
        context.Process(target=_open_at_once, args=(str(path), barrier, n)) for n in range(4)
    ]
    for child in children:
        child.start()
    for child in children:
        child.join(timeout=60)
    assert [child.exitcode for child in children] == [0, 0, 0, 0]
    with Library(path) as library:
        assert library.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert library.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert [v.name for v in library.saved_views()] == [f"view {n}" for n in range(4)]


def test_opening_waits_for_a_process_switching_a_new_file_to_wal(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")  # the write lock, held for a moment in rollback mode
    release = threading.Timer(0.3, other.execute, ["ROLLBACK"])
    release.start()
    try:
        with Library(path) as library:
            assert library.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    finally:
        release.join()
        other.close()
