"""Text from article files is data: markup-like names show literally, escape sequences never
reach the terminal, odd titles keep the layout, and none of it crashes the app."""

from __future__ import annotations

import webbrowser
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.cells import cell_len

from reader.library import import_paths
from reader.ui import links
from reader.ui.app import ReaderApp
from reader.ui.screens.main import MainScreen
from reader.ui.widgets import Sidebar, TagPane

from .helpers import MARKUP_TITLE, TITLES, Fixture, notes, screen_text, settle

SIZE = (120, 36)
CONTROLS = ("\x1b", "\x07", "\x9b", "\x9d", "\u202e")
LONG_TITLE = "很长的标题" * 30 + " and a very long English tail " * 4
HOSTILE_LINK = "https://example.com/a[/]b[@click=app.quit]x"

HOSTILE = {
    "hostile.md": (
        "---\n"
        'title: "Hostile \\u202e[link=https://evil.example]here[/link]"\n'
        "date: 2024-01-01\n"
        'tags: ["x[/]"]\n'
        f'link: "{HOSTILE_LINK}"\n'
        "---\n"
        "Body: [red]markup[/red], [@click=app.quit]a click[/] and \x1b[31mcolour\x1b[0m.\n"
    ),
    "long.md": f'---\ntitle: "{LONG_TITLE}"\ndate: 2023-12-31\n---\nLong title.\n',
}


@pytest.fixture
def hostile_lib(reader_lib: Fixture, tmp_path: Path) -> Fixture:
    """The fixture library plus posts with a hostile link, a `[/]` tag and a huge title."""
    folder = tmp_path / "hostile"
    folder.mkdir()
    for name, text in HOSTILE.items():
        (folder / name).write_text(text, encoding="utf-8")
    with reader_lib.open() as library:
        report = import_paths(library, [folder], jobs=1)
        assert report.new == len(HOSTILE), report.summary()
        return Fixture(reader_lib.path, library.ids())


def main_of(app: ReaderApp) -> MainScreen:
    assert isinstance(app.screen, MainScreen)
    return app.screen


def position(fixture: Fixture, title_start: str) -> int:
    """The list row of the article whose title starts with `title_start`."""
    with fixture.open() as library:
        titles = [row.title for row in library.summaries_for(fixture.ids)]
    return next(i for i, title in enumerate(titles) if title.startswith(title_start))


def joined(lines: list[str]) -> str:
    """Wrapped lines back into one string (breaks fell at spaces)."""
    return " ".join(line.strip() for line in lines)


def assert_clean(lines: list[str]) -> None:
    for line in lines:
        for control in CONTROLS:
            assert control not in line, (control, line)


async def test_markup_title_shows_literally(make_app: Callable[..., ReaderApp]) -> None:
    app = make_app()
    index = TITLES.index(MARKUP_TITLE)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        await pilot.press(*["j"] * index, "enter")
        await settle(pilot)
        assert screen.body.plain[0] == MARKUP_TITLE
        assert "Tags       #[b]tag[/b]" in screen.body.plain
        assert "Body with [bold]markup[/bold] that must stay literal." in joined(screen.body.plain)
        assert "#[b]tag[/b]" in str(screen.query_one(TagPane).content)
        assert any(MARKUP_TITLE in line for line in screen_text(app))  # the body
        # Back in the list, which has the room again (beside the article it is ~23 wide).
        await pilot.press("escape")
        await settle(pilot)
        row = screen.articles.render_line(index).text
        assert MARKUP_TITLE in row
        text = screen_text(app)
        assert any(MARKUP_TITLE in line for line in text)  # the list row
        assert any("[b]tag[/b]" in line for line in text)  # the sidebar entry
        assert app.is_running


