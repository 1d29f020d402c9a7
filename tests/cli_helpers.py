"""Running the command line in-process, as the CLI tests do."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    """`newsreader ARGS`: its exit status, stdout and stderr."""
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err
