"""A command on a full disk says so, in those words, and leaves nothing behind."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from disks import fill, small_disk

SEEDS = Path(__file__).parents[1] / "seeds"


def newsreader(library: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reader", "--library", str(library), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_full_disk_is_named_and_no_stray_files_are_left(tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk") as disk:
        library = disk / "library.db"
        assert newsreader(library, "import", str(SEEDS)).returncode == 0
        before = sorted(p.name for p in disk.iterdir())
        filler = fill(disk)
        done = newsreader(library, "bookmark", "1")
        assert done.returncode == 2
        assert "the disk is full" in done.stderr and "I/O error" not in done.stderr
        assert sorted(p.name for p in disk.iterdir() if p != filler) == before  # no -shm
        filler.unlink()
        assert newsreader(library, "bookmark", "1").returncode == 0  # room again: it works
