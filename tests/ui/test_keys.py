"""Every key of the main screen, driven through Textual's pilot, checked against app state
and the library file."""

from __future__ import annotations

import threading
import webbrowser
from collections.abc import Callable

import pytest
from rich.text import Text
from textual import events
from textual.color import Color
from textual.command import CommandPalette
from textual.pilot import Pilot

import reader.ui.render as render
from reader.library import Library, View
from reader.ui.app import ReaderApp
from reader.ui.keys import KEYS
from reader.ui.screens.help import HelpScreen
from reader.ui.screens.main import MainScreen
from reader.ui.widgets import ArticleList, ArticleView, KeyBar, Sidebar, TagPane
from reader.ui.widgets.article_list import BAR
from reader.ui.widgets.sidebar import _entry

from .helpers import TITLES, Fixture, main_of, notes, screen_text, settle

SIZE = (120, 36)
NARROW = (80, 30)
MakeApp = Callable[..., ReaderApp]


def is_read(fixture: Fixture, article_id: int) -> bool:
    with fixture.open() as library:
        article = library.article(article_id)
    assert article is not None
    return article.read


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """URLs handed to the browser: webbrowser.open as the main screen calls it."""
    calls: list[str] = []

    def fake_open(url: str, *args: object, **kwargs: object) -> bool:
        calls.append(url)
        return True

    monkeypatch.setattr(webbrowser, "open", fake_open)
    monkeypatch.setenv("DISPLAY", ":0")  # a graphical session (else no browser is tried)
    monkeypatch.setattr(webbrowser, "get", lambda *args: webbrowser.BackgroundBrowser("xdg"))
    return calls


# ---- moving in the list -------------------------------------------------------------------


