"""What the app loads before its first paint: heavy modules wait until they are needed."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from reader.ui.app import ReaderApp

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
    make_app: Callable[..., ReaderApp], home: Path
) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.pause()
        assert {"newsreader-paper", "newsreader-sepia"} <= set(app.available_themes)
        assert app.theme == "textual-dark"


async def test_a_chosen_theme_is_there_for_the_first_paint(
    make_app: Callable[..., ReaderApp], home: Path
) -> None:
    app = make_app(theme="newsreader-sepia")
    async with app.run_test():
        assert app.theme == "newsreader-sepia"
