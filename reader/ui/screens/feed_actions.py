"""MainScreen's feed actions: `R` refreshes every feed, then syncs every sync account
(and `sync_every` syncs them on a schedule), in a thread, with progress and a summary; a
failing feed's error shows under the list while it is shown. Each fetch ends by its
timeout (or is given up on), so a refresh always ends; quitting stops it at once (its
fetches are daemon threads nobody waits for). Its writes wait as long as another program
holds the library, and a library that cannot be written (a full disk) stops the refresh
with one line: the app goes on."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.worker import get_current_worker

from reader.config import every
from reader.library import Library, LibraryError
from reader.library.errors import StorageError, explain
from reader.ui.screens.main_base import MainBase
from reader.words import plural

if TYPE_CHECKING:
    from textual.worker import Worker

    from reader.library.feeds import FeedResult
    from reader.library.sync import SyncResult


class FeedActions(MainBase):
    """A part of MainScreen."""

    feed_errors: dict[str, str] = {}  # feed name -> its last refresh's error (replaced whole)
    feed_timeout: float = 15.0  # seconds for each feed's whole fetch, as the CLI's default
    feed_progress: str = ""  # how far the running refresh is, for `R` pressed again

    def _feed_error_subtitle(self) -> None:
        """A feed's last error shows under the list while its articles are shown."""
        error = self.feed_errors.get(self.view.value or "") if self.view.kind == "source" else None
        self.articles.border_subtitle = Text(f"! refresh failed: {error}") if error else ""

    def _refreshing(self) -> bool:
        return any(w.group == "feeds" and w.is_running for w in self.workers)

    def action_refresh_feeds(self) -> None:
        if self._refreshing():
            self.notify(
                f"Refreshing feeds: {self.feed_progress} (each gives up after"
                f" {self.feed_timeout:g} s).",
                markup=False,
                timeout=3,
            )
            return
        self.feed_progress = "starting"
        self._refresh_feeds()

    def start_sync_schedule(self) -> None:
        """With `sync_every`, sync the accounts now and then so often (feeds: `R`)."""
        if self.config.sync_every:
            seconds = every(self.config.sync_every)
            self.set_interval(seconds, self._scheduled_sync)
            self._scheduled_sync()

    def _scheduled_sync(self) -> None:
        if not self._refreshing():  # (`R` running: it syncs too; never cut it short)
            self._refresh_feeds(feeds=False)

    @work(thread=True, exclusive=True, group="feeds")
    def _refresh_feeds(self, feeds: bool = True) -> None:
        """Fetch every feed (`feeds`), then sync every account, in a thread; the list's
        subtitle shows the progress. An error of the library (a full disk) ends the
        refresh with one line, never the app."""
        worker = get_current_worker()
        try:
            with Library(self.library.path) as library:
                count = len(library.feeds()) if feeds else 0
                accounts = len(library.accounts(counts=False))
            if feeds and not count and not accounts:
                self.app.call_from_thread(
                    self.notify,
                    "No feeds yet: `newsreader feed add URL` follows one (or `newsreader sync"
                    " add` syncs with a feed server).",
                    markup=False,
                )
                return
            results = self._fetch_feeds(worker, count) if count else []
            synced = self._sync(worker) if accounts else []
        except (StorageError, OSError, LibraryError) as exc:
            if not worker.is_cancelled:
                reason = (
                    str(exc) if isinstance(exc, LibraryError) else explain(exc, self.library.path)
                )
                self.app.call_from_thread(self._refresh_failed, reason)
            return
        if not worker.is_cancelled and (results or synced):
            self.app.call_from_thread(self._refreshed, results, synced, not feeds)

    def _show(self, worker: Worker[None], text: str) -> None:
        if not worker.is_cancelled:  # (the app is closing: nobody to tell)
            self.app.call_from_thread(setattr, self.articles, "border_subtitle", Text(text))

    def _sync(self, worker: Worker[None]) -> list[SyncResult]:
        from reader.library import sync

        def progress(text: str) -> None:
            self.feed_progress = f"syncing {text}"
            self._show(worker, f"syncing {text}")

        self._show(worker, "syncing…")
        return sync.sync(
            self.library.path, progress=progress, stop=worker.cancelled_event, patient=True
        )

    def _fetch_feeds(self, worker: Worker[None], count: int) -> list[FeedResult]:
        from reader.library import feeds

        def show(text: str) -> None:
            self._show(worker, text)

        def progress(done: int, total: int, name: str) -> None:
            self.feed_progress = f"{done} of {total} done"
            show(f"refreshing feeds {done}/{total}: {name}")

        self.feed_progress = f"0 of {count} done"
        show(f"refreshing {plural(count, 'feed')}…")
        return feeds.refresh(
            self.library.path,
            timeout=self.feed_timeout,
            keep=self.config.feed_keep,
            keep_days=self.config.feed_keep_days,
            progress=progress,
            stop=worker.cancelled_event,
            patient=True,  # on its own thread: it waits as long as another writer writes
        )

    def _refresh_failed(self, reason: str) -> None:
        """The feeds stored before the error stay, and show."""
        self.notify(f"Refresh stopped: {reason}.", markup=False, severity="error", timeout=8)
        self.articles.border_subtitle = ""
        self.pick_up_changes(announce=False)

    def _refreshed(
        self, results: list[FeedResult], synced: list[SyncResult], quiet: bool = False
    ) -> None:
        """The summary (`quiet`, a scheduled sync: only when it brought or failed some)."""
        new = sum(result.new for result in results)
        parts = [f"{plural(len(results), 'feed')} refreshed: {plural(new, 'new article')}."]
        parts = (parts if results else []) + [r.summary() for r in synced if not r.error]
        failed: list[FeedResult | SyncResult] = [r for r in results if r.error]
        failed += [r for r in synced if r.error]
        if quiet and not failed and not any(r.new for r in synced):
            parts = []
        if failed:  # one line per failure: `hn: not a feed: the XML ends at line 3`
            lines = [r.line() for r in failed[:3]]
            if len(failed) > 3:
                lines.append(f"… and {len(failed) - 3} more (`newsreader feed list`)")
            parts.append(f"{len(failed)} failed:\n" + "\n".join(lines))
        message = " ".join(parts)
        if message:
            self.notify(message, markup=False, severity="warning" if failed else "information")
        self.articles.border_subtitle = ""
        self.pick_up_changes(announce=False)
