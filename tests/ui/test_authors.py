"""Authors in the app: in the header of an article that has them, and a sidebar section
that is off until the settings' `sidebar` list names it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from reader.library import Library, View, import_paths
from reader.ui.app import ReaderApp
from reader.ui.widgets import Sidebar

from .helpers import main_of, screen_text, settle

MakeApp = Callable[..., ReaderApp]


def authored_library(tmp_path: Path) -> Path:
    posts = tmp_path / "authored"
    posts.mkdir()
    (posts / "a.md").write_text("---\ntitle: 汇率评论\nauthor: 张三\ndate: 2024-01-02\n---\n正文\n")
    (posts / "b.md").write_text(
        "---\ntitle: Two writers\nauthors: [Jane Doe, 张三]\ndate: 2024-01-01\n---\nBody\n"
    )
    (posts / "c.md").write_text("---\ntitle: Nobody's\ndate: 2023-12-31\n---\nBody\n")
    path = tmp_path / "authored.db"
    with Library(path) as library:
        import_paths(library, [posts], jobs=1)
    return path


def headings(sidebar: Sidebar) -> list[str]:
    return [str(o.prompt) for o in sidebar.options if o.id and o.id.startswith("heading-")]


async def test_the_authors_section_is_off_by_default(make_app: MakeApp, tmp_path: Path) -> None:
    app = make_app(authored_library(tmp_path))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert "Authors" not in headings(main_of(app).query_one(Sidebar))
        await pilot.press("enter")  # the newest: 汇率评论, by 张三
        await settle(pilot)
        assert any("│  Author     张三  " in line for line in screen_text(app))


async def test_the_authors_section_lists_each_author_s_articles(
    make_app: MakeApp, tmp_path: Path
) -> None:
    app = make_app(authored_library(tmp_path), sidebar=("authors", "sources"))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = main_of(app)
        sidebar = screen.query_one(Sidebar)
        assert headings(sidebar) == ["Authors", "Sources"]
        sidebar.focus()
        sidebar.highlighted = sidebar.get_option_index(View("author", "张三").encoded)
        await pilot.press("enter")
        await settle(pilot)
        assert screen.view == View("author", "张三")
        titles = [row.title for row in screen.library.summaries_for(screen.articles.ids)]
        assert titles == ["汇率评论", "Two writers"]
        screen.articles.focus()
        await pilot.press("j", "enter")  # the second: two authors
        await settle(pilot)
        assert any("│  Authors    Jane Doe, 张三  " in line for line in screen_text(app))
