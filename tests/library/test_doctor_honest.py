"""`doctor` tells damage from what is not damage: a library another process is writing to
(it waits its turn) and a library it may not write to (a read-only file, a read-only
folder). Only real damage gets `--recover` recommended; the others exit 3.

Root ignores file modes, so as root the read-only file and folder are read-only bind
mounts (`mount --bind`, then `remount,bind,ro`); elsewhere chmod 444 / 555 does it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from library_helpers import post

from reader.cli import main
from reader.library import Library, doctor, import_paths

HOLD = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
db.execute("INSERT OR REPLACE INTO settings(key, value) VALUES ('held', 'yes')")
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
db.execute("COMMIT")
"""


@pytest.fixture
def shelf(tmp_path: Path, posts: Path) -> Path:
    """A sound library of 40 posts with a few marks, in a folder of its own."""
    for number in range(40):
        (posts / f"post-{number}.md").write_text(post(f"Post {number}", "Words. " * 50))
    folder = tmp_path / "shelf"
    folder.mkdir()
    path = folder / "lib.db"
    with Library(path) as library:
        import_paths(library, [posts], jobs=1)
        library.set_read(library.ids()[:5])
    return path


def test_doctor_waits_for_another_writer_and_finds_no_damage(
    shelf: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Another process holds the write lock for 2 s: doctor waits its turn (its index
    check is a write), then reports a sound library."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(shelf), "2"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "holding\n"
        assert main(["--library", str(shelf), "doctor"]) == 0
    finally:
        holder.wait()
    out = capsys.readouterr().out
    assert "No problems found." in out
    assert "damaged" not in out and "locked" not in out and "--recover" not in out
    assert holder.returncode == 0


def test_a_writer_that_keeps_the_library_too_long_is_not_damage(
    shelf: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Past the wait limit, doctor says the library was busy, not damaged (exit 3)."""
    monkeypatch.setattr(Library, "wait_limit", 0.3)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(shelf), "3"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "holding\n"
        assert main(["--library", str(shelf), "doctor"]) == 3
    finally:
        holder.wait()
    out = capsys.readouterr().out
    assert "kept the library busy" in out and "not damage" in out
    assert "problem:" not in out and "--recover" not in out


def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


@contextmanager
def read_only(target: Path, keep_writable: Path | None = None) -> Iterator[None]:
    """`target` (a file or folder) read-only for this process: chmod, or as root a
    read-only bind mount; `keep_writable`, a file inside a folder made read-only, stays
    writable (its own bind mount). Skips where neither works."""
    if os.geteuid() != 0:
        mode = target.stat().st_mode
        target.chmod(0o555 if target.is_dir() else 0o444)
        try:
            yield
        finally:
            target.chmod(mode)
        return
    if not (_mount("--bind", str(target), str(target))):
        pytest.skip("running as root (file modes do not bind it) and cannot bind-mount here")
    mounted = [target]
    try:
        if not _mount("-o", "remount,bind,ro", str(target)):
            pytest.skip("running as root and cannot remount a bind mount read-only here")
        if keep_writable is not None:
            if not _mount("--bind", str(keep_writable), str(keep_writable)):
                pytest.skip("cannot bind-mount the library file writable inside it")
            mounted.append(keep_writable)
            if not _mount("-o", "remount,bind,rw", str(keep_writable)):
                pytest.skip("cannot remount the library file writable inside it")
        assert not os.access(target, os.W_OK)
        yield
    finally:
        for path in reversed(mounted):
            subprocess.run(["umount", str(path)], check=True)


def test_a_read_only_library_file_is_a_permission_problem_not_damage(
    shelf: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with read_only(shelf):
        assert main(["--library", str(shelf), "doctor"]) == 3
        assert sorted(os.listdir(shelf.parent)) == ["lib.db", "lib.db.state-journal"]
    out = capsys.readouterr().out
    assert "the library file is read-only: this is not damage" in out
    assert "permissions" in out and "No damage found." in out
    assert "problem:" not in out and "doctor --recover` saves" not in out
    assert "40 articles, 5 read or bookmarked" in out  # it was checked all the same


def test_a_read_only_library_folder_is_a_permission_problem_not_damage(
    shelf: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = sorted(os.listdir(shelf.parent))
    with read_only(shelf.parent, keep_writable=shelf):
        assert main(["--library", str(shelf), "doctor"]) == 3
        assert sorted(os.listdir(shelf.parent)) == before  # no stray -wal or -shm
    out = capsys.readouterr().out
    assert f"its folder ({shelf.parent}) is read-only: this is not damage" in out
    assert "permissions" in out and "No damage found." in out
    assert "problem:" not in out and "doctor --recover` saves" not in out


def test_damage_in_a_read_only_library_is_still_damage(
    shelf: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with shelf.open("r+b") as file:
        file.truncate(shelf.stat().st_size // 2)
    with read_only(shelf):
        assert main(["--library", str(shelf), "doctor"]) == 1
    out = capsys.readouterr().out
    assert "problem: damaged" in out and "read-only" in out
    assert "once the permissions are fixed, `newsreader doctor --recover`" in out


def test_real_damage_still_recommends_recover(shelf: Path) -> None:
    with shelf.open("r+b") as file:
        file.truncate(shelf.stat().st_size // 2)
    result = doctor.check(shelf)
    assert result.damaged and not result.blocked


def test_a_rebuild_running_is_not_a_short_index_to_rebuild_again(tmp_path: Path) -> None:
    from reader.library import Library, import_paths
    from reader.library.doctor import check
    from reader.library.turns import rebuilding

    posts = tmp_path / "posts"
    posts.mkdir()
    (posts / "a.md").write_text("---\ntitle: 甲\n---\n正文\n", encoding="utf-8")
    path = tmp_path / "library.db"
    with Library(path) as library:
        import_paths(library, [posts], jobs=1)
        with library.transaction():  # as a rebuild leaves it at its start
            library.db.execute("INSERT INTO search(search) VALUES ('delete-all')")
    assert any(p.startswith("the search index holds 0") for p in check(path).problems)
    with rebuilding(path):  # ... while it runs: not a problem, and no second rebuild advised
        result = check(path)
    assert not result.problems and not result.damaged
    assert any("being rebuilt" in line for line in result.blocked)
