"""MainScreen's feed actions: `R` refreshes every feed, then syncs every sync account
(`refresh_every` does both on a schedule, `refresh_on_start` at start, `sync_every` syncs
alone), in a thread, with progress and a summary, and `notify` runs a command when
articles came; a
failing feed's error shows under the list while it is shown. Each fetch ends by its
timeout (or is given up on), so a refresh always ends; quitting stops it at once (its
fetches are daemon threads nobody waits for). Its writes wait as long as another program
holds the library, and a library that cannot be written (a full disk) stops the refresh
with one line: the app goes on."""

from __future__ import annotations

import time
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


TICK = 60.0  # seconds between two looks at which feeds are due (refresh_every, --every)
now = time.time  # the schedule's clock (the tests set their own)


class FeedActions(MainBase):
    """A part of MainScreen."""

    feed_errors: dict[str, str] = {}  # feed name -> its last refresh's error (replaced whole)
    feed_timeout: float = 15.0  # seconds for each feed's whole fetch, as the CLI's default
    feed_progress: str = ""  # how far the running refresh is, for `R` pressed again
    _synced_at = 0.0  # when the schedule (refresh_every) last synced the accounts

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
            self._refresh_feeds(feeds=False, quiet=True)

    def start_refresh_schedule(self) -> None:
        """Every TICK, refresh the feeds whose time has come (`refresh_every`, or a feed's
        own `--every`), and with `refresh_every`, sync the accounts so often too; with
        `refresh_on_start`, everything at start. A scheduled refresh says something only
        when it brought articles or one failed."""
        self._synced_at = now()
        self.set_interval(TICK, self.scheduled_refresh)
        if self.config.refresh_on_start:
            self.feed_progress = "starting"
            self._refresh_feeds(quiet=True)

    def scheduled_refresh(self) -> None:
        if self._refreshing():  # (`R` or a refresh before it still running: let it end)
            return
        at = now()
        often = every(self.config.refresh_every) if self.config.refresh_every else None
        due = self.library.due_feeds(often, at)
        sync = often is not None and at - self._synced_at >= often
        if sync:
            self._synced_at = at
        if due or sync:
            self.feed_progress = "starting"
            self._refresh_feeds(quiet=True, names=due, sync=sync)

    @work(thread=True, exclusive=True, group="feeds")
    def _refresh_feeds(
        self,
        feeds: bool = True,
        quiet: bool = False,
        names: list[str] | None = None,
        sync: bool = True,
    ) -> None:
        """Fetch every feed (`feeds`; `names`: those), then sync every account (`sync`), in
        a thread; the list's subtitle shows the progress. An error of the library (a full
        disk) ends the refresh with one line, never the app."""
        worker = get_current_worker()
        try:
            with Library(self.library.path) as library:
                count = (len(library.feeds()) if names is None else len(names)) if feeds else 0
                accounts = len(library.accounts(counts=False)) if sync else 0
            if feeds and not count and not accounts:
                if quiet:  # (a schedule with nothing to refresh: nothing to say)
                    return
                self.app.call_from_thread(
                    self.notify,
                    "No feeds yet: `newsreader feed add URL` follows one (or `newsreader sync"
                    " add` syncs with a feed server).",
                    markup=False,
                )
                return
            results = self._fetch_feeds(worker, count, names) if count else []
            synced = self._sync(worker) if accounts else []
        except (StorageError, OSError, LibraryError) as exc:
            if not worker.is_cancelled:
                reason = (
                    str(exc) if isinstance(exc, LibraryError) else explain(exc, self.library.path)
                )
                self.app.call_from_thread(self._refresh_failed, reason)
            return
        if not worker.is_cancelled and (results or synced):
            self.app.call_from_thread(self._refreshed, results, synced, quiet)

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

    def _fetch_feeds(
        self, worker: Worker[None], count: int, names: list[str] | None = None
    ) -> list[FeedResult]:
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
            names,
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

    @work(thread=True, group="notify")
    def _notify_command(self, command: str, new: int, brought: list[str]) -> None:
        from reader.ui import links

        problem = links.run_notify(command, new, brought)
        if problem is not None:
            self.app.call_from_thread(
                self.notify, f"notify: {problem}.", markup=False, severity="warning"
            )

    def _refreshed(
        self, results: list[FeedResult], synced: list[SyncResult], quiet: bool = False
    ) -> None:
        """The summary (`quiet`, a scheduled one: only when it brought or failed some), and
        the `notify` command when articles came."""
        new = sum(result.new for result in results)
        parts = [f"{plural(len(results), 'feed')} refreshed: {plural(new, 'new article')}."]
        parts = (parts if results else []) + [r.summary() for r in synced if not r.error]
        failed: list[FeedResult | SyncResult] = [r for r in results if r.error]
        failed += [r for r in synced if r.error]
        brought = [r.feed.name for r in results if r.new] + [r.account for r in synced if r.new]
        if quiet and not failed and not brought:
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
        if brought and self.config.notify:
            self._notify_command(self.config.notify, new + sum(r.new for r in synced), brought)
