"""CLI commands that print articles: list, search and show."""

from __future__ import annotations

import argparse
import shutil
import sys
from typing import TYPE_CHECKING

from reader import config
from reader.cli_state import open_library
from reader.library.views import EXTRA, labelled
from reader.terminal import say, say_json

if TYPE_CHECKING:
    from reader.library import Article, ArticleSummary, Library
    from reader.library.models import Extra

SORTS = (*config.SORTS, "date", "relevance")  # for search (date: the config's order)
NO_MATCH = "no articles match"  # on stderr, with exit status 1, as grep does
SOURCE_COLUMNS = 16  # the source column of `list`, in terminal cells


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("list", help="list articles, newest first")
    p.add_argument("--json", action="store_true", help="print a JSON array")
    p.add_argument(
        "--sort",
        choices=config.SORTS,
        help="newest or oldest first, or by title (default: the config's)",
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
    p.add_argument(
        "--ignored", action="store_true", help="only what the `ignore` rules hide elsewhere"
    )

    from reader.library.query import QUERY_HELP

    p = sub.add_parser(
        "search",
        help="search articles (`newsreader help query` for the query language)",
        description="Search articles. Exit status 1 when no article matches.",
        epilog=QUERY_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
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
        help="newest, oldest, title, date (the config's order, the default) or relevance",
    )

    p = sub.add_parser(
        "dupes",
        help="list the stories several sources carry: articles of nearly the same text",
        description="List the stories several articles carry (see `Stories` in the README),"
        " newest first, each with its articles, oldest first. Exit status 1 when there is none.",
    )
    p.add_argument(
        "--json", action="store_true", help="print a JSON array of arrays of `list --json` records"
    )
    p.add_argument("--limit", type=int, default=None, help="at most N stories")

    p = sub.add_parser("show", help="print one article as the reader lays it out")
    p.add_argument("id", type=int)
    p.add_argument(
        "--width",
        metavar="N",
        default=argparse.SUPPRESS,  # read as the global --width, wherever it stands
        help="columns to lay out in, 30-300 (default: the terminal's, or 80 when piped)",
    )
    shown = p.add_mutually_exclusive_group()
    shown.add_argument("--markdown", action="store_true", help="print the stored Markdown")
    shown.add_argument(
        "--json",
        action="store_true",
        help="print JSON: the fields, `body` (Markdown) and `text` (as laid out)",
    )


def _record(
    summary: ArticleSummary,
    path: str | None = None,
    url: str | None = None,
    extra: Extra | None = None,
) -> dict[str, object]:
    """An article's `list --json` record; `extra`: its authors… (views.EXTRA), by kind."""
    names = extra or {}
    return {
        "id": summary.id,
        "title": summary.title,
        "date": summary.date,
        "source": summary.source,
        "categories": list(summary.categories),
        "tags": list(summary.tags),
        **{kind.setting: list(names.get(kind.name, ())) for kind in EXTRA},
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
    try:
        query = library.resolve(query)  # a tag or source by a unique start of its name
    except QueryError as exc:
        say(f"newsreader: bad query: {exc.message}", err=True)
        return 2
    sort = args.sort if args.sort not in (None, "date") else args.config.sort
    ids = library.search(query, sort=sort, limit=args.limit if args.limit else -1)
    _print_rows(library, library.summaries_for(ids), args.json)
    if query.searches_text and (short := library.coverage()):  # never silently incomplete
        say(f"newsreader: note: {short}", err=True)
    return 0 if ids else _none_match()


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


def _print_rows(library: Library, rows: list[ArticleSummary], as_json: bool) -> None:
    from rich.cells import set_cell_size

    if as_json:
        ids = [row.id for row in rows]
        details, extras = library.locations(ids), library.extras(ids)
        records = []
        for row in rows:
            path, url = details.get(row.id, (None, None))
            records.append(_record(row, path, url, extras.get(row.id)))
        say_json(records)
        return
    for row in rows:
        flags = ("*" if row.bookmarked else " ") + ("N" if not row.read else " ")
        day = (row.date or "")[:10].ljust(10)
        source = set_cell_size(row.source, SOURCE_COLUMNS)  # Chinese takes two cells
        say(f"{row.id:>6} {flags} {day}  {source}  {row.title}")


def _none_match() -> int:
    say(f"newsreader: {NO_MATCH}", err=True)
    return 1


def cmd_list(args: argparse.Namespace) -> int:
    from reader.library import View

    library = open_library(args)
    limit = args.limit if args.limit is not None else -1
    views = [View("tag", name) for name in args.tag]
    views += [View("bookmarked")] * args.bookmarked + [View("unread")] * args.unread
    views += [View("ignored")] * args.ignored
    order = args.sort or args.config.sort
    rows = library.summaries(views, limit=limit, order=order)
    _print_rows(library, rows, args.json)
    return 0 if rows or not views else _none_match()  # filters that match nothing: as grep


def cmd_dupes(args: argparse.Namespace) -> int:
    library = open_library(args)
    stories = library.stories()[: args.limit]
    if args.json:
        ids = [i for story in stories for i in story]
        rows = {row.id: row for row in library.summaries_for(ids)}
        details, extras = library.locations(ids), library.extras(ids)
        records: list[list[dict[str, object]]] = []
        for story in stories:
            records.append([])
            for i in story:
                path, url = details.get(i, (None, None))
                records[-1].append(_record(rows[i], path, url, extras.get(i)))
        say_json(records)
    for number, story in enumerate([] if args.json else stories):
        if number:
            say("")
        _print_rows(library, library.summaries_for(story), False)
    if not stories:
        say("newsreader: no story is carried by more than one article", err=True)
    return 0 if stories else 1


def cmd_show(args: argparse.Namespace) -> int:
    from reader.library.body import readable

    article = open_library(args).article(args.id)
    if article is None:
        say(f"newsreader: no article with id {args.id}", err=True)
        return 1
    if args.markdown:
        _print_markdown(article)
        return 0
    width = args.width or (shutil.get_terminal_size().columns if sys.stdout.isatty() else 80)
    text = laid_out(article, max(20, width), args.config.date_format, args.config.script)
    if args.json:
        record = article._asdict()
        record["categories"], record["tags"] = list(article.categories), list(article.tags)
        extra = record.pop("extra")
        record |= {kind.setting: list(extra.get(kind.name, ())) for kind in EXTRA}
        record["kind"], record["body"] = readable(article.kind, article.body, record.pop("html"))
        say_json(record | {"text": "\n".join(text)})
        return 0
    for line in text:
        say(line)
    return 0


def laid_out(
    article: Article, width: int, date_format: str, script: str = "as-written"
) -> list[str]:
    """The article's lines as the reader shows them (header, body, links), plain text."""
    from rich.text import Text

    from reader.ui.render import Styles, header, layout  # pure Rich: no Textual

    styles = Styles()
    lines = header(article, styles, width, date_format, script) + [Text()]
    lines += layout(article, styles, script).lines(width, styles)
    return [line.plain.rstrip() for line in lines]


def _print_markdown(article: Article) -> None:
    say(article.title)
    say("=" * min(80, max(10, len(article.title))))
    for label, value in (
        ("Date", article.date),
        ("Source", article.source),
        *labelled(article.extra),
        ("Categories", ", ".join(article.categories)),
        ("Tags", ", ".join(article.tags)),
        ("Link", article.url),
        ("Note", article.note),
        ("File", article.path + (" (missing)" if article.missing else "")),
    ):
        if value:
            say(f"{label + ':':<12}{value}")
    from reader.library.body import readable

    say()
    say(readable(article.kind, article.body, article.html)[1].rstrip())


COMMAND_FUNCS = {"list": cmd_list, "search": cmd_search, "show": cmd_show, "dupes": cmd_dupes}