async def test_j_k_g_G_and_arrows_move_the_list_cursor(
    make_app: MakeApp, reader_lib: Fixture
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        articles = screen.articles
        assert screen.focused is articles
        assert articles.cursor == 0
        await pilot.press("j")
        assert articles.cursor == 1
        await pilot.press("down", "down")
        assert articles.cursor == 3
        assert articles.current == reader_lib.ids[3]
        await pilot.press("k")
        assert articles.cursor == 2
        await pilot.press("up", "up", "up", "k")
        assert articles.cursor == 0  # stops at the top
        last = len(TITLES) - 1
        await pilot.press("G")
        assert articles.cursor == last
        await pilot.press("j")
        assert articles.cursor == last  # stops at the bottom
        await pilot.press("g")
        assert articles.cursor == 0
        await pilot.press("end")
        assert articles.cursor == last
        await pilot.press("home")
        assert articles.cursor == 0
        assert screen.open_id is None  # moving opens nothing


async def test_the_tag_pane_follows_the_cursor(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        pane = app.screen.query_one(TagPane)
        assert "#web  #links" in str(pane.content)
        await pilot.press("j", "j")
        await pilot.pause()
        assert "新闻" in str(pane.content)
        assert "#经济  #外贸" in str(pane.content)
        await pilot.press("G")
        await pilot.pause()
        assert str(pane.content) == "No categories or tags"


async def test_page_keys_move_a_screenful(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 12)) as pilot:
        await settle(pilot)
        articles = main_of(app).articles
        last = len(TITLES) - 1

        def page() -> int:  # the tag pane under the list changes height with the row
            return articles.scrollable_content_region.height - 1

        assert 0 < page() < last, "the terminal must be small enough for a page to be < all rows"
        expected = page()
        await pilot.press("pagedown")
        assert articles.cursor == expected
        await pilot.press("pagedown")
        assert articles.cursor == last
        top = int(articles.scroll_offset.y)
        assert top > 0
        assert top <= articles.cursor < top + articles.scrollable_content_region.height
        expected = last - page()
        await pilot.press("pageup")
        assert articles.cursor == expected
        await pilot.press("pageup")
        assert articles.cursor == 0
        assert articles.scroll_offset.y == 0


# ---- opening and going back -----------------------------------------------------------------


async def test_enter_opens_and_marks_read(make_app: MakeApp, reader_lib: Fixture) -> None:
    app = make_app()
    first = reader_lib.ids[0]
    assert not is_read(reader_lib, first)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        sidebar = screen.query_one(Sidebar)
        assert str(sidebar.get_option("unread").prompt).split()[-1] == "8"
        await pilot.press("enter")
        await settle(pilot)
        assert screen.open_id == first
        assert screen.focused is screen.body  # (-reading matters only when narrow)
        assert screen.focused is screen.body
        assert screen.body.article is not None and screen.body.article.id == first
        assert screen.body.plain[0] == "Links and pictures"
        assert "Read the first[1] and the second[2]." in screen.body.plain
        assert is_read(reader_lib, first)
        assert str(sidebar.get_option("unread").prompt).split()[-1] == "7"
        assert articles_row(screen, 0).startswith(" ")  # the unread dot is gone


async def test_the_unread_list_counts_an_article_read_in_it(
    make_app: MakeApp, reader_lib: Fixture
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        screen.show_view(View("unread"))
        await settle(pilot)
        assert str(screen.articles.border_title) == "Unread · 8"
        await pilot.press("enter")
        await settle(pilot)
        assert str(screen.articles.border_title) == "Unread · 7"  # as the sidebar says
        assert len(screen.articles.ids) == 8  # the article stays until the view reloads
        await pilot.press("escape", "r")  # unread again
        await settle(pilot)
        assert str(screen.articles.border_title) == "Unread · 8"


async def test_new_counts_change_only_their_sidebar_entries(
    make_app: MakeApp, reader_lib: Fixture
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        sidebar = main_of(app).query_one(Sidebar)
        await pilot.press("shift+tab", "j", "j", "tab")  # the cursor on Bookmarked
        await settle(pilot)
        before = list(sidebar.options)
        prompts = [str(option.prompt) for option in before]
        await pilot.press("enter")  # opening reads the article: Unread and its source change
        await settle(pilot)
        assert all(new is old for new, old in zip(sidebar.options, before, strict=True))
        changed = [
            str(o.prompt) for o, p in zip(before, prompts, strict=True) if str(o.prompt) != p
        ]
        assert [entry.split() for entry in changed] == [["Unread", "7"], ["posts", "7/8"]]
        assert str(sidebar.get_option("unread").prompt).split()[-1] == "7"
        assert sidebar.highlighted == 2 and sidebar.scroll_y == 0


def articles_row(screen: MainScreen, index: int) -> str:
    articles = screen.articles
    return articles.render_line(index - int(articles.scroll_offset.y)).text


async def test_escape_and_h_go_back(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        for back in ("escape", "h"):
            if screen.focused is not screen.articles:
                await pilot.press("tab")  # sidebar -> list
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(screen.focused, ArticleView)
            await pilot.press(back)
            assert isinstance(screen.focused, ArticleList)
            assert screen.open_id is not None  # the body still shows the article
            await pilot.press(back)
            assert isinstance(screen.focused, Sidebar)
            assert not screen.has_class("-reading")
            await pilot.press(back)  # the sidebar is as far back as it goes
            assert isinstance(screen.focused, Sidebar)


async def test_tab_and_shift_tab_cycle_focus(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        for kind in (Sidebar, ArticleList):  # nothing open: no article pane to go to
            await pilot.press("tab")
            assert isinstance(screen.focused, kind)
        await pilot.press("enter")
        await settle(pilot)
        # Reading at 120 columns the sidebar steps aside; in the list, it is back, and tab
        # reaches the article again although the list has the room.
        for key, kind in [
            ("tab", ArticleList),
            ("tab", ArticleView),
            ("shift+tab", ArticleList),
            ("shift+tab", Sidebar),
        ]:
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(screen.focused, kind), (key, kind, screen.focused)


async def test_space_pages_the_body_then_opens_the_next(
    make_app: MakeApp, reader_lib: Fixture
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        long_one = reader_lib.id_of("An article with a link")
        await pilot.press("j", "enter")
        await settle(pilot)
        body = screen.body
        assert screen.open_id == long_one
        assert body.max_scroll_y > 2 * body.scrollable_content_region.height
        pages = 0
        while not body.at_end:
            before = body.scroll_offset.y
            await pilot.press("space")
            await pilot.pause()
            assert body.scroll_offset.y > before
            assert screen.open_id == long_one
            pages += 1
            assert pages < 20
        assert pages >= 2
        await pilot.press("space")
        await settle(pilot)
        assert screen.open_id == reader_lib.ids[2]
        assert screen.articles.cursor == 2
        assert body.scroll_offset.y == 0
        assert is_read(reader_lib, reader_lib.ids[2])


async def test_body_keys_move_the_text_at_once(make_app: MakeApp, reader_lib: Fixture) -> None:
    """j, k, pgdn, pgup, G and g scroll the body by their step at once, with no animation
    left running (Textual's own scroll actions animate)."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        await pilot.press("j", "enter")
        await settle(pilot)
        body = screen.body
        assert screen.focused is body
        animated: list[str] = []
        animate = body.animate
        body.animate = lambda attribute, *args, **kwargs: (  # type: ignore[method-assign]
            animated.append(attribute) or animate(attribute, *args, **kwargs)
        )
        page = body.scrollable_content_region.height
        assert body.max_scroll_y > 2 * page
        for key, expected in [
            ("j", 1),
            ("j", 2),
            ("k", 1),
            ("pagedown", 1 + page),
            ("pageup", 1),
            ("G", body.max_scroll_y),
            ("g", 0),
        ]:
            await pilot.press(key)
            assert body.scroll_offset.y == expected, key
        assert animated == []


async def test_space_while_the_article_is_laid_out_does_not_skip_it(
    make_app: MakeApp, reader_lib: Fixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = threading.Event()
    real_layout = render.layout

    def slow_layout(*args: object) -> object:
        gate.wait(10)  # a long article: the layout worker is still busy
        return real_layout(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(render, "layout", slow_layout)  # the body worker imports it late
    app = make_app()
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            screen = main_of(app)
            await pilot.press("enter")
            await pilot.pause()
            await pilot.press("space")
            await pilot.pause()
            gate.set()
            await settle(pilot)
            assert screen.open_id == reader_lib.ids[0]
            assert not is_read(reader_lib, reader_lib.ids[1])
    finally:
        gate.set()


async def test_n_and_p_open_next_and_previous(make_app: MakeApp, reader_lib: Fixture) -> None:
    app = make_app()
    ids = reader_lib.ids
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        await pilot.press("n")  # nothing open: n opens the article under the cursor
        await settle(pilot)
        assert screen.open_id == ids[0]
        await pilot.press("n", "n")
        await settle(pilot)
        assert screen.open_id == ids[2]
        assert screen.articles.cursor == 2
        assert screen.body.plain[0] == TITLES[2]
        await pilot.press("p")
        await settle(pilot)
        assert screen.open_id == ids[1]
        assert all(is_read(reader_lib, i) for i in ids[:3])
        assert not is_read(reader_lib, ids[3])
        await pilot.press("p", "p")
        await settle(pilot)
        assert screen.open_id == ids[0]
        assert "No more articles in this view." in notes(app)
        # n from the list shows what it opens: the list has the room at 120 columns
        assert screen.focused is screen.body
        await pilot.press("escape", "G", "enter", "n")
        await settle(pilot)
        assert screen.open_id == ids[-1]
        assert notes(app).count("No more articles in this view.") == 2


async def test_shift_n_skips_read_articles(make_app: MakeApp, reader_lib: Fixture) -> None:
    ids = reader_lib.ids
    with reader_lib.open() as library:
        library.set_read([ids[1], ids[2], ids[4], ids[6], ids[7]], True)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        await pilot.press("enter")
        await settle(pilot)
        assert screen.open_id == ids[0]
        await pilot.press("N")
        await settle(pilot)
        assert screen.open_id == ids[3]
        assert screen.articles.cursor == 3
        await pilot.press("N")
        await settle(pilot)
        assert screen.open_id == ids[5]
        assert is_read(reader_lib, ids[5])
        await pilot.press("N")  # none below: from the top (the open one is not "next")
        await settle(pilot)
        assert screen.open_id == ids[5]
        assert "No unread articles in this view." in notes(app)


async def test_r_toggles_read(make_app: MakeApp, reader_lib: Fixture) -> None:
    ids = reader_lib.ids
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        assert articles_row(screen, 0).startswith("●")
        await pilot.press("r")
        await settle(pilot)
        assert is_read(reader_lib, ids[0])
        assert articles_row(screen, 0).startswith(" ")
        assert str(screen.query_one(Sidebar).get_option("unread").prompt).split()[-1] == "7"
        await pilot.press("r")
        await settle(pilot)
        assert not is_read(reader_lib, ids[0])
        assert articles_row(screen, 0).startswith("●")
        # In the body, r acts on the open article, not the row under the cursor.
        await pilot.press("j", "enter")
        await settle(pilot)
        assert is_read(reader_lib, ids[1])
        await pilot.press("r")
        await settle(pilot)
        assert not is_read(reader_lib, ids[1])
        assert not is_read(reader_lib, ids[0])


# ---- links ----------------------------------------------------------------------------------


async def test_o_opens_the_article_link(
    make_app: MakeApp, reader_lib: Fixture, opened: list[str]
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "o")  # from the list: the highlighted article's link
        await settle(pilot)
        assert opened == ["https://example.com/post"]
        assert "Opening https://example.com/post" in notes(app)
        assert main_of(app).open_id is None
        await pilot.press("G", "o")
        await settle(pilot)
        assert opened == ["https://example.com/post"]
        assert "This article has no link." in notes(app)


async def test_a_number_then_o_opens_that_link(make_app: MakeApp, opened: list[str]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        await pilot.press("enter")
        await settle(pilot)
        assert screen.body.links[:3] == [
            "http://a.example/x",
            "https://b.example/y",
            "http://img.example/cat.png",
        ]
        await pilot.press("3", "o")
        await settle(pilot)
        assert opened == ["http://img.example/cat.png"]
        await pilot.press("1", "o")
        await settle(pilot)
        assert opened[-1] == "http://a.example/x"
        await pilot.press("4", "j", "o")  # another key in between forgets the number
        await settle(pilot)
        assert opened[-1] == "http://a.example/x"
        assert len(opened) == 2
        assert "This article has no link." in notes(app)


async def test_non_http_links_are_refused(
    make_app: MakeApp, opened: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        await pilot.press("enter")
        await settle(pilot)
        links = screen.body.links
        # mailto:, javascript: and file: links are never numbered: no number reaches them.
        assert links and all(link.startswith(("http://", "https://")) for link in links)
        await pilot.press(*str(len(links) + 1), "o")
        await settle(pilot)
        assert f"There is no link [{len(links) + 1}] in this article." in notes(app)
        # An article's own link that is not http(s) (its front matter says so) is not opened.
        monkeypatch.setattr(screen, "_link", lambda: "mailto:someone@example.com")
        await pilot.press("o")
        await settle(pilot)
        assert opened == []
        assert any(m.startswith("Not opening 'mailto:someone@example.com'") for m in notes(app))


async def test_y_copies_the_link(make_app: MakeApp, monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app()
    copied: list[str] = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    monkeypatch.delenv("DISPLAY", raising=False)  # no clipboard command: OSC 52 alone
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "y")
        await settle(pilot)
        assert copied == ["https://example.com/post"]
        await pilot.press("k", "enter")
        await settle(pilot)
        await pilot.press("2", "y")
        await settle(pilot)
        assert copied == ["https://example.com/post", "https://b.example/y"]
        assert "Copied https://b.example/y (terminal clipboard)" in notes(app)


# ---- screens --------------------------------------------------------------------------------


async def test_ctrl_p_opens_the_command_palette(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


async def test_the_footer_shows_the_reading_keys(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        footer = screen_text(app)[-1]
        for key in ("⏎ Open", "n Next", "p Prev", "N Next unread", "r Read", "o Open link"):
            assert key in footer, footer


async def test_the_key_bar_follows_the_focus_without_rebuilding(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        nodes = len(list(app.screen.walk_children()))
        assert "⏎ Open" in screen_text(app)[-1]
        await pilot.press("tab")  # the sidebar: the list's keys go, the screen's stay
        await settle(pilot)
        footer = screen_text(app)[-1]
        assert "⏎ Open" not in footer and "n Next" in footer, footer
        assert footer.rstrip().endswith("▏^p palette"), footer
        assert len(list(app.screen.walk_children())) == nodes  # one line redrawn, no widgets


async def test_a_narrow_key_bar_leaves_out_whole_keys(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(60, 24)) as pilot:
        await settle(pilot)
        footer = screen_text(app)[-1]
        shown, _, palette = footer.rpartition("▏")
        assert palette.strip() == "^p palette", footer
        keys = KeyBar.keys(app.screen.query_one(KeyBar))[0]
        described = [f" {key.label} {key.description} " for key in keys]
        assert 2 < sum(text in shown for text in described) < len(keys)
        assert shown.strip() == "".join(d for d in described if d in shown).strip(), footer
        room = len(shown) - len(shown.rstrip())  # what is left: no key left out would fit
        assert all(len(text) > room for text in described if text not in shown), footer


async def test_the_key_bar_keeps_the_declared_order_and_leaves_out_typed_keys(
    make_app: MakeApp,
) -> None:
    app = make_app(keys={"next": "ctrl+n"})  # rebound keys come last in Textual's map
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        footer = screen_text(app)[-1]
        assert " ? Help  ^n Next  p Prev " in footer, footer
        await pilot.press("slash")  # the search input takes `/` as text: not a key to show
        await settle(pilot)
        assert "/ Search" not in main_of(app).query_one(KeyBar).render_line(0).text


async def test_the_key_bar_shows_the_keys_of_the_pane_in_use_first(make_app: MakeApp) -> None:
    app = make_app(keys={"page": "f"})
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        bar = main_of(app).query_one(KeyBar)
        assert "Back" not in bar.render_line(0).text  # in the list, esc goes to the sidebar
        await pilot.press("enter")  # reading: how to page, go back and find come first
        await settle(pilot)
        assert bar.render_line(0).text.startswith(" esc Back  f Page  ^f Find  z Zoom  q Quit ")
        await pilot.press("escape", "slash")  # typing a search
        await settle(pilot)
        assert bar.render_line(0).text.startswith(" esc Back  ^g Search scope  ^r Sort ")


async def test_a_dialog_does_not_change_the_key_bar_under_it(make_app: MakeApp) -> None:
    """Actions named `screen.…` would be checked against the dialog on top."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        bar = main_of(app).query_one(KeyBar)
        await pilot.press("shift+tab")  # the sidebar, on All: nothing to rename or delete
        await settle(pilot)
        before = bar.render_line(0).text
        assert "Rename" not in before
        for key in ("ctrl+p", "question_mark"):
            await pilot.press(key)
            await settle(pilot)
            assert bar.render_line(0).text == before
            await pilot.press("escape")
            await settle(pilot)
        assert bar.render_line(0).text == before


async def test_a_click_on_the_key_bar_presses_the_key(
    make_app: MakeApp, reader_lib: Fixture
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen, bar = main_of(app), app.screen.query_one(KeyBar)
        x = screen_text(app)[-1].index(" n Next") + 1
        await pilot.hover(bar, offset=(x + 3, 0))  # on the description: the key lights up
        colour = {seg.text: seg.style.bgcolor for seg in bar.render_line(0)}
        lit, unlit = colour[" n "], colour[" p "]
        assert colour["Next "] == lit != unlit
        # a tint of the bar's colour, not the theme's translucent hover colour at full strength
        shift = Color.from_rich_color(lit).brightness - Color.from_rich_color(unlit).brightness
        assert 0 < abs(shift) < 0.15
        await pilot.click(bar, offset=(x, 0), button=3)  # the right button: nothing
        await settle(pilot)
        assert screen.open_id is None
        await pilot.mouse_down(bar, offset=(x + 8, 0))  # pressed on `p`, let go on `n`
        await pilot.mouse_up(bar, offset=(x, 0))
        await pilot._post_mouse_events([events.Click], bar, offset=(x, 0), button=1)
        await settle(pilot)
        assert screen.open_id is None
        await pilot.click(bar, offset=(x, 0))
        await settle(pilot)
        assert screen.open_id == reader_lib.ids[0]  # `n` opened the first article
        await pilot.hover(bar, offset=(x, 0))
        await pilot.press("tab")  # the keys move: the one lit is no longer under the pointer
        await settle(pilot)
        assert bar._hover is None
        await pilot.hover("#article-list")
        assert bar._hover is None


async def test_the_key_bar_takes_the_new_theme(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        bar = app.screen.query_one(KeyBar)
        before = {seg.style.bgcolor for seg in bar.render_line(0) if seg.text.strip()}
        app.theme = "textual-light"
        await settle(pilot)
        after = {seg.style.bgcolor for seg in bar.render_line(0) if seg.text.strip()}
        assert before and after and before.isdisjoint(after)


async def test_the_palette_shows_keys_as_the_footer_does(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        helps = {command.title: command.help for command in app.get_system_commands(app.screen)}
        assert helps["Help"] == "Key: ?"
        assert helps["Back"] == "Key: esc / h"
        assert not any("_sign" in text or "question_mark" in text for text in helps.values())


async def test_the_palette_runs_reading_actions(make_app: MakeApp, reader_lib: Fixture) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        await pilot.press("ctrl+p", *"unread")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert screen.open_id == reader_lib.ids[1]


async def test_question_mark_shows_help_and_every_key_can_be_read(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        seen = "\n".join(screen_text(app))
        for _ in range(4):  # a long table scrolls
            await pilot.press("pagedown")
            await pilot.pause()
            seen += "\n".join(screen_text(app))
        for key, what in ((row.keys, row.about) for row in KEYS):
            assert key in seen, key
            assert what.split()[0] in seen, what
        await pilot.press("j", "escape")  # keys do not leak to the screen below
        await pilot.pause()
        assert main_of(app).articles.cursor == 0
        for close in ("q", "question_mark"):
            await pilot.press("question_mark")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            await pilot.press(close)
            await pilot.pause()
            assert app.is_running
            assert isinstance(app.screen, MainScreen)


async def test_q_quits(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running
    assert app.return_code == 0


# ---- sidebar, first run, restore ------------------------------------------------------------


async def choose(pilot: Pilot[None], app: ReaderApp, option_id: str) -> None:
    """Go to the sidebar with esc, highlight an entry and press enter on it."""
    screen = main_of(app)
    await pilot.press("escape")
    sidebar = screen.query_one(Sidebar)
    assert screen.focused is sidebar
    sidebar.highlighted = sidebar.get_option_index(option_id)
    await pilot.press("enter")
    await settle(pilot)


VIEWS = [
    ("category\x1ftech", [TITLES[0], TITLES[1], TITLES[6]]),
    ("category\x1f新闻", [TITLES[2], TITLES[3]]),
    ("tag\x1fpython", [TITLES[1], TITLES[6]]),
    ("source\x1fposts", TITLES),
    ("all", TITLES),
]


async def test_a_sidebar_entry_filters_the_list(make_app: MakeApp, reader_lib: Fixture) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        for option_id, titles in VIEWS:
            await choose(pilot, app, option_id)
            assert screen.articles.ids == [reader_lib.id_of(t) for t in titles], option_id
            assert screen.articles.cursor == 0
            assert screen.focused is screen.articles
            assert str(screen.articles.border_title).endswith(f" · {len(titles)}")
            with reader_lib.open() as library:
                assert library.setting("ui.view") == option_id


async def test_going_to_an_article_outside_the_view_shows_all_and_remembers_it(
    make_app: MakeApp, reader_lib: Fixture
) -> None:
    """The palette's "Go to article" shows All when the article is not in the view; the
    next start shows All too (this view change was not remembered before)."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        await choose(pilot, app, "tag\x1fpython")
        wanted = reader_lib.id_of("一堵文字墙")
        assert wanted not in screen.articles.ids
        await pilot.press("ctrl+p", *"文字墙")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert screen.view == View() and screen.open_id == wanted
        assert screen.articles.current == wanted
        with reader_lib.open() as library:
            assert library.setting("ui.view") == "all"


async def test_the_screen_s_view_and_sort_are_declared_state_that_shows_when_set(
    make_app: MakeApp, reader_lib: Fixture
) -> None:
    """One path: setting `view` or `sort` (as any key does) loads the list, and a view is
    remembered for the next start; nothing else needs calling."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        python = [reader_lib.id_of(TITLES[1]), reader_lib.id_of(TITLES[6])]
        screen.view = View("tag", "python")
        await settle(pilot)
        assert screen.articles.ids == python
        with reader_lib.open() as library:
            assert library.setting("ui.view") == "tag\x1fpython"
        screen.sort = "oldest"
        await settle(pilot)
        assert screen.articles.ids == python[::-1]
        assert str(screen.articles.border_title) == "Tag: python · 2 · oldest first"
        screen.view = View("nonsense", "view")  # a view that cannot load: All, remembered
        await settle(pilot)
        assert screen.view == View() and len(screen.articles.ids) == len(TITLES)
        with reader_lib.open() as library:
            assert library.setting("ui.view") == "all"


async def test_unread_view_lists_only_unread(make_app: MakeApp, reader_lib: Fixture) -> None:
    with reader_lib.open() as library:
        library.set_read(reader_lib.ids[:5], True)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await choose(pilot, app, "unread")
        assert main_of(app).articles.ids == reader_lib.ids[5:]


async def test_first_run_imports_the_seeds_once(library: Library) -> None:
    assert library.count() == 0
    app = ReaderApp(library.path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert len(main_of(app).articles.ids) == 2
        welcome = [n for n in app._notifications if n.title == "Welcome to newsreader"]
        assert len(welcome) == 1
        assert "2 sample articles" in welcome[0].message
    assert library.count() == 2

    app = ReaderApp(library.path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not [n for n in app._notifications if n.title == "Welcome to newsreader"]
    assert library.count() == 2


async def test_the_last_view_and_article_are_restored(
    make_app: MakeApp, reader_lib: Fixture
) -> None:
    wanted = reader_lib.id_of("A short English brief")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await choose(pilot, app, "category\x1ftech")
        await pilot.press("j", "j", "enter")
        await settle(pilot)
        assert main_of(app).open_id == wanted
        await pilot.press("q")

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        assert screen.view.kind == "category" and screen.view.value == "tech"
        assert len(screen.articles.ids) == 3
        assert screen.articles.current == wanted
        assert screen.open_id == wanted
        assert screen.body.plain[0] == "A short English brief"
        assert screen.query_one(Sidebar).highlighted_option.id == "category\x1ftech"


async def test_a_saved_view_that_is_gone_falls_back_to_all(
    make_app: MakeApp, reader_lib: Fixture
) -> None:
    with reader_lib.open() as library:
        library.set_setting("ui.view", "nonsense\x1fview")
        library.set_setting("ui.article", "99999")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        assert screen.articles.ids == reader_lib.ids
        assert screen.open_id is None


# ---- narrow terminals and the mouse ---------------------------------------------------------


async def test_the_sidebar_lays_its_counts_out_again_when_the_terminal_narrows(
    make_app: MakeApp,
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        sidebar = main_of(app).query_one(Sidebar)
        wide = sidebar.scrollable_content_region.width
        await pilot.resize_terminal(80, 30)  # under 100 columns the sidebar is narrower
        await settle(pilot)
        width = sidebar.scrollable_content_region.width
        assert width < wide
        entries = [sidebar.get_option_at_index(i) for i in range(sidebar.option_count)]
        for option in entries:
            assert option.prompt.cell_len <= width  # type: ignore[union-attr]
        assert str(entries[0].prompt).split() == ["All", "8"]  # the count on its line


async def test_sidebar_counts_stay_in_their_column_with_or_without_a_scrollbar(
    make_app: MakeApp,
) -> None:
    """Entries keep room for the scrollbar: laid out before it shows (a tall terminal made
    short) or while it shows (a short one), the count column is the same."""
    widths = []
    for sizes in [[(120, 12)], [(120, 36), (120, 12)], [(120, 12), (120, 36)]]:
        app = make_app()
        async with app.run_test(size=sizes[0]) as pilot:
            await settle(pilot)
            for size in sizes[1:]:
                await pilot.resize_terminal(*size)
                await settle(pilot)
            sidebar = main_of(app).query_one(Sidebar)
            prompt = sidebar.get_option_at_index(0).prompt
            assert isinstance(prompt, Text)
            assert prompt.cell_len <= sidebar.scrollable_content_region.width
            widths.append(prompt.cell_len)
    assert len(set(widths)) == 1, widths


def test_a_narrow_sidebar_shows_a_sources_unread_count_alone() -> None:
    """`name  unread/total` when it fits, else `name  unread`: an entry never wraps."""
    assert _entry("big", 100000, 30, 6, " ", 99999).plain.split() == ["big", "99999/100000"]
    narrow = _entry("big", 100000, 14, 6, " ", 99999)
    assert narrow.cell_len <= 14
    assert narrow.plain.split() == ["big", "99999"]
    # The name before the total: `posts… 99999/100000` hid which source it was.
    assert _entry("posts100k", 100000, 22, 6, " ", 99999).plain.split() == ["posts100k", "99999"]
    long = _entry("a-long-source-name", 9, 22, 1, " ", 3).plain  # cut anyway: the total stays
    assert long.endswith("… 3/9") and len(long) == 22


async def test_narrow_enter_shows_the_body_full_width(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        screen = main_of(app)
        assert screen.has_class("-narrow")
        assert not screen.body.display or screen.body.region.width == 0
        await pilot.press("j", "j", "enter")
        await settle(pilot)
        assert screen.has_class("-reading")
        assert not screen.query_one("#list-column").display
        assert not screen.query_one(Sidebar).display
        assert screen.body.region.width == NARROW[0]
        assert screen.body.plain[0] == TITLES[2]
        widest = max(len(line) for line in screen.body.plain)
        assert widest > 30, "laid out for the full width, not for a hidden pane"
        await pilot.press("escape")
        await settle(pilot)
        assert not screen.has_class("-reading")
        assert screen.query_one("#list-column").display
        assert screen.focused is screen.articles
        assert screen.articles.cursor == 2


async def test_narrow_every_article_opened_is_laid_out_full_width(make_app: MakeApp) -> None:
    """The body is hidden between articles: its layout must follow the width it is shown at
    (every second article came out ~20 columns wide)."""
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        screen = main_of(app)
        widths = []
        for _ in range(4):
            await pilot.press("enter")
            await settle(pilot)
            widths.append(max(len(line) for line in screen.body.plain))
            await pilot.press("escape", "j")
            await settle(pilot)
        assert min(widths) > 40, widths


async def test_narrow_the_focus_is_never_in_a_hidden_pane(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        screen = main_of(app)
        await pilot.press("enter", "slash")  # reading, then a search: the list shows
        await settle(pilot)
        assert screen.focused is screen.search_bar.input and screen.search_bar.region.width
        await pilot.press("escape", "escape")
        await settle(pilot)
        await pilot.press("ctrl+f")  # in the list with an article open: its find box shows
        await settle(pilot)
        focused = screen.focused
        assert focused is not None and focused.id == "find-input" and focused.region.width


async def test_resizing_keeps_the_pane_with_the_focus_on_screen(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        await pilot.press("enter")  # reading, wide
        await settle(pilot)
        await pilot.resize_terminal(*NARROW)  # the article stays, full width
        await settle(pilot)
        assert screen.focused is screen.body and screen.body.region.width == NARROW[0]
        await pilot.resize_terminal(*SIZE)
        await pilot.press("escape")  # back to the list while wide
        await settle(pilot)
        await pilot.resize_terminal(*NARROW)  # the list shows, not the article
        await settle(pilot)
        assert screen.focused is screen.articles and screen.articles.region.width > 0
        await pilot.press("j")
        await settle(pilot)
        assert screen.articles.cursor == 1


async def test_wide_layout_shows_everything(make_app: MakeApp) -> None:
    """From 173 columns (reading width 90) the three panes stay put as the focus moves."""
    app = make_app()
    async with app.run_test(size=(180, 36)) as pilot:
        await settle(pilot)
        screen = main_of(app)
        assert not screen.has_class("-narrow")
        await pilot.press("enter")
        await settle(pilot)
        widths = [w.region.width for w in (screen.query_one(Sidebar), screen.articles, screen.body)]
        assert min(widths) > 0
        assert screen.body.text_width == 90
        await pilot.press("escape")
        await settle(pilot)
        assert [
            w.region.width for w in (screen.query_one(Sidebar), screen.articles, screen.body)
        ] == (widths)


async def test_narrow_n_from_the_list_shows_what_it_opens(
    make_app: MakeApp, reader_lib: Fixture
) -> None:
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        screen = main_of(app)
        await pilot.press("n")
        await settle(pilot)
        assert is_read(reader_lib, reader_lib.ids[0])
        assert screen.body.region.width > 0


async def test_clicking_a_row_moves_the_cursor(make_app: MakeApp, reader_lib: Fixture) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        articles = screen.articles
        top = articles.content_region.y - articles.region.y  # the border above row 0
        await pilot.click("#article-list", offset=(5, top + 3))
        await pilot.pause()
        assert articles.cursor == 3
        await pilot.double_click("#article-list", offset=(5, top + 1))
        await settle(pilot)
        assert screen.open_id == reader_lib.ids[1]


async def test_clicking_moves_the_cursor_down_the_list(make_app: MakeApp) -> None:
    """Whatever row a click lands on, a lower click lands lower and the cursor follows."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        articles = main_of(app).articles
        await pilot.click("#article-list", offset=(5, 5))
        await pilot.pause()
        first = articles.cursor
        await pilot.click("#article-list", offset=(5, 7))
        await pilot.pause()
        assert articles.cursor == first + 2
        assert first > 0


def bar_cells(articles: ArticleList, lit: str = "") -> list[str]:
    """Each visible row's scrollbar cells: 'thumb' or 'track' by their background colour
    (`lit`: in the colours under the pointer, "-hover", or while dragged, "-active")."""
    thumb = articles.get_component_rich_style("article-list--thumb" + lit).bgcolor
    track = articles.get_component_rich_style("article-list--bar" + lit).bgcolor
    assert thumb != track
    cells = []
    for y in range(articles.scrollable_content_region.height):
        strip = articles.render_line(y)
        assert strip.cell_length == articles.scrollable_content_region.width
        last = list(strip)[-1]
        assert last.text == " " * BAR
        cells.append({thumb: "thumb", track: "track"}[last.style.bgcolor])
    return cells


async def test_the_list_draws_a_scrollbar_that_follows_the_view(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 12)) as pilot:
        await settle(pilot)
        articles = main_of(app).articles
        height = articles.scrollable_content_region.height
        assert 2 <= height < len(TITLES)
        cells = bar_cells(articles)
        assert cells[0] == "thumb" and cells[-1] == "track"
        await pilot.press("G")
        await pilot.pause()
        cells = bar_cells(articles)
        assert cells[0] == "track" and cells[-1] == "thumb"
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:  # every row fits: no scrollbar
        await settle(pilot)
        articles = main_of(app).articles
        assert len(TITLES) < articles.scrollable_content_region.height
        row = "".join(s.text for s in articles.render_line(0)).rstrip()
        assert TITLES[0] in row and row.endswith("#web #links")  # no bar after the tags


async def test_pressing_and_dragging_the_scrollbar_scrolls_the_list(make_app: MakeApp) -> None:
    """A press on the bar shows that part of the list and a drag follows the pointer; the
    cursor stays where it was, as a click on the bar is not a click on a row."""
    app = make_app()
    async with app.run_test(size=(120, 12)) as pilot:
        await settle(pilot)
        articles = main_of(app).articles
        region = articles.content_region
        bar_x = region.right - 1 - articles.region.x
        top = region.y - articles.region.y
        bottom = top + region.height - 1
        assert articles.max_scroll_y > 0
        await pilot.mouse_down(articles, offset=(bar_x, bottom))
        assert articles.scroll_offset.y == articles.max_scroll_y
        await pilot.hover(articles, offset=(bar_x - 10, top))  # a drag may leave the bar
        assert articles.scroll_offset.y == 0
        await pilot.mouse_up(articles, offset=(bar_x, top))
        assert app.mouse_captured is None
        await pilot.click(articles, offset=(bar_x, bottom))
        assert articles.cursor == 0
        assert articles.scroll_offset.y == articles.max_scroll_y
        await pilot.hover(articles, offset=(bar_x, top))  # no longer held: nothing moves
        assert articles.scroll_offset.y == articles.max_scroll_y


async def test_the_scrollbar_lights_up_under_the_pointer_and_while_dragged(
    make_app: MakeApp,
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 12)) as pilot:
        await settle(pilot)
        articles = main_of(app).articles
        style = articles.get_component_rich_style
        colours = {style(f"article-list--thumb{lit}").bgcolor for lit in ("", "-hover", "-active")}
        assert len(colours) == 3
        bar_x = articles.content_region.right - 1 - articles.region.x
        top = articles.content_region.y - articles.region.y
        await pilot.hover(articles, offset=(bar_x, top + 3))
        assert bar_cells(articles, "-hover")[0] == "thumb"
        await pilot.mouse_down(articles, offset=(bar_x, top))
        assert bar_cells(articles, "-active")[0] == "thumb"
        await pilot.hover(articles, offset=(bar_x - 10, top))  # still dragging
        assert bar_cells(articles, "-active")[0] == "thumb"
        await pilot.mouse_up(articles, offset=(bar_x - 10, top))
        assert bar_cells(articles)[0] == "thumb"  # let go off the bar
        await pilot.hover(articles, offset=(bar_x, top))
        await pilot.hover("#article-view")
        assert bar_cells(articles)[0] == "thumb"


async def test_the_mouse_wheel_scrolls_the_list(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 12)) as pilot:
        await settle(pilot)
        articles = main_of(app).articles
        # The pilot has no wheel of its own; this is what its clicks are made of.
        await pilot._post_mouse_events([events.MouseScrollDown], articles, offset=(5, 2))
        await pilot.pause()
        assert articles.scroll_offset.y > 0
        assert articles.cursor == 0


def test_fixture_library_is_in_the_expected_order(reader_lib: Fixture) -> None:
    """The tests above lean on this order; it comes from the fixed dates and mtimes."""
    with Library(reader_lib.path) as library:
        rows = library.summaries_for(library.ids())
    assert [row.title for row in rows] == TITLES
    assert rows[-1].date is None
