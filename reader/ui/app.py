"""ReaderApp: opens the library, seeds an empty one, and holds app-wide commands."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import Screen
from textual.theme import Theme
from textual.timer import Timer

from reader import config, paths
from reader.config import Config, ConfigError
from reader.library import Library
from reader.ui import themes
from reader.ui.keymap import binding_ids, resolve
from reader.ui.screens.main import MainScreen

if TYPE_CHECKING:
    from reader.ui.importing import ChildImport


def keymap_clashes(keymap: Mapping[str, str]) -> list[str]:
    """A message per conflict in the user's `keys` (see reader/ui/keymap.py)."""
    return resolve(keymap).problems


SHOWN_PROBLEMS = 5  # settings problems shown one by one at start; the help lists them all


class ReaderApp(App[None]):
    TITLE = "newsreader"
    CSS_PATH = "reader.tcss"
    ENABLE_COMMAND_PALETTE = True
    # Kept whatever the settings file binds (reader/ui/keymap.py): ctrl+q quits (Textual's
    # own binding), escape goes back (the keymap keeps it), and f1 opens the help.
    BINDINGS = [Binding("f1", "help", "Help", show=False)]

    def __init__(
        self,
        library_path: str | Path,
        config: Config | None = None,
        problems: Sequence[str] = (),
        importing: ChildImport | None = None,
    ) -> None:
        """`config` holds the settings (defaults if None); `problems` are messages about
        the settings file, shown once at start; `importing`: an import started beside the
        app (`newsreader PATH`), which fills the library as the app runs."""
        super().__init__()
        self.library = Library(library_path)
        self.importing = importing
        self.config = config or Config()
        self.library.use_rules(self.config.ignore)  # (every Library reads them: ignore.py)
        self.problems = list(problems)
        self.keymap: dict[str, str] = {}  # the `keys` setting in effect, conflicts resolved
        self.crash_line: str | None = None  # set by an unexpected error: what to print
        self._crash_log: Path | None = None
        self._unsaved: dict[str, Any] = {}
        self._save_timer: Timer | None = None
        self._save_failed = False
        self._seeded = 0  # sample articles imported at start (into an empty library)
        self._theme_before: str | None = None  # while the theme list previews themes
        self._previewing = False  # the cursor has moved in the theme list
        self._theme_kept = self.theme  # the theme last applied or written: not written again
        self._start_theme(themes.effective_theme(self.config.theme))

    binding_ids = staticmethod(binding_ids)

    def _start_theme(self, name: str) -> None:
        """Put a bundled theme in effect before the CSS is first read: it is there for the
        first paint, with no YAML to import and no second pass over the CSS (setting
        `self.theme` costs one, ~10 ms). A user's theme waits for `load_themes`."""
        theme = themes.bundled_theme(name)
        if theme is None:
            return
        self.register_theme(theme)
        self.set_reactive(App.theme, name)  # what `_watch_theme` does, less its CSS refresh:
        self.stylesheet.set_variables(self.get_css_variables())
        self.set_class(theme.dark, "-dark-mode", update=False)
        self.set_class(not theme.dark, "-light-mode", update=False)
        self.set_class(True, f"-theme-{name}", update=False)
        self._refresh_truecolor_filter(self.ansi_theme)
        self._theme_kept = name

    def on_mount(self) -> None:
        if self.theme == themes.effective_theme(self.config.theme):
            self.call_after_refresh(self.load_themes)  # the others, once the list is shown
        else:  # a user's theme file (or a bundled one in full YAML): for the first paint
            self.load_themes()
        self.call_after_refresh(self._shown)
        if self.config.keys:
            known = binding_ids()
            self.problems += config.unknown_keys(self.config, known, config.config_path().name)
            resolved = resolve(self.config.keys)
            self.problems += resolved.problems
            self.keymap = resolved.keys
            self.set_keymap(self.keymap)
        if self.config.macros:
            from reader.ui.screens.external_actions import macro_problems

            self.problems += macro_problems(dict(self.config.macros), config.config_path().name)
        for problem in self.problems[:SHOWN_PROBLEMS]:
            self.notify(problem, title="Settings", severity="warning", markup=False, timeout=10)
        if len(self.problems) > SHOWN_PROBLEMS:
            more = len(self.problems) - SHOWN_PROBLEMS
            self.notify(
                f"… and {more} more problems with the settings: the end of the help (f1) "
                "lists them all",
                title="Settings",
                severity="warning",
                markup=False,
                timeout=10,
            )
        if seeded := self._seeded:
            self.notify(
                f"Your library was empty, so it now holds {seeded} sample articles. "
                "Add your own with `newsreader import PATH`.",
                title="Welcome to newsreader",
                timeout=8,
            )

    def _shown(self) -> None:
        """The first paint is on screen. `newsreader` starts with garbage collection off
        (start-up makes ~100k objects that live on, and collecting took ~50 ms of it):
        those objects are kept out of later collections, then it is turned back on."""
        if not gc.isenabled():
            gc.freeze()
            gc.enable()

    def action_help(self) -> None:
        """f1: the help, whatever the `keys` setting took (dialogs and the help ignore it)."""
        if isinstance(self.screen, MainScreen):
            self.screen.action_help()

    def _handle_exception(self, error: Exception) -> None:
        """An unexpected error ends the app with status 1, as in Textual, but its traceback
        goes to a crash log in the data folder; `newsreader` prints `crash_line` instead."""
        from reader import crash

        self._crash_log = crash.write_log(error, self._crash_log)
        self.crash_line = self.crash_line or crash.line(error, self._crash_log)
        super()._handle_exception(error)
        if self._crash_log is not None:
            self._exit_renderables.clear()  # (with no log, Textual's traceback is printed)

    def _fatal_error(self) -> None:
        """Textual's, less rendering a traceback the crash log holds already."""
        if self._crash_log is None:
            super()._fatal_error()
            return
        self.bell()
        self._close_messages_no_wait()

    def get_default_screen(self) -> Screen[None]:
        """The main screen as the app's only base screen: no empty default screen to lay
        out, resize and paint first (that cost ~130 ms of the first paint)."""
        # (no samples in a library an import is filling)
        self._seeded = self.importing is None and self.library.is_empty() and self.seed()
        return MainScreen(self.library, self.config, self.importing)

    def load_themes(self) -> None:
        """The bundled themes and the user's (config dir/themes), then the chosen one."""
        found, problems = themes.load_themes([paths.themes_dir(), paths.config_dir() / "themes"])
        shown = self.current_theme
        for theme in found:
            self.register_theme(theme)
        if self.current_theme != shown:  # a user's file overrides the bundled theme shown
            self.refresh_css(animate=False)
        for problem in problems:  # once each, at start; the other themes still load
            self.notify(problem, title="Theme file skipped", severity="warning", markup=False)
        wanted = themes.effective_theme(self.config.theme)
        if wanted in self.available_themes:
            if self.theme != wanted:
                self.theme = self._theme_kept = wanted
        else:  # a chosen theme that is not there: say so, and show the default
            known = ", ".join(sorted(self.available_themes))
            self.notify(
                f"No theme called {wanted!r}. Known: {known}", markup=False, severity="warning"
            )
            if (default := themes.default_theme()) in self.available_themes:
                self.theme = self._theme_kept = default
        self.theme_changed_signal.subscribe(self, self._remember_theme)

    def action_change_theme(self) -> None:
        """The theme list, each theme shown as the cursor moves onto it; esc puts the one
        from before back. (Textual's list changes the theme only on enter.)"""
        self._theme_before = self.theme
        super().action_change_theme()

    @on(CommandPalette.OptionHighlighted)
    def _preview_theme(self, event: CommandPalette.OptionHighlighted) -> None:
        hit = getattr(event.highlighted_event.option, "hit", None)
        name = hit and (hit.text or str(hit.match_display))
        if self._theme_before is None or name not in self.available_themes:
            return
        if not self._previewing:  # the list (re)fills on its first theme: not a choice yet
            if event.highlighted_event.option_index == 0:
                return
            self._previewing = True
        self.theme = name

    @on(CommandPalette.Closed)
    def _end_preview(self, event: CommandPalette.Closed) -> None:
        if self._theme_before is None:
            return
        if event.option_selected:  # (the chosen theme may be the one already previewed)
            self._theme_kept = self.theme
            self.save_setting("theme", self.theme)
        else:
            self.theme = self._theme_before  # not saved: it is what the file holds
        self._theme_before, self._previewing = None, False

    def _remember_theme(self, theme: Theme) -> None:
        """Write a theme the reader chose. Previews are not choices, and the theme applied
        at start is not one either (the default follows the terminal until one is chosen)."""
        if self._theme_before is None and theme.name != self._theme_kept:
            self._theme_kept = theme.name
            self.save_setting("theme", theme.name)

    def save_setting(self, key: str, value: object) -> None:
        """Write a setting changed in the app back to the config file, soon (moving
        through the theme list previews each theme: only the last one is written)."""
        self._unsaved[key] = value
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(0.5, self.flush_settings)

    def flush_settings(self) -> None:
        changes, self._unsaved = self._unsaved, {}
        if not changes or self._save_failed:
            return
        try:
            config.save(changes)
        except (ConfigError, OSError) as exc:
            self._save_failed = True  # say it once, not on every change
            self.notify(
                f"Settings not saved: {exc}", title="Settings", severity="error", markup=False
            )

    def seed(self) -> int:
        """A newcomer sees articles at once: import the bundled sample posts."""
        from reader.library.ingest import import_paths

        report = import_paths(self.library, [paths.seeds_dir()], jobs=1)
        return report.new

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Textual's commands, less its Quit when the main screen has its own (which lets
        the changes not yet written be written first), then the main screen's keys."""
        own_quit = isinstance(screen, MainScreen)
        for command in super().get_system_commands(screen):
            if not (own_quit and command.title == "Quit"):
                yield command
        for binding in screen.BINDINGS if isinstance(screen, MainScreen) else ():
            if not isinstance(binding, Binding) or binding.action.startswith("app."):
                continue
            action = binding.action
            keys = " / ".join(  # `escape,h` -> `esc / h`, `question_mark` -> `?`
                self.get_key_display(replace(binding, key=key)) for key in binding.key.split(",")
            )
            yield SystemCommand(
                binding.description,
                f"Key: {keys}",
                lambda action=action: screen.run_action(action),
            )

    def on_unmount(self) -> None:
        if self.importing is not None:  # (quit some other way than `q`: ctrl+q, an error)
            self.importing.stop()
        self.flush_settings()
        self.library.close()
