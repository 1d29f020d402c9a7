"""Search on a real library: every filter, exact CJK substrings, and an index kept in step."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from library_helpers import WritePost, index_consistent, post

from reader.library import Library, SavedView, View, import_paths
from reader.library.fts import CJK_LETTERS
from reader.library.query import QueryError, parse, view_query


def by_title(library: Library) -> dict[str, int]:
    titles = {}
    for i in library.ids():
        item = library.article(i)
        assert item is not None
        titles[item.title] = i
    return titles


def found(library: Library, query: str, **options: object) -> set[int]:
    return set(library.search(parse(query), **options))  # type: ignore[arg-type]


# ---- a small newsroom ---------------------------------------------------------------------------


@pytest.fixture
def news(library: Library, write_post: WritePost, posts: Path, tmp_path: Path) -> dict[str, int]:
    """Five articles in two sources, with tags, categories, dates, read marks and notes."""
    write_post(
        "rmb.md",
        post(
            "人民币汇率走低",
            "美元指数上涨，人民币承压。",
            tags=("外汇", "快讯"),
            categories=("economy",),
            date="2022-05-24",
        ),
    )
    write_post(
        "stocks.md",
        post("A股收评", "沪指收涨。", tags=("股市",), categories=("markets",), date="2022-05-31"),
    )
    write_post(
        "cafe.md",
        post(
            "Café culture in Paris",
            "The New York Times wrote about it.",
            tags=("machine learning",),
            categories=("culture",),
            date="2022-06-01",
        ),
    )
    write_post(
        "york.md",
        post(
            "York new",
            "Nothing new in york today.",
            tags=("Python",),
            categories=("tech",),
            date="2021-12-31",
        ),
    )
    wire = tmp_path / "wire"
    wire.mkdir()
    (wire / "undated.md").write_text(
        post("无日期", "人民币 and 美元 without a date.", tags=("外汇",)), encoding="utf-8"
    )
    import_paths(library, [posts, wire], jobs=1)
    ids = by_title(library)
    names = {
        "rmb": ids["人民币汇率走低"],
        "stocks": ids["A股收评"],
        "cafe": ids["Café culture in Paris"],
        "york": ids["York new"],
        "wire": ids["无日期"],
    }
    library.set_read([names["rmb"], names["cafe"]])
    library.set_bookmark([names["rmb"]], True)
    library.set_note(names["stocks"], "值得一读")
    return names


QUERIES = [
    # words, phrases, OR, negation
    ("人民币 美元", {"rmb", "wire"}),
    ("人民币", {"rmb", "wire"}),
    ("币", {"rmb", "wire"}),
    ("汇率走", {"rmb"}),
    ("york", {"cafe", "york"}),
    ("new york", {"cafe", "york"}),
    ('"new york"', {"cafe"}),
    ('"york new"', {"york"}),
    ("沪指 OR Café", {"stocks", "cafe"}),
    ("沪指 OR Café OR xyzzy", {"stocks", "cafe"}),
    ("人民币 -美元指数", {"wire"}),
    ('人民币 -"美元 指数"', {"rmb", "wire"}),  # 美元 and 指数 are not next to each other in wire
    ("-人民币 -york", {"stocks"}),
    ("nothingatall", set()),
    # the start of a word: `*` (the app adds it to a last word still being typed)
    ("yor", set()),
    ("yor*", {"cafe", "york"}),
    ("CAF*", {"cafe"}),  # accents fold as in whole words
    ("new yo*", {"cafe", "york"}),
    ('"new yo*"', {"cafe"}),
    ("人民* 美元", {"rmb", "wire"}),  # Chinese matches within words anyway
    ("york -toda*", {"cafe"}),
    ("，。", set()),
    # tags and categories
    ("tag:外汇", {"rmb", "wire"}),
    ("#快讯", {"rmb"}),
    ("-tag:外汇", {"stocks", "cafe", "york"}),
    ("-#外汇 -#股市", {"cafe", "york"}),
    ('tag:"Machine Learning"', {"cafe"}),
    ("tag:PYTHON", {"york"}),
    ("tag:外", {"rmb", "wire"}),  # a unique start of a tag's name is that tag
    ("tag:汇", set()),  # ... but not a substring
    ("tag:pyth", {"york"}),
    ("#MACHINE", {"cafe"}),
    ("-tag:外", {"stocks", "cafe", "york"}),
    ("cat:economy", {"rmb"}),
    ("cat:ECONOMY OR cat:tech", {"rmb", "york"}),
    ("-cat:economy", {"stocks", "cafe", "york", "wire"}),
    ("快讯", {"rmb"}),  # tags, categories and notes are searched as text too
    ("markets", {"stocks"}),
    ("learning", {"cafe"}),
    ("值得", {"stocks"}),
    # sources
    ("source:wire", {"wire"}),
    ("source:WIRE", {"wire"}),
    ("source:posts", {"rmb", "stocks", "cafe", "york"}),
    ("-source:posts", {"wire"}),
    ("source:nowhere", set()),
    ("source:WI", {"wire"}),  # a unique start of a source's name
    ("-source:po", {"wire"}),
    # AND and NOT as operators (capitals only)
    ("人民币 AND 美元", {"rmb", "wire"}),
    ("人民币 AND 股市", set()),
    ("人民币 NOT 美元指数", {"wire"}),
    ("NOT 人民币 NOT york", {"stocks"}),
    ("NOT tag:外汇", {"stocks", "cafe", "york"}),
    ("york OR 沪指 AND NOT tag:python", {"cafe", "stocks"}),
    ("new and york", set()),  # lower case: words (`and` is in no article)
    # state
    ("is:bookmarked", {"rmb", "stocks"}),
    ("is:unread", {"stocks", "york", "wire"}),
    ("is:read", {"rmb", "cafe"}),
    ("-is:bookmarked is:unread", {"york", "wire"}),
    # dates: undated articles match no date filter
    ("date:2022", {"rmb", "stocks", "cafe"}),
    ("date:2022-05", {"rmb", "stocks"}),
    ("date:2022-05-24", {"rmb"}),
    ("date:2022-05-25", set()),
    ("date:2021-12", {"york"}),
    ("after:2022-05", {"rmb", "stocks", "cafe"}),  # on or after: May is in
    ("after:2022-06", {"cafe"}),
    ("after:2022-05-24", {"rmb", "stocks", "cafe"}),
    ("after:2022-05-25", {"stocks", "cafe"}),
    ("after:2021", {"rmb", "stocks", "cafe", "york"}),
    ("after:2022", {"rmb", "stocks", "cafe"}),
    ("before:2022", {"york"}),
    ("before:2022-06", {"rmb", "stocks", "york"}),
    ("before:2022-05-31", {"rmb", "york"}),
    ("after:2022-05-01 before:2022-05-31", {"rmb"}),
    ("-date:2022", {"york", "wire"}),
    # titles
    ("title:人民币", {"rmb"}),
    ("title:币", {"rmb"}),
    ("title:new", {"york"}),
    ("title:Paris OR title:沪指", {"cafe"}),
    # everything at once
    ("人民币 tag:外汇 -tag:快讯 is:unread", {"wire"}),
    ("人民币 汇率 OR 美元 tag:外汇 -tag:快讯", {"wire"}),
    ("tag:外汇 OR tag:股市 is:unread -source:wire", {"stocks"}),
]


@pytest.mark.parametrize(("query", "names"), QUERIES, ids=[q for q, _ in QUERIES])
def test_each_filter(library: Library, news: dict[str, int], query: str, names: set[str]) -> None:
    expected = {news[n] for n in names}
    assert found(library, query) == expected
    assert found(library, query, sort="relevance") == expected
    assert library.count(View("search", query)) == len(expected)


@pytest.mark.parametrize(
    "view",
    [
        View(),
        View("unread"),
        View("bookmarked"),
        View("tag", "外汇"),
        View("tag", "Machine Learning"),
        View("category", "economy"),
        View("source", "wire"),
        View("saved", "fx"),
    ],
    ids=str,
)
@pytest.mark.parametrize("text", ["", "人民币", "york OR 沪指", "-人民币"])
def test_a_view_as_a_query_finds_what_searching_in_the_view_finds(
    library: Library, news: dict[str, int], view: View, text: str
) -> None:
    """`S` saves a search made in a sidebar view as the view's filter plus the words."""
    library.save_view("fx", "tag:外汇 OR cat:economy")
    scope = view_query(view, library.saved_query("fx") or "")
    assert scope is not None
    assert set(library.search(parse(f"{scope} {text}"))) == set(
        library.search(parse(text), within=view)
    )


