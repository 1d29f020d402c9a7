"""`newsreader doctor`, backups before migrations, and clear errors for damaged, read-only
or full libraries: the user's reading state survives each of them."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from library_helpers import post

from reader.cli import main
from reader.library import Library, LibraryError, View, doctor, import_paths
from reader.library.schema import MIGRATIONS, SCHEMA_VERSION


@pytest.fixture
def folder(posts: Path) -> Path:
    for number in range(300):
        body = f"Article number {number} about markets and 新闻 {number}.\n" * 20
        (posts / f"2024-01-{number % 28 + 1:02}-post-{number}.md").write_text(
            post(f"Post {number}", body, tags=("news",))
        )
    return posts


@pytest.fixture
def kept(tmp_path: Path, folder: Path) -> Path:
    """A library of 300 posts with reading state on a few, and a saved view."""
    path = tmp_path / "kept.db"
    with Library(path) as library:
        import_paths(library, [folder], jobs=1)
        ids = library.ids()
        library.set_bookmark([ids[3]], True)
        library.set_note(ids[3], "remember this")
        library.set_read(ids[10:20], True)
        library.tag([ids[5]], add=["mine", "中文 标签"], remove=["news"])
        library.save_view("markets", "markets")
        library.set_setting("ui.view", "bookmarked")
    return path


FULL = "the step that failed wrote nothing; free some space and retry"


def state_of(path: Path) -> dict[str, object]:
    with Library(path) as library:
        data = library.export_state()
        views = library.saved_views()
    by_path = {
        record["path"]: {key: value for key, value in record.items() if key != "uid"}
        for record in data["articles"]
    }
    return {"articles": by_path, "views": [(v.name, v.query) for v in views]}


def damage(path: Path, *tables: str, every: int = 1, kind: str = "%") -> list[int]:
    """Overwrite pages of these tables (every `every`th of the `kind`: leaf, internal),
    as a failing disk would; returns their numbers (from SQLite's dbstat table)."""
    db = sqlite3.connect(path)
    marks = ", ".join("?" * len(tables))
    pages = [
        n
        for (n,) in db.execute(
            f"SELECT pageno FROM dbstat WHERE name IN ({marks}) AND pagetype LIKE ?",
            (*tables, kind),
        )
    ][::every]
    size = db.execute("PRAGMA page_size").fetchone()[0]
    db.close()
    with path.open("r+b") as file:
        for page in pages:
            file.seek((page - 1) * size + 100)
            file.write(b"\xa5" * 512)
    return pages


def test_a_sound_library_passes_the_check(kept: Path) -> None:
    result = doctor.check(kept)
    assert result.ok, result.problems
    assert f"schema version {SCHEMA_VERSION}" in result.facts[0]
    assert "300 articles, 11 read or bookmarked" in result.facts[1]


def test_a_damaged_library_is_named_and_recovered_with_its_state(
    kept: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = state_of(kept)
    assert damage(kept, "search_data", "sqlite_autoindex_articles_1")  # the state is intact
    result = doctor.check(kept)
    assert not result.ok and result.problems[0].startswith(("damaged: ", "cannot be read"))

    assert main(["--library", str(kept), "doctor"]) == 1
    out = capsys.readouterr().out
    assert "problem: damaged" in out and "doctor --recover" in out

    assert main(["--library", str(kept), "doctor", "--recover"]) == 0
    out = capsys.readouterr().out
    assert "300 new" in out and "restored on 12" in out
    [aside] = kept.parent.glob("kept.db.damaged-*[0-9]")
    assert aside.stat().st_size > 0  # the damaged file is kept, not deleted
    assert doctor.check(kept).ok
    assert state_of(kept) == before
    with Library(kept) as library:
        assert library.setting("ui.view") == "bookmarked"


def test_recovery_reads_around_unreadable_rows(kept: Path) -> None:
    """Whole-table reads fail: the rows on sound pages are saved, and nothing else."""
    before = state_of(kept)["articles"]
    assert damage(kept, "articles", "terms", every=3, kind="leaf")
    found = doctor.salvage(kept)
    assert 100 < len(found.files) < 300 and found.roots and not found.whole
    assert found.saved_views == [("markets", "markets")]
    assert found.state["articles"], "some state is on sound pages"
    for record in found.state["articles"]:
        saved = before[record["path"]]
        assert {key: record[key] for key in ("read", "bookmarked", "title")} == {
            key: saved[key] for key in ("read", "bookmarked", "title")
        }
        assert set(record.get("tags", [])) <= {*saved.get("tags", []), "news"}  # none made up


def test_a_file_that_is_not_a_library_gets_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "notes.db"
    bad.write_bytes(b"These are my notes, not a database.\n" * 200)
    assert main(["--library", str(bad), "list"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(bad) in err and "newsreader doctor" in err
    assert bad.read_bytes().startswith(b"These are my notes")  # untouched
    with pytest.raises(LibraryError, match="nothing can be read"):
        doctor.salvage(bad)


def test_a_truncated_library_is_reported(kept: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with kept.open("r+b") as file:
        file.truncate(kept.stat().st_size // 2)
    assert main(["--library", str(kept), "doctor"]) == 1
    assert "problem:" in capsys.readouterr().out


def test_rebuild_index_repairs_a_broken_search_index(
    kept: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Library(kept) as library:
        library.db.execute("INSERT INTO search(search) VALUES ('delete-all')")
    result = doctor.check(kept)
    assert any("doctor --rebuild-index" in problem for problem in result.problems)
    assert main(["--library", str(kept), "doctor", "--rebuild-index"]) == 0
    assert "Rebuilt the search index of 300 articles." in capsys.readouterr().out
    assert doctor.check(kept).ok
    with Library(kept) as library:
        from reader.library.query import parse

        assert len(library.search(parse("markets"))) == 300


def test_a_library_is_backed_up_before_its_schema_changes(tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    db = sqlite3.connect(old)
    db.create_function("casefold", 1, str.casefold)
    for number, script in enumerate(MIGRATIONS[:4], 1):
        db.executescript(script)
        db.execute(f"PRAGMA user_version = {number}")
    db.execute("INSERT INTO roots(path, name) VALUES ('/x', 'x')")
    db.execute(
        "INSERT INTO articles(path, root_id, title, sort_ts, bookmarked)"
        " VALUES ('/x/a.md', 1, 'A', 0, 1)"
    )
    db.commit()
    db.close()
    with Library(old) as library:
        assert library.ids(View("bookmarked")) == [1]
    backup = tmp_path / "old.db.schema-4.bak"
    assert backup.exists()
    copy = sqlite3.connect(backup)
    assert copy.execute("PRAGMA user_version").fetchone()[0] == 4
    assert copy.execute("SELECT title, bookmarked FROM articles").fetchall() == [("A", 1)]
    copy.close()
    Library(old).close()  # opening it again makes no second backup
    assert sorted(p.name for p in tmp_path.glob("old.db.*bak")) == ["old.db.schema-4.bak"]


def test_a_full_disk_stops_the_import_cleanly_and_keeps_what_was_stored(
    tmp_path: Path,
    folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "full.db"
    with Library(path) as library:
        library.set_setting("kept", "yes")
    db = sqlite3.connect(path)
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    size = db.execute("PRAGMA page_size").fetchone()[0]
    db.close()
    real_init = Library.__init__

    def small_disk(self: Library, *args: object) -> None:  # 160 KB free
        real_init(self, *args)  # type: ignore[arg-type]
        self.db.execute(f"PRAGMA max_page_count = {pages + 160 * 1024 // size}")

    monkeypatch.setattr(Library, "__init__", small_disk)
    assert main(["--library", str(path), "import", "--quiet", str(folder)]) == 2
    err = capsys.readouterr().err
    assert err == f"newsreader: {path}: the disk is full: {FULL}\n"
    monkeypatch.undo()
    assert doctor.check(path).ok
    with Library(path) as library:
        assert library.setting("kept") == "yes"
        stored = library.count()
    assert main(["--library", str(path), "import", "--quiet", str(folder)]) == 0  # room again
    with Library(path) as library:
        assert library.count() == 300 >= stored


@contextmanager
def immutable(folder: Path) -> Iterator[None]:
    """A folder nobody may change, root included (chattr +i), where the file system allows."""
    chattr = shutil.which("chattr")
    if (
        chattr is None
        or subprocess.run([chattr, "+i", str(folder)], capture_output=True).returncode
    ):
        pytest.skip("cannot make a folder immutable here")
    try:
        yield
    finally:
        subprocess.run([chattr, "-i", str(folder)], check=True)


def test_a_read_only_library_folder_gets_a_clear_error_and_no_stray_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    path = locked / "lib.db"
    Library(path).close()
    before = sorted(os.listdir(locked))
    with immutable(locked):
        assert main(["--library", str(path), "list"]) == 2
        assert sorted(os.listdir(locked)) == before
    err = capsys.readouterr().err
    assert err.startswith(f"newsreader: {path}: ") and err.count("\n") == 1
    assert "read-only" in err or "writable" in err
