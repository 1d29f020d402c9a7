"""`R` against a loopback server that drips its feed a byte a second: the refresh ends by
the feed's timeout (so `R` works again after it), `R` pressed meanwhile says how far it is,
and quitting mid-refresh ends the process at once instead of waiting for the network.

No assertion on speed: HANG only tells a hang (the server drips for 30 s) from a finish.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from drip_server import DripServer

from reader.library import Library
from reader.library.feeds import add_feed
from reader.ui.app import ReaderApp

from .helpers import Fixture, main_of, notes, settle

SIZE = (120, 36)
HANG = 20.0

# The app, headless, in its own process: `R`, then `q` once the quick feed is in while the
# dripping one is still being read. The process must end without waiting for it.
QUIT_SCRIPT = """
import asyncio, sys
from pathlib import Path
from reader.config import Config
from reader.ui.app import ReaderApp
from reader.ui.screens.main import MainScreen

async def run() -> None:
    app = ReaderApp(Path(sys.argv[1]), Config())
    async with app.run_test() as pilot:
        while not isinstance(app.screen, MainScreen):
            await pilot.pause(0.05)
        screen = app.screen
        screen.feed_timeout = 120
        await pilot.press("R")
        while "1/2" not in str(screen.articles.border_subtitle):
            await pilot.pause(0.05)
        print("refreshing", flush=True)
        await pilot.press("q")
    print("closed", flush=True)

asyncio.run(run())
"""


@pytest.fixture
def server() -> Iterator[DripServer]:
    with DripServer(interval=1.0, give_up=30.0) as running:
        yield running


@pytest.fixture
def feeds(reader_lib: Fixture, server: DripServer) -> Fixture:
    with Library(reader_lib.path) as library:
        add_feed(library, server.url("/drip"), name="Drip")
        add_feed(library, server.url("/quick"), name="Quick")
    return reader_lib


async def test_a_dripping_feed_ends_the_refresh_by_its_timeout_and_r_works_again(
    make_app: Callable[..., ReaderApp], feeds: Fixture
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        screen.feed_timeout = 2
        await pilot.press("R")
        await pilot.press("R")  # while the first refresh runs: how far it is
        [running] = [n for n in notes(app) if n.startswith("Refreshing feeds")]
        assert re.fullmatch(
            r"Refreshing feeds: [01] of 2 done \(each gives up after 2 s\)\.", running
        )

        await settle(pilot)  # the refresh ends: the dripping feed timed out

        [summary] = [n for n in notes(app) if "feeds refreshed" in n]
        assert summary == "2 feeds refreshed: 1 new article. 1 failed:\nDrip: timed out after 2 s"
        with Library(feeds.path) as library:
            stored = {feed.name: feed for feed in library.feeds()}
        assert stored["Drip"].error == "timed out after 2 s"
        assert stored["Quick"].articles == 1

        await pilot.press("R")  # a new refresh, not "being refreshed already"
        await settle(pilot)
        assert len([n for n in notes(app) if "feeds refreshed" in n]) == 2


def test_quitting_mid_refresh_does_not_wait_for_the_network(feeds: Fixture, home: Path) -> None:
    env = {**os.environ, "NEWSREADER_HOME": str(home)}
    env.pop("TEXTUAL", None)
    try:
        done = subprocess.run(
            [sys.executable, "-c", QUIT_SCRIPT, str(feeds.path)],
            capture_output=True,
            text=True,
            env=env,
            timeout=HANG,
        )
    except subprocess.TimeoutExpired as hung:
        raise AssertionError(f"the app waited for the dripping feed: {hung.stdout!r}") from None
    assert done.stdout.split() == ["refreshing", "closed"], done.stderr[-2000:]
    assert done.returncode == 0, done.stderr[-2000:]