def test_a_name_no_query_can_spell_is_none() -> None:
    assert view_query(View("tag", 'say "hi"')) is None


def test_results_are_newest_first_and_limited(library: Library, news: dict[str, int]) -> None:
    newest = [news["cafe"], news["stocks"], news["rmb"], news["york"]]
    assert library.search(parse("source:posts")) == newest
    assert library.search(parse("source:posts"), limit=2) == newest[:2]
    assert library.search(parse("")) == library.ids()


def test_relevance_puts_title_matches_first(
    library: Library, write_post: WritePost, posts: Path
) -> None:
    write_post("old.md", post("Inflation report", "Prices.", date="2020-01-01"))
    filler = " ".join(["market"] * 200)
    write_post("new.md", post("Weekly wrap", f"{filler} inflation {filler}", date="2022-01-01"))
    import_paths(library, [posts], jobs=1)
    ids = by_title(library)
    old, new = ids["Inflation report"], ids["Weekly wrap"]
    assert library.search(parse("inflation")) == [new, old]
    assert library.search(parse("inflation"), sort="relevance") == [old, new]
    assert library.search(parse("inflation"), sort="relevance", limit=1) == [old]


def test_within_limits_results_to_views(library: Library, news: dict[str, int]) -> None:
    assert found(library, "人民币", within=View("tag", "快讯")) == {news["rmb"]}
    assert found(library, "人民币", within=View("source", "wire")) == {news["wire"]}
    assert found(library, "人民币", within=[View("unread"), View("tag", "外汇")]) == {news["wire"]}
    assert found(library, "", within=View("bookmarked")) == {news["rmb"], news["stocks"]}
    assert found(library, "york", within=View("bookmarked")) == set()
    assert found(library, "人民币", within=View("all")) == {news["rmb"], news["wire"]}
    assert found(library, "人民币", within=View("search", "is:bookmarked"), sort="relevance") == {
        news["rmb"]
    }


