"""Which extractor finds a news page's article best: trafilatura or readability-lxml, each
with its settings for news, on saved real pages whose article text is known.

Usage: python benchmarks/bench_extract.py --pages DIR [--only NAME ...] [--limit N]
       python benchmarks/bench_extract.py --pages DIR --scrapinghub CLONE --zh-handmade CLONE
              --gne CLONE          (first lays the three sets out in DIR from git clones)

DIR holds one folder per set of pages; the folder's name is the set's name:

    DIR/en-scrapinghub/ID.html.gz   a saved page, its bytes as served (.html or .html.gz)
    DIR/en-scrapinghub/ID.txt       its article text, UTF-8: the ground truth
    DIR/en-scrapinghub/ID.url       (optional) its address, for its relative links

The sets used so far (third-party data: keep it out of this repository), laid out by the
flags above from clones of:
- en-scrapinghub: github.com/scrapinghub/article-extraction-benchmark, 181 English news
  pages (html/ID.html.gz) and their hand-checked `articleBody` (ground-truth.json).
- zh-handmade: github.com/immortal-autumn/Chinese-Web-Content-Extraction-Dataset, 69 Chinese
  pages (news, blogs, government notices; original/ID.html, mostly GBK) and their text
  copied by hand (cleaned/ID.txt).
- zh-gne: github.com/kingname/GeneralNewsExtractor, the 20 Chinese portal news pages
  (tests/SITE/N.html) whose body its result.txt gives. That text is GNE's own extraction,
  not a person's: a second opinion, weaker than the hand-made sets.

Each page is decoded as the app decodes it (fulltext.page_text); each extractor's HTML goes
through the app's Markdown path (fulltext.markdown_from) and its plain text is compared
with the truth as a bag of tokens: a word for Latin text, each character for CJK text (so
Chinese is compared character by character). Printed per set and extractor: mean and
median F1, mean precision and recall (a failure scores 0 in all three), failures (no text),
pages under fulltext.MIN_WORDS, and CPU ms per page (process time: the machine is shared)
for the extractor and for the conversion after it.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import re
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reader.library.fulltext import MIN_WORDS, markdown_from, page_text  # noqa: E402
from reader.library.text import count_words, plain_text  # noqa: E402

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_TOKEN = re.compile(f"[{_CJK}]|[^\\W_{_CJK}]+")

Extractor = Callable[[str, str], str | None]  # (html, url) -> HTML, Markdown or None


def tokens(text: str) -> Counter[str]:
    """Words of Latin text (lower case), characters of CJK text; punctuation left out."""
    return Counter(_TOKEN.findall(text.lower()))


def scores(truth: Counter[str], found: Counter[str]) -> tuple[float, float, float]:
    """(precision, recall, F1) of `found` against `truth`, as bags of tokens."""
    common = sum((truth & found).values())
    if not common:
        return 0.0, 0.0, 0.0
    precision, recall = common / sum(found.values()), common / sum(truth.values())
    return precision, recall, 2 * precision * recall / (precision + recall)


# ---- the extractors, each with its settings for news --------------------------------------


def trafilatura_with(output: str = "html", **favour: bool) -> Extractor:
    def run(html: str, url: str) -> str | None:
        import trafilatura

        found: str | None = trafilatura.extract(
            html,
            url=url or None,
            output_format=output,
            include_comments=False,  # on by default; readers' comments are no article
            include_tables=True,
            include_images=True,
            include_formatting=True,
            include_links=True,
            **favour,
        )
        return found

    return run


def readability(html: str, url: str) -> str | None:
    from readability import Document

    summary: str = Document(html, url=url or None).summary(html_partial=True)
    return summary


EXTRACTORS: dict[str, tuple[Extractor, bool]] = {  # name: (extractor, gives HTML)
    "trafilatura": (trafilatura_with(), True),
    "trafilatura precision": (trafilatura_with(favor_precision=True), True),
    "trafilatura recall": (trafilatura_with(favor_recall=True), True),
    "trafilatura markdown": (trafilatura_with("markdown"), False),
    "readability-lxml": (readability, True),
}


# ---- pages and figures --------------------------------------------------------------------


@dataclass(frozen=True)
class SavedPage:
    name: str
    html: str
    url: str
    truth: Counter[str]


@dataclass
class Tally:
    f1: list[float] = field(default_factory=list)
    precision: list[float] = field(default_factory=list)
    recall: list[float] = field(default_factory=list)
    failures: int = 0
    short: int = 0
    extract_s: float = 0.0
    convert_s: float = 0.0


def load_set(folder: Path, limit: int | None) -> list[SavedPage]:
    pages = []
    for truth_file in sorted(folder.glob("*.txt"))[:limit]:
        stem = truth_file.with_suffix("")
        raw = stem.with_suffix(".html")
        if not raw.exists():
            raw = stem.with_suffix(".html.gz")
        data = raw.read_bytes()
        if raw.suffix == ".gz":
            data = gzip.decompress(data)
        url_file = stem.with_suffix(".url")
        url = url_file.read_text().strip() if url_file.exists() else ""
        text = truth_file.read_text(encoding="utf-8")
        pages.append(SavedPage(stem.name, page_text(data), url, tokens(text)))
    return pages


def measure(pages: list[SavedPage], extractor: Extractor, html_out: bool) -> Tally:
    tally = Tally()
    for page in pages:
        started = time.process_time()
        try:
            found = extractor(page.html, page.url)
        except Exception as exc:  # an extractor that breaks on a page fails that page
            print(f"  {page.name}: {type(exc).__name__}: {exc}"[:160], file=sys.stderr)
            found = None
        extracted = time.process_time()
        markdown = markdown_from(found, page.url) if found and html_out else found or ""
        text = plain_text(markdown)
        tally.convert_s += time.process_time() - extracted
        tally.extract_s += extracted - started
        got = tokens(text)
        if not got:
            tally.failures += 1
        if count_words(text)[0] < MIN_WORDS:
            tally.short += 1
        precision, recall, f1 = scores(page.truth, got)
        tally.precision.append(precision)
        tally.recall.append(recall)
        tally.f1.append(f1)
    return tally


def report(name: str, pages: list[SavedPage], tallies: dict[str, Tally]) -> None:
    print(f"\n{name}: {len(pages)} pages")
    print(
        f"  {'extractor':<22} {'F1 mean ± se':>13} {'median':>7} {'prec':>6} {'recall':>6}"
        f" {'fail':>5} {f'<{MIN_WORDS}w':>5} {'ms':>6} {'+md ms':>7}"
    )
    for extractor, t in tallies.items():
        n = len(t.f1)
        se = statistics.stdev(t.f1) / n**0.5 if n > 1 else 0.0
        print(
            f"  {extractor:<22} {statistics.mean(t.f1):>7.3f} ± {se:.3f}"
            f" {statistics.median(t.f1):>7.3f} {statistics.mean(t.precision):>6.3f}"
            f" {statistics.mean(t.recall):>6.3f} {t.failures:>5} {t.short:>5}"
            f" {1000 * t.extract_s / n:>6.1f} {1000 * t.convert_s / n:>7.1f}"
        )
    best = max(tallies, key=lambda name: statistics.mean(tallies[name].f1))
    for other in (name for name in tallies if name != best):  # paired: page by page
        diffs = [a - b for a, b in zip(tallies[best].f1, tallies[other].f1, strict=True)]
        se = statistics.stdev(diffs) / len(diffs) ** 0.5 if len(diffs) > 1 else 0.0
        better, worse = sum(d > 0.01 for d in diffs), sum(d < -0.01 for d in diffs)
        print(
            f"  {best} - {other}: F1 {statistics.mean(diffs):+.3f} ± {se:.3f},"
            f" better by 0.01+ on {better} pages, worse on {worse}"
        )


# ---- laying the sets out from clones of their repositories --------------------------------


def git_show(clone: Path, path: str) -> bytes:
    return subprocess.run(
        ["git", "-C", str(clone), "show", f"HEAD:{path}"], check=True, capture_output=True
    ).stdout


def git_files(clone: Path, folder: str) -> list[str]:
    listed = subprocess.run(
        ["git", "-C", str(clone), "ls-tree", "-r", "--name-only", "HEAD", folder],
        check=True,
        capture_output=True,
        text=True,
    )
    return listed.stdout.split()


def lay_out(pages: Path, args: argparse.Namespace) -> None:
    if args.scrapinghub:
        out = pages / "en-scrapinghub"
        out.mkdir(parents=True, exist_ok=True)
        truth = json.loads(git_show(args.scrapinghub, "ground-truth.json"))
        for key, item in truth.items():
            (out / f"{key}.html.gz").write_bytes(git_show(args.scrapinghub, f"html/{key}.html.gz"))
            (out / f"{key}.txt").write_text(item["articleBody"], encoding="utf-8")
            (out / f"{key}.url").write_text(item.get("url") or "")
    if args.zh_handmade:
        out = pages / "zh-handmade"
        out.mkdir(parents=True, exist_ok=True)
        for path in git_files(args.zh_handmade, "original"):
            stem = Path(path).stem
            (out / f"{stem}.html").write_bytes(git_show(args.zh_handmade, path))
            (out / f"{stem}.txt").write_bytes(git_show(args.zh_handmade, f"cleaned/{stem}.txt"))
    if args.gne:
        out = pages / "zh-gne"
        out.mkdir(parents=True, exist_ok=True)
        results = git_show(args.gne, "result.txt").decode("utf-8")
        for path, body in re.findall(r">{5,}(tests/\S+?)>{5,}\n(.*?)\n<{5,}", results, re.S):
            stem = path.removeprefix("tests/").removesuffix(".html").replace("/", "-")
            (out / f"{stem}.html").write_bytes(git_show(args.gne, path))
            (out / f"{stem}.txt").write_text(json.loads(body)["content"], encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=Path, required=True, help="one folder per set")
    parser.add_argument("--only", nargs="*", help="extractors to run (default: all)")
    parser.add_argument("--limit", type=int, help="the first N pages of each set")
    for flag in ("--scrapinghub", "--zh-handmade", "--gne"):
        parser.add_argument(flag, type=Path, metavar="CLONE", help="lay this set out first")
    args = parser.parse_args()
    if args.scrapinghub or args.zh_handmade or args.gne:
        lay_out(args.pages, args)
    chosen = {n: e for n, e in EXTRACTORS.items() if not args.only or n in args.only}
    for name in list(chosen):  # (trafilatura is no dependency of the app: pip install it)
        if importlib.util.find_spec(name.split()[0].removesuffix("-lxml")) is None:
            print(f"{name}: not installed, left out", file=sys.stderr)
            del chosen[name]
    sets = sorted(p for p in args.pages.iterdir() if p.is_dir())
    if not sets or not chosen:
        sys.exit(f"nothing to measure: no set of pages in {args.pages}, or no extractor")
    for extractor, _ in chosen.values():  # imports and first-call set-up are not timed
        extractor("<html><body><p>warm up</p></body></html>", "")
    for folder in sets:
        pages = load_set(folder, args.limit)
        report(folder.name, pages, {n: measure(pages, *e) for n, e in chosen.items()})
    versions = (f"{name} {_version(name)}" for name in ("trafilatura", "readability-lxml"))
    print("\n" + ", ".join(versions))


def _version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "(not installed)"


if __name__ == "__main__":
    main()
