"""The sync clients (Google Reader API and Fever) against a real FreshRSS on loopback
(tests/freshrss.py: skipped, naming why, where PHP or ../shared/servers is absent), and
their faults against loopback fakes: a refused password, a server gone, an answer that is
no JSON, no answer in time."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from feeds_server import FeedServer
from freshrss import API_PASSWORD, USER, FreshRSS
from hypothesis import given
from hypothesis import strategies as st

from reader.library.errors import SyncError
from reader.library.fever import Fever
from reader.library.greader import (
    LABEL,
    READ,
    STARRED,
    GReader,
    GReaderError,
    Unauthorized,
    item_number,
    long_id,
)


@pytest.fixture(scope="module")
def account(freshrss: FreshRSS, feeds: FeedServer) -> GReader:
    """Alice, following two loopback feeds (FreshRSS fetches them as they are added)."""
    client = GReader(freshrss.api, USER, API_PASSWORD, timeout=20)
    for name in ("rss20.xml", "atom10.xml"):
        client.subscribe(feeds.feed(name))
    return client


def test_subscriptions_are_listed_with_their_titles(account: GReader, feeds: FeedServer) -> None:
    listed = {sub.url: sub for sub in account.subscriptions()}
    assert set(listed) == {feeds.feed("rss20.xml"), feeds.feed("atom10.xml")}
    assert listed[feeds.feed("rss20.xml")].title == "RSS Two Daily"
    assert all(sub.id.startswith("feed/") for sub in listed.values())


def test_items_come_the_freshrss_way_and_the_miniflux_way_alike(account: GReader) -> None:
    streamed = {item.id: item for item in account.stream()}
    ids = account.item_ids()
    assert sorted(ids) == sorted(streamed)
    by_id = {item.id: item for item in account.items(ids)}
    assert by_id == streamed
    titles = {item.title for item in streamed.values()}
    assert {"外贸新政出台", "Harbour lights return"} <= titles
    assert all(item.feed.startswith("feed/") and item.html for item in streamed.values())


def test_read_starred_and_labels_go_both_ways(account: GReader) -> None:
    first, second, *_ = account.item_ids()
    account.edit_tags([first, second], add=[READ, STARRED, LABEL + "外汇"])
    items = {item.id: item for item in account.items([first, second])}
    assert all(i.read and i.starred and "外汇" in i.labels for i in items.values())
    assert first not in account.item_ids(without=READ)
    assert set(account.item_ids(stream=STARRED)) >= {first, second}
    assert set(account.item_ids(stream=LABEL + "外汇")) == {first, second}
    account.edit_tags([first], remove=[READ, STARRED, LABEL + "外汇"])
    [back] = account.items([first])
    assert not back.read and not back.starred and "外汇" not in back.labels
    assert first in account.item_ids(without=READ)


def test_a_forgotten_session_logs_in_again(freshrss: FreshRSS, account: GReader) -> None:
    client = GReader(freshrss.api, USER, API_PASSWORD, timeout=20)
    client.login()
    client._auth = "alice/0000000000000000000000000000000000000000"  # as after a restart
    assert client.subscriptions()


def test_a_wrong_api_password_says_so_and_never_shows_it(freshrss: FreshRSS) -> None:
    client = GReader(freshrss.api, USER, "not-the-password", timeout=20)
    with pytest.raises(Unauthorized) as caught:
        client.subscriptions()
    assert str(caught.value) == (
        f"{freshrss.api}: the server refused 'alice': wrong user or API password"
    )
    assert "not-the-password" not in repr(client) + str(caught.value)


def test_fever_sees_the_same_feeds_and_items(freshrss: FreshRSS, account: GReader) -> None:
    fever = Fever(f"{freshrss.base}/api/fever.php", USER, API_PASSWORD, timeout=20)
    feeds = {feed.url: feed for feed in fever.feeds()}
    assert {sub.url for sub in account.subscriptions()} == set(feeds)
    items = list(fever.items_since())
    assert [i.id for i in items] == sorted(i.id for i in items)
    assert {i.id for i in items} == set(account.item_ids())  # one server, one numbering
    some = [items[0].id, items[-1].id]
    assert {i.id: i.title for i in fever.items(some)} == {
        i.id: i.title for i in items if i.id in some
    }
    assert {i.feed for i in items} <= {feed.id for feed in feeds.values()}


def test_fever_marks_read_and_saved_both_ways(freshrss: FreshRSS, account: GReader) -> None:
    fever = Fever(f"{freshrss.base}/api/fever.php", USER, API_PASSWORD, timeout=20)
    number = max(fever.unread_ids())
    fever.mark([number], "read")
    fever.mark([number], "saved")
    assert number not in fever.unread_ids() and number in fever.saved_ids()
    [seen] = account.items([number])  # the Google Reader side agrees
    assert seen.read and seen.starred
    fever.mark([number], "unread")
    fever.mark([number], "unsaved")
    [item] = fever.items([number])
    assert not item.read and not item.saved


def test_fever_says_a_wrong_api_password_and_never_shows_it(freshrss: FreshRSS) -> None:
    fever = Fever(f"{freshrss.base}/api/fever.php", USER, "not-the-password", timeout=20)
    with pytest.raises(Unauthorized, match="wrong user or API password"):
        fever.feeds()
    assert "not-the-password" not in repr(fever)


def test_fever_names_an_answer_that_is_no_json(fake: ThreadingHTTPServer) -> None:
    url = f"http://127.0.0.1:{fake.server_address[1]}/fever.php"
    with pytest.raises(SyncError, match="fever.php: not a Fever API answer"):
        Fever(url, USER, API_PASSWORD, timeout=5).check()


class _Fake(BaseHTTPRequestHandler):
    """Answers every request as `mode` says: HTML, or nothing for a long while."""

    mode = "html"

    def do_GET(self) -> None:  # noqa: N802 - the standard library's name
        if self.mode == "slow":
            time.sleep(3)
        body = b"SID=x\nAuth=alice/1\n" if "ClientLogin" in self.path else b"<html>hi</html>"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET  # noqa: N815

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def fake() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Fake)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()
    _Fake.mode = "html"


def test_an_answer_that_is_no_json_is_named(fake: ThreadingHTTPServer) -> None:
    url = f"http://127.0.0.1:{fake.server_address[1]}/api"
    with pytest.raises(GReaderError, match=r"/reader/api/0/subscription/list: not a Google"):
        GReader(url, USER, API_PASSWORD, timeout=5).subscriptions()


def test_no_answer_in_time_is_named(fake: ThreadingHTTPServer) -> None:
    _Fake.mode = "slow"
    url = f"http://127.0.0.1:{fake.server_address[1]}/api"
    started = time.monotonic()
    with pytest.raises(GReaderError, match=r"ClientLogin: no answer within 0.5 s"):
        GReader(url, USER, API_PASSWORD, timeout=0.5).login()
    assert time.monotonic() - started < 2.5


def test_a_server_that_is_gone_is_named() -> None:
    from freshrss import free_port

    url = f"http://127.0.0.1:{free_port()}/api/greader.php"
    with pytest.raises(GReaderError, match=r"greader.php/accounts/ClientLogin: .*refused"):
        GReader(url, USER, API_PASSWORD, timeout=5).login()


def test_only_http_addresses_are_taken(tmp_path: Path) -> None:
    with pytest.raises(GReaderError, match="not an http"):
        GReader(f"file://{tmp_path}", USER, API_PASSWORD)


@given(st.integers(min_value=0, max_value=2**63 - 1))
def test_item_ids_read_alike_in_every_form(number: int) -> None:
    assert item_number(long_id(number)) == number == item_number(str(number))
