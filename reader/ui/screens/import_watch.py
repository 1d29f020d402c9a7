"""MainScreen while `newsreader PATH` imports in a child process (reader/ui/importing.py):
the progress line, the view filling in as the import writes, its summary at the end, and
`q` stopping it first."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.timer import Timer

from reader.ui.screens.main_base import MainBase
from reader.ui.widgets.import_line import ImportLine
from reader.words import plural

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel

    from reader.ui.importing import ChildImport, Outcome

TICK = 0.5  # seconds between two looks at the import's progress
FIRST_LOOK = 0.1  # seconds between two looks for the first articles, until they show
RELOAD_EVERY = 1.0  # while it writes (every ~0.4 s), the view reloads at most this often
STOPPING = "Stopping the import…"


class ImportWatch(MainBase):
    """A part of MainScreen."""

    importing: ChildImport | None = None  # the import running beside the app, if any
    _reloaded_at = 0.0  # when the view last reloaded for what others wrote
    _import_timer: Timer | None = None
    _first_timer: Timer | None = None

    @property
    def import_running(self) -> bool:
        return self.importing is not None and self.importing.running

    def reload_due(self) -> bool:
        """Whether what others wrote may be shown now: while the import writes, at most
        about once a second (each reload fetches the view's ids and the sidebar's counts),
        except while the list is still empty (the first articles show at once)."""
        if not self.import_running or not self.articles.ids:
            return True
        return time.monotonic() - self._reloaded_at >= RELOAD_EVERY

    def follow_import(self) -> None:
        """Start showing the import's progress (on mount)."""
        if self.importing is None:
            return
        self._import_tick()
        self._import_timer = self.set_interval(TICK, self._import_tick)
        self._first_timer = self.set_interval(FIRST_LOOK, self._look_for_first)

    def _look_for_first(self) -> None:
        """Until the first articles show: look for them often (one PRAGMA each time). Then
        the import yields the CPU to the app (see ChildImport.yield_cpu)."""
        child = self.importing
        if child is not None and child.running and not self.articles.ids:
            self.pick_up_changes(announce=False)
            return
        if self._first_timer is not None:
            self._first_timer.stop()
        if child is not None:
            child.yield_cpu()

    def _import_tick(self) -> None:
        child = self.importing
        if child is None:
            return
        if child.running:
            if child.stopping:
                child.nudge()
            else:
                from reader.ui.importing import progress_line  # (only while importing)

                self.query_one(ImportLine).say(progress_line(child.progress()))
            self.pick_up_changes(announce=False)
            return
        if self._import_timer is not None:
            self._import_timer.stop()
        self.importing = None
        self.pick_up_changes(announce=False)  # its last rows
        if not child.stopping:  # (stopped to quit: "Stopping the import…" until the app ends)
            self.query_one(ImportLine).clear()
            self._say_outcome(child.outcome(), child.command)

    def _say_outcome(self, outcome: Outcome, command: str = "import") -> None:
        log = str(outcome.log) if outcome.log else "its log"
        if outcome.status == 0 and command != "import":  # (doctor --finish-index)
            self.notify("Search covers every article now.", title="Indexed", timeout=8)
            return
        if outcome.status == 0:
            message = outcome.summary or "The import has finished."
            if outcome.problems:
                message += f"\n{plural(outcome.problems, 'problem')}: see {log}."
            severity: SeverityLevel = "warning" if outcome.problems else "information"
            self.notify(message, title="Import done", severity=severity, markup=False, timeout=12)
            return
        if outcome.status < 0:
            reason = f"was stopped by signal {-outcome.status}"
        else:
            said = outcome.summary.removeprefix("newsreader: ")
            reason = f"failed: {said}" if said else f"failed (exit status {outcome.status})"
        self.notify(
            f"The import {reason} (see {log}).",
            title="Import failed",
            severity="error",
            markup=False,
            timeout=15,
        )

    def stop_import(self, then: Callable[[], None]) -> bool:
        """Stop the import before quitting (ctrl+c for it; SIGTERM if it takes more than
        2 s); `then` runs once it has ended. False when no import runs."""
        child = self.importing
        if child is None or not child.running or child.stopping:
            return False
        child.interrupt()
        self.query_one(ImportLine).say(STOPPING)

        def check() -> None:
            if child.running:
                child.nudge()
                return
            timer.stop()
            then()

        timer = self.set_interval(0.1, check)
        return True
