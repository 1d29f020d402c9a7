"""Pinyin as a pattern: the one mechanism behind the tag editor, the palette, the sidebar's
filter and `py:` in search agrees with spelling it out character by character, and `py:`
finds titles by their sound."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from library_helpers import WritePost, post

from reader.library import Library, import_paths
from reader.library.pinyin import READINGS_AT_MOST, _ways, matches, readings
from reader.library.query import QueryError, parse

NAMES = "汇率沪深胡锡进货币政策美元黄金重庆银行行长长江绿色女性了解率先AI芯片GDP 2022·港股"


def spelled(typed: str, name: str, anywhere: bool) -> bool:
    """The meaning of `matches`, spelled out: from a character's start, each character is
    typed as one of its readings in full or as its first letter, and the last one as any
    start of a reading; spaces and punctuation between them are skipped."""
    wanted = "".join(c for c in typed.lower() if c.isalnum())
    chars = [c for c in name if c not in " \t·・-_'’/.,，。、"]
    if not wanted or not wanted.isascii():
        return False

    @cache
    def go(at: int, rest: int) -> bool:
        if rest == len(wanted):
            return True
        if at == len(chars):
            return False
        left = wanted[rest:]
        for reading in readings(chars[at]):
            if reading.startswith(left):
                return True
            if left.startswith(reading) and go(at + 1, rest + len(reading)):
                return True
            if left[0] == reading[0] and go(at + 1, rest + 1):
                return True
        return False

    return any(go(i, 0) for i in (range(len(chars)) if anywhere else range(min(1, len(chars)))))


SYLLABLES = ["hui", "lv", "lu", "h", "l", "hu", "z", "zh", "zhong", "chong", "c", "q", "x"]
SYLLABLES += ["yin", "hang", "xing", "y", "ai", "a", "gdp", "2022", "gg", "jin", "huang"]


@settings(max_examples=300, deadline=None)
@given(
    name=st.text(alphabet=NAMES, min_size=1, max_size=8),
    typed=st.lists(st.sampled_from(SYLLABLES), min_size=1, max_size=4).map("".join),
    anywhere=st.booleans(),
)
def test_the_pattern_agrees_with_spelling_it_out(name: str, typed: str, anywhere: bool) -> None:
    """Exactly, unless what is typed has more ways of reading than the pattern takes: then
    it finds a part of what spelling out would (never more)."""
    if len(_ways(typed)) < READINGS_AT_MOST:
        assert matches(typed, name, anywhere) == spelled(typed, name, anywhere), (typed, name)
    elif matches(typed, name, anywhere):
        assert spelled(typed, name, anywhere), (typed, name)


@pytest.fixture
def titled(write_post: WritePost, posts: Path, library: Library) -> Library:
    for name, title in [
        ("a", "人民币汇率创新高"),
        ("b", "重庆银行发布年报"),
        ("c", "美元指数下跌"),
        ("d", "Inflation in 2022"),
    ]:
        write_post(f"{name}.md", post(title, "正文。", tags=("外汇",) if name == "a" else ()))
    import_paths(library, [posts])
    return library


def titles(library: Library, query: str) -> list[str]:
    return sorted(row.title for row in library.summaries_for(library.search(parse(query))))


def test_py_finds_titles_by_full_pinyin_initials_and_a_mix(titled: Library) -> None:
    for typed in ("huilv", "hl", "huil", "rmbhl", "HuiLv"):
        assert titles(titled, f"py:{typed}") == ["人民币汇率创新高"], typed
    assert titles(titled, "py:cq") == titles(titled, "py:zhongqing") == ["重庆银行发布年报"]
    assert titles(titled, "py:yinhang") == titles(titled, "py:yinxing") == ["重庆银行发布年报"]
    assert titles(titled, "py:infl") == ["Inflation in 2022"]
    assert titles(titled, "py:zzz") == []


def test_py_combines_with_the_rest_of_the_language(titled: Library) -> None:
    assert titles(titled, "py:x") == ["人民币汇率创新高", "美元指数下跌", "重庆银行发布年报"]
    assert titles(titled, "py:x tag:外汇") == ["人民币汇率创新高"]
    assert titles(titled, "py:x -tag:外汇") == ["美元指数下跌", "重庆银行发布年报"]
    assert titles(titled, "py:hl OR py:my") == ["人民币汇率创新高", "美元指数下跌"]


def test_py_takes_pinyin_only(titled: Library) -> None:
    with pytest.raises(QueryError, match="py: takes pinyin"):
        parse("py:汇率")


def test_py_resolved_twice_still_finds_the_same(titled: Library) -> None:
    """`newsreader search` resolves the query (to report an ambiguous tag) before it
    searches, which resolves it again."""
    query = titled.resolve(parse("py:hl"))
    assert [r.title for r in titled.summaries_for(titled.search(query))] == ["人民币汇率创新高"]
    with pytest.raises(QueryError, match="py: takes pinyin"):
        parse("py:[1]")


def test_py_from_the_command_line(titled: Library, capsys: pytest.CaptureFixture[str]) -> None:
    from cli_helpers import run

    code, out, _ = run(capsys, "--library", titled.path, "search", "py:rmbhl")
    assert code == 0 and "人民币汇率创新高" in out


def test_py_sees_a_title_another_connection_changed(
    titled: Library, write_post: WritePost, posts: Path
) -> None:
    """The coded titles are kept between searches (and between a process's `Library`s,
    as the app opens one a search), and made again once anyone writes the library."""
    assert titles(titled, "py:jjhs") == []
    with Library(titled.path) as other:
        assert titles(other, "py:hl") == ["人民币汇率创新高"]
        write_post("e.md", post("金价回升", "正文。"))
        import_paths(other, [posts])
    assert titles(titled, "py:jjhs") == titles(titled, "py:jinjia") == ["金价回升"]
