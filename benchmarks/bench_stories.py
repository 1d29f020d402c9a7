"""Stories: precision and recall of grouping on a labelled set, and its cost at import.

Usage: python benchmarks/bench_stories.py [-n 3000] [--seed 1] [--corpus DIR] [--show 5]
       python benchmarks/bench_stories.py --cost 100000 [--keep DIR] [--runs 2]

The labelled set: N synthetic finews-shaped posts (generate.py) and the real posts of
--corpus (default ../shared/corpus/finews, when present) are the originals, each its own
story; a tenth of them get near-copies from other sources, a day or so later, each made
one way: `edited` (a dateline and a source line added, a sentence dropped, numbers and
words changed), `reordered` (paragraphs shuffled), `headline` (another title, one sentence
changed), `traditional` (the whole copy in Traditional script), `excerpt` (the first 60%:
what a feed carries). Everything is imported into a fresh library; every pair of articles
the library put in one story is a predicted pair, every pair of an original and its
copies (or of two copies) a true one, and the pairs of real posts that `SAME` names.

--cost imports N synthetic posts into fresh libraries, in turn as the code is and with
stories switched off (their sketch and grouping replaced by nothing, in this process and
its forked workers), --runs times each, and prints the difference of the best and of the
medians.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from itertools import combinations
from pathlib import Path
from typing import NamedTuple

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from reader.library import Library  # noqa: E402
from reader.library.body import plain_of  # noqa: E402
from reader.library.ingest import import_paths  # noqa: E402
from reader.library.parse import parse_bytes  # noqa: E402

CORPUS = HERE.parent.parent / "shared" / "corpus" / "finews"
KINDS = ("edited", "reordered", "headline", "traditional", "excerpt")
SOURCES = ("经济参考网", "21财经", "证券时报", "上海证券报", "财联社", "新浪财经")
# Posts of the real corpus that carry one story (found by the grouping, checked by eye):
SAME = [("2021-12-08-202112082206748961.md", "2021-12-08-202112082206749391.md")]
TARGET_COST = 0.15  # of the import's time, at 100,000 posts


def generate(out: Path, n: int, seed: int) -> None:
    subprocess.run(
        [sys.executable, str(HERE / "generate.py"), str(out), "-n", str(n), "--seed", str(seed)],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def _sentences(paragraph: str) -> list[str]:
    return [s for s in re.split(r"(?<=[。！？.!?])", paragraph) if s.strip()]


def copy_of(kind: str, title: str, text: str, rng: random.Random) -> tuple[str, str]:
    """A near-copy of an article's title and plain text, made `kind`'s way."""
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    if kind == "edited":
        source = rng.choice(SOURCES)
        sentences = [s for p in paragraphs for s in _sentences(p)]
        if len(sentences) > 4:
            del sentences[rng.randrange(len(sentences))]
        if sentences:  # one sentence's numbers changed
            at = rng.randrange(len(sentences))
            sentences[at] = re.sub(r"\d", lambda m: str(rng.randrange(10)), sentences[at])
        paragraphs = [f"【{source}】{''.join(sentences)}", f"（来源：{source}）"]
    elif kind == "reordered":
        if len(paragraphs) > 2:
            rng.shuffle(paragraphs)
        else:
            sentences = [s for p in paragraphs for s in _sentences(p)]
            rng.shuffle(sentences)
            paragraphs = ["".join(sentences)]
    elif kind == "headline":
        title = f"{rng.choice(SOURCES)}：{title[::-1][:12]}后续"
        sentences = [s for p in paragraphs for s in _sentences(p)]
        if sentences:
            sentences[rng.randrange(len(sentences))] = "记者获悉，相关方面表示将持续关注。"
        paragraphs = ["".join(sentences)]
    elif kind == "traditional":
        import opencc

        convert = opencc.OpenCC("s2t.json").convert
        title, paragraphs = convert(title), [convert(p) for p in paragraphs]
    elif kind == "excerpt":
        joined = "\n\n".join(paragraphs)
        paragraphs = [joined[: max(1, len(joined) * 6 // 10)]]
    return title, "\n\n".join(paragraphs)


def labelled_set(posts: Path, copies: Path, seed: int) -> dict[str, tuple[int, str]]:
    """Write near-copies of a tenth of the posts; returns path -> (label, kind)."""
    rng = random.Random(seed)
    labels: dict[str, tuple[int, str]] = {}
    files = sorted(  # (rglob does not follow the corpus's link)
        p
        for folder in (posts, posts / "finews")
        for p in folder.rglob("*")
        if p.suffix in (".md", ".html", ".markdown")
    )
    same = {b: a for a, b in SAME}
    first: dict[str, int] = {}
    for label, path in enumerate(files):
        first[path.name] = label
        labels[str(path.resolve())] = (first.get(same.get(path.name, ""), label), "original")
        if rng.random() >= 0.1:
            continue
        try:
            article = parse_bytes(path.read_bytes(), str(path))
        except Exception:  # (the corpus's one post without a date, and the like)
            continue
        text = article.text or plain_of(article.kind, str(article.body))
        try:
            when = datetime.fromisoformat(article.date or "")
        except ValueError:
            when = datetime(2024, 1, 1)
        for number in range(rng.choice((1, 1, 2, 3))):
            kind = rng.choice(KINDS)
            title, body = copy_of(kind, article.title, text, rng)
            name = copies / f"{label}-{number}-{kind}.md"
            later = when + timedelta(hours=rng.randrange(36))
            name.write_text(
                f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\n"
                f"date: {later:%Y-%m-%d %H:%M:%S}\ntags: [{rng.choice(SOURCES)}]\n"
                f"---\n{body}\n",
                encoding="utf-8",
            )
            labels[str(name.resolve())] = (label, kind)
    return labels


class Score(NamedTuple):
    """How the library grouped a labelled set."""

    articles: int
    true_pairs: int
    stories: int
    predicted_pairs: int
    precision: float
    recall: float
    by_kind: dict[str, tuple[int, int]]  # kind -> (copies found, copies)
    wrong: list[tuple[str, str]]  # titles of false pairs


def score(n: int, seed: int, corpus: Path | None, show: int = 5) -> Score:
    """Make the labelled set in a temporary folder, import it, and score the stories."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        posts, copies = root / "posts", root / "copies"
        generate(posts, n, seed)
        if corpus and corpus.is_dir():
            (posts / "finews").symlink_to(corpus)
        copies.mkdir()
        labels = labelled_set(posts, copies, seed)
        with Library(root / "lib.db") as library:
            import_paths(library, [posts, copies])
            path_of = dict(library.db.execute("SELECT id, path FROM articles"))
            title_of = dict(library.db.execute("SELECT id, title FROM articles"))
            label_of = {
                i: labels.get(str(Path(p).resolve()), (-i, "other")) for i, p in path_of.items()
            }
            stories = library.stories()
    predicted = {frozenset(pair) for ids in stories for pair in combinations(ids, 2)}
    by_label: dict[int, list[int]] = {}
    for i, (label, _) in label_of.items():
        by_label.setdefault(label, []).append(i)
    true = {frozenset(p) for ids in by_label.values() for p in combinations(ids, 2)}
    hit = predicted & true
    by_kind = {}
    for kind in KINDS:
        pairs = [
            frozenset((i, o))
            for i, (label, k) in label_of.items()
            if k == kind
            for o in by_label[label]
            if label_of[o][1] == "original"
        ]
        by_kind[kind] = (sum(1 for p in pairs if p in predicted), len(pairs))
    wrong = [
        (title_of[a], title_of[b])
        for a, b in (sorted(p) for p in sorted(predicted - true, key=sorted))
    ][:show]
    return Score(
        len(path_of),
        len(true),
        len(stories),
        len(predicted),
        len(hit) / len(predicted) if predicted else 1.0,
        len(hit) / len(true) if true else 1.0,
        by_kind,
        wrong,
    )


