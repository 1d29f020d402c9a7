"""The reader's keys, in one table: the help screen, the palette and the README use it."""

from __future__ import annotations

from reader.library.views import EXTRA

# (keys, what they do, the ids a config's `keys:` rebinds them by)
KEYS: list[tuple[str, str, tuple[str, ...]]] = [
    (
        "j / k / ↓ / ↑",
        "move down / up",
        ("list.down", "list.up", "body.down", "body.up", "sidebar.down", "sidebar.up"),
    ),
    (
        "g / G / home / end",
        "first / last",
        ("list.first", "list.last", "body.top", "body.bottom", "sidebar.first", "sidebar.last"),
    ),
    (
        "pgup / pgdn",
        "page up / down",
        ("list.page_up", "list.page_down", "body.page_up", "body.page_down"),
    ),
    ("enter / l", "open the article (l in the sidebar: its list)", ("list.open", "forward")),
    ("esc / h", "go back (body → list → sidebar); esc always does", ("back",)),
    ("tab / shift+tab", "next / previous pane", ()),
    ("space (in the body)", "page down the article; at its end, open the next", ("page",)),
    ("n / p", "next / previous article", ("next", "previous")),
    ("N", "next unread article (after the last, from the top)", ("next_unread",)),
    ("r", "toggle read (marked articles, else this one)", ("read",)),
    ("b", "bookmark / unbookmark (marked articles, else this one)", ("bookmark",)),
    ("B", "edit the bookmark's note (shown in the header)", ("note",)),
    (
        "t",
        "edit tags: comma-separated, tab completes, enter saves, esc cancels",
        ("tags", "tags.complete", "tags.cancel", "tags.down", "tags.up"),
    ),
    ("v / space (in the list)", "mark / unmark the article and move down", ("list.mark",)),
    ("V", "mark every article in the view (again: clear the marks)", ("list.mark_all",)),
    (
        "u",
        "undo the last read, bookmark, note or tag change (20 steps), saying what it undid",
        ("undo",),
    ),
    (
        "e / d (on a sidebar tag)",
        "rename (merging into an existing tag) / delete the tag",
        ("sidebar.rename", "sidebar.delete", "prompt.cancel", "confirm.yes", "confirm.no"),
    ),
    ("o", "open the article's link in the browser (the `browser` setting)", ("open_link",)),
    ("3o", "open link [3] of the article", ()),
    (
        "y / 3y",
        "copy the article's link / link [3] (terminal and system clipboard)",
        ("copy_link",),
    ),
    ("/", "search (type a query; enter goes to the results, esc clears)", ("search",)),
    (
        "ctrl+g / ctrl+r",
        "search everything or this view / sort: newest, oldest, by title, best first (searching)",
        ("search_scope", "sort"),
    ),
    ("S", "save the search as a sidebar view (e / d rename / delete it there)", ("save_search",)),
    (
        "ctrl+f",
        "find in the article; enter or ↓ next match, ↑ previous, esc closes",
        ("find", "find.next", "find.previous"),
    ),
    ("T", "choose a theme (live preview; the choice is remembered)", ("theme",)),
    ("< / >", "narrower / wider reading column (remembered)", ("narrower", "wider")),
    (
        "[ / ]",
        "narrower / wider list beside the article (remembered)",
        ("list_narrower", "list_wider"),
    ),
    ("s", "hide / show the sidebar (remembered)", ("toggle_sidebar",)),
    ("z", "zoom: the pane in use takes the whole screen (again: back)", ("zoom",)),
    ("R", "refresh the feeds (progress under the list, then a summary)", ("refresh",)),
    ("ctrl+p", "command palette: every action, tags, and go to an article by title", ()),
    (
        "? / f1",
        "this help (j / k / g / G / space / pgup / pgdn scroll it)",
        ("help", "help.close", "help.down", "help.up", "help.top", "help.bottom", "help.page"),
    ),
    ("q / ctrl+q", "quit (ctrl+q always does)", ("quit",)),
]


QUERY_HELP: list[tuple[str, str]] = [
    ("word word", "both words (Chinese: any substring, e.g. 人民币 or 币)"),
    ('"exact phrase"', "the words in this order"),
    ("a OR b", "either"),
    ("-word", "without the word (also -tag:x, -cat:x, …)"),
    ("tag:NAME  #NAME", "with the tag"),
    ("cat:NAME  source:NAME", "in the category / from the source (folder)"),
    *((f"{kind.field}:NAME", kind.about) for kind in EXTRA),
    ("title:word", "the word in the title"),
    ("is:unread  is:read  is:bookmarked", "by state"),
    ("after:2022-05-01  before:2022-06", "dated on or after / before a day, month or year"),
    ("date:2022-05", "dated in a day, month (this one) or year"),
]
