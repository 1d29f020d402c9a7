"""What the parts of the main screen share, declared once: MainScreen is made of parts
(pane_layout, link_actions, external_actions, full_text_actions, view_loading,
import_watch, state_actions, search_actions, feed_actions), each a class over MainBase
with its own keys and workers, so none imports MainScreen back and the type checker sees
every part as the one screen they make."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.reactive import var
from textual.screen import Screen

from reader.library import Change, Library, View

if TYPE_CHECKING:
    from reader.config import Config
    from reader.ui.importing import ChildImport
    from reader.ui.screens.pane_layout import Mode, Pane, Panes
    from reader.ui.widgets import ArticleList, ArticleView
    from reader.ui.widgets.search_bar import SearchBar
    from reader.ui.writer import Writer


class MainBase(Screen[None]):
    """The main screen's state. MainScreen.__init__ sets the plain attributes."""

    # What the list shows. Setting one shows it (see ViewLoading): the view is also
    # remembered for the next start; the search text runs once typing pauses.
    view: var[View] = var(View(), init=False, always_update=True)
    sort: var[str] = var("newest", init=False)  # newest, oldest, title; searching: relevance
    search_text: var[str] = var("", init=False)
    search_everywhere: var[bool] = var(False, init=False)  # else only the view's articles

    library: Library
    config: Config
    importing: ChildImport | None  # the import running beside the app, if any
    writer: Writer  # every change is written by it
    open_id: int | None  # the article open in the body
    landing: int | None  # the article the list's cursor goes to as the view loads
    count: str  # a number typed before `o`, `y` or `=`
    sidebar_mode: Mode
    list_width: int | None  # beside an article; None: what is left
    zoomed: bool
    _panes: Panes | None  # the widths the panes were given last
    undo_steps: deque[tuple[str, Change]]  # what `u` puts back, the newest last
    _seen_version: int  # the library's data_version the list shows

    if TYPE_CHECKING:  # the methods the parts call on one another (where each is)

        @property
        def articles(self) -> ArticleList: ...  # main
        @property
        def body(self) -> ArticleView: ...  # main
        def open_article(self, article_id: int, focus: bool = True, mark: bool = True) -> None: ...
        def update_tag_pane(self) -> None: ...  # main
        def action_next(self) -> None: ...  # main
        def action_quit(self) -> None: ...  # main
        def lay_out(self) -> None: ...  # pane_layout
        def panes(self, focus: Pane | None = None) -> Panes: ...  # pane_layout
        def _key_of(self, binding_id: str, default: str) -> str: ...  # link_actions
        def in_terminal(self, argv: list[str], data: bytes | None = None) -> None: ...
        def show_view(self, view: View) -> None: ...  # view_loading
        def follow_rename(self, showing: bool, renamed: View) -> None: ...  # view_loading
        def change_view(self, view: View, select: int | None = None) -> None: ...
        def load(
            self, select: int | None = None, keep_place: bool = False, announce: bool = False
        ) -> None: ...  # view_loading
        def refresh_counts(self) -> None: ...  # view_loading
        def pick_up_changes(self, announce: bool = True) -> None: ...  # view_loading
        def _title(self, total: int) -> None: ...  # view_loading
        def reload_due(self) -> bool: ...  # import_watch
        def stop_import(self, then: Callable[[], None]) -> bool: ...  # import_watch
        def follow_import(self) -> None: ...  # import_watch
        def _say(self, message: str) -> None: ...  # state_actions
        def rename_tag(self, name: str) -> None: ...  # state_actions
        def delete_tag(self, name: str) -> None: ...  # state_actions
        @property
        def search_bar(self) -> SearchBar: ...  # search_actions
        @property
        def searching(self) -> bool: ...  # search_actions
        def close_search(self) -> None: ...  # search_actions
        def run_search(self) -> None: ...  # search_actions
        def close_find(self) -> None: ...  # search_actions
        def rename_saved(self, name: str) -> None: ...  # search_actions
        def delete_saved(self, name: str) -> None: ...  # search_actions
        def _feed_error_subtitle(self) -> None: ...  # feed_actions
