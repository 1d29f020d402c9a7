"""What the app loads before its first paint: heavy modules wait until they are needed."""

from __future__ import annotations

import gc
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from textual import events
from textual.dom import DOMNode

from reader.ui.app import ReaderApp
from reader.ui.widgets.search_bar import FindBar, SearchBar

# Loaded on first use: by the importer, the feeds, an opened article, a settings file.
LATER = (
    "yaml",
    "html2text",
    "markdown_it",
    "feedparser",
    "urllib.request",
    "multiprocessing",
    "reader.library.ingest",
    "reader.library.parse",
    "reader.library.feeds",
    "reader.ui.render",
    "reader.ui.wrap",
    "reader.ui.screens.dialogs",
    "reader.ui.screens.help",
    "reader.ui.screens.tag_editor",
    "webbrowser",
    "json",
)


def test_starting_the_app_leaves_the_heavy_modules_for_later() -> None:
    code = (
        "import sys, reader.cli, reader.ui.app\n"
        "print(' '.join(name for name in sys.argv[1:] if name in sys.modules))"
    )
    run = subprocess.run(
        [sys.executable, "-c", code, *LATER], capture_output=True, text=True, check=True
    )
    assert run.stdout.split() == []


async def test_the_themes_load_once_the_list_is_on_screen(
    make_app: Callable[..., ReaderApp], home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COLORFGBG", raising=False)  # a dark (or unknown) terminal
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.pause()
        assert {"newsreader-paper", "newsreader-sepia"} <= set(app.available_themes)
        assert app.theme == "newsreader-ink"


async def test_a_chosen_theme_is_there_for_the_first_paint(
    make_app: Callable[..., ReaderApp], home: Path
) -> None:
    app = make_app(theme="newsreader-sepia")
    async with app.run_test():
        assert app.theme == "newsreader-sepia"


async def test_garbage_collection_turned_off_for_the_start_comes_back_on(
    make_app: Callable[..., ReaderApp],
) -> None:
    """`newsreader` starts with collection off (cmd_open); the first paint turns it on."""
    app = make_app()
    frozen = gc.get_freeze_count()
    gc.disable()
    try:
        async with app.run_test() as pilot:
            await pilot.pause()
            assert gc.isenabled()
            assert gc.get_freeze_count() > frozen  # start-up's objects stay out of collections
    finally:
        gc.enable()
        gc.unfreeze()


async def test_an_app_started_with_collection_on_leaves_it_alone(
    make_app: Callable[..., ReaderApp],
) -> None:
    app = make_app()
    frozen = gc.get_freeze_count()
    async with app.run_test() as pilot:
        await pilot.pause()
        assert gc.isenabled()
        assert gc.get_freeze_count() == frozen


async def test_the_search_and_find_bars_are_built_when_first_opened(
    make_app: Callable[..., ReaderApp],
) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.pause()
        search, find = app.screen.query_one(SearchBar), app.screen.query_one(FindBar)
        assert not search.children and not find.children
        await pilot.press("slash")
        await pilot.pause()
        assert app.focused is search.input
        assert not find.children
        await pilot.press("escape", "enter")
        await pilot.pause()
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert app.focused is find.input


async def test_the_first_screen_is_styled_once_not_again_when_it_first_resumes(
    make_app: Callable[..., ReaderApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual restyles a screen's every widget when it resumes. The first time they were
    just styled as they mounted, so the main screen skips it; a later resume that asks for
    it (as switching screens does) restyles as Textual would."""
    app = make_app()
    restyled: list[str] = []
    update_styles = app.update_styles

    def spy(node: DOMNode, animate: bool = True) -> None:
        restyled.append(type(node).__name__)
        update_styles(node, animate)

    monkeypatch.setattr(app, "update_styles", spy)
    async with app.run_test(size=(120, 36)) as pilot:  # (narrower restyles for -narrow)
        await pilot.pause()
        assert "MainScreen" not in restyled
        app.screen.post_message(events.ScreenResume())
        await pilot.pause()
        assert "MainScreen" in restyled
