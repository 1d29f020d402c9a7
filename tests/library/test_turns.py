"""Writers take turns: a long job writes in slices and steps aside for a change that
waits, a change waits as long as it is allowed to, and says what it waits for."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from reader.library import Library
from reader.library.errors import explain
from reader.library.turns import busy_file, holder, waiting_file

JOB = textwrap.dedent(
    """
    import sys, time
    from reader.library import Library
    library = Library(sys.argv[1])
    with library.holding("an import"):
        for n in library.slices(range(10**9)):
            library.set_setting("job", str(n))
            time.sleep(0.002)
            if n % 50 == 0 and library.setting("stop") == "yes":
                break
    """
)


def run_job(path: Path) -> subprocess.Popen[bytes]:
    """A long writer in another process: it holds the lock in slices until told to stop."""
    # (breaking out of `slices` rolls back its last slice: the job ends by its `stop`.)
    return subprocess.Popen([sys.executable, "-c", JOB, str(path)])


def test_a_change_gets_in_while_a_long_job_writes_and_learns_what_it_is(tmp_path: Path) -> None:
    path = tmp_path / "library.db"
    Library(path).close()
    job = run_job(path)
    try:
        library = Library(path)
        waited: list[float] = []
        library.on_wait = waited.append
        for _ in range(2000):  # the job has begun writing
            if library.setting("job") is not None:
                break
            threading.Event().wait(0.01)
        assert holder(path) == "an import"
        for n in range(5):  # each change gets its turn, the job still running
            library.set_setting(f"mine-{n}", "x")
            assert job.poll() is None
        assert library.longest_hold < 1
        library.set_setting("stop", "yes")
        assert job.wait(60) == 0
    finally:
        job.kill()
    assert holder(path) is None and not busy_file(path).exists()
    assert not waiting_file(path).exists()  # the waiter cleaned up after itself


def test_a_command_gives_up_after_its_wait_limit_with_a_clear_reason(tmp_path: Path) -> None:
    path = tmp_path / "library.db"
    Library(path).close()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    library = Library(path)
    library.wait_limit = 0.3
    with pytest.raises(sqlite3.OperationalError) as caught:
        library.set_setting("x", "1")
    assert "another program keeps the library busy" in explain(caught.value)
    other.execute("ROLLBACK")
    library.set_setting("x", "1")  # and once it is free, it works
    assert library.setting("x") == "1"


def test_a_change_waits_as_long_as_it_takes_when_told_to(tmp_path: Path) -> None:
    path = tmp_path / "library.db"
    Library(path).close()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    library = Library(path)
    library.wait_limit = None
    waited: list[float] = []

    def let_go(seconds: float) -> None:
        waited.append(seconds)
        if seconds > 0.5 and other.in_transaction:
            other.execute("ROLLBACK")

    library.on_wait = let_go
    library.set_setting("x", "1")
    assert library.setting("x") == "1"
    assert max(waited) > 0.5


def test_a_slice_commits_what_came_before_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reader.library.store as store

    path = tmp_path / "library.db"
    library, watcher = Library(path), Library(path)
    for slice_, visible in ((60.0, [None, None]), (0.0, ["", ""])):
        monkeypatch.setattr(store, "SLICE", slice_)
        seen = []
        for n in library.slices(range(3)):
            library.db.execute(
                "INSERT INTO settings(key, value) VALUES (?, '')", (f"{slice_}-{n}",)
            )
            if n:
                seen.append(watcher.setting(f"{slice_}-{n - 1}"))
        assert seen == visible  # one slice: nothing shows before its end; else each at once
        assert watcher.setting(f"{slice_}-2") == ""  # and all of it at the end


def test_a_disk_io_error_with_no_room_left_is_a_full_disk(tmp_path: Path) -> None:
    error = sqlite3.OperationalError("disk I/O error")
    assert "disk I/O error" in explain(error)  # (nothing says where: as SQLite put it)
    full = explain(error, tmp_path / "library.db")
    assert "disk I/O error" in full or "disk is full" in full  # this disk has room: as is
    import reader.library.errors as errors

    original = errors._free
    try:
        errors._free = lambda path: 0  # type: ignore[assignment]
        assert explain(error, tmp_path / "library.db").startswith("the disk is full")
    finally:
        errors._free = original
