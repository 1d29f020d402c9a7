"""MainScreen's loading: a view's rows (its first page at once, the rest from a worker),
the sidebar's counts, and what other processes changed in the library."""

from __future__ import annotations

import time
from contextlib import suppress

from rich.text import Text
from textual import work
from textual.css.query import NoMatches

from reader.library import Facet, Library, View
from reader.library.query import parse
from reader.library.views import LISTED, SECTIONS
from reader.ui.screens.main_base import MainBase
from reader.ui.widgets import Sidebar
from reader.words import plural

PAGE = 200  # rows loaded before the first paint; the rest follow from a worker


class ViewLoading(MainBase):
    """A part of MainScreen."""

    _before_hidden = View()  # the view `H` came from, to go back to

    def show_view(self, view: View) -> None:
        """A view chosen in the sidebar: shown, the list focused."""
        self.change_view(view)
        self.articles.focus()
        self.refresh_counts()

    def change_view(self, view: View, select: int | None = None) -> None:
        """Show `view`, the cursor on `select` if it has that article."""
        self.landing = select
        self.view = view

    def action_show_hidden(self) -> None:
        """What the ignore rules hide, for a moment; again: back to the view before."""
        if self.view.kind == "ignored":
            self.show_view(self._before_hidden)
        elif not self.library.rules():
            self.notify(
                "No ignore rules: the `ignore` setting hides articles (docs/guide.md, Ignore"
                " rules).",
                markup=False,
                timeout=3,
            )
        else:
            self._before_hidden = self.view
            self.show_view(View("ignored"))

    def follow_rename(self, showing: bool, renamed: View) -> None:
        """A sidebar entry renamed: shown, the view follows its new name; the sidebar's
        cursor stays on it."""
        if showing:
            self.change_view(renamed, self.articles.current)
        self.query_one(Sidebar).follow = renamed.encoded

    def watch_view(self, view: View) -> None:
        """The one path a new view takes: remembered for the next start, and loaded."""
        value = view.encoded
        if view.kind != "ignored":  # (for a moment: not where the next start opens)
            self.writer.submit(lambda library: library.set_setting("ui.view", value), quiet=True)
        select, self.landing = self.landing, None
        self.load(select=select)

    def watch_sort(self) -> None:
        if self.searching and self.search_text.strip():
            self.run_search()
        else:
            self.load(select=self.articles.current)

    def pick_up_changes(self, announce: bool = True) -> None:
        """Show what another process wrote: new articles from `newsreader import`, state
        changed in a second app. Cheap when nothing changed (one PRAGMA)."""
        version = self.library.data_version()
        if version == self._seen_version or not self.reload_due():
            return
        self._seen_version = version
        self._reloaded_at = time.monotonic()
        self.writer.others_wrote = False
        if not self.searching:  # (an import beside the app: its own lines say it all,
            announce = announce and self.importing is None  # also once it has just ended)
            self.load(select=self.articles.current, keep_place=True, announce=announce)
        self.refresh_counts()

    def load(
        self,
        select: int | None = None,
        keep_place: bool = False,
        announce: bool = False,
    ) -> None:
        """Show the view: its first page at once, the rest of its ids from a worker.

        `keep_place`: the view again, as others changed it; when it shows rows, they are
        replaced all at once, from a worker, the cursor kept on its article at its row on
        screen (articles arriving above it do not push it down). `announce`: say how many
        articles are new."""
        if keep_place and self.articles.ids:
            self._reload(self.view, self.sort, announce)
            return
        before = self.articles.total
        try:
            first = self.library.ids(self.view, PAGE, self.sort, self.config.group_stories)
            total = self._count_now(first)
        except ValueError:  # a view that no longer exists or parses: back to All
            self.landing = select
            self.view = View()
            return
        terms = []
        if self.view.kind == "saved":
            terms = parse(self.library.saved_query(self.view.value or "") or "").terms()
        self.articles.show(first, select, terms=terms, total=total)
        self.body.terms = terms
        self._title(total)
        self._feed_error_subtitle()
        if total > len(first) or len(first) == PAGE:  # the rest: not while the page paints
            self.call_after_refresh(self._load_all, self.view, self.sort)
        if announce and total > before:
            self._announce(total - before)

    def _announce(self, count: int) -> None:
        self.notify(f"{plural(count, 'new article')}.", markup=False, timeout=3)

    def _count_now(self, first: list[int]) -> int:
        """The view's size, or for a saved search, the rows so far: counting a search can
        take seconds on a big library (its ids come from the worker, with their number)."""
        if self.view.kind == "saved":
            return len(first)
        return self.library.count(self.view, self.config.group_stories)

    def _title(self, total: int) -> None:
        order = {"oldest": " · oldest first", "title": " · by title"}.get(self.sort, "")
        self.articles.border_title = Text(f"{self.view.label} · {total}{order}")  # names: data

    @work(thread=True, exclusive=True, group="ids")
    def _load_all(self, view: View, order: str) -> None:
        with Library(self.library.path) as library:
            ids = library.ids(view, order=order, one_per_story=self.config.group_stories)
        with suppress(RuntimeError, NoMatches):  # (the app quit, or its screen is closing)
            self.app.call_from_thread(self._loaded, view, order, ids)

    @work(thread=True, exclusive=True, group="ids")
    def _reload(self, view: View, order: str, announce: bool) -> None:
        with Library(self.library.path) as library:
            ids = library.ids(view, order=order, one_per_story=self.config.group_stories)
        with suppress(RuntimeError, NoMatches):  # (the app quit, or its screen is closing)
            self.app.call_from_thread(self._reloaded, view, order, ids, announce)

    def _reloaded(self, view: View, order: str, ids: list[int], announce: bool) -> None:
        if view != self.view or order != self.sort or self.searching:
            return
        before = self.articles.total
        self.articles.replace(ids)
        self._title(len(ids))
        if announce and len(ids) > before:
            self._announce(len(ids) - before)

    def _loaded(self, view: View, order: str, ids: list[int]) -> None:
        if view == self.view and order == self.sort and not self.searching:
            self.articles.complete(ids)
            if view.kind == "saved":
                self._title(len(ids))

    def refresh_counts(self) -> None:
        self._count()

    @work(thread=True, exclusive=True, group="counts")
    def _count(self) -> None:
        """Sidebar counts come from their own connection: aggregates over 100k rows take ms."""

        with Library(self.library.path) as library:
            counts = library.view_counts(self.config.group_stories)
            facets = {
                SECTIONS[name].name: library.facets(SECTIONS[name].name)
                for name in self.config.sidebar
                if SECTIONS[name] in LISTED
            }
            if "saved" in self.config.sidebar:
                facets["saved"] = [
                    Facet(saved.name, library.count(View("saved", saved.name)))
                    for saved in library.saved_views()
                ]
            failing = library.failing_feeds()
        with suppress(RuntimeError, NoMatches):  # (the app quit, or its screen is closing)
            self.app.call_from_thread(self._counted, counts, facets, failing)

    def _counted(
        self,
        counts: dict[str, int],
        facets: dict[str, list[Facet]],
        failing: dict[str, str],
    ) -> None:
        self.feed_errors = failing
        for sidebar in self.query(Sidebar):  # (none once the screen is closing)
            sidebar.fill(counts, facets, self.view, self.config.sidebar, failing)
        # The list's title counts as the sidebar does (an article read in Unread stays
        # listed until the view reloads, but no longer counts).
        kind, name = self.view.kind, self.view.value
        total = counts.get(kind)
        if total is None:
            total = next((f.count for f in facets.get(kind, ()) if f.name == name), None)
        if total is not None and not self.searching:
            self._title(total)
        self._feed_error_subtitle()
