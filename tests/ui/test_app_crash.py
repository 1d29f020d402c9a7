"""An action that raises ends the app with status 1; the traceback goes to a crash log in
the data folder, and Textual's printed traceback gives way to one line naming it."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from reader.ui.app import ReaderApp
from reader.ui.screens.main import MainScreen

from .helpers import settle

MakeApp = Callable[..., ReaderApp]


async def test_an_action_that_raises_ends_the_app_with_status_1_and_a_crash_log(
    make_app: MakeApp, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def toggle_bookmark(self: MainScreen) -> None:
        raise RuntimeError("injected by the test")

    monkeypatch.setattr(MainScreen, "action_toggle_bookmark", toggle_bookmark)
    app = make_app()
    with pytest.raises(RuntimeError, match="injected by the test"):  # (run_test re-raises)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("b")
            await pilot.pause()
    assert app.return_code == 1
    assert app._exit_renderables == []  # Textual prints no traceback
    logs = list((home / "data").glob("crash-*.log"))
    assert len(logs) == 1
    assert app.crash_line == (
        "newsreader: unexpected error (RuntimeError: injected by the test); "
        f"the details are in {logs[0]}"
    )
    text = logs[0].read_text()
    assert "in toggle_bookmark" in text
    assert re.search(r"RuntimeError: injected by the test\s*$", text)


async def test_counts_that_arrive_as_the_screen_closes_are_dropped(make_app: MakeApp) -> None:
    """The sidebar's counts come from a worker; arriving once the screen's widgets are gone
    (the search bar, asked whether a search shows), they are dropped, not a crash. (A CI
    run failed on this race.)"""
    from reader.ui.widgets.search_bar import SearchBar

    from .helpers import main_of

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = main_of(app)
        await screen.query_one(SearchBar).remove()  # (as when the screen is closing)
        screen.refresh_counts()
        await screen.workers.wait_for_complete()
        await settle(pilot)
    assert app.return_code in (None, 0)
