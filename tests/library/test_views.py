"""The kinds of view (reader/library/views.py) are one table: every place that lists them
reads it, so a kind added there is shown, counted, filtered and configurable at once."""

from __future__ import annotations

from reader import config
from reader.library import Library, View
from reader.library.query import view_query
from reader.library.views import BY_NAME, FIXED, KINDS, LISTED, SECTIONS

FILTERS = {"all", "state", "source", "term", "query", "ignored"}


def test_every_kind_has_a_filter_the_library_knows(library: Library) -> None:
    assert {kind.filter for kind in KINDS} <= FILTERS
    for kind in KINDS:
        named = not kind.fixed and kind.filter != "ignored"
        view = View(kind.name, "汇率" if named else None)
        library.ids(view)  # (raises on a kind the queries do not handle)
        assert view.label == f"{kind.label}: 汇率" if named else view.label == kind.label


def test_the_fixed_views_are_counted_and_the_listed_kinds_are_in_the_stats(
    library: Library,
) -> None:
    assert set(library.view_counts()) == {kind.name for kind in FIXED}
    stats = library.stats()
    assert all(isinstance(stats[kind.setting], list) for kind in LISTED)


def test_the_settings_sidebar_names_are_the_tables() -> None:
    assert tuple(SECTIONS) == config.SECTIONS
    assert SECTIONS.keys() == {"saved", "sources", "categories", "tags", "authors"}
    assert config.SHOWN == ("saved", "sources", "categories", "tags")  # Authors: off
    assert all(SECTIONS[name].heading for name in SECTIONS)


def test_a_view_of_each_kind_is_written_as_a_query() -> None:
    assert view_query(View("unread")) == "is:unread"
    assert view_query(View("tag", "汇率")) == 'tag:"汇率"'
    assert view_query(View("category", "新闻")) == 'cat:"新闻"'
    assert view_query(View("source", 'a "b"')) is None  # (no query can hold the quote)
    assert view_query(View("search", "x")) is None
    assert BY_NAME["all"].fixed and not BY_NAME["tag"].fixed
