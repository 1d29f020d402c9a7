"""The search bar over the article list, and the find bar under the article body."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Static

from reader.ui.keys import bindings


class BarMessage(Message):
    """What a bar says: the text typed in it (each bar's `Typed`), or that enter was
    pressed (its `Done`). Each bar has its own, so a handler is named for it
    (`on_search_bar_typed`, `on_find_bar_done`)."""

    def __init__(self, bar: Bar, text: str) -> None:
        super().__init__()
        self.bar = bar
        self.text = text

    @property
    def control(self) -> Bar:
        return self.bar


class Bar(Vertical):
    """A bar that builds its parts when first used: two hidden Inputs built at start cost
    ~30 ms of the first paint."""

    Typed: ClassVar[type[BarMessage]]
    Done: ClassVar[type[BarMessage]]

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Typed(self, event.value))

    @on(Input.Submitted)
    def _done(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Done(self, event.value))

    def parts(self) -> Iterable[Widget]:
        raise NotImplementedError

    def build(self) -> None:
        if not self.children:
            self.mount_all(self.parts())

    @property
    def input(self) -> Input:
        self.build()
        return self.query_one(Input)


class SearchBar(Bar):
    """`/` shows it. Typing searches (debounced); the status line shows the count or the error."""

    class Typed(BarMessage): ...

    class Done(BarMessage): ...

    BAR_KEYS = ("back", "search_scope", "sort")  # shown in the key bar while typing

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

    def parts(self) -> Iterable[Widget]:
        placeholder = 'search: words "phrase" OR -not tag: cat: is: after: …'
        return Input(placeholder=placeholder, id="search-input"), Static(id="search-status")

    def status(self, message: str | Text, error: bool = False) -> None:
        self.set_class(error, "-error")
        self.build()
        self.query_one("#search-status", Static).update(
            message if isinstance(message, Text) else Text(message)
        )


class FindBar(Bar):
    """`ctrl+f` in the article: find text; enter/down next match, up previous, esc closes."""

    class Typed(BarMessage): ...

    class Done(BarMessage): ...

    BAR_KEYS = ("back",)  # shown in the key bar while typing (↑ ↓ are the Input's there)

    BINDINGS = bindings("find.")

    DEFAULT_CSS = """
    FindBar { height: auto; display: none; background: $panel; }
    FindBar.-open { display: block; }
    FindBar Input { border: tall $accent; }
    """

    def parts(self) -> Iterable[Widget]:
        placeholder = "find in this article: enter or ↓ next match, ↑ previous"
        return (Input(placeholder=placeholder, id="find-input"),)
