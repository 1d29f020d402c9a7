"""Search from the keyboard: the `/` bar, scope and sort, errors, saved searches, find in
the article (`ctrl+f`) and the palette's "Go to article", checked on screen and in the
library."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from rich.style import Style
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot
from textual.strip import Strip
from textual.widgets import Input, Static
from textual.widgets.option_list import OptionDoesNotExist

import reader.ui.screens.search_actions as search_actions
from reader.library.query import parse
from reader.library.text import is_cjk
from reader.ui.app import ReaderApp
from reader.ui.screens.dialogs import Confirm, Prompt
from reader.ui.screens.main import MainScreen
from reader.ui.widgets import ArticleView, Sidebar
from reader.ui.widgets.search_bar import FindBar, SearchBar

from .helpers import TITLES, Fixture, main_of, notes, screen_text, settle

SIZE = (120, 36)
MakeApp = Callable[..., ReaderApp]
LINKS, LINKED, NEWS, WALL = TITLES[:4]
BRIEF = TITLES[6]


async def searched(pilot: Pilot[None]) -> None:
    """Wait for the debounced search: its timer fires, then its worker posts the results.

    The timer is awaited rather than slept past, so the test is as fast as the debounce.
    """
    timer = main_of(pilot.app)._search_timer  # type: ignore[arg-type]
    task = timer._task if timer is not None else None  # Textual 8 has no public Timer.wait
    if task is not None:
        await task
    await settle(pilot)


async def search(pilot: Pilot[None], query: str) -> MainScreen:
    """`/`, type the query, wait for its results."""
    screen = main_of(pilot.app)  # type: ignore[arg-type]
    if pilot.app.focused is not screen.search_bar.input:
        await pilot.press("slash")
    await pilot.press(*query)
    await searched(pilot)
    return screen


def titles(screen: MainScreen) -> list[str]:
    rows = screen.library.summaries_for(screen.articles.ids)
    return [row.title for row in rows]


def status(screen: MainScreen) -> str:
    return str(screen.search_bar.query_one("#search-status", Static).content)


def sidebar_count(screen: MainScreen, option_id: str) -> int | None:
    sidebar = screen.query_one(Sidebar)
    try:
        prompt = sidebar.get_option(option_id).prompt
    except OptionDoesNotExist:
        return None
    return int(str(prompt).split()[-1])


def style_at(strip: Strip, text: str) -> Style | None:
    """The style of the first cell showing `text` in a painted line."""
    cells: list[Style | None] = []
    plain = ""
    for segment in strip:
        cells.extend(segment.style for _ in segment.text)
        plain += segment.text
    at = plain.find(text)
    assert at >= 0, (text, plain)
    return cells[at]


def stands_out(strip: Strip, match: str, plain: str) -> bool:
    """Whether `match` is painted unlike `plain`, another part of the same text."""
    return style_at(strip, match) != style_at(strip, plain)


def list_strip(screen: MainScreen, index: int) -> Strip:
    articles = screen.articles
    return articles.render_line(index - int(articles.scroll_offset.y))


async def choose(pilot: Pilot[None], screen: MainScreen, option_id: str) -> None:
    """esc to the sidebar, put its cursor on an entry and press enter."""
    await pilot.press("escape")
    sidebar = screen.query_one(Sidebar)
    assert screen.focused is sidebar
    sidebar.highlighted = sidebar.get_option_index(option_id)
    await pilot.press("enter")
    await settle(pilot)


# ---- the search bar -----------------------------------------------------------------------------


async def test_slash_opens_the_bar_and_typing_shows_only_matches(
    make_app: MakeApp, reader_lib: Fixture
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        bar = screen.query_one(SearchBar)
        assert not bar.display or bar.region.height == 0
        await pilot.press("slash")
        await pilot.pause()
        assert bar.region.height > 0
        assert app.focused is bar.input
        assert "in All · newest first" in status(screen)
        await pilot.press(*"python")
        await searched(pilot)
        assert titles(screen) == [LINKED, BRIEF]
        assert str(screen.articles.border_title) == "Search · 2 · All"
        assert status(screen).startswith("2 matches · in All · newest first")
        assert app.focused is bar.input  # typing stays in the bar
        await pilot.press(" ", *"brief")
        await searched(pilot)
        assert titles(screen) == [BRIEF]
        assert str(screen.articles.border_title) == "Search · 1 · All"
        assert status(screen).startswith("1 match · ")


async def test_a_word_still_being_typed_already_finds_what_it_starts(
    make_app: MakeApp, reader_lib: Fixture
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await search(pilot, "pyth")
        assert titles(screen) == [LINKED, BRIEF]
        await pilot.press("space")  # the word is over: only whole words now
        await searched(pilot)
        assert titles(screen) == []
        await pilot.press("backspace")
        await searched(pilot)
        assert titles(screen) == [LINKED, BRIEF]
        await pilot.press("enter", "S")  # saved as shown: the word's start
        await pilot.pause()
        assert isinstance(app.screen, Prompt)
        await pilot.press(*"py", "enter")
        await settle(pilot)
        with reader_lib.open() as library:
            assert library.saved_query("py") == "pyth*"


async def test_typing_runs_one_search_after_the_last_key(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs: list[str] = []
    real = MainScreen.run_search

    def counting(self: MainScreen) -> None:
        runs.append(self.search_text)
        real(self)

    monkeypatch.setattr(MainScreen, "run_search", counting)
    monkeypatch.setattr(search_actions, "DEBOUNCE", 60)  # no search while these keys go in
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        await pilot.press("slash", *"pytho")
        await settle(pilot)
        assert runs == []
        assert len(screen.articles.ids) == len(TITLES)
        monkeypatch.setattr(search_actions, "DEBOUNCE", 0.15)
        await pilot.press("n")
        await searched(pilot)
        assert runs == ["python"]  # one search, for the whole query
        assert titles(screen) == [LINKED, BRIEF]


async def test_matches_are_highlighted_in_the_list_and_the_article(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        # Open the article first: opening one while a search is on can crash (see the xfail
        # test_the_article_reads_its_styles_on_the_event_loop below).
        await pilot.press("G", "k", "enter")
        await settle(pilot)
        assert screen.body.plain[0] == BRIEF
        assert not stands_out(screen.body.lines[0], "brief", "short")
        await search(pilot, "link OR brief")
        assert titles(screen) == [LINKED, BRIEF]
        assert screen.articles.terms == ["link", "brief"]
        strip = list_strip(screen, 1)  # "A short English brief", under the cursor row
        match, other = style_at(strip, "brief"), style_at(strip, "short")
        assert match is not None and other is not None
        assert match.bold and match.bgcolor is not None and match.bgcolor != other.bgcolor
        assert style_at(strip, "English") == other  # only the word stands out

        assert screen.body.plain[0] == BRIEF
        assert stands_out(screen.body.lines[0], "brief", "short")
        line = next(i for i, text in enumerate(screen.body.plain) if "short brief about" in text)
        assert stands_out(screen.body.lines[line], "brief", "about")
        assert not stands_out(screen.body.lines[line], "short", "about")


async def test_the_highlight_shows_on_the_cursor_row_too(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await search(pilot, "brief")
        await pilot.press("enter")
        assert screen.articles.cursor == 0
        assert stands_out(list_strip(screen, 0), "brief", "short")


async def test_chinese_queries_of_one_and_two_characters(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        await pilot.press("j", "j", "j", "enter")  # the wall of text, opened before searching
        await settle(pilot)
        assert screen.body.plain[0] == WALL
        await search(pilot, "墙")
        assert titles(screen) == [WALL]
        await pilot.press("backspace", *"纾困")
        await searched(pilot)
        assert titles(screen) == [NEWS, WALL]  # the title, and the wall's 纾困措施
        assert str(screen.articles.border_title) == "Search · 2 · All"
        found = [i for i, text in enumerate(screen.body.plain) if "纾困" in text]
        assert found, "the wall of text mentions 纾困"
        line = screen.body.plain[found[0]]
        after = line[line.index("纾困") + 2 :].replace("纾困", "")[:1]
        assert stands_out(screen.body.lines[found[0]], "纾困", after)
        await pilot.press("enter", "j")  # the cursor off the first row
        assert stands_out(list_strip(screen, 0), "纾困", "十条")
        assert not stands_out(list_strip(screen, 1), "文字", "一堵")  # no 纾困 in this title

        await pilot.press("escape")  # esc in the list ends the search
        await settle(pilot)
        await search(pilot, "贸")
        assert titles(screen) == [NEWS, WALL]
        await pilot.press("enter", "j")
        assert stands_out(list_strip(screen, 0), "贸", "纾")


async def test_the_article_reads_its_styles_on_the_event_loop(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    off_loop: list[tuple[str, ...]] = []
    real = ArticleView.get_component_rich_style

    def recording(self: ArticleView, *names: str, **kwargs: Any) -> Style:
        if threading.current_thread() is not threading.main_thread():
            off_loop.append(names)
        return real(self, *names, **kwargs)

    monkeypatch.setattr(ArticleView, "get_component_rich_style", recording)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await search(pilot, "brief")
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert screen.body.plain[0] == BRIEF
        assert off_loop == []


async def test_esc_takes_the_highlights_out_of_the_open_article(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        await pilot.press("G", "k", "enter")
        await settle(pilot)
        await search(pilot, "brief")
        assert stands_out(screen.body.lines[0], "brief", "short")
        await pilot.press("escape")
        await settle(pilot)
        assert not screen.searching
        assert not stands_out(screen.body.lines[0], "brief", "short")


async def test_ctrl_g_searches_everything_or_the_sidebar_view(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        await choose(pilot, screen, "category\x1ftech")
        assert titles(screen) == [LINKS, LINKED, BRIEF]
        await search(pilot, "外贸")
        assert titles(screen) == []
        assert str(screen.articles.border_title) == "Search · 0 · Category: tech"
        assert "in Category: tech" in status(screen)
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert titles(screen) == [NEWS, WALL]
        assert str(screen.articles.border_title) == "Search · 2 · everything"
        assert "in everything" in status(screen)
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert titles(screen) == []
        await pilot.press(*["backspace"] * 2, *"python")
        await searched(pilot)
        assert titles(screen) == [LINKED, BRIEF]
        await pilot.press("escape")  # esc clears the search: back to the view
        await settle(pilot)
        assert titles(screen) == [LINKS, LINKED, BRIEF]


async def test_ctrl_r_sorts_newest_oldest_by_title_then_best_first(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await search(pilot, "the")
        query = parse("the*")  # (the last word typed also finds the words it starts)

        def expected(sort: str) -> list[int]:
            return screen.library.search(query, sort=sort)

        assert screen.articles.ids == expected("newest")
        assert titles(screen) == [LINKS, LINKED, "Undated note"]
        assert "newest first" in status(screen)
        for sort, label in [
            ("oldest", "oldest first"),
            ("title", "by title"),
            ("relevance", "best first"),
            ("newest", "newest first"),
        ]:
            await pilot.press("ctrl+r")
            await settle(pilot)
            assert screen.articles.ids == expected(sort), sort
            assert label in status(screen)
        await pilot.press("ctrl+r", "ctrl+r")
        await settle(pilot)
        assert titles(screen) == [LINKED, LINKS, "Undated note"]  # A, L, U


async def test_ctrl_r_outside_a_search_turns_the_list_around_then_sorts_by_title(
    make_app: MakeApp,
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        newest = list(screen.articles.ids)
        assert newest == screen.library.ids(order="newest")
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert screen.articles.ids == screen.library.ids(order="oldest") != newest
        assert "oldest first" in str(screen.articles.border_title)
        await pilot.press("ctrl+r")
        await settle(pilot)
        by_title = screen.library.ids(order="title")
        assert screen.articles.ids == by_title
        shown = titles(screen)
        assert shown.index(BRIEF) < shown.index(LINKED) < shown.index(LINKS)  # A s, An, L
        assert str(screen.articles.border_title) == f"All · {len(TITLES)} · by title"
        assert "Sorted by title." in notes(app)
        await pilot.press("ctrl+r")  # no best first outside a search: round to newest
        await settle(pilot)
        assert screen.articles.ids == newest
        assert str(screen.articles.border_title) == f"All · {len(TITLES)}"


async def test_a_search_with_no_match_says_so(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await search(pilot, "美元 汇率")
        assert titles(screen) == []
        assert str(screen.articles.border_title) == "Search · 0 · All"
        assert status(screen) == "No articles match 美元 汇率 in All."
        await pilot.press("enter")
        await settle(pilot)
        assert "No articles match 美元 汇率." in notes(app)

        # In a view, it says where else to look.
        await pilot.press("escape")
        await choose(pilot, screen, "category\x1ftech")
        await search(pilot, "外贸")
        assert status(screen) == (
            "No articles match 外贸 in Category: tech. ctrl+g: search everything."
        )
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert titles(screen) == [NEWS, WALL]
        assert status(screen).startswith("2 matches · in everything")


@pytest.mark.parametrize(
    ("query", "message", "column"),
    [
        (" foo:bar", "unknown filter foo:", 7),
        (' "unclosed', 'a phrase is missing its closing "', 7),
    ],
)
async def test_a_malformed_query_says_what_and_where(
    make_app: MakeApp, query: str, message: str, column: int
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await search(pilot, "python")
        before = list(screen.articles.ids)
        await pilot.press(*query)
        await searched(pilot)
        assert app.is_running
        assert screen.search_bar.has_class("-error")
        lines = status(screen).split("\n")
        assert lines[0].startswith(message), lines
        assert lines[1] == "python" + query
        assert lines[2] == " " * column + "^"
        assert screen.articles.ids == before  # the last good results stay
        # Fixing the query clears the error.
        await pilot.press(*["backspace"] * len(query))
        await searched(pilot)
        assert not screen.search_bar.has_class("-error")
        assert screen.articles.ids == before


async def test_a_malformed_query_error_is_visible_with_its_caret(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await search(pilot, "tech foo:bar")
        shown = "\n".join(screen_text(app))
        assert "unknown filter foo:" in shown
        lines = screen_text(app)
        row = [n for n, line in enumerate(lines) if "tech foo:bar" in line][-1]  # the echo
        column = lines[row].index("foo:bar")
        assert lines[row + 1][column] == "^", "the caret is under the bad filter"


async def test_enter_goes_to_the_results_and_esc_restores_the_view(
    make_app: MakeApp, reader_lib: Fixture
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await search(pilot, "python")
        await pilot.press("enter")
        assert screen.focused is screen.articles
        assert titles(screen) == [LINKED, BRIEF]
        await pilot.press("j")
        assert screen.articles.current == reader_lib.id_of(BRIEF)
        await pilot.press("escape")  # esc in the results ends the search, cursor kept
        await settle(pilot)
        assert not screen.searching
        assert screen.articles.ids == reader_lib.ids
        assert screen.articles.current == reader_lib.id_of(BRIEF)
        assert str(screen.articles.border_title) == f"All · {len(TITLES)}"
        assert screen.articles.terms == []

        await search(pilot, "brief")
        assert titles(screen) == [BRIEF]
        await pilot.press("escape")  # esc in the bar clears it too
        await settle(pilot)
        assert not screen.searching
        assert screen.search_bar.input.value == ""
        assert screen.articles.ids == reader_lib.ids
        assert screen.focused is screen.articles


# ---- saved searches -----------------------------------------------------------------------------


async def test_shift_s_saves_the_search_in_the_sidebar(
    make_app: MakeApp, reader_lib: Fixture
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        await pilot.press("S")
        await pilot.pause()
        assert app.screen is screen  # nothing to save yet
        await search(pilot, "link OR brief")
        await pilot.press("enter", "S")
        await pilot.pause()
        assert isinstance(app.screen, Prompt)
        await pilot.press(*"读 later")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        with reader_lib.open() as library:
            assert library.saved_query("读 later") == "link OR brief*"  # as the list showed
        sidebar = screen.query_one(Sidebar)
        assert sidebar.get_option("heading-saved") is not None
        assert sidebar_count(screen, "saved\x1f读 later") == 2

        await pilot.press("escape")  # end the search, then pick the saved one
        await settle(pilot)
        await choose(pilot, screen, "saved\x1f读 later")
        assert titles(screen) == [LINKED, BRIEF]
        assert str(screen.articles.border_title) == "Saved: 读 later · 2"
        assert screen.articles.terms == ["link", "brief"]
        assert stands_out(list_strip(screen, 1), "brief", "short")

    app = make_app()  # kept across restarts, and still the view shown
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        assert sidebar_count(screen, "saved\x1f读 later") == 2
        assert titles(screen) == [LINKED, BRIEF]
        assert screen.query_one(Sidebar).highlighted_option.id == "saved\x1f读 later"


async def test_shift_s_in_a_view_saves_the_view_with_the_search(
    make_app: MakeApp, reader_lib: Fixture
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        await choose(pilot, screen, "tag\x1fpython")
        shown = titles(screen)
        await search(pilot, "link OR pictures")  # in Tag: python, not everything
        found = titles(screen)
        assert found == [LINKED] and set(found) < set(shown)
        await pilot.press("enter", "S")
        await pilot.pause()
        await pilot.press(*"py", "enter")
        await settle(pilot)
        with reader_lib.open() as library:
            assert library.saved_query("py") == 'tag:"python" link OR pictures*'
            assert len(library.search(parse("link OR pictures"))) == 2  # everything: more
        assert sidebar_count(screen, "saved\x1fpy") == 1


async def test_a_saved_search_is_not_counted_while_the_keys_wait(
    make_app: MakeApp, reader_lib: Fixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counting a search took seconds on a big library: its rows and their number come
    from the worker."""
    with reader_lib.open() as library:
        library.save_view("briefs", "brief")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        counted: list[object] = []
        count = screen.library.count
        spy = lambda view: counted.append(view) or count(view)  # noqa: E731
        monkeypatch.setattr(screen.library, "count", spy)
        await choose(pilot, screen, "saved\x1fbriefs")
        assert titles(screen) == [BRIEF]
        assert str(screen.articles.border_title).endswith(" · 1")
        assert counted == []


