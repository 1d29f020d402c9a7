"""`F` in the app: the open article's full text fetched from its page (a loopback server),
shown in the feed's text's place, and `F` again switches back, offline; a page with no
article is said in one line and the feed's text stays."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from feeds_server import FeedServer
from news_pages import EN_ARTICLE, news_page

from reader.ui.app import ReaderApp

from .helpers import library_of, main_of, notes, settle

MakeApp = Callable[..., ReaderApp]
SIZE = (120, 30)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[FeedServer]:
    with FeedServer(folder=tmp_path, slow_seconds=10) as running:
        yield running


def teaser(link: str) -> str:
    return f"---\ntitle: Harbour\ndate: 2024-05-01\nlink: {link}\n---\nThe harbour reopened.\n"


def body_text(app: ReaderApp) -> str:
    return "\n".join(main_of(app).body.plain)


async def test_f_fetches_the_full_article_and_f_again_shows_the_feeds_text(
    make_app: MakeApp, server: FeedServer, tmp_path: Path
) -> None:
    page = server.swap("news/harbour", news_page(EN_ARTICLE), "text/html; charset=utf-8")
    app = make_app(library_of(tmp_path / "lib", {"h.md": teaser(page)}))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert "forty thousand tonnes" not in body_text(app)
        await pilot.press("F")
        await settle(pilot)
        assert "forty thousand tonnes of granite" in body_text(app)
        assert "Most read" not in body_text(app)  # the page's sidebar
        assert "Text       the full article, from its page (F: the feed's own)" in body_text(app)
        assert "The full article, from its page (F: the feed's text)." in notes(app)
        fetched = len(server.requests)
        await pilot.press("F")
        await settle(pilot)
        assert "forty thousand tonnes" not in body_text(app)
        assert "The harbour reopened." in body_text(app)
        assert "Text       the feed's own (F: the full article, from its page)" in body_text(app)
        await pilot.press("F")  # kept: no fetch again
        await settle(pilot)
        assert "forty thousand tonnes" in body_text(app)
        assert len(server.requests) == fetched


async def test_a_page_with_no_article_is_one_line(
    make_app: MakeApp, server: FeedServer, tmp_path: Path
) -> None:
    app = make_app(library_of(tmp_path / "lib", {"h.md": teaser(server.url("/status/404"))}))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter", "F")
        await settle(pilot)
        assert any(
            n.startswith("No full text: ") and n.endswith("the server answered 404 Not Found")
            for n in notes(app)
        ), notes(app)
        assert "The harbour reopened." in body_text(app)
