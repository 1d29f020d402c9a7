"""`refresh_every` refreshes the feeds (and syncs) on a schedule, `refresh_on_start` at
start, and `notify` runs a command after a refresh that brought articles. The schedule's
timer is fired by hand here (the clock is the test's), and the feeds are local files."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from reader.config import parse
from reader.library import Library, feeds
from reader.library.feeds import add_feed
from reader.ui.app import ReaderApp
from reader.ui.screens import feed_actions

from .helpers import Fixture, main_of, notes, settle
from .test_feeds_app import RSS

SIZE = (120, 36)
MakeApp = Callable[..., ReaderApp]


@pytest.fixture
def feed(reader_lib: Fixture, tmp_path: Path) -> Path:
    news = tmp_path / "news.xml"
    news.write_text(RSS)
    with Library(reader_lib.path) as library:
        add_feed(library, str(news))
    return news


def fetches(monkeypatch: pytest.MonkeyPatch) -> list[list[str] | None]:
    """The feeds each refresh was asked for (None: all of them), as it goes on."""
    asked: list[list[str] | None] = []
    real = feeds.refresh

    def refresh(path: Path, names: list[str] | None = None, **options: Any) -> Any:
        asked.append(None if names is None else list(names))
        return real(path, names, **options)

    monkeypatch.setattr(feeds, "refresh", refresh)
    return asked


def refreshed(app: ReaderApp) -> list[str]:
    return [note for note in notes(app) if "refreshed" in note]


async def test_refresh_every_refreshes_on_its_schedule_and_keeps_the_cursor(
    make_app: MakeApp, feed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = [time.time()]
    monkeypatch.setattr(feed_actions, "now", lambda: clock[0])
    asked = fetches(monkeypatch)
    app = make_app(refresh_every="30m")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        assert refreshed(app) == []  # not at start
        await pilot.press("j", "j")
        reading = screen.articles.current
        screen.scheduled_refresh()  # the timer's minute: the feed was never fetched
        await settle(pilot)
        await settle(pilot)
        assert refreshed(app) == ["1 feed refreshed: 2 new articles."]
        assert screen.articles.current == reading
        titles = {row.title for row in screen.library.summaries_for(screen.articles.ids)}
        assert {"First feed entry", "第二条新闻"} <= titles
        clock[0] += 29 * 60  # not yet half an hour
        asked.clear()
        screen.scheduled_refresh()
        await settle(pilot)
        assert asked == []
        clock[0] += 2 * 60  # and now it is: fetched again, nothing new, nothing said
        screen.scheduled_refresh()
        await settle(pilot)
        await settle(pilot)
        assert asked == [["Loopback News"]]
        assert len(refreshed(app)) == 1


async def test_a_feeds_own_every_comes_before_the_setting(
    make_app: MakeApp, reader_lib: Fixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`feed add --every 2h`: that feed every two hours, the others as `refresh_every` says
    (and without the setting, only the feeds that have their own)."""
    for name in ("often", "rarely"):
        (tmp_path / f"{name}.xml").write_text(RSS.replace("Loopback News", name))
    with Library(reader_lib.path) as library:
        often = add_feed(library, str(tmp_path / "often.xml"), every=15 * 60).name
        rarely = add_feed(library, str(tmp_path / "rarely.xml")).name
    clock = [time.time() + 10]
    monkeypatch.setattr(feed_actions, "now", lambda: clock[0])
    asked = fetches(monkeypatch)
    app = make_app()  # no refresh_every: only `often` has a schedule
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        screen.scheduled_refresh()
        await settle(pilot)
        await settle(pilot)
        assert asked == [[often]]
        often = "often"  # (named by its title once fetched)
        assert screen.library.due_feeds(None, clock[0]) == []
        assert screen.library.due_feeds(None, clock[0] + 15 * 60) == [often]
        assert sorted(screen.library.due_feeds(3600, clock[0] + 15 * 60)) == [often, rarely]


async def test_refresh_on_start_and_without_either_setting_only_r(
    make_app: MakeApp, feed: Path
) -> None:
    app = make_app(refresh_on_start=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await settle(pilot)
        assert refreshed(app) == ["1 feed refreshed: 2 new articles."]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await settle(pilot)
        assert refreshed(app) == []


async def test_notify_runs_its_command_with_the_count_and_the_feeds(
    make_app: MakeApp, feed: Path, tmp_path: Path
) -> None:
    said = tmp_path / "said.txt"
    script = tmp_path / "notifier.py"
    script.write_text(f"import sys\nopen({str(said)!r}, 'w').write('|'.join(sys.argv[1:]))\n")
    app = make_app(notify=f"{sys.executable} {script} 'newsreader: %n new' %f")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        await settle(pilot)
        for _ in range(50):
            if said.exists():
                break
            time.sleep(0.1)
        assert said.read_text() == "newsreader: 2 new|Loopback News"
        said.unlink()
        await pilot.press("R")  # nothing new: the command is not run
        await settle(pilot)
        await settle(pilot)
        time.sleep(0.5)
        assert not said.exists()


async def test_a_notify_command_that_fails_is_one_line(make_app: MakeApp, feed: Path) -> None:
    app = make_app(notify="no-such-notifier-here %n")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        await settle(pilot)
        await pilot.pause(0.3)
        await settle(pilot)
        assert "notify: no-such-notifier-here was not found." in notes(app)


def test_the_settings_are_checked() -> None:
    config, problems = parse("refresh_every: 2h\nrefresh_on_start: true\nnotify: notify-send %n\n")
    assert (config.refresh_every, config.refresh_on_start, config.notify) == (
        "2h",
        True,
        "notify-send %n",
    )
    assert problems == []
    _, problems = parse('refresh_every: 10s\nnotify: "unclosed \'quote"\n')
    assert len(problems) == 2
    assert "refresh_every must be a time of a minute or more" in problems[0]
    assert "notify must be a command such as 'notify-send newsreader %n'" in problems[1]
