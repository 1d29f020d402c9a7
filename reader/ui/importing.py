"""`newsreader PATH`: the import runs beside the app, in a child process.

The child is `newsreader import` itself, so parsing and writing never take the app's GIL
and the import is the one the command line runs (safe to interrupt: the next import
resumes where it stopped). The app reads its progress from the library's busy marker
(`reader.library.turns.busy`) and its summary from its log when it ends.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO, NamedTuple

from reader.library.text import clean_line
from reader.library.turns import Busy, busy

NICE = 10  # the child's niceness: on a busy machine the reader's keys come first
STOP_GRACE = 2.0  # seconds between SIGINT and SIGTERM (and between SIGTERM and SIGKILL)
SUMMARY = "Imported into "  # how the import's summary line starts (reader/cli.py)
PROBLEMS = ("error: ", "warning: ")  # how the lines of its problems start


class Outcome(NamedTuple):
    """How the child ended: its exit status, its summary line (or, when it failed, its
    last line), the problems it printed and the log that holds them."""

    status: int
    summary: str
    problems: int
    log: Path | None


class ChildImport:
    """One `newsreader --library LIB import PATH...` child, its output in a log file."""

    def __init__(
        self, library: str | Path, sources: Sequence[str | Path], command: str = "import"
    ) -> None:
        self.library = Path(library)
        self.sources = [str(source) for source in sources]
        self.command = command  # "import", or "finish-index": `doctor --finish-index`
        self.log: Path | None = None
        self.process: subprocess.Popen[bytes] | None = None
        self.stopping_since: float | None = None  # when `interrupt` sent SIGINT
        self._signalled: set[int] = set()

    @property
    def argv(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "reader",
            "--library",
            str(self.library),
            *(["import"] if self.command == "import" else ["doctor", "--finish-index"]),
            *self.sources,
        ]

    def start(self) -> None:
        """Start the child: no shell, stdin from /dev/null, stdout and stderr to the log. It
        gets its own process group, so a stop reaches its parser processes too (as ctrl+c
        in a terminal does), and keys typed in the app never do."""
        out, self.log = _open_log(self.library)
        with out:
            self.process = subprocess.Popen(
                self.argv,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                process_group=0,
            )

    def yield_cpu(self) -> None:
        """Once the app shows the first articles: lower the import's priority (its parser
        processes' too), so that when both want the CPU, the reader's keys come first. On
        an otherwise idle machine the import takes as long: the app is mostly idle."""
        if self.process is not None and self.running:
            with contextlib.suppress(OSError):
                now = os.getpriority(os.PRIO_PROCESS, self.process.pid)
                os.setpriority(os.PRIO_PGRP, self.process.pid, max(now, NICE))

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    @property
    def stopping(self) -> bool:
        return self.stopping_since is not None

    def progress(self) -> Busy | None:
        """How far the import has come (None before it says, and once it has ended)."""
        return busy(self.library) if self.running else None

    def interrupt(self) -> None:
        """Ask the child to stop, as ctrl+c would; `nudge` insists if it takes too long."""
        if self.stopping_since is None:
            self.stopping_since = time.monotonic()
        self._signal(signal.SIGINT)

    def nudge(self) -> None:
        """After `interrupt`: SIGTERM once STOP_GRACE has passed, SIGKILL after twice that."""
        if self.stopping_since is None:
            return
        waited = time.monotonic() - self.stopping_since
        if waited >= 2 * STOP_GRACE:
            self._signal(signal.SIGKILL)
        elif waited >= STOP_GRACE:
            self._signal(signal.SIGTERM)

    def stop(self) -> None:
        """Stop the child and wait for it (blocking: for when the app is closing)."""
        if not self.running:
            return
        self.interrupt()
        while self.running:
            self.nudge()
            time.sleep(0.05)

    def _signal(self, sig: signal.Signals) -> None:
        if self.process is None or sig in self._signalled or not self.running:
            return
        self._signalled.add(sig)
        with contextlib.suppress(ProcessLookupError, PermissionError):  # (it just ended)
            os.killpg(self.process.pid, sig)

    def outcome(self) -> Outcome:
        """What the child said, once it has ended."""
        status = self.process.poll() if self.process is not None else None
        lines: list[str] = []
        if self.log is not None:
            try:
                text = self.log.read_text(encoding="utf-8", errors="replace")
            except OSError:
                text = ""
            lines = [clean_line(line) for line in text.splitlines() if line.strip()]
        problems = sum(line.startswith(PROBLEMS) for line in lines)
        summary = next((line for line in reversed(lines) if line.startswith(SUMMARY)), "")
        if status != 0 or not summary:
            summary = lines[-1] if lines else ""
        return Outcome(-1 if status is None else status, summary[:300], problems, self.log)


def progress_line(job: Busy | None) -> str:
    """The line the app shows while the import runs."""
    if job is None or not job.stage:
        return "Importing: starting…"
    if job.stage == "indexing":
        percent = 100 * job.done // job.total if job.total else 0
        return f"Indexing for search: {percent}%"
    if job.total:
        return f"Importing: {job.done:,} of {job.total:,} files listed"
    return "Importing: looking for files…"


def _open_log(library: Path) -> tuple[IO[bytes], Path]:
    """The import's log, beside the library (`LIB.import.log`, the last import's only), or
    in the temporary folder when that cannot be written."""
    beside = library.with_name(f"{library.name}.import.log")
    try:
        return open(beside, "wb"), beside  # noqa: SIM115 - closed by `start`
    except OSError:
        file = tempfile.NamedTemporaryFile(  # noqa: SIM115
            prefix="newsreader-import-", suffix=".log", delete=False
        )
        return file, Path(file.name)
