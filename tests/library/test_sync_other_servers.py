"""Syncing libraries with the other servers the sync speaks to: Miniflux (Google Reader API)
against a loopback fake, since Miniflux cannot run here, and FreshRSS's Fever API against a
real FreshRSS on loopback (tests/freshrss.py: skipped, naming why, where PHP or
../shared/servers is absent).

The fake answers as Miniflux's Google Reader handler does (miniflux/v2,
internal/googlereader): ClientLogin, a token, the subscription and tag lists (its labels
are only its categories), item ids page by page (`n`, then `c`, a numeric offset), item
contents by id, and edit-tag for read and starred. Its streams and categories name the
user by number (`user/1/...`), as Miniflux's do. Three of Miniflux's ways are switches,
off unless a test asks: `contents_need_json` (Miniflux answers 400 to
`stream/items/contents` without `output=json`), `labels_refused` (it answers 500 to a
label in edit-tag and to a label stream in `stream/items/ids`) and `none_found_is_400`
(before 2.2.9, it answered 400 when none of the items asked for exists). With them off,
the fake takes a label in edit-tag and does not keep it, and lists a category's items as
its label stream."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from freshrss import API_PASSWORD, FreshRSS
from sync_helpers import by_title, marks

from reader.library import Library
from reader.library.errors import SyncError
from reader.library.greader import LABEL, READ, STARRED, GReader
from reader.library.sync import add_account, sync

# ---- a fake Miniflux ------------------------------------------------------------------------

UID = 1  # Miniflux names the user by number in its streams: user/1/state/com.google/read
STATES = f"user/{UID}/state/com.google/"
LABELS = f"user/{UID}/label/"
LONG = "tag:google.com,2005:reader/item/"
FIRST_ID = 900_001  # Miniflux's entry ids: a bigserial
PUBLISHED = 1_700_000_000  # the first entry's publication time; one an hour after it
FEEDS = {1: ("Mini Daily", "Cat"), 2: ("Mini Weekly", "Misc")}  # id -> (title, category)


@dataclass
class Entry:
    id: int
    feed: int
    title: str
    published: int
    read: bool = False
    starred: bool = False


@dataclass(frozen=True)
class Call:
    """One request the fake saw."""

    method: str
    path: str
    query: dict[str, list[str]]
    form: dict[str, list[str]]
    authorization: str | None


@dataclass
class FakeMiniflux:
    count: int = 30
    contents_need_json: bool = False
    labels_refused: bool = False
    none_found_is_400: bool = False
    user: str = "mini"
    password: str = "mini-api-secret-42"
    entries: dict[int, Entry] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        for k in range(self.count):
            self.add(f"Entry {k:04d}", PUBLISHED + 3600 * k)
        digest = hmac.new((self.user + self.password).encode(), digestmod=hashlib.sha1)
        self.token = f"{self.user}/{digest.hexdigest()}"  # as Miniflux makes it
        self.server = _Server(("127.0.0.1", 0), _Handler)
        self.server.fake = self
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)

    def add(self, title: str, published: int, read: bool = False) -> Entry:
        number = FIRST_ID + 7 * len(self.entries)  # not one after another
        entry = Entry(number, 1 + len(self.entries) % 2, title, published, read=read)
        self.entries[number] = entry
        return entry

    def by_title(self) -> dict[str, Entry]:
        return {e.title: e for e in self.entries.values()}

    def marks(self) -> dict[str, tuple[bool, bool]]:
        return {e.title: (e.read, e.starred) for e in self.entries.values()}

    def called(self, path: str) -> list[Call]:
        return [c for c in self.calls if c.path == path]

    # ---- answers ------------------------------------------------------------------------

    def answer(
        self,
        method: str,
        path: str,
        query: dict[str, list[str]],
        form: dict[str, list[str]],
        authorization: str | None,
    ) -> tuple[int, str, bytes]:
        with self.lock:
            self.calls.append(Call(method, path, query, form, authorization))
            if (method, path) == ("POST", "/accounts/ClientLogin"):
                if _one(form, "Email") == self.user and _one(form, "Passwd") == self.password:
                    t = self.token
                    return _text(f"SID={t}\nLSID={t}\nAuth={t}\n")
                return _json({"error_message": "Access Unauthorized"}, 401)
            if not path.startswith("/reader/api/0/"):
                return _json({"error_message": "Not Found"}, 404)
            if authorization != f"GoogleLogin auth={self.token}":
                return _json({"error_message": "Access Unauthorized"}, 401)
            if method == "POST" and _one(form, "T") != self.token:
                return _json({"error_message": "Access Unauthorized"}, 401)
            route = (method, path.removeprefix("/reader/api/0/"))
            listing = route[1] in ("subscription/list", "tag/list", "stream/items/ids")
            if listing and _one(query, "output") != "json":
                return _json({"error_message": "only json output is supported"}, 400)
            if route == ("GET", "token"):
                return _text(self.token)
            if route == ("GET", "user-info"):
                return _json({"userId": str(UID), "userName": self.user})
            if route == ("GET", "subscription/list"):
                return _json({"subscriptions": [self._subscription(f) for f in FEEDS]})
            if route == ("GET", "tag/list"):
                tags: list[dict[str, str]] = [{"id": STATES + "starred"}]
                for category in sorted({c for _, c in FEEDS.values()}):
                    tags.append({"id": LABELS + category, "label": category, "type": "folder"})
                return _json({"tags": tags})
            if route == ("GET", "stream/items/ids"):
                return self._ids(query)
            if route == ("POST", "stream/items/contents"):
                if self.contents_need_json and _one({**query, **form}, "output") != "json":
                    return _json({"error_message": "only json output is supported"}, 400)
                return self._contents(form)
            if route == ("POST", "edit-tag"):
                return self._edit(form)
            return _json({"error_message": "Not Found"}, 404)  # stream/contents among them

    def _subscription(self, feed: int) -> dict[str, Any]:
        title, category = FEEDS[feed]
        return {
            "id": f"feed/{feed}",
            "title": title,
            "categories": [{"id": LABELS + category, "label": category, "type": "folder"}],
            "url": f"{self.base}/feeds/{feed}.xml",
            "htmlUrl": f"{self.base}/site/{feed}/",
            "iconUrl": "",
        }

    def _ids(self, query: dict[str, list[str]]) -> tuple[int, str, bytes]:
        streams = query.get("s", [])
        if len(streams) != 1:
            return _json({"error_message": "only one stream type expected"}, 500)
        stream = streams[0].replace("user/-/", f"user/{UID}/")
        chosen = sorted(
            self.entries.values(),
            key=lambda e: (e.published, e.id),
            reverse=_one(query, "r") != "o",
        )
        if stream == STATES + "reading-list":
            if any(x.endswith("/state/com.google/read") for x in query.get("xt", [])):
                chosen = [e for e in chosen if not e.read]
        elif stream == STATES + "starred":
            chosen = [e for e in chosen if e.starred]
        elif stream == STATES + "read":
            chosen = [e for e in chosen if e.read]
        elif stream.startswith(LABELS) and not self.labels_refused:
            name = stream.removeprefix(LABELS)
            chosen = [e for e in chosen if FEEDS[e.feed][1] == name]
        else:
            return _json({"error_message": f"unknown stream type {stream}"}, 500)
        if _one(query, "ot"):  # Miniflux: published after it
            chosen = [e for e in chosen if e.published > int(_one(query, "ot"))]
        offset = int(_one(query, "c") or 0)
        count = int(_one(query, "n") or 0) or len(chosen)
        page = chosen[offset : offset + count]
        document: dict[str, Any] = {"itemRefs": [{"id": str(e.id)} for e in page]}
        if offset + len(page) < len(chosen):
            document["continuation"] = str(offset + len(page))
        return _json(document)

    def _contents(self, form: dict[str, list[str]]) -> tuple[int, str, bytes]:
        if not form.get("i"):
            return _json({"error_message": "no items requested"}, 400)
        wanted = {_item_id(i) for i in form["i"]}
        found = sorted(
            (self.entries[i] for i in wanted if i in self.entries),
            key=lambda e: (e.published, e.id),
            reverse=True,
        )
        if not found and self.none_found_is_400:
            return _json({"error_message": "no items returned from the database"}, 400)
        return _json(
            {
                "direction": "ltr",
                "id": "user/-/state/com.google/reading-list",
                "title": "Reading List",
                "author": self.user,
                "items": [self._item(e) for e in found],
            }
        )

    def _item(self, entry: Entry) -> dict[str, Any]:
        title, category = FEEDS[entry.feed]
        categories = [STATES + "reading-list", LABELS + category]
        categories += [STATES + "read"] if entry.read else []
        categories += [STATES + "starred"] if entry.starred else []
        link = f"{self.base}/site/{entry.feed}/{entry.id}"
        return {
            "id": f"{LONG}{entry.id:016x}",
            "title": entry.title,
            "author": "Ann Author",
            "published": entry.published,
            "updated": entry.published,
            "timestampUsec": str(entry.published * 1_000_000),
            "crawlTimeMsec": str(entry.published * 1000),
            "categories": categories,
            "canonical": [{"href": link}],
            "alternate": [{"href": link, "type": "text/html"}],
            "summary": {"direction": "ltr", "content": f"<p>The body of {entry.title}.</p>"},
            "origin": {
                "streamId": f"feed/{entry.feed}",
                "title": title,
                "htmlUrl": f"{self.base}/site/{entry.feed}/",
            },
        }

    def _edit(self, form: dict[str, list[str]]) -> tuple[int, str, bytes]:
        changes = [(True, t) for t in form.get("a", [])] + [(False, t) for t in form.get("r", [])]
        if not changes:
            return _json({"error_message": "add or/and remove tags should be supplied"}, 500)
        marks: list[tuple[str, bool]] = []
        for on, tag in changes:
            if tag.endswith("/state/com.google/read"):
                marks.append(("read", on))
            elif tag.endswith("/state/com.google/starred"):
                marks.append(("starred", on))
            elif "/label/" in tag and not self.labels_refused:
                continue  # taken, and not kept: Miniflux's labels are its categories
            else:
                return _json({"error_message": f"unsupported tag type: {tag}"}, 500)
        ids = [_item_id(i) for i in form.get("i", [])]
        if not ids:
            return _json({"error_message": "no items requested"}, 400)
        for entry in (self.entries[i] for i in ids if i in self.entries):
            for what, on in marks:
                setattr(entry, what, on)
        return _text("OK")


def _one(values: dict[str, list[str]], key: str) -> str:
    return values.get(key, [""])[0]


def _item_id(text: str) -> int:
    """As Miniflux reads them: the long form and 16 digits in hex, else decimal."""
    if text.startswith(LONG):
        return int(text.removeprefix(LONG), 16)
    return int(text, 16) if len(text) == 16 else int(text)


def _text(text: str, status: int = 200) -> tuple[int, str, bytes]:
    return status, "text/plain; charset=utf-8", text.encode()


def _json(document: object, status: int = 200) -> tuple[int, str, bytes]:
    return status, "application/json", json.dumps(document).encode()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 64
    fake: FakeMiniflux


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        self._answer("GET")

    def do_POST(self) -> None:
        self._answer("POST")

    def _answer(self, method: str) -> None:
        split = urlsplit(self.path)
        form: dict[str, list[str]] = {}
        if method == "POST":
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            form = parse_qs(body.decode(), keep_blank_values=True)
        status, kind, data = self.server.fake.answer(
            method,
            split.path,
            parse_qs(split.query, keep_blank_values=True),
            form,
            self.headers.get("Authorization"),
        )
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def miniflux() -> Iterator[FakeMiniflux]:
    fake = FakeMiniflux()
    yield fake
    fake.stop()


# ---- helpers --------------------------------------------------------------------------------


def device(tmp_path: Path, name: str, url: str, user: str, password: str, api: str) -> Path:
    """A library on a device of its own, with the account added and synced once."""
    path = tmp_path / name / "library.db"
    with Library(path) as library:
        add_account(library, url, user, password, name="home", api=api)
    [result] = sync(path)
    assert result.error is None, result.error
    return path


def mini_device(tmp_path: Path, name: str, fake: FakeMiniflux) -> Path:
    return device(tmp_path, name, fake.base, fake.user, fake.password, "greader")


def read_and_bookmarked(path: Path) -> dict[str, tuple[bool, bool]]:
    return {title: (m[0], m[1]) for title, m in marks(path).items()}


def synced_items(path: Path) -> set[int]:
    """The server's item ids the library holds, as the sync stored them."""
    with Library(path) as library:
        return {item for (item,) in library.db.execute("SELECT item FROM synced")}


