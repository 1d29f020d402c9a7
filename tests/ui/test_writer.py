"""The app's changes are written off the event loop: a library held by another program,
a full disk or a read-only file never freezes or ends the app, and never shows a change
that is not in the library."""

from __future__ import annotations

import inspect
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from disks import fill, immutable, small_disk

from reader.library import Library
from reader.library.turns import holding
from reader.ui.app import ReaderApp

from .helpers import Fixture, main_of, notes, settle

SIZE = (120, 36)
MakeApp = Callable[..., ReaderApp]


def bookmarked(path: Path, article_id: int) -> bool:
    with Library(path) as library:
        article = library.article(article_id)
        assert article is not None
        return article.bookmarked


async def test_a_change_waits_for_an_import_and_lands_when_it_lets_go(
    make_app: MakeApp, reader_lib: Fixture
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        first = screen.articles.current
        assert first is not None
        other = sqlite3.connect(reader_lib.path, isolation_level=None)
        with holding(reader_lib.path, "an import"):
            other.execute("BEGIN IMMEDIATE")  # the import holds the library
            await pilot.press("b")
            await pilot.pause(1.5)
            assert any("Waiting for an import" in n for n in notes(app)), notes(app)
            assert not screen.articles.summary(0).bookmarked  # not shown: not written yet
            await pilot.press("j")  # the keys still work meanwhile
            assert screen.articles.cursor == 1
            other.execute("COMMIT")
        await settle(pilot)
        assert bookmarked(reader_lib.path, first)
        assert screen.articles.summary(0).bookmarked
        assert "Saved." in notes(app)


async def test_quitting_waits_for_a_change_not_yet_written(
    make_app: MakeApp, reader_lib: Fixture
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first = main_of(app).articles.current
        other = sqlite3.connect(reader_lib.path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        await pilot.press("b", "q")
        await pilot.pause(0.2)
        assert app.is_running
        assert any("Writing your changes first" in n for n in notes(app))
        other.execute("COMMIT")
        for _ in range(300):
            if not app.is_running:
                break
            await pilot.pause(0.01)
        assert not app.is_running
    assert first is not None and bookmarked(reader_lib.path, first)


async def test_a_full_disk_says_so_and_the_app_goes_on(
    make_app: MakeApp, reader_lib: Fixture, tmp_path: Path
) -> None:
    with small_disk(tmp_path / "disk") as disk:
        path = disk / "ui.db"
        shutil.copy(reader_lib.path, path)
        app = make_app(path)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = main_of(app)
            first = screen.articles.current
            filler = fill(disk)
            await pilot.press("b")
            await settle(pilot)
            assert any("Not saved: the disk is full" in n for n in notes(app)), notes(app)
            assert not screen.articles.summary(0).bookmarked  # on screen as in the library
            assert app.is_running
            filler.unlink()  # room again: the next try works
            await pilot.press("b")
            await settle(pilot)
            assert screen.articles.summary(0).bookmarked
        assert first is not None and bookmarked(path, first)


async def test_a_read_only_library_says_so_and_the_app_goes_on(
    make_app: MakeApp, reader_lib: Fixture
) -> None:
    with immutable(reader_lib.path):
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = main_of(app)
            await pilot.press("b")
            await settle(pilot)
            assert any("Not saved: the library is read-only" in n for n in notes(app)), notes(app)
            assert not screen.articles.summary(0).bookmarked
            await pilot.press("j", "r")  # and again: one line each time, still running
            await settle(pilot)
            assert app.is_running
            assert not screen.articles.summary(1).read


async def test_undo_keeps_what_the_cli_changed_since(
    make_app: MakeApp, reader_lib: Fixture
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        first = screen.articles.current
        assert first is not None
        await pilot.press("b")
        await settle(pilot)
        for command in (
            ["tag", str(first), "+from_cli"],
            ["bookmark", str(first), "--note", "cli"],
        ):
            subprocess.run(
                [sys.executable, "-m", "reader", "--library", str(reader_lib.path), *command],
                check=True,
                capture_output=True,
            )
        await pilot.press("u")
        await settle(pilot)
        with Library(reader_lib.path) as library:
            article = library.article(first)
        assert article is not None
        assert "from_cli" in article.user_tags and article.note == "cli"
        assert not article.bookmarked  # what `b` did is undone
        assert any(n.startswith("Undid: bookmark") for n in notes(app)), notes(app)


async def test_the_palette_has_one_quit_and_it_waits_for_changes(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        quits = [c for c in app.get_system_commands(screen) if c.title == "Quit"]
        assert len(quits) == 1
        screen.writer.pending += 1  # as if a change were still waiting for the library
        result = quits[0].callback()
        if inspect.isawaitable(result):  # (the palette awaits what it gets)
            await result
        await pilot.pause(0.1)
        assert app.is_running and any("Writing your changes first" in n for n in notes(app))
        screen.writer.pending -= 1
        await pilot.pause(0.3)
        assert not app.is_running


async def test_our_own_changes_do_not_reload_the_view_but_others_do(
    make_app: MakeApp, reader_lib: Fixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        loads: list[object] = []
        monkeypatch.setattr(screen, "load", lambda **kw: loads.append(kw))
        await pilot.press("r")  # the writer's first change: what came before is unknown
        await settle(pilot)
        screen.pick_up_changes()
        loads.clear()
        await pilot.press("b", "enter")
        await settle(pilot)
        screen.pick_up_changes()
        assert loads == []  # (a reload of a big view after each key would cost)
        with Library(reader_lib.path) as other:
            other.set_bookmark(reader_lib.ids[-1:], True)
        await pilot.press("b")  # ours after theirs: theirs still shows
        await settle(pilot)
        screen.pick_up_changes()
        assert len(loads) == 1


async def test_keys_pressed_while_a_change_waits_act_on_what_it_will_be(
    make_app: MakeApp, reader_lib: Fixture
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        first = screen.articles.current
        other = sqlite3.connect(reader_lib.path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        await pilot.press("r", "r", "u")  # read, then unread again; u waits its turn
        await pilot.pause(0.2)
        assert any("still being written" in n for n in notes(app)), notes(app)
        other.execute("COMMIT")
        await settle(pilot)
        with Library(reader_lib.path) as library:
            article = library.article(first)  # type: ignore[arg-type]
        assert article is not None and not article.read
        await pilot.press("u")  # the second r undone: read again
        await settle(pilot)
        assert screen.articles.summary(0).read


async def test_a_change_that_fails_half_way_shows_and_undoes_what_went_in(
    make_app: MakeApp, reader_lib: Fixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.library import changes

    monkeypatch.setattr(changes, "SLICE", 0.0)
    monkeypatch.setattr(changes, "GROUP", 1)
    journal = changes.ChangeMixin._journal
    calls: list[int] = []

    def full_on_the_second(self: Library, states: list[object]) -> None:
        calls.append(1)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        journal(self, states)  # type: ignore[arg-type]

    monkeypatch.setattr(changes.ChangeMixin, "_journal", full_on_the_second)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        await pilot.press("V", "r")
        await settle(pilot)
        assert any("disk is full" in n and "1 article changed" in n for n in notes(app))
        rows = [screen.articles.summary(n) for n in range(len(reader_lib.ids))]
        assert [row.read for row in rows].count(True) == 1  # as the library has it
        await pilot.press("u")
        await settle(pilot)
        assert not any(screen.articles.summary(n).read for n in range(len(reader_lib.ids)))
