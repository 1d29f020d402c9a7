"""The article list: a Line-API view that renders only visible rows and fetches them lazily."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.library.models import ArticleSummary
from reader.ui.dates import DATE_FORMAT
from reader.ui.keys import bindings
from reader.ui.matches import highlight
from reader.ui.widgets.list_rows import BAR, Frame, RowLayout, frame

Fetch = Callable[[Sequence[int]], list[ArticleSummary]]


WINDOW = 120  # rows fetched around one that is not cached yet


class ArticleList(ScrollView, can_focus=True):
    """Rows of articles. Holds only ids; summaries are fetched a window at a time."""

    BINDINGS = bindings("list.")
    COMPONENT_CLASSES = {
        "article-list--cursor",
        "article-list--unread",
        "article-list--read",
        "article-list--meta",
        "article-list--mark",
        "article-list--tag",
        "article-list--marked",
        "article-list--match",
        "article-list--bar",
        "article-list--thumb",
        "article-list--bar-hover",
        "article-list--thumb-hover",
        "article-list--bar-active",
        "article-list--thumb-active",
    }
    DEFAULT_CSS = """
    ArticleList { background: $surface; scrollbar-size-vertical: 0; }
    ArticleList > .article-list--cursor { background: $block-cursor-blurred-background; }
    ArticleList:focus > .article-list--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground;
    }
    ArticleList > .article-list--unread { text-style: bold; }
    ArticleList > .article-list--read { color: $text-muted; }
    ArticleList > .article-list--meta { color: $text-muted; }
    ArticleList > .article-list--mark { color: $accent; }
    ArticleList > .article-list--tag { color: $secondary; }
    ArticleList > .article-list--marked { background: $accent 30%; }
    ArticleList > .article-list--match { background: $warning 40%; text-style: bold; }
    ArticleList > .article-list--bar { background: $scrollbar-background; }
    ArticleList > .article-list--thumb { background: $scrollbar; }
    ArticleList > .article-list--bar-hover { background: $scrollbar-background-hover; }
    ArticleList > .article-list--thumb-hover { background: $scrollbar-hover; }
    ArticleList > .article-list--bar-active { background: $scrollbar-background-active; }
    ArticleList > .article-list--thumb-active { background: $scrollbar-active; }
    """

    # A move repaints the two rows that change (watch_cursor), not every row on screen.
    cursor: reactive[int] = reactive(0, always_update=True, init=False, repaint=False)

    class Highlighted(Message):
        def __init__(self, article_id: int | None) -> None:
            super().__init__()
            self.article_id = article_id

    class Selected(Message):
        def __init__(self, article_id: int) -> None:
            super().__init__()
            self.article_id = article_id

    def __init__(
        self,
        fetch: Fetch,
        date_format: str = DATE_FORMAT,
        script: str = "as-written",
        **kwargs: object,
    ) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.fetch = fetch
        self.row_layout = RowLayout(date_format, self.style, script)
        self.ids: list[int] = []
        self.total = 0  # rows in the view; `ids` may hold only the first page for a moment
        self.pending: int | None = None  # an article to select once all ids are in
        self.rows: dict[int, ArticleSummary] = {}
        self.marked: set[int] = set()
        self.terms: list[str] = []  # search terms to highlight in titles
        self._styles: dict[str, Style] = {}  # component styles, until the theme changes
        self._strips: dict[tuple[int, int, bool, bool, bool | None, str], Strip] = {}  # rows
        self._frame: Frame | None = None  # while a frame renders: what every row needs
        self._bar_lit = ""  # the scrollbar under the pointer: "-hover"; being dragged: "-active"

    # ---- data ---------------------------------------------------------------------------------

    def show(
        self,
        ids: list[int],
        select: int | None = None,
        terms: Sequence[str] = (),
        total: int | None = None,
    ) -> None:
        """Replace the rows; keep the cursor on `select` when it is among them.

        `ids` may be only the first page of `total` rows: `complete` brings the rest.
        """
        self._rows_are(ids, total)
        self.pending = select if select is not None and select not in ids else None
        self.terms = list(terms)
        self.rows.clear()
        self._strips.clear()
        self.marked.clear()
        self._show_marks()
        index = self.index_of(select) if select is not None else None
        self.cursor = index or 0
        self.refresh()

    def complete(self, ids: list[int]) -> None:
        """All the rows of the view, after `show` painted the first page."""
        current = self.current
        self._rows_are(ids)
        target = self.pending if self.pending is not None else current
        self.pending = None
        index = self.index_of(target) if target is not None else None
        if index is not None and index != self.cursor:
            self.cursor = index
        self.refresh()

    def replace(self, ids: list[int]) -> None:
        """The view's rows again, as another program changed them (an import adds rows
        every second). The cursor stays on its article and at its row on screen, whatever
        arrived above it; marks on articles still listed stay."""
        target = self.pending if self.pending is not None else self.current
        row = self.cursor - round(self.scroll_offset.y)
        self._rows_are(ids)
        self.pending = None
        self.rows.clear()
        self._strips.clear()
        if self.marked:
            self.marked &= set(ids)
            self._show_marks()
        index = self.index_of(target) if target is not None else None
        if index is None:  # the article is gone: the place it was at
            index = max(0, min(self.cursor, len(ids) - 1))
        self.scroll_to(y=max(0, index - row), animate=False, force=True, immediate=True)
        self.cursor = index  # (watch_cursor scrolls no more: the row is on screen)
        self.refresh()

    def _rows_are(self, ids: list[int], total: int | None = None) -> None:
        self.ids, self.total = ids, len(ids) if total is None else total
        self.virtual_size = Size(0, self.total)  # rows fit the width: no sideways scrolling

    @property
    def current(self) -> int | None:
        return self.ids[self.cursor] if 0 <= self.cursor < len(self.ids) else None

    def summary(self, index: int) -> ArticleSummary | None:
        if not 0 <= index < len(self.ids):
            return None
        article_id = self.ids[index]
        row = self.rows.get(article_id)
        if row is None:
            start = max(0, index - WINDOW // 4)
            wanted = [i for i in self.ids[start : start + WINDOW] if i not in self.rows]
            self.rows.update((r.id, r) for r in self.fetch(wanted))
            row = self.rows.get(article_id)
        return row

    def reload(self, article_ids: Sequence[int]) -> None:
        """Fetch these rows again (after read or bookmark changes) and repaint."""
        changed = set(article_ids)
        for article_id in changed:
            self.rows.pop(article_id, None)
        self._strips = {key: strip for key, strip in self._strips.items() if key[0] not in changed}
        self.refresh()

    # ---- marks: several articles at once -------------------------------------------------------

    def action_toggle_mark(self) -> None:
        self.toggle_mark()

    def action_mark_all(self) -> None:
        self.mark_all()

    def toggle_mark(self) -> None:
        """Mark or unmark the highlighted article and move down, as mutt's `t` does."""
        current = self.current
        if current is None:
            return
        self.marked.symmetric_difference_update({current})
        self._show_marks()
        self.refresh()
        self.action_cursor(1)

    def mark_all(self) -> None:
        """Mark every article of the view, or clear the marks when all are marked."""
        everything = len(self.marked) == len(self.ids)
        self.marked = set() if everything else set(self.ids)
        self._show_marks()
        self.refresh()

    def clear_marks(self) -> bool:
        had = bool(self.marked)
        self.marked.clear()
        self._show_marks()
        self.refresh()
        return had

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._strips.clear()

    def style(self, name: str) -> Style:
        """A component style (or "base", the widget's own), cached: rows ask for them often."""
        if name not in self._styles:
            self._styles[name] = (
                self.rich_style if name == "base" else self.get_component_rich_style(name)
            )
        return self._styles[name]

    def _show_marks(self) -> None:
        self.border_subtitle = f"{len(self.marked)} marked" if self.marked else ""

    def go_to(self, article_id: int) -> bool:
        """Put the cursor on the article, if the list has it."""
        index = self.index_of(article_id)
        if index is not None:
            self.cursor = index
        return index is not None

    def index_of(self, article_id: int) -> int | None:
        try:
            return self.ids.index(article_id)
        except ValueError:
            return None

    # ---- cursor -------------------------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        if self.ids:
            clamped = max(0, min(new, len(self.ids) - 1))
            if clamped != new:
                self.cursor = clamped
                return
        self.refresh_line(old)  # (rows of the list: refresh_line takes off the scroll)
        self.refresh_line(new)
        self.scroll_to_region(Region(0, new, 1, 1), animate=False, force=True)
        self.post_message(self.Highlighted(self.current))

    def action_cursor(self, delta: int) -> None:
        self.cursor = max(0, min(self.cursor + delta, len(self.ids) - 1))

    def action_jump(self, where: int) -> None:
        self.cursor = 0 if where == 0 else max(0, len(self.ids) - 1)

    def action_page(self, direction: int) -> None:
        self.action_cursor(direction * max(1, self.scrollable_content_region.height - 1))

    def action_select(self) -> None:
        if self.current is not None:
            self.post_message(self.Selected(self.current))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or self._on_bar(offset.x):  # on the border or the scrollbar
            return
        index = int(self.scroll_offset.y) + offset.y
        if 0 <= index < len(self.ids):
            self.cursor = index
            if event.chain >= 2:
                self.action_select()

    # ---- the scrollbar: press or drag on it to scroll there --------------------------------------

    def _on_bar(self, x: int) -> bool:
        width, _height, _top, thumb = self._measure()
        return thumb is not None and x >= width - BAR

    def on_mouse_down(self, event: events.MouseDown) -> None:
        offset = event.get_content_offset(self)
        if offset is not None and self._on_bar(offset.x):
            self.capture_mouse()
            self._light_bar("-active")
            self._scroll_bar_to(event.screen_y)
            event.stop()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self.app.mouse_captured is self:
            self._scroll_bar_to(event.screen_y)
        else:
            self._light_bar(self._hover_at(event))

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self.app.mouse_captured is self:
            self.release_mouse()
            self._light_bar(self._hover_at(event))

    def on_leave(self, event: events.Leave) -> None:
        if self.app.mouse_captured is not self:
            self._light_bar("")

    def _hover_at(self, event: events.MouseEvent) -> str:
        offset = event.get_content_offset(self)
        return "-hover" if offset and self._on_bar(offset.x) else ""

    def _light_bar(self, lit: str) -> None:
        """The scrollbar's colours under the pointer and while dragged, as Textual's."""
        if lit != self._bar_lit:
            self._bar_lit = lit
            self.refresh()

    def _scroll_bar_to(self, screen_y: int) -> None:
        """Show the part of the list that this row of the scrollbar stands for."""
        region = self.content_region
        y = max(0, min(screen_y - region.y, region.height - 1))
        self.scroll_to(y=round(self.max_scroll_y * y / max(1, region.height - 1)), animate=False)

    # ---- rendering ----------------------------------------------------------------------------

    # The list draws its own scrollbar: Textual's took ~4 ms to redraw each time the list
    # scrolled by a row (a third of a key press), this one a column of cached rows.

    def render_lines(self, crop: Region) -> list[Strip]:
        self._frame = self._measure()  # once a frame, not once a row
        try:
            return super().render_lines(crop)
        finally:
            self._frame = None

    def _measure(self) -> Frame:
        width, height = self.size
        return frame(width, height, int(self.scroll_offset.y), self.total)

    def render_line(self, y: int) -> Strip:
        width, _height, top, thumb = self._frame or self._measure()
        index = top + y
        row = self.summary(index)
        base = self.style("base")
        on_thumb = None if thumb is None else thumb[0] <= y < thumb[1]
        if row is None:
            return Strip.blank(width, base)
        cursor, marked = index == self.cursor, row.id in self.marked
        key = (row.id, width, cursor, marked, on_thumb, self._bar_lit if thumb else "")
        strip = self._strips.get(key)
        if strip is None:
            if on_thumb is None:
                strip = self._render_row(row, width, cursor, marked, base)
            else:
                part = "article-list--thumb" if on_thumb else "article-list--bar"
                bar = self.style(part + self._bar_lit)
                strip = Strip.join(
                    [
                        self._render_row(row, width - BAR, cursor, marked, base),
                        Strip([Segment(" " * BAR, base + bar)], BAR),
                    ]
                )
            if len(self._strips) > 1000:
                self._strips.clear()
            self._strips[key] = strip
        return strip

    def _render_row(
        self, row: ArticleSummary, width: int, cursor: bool, marked: bool, base: Style
    ) -> Strip:
        pieces, title_at, cells = self.row_layout.pieces(row, width, marked)
        over = None
        if cursor:
            over = self.style("article-list--cursor")
        elif marked:
            over = self.style("article-list--marked")
        if self.terms or cells > width:  # (a list too narrow for a row cuts it with "…")
            text = Text.assemble(*pieces, no_wrap=True, overflow="ellipsis")
            if over:
                text.stylize(over)
            if self.terms:  # over the cursor style: matches show on the cursor row too
                highlight(text, self.terms, self.style("article-list--match"), title_at)
            text.truncate(width, overflow="ellipsis")
            segments = list(text.render(self.app.console))
        else:  # the same segments, without building a Text: rows are drawn as the list scrolls
            segments = [Segment(piece, style + over if over else style) for piece, style in pieces]
        return (
            Strip(segments)
            .adjust_cell_length(width, base + over if over else base)
            .apply_style(base)
        )
