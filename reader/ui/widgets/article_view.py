"""The article body: header and Markdown laid out off the event loop, shown line by line;
its pictures read, decoded and put in above their labels by a worker of their own."""

from __future__ import annotations

import asyncio
from functools import partial
from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text
from textual import work
from textual.actions import SkipAction
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.worker import get_current_worker

from reader.library.models import Article
from reader.ui.dates import DATE_FORMAT
from reader.ui.keys import bindings
from reader.ui.matches import Piece, find_spans
from reader.ui.pictures import Shown, wanted
from reader.ui.splice import Board, Key, Spliced, splice

if TYPE_CHECKING:  # rendering loads with the first article, not at start-up
    from reader.library.images import PictureCache
    from reader.ui.pictures import Wanted
    from reader.ui.render import Document, Styles

    Base = tuple[list[Strip], list[Text], list[str]]  # lines without pictures

READING_WIDTH = 90
HINT = "Highlight an article and press enter to read it."


class ArticleView(ScrollView, can_focus=True):
    """Pre-rendered lines of one article; re-wrapped in a worker when the width changes."""

    # The longest line of text, in cells: a change re-wraps the article (the screen lays
    # the panes out again for it; a pane that keeps its width gets no Resize of its own).
    reading_width: reactive[int] = reactive(READING_WIDTH, init=False)

    BINDINGS = bindings("body.")
    COMPONENT_CLASSES = {
        "article-view--title",
        "article-view--meta",
        "article-view--heading",
        "article-view--link",
        "article-view--quote",
        "article-view--code",
        "article-view--tag",
        "article-view--match",
        "article-view--found",
    }
    DEFAULT_CSS = """
    ArticleView { background: $surface; padding: 0 1 0 2; scrollbar-gutter: stable; }
    ArticleView > .article-view--title { text-style: bold; color: $text-primary; }
    ArticleView > .article-view--meta { color: $text-muted; }
    ArticleView > .article-view--heading { text-style: bold; color: $text-accent; }
    ArticleView > .article-view--link { color: $text-secondary; text-style: underline; }
    ArticleView > .article-view--quote { color: $text-muted; }
    ArticleView > .article-view--code { background: $boost; color: $text-warning; }
    ArticleView > .article-view--tag { color: $text-secondary; }
    ArticleView > .article-view--match { background: $warning 40%; }
    ArticleView > .article-view--found { background: $warning; color: $background; }
    """

    BAR_KEYS = ("back", "page", "find", "zoom")  # shown in the key bar while reading

    class Rendered(Message):
        """The open article is on screen (used by tests and the benchmark)."""

        def __init__(self, article_id: int) -> None:
            super().__init__()
            self.article_id = article_id

    def __init__(
        self,
        reading_width: int = READING_WIDTH,
        date_format: str = DATE_FORMAT,
        script: str = "as-written",
        **kwargs: object,
    ) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.set_reactive(ArticleView.reading_width, reading_width)
        self.date_format = date_format
        self.script = script  # Chinese shown as written, or in one script
        self.article: Article | None = None
        self.document: Document | None = None
        self.lines: list[Strip] = []
        self.texts: list[Text] = []
        self.plain: list[str] = []
        self._width = 0
        self._hints: dict[int, list[Strip]] = {}
        self.terms: list[str] = []  # search terms to highlight
        self.found: list[list[Piece]] = []  # ctrl+f matches, each in one line or more
        self.found_index = 0
        self._painted: set[int] = set()
        self._frame: tuple[int, Style] | None = None  # while a frame renders: width, style
        self._room: int | None = None  # the text's columns once laid out (until a resize)
        self._seen = 0  # the text's columns when the pane was last on screen
        self.board = Board()  # the open article's pictures

    @property
    def links(self) -> list[str]:
        return self.document.links if self.document else []

    @property
    def text_width(self) -> int:
        room = self._room
        if room is None:  # (hidden, the pane has no width: the one it had, or will have)
            room = self.scrollable_content_region.width if self.size.width else self._seen
        return max(20, min(room, self.reading_width))

    def show(
        self, article: Article | None, keep_scroll: bool = False, room: int | None = None
    ) -> None:
        """Show an article (again, after its state changed, when `keep_scroll`). `room`: the
        columns the pane will have for the text, when the screen is changing its width (the
        article is laid out once, at that width, not at the old one and again)."""
        from reader.ui.render import header

        if room is not None:
            self._room = room
        self.article, self.document = article, None
        self.found, self.found_index, self._painted = [], 0, set()
        styles = self._styles()
        if not keep_scroll:
            self.board = Board()  # (shown again, after a change, it keeps its pictures)
            self.workers.cancel_group(self, "pictures")
            # The header is a few lines: show it now, while the body is laid out in a worker.
            texts = (
                header(article, styles, self.text_width, self.date_format, self.script)
                if article is not None
                else []
            )
            console = self.app.console
            self.lines = [Strip(list(text.render(console)), text.cell_len) for text in texts]
            self.texts, self.plain = texts, [text.plain for text in texts]
            self._width = self.text_width  # (the lines' width: no second layout on resize)
            self.virtual_size = Size(self._width, len(self.lines))
            self.scroll_to(0, 0, animate=False, immediate=True)
        self.board.rows = self._picture_rows()
        self.refresh()
        if article is not None:
            self._wrap(article, self.text_width, styles)

    def watch_reading_width(self) -> None:
        self.call_after_refresh(self.on_resize)  # (at the width the new layout gives)

    def on_resize(self) -> None:
        if not self.size.width:
            return  # hidden: laid out again if it is shown at another width
        self._room = None  # laid out: the pane's own width from now on
        self._seen = self.scrollable_content_region.width
        rows, self.board.rows = self.board.rows, self._picture_rows()
        again = self.text_width != self._width or (self.board.spots and self.board.rows != rows)
        if self.article is not None and again:
            self._wrap(self.article, self.text_width, self._styles())

    def _styles(self) -> Styles:
        from reader.ui.render import Styles

        get = self.get_component_rich_style
        return Styles(
            title=get("article-view--title"),
            meta=get("article-view--meta"),
            heading=get("article-view--heading"),
            link=get("article-view--link"),
            link_number=get("article-view--meta"),
            quote=get("article-view--quote"),
            code=get("article-view--code"),
            image=get("article-view--meta") + Style(italic=True),
            tag=get("article-view--tag"),
            match=get("article-view--match"),
        )

    @work(thread=True, exclusive=True, group="render")
    def _wrap(self, article: Article, width: int, styles: Styles) -> None:
        """Lay out and wrap in a thread: a 300 KB article must not freeze the keys."""
        from reader.ui.render import header, layout, picture_spots

        document = self.document if self.document and self.article is article else None
        document = document or layout(article, styles, self.script)
        texts = (
            header(article, styles, width, self.date_format, self.script)
            + [Text()]
            + document.lines(width, styles)
        )
        plain = [text.plain for text in texts]
        # (styles come from the event loop: CSS is not read in a thread)
        for pieces in find_spans(plain, self.terms):
            for number, start, end in pieces:
                texts[number].stylize(styles.match, start, end)
        console = self.app.console
        strips = [Strip(list(text.render(console)), text.cell_len) for text in texts]
        # The pictures already laid out at this width go in now; the rest when ready.
        spots = picture_spots(texts) if document.pictures and self._pictures_on() else {}
        spliced = splice(strips, texts, plain, spots, self.board.ready(spots, width))
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(
                self._rendered, article, document, (strips, texts, plain), spots, spliced, width
            )

    def _rendered(
        self,
        article: Article,
        document: Document,
        base: Base,
        spots: dict[int, tuple[int, int]],
        spliced: Spliced,
        width: int,
    ) -> None:
        if article is not self.article:
            return
        if width != self.text_width:  # the width changed meanwhile (the body was shown)
            self.document = document
            self._wrap(article, self.text_width, self._styles())
            return
        self.document, self._width = document, width
        self.board.base, self.board.spots = base, spots
        self._show_spliced(spliced)
        self.refresh()
        self.post_message(self.Rendered(article.id))
        self._want_pictures(article, document, width)

    # ---- pictures ---------------------------------------------------------------------------

    def _pictures_on(self) -> Wanted | None:
        app = self.app
        return wanted(getattr(app, "config", None), app.no_color, app.console.color_system)

    def _picture_rows(self) -> int:
        height = self.scrollable_content_region.height
        return max(4, height - 2) if height else self.board.rows

    def _want_pictures(self, article: Article, document: Document, width: int) -> None:
        """Read and lay out, in a worker, the pictures not yet tried at this width."""
        on = self._pictures_on()
        missing = self.board.missing(document.pictures, width) if on is not None else []
        if on is not None and missing:
            colour = self.rich_style.bgcolor
            rgb = colour.get_truecolor() if colour else None
            background = (rgb.red, rgb.green, rgb.blue) if rgb else (0, 0, 0)
            self._load_pictures(article, missing, width, self.board.rows, *on, background)

    @work(exclusive=True, group="pictures")
    async def _load_pictures(
        self,
        article: Article,
        missing: list[tuple[int, str, int]],
        width: int,
        rows: int,
        kind: str,
        cache: PictureCache | None,
        background: tuple[int, int, int],
    ) -> None:
        """Each picture read (a local post's from its site; remote ones only with a
        `cache`), decoded and laid out in a thread, and put in as it is ready."""
        from reader.ui.pictures import in_thread, load_picture

        post, console = article.path, self.app.console
        for number, src, cols in missing:
            job = partial(load_picture, src, post, cache, kind, console, (cols, rows), background)
            shown = await asyncio.wrap_future(in_thread(job))
            self._picture_ready(article, (number, width, rows), shown)

    def _picture_ready(self, article: Article, key: Key, shown: Shown | None) -> None:
        """Put a picture in, keeping the line at the top and ctrl+f's matches in place."""
        same = self.article is not None and article.id == self.article.id  # (re-read or not)
        change = self.board.add(key, shown, self._width) if same else None
        if change is None:
            return
        old, new = change
        top = int(self.scroll_offset.y)
        moved = new.shown_line(old.base_line(top)) - old.shown_line(old.base_line(top))
        self.found = [
            [(new.shown_line(old.base_line(line)), start, end) for line, start, end in pieces]
            for pieces in self.found
        ]
        self._show_spliced(new)
        if self.found:
            self._paint_found(scroll=False)
        if moved:
            self.scroll_to(y=top + moved, animate=False, immediate=True)
        self.refresh()

    def _show_spliced(self, spliced: Spliced) -> None:
        self.board.spliced, self.lines = spliced, spliced.lines
        self.texts, self.plain, self._painted = spliced.texts, spliced.plain, set()
        self.virtual_size = Size(self._width, len(spliced.lines))

    def render_lines(self, crop: Region) -> list[Strip]:
        # The width and the pane's style once a frame, not once a line: scrolling draws
        # every line on screen, and each lookup walks the widget's ancestors.
        self._frame = (self.scrollable_content_region.width, self.rich_style)
        try:
            lines = super().render_lines(crop)
        finally:
            self._frame = None
        if self.board.spliced is not None and self.board.spliced.sixels:
            top, height = int(self.scroll_offset.y), self.scrollable_content_region.height
            self.board.draw_sixels(lines, crop, top, height, self.gutter)
        return lines

    def render_line(self, y: int) -> Strip:
        index = int(self.scroll_offset.y) + y
        width, style = self._frame or (self.scrollable_content_region.width, self.rich_style)
        if self.article is None:  # nothing open yet: say how to open something
            hint = self._hint(width)
            if 1 <= y <= len(hint):
                return hint[y - 1].adjust_cell_length(width, style).apply_style(style)
        if index >= len(self.lines):
            return Strip.blank(width, style)
        return self.lines[index].adjust_cell_length(width, style).apply_style(style)

    def _hint(self, width: int) -> list[Strip]:
        """The hint's lines at this width, wrapped once (not once per line drawn)."""
        if width not in self._hints:  # (English: Rich's wrap will do, no need to load ours)
            console = self.app.console
            lines = Text(HINT).wrap(console, width)
            self._hints = {width: [Strip(list(line.render(console))) for line in lines]}
        return self._hints[width]

    # ---- find in the article (ctrl+f) -------------------------------------------------------

    def find(self, needle: str) -> int:
        """Highlight every occurrence of `needle` (ignoring case); go to the first. Count them."""
        self.found, self.found_index = find_spans(self.plain, [needle]), 0
        self._paint_found()
        return len(self.found)

    def find_next(self, delta: int) -> tuple[int, int]:
        """Move to the next (or previous) match; returns (position, count)."""
        if self.found:
            self.found_index = (self.found_index + delta) % len(self.found)
            self._paint_found()
        return (self.found_index + 1 if self.found else 0), len(self.found)

    def _paint_found(self, scroll: bool = True) -> None:
        console = self.app.console
        match = self.get_component_rich_style("article-view--match")
        current = self.get_component_rich_style("article-view--found")
        marks: dict[int, list[tuple[int, int, int]]] = {}
        for index, pieces in enumerate(self.found):
            for number, start, end in pieces:
                marks.setdefault(number, []).append((start, end, index))
        # Repaint the lines that have matches now or had them before; leave the rest.
        for number in set(marks) | self._painted:
            copy = self.texts[number].copy()
            for start, end, index in marks.get(number, []):
                copy.stylize(current if index == self.found_index else match, start, end)
            self.lines[number] = Strip(list(copy.render(console)), copy.cell_len)
        self._painted = set(marks)
        if self.found and scroll:
            line = self.found[self.found_index][0][0]
            height = self.scrollable_content_region.height
            if not self.scroll_offset.y <= line < self.scroll_offset.y + height:
                self.scroll_to(y=max(0, line - height // 3), animate=False)
        self.refresh()

    @property
    def at_end(self) -> bool:
        """At the bottom of a laid-out article (not while only its header is shown)."""
        return self.document is not None and self.scroll_offset.y >= self.max_scroll_y

    # Keys move the text at once, as a pager does. Textual's scroll actions animate: the
    # first line moved ~25 ms after the key, the last up to ~150 ms after it.

    def _go(self, y: float) -> None:
        if not self.allow_vertical_scroll:
            raise SkipAction()
        self.scroll_to(y=y, animate=False)

    def action_scroll_down(self) -> None:
        self._go(self.scroll_offset.y + 1)

    def action_scroll_up(self) -> None:
        self._go(self.scroll_offset.y - 1)

    def action_page_down(self) -> None:
        self._go(self.scroll_offset.y + self.scrollable_content_region.height)

    def action_page_up(self) -> None:
        self._go(self.scroll_offset.y - self.scrollable_content_region.height)

    def action_scroll_home(self) -> None:
        self._go(0)

    def action_scroll_end(self) -> None:
        self._go(self.max_scroll_y)

    def page(self) -> None:
        self.scroll_to(
            y=self.scroll_offset.y + max(1, self.scrollable_content_region.height - 2),
            animate=False,
        )
