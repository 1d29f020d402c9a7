"""The kinds of view a list can show, in one table that the sidebar, the settings, the
queries, the stats and the CLI read. Adding a kind is one entry here, plus its filter in
`QueryMixin._where` when it is a new one.

A *term* kind is also an article field: a list of names read from the front matter keys
`front` (and from a feed entry's `Entry.extra`), kept in the `terms` table, shown in the
article's header and `show`, printed by `list --json`, found by `field:NAME` and listed
under `heading` in the sidebar. Categories and tags, older, also have columns of their
own; a new one (author) is one entry here and flows through `EXTRA`.

A kind is *fixed* (All, Unread, Bookmarked: one entry at the top of the sidebar, counted
by `where`) or *named* (a source, a category, a tag, a saved search: one entry per name,
under a heading)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Kind:
    name: str  # View.kind
    label: str  # a fixed view's name; a named one's view reads "Tag: 汇率" (its name titled)
    # How `_where` filters it: "all", "state" (`where`), "source", "term" (categories and
    # tags), "query" (a saved or typed search), "ignored" (what the ignore rules hide).
    filter: str
    where: str = ""  # a fixed kind's SQL condition on `articles a`
    heading: str = ""  # a named kind's sidebar section ("" : never in the sidebar)
    setting: str = ""  # its name in the settings file's `sidebar` list (and in `stats`)
    field: str = ""  # the query field that finds one of its views (`tag:"汇率"`)
    about: str = ""  # what `field:NAME` finds, for the query help
    front: tuple[str, ...] = ()  # a term kind's front matter keys (names from each, merged)
    # a front matter string names several, space-separated (Jekyll's tags), not one
    words: bool = False
    prefix: bool = False  # `field:` takes a unique start of a name (`tag:汇` for 汇率)
    shown: bool = True  # a section of the default sidebar (`sidebar` in the settings)

    @property
    def fixed(self) -> bool:
        return self.filter in ("all", "state")


KINDS = (
    Kind("all", "All", "all"),
    Kind("unread", "Unread", "state", where="a.read = 0", field="is"),
    Kind("bookmarked", "Bookmarked", "state", where="a.bookmarked = 1", field="is"),
    Kind("saved", "Saved", "query", heading="Saved searches", setting="saved"),
    Kind("source", "Source", "source", heading="Sources", setting="sources", field="source"),
    Kind(
        "category",
        "Category",
        "term",
        heading="Categories",
        setting="categories",
        field="cat",
        front=("categories", "category"),
        words=True,
    ),
    Kind(
        "tag",
        "Tag",
        "term",
        heading="Tags",
        setting="tags",
        field="tag",
        front=("tags", "tag"),
        words=True,
        prefix=True,
    ),
    Kind(
        "author",
        "Author",
        "term",
        heading="Authors",
        setting="authors",
        field="author",
        about="by the author (a unique start of the name will do)",
        front=("author", "authors"),
        prefix=True,
        shown=False,
    ),
    Kind("search", "Search", "query"),
    # what the ignore rules hide (reader/library/ignore.py): the one view that shows them
    Kind("ignored", "Hidden by rules", "ignored"),
)
BY_NAME = {kind.name: kind for kind in KINDS}
FIXED = tuple(kind for kind in KINDS if kind.fixed)
# The sidebar's sections by their settings name, in the sidebar's order.
SECTIONS = {kind.setting: kind for kind in KINDS if kind.setting}
# Named kinds whose names the library lists with counts (`facets`; saved searches are
# counted as searches).
LISTED = tuple(kind for kind in KINDS if kind.filter in ("source", "term"))
# Term kinds with no column of their own: records carry them in `extra` ({kind: names}).
COLUMNED = ("category", "tag")
EXTRA = tuple(kind for kind in KINDS if kind.filter == "term" and kind.name not in COLUMNED)
# The query fields that name a term (`tag`, `cat`, `author`…) and their kinds.
TERM_FIELDS = {kind.field: kind for kind in KINDS if kind.filter == "term"}


def labelled(extra: Mapping[str, Sequence[str]]) -> list[tuple[str, str]]:
    """(label, names) for each of EXTRA's kinds an article has, for its header and `show`:
    ("Author", "张三") or ("Authors", "张三, 李四")."""
    found = ((kind, extra.get(kind.name, ())) for kind in EXTRA)
    return [(kind.label if len(n) == 1 else kind.heading, ", ".join(n)) for kind, n in found if n]