def test_date_filters_follow_the_date_the_article_shows(
    library: Library, write_post: WritePost, posts: Path
) -> None:
    write_post("early.md", post("Early morning in Beijing", date="2022-05-01 02:00:00 +0800"))
    import_paths(library, [posts], jobs=1)
    (early,) = library.ids()
    summary = library.summaries()[0]
    assert summary.date is not None and summary.date.startswith("2022-05-01")
    assert found(library, "date:2022-05-01") == {early}
    assert found(library, "date:2022-05") == {early}
    assert found(library, "date:2022-04-30") == set()


# ---- CJK substrings against brute force ---------------------------------------------------------

ALPHABET = "人民币汇率美元指数中国市场"  # 12 characters: substrings repeat across articles
FILLERS = ["，", "。", " ", "ET7", "A", "news", "5", "24", "Café", "2022"]
_CJK = re.compile(f"[{CJK_LETTERS}]+")


def random_text(rng: random.Random, size: int) -> str:
    pieces = [rng.choice(ALPHABET) if rng.random() < 0.75 else rng.choice(FILLERS)]
    while len(pieces) < size:
        pieces.append(rng.choice(ALPHABET) if rng.random() < 0.75 else rng.choice(FILLERS))
    return "".join(pieces).strip() or ALPHABET[0]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_cjk_substrings_match_exactly_where_brute_force_does(
    library: Library, write_post: WritePost, posts: Path, seed: int
) -> None:
    rng = random.Random(seed)
    bodies = {}
    for n in range(40):
        title = f"{n:02d} " + random_text(rng, rng.randint(1, 8))
        body = random_text(rng, rng.randint(0, 80)) if n % 7 else ALPHABET[n % 12]
        tags = tuple(random_text(rng, rng.randint(1, 4)) for _ in range(rng.randint(0, 2)))
        categories = (random_text(rng, 3),) if n % 3 == 0 else ()
        write_post(f"p{n}.md", post(title, body, tags=tags, categories=categories))
        bodies[title] = body
    import_paths(library, [posts], jobs=1)
    ids = by_title(library)
    assert len(ids) == 40
    for n, article_id in enumerate(sorted(ids.values())):
        if n % 5 == 0:
            library.set_note(article_id, random_text(rng, rng.randint(1, 20)))

    haystacks = {}
    for title, article_id in ids.items():
        item = library.article(article_id)
        assert item is not None
        assert item.body.strip() == bodies[title]  # what brute force searches is what we wrote
        fields = [item.title, item.body, *item.tags, *item.categories, item.note]
        haystacks[article_id] = "\n".join(fields)

    def brute(text: str) -> set[int]:
        return {i for i, hay in haystacks.items() if text in hay}

    runs = [run for hay in haystacks.values() for run in _CJK.findall(hay)]
    queries = set()
    while len(queries) < 250:
        run = rng.choice(runs)
        size = rng.randint(1, min(6, len(run)))
        start = rng.randint(0, len(run) - size)
        queries.add(run[start : start + size])
    queries |= {"".join(rng.choices(ALPHABET, k=rng.randint(1, 6))) for _ in range(150)}
    queries |= {"中", "国中", "元美", "场人民", "指数中国市场人"}

    hits = 0
    for text in sorted(queries):
        want = brute(text)
        hits += bool(want)
        assert found(library, text) == want, text
    assert hits > 250 and len(queries) - hits > 50  # both finds and misses were checked

    # Combined with OR, AND and negation, the same sets follow.
    listed = sorted(queries)
    every = set(haystacks)
    for _ in range(60):
        a, b = rng.sample(listed, 2)
        assert found(library, f"{a} OR {b}") == brute(a) | brute(b), (a, b)
        assert found(library, f"{a} {b}") == brute(a) & brute(b), (a, b)
        assert found(library, f"{a} -{b}") == brute(a) - brute(b), (a, b)
        assert found(library, f"{a} AND {b}") == brute(a) & brute(b), (a, b)
        assert found(library, f"{a} NOT {b}") == brute(a) - brute(b), (a, b)
        assert found(library, f"NOT {a} AND NOT {b}") == every - brute(a) - brute(b), (a, b)
        assert found(library, f"{a} OR NOT {b}") == brute(a) | (every - brute(b)), (a, b)
        assert found(library, f"-{a}") == every - brute(a), a
        assert found(library, f"title:{a}") == {
            i
            for i in every
            if a in library.article(i).title  # type: ignore[union-attr]
        }, a