def measure(n: int, seed: int, corpus: Path | None, show: int) -> None:
    found = score(n, seed, corpus, show)
    print(f"labelled set: {found.articles:,} articles, {found.true_pairs:,} true pairs")
    print(f"stories found: {found.stories:,}, {found.predicted_pairs:,} pairs")
    print(f"precision {found.precision:.3f}   recall {found.recall:.3f}")
    for kind, (hits, total) in found.by_kind.items():
        print(f"  recall of {kind:<12} copies: {hits}/{total}")
    for a, b in found.wrong:
        print(f"  false pair: {a[:40]!r} ~ {b[:40]!r}")


def cost(n: int, keep: Path | None, runs: int) -> None:
    """Import N posts with stories and without (see the module's doc)."""
    import reader.library.indexing as indexing
    from reader.library.stories import StoryMixin

    with tempfile.TemporaryDirectory() as tmp:
        posts = keep or Path(tmp) / "posts"
        if not posts.is_dir() or not any(posts.iterdir()):
            generate(posts, n, 1)
        times = {}
        for run, switched_off in [("with stories", False), ("without", True)] * runs:
            sketch, group = indexing.sketch, StoryMixin.group_stories
            if switched_off:
                indexing.sketch = lambda text: None  # type: ignore[assignment]
                StoryMixin.group_stories = lambda self, sketched: None  # type: ignore[method-assign]
            try:
                path = Path(tmp) / f"{run}-{len(times.get(switched_off, []))}.db"
                start = time.perf_counter()
                with Library(path) as library:
                    import_paths(library, [posts])
                times.setdefault(switched_off, []).append(time.perf_counter() - start)
            finally:
                indexing.sketch, StoryMixin.group_stories = sketch, group  # type: ignore[method-assign]
            print(f"{run:<14} {times[switched_off][-1]:7.1f} s", flush=True)
        for how, pick in (("best", min), ("median", statistics.median)):
            with_, without = pick(times[False]), pick(times[True])
            share = (with_ - without) / without
            print(
                f"stories cost {with_ - without:+.1f} s = {share:+.1%} of the import's time"
                f" ({how} of {len(times[False])}; target <= {TARGET_COST:.0%} at 100,000 posts)"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--show", type=int, default=5, help="false pairs to print")
    parser.add_argument("--cost", type=int, metavar="N", help="time the import of N posts")
    parser.add_argument("--keep", type=Path, help="with --cost: posts folder to use")
    parser.add_argument("--runs", type=int, default=2, help="with --cost: pairs of imports")
    args = parser.parse_args()
    if args.cost:
        cost(args.cost, args.keep, args.runs)
    else:
        measure(args.n, args.seed, args.corpus, args.show)


if __name__ == "__main__":
    main()
