"""The search bar over the article list, and the find bar under the article body."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static


class SearchBar(Vertical):
    """`/` shows it. Typing searches (debounced); the status line shows the count or the error."""

    DEFAULT_CSS = """
    SearchBar { height: auto; display: none; background: $panel; }
    SearchBar.-open { display: block; }
    SearchBar Input { border: tall $accent; }
    SearchBar #search-status {
        color: $text-muted; padding: 0 1; height: auto; max-height: 3;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    SearchBar.-error #search-status { color: $text-error; }
    """

    def compose(self) -> ComposeResult:
        yield Input(
            placeholder='search: words "phrase" OR -not tag: cat: is: after: …', id="search-input"
        )
        yield Static(id="search-status")

    @property
    def input(self) -> Input:
        return self.query_one("#search-input", Input)

    def status(self, message: str | Text, error: bool = False) -> None:
        self.set_class(error, "-error")
        self.query_one("#search-status", Static).update(
            message if isinstance(message, Text) else Text(message)
        )


class FindBar(Vertical):
    """`ctrl+f` in the article: find text; enter/down next match, up previous, esc closes."""

    BINDINGS = [
        Binding("down", "screen.find_next(1)", "Next match", show=False, id="find.next"),
        Binding("up", "screen.find_next(-1)", "Previous match", show=False, id="find.previous"),
    ]

    DEFAULT_CSS = """
    FindBar { height: auto; display: none; background: $panel; }
    FindBar.-open { display: block; }
    FindBar Input { border: tall $accent; }
    """

    def compose(self) -> ComposeResult:
        yield Input(placeholder="find in this article", id="find-input")

    @property
    def input(self) -> Input:
        return self.query_one("#find-input", Input)
