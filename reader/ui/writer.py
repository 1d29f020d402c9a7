"""The app's changes, written off the event loop.

A change (`r`, `b`, a tag, a saved search...) is a function of a `Library`, run on one
thread with its own connection, in the order the reader made them. When another program
holds the library (an import, a refresh, a second app), the change waits as long as it
takes while the keys keep working; after a second the screen says what it waits for.
The screen shows a change once it is in the library, never before: if it cannot be
written (a full disk, a read-only library), one line says why and nothing else changes.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from textual.message import Message
from textual.message_pump import MessagePump

from reader.library import Library, LibraryError
from reader.library.errors import StorageError, explain
from reader.library.turns import holder
from reader.words import plural

NOTICE_AFTER = 1.0  # seconds a change waits before the screen says so

Job = Callable[[Library], Any]


class Writer:
    """Runs jobs on its thread; tells `owner` (the main screen) with `Writer.Done`
    messages, which never block the thread (the screen may be closing)."""

    class Done(Message):
        """Run `callback` on the event loop: a change is written, or failed."""

        def __init__(self, callback: Callable[[], None]) -> None:
            super().__init__()
            self.callback = callback

    def __init__(self, owner: MessagePump, path: Path) -> None:
        self.owner, self.path = owner, path
        self._jobs: queue.Queue[tuple[Job, Callable[[Any], None] | None, Any, bool] | None]
        self._jobs = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.pending = 0  # changes not yet written (or failed)
        self.others_wrote = False  # another program wrote between two changes of ours
        self._waiting = ""  # what the change being written waits for, once said

    def submit(
        self,
        job: Job,
        done: Callable[[Any], None] | None = None,
        quiet: bool = False,
        failed: Callable[[Exception], None] | None = None,
    ) -> None:
        """Write `job(library)`, then call `done(its result)` on the event loop. `quiet`:
        a failure is not reported (the app's own bookkeeping: the view shown, say);
        `failed(the error)` is called on the event loop when it could not be written."""
        with self._lock:
            self.pending += 1
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="writer", daemon=True)
                self._thread.start()
        self._jobs.put((job, done, failed, quiet))

    def waiting_for(self) -> str:
        """What the change being written waits for ("" when none waits)."""
        return self._waiting

    def close(self, timeout: float) -> bool:
        """Let the changes made so far be written, for at most `timeout` seconds; True
        when all were."""
        self._jobs.put(None)
        if self._thread is not None:
            self._thread.join(timeout)
        return self.pending == 0

    def _run(self) -> None:
        library: Library | None = None
        version = None  # the data version after this thread's last change
        while (item := self._jobs.get()) is not None:
            job, done, failed, quiet = item
            try:
                if library is None:  # (what others wrote before it opened is unknown)
                    library = Library(self.path)
                    library.wait_limit = None  # a change waits as long as it takes
                    library.on_wait = self._waited
                    self.others_wrote = True
                    version = library.data_version()
                # Another program wrote since this thread's last change, or while this one
                # waited for it: the screen must look for what (see `others_wrote`).
                self.others_wrote |= library.data_version() != version
                result = job(library)
                self.others_wrote |= library.data_version() != version
                version = library.data_version()
            except Exception as exc:  # noqa: BLE001 - the thread must live on: it is the
                # only way the reader's changes reach the library
                self._finish(failed and partial(failed, exc), self._reason(exc, quiet))
                if library is not None and isinstance(exc, StorageError):
                    library.close()  # (a fresh connection for the next change)
                    library = None
                continue
            self._finish(done and partial(done, result), None)
        if library is not None:
            library.close()

    def _reason(self, exc: Exception, quiet: bool) -> str | None:
        """The line the reader gets (None: none), and a log of an unexpected error."""
        if isinstance(exc, (StorageError, OSError)):
            reason = f"Not saved: {explain(exc, self.path)}."
        elif isinstance(exc, (LibraryError, ValueError)):
            reason = f"Not saved: {exc}"
        else:
            from reader.crash import line, write_log

            return f"Not saved: {line(exc, write_log(exc)).removeprefix('newsreader: ')}"
        if partial := getattr(exc, "partial", None):
            reason += f" ({plural(len(partial.ids), 'article')} changed before it: u undoes that.)"
        return None if quiet else reason

    def _finish(self, done: Callable[[], None] | None, error: str | None) -> None:
        waited, self._waiting = self._waiting, ""

        def report() -> None:  # (pending drops here, on the event loop: `u` right after
            with self._lock:  # `b` must not see 0 before `b` is on the undo stack)
                self.pending -= 1
            if waited and error is None:
                self.owner.app.notify("Saved.", timeout=2)
            if error is not None:
                self.owner.app.notify(error, severity="error", markup=False, timeout=8)
            if done is not None:
                done()

        self._call(report)

    def _waited(self, seconds: float) -> None:
        """Called while a change waits for the lock (on the writer's thread)."""
        if seconds < NOTICE_AFTER or self._waiting:
            return
        self._waiting = holder(self.path) or "another program"
        count = self.pending
        what = "your change" if count == 1 else f"your {count} changes"
        message = (
            f"Waiting for {self._waiting} to let go of the library: {what} will be "
            "written then. Keep reading."
        )
        self._call(lambda: self.owner.app.notify(message, markup=False, timeout=6))

    def _call(self, callback: Callable[[], None]) -> None:
        self.owner.post_message(self.Done(callback))  # (dropped once the screen is gone)
