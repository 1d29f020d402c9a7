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
NO_LINE_END = frozenset("（「『【《〈“‘([{")
_TOKEN = re.compile(r"\s+|[^\s\u3000-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]+|.", re.DOTALL)


def break_offsets(text: str, width: int) -> list[int]:
    """Offsets in `text` where each new line starts, so no line exceeds `width` cells."""
    width = max(width, 2)
    breaks: list[int] = []
    starts: list[int] = []  # where each word or CJK character of the current line starts
    col = 0
    for match in _TOKEN.finditer(text):
        token, start = match.group(), match.start()
        if token.isspace():
            col += len(token)
            if col > width:  # the spaces end the line; the next one starts after them
                breaks.append(match.end())
                starts, col = [], 0
            continue
        size = cell_len(token)
        if col + size <= width:
            col += size
            starts.append(start)
            continue
        # Fold a word longer than the line (or a long one, like a URL, that would leave
        # a gap) in place; shorter words move whole to the next line.
        if size > width // 2 and not (len(token) == 1 and is_cjk(token)):
            starts.append(start)
            for i, ch in enumerate(token):
                w = cell_len(ch)
                if col + w > width and col:
                    breaks.append(start + i)
                    starts, col = [start + i], 0
                col += w
            continue
        candidates = [*starts, start]
        k = len(candidates) - 1  # the new line starts at candidates[k]...
        while k > 0 and text[candidates[k]] in NO_LINE_START:
            k -= 1  # ...but no closing mark starts a line: carry what it closes along
        if (
            k > 0
            and text[candidates[k - 1]] in NO_LINE_END
            and candidates[k] - 1 == candidates[k - 1]
        ):
            k -= 1  # and an opening mark goes down with what it opens
        if k == 0:  # the whole line is marks: break before the token after all
            k = len(candidates) - 1
        at = candidates[k]
        breaks.append(at)
        starts = candidates[k:]
        col = cell_len(text[at : match.end()])
    return breaks


def wrap(text: Text, width: int, indent: str = "", hanging: str | None = None) -> list[Text]:
    """Wrap styled text to `width` cells; `indent` starts the first line, `hanging` the rest."""
    hanging = indent if hanging is None else hanging
    room = max(width - max(cell_len(indent), cell_len(hanging)), 8)
    lines: list[Text] = []
    for part in text.split("\n", allow_blank=True):
        pieces = part.divide(break_offsets(part.plain, room)) if part.plain else [part]
        for piece in pieces:
            piece.rstrip()
            lines.append(piece)
    out = []
    for number, line in enumerate(lines):
        prefix = Text(indent if number == 0 else hanging)
        out.append(prefix + line if prefix.plain else line)
    return out
