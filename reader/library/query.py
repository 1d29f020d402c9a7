"""The search language: parse a query string into terms and filters, or a clear error.

    plain words are ANDed      "exact phrase"      a OR b      -word (exclude)
    infla* (words starting with infla; Chinese always matches within words)
    tag:NAME  -tag:NAME  #NAME  cat:NAME  source:NAME  title:word
    is:bookmarked  is:unread  is:read   after:2022-05-01  before:2022-06  date:2022-05

A query is a list of groups that must all hold; a group is one or more items joined by OR.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from reader.library.models import View
from reader.library.text import lazy_pattern

FIELDS = ("tag", "cat", "source", "is", "after", "before", "date", "title")
IS_VALUES = ("bookmarked", "unread", "read")


class QueryError(ValueError):
    """What is wrong with a query, and where (a 0-based character offset)."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(f"{message} (at character {position + 1})")
        self.message = message
        self.position = position


@dataclass(frozen=True, slots=True)
class Item:
    kind: str  # text | phrase | title | tag | cat | source | is | after | before | date
    value: str
    negated: bool = False


@dataclass(slots=True)
class Query:
    groups: list[list[Item]] = field(default_factory=list)  # AND of ORs

    @property
    def empty(self) -> bool:
        return not self.groups

    def terms(self) -> list[str]:
        """The text the user looks for (not excluded), for highlighting matches."""
        return [
            item.value.rstrip("*")
            for group in self.groups
            for item in group
            if item.kind in ("text", "phrase", "title") and not item.negated
        ]


_TOKEN = lazy_pattern(r'\s+|(-?)(?:([A-Za-z]+):)?("(?:[^"]*)"?|[^\s"]+)', re.UNICODE)


def parse(text: str) -> Query:
    """Parse a query; raises QueryError naming the problem and its position."""
    items: list[tuple[Item | str, int]] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:  # pragma: no cover - the pattern matches any character
            raise QueryError("unexpected character", pos)
        pos = match.end()
        if match.group(0).isspace():
            continue
        negated, name, value = match.group(1) == "-", match.group(2), match.group(3)
        start = match.start()
        if value == "OR" and not negated and not name:
            items.append(("OR", start))
            continue
        items.append((_item(negated, name, value, start), start))
    return Query(_groups(items, text))


def _item(negated: bool, name: str | None, value: str, start: int) -> Item:
    if value.startswith('"'):
        if len(value) < 2 or not value.endswith('"'):
            raise QueryError('a phrase is missing its closing "', start)
        value = value[1:-1].strip()
        if not value:
            raise QueryError("an empty phrase", start)
        kind = "phrase"
    else:
        kind = "text"
    if name is None and kind == "text" and value.startswith("#") and len(value) > 1:
        return Item("tag", value[1:], negated)
    if name is None and kind == "text" and value.endswith(":") and value[:-1].lower() in FIELDS:
        raise QueryError(f"{value} needs a value", start)
    if name is None:
        if kind == "text" and value in ("-", "#"):
            raise QueryError(f"{value!r} needs a word after it", start)
        return Item(kind, value, negated)
    field_name = name.lower()
    if field_name not in FIELDS:
        known = ", ".join(f"{f}:" for f in FIELDS)
        raise QueryError(f"unknown filter {name}: (known: {known})", start)
    if not value:
        raise QueryError(f"{field_name}: needs a value", start)
    if field_name == "is":
        if value.lower() not in IS_VALUES:
            raise QueryError(f"is: takes {', '.join(IS_VALUES)}, not {value!r}", start)
        return Item("is", value.lower(), negated)
    if field_name in ("after", "before", "date"):
        day = normal_date(value)
        if day is None:
            raise QueryError(f"{field_name}: needs a date like 2022, 2022-05 or 2022-05-01", start)
        return Item(field_name, day, negated)
    return Item(field_name, value, negated)


def _groups(items: list[tuple[Item | str, int]], text: str) -> list[list[Item]]:
    groups: list[list[Item]] = []
    joining = False
    for index, (item, start) in enumerate(items):
        if item == "OR":
            if not groups or joining or index == len(items) - 1:
                raise QueryError("OR needs something on both sides", start)
            joining = True
            continue
        assert isinstance(item, Item)
        if joining:
            groups[-1].append(item)
            joining = False
        else:
            groups.append([item])
    return groups


_TYPING = lazy_pattern(
    r"(?:^|\s)[A-Za-z0-9\u00c0-\u024f]*[A-Za-z\u00c0-\u024f][A-Za-z0-9\u00c0-\u024f]*$"
)


def as_typed(text: str) -> str:
    """The query as searched while it is being typed: a last Latin word not yet ended by
    a space matches as the start of a word (`infla` -> `infla*`), so results show before
    the word is whole. Chinese needs nothing: it always matches within words."""
    in_phrase = text.count('"') % 2
    return text + "*" if _TYPING.search(text) and not in_phrase else text


_DAY = lazy_pattern(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def normal_date(value: str) -> str | None:
    """`2022` / `2022-5` / `2022-05-01` -> a zero-padded year, month or day, or None.

    Filters compare it with the start of each article's own ISO date, so a post dated
    `2022-05-01 02:00 +0800` is on 2022-05-01 wherever the reader is.
    """
    match = _DAY.match(value)
    if not match:
        return None
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        if month is None:
            date(year, 1, 1)  # type: ignore[arg-type]
            return f"{year:04d}"
        if day is None:
            date(year, month, 1)  # type: ignore[arg-type]
            return f"{year:04d}-{month:02d}"
        return date(year, month, day).isoformat()  # type: ignore[arg-type]
    except ValueError:
        return None


_VIEW_FIELDS = {"tag": "tag", "category": "cat", "source": "source"}


def view_query(view: View, saved: str = "") -> str | None:
    """The query that finds a sidebar view's articles ("" for All; `saved` is a saved
    search's own query), or None when the view's name holds a `"`, which no query can."""
    if view.kind == "all":
        return ""
    if view.kind in ("unread", "bookmarked"):
        return f"is:{view.kind}"
    if view.kind == "saved":
        return saved
    if view.kind in _VIEW_FIELDS and view.value and '"' not in view.value:
        return f'{_VIEW_FIELDS[view.kind]}:"{view.value}"'
    return None
