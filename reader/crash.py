"""An unexpected error: its traceback goes to a log file in the data folder, the terminal
gets one line naming that file, and the command exits with status 1."""

from __future__ import annotations

import os
import sys
import tempfile
import traceback
from datetime import datetime
from pathlib import Path

from reader import __version__, paths
from reader.library.text import clean_line

STATUS = 1


def write_log(error: BaseException, path: Path | None = None) -> Path | None:
    """Write the traceback to a new `crash-YYYYMMDD-HHMMSS.log` in the data folder (or the
    temporary folder when that cannot be written), or append it to `path`. None when no
    file could be written."""
    when = datetime.now()
    text = (
        f"newsreader {__version__}, Python {sys.version.split()[0]}, {sys.platform}, "
        f"{when.isoformat(timespec='seconds')}\n"
        f"command: newsreader {' '.join(sys.argv[1:])}\n\n"
        + "".join(traceback.format_exception(error))
    )
    if path is not None:
        return _append(path, f"\nAnd then:\n{text}")
    stamp = when.strftime("%Y%m%d-%H%M%S")
    for folder in (paths.data_dir(), Path(tempfile.gettempdir())):
        target = _new_file(folder, stamp)
        if target is not None and _append(target, text):
            return target
    return None


def _append(path: Path, text: str) -> Path | None:
    try:
        with open(path, "a", encoding="utf-8", errors="replace") as file:
            file.write(text)
    except OSError:
        return None
    return path


def _new_file(folder: Path, stamp: str) -> Path | None:
    """A fresh, empty `crash-STAMP.log` (or `crash-STAMP-2.log`, …) in `folder`, or None."""
    for n in range(1, 100):
        path = folder / (f"crash-{stamp}.log" if n == 1 else f"crash-{stamp}-{n}.log")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            continue
        except OSError:
            return None
        return path
    return None


def line(error: BaseException, log: Path | None) -> str:
    """The one line the terminal gets."""
    message = clean_line(str(error))
    message = message if len(message) <= 160 else message[:159] + "…"
    what = f"{type(error).__name__}: {message}" if message else type(error).__name__
    where = f"the details are in {log}" if log else "no log file could be written"
    return f"newsreader: unexpected error ({what}); {where}"


def report(error: BaseException) -> int:
    """Log an error that reached the top of a command, say so in one line, and return the
    exit status. (With no log file, the traceback goes to the terminal: not lost.)"""
    log = write_log(error)
    if log is None:
        traceback.print_exception(error, file=sys.stderr)
    print(line(error, log), file=sys.stderr)
    return STATUS
