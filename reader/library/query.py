"""The search language (QUERY_HELP says it all): parse a query string into terms and
filters, or a clear error. A query is a list of groups that must all hold; a group is one
or more items joined by OR.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from reader.library.models import View
from reader.library.pinyin import pattern
from reader.library.text import lazy_pattern
from reader.library.views import BY_NAME, EXTRA, TERM_FIELDS

FIELDS = (*TERM_FIELDS, "source", "is", "after", "before", "date", "title", "py")
IS_VALUES = ("bookmarked", "unread", "read")
OPERATORS = ("OR", "AND", "NOT")

# The query language as `newsreader help query` and `search --help` print it (and the
# docs/guide.md's table mirrors it): keep it next to the parser it describes.
QUERY_HELP = (
    """\
query                       finds
  word word                 both words (Chinese: any substring, in either script: 人民币, 币, 幣)
  a AND b                   both (the same as `a b`)
  infla*                    words that start with infla (inflation, inflationary)
  "exact phrase"            the words in this order
  a OR b                    either
  -word   NOT word          without the word (also -tag:x, NOT cat:x, …)
  tag:NAME   #NAME          with the tag (a unique start of its name will do)
  cat:NAME                  in the category
"""
    + "".join(f"  {kind.field}:NAME".ljust(28) + f"{kind.about}\n" for kind in EXTRA)
    + """\
  source:NAME               from the source (folder or feed; a unique start will do)
  title:word                the word in the title
  py:huilv   py:hl          the title has it in pinyin: full, initials or a mix, a start
                            will do (汇率 for huilv, hl, huil; any reading of 多音字)
  is:unread is:read is:bookmarked
                            by state
  after:2022-05-01          dated on or after a day, month or year
  before:2022-06            dated before it (after:2022-05 before:2022-07: May and June)
  date:2022-05              dated in a day, month or year
  after:today  after:yesterday  after:-7d  before:-2w  after:-1m  before:-1y
                            dates counted back from today (days, weeks, months, years)

Words are ANDed; OR binds closer than AND, so `人民币 汇率 OR 美元` is 人民币 and (汇率 or
美元). AND, OR and NOT are operators in capitals only. Filters combine with text freely:
  人民币 汇率 OR 美元 tag:外汇 NOT tag:快讯 after:-1m is:unread
Case and accents do not matter for English words; Chinese, Japanese and Korean match as
substrings. Undated articles are in no date range. Quote a `*` from the shell.
"""
)


class QueryError(ValueError):
    """What is wrong with a query, and where (a 0-based character offset)."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(f"{message} (at character {position + 1})")
        self.message = message
        self.position = position


@dataclass(frozen=True, slots=True)
class Item:
    kind: str  # text | phrase | title | source | is | after | before | date, or a term
    # kind's field (views.TERM_FIELDS: tag | cat | author…)
    value: str
    negated: bool = False
    position: int = field(default=0, compare=False)  # where it starts in the query text


@dataclass(slots=True)
class Query:
    groups: list[list[Item]] = field(default_factory=list)  # AND of ORs

    @property
    def empty(self) -> bool:
        return not self.groups

    @property
    def searches_text(self) -> bool:
        """Whether the full-text index answers part of it."""
        return any(i.kind in ("text", "phrase", "title") for group in self.groups for i in group)

    def terms(self) -> list[str]:
        """The text the user looks for (not excluded), for highlighting matches."""
        return [
            item.value.rstrip("*")
            for group in self.groups
            for item in group
            if item.kind in ("text", "phrase", "title") and not item.negated
        ]


_TOKEN = lazy_pattern(r'\s+|(-?)(?:([A-Za-z]+):)?("(?:[^"]*)"?|[^\s"]+)', re.UNICODE)


def parse(text: str, today: date | None = None) -> Query:
    """Parse a query; raises QueryError naming the problem and its position. Relative
    dates (`after:-7d`) count back from `today` (default: the local date)."""
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
        if value in OPERATORS and not negated and not name:
            items.append((value, start))
            continue
        items.append((_item(negated, name, value, start, today), start))
    return Query(_groups(_negations(items)))