async def test_e_and_d_rename_and_delete_a_saved_search(
    make_app: MakeApp, reader_lib: Fixture
) -> None:
    with reader_lib.open() as library:
        library.save_view("briefs", "brief")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        await choose(pilot, screen, "saved\x1fbriefs")
        assert titles(screen) == [BRIEF]
        await pilot.press("escape")
        sidebar = screen.query_one(Sidebar)
        assert screen.focused is sidebar
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, Prompt)
        assert app.screen.query_one("#answer", Input).value == "briefs"
        await pilot.press("end", "ctrl+u", *"short ones", "enter")
        await settle(pilot)
        with reader_lib.open() as library:
            assert [v.name for v in library.saved_views()] == ["short ones"]
        assert sidebar_count(screen, "saved\x1fbriefs") is None
        assert sidebar_count(screen, "saved\x1fshort ones") == 1
        assert screen.view.value == "short ones"

        sidebar.highlighted = sidebar.get_option_index("saved\x1fshort ones")
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")
        await settle(pilot)
        assert sidebar_count(screen, "saved\x1fshort ones") == 1
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        with reader_lib.open() as library:
            assert library.saved_views() == []
        assert sidebar_count(screen, "saved\x1fshort ones") is None
        assert screen.view.kind == "all"  # its view was shown: back to All
        assert screen.articles.ids == reader_lib.ids


