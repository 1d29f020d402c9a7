"""Checks of settings values (reader/config.py): each returns the value as the settings
hold it or raises ValueError saying what it must be. Here: the command lines, the ignore
rules, macros and pictures; config.py keeps the simple ones."""

from __future__ import annotations

import reprlib
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from reader.library.ignore import ACTIONS, Rule

ImageSetting = bool | Literal["fetch"]

_REPR = reprlib.Repr()  # (keyword arguments need Python 3.12)
_REPR.maxlevel, _REPR.maxstring, _REPR.maxother, _REPR.maxlist, _REPR.maxdict = 2, 60, 60, 6, 6


def _shown(value: object) -> str:
    """A value in a message: short, however big (an alias bomb) the value is."""
    return _REPR.repr(value)


def _text(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"must be a non-empty text, not {_shown(value)}")
    if any(ord(ch) < 32 or 127 <= ord(ch) < 160 for ch in value):
        raise ValueError("must not hold control characters")
    return value.strip()


def _browser(value: object) -> str:
    """A command line such as `firefox %u`: split once, shell-style, and run without a shell;
    `%u` is the URL (added at the end when it is missing)."""
    return _command_line(value, "firefox %u")


def _command(value: object) -> str:
    """`notify`: a command line such as `notify-send newsreader %n`, run without a shell."""
    return _command_line(value, "notify-send newsreader %n")


def _pipe(value: object) -> str:
    """`pipe_to`: a command line such as `less -R`, run without a shell."""
    return _command_line(value, "less -R")


def _command_line(value: object, example: str) -> str:
    import shlex

    text = _text(value)
    try:
        words = shlex.split(text)
    except ValueError as exc:
        raise ValueError(f"must be a command such as '{example}' ({exc})") from None
    if not words:
        raise ValueError(f"must name a program, such as '{example}'")
    return text


def _folder(value: object) -> str:
    return str(Path(_text(value)).expanduser())


def _megabytes(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 100_000:
        raise ValueError(f"must be a whole number of megabytes, 1 or more, not {_shown(value)}")
    return value


def _images(value: object) -> ImageSetting:
    if value is True or value is False or value == "fetch":
        return value
    raise ValueError(f"must be true, false or fetch, not {_shown(value)}")


RULE_EXAMPLE = "{query: 'title:广告', feed: hn, action: mark-read}"


def _ignore(value: object) -> tuple[Rule, ...]:
    """A list of rules, each a query (the search language) with, optionally, the source it
    is for and what it does (hide, the default, or mark-read). (config.parse checks a list
    rule by rule, with `_rule`, and keeps the good ones.)"""
    if not isinstance(value, list):
        raise ValueError(f"must be a list of rules such as {RULE_EXAMPLE}, not {_shown(value)}")
    return tuple(_rule(item, number) for number, item in enumerate(value, 1))


def good_rules(
    value: list[object], where: Callable[[str], str]
) -> tuple[tuple[Rule, ...], list[str]]:
    """(the good rules, a message per bad one): each rule checked on its own, a bad one
    reported (`where("ignore.N")` names its file and line) and left out."""
    rules, problems = [], []
    for number, item in enumerate(value, 1):
        try:
            rules.append(_rule(item, number))
        except ValueError as exc:
            problems.append(f"{where(f'ignore.{number}')}: ignore {exc}; that rule is left out")
    return tuple(rules), problems


def _rule(item: object, number: int) -> Rule:
    """Rule `number` of `ignore`."""
    from reader.library.query import QueryError, parse

    if not isinstance(item, dict) or not set(item) <= {"query", "feed", "action"}:
        raise ValueError(
            f"rule {number} must have a query, and may have a feed and an action,"
            f" such as {RULE_EXAMPLE}, not {_shown(item)}"
        )
    try:
        query = _text(item.get("query"))
        parse(query)
    except QueryError as exc:
        raise ValueError(f"rule {number}: the query {query!r}: {exc}") from None
    except ValueError as exc:
        raise ValueError(f"rule {number}: query {exc}") from None
    feed = item.get("feed")
    if feed is not None:
        feed = _text(str(feed) if isinstance(feed, int | float) else feed)
    action = item.get("action", "hide")
    if action not in ACTIONS:
        raise ValueError(
            f"rule {number}: action must be one of {', '.join(ACTIONS)}, not {_shown(action)}"
        )
    return Rule(query, feed, action)


def _macros(value: object) -> dict[str, tuple[str, ...]]:
    """Keys (a prefix key, then a key: `,r`) to lists of steps: command ids (the keymap's,
    docs/guide.md) or `browser:COMMAND`, `pipe:COMMAND` (%u: the link). The ids are
    checked by the app, which knows them."""
    if not isinstance(value, dict):
        raise ValueError(
            f"must map keys to steps, e.g. ',r': ['browser:firefox %u', read], not {_shown(value)}"
        )
    macros = {}
    for keys, steps in value.items():
        if not isinstance(keys, str) or len(keys) < 2 or " " in keys:
            raise ValueError(
                f"keys must be a prefix key and a key, such as ',r', not {_shown(keys)}"
            )
        if isinstance(steps, str):
            steps = [steps]
        if not isinstance(steps, list) or not steps:
            raise ValueError(f"{keys}: must be a list of steps, not {_shown(steps)}")
        checked = []
        for step in steps:
            try:
                step = _text(step)
                if step.startswith(("browser:", "pipe:")):
                    _command_line(step.partition(":")[2], "browser:firefox %u")
            except ValueError as exc:
                raise ValueError(f"{keys}: a step {exc}") from None
            checked.append(step)
        macros[keys] = tuple(checked)
    return macros
