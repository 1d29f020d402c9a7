"""`newsreader sync …` against a real FreshRSS on loopback (tests/freshrss.py: skipped, naming
why, where PHP or ../shared/servers is absent), and `feed add --account` / `feed remove` of a
synced subscription. The API password comes from $NEWSREADER_SYNC_PASSWORD and must never be
printed, stored in the library, exported or logged: only the 0600 file beside the library
(no keyring here: the tests make sure of it) holds it. Each test has a FreshRSS user of its
own, following two loopback feeds."""

from __future__ import annotations

import io
import json
import re
import stat
import sys
import tempfile
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from feeds_server import FeedServer
from freshrss import API_PASSWORD, free_port

from reader.cli import main
from reader.library import Library, passwords
from reader.library.greader import GReader
from reader.library.passwords import file_of

VARIABLE = "NEWSREADER_SYNC_PASSWORD"
SYNCED = re.compile(r"^(\S+)  (\d+)/(\d+) unread  synced (\d{4}-\d\d-\d\d \d\d:\d\d)(.*)$")


@pytest.fixture(autouse=True)
def no_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    """Passwords go to the file beside the library, whatever this machine has."""
    monkeypatch.setattr(passwords, "system_keyring", lambda: None)
    monkeypatch.delenv(VARIABLE, raising=False)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "library.db"


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str | Path) -> tuple[int, str, str]:
    code = main(["--library", str(db), *(str(a) for a in args)])
    out, err = capsys.readouterr()
    return code, out, err


def add(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    db: Path,
    server: GReader,
    *more: str,
) -> tuple[int, str, str]:
    """`sync add` of the server's user as `home`, its password from the environment."""
    monkeypatch.setenv(VARIABLE, API_PASSWORD)
    return run(
        capsys, db, "sync", "add", server.url, "--user", server.user, "--name", "home", *more
    )


def listing(capsys: pytest.CaptureFixture[str], db: Path) -> list[dict[str, object]]:
    code, out, _ = run(capsys, db, "list", "--json")
    assert code == 0
    records: list[dict[str, object]] = json.loads(out)
    return records


def by_title(capsys: pytest.CaptureFixture[str], db: Path) -> dict[str, dict[str, object]]:
    return {str(r["title"]): r for r in listing(capsys, db)}


def accounts_listed(capsys: pytest.CaptureFixture[str], db: Path) -> str:
    code, out, err = run(capsys, db, "sync", "list")
    assert (code, err) == (0, ""), err
    return out


def test_sync_add_keeps_the_password_apart_and_syncs_at_once(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    db: Path,
    tmp_path: Path,
    server: GReader,
) -> None:
    kept = file_of(db)
    on_server = len(server.item_ids())
    code, out, err = add(capsys, monkeypatch, db, server)
    seen = out + err
    assert (code, err) == (0, ""), err
    first, second = out.splitlines()
    assert first == (f"Added home ({server.url}, {server.user}); its password is kept in {kept}.")
    assert second == f"home: {on_server} new, 0 updated, 0 marked from the server, 0 sent"
    assert on_server > 0

    out = accounts_listed(capsys, db)
    seen += out
    head, where = out.splitlines()
    found = SYNCED.match(head)
    assert found, head
    assert found[1] == "home" and found[2] == found[3] == str(on_server) and found[5] == ""
    assert where == f"    {server.url} (greader, {server.user})"

    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert json.loads(kept.read_text(encoding="utf-8")) == {"home": API_PASSWORD}

    code, out, err = run(capsys, db, "config", "show")
    assert code == 0
    seen += out + err
    exported = tmp_path / "state.yaml"
    code, out, err = run(capsys, db, "export-state", exported)
    assert code == 0 and exported.exists()
    seen += out + err
    assert API_PASSWORD not in seen

    # Nowhere on disk but the passwords file: not the library (nor its -wal, journal…), the
    # export, the settings, nor a crash log in the data folder or the temporary one.
    for path in tmp_path.rglob("*"):
        if path.is_file() and path != kept:
            assert API_PASSWORD.encode() not in path.read_bytes(), path
    assert list((tmp_path / "home").rglob("crash-*.log")) == []
    for log in Path(tempfile.gettempdir()).glob("crash-*.log"):
        assert API_PASSWORD not in log.read_text(encoding="utf-8", errors="replace"), log


