"""The article list's rows: an article's marks, date, source, title and first tags, as
pieces of text fitted to the list's width; and where its own scrollbar's thumb is."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import NamedTuple

from rich.cells import cell_len
from rich.style import Style

from reader.library.fold import in_script
from reader.library.models import ArticleSummary
from reader.ui.dates import format_date, short_format, widest

WIDE = 50  # cells: from here the list shows the date with its year, and the source
TITLE_ROOM = 30  # cells a title keeps before any tag is shown, however short it is
BAR = 2  # cells of the list's own scrollbar, as wide as Textual's


class RowLayout:
    """Rows in one date format; `style` gives the list's component styles by name."""

    def __init__(
        self, date_format: str, style: Callable[[str], Style], script: str = "as-written"
    ) -> None:
        self.style = style
        self.script = script
        self.date_format = date_format
        self.date_cells = widest(date_format)
        self.short_format = short_format(date_format)  # for narrow lists: without the year
        self.short_cells = widest(self.short_format)

    def pieces(
        self, row: ArticleSummary, width: int, marked: bool
    ) -> tuple[list[tuple[str, Style]], int, int]:
        """`● ★ 2022-05-20  source  Title +2  #tag #tag` as (text, style) pieces fitted to
        `width` cells, the offset where the title starts, and the cells they take."""
        meta = self.style("article-list--meta")
        mark = self.style("article-list--mark")
        title_style = self.style("article-list--unread" if not row.read else "article-list--read")
        pieces = [
            ("●" if not row.read else " ", mark),
            ("★" if row.bookmarked else " ", mark),
            ("+" if marked else " ", mark),
        ]
        if width >= WIDE or self.date_cells <= 6:  # the year goes only in a narrow list
            day = fit(format_date(row.date, self.date_format), self.date_cells)
            cells = 3 + self.date_cells + 1
        else:
            day = fit(format_date(row.date, self.short_format), self.short_cells)
            cells = 3 + self.short_cells + 1
        pieces.append((day + " ", meta))
        if width >= WIDE:
            source_cells = 12 if width >= 80 else 8
            source = row.categories[0] if row.categories else row.source
            pieces.append((fit(source, source_cells) + " ", meta))
            cells += source_cells + 1
        # Then the first tags take what the title can spare: the whole title comes first
        # (the tags pane shows the rest), and a title keeps TITLE_ROOM cells at least.
        title = _in_script(row.title, self.script) + (" (missing)" if row.missing else "")
        tags: list[tuple[str, Style]] = []
        tag_cells = 0
        wanted = max(TITLE_ROOM, cell_len(title))
        spare = width - cells - wanted if width >= WIDE else 0
        tag_style = self.style("article-list--tag")
        for tag in row.tags[:2]:
            shown = f" #{fit(tag, 12).rstrip()}"
            if tag_cells + cell_len(shown) > spare:
                break
            tags.append((shown, tag_style))
            tag_cells += cell_len(shown)
        room = max(8, width - cells - tag_cells)
        title_at = sum(len(piece) for piece, _ in pieces)
        more = f" +{row.copies}" if row.copies else ""  # the story's other sources
        if more and width - cells - tag_cells < 8 + len(more):  # (narrow: the title gives
            more = more.strip()  # way, so the mark is never the part cut off)
            room = max(len(more) + 3, width - cells - tag_cells)
        pieces.append((fit(title, room - len(more)), title_style))
        if more:
            pieces.append((more, meta))
        return pieces + tags, title_at, cells + room + tag_cells


def fit(value: str, width: int) -> str:
    """Cut or pad to exactly `width` cells, with an ellipsis when cut."""
    if cell_len(value) <= width:
        return value + " " * (width - cell_len(value))
    out, used = [], 0
    for ch in value:
        w = cell_len(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    cut = "".join(out) + "…"
    return cut + " " * (width - cell_len(cut))


class Frame(NamedTuple):
    width: int
    height: int
    top: int  # index of the first row shown
    thumb: tuple[int, int] | None  # rows of the scrollbar's thumb; None: no scrollbar


def frame(width: int, height: int, top: int, total: int) -> Frame:
    """The list's size, the first row shown and the rows the scrollbar's thumb spans (None
    without a scrollbar: every row fits)."""
    if total <= height or width <= BAR:
        return Frame(width, height, top, None)
    size = max(1, round(height * height / total))
    start = round((height - size) * min(1.0, top / max(1, total - height)))
    return Frame(width, height, top, (start, start + size))


@lru_cache(maxsize=4096)  # (a row is painted again on every move: convert a title once)
def _in_script(title: str, script: str) -> str:
    return in_script(title, script)
