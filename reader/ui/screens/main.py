"""The main screen: sidebar, article list, article body and tags, and the reading keys."""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import OptionList

from reader.config import Config
from reader.library import Change, Library, View
from reader.ui.commands import ArticleCommands, TagCommands
from reader.ui.keys import bindings
from reader.ui.screens.external_actions import ExternalActions
from reader.ui.screens.feed_actions import FeedActions
from reader.ui.screens.full_text_actions import FullTextActions
from reader.ui.screens.import_watch import ImportWatch
from reader.ui.screens.link_actions import LinkActions
from reader.ui.screens.pane_layout import CHROME, NARROW, Mode, PaneLayout, Panes, pane_of
from reader.ui.screens.search_actions import SearchActions
from reader.ui.screens.state_actions import UNDO_STEPS, StateActions
from reader.ui.screens.view_loading import ViewLoading
from reader.ui.widgets import ArticleList, ArticleView, KeyBar, Sidebar, TagPane
from reader.ui.widgets.import_line import ImportLine
from reader.ui.widgets.search_bar import FindBar, SearchBar
from reader.ui.writer import Writer

if TYPE_CHECKING:
    from reader.ui.importing import ChildImport

WATCH = 2.0  # seconds between looks for changes made by others (an import, another app)


class MainScreen(
    PaneLayout,
    LinkActions,
    ExternalActions,
    FullTextActions,
    ViewLoading,
    ImportWatch,
    StateActions,
    SearchActions,
    FeedActions,
):
    """Sidebar, list, body and tags; the state its parts share is declared in MainBase."""

    AUTO_FOCUS = "#article-list"
    COMMANDS = {TagCommands, ArticleCommands}
    BINDINGS = bindings(
        "quit",
        "help",
        "back",
        "forward",
        "page",
        "next",
        "previous",
        "next_unread",
        "open_link",
        "read",
        "bookmark",
        "note",
        "tags",
        "undo",
        "search",
        "zoom",
        "toggle_sidebar",
        "list_narrower",
        "list_wider",
        "save_search",
        "search_scope",
        "sort",
        "find",
        "copy_link",
        "links",
        "next_copy",
        "show_hidden",
        "full_text",
        "pipe",
        "save_article",
        "theme",
        "narrower",
        "wider",
        "refresh",
    )  # fmt: skip  (in the key bar's order)

    def __init__(
        self, library: Library, config: Config, importing: ChildImport | None = None
    ) -> None:
        """`importing`: an import running beside the app (`newsreader PATH`)."""
        super().__init__()
        self.library = library
        self.config = config
        self.importing = importing
        self.set_reactive(MainScreen.sort, config.sort)
        self.landing: int | None = None  # the article the list's cursor goes to as it loads
        self.open_id: int | None = None
        self.count = ""  # a number typed before `o`, `y` or `=`
        self._resumed = False
        self.sidebar_mode: Mode = "auto" if config.show_sidebar else "hidden"
        self.list_width = config.list_width  # beside an article; None: what is left
        self.zoomed = False
        self._panes: Panes | None = None  # the widths the panes were given last
        self.writer = Writer(self, library.path)  # every change is written by it
        # what `u` puts back: (what it was, the change), the newest last
        self.undo_steps: deque[tuple[str, Change]] = deque(maxlen=UNDO_STEPS)
        self._quitting = False

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            yield Sidebar(id="sidebar")
            with Vertical(id="list-column"):
                yield SearchBar(id="search-bar")
                yield ArticleList(
                    self.library.summaries_for,
                    self.config.date_format,
                    self.config.script,
                    id="article-list",
                )
                yield TagPane(id="tag-pane")
            with Vertical(id="body-column"):
                yield ArticleView(
                    self.config.reading_width,
                    self.config.date_format,
                    self.config.script,
                    id="article-view",
                )
                yield FindBar(id="find-bar")
        yield ImportLine(id="import-line")
        yield KeyBar()

    @property
    def articles(self) -> ArticleList:
        return self.query_one(ArticleList)

    @property
    def body(self) -> ArticleView:
        return self.query_one(ArticleView)

    def on_mount(self) -> None:
        saved = self.library.setting("ui.view")
        self.set_reactive(MainScreen.view, View.decode(saved) if saved else View())
        last = self.library.setting("ui.article")
        self.load(select=int(last) if last and last.isdigit() else None)
        # What the first paint does not need waits until it is on screen.
        self.call_after_refresh(self._restore, int(last) if last and last.isdigit() else None)
        self._seen_version = self.library.data_version()
        self.set_interval(WATCH, self.pick_up_changes)
        self.follow_import()
        self.start_sync_schedule()
        self.start_refresh_schedule()
        self.bind_macros()

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        """Runs before Textual's own handler, which styles every widget again when asked.
        The first time, they were just styled as they mounted: ~10 ms of the first paint.
        Later resumes go as Textual sends them."""
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False

    def _restore(self, last: int | None) -> None:
        if self.open_id is None and last is not None and self.articles.current == last:
            self.open_article(last, focus=False, mark=False)
        else:
            self._warm_up()
        self.refresh_counts()

    @work(thread=True, group="warm-up")
    def _warm_up(self) -> None:
        """Load the Markdown parser now, so opening the first article does not wait for it;
        and OpenCC's conversions and pypinyin's readings (~0.4 s), in a thread, before the
        first Chinese search or tag typed."""
        import threading

        from reader.library.fold import in_script, spellings
        from reader.library.pinyin import pattern
        from reader.ui.render import _parser

        _parser()
        script = self.config.script
        threading.Thread(
            target=lambda: (spellings("中"), in_script("中", script), pattern("zh")),
            daemon=True,
        ).start()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < NARROW, "-narrow")
        self._show_focused()

    def set_focus(
        self, widget: Widget | None, scroll_visible: bool = True, from_app_focus: bool = False
    ) -> None:
        """Lay the panes out as the focus moves. Textual paints a focus change at once (a
        full frame): laid out on DescendantFocus, the panes came a frame and a layout later
        (~20-30 ms each at 120 columns), and with them the header of an opened article."""
        super().set_focus(widget, scroll_visible, from_app_focus)
        self._show_focused()

    def _show_focused(self) -> None:
        """The pane with the focus gets its room (see pane_layout), whatever the order of
        resizes and keys (`/` while reading, ctrl+f in the list). Narrow, `-reading` says
        that the article takes the whole width."""
        self.lay_out()
        reading = pane_of(self.focused) == "body"
        if self.has_class("-narrow") or self.has_class("-reading"):
            self.set_class(self.has_class("-narrow") and reading, "-reading")

    # ---- events -------------------------------------------------------------------------------

    @on(OptionList.OptionSelected, "#sidebar")
    def choose_view(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.show_view(View.decode(event.option.id))

    @on(ArticleList.Highlighted)
    def show_tags(self, event: ArticleList.Highlighted) -> None:
        self.update_tag_pane()

    def update_tag_pane(self) -> None:
        """The highlighted article's tags: its cached list row plus its state (cheap: no
        body is read on a cursor move)."""
        row = self.articles.summary(self.articles.cursor) if self.articles.current else None
        states = self.library.snapshot([row.id]) if row else []
        self.query_one(TagPane).show(row, states[0] if states else None)

    @on(ArticleList.Selected)
    def open_selected(self, event: ArticleList.Selected) -> None:
        self.open_article(event.article_id)

    def go_to_article(self, article_id: int) -> None:
        """Open an article from anywhere (the palette): show All if it is not in this view."""
        if self.articles.index_of(article_id) is None:
            if self.searching:
                self.close_search()
            self.change_view(View())
        self.articles.go_to(article_id)
        self.open_article(article_id)

    def open_article(self, article_id: int, focus: bool = True, mark: bool = True) -> None:
        article = self.library.article(article_id)
        if article is None:
            return
        if mark and self.config.mark_read_on_open and not article.read:
            story = self.config.mark_story_read and bool(article.copies)
            self.writer.submit(
                lambda library: library.set_read(
                    library.with_copies([article_id]) if story else [article_id]
                ),
                self._marked,
            )
        self.open_id = article_id
        self.writer.submit(
            lambda library: library.set_setting("ui.article", str(article_id)), quiet=True
        )
        if focus:
            if self.has_class("-narrow"):  # a class change restyles every widget: only when
                self.add_class("-reading")  # it changes the layout
            # At once, not as widget.focus() does (after the next frame): the panes take their
            # widths now and the header is laid out at its own, for one layout, one frame.
            self.set_focus(self.body)
        self.lay_out()
        # The text's width once the pane is laid out (hidden: the width reading gives it).
        shown = self._panes.body if self._panes and self._panes.body else self.panes("body").body
        self.body.show(article, room=shown - CHROME)

    def _marked(self, change: Change) -> None:
        """An article opened is marked read (once that is written): its row, then counts."""
        self.articles.reload(change.ids)
        self.call_after_refresh(self.refresh_counts)

    @on(Writer.Done)
    def _written(self, message: Writer.Done) -> None:
        """A change of ours is in the library: shown by its callback. Unless another
        program wrote meanwhile, there is nothing for `pick_up_changes` to reload (a
        reload of 100,000 articles after each article opened cost ~40 ms and 12 MB)."""
        message.callback()
        if not self.writer.others_wrote and not self.writer.pending:
            self._seen_version = self.library.data_version()

    def action_quit(self) -> None:
        """Quit once the import running beside the app has stopped and the changes made
        are written; `q` again quits without waiting."""
        if self.stop_import(then=self.action_quit):
            return
        if not self.writer.pending or self._quitting:
            self.app.exit()
            return
        self._quitting = True
        waiting = self.writer.waiting_for()
        self.notify(
            f"Writing your changes first{f' (waiting for {waiting})' if waiting else ''}; "
            f"{self._key_of('quit', 'q')} again quits without them.",
            markup=False,
            timeout=10,
        )

        def check() -> None:
            if not self.writer.pending:
                self.app.exit()

        self.set_interval(0.1, check)

    def on_unmount(self) -> None:
        self.writer.close(timeout=2)

    def on_key(self, event: events.Key) -> None:
        if event.character and event.character.isdigit() and event.key != "question_mark":
            self.count = (self.count + event.character)[-3:]
            event.stop()
        elif event.key not in ("o", "y", "equals_sign"):
            self.count = ""

    # ---- actions ------------------------------------------------------------------------------

    def action_help(self) -> None:
        from reader.ui.screens.help import HelpScreen  # (loads when first asked for)

        self.app.push_screen(HelpScreen())

    def action_back(self) -> None:
        focused = self.focused
        if focused is self.search_bar.input:
            self.close_search()
            return
        if focused is self.query_one(FindBar).input:
            self.close_find()
            return
        if isinstance(focused, ArticleView):
            if self.has_class("-narrow"):
                self.remove_class("-reading")
            self.articles.focus()
        elif isinstance(focused, ArticleList):
            if self.articles.clear_marks():
                return
            if self.searching:
                self.close_search()
                return
            if self.sidebar_mode == "hidden":
                key = self._key_of("toggle_sidebar", "s")
                self.notify(f"The sidebar is hidden: {key} shows it.", markup=False, timeout=2)
                return
            self.remove_class("-reading")
            self.query_one(Sidebar).focus()

    def action_forward(self) -> None:
        """`l`, as `h` goes back: the sidebar's entry shows its list; the list opens."""
        focused = self.focused
        if isinstance(focused, Sidebar):
            view = focused.highlighted_view
            if view is not None and view != self.view:
                self.show_view(view)
            else:
                self.articles.focus()
        elif isinstance(focused, ArticleList):
            self.articles.action_select()

    def action_space(self) -> None:
        if self.open_id is None:
            self.articles.action_select()
        elif self.body.at_end:
            self.action_next()
        else:
            self.body.page()

    def _step(self, delta: int) -> None:
        index = self.articles.index_of(self.open_id) if self.open_id is not None else None
        target = (self.articles.cursor if index is None else index) + delta
        if index is None and delta > 0:
            target = self.articles.cursor
        if not 0 <= target < len(self.articles.ids):
            self.notify(markup=False, message="No more articles in this view.", timeout=2)
            return
        self.articles.go_to(self.articles.ids[target])
        self.open_article(self.articles.ids[target], focus=self._reading_focus())

    def _reading_focus(self) -> bool:
        """Whether n/p/N should move focus to the body: when reading, or when the body is
        hidden (the list has the room), where an article opened unseen would be marked read."""
        return self.focused is self.body or self._panes is None or not self._panes.body

    def action_next(self) -> None:
        self._step(1)

    def action_previous(self) -> None:
        self._step(-1)

    def action_next_unread(self) -> None:
        """The next unread article below; after the last, the first from the top."""
        ids, cursor = self.articles.ids, self.articles.cursor
        for start, end in ((cursor + 1, len(ids)), (0, cursor + 1)):
            for offset in range(start, end, 200):
                for row in self.library.summaries_for(ids[offset : min(end, offset + 200)]):
                    if not row.read and row.id != self.open_id:
                        self.articles.go_to(row.id)
                        self.open_article(row.id, focus=self._reading_focus())
                        if start == 0:
                            self.notify("No unread below; wrapped to the top.", timeout=2)
                        return
        self.notify(markup=False, message="No unread articles in this view.", timeout=2)
