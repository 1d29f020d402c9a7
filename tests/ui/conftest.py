"""UI fixtures: a small fixed library of posts, and an app over it.

`async def` tests run under `asyncio.run` (see `pytest_pyfunc_call`): the project does not
depend on pytest-asyncio, and Textual's pilot needs nothing more than an event loop.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from reader.config import Config
from reader.library import Library, import_paths
from reader.ui import links
from reader.ui.app import ReaderApp

from .helpers import POSTS, TITLES, Fixture, write_posts

TEST_TIMEOUT = 60  # seconds: a pilot test that hangs fails instead of blocking the run


@pytest.fixture
def reader_lib(tmp_path: Path) -> Fixture:
    """A library holding the eight POSTS, closed again (the app opens its own)."""
    path = tmp_path / "ui.db"
    with Library(path) as library:
        report = import_paths(library, [write_posts(tmp_path / "posts")], jobs=1)
        assert report.new == len(POSTS), report.summary()
        ids = library.ids()
        assert [row.title for row in library.summaries_for(ids)] == TITLES
    return Fixture(path, ids)


@pytest.fixture
def make_app(reader_lib: Fixture) -> Callable[..., ReaderApp]:
    """`make_app(**settings)` -> a ReaderApp over the fixture library (reading width 90)."""

    def make(path: Path | None = None, reading_width: int = 90, **settings: Any) -> ReaderApp:
        settings = {"reading_width": reading_width, **settings}
        return ReaderApp(path or reader_lib.path, Config(**settings))

    return make


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run `async def` tests in a fresh event loop, with a timeout."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    kwargs = {name: pyfuncitem.funcargs[name] for name in names}
    asyncio.run(asyncio.wait_for(pyfuncitem.obj(**kwargs), TEST_TIMEOUT))
    return True


@pytest.fixture
def bin_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder that is all of PATH (for `helpers.tool`'s commands), in a session with no
    display, on Linux."""
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", str(folder))
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(links.sys, "platform", "linux")
    return folder
