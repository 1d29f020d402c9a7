"""The reader's commands, each declared once in one table: its id, keys, action and label
(the bindings, the key bar and the palette), and the help row that describes it (the
help screen and docs/guide.md, which a test holds to it)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding, BindingType

from reader.library.views import EXTRA


@dataclass(frozen=True, slots=True)
class Command:
    """One command, declared once: the id the settings' `keys:` rebinds it by (`list.open`;
    no dot: the main screen's), its default keys (Textual's names), its action, and its
    label in the key bar and the palette. The widget that handles it binds it by id."""

    id: str
    keys: str
    action: str
    label: str
    show: bool = False  # in the key bar
    priority: bool = False

    def binding(self) -> Binding:
        return Binding(
            self.keys, self.action, self.label, self.show, priority=self.priority, id=self.id
        )


@dataclass(frozen=True, slots=True)
class Row:
    """A row of the help (`?`) and of docs/guide.md's key table: the keys as shown, what
    they do, and the commands it describes (none: keys Textual provides)."""

    keys: str
    about: str
    commands: tuple[Command, ...] = ()

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(command.id for command in self.commands)


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
) -> dict[str, Command]:
    """A pane's j/k/g/G commands (with ↓ ↑ home end, unless the widget has those built in,
    and pgdn/pgup when given), by name: ids `PLACE.down` … `PLACE.page_up`. `ends` names
    the g/G moves (`top`/`bottom` where the pane scrolls text)."""
    wanted = [
        ("j,down" if arrows else "j", down, "down"),
        ("k,up" if arrows else "k", up, "up"),
        ("g,home" if arrows else "g", first, ends[0]),
        ("G,end" if arrows else "G", last, ends[1]),
        ("pagedown", page_down, "page_down"),
        ("pageup", page_up, "page_up"),
    ]
    return {
        name: Command(f"{place}.{name}", keys, action, name.replace("_", " ").capitalize())
        for keys, action, name in wanted
        if action is not None
    }


_LIST = moves("list", "cursor(1)", "cursor(-1)", "jump(0)", "jump(-1)", "page(1)", "page(-1)")
_BODY = moves(
    "body", "scroll_down", "scroll_up", "scroll_home", "scroll_end", "page_down", "page_up",
    ends=("top", "bottom"),
)  # fmt: skip
_SIDEBAR = moves("sidebar", "cursor_down", "cursor_up", "first", "last", arrows=False)
# The keys the help lists move through it too (↑ ↓ pgup pgdn home end are built in).
_HELP = moves(
    "help", "scroll(1)", "scroll(-1)", "scroll_to(0)", "scroll_to(-1)", arrows=False,
    ends=("top", "bottom"),
)  # fmt: skip
_C = Command

KEYS: list[Row] = [
    Row(
        "j / k / ↓ / ↑",
        "move down / up",
        tuple(pane[name] for pane in (_LIST, _BODY, _SIDEBAR) for name in ("down", "up")),
    ),
    Row(
        "g / G / home / end",
        "first / last",
        (_LIST["first"], _LIST["last"], _BODY["top"], _BODY["bottom"], _SIDEBAR["first"])
        + (_SIDEBAR["last"],),
    ),
    Row(
        "pgup / pgdn",
        "page up / down",
        (_LIST["page_up"], _LIST["page_down"], _BODY["page_up"], _BODY["page_down"]),
    ),
    Row(
        "enter / l",
        "open the article (l in the sidebar: its list)",
        (
            _C("list.open", "enter", "select", "Open", show=True),
            _C("forward", "l", "forward", "Forward"),
        ),
    ),
    Row(
        "esc / h",
        "go back (body → list → sidebar); esc always does",
        (_C("back", "escape,h", "back", "Back"),),
    ),
    Row("tab / shift+tab", "next / previous pane"),
    Row(
        "space (in the body)",
        "page down the article; at its end, open the next",
        (_C("page", "space", "space", "Page"),),
    ),
    Row(
        "n / p",
        "next / previous article",
        (
            _C("next", "n", "next", "Next", show=True),
            _C("previous", "p", "previous", "Prev", show=True),
        ),
    ),
    Row(
        "N",
        "next unread article (after the last, from the top)",
        (_C("next_unread", "N", "next_unread", "Next unread", show=True),),
    ),
    Row(
        "r",
        "toggle read (marked articles, else this one)",
        (_C("read", "r", "toggle_read", "Read", show=True),),
    ),
    Row(
        "b",
        "bookmark / unbookmark (marked articles, else this one)",
        (_C("bookmark", "b", "toggle_bookmark", "Bookmark", show=True),),
    ),
    Row(
        "B",
        "edit the bookmark's note (shown in the header)",
        (_C("note", "B", "edit_note", "Note"),),
    ),
    Row(
        "t",
        "edit tags: comma-separated, tab completes, enter saves, esc cancels",
        (
            _C("tags", "t", "edit_tags", "Tags", show=True),
            _C("tags.complete", "tab", "complete", "Complete", show=True, priority=True),
            _C("tags.cancel", "escape", "dismiss(None)", "Cancel", show=True),
            _C("tags.down", "down", "suggestion(1)", "Next suggestion", priority=True),
            _C("tags.up", "up", "suggestion(-1)", "Previous suggestion", priority=True),
        ),
    ),
    Row(
        "v / space (in the list)",
        "mark / unmark the article and move down",
        (_C("list.mark", "v,space", "toggle_mark", "Mark"),),
    ),
    Row(
        "V",
        "mark every article in the view (again: clear the marks)",
        (_C("list.mark_all", "V", "mark_all", "Mark all"),),
    ),
    Row(
        "u",
        "undo the last read, bookmark, note or tag change (20 steps), saying what it undid",
        (_C("undo", "u", "undo", "Undo"),),
    ),
    Row(
        "f (in the sidebar)",
        "filter the sidebar as you type: a part of a name, in either script, or its pinyin"
        " (hl or huilv keeps 汇率); enter keeps the filter, esc clears it",
        (_C("sidebar.filter", "f", "filter", "Filter", show=True),),
    ),
    Row(
        "e / d (on a sidebar tag)",
        "rename (merging into an existing tag) / delete the tag",
        (
            _C("sidebar.rename", "e", "screen.rename_entry", "Rename", show=True),
            _C("sidebar.delete", "d,delete", "screen.delete_entry", "Delete", show=True),
            _C("prompt.cancel", "escape", "dismiss(None)", "Cancel", show=True),
            _C("confirm.yes", "y", "dismiss(True)", "Yes", show=True),
            _C("confirm.no", "n,escape", "dismiss(False)", "No", show=True),
        ),
    ),
    Row(
        "o",
        "open the article's link in the browser (the `browser` setting)",
        (_C("open_link", "o", "open_link", "Open link", show=True),),
    ),
    Row("3o", "open link [3] of the article"),
    Row(
        "y / 3y",
        "copy the article's link / link [3] (terminal and system clipboard)",
        (_C("copy_link", "y", "copy_link", "Copy link"),),
    ),
    Row(
        "L",
        "list the article's links: enter opens the one under the cursor, y copies it",
        (
            _C("links", "L", "links", "Links"),
            _C("links.open", "enter", "open", "Open", show=True),
            _C("links.copy", "y", "copy", "Copy", show=True),
            _C("links.close", "escape", "dismiss(None)", "Close", show=True),
        ),
    ),
    Row(
        "F",
        "the full article from its web page, for feeds of one paragraph (kept to read"
        " offline); again: the feed's own text",
        (_C("full_text", "F", "full_text", "Full text"),),
    ),
    Row(
        "|",
        "pipe the article, as laid out (its Markdown: `pipe_markdown`), to the `pipe_to`"
        " command or one you type; `less` and the like get the terminal until they quit",
        (_C("pipe", "vertical_line", "pipe", "Pipe"),),
    ),
    Row(
        "w",
        "write the article to a Markdown file with its front matter (title, date, link,"
        " tags), in the `save_to` folder or where you say",
        (_C("save_article", "w", "save_article", "Save as Markdown"),),
    ),
    Row(
        ", then a key",
        "run that macro of the `macros` setting (`,r`: its commands in turn); esc: none",
    ),
    Row(
        "= / 2=",
        "read the next article of the story / its copy 2 (the `Same story` lines of an"
        " article that other sources carry too)",
        (_C("next_copy", "equals_sign", "next_copy", "Same story"),),
    ),
    Row(
        "H",
        "show what the ignore rules hide (the `ignore` setting), for a moment; again: back",
        (_C("show_hidden", "H", "show_hidden", "Hidden by rules"),),
    ),
    Row(
        "/",
        "search (type a query; enter goes to the results, esc clears)",
        (_C("search", "slash", "search", "Search", show=True),),
    ),
    Row(
        "ctrl+g / ctrl+r",
        "search everything or this view / sort: newest, oldest, by title, best first (searching)",
        (
            _C("search_scope", "ctrl+g", "search_scope", "Search scope"),
            _C("sort", "ctrl+r", "sort", "Sort"),
        ),
    ),
    Row(
        "S",
        "save the search as a sidebar view (e / d rename / delete it there)",
        (_C("save_search", "S", "save_search", "Save search"),),
    ),
    Row(
        "ctrl+f",
        "find in the article; enter or ↓ next match, ↑ previous, esc closes",
        (
            _C("find", "ctrl+f", "find", "Find"),
            _C("find.next", "down", "screen.find_next(1)", "Next match"),
            _C("find.previous", "up", "screen.find_next(-1)", "Previous match"),
        ),
    ),
    Row(
        "T",
        "choose a theme (live preview; the choice is remembered)",
        (_C("theme", "T", "app.change_theme", "Theme"),),
    ),
    Row(
        "< / >",
        "narrower / wider reading column (remembered)",
        (
            _C("narrower", "less_than_sign", "width(-4)", "Narrower"),
            _C("wider", "greater_than_sign", "width(4)", "Wider"),
        ),
    ),
    Row(
        "[ / ]",
        "narrower / wider list beside the article (remembered)",
        (
            _C("list_narrower", "left_square_bracket", "split(-4)", "Narrower list"),
            _C("list_wider", "right_square_bracket", "split(4)", "Wider list"),
        ),
    ),
    Row(
        "s",
        "hide / show the sidebar (remembered)",
        (_C("toggle_sidebar", "s", "toggle_sidebar", "Sidebar", show=True),),
    ),
    Row(
        "z",
        "zoom: the pane in use takes the whole screen (again: back)",
        (_C("zoom", "z", "zoom", "Zoom", show=True),),
    ),
    Row(
        "R",
        "refresh the feeds and sync the sync accounts (progress under the list, then a summary)",
        (_C("refresh", "R", "refresh_feeds", "Refresh feeds and sync"),),
    ),
    Row("ctrl+p", "command palette: every action, tags, and go to an article by title"),
    Row(
        "? / f1",
        "this help (j / k / g / G / space / pgup / pgdn scroll it)",
        (
            _C("help", "question_mark", "help", "Help", show=True),
            _C("help.close", "escape,q,question_mark", "dismiss", "Close", show=True),
            *_HELP.values(),
            _C("help.page", "space", "page", "Page down"),
        ),
    ),
    Row("q / ctrl+q", "quit (ctrl+q always does)", (_C("quit", "q", "quit", "Quit", show=True),)),
]
COMMANDS = {command.id: command for row in KEYS for command in row.commands}


def bindings(*ids: str) -> list[BindingType]:
    """The bindings of these commands, in this order; `place.` stands for every command
    whose id starts with it, in the table's order. (An unknown id fails at import.)"""
    wanted = [
        command
        for name in ids
        for command in (
            [c for c in COMMANDS.values() if c.id.startswith(name)]
            if name.endswith(".")
            else [COMMANDS[name]]
        )
    ]
    return [command.binding() for command in wanted]


QUERY_HELP: list[tuple[str, str]] = [
    ("word word", "both words (Chinese: any substring, e.g. 人民币 or 币)"),
    ('"exact phrase"', "the words in this order"),
    ("a OR b", "either"),
    ("-word", "without the word (also -tag:x, -cat:x, …)"),
    ("tag:NAME  #NAME", "with the tag"),
    ("cat:NAME  source:NAME", "in the category / from the source (folder)"),
    *((f"{kind.field}:NAME", kind.about) for kind in EXTRA),
    ("title:word", "the word in the title"),
    ("py:huilv  py:hl", "the title in pinyin (汇率): full, initials or a mix"),
    ("is:unread  is:read  is:bookmarked", "by state"),
    ("after:2022-05-01  before:2022-06", "dated on or after / before a day, month or year"),
    ("date:2022-05", "dated in a day, month (this one) or year"),
]
