"""The import's progress, one line under the panes while `newsreader PATH` imports."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class ImportLine(Static):
    """Hidden until an import runs; hidden again when it ends."""

    DEFAULT_CSS = """
    ImportLine { height: 1; padding: 0 1; background: $panel; color: $text-muted; display: none; }
    """

    def say(self, line: str) -> None:
        if not self.display:
            self.display = True
        self.update(Text(line, no_wrap=True, overflow="ellipsis"), layout=False)

    def clear(self) -> None:
        self.display = False
