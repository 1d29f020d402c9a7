"""`f` in the sidebar filters its entries as you type, by a part of the name or its pinyin;
the palette goes to an article by the pinyin of its title."""

from __future__ import annotations

from pathlib import Path

from reader.config import Config
from reader.ui.app import ReaderApp
from reader.ui.widgets import Sidebar

from .helpers import library_of, main_of, settle


def make(tmp_path: Path) -> Path:
    posts = [
        ("a", "人民币汇率创新高", "[汇率, 外汇]"),
        ("b", "沪深两市成交额", "[沪深, 股市]"),
        ("c", "美元指数回落", "[美元, 外汇]"),
        ("d", "Jobs report", "[jobs]"),
    ]
    return library_of(
        tmp_path,
        {
            f"{name}.md": f"---\ntitle: {title}\ntags: {tags}\n---\n正文。\n"
            for name, title, tags in posts
        },
    )


def entries(sidebar: Sidebar) -> list[str]:
    """The entries' ids as `tag:汇率` (and `all`, `heading-tag`…)."""
    return [str(option.id).replace("\x1f", ":") for option in sidebar.options]


async def test_f_filters_the_sidebar_by_name_and_pinyin(tmp_path: Path) -> None:
    app = ReaderApp(make(tmp_path), Config())
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        sidebar = app.screen.query_one(Sidebar)
        sidebar.focus()
        everything = entries(sidebar)
        assert "tag:汇率" in everything and "tag:jobs" in everything
        await pilot.press("f", "h", "l")  # typed, not h (back) and l (forward)
        await settle(pilot)
        shown = entries(sidebar)
        assert "tag:汇率" in shown and "tag:外汇" not in shown and "tag:jobs" not in shown
        assert {"all", "unread", "bookmarked"} <= set(shown)  # the views stay
        assert app.screen.focused is sidebar and "filter: hl" in str(sidebar.border_title)
        await pilot.press("backspace", "backspace", *"hu")
        await settle(pilot)
        assert {"tag:汇率", "tag:沪深"} <= set(entries(sidebar))  # `hu` is a start of both
        assert "tag:美元" not in entries(sidebar)
        await pilot.press("enter")  # keeps the filter; j and k move again
        await pilot.press("j")
        await settle(pilot)
        assert not sidebar.typing and "tag:美元" not in entries(sidebar)
        await pilot.press("f", "escape")
        await settle(pilot)
        assert entries(sidebar) == everything and sidebar.border_title is None


async def test_the_filter_finds_a_name_by_a_part_in_either_script(tmp_path: Path) -> None:
    app = ReaderApp(make(tmp_path), Config())
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        sidebar = app.screen.query_one(Sidebar)
        sidebar.focus()
        await pilot.press("f", *"JOB")
        await settle(pilot)
        assert [e for e in entries(sidebar) if e.startswith("tag:")] == ["tag:jobs"]
        sidebar.filter_text = "匯"  # (typed with an input method)
        sidebar.fill(*sidebar._filled)  # type: ignore[misc]
        assert sorted(e for e in entries(sidebar) if e.startswith("tag:")) == [
            "tag:外汇",
            "tag:汇率",
        ]


async def test_the_palette_goes_to_an_article_by_its_pinyin(tmp_path: Path) -> None:
    app = ReaderApp(make(tmp_path), Config())
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"rmbhl")
        await pilot.pause(0.5)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = main_of(app)
        assert screen.body.article is not None
        assert screen.body.article.title == "人民币汇率创新高"


async def test_typing_ends_when_the_sidebar_loses_the_focus(tmp_path: Path) -> None:
    app = ReaderApp(make(tmp_path), Config())
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        sidebar = app.screen.query_one(Sidebar)
        sidebar.focus()
        await pilot.press("f", "h", "tab")
        await settle(pilot)
        assert not sidebar.typing and sidebar.filter_text == "h"
        sidebar.focus()
        await pilot.press("j")  # moves again: not typed
        await settle(pilot)
        assert sidebar.filter_text == "h" and str(sidebar.border_title) == "filter: h"
