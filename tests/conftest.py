"""Fixtures shared by the library, CLI and UI tests: nothing here touches the real $HOME."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from feeds_server import FeedServer
from freshrss import FreshRSS, follower

from reader.library import Library
from reader.library.greader import GReader

WritePost = Callable[[str, bytes | str], Path]


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point newsreader's data and config directories into `tmp_path`."""
    folder = tmp_path / "home"
    monkeypatch.setenv("NEWSREADER_HOME", str(folder))
    monkeypatch.delenv("NEWSREADER_LIBRARY", raising=False)
    # The start theme follows the terminal's background (COLORFGBG): not the one running tests.
    monkeypatch.delenv("COLORFGBG", raising=False)
    return folder


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    """An empty library file in `tmp_path`, closed after the test."""
    lib = Library(tmp_path / "lib.db")
    yield lib
    lib.close()


@pytest.fixture
def posts(tmp_path: Path) -> Path:
    """The folder `write_post` writes into (kept apart from the library file)."""
    folder = tmp_path / "posts"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture
def write_post(posts: Path) -> WritePost:
    """`write_post(name, data)`: write bytes (or str, as UTF-8, line ends kept) under `posts`."""

    def write(name: str, data: bytes | str) -> Path:
        path = posts / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return path

    return write


# ---- a real FreshRSS on loopback (tests/freshrss.py), for the sync tests ----------------------


@pytest.fixture(scope="module")
def feeds() -> Iterator[FeedServer]:
    """Test feeds served on loopback (for FreshRSS to fetch, and feed tests)."""
    with FeedServer() as server:
        yield server


@pytest.fixture(scope="module")
def freshrss(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FreshRSS]:
    """A private FreshRSS for the module, or a skip naming why it cannot run here."""
    server = FreshRSS.start(tmp_path_factory.mktemp("freshrss") / "fr")
    yield server
    server.stop()


@pytest.fixture
def server(freshrss: FreshRSS, feeds: FeedServer) -> GReader:
    """A new FreshRSS user following two test feeds (see freshrss.follower)."""
    return follower(freshrss, feeds)
