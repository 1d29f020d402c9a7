"""The orders of article lists, each walked along an index so a first page costs ~1 ms.

By date: dated articles (newest or oldest first), then the undated ones, in both orders.
Ties (the same second, or no date) go by the numbers in their titles (`第 407 期` is newer
than `第 99 期`), then by title. By title: natural order, ignoring case (`第2期` before
`第10期`). The keys are stored with each article (`order_ts`, `tie_key`, `title_key`).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

LIST_SORTS = ("newest", "oldest", "title")

_DIGITS = re.compile(r"\d+")


def _number(run: str) -> str:
    """A run of digits as text that sorts by its value: its length (2 digits), then it."""
    digits = str(int(run)) if len(run) < 1000 else run.lstrip("0")  # int: any script's digits
    return f"{min(len(digits), 99):02d}{digits}"


def title_key(title: str) -> str:
    """Natural order ignoring case: numbers compare by value, before letters."""
    return _DIGITS.sub(lambda match: _number(match[0]), title.casefold())


def tie_key(title: str) -> str:
    """The order of articles dated alike: by the numbers in the title, then by title, so
    `每周分享第 9 期` < `周刊：第 89 期` < `周刊：第 407 期` whatever words come first."""
    return "".join(_number(run) for run in _DIGITS.findall(title)) + " " + title_key(title)


def order_ts(timestamp: float | None) -> int | None:
    """The second an article sorts at (None: undated, after every dated one)."""
    return None if timestamp is None else max(0, int(timestamp))


# An article's rowid in the search index: its date in seconds above its id, so the index
# walks in date order; undated articles get negative rowids, below every dated one.
# Unique while ids stay under 2**20 within one second.
FTS_ROWID = (
    "CASE WHEN order_ts IS NULL THEN (id & 1048575) - 1048576"
    " ELSE (order_ts << 20) | (id & 1048575) END"
)


def fts_rowid(order_ts: int | None, article_id: int) -> int:
    """FTS_ROWID in Python, for rows written in a batch."""
    low = article_id & 1048575
    return low - 1048576 if order_ts is None else (order_ts << 20) | low


_BY_DATE = "a.order_ts {0}, a.tie_key {0}, a.id {0}"
_BY_TITLE = "a.title_key, a.fts_rowid"


def ordered(
    db: sqlite3.Connection,
    select: str,
    where: str,
    args: Sequence[object],
    order: str,
    limit: int = -1,
    offset: int = 0,
) -> list[tuple[Any, ...]]:
    """Rows of `select` (… FROM articles a …) meeting `where`, in `order` (LIST_SORTS).

    Oldest first takes two walks of the date index, the dated rows up, then the undated.
    """
    if order not in LIST_SORTS and order not in ("date", "relevance"):
        raise ValueError(f"unknown order {order!r}")
    where = f"WHERE {where}" if where else ""
    if order == "title":
        sql = f"{select} {where} ORDER BY {_BY_TITLE} LIMIT ? OFFSET ?"
        return db.execute(sql, (*args, limit, offset)).fetchall()
    if order != "oldest":
        sql = f"{select} {where} ORDER BY {_BY_DATE.format('DESC')} LIMIT ? OFFSET ?"
        return db.execute(sql, (*args, limit, offset)).fetchall()
    both = f"{where} AND" if where else "WHERE"
    dated = f"{select} {both} a.order_ts IS NOT NULL ORDER BY {_BY_DATE.format('ASC')}"
    rows = db.execute(f"{dated} LIMIT ? OFFSET ?", (*args, limit, offset)).fetchall()
    if 0 <= limit <= len(rows):
        return rows
    skip = 0
    if offset and not rows:  # the page starts among the undated: skip the dated ones
        skip = offset - db.execute(f"SELECT count(*) FROM ({dated})", tuple(args)).fetchone()[0]
    undated = f"{select} {both} a.order_ts IS NULL ORDER BY {_BY_DATE.format('ASC')}"
    more = db.execute(
        f"{undated} LIMIT ? OFFSET ?", (*args, limit - len(rows) if limit >= 0 else -1, skip)
    ).fetchall()
    return rows + more


def settle_ties(
    db: sqlite3.Connection, rows: Iterable[tuple[int, int]], descending: bool, limit: int = -1
) -> list[int]:
    """Ids from (fts rowid, id) rows in index order, with each run of rows in one second
    (or undated) put in tie order; stops after `limit` ids, once their last run is whole."""
    out: list[int] = []
    run: list[int] = []
    current = None
    for rowid, article_id in rows:
        second = rowid >> 20  # every undated rowid gives -1
        if second != current:
            out += _in_tie_order(db, run, descending)
            run, current = [], second
            if 0 <= limit <= len(out):
                break
        run.append(article_id)
    else:
        out += _in_tie_order(db, run, descending)
    return out[:limit] if limit >= 0 else out


def _in_tie_order(db: sqlite3.Connection, ids: list[int], descending: bool) -> list[int]:
    if len(ids) < 2:
        return ids
    keys: dict[int, str] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        keys.update(db.execute(f"SELECT id, tie_key FROM articles WHERE id IN ({marks})", chunk))
    return sorted(ids, key=lambda i: (keys.get(i, ""), i), reverse=descending)
