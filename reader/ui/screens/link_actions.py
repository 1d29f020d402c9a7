"""MainScreen's link keys: `o` opens a link in the browser, `y` copies it (`3o`, `3y`: link
[3]), `L` lists them all to open or copy one; `=` reads the next article of the story
(`2=`: the story's copy 2, as the article's `Same story` lines number them). Commands run
in workers, so a slow browser never holds up the keys; what happened is said in one line,
failures included."""

from __future__ import annotations

from urllib.parse import urlsplit

from textual import work

from reader.ui import links
from reader.ui.screens.main_base import MainBase


class LinkActions(MainBase):
    """A part of MainScreen."""

    def _link(self) -> str | None:
        """The link a key acts on: link [N] after a typed number, else the article's own.
        (The document's links are absolute already: resolved against the article's site.)"""
        number, self.count = self.count, ""
        article = self.body.article
        if article is None and self.articles.current is not None:
            article = self.library.article(self.articles.current)
        if article is None:
            return None
        if number:
            links = self.body.links if self.body.article is article else []
            if not 1 <= int(number) <= len(links):
                self.notify(
                    markup=False,
                    message=f"There is no link [{number}] in this article.",
                    severity="warning",
                )
                return None
            return links[int(number) - 1]
        if not article.url:
            self.notify(markup=False, message="This article has no link.", severity="warning")
        return article.url

    def action_open_link(self) -> None:
        number = self.count  # (for the hint: `3y` copies what `3o` could not open)
        url = self._link()
        if url is not None:
            self._open(url, number)

    def _open(self, url: str, number: str = "") -> None:
        scheme = urlsplit(url).scheme.lower()
        if scheme not in ("http", "https"):
            self.notify(
                markup=False,
                message=f"Not opening {url[:80]!r}: only http and https links are opened.",
                severity="warning",
            )
            return
        command = self.config.browser
        argv = links.browser_argv(command, url) if command else []
        if argv and links.in_terminal(argv):  # w3m, lynx: the terminal is theirs until they quit
            self.in_terminal(argv)
            return
        self.notify(markup=False, message=f"Opening {url[:100]}", timeout=3)
        self._browse(url, command, number)

    @work(thread=True, group="browser")
    def _browse(self, url: str, command: str | None, number: str) -> None:
        problem = links.open_in_browser(url, command)
        if problem is not None:
            key = self._key_of("copy_link", "y")
            self.app.call_from_thread(
                self.notify,
                f"No browser could be started: {problem}. Press {number}{key} to copy the link.",
                severity="warning",
                markup=False,
                timeout=8,
            )

    def action_links(self) -> None:
        """`L`: the open article's links in a list (its own first), to open or copy one."""
        from reader.ui.screens.dialogs import LinkPicker

        self.count = ""
        article = self.body.article
        if article is None and self.articles.current is not None:
            article = self.library.article(self.articles.current)
        if article is None:
            return
        listed = [("article", article.url)] if article.url else []
        if self.body.article is article:
            listed += [(f"[{n}]", url) for n, url in enumerate(self.body.links, 1)]
        if not listed:
            self.notify("This article has no links.", markup=False, severity="warning")
            return

        def chosen(answer: tuple[str, str] | None) -> None:
            if answer is not None:
                what, url = answer
                (self._open if what == "open" else self._copy_url)(url)

        self.app.push_screen(LinkPicker(listed), chosen)

    def action_next_copy(self) -> None:
        number, self.count = self.count, ""
        shown = self.open_id if self.open_id is not None else self.articles.current
        story = self.library.story_of(shown) if shown is not None else []
        if shown is None or not story:
            self.notify("No other source carries this article.", markup=False, timeout=3)
            return
        if number:
            copies = [i for i in story if i != shown]
            if not 1 <= int(number) <= len(copies):
                self.notify(
                    f"This story has no copy {number}: it has {len(copies)}.",
                    markup=False,
                    severity="warning",
                )
                return
            chosen = copies[int(number) - 1]
        else:
            chosen = story[(story.index(shown) + 1) % len(story)]
        self.open_article(chosen)

    def action_copy_link(self) -> None:
        """Copy with OSC 52 (the terminal's clipboard, over SSH too) and the system's
        clipboard command where there is one (wl-copy, xclip, xsel, pbcopy)."""
        url = self._link()
        if url:
            self._copy_url(url)

    def _copy_url(self, url: str) -> None:
        self.app.copy_to_clipboard(url)
        tool = links.clipboard_tool()
        if tool is None:
            self.notify(f"Copied {url[:100]} (terminal clipboard)", markup=False, timeout=3)
        else:
            self._copy(tool, url)

    @work(thread=True, group="clipboard")
    def _copy(self, tool: list[str], url: str) -> None:
        problem = links.copy_with(tool, url)
        name = tool[0].rsplit("/", 1)[-1]
        if problem is None:
            message = f"Copied {url[:100]} (terminal clipboard and {name})"
        else:
            message = f"Copied {url[:100]} to the terminal clipboard only: {problem}"
        self.app.call_from_thread(self.notify, message, markup=False, timeout=4)

    def _key_of(self, binding_id: str, default: str) -> str:
        """The key the reader presses for a binding (their own, from `keys:`, if set)."""
        keys = self.config.keys.get(binding_id, default)
        return keys.split(",")[0]