def test_ideographic_zero_is_searched_like_any_chinese_character(
    library: Library, write_post: WritePost, posts: Path
) -> None:
    write_post("olympics.md", post("Olympics", "北京二〇〇八年奥运会"))
    import_paths(library, [posts], jobs=1)
    (article,) = library.ids()
    for query in ("二〇〇八年", "〇〇八", "〇八年", "二〇", "〇"):
        assert found(library, query) == {article}, query


MIXED_TEXTS = [
    "今天A股大涨",
    "a股和港股",
    "B股休市",
    "港股A类",
    "5月24日消息",
    "截至5月25日",
    "蔚来ET7新能源汽车",
    "et7新能源",
    "ET7新能车",
    "ET5新能源",
    "新能源ET7上市",
    "24日讯",
]


@pytest.mark.parametrize(
    "query",
    [
        "A股", "a股", "股A", "股", "A股大涨", "5月24日", "5月", "24日", "月24", "5月24日消",
        "ET7新能源", "et7新", "新能源ET7", "能源ET7", "源ET7上", "ET7", "新能源", "能源", "新能",
        "ET5", "港股A", "日讯",
    ],
)  # fmt: skip
def test_mixed_latin_digit_and_cjk_terms(
    library: Library, write_post: WritePost, posts: Path, query: str
) -> None:
    for n, text in enumerate(MIXED_TEXTS):
        write_post(f"m{n}.md", post(f"Item {n}", text))
    import_paths(library, [posts], jobs=1)
    bodies = {i: library.article(i).body.strip() for i in library.ids()}  # type: ignore[union-attr]
    assert sorted(bodies.values()) == sorted(MIXED_TEXTS)
    expected = {i for i, body in bodies.items() if query.casefold() in body.casefold()}
    assert expected, "every query here finds something"
    assert found(library, query) == expected


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("cafe", {"Café culture", "CAFE SOCIETY"}),
        ("CAFÉ", {"Café culture", "CAFE SOCIETY"}),
        ("café", {"Café culture", "CAFE SOCIETY"}),
        ("naive resume", {"Naïve résumé"}),
        ("NAÏVE", {"Naïve résumé"}),
        ("york", {"New York Times", "York is new"}),
        ("new york", {"New York Times", "York is new"}),
        ('"new york"', {"New York Times"}),
        ('"york new"', set()),
        ('"york is new"', {"York is new"}),
        ('"new york times"', {"New York Times"}),
        ('"times york"', set()),
    ],
)
def test_english_ignores_case_and_accents_and_phrases_keep_order(
    library: Library, write_post: WritePost, posts: Path, query: str, titles: set[str]
) -> None:
    for n, title in enumerate(
        ["Café culture", "CAFE SOCIETY", "Naïve résumé", "New York Times", "York is new"]
    ):
        write_post(f"e{n}.md", post(title, "Plain body."))
    import_paths(library, [posts], jobs=1)
    ids = by_title(library)
    assert found(library, query) == {ids[t] for t in titles}


