"""Cleaning untrusted text, and small CJK-aware text helpers."""

from __future__ import annotations

import re
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
_SPACES = lazy_pattern(r"\s+")


def clean_text(text: str) -> str:
    """Remove terminal escape sequences, control characters and bidi overrides, keeping
    newlines and tabs."""
    if "\x1b" in text or (not text.isascii() and _C1.search(text)):
        text = _ESCAPES.sub("", text)
    if not text.isascii() and _BIDI.search(text):
        text = _BIDI.sub("", text)
    return _CONTROLS.sub("", text) if _CONTROLS.search(text) else text


def clean_line(text: str) -> str:
    """Clean text meant for one line (titles, tags): no controls, bidi overrides or newlines."""
    return _SPACES.sub(" ", clean_text(text)).strip()


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


_SPACE = lazy_pattern(r"\s+")


_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_CJK_CHAR = lazy_pattern(f"[{_CJK}]")
_LATIN_WORD = lazy_pattern(f"[^\\W_{_CJK}]+")


def count_words(text: str) -> tuple[int, int]:
    """Return (words, characters): each CJK character counts as a word, as word processors do."""
    words = len(_CJK_CHAR.findall(text)) + len(_LATIN_WORD.findall(text))
    chars = len(text) - sum(len(m) for m in _SPACE.findall(text))
    return words, chars


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


_BLANK_LINES = lazy_pattern(r"\n{3,}")
# Every repeat that could scan far is bounded, and trailing blanks are matched from the
# first blank of a run only: article text is untrusted, and an unbounded pattern tried at
# each of a million `[` or blanks takes minutes (tests/library/test_redos.py).
_TRAILING_SPACE = lazy_pattern(r"(?<![ \t])[ \t]+$", re.MULTILINE)
_STRIP_MD = [
    (lazy_pattern(r"!\[([^\[\]\n]{0,500})\]\([^()\n]{0,2000}\)"), r"\1"),  # images -> alt
    (lazy_pattern(r"\[([^\[\]\n]{0,500})\]\([^()\n]{0,2000}\)"), r"\1"),  # links -> text
    (lazy_pattern(r"<(?:https?|ftp|mailto):[^<>\s]{0,2000}>"), ""),  # autolinks
    (lazy_pattern(r"</?[a-zA-Z][^<>\n]{0,500}>"), ""),  # stray tags
    (lazy_pattern(r"^[ \t]{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)", re.MULTILINE), ""),
    (lazy_pattern(r"^[ \t]*(?:```|~~~).*$|^[ \t]*[-*_]{3,}[ \t]*$", re.MULTILINE), ""),
    (lazy_pattern(r"(\*\*|__|\*|`)(?=\S)([^*_`\n]{1,500}?)(?<=\S)\1"), r"\2"),
    (lazy_pattern(r"(?<!\w)_(?=\S)([^_\n]{1,500}?)(?<=\S)_(?!\w)"), r"\1"),  # not snake_case
    (lazy_pattern(r"\\([\\`*_{}\[\]()#+\-.!>|])"), r"\1"),  # markdown escapes
]


def plain_text(markdown: str) -> str:
    """Markdown to plain text for search and word counts; the index rebuilds it from the body."""
    for pattern, repl in _STRIP_MD:
        markdown = pattern.sub(repl, markdown)
    return tidy_lines(markdown).strip()


def tidy_lines(text: str) -> str:
    """No trailing blanks on any line, and at most one blank line in a row."""
    return _BLANK_LINES.sub("\n\n", _TRAILING_SPACE.sub("", text))
