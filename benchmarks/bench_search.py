"""Search latency per query class on a library, through the library API the app uses.

Usage: python benchmarks/bench_search.py --library LIB.db [--runs 30] [--seed 1]

Build the library first (benchmarks/generate.py, then `newsreader --library LIB.db import
DIR`). Terms are sampled from the library's own text, so each class has real hits (or, for
"no hits", none). Each query is timed from parse to the full list of matching ids, newest
first, which is what the article list loads. Target: p95 <= 50 ms for every class.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import time
from collections import Counter
from pathlib import Path

from reader.library import Library
from reader.library.fts import CJK_LETTERS
from reader.library.query import parse

TARGET_MS = 50.0
CJK_RUN = re.compile(f"[{CJK_LETTERS}]{{6,}}")
ENGLISH = re.compile(r"\b[a-z]{5,}\b")


def sample_texts(library: Library, count: int, rng: random.Random) -> list[str]:
    top = library.db.execute("SELECT max(id) FROM articles").fetchone()[0] or 0
    return [library.plain_text(rng.randint(1, top)) for _ in range(count)]


def cjk_terms(texts: list[str], length: int, count: int, rng: random.Random) -> list[str]:
    runs = [run for text in texts for run in CJK_RUN.findall(text)]
    terms = []
    for run in rng.sample(runs, min(count, len(runs))):
        start = rng.randrange(0, len(run) - length + 1)
        terms.append(run[start : start + length])
    return terms


def build_classes(library: Library, runs: int, rng: random.Random) -> dict[str, list[str]]:
    texts = sample_texts(library, 400, rng)
    bigrams = Counter(
        run[i : i + 2]
        for text in texts
        for run in CJK_RUN.findall(text)
        for i in range(len(run) - 1)
    )
    common = [term for term, _ in bigrams.most_common(runs)]
    words = Counter(w for text in texts for w in ENGLISH.findall(text.lower()))
    english = [w for w, _ in words.most_common(200)][:: max(1, 200 // runs)][:runs]
    phrases = []
    for text in texts:
        found = re.findall(r"\b([A-Za-z]{4,}) ([A-Za-z]{4,})\b", text)
        if found:
            phrases.append('"{} {}"'.format(*rng.choice(found)))
    top_tag = library.facets("tag")[0].name
    four = cjk_terms(texts, 4, runs, rng)
    rare = []
    for term in cjk_terms(texts, 6, runs * 4, rng):
        if len(library.search(parse(term), limit=3)) == 1:
            rare.append(term)
        if len(rare) == runs:
            break
    return {
        "CJK 1 char": cjk_terms(texts, 1, runs, rng),
        "CJK 2 chars": cjk_terms(texts, 2, runs, rng),
        "CJK 3 chars": cjk_terms(texts, 3, runs, rng),
        "CJK 4+ chars": four,
        "common term": common,
        "rare term": rare,
        "English word": english,
        "phrase": phrases[:runs],
        "tag filter + text": [f"tag:{top_tag} {t}" for t in cjk_terms(texts, 2, runs, rng)],
        "no hits": [f"龘靐{t}" for t in four],
        **pinyin_classes(library, runs, rng),
    }


def pinyin_classes(library: Library, runs: int, rng: random.Random) -> dict[str, list[str]]:
    """`py:` queries (the title's sound: library/pinyin.py) of two characters of a title,
    by their initials and in full, and of four that few titles have."""
    from pypinyin import lazy_pinyin

    titles = [t for (t,) in library.db.execute("SELECT title FROM articles ORDER BY random()")]
    pairs = [run[i : i + 2] for t in titles[:400] for run in CJK_RUN.findall(t) if len(run) > 1
             for i in [rng.randrange(len(run) - 1)]][:runs]  # fmt: skip
    spelled = [lazy_pinyin(pair) for pair in pairs]
    return {
        "pinyin initials": [f"py:{''.join(s[0] for s in sounds)}" for sounds in spelled],
        "pinyin in full": [f"py:{''.join(sounds)}" for sounds in spelled],
        # two titles' pairs run together: four characters few titles (if any) have, so
        # the search walks every title
        "pinyin, rare": [
            f"py:{''.join(spelled[i - 1] + spelled[i])}" for i in range(1, len(spelled))
        ],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--library", required=True, type=Path)
    parser.add_argument("--runs", type=int, default=30, help="queries per class")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if not args.library.exists():
        parser.error(f"{args.library}: no such library")
    library = Library(args.library)
    articles = library.count()
    rng = random.Random(args.seed)
    classes = build_classes(library, args.runs, rng)
    print(
        f"{articles} articles in {args.library} "
        f"({args.library.stat().st_size / 2**20:.0f} MB); {args.runs} queries per class"
    )
    print(
        f"{'class':<20}{'median ms':>10}{'p95 ms':>9}{'max ms':>9}{'hits (median)':>15}"
        f"{'all ids p95':>13}  target (first page)"
    )
    worst = 0.0
    for name, queries in classes.items():
        if name == "pinyin initials":  # the titles in sound codes, made once per change
            started = time.perf_counter()
            library.sounding("a")
            coding = (time.perf_counter() - started) * 1000
            print(f"{'(coding the titles':<20}{coding:>10.1f} ms: the first py: after a change)")
        times, hits, full = [], [], []
        for text in queries:
            started = time.perf_counter()
            query = parse(text)
            library.search(query, limit=200)
            times.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            hits.append(len(library.search(query)))
            full.append((time.perf_counter() - started) * 1000)
        if not times:
            print(f"{name:<20} (no sample terms found)")
            continue
        times.sort()
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        worst = max(worst, p95)
        verdict = "ok" if p95 <= TARGET_MS else "MISSED"
        full.sort()
        full_p95 = full[min(len(full) - 1, int(len(full) * 0.95))]
        print(
            f"{name:<20}{statistics.median(times):>10.1f}{p95:>9.1f}{times[-1]:>9.1f}"
            f"{statistics.median(hits):>15.0f}{full_p95:>13.1f}"
            f"  p95 <= {TARGET_MS:.0f} ms: {verdict}",
            flush=True,
        )
    print(f"worst p95: {worst:.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
