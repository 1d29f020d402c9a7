"""SVG snapshots of each screen and layout (`--snapshot-update` rewrites them).

The library is filled before the app starts, so no welcome toast appears; keys are pressed
in `run_before`, which also waits for the render and count workers, so no timing leaks in.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from reader.ui.app import ReaderApp

from .helpers import settle

WIDE = (120, 36)
NARROW = (80, 30)
SnapCompare = Callable[..., bool]
MakeApp = Callable[..., ReaderApp]


@pytest.fixture(autouse=True)
def colour(monkeypatch: pytest.MonkeyPatch) -> None:
    """NO_COLOR in the environment would turn every snapshot monochrome."""
    monkeypatch.delenv("NO_COLOR", raising=False)


def pressing(*keys: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """A run_before that presses `keys`, then waits until everything has been drawn."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run_before


def test_wide_with_an_article_open(snap_compare: SnapCompare, make_app: MakeApp) -> None:
    """Links and pictures: numbered links, an image label and the Links list."""
    assert snap_compare(make_app(), terminal_size=WIDE, run_before=pressing("enter"))


def test_wide_chinese_article(snap_compare: SnapCompare, make_app: MakeApp) -> None:
    """A Chinese article with a heading, a list, a quote and a table."""
    assert snap_compare(make_app(), terminal_size=WIDE, run_before=pressing("j", "j", "enter"))


def test_narrow_list(snap_compare: SnapCompare, make_app: MakeApp) -> None:
    """Below 100 columns: sidebar and list only."""
    assert snap_compare(make_app(), terminal_size=NARROW, run_before=pressing("j"))


def test_narrow_with_an_article_open(snap_compare: SnapCompare, make_app: MakeApp) -> None:
    """Below 100 columns an open article takes the whole width (the wall of Chinese text)."""
    keys = ("j", "j", "j", "enter")
    assert snap_compare(make_app(), terminal_size=NARROW, run_before=pressing(*keys))


def test_help_screen(snap_compare: SnapCompare, make_app: MakeApp) -> None:
    assert snap_compare(make_app(), terminal_size=WIDE, run_before=pressing("question_mark"))


def test_markup_title_open(snap_compare: SnapCompare, make_app: MakeApp) -> None:
    """`[bold red]x[/]` as a title and `[b]tag[/b]` as a tag, shown as typed."""
    keys = ("j", "j", "j", "j", "enter")
    assert snap_compare(make_app(), terminal_size=WIDE, run_before=pressing(*keys))
