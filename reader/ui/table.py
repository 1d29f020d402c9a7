"""Markdown tables laid out to a width: cells wrap with the CJK-aware line breaker (Rich's
table cut a Chinese cell with an ellipsis), and columns keep their `---:` alignment."""

from __future__ import annotations

import re

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text

from reader.ui.wrap import break_offsets

GAP = 2  # spaces between columns
LONGEST_WORD = 20  # a column need not be wider than this to keep words whole: longer ones fold
_WORD = re.compile(r"[^\s\u3000-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]+")


def table_lines(
    rows: list[list[Text]], aligns: list[str], width: int, header: Style, rule: Style
) -> list[Text]:
    """The table's lines, none wider than `width` (unless it has more columns than fit)."""
    if not rows:
        return []
    columns = max(len(row) for row in rows)
    rows = [row + [Text()] * (columns - len(row)) for row in rows]
    widths = _widths(rows, width - GAP * (columns - 1))
    out: list[Text] = []
    for number, row in enumerate(rows):
        cells = [_cell_lines(cell, w) for cell, w in zip(row, widths, strict=True)]
        for i in range(max(len(c) for c in cells)):
            line = Text()
            for n, (cell, w) in enumerate(zip(cells, widths, strict=True)):
                piece = cell[i] if i < len(cell) else Text()
                line.append_text(Text(" " * GAP) if n else Text())
                line.append_text(_aligned(piece, w, aligns[n] if n < len(aligns) else ""))
            line.rstrip()
            if number == 0:
                line.stylize(header)
            out.append(line)
        if number == 0 and len(rows) > 1:
            out.append(Text((" " * GAP).join("─" * w for w in widths), style=rule))
    return out


def _widths(rows: list[list[Text]], room: int) -> list[int]:
    """Natural widths when they fit; else each column gets its longest word (up to
    LONGEST_WORD) and the rest of the room goes to the columns that want more."""
    columns = len(rows[0])
    natural = [max((_natural(row[n]) for row in rows), default=1) or 1 for n in range(columns)]
    if sum(natural) <= room:
        return natural
    least = [
        min(natural[n], max((_longest(row[n]) for row in rows), default=1), LONGEST_WORD)
        for n in range(columns)
    ]
    if sum(least) > room:  # not even the words fit: share the room out
        share = max(room, columns * 2)
        least = [max(2, w * share // max(sum(least), 1)) for w in least]
        return least
    # A column whose whole width fits its fair share keeps it (`贵州茅台` is not folded to
    # make room for a long note); the others start from their longest word.
    fair = room // columns
    widths = [natural[n] if natural[n] <= fair else least[n] for n in range(columns)]
    if sum(widths) > room:
        widths = list(least)
    spare = room - sum(widths)
    wants = [natural[n] - widths[n] for n in range(columns)]
    total = sum(wants)
    for n in range(columns):
        widths[n] += spare * wants[n] // total if total else 0
    left = room - sum(widths)
    for n in sorted(range(columns), key=lambda n: natural[n] - widths[n], reverse=True):
        if left <= 0:
            break
        if widths[n] < natural[n]:
            widths[n] += 1
            left -= 1
    return widths


def _natural(cell: Text) -> int:
    return max((cell_len(line) for line in cell.plain.split("\n")), default=0)


def _longest(cell: Text) -> int:
    words = _WORD.findall(cell.plain)
    longest = max((cell_len(w) for w in words), default=0)
    return max(longest, 2 if cell.plain.strip() else 0)


def _cell_lines(cell: Text, width: int) -> list[Text]:
    lines: list[Text] = []
    for part in cell.split("\n", allow_blank=True):
        pieces = part.divide(break_offsets(part.plain, width)) if part.plain else [part]
        for piece in pieces:
            piece.rstrip()
            lines.append(piece)
    return lines or [Text()]


def _aligned(piece: Text, width: int, align: str) -> Text:
    pad = max(0, width - cell_len(piece.plain))
    if align == "right":
        return Text(" " * pad) + piece
    if align == "center":
        return Text(" " * (pad // 2)) + piece + Text(" " * (pad - pad // 2))
    return piece + Text(" " * pad)
