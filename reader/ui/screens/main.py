"""The main screen: sidebar, article list, article body and tags, and the reading keys."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList

from reader.config import WIDTHS, Config
from reader.library import Facet, Library, View
from reader.library.query import parse
from reader.ui.commands import ArticleCommands, TagCommands
from reader.ui.screens.feed_actions import FeedActions
from reader.ui.screens.search_actions import SearchActions
from reader.ui.screens.state_actions import StateActions
from reader.ui.widgets import ArticleList, ArticleView, Sidebar, TagPane
from reader.ui.widgets.search_bar import FindBar, SearchBar
from reader.ui.widgets.sidebar import SECTIONS, parse_view_id, view_id

NARROW = 100  # below this many columns an open article takes the whole width
PAGE = 200  # rows loaded before the first paint; the rest follow from a worker
WATCH = 2.0  # seconds between looks for changes made by others (an import, another app)


class MainScreen(StateActions, SearchActions, FeedActions, Screen[None]):
    AUTO_FOCUS = "#article-list"
    COMMANDS = {TagCommands, ArticleCommands}
    BINDINGS = [
        Binding("q", "app.quit", "Quit", id="quit"),
        Binding("question_mark", "help", "Help", id="help"),
        Binding("escape,h", "back", "Back", show=False, id="back"),
        Binding("space", "space", "Page", show=False, id="page"),
        Binding("n", "next", "Next", id="next"),
        Binding("p", "previous", "Prev", id="previous"),
        Binding("N", "next_unread", "Next unread", id="next_unread"),
        Binding("r", "toggle_read", "Read", id="read"),
        Binding("b", "toggle_bookmark", "Bookmark", id="bookmark"),
        Binding("B", "edit_note", "Note", show=False, id="note"),
        Binding("t", "edit_tags", "Tags", id="tags"),
        Binding("u", "undo", "Undo", show=False, id="undo"),
        Binding("slash", "search", "Search", id="search"),
        Binding("S", "save_search", "Save search", show=False, id="save_search"),
        Binding("ctrl+g", "search_scope", "Search scope", show=False, id="search_scope"),
        Binding("ctrl+r", "sort", "Sort", show=False, id="sort"),
        Binding("ctrl+f", "find", "Find", show=False, id="find"),
        Binding("o", "open_link", "Open link", id="open_link"),
        Binding("y", "copy_link", "Copy link", show=False, id="copy_link"),
        Binding("T", "app.change_theme", "Theme", show=False, id="theme"),
        Binding("less_than_sign", "width(-4)", "Narrower", show=False, id="narrower"),
        Binding("greater_than_sign", "width(4)", "Wider", show=False, id="wider"),
        Binding("R", "refresh_feeds", "Refresh feeds", show=False, id="refresh"),
    ]

    def __init__(self, library: Library, config: Config) -> None:
        super().__init__()
        self.library = library
        self.config = config
        self.sort = config.sort  # newest or oldest; in a search, relevance too
        self.view = View()
        self.open_id: int | None = None
        self.count = ""  # a number typed before `o` or `y`

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            yield Sidebar(id="sidebar")
            with Vertical(id="list-column"):
                yield SearchBar(id="search-bar")
                yield ArticleList(
                    self.library.summaries_for, self.config.date_format, id="article-list"
                )
                yield TagPane(id="tag-pane")
            with Vertical(id="body-column"):
                yield ArticleView(
                    self.config.reading_width, self.config.date_format, id="article-view"
                )
                yield FindBar(id="find-bar")
        yield Footer()

    @property
    def articles(self) -> ArticleList:
        return self.query_one(ArticleList)

    @property
    def body(self) -> ArticleView:
        return self.query_one(ArticleView)

    def on_mount(self) -> None:
        saved = self.library.setting("ui.view")
        self.view = parse_view_id(saved) if saved else View()
        last = self.library.setting("ui.article")
        self.load(select=int(last) if last and last.isdigit() else None)
        # What the first paint does not need waits until it is on screen.
        self.call_after_refresh(self._restore, int(last) if last and last.isdigit() else None)
        self._seen_version = self.library.data_version()
        self.set_interval(WATCH, self.pick_up_changes)

    def pick_up_changes(self, announce: bool = True) -> None:
        """Show what another process wrote: new articles from `newsreader import`, state
        changed in a second app. Cheap when nothing changed (one PRAGMA)."""
        version = self.library.data_version()
        if version == self._seen_version:
            return
        self._seen_version = version
        before, marked = self.articles.total, set(self.articles.marked)
        if not self.searching:
            self.load(select=self.articles.current)
            self.articles.marked = marked & set(self.articles.ids)  # the reader's marks stay
            if announce and self.articles.total > before:
                count = self.articles.total - before
                self.notify(f"{count} new article{'s' * (count != 1)}.", markup=False, timeout=3)
        self.refresh_counts()

    def _restore(self, last: int | None) -> None:
        if self.open_id is None and last is not None and self.articles.current == last:
            self.open_article(last, focus=False, mark=False)
        else:
            self._warm_up()
        self.refresh_counts()

    @work(thread=True, group="warm-up")
    def _warm_up(self) -> None:
        """Load the Markdown parser now, so opening the first article does not wait for it."""
        from reader.ui.render import _parser

        _parser()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < NARROW, "-narrow")

    # ---- loading ------------------------------------------------------------------------------

    def load(self, select: int | None = None) -> None:
        """Show the view: its first page at once, the rest of its ids from a worker."""
        try:
            first = self.library.ids(self.view, limit=PAGE, order=self.sort)
            total = self.library.count(self.view)
        except ValueError:  # a view that no longer exists or parses: back to All
            self.view = View()
            first = self.library.ids(self.view, limit=PAGE, order=self.sort)
            total = self.library.count(self.view)
        terms = []
        if self.view.kind == "saved":
            terms = parse(self.library.saved_query(self.view.value or "") or "").terms()
        self.articles.show(first, select, terms=terms, total=total)
        self.body.terms = terms
        self._title(total)
        self._feed_error_subtitle()
        if total > len(first):  # its rows are Python work: not while the page paints
            self.call_after_refresh(self._load_all, self.view, self.sort)

    def _title(self, total: int) -> None:
        order = " · oldest first" if self.sort == "oldest" else ""
        self.articles.border_title = Text(f"{self.view.label} · {total}{order}")  # names: data

    @work(thread=True, exclusive=True, group="ids")
    def _load_all(self, view: View, order: str) -> None:
        with Library(self.library.path) as library:
            ids = library.ids(view, order=order)
        self.app.call_from_thread(self._loaded, view, order, ids)

    def _loaded(self, view: View, order: str, ids: list[int]) -> None:
        if view == self.view and order == self.sort and not self.searching:
            self.articles.complete(ids)

    def refresh_counts(self) -> None:
        self._count()

    @work(thread=True, exclusive=True, group="counts")
    def _count(self) -> None:
        """Sidebar counts come from their own connection: aggregates over 100k rows take ms."""
        from reader.library.feeds import failing as feed_errors  # (urllib: not at start-up)

        with Library(self.library.path) as library:
            counts = library.view_counts()
            facets = {
                kind: library.facets(kind)
                for kind, _ in (SECTIONS[name] for name in self.config.sidebar)
                if kind != "saved"
            }
            if "saved" in self.config.sidebar:
                facets["saved"] = [
                    Facet(saved.name, library.count(View("saved", saved.name)))
                    for saved in library.saved_views()
                ]
            failing = feed_errors(library)
        self.app.call_from_thread(self._counted, counts, facets, failing)

    def _counted(
        self, counts: dict[str, int], facets: dict[str, list[Facet]], failing: dict[str, str]
    ) -> None:
        self.feed_errors = failing
        self.query_one(Sidebar).fill(counts, facets, self.view, self.config.sidebar, failing)
        # The list's title counts as the sidebar does (an article read in Unread stays
        # listed until the view reloads, but no longer counts).
        kind, name = self.view.kind, self.view.value
        total = counts.get(kind)
        if total is None:
            total = next((f.count for f in facets.get(kind, ()) if f.name == name), None)
        if total is not None and not self.searching:
            self._title(total)
        self._feed_error_subtitle()

    # ---- events -------------------------------------------------------------------------------

    @on(OptionList.OptionSelected, "#sidebar")
    def choose_view(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.show_view(parse_view_id(event.option.id))

    def show_view(self, view: View) -> None:
        self.view = view
        self.library.set_setting("ui.view", view_id(view))
        self.load()
        self.articles.focus()
        self.refresh_counts()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "search-input":
            self.typed(event)
        elif event.input.id == "find-input":
            self.find_typed(event)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "search-input":
            self.submitted()
        elif event.input.id == "find-input":
            self.find_submitted()

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
            self.view = View()
            self.load()
        index = self.articles.index_of(article_id)
        if index is not None:
            self.articles.cursor = index
        self.open_article(article_id)

    def open_article(self, article_id: int, focus: bool = True, mark: bool = True) -> None:
        article = self.library.article(article_id)
        if article is None:
            return
        if mark and self.config.mark_read_on_open and not article.read:
            self.library.set_read([article_id], True)
            self.articles.reload([article_id])
            self.call_after_refresh(self.refresh_counts)  # the article first, then the counts
        self.open_id = article_id
        self.library.set_setting("ui.article", str(article_id))
        self.body.show(article)
        if focus:
            if self.has_class("-narrow"):  # a class change restyles every widget: only when
                self.add_class("-reading")  # it changes the layout
            self.body.focus()

    def on_key(self, event: events.Key) -> None:
        if event.character and event.character.isdigit() and event.key != "question_mark":
            self.count = (self.count + event.character)[-3:]
            event.stop()
        elif event.key not in ("o", "y"):
            self.count = ""

    # ---- actions ------------------------------------------------------------------------------

    def action_width(self, delta: int) -> None:
        """Narrow or widen the reading column; the app saves the width to the config."""
        body = self.body
        width = max(WIDTHS[0], min(WIDTHS[-1], body.reading_width + delta))
        if width != body.reading_width:
            body.reading_width = width
            body.on_resize()
            self.app.save_setting("reading_width", width)  # type: ignore[attr-defined]
        self.notify(f"Reading width: {width} columns.", markup=False, timeout=1.5)

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
            self.remove_class("-reading")
            self.query_one(Sidebar).focus()

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
        self.articles.cursor = target
        self.open_article(self.articles.ids[target], focus=self._reading_focus())

    def _reading_focus(self) -> bool:
        """Whether n/p/N should move focus to the body: when reading, or when the body is
        hidden (a narrow terminal), where an article opened unseen would be marked read."""
        return self.focused is self.body or self.has_class("-narrow")

    def action_next(self) -> None:
        self._step(1)

    def action_previous(self) -> None:
        self._step(-1)

    def action_next_unread(self) -> None:
        ids = self.articles.ids
        start = self.articles.cursor + 1
        for offset in range(start, len(ids), 200):
            for row in self.library.summaries_for(ids[offset : offset + 200]):
                if not row.read and row.id != self.open_id:
                    self.articles.cursor = ids.index(row.id, offset)
                    self.open_article(row.id, focus=self._reading_focus())
                    return
        self.notify(markup=False, message="No unread articles below this one.", timeout=2)

    def _link(self) -> str | None:
        """The link a key acts on: link [N] after a typed number, else the article's own."""
        number, self.count = self.count, ""
        article = self.body.article
        if article is None and self.articles.current is not None:
            article = self.library.article(self.articles.current)
        if article is None:
            return None
        if number:
            links = self.body.links if self.body.article is article else []
            if not 1 <= int(number) <= len(links):
                self.notify(
                    markup=False,
                    message=f"There is no link [{number}] in this article.",
                    severity="warning",
                )
                return None
            return urljoin(article.url or "", links[int(number) - 1])
        if not article.url:
            self.notify(markup=False, message="This article has no link.", severity="warning")
        return article.url

    def action_open_link(self) -> None:
        url = self._link()
        if url is None:
            return
        scheme = urlsplit(url).scheme.lower()
        if scheme not in ("http", "https"):
            self.notify(
                markup=False,
                message=f"Not opening {url[:80]!r}: only http and https links are opened.",
                severity="warning",
            )
            return
        self._browse(url)
        self.notify(markup=False, message=f"Opening {url[:100]}", timeout=3)

    @work(thread=True, group="browser")
    def _browse(self, url: str) -> None:
        import webbrowser  # (not at start-up)

        webbrowser.open(url)  # no shell: webbrowser runs the browser with an argument list

    def action_copy_link(self) -> None:
        url = self._link()
        if url:
            self.app.copy_to_clipboard(url)
            self.notify(markup=False, message=f"Copied {url[:100]}", timeout=3)
