"""The app open while something else writes the library: an import in another terminal,
or a second app. New articles and changed state show up by themselves."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import reader.ui.screens.main as main_screen
from reader.library import Library, import_paths
from reader.ui.app import ReaderApp
from reader.ui.widgets import Sidebar

from .helpers import Fixture, main_of, notes, settle

SIZE = (120, 36)
MakeApp = Callable[..., ReaderApp]


def count_of(app: ReaderApp, option: str) -> str:
    sidebar = main_of(app).query_one(Sidebar)
    return str(sidebar.get_option(option).prompt).split()[-1]


async def test_articles_imported_elsewhere_appear_on_their_own(
    make_app: MakeApp, reader_lib: Fixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(main_screen, "WATCH", 0.1)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        screen.articles.cursor = 2
        highlighted = screen.articles.current
        await pilot.press("v")  # a mark survives the reload
        marked = set(screen.articles.marked)
        assert marked
        screen.articles.cursor = 2
        fresh = tmp_path / "more"
        fresh.mkdir()
        for day in (1, 2):
            (fresh / f"new-{day}.md").write_text(
                f"---\ntitle: Fresh news {day}\ndate: 2030-01-0{day}\n---\nJust in.\n"
            )
        with Library(reader_lib.path) as other:  # as `newsreader import` would, meanwhile
            assert import_paths(other, [fresh], jobs=1).new == 2
        await pilot.pause(0.5)
        await settle(pilot)
        assert len(screen.articles.ids) == len(reader_lib.ids) + 2
        assert screen.articles.current == highlighted  # the reader's place is kept
        assert screen.articles.marked == marked
        assert "2 new articles." in notes(app)
        assert count_of(app, "all") == str(len(reader_lib.ids) + 2)


async def test_state_changed_by_a_second_app_shows_here(
    make_app: MakeApp, reader_lib: Fixture
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert count_of(app, "bookmarked") == "0"
        with Library(reader_lib.path) as other:
            other.set_bookmark(reader_lib.ids[:3], True)
        main_of(app).pick_up_changes()
        await settle(pilot)
        assert count_of(app, "bookmarked") == "3"
        assert main_of(app).articles.summary(0).bookmarked  # the list row too


async def test_nothing_is_reloaded_when_nothing_changed(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        loads: list[object] = []
        monkeypatch.setattr(screen, "load", lambda **kw: loads.append(kw))
        screen.library.set_read(screen.articles.ids[:1], True)  # the app's own write
        screen.pick_up_changes()
        assert loads == []


class EndedImport:
    """An import beside the app that has just ended: the app's next tick has not yet seen
    it (a look for changes by the WATCH timer can come first)."""

    running = False
    stopping = False


async def test_an_import_that_has_just_ended_is_not_announced_twice(
    make_app: MakeApp, reader_lib: Fixture, tmp_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        screen.importing = EndedImport()  # type: ignore[assignment]
        fresh = tmp_path / "more"
        fresh.mkdir()
        (fresh / "new.md").write_text("---\ntitle: Fresh news\ndate: 2030-01-01\n---\nIn.\n")
        with Library(reader_lib.path) as other:
            assert import_paths(other, [fresh], jobs=1).new == 1
        screen.pick_up_changes()  # (the WATCH timer's look)
        await settle(pilot)
        assert len(screen.articles.ids) == len(reader_lib.ids) + 1
        assert not [n for n in notes(app) if "new article" in n]  # its summary says it
