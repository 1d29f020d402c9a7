"""Every text colour of every bundled theme reads at WCAG AA (4.5:1) on what it is drawn on.

Measured on the screen as Textual paints it (the compositor's cells, after the app's filters:
`dim` text is blended toward its background there), in the states a reader sees: the list
focused, an article open, the sidebar focused, a search with its status line and matches.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rich.color import Color as RichColor
from textual.pilot import Pilot

from reader import paths
from reader.ui.app import ReaderApp
from reader.ui.screens.main import MainScreen
from reader.ui.themes import contrast, load_themes

from .helpers import settle

THEMES = [theme.name for theme in load_themes([paths.themes_dir()])[0]]
AA = 4.5
Cell = tuple[float, str, str, str, str]  # ratio, text, colour, background, where


@pytest.fixture(autouse=True)
def colour(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)


def is_text(char: str) -> bool:
    """Borders, rules and scrollbars (box drawing, block elements) are lines, not text."""
    return not char.isspace() and not 0x2500 <= ord(char) <= 0x259F


def hex_of(colour: RichColor | None) -> str | None:
    return None if colour is None or colour.triplet is None else colour.triplet.hex


def screen_cells(app: ReaderApp, where: str) -> list[Cell]:
    """(contrast, text, colour, background) of every run of text on the screen now. Behind
    a dialog the screen is faded on purpose: only the dialog's own text counts then."""
    screen = app.screen
    regions = None if isinstance(screen, MainScreen) else [c.region for c in screen.children]
    cells = []
    for y, strip in enumerate(screen._compositor.render_strips()):
        x = 0
        for segment in strip:
            text, style = segment.text, segment.style
            x, start = x + segment.cell_length, x
            if style is None or not any(map(is_text, text)):
                continue
            if regions is not None and not any(r.contains(start, y) for r in regions):
                continue
            fore, back = hex_of(style.color), hex_of(style.bgcolor)
            if style.reverse:
                fore, back = back, fore
            assert fore and back, f"{where}, line {y}: {text!r} has no colour of its own"
            ratio = contrast(fore, back)
            cells.append((ratio, text.strip(), fore, back, f"{where}, line {y}"))
    return cells


async def seen(pilot: Pilot[None], cells: list[Cell], where: str, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)
    cells += screen_cells(pilot.app, where)  # type: ignore[arg-type]


# (what is on screen, the keys that lead there from the state before)
STATES: list[tuple[str, tuple[str, ...]]] = [
    ("the list", ()),
    ("an article with links", ("enter",)),
    ("an article with a header link", ("h", "j", "enter")),
    ("a Chinese article (heading, list, quote, table)", ("h", "j", "enter")),
    ("marked rows", ("h", "v", "v", "k")),
    ("the sidebar", ("escape", "tab")),
    ("the sidebar, blurred", ("tab",)),
    ("the search bar and its count", ("slash", "f", "o", "x")),
    ("a search's matches in the list", ("enter",)),
    ("a search's matches in an article", ("enter",)),
    ("the find bar", ("ctrl+f", "f", "o", "x")),
    ("a search with an error", ("escape", "h", "slash", *"after:nonsense")),
    ("the tag editor", ("escape", "escape", "t")),
    ("the help screen", ("escape", "question_mark")),
]


@pytest.mark.parametrize("theme", THEMES)
async def test_every_text_on_screen_meets_wcag_aa(
    make_app: Callable[..., ReaderApp], theme: str
) -> None:
    app = make_app(theme=theme)
    cells: list[Cell] = []
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert app.theme == theme
        for where, keys in STATES:
            await seen(pilot, cells, where, *keys)
    poor = {(fore, back): (ratio, text, where) for ratio, text, fore, back, where in cells}
    poor = {pair: cell for pair, cell in poor.items() if cell[0] < AA}  # one example a pair
    assert cells and not poor, "\n".join(
        f"{ratio:.2f}:1 {text!r} {fore} on {back} ({where})"
        for (fore, back), (ratio, text, where) in sorted(poor.items(), key=lambda i: i[1])
    )
