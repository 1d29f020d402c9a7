"""ReaderApp: opens the library, seeds an empty one, and holds app-wide commands."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual.app import App, SystemCommand
from textual.screen import Screen

from reader import paths
from reader.library import Library
from reader.ui.screens.main import MainScreen
from reader.ui.widgets.article_view import READING_WIDTH


class ReaderApp(App[None]):
    TITLE = "newsreader"
    CSS_PATH = "reader.tcss"
    ENABLE_COMMAND_PALETTE = True

    def __init__(self, library_path: str | Path, reading_width: int = READING_WIDTH) -> None:
        super().__init__()
        self.library = Library(library_path)
        self.reading_width = reading_width

    def on_mount(self) -> None:
        seeded = self.library.is_empty() and self.seed()
        self.push_screen(MainScreen(self.library, self.reading_width))
        if seeded:
            self.notify(
                f"Your library was empty, so it now holds {seeded} sample articles. "
                "Add your own with `newsreader import PATH`.",
                title="Welcome to newsreader",
                timeout=8,
            )

    def seed(self) -> int:
        """A newcomer sees articles at once: import the bundled sample posts."""
        from reader.library.ingest import import_paths

        report = import_paths(self.library, [paths.seeds_dir()], jobs=1)
        return report.new

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for binding in screen.BINDINGS if isinstance(screen, MainScreen) else ():
            if binding.action.startswith("app."):  # type: ignore[union-attr]
                continue
            action = binding.action  # type: ignore[union-attr]
            yield SystemCommand(
                binding.description,  # type: ignore[union-attr]
                f"Key: {binding.key}",  # type: ignore[union-attr]
                lambda action=action: screen.run_action(action),
            )

    def on_unmount(self) -> None:
        self.library.close()
