"""`newsreader feed add` fetches the feed at once (named by its title, its entries there),
unless `--no-fetch`; a failed first fetch keeps the feed, says why in words, and exits 1.
Counts read as English (`1 feed`, `2 feeds`). Loopback and local files only."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_helpers import run
from feeds_server import FEEDS, FeedServer

from reader.library import Library


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        yield running


def test_feed_add_fetches_at_once_and_names_the_feed_by_its_title(
    capsys: pytest.CaptureFixture[str], server: FeedServer, tmp_path: Path
) -> None:
    db = tmp_path / "cli.db"
    code, out, err = run(capsys, "--library", db, "feed", "add", server.feed("rss20.xml"))
    assert (code, err) == (0, "")
    assert out == f"Following RSS Two Daily ({server.feed('rss20.xml')}): 3 articles.\n"
    with Library(db) as library:
        [feed] = library.feeds()
        assert (feed.name, feed.articles, feed.error) == ("RSS Two Daily", 3, "")
        assert [f.name for f in library.facets("source")] == ["RSS Two Daily"]
        assert library.count() == 3


def test_feed_add_of_a_local_file_fetches_it_too(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    local = tmp_path / "glacier.xml"
    shutil.copy(FEEDS / "atom10.xml", local)
    code, out, _ = run(capsys, "--library", tmp_path / "cli.db", "feed", "add", local)
    assert code == 0 and out.endswith("): 3 articles.\n")


def test_feed_add_no_fetch_only_follows(
    capsys: pytest.CaptureFixture[str], server: FeedServer, tmp_path: Path
) -> None:
    db = tmp_path / "cli.db"
    url = server.feed("rss20.xml")
    code, out, _ = run(capsys, "--library", db, "feed", "add", url, "--no-fetch")
    assert code == 0 and "`newsreader refresh` fetches it" in out
    assert server.requests_to(url) == []
    with Library(db) as library:
        assert library.count() == 0


def test_a_failed_first_fetch_keeps_the_feed_and_says_why(
    capsys: pytest.CaptureFixture[str], server: FeedServer, tmp_path: Path
) -> None:
    db = tmp_path / "cli.db"
    url = server.url("/status/404")
    code, out, err = run(capsys, "--library", db, "feed", "add", url, "--name", "Gone")
    assert code == 1
    assert out.startswith(f"Following Gone ({url}), but its first fetch failed:")
    assert err == "Gone: the server answered 404 Not Found\n"
    assert "newsreader refresh Gone" in out
    with Library(db) as library:
        [feed] = library.feeds()
        assert feed.error == "the server answered 404 Not Found"

    code, out, _ = run(capsys, "--library", db, "feed", "list")
    assert code == 0
    assert "    last refresh failed: the server answered 404 Not Found" in out.splitlines()


def test_counts_read_as_english(
    capsys: pytest.CaptureFixture[str], server: FeedServer, tmp_path: Path
) -> None:
    db = tmp_path / "cli.db"
    run(capsys, "--library", db, "feed", "add", server.feed("rss20.xml"), "--no-fetch")
    code, out, _ = run(capsys, "--library", db, "refresh")
    assert code == 0 and "Refreshed 1 feed: 3 new articles, 0 failed." in out.splitlines()

    exported = tmp_path / "feeds.opml"
    code, out, _ = run(capsys, "--library", db, "feed", "export", exported)
    assert out == f"Wrote 1 feed to {exported}.\n"
    code, out, _ = run(capsys, "--library", tmp_path / "other.db", "feed", "import", exported)
    assert out.splitlines()[0] == "Following 1 new feed; 0 skipped."
    code, out, _ = run(capsys, "--library", db, "feed", "remove", "RSS Two Daily")
    assert out == "No longer following RSS Two Daily; 3 entries removed (bookmarked ones stay).\n"


def test_feed_add_every_gives_the_feed_its_own_schedule(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    local = tmp_path / "glacier.xml"
    shutil.copy(FEEDS / "atom10.xml", local)
    db = tmp_path / "cli.db"
    code, _, _ = run(capsys, "--library", db, "feed", "add", local, "--every", "1h30m")
    assert code == 0
    with Library(db) as library:
        assert [f.every for f in library.feeds()] == [5400]
    code, out, _ = run(capsys, "--library", db, "feed", "list")
    assert code == 0 and "every 1h30m" in out.splitlines()[0]
    for wrong in ("30s", "soon"):
        code, out, err = run(capsys, "--library", db, "feed", "add", local, "--every", wrong)
        assert (code, out) == (2, "") and "--every must be" in err
