"""CLI commands for feeds: follow, list, remove, rename, OPML in and out, refresh."""

from __future__ import annotations

import argparse
import shlex
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from reader.cli_state import open_library
from reader.terminal import say
from reader.words import plural

if TYPE_CHECKING:
    from reader.library import Library
    from reader.library.models import Feed


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("feed", help="follow RSS, Atom and JSON feeds (add, list, remove, …)")
    feeds = p.add_subparsers(dest="feed_command", metavar="ACTION", required=True)
    q = feeds.add_parser("add", help="follow a feed: an http(s) address or a local file")
    q.add_argument("source", metavar="URL|FILE")
    q.add_argument("--tag", metavar="NAME", help="a tag for every entry of this feed")
    q.add_argument("--name", help="its name under Sources (default: the feed's title)")
    q.add_argument("--keep", type=int, metavar="N", help="keep only the newest N entries")
    q.add_argument("--keep-days", type=int, metavar="D", help="keep entries of the last D days")
    q.add_argument("--no-fetch", action="store_true", help="follow it now, fetch it later")
    q.add_argument(
        "--every",
        metavar="TIME",
        help="the app refreshes it this often (15m, 2h; default: the refresh_every setting)",
    )
    q.add_argument(
        "--full-text",
        action="store_true",
        help="fetch each article's page and keep its whole text (for feeds of one paragraph)",
    )
    q.add_argument("--account", metavar="NAME", help="follow it on a sync account's server instead")
    q.add_argument("--timeout", type=float, default=15.0, help="seconds to wait (default 15)")
    feeds.add_parser("list", help="the feeds, their articles, unread counts and errors")
    q = feeds.add_parser("set", help="change a feed's --every or --full-text")
    q.add_argument("name", metavar="NAME|URL")
    q.add_argument("--every", metavar="TIME", help="15m, 2h, or `off` (the refresh_every setting)")
    q.add_argument("--full-text", choices=("on", "off"), help="fetch its articles' pages or not")
    q = feeds.add_parser("remove", help="stop following a feed (bookmarked entries stay)")
    q.add_argument("name", metavar="NAME|URL")
    q = feeds.add_parser("rename", help="rename a feed")
    q.add_argument("old", metavar="NAME|URL")
    q.add_argument("new", metavar="NEW")
    q = feeds.add_parser("import", help="follow the feeds of an OPML file")
    q.add_argument("file", metavar="FILE.opml")
    q = feeds.add_parser("export", help="write the feeds to an OPML file (- for stdout)")
    q.add_argument("file", metavar="FILE.opml")
    p = sub.add_parser("refresh", help="fetch all feeds (or those named) at once")
    p.add_argument("feeds", nargs="*", metavar="FEED")
    p.add_argument(
        "--timeout",
        type=float,
        default=15.0,
        help="seconds for each feed's whole fetch (default 15)",
    )


def cmd_feed(args: argparse.Namespace) -> int:
    from reader.library import feeds, opml

    library = open_library(args)
    try:
        if args.feed_command == "add" and args.account:
            return _add_on_server(args, library)
        if args.feed_command == "add":
            every = _every(args.every)
            if every is False:
                return 2
            feed = feeds.add_feed(
                library,
                args.source,
                tag=args.tag,
                name=args.name,
                keep=args.keep,
                keep_days=args.keep_days,
                every=every or None,
                full_text=args.full_text,
            )
            if args.no_fetch:
                say(f"Following {feed.name} ({feed.url}); `newsreader refresh` fetches it.")
                return 0
            return _first_fetch(args, library.path, feed)
        elif args.feed_command == "list":
            rows, synced = library.feeds(), library.synced_subscriptions()
            if not rows and not synced:
                say("No feeds yet: `newsreader feed add URL` follows one.")
            for feed in rows:
                tag = f" #{feed.tag}" if feed.tag else ""
                checked = (feed.checked or "never")[:16].replace("T", " ")
                often = f"  every {_spelled(feed.every)}" if feed.every else ""
                often += "  full text" if feed.full_text else ""
                say(
                    f"{feed.name}{tag}  {feed.unread}/{feed.articles} unread  checked {checked}"
                    f"{often}"
                )
                say(f"    {feed.url}")
                if feed.error:
                    say(f"    last refresh failed: {feed.error}")
            for account, title, url, articles, unread in synced:
                say(f"{title}  {unread}/{articles} unread  on {account} (`newsreader sync`)")
                say(f"    {url}")
        elif args.feed_command == "set":
            return _set_feed(args, library)
        elif args.feed_command == "remove":
            if not _own_feed(library, args.name):  # (this library's own feed first: a
                on_server = _remove_on_server(args, library)  # server's unfollow reaches
                if on_server is not None:  # every device)
                    return on_server
            gone = feeds.remove_feed(library, args.name)
            entries = plural(gone, "entry", "entries")
            say(f"No longer following {args.name}; {entries} removed (bookmarked ones stay).")
        elif args.feed_command == "rename":
            say(f"Renamed to {feeds.rename_feed(library, args.old, args.new).name}.")
        elif args.feed_command == "import":
            with progress_line("Following feeds") as progress:
                added, skipped = opml.import_opml(library, args.file, progress)
            say(f"Following {plural(len(added), 'new feed')}; {len(skipped)} skipped.")
            for reason in skipped:
                say(f"  skipped: {reason}")
        else:
            text = opml.export_opml(library)
            if args.file == "-":
                say(text, end="")
            else:
                target = Path(args.file)
                temporary = target.with_name(target.name + ".tmp")
                temporary.write_text(text, encoding="utf-8")
                temporary.replace(target)
                say(f"Wrote {plural(len(library.feeds()), 'feed')} to {target}.")
    except feeds.FeedError as exc:
        say(f"newsreader: {exc}", err=True)
        return 1
    return 0


