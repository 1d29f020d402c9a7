"""The three-way merge of one item's marks: the library's, the server's, and the base both
last agreed on. Each mark (read, starred ↔ bookmarked, each label ↔ a user tag) goes the
way of the side that changed it since the base; a mark has two values, so when both sides
changed it they agree. No I/O here: `decide` says what to take from the server, what to
send to it, and what both agree on now."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from reader.library.models import ArticleState
from reader.library.state import clean_tag, term_key
from reader.library.sync_store import Base, label_key

Change = tuple[str, bool]  # (read, starred or label:NAME; on)


class ServerMarks(NamedTuple):
    read: bool
    starred: bool
    labels: tuple[str, ...]  # as the server spells them (no folders)


class Agreed(NamedTuple):
    """An item's marks as both sides hold them now (None: as the base had it, a change
    of ours still to send)."""

    article_id: int
    read: bool | None
    starred: bool | None
    labels: tuple[str, ...] | None  # None: labels are not synced (Fever)


@dataclass
class Decision:
    agreed: Agreed
    pulls: list[Change] = field(default_factory=list)  # to make here
    pushes: list[Change] = field(default_factory=list)  # to send


def mark(mine: bool, server: bool, base: bool) -> tuple[str, bool]:
    """("pull" | "push" | "same", the value both will hold)."""
    if mine == server:
        return "same", mine
    return ("push", mine) if server == base else ("pull", server)


def decide(
    mine: ArticleState, server: ServerMarks, base: Base, skip: set[str], labels: bool
) -> Decision:
    """`skip`: label keys that are not the reader's to sync on this article (folders, its
    source tags: a tag of that name here is the source's, not a label)."""
    decision = Decision(Agreed(base.article_id, None, None, None))
    read = mark(mine.read, server.read, base.read)
    star = mark(mine.bookmarked, server.starred, base.starred)
    for what, (side, value) in (("read", read), ("starred", star)):
        if side == "pull":
            decision.pulls.append((what, value))
        elif side == "push":
            decision.pushes.append((what, value))
    agreed = None
    if labels:
        agreed = _labels(mine.user_tags, server.labels, base.labels, skip, decision)
    decision.agreed = Agreed(
        base.article_id,
        None if read[0] == "push" else read[1],
        None if star[0] == "push" else star[1],
        agreed,
    )
    return decision


def _labels(
    mine: Sequence[str],
    server: Sequence[str],
    base: Sequence[str],
    skip: set[str],
    decision: Decision,
) -> tuple[str, ...]:
    """Each label merged as a mark of its own, by the key the library folds tags to; a
    label spelled two ways on the server is removed in both spellings."""
    local = {term_key(t): t for t in mine if term_key(t) not in skip}
    theirs: dict[str, list[str]] = {}
    for name in server:
        if (key := label_key(name)) and key not in skip:
            theirs.setdefault(key, []).append(name)
    had = {key: n for n in base if (key := label_key(n)) and key not in skip}
    agreed = []
    for key in sorted({*local, *theirs, *had}):
        side, value = mark(key in local, key in theirs, key in had)
        if side == "pull":
            name = clean_tag(theirs[key][0]) if value else local[key]
            decision.pulls.append((f"label:{name}", value))
        elif side == "push":
            if value:
                decision.pushes.append((f"label:{local[key]}", True))
            else:
                decision.pushes += [(f"label:{raw}", False) for raw in theirs[key]]
            value = key in had  # (as agreed before, until the server has it)
        if value:
            agreed.append(had.get(key) or (theirs[key][0] if key in theirs else local[key]))
    return tuple(agreed)


def folded(names: Iterable[str]) -> set[str]:
    return {label_key(n) for n in names}
