"""The habits of seasoned feed readers in the app: `H` shows what the ignore rules hide,
`|` pipes the article to a command, `w` saves it as Markdown, and macros run commands in
turn. The commands are small scripts in tmp_path, run without a shell."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import yaml

from reader.library import Library
from reader.library.ignore import Rule
from reader.ui.app import ReaderApp

from .helpers import main_of, notes, settle, tool

MakeApp = Callable[..., ReaderApp]
SIZE = (120, 30)
ZH = "外贸纾困十条发布"  # the fixture's Chinese article


def titles(app: ReaderApp) -> list[str]:
    screen = main_of(app)
    return [row.title for row in screen.library.summaries_for(screen.articles.ids)]


async def test_hidden_articles_are_out_of_the_list_and_h_shows_them(make_app: MakeApp) -> None:
    app = make_app(ignore=(Rule("title:纾困"),))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        every = len(Library(main_of(app).library.path).ids([]))  # (hidden left out)
        assert ZH not in titles(app)
        assert len(titles(app)) == every
        await pilot.press("H")
        await settle(pilot)
        assert titles(app) == [ZH]
        assert str(main_of(app).articles.border_title).startswith("Hidden by rules · 1")
        await pilot.press("H")
        await settle(pilot)
        assert ZH not in titles(app)
        assert len(titles(app)) == every
        assert main_of(app).library.setting("ui.view") == "all"  # (H is for a moment)


async def test_h_without_rules_says_how_to_make_one(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = titles(app)
        await pilot.press("H")
        await settle(pilot)
        assert titles(app) == before
        assert any(n.startswith("No ignore rules") for n in notes(app))


async def test_pipe_hands_the_article_as_laid_out_to_the_command(
    make_app: MakeApp, bin_dir: Path, tmp_path: Path
) -> None:
    got = tmp_path / "piped.txt"
    tool(bin_dir, "reader-pipe", f"pathlib.Path({str(got)!r}).write_bytes(sys.stdin.buffer.read())")
    app = make_app(pipe_to="reader-pipe --flag")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "enter")  # An article with a link
        await settle(pilot)
        await pilot.press("vertical_line")
        await settle(pilot)
        text = got.read_text(encoding="utf-8")
        assert text.splitlines()[0] == "An article with a link"
        assert "Paragraph 60: the quick brown fox" in text
        assert "\x1b" not in text


async def test_pipe_asks_for_a_command_and_says_when_it_fails(
    make_app: MakeApp, bin_dir: Path
) -> None:
    tool(bin_dir, "failing", "sys.stdin.read(); print('no pager', file=sys.stderr); sys.exit(2)")
    app = make_app(pipe_markdown=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "vertical_line")
        await pilot.press(*"failing", "enter")
        await settle(pilot)
        assert "failing exited with status 2: no pager" in notes(app)


async def test_w_saves_the_article_as_markdown_with_its_front_matter(
    make_app: MakeApp, tmp_path: Path
) -> None:
    folder = tmp_path / "saved"
    app = make_app(save_to=str(folder))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for _ in range(2):  # the second time: a file of its own, not over the first
            await pilot.press("j", "w", "enter")
            await settle(pilot)
            await pilot.press("k")
    files = sorted(folder.iterdir())
    assert [f.name for f in files] == [
        "2024-03-07-An-article-with-a-link-2.md",
        "2024-03-07-An-article-with-a-link.md",
    ]
    text = files[1].read_text(encoding="utf-8")
    front, body = text.removeprefix("---\n").split("---\n", 1)
    assert yaml.safe_load(front) == {
        "title": "An article with a link",
        "date": "2024-03-07",
        "link": "https://example.com/post",
        "source": "posts",
        "categories": ["tech"],
        "tags": ["python"],
    }
    assert body.strip().startswith("Paragraph 1: the quick brown fox")
    assert f"Saved to {files[1]}" in notes(app)


async def test_w_into_a_folder_it_cannot_write_says_so(make_app: MakeApp, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    app = make_app(save_to=str(blocker / "inside"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "w", "enter")
        await settle(pilot)
        assert any(n.startswith(f"Not saved: {blocker / 'inside'}") for n in notes(app))


async def test_a_macro_runs_its_commands_in_turn(
    make_app: MakeApp, bin_dir: Path, tmp_path: Path
) -> None:
    record = tmp_path / "argv.txt"
    tool(bin_dir, "fakebrowser", f"pathlib.Path({str(record)!r}).write_text(repr(sys.argv[1:]))")
    app = make_app(macros={",r": ("browser:fakebrowser %u", "bookmark", "list.down")})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        await pilot.press("j")
        first = screen.articles.current
        await pilot.press("comma", "r")
        await settle(pilot)
        assert record.read_text() == repr(["https://example.com/post"])
        assert screen.library.article(first).bookmarked  # type: ignore[union-attr]
        assert screen.articles.current != first  # `list.down`, the list's own command
        await pilot.press("comma", "x")  # no such macro
        await settle(pilot)
        assert "No macro ,x." in notes(app)


async def test_a_macro_step_that_names_no_command_is_reported(make_app: MakeApp) -> None:
    app = make_app(macros={",m": ("mark-read",)})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert any("macros: ,m: no command has the id 'mark-read'" in n for n in notes(app))
