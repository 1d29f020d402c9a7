"""Keys as the settings file and the help write them (`?`, `/`, `esc`) and as Textual
names them (`question_mark`, `slash`, `escape`)."""

from __future__ import annotations

import unicodedata

from textual.binding import Binding
from textual.keys import ASCII_KEY_NAMES, KEY_DISPLAY_ALIASES, KEY_NAME_REPLACEMENTS, format_key

ALIASES = {"esc": "escape"}  # as the help and the README write it


def key_of(text: str) -> str:
    """One key as Textual names it: `?` -> `question_mark`, `esc` -> `escape`; a name
    (`ctrl+j`, `f1`) as it is."""
    text = text.strip()
    if len(text) == 1 and not text.isalnum():
        try:
            text = unicodedata.name(text).lower().replace("-", "_").replace(" ", "_")
        except ValueError:  # (a control character)
            text = ASCII_KEY_NAMES.get(text, text)
        text = KEY_NAME_REPLACEMENTS.get(text, text)
    return ALIASES.get(text, text)


def key_name(key: str) -> str:
    """`question_mark` -> `?`, `slash` -> `/`; `escape`, `up`, `space` and `f1` as written."""
    if key in KEY_DISPLAY_ALIASES:  # (Textual shows these as esc, ↑, ⏎, …)
        return key
    shown = format_key(key)
    return shown if len(shown) == 1 and shown.isprintable() and not shown.isspace() else key


def moves(
    place: str,
    down: str,
    up: str,
    first: str,
    last: str,
    page_down: str | None = None,
    page_up: str | None = None,
    *,
    arrows: bool = True,
    ends: tuple[str, str] = ("first", "last"),
) -> list[Binding]:
    """A pane's j/k/g/G bindings (with ↓ ↑ home end, unless the widget has those built in,
    and pgdn/pgup when given): the actions, ids `PLACE.down` … `PLACE.page_up`. `ends`
    names the g/G moves (`top`/`bottom` where the pane scrolls text)."""
    wanted = [
        ("j,down" if arrows else "j", down, "down"),
        ("k,up" if arrows else "k", up, "up"),
        ("g,home" if arrows else "g", first, ends[0]),
        ("G,end" if arrows else "G", last, ends[1]),
        ("pagedown", page_down, "page_down"),
        ("pageup", page_up, "page_up"),
    ]
    return [
        Binding(keys, action, name.replace("_", " ").capitalize(), show=False, id=f"{place}.{name}")
        for keys, action, name in wanted
        if action is not None
    ]
