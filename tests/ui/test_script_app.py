"""`script: simplified` in the app: the list and the article in one script."""

from __future__ import annotations

from pathlib import Path

from reader.config import Config
from reader.ui.app import ReaderApp

from .helpers import library_of, main_of, screen_text, settle


async def test_the_app_shows_the_list_and_the_article_in_one_script(tmp_path: Path) -> None:
    path = library_of(
        tmp_path,
        {
            "hk.md": "---\ntitle: 香港匯率與臺灣發展\n---\n頭髮乾燥的後來。\n",
            "cn.md": "---\ntitle: 人民币汇率\n---\n台湾的发展。\n",
        },
    )
    app = ReaderApp(path, Config(script="simplified"))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        screen = main_of(app)
        rows = screen.library.summaries_for(screen.articles.ids)
        screen.articles.go_to(next(row.id for row in rows if row.title.startswith("香港")))
        await pilot.press("enter")
        await settle(pilot)
        body = "\n".join(screen.body.plain)
        assert "香港汇率与台湾发展" in body and "头发干燥的后来" in body
        assert any("香港汇率与台湾发展" in line for line in screen_text(app))
        await pilot.press("escape", "slash")
        await pilot.press(*"匯率")
        await settle(pilot)
        assert len(screen.articles.ids) == 2  # search is folded: both scripts are found
