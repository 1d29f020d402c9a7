"""The `newsreader` command: a thin shell over the library calls the app uses too."""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from reader import __version__, cli_feeds, cli_setup, cli_state, config, paths
from reader.cli_state import open_library
from reader.terminal import say, say_json

VALUE_OPTIONS = ("--library", "--width", "--theme")  # global options that take a value
SORTS = (*config.SORTS, "date", "relevance")  # for search (date: the config's order)


class _Commands:
    """The parsers of the commands, built only for the one being run (or all, when None):
    argparse looks for translations on disk for each parser it builds, ~10 ms for all."""

    def __init__(self, sub: argparse._SubParsersAction, only: str | None) -> None:
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

    p = sub.add_parser("list", help="list articles, newest first")
    p.add_argument("--json", action="store_true", help="print a JSON array")
    p.add_argument(
        "--sort", choices=config.SORTS, help="newest or oldest first (default: the config's)"
    )
    p.add_argument("--limit", type=int, default=None, help="at most N articles")
    p.add_argument(
        "--tag",
        action="append",
        default=[],
        metavar="NAME",
        help="only articles with this tag (repeat for several)",
    )
    p.add_argument("--bookmarked", action="store_true", help="only bookmarked articles")
    p.add_argument("--unread", action="store_true", help="only unread articles")

    p = sub.add_parser("search", help="search articles (see the README for the query language)")
    p.add_argument(
        "query",
        nargs=argparse.REMAINDER,
        help="e.g. 人民币 tag:外汇 after:2022-05 -美元 (options may stand anywhere; after `--`"
        " all is query)",
    )
    p.add_argument("--json", action="store_true", help="print a JSON array (as `list --json`)")
    p.add_argument("--limit", type=int, default=None, help="at most N articles")
    p.add_argument(
        "--sort",
        choices=SORTS,
        help="newest, oldest, date (the config's order, the default) or relevance",
    )

    p = sub.add_parser("show", help="print one article")
    p.add_argument("id", type=int)
    p.add_argument("--json", action="store_true", help="print JSON, with the Markdown body")

    sub.add_parser("stats", help="counts by source, category and tag; library size")
    sub.add_parser("prune", help="delete articles whose files are gone (bookmarks are kept)")
    cli_feeds.add_parsers(sub)
    cli_setup.add_parsers(sub)
    cli_state.add_parsers(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
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
    from reader.library.store import explain

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
    except KeyboardInterrupt:
        say("newsreader: interrupted", err=True)
        return 130
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
    if args.path:
        library = open_library(args)
        report = run_import(library, args.path, quiet=False)
        if report is None:
            return 1
        folder = Path(args.path[0]).expanduser().resolve()
        if len(args.path) == 1 and folder.is_dir():  # open on what was just imported
            library.set_setting("ui.view", f"source\x1f{folder.name}")
        library.close()
    gc.disable()  # until the first paint: see ReaderApp._shown
    # Textual's writer thread sends each frame to the terminal once it has the GIL: wait at
    # most 1 ms for it, not the default 5 ms, after a key press.
    sys.setswitchinterval(0.001)
    from reader.ui.app import ReaderApp

    settings = replace(
        args.config,
        reading_width=args.width or args.config.reading_width,
        theme=args.theme or args.config.theme,
    )
    library = paths.library_path(args.library, args.config.library)
    ReaderApp(library, settings, args.problems).run()
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    report = run_import(
        open_library(args),
        args.path,
        include_unpublished=args.include_unpublished,
        jobs=args.jobs,
        quiet=args.quiet,
    )
    return 0 if report is not None else 1


def run_import(library, sources, *, include_unpublished=False, jobs=None, quiet=False):  # noqa: ANN001, ANN201
    """Import with a progress bar on a terminal; print problems and the summary line."""
    from reader.library import import_paths

    existing = [s for s in sources if Path(s).expanduser().exists()]
    if not existing:
        for source in sources:
            say(f"newsreader: {source}: no such file or folder", err=True)
        return None
    progress = None
    bar = None
    if sys.stderr.isatty() and not quiet:
        from rich.progress import Progress

        bar = Progress(transient=True)
        bar.start()
        task = bar.add_task("Importing", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

    try:
        report = import_paths(
            library,
            sources,
            include_unpublished=include_unpublished,
            jobs=jobs,
            progress=progress,
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


def _record(summary, path: str | None = None, url: str | None = None) -> dict:  # noqa: ANN001
    return {
        "id": summary.id,
        "title": summary.title,
        "date": summary.date,
        "source": summary.source,
        "categories": list(summary.categories),
        "tags": list(summary.tags),
        "url": url,
        "path": path,
        "read": summary.read,
        "bookmarked": summary.bookmarked,
        "missing": summary.missing,
    }


def cmd_search(args: argparse.Namespace) -> int:
    from rich.cells import cell_len

    from reader.library.query import QueryError, parse

    words = _search_options(args, list(args.query))
    if words is None:
        return 2
    text = " ".join(words)
    try:
        query = parse(text)
    except QueryError as exc:
        pad = " " * cell_len(text[: exc.position])  # Chinese characters take two columns
        say(f"newsreader: bad query: {exc.message}\n  {text}\n  {pad}^", err=True)
        return 2
    library = open_library(args)
    sort = args.sort if args.sort not in (None, "date") else args.config.sort
    ids = library.search(query, sort=sort, limit=args.limit if args.limit else -1)
    _print_rows(library, library.summaries_for(ids), args.json)
    return 0


def _search_options(args: argparse.Namespace, words: list[str]) -> list[str] | None:
    """The query words, with --json/--limit/--sort taken out wherever they stand.

    The query is taken whole (argparse would read `-word` as an option); after `--`
    everything is query.
    """
    out: list[str] = []
    rest = iter(words)
    for word in rest:
        try:
            if word == "--":
                out.extend(rest)
            elif word == "--json":
                args.json = True
            elif word in ("--limit", "--sort") or word.startswith(("--limit=", "--sort=")):
                name, _, value = word.partition("=")
                value = value or next(rest)
                if name == "--limit":
                    args.limit = int(value)
                elif value in SORTS:
                    args.sort = value
                else:
                    raise ValueError(value)
            else:
                out.append(word)
        except (StopIteration, ValueError):
            say(
                f"newsreader: {word}: needs a value (--limit N, --sort {'|'.join(SORTS)})",
                err=True,
            )
            return None
    if not out:
        say("newsreader: search needs a query", err=True)
        return None
    return out


def _print_rows(library, rows, as_json: bool) -> None:  # noqa: ANN001
    if as_json:
        details = library.locations([row.id for row in rows])
        records = [_record(row, *details.get(row.id, (None, None))) for row in rows]
        say_json(records)
        return
    for row in rows:
        flags = ("*" if row.bookmarked else " ") + ("N" if not row.read else " ")
        day = (row.date or "")[:10].ljust(10)
        say(f"{row.id:>6} {flags} {day}  {row.source[:16]:<16}  {row.title}")


def cmd_list(args: argparse.Namespace) -> int:
    from reader.library import View

    library = open_library(args)
    limit = args.limit if args.limit is not None else -1
    views = [View("tag", name) for name in args.tag]
    views += [View("bookmarked")] * args.bookmarked + [View("unread")] * args.unread
    order = args.sort or args.config.sort
    _print_rows(library, library.summaries(views, limit=limit, order=order), args.json)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    article = open_library(args).article(args.id)
    if article is None:
        say(f"newsreader: no article with id {args.id}", err=True)
        return 1
    if args.json:
        record = article._asdict()
        record["categories"], record["tags"] = list(article.categories), list(article.tags)
        say_json(record)
        return 0
    say(article.title)
    say("=" * min(80, max(10, len(article.title))))
    for label, value in (
        ("Date", article.date),
        ("Source", article.source),
        ("Categories", ", ".join(article.categories)),
        ("Tags", ", ".join(article.tags)),
        ("Link", article.url),
        ("Note", article.note),
        ("File", article.path + (" (missing)" if article.missing else "")),
    ):
        if value:
            say(f"{label + ':':<12}{value}")
    say()
    say(article.body.rstrip())
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    stats = open_library(args).stats()
    say(f"Library:    {stats['library']}")
    say(f"Size:       {stats['size_bytes'] / 2**20:.1f} MB")
    say(
        f"Articles:   {stats['articles']} ({stats['unread']} unread, "
        f"{stats['bookmarked']} bookmarked, {stats['missing']} missing)"
    )
    for label in ("sources", "categories", "tags"):
        facets = stats[label]
        say(f"\n{label.title()} ({len(facets)}):")
        for facet in facets[:25]:
            say(f"  {facet.count:>7}  {facet.name}")
        if len(facets) > 25:
            say(f"  … and {len(facets) - 25} more")
    return 0


def cmd_prune(args: argparse.Namespace) -> int:
    removed = open_library(args).prune()
    say(f"Removed {removed} articles whose files are gone.")
    return 0


COMMAND_FUNCS = {
    "open": cmd_open,
    "import": cmd_import,
    "list": cmd_list,
    "show": cmd_show,
    "stats": cmd_stats,
    "prune": cmd_prune,
    **cli_feeds.COMMAND_FUNCS,
    **cli_setup.COMMAND_FUNCS,
    "search": cmd_search,
    **cli_state.COMMAND_FUNCS,
}
