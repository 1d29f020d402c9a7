"""Theme files: every shipped theme loads and applies; broken ones are reported, not fatal."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from textual.color import Color
from textual.widgets import OptionList

from reader import config, paths
from reader.cli import main
from reader.ui.app import ReaderApp
from reader.ui.themes import (
    ThemeError,
    bundled_theme,
    contrast,
    default_theme,
    load_theme,
    load_themes,
    read_plain,
    terminal_is_light,
)

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


@pytest.mark.parametrize(
    ("colorfgbg", "light"),
    [
        (None, False),  # not set: taken to be dark
        ("15;0", False),  # white on black
        ("0;15", True),  # black on white
        ("0;7", True),
        ("7;8", False),
        ("15;default;0", False),  # rxvt's three fields: the background is the last
        ("0;default;15", True),
        ("default;default", False),
        ("", False),
        ("nonsense", False),
    ],
)
def test_the_terminal_is_light_when_colorfgbg_says_its_background_is(
    colorfgbg: str | None, light: bool
) -> None:
    environ = {} if colorfgbg is None else {"COLORFGBG": colorfgbg}
    assert terminal_is_light(environ) is light
    assert default_theme(environ) == ("newsreader-paper" if light else "newsreader-ink")


@pytest.mark.parametrize(
    ("colorfgbg", "setting", "expected"),
    [
        (None, None, "newsreader-ink"),
        ("15;0", None, "newsreader-ink"),
        ("0;15", None, "newsreader-paper"),
        ("0;15", "auto", "newsreader-paper"),
        ("0;15", "newsreader-night-sea", "newsreader-night-sea"),  # a chosen theme wins
        (None, "textual-light", "textual-light"),
    ],
)
async def test_the_app_starts_in_a_reading_theme_that_suits_the_terminal(
    make_app: Callable[..., ReaderApp],
    monkeypatch: pytest.MonkeyPatch,
    colorfgbg: str | None,
    setting: str | None,
    expected: str,
) -> None:
    if colorfgbg is None:
        monkeypatch.delenv("COLORFGBG", raising=False)
    else:
        monkeypatch.setenv("COLORFGBG", colorfgbg)
    app = make_app(theme=setting)
    assert app.theme == expected or expected.startswith("textual-")  # there before the start
    async with app.run_test(size=(100, 30)) as pilot:
        assert app.theme == expected  # at the first paint
        assert app.screen.styles.background == Color.parse(app.current_theme.background or "")
        await settle(pilot)
        assert app.theme == expected
        assert "newsreader-sepia" in app.available_themes  # the others, after the first paint
        app.flush_settings()
    assert not config.config_path().exists()  # the default is not written down as a choice


async def test_the_default_theme_costs_no_yaml_and_no_second_css_pass(
    make_app: Callable[..., ReaderApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before the first paint: no PyYAML import (~15 ms), no refresh of the CSS (~10 ms)."""
    monkeypatch.delenv("COLORFGBG", raising=False)
    code = (
        "import sys\nfrom reader.config import Config\nfrom reader.ui.app import ReaderApp\n"
        "app = ReaderApp(sys.argv[1], Config())\n"
        "print(app.theme, 'yaml' in sys.modules)"
    )
    library = str(paths.config_dir().parent / "lib.db")
    run = subprocess.run(
        [sys.executable, "-c", code, library], capture_output=True, text=True, check=True
    )
    assert run.stdout.split() == ["newsreader-ink", "False"]
    refreshed: list[str] = []
    monkeypatch.setattr(ReaderApp, "refresh_css", lambda app, animate=True: refreshed.append("x"))
    for theme in (None, "newsreader-paper"):
        async with make_app(theme=theme).run_test(size=(100, 30)) as pilot:
            await settle(pilot)
        assert refreshed == [], theme


async def test_a_users_theme_file_is_used_for_the_first_paint(
    make_app: Callable[..., ReaderApp],
) -> None:
    folder = paths.config_dir() / "themes"
    folder.mkdir(parents=True)
    (folder / "mine.yaml").write_text(
        "name: mine\nprimary: '#336699'\nbackground: '#102030'\n", encoding="utf-8"
    )
    (folder / "ink.yaml").write_text(  # the user's own version of a bundled theme wins
        "name: newsreader-ink\nprimary: '#336699'\nbackground: '#000000'\n", encoding="utf-8"
    )
    for theme, background in (("mine", "#102030"), ("newsreader-ink", "#000000")):
        app = make_app(theme=theme)
        async with app.run_test(size=(100, 30)) as pilot:
            assert app.theme == theme
            await settle(pilot)
            assert app.screen.styles.background == Color.parse(background)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.name)
def test_the_bundled_themes_read_without_yaml_as_yaml_reads_them(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert read_plain(text) == yaml.safe_load(text)
    theme = bundled_theme(load_theme(path).name)
    assert theme == load_theme(path)


@pytest.mark.parametrize(
    "text",
    [
        "name: x\nprimary: '#123456'\n",  # single quotes: YAML's
        'name: x\nprimary: "#1\\x41"\n',  # an escape
        "name: x\ndark: yes\n",  # YAML 1.1 reads a bool
        "name: 12\n",
        "name: x\nname: y\n",
        "name: x\n\tprimary: '#123456'\n",
        "name: x # a comment\n",
        "name: x#y\n",
        "variables:\n  text-muted: null\n",
        "name: x\n  text-muted: '#aaaaaa'\n",  # indented, but under no `variables:`
        "- a list\n",
        "name: [x]\n",
    ],
)
def test_a_theme_file_not_written_plainly_is_left_to_yaml(text: str) -> None:
    plain = read_plain(text)
    assert plain is None or plain == yaml.safe_load(text)


def test_newsreader_themes_marks_the_theme_in_effect(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def marked(*args: str) -> list[str]:
        assert main(["--library", str(tmp_path / "lib.db"), *args, "themes"]) == 0
        return [line.split()[1] for line in capsys.readouterr().out.splitlines() if "*" in line]

    monkeypatch.delenv("COLORFGBG", raising=False)
    assert marked() == ["newsreader-ink"]  # the default, though no theme is set
    monkeypatch.setenv("COLORFGBG", "0;15")
    assert marked() == ["newsreader-paper"]
    assert marked("--theme", "newsreader-sepia") == ["newsreader-sepia"]
    config.save({"theme": "textual-dark"})
    assert marked() == ["textual-dark"]


async def test_a_chosen_theme_that_is_missing_is_named_and_the_default_shown(
    make_app: Callable[..., ReaderApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COLORFGBG", raising=False)
    app = make_app(theme="no-such-theme")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert any("No theme called 'no-such-theme'" in note for note in notes(app))
        assert app.theme == "newsreader-ink"
        app.flush_settings()
    assert not config.config_path().exists()  # the reader's choice is left as it was


async def test_the_theme_list_refilling_previews_nothing_until_the_cursor_moves(
    make_app: Callable[..., ReaderApp],
) -> None:
    """The list fills in batches (more under load) and again on each letter typed; each
    fill lands on its first theme, which is not a choice."""
    app = make_app(theme="newsreader-paper")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("T")
        await settle(pilot)
        for key in "news":
            await pilot.press(key)
            await pilot.pause(0.3)
        assert app.theme == "newsreader-paper"
        await pilot.press("down", "up")
        await settle(pilot)
        palette = app.screen.query_one(OptionList)
        assert app.theme == str(palette.get_option_at_index(0).prompt) != "newsreader-paper"
