"""Where search terms and find-in-article needles occur in shown text, and marking them."""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

from rich.style import Style
from rich.text import Text

from reader.library.fold import fold, spellings


def highlight(text: Text, terms: list[str], style: Style, start: int = 0) -> int:
    """Style every case-insensitive occurrence of `terms` in `text` from `start`; count them."""
    found = find_spans([text.plain[start:]], terms)
    for pieces in found:
        for _line, first, end in pieces:
            text.stylize(style, start + first, start + end)
    return len(found)


Piece = tuple[int, int, int]  # (line, start, end) of one line's part of a match

_BREAK = r"(?:\n[ \t]*)?"  # a soft line break (and the next line's indent) between characters
_GAP = r"(?:[ \t]+\n?|\n)[ \t]*"  # a space, or the line break that took its place


def find_spans(lines: list[str], needles: list[str]) -> list[list[Piece]]:
    """Every case-insensitive occurrence of any of `needles` in wrapped lines, as the pieces
    of the lines it covers, compared folded, in each spelling, as search does (匯率 for
    汇率, 回覆 for 回复, ＧＤＰ for GDP).
    An occurrence may run over a line break: Chinese wraps between any two characters, and
    a space where a line was broken is dropped."""
    words = {form for needle in needles if needle.strip() for form in spellings(needle.strip())}
    if not words:
        return []
    pattern = _pattern(tuple(sorted(words, key=lambda word: (-len(word), word))))
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    found = []
    for match in pattern.finditer(fold("\n".join(lines))):  # (folding keeps the places)
        first = bisect_right(starts, match.start()) - 1
        last = bisect_right(starts, match.end() - 1) - 1
        pieces = []
        for number in range(first, last + 1):
            line = lines[number]
            start = max(match.start() - starts[number], 0)
            if number > first:  # not the indent that a continued line starts with
                start = max(start, len(line) - len(line.lstrip()))
            end = min(match.end() - starts[number], len(line))
            if end > start:
                pieces.append((number, start, end))
        found.append(pieces)
    return found


@lru_cache(maxsize=64)
def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """Longest first, so a longer term wins where two overlap. Cached: every list row with
    a match asks for the same terms' pattern."""
    return re.compile("|".join(_flowing(word) for word in words), re.IGNORECASE)


def _flowing(word: str) -> str:
    """A pattern for `word` that also matches it broken over two lines."""
    out = []
    for index, char in enumerate(word):
        if char.isspace():
            if not word[index - 1].isspace():
                out.append(_GAP)
            continue
        if index and not word[index - 1].isspace():
            out.append(_BREAK)
        out.append(re.escape(char))
    return "".join(out)
