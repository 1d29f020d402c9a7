"""Small modal dialogs: a one-line prompt, a yes/no confirmation, a list of links, and the
macros a prefix key starts."""

from __future__ import annotations

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList
from textual.widgets.option_list import Option

from reader.ui.keys import bindings

DIALOG_CSS = """
    align: center middle;
    & > Vertical {
        width: 70; max-width: 95%; height: auto;
        border: round $primary; background: $panel; padding: 0 1;
    }
    Label { width: 1fr; margin: 1 0 0 0; }
    Input { margin: 1 0; }
    Horizontal { height: auto; align-horizontal: right; margin: 1 0 0 0; }
    Button { margin-left: 1; }
"""


class Prompt(ModalScreen[str | None]):
    """Ask for one line of text; `enter` answers, `esc` cancels (None)."""

    BINDINGS = bindings("prompt.")
    DEFAULT_CSS = "Prompt {" + DIALOG_CSS + "}"

    def __init__(self, title: str, question: str, value: str = "", placeholder: str = "") -> None:
        super().__init__()
        self.title_text, self.question = title, question
        self.value, self.placeholder = value, placeholder

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Text(self.title_text)
            box.border_subtitle = "enter saves · esc cancels"
            yield Label(Text(self.question))
            yield Input(self.value, placeholder=self.placeholder, id="answer")

    @on(Input.Submitted)
    def answer(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)


class Confirm(ModalScreen[bool]):
    """A yes/no question that says what will happen; `y`/`enter` confirm, `n`/`esc` do not."""

    BINDINGS = bindings("confirm.")
    DEFAULT_CSS = "Confirm {" + DIALOG_CSS + "}"

    def __init__(self, title: str, question: str, action: str = "OK") -> None:
        super().__init__()
        self.title_text, self.question, self.action = title, question, action

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Text(self.title_text)
            yield Label(Text(self.question))
            with Horizontal():
                yield Button("Cancel (n)", id="no")
                yield Button(f"{self.action} (y)", variant="error", id="yes")

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class LinkPicker(ModalScreen[tuple[str, str] | None]):
    """The article's links, to open one (`enter`) or copy it (`y`); `esc` closes. Answers
    (what to do, the link)."""

    BINDINGS = bindings("links.")
    DEFAULT_CSS = (
        "LinkPicker {" + DIALOG_CSS + "} LinkPicker OptionList { height: auto; max-height: 20; }"
    )

    def __init__(self, links: list[tuple[str, str]]) -> None:
        """`links`: (label, URL), in the article's order."""
        super().__init__()
        self.links = links

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Text(f"Links ({len(self.links)})")
            box.border_subtitle = "enter opens · y copies · esc closes"
            yield OptionList(
                *(Option(Text(f"{label}  {url}", no_wrap=True, overflow="ellipsis"))
                  for label, url in self.links)
            )  # fmt: skip

    def _chosen(self) -> str | None:
        index = self.query_one(OptionList).highlighted
        return None if index is None else self.links[index][1]

    def action_open(self) -> None:
        if (url := self._chosen()) is not None:
            self.dismiss(("open", url))

    def action_copy(self) -> None:
        if (url := self._chosen()) is not None:
            self.dismiss(("copy", url))

    @on(OptionList.OptionSelected)
    def selected(self) -> None:
        self.action_open()


class MacroKey(ModalScreen[str | None]):
    """After a macro's prefix key (`,`): the macros it starts, and the next key chooses
    one (answered as typed); `esc` answers None."""

    DEFAULT_CSS = "MacroKey {" + DIALOG_CSS + "} MacroKey Label { margin: 0; }"

    def __init__(self, prefix: str, macros: dict[str, tuple[str, ...]]) -> None:
        super().__init__()
        self.prefix, self.macros = prefix, macros

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Text(f"Macros: {self.prefix} then")
            box.border_subtitle = "esc: none"
            for key, steps in self.macros.items():
                yield Label(Text(f"{key}  {' → '.join(steps)}", no_wrap=True, overflow="ellipsis"))

    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        if event.key == "escape":
            self.dismiss(None)
        elif event.character and event.character.isprintable():
            self.dismiss(event.character)
