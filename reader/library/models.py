"""Plain records the library speaks in; widgets and the CLI never see SQL rows.

The records are NamedTuples: a frozen dataclass costs ~1.3 ms to create at import, which
the app's start pays for each of them; a NamedTuple ~0.2 ms."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from reader.library.views import BY_NAME
from reader.words import plural

# {term kind: its names}, for the kinds in views.EXTRA; never changed once made (the `{}`
# default is shared).
Extra = dict[str, tuple[str, ...]]


class Problem(NamedTuple):
    """A warning or error about one input file."""

    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


class ParsedArticle(NamedTuple):
    """What the parser makes of one file, before it is stored."""

    path: str
    title: str
    date: str | None  # ISO 8601, with the offset when the source gave one
    timestamp: float | None  # seconds since the epoch, for sorting (naive dates read as UTC)
    categories: tuple[str, ...]
    tags: tuple[str, ...]
    url: str | None
    kind: str  # "html", "markdown" or "text": what the body was written in
    body: str | bytes  # Markdown (or plain text when kind == "text"); bytes: compressed by
    # the importer's parser process for the writer (see rows.stored_body)
    text: str  # plain text for search and counts
    words: int
    chars: int
    warnings: tuple[Problem, ...] = ()
    extra: Extra = {}  # names of the term kinds without a column (views.EXTRA): author…


class ArticleSummary(NamedTuple):
    """One row of the article list."""

    id: int
    title: str
    date: str | None
    source: str
    categories: tuple[str, ...]
    tags: tuple[str, ...]
    read: bool
    bookmarked: bool
    missing: bool = False
    copies: int = 0  # the other articles of its story (stories.py)


class Article(NamedTuple):
    """A whole stored article."""

    id: int
    title: str
    date: str | None
    source: str
    categories: tuple[str, ...]
    tags: tuple[str, ...]
    read: bool
    bookmarked: bool
    url: str | None
    path: str
    kind: str
    body: str
    words: int
    chars: int
    missing: bool = False
    note: str = ""
    user_tags: tuple[str, ...] = ()  # the reader's own tags (the rest of `tags` came with it)
    hidden_tags: tuple[str, ...] = ()  # source tags the reader removed
    uid: str = ""
    html: bool = False  # `body` is the post's HTML: body.readable() gives what is shown
    extra: Extra = {}  # names of the term kinds without a column (views.EXTRA): author…
    copies: tuple[ArticleSummary, ...] = ()  # the other articles of its story, oldest first
    # its full text from its page (full_store.py): "shown" (it is `body`), "kept" (`body` is
    # the feed's own), "failed" (the page gave none), "" (never asked for)
    full: str = ""


class ArticleState(NamedTuple):
    """Everything the reader has given one article: what must never be lost."""

    article_id: int
    read: bool
    bookmarked: bool
    note: str
    user_tags: tuple[str, ...]
    hidden_tags: tuple[str, ...]


class Change(NamedTuple):
    """What one change did: the state of each article it changed, before and after."""

    before: tuple[ArticleState, ...] = ()
    after: tuple[ArticleState, ...] = ()

    @property
    def ids(self) -> list[int]:
        return [state.article_id for state in self.before]


class View(NamedTuple):
    """Which articles a list shows: all, unread, bookmarked, or one source/category/tag."""

    kind: str = "all"  # a name in views.KINDS: all, unread, source, tag, saved, search…
    value: str | None = None  # a named kind's name (None for a fixed kind)

    @property
    def label(self) -> str:
        kind = BY_NAME.get(self.kind)
        if kind is not None and (kind.fixed or self.value is None):
            return kind.label
        return f"{kind.label if kind else self.kind.title()}: {self.value}"

    @property
    def encoded(self) -> str:
        """The view as one string (`tag\x1f汇率`, `unread`): the settings' `ui.view` and the
        sidebar's option ids. `View.decode` reads it back."""
        return self.kind if self.value is None else f"{self.kind}\x1f{self.value}"

    @classmethod
    def decode(cls, text: str) -> View:
        kind, _, value = text.partition("\x1f")
        return cls(kind, value or None)


class SavedView(NamedTuple):
    """A search kept in the sidebar under a name."""

    name: str
    query: str


class Facet(NamedTuple):
    """A sidebar entry: a name and how many articles it holds."""

    name: str
    count: int  # type: ignore[assignment]  # (a field, where tuple has a method: never called)
    unread: int = 0


@dataclass(slots=True)
class ImportReport:
    """What an import did, for the summary line."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    unpublished: int = 0
    missing: int = 0
    warnings: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)

    def summary(self) -> str:
        parts = [
            f"{self.new} new",
            f"{self.updated} updated",
            f"{self.unchanged} unchanged",
            f"{self.skipped + self.unpublished} skipped"
            + (f" ({self.unpublished} unpublished)" if self.unpublished else ""),
            plural(len(self.warnings), "warning"),
            plural(len(self.errors), "error"),
        ]
        if self.missing:
            parts.append(f"{self.missing} missing")
        return ", ".join(parts)


ALL = View()


@dataclass(frozen=True)
class Feed:
    """A feed followed: its address, name and settings, the state of its last refresh, and
    how many articles it has."""

    id: int
    url: str
    name: str
    tag: str
    keep: int | None
    keep_days: int | None
    etag: str | None
    modified: str | None
    checked: str | None
    error: str
    articles: int = 0
    unread: int = 0
    every: int | None = None  # seconds between the app's refreshes (None: refresh_every)
    full_text: bool = False  # its new articles get their full text from their pages

    @property
    def local(self) -> bool:
        return not self.url.startswith(("http://", "https://"))
