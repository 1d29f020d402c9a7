"""Line breaking and article layout, without an app: pure functions over text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.text import Text

from reader.library import parse_file
from reader.library.models import Article
from reader.ui.matches import find_spans
from reader.ui.render import CHUNK, WALL, Styles, header, layout, split_wall
from reader.ui.wrap import NO_LINE_END, NO_LINE_START, break_offsets, wrap

SEED_WALL = Path(__file__).resolve().parents[2] / "seeds" / "003_bd810103eff7b2da.txt"
STYLES = Styles()

HAN = (
    "的一是在不了有和人这中大为上们国我以要他时来用生到作地于出就分对成会可主发年动同工也能下过子说"
    "产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当"
)
CLOSING = "，。、：；！？）」』】》"
OPENING = "（「『【《"
latin_words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8)
han_runs = st.text(alphabet=HAN, min_size=1, max_size=12)


def article(body: str, kind: str = "markdown", **fields: object) -> Article:
    values: dict[str, object] = {
        "id": 1,
        "title": "A title",
        "date": "2024-03-08",
        "source": "posts",
        "categories": ("tech",),
        "tags": ("python", "web"),
        "read": False,
        "bookmarked": False,
        "url": None,
        "path": "/posts/a.md",
        "kind": kind,
        "body": body,
        "words": 1,
        "chars": 1,
    }
    values.update(fields)
    return Article(**values)  # type: ignore[arg-type]


def lines_of(text: str, width: int) -> list[str]:
    return [line.plain for line in wrap(Text(text), width)]


def body_lines(body: str, width: int = 60, kind: str = "markdown") -> list[str]:
    return [line.plain for line in layout(article(body, kind), STYLES).lines(width, STYLES)]


def assert_same_text(original: str, lines: list[str]) -> None:
    """Each line is the next stretch of `original`; only whitespace at breaks is dropped."""
    pos = 0
    for line in lines:
        while not original.startswith(line, pos) and pos < len(original):
            assert original[pos].isspace(), (original[pos], line, lines)
            pos += 1
        assert original.startswith(line, pos), (line, lines)
        pos += len(line)
    assert not original[pos:].strip(), (original[pos:], lines)


def assert_fits(lines: list[str], width: int) -> None:
    for line in lines:
        assert cell_len(line) <= width, (cell_len(line), width, line)


# ---- wrapping ---------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [10, 11, 17, 40, 79, 80])
def test_pure_han_lines_are_full_and_lose_nothing(width: int) -> None:
    text = (HAN * 3)[:250]
    lines = lines_of(text, width)
    assert "".join(lines) == text
    assert_fits(lines, width)
    for line in lines[:-1]:
        assert cell_len(line) >= width - 1, (line, width)


def test_chinese_runs_fill_the_line_after_latin_words() -> None:
    """Rich would move the whole Chinese run down, leaving half the line empty."""
    text = "Python 是一种广泛使用的解释型高级编程语言，它的设计哲学强调代码的可读性。"
    lines = lines_of(text, 20)
    assert lines[0].startswith("Python 是一种")
    assert cell_len(lines[0]) >= 19


def test_latin_words_stay_whole() -> None:
    lines = lines_of("the quick brown fox jumps over the lazy dog again and again", 16)
    assert lines == ["the quick brown", "fox jumps over", "the lazy dog", "again and again"]


def test_a_word_longer_than_the_line_is_folded() -> None:
    url = "https://example.com/" + "a" * 50
    lines = lines_of(f"see {url} now", 20)
    assert_fits(lines, 20)
    assert_same_text(f"see {url} now", lines)
    assert "".join(lines).replace(" ", "") == f"see{url}now"


@pytest.mark.parametrize("width", range(10, 24))
def test_closing_punctuation_never_starts_a_line(width: int) -> None:
    text = "他说：今天天气很好，我们出去走走吧！你们（大家）都来吗？「来」《书》里写的。"
    lines = lines_of(text, width)
    assert "".join(lines) == text
    assert_fits(lines, width)
    for line in lines[1:]:
        assert line[0] not in NO_LINE_START, (width, lines)
    for line in lines[:-1]:
        assert line[-1] not in NO_LINE_END, (width, lines)


def test_closing_quote_after_full_stop_does_not_start_a_line() -> None:
    lines = lines_of("他说今天天气很好。”我们出去走走吧。", 18)
    assert "".join(lines) == "他说今天天气很好。”我们出去走走吧。"
    for line in lines[1:]:
        assert line[0] not in NO_LINE_START, lines


def test_latin_word_before_chinese_comma_stays_whole() -> None:
    lines = lines_of("我们都喜欢用Python，因为它简单。", 18)
    assert any("Python" in line for line in lines), lines


def test_break_offsets_are_increasing_and_inside_the_text() -> None:
    text = "今天天气很好 the weather is nice 我们出去走走吧。" * 5
    offsets = break_offsets(text, 12)
    assert offsets == sorted(set(offsets))
    assert all(0 < at < len(text) for at in offsets)
    assert break_offsets("short", 12) == []


def test_indent_and_hanging_indent() -> None:
    lines = [t.plain for t in wrap(Text("one two three four five six seven"), 14, "• ", "  ")]
    assert lines[0].startswith("• one")
    assert all(line.startswith("  ") for line in lines[1:])
    assert_fits(lines, 14)


# Text as it is written: Han runs with at most one punctuation mark after a character,
# Latin words set off by spaces or set into the Chinese, an opening mark before Han.
_clause = st.lists(
    st.one_of(
        han_runs,
        han_runs.map(lambda run: run + "，"),
        han_runs.map(lambda run: run + "。"),
        han_runs.map(lambda run: "「" + run + "」"),
        latin_words.map(lambda word: f" {word} "),
        st.tuples(han_runs, latin_words, han_runs).map("".join),
    ),
    min_size=1,
    max_size=20,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=_clause, width=st.integers(10, 120))
def test_wrapping_invariants_hold_for_mixed_text(text: str, width: int) -> None:
    lines = lines_of(text, width)
    assert_same_text(text, lines)
    assert [c for c in "".join(lines) if not c.isspace()] == [c for c in text if not c.isspace()]
    assert_fits(lines, width)
    for line in lines[1:]:
        assert not line or line[0] not in NO_LINE_START, (width, lines)
    for line in lines[:-1]:
        assert not line or line[-1] not in NO_LINE_END, (width, lines)


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(alphabet=HAN + CLOSING + OPENING + "abc xyz", min_size=1, max_size=300),
    width=st.integers(10, 120),
)
def test_no_character_is_lost_or_lines_overflow_for_any_text(text: str, width: int) -> None:
    lines = lines_of(text, width)
    assert_same_text(text, lines)
    assert_fits(lines, width)


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=HAN, min_size=1, max_size=400), width=st.integers(10, 120))
def test_pure_chinese_fills_every_line_but_the_last(text: str, width: int) -> None:
    lines = lines_of(text, width)
    assert "".join(lines) == text
    for line in lines[:-1]:
        assert width - 1 <= cell_len(line) <= width


@settings(max_examples=200, deadline=None)
@given(
    text=st.lists(st.one_of(han_runs, han_runs.map(lambda r: r + "，")), min_size=1).map("".join),
    width=st.integers(10, 120),
)
def test_punctuated_chinese_loses_at_most_one_character_per_line(text: str, width: int) -> None:
    """Moving a character down with a closing mark costs at most one character of room."""
    lines = lines_of(text, width)
    assert "".join(lines) == text
    for line in lines[:-1]:
        assert cell_len(line) >= width - 3, (width, lines)


# ---- layout -----------------------------------------------------------------------------------


def test_links_are_numbered_and_listed_at_the_end() -> None:
    lines = body_lines(
        "Read [the first](http://a.example/x) and [the second](https://b.example/y), "
        "then [the first again](http://a.example/x).\n",
        100,
    )
    assert lines[0] == "Read the first[1] and the second[2], then the first again[1]."
    assert lines[-3:] == ["Links", "[1] http://a.example/x", "[2] https://b.example/y"]


def test_document_links_match_their_numbers() -> None:
    document = layout(article("[a](http://a.example/x) ![pic](http://i.example/p.png)"), STYLES)
    assert document.links == ["http://a.example/x", "http://i.example/p.png"]


def test_images_become_labels() -> None:
    lines = body_lines("Look: ![a cat on a mat](http://img.example/cat.png)\n")
    assert "[image: a cat on a mat][1]" in lines
    assert lines[-1] == "[1] http://img.example/cat.png"


def test_unsafe_link_schemes_are_not_numbered() -> None:
    document = layout(article("[x](javascript:alert(1)) [f](file:///etc/passwd)"), STYLES)
    assert document.links == []


def test_headings_lists_quotes_code_rules_and_tables() -> None:
    body = (
        "# Heading one\n\nSome *emphasis* and `code`.\n\n"
        "- first item that is long enough to wrap around the line\n- second\n\n"
        "3. three\n4. four\n\n"
        "> quoted text\n\n"
        "```\ndef f():\n    return 1\n```\n\n"
        "---\n\n"
        "| Name | Count |\n|------|-------|\n| apples | 3 |\n| pears | 12 |\n"
    )
    lines = body_lines(body, 40)
    assert lines[:4] == ["Heading one", "", "Some emphasis and code.", ""]
    assert "• first item that is long enough to wrap" in lines
    assert "  around the line" in lines
    assert "• second" in lines
    assert [line for line in lines if line[:2] in ("3.", "4.")] == ["3. three", "4. four"]
    assert "▌ quoted text" in lines
    at = lines.index("def f():")
    assert lines[at + 1] == "    return 1"
    assert "─" * 40 in lines
    table = [line for line in lines if line.startswith(("Name", "apples", "pears"))]
    assert [line.split() for line in table] == [["Name", "Count"], ["apples", "3"], ["pears", "12"]]
    columns = {line.index(line.split()[1]) for line in table}
    assert len(columns) == 1, table  # the second column lines up


def test_rendered_lines_fit_the_width() -> None:
    body = "# 标题\n\n" + "中文段落，" * 60 + "\n\n- 列表项目" * 3 + "\n\n> 引用" * 2
    for width in (20, 41, 90):
        assert_fits(body_lines(body, width), width)


def test_header_shows_title_and_facts() -> None:
    item = article("", url="https://example.com/post", title="中文标题 and English")
    lines = [line.plain for line in header(item, STYLES, 60)]
    assert lines[0] == "中文标题 and English"
    assert "Date       2024-03-08" in lines
    assert "Source     posts" in lines
    assert "Categories tech" in lines
    assert "Tags       #python  #web" in lines
    assert "Link       https://example.com/post" in lines
    assert set(lines[-1]) == {"─"}


def test_header_leaves_out_empty_facts_and_marks_missing_files() -> None:
    item = article("", date=None, categories=(), tags=(), missing=True)
    lines = [line.plain for line in header(item, STYLES, 60)]
    assert not any(line.startswith(("Date", "Categories", "Tags", "Link")) for line in lines)
    assert "(the source file is gone)" in lines


def test_a_wall_of_chinese_becomes_paragraphs() -> None:
    parsed = parse_file(SEED_WALL)
    assert parsed.kind == "text"
    assert len(parsed.body) > 4000
    item = article(parsed.body, kind="text")
    document = layout(item, STYLES)
    paragraphs = [block.text.plain for block in document.blocks if block.kind == "para"]
    assert len(paragraphs) >= 10
    assert all(len(p) <= WALL for p in paragraphs)
    squeeze = re.compile(r"\s+")
    assert "".join(squeeze.sub("", p) for p in paragraphs) == squeeze.sub("", parsed.body)
    lines = [line.plain for line in document.lines(60, STYLES)]
    assert lines.count("") >= len(paragraphs) - 1
    assert_fits(lines, 60)


def test_a_markdown_wall_is_split_too() -> None:
    wall = "".join(f"第{n}句话讲的是外贸企业的数字化转型和经验。" for n in range(40))
    lines = body_lines(wall + "\n", 60)
    assert lines.count("") >= 3
    assert "".join(lines) == wall


def test_split_wall_keeps_short_and_broken_paragraphs() -> None:
    assert split_wall("短段落。") == ["短段落。"]
    lined = "第一行。" * 150 + "\n" + "第二行。"
    assert split_wall(lined) == [lined]


def test_split_wall_cuts_at_sentence_ends() -> None:
    wall = "".join(f"这是第{n}句比较长的话，用来测试分段是否在句号之后。" for n in range(30))
    parts = split_wall(wall)
    assert len(parts) > 3
    assert "".join(parts) == wall
    assert all(part.endswith("。") for part in parts)
    assert all(len(part) >= CHUNK for part in parts[:-1])


def test_plain_text_paragraphs_are_kept() -> None:
    lines = body_lines("First paragraph.\n\nSecond paragraph.\n", 60, kind="text")
    assert lines == ["First paragraph.", "", "Second paragraph."]


def test_find_spans_runs_over_a_soft_line_break() -> None:
    lines = [
        "印发主要板",
        "块”。该公司板块",
        "",
        "  - a list item that",
        "    wraps here",
        "New",
        "York",
    ]
    assert find_spans(lines, ["板块"]) == [[(0, 4, 5), (1, 0, 1)], [(1, 6, 8)]]
    assert find_spans(lines, ["ITEM THAT wraps"]) == [[(3, 11, 20), (4, 4, 9)]]  # indent skipped
    assert find_spans(lines, ["new york"]) == [[(5, 0, 3), (6, 0, 4)]]  # the dropped space
    assert find_spans(["ab", "", "cd"], ["bc", "b c"]) == []  # never over a blank line
    assert find_spans(lines, ["", "  "]) == []


@given(st.text(alphabet="板块公司 ab", max_size=60), st.integers(4, 12))
@settings(max_examples=200, deadline=None)
def test_find_spans_finds_what_a_search_of_the_unwrapped_text_finds(
    paragraph: str, width: int
) -> None:
    """Chinese wrapped anywhere: every occurrence in the paragraph is found, once."""
    paragraph = paragraph.replace(" ", "")
    lines = [paragraph[i : i + width] for i in range(0, len(paragraph), width)] or [""]
    assert len(find_spans(lines, ["板块"])) == paragraph.count("板块")
