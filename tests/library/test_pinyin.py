"""Pinyin matching: full pinyin, initials and any mix find a Chinese name; tones, case and
ü spelled v or u do not count; a character with several readings matches by any; what is
typed is a start (`hu` offers 汇率, 沪深, 胡锡进)."""

from __future__ import annotations

import pytest

from reader.library.pinyin import matches, readings


@pytest.mark.parametrize("typed", ["huilv", "huilu", "HuiLv", "hl", "huil", "hlv", "hu", "h"])
def test_full_pinyin_initials_and_a_mix_find_a_name(typed: str) -> None:
    assert matches(typed, "汇率")


@pytest.mark.parametrize("typed", ["hx", "lv", "huilvx", "hh", "xx", "汇"])
def test_what_spells_another_start_does_not(typed: str) -> None:
    assert not matches(typed, "汇率")


def test_a_character_with_several_readings_matches_by_any() -> None:
    assert {"zhong", "chong"} <= set(readings("重"))
    assert matches("cq", "重庆") and matches("zq", "重庆") and matches("chongqing", "重庆")
    assert matches("yinhang", "银行") and matches("yx", "银行")


def test_anywhere_finds_a_later_part_and_letters_count_as_themselves() -> None:
    assert not matches("zc", "货币政策") and matches("zc", "货币政策", anywhere=True)
    assert matches("aixp", "AI芯片") and matches("ai", "AI芯片")
    assert matches("hg", "Hong Kong 港股") is False and matches("gg", "Hong Kong 港股", True)


def test_hu_offers_every_name_that_starts_so() -> None:
    names = ["汇率", "沪深", "胡锡进", "货币政策", "美元", "黄金"]
    assert [n for n in names if matches("hu", n)] == ["汇率", "沪深", "胡锡进", "货币政策", "黄金"]