def test_sync_add_without_a_password_and_no_terminal_adds_nothing(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, db: Path
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # not a terminal: nobody to ask
    url = f"http://127.0.0.1:{free_port()}/api/greader.php"
    code, out, err = run(capsys, db, "sync", "add", url, "--user", "bob", "--name", "home")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and VARIABLE in err
    assert err.startswith("newsreader: no API password")
    assert accounts_listed(capsys, db) == (
        "No sync accounts: `newsreader sync add URL --user NAME` adds one.\n"
    )
    assert not file_of(db).exists()


def test_a_wrong_api_password_adds_nothing_and_is_not_printed(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    db: Path,
    server: GReader,
) -> None:
    wrong = "not-the-api-password-42"
    monkeypatch.setenv(VARIABLE, wrong)
    code, out, err = run(
        capsys, db, "sync", "add", server.url, "--user", server.user, "--name", "home"
    )
    assert code == 1 and out == ""
    [line] = err.splitlines()
    assert line.startswith("newsreader: ") and "wrong user or API password" in line
    assert server.user in line
    assert wrong not in err
    assert accounts_listed(capsys, db).startswith("No sync accounts")
    assert not file_of(db).exists()


def test_add_no_sync_then_sync_and_sync_now(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    db: Path,
    server: GReader,
) -> None:
    on_server = len(server.item_ids())
    code, out, err = add(capsys, monkeypatch, db, server, "--no-sync")
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == "`newsreader sync` syncs it."
    head = accounts_listed(capsys, db).splitlines()[0]
    assert head == "home  0/0 unread  synced never"

    code, out, err = run(capsys, db, "sync")
    assert (code, err) == (0, "")
    assert out == f"home: {on_server} new, 0 updated, 0 marked from the server, 0 sent\n"
    assert len(listing(capsys, db)) == on_server
    found = SYNCED.match(accounts_listed(capsys, db).splitlines()[0])
    assert found and found[3] == str(on_server)

    code, out, err = run(capsys, db, "sync", "now", "home")
    assert (code, err) == (0, "")
    assert out == "home: 0 new, 0 updated, 0 marked from the server, 0 sent\n"

    code, out, err = run(capsys, db, "sync", "now", "nosuch")
    assert code == 1 and out == ""
    [line] = err.splitlines()
    assert line.startswith("newsreader: ") and "'nosuch'" in line and "sync list" in line


def test_a_local_change_waits_in_sync_list_then_reaches_the_server(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    db: Path,
    server: GReader,
) -> None:
    assert add(capsys, monkeypatch, db, server)[0] == 0
    articles = by_title(capsys, db)
    starred, tagged = "Harbour lights return", "冰川调查报告"
    assert run(capsys, db, "bookmark", str(articles[starred]["id"]))[0] == 0
    assert run(capsys, db, "tag", str(articles[tagged]["id"]), "+外汇")[0] == 0

    found = SYNCED.match(accounts_listed(capsys, db).splitlines()[0])
    assert found and found[5] == "  2 changes to send"
    items = {i.title: i for i in server.items(server.item_ids())}
    assert not items[starred].starred and "外汇" not in items[tagged].labels  # not yet

    code, out, err = run(capsys, db, "sync")
    assert (code, err) == (0, "")
    assert out == "home: 0 new, 0 updated, 0 marked from the server, 2 sent\n"
    items = {i.title: i for i in server.items(server.item_ids())}
    assert items[starred].starred and "外汇" in items[tagged].labels
    assert [t for t, i in items.items() if i.starred] == [starred]
    found = SYNCED.match(accounts_listed(capsys, db).splitlines()[0])
    assert found and found[5] == ""


def test_one_change_to_send_reads_as_english(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    db: Path,
    server: GReader,
) -> None:
    assert add(capsys, monkeypatch, db, server)[0] == 0
    some = listing(capsys, db)[0]
    assert run(capsys, db, "bookmark", str(some["id"]))[0] == 0
    assert accounts_listed(capsys, db).splitlines()[0].endswith("  1 change to send")


def test_feed_add_and_remove_on_the_account_follow_and_unfollow_on_the_server(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    db: Path,
    server: GReader,
    feeds: FeedServer,
) -> None:
    assert add(capsys, monkeypatch, db, server)[0] == 0
    url = feeds.feed("rss10.rdf")
    code, out, err = run(capsys, db, "feed", "add", url, "--account", "home")
    assert (code, err) == (0, ""), err
    first, second = out.splitlines()
    assert first == f"Following {url} on home."
    new = re.fullmatch(r"home: (\d+) new, 0 updated, 0 marked from the server, 0 sent", second)
    assert new and int(new[1]) > 0
    [subscription] = [s for s in server.subscriptions() if s.url == url]
    records = listing(capsys, db)
    assert sum(r["source"] == subscription.title for r in records) == int(new[1])
    assert {"Orchard harvest doubles", "春茶上市"} <= {r["title"] for r in records}

    # Unfollowing a synced subscription by its title: on the server, then its articles go,
    # but a bookmarked one stays.
    daily = [r for r in records if r["source"] == "RSS Two Daily"]
    assert len(daily) == 3
    kept = daily[0]
    assert run(capsys, db, "bookmark", str(kept["id"]))[0] == 0
    code, out, err = run(capsys, db, "feed", "remove", "RSS Two Daily")
    assert (code, err) == (0, ""), err
    assert out.splitlines()[0] == (
        "No longer following RSS Two Daily on home (bookmarked entries stay)."
    )
    assert "RSS Two Daily" not in {s.title for s in server.subscriptions()}
    left = [r for r in listing(capsys, db) if r["source"] == "RSS Two Daily"]
    assert [(r["id"], r["bookmarked"]) for r in left] == [(kept["id"], True)]
    assert sum(r["source"] == "Atom One" for r in listing(capsys, db)) == 3


def test_sync_remove_forgets_the_account_and_its_password_but_keeps_bookmarks(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    db: Path,
    server: GReader,
) -> None:
    assert add(capsys, monkeypatch, db, server)[0] == 0
    records = listing(capsys, db)
    kept = records[0]
    assert run(capsys, db, "bookmark", str(kept["id"]))[0] == 0

    code, out, err = run(capsys, db, "sync", "remove", "home")
    assert (code, err) == (0, "")
    assert out == (
        f"Removed home; {len(records) - 1} articles removed (bookmarked, noted and tagged"
        " ones stay).\n"
    )
    assert accounts_listed(capsys, db).startswith("No sync accounts")
    assert [(r["id"], r["bookmarked"]) for r in listing(capsys, db)] == [(kept["id"], True)]
    assert "home" not in json.loads(file_of(db).read_text(encoding="utf-8"))
    assert API_PASSWORD not in file_of(db).read_text(encoding="utf-8")
    with Library(db) as library:
        assert passwords.load(library.path, "home") is None

    code, out, err = run(capsys, db, "sync")
    assert (code, err) == (0, "")
    assert out.startswith("No sync accounts")


class _TinyGReader(BaseHTTPRequestHandler):
    """Just enough of the Google Reader API for `sync add` and an empty sync: a login, one
    subscription (`Stand-in feed`), no labels, no items."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._answer(b"SID=s\nAuth=token\n")

    def do_GET(self) -> None:
        if "/subscription/list" in self.path:
            feed = {"id": "feed/1", "title": "Stand-in feed", "url": "http://127.0.0.1:9/f"}
            self._answer(json.dumps({"subscriptions": [feed]}).encode())
        elif "/tag/list" in self.path:
            self._answer(b'{"tags": []}')
        else:  # stream/items/ids
            self._answer(b'{"itemRefs": []}')

    def _answer(self, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class StandIn:
    """A stand-in GReader server on loopback that `stop()` takes away (its port closed)."""

    def __init__(self) -> None:
        self.http = ThreadingHTTPServer(("127.0.0.1", 0), _TinyGReader)
        self.thread = threading.Thread(target=self.http.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.http.server_address[1]}/api/greader.php"

    def stop(self) -> None:
        if self.thread.is_alive():
            self.http.shutdown()
            self.http.server_close()
            self.thread.join()


@pytest.fixture
def stand_in() -> Iterator[StandIn]:
    """(No FreshRSS needed: these tests run wherever PHP is absent too.)"""
    server = StandIn()
    yield server
    server.stop()


def add_stand_in(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    db: Path,
    stand_in: StandIn,
    *more: str,
) -> None:
    monkeypatch.setenv(VARIABLE, "stand-in-password")
    code, _, err = run(
        capsys, db, "sync", "add", stand_in.url, "--user", "bob", "--name", "away", *more
    )
    assert (code, err) == (0, ""), err


def test_a_server_that_is_down_at_sync_time_names_the_account(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    db: Path,
    stand_in: StandIn,
) -> None:
    add_stand_in(capsys, monkeypatch, db, stand_in, "--no-sync")
    stand_in.stop()

    code, out, err = run(capsys, db, "sync", "--timeout", "5")
    assert code == 1 and out == ""
    [line] = err.splitlines()
    assert line.startswith(f"away: {stand_in.url}")
    assert "stand-in-password" not in err
    listed = accounts_listed(capsys, db).splitlines()
    assert listed[0] == "away  0/0 unread  synced never"
    assert listed[2].startswith(f"    last sync failed: {stand_in.url}")


def test_sync_remove_is_all_or_nothing_when_the_passwords_file_is_refused(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    db: Path,
    stand_in: StandIn,
) -> None:
    add_stand_in(capsys, monkeypatch, db, stand_in, "--no-sync")
    file_of(db).chmod(0o644)
    code, out, err = run(capsys, db, "sync", "remove", "away")
    if code == 0:
        file_of(db).chmod(0o600)
        assert "away" not in json.loads(file_of(db).read_text(encoding="utf-8"))
    else:  # refused: then nothing was done, and `sync remove` can be run again
        assert "chmod 600" in err
        assert accounts_listed(capsys, db).startswith("away  ")


def test_feed_remove_of_a_synced_subscription_with_the_server_down_returns_1(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    db: Path,
    stand_in: StandIn,
) -> None:
    add_stand_in(capsys, monkeypatch, db, stand_in)  # synced: `Stand-in feed` is known
    stand_in.stop()
    code, out, err = run(capsys, db, "feed", "remove", "Stand-in feed")
    assert code == 1
    assert err.startswith(f"newsreader: {stand_in.url}")


def test_sync_add_no_sync_does_not_need_the_server(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, db: Path
) -> None:
    url = f"http://127.0.0.1:{free_port()}/api/greader.php"  # nothing listens there
    monkeypatch.setenv(VARIABLE, "some-password")
    code, out, err = run(
        capsys, db, "sync", "add", url, "--user", "bob", "--name", "later", "--no-sync"
    )
    assert (code, err) == (0, ""), err
    assert out.splitlines()[-1] == "`newsreader sync` syncs it."
