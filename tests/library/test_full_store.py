"""Full texts kept in the library: shown in the feed's text's place (and switched back),
found by search, filled in for --full-text feeds as they are refreshed (pages on a
loopback server), a page with no article remembered and not asked for again."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_helpers import run
from feeds_server import FeedServer
from library_helpers import index_consistent
from news_pages import EN_ARTICLE, ZH_ARTICLE, news_page

from reader.library import Library
from reader.library.feeds import add_feed, refresh
from reader.library.query import parse

TEASER = "The harbour reopened on Tuesday."  # all the feed carries


def rss(items: list[tuple[str, str]]) -> str:
    entries = "".join(
        f"<item><title>{title}</title><link>{link}</link><guid>{link}</guid>"
        f"<description>{TEASER}</description></item>"
        for title, link in items
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Coast</title>{entries}'
    "</channel></rss>"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[FeedServer]:
    with FeedServer(folder=tmp_path, slow_seconds=10) as running:
        yield running


@pytest.fixture
def coast(server: FeedServer) -> dict[str, str]:
    """A feed of teasers, whose links are pages: two news pages and one missing."""
    pages = {
        "harbour": server.swap("news/harbour", news_page(EN_ARTICLE), "text/html"),
        "bridge": server.swap("news/bridge", news_page(ZH_ARTICLE, "zh"), "text/html"),
        "gone": server.url("/status/404"),
    }
    feed = rss([("Harbour", pages["harbour"]), ("大桥", pages["bridge"]), ("Gone", pages["gone"])])
    return {"feed": server.swap("coast.xml", feed), **pages}


def by_title(library: Library) -> dict[str, int]:
    return {row.title: row.id for row in library.summaries_for(library.ids())}


def test_a_full_text_is_shown_in_the_feeds_place_and_found_by_search(
    library: Library, tmp_path: Path
) -> None:
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "a.md").write_text("---\ntitle: Harbour\n---\nThe harbour reopened.\n")
    from reader.library import import_paths

    import_paths(library, [tmp_path / "p"])
    (article_id,) = library.ids()
    assert library.article(article_id).full == ""  # type: ignore[union-attr]
    library.set_full_text(article_id, "Engineers rebuilt the **breakwater** with granite.")
    article = library.article(article_id)
    assert article is not None
    assert (article.full, article.kind) == ("shown", "markdown")
    assert "breakwater" in article.body
    assert library.search(parse("granite")) == [article_id]  # the page's words
    assert library.search(parse("reopened")) == [article_id]  # and the feed's
    index_consistent(library, tmp_path)
    library.show_full_text(article_id, False)
    article = library.article(article_id)
    assert article is not None
    assert (article.full, article.body.strip()) == ("kept", "The harbour reopened.")
    assert library.search(parse("granite")) == [article_id]
    library.rebuild_index()  # the index made afresh holds the same
    assert library.search(parse("granite")) == [article_id]
    index_consistent(library, tmp_path)


def test_a_full_text_feed_gets_its_pages_as_it_is_refreshed(
    library: Library, server: FeedServer, coast: dict[str, str], tmp_path: Path
) -> None:
    add_feed(library, coast["feed"], name="coast", full_text=True)
    refresh(library.path, timeout=5)
    ids = by_title(library)
    harbour = library.article(ids["Harbour"])
    bridge = library.article(ids["大桥"])
    gone = library.article(ids["Gone"])
    assert harbour is not None and bridge is not None and gone is not None
    assert harbour.full == "shown" and "forty thousand tonnes" in harbour.body
    assert bridge.full == "shown" and "设计使用寿命一百年" in bridge.body
    assert (gone.full, gone.body.strip()) == ("failed", TEASER)
    assert library.search(parse("设计使用寿命")) == [ids["大桥"]]
    index_consistent(library, tmp_path)
    asked = len(server.requests)
    refresh(library.path, timeout=5)  # pages, and the page that failed, are not asked again
    assert [r.path for r in server.requests[asked:]] == ["/swap/coast.xml"]


def test_a_feed_without_full_text_fetches_no_page(
    library: Library, server: FeedServer, coast: dict[str, str]
) -> None:
    add_feed(library, coast["feed"], name="coast")
    refresh(library.path, timeout=5)
    assert [r.path for r in server.requests] == ["/swap/coast.xml"]
    assert {library.article(i).full for i in library.ids()} == {""}  # type: ignore[union-attr]


def test_feed_set_turns_full_text_on_for_a_feed_followed_already(
    home: Path, server: FeedServer, coast: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "feed", "add", coast["feed"], "--name", "coast")[0] == 0
    code, out, _ = run(capsys, "feed", "set", "coast", "--full-text", "on", "--every", "2h")
    assert (code, out) == (0, "coast: refreshed every 2h, with full texts.\n")
    assert "every 2h  full text" in run(capsys, "feed", "list")[1]
    assert run(capsys, "refresh")[0] == 0
    code, out, _ = run(capsys, "search", "granite")
    assert code == 0 and "Harbour" in out
    code, _, err = run(capsys, "feed", "set", "coast")
    assert code == 2 and "say what to change" in err


def test_a_server_error_is_asked_again_and_a_slow_page_never_crashes_a_refresh(
    library: Library, server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.library import feeds, fulltext

    feed = rss([("Busy", server.url("/status/503")), ("Slow", server.url("/slow/x"))])
    add_feed(library, server.swap("busy.xml", feed), name="busy", full_text=True)
    real = fulltext.full_text

    def slow_or_real(url: str, timeout: float) -> str:
        if "/slow/" in url:  # (an extraction outliving its timeout: readability on a huge page)
            import time

            time.sleep(1.0)
        return real(url, timeout)

    monkeypatch.setattr(fulltext, "full_text", slow_or_real)
    monkeypatch.setattr(feeds, "GRACE", 0.1)
    refresh(library.path, timeout=0.3)
    assert {library.article(i).full for i in library.ids()} == {""}  # type: ignore[union-attr]
    assert len(library.wanting_full_text()) == 2  # both asked for again next time


def test_a_failed_fetch_never_replaces_a_full_text_kept(library: Library, tmp_path: Path) -> None:
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "a.md").write_text("---\ntitle: A\n---\nTeaser.\n")
    from reader.library import import_paths

    import_paths(library, [tmp_path / "p"])
    (article_id,) = library.ids()
    library.set_full_text(article_id, "The whole article, with many words in it.")
    library.full_text_failed(article_id, "x: timed out")
    assert library.article(article_id).full == "shown"  # type: ignore[union-attr]
