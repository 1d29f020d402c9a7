"""The kinds of view a list can show, in one table that the sidebar, the settings, the
queries, the stats and the CLI read. Adding a kind is one entry here, plus its filter in
`QueryMixin._where` when it is a new one.

A kind is *fixed* (All, Unread, Bookmarked: one entry at the top of the sidebar, counted
by `where`) or *named* (a source, a category, a tag, a saved search: one entry per name,
under a heading)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Kind:
    name: str  # View.kind
    label: str  # a fixed view's name; a named one's view reads "Tag: 汇率" (its name titled)
    # How `_where` filters it: "all", "state" (`where`), "source", "term" (categories and
    # tags), "query" (a saved or typed search).
    filter: str
    where: str = ""  # a fixed kind's SQL condition on `articles a`
    heading: str = ""  # a named kind's sidebar section ("" : never in the sidebar)
    setting: str = ""  # its name in the settings file's `sidebar` list (and in `stats`)
    field: str = ""  # the query field that finds one of its views (`tag:"汇率"`)

    @property
    def fixed(self) -> bool:
        return self.filter in ("all", "state")


KINDS = (
    Kind("all", "All", "all"),
    Kind("unread", "Unread", "state", where="a.read = 0", field="is"),
    Kind("bookmarked", "Bookmarked", "state", where="a.bookmarked = 1", field="is"),
    Kind("saved", "Saved", "query", heading="Saved searches", setting="saved"),
    Kind("source", "Source", "source", heading="Sources", setting="sources", field="source"),
    Kind("category", "Category", "term", heading="Categories", setting="categories", field="cat"),
    Kind("tag", "Tag", "term", heading="Tags", setting="tags", field="tag"),
    Kind("search", "Search", "query"),
)
BY_NAME = {kind.name: kind for kind in KINDS}
FIXED = tuple(kind for kind in KINDS if kind.fixed)
# The sidebar's sections by their settings name, in the sidebar's order.
SECTIONS = {kind.setting: kind for kind in KINDS if kind.setting}
# Named kinds whose names the library lists with counts (`facets`; saved searches are
# counted as searches).
LISTED = tuple(kind for kind in KINDS if kind.filter in ("source", "term"))
