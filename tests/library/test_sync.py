"""Syncing libraries with a real FreshRSS on loopback (tests/freshrss.py: skipped, naming
why, where PHP or ../shared/servers is absent). Each test has a user of its own, following
two loopback feeds, so that the tests do not see one another's marks."""

from __future__ import annotations

from pathlib import Path

import pytest
from feeds_server import FeedServer
from freshrss import API_PASSWORD, FreshRSS
from sync_helpers import by_title, marks

from reader.library import Library, sync_remote
from reader.library.errors import SyncError
from reader.library.greader import LABEL, READ, STARRED, GReader
from reader.library.sync import SyncResult, add_account, remove_account, sync


def device(tmp_path: Path, name: str, server: GReader) -> Path:
    """A library on a device of its own, with the account added and synced once."""
    path = tmp_path / name / "library.db"
    with Library(path) as library:
        add_account(library, server.url, server.user, API_PASSWORD, name="home")
    [result] = sync(path)
    assert result.error is None, result.error
    return path


def test_a_first_sync_brings_the_subscriptions_and_their_items(
    tmp_path: Path, server: GReader
) -> None:
    path = device(tmp_path, "laptop", server)
    with Library(path) as library:
        sources = {name for (name,) in library.db.execute("SELECT name FROM roots")}
        assert {"RSS Two Daily", "Atom One"} <= sources
        [account] = library.accounts()
        assert account.articles == len(server.item_ids()) > 0
        assert account.unread == account.articles and account.error == ""
        titles = by_title(path)
        assert "外贸新政出台" in titles
        article = library.article(titles["外贸新政出台"])
        assert article is not None and "Finance" in article.tags  # the folder, as a tag
    [again] = sync(path)
    assert (again.new, again.pulled, again.pushed) == (0, 0, 0), again.line()


def test_two_devices_converge(tmp_path: Path, server: GReader) -> None:
    laptop, desktop = device(tmp_path, "laptop", server), device(tmp_path, "desktop", server)
    first, second, third = sorted(by_title(laptop))[:3]
    with Library(laptop) as library:
        ids = by_title(laptop)
        library.set_read([ids[first]])
        library.set_bookmark([ids[second]], True, note="mine only")
        library.tag([ids[third]], add=["外汇"])
    with Library(desktop) as library:
        library.set_read([by_title(desktop)[second]])
    with Library(laptop) as library:
        assert library.accounts()[0].waiting == 3
    for path in (laptop, desktop, laptop):
        [result] = sync(path)
        assert result.error is None, result.error
    assert marks(laptop) == marks(desktop)
    state = marks(laptop)
    assert state[first][0] and state[second][:2] == (True, True) and state[third][2] == ("外汇",)
    with Library(desktop) as library:  # the note stays on the laptop
        assert library.article(by_title(desktop)[second]).note == ""  # type: ignore[union-attr]
        assert library.accounts()[0].waiting == 0
    items = {i.title: i for i in server.items(server.item_ids())}
    assert items[first].read and items[second].starred and "外汇" in items[third].labels


def test_what_changed_on_the_server_comes_here_and_untagging_goes_back(
    tmp_path: Path, server: GReader
) -> None:
    path = device(tmp_path, "laptop", server)
    items = {i.title: i.id for i in server.items(server.item_ids())}
    server.edit_tags([items["外贸新政出台"]], add=[READ, STARRED, LABEL + "外汇"])
    [result] = sync(path)
    assert result.pulled == 1, result.line()
    assert marks(path)["外贸新政出台"] == (True, True, ("外汇",))
    with Library(path) as library:
        library.tag([by_title(path)["外贸新政出台"]], remove=["外汇"])
        library.set_read([by_title(path)["外贸新政出台"]], False)
    [result] = sync(path)
    assert result.pushed == 1, result.line()
    [item] = server.items([items["外贸新政出台"]])
    assert not item.read and item.starred and "外汇" not in item.labels


def test_new_items_on_the_server_arrive_on_the_next_sync(
    tmp_path: Path, server: GReader, feeds: FeedServer
) -> None:
    path = device(tmp_path, "laptop", server)
    before = len(by_title(path))
    server.subscribe(feeds.feed("rss10.rdf"))
    [result] = sync(path)
    assert result.new > 0 and len(by_title(path)) == before + result.new


