"""MainScreen's actions on the reader's state: read, bookmarks, notes, tags, marks, undo."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.cells import cell_len

from reader.library import Change, Library, View
from reader.library.state import term_key
from reader.ui.screens.main_base import MainBase
from reader.ui.widgets import ArticleView, Sidebar
from reader.words import plural

if TYPE_CHECKING:
    from reader.ui.screens.tag_editor import TagEdit

UNDO_STEPS = 20
TITLE_CELLS = 40  # an article named in a message: this wide at most


def shorten(title: str, cells: int = TITLE_CELLS) -> str:
    """`title` cut to `cells` terminal cells (CJK counts two), with `…` when cut."""
    if cell_len(title) <= cells:
        return title
    while cell_len(title) > cells - 1:
        title = title[:-1]
    return title.rstrip() + "…"


class StateActions(MainBase):
    """A part of MainScreen. Every change is snapshotted first, so `u` can put it back."""

    def targets(self) -> list[int]:
        """Marked articles if any, else the open article (in the body) or the highlighted one."""
        if self.articles.marked:
            return [i for i in self.articles.ids if i in self.articles.marked]
        if isinstance(self.focused, ArticleView) and self.open_id is not None:
            return [self.open_id]
        current = self.articles.current
        return [current] if current is not None else []

    def change(
        self,
        label: str | Callable[[Change], str],
        job: Callable[[Library], Change],
        then: Callable[[Change], None] | None = None,
    ) -> None:
        """Write a change that `u` can undo (on the writer's thread); once it is in the
        library, show it and run `then`. `label` says what the change is (`mark 3
        articles read`), for `Undid: ...`. A change that fails after some of it went in
        (a disk filling up during `V` then `r`) shows, and can undo, what went in."""

        def remember(change: Change) -> None:
            if change.before:
                name = label if isinstance(label, str) else label(change)
                self.undo_steps.append((name, change))
            self.changed(change.ids)

        def written(change: Change) -> None:
            remember(change)
            if then is not None:
                then(change)

        def failed(error: Exception) -> None:
            if isinstance(partial := getattr(error, "partial", None), Change):
                remember(partial)

        self.writer.submit(job, written, failed=failed)

    def _what(self, ids: list[int]) -> str:
        """The articles a message is about: one by its title, more by their number."""
        if len(ids) == 1:
            rows = self.library.summaries_for(ids)
            if rows:
                return shorten(rows[0].title)
        return plural(len(ids), "article")

    def changed(self, ids: list[int]) -> None:
        """Show the effect of a state change everywhere it is visible."""
        self.articles.reload(ids)
        if self.open_id in ids:
            article = self.library.article(self.open_id)
            self.body.show(article, keep_scroll=True)
        self.update_tag_pane()
        self.refresh_counts()

    def _say(self, message: str) -> None:
        self.notify(message, markup=False, timeout=3)

    # ---- read and bookmarks -------------------------------------------------------------------

    def action_toggle_read(self) -> None:
        """Read, or unread when all of them are: decided as the change is written (a
        change before it may still be on its way)."""
        ids = self.targets()
        if not ids:
            return
        what, said = self._what(ids), len(ids) > 1 or bool(self.articles.marked)

        story = self.config.mark_story_read

        def toggle(library: Library) -> Change:
            read = not all(row.read for row in library.summaries_for(ids))
            return library.set_read(library.with_copies(ids) if story else ids, read)

        def state(change: Change) -> str:
            return "read" if change.after and change.after[0].read else "unread"

        def marked(change: Change) -> None:
            if said:  # (one article: its row shows it)
                self._say(f"Marked {plural(len(ids), 'article')} {state(change)}.")

        self.change(lambda change: f"mark {what} {state(change)}", toggle, marked)

    def action_toggle_bookmark(self) -> None:
        ids = self.targets()
        if not ids:
            return
        what = self._what(ids)

        def toggle(library: Library) -> Change:
            on = not all(row.bookmarked for row in library.summaries_for(ids))
            return library.set_bookmark(ids, on)

        def on(change: Change) -> bool:
            return bool(change.after) and change.after[0].bookmarked

        self.change(
            lambda change: f"bookmark {what}" if on(change) else f"remove the bookmark of {what}",
            toggle,
            lambda change: self._say(
                f"{'Bookmarked' if on(change) else 'Removed the bookmark of'} "
                f"{plural(len(ids), 'article')}."
            ),
        )

    def action_edit_note(self) -> None:
        ids = self.targets()
        if len(ids) != 1:
            self._say("A note belongs to one article: unmark the others first.")
            return
        article = self.library.article(ids[0])
        if article is None:
            return

        def save(note: str | None) -> None:
            if note is None:
                return
            what = f"note on {self._what(ids)}"
            self.change(what, lambda library: library.set_note(ids[0], note))

        from reader.ui.screens.dialogs import Prompt  # (dialogs load when first used)

        self.app.push_screen(
            Prompt("Bookmark note", article.title, article.note, "a note (bookmarks the article)"),
            save,
        )

    # ---- tags -----------------------------------------------------------------------------------

    def action_edit_tags(self) -> None:
        ids = self.targets()
        if not ids:
            return
        articles = [a for a in (self.library.article(i) for i in ids) if a is not None]
        common = [
            t
            for t in articles[0].tags
            if all(term_key(t) in {term_key(x) for x in a.tags} for a in articles)
        ]
        source = [t for t in common if t not in articles[0].user_tags]
        title = articles[0].title if len(articles) == 1 else plural(len(articles), "marked article")

        def save(edit: TagEdit | None) -> None:
            if edit is None or not (edit.add or edit.remove):
                return
            parts = [f"+{t}" for t in edit.add] + [f"-{t}" for t in edit.remove]
            self.change(
                f"tags on {self._what(ids)}",
                lambda library: library.tag(ids, add=edit.add, remove=edit.remove),
                lambda _: self._say(f"Tags {' '.join(parts)} on {plural(len(ids), 'article')}."),
            )

        from reader.ui.screens.tag_editor import TagEditor

        self.app.push_screen(TagEditor(title, common, source, self.library.facets("tag")), save)

    def rename_tag(self, name: str) -> None:
        count = len(self.library.tagged(name))

        def rename(new: str | None) -> None:
            if not new or not new.strip() or new.strip() == name:
                return
            merged = bool(self.library.tagged(new)) and term_key(new) != term_key(name)
            verb = "merge tag {} into {}" if merged else "rename tag {} to {}"

            def renamed(change: Change) -> None:
                spelled = self.library.spelling(new.strip())
                self.follow_rename(self._showing_tag(name), View("tag", spelled))
                self._say(
                    f"{'Merged' if merged else 'Renamed'} {name!r} into {spelled!r} "
                    f"on {plural(len(change.ids), 'article')}."
                )

            self.change(
                verb.format(name, new.strip()),
                lambda library: library.rename_tag(name, new),
                renamed,
            )

        from reader.ui.screens.dialogs import Prompt

        self.app.push_screen(
            Prompt(
                "Rename tag",
                f"Rename {name!r} on {plural(count, 'article')} to (an existing tag merges):",
                name,
            ),
            rename,
        )

    def delete_tag(self, name: str) -> None:
        ids = self.library.tagged(name)

        def delete(yes: bool | None) -> None:
            if not yes:
                return

            def deleted(change: Change) -> None:
                if self._showing_tag(name):  # its view is empty now: show All
                    self.show_view(View())
                self._say(f"Removed {name!r} from {plural(len(change.ids), 'article')}.")

            self.change(f"delete tag {name}", lambda library: library.delete_tag(name), deleted)

        from reader.ui.screens.dialogs import Confirm

        self.app.push_screen(
            Confirm(
                "Delete tag",
                f"Remove the tag {name!r} from {plural(len(ids), 'article')}?",
                "Delete",
            ),
            delete,
        )

    def _showing_tag(self, name: str) -> bool:
        kind, value = self.view.kind, self.view.value
        return kind == "tag" and value is not None and term_key(value) == term_key(name)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool:
        if action in ("rename_entry", "delete_entry"):  # the sidebar's `e` and `d`
            return self.query_one(Sidebar).editable
        return True

    def action_rename_entry(self) -> None:
        """`e` on a sidebar tag or saved search."""
        view = self.query_one(Sidebar).highlighted_view
        if view and view.kind == "tag" and view.value:
            self.rename_tag(view.value)
        elif view and view.kind == "saved" and view.value:
            self.rename_saved(view.value)

    def action_delete_entry(self) -> None:
        """`d` on a sidebar tag or saved search."""
        view = self.query_one(Sidebar).highlighted_view
        if view and view.kind == "tag" and view.value:
            self.delete_tag(view.value)
        elif view and view.kind == "saved" and view.value:
            self.delete_saved(view.value)

    # ---- marks and undo -------------------------------------------------------------------------

    def action_toggle_mark(self) -> None:
        self.articles.toggle_mark()

    def action_mark_all(self) -> None:
        self.articles.mark_all()

    def action_undo(self) -> None:
        stack = self.undo_steps
        if self.writer.pending:  # (`u` would undo the change before it)
            self._say("Your last change is still being written: u undoes it once it is.")
            return
        if not stack:
            self._say("Nothing to undo.")
            return
        label, change = stack.pop()

        def undone(result: tuple[Change, list[int]]) -> None:
            self.changed(change.ids)
            kept = result[1]
            if not kept:
                self._say(f"Undid: {label}.")
                return
            where = f" on {self._what(kept)}" if len(change.ids) > 1 else ""
            self._say(
                f"Undid: {label}; except what was changed since{where} (by another "
                "program?): that was kept as it is now."
            )

        def failed(error: Exception) -> None:  # what went in is shown; the rest is to undo
            self.changed(getattr(error, "partial", Change()).ids)
            stack.append((label, change))

        self.writer.submit(lambda library: library.undo(change), undone, failed=failed)
