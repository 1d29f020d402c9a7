"""A sync's faults, against a real FreshRSS on loopback (tests/freshrss.py: skipped, naming
why, where PHP or ../shared/servers is absent), seen through a loopback proxy that breaks
its answers on demand: a refusal (401, 403, 5xx), no answer in time, a truncated answer,
an HTML page, an answer lost after the server acted, the server gone, an item it no
longer has, a label it drops. Each leaves the library as it was, names the account and
the cause, keeps what the reader changed for the server, and the next sync sends it."""

from __future__ import annotations

import http.client
import itertools
import json
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from feeds_server import FeedServer
from freshrss import API_PASSWORD, FreshRSS
from sync_helpers import by_title, marks

from reader.library import Library, passwords
from reader.library.greader import LABEL, GReader, item_number
from reader.library.sync import SyncResult, add_account, sync

_users = itertools.count(1)
TIMEOUT = 1.0  # seconds: how long a sync through a proxy that never answers waits
Marks = tuple[bool, bool, tuple[str, ...]]  # read, bookmarked, user tags
PAGE = (  # what a captive portal or a misconfigured web server answers instead of the API
    b'<!doctype html>\n<html><head><meta charset="utf-8"><title>Sign in</title></head>'
    b"<body><p>Please sign in to use this network.</p></body></html>\n"
)


# ---- a proxy that breaks answers ----------------------------------------------------------


