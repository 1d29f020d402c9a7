"""The faster text functions give exactly what the ones before them gave.

The contentless search index is built from `plain_text(body)`, and taking an article out
of it needs the very values it went in with: a parser that changed one character would
leave entries that can no longer be removed. So each function rewritten for speed is
checked against a frozen copy of its old self (below, as of commit 8dc219f) on generated
text and on real posts.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader import paths
from reader.library import parse, text
from reader.library.decode import BinaryFile, decode

# ---- the old implementations, frozen -----------------------------------------------------------

_ESCAPES = re.compile(
    r"""
    (?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?
    | (?:\x1b[\]P^_X]|[\x9d\x90\x9e\x9f\x98])
      [^\x07\x1b\x9c\x9d\x90\x9e\x9f\x98\n]*
      (?:\x07|\x1b\\|\x9c)
    | \x1b[ -/]*[0-~]?
    """,
    re.VERBOSE,
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
_SPACES = re.compile(r"\s+")
_C1 = re.compile(r"[\x80-\x9f]")
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_CJK_CHAR = re.compile(f"[{_CJK}]")
_LATIN_WORD = re.compile(f"[^\\W_{_CJK}]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_TRAILING_SPACE = re.compile(r"(?<![ \t])[ \t]+$", re.MULTILINE)
_STRIP_MD = [
    (re.compile(r"!\[([^\[\]\n]{0,500})\]\([^()\n]{0,2000}\)"), r"\1"),
    (re.compile(r"\[([^\[\]\n]{0,500})\]\([^()\n]{0,2000}\)"), r"\1"),
    (re.compile(r"<(?:https?|ftp|mailto):[^<>\s]{0,2000}>"), ""),
    (re.compile(r"</?[a-zA-Z][^<>\n]{0,500}>"), ""),
    (re.compile(r"^[ \t]{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)", re.MULTILINE), ""),
    (re.compile(r"^[ \t]*(?:```|~~~).*$|^[ \t]*[-*_]{3,}[ \t]*$", re.MULTILINE), ""),
    (re.compile(r"(\*\*|__|\*|`)(?=\S)([^*_`\n]{1,500}?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(?<!\w)_(?=\S)([^_\n]{1,500}?)(?<=\S)_(?!\w)"), r"\1"),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!>|])"), r"\1"),
]


def old_clean_text(s: str) -> str:
    if "\x1b" in s or (not s.isascii() and _C1.search(s)):
        s = _ESCAPES.sub("", s)
    if not s.isascii() and _BIDI.search(s):
        s = _BIDI.sub("", s)
    return _CONTROLS.sub("", s) if _CONTROLS.search(s) else s


def old_clean_line(s: str) -> str:
    return _SPACES.sub(" ", old_clean_text(s)).strip()


def old_count_words(s: str) -> tuple[int, int]:
    words = len(_CJK_CHAR.findall(s)) + len(_LATIN_WORD.findall(s))
    chars = len(s) - sum(len(m) for m in _SPACES.findall(s))
    return words, chars


def old_tidy_lines(s: str) -> str:
    return _BLANK_LINES.sub("\n\n", _TRAILING_SPACE.sub("", s))


def old_plain_text(markdown: str) -> str:
    for pattern, repl in _STRIP_MD:
        markdown = pattern.sub(repl, markdown)
    return old_tidy_lines(markdown).strip()


PAIRS: dict[str, tuple[Callable[[str], Any], Callable[[str], Any]]] = {
    "clean_text": (old_clean_text, text.clean_text),
    "clean_line": (old_clean_line, text.clean_line),
    "count_words": (old_count_words, text.count_words),
    "tidy_lines": (old_tidy_lines, text.tidy_lines),
    "plain_text": (old_plain_text, text.plain_text),
}


def differences(sample: str) -> list[str]:
    """The names of the functions whose new version differs from the old on `sample`."""
    return [name for name, (old, new) in PAIRS.items() if old(sample) != new(sample)]


# ---- generated text ----------------------------------------------------------------------------

FRAGMENTS = [
    # Markdown: what each stripping pass looks for, and near misses
    "# ", "###### ", "####### ", "#x", "> ", ">", "- ", "* ", "+ ", "1. ", "12) ", "１. ",
    "```", "~~~", "---", "***", "___", "-*_", "**", "__", "*", "_", "`", "\\", "\\*", "\\_",
    "[", "]", "(", ")", "](", "![", "[a](b)", "![alt](x.png)", "<", ">", "<http://a.b/c>",
    "<mailto:x@y>", "<b>", "</p>", "<a href='x'>", "snake_case", "_x_", "*x*", "**粗体**",
    "`code`", "|", "!", ".", ":",
    # line ends and blanks, ASCII and not
    "\n", "\n\n", "\n\n\n", " ", "  ", "\t", " \n", "\t\n", "\r", "\x0b", "\x0c", "\x1c",
    "\x1f", "\x85", "\xa0", "\u2028", "\u3000", "\u200b", "\ufeff",
    # controls, escapes, bidi
    "\x00", "\x07", "\x08", "\x1b", "\x1b[31m", "\x1b]0;t\x07", "\x1b\\", "\x7f", "\x90",
    "\x9b", "\x9c", "\x9d", "\u202a", "\u202e", "\u2066", "\u2069",
    # CJK, at the edges of the ranges count_words treats as CJK, and their neighbours
    "中文", "。", "！", "，", "「", "」", "々", "\u303f", "\u3040", "\u3041", "\u30fb", "\u30ff",
    "\u3100", "\u33ff", "\u3400", "\u4dbf", "\u4dc0", "\u4e00", "\u9fff", "\ua000", "\uabff",
    "\uac00", "\ud7a3", "\ud7af", "\ud7b0", "\uf8ff", "\uf900", "\ufa6e", "\ufaff", "\ufb00",
    "\uff21", "\uff11", "\U00020000", "\U0002a6df",
    # Latin words, digits of other scripts, letters
    "word", "Café", "6.35", "x1", "٣", "Ωμέγα", "ǅ",
]  # fmt: skip
TEXT = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.characters(), st.text(max_size=5)),
    max_size=60,
).map("".join)
SAME = settings(
    max_examples=1500,
    deadline=None,
    derandomize=True,  # the same examples every run
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@SAME
@given(TEXT)
def test_generated_text_gives_what_it_gave(sample: str) -> None:
    assert differences(sample) == []


@SAME
@given(TEXT)
def test_generated_bodies_give_what_they_gave(sample: str) -> None:
    """As the parser calls them: cleaned, tidied, stripped, counted."""
    clean = text.clean_text(sample)
    tidied = text.tidy_lines(clean).strip("\n") + "\n"
    plain = text.plain_text(tidied)
    assert differences(clean) == differences(tidied) == differences(plain) == []


def test_every_character_gives_what_it_gave() -> None:
    """Every code point next to its neighbours, between letters and between blanks: the
    character classes that changed (`\\s`, `\\w`, CJK, controls) behave as before for each.
    (plain_text and tidy_lines changed only in tests for literal marks.)"""
    everything = "".join(map(chr, range(0x110000)))
    for sample in (everything, "a".join(everything), " ".join(everything)):
        for name in ("clean_text", "clean_line", "count_words"):
            old, new = PAIRS[name]
            assert old(sample) == new(sample), name


def test_split_on_exactly_what_backslash_s_matches() -> None:
    """clean_line and count_words use str.split() for `\\s+`: the same characters."""
    spaces = re.compile(r"\s")
    for code in range(0x110000):
        ch = chr(code)
        assert ch.isspace() == bool(spaces.match(ch)) == (ch.split() == []), hex(code)


# ---- real posts --------------------------------------------------------------------------------

POSTS = Path("/work/posts20k")  # optional, as the corpus: the project must not depend on them
CORPUS = Path("/work/shared/corpus")


def post_files(folder: Path, limit: int | None = None) -> list[Path]:
    found = [
        Path(root, name) for root, _, names in os.walk(folder) for name in names if name[0] != "."
    ]
    return sorted(found)[:limit]


SOURCES = {
    "posts20k, first 3,000": lambda: post_files(POSTS, 3000),
    "bundled seeds": lambda: post_files(paths.seeds_dir()),
    "shared corpus": lambda: post_files(CORPUS),
}


def recording(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Record (function, argument) of each call the parser's modules make into text.py."""
    seen: list[tuple[str, str]] = []
    for module in list(sys.modules.values()):
        if module is text or not getattr(module, "__name__", "").startswith("reader.library."):
            continue
        for name, (_, new) in PAIRS.items():
            if getattr(module, name, None) is new:

                def record(arg: str, _new: Any = new, _name: str = name) -> Any:
                    seen.append((_name, arg))
                    return _new(arg)

                monkeypatch.setattr(module, name, record)
    return seen


@pytest.mark.parametrize("source", list(SOURCES))
def test_real_posts_give_what_they_gave(source: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """On each post: each function on the whole file (front matter too), and every call
    the parser makes (cleaning the body, tidying it, its plain text, counts, title, tags)."""
    files = SOURCES[source]()
    if not files:
        pytest.skip(f"{source}: no posts on this machine")
    seen = recording(monkeypatch)
    calls = 0
    for file in files:
        data = parse.read_post(file)
        try:
            whole = decode(data)[0]
        except BinaryFile:
            continue
        assert differences(whole) == [], file
        seen.clear()
        with contextlib.suppress(parse.ParseError, parse.Unpublished):
            parse.parse_bytes(data, "post.md")
        for name, arg in seen:
            old, new = PAIRS[name]
            assert old(arg) == new(arg), (file, name)
        calls += len(seen)
    assert calls >= len(files)  # the parser's calls were seen
