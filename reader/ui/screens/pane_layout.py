"""MainScreen's panes: how wide the sidebar, the list and the article are, and the keys
that change it (`s` sidebar, `[` / `]` the split, `z` zoom, `<` / `>` reading width).

The pane with the focus gets the room it needs. Browsing (the list or the sidebar has the
focus), the list takes the width the sidebar leaves, so titles show whole; reading, the
article gets its reading width (from 117 columns at the default 90) and the list what is
left beside it, the sidebar stepping aside. When all three fit, the list with 50 columns
(173 at the default reading width), they stay put whatever has the focus."""

from __future__ import annotations

from typing import Literal, NamedTuple

from textual.widget import Widget

from reader.config import LIST_WIDTHS, WIDTHS
from reader.ui.screens.main_base import MainBase
from reader.ui.widgets.list_rows import WIDE

Pane = Literal["sidebar", "list", "body"]
Mode = Literal["auto", "shown", "hidden"]  # the sidebar: shown unless reading needs the room

NARROW = 100  # below this many columns the article, when read, takes the whole width
SIDEBAR = 26
SIDEBAR_NARROW = 20
CHROME = 7  # the article pane's border, padding and scrollbar around the text
LIST_MIN = LIST_WIDTHS[0]  # beside an article: the unread mark, the date, a few words
LIST_WIDE = WIDE  # from here a list row shows the year and the source
BODY_MIN = 40
STEP = 4  # columns moved by one press of `[` `]` `<` `>`


class Panes(NamedTuple):
    """Each pane's columns; 0: hidden."""

    sidebar: int
    list: int
    body: int


def arrange(
    width: int,
    focus: Pane,
    article_open: bool,
    sidebar: Mode = "auto",
    list_width: int | None = None,
    reading_width: int = 90,
    zoom: bool = False,
) -> Panes:
    """The panes' widths for a terminal `width` columns wide. `list_width` is the list's
    width beside an article (None: what the reading width leaves, at least LIST_MIN)."""
    if zoom or (width < NARROW and focus == "body"):
        return Panes(*(width if pane == focus else 0 for pane in Panes._fields))
    side = SIDEBAR_NARROW if width < NARROW else SIDEBAR
    side = side if sidebar != "hidden" or focus == "sidebar" else 0
    if width < NARROW or not article_open:
        return Panes(side, width - side, 0)
    want = reading_width + CHROME

    def beside(side: int) -> Panes:
        room = width - side
        wanted = list_width if list_width is not None else room - want
        columns = max(LIST_MIN, min(wanted, room - BODY_MIN))
        return Panes(side, columns, room - columns)

    panes = beside(side)
    if panes.body >= want and panes.list >= (list_width or LIST_WIDE):
        return panes  # room for all: nothing moves as the focus does
    if focus != "body":
        return Panes(side, width - side, 0)
    return panes if sidebar == "shown" else beside(0)


def pane_of(widget: Widget | None) -> Pane:
    """The pane a focused widget is in (the list when nothing has the focus)."""
    for node in widget.ancestors_with_self if widget is not None else ():
        if node.id == "sidebar":
            return "sidebar"
        if node.id == "body-column":
            return "body"
    return "list"


class PaneLayout(MainBase):
    """A part of MainScreen."""

    def panes(self, focus: Pane | None = None) -> Panes:
        """The panes now, or with the focus in `focus` ("body": reading an article)."""
        return arrange(
            self.size.width,
            focus or pane_of(self.focused),
            self.open_id is not None or focus == "body",
            self.sidebar_mode,
            self.list_width,
            self.body.reading_width,
            self.zoomed,
        )

    def lay_out(self) -> None:
        """Size the panes for the focus, the open article and the reader's choices. (Inline
        widths and display, not classes: a class change restyles every widget.)"""
        if not self.size.width:
            return  # not laid out yet: the first resize lays the panes out
        panes = self.panes()
        if panes == self._panes:
            return
        self._panes = panes
        columns = ("#sidebar", "#list-column", "#body-column")
        for selector, width in zip(columns, panes, strict=True):
            column = self.query_one(selector)
            if width:
                column.styles.width = width
            column.display = width > 0
        # Lay out in the very next frame: the columns ask for it only at their next idle,
        # after the frame that paints the focus change. (#panes caches its arrangement by its
        # own size: cleared here, as a column's own request would clear it.)
        self.query_one("#panes")._clear_arrangement_cache()
        self.refresh(layout=True)

    @property
    def focus_chain(self) -> list[Widget]:
        """Tab reaches an open article hidden while the list has the room; focused, it shows."""
        chain = super().focus_chain
        body = self.body
        if self.open_id is not None and body not in chain and not self.zoomed:
            articles = self.articles
            chain.insert(chain.index(articles) + 1 if articles in chain else len(chain), body)
        return chain

    def action_toggle_sidebar(self) -> None:
        """Hide the sidebar, or show it (while reading too, until hidden again)."""
        shown = self._panes is not None and self._panes.sidebar > 0
        if shown:
            self.sidebar_mode = "hidden"
            if pane_of(self.focused) == "sidebar":
                self.articles.focus()
        else:
            auto = arrange(self.size.width, pane_of(self.focused), self.open_id is not None)
            self.sidebar_mode = "auto" if auto.sidebar else "shown"
        self.app.save_setting("show_sidebar", not shown)  # type: ignore[attr-defined]
        self.lay_out()

    def action_split(self, delta: int) -> None:
        """Move the split between the list and the article (remembered in the settings)."""
        reading = self.panes("body")
        if reading.body == 0 or self.size.width < NARROW:
            self._say("The list and the article are not side by side at this width.")
            return
        wanted = max(LIST_MIN, min(LIST_WIDTHS[-1], reading.list + delta))
        self.list_width = wanted
        self.app.save_setting("list_width", wanted)  # type: ignore[attr-defined]
        self.lay_out()
        shown = self.panes("body")
        self._say(
            f"Beside an article the list takes {shown.list} columns, "
            f"the article {shown.body - CHROME}."
        )

    def action_zoom(self) -> None:
        """Give the focused pane the whole screen (again: back)."""
        self.zoomed = not self.zoomed
        self.lay_out()

    def action_width(self, delta: int) -> None:
        """Narrow or widen the reading column (saved to the settings), and say what shows."""
        body = self.body
        width = max(WIDTHS[0], min(WIDTHS[-1], body.reading_width + delta))
        if width != body.reading_width:
            body.reading_width = width  # (the article re-wraps once the panes are laid out)
            self.app.save_setting("reading_width", width)  # type: ignore[attr-defined]
            self.lay_out()
        room = self.panes("body").body - CHROME
        if room >= width:
            self._say(f"Reading width: {width} columns.")
        else:
            keys = "[ (a narrower list), z (zoom) or s (no sidebar)"
            self._say(f"Reading width {width} (the pane shows {room}: press {keys} to widen it)")
