"""Line breaking that reads well for Chinese and English alike.

Rich breaks lines only at spaces, so a run of Chinese text shorter than the width but
longer than what is left of a line jumps whole to the next line. Here any CJK character
is a break opportunity, Latin words stay whole, and CJK punctuation follows the usual
rules (no closing mark at the start of a line, no opening mark at the end).
"""

from __future__ import annotations

import re

from rich.cells import cell_len
from rich.text import Text

from reader.library.text import is_cjk

NO_LINE_START = frozenset("，。、：；！？）」』】》〉”’…—～·,.;:!?)]}%")
NO_LINE_END = frozenset("（「『【《〈“‘([{#+")  # `#` and `+`: a tag's mark stays with it
_NUMBER = re.compile(r"\[\^?\d{1,6}\]")
_TOKEN = re.compile(
    r"\s+|\[\^?\d{1,6}\]|[^\s[\u3000-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]+|.", re.DOTALL
)


def _no_start(text: str, at: int) -> bool:
    """A closing mark, or a link or footnote number (`[12]`, `[^3]`), never starts a line."""
    return text[at] in NO_LINE_START or _NUMBER.match(text, at) is not None


def break_offsets(text: str, width: int, first: int | None = None) -> list[int]:
    """Offsets in `text` where each new line starts, so no line exceeds `width` cells (the
    first line `first` cells, when given: a hanging indent leaves the first line whole)."""
    width = max(width, 2)
    limit = width if first is None else max(first, 2)
    breaks: list[int] = []
    starts: list[int] = []  # where each word or CJK character of the current line starts
    col = 0
    for match in _TOKEN.finditer(text):
        token, start = match.group(), match.start()
        if token.isspace():
            col += len(token)
            if col > limit:  # the spaces end the line; the next one starts after them
                breaks.append(match.end())
                starts, col, limit = [], 0, width
            continue
        size = cell_len(token)
        if col + size <= limit:
            col += size
            starts.append(start)
            continue
        # Fold a word longer than the line (or a long one, like a URL, that would leave
        # a gap) in place; shorter words move whole to the next line.
        if size > limit // 2 and not (len(token) == 1 and is_cjk(token)):
            starts.append(start)
            for i, ch in enumerate(token):
                w = cell_len(ch)
                if col + w > limit and col:
                    breaks.append(start + i)
                    starts, col, limit = [start + i], 0, width
                col += w
            continue
        candidates = [*starts, start]
        k = len(candidates) - 1  # the new line starts at candidates[k]...
        while k > 0 and _no_start(text, candidates[k]):
            k -= 1  # ...but no closing mark starts a line: carry what it closes along
        if (
            k > 0
            and text[candidates[k - 1]] in NO_LINE_END
            and candidates[k] - 1 == candidates[k - 1]
        ):
            k -= 1  # and an opening mark (or a tag's `#`) goes down with what it opens
        if k == 0:  # the whole line is marks: break before the token after all
            k = len(candidates) - 1
        at = candidates[k]
        breaks.append(at)
        starts = candidates[k:]
        col, limit = cell_len(text[at : match.end()]), width
    return breaks


def wrap(text: Text, width: int, indent: str = "", hanging: str | None = None) -> list[Text]:
    """Wrap styled text to `width` cells; `indent` starts the first line, `hanging` the rest."""
    hanging = indent if hanging is None else hanging
    first = max(width - cell_len(indent), 8)
    rest = max(width - cell_len(hanging), 8)
    lines: list[Text] = []
    for number, part in enumerate(text.split("\n", allow_blank=True)):
        offsets = break_offsets(part.plain, rest, first if number == 0 else None)
        pieces = part.divide(offsets) if part.plain else [part]
        for piece in pieces:
            piece.rstrip()
            lines.append(piece)
    out = []
    for number, line in enumerate(lines):
        prefix = Text(indent if number == 0 else hanging)
        out.append(prefix + line if prefix.plain else line)
    return out
