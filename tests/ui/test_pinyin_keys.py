"""Pinyin in the app: the tag editor offers 汇率 for `hu` or `hl`, and the palette finds
`Tag: 汇率` for `hl`, with no input method switched."""

from __future__ import annotations

from pathlib import Path

from textual.command import CommandPalette
from textual.widgets import OptionList

from reader.config import Config
from reader.ui.app import ReaderApp
from reader.ui.screens.tag_editor import TagEditor

from .helpers import library_of, screen_text, settle

TAGS = ["汇率", "沪深", "胡锡进", "美元"]


def library_with_tags(tmp_path: Path) -> Path:
    return library_of(
        tmp_path,
        {
            f"p{n}.md": f"---\ntitle: 文章{n}\ntags: [{tag}]\n---\n正文\n"
            for n, tag in enumerate(TAGS)
        },
    )


def offered(app: ReaderApp) -> list[str]:
    editor = app.screen
    assert isinstance(editor, TagEditor)
    options = editor.query_one("#suggestions", OptionList)
    if not options.display:
        return []
    prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
    return sorted(prompt.split()[0] for prompt in prompts)


async def test_the_tag_editor_offers_tags_by_their_pinyin(tmp_path: Path) -> None:
    app = ReaderApp(library_with_tags(tmp_path), Config())
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("end", "ctrl+u", "h", "u")
        await pilot.pause()
        assert offered(app) == sorted(["汇率", "沪深", "胡锡进"])
        await pilot.press("ctrl+u", "h", "l")
        await pilot.pause()
        assert offered(app) == ["汇率"]
        await pilot.press("tab")
        await pilot.pause()
        assert app.screen.query_one("#tags").value == "汇率, "  # type: ignore[attr-defined]


async def test_the_palette_finds_a_tag_by_its_initials(tmp_path: Path) -> None:
    app = ReaderApp(library_with_tags(tmp_path), Config())
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press("h", "l")
        await pilot.pause(0.5)
        shown = "\n".join(screen_text(app))
        assert "Tag: 汇率 (1)" in shown and "Tag: 美元" not in shown
