"""One story, many sources: articles whose text is nearly the same are grouped.

Each article gets a sketch as it is indexed (in the index's worker processes): its folded
title and text, without spaces, are cut into 4-character shingles, those starting with an
"anchor" character (a fixed eighth of the characters, chosen by their CRC), so two copies
keep the same shingles wherever they stand (a reordered paragraph keeps its own); each is
hashed with CRC-32, and the 32 smallest hashes are the sketch (a bottom-k MinHash). The
share of the 32 smallest hashes of two sketches together that both hold estimates the
Jaccard similarity of the two texts' shingles. CRC-32 is in C and the same everywhere;
`SKETCH_ID` names the recipe, and a library sketched by another is indexed again
(indexing.fold_as_now).

To find an article's likely copies without comparing it with every other, its 4 smallest
hashes, each with its date's 3-day window, are keys in `story_keys` (a key's neighbours,
±1, are the same hash in the windows before and after); an article is compared with the
articles that share a key in its window or a neighbouring one, dated at most 3 days
apart, and joins their story when the estimate is at least 0.5 (a key more than 64
articles share there is boilerplate, and left out). benchmarks/bench_stories.py measures
precision, recall and cost. A story is the id of its first article, kept in
`articles.story` (NULL for an article alone). Text is folded first, so a Traditional copy
of a Simplified story joins it.
"""

from __future__ import annotations

import re
from array import array
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import cache
from zlib import crc32

from reader.library.base import StorageBase, id_list

SHINGLE = 4  # characters
SAMPLE = 8  # one shingle in about this many is kept (1 in 12: recall 0.89, not 0.96)
SKETCH = 32  # hashes in a sketch
KEYS = 4  # of them, the smallest, are looked up
LEAST = 8  # shingles kept: a text with fewer (a bare title) is in no story
LIKE = 0.5  # the least estimated similarity of two copies
WINDOW = 3 * 86400.0  # seconds: copies are at most this far apart
CROWD = 64  # a key shared by more articles of a window is boilerplate, not a story
TEXT = 6000  # characters of a text that are sketched (the rest adds nothing but time)
SKETCH_ID = f"crc32/{SHINGLE}/{SAMPLE}/{SKETCH}"  # a change sketches every article again


@cache
def _anchors() -> re.Pattern[str]:
    """Shingles starting with one of an eighth of the characters (chosen by their CRC),
    each taken with the characters after it, left to right."""
    points = [*range(0x21, 0xA000), *range(0xAC00, 0xD7A4)]
    chosen = "".join(chr(p) for p in points if crc32(chr(p).encode()) % SAMPLE == 0)
    return re.compile(f"[{re.escape(chosen)}].{{{SHINGLE - 1}}}", re.DOTALL)


def sketch(folded: str) -> bytes | None:
    """The sketch of a text already folded (fold.fold), or None when it is too short."""
    shingles = _anchors().findall("".join(folded[:TEXT].lower().split()))
    if len(shingles) < LEAST:
        return None
    return array("I", sorted(set(map(crc32, map(str.encode, shingles))))[:SKETCH]).tobytes()


def _hashes(data: bytes) -> array[int]:
    values = array("I")
    values.frombytes(data)
    return values


def similarity(a: bytes, b: bytes) -> float:
    """The estimated Jaccard similarity of the texts two sketches were made from."""
    return _similarity(set(_hashes(a)), set(_hashes(b)))


def _similarity(x: set[int], y: set[int]) -> float:
    both = len(x & y)
    if both < LIKE * min(SKETCH, len(x) + len(y) - both):  # (the estimate is below LIKE)
        return 0.0
    smallest = sorted(x | y)[:SKETCH]
    return sum(1 for v in smallest if v in x and v in y) / len(smallest)


