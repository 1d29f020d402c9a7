"""Folding in search: Traditional and Simplified Chinese, full-width and half-width forms
find each other, exactly (against brute force over the folded texts), with no false hits
from characters that only look alike; highlights mark the text as written."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from library_helpers import WritePost, post

from reader.library import Library, import_paths
from reader.library.fold import fold
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


def test_a_phrase_keeps_what_its_characters_alone_would_change() -> None:
    assert fold("乾隆年間") == "乾隆年间"  # (乾 alone would fold to 干)


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
        needle = fold(query)
        return {i for i, texts in fields.items() if any(needle in text for text in texts)}

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
