"""The panes newsreader shows, built from stock Textual widgets with made-up rows: no
library and no newsreader code. bench_ui.py times its first paint as a reference: what a
layout like ours costs before any of our own work is done."""

from rich.segment import Segment
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Footer, OptionList, Static

KEYS = {"enter": "Open", "q": "Quit", "question_mark": "Help", "r": "Read", "b": "Bookmark"}


class Rows(ScrollView, can_focus=True):
    def on_mount(self) -> None:
        self.virtual_size = Size(60, 100_000)
        self.border_title = "All · 100000"

    def render_line(self, y: int) -> Strip:
        return Strip([Segment(f"05-{y % 28 + 1:02d}  source  a made-up title, row {y}")])


class Skeleton(App[None]):
    CSS = """
    #sidebar { width: 26; border: round $primary; }
    Rows { border: round $primary; height: 1fr; }
    #tags { height: 4; background: $panel; }
    #body { width: 2fr; border: round $primary; padding: 0 2; }
    """
    BINDINGS = [Binding(key, "bell", name) for key, name in KEYS.items()]

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield OptionList(*[f"View {n}  {n * 1000}" for n in range(12)], id="sidebar")
            with Vertical():
                yield Rows()
                yield Static("Categories  a  b", id="tags")
            yield Static("Highlight an article and press enter to read it.", id="body")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Rows).focus()


if __name__ == "__main__":
    Skeleton().run()
