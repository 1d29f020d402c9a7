"""An unexpected error in a command or in the app: exit status 1, one line on stderr naming
a log file in the data folder, and the whole traceback in that file. Expected errors keep
their own messages, and Ctrl+C exits with 130, neither writing a log."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from reader.library import Library

LINE = re.compile(
    r"newsreader: unexpected error \((?P<what>[^\n]*)\); the details are in (?P<log>\S+\.log)\n"
)


def run(tmp_path: Path, home: Path, setup: str, *argv: str) -> subprocess.CompletedProcess[str]:
    """`python -m reader ARGV` after `setup` (Python that injects a failure) has run."""
    driver = tmp_path / "driver.py"
    driver.write_text(
        "import runpy, sys\n"
        + textwrap.dedent(setup)
        + f"\nsys.argv = ['newsreader', *{list(argv)!r}]\n"
        + "runpy.run_module('reader', run_name='__main__')\n"
    )
    env = {**os.environ, "NEWSREADER_HOME": str(home), "TMPDIR": str(tmp_path / "tmp")}
    (tmp_path / "tmp").mkdir(exist_ok=True)
    return subprocess.run(
        [sys.executable, str(driver)], capture_output=True, text=True, env=env, timeout=120
    )


@pytest.fixture
def lib(tmp_path: Path) -> str:
    path = tmp_path / "lib.db"
    Library(path).close()
    return str(path)


FAILING_STATS = """
from reader.library import Library
def stats(self):
    raise RuntimeError("injected \\x1b[31mfailure\\nwith a second line")
Library.stats = stats
"""


def test_an_unexpected_error_in_a_command_exits_1_with_one_line_and_a_log(
    tmp_path: Path, home: Path, lib: str
) -> None:
    result = run(tmp_path, home, FAILING_STATS, "--library", lib, "stats")
    assert result.returncode == 1
    assert result.stdout == ""
    match = LINE.fullmatch(result.stderr)
    assert match, result.stderr
    assert match["what"] == "RuntimeError: injected failure with a second line"
    log = Path(match["log"])
    assert log.parent == home / "data"
    assert re.fullmatch(r"crash-\d{8}-\d{6}\.log", log.name)
    text = log.read_text()
    assert "Traceback (most recent call last):" in text
    assert 'raise RuntimeError("injected \\x1b[31mfailure\\nwith a second line")' in text
    assert text.rstrip().endswith("RuntimeError: injected \x1b[31mfailure\nwith a second line")
    assert f"command: newsreader --library {lib} stats" in text


def test_with_no_data_folder_the_log_goes_to_the_temporary_folder(
    tmp_path: Path, home: Path, lib: str
) -> None:
    home.parent.mkdir(parents=True, exist_ok=True)
    home.write_text("a file where the data folder's parent should be")
    result = run(tmp_path, home, FAILING_STATS, "--library", lib, "stats")
    assert result.returncode == 1
    warning, crashed = result.stderr.splitlines(keepends=True)  # (the settings: unreadable)
    assert "config.yaml: cannot be read" in warning
    match = LINE.fullmatch(crashed)
    assert match, result.stderr
    assert Path(match["log"]).parent == tmp_path / "tmp"
    assert "RuntimeError" in Path(match["log"]).read_text()


def test_two_crashes_in_one_second_keep_both_logs(tmp_path: Path, home: Path) -> None:
    from reader import crash

    logs = []
    for n in range(2):
        try:
            raise ValueError(f"crash {n}")
        except ValueError as exc:
            logs.append(crash.write_log(exc))
    assert logs[0] != logs[1]
    assert logs[0] is not None and logs[1] is not None
    assert "ValueError: crash 0" in logs[0].read_text()
    assert "ValueError: crash 1" in logs[1].read_text()


@pytest.mark.parametrize(
    ("raised", "status", "said"),
    [
        ("KeyboardInterrupt()", 130, "newsreader: interrupted\n"),
        ("LibraryError('the library is busy')", 2, "newsreader: the library is busy\n"),
    ],
)
def test_ctrl_c_and_expected_errors_keep_their_own_line_and_write_no_log(
    tmp_path: Path, home: Path, lib: str, raised: str, status: int, said: str
) -> None:
    setup = f"""
    from reader.library import Library, LibraryError
    def stats(self):
        raise {raised}
    Library.stats = stats
    """
    result = run(tmp_path, home, setup, "--library", lib, "stats")
    assert (result.returncode, result.stderr) == (status, said)
    assert not list(home.glob("data/crash-*.log"))


def test_an_error_in_the_app_exits_1_with_one_line_instead_of_a_traceback(
    tmp_path: Path, home: Path, lib: str
) -> None:
    setup = """
    from functools import partialmethod
    from textual.app import App
    from reader.ui.app import ReaderApp
    def shown(self):
        raise RuntimeError("injected in the app")
    ReaderApp._shown = shown  # runs once the first frame is painted
    ReaderApp.run = partialmethod(App.run, headless=True)
    """
    result = run(tmp_path, home, setup, "--library", lib)
    assert result.returncode == 1
    match = LINE.fullmatch(result.stderr)
    assert match, result.stderr  # one line: no Textual traceback
    assert match["what"] == "RuntimeError: injected in the app"
    text = Path(match["log"]).read_text()
    assert "in shown" in text
    assert text.rstrip().endswith("RuntimeError: injected in the app")
