"""An SVG snapshot of the main screen, an article open, in each theme newsreader ships."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from reader import paths
from reader.ui.app import ReaderApp
from reader.ui.themes import load_themes

from .test_snapshots import WIDE, pressing

THEMES = [theme.name for theme in load_themes([paths.themes_dir()])[0]]


@pytest.fixture(autouse=True)
def colour(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.mark.parametrize("theme", THEMES)
def test_main_screen_in_each_theme(
    snap_compare: Callable[..., bool], make_app: Callable[..., ReaderApp], theme: str
) -> None:
    assert snap_compare(
        make_app(theme=theme), terminal_size=WIDE, run_before=pressing("j", "enter")
    )
