"""Orders of lists and searches: undated articles after the dated ones, ties by the numbers
in their titles, natural title order, and every order walked along an index."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from library_helpers import index_consistent
from test_migrations import build_v1, migrate_to

from reader.library import Library, ParsedArticle, View
from reader.library.ignore import Rule
from reader.library.order import LIST_SORTS, tie_key, title_key
from reader.library.query import QueryError, parse
from reader.library.search import SORTS


def save(
    library: Library,
    title: str,
    day: str | None = None,
    tags: tuple[str, ...] = (),
    root: str = "/weekly",
) -> int:
    """Store an article as the importer would; `day` None: undated (its file is new)."""
    stamp = datetime.fromisoformat(day).replace(tzinfo=UTC).timestamp() if day else None
    path = f"{root}/{title}.md"
    item = ParsedArticle(
        path=path,
        title=title,
        date=day,
        timestamp=stamp,
        categories=(),
        tags=tags,
        url=None,
        kind="markdown",
        body="本期 weekly\n",
        text="本期 weekly",
        words=2,
        chars=9,
    )
    digest = hashlib.blake2b(path.encode(), digest_size=16).hexdigest()
    now = int(datetime.now(UTC).timestamp() * 1e9)  # undated: sorted by file time before
    with library.transaction():
        article_id = library.save(item, library.root_id(root), 10, now, digest)[0]
    library.index_pending()
    return article_id


def weekly_title(number: int) -> str:
    return f"每周分享第 {number} 期" if number % 10 == 0 else f"科技爱好者周刊：第 {number} 期"


@pytest.fixture
def weekly(library: Library) -> dict[str, list[int]]:
    """120 undated issues saved in path-text order, and three dated posts, one of today."""
    by_number = {}
    for number in sorted(range(1, 121), key=lambda n: weekly_title(n)):
        by_number[number] = save(library, weekly_title(number))
    today = datetime.now(UTC).date().isoformat()
    dated = [
        save(library, "今日要闻 weekly", today),
        save(library, "Old weekly", "2020-01-02"),
        save(library, "Older weekly", "2019-05-01"),
    ]
    undated = [by_number[n] for n in range(120, 0, -1)]
    return {"newest": dated + undated, "oldest": dated[::-1] + undated[::-1]}


@pytest.mark.parametrize("order", ["newest", "oldest"])
def test_undated_articles_follow_the_dated_ones_newest_number_first(
    library: Library, weekly: dict[str, list[int]], order: str
) -> None:
    expected = weekly[order]
    assert library.ids(order=order) == expected
    assert [s.id for s in library.summaries(limit=-1, order=order)] == expected
    assert library.ids(View("unread"), order=order) == expected  # a partial index: same order
    for size in (1, 2, 3, 4, 50):
        assert library.ids(order=order, limit=size) == expected[:size]
        page = library.summaries(offset=size, limit=7, order=order)
        assert [s.id for s in page] == expected[size : size + 7]
    # The search index walks its own order: the same one, for any page size.
    assert library.search(parse("weekly OR 期"), sort=order) == expected
    assert library.search(parse("is:unread"), sort=order) == expected
    for size in (1, 3, 4, 5, 64):
        assert library.search(parse("weekly OR 期"), sort=order, limit=size) == expected[:size]
    library.set_bookmark(expected[2:6], True)
    assert library.ids(View("bookmarked"), order=order) == expected[2:6]
    assert library.search(parse("期"), within=View("bookmarked"), sort=order) == expected[2:6]


def test_ties_of_one_date_go_by_the_numbers_in_their_titles(library: Library) -> None:
    issues = {n: save(library, weekly_title(n), "2024-03-01") for n in (9, 100, 99, 407, 89)}
    newest = [issues[n] for n in (407, 100, 99, 89, 9)]
    assert library.ids() == newest
    assert library.search(parse("期")) == newest
    assert library.ids(order="oldest") == newest[::-1]
    assert library.search(parse("期"), sort="oldest") == newest[::-1]


def test_sort_by_title_is_natural_and_ignores_case(library: Library) -> None:
    titles = ["第10期", "banana 9", "第2期", "Banana 10", "apple", "Zebra", "第 1 期", "Apple 2"]
    ids = {title: save(library, title, "2022-01-01" if "a" in title else None) for title in titles}
    expected = ["apple", "Apple 2", "banana 9", "Banana 10", "Zebra", "第 1 期", "第2期", "第10期"]
    assert library.ids(order="title") == [ids[t] for t in expected]
    assert [s.title for s in library.summaries(order="title", limit=3)] == expected[:3]
    assert library.search(parse("weekly"), sort="title") == [ids[t] for t in expected]
    assert library.search(parse("weekly"), sort="title", limit=2) == [ids[t] for t in expected[:2]]
    assert library.search(parse("is:unread"), sort="title") == [ids[t] for t in expected]


def test_keys_compare_numbers_by_value() -> None:
    assert title_key("第2期") < title_key("第10期") < title_key("第10期a")
    assert title_key("ABC") == title_key("abc")
    assert title_key("issue 007") == title_key("issue 7")
    assert tie_key("每周分享第 9 期") < tie_key("周刊：第 89 期") < tie_key("周刊：第 407 期")
    assert tie_key("2022 report 5") < tie_key("2022 report 10")
    assert tie_key("no numbers") < tie_key("1 number")


def test_the_sorts_are_named_for_the_app() -> None:
    assert LIST_SORTS == ("newest", "oldest", "title")
    assert SORTS == ("newest", "oldest", "title", "relevance")


@pytest.mark.parametrize("rules", [(), (Rule("title:nothing OR tag:y"),)], ids=["", "ignoring"])
@pytest.mark.parametrize("order", LIST_SORTS)
@pytest.mark.parametrize(
    "view",
    [View(), View("unread"), View("bookmarked"), View("tag", "x"), View("source", "weekly")],
    ids=str,
)
def test_a_first_page_walks_an_index_without_sorting(
    library: Library,
    weekly: dict[str, list[int]],
    order: str,
    view: View,
    rules: tuple[Rule, ...],
) -> None:
    """100k articles: a first page that sorts every row costs ~100 ms, one that walks an
    index ~1 ms (a tag's articles are checked along it). SQLite says which it does. Ignore
    rules are checked along it too."""
    library.use_rules(rules)
    plans: list[str] = []
    real = library.db
    library.db = _Explaining(real, plans)  # type: ignore[assignment]
    try:
        library.ids(view, limit=100, order=order)
    finally:
        library.db = real
    assert plans
    for plan in plans:
        assert "USE TEMP B-TREE" not in plan, plan
        assert "articles_" in plan, plan


class _Explaining:
    """A connection that records the query plan of each SELECT it runs."""

    def __init__(self, db: object, plans: list[str]) -> None:
        self.db, self.plans = db, plans

    def execute(self, sql: str, args: tuple = ()) -> object:
        if sql.startswith("SELECT") and "count(*)" not in sql and "FROM articles" in sql:
            rows = self.db.execute(f"EXPLAIN QUERY PLAN {sql}", args)  # type: ignore[attr-defined]
            self.plans.append(" | ".join(row[-1] for row in rows))
        return self.db.execute(sql, args)  # type: ignore[attr-defined]

    def __getattr__(self, name: str) -> object:
        return getattr(self.db, name)


def test_an_older_library_gets_the_new_order_and_keeps_its_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.db"
    build_v1(path)  # article 1 is dated, article 2 undated with an old file time
    migrate_to(path, 7, monkeypatch)
    with Library(path) as library:
        assert library.ids() == [1, 2]
        assert library.ids(order="oldest") == [1, 2]
        library.index_pending()  # (schema 9 makes the index again)
        assert library.search(parse("zebra OR giraffe"), sort="oldest") == [1, 2]
        assert library.article(2).title == "Second"  # type: ignore[union-attr]
        index_consistent(library, tmp_path)


# ---- tags and sources by a unique prefix --------------------------------------------------------


@pytest.fixture
def tagged(library: Library) -> dict[str, int]:
    names = ["外汇", "外汇储备", "外贸", "Python"]
    return {name: save(library, f"post {name}", "2022-01-01", tags=(name,)) for name in names}


def test_an_exact_name_wins_over_longer_ones(library: Library, tagged: dict[str, int]) -> None:
    assert library.search(parse("tag:外汇")) == [tagged["外汇"]]
    assert library.search(parse("tag:外汇储")) == [tagged["外汇储备"]]
    assert library.search(parse("tag:py")) == [tagged["Python"]]
    assert library.resolve(parse("tag:PY weekly")).groups[0][0].value == "Python"


def test_an_ambiguous_prefix_names_what_it_could_be(
    library: Library, tagged: dict[str, int]
) -> None:
    with pytest.raises(QueryError) as caught:
        library.resolve(parse("weekly -tag:外"))
    assert caught.value.position == 7
    assert caught.value.message == "tag:外 could be 外汇, 外汇储备, 外贸"
    assert library.search(parse("tag:外")) == []  # searching is lenient: no such tag
    save(library, "elsewhere", "2022-01-01", root="/feeds/weeks")
    with pytest.raises(QueryError, match="source:wee could be weekly, weeks"):
        library.resolve(parse("source:wee"))
    assert library.resolve(parse("source:WEEKS")).groups[0][0].value == "weeks"