class Proxy:
    """A loopback HTTP proxy in front of `target` (a server's base address, such as
    `http://127.0.0.1:PORT`): each request goes there and its answer comes back, unless
    `fault` is set (for paths containing `only`, or all):

        "401", "500"...  that status, the server not asked
        "slow"           no answer until `heal()` (longer than any sync's timeout)
        "truncated"      the first half of the server's answer, its Content-Length the half's
        "cut"            the first half, with the whole's Content-Length, then the end
        "html"           200 with an HTML page, the server not asked
        "lost"           the server asked (and acting), its answer never sent

    Items in `hidden` are taken out of every stream answer (the server has them no more);
    with `drop_labels`, an edit-tag call that adds a label answers OK, never forwarded; with
    `no_label_streams` too, a label's stream of ids answers none (as a server that keeps no
    labels would; FreshRSS answers a label it does not have with every item)."""

    def __init__(self, target: str) -> None:
        parts = urllib.parse.urlsplit(target)
        self.host, self.target_port = parts.hostname or "127.0.0.1", parts.port or 80
        self.fault: str | None = None
        self.only: str | None = None
        self.hidden: set[int] = set()
        self.drop_labels = False
        self.no_label_streams = False
        self.paths: list[str] = []  # every request's path, in order
        self.swallowed = 0  # edit-tag calls answered without the server
        self.wake = threading.Event()
        self.port = 0  # (0: the OS picks one; a restart keeps it)
        self._server: _ProxyServer | None = None
        self._thread: threading.Thread | None = None
        self.start()

    @property
    def api(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/greader.php"

    def start(self) -> None:
        server = _ProxyServer(("127.0.0.1", self.port), _Handler)
        server.proxy = self
        self.port = int(server.server_address[1])
        self.wake.clear()
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Closes the port: connections to it are refused until `start()`."""
        self.wake.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None

    def breaks(self, fault: str, only: str | None = None) -> None:
        self.wake.clear()
        self.fault, self.only = fault, only

    def heal(self) -> None:
        self.fault = self.only = None
        self.drop_labels = self.no_label_streams = False
        self.wake.set()

    def forward(
        self, method: str, path: str, headers: Message, body: bytes | None
    ) -> tuple[int, str, bytes]:
        """(status, content type, body) of the real server's answer."""
        skipped = {"host", "connection", "content-length", "keep-alive"}
        sent = {k: v for k, v in headers.items() if k.lower() not in skipped}
        connection = http.client.HTTPConnection(self.host, self.target_port, timeout=20)
        try:
            connection.request(method, path, body=body, headers=sent)
            answer = connection.getresponse()
            return answer.status, answer.getheader("Content-Type") or "", answer.read()
        finally:
            connection.close()

    def hide(self, path: str, answer: bytes) -> bytes:
        if not self.hidden or "/stream/" not in path:
            return answer
        try:
            document = json.loads(answer)
        except ValueError:
            return answer
        if not isinstance(document, dict):
            return answer
        for key in ("itemRefs", "items"):
            if isinstance(document.get(key), list):
                document[key] = [
                    entry for entry in document[key] if item_number(entry["id"]) not in self.hidden
                ]
        return json.dumps(document).encode()


class _ProxyServer(ThreadingHTTPServer):
    daemon_threads = True
    proxy: Proxy


class _Handler(BaseHTTPRequestHandler):
    server: _ProxyServer

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._answer()

    def _answer(self) -> None:
        proxy = self.server.proxy
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        proxy.paths.append(self.path)
        fault = proxy.fault if proxy.only is None or proxy.only in self.path else None
        self.close_connection = True
        if fault == "slow":
            proxy.wake.wait(30)  # then the end, with no answer: the client gave up long ago
            return
        if fault is not None and fault.isdigit():
            self._send(int(fault), b"refused by the proxy\n", "text/plain")
            return
        if fault == "html":
            self._send(200, PAGE, "text/html; charset=utf-8")
            return
        if proxy.drop_labels and "/edit-tag" in self.path and _adds_label(body):
            proxy.swallowed += 1
            self._send(200, b"OK", "text/plain; charset=UTF-8")
            return
        if proxy.no_label_streams and "/stream/items/ids" in self.path and _of_label(self.path):
            self._send(200, b'{"itemRefs":[]}', "application/json; charset=UTF-8")
            return
        status, kind, answer = proxy.forward(self.command, self.path, self.headers, body)
        answer = proxy.hide(self.path, answer)
        if fault == "lost":
            return
        if fault == "truncated":
            answer = answer[: len(answer) // 2]
        if fault == "cut":
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer[: len(answer) // 2])
            return
        self._send(status, answer, kind)

    def _send(self, status: int, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _adds_label(body: bytes | None) -> bool:
    fields = urllib.parse.parse_qs((body or b"").decode())
    return any(tag.startswith(LABEL) for tag in fields.get("a", []))


def _of_label(path: str) -> bool:
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)
    return any(stream.startswith(LABEL) for stream in query.get("s", []))


# ---- fixtures and helpers -------------------------------------------------------------------


@pytest.fixture
def server(freshrss: FreshRSS, feeds: FeedServer) -> GReader:
    """A new user (straight to the server, no proxy), following two loopback feeds."""
    client = GReader(freshrss.api, freshrss.new_user(f"fault{next(_users)}"), API_PASSWORD, 20)
    client.subscribe(feeds.feed("rss20.xml"))
    client.subscribe(feeds.feed("atom10.xml"))
    return client


@pytest.fixture
def proxy(freshrss: FreshRSS) -> Iterator[Proxy]:
    proxy = Proxy(freshrss.base)
    yield proxy
    proxy.stop()


def device(tmp_path: Path, proxy: Proxy, server: GReader) -> Path:
    """A library with the account (through the proxy) added and synced once."""
    path = tmp_path / "device" / "library.db"
    with Library(path) as library:
        add_account(library, proxy.api, server.user, API_PASSWORD, name="home")
    [result] = sync(path)
    assert result.error is None, result.error
    return path


@dataclass(frozen=True)
class Seen:
    """What a library holds of its one account."""

    marks: dict[str, Marks]
    articles: int  # the library's articles, synced or not
    roots: int  # its sources
    synced: int  # the account's articles
    waiting: int
    since: float | None
    when: str | None  # when it last synced
    error: str


def look(path: Path) -> Seen:
    with Library(path) as library:
        [account] = library.accounts()
        articles = library.db.execute("SELECT count(*) FROM articles").fetchone()[0]
        roots = library.db.execute("SELECT count(*) FROM roots").fetchone()[0]
    return Seen(
        marks(path),
        articles,
        roots,
        account.articles,
        account.waiting,
        account.since,
        account.synced,
        account.error,
    )


def change(path: Path) -> tuple[str, str]:
    """Here, one article marked read and another tagged `x`; returns their titles."""
    first, second = sorted(by_title(path))[:2]
    with Library(path) as library:
        ids = by_title(path)
        library.set_read([ids[first]])
        library.tag([ids[second]], add=["x"])
        assert library.accounts()[0].waiting == 2
    return first, second


def on_server(server: GReader) -> dict[str, tuple[bool, bool, tuple[str, ...]]]:
    """title -> (read, starred, labels) of every item, asked straight of the server."""
    return {i.title: (i.read, i.starred, i.labels) for i in server.items(server.item_ids())}


def failed_as_it_was(
    result: SyncResult, before: Seen, path: Path, cause: str, sources: int = 0
) -> None:
    """The sync failed naming the account and the cause, and changed nothing here but
    the account's error (and `sources` new subscriptions, known with no articles yet)."""
    assert result.error is not None and cause in result.error, result.error
    assert result.line().startswith("home: ") and cause in result.line()
    assert "\n" not in result.line() and API_PASSWORD not in result.line()
    after = look(path)
    assert after.marks == before.marks
    assert (after.articles, after.roots, after.synced) == (
        before.articles,
        before.roots + sources,
        before.synced,
    )
    assert after.waiting == before.waiting  # the queue is kept
    assert (after.since, after.when) == (before.since, before.when)  # the next sync retries
    assert after.error == result.error


def healed(path: Path, server: GReader, read: str, tagged: str) -> SyncResult:
    """The next sync sends the reader's changes and clears the account's error."""
    [result] = sync(path)
    assert result.error is None, result.error
    seen = look(path)
    assert seen.waiting == 0 and seen.error == ""
    assert seen.marks[read][0] and "x" in seen.marks[tagged][2]
    items = on_server(server)
    assert items[read][0] and "x" in items[tagged][2]
    return result


# ---- the faults -------------------------------------------------------------------------------

NO_JSON = "not a Google Reader API answer (no JSON)"
FAULTS = [
    pytest.param("401", None, "wrong user or API password", id="401"),
    pytest.param("401", "/edit-tag", "wrong user or API password", id="401-sending"),
    pytest.param("403", None, "the server answered 403 Forbidden", id="403"),
    pytest.param("500", None, "the server answered 500 Internal Server Error", id="500"),
    pytest.param("502", "/stream/items/ids", "the server answered 502 Bad Gateway", id="502-marks"),
    pytest.param(
        "503", "/edit-tag", "the server answered 503 Service Unavailable", id="503-sending"
    ),
    pytest.param("slow", None, "no answer within 1 s", id="timeout"),
    pytest.param("slow", "/edit-tag", "no answer within 1 s", id="timeout-sending"),
    pytest.param("truncated", "/subscription/list", NO_JSON, id="truncated"),
    pytest.param("truncated", "/stream/items/ids", NO_JSON, id="truncated-marks"),
    pytest.param("cut", "/tag/list", NO_JSON, id="cut-short"),
    pytest.param("html", "/reader/api/0/", NO_JSON, id="html"),
    pytest.param(
        "html", "/accounts/ClientLogin", "the login answered no Auth token", id="html-login"
    ),
    pytest.param("lost", "/edit-tag", "closed connection without response", id="answer-lost"),
    pytest.param("html", "/edit-tag", "edit-tag", id="html-sending"),
    pytest.param("truncated", "/edit-tag", "edit-tag", id="truncated-sending"),
]


@pytest.mark.parametrize(("fault", "only", "cause"), FAULTS)
def test_a_fault_keeps_the_library_and_the_queue_and_the_next_sync_sends_it(
    tmp_path: Path, server: GReader, proxy: Proxy, fault: str, only: str | None, cause: str
) -> None:
    path = device(tmp_path, proxy, server)
    read, tagged = change(path)
    before = look(path)
    proxy.breaks(fault, only)
    [result] = sync(path, timeout=TIMEOUT)
    failed_as_it_was(result, before, path, cause)
    assert only is None or only in proxy.paths[-1]  # the sync stopped at the faulty call
    proxy.heal()
    healed(path, server, read, tagged)


def test_a_wrong_api_password_names_the_account_and_the_next_sync_with_the_right_one_works(
    tmp_path: Path, server: GReader, proxy: Proxy
) -> None:
    """The real server's 401: the kept API password is no longer the server's."""
    path = device(tmp_path, proxy, server)
    read, tagged = change(path)
    before = look(path)
    passwords.save(path, "home", "not-it")
    [result] = sync(path)
    failed_as_it_was(result, before, path, "wrong user or API password")
    assert result.line() == (
        f"home: {proxy.api}: the server refused {server.user!r}: wrong user or API password"
    )
    assert "not-it" not in result.line()
    passwords.save(path, "home", API_PASSWORD)
    healed(path, server, read, tagged)


def test_a_server_that_stopped_keeps_the_library_and_the_next_sync_after_it_is_back_works(
    tmp_path: Path, server: GReader, proxy: Proxy
) -> None:
    path = device(tmp_path, proxy, server)
    read, tagged = change(path)
    before = look(path)
    proxy.stop()  # nothing listens on its port now
    [result] = sync(path, timeout=TIMEOUT)
    failed_as_it_was(result, before, path, "Connection refused")
    assert result.line().startswith(f"home: {proxy.api}")
    proxy.start()  # the same port
    healed(path, server, read, tagged)


def test_a_fault_while_new_items_come_brings_them_on_the_next_sync(
    tmp_path: Path, server: GReader, proxy: Proxy, feeds: FeedServer
) -> None:
    path = device(tmp_path, proxy, server)
    read, tagged = change(path)
    server.subscribe(feeds.feed("rss10.rdf"))
    before = look(path)
    proxy.breaks("500", "/stream/items/contents")
    [result] = sync(path, timeout=TIMEOUT)
    assert "/stream/items/contents" in proxy.paths[-1]  # it failed fetching the new items
    failed_as_it_was(result, before, path, "500 Internal Server Error", sources=1)
    proxy.heal()
    done = healed(path, server, read, tagged)
    assert done.new > 0
    assert look(path).articles == before.articles + done.new


def test_an_item_the_server_no_longer_has_stays_here_with_its_marks_and_is_synced_no_more(
    tmp_path: Path, server: GReader, proxy: Proxy
) -> None:
    path = device(tmp_path, proxy, server)
    titles = by_title(path)
    gone_title, read = sorted(titles)[-1], sorted(titles)[0]
    with Library(path) as library:
        library.set_bookmark([titles[gone_title]], True)
        library.set_read([titles[read]])
        assert library.accounts()[0].waiting == 2
    before = look(path)
    gone_item = {i.title: i.id for i in server.items(server.item_ids())}[gone_title]
    proxy.hidden.add(gone_item)
    [result] = sync(path)
    assert result.error is None, result.error
    assert result.gone == 1 and "1 gone from the server" in result.line()
    after = look(path)
    assert after.marks == {**before.marks, read: (True, *before.marks[read][1:])}
    assert after.marks[gone_title] == (False, True, ())  # it stays, bookmarked
    assert after.articles == before.articles
    assert after.synced == before.synced - 1  # synced no more
    assert after.waiting == 0 and after.error == ""
    assert on_server(server)[read][0]  # the other change went
    [again] = sync(path)
    assert again.error is None and again.gone == 0 and again.pushed == 0, again.line()
    assert look(path).marks == after.marks
    assert not on_server(server)[gone_title][1]  # its bookmark is not sent
    proxy.hidden.discard(gone_item)  # back on the server: synced again, its article kept
    [back] = sync(path)
    assert back.error is None and back.new == 0, back.line()
    assert look(path).synced == before.synced and look(path).articles == before.articles


@pytest.mark.parametrize(
    "label_streams",
    [
        pytest.param(True, id="freshrss-label-streams"),
        pytest.param(False, id="no-label-streams"),
    ],
)
def test_a_label_the_server_drops_stays_here_and_a_later_sync_sends_it(
    tmp_path: Path, server: GReader, proxy: Proxy, label_streams: bool
) -> None:
    path = device(tmp_path, proxy, server)
    title = sorted(by_title(path))[0]
    with Library(path) as library:
        library.tag([by_title(path)[title]], add=["x"])
    proxy.drop_labels = True
    proxy.no_label_streams = not label_streams
    [result] = sync(path)
    assert result.error is None, result.error
    assert proxy.swallowed == 1
    assert result.dropped == 1 and result.pushed == 0, result.line()
    assert "1 label the server did not keep" in result.line()
    seen = look(path)
    assert seen.marks[title][2] == ("x",)  # the tag stays here
    assert seen.waiting == 1 and seen.error == ""  # and waits for the server
    assert "x" not in on_server(server)[title][2]
    proxy.heal()
    [later] = sync(path)
    assert later.error is None and later.dropped == 0 and later.pushed == 1, later.line()
    assert look(path).waiting == 0 and look(path).marks[title][2] == ("x",)
    assert "x" in on_server(server)[title][2]
