"""Ignore rules (kill files): queries in the search language, each for every source or
for one, that hide what they match from every list and count, or mark it read as it
arrives. Nothing is ever deleted: `View("ignored")` lists what the rules hide.

The rules live in the settings file; the app and the CLI copy them into the library
(`use_rules`), so every `Library` (each worker thread opens its own) applies the same
ones. Hiding is a condition every list's query gets (see `QueryMixin._where`): a rule
changed takes effect at once, both ways. Marking read happens once per article, as it is
indexed for search (a rule may look for words), and only for articles that arrived
after the rules were first set: turning the rule on does not mark the old ones read."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import asdict, dataclass

from reader.library.base import StorageBase, id_list
from reader.library.errors import LibraryError
from reader.library.query import Item, Query, parse

ACTIONS = ("hide", "mark-read")
RULES = "ignore.rules"  # settings key: the rules, as JSON
RULED_TO = "ignore.ruled_to"  # settings key: the last article id that arrival rules saw
# (library file, rules, action, correlated) -> (the file's mark, the SQL): see rules_sql
_MADE: dict[tuple[object, ...], tuple[tuple[object, ...], tuple[str, tuple[object, ...]]]] = {}


@dataclass(frozen=True, slots=True)
class Rule:
    query: str  # the search language (reader/library/query.py)
    feed: str | None = None  # only articles from this source (feed or folder; a start will do)
    action: str = "hide"  # or mark-read


class IgnoreMixin(StorageBase):
    """Ignore rules of `Library`."""

    _rules_read: tuple[str | None, list[Rule]] | None = None

    def use_rules(self, rules: Sequence[Rule]) -> None:
        """Make `rules` the library's (a write only when they changed). A read-only library,
        or one another writer holds now, keeps the rules it has: this never waits."""
        import json  # (not at start-up)

        wanted = json.dumps([asdict(rule) for rule in rules], ensure_ascii=False)
        limit, self.wait_limit = self.wait_limit, 0
        try:
            with suppress(sqlite3.Error, LibraryError):
                if self.setting(RULES, "[]") != wanted:
                    with self.transaction():
                        self.set_setting(RULES, wanted)
                        if self.setting(RULED_TO) is None:  # from now on, not what is here
                            self._ruled_to_now()
        finally:
            self.wait_limit = limit

    def rules(self) -> list[Rule]:
        """The library's rules (those `use_rules` last set)."""
        text = self.setting(RULES)
        if self._rules_read is None or self._rules_read[0] != text:
            import json

            try:
                rules = [Rule(**fields) for fields in json.loads(text or "[]")]
            except (ValueError, TypeError):  # (written by a newer version, say)
                rules = []
            self._rules_read = (text, rules)
        return self._rules_read[1]

    def rules_sql(self, action: str, correlated: bool = False) -> tuple[str, tuple[object, ...]]:
        """SQL (on `articles a`) true for an article that a rule with `action` matches;
        "" when there is none. A rule that does not parse matches nothing (the settings
        report it, with its line, as they are read). Kept until the library changes: a
        `tag:` prefix takes a lookup to resolve (~9 ms for a big tag at 100,000), and the
        app opens a `Library` for each list it loads: kept in the process, per file."""
        from reader.library.search import compile_query

        rules = self.rules()
        if not rules:
            return "", ()
        key = (str(self.path), self._rules_read and self._rules_read[0], action, correlated)
        mark = self._file_mark()
        kept = _MADE.get(key)
        if kept is not None and kept[0] == mark:
            return kept[1]
        parts: list[str] = []
        args: list[object] = []
        for rule in rules:
            if rule.action != action:
                continue
            try:
                query = parse(rule.query)
            except ValueError:
                continue
            if rule.feed:
                query = Query([*query.groups, [Item("source", rule.feed)]])
            where, query_args = compile_query(self.resolve(query, strict=False), correlated)
            if where:
                parts.append(f"({where.removeprefix('WHERE ')})")
                args += query_args
        made = (f"({' OR '.join(parts)})" if parts else ""), tuple(args)
        _MADE[key] = (mark, made)
        return made

    def rule_arrivals(self, ids: Sequence[int]) -> None:
        """Mark read those of these just-indexed articles that a mark-read rule matches and
        that arrived after the rules were set (in the caller's transaction)."""
        ruled_to = self.setting(RULED_TO)
        if ruled_to is None or not ids:
            return
        new = [i for i in ids if i > int(ruled_to)]
        where, args = self.rules_sql("mark-read")
        if new and where:
            self.db.execute(
                "UPDATE articles SET read = 1 WHERE id IN (SELECT a.id FROM articles a"
                f" WHERE a.id IN (SELECT value FROM json_each(?)) AND a.read = 0 AND {where})",
                (id_list(new), *args),
            )

    def rules_done(self) -> None:
        """The articles indexed have met the arrival rules: the mark moves up to the first
        one not indexed yet (another import's, written meanwhile), never down. (In the
        caller's transaction.)"""
        ruled_to = self.setting(RULED_TO)
        if ruled_to is None:
            return
        newest, waiting = self.db.execute(
            "SELECT coalesce(max(id), 0), (SELECT min(id) FROM articles WHERE indexed = 0)"
            " FROM articles"
        ).fetchone()
        reached = newest if waiting is None else min(newest, waiting - 1)
        if reached > int(ruled_to):
            self.set_setting(RULED_TO, str(reached))

    def _ruled_to_now(self) -> None:
        newest = self.db.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()[0]
        self.set_setting(RULED_TO, str(newest))
