"""A feed whose fetch never returns cannot hold a refresh forever: a name lookup that never
answers and a feed file on a hung network mount sit outside the fetch's own deadline, so the
refresh gives up on them (GRACE seconds after the timeout), says so for that feed, and
stores the others. A named pipe swapped in for a feed file is refused at once.

No assertion on speed: HANG only tells a hang (these never return) from a finish.
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.library import Library
from reader.library import fetch as fetching
from reader.library.feeds import FeedResult, add_feed, refresh

HANG = 30.0  # seconds: far longer than timeout + GRACE, and these fetches never end
RSS = (
    '<?xml version="1.0"?><rss version="2.0"><channel><title>Fine</title>'
    "<item><title>One</title><guid>1</guid></item></channel></rss>"
)


@pytest.fixture
def never() -> Iterator[threading.Event]:
    """Released at the end, so that the threads it holds end with the test."""
    event = threading.Event()
    yield event
    event.set()


def refresh_in_time(db: Path) -> dict[str, FeedResult]:
    """refresh(db), failing the test instead of hanging with it."""
    results: list[FeedResult] = []
    thread = threading.Thread(target=lambda: results.extend(refresh(db, timeout=0.5)), daemon=True)
    thread.start()
    thread.join(HANG)
    assert not thread.is_alive(), "the refresh waited for a fetch that never ends"
    return {result.feed.name: result for result in results}


def library_with(tmp_path: Path, stuck: str) -> Path:
    db = tmp_path / "lib.db"
    fine = tmp_path / "fine.xml"
    fine.write_text(RSS)
    with Library(db) as library:
        add_feed(library, stuck, name="Stuck")
        add_feed(library, str(fine), name="Fine")
    return db


def test_a_name_lookup_that_never_answers_fails_its_feed_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, never: threading.Event
) -> None:
    real = socket.getaddrinfo

    def lookup(host: str, *args: object, **kwargs: object) -> object:
        if host == "stuck.example":
            never.wait()  # a resolver that never answers
        return real(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    db = library_with(tmp_path, "http://stuck.example/feed.xml")

    results = refresh_in_time(db)

    assert results["Stuck"].error == "no answer within 0.5 s"
    assert (results["Fine"].error, results["Fine"].new) == (None, 1)
    with Library(db) as library:
        stored = {feed.name: feed for feed in library.feeds()}
    assert stored["Stuck"].error == "no answer within 0.5 s"
    assert stored["Fine"].articles == 1


def test_a_feed_file_on_a_hung_mount_fails_its_feed_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, never: threading.Event
) -> None:
    stuck = tmp_path / "stuck.xml"
    stuck.write_text(RSS)
    real = fetching.read_post

    def read(path: str) -> bytes:
        if path == str(stuck):
            never.wait()  # open() on a network mount whose server is gone
        return real(path)

    monkeypatch.setattr(fetching, "read_post", read)
    db = library_with(tmp_path, str(stuck))

    results = refresh_in_time(db)

    assert results["Stuck"].error == "no answer within 0.5 s"
    assert (results["Fine"].error, results["Fine"].new) == (None, 1)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_with_no_writer_is_refused_at_once(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.xml"
    pipe.write_text(RSS)  # a file when followed, a pipe by the refresh
    db = library_with(tmp_path, str(pipe))
    pipe.unlink()
    os.mkfifo(pipe)

    results = refresh_in_time(db)

    assert results["Stuck"].error == "not a regular file (a named pipe)"
    assert results["Fine"].new == 1
