"""`doctor --recover` restores each article's LAST state (a moved article's old record
does not come back), reads the damaged file even beside a journal that looks whole,
refuses while another process has the library open, and never leaves a partial library
in place or overwrites a damaged file kept aside by an earlier run."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from library_helpers import post

from reader.cli import main
from reader.library import Library, LibraryError, doctor, import_paths, journal, recovery

HOLD_OPEN = """
import sys
from reader.library import Library
library = Library(sys.argv[1])
print("open", flush=True)
sys.stdin.read()
library.close()
"""


@pytest.fixture
def shelf(tmp_path: Path, posts: Path) -> Path:
    """Ten posts; three read, one bookmarked with a note, one tagged."""
    for number in range(10):
        (posts / f"post-{number}.md").write_text(post(f"Post {number}", "Words. " * 40))
    path = tmp_path / "lib.db"
    with Library(path) as library:
        import_paths(library, [posts], jobs=1)
        ids = sorted(library.ids())
        library.set_read(ids[:3])
        library.set_bookmark([ids[4]], True, note="keep this")
        library.tag([ids[6]], add=["mine"])
    return path


def state_of(path: Path) -> dict[str, dict[str, Any]]:
    with Library(path) as library:
        records = library.export_state()["articles"]
    fields = ("read", "bookmarked", "note", "tags", "hidden_tags")
    return {Path(r["path"]).name: {key: r.get(key) for key in fields} for r in records}


def left_beside(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if p.name != "posts")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_moved_articles_last_state_wins_over_its_old_paths_record(
    shelf: Path, posts: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Read, bookmarked, noted and tagged as a.md; moved to b.md (the same article, whose
    state the journal then records under the new path); all of it undone: the records
    under a.md must not bring it back."""
    first = posts / "a.md"
    first.write_text(post("Moving", "It moves. " * 30))
    with Library(shelf) as library:
        import_paths(library, [posts], jobs=1)
        [article_id] = [i for i in library.ids() if library.article(i).path == str(first)]
        library.set_read([article_id])
        library.set_bookmark([article_id], True, note="before the move")
        library.tag([article_id], add=["mine"])
    moved = first.rename(posts / "b.md")
    with Library(shelf) as library:
        import_paths(library, [posts], jobs=1)
        article = library.article(article_id)
        assert article is not None and article.path == str(moved) and article.read
        library.set_read([article_id], False)
        library.set_bookmark([article_id], False, note="")
        library.tag([article_id], remove=["mine"])
    before = state_of(shelf)
    assert "b.md" not in before and "a.md" not in before
    keys = list(journal.read(journal.journal_path(shelf)).articles)
    assert any(path == str(first) for _, path in keys)  # the stale record is there

    assert main(["--library", str(shelf), "doctor", "--recover"]) == 0
    assert "restored on 5 articles; 0 could not be restored" in capsys.readouterr().out
    assert state_of(shelf) == before


def test_the_last_state_of_a_moved_article_is_restored_not_an_older_one(
    shelf: Path, posts: Path
) -> None:
    """Read as a.md, moved, then bookmarked and unread as b.md: bookmarked, unread."""
    first = posts / "a.md"
    first.write_text(post("Moving", "It moves. " * 30))
    with Library(shelf) as library:
        import_paths(library, [posts], jobs=1)
        [article_id] = [i for i in library.ids() if library.article(i).path == str(first)]
        library.set_read([article_id])
    first.rename(posts / "b.md")
    with Library(shelf) as library:
        import_paths(library, [posts], jobs=1)
        library.set_bookmark([article_id], True)
        library.set_read([article_id], False)
    before = state_of(shelf)
    assert before["b.md"]["bookmarked"] and not before["b.md"]["read"]
    doctor.recover(shelf)
    assert state_of(shelf) == before


def test_a_journal_that_looks_whole_but_is_not_adds_to_the_damaged_files_state(
    shelf: Path,
) -> None:
    """A journal begun on a library already damaged holds only what could be read then:
    here, one article's state. The file's other states come back too, and the journal's
    word wins where both speak (post-0: unread since)."""
    before = state_of(shelf)
    with Library(shelf) as library:
        [first] = [i for i in library.ids() if library.article(i).path.endswith("post-0.md")]
        [identity] = library._identities([first]).values()
        [state] = library.snapshot([first])
    unread = journal.entry(identity, state._replace(read=False))
    journal.write(journal.journal_path(shelf), [unread])  # begins as a whole journal does
    doctor.recover(shelf)
    del before["post-0.md"]
    assert state_of(shelf) == before


