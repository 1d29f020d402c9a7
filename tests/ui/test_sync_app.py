"""Sync in the app: `R` syncs the accounts after the feeds, in a worker, and says what came;
`sync_every` syncs at start and on a schedule. The server is an in-memory fake here (the
real FreshRSS runs in tests/library/test_sync.py): the app's part is when and how it
syncs and shows it, not the protocol."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from reader.library import Library, passwords
from reader.library import sync as sync_module
from reader.library.greader import Item, Subscription
from reader.library.sync import ServerState
from reader.ui.app import ReaderApp
from reader.ui.screens.feed_actions import FeedActions

from .helpers import Fixture, main_of, notes, settle

SIZE = (120, 36)
MakeApp = Callable[..., ReaderApp]


class FakeServer:
    """One account's server: two items in one subscription, and the marks sent to it."""

    def __init__(self) -> None:
        self.items = {
            n: Item(
                n,
                "feed/1",
                title,
                None,
                2_000_000_000.0 + n,
                f"<p>{title}</p>",
                "",
                False,
                False,
                (),
            )
            for n, title in ((1, "Synced story one"), (2, "同步的第二篇"))
        }
        self.unread = set(self.items)
        self.starred: set[int] = set()
        self.sent: list[tuple[str, bool, list[int]]] = []
        self.syncs = 0
        self.gate = threading.Event()  # a sync waits for it (set: no wait)
        self.gate.set()

    def subscriptions(self) -> list[Subscription]:
        self.syncs += 1
        self.gate.wait(10)
        return [Subscription("feed/1", "Server News", "http://127.0.0.1:9/feed", "", ())]

    def state(self, folders: set[str]) -> ServerState:
        return ServerState(set(self.unread), set(self.starred), {})

    def fresh(
        self, since: float | None, known: set[int], wanted: set[int], streams: set[str]
    ) -> Iterator[Item]:
        yield from (item for n, item in self.items.items() if n not in known)

    def recent(self, since: float) -> set[int]:
        return set()

    def items_of(self, ids: Sequence[int]) -> list[Item]:
        return [self.items[n] for n in ids if n in self.items]

    def mark(self, ids: list[int], what: str, on: bool) -> set[int]:
        self.sent.append((what, on, sorted(ids)))
        if what == "read":
            self.unread = self.unread - set(ids) if on else self.unread | set(ids)
        return set(ids)

    def subscribe(self, url: str) -> str:
        return "feed/2"

    def unsubscribe(self, stream: str) -> None:
        pass


@pytest.fixture
def server(reader_lib: Fixture, monkeypatch: pytest.MonkeyPatch) -> FakeServer:
    """The fixture library with an account `home` on a FakeServer."""
    fake = FakeServer()

    def remote_for(account: Any, password: str, timeout: float = 30.0) -> Any:
        assert password == "apipass"
        return _Adapter(fake)

    monkeypatch.setattr(sync_module, "remote_for", remote_for)
    with Library(reader_lib.path) as library:
        library.insert_account("home", "http://127.0.0.1:9/api/greader.php", "alice", "greader")
        passwords.save(library.path, "home", "apipass")
    return fake


class _Adapter:
    """The fake as the sync engine's Remote (`items` is a method there)."""

    def __init__(self, fake: FakeServer) -> None:
        self.fake = fake

    def __getattr__(self, name: str) -> Any:
        return getattr(self.fake, "items_of" if name == "items" else name)


def titles(app: ReaderApp) -> list[str]:
    screen = main_of(app)
    return [row.title for row in screen.library.summaries_for(screen.articles.ids)]


async def test_capital_r_syncs_and_new_items_come_without_moving_the_cursor(
    make_app: MakeApp, server: FakeServer
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        await pilot.press("j", "j")
        current = screen.articles.current
        await pilot.press("R")
        await settle(pilot)
        await settle(pilot)
        assert "Synced home: 2 new articles." in notes(app)
        assert {"Synced story one", "同步的第二篇"} <= set(titles(app))
        assert screen.articles.current == current
        assert server.syncs == 1


async def test_a_mark_made_in_the_app_goes_to_the_server_on_the_next_sync(
    make_app: MakeApp, server: FakeServer
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        await pilot.press("R")
        await settle(pilot)
        await settle(pilot)
        screen.articles.go_to(screen.articles.ids[titles(app).index("同步的第二篇")])
        await settle(pilot)
        await pilot.press("enter")  # opening marks it read
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        await settle(pilot)
        assert ("read", True, [2]) in server.sent
        assert server.unread == {1}
        assert "Synced home: 0 new articles, 1 sent." in notes(app)


async def test_sync_every_syncs_at_start_and_on_a_schedule(
    make_app: MakeApp, server: FakeServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    every: list[float] = []
    original = FeedActions.set_interval

    def recorded(self: FeedActions, interval: float, *args: Any, **kwargs: Any) -> Any:
        every.append(interval)
        return original(self, interval, *args, **kwargs)

    monkeypatch.setattr(FeedActions, "set_interval", recorded)
    app = make_app(sync_every="15m")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await settle(pilot)
        assert server.syncs == 1  # at start, no key pressed
        assert 900 in every
        assert {"Synced story one", "同步的第二篇"} <= set(titles(app))


async def test_without_sync_every_the_app_syncs_only_when_asked(
    make_app: MakeApp, server: FakeServer, tmp_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await settle(pilot)
        assert server.syncs == 0


async def test_a_scheduled_sync_never_cuts_a_running_refresh_short(
    make_app: MakeApp, server: FakeServer
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        server.gate.clear()
        await pilot.press("R")
        await pilot.pause(0.2)
        [running] = [w for w in screen.workers if w.group == "feeds" and w.is_running]
        screen._scheduled_sync()  # the timer fires meanwhile
        await pilot.pause(0.1)
        assert not running.is_cancelled
        assert [w for w in screen.workers if w.group == "feeds" and w.is_running] == [running]
        server.gate.set()
        await settle(pilot)
        await settle(pilot)
        assert server.syncs == 1 and "Synced home: 2 new articles." in notes(app)