def _item(negated: bool, name: str | None, value: str, start: int, today: date | None) -> Item:
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
        return Item("tag", value[1:], negated, start)
    if name is None and kind == "text" and value.endswith(":") and value[:-1].lower() in FIELDS:
        raise QueryError(f"{value} needs a value", start)
    if name is None:
        if kind == "text" and value in ("-", "#"):
            raise QueryError(f"{value!r} needs a word after it", start)
        return Item(kind, value, negated, start)
    field_name = name.lower()
    if field_name not in FIELDS:
        known = ", ".join(f"{f}:" for f in FIELDS)
        raise QueryError(f"unknown filter {name}: (known: {known})", start)
    if not value:
        raise QueryError(f"{field_name}: needs a value", start)
    if field_name == "is":
        if value.lower() not in IS_VALUES:
            raise QueryError(f"is: takes {', '.join(IS_VALUES)}, not {value!r}", start)
        return Item("is", value.lower(), negated, start)
    if field_name == "py" and (not value.isascii() or not value.isalnum() or not pattern(value)):
        raise QueryError(f"py: takes pinyin (letters, no tones), not {value!r}", start)
    if field_name in ("after", "before", "date"):
        day = normal_date(value) or relative_date(value, today or date.today())
        if day is None:
            raise QueryError(
                f"{field_name}: needs a date like 2022, 2022-05, 2022-05-01, today or -7d", start
            )
        return Item(field_name, day, negated, start)
    return Item(field_name, value, negated, start)


def _negations(items: list[tuple[Item | str, int]]) -> list[tuple[Item | str, int]]:
    """`NOT x` is `-x`: NOT needs a word or filter after it."""
    out: list[tuple[Item | str, int]] = []
    for index, (item, start) in enumerate(items):
        if item == "NOT":
            continue
        if index and items[index - 1][0] == "NOT":
            if not isinstance(item, Item):
                raise QueryError("NOT needs a word or filter after it", items[index - 1][1])
            item = Item(item.kind, item.value, True, item.position)
        out.append((item, start))
    if items and items[-1][0] == "NOT":
        raise QueryError("NOT needs a word or filter after it", items[-1][1])
    return out


def _groups(items: list[tuple[Item | str, int]]) -> list[list[Item]]:
    groups: list[list[Item]] = []
    joining = False
    for index, (item, start) in enumerate(items):
        if item in ("OR", "AND"):
            if not groups or joining or index == len(items) - 1:
                raise QueryError(f"{item} needs something on both sides", start)
            joining = item == "OR"
            if item == "AND" and not isinstance(items[index + 1][0], Item):
                raise QueryError("AND needs something on both sides", start)
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


_RELATIVE = lazy_pattern(r"^-(\d{1,5})([dwmy])$")


def relative_date(value: str, today: date) -> str | None:
    """`today`, `yesterday`, `-7d`, `-2w`, `-1m`, `-1y` -> that day (ISO), or None."""
    word = value.lower()
    if word in ("today", "yesterday"):
        return (today - timedelta(days=word == "yesterday")).isoformat()
    match = _RELATIVE.match(word)
    if match is None:
        return None
    count, unit = int(match[1]), match[2]
    if unit in "dw":
        try:
            return (today - timedelta(days=count * (7 if unit == "w" else 1))).isoformat()
        except OverflowError:
            return None
    year, month = divmod(today.year * 12 + today.month - 1 - count * (12 if unit == "y" else 1), 12)
    if year < 1:
        return None
    last = calendar.monthrange(year, month + 1)[1]  # 31 March, -1m: 28 or 29 February
    return date(year, month + 1, min(today.day, last)).isoformat()


def view_query(view: View, saved: str = "") -> str | None:
    """The query that finds a sidebar view's articles ("" for All; `saved` is a saved
    search's own query), or None when the view's name holds a `"`, which no query can."""
    kind = BY_NAME.get(view.kind)
    if kind is None or kind.name == "search":
        return None
    if kind.filter == "all":
        return ""
    if kind.filter == "state":
        return f"{kind.field}:{view.kind}"
    if kind.name == "saved":
        return saved
    if view.value and '"' not in view.value:
        return f'{kind.field}:"{view.value}"'
    return None
