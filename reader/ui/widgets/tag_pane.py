"""The highlighted article's categories and tags."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from reader.library.models import ArticleSummary


class TagPane(Static):
    DEFAULT_CSS = """
    TagPane { height: auto; max-height: 6; padding: 0 1; background: $panel;
              color: $text-muted; }
    """

    def show(self, row: ArticleSummary | None) -> None:
        text = Text()
        if row is not None:
            if row.categories:
                text.append("Categories ", style="bold")
                text.append("  ".join(row.categories))
            if row.tags:
                if text:
                    text.append("\n")
                text.append("Tags       ", style="bold")
                text.append("  ".join(f"#{tag}" for tag in row.tags))
            if not text:
                text.append("No categories or tags")
        self.update(text)
