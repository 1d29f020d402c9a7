"""An article's laid-out lines with the pictures that are ready put above their labels.

The text is laid out once, with `[image: alt]` labels (see builder.PICTURE); a picture
shows up later, when it has been read and decoded. Putting its rows in moves every line
below it, so `Spliced` maps line numbers between the text alone ("base") and the lines
shown: what the reader was looking at, and ctrl+f's matches, stay where they were.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.text import Text
from textual.strip import Strip

from reader.ui.pictures import Shown, sixel_over

if TYPE_CHECKING:
    from textual.geometry import Region, Spacing

Key = tuple[int, int, int]  # (picture number, text width, most rows)


@dataclass
class Spliced:
    """Lines as shown, and where pictures went in."""

    lines: list[Strip]
    texts: list[Text]
    plain: list[str]
    added: list[tuple[int, int]] = field(default_factory=list)  # (base line, rows above it)
    sixels: dict[int, tuple[Shown, int]] = field(default_factory=dict)  # label line: indent

    def shown_line(self, base: int) -> int:
        """Where base line `base` is now."""
        return base + sum(rows for line, rows in self.added if line <= base)

    def base_line(self, shown: int) -> int:
        """The base line of a line shown (a picture's row: its label's)."""
        moved = 0
        for line, rows in self.added:
            first = line + moved  # the picture's first row, as shown
            if shown < first:
                break
            if shown < first + rows:
                return line
            moved += rows
        return shown - moved


def splice(
    lines: list[Strip],
    texts: list[Text],
    plain: list[str],
    spots: dict[int, tuple[int, int]],
    ready: dict[int, Shown],
) -> Spliced:
    """The lines with each ready picture's rows above its label (`spots`: picture number
    -> (base line of its label, indent); `ready`: picture number -> its rows)."""
    out = Spliced(list(lines), list(texts), list(plain))
    placed = sorted(
        ((spots[number], ready[number]) for number in ready if number in spots),
        key=lambda spot: spot[0],
    )
    for (line, indent), shown in reversed(placed):  # (from the end: lines above stay put)
        pad = [Segment(" " * indent)] if indent else []
        rows = [Strip([*pad, *row], indent + row.cell_length) for row in shown.rows]
        out.lines[line:line] = rows
        out.texts[line:line] = [Text() for _ in rows]
        out.plain[line:line] = [""] * len(rows)
    for (line, indent), shown in placed:
        out.added.append((line, len(shown.rows)))
        if shown.sixel:
            out.sixels[out.shown_line(line)] = (shown, indent)
    return out


class Board:
    """One open article's pictures: its lines without them, where each goes, the ones laid
    out (by width and height: a resize lays them out again), and the lines as shown."""

    def __init__(self) -> None:
        self.base: tuple[list[Strip], list[Text], list[str]] | None = None
        self.spots: dict[int, tuple[int, int]] = {}  # picture -> (base line, indent)
        self.spliced: Spliced | None = None
        self.shown: dict[Key, Shown | None] = {}  # None: cannot be shown (keeps its label)
        self.pending: set[Key] = set()  # being read and laid out by the running worker
        self.rows = 20  # a picture's most rows: a little less than the pane's height

    def ready(self, spots: dict[int, tuple[int, int]], width: int) -> dict[int, Shown]:
        """The pictures laid out for this width. (Called from the layout's thread too:
        lookups only, as the event loop may add to `shown` meanwhile.)"""
        return {n: shown for n in spots if (shown := self.shown.get((n, width, self.rows)))}

    def missing(self, pictures: list[tuple[str, str]], width: int) -> list[tuple[int, str, int]]:
        """(number, source, most columns) of the pictures not yet tried at this width;
        none when those are what the running worker is doing (a keep-scroll layout
        again, after the article was marked read, must not start it over)."""
        todo = [
            (number, pictures[number][0], width - indent)
            for number, (_line, indent) in sorted(self.spots.items())
            if (number, width, self.rows) not in self.shown
        ]
        keys = {(number, width, self.rows) for number, _src, _cols in todo}
        if keys <= self.pending:
            return []
        self.pending = keys
        return todo

    def add(self, key: Key, shown: Shown | None, width: int) -> tuple[Spliced, Spliced] | None:
        """Keep a picture laid out; (lines before, lines now) when that changes the lines."""
        self.shown[key] = shown
        self.pending.discard(key)
        old = self.spliced
        if shown is None or self.base is None or old is None or key[1:] != (width, self.rows):
            return None
        self.spliced = splice(*self.base, self.spots, self.ready(self.spots, width))
        return old, self.spliced

    def draw_sixels(
        self, lines: list[Strip], crop: Region, top: int, height: int, gutter: Spacing
    ) -> None:
        """Sixel pictures wholly on screen drawn over their blank rows, from the start of
        the label line below each (its rows were sent before it, in the same frame).
        `lines`: a frame's lines of the widget, `crop` of it; `top`: the scroll offset."""
        for label, (shown, indent) in self.spliced.sixels.items() if self.spliced else ():
            if label - len(shown.rows) < top or label >= top + height:
                continue  # partly off screen: the rows stay blank until it is all on
            row = gutter.top + label - top - crop.y
            if 0 <= row < len(lines):
                strip = lines[row]
                over = sixel_over(shown, gutter.left + indent - crop.x)
                lines[row] = Strip([over, *strip], strip.cell_length)
