"""The tag editor: edit an article's tags (or several articles') in one line, with completion."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from reader.library import Facet
from reader.library.pinyin import matches as sounds_like
from reader.library.state import clean_tag, term_key
from reader.ui.keys import bindings

SEPARATORS = re.compile(r"\s*[,，、;；]\s*")
MAX_SUGGESTIONS = 8


@dataclass(frozen=True)
class TagEdit:
    add: list[str]
    remove: list[str]


def split_tags(value: str) -> list[str]:
    """`a, b c, 中文` -> [a, "b c", 中文]: commas separate, so tags may hold spaces."""
    seen: dict[str, str] = {}
    for part in SEPARATORS.split(value):
        tag = clean_tag(part)
        if tag and term_key(tag) not in seen:
            seen[term_key(tag)] = tag
    return list(seen.values())


class TagEditor(ModalScreen[TagEdit | None]):
    """`enter` saves, `esc` cancels; `tab` completes the tag being typed."""

    BINDINGS = bindings("tags.cancel", "tags.complete", "tags.down", "tags.up")
    DEFAULT_CSS = """
    TagEditor { align: center middle; }
    TagEditor > Vertical {
        width: 72; max-width: 95%; height: auto; border: round $primary;
        background: $panel; padding: 0 1;
    }
    TagEditor Label { width: 1fr; margin: 1 0 0 0; }
    TagEditor #tags { margin: 1 0 0 0; }
    TagEditor #suggestions { height: auto; max-height: 10; border: none; margin: 0 0 1 0; }
    """

    def __init__(
        self, title: str, tags: list[str], source_tags: list[str], known: list[Facet]
    ) -> None:
        super().__init__()
        self.title_text = title
        self.initial = tags
        self.source = {term_key(t) for t in source_tags}
        self.known = known

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Tags"
            box.border_subtitle = "enter saves · esc cancels · tab completes"
            yield Label(Text(self.title_text, style="bold", overflow="ellipsis", no_wrap=True))
            yield Label(self._legend(), id="legend")
            yield Input(
                ", ".join(self.initial) + (", " if self.initial else ""),
                placeholder="tags, separated by commas",
                id="tags",
            )
            yield OptionList(id="suggestions")

    def _legend(self) -> Text:
        text = Text("Comma-separated. ", style="dim")
        if self.source:
            text.append("From the source: ", style="dim")
            text.append(", ".join(t for t in self.initial if term_key(t) in self.source))
            text.append(" (delete one to hide it)", style="dim")
        return text

    def on_mount(self) -> None:
        tags = self.query_one("#tags", Input)
        tags.focus()
        tags.cursor_position = len(tags.value)
        self._suggest(tags.value)

    @property
    def fragment(self) -> str:
        return SEPARATORS.split(self.query_one("#tags", Input).value)[-1].strip()

    @on(Input.Changed, "#tags")
    def changed(self, event: Input.Changed) -> None:
        self._suggest(event.value)

    def _suggest(self, value: str) -> None:
        fragment = term_key(self.fragment)
        present = {term_key(t) for t in split_tags(value)}
        heard = {f.name for f in self.known if sounds_like(fragment, f.name, anywhere=True)}
        matches = [  # (by the letters, or by their sound: `hl` offers 汇率)
            f
            for f in self.known
            if (fragment in term_key(f.name) or f.name in heard)
            and (term_key(f.name) not in present or term_key(f.name) == fragment)
        ]
        matches.sort(
            key=lambda f: (
                not (
                    term_key(f.name).startswith(fragment)
                    or (f.name in heard and sounds_like(fragment, f.name))
                ),
                -f.count,
            )
        )
        suggestions = self.query_one("#suggestions", OptionList)
        suggestions.set_options(
            Option(Text.assemble(f.name, (f"  {f.count}", "dim")), id=f.name)
            for f in matches[:MAX_SUGGESTIONS]
        )
        suggestions.display = bool(matches) and bool(fragment)
        if matches:
            suggestions.highlighted = 0

    def action_suggestion(self, delta: int) -> None:
        suggestions = self.query_one("#suggestions", OptionList)
        if suggestions.option_count:
            current = suggestions.highlighted or 0
            suggestions.highlighted = (current + delta) % suggestions.option_count

    def action_complete(self) -> None:
        suggestions = self.query_one("#suggestions", OptionList)
        if not suggestions.display or suggestions.highlighted is None:
            return
        chosen = suggestions.get_option_at_index(suggestions.highlighted).id or ""
        self._complete(chosen)

    @on(OptionList.OptionSelected, "#suggestions")
    def picked(self, event: OptionList.OptionSelected) -> None:
        self._complete(event.option.id or "")
        self.query_one("#tags", Input).focus()

    def _complete(self, tag: str) -> None:
        tags = self.query_one("#tags", Input)
        parts = SEPARATORS.split(tags.value)
        parts[-1] = tag
        tags.value = ", ".join(p for p in parts if p.strip()) + ", "
        tags.cursor_position = len(tags.value)

    @on(Input.Submitted, "#tags")
    def save(self, event: Input.Submitted) -> None:
        wanted = split_tags(event.value)
        keys = {term_key(t) for t in wanted}
        before = {term_key(t) for t in self.initial}
        self.dismiss(
            TagEdit(
                add=[t for t in wanted if term_key(t) not in before],
                remove=[t for t in self.initial if term_key(t) not in keys],
            )
        )
