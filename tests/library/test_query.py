"""The search language: what each query parses to, and clear errors with their positions."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.library import Library, View, import_paths
from reader.library.query import Item, Query, QueryError, as_typed, normal_date, parse

WritePost = Callable[[str, bytes | str], Path]

FUZZ = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def stamp(*day: int) -> float:
    return datetime(*day, tzinfo=UTC).timestamp()


def items(text: str) -> list[list[tuple[str, str, bool]]]:
    """The query's groups as (kind, value, negated) triples."""
    return [[(i.kind, i.value, i.negated) for i in group] for group in parse(text).groups]


# ---- what parses --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "groups"),
    [
        ("", []),
        ("   ", []),
        ("人民币", [[("text", "人民币", False)]]),
        ("人民币 汇率", [[("text", "人民币", False)], [("text", "汇率", False)]]),
        ("  a   b  ", [[("text", "a", False)], [("text", "b", False)]]),
        ('"exact phrase"', [[("phrase", "exact phrase", False)]]),
        ('"  padded  "', [[("phrase", "padded", False)]]),
        ('x"美元 指数"y', [[("text", "x", False)], [("phrase", "美元 指数", False)],
                        [("text", "y", False)]]),
        ("a OR b", [[("text", "a", False), ("text", "b", False)]]),
        ("a OR b OR c d", [[("text", "a", False), ("text", "b", False), ("text", "c", False)],
                           [("text", "d", False)]]),
        ("a or b", [[("text", "a", False)], [("text", "or", False)], [("text", "b", False)]]),
        ("-word", [[("text", "word", True)]]),
        ('-"美元指数"', [[("phrase", "美元指数", True)]]),
        ("a OR -b", [[("text", "a", False), ("text", "b", True)]]),
        ("-OR", [[("text", "OR", True)]]),
        ("tag:外汇", [[("tag", "外汇", False)]]),
        ("-tag:快讯", [[("tag", "快讯", True)]]),
        ("#外汇", [[("tag", "外汇", False)]]),
        ("-#快讯", [[("tag", "快讯", True)]]),
        ('tag:"machine learning"', [[("tag", "machine learning", False)]]),
        ("TAG:Python", [[("tag", "Python", False)]]),
        ("cat:economy", [[("cat", "economy", False)]]),
        ("-cat:economy", [[("cat", "economy", True)]]),
        ("source:posts", [[("source", "posts", False)]]),
        ("is:bookmarked", [[("is", "bookmarked", False)]]),
        ("is:UNREAD", [[("is", "unread", False)]]),
        ("-is:read", [[("is", "read", True)]]),
        ("title:人民币", [[("title", "人民币", False)]]),
        ("tag:a OR cat:b", [[("tag", "a", False), ("cat", "b", False)]]),
        ("10:30", [[("text", "10:30", False)]]),
        ("人民币 AND 美元", [[("text", "人民币", False)], [("text", "美元", False)]]),
        ("汇率 NOT 美元", [[("text", "汇率", False)], [("text", "美元", True)]]),
        ("NOT tag:快讯", [[("tag", "快讯", True)]]),
        ("a OR NOT b AND c", [[("text", "a", False), ("text", "b", True)],
                              [("text", "c", False)]]),
        ("a and not b", [[("text", "a", False)], [("text", "and", False)],
                         [("text", "not", False)], [("text", "b", False)]]),
        ("-AND -NOT", [[("text", "AND", True)], [("text", "NOT", True)]]),
        ("foo:", [[("text", "foo:", False)]]),
    ],
)  # fmt: skip
def test_parse(text: str, groups: list[list[tuple[str, str, bool]]]) -> None:
    assert items(text) == groups


