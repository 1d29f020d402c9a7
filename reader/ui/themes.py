"""Theme files (YAML) -> Textual `Theme`s; a broken file is a message, never a crash."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual.color import Color, ColorParseError
from textual.theme import Theme

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
    return Theme(
        name=name.strip(),
        dark=data.get("dark", True),
        variables={str(k): str(v) for k, v in variables.items()},
        **{key: str(data[key]) for key in COLOURS if key in data},
    )


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