async def test_a_markup_tag_view_is_titled_literally(make_app: Callable[..., ReaderApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        await pilot.press("escape")
        sidebar = screen.query_one(Sidebar)
        sidebar.highlighted = sidebar.get_option_index("tag\x1f[b]tag[/b]")
        await pilot.press("enter")
        await settle(pilot)
        assert len(screen.articles.ids) == 1
        assert any("Tag: [b]tag[/b] · 1" in line for line in screen_text(app))


async def test_escape_sequences_never_reach_the_screen(
    make_app: Callable[..., ReaderApp], reader_lib: Fixture
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        await pilot.press("enter")
        for article_id in reader_lib.ids:
            await settle(pilot)
            assert screen.open_id == article_id
            assert_clean(screen.body.plain)
            assert_clean(screen_text(app))
            if article_id == reader_lib.id_of("red title"):
                assert screen.body.plain[0] == "red title"
                assert "Body with escapes" in joined(screen.body.plain)
                assert sum("red title" in line for line in screen_text(app)) == 2
            await pilot.press("n")


async def test_hostile_link_is_opened_and_shown_literally(
    make_app: Callable[..., ReaderApp], hostile_lib: Fixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    # A graphical session whose browser is webbrowser.open, recorded, and no clipboard
    # command: nothing is started.
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("BROWSER", raising=False)
    monkeypatch.setattr(webbrowser, "get", lambda *a: webbrowser.BackgroundBrowser("xdg-open"))
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url) or True)
    monkeypatch.setattr(links, "clipboard_tool", lambda: None)
    app = make_app()
    copied: list[str] = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=SIZE, notifications=True) as pilot:  # paint the toasts
        await settle(pilot)
        screen = main_of(app)
        await pilot.press(*["j"] * position(hostile_lib, "Hostile "), "enter")
        await settle(pilot)
        assert screen.body.plain[0].startswith("Hostile [link=")
        body = joined(screen.body.plain)
        assert "Body: [red]markup[/red], [@click=app.quit]a click[/] and colour." in body
        await pilot.press("o", "y")
        await settle(pilot)
        assert opened == [HOSTILE_LINK]
        assert copied == [HOSTILE_LINK]
        assert f"Opening {HOSTILE_LINK}" in notes(app)
        text = "\n".join(screen_text(app))
        assert f"Opening {HOSTILE_LINK}" in text  # the toast, painted literally
        assert_clean(text.splitlines())
        assert app.is_running


@pytest.mark.parametrize("size", [SIZE, (80, 30), (60, 20)])
async def test_odd_titles_keep_every_line_in_the_terminal(
    make_app: Callable[..., ReaderApp], hostile_lib: Fixture, size: tuple[int, int]
) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        screen = main_of(app)
        await pilot.press(*["j"] * position(hostile_lib, "很长的标题"), "enter")
        await settle(pilot)
        assert screen.body.article is not None
        assert screen.body.article.title.startswith("很长的标题")
        width = screen.body.text_width
        title_lines = [line for line in screen.body.plain if "很长的标题" in line]
        assert len(title_lines) > 1  # the title wraps instead of running off
        assert all(cell_len(line) <= width for line in screen.body.plain)
        await pilot.press("escape")
        await settle(pilot)
        for line in screen_text(app):
            assert cell_len(line) == size[0], line
        articles = screen.articles
        row_width = articles.scrollable_content_region.width
        for y in range(min(len(articles.ids), articles.scrollable_content_region.height)):
            assert articles.render_line(y).cell_length == row_width


@pytest.mark.parametrize("width", [12, 30, 49, 50, 79, 80, 120])
async def test_list_rows_are_drawn_alike_with_and_without_a_search(
    make_app: Callable[..., ReaderApp], hostile_lib: Fixture, width: int
) -> None:
    """Rows are drawn straight from their pieces, or through a rich Text when a search
    highlights them: with a term that matches nothing, both give the same segments."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        articles = main_of(app).articles
        articles.marked.add(articles.ids[1])
        base = articles.style("base")
        for row in articles.fetch(articles.ids):
            for cursor in (False, True):
                marked = row.id in articles.marked
                articles.terms = []
                direct = articles._render_row(row, width, cursor, marked, base)
                articles.terms = ["qqqzzzq"]
                via_text = articles._render_row(row, width, cursor, marked, base)
                assert list(direct) == list(via_text), (row.title, width, cursor)
                assert direct.cell_length == width


async def test_palette_shows_markup_tag_names_literally(
    make_app: Callable[..., ReaderApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"tagb")
        await settle(pilot)
        text = "\n".join(screen_text(app))
        assert "Tag: [b]tag[/b] (1)" in text


async def test_palette_finds_a_tag_holding_a_closing_tag(
    make_app: Callable[..., ReaderApp], hostile_lib: Fixture
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"tag x")
        await settle(pilot)
        text = "\n".join(screen_text(app))
        assert "Tag: x[/] (1)" in text
