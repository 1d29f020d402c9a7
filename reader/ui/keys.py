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
    ("/", "search (type a query; enter goes to the results, esc clears)"),
    ("ctrl+g / ctrl+r", "search everything or this view / sort by date or relevance"),
    ("S", "save the search as a sidebar view (e / d rename / delete it there)"),
    ("ctrl+f", "find in the article; enter or ↓ next match, ↑ previous, esc closes"),
    ("T", "choose a theme (live preview; the choice is remembered)"),
    ("ctrl+p", "command palette: every action, tags, and go to an article by title"),
    ("?", "this help"),
    ("q", "quit"),
]


QUERY_HELP: list[tuple[str, str]] = [
    ("word word", "both words (Chinese: any substring, e.g. 人民币 or 币)"),
    ('"exact phrase"', "the words in this order"),
    ("a OR b", "either"),
    ("-word", "without the word (also -tag:x, -cat:x, …)"),
    ("tag:NAME  #NAME", "with the tag"),
    ("cat:NAME  source:NAME", "in the category / from the source (folder)"),
    ("title:word", "the word in the title"),
    ("is:unread  is:read  is:bookmarked", "by state"),
    ("after:2022-05-01  before:2022-06", "dated after / before a day, month or year"),
    ("date:2022-05", "dated in a day, month (this one) or year"),
]
