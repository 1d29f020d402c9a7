"""ReaderApp: opens the library, seeds an empty one, and holds app-wide commands."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual.app import App, SystemCommand
from textual.screen import Screen
from textual.theme import Theme

from reader import paths
from reader.library import Library
from reader.ui.screens.main import MainScreen
from reader.ui.themes import load_themes
from reader.ui.widgets.article_view import READING_WIDTH


class ReaderApp(App[None]):
    TITLE = "newsreader"
    CSS_PATH = "reader.tcss"
    ENABLE_COMMAND_PALETTE = True

    def __init__(
        self,
        library_path: str | Path,
        reading_width: int = READING_WIDTH,
        theme: str | None = None,
    ) -> None:
        super().__init__()
        self.library = Library(library_path)
        self.reading_width = reading_width
        self.chosen_theme = theme

    def on_mount(self) -> None:
        self.load_themes()
        seeded = self.library.is_empty() and self.seed()
        self.push_screen(MainScreen(self.library, self.reading_width))
        if seeded:
            self.notify(
                f"Your library was empty, so it now holds {seeded} sample articles. "
                "Add your own with `newsreader import PATH`.",
                title="Welcome to newsreader",
                timeout=8,
            )

    def load_themes(self) -> None:
        """The bundled themes and the user's (config dir/themes), then the chosen one."""
        themes, problems = load_themes([paths.themes_dir(), paths.config_dir() / "themes"])
        for theme in themes:
            self.register_theme(theme)
        for problem in problems:  # once each, at start; the other themes still load
            self.notify(problem, title="Theme file skipped", severity="warning", markup=False)
        wanted = self.chosen_theme or self.library.setting("ui.theme")
        if wanted and wanted in self.available_themes:
            self.theme = wanted
        elif self.chosen_theme:
            known = ", ".join(sorted(self.available_themes))
            self.notify(
                f"No theme called {wanted!r}. Known: {known}", markup=False, severity="warning"
            )
        self.theme_changed_signal.subscribe(self, self._remember_theme)

    def _remember_theme(self, theme: Theme) -> None:
        self.library.set_setting("ui.theme", theme.name)

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
