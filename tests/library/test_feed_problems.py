"""Feeds, in detail: an entry keeps the offset it was published with, and every kind of
failure reads as words that name the problem (never an exception's repr).

Only loopback (tests/feeds_server.py) and local files: no test here needs the network.
"""

from __future__ import annotations

import socket
import ssl
import time
import urllib.error
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

import pytest
from feeds_server import FeedServer

from reader.library import Library
from reader.library.feeds import add_feed, refresh
from reader.library.fetch import FeedError, entry_date, parse_feed, web_problem

CHINA = timezone(timedelta(hours=8))
NOT_WORDS = ("Error(", "Exception", "[Errno", "<urlopen", "Traceback")


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        yield running


def rss(pub_date: str) -> bytes:
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
        f"<item><guid>a</guid><title>早盘</title><pubDate>{pub_date}</pubDate>"
        "<description>text</description></item></channel></rss>"
    ).encode()


def atom(published: str) -> bytes:
    return (
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title>'
        f"<entry><id>a</id><title>早盘</title><published>{published}</published>"
        "<summary>text</summary></entry></feed>"
    ).encode()


# ---- dates --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "offset"),
    [
        (rss("Tue, 02 Jan 2024 09:30:00 +0800"), timedelta(hours=8)),
        (rss("Tue, 02 Jan 2024 01:30:00 GMT"), timedelta(0)),
        (rss("Mon, 01 Jan 2024 20:30:00 -0500"), timedelta(hours=-5)),
        (atom("2024-01-02T09:30:00+08:00"), timedelta(hours=8)),
        (atom("2024-01-02T01:30:00Z"), timedelta(0)),
    ],
)
def test_a_feed_entry_keeps_the_offset_it_was_published_with(
    data: bytes, offset: timedelta
) -> None:
    [entry] = parse_feed(data, "https://example.org/feed")[1]
    assert entry.date == datetime(2024, 1, 2, 1, 30, tzinfo=UTC)  # the same moment ...
    assert entry.date.utcoffset() == offset  # ... at the offset it was written with


def test_a_stored_feed_entry_shows_its_own_time_of_day(library: Library, tmp_path: Path) -> None:
    local = tmp_path / "wire.xml"
    local.write_bytes(rss("Tue, 02 Jan 2024 09:30:00 +0800"))
    add_feed(library, str(local), name="Wire")
    refresh(library.path)
    [summary] = library.summaries()
    article = library.article(summary.id)
    assert article is not None and article.date == "2024-01-02T09:30:00+08:00"  # not 01:30


def test_a_date_only_feedparser_reads_falls_back_to_its_parsed_time() -> None:
    parsed = time.struct_time((2024, 1, 2, 1, 30, 0, 1, 2, 0))
    item = {"published": "the second of January", "published_parsed": parsed}
    assert entry_date(item) == datetime(2024, 1, 2, 1, 30, tzinfo=UTC)
    assert entry_date({"updated": format_datetime(datetime(2024, 1, 2, 9, 30, tzinfo=CHINA))}) == (
        datetime(2024, 1, 2, 9, 30, tzinfo=CHINA)
    )
    assert entry_date({}) is None


# ---- problems in words --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b'<?xml version="1.0"?>\n<rss version="2.0">\n<channel>', "the XML ends at line 3"),
        (b"<rss><channel><title>x</channel></rss>", "a tag is not closed at line 1"),
        (b"just some words", "neither XML nor JSON"),
        (b"<!DOCTYPE html><html><body><p>hi</body></html>", "a web page (HTML)"),
        (b'{"title": "x",\n "items": [}', "the JSON is not valid at line 2"),
        (b'{"title": "x", "items": []}', "JSON, but not a JSON Feed"),
    ],
)
def test_what_is_not_a_feed_says_why(data: bytes, words: str) -> None:
    with pytest.raises(FeedError) as caught:
        parse_feed(data, "https://example.org/feed")
    message = str(caught.value)
    assert message.startswith("not a feed: ") and words in message
    assert not any(bad in message for bad in NOT_WORDS)


URL = "https://example.com/feed.xml"


@pytest.mark.parametrize(
    ("problem", "words"),
    [
        (
            urllib.error.URLError(socket.gaierror(socket.EAI_NONAME, "Name or service not known")),
            "cannot reach example.com (name not found)",
        ),
        (urllib.error.URLError(ConnectionRefusedError(111, "Connection refused")), None),
        (urllib.error.URLError(TimeoutError("timed out")), "no answer within 10 s"),
        (TimeoutError("The read operation timed out"), "no answer within 10 s"),
        (
            urllib.error.URLError(ssl.SSLCertVerificationError(1, "certificate verify failed")),
            "cannot reach example.com securely (its certificate is not trusted)",
        ),
        (
            urllib.error.HTTPError(URL, 404, "Not Found", None, None),  # type: ignore[arg-type]
            "the server answered 404 Not Found",
        ),
        (
            urllib.error.HTTPError(URL, 503, "", None, None),  # type: ignore[arg-type]
            "the server answered 503 Service Unavailable",
        ),
        (zlib.error("Error -3 while decompressing data"), "example.com sent a damaged"),
    ],
)
def test_a_fetch_problem_reads_as_words(problem: BaseException, words: str | None) -> None:
    message = web_problem(problem, URL, 10)
    assert message.startswith(words or "cannot reach example.com (connection refused)")
    assert not any(bad in message for bad in NOT_WORDS)


def test_a_refused_connection_and_a_missing_file_are_named(
    library: Library, tmp_path: Path
) -> None:
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    add_feed(library, f"http://127.0.0.1:{port}/feed.xml", name="Closed")
    local = tmp_path / "gone.xml"
    local.write_bytes(rss("Tue, 02 Jan 2024 09:30:00 +0800"))
    add_feed(library, str(local), name="Gone")
    local.unlink()

    lines = sorted(r.line() for r in refresh(library.path, timeout=5))

    assert lines == ["Closed: cannot reach 127.0.0.1 (connection refused)", "Gone: no such file"]


def test_a_redirect_away_from_the_web_is_refused_in_words(
    library: Library, server: FeedServer
) -> None:
    add_feed(library, server.url("/away"), name="Away")
    [result] = refresh(library.path, timeout=5)
    assert result.line() == (
        "Away: the server sent it on to a non-web address (ftp://example.com/feed.xml)"
    )
