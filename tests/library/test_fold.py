"""Folding in search: Traditional and Simplified Chinese, full-width and half-width forms
find each other, exactly (against brute force over the folded texts), with no false hits
from characters that only look alike; highlights mark the text as written."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from library_helpers import WritePost, post

from reader.library import Library, import_paths
from reader.library.fold import fold, spellings
from reader.library.fts import CJK_LETTERS
from reader.library.query import parse
from reader.ui.matches import find_spans


def found(library: Library, query: str) -> set[int]:
    return set(library.search(parse(query)))


def by_title(library: Library) -> dict[str, int]:
    return {row.title: row.id for row in library.summaries_for(library.ids())}


# ---- fold itself ----------------------------------------------------------------------------

PAIRS = [("汇率", "匯率"), ("台湾", "臺灣"), ("发展", "發展"), ("头发", "頭髮"), ("干燥", "乾燥")]


@pytest.mark.parametrize(("simplified", "traditional"), PAIRS)
def test_traditional_folds_to_simplified(simplified: str, traditional: str) -> None:
    assert fold(traditional) == fold(simplified) == simplified


def test_full_width_letters_digits_punctuation_and_spaces_fold_to_ascii() -> None:
    assert fold("ＧＤＰ２０２２　增長，（同比）") == "GDP2022 增长,(同比)"


def test_a_character_folds_the_same_wherever_it_stands() -> None:
    assert fold("乾隆年間") == "干隆年间" and fold("乾燥") == "干燥" and fold("乾") == "干"


def test_the_shipped_table_is_what_opencc_makes() -> None:
    """fold_table.py is generated (`python -m reader.library.fold`): if OpenCC's tables
    changed, make it again; FOLD_ID then changes and libraries make their index again."""
    from reader.library.fold import make_table
    from reader.library.fold_table import SIMPLIFIED, TRADITIONAL

    assert make_table() == (TRADITIONAL, SIMPLIFIED)


@pytest.mark.parametrize(
    ("one", "other"), [("瞭解", "了解"), ("回覆", "回复"), ("錢鍾書", "钱钟书"), ("匯率", "汇率")]
)
def test_words_spelled_otherwise_by_phrase_find_each_other(
    library: Library, write_post: WritePost, posts: Path, one: str, other: str
) -> None:
    write_post("a.md", post("甲", f"據{one}，市府將調整"))
    write_post("b.md", post("乙", f"据{other}，市府将调整"))
    import_paths(library, [posts], jobs=1)
    both = set(library.ids())
    assert found(library, one) == found(library, other) == both


SCRIPT = "汇匯率台臺湾灣发發展头頭发髮干乾燥隆己已巳末未ＧＤＰGDP２０2０　 ，,。abc"


@given(st.text(alphabet=SCRIPT + "\n x", max_size=60))
def test_folding_keeps_every_character_s_place(text: str) -> None:
    folded = fold(text)
    assert len(folded) == len(text)
    assert [c == "\n" for c in folded] == [c == "\n" for c in text]  # (lines stay lines)


# ---- search: exact, against brute force over the folded texts --------------------------------

ALPHABET = "汇匯率台臺湾灣发發展指数數市场場己已巳末未"
FILLERS = ["，", "。", " ", "ＧＤＰ", "GDP", "２０２２", "2022", "A", "news"]
_RUNS = re.compile(f"[{CJK_LETTERS}]+")


def text_of(rng: random.Random, size: int) -> str:
    pieces = [rng.choice(ALPHABET) if rng.random() < 0.75 else rng.choice(FILLERS)]
    while len(pieces) < size:
        pieces.append(rng.choice(ALPHABET) if rng.random() < 0.75 else rng.choice(FILLERS))
    return "".join(pieces).strip() or ALPHABET[0]


@pytest.mark.parametrize("seed", [1, 2])
def test_a_folded_search_finds_exactly_what_brute_force_over_folded_texts_finds(
    library: Library, write_post: WritePost, posts: Path, seed: int
) -> None:
    rng = random.Random(seed)
    for n in range(40):
        title = f"{n:02d} " + text_of(rng, rng.randint(1, 8))
        write_post(f"p{n}.md", post(title, text_of(rng, rng.randint(1, 60))))
    import_paths(library, [posts], jobs=1)
    fields: dict[int, list[str]] = {}
    for article_id in library.ids():
        item = library.article(article_id)
        assert item is not None
        fields[article_id] = [fold(item.title), fold(item.body)]

    def brute(query: str) -> set[int]:
        forms = spellings(query)
        return {i for i, texts in fields.items() if any(f in t for f in forms for t in texts)}

    runs = [run for texts in fields.values() for text in texts for run in _RUNS.findall(text)]
    queries = {"汇率", "匯率", "臺灣", "台湾", "發展"}  # (Latin words match as words)
    while len(queries) < 200:
        run = rng.choice(runs)
        size = rng.randint(1, min(5, len(run)))
        start = rng.randint(0, len(run) - size)
        # the same characters, each written either way at random
        queries.add("".join(_either(rng, c) for c in run[start : start + size]))
    queries |= {"".join(rng.choices(ALPHABET, k=rng.randint(2, 4))) for _ in range(100)}
    hits = 0
    for query in sorted(queries):
        want = brute(query)
        hits += bool(want)
        assert found(library, query) == want, query
    assert hits > 100 and len(queries) - hits > 10


_BOTH = dict(zip("汇台湾发展数场", "匯臺灣發展數場", strict=True))


def _either(rng: random.Random, char: str) -> str:
    return _BOTH.get(char, char) if rng.random() < 0.5 else char


def test_characters_that_only_look_alike_never_find_each_other(
    library: Library, write_post: WritePost, posts: Path
) -> None:
    for n, text in enumerate(["自己", "已经", "辰巳", "末日", "未来", "戊戌", "汨罗", "汩汩"]):
        write_post(f"p{n}.md", post(text, text))
    import_paths(library, [posts], jobs=1)
    titles = by_title(library)
    for query, only in [("己", "自己"), ("已", "已经"), ("巳", "辰巳"), ("末", "末日")]:
        assert found(library, query) == {titles[only]}, query
    assert found(library, "未") == {titles["未来"]}
    assert found(library, "戌") == {titles["戊戌"]} == found(library, "戊")
    assert found(library, "汨") == {titles["汨罗"]} and found(library, "汩") == {titles["汩汩"]}


def test_each_script_finds_the_other_and_full_width_finds_ascii(
    library: Library, write_post: WritePost, posts: Path
) -> None:
    write_post("hk.md", post("香港匯率", "臺灣的發展與ＧＤＰ２０２２"))
    write_post("cn.md", post("人民币汇率", "台湾的发展与GDP2022"))
    write_post("other.md", post("股市", "沪指收涨"))
    import_paths(library, [posts], jobs=1)
    titles = by_title(library)
    both = {titles["香港匯率"], titles["人民币汇率"]}
    for query in ("汇率", "匯率", "台湾", "臺灣", "發展", "GDP2022", "ＧＤＰ２０２２", "gdp2022"):
        assert found(library, query) == both, query
    assert found(library, "title:匯率") == both


def test_highlights_mark_the_text_as_written() -> None:
    lines = ["香港匯率走高，ＧＤＰ", "增長"]
    assert find_spans(lines, ["汇率"]) == [[(0, 2, 4)]]
    assert find_spans(lines, ["GDP增长"]) == [[(0, 7, 10), (1, 0, 2)]]
    assert find_spans(["清朝的乾", "隆年間"], ["乾隆"]) == [[(0, 3, 4), (1, 0, 1)]]
    assert find_spans(["政府回", "覆了記者"], ["回复"]) == [[(0, 2, 3), (1, 0, 1)]]
    assert find_spans(["他說明瞭一切"], ["明瞭"]) == [[(0, 2, 4)]]


@given(st.text(alphabet=SCRIPT, min_size=1, max_size=30), st.data())
def test_any_piece_of_a_text_as_written_is_found_in_it(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text) - 1))
    piece = text[start : data.draw(st.integers(start + 1, len(text)))]
    assert any(form in fold(text) for form in spellings(piece))
    assume(piece.strip())
    assert find_spans([text], [piece])


def test_a_query_no_converter_takes_is_searched_as_written(library: Library) -> None:
    assert spellings("\udcff臺") == ["\udcff台"]  # (a lone surrogate, from a command line)


def test_an_index_folded_otherwise_is_made_again(
    tmp_path: Path, write_post: WritePost, posts: Path
) -> None:
    write_post("hk.md", post("香港", "匯率走高"))
    path = tmp_path / "lib.db"
    with Library(path) as library:
        import_paths(library, [posts], jobs=1)
        assert library.unindexed() == 0 and len(found(library, "汇率")) == 1
        library.set_setting("search.fold", "an older fold")  # (as a library from before)
    with Library(path) as library:
        assert library.unindexed() == 1  # emptied: the app or doctor indexes it again
        assert library.index_pending() == 1 and len(found(library, "汇率")) == 1
    with Library(path) as library:  # once
        assert library.unindexed() == 0


def test_a_name_filter_finds_the_name_written_in_the_other_script(
    library: Library, write_post: WritePost, posts: Path
) -> None:
    write_post("cn.md", post("甲", "正文", tags=("汇率",), categories=("财经",)))
    write_post("hk.md", post("乙", "正文", tags=("臺灣",)))
    write_post("both.md", post("丙", "正文", tags=("匯率",)))
    import_paths(library, [posts], jobs=1)
    titles = by_title(library)
    assert found(library, "cat:財經") == {titles["甲"]}  # only 财经 is there
    assert found(library, "tag:台湾") == {titles["乙"]}  # only 臺灣 is there
    assert found(library, "tag:汇率") == {titles["甲"]}  # both are there: as written wins
    assert found(library, "tag:匯率") == {titles["丙"]}
    assert found(library, "tag:新闻") == set()  # (neither: nothing, as before)