async def test_rename_keeps_the_sidebar_cursor_and_e_d_show_only_where_they_work(
    make_app: MakeApp, reader_lib: Fixture
) -> None:
    with reader_lib.open() as library:
        library.save_view("briefs", "brief")
        library.save_view("links", "link")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        sidebar = screen.query_one(Sidebar)
        sidebar.focus()
        await settle(pilot)
        footer = screen_text(app)[-1]
        assert sidebar.highlighted_option.id == "all" and "Rename" not in footer
        sidebar.highlighted = sidebar.get_option_index("saved\x1flinks")
        await settle(pilot)
        assert "Rename" in screen_text(app)[-1] and "Delete" in screen_text(app)[-1]
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("end", "ctrl+u", *"all links", "enter")  # now sorts first
        await settle(pilot)
        assert sidebar.highlighted_option.id == "saved\x1fall links"  # not the next entry
        assert screen.view.kind == "all"  # the view shown did not change


# ---- find in the article ------------------------------------------------------------------------


def find_title(screen: MainScreen) -> str:
    return str(screen.query_one(FindBar).input.border_title)


async def open_long_article(pilot: Pilot[None]) -> MainScreen:
    """Open "An article with a link": Paragraph 1 .. Paragraph 60."""
    await pilot.press("j", "enter")
    await settle(pilot)
    screen = main_of(pilot.app)  # type: ignore[arg-type]
    assert screen.body.plain[0] == LINKED
    return screen