def test_query_terms_are_the_positive_text_to_highlight() -> None:
    query = parse('人民币 "美元 指数" -汇率 title:外汇 tag:x a OR b')
    assert query.terms() == ["人民币", "美元 指数", "外汇", "a", "b"]
    assert not query.empty
    assert parse("").empty and Query().empty


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("date:2022", "date", "2022"),
        ("date:2022-05", "date", "2022-05"),
        ("date:2022-12", "date", "2022-12"),
        ("date:2022-05-31", "date", "2022-05-31"),
        ("date:2022-5-1", "date", "2022-05-01"),
        ("date:2024-02-29", "date", "2024-02-29"),
        ("after:2022-05-01", "after", "2022-05-01"),
        ("before:2022-06", "before", "2022-06"),
        ("after:1999", "after", "1999"),
    ],
)
def test_date_filters_carry_a_zero_padded_day_month_or_year(
    text: str, kind: str, value: str
) -> None:
    (group,) = parse(text).groups
    (item,) = group
    assert (item.kind, item.value) == (kind, value)
    assert normal_date(text.split(":", 1)[1]) == value


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("after:today", "2024-03-31"),
        ("after:yesterday", "2024-03-30"),
        ("after:TODAY", "2024-03-31"),
        ("after:-7d", "2024-03-24"),
        ("before:-2w", "2024-03-17"),
        ("before:-1m", "2024-02-29"),  # 31 March less a month: the end of February
        ("date:-13m", "2023-02-28"),
        ("after:-1y", "2023-03-31"),
        ("after:-0d", "2024-03-31"),
    ],
)
def test_relative_dates_count_back_from_today(text: str, day: str) -> None:
    (item,) = parse(text, today=date(2024, 3, 31)).groups[0]
    assert item.value == day


def test_relative_dates_default_to_the_local_date() -> None:
    assert parse("after:today").groups[0][0].value == date.today().isoformat()


def test_negated_date_filter() -> None:
    (group,) = parse("-date:2022-05").groups
    assert group == [Item("date", "2022-05", True)]


@pytest.mark.parametrize(
    "value", ["2022-13", "2022-00", "2022-02-30", "2023-02-29", "22-05", "2022/05", "may", "0000"]
)
def test_normal_date_rejects_what_is_no_date(value: str) -> None:
    assert normal_date(value) is None