def waiting(path: Path) -> int:
    with Library(path) as library:
        [account] = library.accounts()
        return account.waiting


# ---- Miniflux -------------------------------------------------------------------------------


def test_miniflux_a_first_sync_brings_every_item_page_by_page(tmp_path: Path) -> None:
    fake = FakeMiniflux(count=2500)  # more ids than one page of the client's (n=1000)
    try:
        for k, entry in enumerate(fake.entries.values()):
            entry.read = k % 10 == 0
            entry.starred = k % 100 == 1
        path = mini_device(tmp_path, "laptop", fake)
        titles = by_title(path)
        assert set(titles) == set(fake.by_title())
        assert synced_items(path) == set(fake.entries)
        assert read_and_bookmarked(path) == fake.marks()
        with Library(path) as library:
            [account] = library.accounts()
            assert account.articles == 2500 and account.waiting == 0
            assert account.unread == sum(not e.read for e in fake.entries.values())
            sources = {name for (name,) in library.db.execute("SELECT name FROM roots")}
            assert {"Mini Daily", "Mini Weekly"} <= sources
            for entry in (fake.by_title()["Entry 0000"], fake.by_title()["Entry 0001"]):
                article = library.article(titles[entry.title])
                assert article is not None
                assert FEEDS[entry.feed][1] in article.tags  # the category, as a tag
                assert article.url == f"{fake.base}/site/{entry.feed}/{entry.id}"
                assert f"The body of {entry.title}." in article.body
        # the reading list came in pages: n honoured, then c
        pages = [
            c
            for c in fake.called("/reader/api/0/stream/items/ids")
            if c.query["s"] == ["user/-/state/com.google/reading-list"] and "xt" not in c.query
        ]
        assert [_one(c.query, "c") for c in pages] == ["", "1000", "2000"]
        assert all(_one(c.query, "n") == "1000" for c in pages)
        contents = fake.called("/reader/api/0/stream/items/contents")
        asked = [_item_id(i) for c in contents for i in c.form["i"]]
        assert sorted(asked) == sorted(fake.entries)  # each asked for once
        assert all(i.startswith(LONG) for c in contents for i in c.form["i"])
        assert all(_one(c.form, "T") == fake.token for c in contents)
        assert not [c for c in fake.calls if "/stream/contents" in c.path]
    finally:
        fake.stop()


