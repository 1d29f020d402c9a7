"""Stories in the app: one row a story with `+N`, the article's `Same story` lines, `=` to
read the next copy, and reading one marking the story read (each a setting)."""

from __future__ import annotations

from pathlib import Path

from story_texts import edited, news, reordered

from reader.config import Config
from reader.library import Library
from reader.ui.app import ReaderApp

from .helpers import library_of, main_of, notes, screen_text, settle


def make(tmp_path: Path) -> Path:
    text = news(1)
    posts = [
        ("a", "央行发布通知", text, "2024-03-01 09:00:00"),
        ("b", "经济参考网转载", edited(text), "2024-03-01 15:00:00"),
        ("c", "证券时报转载", reordered(text), "2024-03-01 12:00:00"),
        ("d", "独家新闻", news(2), "2024-03-01 10:00:00"),
    ]
    return library_of(
        tmp_path,
        {f"{n}.md": f"---\ntitle: {t}\ndate: {d}\n---\n{body}\n" for n, t, body, d in posts},
    )


async def test_a_story_is_one_row_and_reading_it_reads_every_copy(tmp_path: Path) -> None:
    path = make(tmp_path)
    app = ReaderApp(path, Config())
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        screen = main_of(app)
        rows = screen.library.summaries_for(screen.articles.ids)
        assert [row.title for row in rows] == ["经济参考网转载", "独家新闻"]  # newest first
        assert any("经济参考网转载" in line and "+2" in line for line in screen_text(app))
        assert not any("独家新闻" in line and "+" in line for line in screen_text(app))
        await pilot.press("enter")
        await settle(pilot)
        body = "\n".join(screen.body.plain)
        assert "Same story" in body and "1= " in body and "证券时报转载" in body
        story = screen.library.story_of(screen.articles.ids[0])
        assert len(story) == 3
        assert all(row.read for row in screen.library.summaries_for(story))
        assert not screen.library.summaries_for(screen.articles.ids)[1].read


async def test_equals_reads_the_next_copy_and_2_equals_copy_two(tmp_path: Path) -> None:
    path = make(tmp_path)
    app = ReaderApp(path, Config())
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        screen = main_of(app)
        await pilot.press("enter")
        await settle(pilot)
        story = screen.library.story_of(screen.open_id or 0)
        titles = [screen.library.article(i).title for i in story]  # type: ignore[union-attr]
        assert titles == ["央行发布通知", "证券时报转载", "经济参考网转载"]  # oldest first
        await pilot.press("equals_sign")  # after the last: the first again
        await settle(pilot)
        assert screen.body.article is not None and screen.body.article.title == "央行发布通知"
        await pilot.press("2", "equals_sign")  # copy 2 as this article lists them
        await settle(pilot)
        assert screen.body.article is not None and screen.body.article.title == "经济参考网转载"
        await pilot.press("9", "equals_sign")
        await settle(pilot)
        assert screen.body.article.title == "经济参考网转载"
        assert any("no copy 9" in note for note in notes(app))


async def test_the_settings_turn_grouping_and_story_reading_off(tmp_path: Path) -> None:
    path = make(tmp_path)
    app = ReaderApp(path, Config(group_stories=False, mark_story_read=False))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        screen = main_of(app)
        assert len(screen.articles.ids) == 4
        await pilot.press("enter")
        await settle(pilot)
        read = {row.title: row.read for row in screen.library.summaries_for(screen.articles.ids)}
        assert read == {
            "经济参考网转载": True,
            "证券时报转载": False,
            "央行发布通知": False,
            "独家新闻": False,
        }


async def test_a_search_whose_first_page_holds_copies_still_lists_every_story(
    tmp_path: Path,
) -> None:
    """The first page of a search is 200 matches; a story's copies leave it, and the rest
    must still come (the page was full, whatever it shows)."""
    path = library_of(  # 130 stories of two copies: 260 matches, 130 rows
        tmp_path,
        {
            f"{n}-{copy}.md": f"---\ntitle: 快讯{n}-{copy}\ndate: 2024-03-01 09:{n % 60:02d}:00\n"
            f"---\n{text}\n"
            for n in range(130)
            for copy, text in enumerate((news(1000 + n), edited(news(1000 + n))))
        },
    )
    with Library(path) as library:
        assert len(library.stories()) == 130
    app = ReaderApp(path, Config())
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        screen = main_of(app)
        await pilot.press("slash", *"快讯")
        await pilot.pause(0.5)
        await settle(pilot)
        assert len(screen.articles.ids) == 130
