"""Cleaning untrusted text, and the CJK-aware helpers behind titles and counts."""

from __future__ import annotations

import re

import pytest

from reader.library.text import (
    clean_line,
    clean_text,
    count_words,
    lazy_pattern,
    shorten,
    split_sentences,
)


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ("red \x1b[31mtext\x1b[0m", "red text"),  # CSI colours
        ("a\x1b[?1049hb", "ab"),  # CSI private mode (alternate screen)
        ("a\x1b[2Jb", "ab"),  # clear screen
        ("a\x1b]0;window title\x07b", "ab"),  # OSC ended by BEL
        ("a\x1b]52;c;ZXZpbA==\x07b", "ab"),  # OSC 52: write the clipboard
        ("a\x1b]52;c;ZXZpbA==\x1b\\b", "ab"),  # ... ended by ST
        ("\x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\", "link"),  # OSC 8 hyperlink
        ("a\x9b31mb", "ab"),  # C1 CSI
        ("a\x9d52;c;eA==\x9cb", "ab"),  # C1 OSC ... C1 ST
        ("a\x1bPq#0;2;0;0;0\x1b\\b", "ab"),  # DCS (sixel)
        ("a\x1bcb", "ab"),  # RIS: reset the terminal
        ("a\x07\x08\x00\x7f\x85b", "ab"),  # BEL, BS, NUL, DEL, C1 NEL
        ("keep\ttabs\nand newlines", "keep\ttabs\nand newlines"),
        ("中文 text", "中文 text"),
        (
            "He said \u00e2\x80\x9dhi\u00e2\x80\x9d.\nNext.",
            "He said \u00e2hi\u00e2.\nNext.",
        ),  # mojibake
        ("a\x1b]52;c;ZXZpbA==\nthe rest", "a52;c;ZXZpbA==\nthe rest"),  # unterminated OSC
        ("abc\u202edcba\u2066x\u2069", "abcdcbax"),  # bidi overrides and isolates
        ("שלום \u200fעולם", "שלום \u200fעולם"),  # a right-to-left mark stays
    ],
)
def test_clean_text_removes_escapes_and_controls(dirty: str, clean: str) -> None:
    assert clean_text(dirty) == clean


def test_clean_line_makes_one_line_without_bidi_overrides() -> None:
    dirty = "  two\nlines\t\x1b[1mbold\x1b[0m \u202eevil\u202c  "
    assert clean_line(dirty) == "two lines bold evil"


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        ("第一句。第二句！第三", ["第一句。", "第二句！", "第三"]),
        ("“引语。”后文", ["“引语。”", "后文"]),
        ("Rate is 6.35 now. Next one", ["Rate is 6.35 now.", " Next one"]),
    ],
)
def test_split_sentences(text: str, pieces: list[str]) -> None:
    assert split_sentences(text) == pieces
    assert "".join(pieces) == text


def test_shorten_cuts_cjk_anywhere_and_latin_at_a_word() -> None:
    assert shorten("短标题") == "短标题"
    cut = shorten("中" * 60)
    assert cut == "中" * 39 + "…"
    assert shorten("alpha beta gamma delta", 12) == "alpha beta…"


def test_count_words_counts_each_cjk_character_as_a_word() -> None:
    assert count_words("中文 news, 2 words") == (5, 13)  # non-space characters


def test_a_lazy_pattern_compiles_on_first_use_and_acts_as_the_pattern() -> None:
    pattern = lazy_pattern(r"^(\w+):", re.MULTILINE)
    assert "search" not in vars(pattern)  # nothing compiled yet
    assert pattern.findall("a: 1\nbb: 2") == ["a", "bb"]
    assert pattern.sub("-", "a: 1") == "- 1"
    assert pattern.flags & re.MULTILINE
    assert pattern.pattern == r"^(\w+):"
    assert pattern.search("x") is None
