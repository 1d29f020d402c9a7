"""The `newsreader` command: a thin shell over the library calls the app uses too."""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader import (
    __version__,
    cli_articles,
    cli_feeds,
    cli_setup,
    cli_state,
    cli_sync,
    config,
    paths,
)
from reader.cli_state import open_library

if TYPE_CHECKING:
    from reader.library import ImportReport, Library
    from reader.ui.importing import ChildImport
from reader.terminal import say
from reader.words import plural

VALUE_OPTIONS = ("--library", "--width", "--theme")  # global options that take a value


class _Commands:
    """The parsers of the commands, built only for the one being run (or all, when None):
    argparse looks for translations on disk for each parser it builds, ~10 ms for all."""

    def __init__(
        self, sub: argparse._SubParsersAction[argparse.ArgumentParser], only: str | None
    ) -> None:
        self.sub, self.only = sub, only

    def add_parser(self, name: str, **kwargs: Any) -> Any:
        return self.sub.add_parser(name, **kwargs) if self.only in (None, name) else _Skipped()


class _Skipped:
    """Stands in for the parser of a command that is not being run: takes every call."""

    def __getattr__(self, name: str) -> Callable[..., _Skipped]:
        return lambda *args, **kwargs: self


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsreader",
        description="A keyboard-driven terminal reader for news archives.",
        epilog="With no command, opens the reader (importing PATH first when given).",
    )
    parser.add_argument("--version", action="version", version=f"newsreader {__version__}")
    parser.add_argument(
        "--library",
        metavar="PATH",
        help="library file (default: $NEWSREADER_LIBRARY, the config's, or the data directory)",
    )
    parser.add_argument(
        "--width",
        type=_width,
        metavar="N",
        help="reading width of the article body in columns (default: the config's, 90)",
    )
    parser.add_argument(
        "--theme", metavar="NAME", help="the theme to use (see `newsreader themes`)"
    )
    sub: Any = _Commands(parser.add_subparsers(dest="command", metavar="COMMAND"), command)

    p = sub.add_parser("open", help="open the reader (the default command)")
    p.add_argument("path", nargs="*", help="files or folders to import first")

    p = sub.add_parser("import", help="import posts from files or folders (recursively)")
    p.add_argument("path", nargs="+", help="files or folders")
    p.add_argument(
        "--include-unpublished",
        action="store_true",
        help="also import posts marked `published: false` or `draft: true`",
    )
    p.add_argument("--jobs", type=int, default=None, help="parser processes (default: all cores)")
    p.add_argument("--quiet", action="store_true", help="print only the summary line")

    cli_articles.add_parsers(sub)  # list, search, dupes, show
    sub.add_parser("stats", help="counts by source, category, tag (author); library size")
    sub.add_parser("prune", help="delete articles whose files are gone (bookmarks are kept)")
    p = sub.add_parser("help", help="`help query`: the search language; `help`: the commands")
    p.add_argument("topic", nargs="?", choices=("query",))
    cli_feeds.add_parsers(sub)
    cli_sync.add_parsers(sub)
    cli_setup.add_parsers(sub)
    cli_state.add_parsers(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command; an unexpected error ends it with status 1 and one line naming a log
    file holding its traceback (see reader/crash.py), Ctrl+C with status 130."""
    try:
        return _main(argv)
    except KeyboardInterrupt:
        say("newsreader: interrupted", err=True)
        return 130
    except Exception as exc:
        from reader import crash

        return crash.report(exc)


def _main(argv: Sequence[str] | None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list and args_list[-1] in VALUE_OPTIONS:  # `newsreader --library`: no value
        build_parser().error(f"argument {args_list[-1]}: expected one argument")
    index = _first_positional(args_list)
    wants_help = any(a in ("-h", "--help", "--version") for a in args_list)
    if not wants_help and (index is None or args_list[index] not in COMMAND_FUNCS):
        # `newsreader` and `newsreader PATH...` open the app.
        index = len(args_list) if index is None else index
        args_list.insert(index, "open")
    query = None
    if index is not None:
        args_list, index = _globals_first(args_list, index)
        if args_list[index] == "search" and not wants_help:
            # The query is taken whole (argparse would read `-word` as an option).
            query, args_list = args_list[index + 1 :], args_list[: index + 1]
    command = None if wants_help or index is None else args_list[index]
    args = build_parser(command).parse_args(args_list)
    if query is not None:
        args.query = query
    import sqlite3

    from reader.library import LibraryError
    from reader.library.errors import explain

    args.config, problems = config.load()
    if args.command != "open":  # the app shows them itself
        for problem in problems:
            say(f"newsreader: warning: {problem}", err=True)
    args.problems = problems

    try:
        return COMMAND_FUNCS[args.command](args)
    except LibraryError as exc:
        say(f"newsreader: {exc}", err=True)
        return 2
    except sqlite3.Error as exc:  # e.g. the disk filled up during an import
        where = paths.library_path(args.library, args.config.library)
        say(f"newsreader: {where}: {explain(exc)}", err=True)
        return 2
    except BrokenPipeError:
        sys.stderr.close()  # `newsreader list | head`
        return 0


def _first_positional(args: list[str]) -> int | None:
    """Index of the first argument that is not a global option or its value."""
    skip = False
    for index, arg in enumerate(args):
        if skip:
            skip = False
        elif arg in VALUE_OPTIONS:
            skip = True
        elif not arg.startswith("-"):
            return index
    return None


def _globals_first(args: list[str], command: int) -> tuple[list[str], int]:
    """Move `--library PATH`, `--width N` and `--theme NAME` written after the command
    (`newsreader list --library x.db`) in front of it, where argparse reads them. Returns
    the arguments and the command's new index. Nothing after `--` moves."""
    moved: list[str] = []
    rest: list[str] = []
    words = iter(args[command + 1 :])
    for word in words:
        if word == "--":
            rest += [word, *words]
        elif word in VALUE_OPTIONS:
            moved += [word, next(words, "")]
        elif word.startswith(tuple(f"{name}=" for name in VALUE_OPTIONS)):
            moved.append(word)
        else:
            rest.append(word)
    before = args[:command] + moved
    return [*before, args[command], *rest], len(before)


def _width(value: str) -> int:
    try:
        width = int(value)
    except ValueError:
        width = 0
    if width not in config.WIDTHS:
        raise argparse.ArgumentTypeError(f"must be from 30 to 300 columns, not {value!r}")
    return width


def cmd_open(args: argparse.Namespace) -> int:
    """Open the app; with PATHs, the import of them runs beside it in a child process
    (reader/ui/importing.py), and the app fills in as it writes."""
    importing = None
    if args.path:
        from reader.library import View

        if not any(Path(source).expanduser().exists() for source in args.path):
            for source in args.path:
                say(f"newsreader: {source}: no such file or folder", err=True)
            return 1
        library = open_library(args)
        folder = Path(args.path[0]).expanduser().resolve()
        if len(args.path) == 1 and folder.is_dir():  # open on what is being imported
            library.set_setting("ui.view", View("source", folder.name).encoded)
        library.close()
        from reader.ui.importing import ChildImport

        importing = ChildImport(library.path, args.path)
        importing.start()
    else:
        importing = _index_beside_app(args)
    gc.disable()  # until the first paint: see ReaderApp._shown (and before Textual imports)
    from reader.ui.pictures import start_probe

    probe = start_probe(args.config.images)  # asks the terminal while the app imports
    # Textual's writer thread sends each frame to the terminal once it has the GIL: wait at
    # most 1 ms for it, not the default 5 ms, after a key press.
    sys.setswitchinterval(0.001)
    from reader.ui.app import ReaderApp

    settings = replace(
        args.config,
        reading_width=args.width or args.config.reading_width,
        theme=args.theme or args.config.theme,
    )
    path = paths.library_path(args.library, args.config.library)
    try:
        app = ReaderApp(path, settings, args.problems, importing)
    finally:  # (its answer read before Textual reads the input as keys; the tty restored)
        if probe is not None:
            probe.wait()
    try:
        app.run()
    finally:
        if importing is not None:
            importing.stop()  # (the app stops it as it closes; this, when it crashed)
    if app.crash_line:  # the traceback is in the crash log, not on the terminal
        say(app.crash_line, err=True)
    if importing is not None and importing.stopping:
        import shlex

        say(
            "The import was stopped before its end; "
            f"`newsreader import {shlex.join(args.path)}` goes on from where it stopped."
        )
    return app.return_code or 0


def _index_beside_app(args: argparse.Namespace) -> ChildImport | None:
    """Articles search does not cover yet (an upgrade made the index again, an import was
    stopped before its index): index them beside the app, as an import would."""
    from reader.library.turns import busy

    path = paths.library_path(args.library, args.config.library)
    if not path.exists():
        return None
    library = open_library(args)
    try:
        if not library.unindexed() or busy(path) is not None:
            return None
    finally:
        library.close()
    from reader.ui.importing import ChildImport

    child = ChildImport(path, [], command="finish-index")
    child.start()
    return child


def cmd_import(args: argparse.Namespace) -> int:
    report = run_import(
        open_library(args),
        args.path,
        include_unpublished=args.include_unpublished,
        jobs=args.jobs,
        quiet=args.quiet,
    )
    return 0 if report is not None else 1


def run_import(
    library: Library,
    sources: Sequence[str | Path],
    *,
    include_unpublished: bool = False,
    jobs: int | None = None,
    quiet: bool = False,
) -> ImportReport | None:
    """Import with a progress bar on a terminal; print problems and the summary line."""
    from reader.library import import_paths

    existing = [s for s in sources if Path(s).expanduser().exists()]
    if not existing:
        for source in sources:
            say(f"newsreader: {source}: no such file or folder", err=True)
        return None
    progress: Callable[[int, int], None] | None = None
    indexing: Callable[[int, int], None] | None = None
    bar = None
    if sys.stderr.isatty() and not quiet:
        from rich.progress import Progress

        bar = Progress(transient=True)
        bar.start()
        task = bar.add_task("Listing", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        def indexing(done: int, total: int) -> None:
            bar.update(task, description="Indexing for search", completed=done, total=total)

    try:
        report = import_paths(
            library,
            sources,
            include_unpublished=include_unpublished,
            jobs=jobs,
            progress=progress,
            indexing=indexing,
        )
    finally:
        if bar:
            bar.stop()
    if not quiet:
        for problem in report.errors:
            say(f"error: {problem}", err=True)
        for problem in report.warnings:
            say(f"warning: {problem}", err=True)
    say(f"Imported into {library.path}: {report.summary()}")
    return report


def cmd_stats(args: argparse.Namespace) -> int:
    stats = open_library(args).stats()
    say(f"Library:    {stats['library']}")
    say(f"Size:       {stats['size_bytes'] / 2**20:.1f} MB")
    say(
        f"Articles:   {stats['articles']} ({stats['unread']} unread, "
        f"{stats['bookmarked']} bookmarked, {stats['missing']} missing)"
    )
    from reader.library.views import LISTED

    for kind in LISTED:
        facets = stats[kind.setting]
        if not facets and not kind.shown:  # (an empty Authors says nothing)
            continue
        say(f"\n{kind.heading} ({len(facets)}):")
        for facet in facets[:25]:
            say(f"  {facet.count:>7}  {facet.name}")
        if len(facets) > 25:
            say(f"  … and {len(facets) - 25} more")
    return 0


def cmd_prune(args: argparse.Namespace) -> int:
    removed = open_library(args).prune()
    say(f"Removed {plural(removed, 'article')} whose files are gone.")
    return 0


def cmd_help(args: argparse.Namespace) -> int:
    if args.topic == "query":
        from reader.library.query import QUERY_HELP

        say(QUERY_HELP, end="")
    else:
        build_parser().print_help()
    return 0


COMMAND_FUNCS = {
    "open": cmd_open,
    "import": cmd_import,
    "stats": cmd_stats,
    "prune": cmd_prune,
    "help": cmd_help,
    **cli_feeds.COMMAND_FUNCS,
    **cli_sync.COMMAND_FUNCS,
    **cli_setup.COMMAND_FUNCS,
    **cli_articles.COMMAND_FUNCS,
    **cli_state.COMMAND_FUNCS,
}
