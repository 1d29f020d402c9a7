"""MainScreen's search: the `/` bar, saved searches, and find-in-article (`ctrl+f`).

The bars' messages reach the handlers here by their names (`on_search_bar_typed`):
Textual finds those on mixins too, where it collects no `@on` handlers.
"""

from __future__ import annotations

from contextlib import suppress

from rich.cells import cell_len
from rich.text import Text
from textual import work
from textual.css.query import NoMatches
from textual.timer import Timer
from textual.worker import get_current_worker

from reader.library import Library, View
from reader.library.query import Query, QueryError, as_typed, parse, view_query
from reader.library.search import SORTS
from reader.ui.screens.main_base import MainBase
from reader.ui.widgets.search_bar import FindBar, SearchBar
from reader.words import plural

DEBOUNCE = 0.15  # seconds of no typing before a search runs
PAGE = 200  # results shown before the rest (and the count) arrive
SORT_LABELS = {
    "newest": "newest first",
    "oldest": "oldest first",
    "title": "by title",
    "relevance": "best first",
}


class SearchActions(MainBase):
    """A part of MainScreen. Searches run in a thread; the newest query wins."""

    _search_timer: Timer | None = None

    @property
    def search_bar(self) -> SearchBar:
        return self.query_one(SearchBar)

    @property
    def searching(self) -> bool:
        return self.search_bar.has_class("-open")

    def action_search(self) -> None:
        self.search_bar.add_class("-open")
        self.search_bar.input.focus()
        if not self.search_text:
            self._hint()

    def close_search(self) -> None:
        self.search_bar.remove_class("-open")
        self.search_text = ""  # (closed: runs no search)
        self.search_bar.input.value = ""
        self._clear_highlights()
        self.load(select=self.articles.current)
        self.articles.focus()

    def _clear_highlights(self) -> None:
        self.body.terms = []
        if self.body.article is not None:
            self.body.show(self.body.article, keep_scroll=True)

    def on_search_bar_typed(self, event: SearchBar.Typed) -> None:
        self.search_text = event.text

    def watch_search_text(self) -> None:
        """Search once typing pauses for DEBOUNCE."""
        if self._search_timer is not None:
            self._search_timer.stop()
        if self.searching:
            self._search_timer = self.set_timer(DEBOUNCE, self.run_search)

    def on_search_bar_done(self) -> None:
        self.articles.focus()
        text = self.search_text.strip()
        if text and not self.articles.total:  # the list has nothing to go to: say why
            self.notify(f"No articles match {text}.", markup=False, timeout=3)

    def action_search_scope(self) -> None:
        self.search_everywhere = not self.search_everywhere

    def watch_search_everywhere(self) -> None:
        self.run_search()

    def action_sort(self) -> None:
        """The library's orders in turn: newest first, oldest first, by title, and in a
        search best first."""
        searching = self.searching and bool(self.search_text.strip())
        orders = [order for order in SORTS if searching or order != "relevance"]
        self.sort = (  # (shown by watch_sort)
            orders[(orders.index(self.sort) + 1) % len(orders)]
            if self.sort in orders
            else orders[0]
        )
        if not searching:
            self.notify(f"Sorted {SORT_LABELS[self.sort]}.", markup=False, timeout=2)

    def _scope(self) -> str:
        return "everything" if self.search_everywhere else self.view.label

    def _hint(self, prefix: str = "") -> None:
        self.search_bar.status(
            f"{prefix}in {self._scope()} · {SORT_LABELS[self.sort]} · "
            "ctrl+g: search everything/this view · ctrl+r: sort · S saves"
        )

    def run_search(self) -> None:
        text = self.search_text.strip()
        if not text:
            self._clear_highlights()
            self.load(select=self.articles.current)
            self._hint()
            return
        try:
            query = parse(as_typed(self.search_text).strip())
        except QueryError as exc:
            caret = " " * cell_len(text[: exc.position])
            lines = [exc.message, text, caret + "^"]  # one line each, so the caret lines up
            self.search_bar.status(
                Text("\n".join(lines), no_wrap=True, overflow="ellipsis"), error=True
            )
            return
        within = View() if self.search_everywhere else self.view
        self._search(query, within, self.sort, text)

    @work(thread=True, exclusive=True, group="search")
    def _search(self, query: Query, within: View, sort: str, text: str) -> None:
        """The newest (or best) page goes on screen at once; every match follows."""
        worker = get_current_worker()
        with Library(self.library.path) as library:
            group = self.config.group_stories
            first = library.search(query, within, sort, PAGE)
            more = len(first) == PAGE  # (told before a story's copies leave the page)
            first = library.one_per_story(first) if group else first
            short = library.coverage() if query.searches_text else None  # (while indexing)
            if worker.is_cancelled:
                return
            with suppress(RuntimeError, NoMatches):  # (the app quit, or its screen is closing)
                self.app.call_from_thread(
                    self._show_results, text, first, query.terms(), more, short
                )
                if more:
                    ids = library.search(query, within, sort, one_per_story=group)
                    if not worker.is_cancelled:
                        self.app.call_from_thread(self._all_results, text, ids, short)

    def _show_results(
        self,
        text: str,
        ids: list[int],
        terms: list[str],
        more: bool,
        short: str | None = None,
    ) -> None:
        if text != self.search_text.strip():
            return  # typing went on: a newer search is coming
        self.articles.show(ids, terms=terms)
        self._count_results(len(ids), more, short)
        self.body.terms = terms
        if self.body.article is not None:
            self.body.show(self.body.article, keep_scroll=True)

    def _all_results(self, text: str, ids: list[int], short: str | None = None) -> None:
        if text == self.search_text.strip():
            self.articles.complete(ids)
            self._count_results(len(ids), False, short)

    def _count_results(self, count: int, more: bool, short: str | None = None) -> None:
        shown = f"{count:,}+" if more else f"{count:,}"
        self.articles.border_title = Text(f"Search · {shown} · {self._scope()}")
        if short:  # the index does not cover every article yet: never silently incomplete
            self.search_bar.status(f"{shown} so far · {short}", error=True)
        elif count == 0:
            self._no_match()
        else:
            self._hint(f"{shown} matches · " if more else f"{plural(count, 'match', 'matches')} · ")

    def _no_match(self) -> None:
        """An empty result says so, and where else to look."""
        elsewhere = (
            " ctrl+g: search everything."
            if not self.search_everywhere and self.view != View()
            else ""
        )
        self.search_bar.status(
            f"No articles match {self.search_text.strip()} in {self._scope()}.{elsewhere}"
        )

    # ---- saved searches -----------------------------------------------------------------------

    def action_save_search(self) -> None:
        text = as_typed(self.search_text).strip()  # what the list shows
        if not text:
            self.notify("Search first (/), then S saves the search.", markup=False)
            return

        # A search in the sidebar's view is saved with that view's filter: the saved
        # search then finds what the list showed.
        scope = "" if self.search_everywhere else self._view_query()
        if scope is None:
            self.notify(
                f"{self.view.label} cannot be written as a filter: saving the search of "
                "everything.",
                markup=False,
                severity="warning",
            )
        query = f"{scope} {text}" if scope else text

        def save(name: str | None) -> None:
            if not (name and name.strip()):
                return

            def saved(_: object) -> None:
                self.refresh_counts()
                self.notify(f"Saved the search as {name.strip()!r}.", markup=False)

            self.writer.submit(lambda library: library.save_view(name.strip(), query), saved)

        from reader.ui.screens.dialogs import Prompt  # (dialogs load when first used)

        self.app.push_screen(Prompt("Save search", f"A name for: {query}", "", "name"), save)

    def _view_query(self) -> str | None:
        saved = self.library.saved_query(self.view.value or "") if self.view.kind == "saved" else ""
        return view_query(self.view, saved or "")

    def rename_saved(self, name: str) -> None:
        def rename(new: str | None) -> None:
            if not (new and new.strip() and new.strip() != name):
                return

            def renamed(_: object) -> None:
                self.follow_rename(self.view == View("saved", name), View("saved", new.strip()))
                self.refresh_counts()

            self.writer.submit(lambda library: library.rename_view(name, new.strip()), renamed)

        from reader.ui.screens.dialogs import Prompt

        self.app.push_screen(Prompt("Rename saved search", f"New name for {name!r}:", name), rename)

    def delete_saved(self, name: str) -> None:
        def delete(yes: bool | None) -> None:
            if not yes:
                return

            def deleted(_: object) -> None:
                if self.view == View("saved", name):
                    self.show_view(View())
                self.refresh_counts()

            self.writer.submit(lambda library: library.delete_view(name), deleted)

        from reader.ui.screens.dialogs import Confirm

        self.app.push_screen(
            Confirm(
                "Delete saved search",
                f"Delete the saved search {name!r}? (No article is changed.)",
                "Delete",
            ),
            delete,
        )

    # ---- find in the article ------------------------------------------------------------------

    def action_find(self) -> None:
        if self.body.article is None:
            return
        bar = self.query_one(FindBar)
        bar.add_class("-open")
        bar.input.focus()

    def on_find_bar_typed(self, event: FindBar.Typed) -> None:
        count = self.body.find(event.text)
        self._found(1 if count else 0, count)

    def on_find_bar_done(self) -> None:
        self.action_find_next(1)

    def action_find_next(self, delta: int) -> None:
        self._found(*self.body.find_next(delta))

    def _found(self, position: int, count: int) -> None:
        bar = self.query_one(FindBar)
        bar.input.border_title = f"{position}/{count}" if count else "no match"

    def close_find(self) -> None:
        bar = self.query_one(FindBar)
        bar.remove_class("-open")
        bar.input.value = ""
        self.body.find("")
        self.body.focus()
