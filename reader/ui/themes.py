"""Theme files (YAML) -> Textual `Theme`s; a broken file is a message, never a crash.

Also which theme is in effect when none is chosen: a newsreader reading theme, dark or light
as the terminal is (`COLORFGBG`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from textual.color import Color, ColorParseError
from textual.theme import Theme

from reader import paths
from reader.config import safe_yaml

COLOURS = (
    "primary",
    "secondary",
    "accent",
    "foreground",
    "background",
    "surface",
    "panel",
    "warning",
    "error",
    "success",
    "boost",
)
KEYS = frozenset({"name", "dark", "variables", *COLOURS})
DARK, LIGHT = "newsreader-ink", "newsreader-paper"  # the defaults
AUTO = "auto"  # `theme: auto` in the settings: the default, as when no theme is set
# COLORFGBG's background colours (`fg;bg`, ANSI numbers) that are dark, as Vim reads them
DARK_BACKGROUNDS = frozenset({"0", "1", "2", "3", "4", "5", "6", "8"})


class ThemeError(ValueError):
    """What is wrong with a theme file; str() names the file."""


def load_theme(path: Path) -> Theme:
    yaml, loader = safe_yaml()  # on first use: not needed for the first paint
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - safe
    except (OSError, UnicodeDecodeError) as exc:
        raise ThemeError(f"{path}: cannot read it ({exc})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        raise ThemeError(
            f"{path}{where}: not valid YAML ({getattr(exc, 'problem', exc)})"
        ) from None
    return theme_from(path, data)


def theme_from(path: Path, data: object) -> Theme:
    """A theme from a file's keys, checked; `path` names the file in the message."""
    if not isinstance(data, dict):
        raise ThemeError(f"{path}: a theme is a set of keys (name, primary, background, …)")
    unknown = sorted(set(map(str, data)) - KEYS)
    if unknown:
        raise ThemeError(f"{path}: unknown key {unknown[0]!r} (known: {', '.join(sorted(KEYS))})")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ThemeError(f"{path}: a theme needs a name")
    if "primary" not in data:
        raise ThemeError(f"{path}: a theme needs a primary colour")
    for key in COLOURS:
        if key in data:
            try:
                Color.parse(str(data[key]))
            except ColorParseError:
                raise ThemeError(f"{path}: {key}: {data[key]!r} is not a colour") from None
    if not isinstance(data.get("dark", True), bool):
        raise ThemeError(f"{path}: dark: is true or false")
    variables = data.get("variables") or {}
    if not isinstance(variables, dict):
        raise ThemeError(f"{path}: variables: is a set of keys")
    colours: dict[str, Any] = {key: str(data[key]) for key in COLOURS if key in data}
    return Theme(
        name=name.strip(),
        dark=data.get("dark", True),
        variables={str(k): str(v) for k, v in variables.items()},
        **colours,
    )


# A line of a plain theme file: `key: "value"`, `key: word` or `variables:`, maybe indented
# (under `variables:`), maybe with a comment. Words YAML reads as other than text, such as
# `yes`, `null` or `12`, make the file not plain (`true`, `false` are read here).
PLAIN_LINE = re.compile(
    r"(?P<indent> *)(?P<key>[a-z][a-z0-9-]*):"
    r'(?: +(?:"(?P<quoted>[^"\\]*)"|(?P<word>[a-z][a-z0-9-]*)))?'
    r"(?: +#.*| *)"
)
NOT_PLAIN = frozenset({"yes", "no", "on", "off", "y", "n", "null"})
WORDS = {"true": True, "false": False}


def read_plain(text: str) -> dict[str, Any] | None:
    """The keys of a theme file written plainly, as the bundled ones are, without PyYAML
    (importing it costs ~15 ms of the start); None when the file needs a YAML parser."""
    data: dict[str, Any] = {}
    section: dict[str, str] | None = None  # the keys under `variables:`
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = PLAIN_LINE.fullmatch(line)
        if match is None or match["word"] in NOT_PLAIN:
            return None
        key, quoted, word = match["key"], match["quoted"], match["word"]
        value = WORDS.get(word, word) if quoted is None else quoted
        if match["indent"]:
            if section is None or not isinstance(value, str) or key in section:
                return None
            section[key] = value
        elif value is None:  # only `variables:` opens a section
            if key != "variables" or key in data:
                return None
            section = data[key] = {}
        elif key in data:
            return None
        else:
            section = None
            data[key] = value
    return data


def bundled_theme(name: str) -> Theme | None:
    """A bundled theme by name (`newsreader-ink` is ink.yaml), read without YAML; None
    when there is no such file or it needs a YAML parser (`load_themes` reads it then)."""
    path = paths.themes_dir() / f"{name.removeprefix('newsreader-')}.yaml"
    try:
        data = read_plain(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return None
    try:
        theme = theme_from(path, data) if data is not None else None
    except ThemeError:
        return None
    return theme if theme is not None and theme.name == name else None


def terminal_is_light(environ: Mapping[str, str] = os.environ) -> bool:
    """Whether the terminal says its background is light: `COLORFGBG` (`15;0`: white text
    on black; `0;15`: black on white), which rxvt, Konsole, iTerm2 and others set. When
    it is not set, or says `default`, the terminal is taken to be dark."""
    background = environ.get("COLORFGBG", "").rpartition(";")[2].strip()
    return background.isdigit() and background not in DARK_BACKGROUNDS


def default_theme(environ: Mapping[str, str] = os.environ) -> str:
    """The theme used when none is chosen: newsreader's dark or light one, as the terminal."""
    return LIGHT if terminal_is_light(environ) else DARK


def chosen_theme(setting: str | None) -> str | None:
    """The theme the settings (or `--theme`) name; None for none, or `auto`."""
    return setting if setting and setting != AUTO else None


def effective_theme(setting: str | None, environ: Mapping[str, str] = os.environ) -> str:
    """The theme in effect: the one chosen, else the default for this terminal."""
    return chosen_theme(setting) or default_theme(environ)


def load_themes(folders: Iterable[Path]) -> tuple[list[Theme], list[str]]:
    """Every `*.yaml` theme in `folders` (missing folders are fine), and the problems found."""
    themes, problems = [], []
    for folder in folders:
        for path in sorted(folder.glob("*.y*ml")) if folder.is_dir() else []:
            try:
                themes.append(load_theme(path))
            except ThemeError as exc:
                problems.append(str(exc))
    return themes, problems


def contrast(one: str, other: str) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""

    def luminance(colour: str) -> float:
        def channel(value: int) -> float:
            c = value / 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b = Color.parse(colour).rgb
        return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)

    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)
