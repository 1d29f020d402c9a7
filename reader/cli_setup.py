"""CLI commands that look after newsreader itself: themes, settings, the library's health."""

from __future__ import annotations

import argparse
from dataclasses import replace
from typing import TYPE_CHECKING

from reader import config, paths
from reader.words import plural

if TYPE_CHECKING:
    from pathlib import Path

    from reader.library.recovery import Recovery
from reader.terminal import say


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sub.add_parser("themes", help="list the themes (bundled, yours, and Textual's)")
    p = sub.add_parser(
        "doctor", help="check the library; rebuild its search index; recover a damaged one"
    )
    what = p.add_mutually_exclusive_group()
    what.add_argument("--rebuild-index", action="store_true", help="index every article afresh")
    what.add_argument(
        "--finish-index",
        action="store_true",
        help="only index the articles search does not cover yet (the app runs this itself)",
    )
    what.add_argument(
        "--recover",
        action="store_true",
        help="move a damaged library aside and build a fresh one with its reading state",
    )
    p = sub.add_parser("config", help="where the settings file is, and the settings in effect")
    p.add_argument("action", choices=("path", "show"), help="path: print where; show: print them")


def theme_setting(args: argparse.Namespace) -> str | None:
    """The theme `--theme` or the settings name; None when neither does (or says `auto`)."""
    from reader.ui.themes import chosen_theme

    return chosen_theme(getattr(args, "theme", None) or args.config.theme)


def cmd_themes(args: argparse.Namespace) -> int:
    from textual.theme import BUILTIN_THEMES

    from reader.ui.themes import effective_theme, load_themes

    ours, problems = load_themes([paths.themes_dir(), paths.config_dir() / "themes"])
    current = effective_theme(theme_setting(args))
    for theme in [*ours, *BUILTIN_THEMES.values()]:
        mark = "*" if theme.name == current else " "
        say(f"{mark} {theme.name:<28} {'dark' if theme.dark else 'light'}")
    for problem in problems:
        say(f"warning: {problem}", err=True)
    return 0


def cmd_config(args: argparse.Namespace) -> int:
    path = config.config_path()
    if args.action == "path":
        say(path)
        return 0
    from reader.ui.app import keymap_clashes
    from reader.ui.keymap import binding_ids
    from reader.ui.themes import default_theme, terminal_is_light

    problems = config.unknown_keys(args.config, binding_ids(), path.name)
    for problem in problems + keymap_clashes(dict(args.config.keys)):
        say(f"newsreader: warning: {problem}", err=True)
    state = "" if path.exists() else " (no such file yet: these are the defaults)"
    say(f"# {path}{state}")
    library = paths.library_path(args.library, args.config.library)
    chosen = theme_setting(args)
    shown = replace(args.config, library=str(library), theme=chosen or default_theme())
    text = config.dump(shown)
    if chosen is None:  # say why this theme: the reader never chose it
        kind = "light" if terminal_is_light() else "dark"
        lines = text.splitlines(keepends=True)
        for n, line in enumerate(lines):
            if line.startswith("theme: "):
                lines[n] = f"{line.rstrip()}  # the default for a {kind} terminal\n"
        text = "".join(lines)
    say(text, end="")
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    """Exit 0: sound; 1: damaged, or an index to rebuild; 3: no damage found, but the
    library is read-only or was kept busy (not damage: `--recover` is not the answer)."""
    from reader.library import doctor

    path = paths.library_path(args.library, args.config.library)
    if args.rebuild_index:
        say(f"Rebuilt the search index of {doctor.rebuild_index(path)} articles.")
        return 0
    if args.finish_index:
        _finish_index(path)
        return 0
    if args.recover:
        if not path.exists():
            say(f"newsreader: {path}: no library here to recover", err=True)
            return 1
        _say_recovery(doctor.recover(path))
        return 0
    checkup = doctor.check(path)
    say(f"Library: {path}")
    for fact in checkup.facts:
        say(f"  {fact}")
    if checkup.ok and checkup.unindexed:
        _finish_index(path)
    if checkup.ok:
        say("No problems found.")
        return 0
    for problem in checkup.problems:
        say(f"  problem: {problem}")
    for reason in checkup.blocked:
        say(f"  not checked or not writable: {reason}")
    if checkup.damaged:
        first = "once the permissions are fixed, " if checkup.blocked else ""
        say(f"{first}`newsreader doctor --recover` saves your reading state into a fresh library.")
    if not checkup.problems:
        say("No damage found.")
        return 3
    return 1


def _finish_index(path: Path) -> None:
    """Index what search does not cover yet, unless a job of ours is doing it already."""
    from reader.cli_feeds import progress_line
    from reader.library import doctor
    from reader.library.turns import busy

    job = busy(path)
    if job is not None:
        say(f"  {job.what} is running: it indexes them when it is done")
        return
    with progress_line("Indexing for search") as progress:
        done = doctor.finish_index(path, progress)
    say(f"  indexed them: search covers every article now ({done} indexed)")


def _say_recovery(result: Recovery) -> None:
    say(f"The damaged library is kept as {result.kept_aside}")
    say(f"Imported its folders into a fresh library: {result.report.summary()}")
    if result.feeds or result.entries or result.fileless or result.not_carried:
        say(
            f"Carried over {plural(result.entries, 'feed entry', 'feed entries')} "
            f"(of {plural(result.feeds, 'feed')}) and "
            f"{plural(result.fileless, 'article')} whose files are gone; "
            f"{len(result.not_carried)} could not be read."
        )
        for name in result.not_carried[:20]:
            say(f"  not carried over: {name}")
    source = "the state journal" if result.from_journal else "the damaged file"
    say(
        f"Reading state (from {source}) restored on {plural(result.restored, 'article')}; "
        f"{len(result.lost)} could not be restored."
    )
    for name in result.lost[:20]:
        say(f"  not restored: {name}")
    if len(result.lost) > 20:
        say(f"  ... and {len(result.lost) - 20} more")
    say(f"Saved searches restored: {result.saved}.")


COMMAND_FUNCS = {"themes": cmd_themes, "config": cmd_config, "doctor": cmd_doctor}