def test_miniflux_a_sync_where_nothing_changed_sends_and_asks_for_nothing(
    tmp_path: Path, miniflux: FakeMiniflux
) -> None:
    path = mini_device(tmp_path, "laptop", miniflux)
    before = len(miniflux.calls)
    [again] = sync(path)
    assert again.error is None, again.error
    assert (again.new, again.updated, again.pulled, again.pushed) == (0, 0, 0, 0), again.line()
    assert (again.gone, again.dropped) == (0, 0)
    paths = {c.path for c in miniflux.calls[before:]}
    assert "/reader/api/0/edit-tag" not in paths
    assert "/reader/api/0/stream/items/contents" not in paths
    assert len(by_title(path)) == miniflux.count


def test_two_miniflux_devices_converge_on_read_and_bookmarked(
    tmp_path: Path, miniflux: FakeMiniflux
) -> None:
    laptop = mini_device(tmp_path, "laptop", miniflux)
    desktop = mini_device(tmp_path, "desktop", miniflux)
    first, second, third, fourth = sorted(by_title(laptop))[:4]
    with Library(laptop) as library:
        ids = by_title(laptop)
        library.set_read([ids[first]])
        library.set_bookmark([ids[second]], True)
    with Library(desktop) as library:
        ids = by_title(desktop)
        library.set_read([ids[second], ids[third]])
        library.set_bookmark([ids[fourth]], True)
    for path in (laptop, desktop, laptop):
        [result] = sync(path)
        assert result.error is None, result.error
    assert read_and_bookmarked(laptop) == read_and_bookmarked(desktop) == miniflux.marks()
    server = miniflux.marks()
    assert server[first] == (True, False) and server[second] == (True, True)
    assert server[third] == (True, False) and server[fourth] == (False, True)
    assert sum(r for r, _ in server.values()) == 3 and sum(s for _, s in server.values()) == 2
    assert waiting(laptop) == waiting(desktop) == 0
    edits = miniflux.called("/reader/api/0/edit-tag")
    assert edits and all(_one(c.form, "T") == miniflux.token for c in edits)
    assert all(len(c.form.get("a", []) + c.form.get("r", [])) == 1 for c in edits)


