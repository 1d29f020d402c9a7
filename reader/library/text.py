"""Cleaning untrusted text, and small CJK-aware text helpers."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, cast


class _Lazy:
    """A regex compiled when first used. Compiled at import, the patterns of the modules
    the app loads cost ~5 ms of every start, though most serve only imports and searches."""

    def __init__(self, pattern: str, flags: int) -> None:
        self._args = (pattern, flags)

    def __getattr__(self, name: str) -> Any:  # first use: later lookups find the methods
        compiled = re.compile(*self._args)
        for method in ("search", "match", "fullmatch", "sub", "subn", "finditer", "findall"):
            setattr(self, method, getattr(compiled, method))
        return getattr(compiled, name)


def lazy_pattern(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return cast("re.Pattern[str]", _Lazy(pattern, flags))


# ESC-introduced sequences: CSI (incl. private modes), OSC/DCS/PM/APC/SOS strings
# terminated by BEL or ST on the same line, and two-byte escapes. C1 equivalents (U+009B
# CSI, U+009D OSC). An unterminated string loses only its introducer, never the text after
# it ("â\x80\x9d", a quote decoded twice, must not cut an article short).
_ESCAPES = lazy_pattern(
    r"""
    (?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?          # CSI ... final byte
    | (?:\x1b[\]P^_X]|[\x9d\x90\x9e\x9f\x98])    # OSC, DCS, PM, APC, SOS ...
      [^\x07\x1b\x9c\x9d\x90\x9e\x9f\x98\n]*      # ... (linear: no introducer inside)
      (?:\x07|\x1b\\|\x9c)                       # ... up to BEL or ST
    | \x1b[ -/]*[0-~]?                          # other escapes (charset, keypad, RIS)
    """,
    re.VERBOSE,
)
# Remaining C0 controls except tab/newline, DEL, C1 controls.
_CONTROLS = lazy_pattern(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Bidi embeddings/overrides/isolates can reorder what the reader sees on one line.
_BIDI = lazy_pattern(r"[\u202a-\u202e\u2066-\u2069]")
# Any character clean_text removes or starts a sequence with: one scan finds that most text
# needs none of its three passes (a third of the cost of scanning for each).
_SUSPECT = lazy_pattern(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean_text(text: str) -> str:
    """Remove terminal escape sequences, control characters and bidi overrides, keeping
    newlines and tabs."""
    if not _SUSPECT.search(text):
        return text
    if "\x1b" in text or (not text.isascii() and _C1.search(text)):
        text = _ESCAPES.sub("", text)
    if not text.isascii() and _BIDI.search(text):
        text = _BIDI.sub("", text)
    return _CONTROLS.sub("", text) if _CONTROLS.search(text) else text


def clean_line(text: str) -> str:
    """Clean text meant for one line (titles, tags): no controls, bidi overrides or newlines."""
    # str.split() splits on exactly what `\s` matches (str.isspace): runs become one space.
    return " ".join(clean_text(text).split())


_C1 = lazy_pattern(r"[\x80-\x9f]")


def is_cjk(ch: str) -> bool:
    """True for Han, kana, hangul and CJK punctuation: scripts written without spaces."""
    o = ord(ch)
    return (
        0x3000 <= o <= 0x9FFF
        or 0xAC00 <= o <= 0xD7AF
        or 0xF900 <= o <= 0xFAFF
        or 0xFF00 <= o <= 0xFFEF
        or 0x20000 <= o <= 0x3FFFF
    )


_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
# A run of CJK characters (group 1) or a Latin word (group 1 empty): one pass finds both.
_RUNS = lazy_pattern(f"([{_CJK}]+)|[^\\W_{_CJK}]+")


def count_words(text: str) -> tuple[int, int]:
    """Return (words, characters): each CJK character counts as a word, as word processors do."""
    runs = _RUNS.findall(text)
    words = sum(map(len, runs)) + runs.count("")  # CJK characters + Latin words
    return words, sum(map(len, text.split()))  # characters other than whitespace


# Sentence ends: CJK stops always; Latin ones only before a space or the end (not 6.35).
_SENTENCE_END = lazy_pattern(r"[。！？；…]+[”’」』）)]*|[.!?;]+(?=\s|$)")


def split_sentences(text: str) -> list[str]:
    """Split text after each sentence end; joining the pieces gives the text back."""
    pieces, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        pieces.append(text[start : match.end()])
        start = match.end()
    if start < len(text):
        pieces.append(text[start:])
    return pieces


def shorten(text: str, limit: int = 40) -> str:
    """Cut text to about `limit` characters, at a word boundary when the cut falls in Latin text."""
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if not is_cjk(text[limit - 1]) and not is_cjk(cut[-1]) and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,，、:：") + "…"


# Every repeat that could scan far is bounded, and trailing blanks are matched from the
# first blank of a run only: article text is untrusted, and an unbounded pattern tried at
# each of a million `[` or blanks takes minutes (tests/library/test_redos.py).
_TRAILING_SPACE = lazy_pattern(r"(?<![ \t])[ \t]+$", re.MULTILINE)
# Markdown marks at a line start, for plain_text to tell when a pass over line starts
# (slow: tried at every position) can find nothing. Searched in "\n" + text.
_LINE_MARK = lazy_pattern(r"\n[ \t]{0,3}(?:#|>|[-*+]\s|\d+[.)]\s)")
_FENCE_OR_RULE = lazy_pattern(r"```|~~~|[-*_]{3}")
# Each pass runs only when its test finds what every match of it contains, so one that
# cannot match costs a substring test instead of a scan (most text has no `_`, `*`, `#`).
_STRIP_MD: list[tuple[Callable[[str], object], re.Pattern[str], str]] = [
    (
        lambda text: "![" in text,
        lazy_pattern(r"!\[([^\[\]\n]{0,500})\]\([^()\n]{0,2000}\)"),
        r"\1",
    ),  # images -> alt
    (
        lambda text: "](" in text,
        lazy_pattern(r"\[([^\[\]\n]{0,500})\]\([^()\n]{0,2000}\)"),
        r"\1",
    ),  # links -> text
    (
        lambda text: "<" in text,
        lazy_pattern(r"<(?:https?|ftp|mailto):[^<>\s]{0,2000}>"),
        "",
    ),  # autolinks
    (lambda text: "<" in text, lazy_pattern(r"</?[a-zA-Z][^<>\n]{0,500}>"), ""),  # stray tags
    (
        lambda text: _LINE_MARK.search("\n" + text),
        lazy_pattern(r"^[ \t]{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)", re.MULTILINE),
        "",
    ),  # headings, quotes, list items
    (
        lambda text: any(mark in text for mark in "-*_`~") and _FENCE_OR_RULE.search(text),
        lazy_pattern(r"^[ \t]*(?:```|~~~).*$|^[ \t]*[-*_]{3,}[ \t]*$", re.MULTILINE),
        "",
    ),  # fences, rules
    (
        lambda text: "*" in text or "`" in text or "__" in text,
        lazy_pattern(r"(\*\*|__|\*|`)(?=\S)([^*_`\n]{1,500}?)(?<=\S)\1"),
        r"\2",
    ),  # emphasis, code
    (
        lambda text: "_" in text,
        lazy_pattern(r"(?<!\w)_(?=\S)([^_\n]{1,500}?)(?<=\S)_(?!\w)"),
        r"\1",
    ),  # not snake_case
    (
        lambda text: "\\" in text,
        lazy_pattern(r"\\([\\`*_{}\[\]()#+\-.!>|])"),
        r"\1",
    ),  # markdown escapes
]


def plain_text(markdown: str) -> str:
    """Markdown to plain text for search and word counts; the index rebuilds it from the body."""
    for can_match, pattern, repl in _STRIP_MD:
        if can_match(markdown):
            markdown = pattern.sub(repl, markdown)
    return tidy_lines(markdown).strip()


def tidy_lines(text: str) -> str:
    """No trailing blanks on any line, and at most one blank line in a row."""
    # Each pass only where it can match: a blank before a line end; three line ends in a
    # row, each replace shortening every run of them (n becomes about 2n/3) down to two.
    if " \n" in text or "\t\n" in text or text.endswith((" ", "\t")):
        text = _TRAILING_SPACE.sub("", text)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text