# ---- errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "position", "words"),
    [
        ('"unclosed', 0, "closing"),
        ('人民币 "unclosed phrase', 4, "closing"),
        ('a -"b', 2, "closing"),
        ('"', 0, "closing"),
        ('""', 0, "empty phrase"),
        ('ok "  "', 3, "empty phrase"),
        ("foo:x", 0, "unknown filter foo:"),
        ("a  bar:baz", 3, "unknown filter bar:"),
        ("a -foo:x", 2, "unknown filter foo:"),
        ("tag:", 0, "tag: needs a value"),
        ("a tag:", 2, "tag: needs a value"),
        ("tag: x", 0, "tag: needs a value"),
        ("a cat:", 2, "cat: needs a value"),
        ('tag:""', 0, "empty phrase"),
        ("date:2022-13", 0, "date: needs a date"),
        ("x after:2022-02-30", 2, "after: needs a date"),
        ("before:soon", 0, "before: needs a date"),
        ("is:starred", 0, "is: takes"),
        ("a OR", 2, "OR needs something on both sides"),
        ("AND", 0, "AND needs something on both sides"),
        ("a AND", 2, "AND needs something on both sides"),
        ("AND a", 0, "AND needs something on both sides"),
        ("a AND OR b", 2, "AND needs something on both sides"),
        ("a OR AND b", 5, "AND needs something on both sides"),
        ("NOT", 0, "NOT needs a word or filter after it"),
        ("a NOT", 2, "NOT needs a word or filter after it"),
        ("a NOT OR b", 2, "NOT needs a word or filter after it"),
        ("after:-7x", 0, "after: needs a date"),
        ("before:tomorrow", 0, "before: needs a date"),
        ("OR a", 0, "OR needs something on both sides"),
        ("a OR OR b", 5, "OR needs something on both sides"),
        ("OR", 0, "OR needs something on both sides"),
        ("-", 0, "needs a word"),
        ("人民币 - 汇率", 4, "needs a word"),
        ("#", 0, "needs a word"),
        ("a -#", 2, "needs a word"),
    ],
)
def test_malformed_queries_say_what_and_where(text: str, position: int, words: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse(text)
    error = caught.value
    assert error.position == position
    assert words in error.message
    assert f"(at character {position + 1})" in str(error)
    assert isinstance(error, ValueError)


def test_unknown_filter_names_the_known_ones() -> None:
    with pytest.raises(QueryError) as caught:
        parse("writer:me")
    for name in ("tag:", "cat:", "author:", "source:", "is:", "after:", "before:", "date:"):
        assert name in caught.value.message


# ---- any string: a query or a clear error -------------------------------------------------------

QUERY_PIECES = st.sampled_from(
    [
        "人民币", "汇率", "币", "A股", "5月24日", "Café", "cafe", "NEAR", "AND", "NOT", "*", "^",
        "(", ")", ":", "-", "#", '"', " ", "  ", "OR", "tag:", "-tag:", "cat:", "source:", "is:",
        "is:read", "is:unread", "is:bookmarked", "date:", "after:", "before:", "title:",
        "2022", "2022-05", "2022-05-01", "2022-13", "，", "。", "\u3000", "\x00", "\t", "\n",
        "𠀀", "\u0301", "²", "'", "\\", "{", "}", "+", "today", "yesterday", "-7d", "-1m",
        "-99999y",
    ]
)  # fmt: skip
QUERIES = st.one_of(st.text(max_size=40), st.lists(QUERY_PIECES, max_size=12).map("".join))


@FUZZ
@given(QUERIES)
def test_any_string_is_a_query_or_a_query_error(text: str) -> None:
    try:
        query = parse(text)
    except QueryError as error:
        assert error.message
        assert 0 <= error.position < len(text)
        return
    assert isinstance(query, Query)
    for group in query.groups:
        assert group, "an empty OR group"
        for item in group:
            assert item.value
            if item.kind in ("date", "after", "before"):
                assert normal_date(item.value) == item.value


def post(title: str, body: str, tags: list[str], date: str | None) -> str:
    lines = ["---", f"title: {json.dumps(title, ensure_ascii=False)}"]
    if date:
        lines.append(f"date: {date}")
    lines.append(f"tags: {json.dumps(tags, ensure_ascii=False)}")
    return "\n".join([*lines, "categories: economy", "---", body, ""])


def test_every_query_that_parses_runs_on_a_library(
    library: Library, write_post: WritePost, posts: Path
) -> None:
    write_post("a.md", post("人民币汇率", "A股 5月24日 news.", ["外汇"], "2022-05-24"))
    write_post("b.md", post("Café culture", "NEAR AND NOT cafe.", ["Python"], None))
    write_post("c.md", post("𠀀 test", "²³ \u0301 combining", [], "2021-01-01 08:00:00 +0800"))
    import_paths(library, [posts], jobs=1)
    ids = set(library.ids())
    library.set_bookmark([min(ids)], True, note="币 note")
    library.save_view("saved", "人民币")

    @FUZZ
    @given(QUERIES)
    def check(text: str) -> None:
        try:
            query = parse(text)
        except QueryError:
            return
        by_date = library.search(query)
        assert set(by_date) <= ids
        assert len(by_date) == len(set(by_date))
        assert set(library.search(query, sort="relevance")) == set(by_date)
        assert set(library.search(query, within=View("bookmarked"))) <= set(by_date)
        assert library.count(View("search", text)) == len(by_date)
        assert library.search(query, limit=1) == by_date[:1]

    check()


@pytest.mark.parametrize(
    ("typed", "searched"),
    [
        ("infla", "infla*"),  # a word still being typed matches as the start of a word
        ("rate infla", "rate infla*"),
        ("café", "café*"),
        ("infla ", "infla "),  # a space ends the word: whole words again
        ("infla*", "infla*"),
        ("汇率", "汇率"),  # Chinese matches within words anyway
        ("tag:fx", "tag:fx"),
        ("-infla", "-infla"),
        ('"new york', '"new york'),
        ("2022", "2022"),
        ("", ""),
    ],
)
def test_a_last_word_being_typed_is_searched_as_a_prefix(typed: str, searched: str) -> None:
    assert as_typed(typed) == searched


def test_highlighted_terms_leave_out_the_prefix_star() -> None:
    assert parse("infla* 汇率").terms() == ["infla", "汇率"]