def test_a_send_that_fails_keeps_the_change_for_the_next_sync(
    tmp_path: Path, server: GReader, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = device(tmp_path, "laptop", server)
    title = sorted(by_title(path))[0]
    with Library(path) as library:
        library.set_read([by_title(path)[title]])

    def broken(*args: object) -> set[int]:
        raise SyncError("http://127.0.0.1:1: the server is gone")

    monkeypatch.setattr(sync_remote.GReaderRemote, "mark", broken)
    [failed] = sync(path)
    assert failed.error and "the server is gone" in failed.error
    with Library(path) as library:
        [account] = library.accounts()
        assert account.waiting == 1 and "the server is gone" in account.error
    monkeypatch.undo()
    [result] = sync(path)
    assert result.error is None and result.pushed == 1
    assert {i.title: i.read for i in server.items(server.item_ids())}[title]


def test_an_unsubscribed_feed_goes_but_what_the_reader_kept_stays(
    tmp_path: Path, server: GReader
) -> None:
    path = device(tmp_path, "laptop", server)
    kept = "外贸新政出台"
    with Library(path) as library:
        library.set_bookmark([by_title(path)[kept]], True)
        atom = {
            title
            for (title,) in library.db.execute(
                "SELECT a.title FROM articles a JOIN roots r ON r.id = a.root_id"
                " WHERE r.name = 'Atom One'"
            )
        }
    sync(path)
    stream = next(s.id for s in server.subscriptions() if s.title == "RSS Two Daily")
    server.unsubscribe(stream)
    [result] = sync(path)
    assert result.error is None
    assert set(by_title(path)) == atom | {kept}
    with Library(path) as library:
        [account] = library.accounts()
        assert account.articles == len(atom)  # the kept one is synced no more
        assert "RSS Two Daily" in {n for (n,) in library.db.execute("SELECT name FROM roots")}


def test_removing_an_account_keeps_what_the_reader_kept(tmp_path: Path, server: GReader) -> None:
    path = device(tmp_path, "laptop", server)
    with Library(path) as library:
        library.set_bookmark([by_title(path)["外贸新政出台"]], True)
        remove_account(library, "home")
        assert library.accounts() == []
    assert list(by_title(path)) == ["外贸新政出台"]


def test_a_wrong_password_adds_nothing(tmp_path: Path, server: GReader) -> None:
    with Library(tmp_path / "library.db") as library:
        with pytest.raises(SyncError, match="wrong user or API password") as caught:
            add_account(library, server.url, server.user, "not-it", name="home")
        assert "not-it" not in str(caught.value)
        assert library.accounts() == []


def test_a_server_that_is_down_names_the_account_and_keeps_the_library(
    tmp_path: Path, server: GReader, freshrss: FreshRSS
) -> None:
    path = device(tmp_path, "laptop", server)
    before = marks(path)
    with Library(path) as library:
        library.db.execute("UPDATE accounts SET url = 'http://127.0.0.1:9/api/greader.php'")
    [result] = sync(path, timeout=5)
    assert isinstance(result, SyncResult) and result.error
    assert result.line().startswith("home: http://127.0.0.1:9/api/greader.php")
    assert marks(path) == before


def test_a_recovered_library_keeps_its_account_and_sends_what_waited(
    tmp_path: Path, server: GReader
) -> None:
    from reader.cli import main

    path = device(tmp_path, "laptop", server)
    title = "外贸新政出台"
    with Library(path) as library:
        library.set_read([by_title(path)[title]])  # not sent yet
        library.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    with path.open("r+b") as file:
        file.write(bytes(100))  # the header gone
    assert main(["--library", str(path), "doctor", "--recover"]) == 0
    assert marks(path)[title][0]
    with Library(path) as library:
        [account] = library.accounts()
        assert account.name == "home" and account.waiting == 1
    [result] = sync(path)
    assert result.error is None and (result.new, result.pushed) == (0, 1), result.line()
    assert {i.title: i.read for i in server.items(server.item_ids())}[title]
