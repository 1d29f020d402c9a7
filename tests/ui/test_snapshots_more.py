"""SVG snapshots of the tag editor, the sidebar's Tags section, search results and a saved
search (`--snapshot-update` rewrites them).

The library is filled before the app starts (no welcome toast). `run_before` presses the
keys, waits for the search debounce, the render and count workers, and stops the input
cursor from blinking, so nothing depends on timing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from reader.ui.app import ReaderApp
from reader.ui.screens.main import MainScreen
from reader.ui.widgets import Sidebar

from .helpers import TITLES, Fixture, settle

WIDE = (120, 36)
SnapCompare = Callable[..., bool]
MakeApp = Callable[..., ReaderApp]


@pytest.fixture(autouse=True)
def colour(monkeypatch: pytest.MonkeyPatch) -> None:
    """NO_COLOR in the environment would turn every snapshot monochrome."""
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture
def tagged(reader_lib: Fixture) -> Fixture:
    """The fixture library with user tags (Chinese ones, one with a space) beside the source's."""
    with reader_lib.open() as library:
        first, second, news = (reader_lib.id_of(t) for t in TITLES[:3])
        library.tag([first], add=["稍后读", "reading list"])
        library.tag([second], add=["python tips", "pypi", "稍后读"])
        library.tag([news], add=["政策"])
    return reader_lib


async def wait_for_search(pilot: Pilot[Any]) -> None:
    """The search runs 150 ms after the last key: await its timer, then its worker."""
    screen = pilot.app.screen
    if isinstance(screen, MainScreen) and screen._search_timer is not None:
        task = screen._search_timer._task  # Textual 8 has no public Timer.wait
        if task is not None:
            await task
    await settle(pilot)


def pressing(*keys: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """A run_before that presses `keys`, lets everything finish, and steadies the cursor."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
        await wait_for_search(pilot)
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False  # a blinking cursor would make the snapshot flaky
        await pilot.pause()

    return run_before


def test_tag_editor_with_suggestions(
    snap_compare: SnapCompare, make_app: MakeApp, tagged: Fixture
) -> None:
    """Source tags (web, links) and the reader's own; `py` lists three tags with counts."""
    assert snap_compare(make_app(), terminal_size=WIDE, run_before=pressing("t", "p", "y"))


def test_sidebar_tags_section(
    snap_compare: SnapCompare, make_app: MakeApp, tagged: Fixture
) -> None:
    """Tags by count, Chinese and user tags among them; the cursor on the last tag."""
    assert snap_compare(make_app(), terminal_size=WIDE, run_before=pressing("escape", "G"))


def test_search_bar_with_results(snap_compare: SnapCompare, make_app: MakeApp) -> None:
    """Two results, their count in the border and the status line, `brief` highlighted."""
    keys = ("slash", *"link OR brief")
    assert snap_compare(make_app(), terminal_size=WIDE, run_before=pressing(*keys))


def test_saved_search_selected(
    snap_compare: SnapCompare, make_app: MakeApp, reader_lib: Fixture
) -> None:
    """A saved search chosen in the sidebar: its results, with the matches highlighted."""
    with reader_lib.open() as library:
        library.save_view("读 briefs", "link OR brief")

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, MainScreen)
        await pilot.press("escape")
        sidebar = screen.query_one(Sidebar)
        wanted = "saved\x1f读 briefs"
        for _ in range(5):  # All, Unread, Bookmarked, then the saved searches
            option = sidebar.highlighted_option
            if option is not None and option.id == wanted:
                break
            await pilot.press("j")
        assert sidebar.highlighted_option is not None
        assert sidebar.highlighted_option.id == wanted
        await pilot.press("enter", "escape")  # choose it; back to the sidebar to show it
        await settle(pilot)
        assert screen.view.kind == "saved"
        assert len(screen.articles.ids) == 2

    assert snap_compare(make_app(), terminal_size=WIDE, run_before=run_before)


def test_macro_window_after_the_prefix_key(snap_compare: SnapCompare, make_app: MakeApp) -> None:
    """`,` of the `macros` setting: its macros listed, each with its steps, over the list."""
    macros = {",r": ("browser:firefox %u", "read"), ",b": ("bookmark", "list.down")}
    assert snap_compare(make_app(macros=macros), terminal_size=WIDE, run_before=pressing("comma"))


def test_what_the_ignore_rules_hide(snap_compare: SnapCompare, make_app: MakeApp) -> None:
    """`H`: the articles an ignore rule hides, in a view of their own."""
    from reader.library.ignore import Rule

    app = make_app(ignore=(Rule("title:外贸 OR tag:python"),))
    assert snap_compare(app, terminal_size=WIDE, run_before=pressing("H"))