def _window(sort_ts: float) -> int:
    return int(sort_ts // WINDOW)


def _keys(values: Sequence[int], window: int) -> list[int]:
    """A sketch's keys: its smallest hashes, each with a date's window."""
    return [v << 24 | window & 0xFFFFFF for v in values[:KEYS]]


class StoryMixin(StorageBase):
    """Story methods of `Library` (which provides `db`)."""

    def group_stories(self, sketched: Sequence[tuple[int, bytes | None]]) -> None:
        """Put just-indexed articles (id, sketch) into the stories of the articles they
        nearly repeat, in the caller's transaction (an article indexed again leaves its
        story first)."""
        ids = id_list([article_id for article_id, _ in sketched])
        for table in ("story_keys", "sketches"):
            self.db.execute(
                f"DELETE FROM {table} WHERE article_id IN (SELECT value FROM json_each(?))", (ids,)
            )
        self.db.execute(
            "UPDATE articles SET story = NULL WHERE story IS NOT NULL"
            " AND id IN (SELECT value FROM json_each(?))",
            (ids,),
        )
        dates = dict(
            self.db.execute(
                "SELECT id, sort_ts FROM articles WHERE id IN (SELECT value FROM json_each(?))",
                (ids,),
            )
        )
        mine = [(i, data, _window(dates[i])) for i, data in sketched if data and i in dates]
        self.db.executemany(
            "INSERT INTO sketches (article_id, sketch) VALUES (?, ?)", [(i, d) for i, d, _ in mine]
        )
        self.db.executemany(
            "INSERT OR IGNORE INTO story_keys (key, article_id) VALUES (?, ?)",
            [(key, i) for i, data, window in mine for key in _keys(_hashes(data), window)],
        )
        # Pairs sharing a key in the same window or a neighbouring one (key ± 1), dated at
        # most WINDOW apart; a key that many articles share is boilerplate (CROWD).
        pairs = self.db.execute(
            "SELECT DISTINCT k.article_id, h.article_id FROM story_keys k"
            " JOIN story_keys h ON h.key BETWEEN k.key - 1 AND k.key + 1"
            " JOIN articles a ON a.id = k.article_id JOIN articles b ON b.id = h.article_id"
            " WHERE k.article_id IN (SELECT value FROM json_each(?))"
            " AND h.article_id != k.article_id AND abs(a.sort_ts - b.sort_ts) <= ?"
            " AND (SELECT count(*) FROM (SELECT 1 FROM story_keys x"
            "  WHERE x.key BETWEEN k.key - 1 AND k.key + 1 LIMIT ?)) <= ?",
            (id_list(i for i, _, _ in mine), WINDOW, CROWD + 1, CROWD),
        ).fetchall()
        known = {
            i: (set(_hashes(data)), story)
            for i, data, story in self.db.execute(
                "SELECT s.article_id, s.sketch, a.story FROM sketches s"
                " JOIN articles a ON a.id = s.article_id"
                " WHERE s.article_id IN (SELECT value FROM json_each(?))",
                (id_list({i for pair in pairs for i in pair}),),
            )
        }
        # stories as labels: an article's story, or its own id; similar articles join theirs
        root: dict[int, int] = {}

        def find(label: int) -> int:
            while root.get(label, label) != label:
                label = root[label]
            return label

        for i, other in pairs:
            if i not in known or other not in known:
                continue
            values, _ = known[i]
            other_values, other_story = known[other]
            if _similarity(values, other_values) >= LIKE:
                a, b = find(i), find(other if other_story is None else other_story)
                if a != b:
                    root[max(a, b)] = min(a, b)
        if root:
            labels = set(root) | {find(label) for label in root}
            self.db.executemany(
                "UPDATE articles SET story = ? WHERE id = ? OR story = ?",
                [(find(label), label, label) for label in sorted(labels)],
            )

    def story_of(self, article_id: int) -> list[int]:
        """The articles of the article's story, itself among them, oldest first; [] when it
        is in none."""
        rows = self.db.execute(
            "SELECT o.id FROM articles a JOIN articles o ON o.story = a.story"
            " WHERE a.id = ? ORDER BY o.sort_ts, o.id",
            (article_id,),
        )
        ids = [i for (i,) in rows]
        return ids if len(ids) > 1 else []

    def with_copies(self, ids: Iterable[int]) -> list[int]:
        """`ids` and the other articles of their stories."""
        wanted = list(dict.fromkeys(ids))
        rows = self.db.execute(
            "SELECT o.id FROM articles a JOIN articles o ON o.story = a.story"
            " WHERE a.id IN (SELECT value FROM json_each(?))",
            (id_list(wanted),),
        )
        return list(dict.fromkeys([*wanted, *(i for (i,) in rows)]))

    def one_per_story(self, ids: Sequence[int]) -> list[int]:
        """`ids` with only the first of each story's articles (the others are its copies)."""
        story = dict(self.db.execute("SELECT id, story FROM articles WHERE story IS NOT NULL"))
        if not story:
            return list(ids)
        seen: set[int] = set()
        kept = []
        for article_id in ids:
            label = story.get(article_id)
            if label is None:
                kept.append(article_id)
            elif label not in seen:
                seen.add(label)
                kept.append(article_id)
        return kept

    def stories(self) -> list[list[int]]:
        """Every story of two articles or more: its articles' ids, oldest first; the
        stories newest first."""
        groups: defaultdict[int, list[int]] = defaultdict(list)
        for story, article_id in self.db.execute(
            "SELECT story, id FROM articles WHERE story IS NOT NULL ORDER BY sort_ts, id"
        ):
            groups[story].append(article_id)
        found = [ids for ids in groups.values() if len(ids) > 1]
        return found[::-1]
