"""The `?` help screen."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from reader.ui.key_names import key_name
from reader.ui.keys import KEYS, QUERY_HELP, bindings


def shown(keys: str) -> str:
    """`question_mark,escape` -> `?,escape`: keys as they are typed."""
    return ",".join(key_name(key) for key in keys.split(","))


class HelpScreen(ModalScreen[None]):
    BINDINGS = bindings("help.")
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 72; max-width: 100%; height: auto; max-height: 90%;
        border: round $primary; background: $panel; padding: 0 1;
    }
    """

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=False, expand=True, padding=(0, 1))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for row in KEYS:
            table.add_row(Text(row.keys), Text(row.about))
        ours = Table(box=None, show_header=False, expand=True, padding=(0, 1))
        ours.add_column(style="bold", no_wrap=True)
        ours.add_column()
        defaults = self.app.binding_ids()  # type: ignore[attr-defined]
        for binding_id, keys in self.app.keymap.items():  # type: ignore[attr-defined]
            instead = shown(defaults[binding_id])
            ours.add_row(Text(shown(keys)), Text(f"{binding_id} (instead of {instead})"))
        problems = self.app.problems  # type: ignore[attr-defined]
        queries = Table(box=None, show_header=False, expand=True, padding=(0, 1))
        queries.add_column(style="bold", no_wrap=True)
        queries.add_column()
        for syntax, meaning in QUERY_HELP:
            queries.add_row(Text(syntax), Text(meaning))
        with VerticalScroll() as scroll:
            scroll.border_title = "Keys"
            scroll.border_subtitle = "esc closes"
            if ours.row_count:
                yield Static(Text("Your keys (from the config file)", style="bold underline"))
                yield Static(ours)
                yield Static(Text("\nDefault keys", style="bold underline"))
            yield Static(table)
            yield Static(Text("\nSearch queries (combine freely)", style="bold underline"))
            yield Static(queries)
            if problems:  # all of them: only the first few are shown as notices at start
                heading = f"\nProblems in your settings ({len(problems)})"
                yield Static(Text(heading, style="bold underline"))
                yield Static(Text("\n".join(problems)), id="settings-problems")

    def action_scroll(self, lines: int) -> None:
        self.query_one(VerticalScroll).scroll_relative(y=lines, animate=False)

    def action_scroll_to(self, where: int) -> None:
        scroll = self.query_one(VerticalScroll)
        scroll.scroll_to(y=scroll.max_scroll_y if where < 0 else 0, animate=False)

    def action_page(self) -> None:
        scroll = self.query_one(VerticalScroll)
        scroll.scroll_relative(y=max(1, scroll.scrollable_content_region.height - 1), animate=False)