# ---- the index follows every change -------------------------------------------------------------


@pytest.fixture
def one(library: Library, write_post: WritePost, posts: Path) -> Iterator[int]:
    write_post("a.md", post("Alpha", "斑马 zebra 旧闻", tags=("来源标签",)))
    write_post("b.md", post("Beta", "Other text."))
    import_paths(library, [posts], jobs=1)
    yield by_title(library)["Alpha"]


def test_index_follows_a_reimport_of_a_changed_file(
    library: Library, one: int, posts: Path, tmp_path: Path
) -> None:
    (posts / "a.md").write_text(
        post("Alpha 2", "长颈鹿 giraffe 新闻稿", tags=("新标签",)), encoding="utf-8"
    )
    assert import_paths(library, [posts], jobs=1).updated == 1
    assert found(library, "zebra") == found(library, "斑马") == found(library, "旧闻") == set()
    assert found(library, "来源标签") == found(library, "tag:来源标签") == set()
    assert found(library, "giraffe") == found(library, "颈鹿") == found(library, "闻稿") == {one}
    assert found(library, "title:2") == found(library, "新标签") == {one}
    index_consistent(library, tmp_path)


def test_index_follows_a_moved_file(
    library: Library, one: int, posts: Path, tmp_path: Path
) -> None:
    (posts / "sub").mkdir()
    (posts / "a.md").rename(posts / "sub" / "renamed.md")
    import_paths(library, [posts], jobs=1)
    assert library.search(parse("斑马")) == [one]
    index_consistent(library, tmp_path)


def test_index_follows_tag_changes(library: Library, one: int, posts: Path, tmp_path: Path) -> None:
    library.tag([one], add=["独角兽"])
    assert found(library, "独角兽") == found(library, "角兽") == found(library, "#独角兽") == {one}
    index_consistent(library, tmp_path)

    library.rename_tag("独角兽", "麒麟神兽")
    assert found(library, "独角兽") == found(library, "tag:独角兽") == set()
    assert found(library, "麒麟") == found(library, "tag:麒麟神兽") == {one}
    index_consistent(library, tmp_path)

    library.delete_tag("麒麟神兽")
    assert found(library, "麒麟") == set()
    index_consistent(library, tmp_path)

    library.tag([one], remove=["来源标签"])  # a hidden source tag is not found either
    assert found(library, "来源标签") == found(library, "标签") == set()
    index_consistent(library, tmp_path)

    library.set_tags(one, ["来源标签", "edited"])
    assert found(library, "来源") == found(library, "edited") == {one}
    index_consistent(library, tmp_path)

    library.rename_tag("edited", "来源标签")  # a merge
    assert found(library, "edited") == set()
    assert found(library, "tag:来源标签") == {one}
    index_consistent(library, tmp_path)


