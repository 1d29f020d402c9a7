"""CLI commands for the reader's own state: bookmarks, tags, export and import."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from reader import paths
from reader.terminal import say, say_json
from reader.words import plural

if TYPE_CHECKING:
    from reader.library import Library


def open_library(args: argparse.Namespace) -> Library:
    from reader.library import Library

    library = Library(paths.library_path(args.library, args.config.library))
    library.use_rules(args.config.ignore)  # (the settings' ignore rules: ignore.py)
    return library


def _known(library: Library, article_id: int) -> bool:
    if library.article(article_id) is None:
        say(f"newsreader: no article with id {article_id}", err=True)
        return False
    return True


def cmd_bookmark(args: argparse.Namespace) -> int:
    library = open_library(args)
    if not _known(library, args.id):
        return 1
    library.set_bookmark([args.id], True, note=args.note)
    say(f"Bookmarked {args.id}" + (f" with note: {args.note}" if args.note else ""))
    return 0


def cmd_unbookmark(args: argparse.Namespace) -> int:
    library = open_library(args)
    if not _known(library, args.id):
        return 1
    library.set_bookmark([args.id], False)
    say(f"Removed the bookmark of {args.id}")
    return 0


def cmd_tag(args: argparse.Namespace) -> int:
    """`tag ID +a +b -c`: a bare word adds too."""
    library = open_library(args)
    if not _known(library, args.id):
        return 1
    add = [c[1:] if c.startswith("+") else c for c in args.changes if not c.startswith("-")]
    remove = [c[1:] for c in args.changes if c.startswith("-")]
    if not add and not remove:
        say("newsreader: say which tags to add (+tag) or remove (-tag)", err=True)
        return 2
    from reader.library.state import clean_tag

    if not any(clean_tag(t) for t in add + remove):
        say("newsreader: no tag names given (a tag needs letters)", err=True)
        return 2
    library.tag([args.id], add=add, remove=remove)
    article = library.article(args.id)
    say(f"{args.id}: " + (", ".join(article.tags) if article and article.tags else "no tags"))
    return 0


def cmd_tags(args: argparse.Namespace) -> int:
    """`tags [--json]`, `tags rename OLD NEW`, `tags delete NAME`."""
    library = open_library(args)
    action = args.action[:1]
    if action == ["rename"] and len(args.action) == 3:
        old, new = args.action[1:]
        if not library.tagged(old):
            say(f"newsreader: no article has the tag {old!r}", err=True)
            return 1
        try:
            changed = len(library.rename_tag(old, new).ids)
        except ValueError as exc:
            say(f"newsreader: {exc}", err=True)
            return 2
        say(f"Renamed {old!r} to {library.spelling(new)!r} on {plural(changed, 'article')}")
        return 0
    if action == ["delete"] and len(args.action) == 2:
        changed = len(library.delete_tag(args.action[1]).ids)
        if not changed:
            say(f"newsreader: no article has the tag {args.action[1]!r}", err=True)
            return 1
        say(f"Removed the tag {args.action[1]!r} from {plural(changed, 'article')}")
        return 0
    if args.action:
        say("newsreader: use `tags`, `tags rename OLD NEW` or `tags delete NAME`", err=True)
        return 2
    facets = library.facets("tag")
    if args.json:
        records = [{"name": f.name, "count": f.count, "unread": f.unread} for f in facets]
        say_json(records)
    else:
        for facet in facets:
            say(f"{facet.count:>7}  {facet.name}")
    return 0


def cmd_export_state(args: argparse.Namespace) -> int:
    import yaml

    state = open_library(args).export_state()
    text = yaml.safe_dump(state, allow_unicode=True, sort_keys=False, width=100)
    header = (
        "# newsreader state: read marks, bookmarks, notes and tags. `newsreader import-state`\n"
    )
    target = Path(args.file)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(header + text, encoding="utf-8")
    tmp.replace(target)  # all or nothing: never a half-written state file
    say(f"Wrote the state of {plural(len(state['articles']), 'article')} to {target}")
    return 0


def cmd_import_state(args: argparse.Namespace) -> int:
    import yaml

    try:
        data = yaml.safe_load(Path(args.file).read_text(encoding="utf-8"))
    except OSError as exc:
        say(f"newsreader: {args.file}: {exc.strerror}", err=True)
        return 1
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        say(f"newsreader: {args.file}{where}: not valid YAML ({problem})", err=True)
        return 1
    try:
        matched, unmatched = open_library(args).import_state(data)
    except ValueError as exc:
        say(f"newsreader: {args.file}: {exc}", err=True)
        return 1
    say(
        f"Restored the state of {plural(matched, 'article')}; "
        f"{len(unmatched):,} not found in this library"
    )
    for name in unmatched[:20]:
        say(f"  not found: {name}")
    return 0


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("bookmark", help="bookmark an article, optionally with a note")
    p.add_argument("id", type=int)
    p.add_argument("--note", help="a note kept with the bookmark (searchable)")
    p = sub.add_parser("unbookmark", help="remove an article's bookmark")
    p.add_argument("id", type=int)
    p = sub.add_parser("tag", help="add (+tag) and remove (-tag) an article's tags")
    p.add_argument("id", type=int)
    p.add_argument("changes", nargs=argparse.REMAINDER, metavar="+TAG|-TAG")
    p = sub.add_parser(
        "tags", help="list tags with counts; `tags rename OLD NEW`; `tags delete NAME`"
    )
    p.add_argument("action", nargs="*", metavar="rename OLD NEW | delete NAME")
    p.add_argument("--json", action="store_true", help="print a JSON array")
    p = sub.add_parser("export-state", help="write read marks, bookmarks and tags to a YAML file")
    p.add_argument("file")
    p = sub.add_parser("import-state", help="restore state from an export-state file")
    p.add_argument("file")


COMMAND_FUNCS = {
    "bookmark": cmd_bookmark,
    "unbookmark": cmd_unbookmark,
    "tag": cmd_tag,
    "tags": cmd_tags,
    "export-state": cmd_export_state,
    "import-state": cmd_import_state,
}
