"""What the app says reads as English: counts agree with their nouns (`1 article`), and `u`
says which change it undid (`Undid: delete tag 政策`)."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Label

from reader.ui.app import ReaderApp
from reader.ui.screens.dialogs import Confirm
from reader.ui.screens.state_actions import shorten

from .helpers import TITLES, Fixture, main_of, notes, settle
from .test_state_keys import rename_entry, to_sidebar_entry, type_text

SIZE = (120, 36)
MakeApp = Callable[..., ReaderApp]
LINKS = TITLES[0]  # tags web, links
NEWS = TITLES[2]  # "外贸纾困十条发布": tags 经济, 外贸


async def undo(pilot) -> str:  # noqa: ANN001
    await pilot.press("u")
    await settle(pilot)
    return notes(pilot.app)[-1]


async def test_u_says_which_change_it_undid(make_app: MakeApp, reader_lib: Fixture) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        await pilot.press("j", "j")  # 外贸纾困十条发布
        await pilot.press("B", *"要点", "enter")
        await settle(pilot)
        await pilot.press("t")
        await pilot.pause()
        await type_text(pilot, "政策")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("r", "b")
        await settle(pilot)
        await to_sidebar_entry(pilot, screen, "tag\x1f政策")
        await pilot.press("d", "y")
        await settle(pilot)
        await rename_entry(pilot, screen, "tag\x1fweb", "网页")

        assert await undo(pilot) == "Undid: rename tag web to 网页."
        assert await undo(pilot) == "Undid: delete tag 政策."
        assert await undo(pilot) == f"Undid: remove the bookmark of {NEWS}."  # (the note's)
        assert await undo(pilot) == f"Undid: mark {NEWS} read."
        assert await undo(pilot) == f"Undid: tags on {NEWS}."
        assert await undo(pilot) == f"Undid: note on {NEWS}."
        assert await undo(pilot) == "Nothing to undo."


async def test_one_marked_article_is_one_article(make_app: MakeApp, reader_lib: Fixture) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("v", "r")  # one marked article: the message counts it
        await settle(pilot)
        assert notes(app)[-1] == "Marked 1 article read."
        await pilot.press("b")
        await settle(pilot)
        assert notes(app)[-1] == "Bookmarked 1 article."
        await pilot.press("V", "r")  # every article marked
        await settle(pilot)
        assert notes(app)[-1] == f"Marked {len(TITLES)} articles read."
        assert await undo(pilot) == f"Undid: mark {len(TITLES)} articles read."
        assert await undo(pilot) == f"Undid: bookmark {LINKS}."


async def test_a_tag_on_one_article_is_counted_in_the_singular(
    make_app: MakeApp, reader_lib: Fixture
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        await to_sidebar_entry(pilot, screen, "tag\x1f外贸")
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        assert str(app.screen.query_one(Label).content) == "Remove the tag '外贸' from 1 article?"
        await pilot.press("y")
        await settle(pilot)
        assert notes(app)[-1] == "Removed '外贸' from 1 article."


def test_a_long_title_is_cut_to_forty_cells() -> None:
    assert shorten("短标题") == "短标题"
    cut = shorten("很长的标题" * 10)
    assert cut.endswith("…") and len(cut) == 20  # 19 CJK characters (38 cells) and …
