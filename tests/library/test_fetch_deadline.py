"""`--timeout` bounds a feed's whole fetch, not each read: a loopback server that drips a
byte a second (after its headers, or from its first byte) is given up on after the timeout,
in words naming the feed, while the other feeds refresh. Ctrl+C stops a refresh at once
(exit 130, one line, no traceback), keeping what it stored.

No assertion on speed: the generous bounds below only tell a hang from a finish (without a
deadline, these fetches last the server's 30 s of dripping).
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from drip_server import DripServer

from reader.cli import main
from reader.library import Library
from reader.library.feeds import add_feed
from reader.library.fetch import fetch

HANG = 20.0  # seconds: far longer than any timeout used here, far shorter than the drip


@pytest.fixture
def server() -> Iterator[DripServer]:
    with DripServer(interval=1.0, give_up=30.0) as running:
        yield running


@pytest.mark.parametrize("route", ["/drip", "/drip-headers"])
def test_a_dripping_server_is_given_up_on_after_the_whole_timeout(
    server: DripServer, route: str
) -> None:
    started = time.monotonic()
    fetched = fetch(server.url(route), None, None, timeout=2)
    assert time.monotonic() - started < HANG  # did not hang
    assert (fetched.error, fetched.data) == ("timed out after 2 s", None)


def test_a_quick_server_is_read_whole(server: DripServer) -> None:
    fetched = fetch(server.url("/quick"), None, None, timeout=5)
    assert fetched.error is None and fetched.data and b"Quick News" in fetched.data


def test_refresh_timeout_names_the_dripping_feed_and_refreshes_the_others(
    capsys: pytest.CaptureFixture[str], server: DripServer, tmp_path: Path
) -> None:
    db = tmp_path / "cli.db"
    with Library(db) as library:
        add_feed(library, server.url("/drip"), name="Drip")
        add_feed(library, server.url("/quick"))
    started = time.monotonic()
    code = main(["--library", str(db), "refresh", "--timeout", "2"])
    assert time.monotonic() - started < HANG
    out, err = capsys.readouterr()
    assert code == 1
    assert err == "Drip: timed out after 2 s\n"
    assert "Quick News: 1 new, 0 updated" in out.splitlines()
    with Library(db) as library:
        feeds = {feed.name: feed for feed in library.feeds()}
        assert feeds["Drip"].error == "timed out after 2 s"
        assert (feeds["Quick News"].articles, feeds["Quick News"].error) == (1, "")


def test_ctrl_c_stops_a_refresh_at_once_and_keeps_what_it_stored(
    server: DripServer, tmp_path: Path, home: Path
) -> None:
    db = tmp_path / "cli.db"
    with Library(db) as library:
        add_feed(library, server.url("/drip"), name="Drip")
        add_feed(library, server.url("/quick"), name="Quick")
    code = "import sys; from reader.cli import main; sys.exit(main(sys.argv[1:]))"
    args = [sys.executable, "-c", code, "--library", str(db), "refresh", "--timeout", "120"]
    env = {**os.environ, "NEWSREADER_HOME": str(home)}
    process = subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    try:
        deadline = time.monotonic() + HANG
        while stored(db) == 0 and time.monotonic() < deadline:  # the quick feed is in
            time.sleep(0.05)
        assert stored(db) == 1, "the quick feed was never stored"
        process.send_signal(signal.SIGINT)  # while the dripping feed is still being read
        out, err = process.communicate(timeout=HANG)
    finally:
        process.kill()
        process.wait()
    assert process.returncode == 130, out + err
    assert "Traceback" not in err
    [line] = err.splitlines()
    assert line.startswith("newsreader: refresh interrupted; ")
    assert stored(db) == 1  # what was stored stays


def stored(db: Path) -> int:
    """Articles in the library, read without writing to it."""
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as reader:
        return reader.execute("SELECT count(*) FROM articles").fetchone()[0]
