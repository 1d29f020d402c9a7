"""Command-palette providers: one per topic, as braindrop does."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

from reader.library import Library, View
from reader.library.pinyin import matches as sounds_like
from reader.library.pinyin import pattern as sounds_like_pattern

if TYPE_CHECKING:
    from reader.ui.screens.main import MainScreen


def literal_highlight(matcher: Matcher, candidate: str) -> Content:
    """Matcher.highlight reads its candidate as markup; tag names and titles are data."""
    content = Content(candidate)
    _score, offsets = matcher.fuzzy_search.match(matcher.query, candidate)
    for offset in offsets:
        if not candidate[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class TagCommands(Provider):
    """`Tag: NAME` shows the tag; `Rename tag: NAME` and `Delete tag: NAME` act on it."""

    async def startup(self) -> None:
        screen = self.screen
        library: Library | None = getattr(screen, "library", None)
        self.tags = library.facets("tag") if library else []

    def _commands(self) -> Iterator[tuple[str, str, Callable[[], object]]]:
        """(tag, title, action) of each command."""
        screen = cast("MainScreen", self.screen)  # (the providers of MainScreen.COMMANDS)
        for facet in self.tags:
            name, count = facet.name, f" ({facet.count})"
            yield name, f"Tag: {name}{count}", partial(screen.show_view, View("tag", name))
            yield name, f"Rename tag: {name}{count}", partial(screen.rename_tag, name)
            yield name, f"Delete tag: {name}{count}", partial(screen.delete_tag, name)

    async def discover(self) -> Hits:
        for _, title, callback in list(self._commands())[:30]:
            yield DiscoveryHit(Text(title), callback)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        heard = {f.name for f in self.tags if sounds_like(query, f.name, anywhere=True)}
        for name, title, callback in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, literal_highlight(matcher, title), callback, text=title)
            elif name in heard:  # `Tag: 汇率` for `hl` (pinyin: see library/pinyin.py)
                yield Hit(0.5, Text(title), callback, text=title)


class ArticleCommands(Provider):
    """Go to an article by its title: `ctrl+p` then type words from the title, or their
    pinyin (`hl` for a title with 汇率: see library/pinyin.py)."""

    async def search(self, query: str) -> Hits:
        from reader.library.query import Item, Query

        query = query.strip()
        screen = self.screen
        library: Library | None = getattr(screen, "library", None)
        if library is None or not query:
            return
        ids = library.search(Query([[Item("title", query)]]), limit=20)
        if query.isascii() and query.isalnum() and sounds_like_pattern(query) is not None:
            # by sound, in a thread (a rare sound walks every title: ~0.3 s at 100,000)
            heard = await asyncio.to_thread(_titles_sounding, library.path, query)
            ids += [i for i in heard if i not in ids]
        matcher = self.matcher(query)
        for row in library.summaries_for(ids):
            title = f"Go to article: {row.title}"
            yield Hit(
                max(matcher.match(title), 0.5),
                Text(title),
                partial(cast("MainScreen", screen).go_to_article, row.id),
                text=title,
            )


def _titles_sounding(path: Path, typed: str) -> list[int]:
    from reader.library.query import Item, Query

    with Library(path) as library:
        return library.search(Query([[Item("py", typed)]]), limit=20)
