"""Feeds in the app: `R` refreshes them with progress and a summary; a feed's unread count
shows under Sources, and a failing feed is marked there with its error under the list."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from reader.library import Library
from reader.library.feeds import add_feed
from reader.ui.app import ReaderApp
from reader.ui.widgets import Sidebar

from .helpers import Fixture, main_of, notes, settle

SIZE = (120, 36)
MakeApp = Callable[..., ReaderApp]

RSS = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Loopback News</title>
<item><title>First feed entry</title><guid>a</guid><pubDate>Mon, 01 Jan 2035 10:00:00 GMT</pubDate>
<description>&lt;p&gt;Hello from the feed.&lt;/p&gt;</description></item>
<item><title>第二条新闻</title><guid>b</guid><pubDate>Mon, 01 Jan 2035 09:00:00 GMT</pubDate>
<description>新闻内容</description></item>
</channel></rss>
"""


def sidebar_lines(app: ReaderApp) -> list[str]:
    sidebar = main_of(app).query_one(Sidebar)
    return [str(option.prompt) for option in sidebar.options]


async def test_capital_r_refreshes_the_feeds_and_sums_up(
    make_app: MakeApp, reader_lib: Fixture, tmp_path: Path
) -> None:
    good = tmp_path / "news.xml"
    good.write_text(RSS)
    broken = tmp_path / "gone.xml"
    broken.write_text(RSS.replace("Loopback News", "Soon gone"))
    with Library(reader_lib.path) as library:
        add_feed(library, str(good), tag="feeds")
        add_feed(library, str(broken), name="Gone feed")
    broken.unlink()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        await pilot.press("R")
        await settle(pilot)
        await settle(pilot)
        [summary] = [n for n in notes(app) if "feeds refreshed" in n]
        assert summary == "2 feeds refreshed: 2 new articles. 1 failed:\nGone feed: no such file"
        titles = [row.title for row in screen.library.summaries_for(screen.articles.ids[:2])]
        assert titles == ["First feed entry", "第二条新闻"]
        lines = sidebar_lines(app)
        assert any(line.split() == ["Loopback", "News", "2/2"] for line in lines), lines
        assert any(line.startswith("!Gone feed") for line in lines), lines
        # the failing feed's error shows under the list while it is shown
        screen.show_view(screen.view.__class__("source", "Gone feed"))
        await settle(pilot)
        assert str(screen.articles.border_subtitle) == "! refresh failed: no such file"
        # and the refreshed entries read like any article
        screen.show_view(screen.view.__class__("source", "Loopback News"))
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert "Hello from the feed." in screen.body.plain


async def test_capital_r_without_feeds_says_how_to_add_one(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        assert (
            "No feeds yet: `newsreader feed add URL` follows one"
            " (or `newsreader sync add` syncs with a feed server)." in notes(app)
        )
