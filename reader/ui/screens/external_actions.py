"""MainScreen's keys that hand the article to other programs: `|` pipes it to a command
(the `pipe_to` setting, or one asked for), `w` writes it to a Markdown file, and the
`macros` setting's keys (`,r`) run a list of commands.

Programs run without a shell. One that may take the terminal over (a pipe: `less`; a text
browser: `w3m`) runs with the app suspended and the terminal its own, and the screen is
drawn again after it; the others run in a worker. A failure is said in one line."""

from __future__ import annotations

import shlex
from pathlib import Path

from textual import work
from textual.app import SuspendNotSupported

from reader.library.markdown_file import file_name, save
from reader.library.models import Article
from reader.ui import links
from reader.ui.keys import COMMANDS
from reader.ui.screens.main_base import MainBase

WIDGETS = {"list": "#article-list", "body": "#article-view", "sidebar": "#sidebar"}


def key_name(character: str) -> str:
    """Textual's name of the key that types `character` (`,`: comma, `r`: r)."""
    import unicodedata

    from textual.keys import KEY_NAME_REPLACEMENTS

    if character.isalnum():
        return character
    name = unicodedata.name(character, character).lower().replace("-", "_").replace(" ", "_")
    return KEY_NAME_REPLACEMENTS.get(name, name)


def macro_problems(macros: dict[str, tuple[str, ...]], name: str) -> list[str]:
    """A message per macro step that names no command (the step is skipped)."""
    return [
        f"{name}: macros: {keys}: no command has the id {step!r}; ids: docs/guide.md, Keys"
        for keys, steps in macros.items()
        for step in steps
        if not step.startswith(("browser:", "pipe:")) and step not in COMMANDS
    ]


class ExternalActions(MainBase):
    """A part of MainScreen."""

    def _article(self) -> Article | None:
        """The open article, else the list's current one; None (said) when there is none."""
        article = self.body.article
        if article is None and self.articles.current is not None:
            article = self.library.article(self.articles.current)
        if article is None:
            self.notify("No article to hand over: open one first.", markup=False, timeout=3)
        return article

    def _text(self, article: Article) -> str:
        """What `|` pipes: the article as laid out on screen, or its Markdown file."""
        if self.config.pipe_markdown or self.body.article is not article or not self.body.plain:
            from reader.library.markdown_file import markdown_file

            return markdown_file(article)
        return "\n".join(line.rstrip() for line in self.body.plain) + "\n"

    # ---- | ------------------------------------------------------------------------------------

    def action_pipe(self) -> None:
        article = self._article()
        if article is None:
            return
        if self.config.pipe_to:
            self.pipe(article, self.config.pipe_to)
            return

        def chosen(command: str | None) -> None:
            if command and command.strip():
                self.pipe(article, command.strip())

        from reader.ui.screens.dialogs import Prompt

        question = "A command to pipe the article to (no shell; `pipe_to` sets one):"
        self.app.push_screen(Prompt("Pipe to", question, "", "less -R"), chosen)

    def pipe(self, article: Article, command: str) -> None:
        try:
            argv = shlex.split(command)
        except ValueError as exc:
            self.notify(f"Cannot pipe to {command!r}: {exc}", severity="warning", markup=False)
            return
        if argv:
            self.in_terminal(argv, self._text(article).encode("utf-8"))

    def in_terminal(self, argv: list[str], data: bytes | None = None) -> None:
        """Run `argv` in the foreground, the terminal its own, and draw the screen again;
        where the app cannot give the terminal away (a test, a web page), in a worker with
        its output set aside."""
        try:
            with self.app.suspend():
                problem = links.run_in_terminal(argv, data)
        except SuspendNotSupported:
            self._quietly(argv, data)
            return
        self.app.refresh(layout=True)
        if problem:
            self.notify(problem, severity="warning", markup=False, timeout=6)

    @work(thread=True, group="external")
    def _quietly(self, argv: list[str], data: bytes | None) -> None:
        problem = links.run_quietly(argv, data)
        if problem:
            self.app.call_from_thread(
                self.notify, problem, severity="warning", markup=False, timeout=6
            )

    # ---- w ------------------------------------------------------------------------------------

    def action_save_article(self) -> None:
        article = self._article()
        if article is None:
            return
        folder = Path(self.config.save_to or Path.cwd()).expanduser()
        suggested = str(folder / file_name(article))

        def chosen(answer: str | None) -> None:
            if answer and answer.strip():
                self._save(article, Path(answer.strip()))

        from reader.ui.screens.dialogs import Prompt

        question = "Save the article as Markdown to (a file, or a folder):"
        self.app.push_screen(Prompt("Save article", question, suggested), chosen)

    @work(thread=True, group="external")
    def _save(self, article: Article, target: Path) -> None:
        try:
            written = save(article, target)
        except OSError as exc:
            message, severity = f"Not saved: {target}: {exc.strerror or exc}", "warning"
        else:
            message, severity = f"Saved to {written}", "information"
        self.app.call_from_thread(
            self.notify,
            message,
            severity=severity,
            markup=False,
            timeout=6,
        )

    # ---- macros ------------------------------------------------------------------------------

    def bind_macros(self) -> None:
        """A binding for each prefix key the `macros` setting uses (`,` of `,r`)."""
        for prefix in dict.fromkeys(keys[0] for keys in self.config.macros):
            self._bindings.bind(key_name(prefix), f"macro({prefix!r})", "Macro", show=False)

    def action_macro(self, prefix: str) -> None:
        """The prefix key: the next key chooses the macro (esc: none)."""
        from reader.ui.screens.dialogs import MacroKey

        macros = {k[1:]: steps for k, steps in self.config.macros.items() if k[0] == prefix}

        def chosen(key: str | None) -> None:
            if key is not None and key in macros:
                self.run_worker(self.run_macro(macros[key]), group="macro", exclusive=True)
            elif key is not None:
                self.notify(f"No macro {prefix}{key}.", markup=False, timeout=3)

        self.app.push_screen(MacroKey(prefix, macros), chosen)

    async def run_macro(self, steps: tuple[str, ...]) -> None:
        """Each step in turn: a command id (as `keys:` names them), `browser:COMMAND` (the
        article's link, %u) or `pipe:COMMAND`."""
        for step in steps:
            kind, _, command = step.partition(":")
            if kind == "browser" and command:
                article = self._article()
                if article is None:
                    return
                if not article.url or not article.url.lower().startswith(("http://", "https://")):
                    self.notify("This article has no web link.", markup=False, severity="warning")
                    return
                argv = links.browser_argv(command, article.url)
                if links.in_terminal(argv):
                    self.in_terminal(argv)
                else:
                    self._quietly(argv, None)
            elif kind == "pipe" and command:
                if (article := self._article()) is not None:
                    self.pipe(article, command)
            elif (found := COMMANDS.get(step)) is not None:
                place = step.partition(".")[0] if "." in step else ""
                target = self.query_one(WIDGETS[place]) if place in WIDGETS else self
                await target.run_action(found.action)
