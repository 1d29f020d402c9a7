"""Theme files: every shipped theme loads and applies; broken ones are reported, not fatal."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import OptionList

from reader import config, paths
from reader.cli import main
from reader.ui.app import ReaderApp
from reader.ui.themes import ThemeError, contrast, load_theme, load_themes

from .helpers import notes, settle

SHIPPED = sorted(paths.themes_dir().glob("*.yaml"))


def test_at_least_five_themes_ship_and_all_load() -> None:
    themes, problems = load_themes([paths.themes_dir()])
    assert problems == []
    assert len(themes) == len(SHIPPED) >= 5
    assert {t.dark for t in themes} == {True, False}  # light and dark ones


def test_the_high_contrast_theme_meets_wcag_aa_everywhere() -> None:
    theme = load_theme(paths.themes_dir() / "contrast.yaml")
    for text in ("foreground", "primary", "secondary", "accent", "warning", "error", "success"):
        for ground in ("background", "surface", "panel"):
            ratio = contrast(getattr(theme, text), getattr(theme, ground))
            assert ratio >= 4.5, f"{text} on {ground}: {ratio:.2f}"


def test_contrast_of_black_on_white_is_21() -> None:
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert contrast("#777777", "#777777") == 1.0


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("name: x\nprimary: [unclosed", "not valid YAML"),
        ("name: x\nprimary: '#123456'\nglow: 3\n", "unknown key 'glow'"),
        ("name: x\nprimary: not-a-colour\n", "primary: 'not-a-colour' is not a colour"),
        ("primary: '#123456'\n", "needs a name"),
        ("name: x\n", "needs a primary colour"),
        ("- a list\n", "a theme is a set of keys"),
        ("name: x\nprimary: '#123456'\ndark: maybe\n", "dark: is true or false"),
    ],
)
def test_a_broken_theme_file_names_the_file_and_the_problem(
    tmp_path: Path, text: str, problem: str
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ThemeError) as error:
        load_theme(path)
    assert str(error.value).startswith(str(path)) and problem in str(error.value)


async def test_the_app_starts_with_a_broken_user_theme_and_says_so_once(
    make_app: Callable[..., ReaderApp],
) -> None:
    folder = paths.config_dir() / "themes"
    folder.mkdir(parents=True)
    (folder / "broken.yaml").write_text("name: broken\nprimary: nope\n", encoding="utf-8")
    (folder / "mine.yaml").write_text("name: mine\nprimary: '#336699'\n", encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        said = [n for n in notes(app) if "broken.yaml" in n]
        assert len(said) == 1 and "is not a colour" in said[0]
        assert "mine" in app.available_themes
        assert "newsreader-paper" in app.available_themes


async def test_a_theme_is_chosen_applied_and_remembered(
    make_app: Callable[..., ReaderApp],
) -> None:
    app = make_app(theme="newsreader-paper")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.theme == "newsreader-paper"
        app.theme = "newsreader-ink"
        await settle(pilot)
    saved, problems = config.load()  # remembered in the settings file
    assert (saved.theme, problems) == ("newsreader-ink", [])
    again = make_app(theme=saved.theme)
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert again.theme == "newsreader-ink"


async def test_capital_t_opens_the_theme_picker(make_app: Callable[..., ReaderApp]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("T")
        await settle(pilot)
        assert type(app.screen).__name__ == "CommandPalette"


async def test_the_theme_list_previews_each_theme_and_esc_puts_it_back(
    make_app: Callable[..., ReaderApp],
) -> None:
    app = make_app(theme="newsreader-paper")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("T")
        await settle(pilot)
        assert app.theme == "newsreader-paper"  # opening the list chooses nothing
        seen = set()
        for _ in range(3):  # each theme the cursor moves onto is shown at once
            await pilot.press("down")
            await settle(pilot)
            palette = app.screen.query_one(OptionList)
            option = palette.get_option_at_index(palette.highlighted or 0)
            assert app.theme == str(option.prompt)
            seen.add(app.theme)
        assert len(seen) == 3 and "newsreader-paper" not in seen
        await pilot.press("escape")  # esc: the theme from before
        await settle(pilot)
        assert app.theme == "newsreader-paper"
        app.flush_settings()
        assert config.load()[0].theme in (None, "newsreader-paper")  # previews: not written
        await pilot.press("T")
        await settle(pilot)
        await pilot.press("down", "down")
        await settle(pilot)
        chosen = app.theme
        await pilot.press("enter")  # enter keeps the one shown, and it is written
        await settle(pilot)
        assert app.theme == chosen != "newsreader-paper"
        app.flush_settings()
        assert config.load()[0].theme == chosen


def test_newsreader_themes_lists_ours_and_textuals(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--library", str(tmp_path / "lib.db"), "themes"]) == 0
    out = capsys.readouterr().out
    for name in ("newsreader-paper", "newsreader-contrast", "textual-dark"):
        assert name in out