def test_a_change_made_on_miniflux_comes_on_the_next_sync(
    tmp_path: Path, miniflux: FakeMiniflux
) -> None:
    entries = miniflux.by_title()
    entries["Entry 0003"].read = True
    path = mini_device(tmp_path, "laptop", miniflux)
    assert marks(path)["Entry 0003"] == (True, False, ())
    entries["Entry 0001"].read = True
    entries["Entry 0002"].starred = True
    entries["Entry 0003"].read = False  # marked unread again
    [result] = sync(path)
    assert result.error is None and result.pulled == 3, result.line()
    assert result.pushed == 0
    state = marks(path)
    assert state["Entry 0001"] == (True, False, ())
    assert state["Entry 0002"] == (False, True, ())
    assert state["Entry 0003"] == (False, False, ())
    assert read_and_bookmarked(path) == miniflux.marks()
    assert waiting(path) == 0


def test_an_item_new_on_miniflux_comes_on_the_next_sync(
    tmp_path: Path, miniflux: FakeMiniflux
) -> None:
    path = mini_device(tmp_path, "laptop", miniflux)
    miniflux.add("Entry fresh", PUBLISHED + 3600 * 1000)
    [result] = sync(path)
    assert result.error is None and result.new == 1, result.line()
    assert marks(path)["Entry fresh"] == (False, False, ())


