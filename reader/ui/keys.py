"""The reader's keys, in one table: the help screen, the palette and the README use it."""

from __future__ import annotations

KEYS: list[tuple[str, str]] = [
    ("j / k / ↓ / ↑", "move down / up"),
    ("g / G / home / end", "first / last"),
    ("pgup / pgdn", "page up / down"),
    ("enter", "open the article"),
    ("esc / h", "go back (body → list → sidebar)"),
    ("tab / shift+tab", "next / previous pane"),
    ("space", "page down the article; at its end, open the next"),
    ("n / p", "next / previous article"),
    ("N", "next unread article"),
    ("r", "toggle read"),
    ("o", "open the article's link in the browser"),
    ("3o", "open link [3] of the article"),
    ("y / 3y", "copy the article's link / link [3]"),
    ("ctrl+p", "command palette: every action"),
    ("?", "this help"),
    ("q", "quit"),
]
