"""The panes' widths: the list's room while browsing, the reading width while reading, and the
keys that change them (s, [ ], z, < >), remembered in the settings file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from reader import config
from reader.ui.app import ReaderApp
from reader.ui.screens.help import HelpScreen
from reader.ui.screens.main import MainScreen
from reader.ui.screens.pane_layout import Panes, arrange
from reader.ui.widgets import Sidebar

from .helpers import TITLES, Fixture, main_of, notes, screen_text, settle

MakeApp = Callable[..., ReaderApp]


def widths(screen: MainScreen) -> tuple[int, int, int]:
    return tuple(  # type: ignore[return-value]
        screen.query_one(name).region.width for name in ("#sidebar", "#list-column", "#body-column")
    )


# ---- the rule, as a table -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("width", "focus", "article_open", "expected"),
    [
        (120, "list", False, Panes(26, 94, 0)),  # browsing: the list has the room
        (120, "list", True, Panes(26, 94, 0)),  # ... an article open too
        (120, "body", True, Panes(0, 23, 97)),  # reading: 90 columns of text
        (140, "body", True, Panes(0, 43, 97)),
        (160, "body", True, Panes(0, 63, 97)),  # the sidebar aside: the list gets its room
        (173, "list", True, Panes(26, 50, 97)),  # room for all: they stay put
        (173, "body", True, Panes(26, 50, 97)),
        (100, "body", True, Panes(0, 20, 80)),  # 73 columns of text
        (80, "list", True, Panes(20, 60, 0)),  # narrow: one or the other
        (80, "body", True, Panes(0, 0, 80)),
    ],
)
def test_the_pane_with_the_focus_gets_the_room(
    width: int, focus: str, article_open: bool, expected: Panes
) -> None:
    assert arrange(width, focus, article_open) == expected  # type: ignore[arg-type]


def test_the_readers_choices_change_the_panes() -> None:
    assert arrange(120, "list", False, sidebar="hidden") == Panes(0, 120, 0)
    assert arrange(120, "sidebar", False, sidebar="hidden") == Panes(26, 94, 0)
    assert arrange(120, "body", True, sidebar="shown") == Panes(26, 20, 74)  # kept while reading
    assert arrange(120, "body", True, list_width=40) == Panes(0, 40, 80)
    assert arrange(200, "list", True, list_width=40) == Panes(26, 40, 134)
    assert arrange(120, "body", True, reading_width=60) == Panes(0, 53, 67)
    assert arrange(120, "list", True, zoom=True) == Panes(0, 120, 0)
    assert arrange(120, "body", True, zoom=True) == Panes(0, 0, 120)


# ---- on screen ------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [(100, 30), (120, 30)])
async def test_the_list_shows_whole_titles_until_an_article_opens(
    make_app: MakeApp, size: tuple[int, int]
) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        screen = main_of(app)
        assert widths(screen) == (26, size[0] - 26, 0)
        row = next(line for line in screen_text(app) if TITLES[0] in line)
        assert "2024-03-08 tech" in row and "#web #links" in row  # year, source, tags


async def test_reading_at_120_columns_gets_the_reading_width(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        screen = main_of(app)
        await pilot.press("j", "enter")  # the article of long paragraphs
        await settle(pilot)
        assert widths(screen) == (0, 23, 97)
        assert screen.body.text_width == 90
        assert max(len(line) for line in screen.body.plain) > 80  # laid out at that width
        await pilot.press("escape")  # back in the list: it has the room again
        await settle(pilot)
        assert widths(screen) == (26, 94, 0)
        assert screen.focused is screen.articles and screen.open_id is not None


async def test_the_panes_move_with_the_focus_not_a_frame_later(make_app: MakeApp) -> None:
    """Opening and tab set the widths as the focus moves, before any frame is drawn: Textual
    paints a focus change at once, so panes laid out on DescendantFocus came a frame (and a
    layout) later, and the article's header with them."""
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        screen = main_of(app)
        body = screen.query_one("#body-column")
        screen.open_article(screen.articles.ids[1])  # as enter does, with no await after it
        assert screen.focused is screen.body and body.display and body.styles.width.value == 97
        assert screen.body.text_width == 90 and screen.body.plain  # the header, at 90
        screen.focus_next()  # tab: back to the list, which takes the room at once
        assert screen.focused is screen.articles and not body.display
        await settle(pilot)
        assert widths(screen) == (26, 94, 0)


