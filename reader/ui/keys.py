"""The reader's keys, in one table: the help screen, the palette and the README use it."""

from __future__ import annotations

KEYS: list[tuple[str, str]] = [
    ("j / k / ↓ / ↑", "move down / up"),
    ("g / G / home / end", "first / last"),
    ("pgup / pgdn", "page up / down"),
    ("enter", "open the article"),
    ("esc / h", "go back (body → list → sidebar)"),
    ("tab / shift+tab", "next / previous pane"),
    ("space (in the body)", "page down the article; at its end, open the next"),
    ("n / p", "next / previous article"),
    ("N", "next unread article"),
    ("r", "toggle read (marked articles, else this one)"),
    ("b", "bookmark / unbookmark (marked articles, else this one)"),
    ("B", "edit the bookmark's note (shown in the header)"),
    ("t", "edit tags: comma-separated, tab completes, enter saves, esc cancels"),
    ("v / space (in the list)", "mark / unmark the article and move down"),
    ("V", "mark every article in the view (again: clear the marks)"),
    ("u", "undo the last read, bookmark, note or tag change (20 steps)"),
    ("e / d (on a sidebar tag)", "rename (merging into an existing tag) / delete the tag"),
    ("o", "open the article's link in the browser"),
    ("3o", "open link [3] of the article"),
    ("y / 3y", "copy the article's link / link [3]"),
    ("ctrl+p", "command palette: every action"),
    ("?", "this help"),
    ("q", "quit"),
]
