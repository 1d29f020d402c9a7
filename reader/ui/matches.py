"""Where search terms and find-in-article needles occur in shown text, and marking them."""

from __future__ import annotations

import re
from bisect import bisect_right

from rich.style import Style
from rich.text import Text


def highlight(text: Text, terms: list[str], style: Style, start: int = 0) -> int:
    """Style every case-insensitive occurrence of `terms` in `text` from `start`; count them."""
    if not terms:
        return 0
    pattern = re.compile(
        "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.IGNORECASE
    )
    found = 0
    for match in pattern.finditer(text.plain, start):
        if match.end() > match.start():
            text.stylize(style, match.start(), match.end())
            found += 1
    return found


Piece = tuple[int, int, int]  # (line, start, end) of one line's part of a match

_BREAK = r"(?:\n[ \t]*)?"  # a soft line break (and the next line's indent) between characters
_GAP = r"(?:[ \t]+\n?|\n)[ \t]*"  # a space, or the line break that took its place


def find_spans(lines: list[str], needles: list[str]) -> list[list[Piece]]:
    """Every case-insensitive occurrence of any of `needles` in wrapped lines, as the pieces
    of the lines it covers. An occurrence may run over a line break: Chinese wraps between
    any two characters, and a space where a line was broken is dropped."""
    words = sorted({needle.strip() for needle in needles if needle.strip()}, key=len, reverse=True)
    if not words:
        return []
    pattern = re.compile("|".join(_flowing(word) for word in words), re.IGNORECASE)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    found = []
    for match in pattern.finditer("\n".join(lines)):
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