def test_recover_refuses_while_another_process_has_the_library_open(
    shelf: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The app or an import would go on writing to the file moved aside: refused, and
    nothing touched; once it is closed, the recovery runs."""
    before, state = digest(shelf), state_of(shelf)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_OPEN, str(shelf)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "open\n"
        assert main(["--library", str(shelf), "doctor", "--recover"]) == 2
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait()
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "close newsreader (the app, imports, refreshes)" in err
    assert digest(shelf) == before
    assert left_beside(shelf) == ["lib.db", "lib.db.state-journal"]
    assert main(["--library", str(shelf), "doctor", "--recover"]) == 0
    assert state_of(shelf) == state


def test_a_library_opened_during_the_recovery_is_left_as_it_is(
    shelf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opened after the first look but before the move: refused then, the fresh library
    thrown away, the damaged one where it was."""
    before = digest(shelf)
    looks = iter([False, True])
    monkeypatch.setattr(recovery, "in_use", lambda path: next(looks))
    with pytest.raises(LibraryError, match="close newsreader"):
        doctor.recover(shelf)
    assert digest(shelf) == before
    assert left_beside(shelf) == ["lib.db", "lib.db.state-journal"]


def test_an_interrupted_recovery_leaves_the_damaged_library_where_it_was(
    shelf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stopped midway (here after the import, while the state is restored): the library
    path holds the damaged library, not a partial one, and no fresh one is left behind;
    the next run recovers everything."""
    before, state = digest(shelf), state_of(shelf)
    noted = journal.journal_path(shelf).read_bytes()

    def stopped(*args: object) -> None:
        raise KeyboardInterrupt

    with monkeypatch.context() as patched:
        patched.setattr(recovery, "_restore", stopped)
        with pytest.raises(KeyboardInterrupt):
            doctor.recover(shelf)
    assert digest(shelf) == before
    assert journal.journal_path(shelf).read_bytes() == noted
    assert left_beside(shelf) == ["lib.db", "lib.db.state-journal"]
    doctor.recover(shelf)
    assert state_of(shelf) == state


def test_two_recoveries_in_one_second_keep_both_files_aside(
    shelf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = digest(shelf)
    monkeypatch.setattr(recovery.time, "strftime", lambda _: "20250101-120000")
    first = doctor.recover(shelf).kept_aside
    between = digest(shelf)
    second = doctor.recover(shelf).kept_aside
    assert first != second and second.name == f"{first.name}-2"
    assert digest(first) == original and digest(second) == between
    assert journal.journal_path(first).exists() and journal.journal_path(second).exists()


def test_a_change_written_while_the_fresh_library_is_built_is_not_lost(
    shelf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A short command (`newsreader read 8`) writes and exits during the import: the
    recovery stops rather than put aside the file that holds that change."""
    imported = recovery.import_paths

    def and_a_change(*args: Any, **kwargs: Any) -> Any:
        with Library(shelf) as library:
            [last] = [i for i in library.ids() if library.article(i).path.endswith("post-8.md")]
            library.set_read([last])
        return imported(*args, **kwargs)

    monkeypatch.setattr(recovery, "import_paths", and_a_change)
    with pytest.raises(LibraryError, match="close newsreader"):
        doctor.recover(shelf)
    assert state_of(shelf)["post-8.md"]["read"]
    assert left_beside(shelf) == ["lib.db", "lib.db.state-journal"]


def test_what_a_recovery_killed_midway_left_is_cleared_by_the_next(tmp_path: Path) -> None:
    import os

    path = tmp_path / "library.db"
    Library(path).close()
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    left = [tmp_path / f"library.db.recovering-{gone}{end}" for end in ("", "-wal", ".x")]
    for file in left:
        file.write_bytes(b"x" * 100)
    running = tmp_path / f"library.db.recovering-{os.getppid()}"  # its process still runs
    running.write_bytes(b"x")
    doctor.recover(path)
    assert not any(file.exists() for file in left)
    assert running.exists()