def test_index_follows_notes(library: Library, one: int, tmp_path: Path) -> None:
    library.set_note(one, "第一条笔记")
    assert found(library, "一条笔") == {one}
    index_consistent(library, tmp_path)
    library.set_note(one, "second thought")
    assert found(library, "笔记") == set()
    assert found(library, '"second thought"') == {one}
    library.set_bookmark([one], True, note="书签备注")
    assert found(library, "thought") == set()
    assert found(library, "备注") == {one}
    index_consistent(library, tmp_path)


def test_index_follows_restore(library: Library, one: int, tmp_path: Path) -> None:
    library.set_note(one, "原来的笔记")
    library.tag([one], add=["原标签"])
    snap = library.snapshot([one])
    library.set_note(one, "改后的笔记")
    library.tag([one], add=["新的"], remove=["原标签", "来源标签"])
    assert found(library, "原来") == set()
    library.restore(snap)
    assert found(library, "原来") == found(library, "原标签") == found(library, "来源标签") == {one}
    assert found(library, "改后") == found(library, "新的") == set()
    index_consistent(library, tmp_path)


def test_index_follows_import_state(library: Library, one: int, tmp_path: Path) -> None:
    item = library.article(one)
    assert item is not None
    record = {
        "uid": item.uid,
        "note": "导入的笔记",
        "tags": ["导入标签"],
        "hidden_tags": ["来源标签"],
    }
    assert library.import_state({"newsreader_state": 1, "articles": [record]}) == (1, [])
    assert found(library, "导入的") == found(library, "tag:导入标签") == {one}
    assert found(library, "来源标签") == set()
    index_consistent(library, tmp_path)


def test_index_follows_prune(library: Library, one: int, posts: Path, tmp_path: Path) -> None:
    (posts / "a.md").unlink()
    import_paths(library, [posts], jobs=1)
    assert found(library, "斑马") == {one}  # missing, not yet pruned
    assert library.prune() == 1
    assert found(library, "斑马") == found(library, "zebra") == set()
    assert library.count() == 1
    index_consistent(library, tmp_path)


def test_rebuilt_index_finds_the_same(library: Library, news: dict[str, int]) -> None:
    before = {query: found(library, query) for query, _ in QUERIES}
    assert library.rebuild_index() == 5
    assert {query: found(library, query) for query, _ in QUERIES} == before


# ---- saved views --------------------------------------------------------------------------------


def test_saved_views(library: Library, news: dict[str, int]) -> None:
    assert library.saved_views() == []
    library.save_view("外汇", "tag:外汇")
    library.save_view("A unread", "is:unread")
    assert library.saved_views() == [
        SavedView("A unread", "is:unread"),
        SavedView("外汇", "tag:外汇"),
    ]
    assert library.count(View("saved", "外汇")) == 2
    assert set(library.ids(View("saved", "外汇"))) == {news["rmb"], news["wire"]}
    assert set(library.ids([View("saved", "外汇"), View("saved", "A unread")])) == {news["wire"]}
    assert found(library, "人民币", within=View("saved", "A unread")) == {news["wire"]}

    library.tag([news["york"]], add=["外汇"])  # the count is live
    assert library.count(View("saved", "外汇")) == 3

    library.save_view("外汇", "tag:外汇 is:read")  # saving under a name again replaces it
    assert library.saved_query("外汇") == "tag:外汇 is:read"
    assert library.count(View("saved", "外汇")) == 1

    library.rename_view("外汇", "FX read")
    assert [v.name for v in library.saved_views()] == ["A unread", "FX read"]
    assert library.saved_query("外汇") is None
    assert library.count(View("saved", "FX read")) == 1

    library.delete_view("FX read")
    assert library.saved_views() == [SavedView("A unread", "is:unread")]


@pytest.mark.parametrize("bad", ["tag:", '"open', "a OR", "foo:bar", "date:2022-13"])
def test_save_view_refuses_a_bad_query(library: Library, bad: str) -> None:
    with pytest.raises(QueryError):
        library.save_view("bad", bad)
    assert library.saved_views() == []
