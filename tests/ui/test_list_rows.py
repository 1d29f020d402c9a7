"""The list's rows give the title its room before the tags take any."""

from __future__ import annotations

from rich.style import Style

from reader.library.models import ArticleSummary
from reader.ui.widgets.list_rows import RowLayout

LONG = "消费电子股大爆发！旺季迎来需求复苏 业绩兑现成关键 关注电子板块两主线"


def row_text(title: str, width: int) -> str:
    row = ArticleSummary(
        1, title, "2022-05-31", "finews", ("emnews",), ("东财滚动新闻",), False, False
    )
    pieces, _, _ = RowLayout("%Y-%m-%d", lambda name: Style()).pieces(row, width, False)
    return "".join(text for text, _ in pieces)


def test_a_title_that_fits_shows_whole_and_the_tags_give_way() -> None:
    text = row_text(LONG, 100)  # e.g. the list at 120 columns with the sidebar hidden (s)
    assert LONG in text and "…" not in text
    assert "#东财" not in text


def test_a_short_title_leaves_room_for_its_tags() -> None:
    text = row_text("A股收盘", 94)
    assert "A股收盘" in text and "#东财滚动新闻" in text


def test_a_storys_mark_is_never_the_part_a_narrow_list_cuts() -> None:
    from rich.cells import cell_len

    row = ArticleSummary(1, LONG, "2022-05-31", "finews", ("emnews",), (), False, False, False, 3)
    layout = RowLayout("%Y-%m-%d", lambda name: Style())
    for width in (14, 16, 18, 24, 40, 100):
        pieces, _, cells = layout.pieces(row, width, False)
        text = "".join(piece for piece, _ in pieces)
        assert text.rstrip().endswith("+3") and cell_len(text) == cells <= max(width, 14), text
