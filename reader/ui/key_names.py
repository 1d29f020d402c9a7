"""Keys as the settings file and the help write them (`?`, `/`, `esc`) and as Textual
names them (`question_mark`, `slash`, `escape`)."""

from __future__ import annotations

import unicodedata

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
