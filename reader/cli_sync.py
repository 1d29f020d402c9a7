"""CLI commands for sync accounts: add, list, remove, and sync now."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from reader.cli_state import open_library
from reader.library.text import clean_line
from reader.terminal import say
from reader.words import plural

PASSWORD_VARIABLE = "NEWSREADER_SYNC_PASSWORD"


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("sync", help="sync with a feed server: FreshRSS, Miniflux… (add, list, …)")
    accounts = p.add_subparsers(dest="sync_command", metavar="ACTION")
    add = accounts.add_parser(
        "add",
        help=f"add an account; its API password from ${PASSWORD_VARIABLE} or a prompt",
    )
    add.add_argument("url", metavar="URL", help="the API's address, e.g. …/api/greader.php")
    add.add_argument("--user", required=True, help="the account's user name")
    add.add_argument("--name", help="the account's name here (default: the server's host)")
    add.add_argument("--api", choices=("greader", "fever"), default="greader")
    add.add_argument(
        "--no-sync", action="store_true", help="add it without asking the server; sync later"
    )
    accounts.add_parser("list", help="the accounts: server, last sync, errors, counts")
    q = accounts.add_parser("remove", help="remove an account (bookmarked articles stay)")
    q.add_argument("name", metavar="NAME")
    now = accounts.add_parser("now", help="sync every account (or those named); the default")
    now.add_argument("names", nargs="*", metavar="NAME")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds for each call")
    for parser in (add, now):  # (SUPPRESS: one given before the action is not undone here)
        parser.add_argument(
            "--timeout", type=float, default=argparse.SUPPRESS, help="seconds for each call"
        )


def cmd_sync(args: argparse.Namespace) -> int:
    from reader.library import sync
    from reader.library.passwords import PasswordError

    library = open_library(args)
    command = args.sync_command or "now"
    try:
        if command == "add":
            password = _password(args.user, args.url)
            if password is None:
                return 1
            account, where = sync.add_account(
                library,
                args.url,
                args.user,
                password,
                name=args.name,
                api=args.api,
                timeout=args.timeout,
                check=not args.no_sync,
            )
            say(
                f"Added {account.name} ({account.url}, {account.user}); its password is kept"
                f" in {where}."
            )
            if args.no_sync:
                say("`newsreader sync` syncs it.")
                return 0
            return sync_and_say(library.path, [account.name], args.timeout)
        if command == "list":
            accounts = library.accounts()
            if not accounts:
                say("No sync accounts: `newsreader sync add URL --user NAME` adds one.")
            for a in accounts:
                waiting = f"  {plural(a.waiting, 'change')} to send" if a.waiting else ""
                say(f"{a.name}  {a.unread}/{a.articles} unread  synced {_local(a.synced)}{waiting}")
                say(f"    {a.url} ({a.api}, {a.user})")
                if a.error:
                    say(f"    last sync failed: {a.error}")
            return 0
        if command == "remove":
            gone = sync.remove_account(library, args.name)
            say(
                f"Removed {args.name}; {plural(gone, 'article')} removed (bookmarked,"
                " noted and tagged ones stay)."
            )
            return 0
        return sync_and_say(library.path, getattr(args, "names", None) or None, args.timeout)
    except (sync.SyncError, PasswordError) as exc:
        say(f"newsreader: {exc}", err=True)
        return 1


def _local(stamp: str | None) -> str:
    """A stored UTC time as the reader's local time, to the minute."""
    from datetime import datetime

    if not stamp:
        return "never"
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return stamp


def _password(user: str, url: str) -> str | None:
    """The API password: from the environment, else asked for (never an argument)."""
    password = os.environ.get(PASSWORD_VARIABLE)
    if password:
        return password
    if not sys.stdin.isatty():
        say(f"newsreader: no API password: set {PASSWORD_VARIABLE} or run in a terminal", err=True)
        return None
    try:
        password = getpass.getpass(f"API password of {user} at {url}: ")
    except (EOFError, KeyboardInterrupt):
        say("", err=True)
        return None
    return password or None


def sync_and_say(path: object, names: list[str] | None, timeout: float) -> int:
    from reader.library import sync

    def progress(text: str) -> None:
        if sys.stderr.isatty():  # (server text: its titles and labels, cleaned)
            print(f"\r\033[K{clean_line(text)[:200]}", end="", file=sys.stderr, flush=True)

    try:
        results = sync.sync(str(path), names, timeout=timeout, progress=progress)
    except KeyboardInterrupt:
        say(
            "\nnewsreader: sync interrupted; what was stored stays, the rest syncs next time.",
            err=True,
        )
        return 130
    finally:
        if sys.stderr.isatty():
            print("\r\033[K", end="", file=sys.stderr, flush=True)
    if not results:
        say("No sync accounts: `newsreader sync add URL --user NAME` adds one.")
    for result in results:
        say(result.line(), err=bool(result.error))
    return 1 if any(result.error for result in results) else 0


COMMAND_FUNCS = {"sync": cmd_sync}