def test_an_item_miniflux_fetched_late_and_read_elsewhere_still_arrives(
    tmp_path: Path, miniflux: FakeMiniflux
) -> None:
    path = mini_device(tmp_path, "laptop", miniflux)
    # published two hours ago, fetched by Miniflux only now, and read in its web UI
    miniflux.add("Entry late", int(time.time()) - 7200, read=True)
    [result] = sync(path)
    assert result.error is None, result.error
    assert "Entry late" in by_title(path)


def test_an_item_published_long_before_it_came_arrives_with_the_daily_listing(
    tmp_path: Path, miniflux: FakeMiniflux
) -> None:
    path = mini_device(tmp_path, "laptop", miniflux)
    miniflux.add("Entry very late", int(time.time()) - 5 * 86400, read=True)
    [result] = sync(path)  # asked for since the last sync less two days: not among them
    assert result.error is None and "Entry very late" not in by_title(path)
    with Library(path) as library:  # a day later, a sync lists every item id again
        library.db.execute("UPDATE accounts SET listed = listed - 86401")
    [result] = sync(path)
    assert result.error is None and result.new == 1, result.line()
    assert marks(path)["Entry very late"][0]  # read, as on the server


def test_an_item_gone_from_miniflux_is_reported_gone_and_its_article_stays(
    tmp_path: Path, miniflux: FakeMiniflux
) -> None:
    path = mini_device(tmp_path, "laptop", miniflux)
    with Library(path) as library:
        library.set_bookmark([by_title(path)["Entry 0008"]], True)
    sync(path)
    for title in ("Entry 0007", "Entry 0008"):  # removed by Miniflux's cleanup
        del miniflux.entries[miniflux.by_title()[title].id]
    [result] = sync(path)
    assert result.error is None, result.error
    assert result.gone == 2 and result.pulled == 0, result.line()
    state = marks(path)
    assert state["Entry 0007"] == (False, False, ())  # not read: gone
    assert state["Entry 0008"] == (False, True, ())
    with Library(path) as library:
        [account] = library.accounts()
        assert account.articles == miniflux.count - 2 and account.waiting == 0
    [again] = sync(path)
    assert (again.error, again.gone, again.pulled, again.pushed) == (None, 0, 0, 0)


def test_an_item_gone_from_an_older_miniflux_is_reported_gone(tmp_path: Path) -> None:
    fake = FakeMiniflux(count=5, none_found_is_400=True)
    try:
        path = mini_device(tmp_path, "laptop", fake)
        del fake.entries[fake.by_title()["Entry 0002"].id]
        [result] = sync(path)
        assert result.error is None, result.error
        assert result.gone == 1
    finally:
        fake.stop()


