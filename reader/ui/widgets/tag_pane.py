"""The highlighted article's categories and tags."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from reader.library.models import ArticleState, ArticleSummary


class TagPane(Static):
    DEFAULT_CSS = """
    TagPane { height: 4; padding: 0 1; background: $panel;
              color: $text-muted; }
    """

    def show(self, row: ArticleSummary | None, state: ArticleState | None = None) -> None:
        text = Text()
        if row is not None:
            if row.categories:
                text.append("Categories ", style="bold")
                text.append("  ".join(row.categories))
            if row.tags:
                if text:
                    text.append("\n")
                text.append("Tags       ", style="bold")
                for n, tag in enumerate(row.tags):
                    user = state is not None and tag in state.user_tags
                    text.append(
                        ("  " if n else "") + ("+" if user else "#") + tag,
                        style="bold" if user else "",
                    )
            if state is not None and state.note:
                text.append(("\n" if text else "") + "Note       ", style="bold")
                text.append(state.note)
            if not text:
                text.append("No categories or tags")
        self.update(text, layout=False)  # fixed height: no relayout on every cursor move