async def test_s_hides_and_shows_the_sidebar_and_remembers(
    make_app: MakeApp, reader_lib: Fixture
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        screen = main_of(app)
        await pilot.press("s")
        await pilot.pause()
        assert widths(screen) == (0, 120, 0)
        await pilot.press("escape")  # no hidden pane gets the focus
        await pilot.pause()
        assert screen.focused is screen.articles
        assert "The sidebar is hidden: s shows it." in notes(app)
        await pilot.pause(0.6)  # the save waits for the keys to stop
    assert config.load()[0].show_sidebar is False
    app = ReaderApp(reader_lib.path, config.load()[0])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        screen = main_of(app)
        assert widths(screen) == (0, 120, 0)
        await pilot.press("enter")  # reading, then s: shown beside the article anyway
        await settle(pilot)
        await pilot.press("s")
        await pilot.pause()
        assert widths(screen)[0] == 26 and screen.query_one(Sidebar).display
        await pilot.pause(0.6)
    assert config.load()[0].show_sidebar is True


async def test_brackets_move_the_split_and_it_is_remembered(
    make_app: MakeApp, reader_lib: Fixture, home: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        screen = main_of(app)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("right_square_bracket", "right_square_bracket")
        await settle(pilot)
        assert widths(screen) == (0, 31, 89)
        assert screen.body.text_width == 82
        assert "Beside an article the list takes 31 columns, the article 82." in notes(app)
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert widths(screen) == (0, 27, 93)
        await pilot.pause(0.6)
    assert "list_width: 27" in config.config_path().read_text()
    app = ReaderApp(reader_lib.path, config.load()[0])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert widths(main_of(app)) == (0, 27, 93)


async def test_z_gives_the_focused_pane_the_whole_screen(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        screen = main_of(app)
        await pilot.press("z")
        await pilot.pause()
        assert widths(screen) == (0, 120, 0)
        await pilot.press("enter")  # the zoom follows the focus
        await settle(pilot)
        assert widths(screen) == (0, 0, 120)
        assert screen.body.text_width == 90
        await pilot.press("z")  # again: back
        await pilot.pause()
        assert widths(screen) == (0, 23, 97)


async def test_a_rebound_layout_key_works_and_the_old_one_does_not(make_app: MakeApp) -> None:
    app = make_app(keys={"zoom": "Z", "toggle_sidebar": "ctrl+s"})
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        screen = main_of(app)
        await pilot.press("z", "s")
        await pilot.pause()
        assert widths(screen) == (26, 94, 0)
        await pilot.press("Z")
        await pilot.pause()
        assert widths(screen) == (0, 120, 0)


async def test_the_reading_width_keys_say_what_the_pane_shows(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        screen = main_of(app)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("greater_than_sign")  # 94: the list gives what it can
        await settle(pilot)
        assert widths(screen) == (0, 20, 100)
        assert screen.body.text_width == 93
        assert notes(app)[-1].startswith("Reading width 94 (the pane shows 93: press [")
        await pilot.press("less_than_sign", "less_than_sign")
        await settle(pilot)
        assert notes(app)[-1] == "Reading width: 86 columns."
        assert screen.body.text_width == 86


# ---- navigation -----------------------------------------------------------------------------


async def test_l_opens_from_the_list_and_goes_to_the_list_from_the_sidebar(
    make_app: MakeApp, reader_lib: Fixture
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        screen = main_of(app)
        await pilot.press("j", "l")
        await settle(pilot)
        assert screen.open_id == reader_lib.ids[1] and screen.focused is screen.body
        await pilot.press("h", "h")
        await pilot.pause()
        sidebar = screen.query_one(Sidebar)
        assert screen.focused is sidebar
        await pilot.press("l")  # the entry shown: back to its list
        await pilot.pause()
        assert screen.focused is screen.articles
        await pilot.press("h")
        await pilot.pause()
        index = next(
            i for i in range(sidebar.option_count) if sidebar.get_option_at_index(i).id == "unread"
        )
        sidebar.highlighted = index
        await pilot.press("l")  # another entry: its list
        await settle(pilot)
        assert screen.focused is screen.articles
        assert screen.view.kind == "unread"


async def test_shift_n_wraps_to_the_first_unread_above(
    make_app: MakeApp, reader_lib: Fixture
) -> None:
    ids = reader_lib.ids
    with reader_lib.open() as library:
        library.set_read(ids[2:], True)
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        screen = main_of(app)
        await pilot.press("j", "enter")  # ids[1]: read now; only ids[0] is unread, above
        await settle(pilot)
        await pilot.press("N")
        await settle(pilot)
        assert screen.open_id == ids[0]
        assert "No unread below; wrapped to the top." in notes(app)
        await pilot.press("N")
        await settle(pilot)
        assert screen.open_id == ids[0]
        assert notes(app)[-1] == "No unread articles in this view."


async def test_the_help_scrolls_with_the_keys_it_lists(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        from textual.containers import VerticalScroll

        scroll = app.screen.query_one(VerticalScroll)
        assert scroll.max_scroll_y > 0
        await pilot.press("j", "j")
        await pilot.pause()
        assert scroll.scroll_offset.y == 2
        await pilot.press("k")
        await pilot.pause()
        assert scroll.scroll_offset.y == 1
        await pilot.press("G")
        await pilot.pause()
        assert scroll.scroll_offset.y == scroll.max_scroll_y
        await pilot.press("g")
        await pilot.pause()
        assert scroll.scroll_offset.y == 0
        await pilot.press("space")
        await pilot.pause()
        assert scroll.scroll_offset.y > 2
        assert main_of_below(app).articles.cursor == 0  # keys do not reach the list below


def main_of_below(app: ReaderApp) -> MainScreen:
    screen = app.screen_stack[0]
    assert isinstance(screen, MainScreen)
    return screen