def test_a_user_tag_miniflux_does_not_keep_is_reported_dropped_and_stays(
    tmp_path: Path, miniflux: FakeMiniflux
) -> None:
    path = mini_device(tmp_path, "laptop", miniflux)
    title = "Entry 0005"
    with Library(path) as library:
        library.tag([by_title(path)[title]], add=["mine"])
    [result] = sync(path)
    assert result.error is None, result.error
    assert result.dropped == 1 and result.pushed == 0, result.line()
    assert "1 label the server did not keep" in result.line()
    assert marks(path)[title] == (False, False, ("mine",))
    labelled = [
        c for c in miniflux.called("/reader/api/0/edit-tag") if c.form.get("a") == [LABEL + "mine"]
    ]
    assert len(labelled) == 1
    [again] = sync(path)  # the tag stays here, sync after sync
    assert again.error is None, again.error
    assert marks(path)[title] == (False, False, ("mine",))
    assert miniflux.marks()[title] == (False, False)


def test_a_wrong_miniflux_password_adds_nothing_and_is_not_shown(
    tmp_path: Path, miniflux: FakeMiniflux
) -> None:
    wrong = "not-the-password-77"
    with Library(tmp_path / "library.db") as library:
        with pytest.raises(SyncError, match="wrong user or API password") as caught:
            add_account(library, miniflux.base, miniflux.user, wrong, name="home")
        assert wrong not in str(caught.value)
        assert library.accounts() == []
    assert [_one(c.form, "Passwd") for c in miniflux.calls] == [wrong]  # one login, no more


def test_a_miniflux_password_changed_since_is_a_sync_error_naming_the_cause(
    tmp_path: Path, miniflux: FakeMiniflux
) -> None:
    path = mini_device(tmp_path, "laptop", miniflux)
    old = miniflux.password
    miniflux.password = "changed-on-the-server-88"  # the stored one no longer logs in
    with Library(path) as library:
        library.set_read([by_title(path)["Entry 0000"]])
    [result] = sync(path)
    assert result.error and "wrong user or API password" in result.error, result.line()
    assert old not in result.error and miniflux.password not in result.error
    assert result.line().startswith("home: ")
    with Library(path) as library:
        [account] = library.accounts()
        assert "wrong user or API password" in account.error and account.waiting == 1
    assert not miniflux.marks()["Entry 0000"][0]


def test_miniflux_which_wants_output_json_for_contents_syncs(tmp_path: Path) -> None:
    fake = FakeMiniflux(count=5, contents_need_json=True)
    try:
        path = tmp_path / "laptop" / "library.db"
        with Library(path) as library:
            add_account(library, fake.base, fake.user, fake.password, name="home")
        [result] = sync(path)
        assert result.error is None, result.error
        assert len(by_title(path)) == 5
    finally:
        fake.stop()


def test_a_user_tag_on_miniflux_which_refuses_labels_is_dropped_not_an_error(
    tmp_path: Path,
) -> None:
    fake = FakeMiniflux(count=5, labels_refused=True)
    try:
        path = mini_device(tmp_path, "laptop", fake)
        with Library(path) as library:
            library.tag([by_title(path)["Entry 0001"]], add=["mine"])
            library.set_read([by_title(path)["Entry 0002"]])
        [result] = sync(path)
        assert result.error is None, result.error
        assert result.dropped == 1 and fake.marks()["Entry 0002"] == (True, False)
    finally:
        fake.stop()


# ---- Fever, against a real FreshRSS ---------------------------------------------------------


def fever_device(tmp_path: Path, name: str, freshrss: FreshRSS, server: GReader) -> Path:
    return device(
        tmp_path, name, f"{freshrss.base}/api/fever.php", server.user, API_PASSWORD, "fever"
    )