def _set_feed(args: argparse.Namespace, library: Library) -> int:
    feed = library.find_feed(args.name)
    if args.every is None and args.full_text is None:
        say("newsreader: feed set: say what to change (--every, --full-text)", err=True)
        return 2
    if args.every is not None:
        every = 0 if args.every == "off" else _every(args.every)
        if every is False:
            return 2
        library.set_feed_every(feed.id, every or None)
    if args.full_text is not None:
        library.set_feed_full_text(feed.id, args.full_text == "on")
    feed = library.find_feed(feed.url)
    often = f"every {_spelled(feed.every)}" if feed.every else "as refresh_every says"
    pages = "with full texts" if feed.full_text else "without full texts"
    say(f"{feed.name}: refreshed {often}, {pages}.")
    return 0


def _every(text: str | None) -> int | bool:
    """`--every`'s seconds (0 without it); False (said why) when it is not a time of a
    minute or more."""
    from reader.config import every

    if text is None:
        return 0
    try:
        seconds = every(text)
    except ValueError as exc:
        say(f"newsreader: --every {exc}", err=True)
        return False
    if seconds < 60:
        say(f"newsreader: --every must be a minute or more, not {text}", err=True)
        return False
    return seconds


def _spelled(seconds: int) -> str:
    """3600 -> 1h, 5400 -> 1h30m, 900 -> 15m."""
    hours, minutes = divmod(seconds // 60, 60)
    return (f"{hours}h" if hours else "") + (f"{minutes}m" if minutes or not hours else "")


def _add_on_server(args: argparse.Namespace, library: Library) -> int:
    from reader.cli_sync import sync_and_say
    from reader.library import sync

    given = [
        f"--{o.replace('_', '-')}"
        for o in ("tag", "name", "keep", "keep_days", "every")
        if getattr(args, o) is not None
    ]
    if given:
        say(
            f"newsreader: {', '.join(given)}: for this library's own feeds; the server names"
            " and keeps its subscriptions",
            err=True,
        )
        return 2
    try:
        sync.subscribe(library, args.account, args.source, args.timeout)
    except sync.SyncError as exc:
        say(f"newsreader: {exc}", err=True)
        return 1
    say(f"Following {args.source} on {args.account}.")
    return 0 if args.no_fetch else sync_and_say(library.path, [args.account], args.timeout)


def _own_feed(library: Library, name: str) -> bool:
    from reader.library.feeds import FeedError

    try:
        library.find_feed(name)
    except FeedError:
        return False
    return True


def _remove_on_server(args: argparse.Namespace, library: Library) -> int | None:
    """A synced subscription is unfollowed on its server, then synced (the exit code);
    None: none is called so (a feed of this library's own may be)."""
    from reader.cli_sync import sync_and_say
    from reader.library import sync

    try:
        account = sync.unsubscribe(library, args.name)
    except sync.SyncError as exc:
        say(f"newsreader: {exc}", err=True)
        return 1
    if account is None:
        return None
    say(f"No longer following {args.name} on {account} (bookmarked entries stay).")
    return sync_and_say(library.path, [account], 30.0)


def cmd_refresh(args: argparse.Namespace) -> int:
    from reader.library import feeds

    path = open_library(args).path
    settings = args.config
    stored = [0]  # feeds stored so far, for the words on Ctrl+C

    def count(done: int, total: int, name: str) -> None:
        stored[0] = done

    try:
        results = feeds.refresh(
            path,
            args.feeds or None,
            timeout=args.timeout,
            keep=settings.feed_keep,
            keep_days=settings.feed_keep_days,
            progress=count,
        )
    except feeds.FeedError as exc:
        say(f"newsreader: {exc}", err=True)
        return 1
    except KeyboardInterrupt:  # what was stored stays: each feed is written as it arrives
        say(f"newsreader: refresh interrupted; {plural(stored[0], 'feed')} stored.", err=True)
        return 130
    if not results:
        say("No feeds yet: `newsreader feed add URL` follows one.")
        return 0
    for result in sorted(results, key=lambda r: r.feed.name.casefold()):
        say(result.line(), err=bool(result.error))
    failed = sum(1 for result in results if result.error)
    new = sum(result.new for result in results)
    say(f"Refreshed {plural(len(results), 'feed')}: {plural(new, 'new article')}, {failed} failed.")
    return 1 if failed else 0


@contextmanager
def progress_line(label: str) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on stderr while a long command runs, when stderr is a terminal."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress

    bar = Progress(console=Console(stderr=True), transient=True)
    task = bar.add_task(label, total=None)

    def progress(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)

    with bar:
        yield progress


def _first_fetch(args: argparse.Namespace, path: str | Path, feed: Feed) -> int:
    """Fetch a feed just followed, so that it is named by its title and its entries are
    there at once. A failure keeps the feed (the next refresh tries again) and exits 1."""
    from reader.library import feeds

    settings = args.config
    [result] = feeds.refresh(
        path,
        [feed.url],
        timeout=args.timeout,
        keep=settings.feed_keep,
        keep_days=settings.feed_keep_days,
    )
    name, url, word = result.feed.name, result.feed.url, shlex.quote(result.feed.name)
    if result.error:
        say(f"Following {name} ({url}), but its first fetch failed:")
        say(result.line(), err=True)
        say(f"`newsreader refresh {word}` tries again; `newsreader feed remove {word}` unfollows.")
        return 1
    say(f"Following {name} ({url}): {plural(result.feed.articles, 'article')}.")
    return 0


COMMAND_FUNCS = {"feed": cmd_feed, "refresh": cmd_refresh}
