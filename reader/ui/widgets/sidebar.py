"""The sidebar: views, sources, categories and tags, each with its article count. `f`
filters its entries as you type: by a part of the name (in either script) or by its
pinyin (`hl` keeps 汇率: library/pinyin.py)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from reader.library.fold import fold
from reader.library.models import Facet, View
from reader.library.pinyin import matches as sounds_like
from reader.library.views import FIXED, SECTIONS
from reader.ui.keys import bindings


class Sidebar(OptionList):
    """Entries are `Text`, never markup: names come from article files."""

    BINDINGS = bindings("sidebar.")

    @property
    def highlighted_view(self) -> View | None:
        option = self.highlighted_option
        return View.decode(option.id) if option and option.id else None

    @property
    def highlighted_tag(self) -> str | None:
        """The tag under the cursor, when the cursor is on the Tags section."""
        view = self.highlighted_view
        return view.value if view and view.kind == "tag" else None

    follow: str | None = None  # an entry to put the cursor on at the next fill (renamed)
    shown: View | None = None  # the view the list showed at the last fill
    unlisted = False  # the view shown had no entry at the last fill (its import starts)
    _editable = False  # whether the footer was last told that e and d work here
    _filled: tuple[Any, ...] | None = None  # the last fill's arguments, to lay out again
    _width = 0  # the entries' width at the last fill
    filter_text = ""  # the entries shown are those this finds (see `wanted`)
    typing = False  # keys type into the filter (after `f`, until enter or esc)

    @property
    def editable(self) -> bool:
        """The cursor is on an entry that `e` renames and `d` deletes: a tag, a saved search."""
        view = self.highlighted_view
        return view is not None and view.kind in ("tag", "saved")

    def on_option_list_option_highlighted(self) -> None:
        # Rename and delete show only where they work. (Only when that changes: the counts
        # refreshing after each opened article can move the cursor too.)
        if self.has_focus and self.editable != self._editable:
            self.screen.refresh_bindings()
        self._editable = self.editable

    # ---- the filter --------------------------------------------------------------------------

    def action_filter(self) -> None:
        self.typing = True
        self._show_filter()

    def on_key(self, event: events.Key) -> None:
        """While typing the filter: letters go into it (none reaches a key binding), enter
        keeps it, esc clears it; the arrows still move."""
        if not self.typing:
            return
        if event.key == "escape":
            self.typing, self.filter_text = False, ""
        elif event.key == "enter":
            self.typing = False
        elif event.key == "backspace":
            self.filter_text = self.filter_text[:-1]
        elif event.is_printable and event.character:
            self.filter_text += event.character
        else:
            return
        event.stop()
        event.prevent_default()
        self._show_filter()
        if self._filled is not None:
            self.fill(*self._filled)

    def on_blur(self) -> None:
        """Typing ends when the sidebar loses the focus (the filter stays)."""
        if self.typing:
            self.typing = False
            self._show_filter()

    def _show_filter(self) -> None:
        shown = f"filter: {self.filter_text}{'▏' if self.typing else ''}"
        self.border_title = Text(shown) if self.typing or self.filter_text else None

    def wanted(self, name: str) -> bool:
        """Whether the filter keeps an entry: a part of its name, folded (汇率 keeps 匯率),
        or its sound."""
        typed = self.filter_text.strip()
        if not typed:
            return True
        if fold(typed).casefold() in fold(name).casefold():
            return True
        return sounds_like(typed, name, anywhere=True)

    def fill(
        self,
        counts: dict[str, int],
        facets: dict[str, list[Facet]],
        current: View,
        sections: Sequence[str] = tuple(SECTIONS),
        failing: Collection[str] = (),
    ) -> None:
        """`failing`: sources (feeds) whose last refresh failed, marked with "!"."""
        self._filled = (counts, facets, current, sections, failing)
        width = self._width = self._entry_width()
        digits = len(str(max(counts.values(), default=0)))
        options: list[Option] = []
        for fixed in FIXED:
            entry = _entry(fixed.label, counts.get(fixed.name, 0), width, digits)
            options.append(Option(entry, id=fixed.name))
        for section in (SECTIONS[name] for name in sections):
            kind = section.name
            entries = [facet for facet in facets.get(kind, []) if self.wanted(facet.name)]
            if not entries:
                continue
            heading = Text(section.heading, style="bold")
            options.append(Option(heading, id=f"heading-{kind}", disabled=True))
            feeds = section.filter == "source"
            for facet in entries:
                option_id = View(kind, facet.name).encoded
                unread = facet.unread if feeds else None  # as feed readers do
                mark = "!" if feeds and facet.name in failing else " "
                entry = _entry(facet.name, facet.count, width, digits, mark, unread)
                options.append(Option(entry, id=option_id))
        highlighted, option = self.highlighted, self.highlighted_option
        under = option.id if option is not None else None
        listed = current.encoded in {option.id for option in options}
        if current != self.shown or (self.unlisted and listed):  # another view is shown, or
            under, self.shown = None, current  # its entry came: the cursor goes to it
        self.unlisted = not listed
        if [option.id for option in options] == [option.id for option in self.options]:
            # The same entries, some with new counts (an article was read): only those
            # change. Setting all the options again took ~20 ms of each opened article.
            for index, (option, old) in enumerate(zip(options, self.options, strict=True)):
                if option.prompt != old.prompt:
                    self.replace_option_prompt_at_index(index, option.prompt)
            if under is not None and self.follow is None:
                return
        else:
            self.set_options(options)
        # The cursor stays on its entry (or the renamed one), else goes to the view shown.
        for wanted in (self.follow, under, current.encoded):
            try:
                self.highlighted = self.get_option_index(wanted or "")
                break
            except OptionDoesNotExist:
                continue
        else:  # the entry is gone (e.g. its last article was pruned)
            self.highlighted = min(highlighted or 0, self.option_count - 1)
        self.follow = None

    def _entry_width(self) -> int:
        """Room for the scrollbar, shown or not: entries laid out before it appears (or
        after it went) keep their count column where it was. Hidden (while reading), it
        keeps the width it had, and will have again."""
        if not self.size.width:
            return self._width or 22
        return max(10, self.content_region.width - self.styles.scrollbar_size_vertical or 22)

    def on_resize(self) -> None:
        """Entries are laid out to the width: lay them out again when it changes (the
        sidebar narrows below 100 columns), or a count would wrap under its name."""
        if self._filled is not None and self._entry_width() != self._width:
            self.fill(*self._filled)


def _entry(
    name: str, count: int, width: int, digits: int, mark: str = "", unread: int | None = None
) -> Text:
    """`name  count`, or `name  unread/count` when `unread` is given; `mark` goes before."""
    number = Text(f" {count:>{digits}}", style="dim")
    if unread:
        number = Text.assemble(" ", (str(unread), "bold"), (f"/{count}", "dim"))
        if width - number.cell_len - len(mark) < min(cell_len(name), 10):
            number = Text.assemble(" ", (str(unread), "bold"))  # the name before the total
    room = max(4, width - number.cell_len - len(mark))
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(mark, style="bold")
    text.append(name)
    text.truncate(room + len(mark), overflow="ellipsis", pad=True)
    return text.append_text(number)