def test_fever_a_first_sync_brings_the_items(
    tmp_path: Path, freshrss: FreshRSS, server: GReader
) -> None:
    path = tmp_path / "laptop" / "library.db"
    with Library(path) as library:
        add_account(
            library, f"{freshrss.base}/api/fever.php", server.user, API_PASSWORD, api="fever"
        )
    [result] = sync(path)
    assert result.error is None, result.error
    ids = server.item_ids()
    assert result.new == len(ids) > 0, result.line()
    assert synced_items(path) == set(ids)  # Fever's ids are the Google Reader API's
    titles = by_title(path)
    assert set(titles) == {i.title for i in server.items(ids)}
    with Library(path) as library:
        [account] = library.accounts()
        assert account.api == "fever" and account.unread == account.articles == len(ids)
        sources = {name for (name,) in library.db.execute("SELECT name FROM roots")}
        assert {"RSS Two Daily", "Atom One"} <= sources
        article = library.article(titles["外贸新政出台"])
        assert article is not None and "Finance" in article.tags  # the group, as a tag
    [again] = sync(path)
    assert again.error is None, again.error
    assert (again.new, again.pulled, again.pushed) == (0, 0, 0), again.line()


def test_two_fever_devices_converge_on_read_and_bookmarked(
    tmp_path: Path, freshrss: FreshRSS, server: GReader
) -> None:
    laptop = fever_device(tmp_path, "laptop", freshrss, server)
    desktop = fever_device(tmp_path, "desktop", freshrss, server)
    first, second, third = sorted(by_title(laptop))[:3]
    with Library(laptop) as library:
        ids = by_title(laptop)
        library.set_read([ids[first]])
        library.set_bookmark([ids[second]], True)
    with Library(desktop) as library:
        ids = by_title(desktop)
        library.set_read([ids[second], ids[third]])
    for path in (laptop, desktop, laptop):
        [result] = sync(path)
        assert result.error is None, result.error
    assert read_and_bookmarked(laptop) == read_and_bookmarked(desktop)
    state = read_and_bookmarked(laptop)
    assert state[first] == (True, False) and state[second] == (True, True)
    assert state[third] == (True, False)
    assert sum(r for r, _ in state.values()) == 3 and sum(b for _, b in state.values()) == 1
    items = {i.title: i for i in server.items(server.item_ids())}  # the server agrees
    assert {t: (i.read, i.starred) for t, i in items.items()} == state
    assert waiting(laptop) == waiting(desktop) == 0


def test_a_change_made_through_the_google_reader_api_comes_to_a_fever_device(
    tmp_path: Path, freshrss: FreshRSS, server: GReader
) -> None:
    path = fever_device(tmp_path, "laptop", freshrss, server)
    title = "外贸新政出台"
    with Library(path) as library:
        library.set_read([by_title(path)[sorted(by_title(path))[0]]])
    sync(path)
    items = {i.title: i.id for i in server.items(server.item_ids())}
    other = sorted(by_title(path))[0]
    server.edit_tags([items[title]], add=[READ])
    server.edit_tags([items[title]], add=[STARRED])
    server.edit_tags([items[other]], remove=[READ])
    [result] = sync(path)
    assert result.error is None, result.error
    assert result.pulled == 2 and result.pushed == 0, result.line()
    state = marks(path)
    assert state[title] == (True, True, ()) and state[other] == (False, False, ())
    assert waiting(path) == 0


def test_a_user_tag_on_a_fever_device_stays_here(
    tmp_path: Path, freshrss: FreshRSS, server: GReader
) -> None:
    path = fever_device(tmp_path, "laptop", freshrss, server)
    title = "外贸新政出台"
    with Library(path) as library:
        library.tag([by_title(path)[title]], add=["外汇"])
    [result] = sync(path)
    assert result.error is None, result.error
    assert (result.pushed, result.dropped) == (0, 0), result.line()
    assert marks(path)[title] == (False, False, ("外汇",))
    [item] = server.items([{i.title: i.id for i in server.items(server.item_ids())}[title]])
    assert "外汇" not in item.labels


def test_a_user_tag_on_a_fever_device_is_not_a_change_waiting_forever(
    tmp_path: Path, freshrss: FreshRSS, server: GReader
) -> None:
    path = fever_device(tmp_path, "laptop", freshrss, server)
    with Library(path) as library:
        library.tag([by_title(path)["外贸新政出台"]], add=["外汇"])
    for _ in range(2):
        [result] = sync(path)
        assert result.error is None, result.error
    assert waiting(path) == 0
