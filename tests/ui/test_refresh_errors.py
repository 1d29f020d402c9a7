"""`R` when the library cannot be written, or another program holds it: a full disk stops
the refresh with one line and the app goes on (a worker's error would end the app); a lock
held longer than a command would wait is waited out, and the refresh lands after it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from reader.library import Library, feeds
from reader.library.feeds import add_feed
from reader.library.turns import waiting_file
from reader.ui.app import ReaderApp

from .helpers import Fixture, main_of, notes, settle
from .test_feeds_app import RSS

SIZE = (120, 36)
MakeApp = Callable[..., ReaderApp]
SUMMARY = "1 feed refreshed: 2 new articles."


@pytest.fixture
def one_feed(reader_lib: Fixture, tmp_path: Path) -> Fixture:
    news = tmp_path / "news.xml"
    news.write_text(RSS)
    with Library(reader_lib.path) as library:
        add_feed(library, str(news), name="News")
    return reader_lib


async def test_a_full_disk_stops_the_refresh_with_one_line_and_the_app_goes_on(
    make_app: MakeApp, one_feed: Fixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_refresh = feeds.refresh

    def full(*args: object, **kwargs: object) -> list[feeds.FeedResult]:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(feeds, "refresh", full)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        await pilot.press("R")
        await settle(pilot)

        assert app.is_running
        [line] = [n for n in notes(app) if "disk is full" in n]
        assert line == (
            "Refresh stopped: the disk is full: the step that failed wrote nothing;"
            " free some space and retry."
        )
        assert str(screen.articles.border_subtitle) == ""  # no progress left behind

        monkeypatch.setattr(feeds, "refresh", real_refresh)  # space freed: R works again
        await pilot.press("R")
        await settle(pilot)
        assert SUMMARY in notes(app)


async def test_refresh_waits_out_a_lock_held_longer_than_a_command_waits(
    make_app: MakeApp, one_feed: Fixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A command gives up after Library.wait_limit (10 s); shortened here, so that the lock
    # need not be held for 10 s to show that the refresh does not give up.
    monkeypatch.setattr(Library, "wait_limit", 0.2)
    waiting = waiting_file(one_feed.path)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        with closing(sqlite3.connect(one_feed.path, isolation_level=None)) as other:
            other.execute("BEGIN IMMEDIATE")  # another program writing
            await pilot.press("R")
            for _ in range(400):  # until the refresh waits for the lock
                if waiting.exists():
                    break
                await pilot.pause(0.05)
            assert waiting.exists(), notes(app)
            await pilot.pause(1.0)  # five times the limit
            other.execute("COMMIT")
        await settle(pilot)

        assert app.is_running
        assert SUMMARY in notes(app), notes(app)
        assert not [n for n in notes(app) if "Refresh stopped" in n]
        with Library(one_feed.path) as library:
            [feed] = library.feeds()
        assert (feed.articles, feed.error) == (2, "")