async def test_ctrl_f_finds_in_the_article_and_enter_goes_round(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        bar = screen.query_one(FindBar)
        await pilot.press("ctrl+f")  # no article open: nothing to find in
        await pilot.pause()
        assert not bar.has_class("-open")
        assert screen.focused is screen.articles
        await open_long_article(pilot)
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert bar.region.height > 0
        assert app.focused is bar.input
        await pilot.press(*"PARAGRAPH 6")  # "Paragraph 6:" and "Paragraph 60:"
        await pilot.pause()
        assert find_title(screen) == "1/2"
        body = screen.body
        first, second = (pieces[0][0] for pieces in body.found)
        assert body.plain[first].startswith("Paragraph 6:")
        assert body.plain[second].startswith("Paragraph 60:")
        assert stands_out(body.lines[first], "Paragraph 6", "quick")
        current = style_at(body.lines[first], "Paragraph 6")  # the match we are at
        assert style_at(body.lines[second], "Paragraph 6") != current
        await pilot.press("enter")
        await pilot.pause()
        assert find_title(screen) == "2/2"
        assert style_at(body.lines[second], "Paragraph 6") == current
        assert style_at(body.lines[first], "Paragraph 6") != current
        top = body.scroll_offset.y
        assert top <= second < top + body.scrollable_content_region.height  # scrolled to it
        await pilot.press("enter")
        await pilot.pause()
        assert find_title(screen) == "1/2"  # round to the first
        assert style_at(body.lines[first], "Paragraph 6") == current
        await pilot.press("backspace", "backspace", *"nowhere")
        await pilot.pause()
        assert find_title(screen) == "no match"
        await pilot.press("escape")
        await pilot.pause()
        assert bar.region.height == 0 or not bar.display
        assert screen.focused is screen.body
        assert body.found == []
        assert not stands_out(body.lines[first], "Paragraph 6", "quick")


async def test_ctrl_f_finds_chinese_broken_over_two_lines(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "j", "enter")  # the wall of Chinese text
        await settle(pilot)
        body = main_of(app).body
        assert body.plain[0] == "一堵文字墙"
        lines = body.plain
        number = next(  # a line that wraps between two Chinese characters
            n
            for n in range(2, len(lines) - 1)
            if lines[n][-1:]
            and is_cjk(lines[n][-1])
            and lines[n + 1][:1]
            and is_cjk(lines[n + 1][0])
        )
        needle = lines[number][-1] + lines[number + 1][0]
        assert body.find(needle) >= 1
        across = [(number, len(lines[number]) - 1, len(lines[number])), (number + 1, 0, 1)]
        assert across in body.found
        index = body.found.index(across)
        while body.found_index != index:
            body.find_next(1)
        await pilot.pause()
        last_cell = [seg.style for seg in body.lines[number] if seg.text.strip()][-1]
        assert last_cell == style_at(body.lines[number + 1], lines[number + 1][0])  # both lit
        assert last_cell != style_at(body.lines[number], lines[number][0])


async def test_ctrl_f_down_and_up_move_between_matches(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_long_article(pilot)
        await pilot.press("ctrl+f", *"paragraph 6")
        await pilot.pause()
        assert find_title(screen) == "1/2"
        await pilot.press("down")
        await pilot.pause()
        assert find_title(screen) == "2/2"
        await pilot.press("down")
        await pilot.pause()
        assert find_title(screen) == "1/2"
        await pilot.press("up")
        await pilot.pause()
        assert find_title(screen) == "2/2"


# ---- the palette: go to an article --------------------------------------------------------------


def palette_hits(app: ReaderApp) -> list[str]:
    assert isinstance(app.screen, CommandPalette), app.screen
    commands = app.screen.query_one(CommandList)
    return [
        str(commands.get_option_at_index(i).prompt).split("\n")[0]
        for i in range(commands.option_count)
    ]


async def test_the_palette_goes_to_an_article_by_title(
    make_app: MakeApp, reader_lib: Fixture
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        await choose(pilot, screen, "category\x1f新闻")
        assert titles(screen) == [NEWS, WALL]
        await pilot.press("ctrl+p", *"english")
        await settle(pilot)
        hits = palette_hits(app)
        assert f"Go to article: {BRIEF}" in hits, hits
        await pilot.press(*["down"] * hits.index(f"Go to article: {BRIEF}"), "enter")
        await settle(pilot)
        assert app.screen is screen
        assert screen.open_id == reader_lib.id_of(BRIEF)
        assert screen.body.plain[0] == BRIEF
        assert screen.view.kind == "all"  # it was not in 新闻: the list shows All
        assert screen.articles.current == reader_lib.id_of(BRIEF)

        await pilot.press("ctrl+p", *"纾困")
        await settle(pilot)
        hits = palette_hits(app)
        assert hits[0] == f"Go to article: {NEWS}", hits
        await pilot.press("enter")
        await settle(pilot)
        assert screen.open_id == reader_lib.id_of(NEWS)
        assert screen.body.plain[0] == NEWS


async def test_renaming_the_shown_saved_search_renames_its_view(
    make_app: MakeApp, reader_lib: Fixture
) -> None:
    with reader_lib.open() as library:
        library.save_view("briefs", "brief")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        await choose(pilot, screen, "saved\x1fbriefs")
        await pilot.press("escape", "e")
        await pilot.pause()
        await pilot.press("end", "ctrl+u", *"short", "enter")
        await settle(pilot)
        assert screen.view.value == "short"
        assert titles(screen) == [BRIEF]
        assert str(screen.articles.border_title) == "Saved: short · 1"

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        assert (screen.view.kind, screen.view.value) == ("saved", "short")
        assert titles(screen) == [BRIEF]


async def test_a_search_says_when_the_index_does_not_cover_every_article(
    make_app: MakeApp,
) -> None:
    from reader.library import Library

    app = make_app()
    with Library(app.library.path) as library, library.transaction():
        unindexed = [i for i in library.ids() if library.summaries_for([i])[0].title == NEWS]
        for article_id in unindexed:  # as an import killed before its index left it
            library.unindex_article(article_id)
            library.db.execute("UPDATE articles SET indexed = 0 WHERE id = ?", (article_id,))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await search(pilot, "外贸")
        assert NEWS not in titles(screen)  # not found: the index does not have it yet
        total = len(TITLES)
        assert status(screen) == (
            f"{len(titles(screen))} so far · Search covers {total - 1} of {total} articles:"
            " `newsreader doctor` indexes the other 1."
        )
