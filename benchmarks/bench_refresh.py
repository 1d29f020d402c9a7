"""Time a refresh of one big feed and the longest time it holds the library's write lock.

Usage: python benchmarks/bench_refresh.py [-n 5000]

Writes an RSS file of N entries (a paragraph of HTML each) to a temporary folder, follows
it as a local feed and refreshes it twice: the first refresh stores every entry, the second
finds them unchanged. Prints each refresh's seconds and its longest write transaction,
which is how long another writer (the app marking an article read) may have to wait.
"""

from __future__ import annotations

import argparse
import contextlib
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from reader.library import Library
from reader.library.feeds import add_feed, refresh
from reader.library.store import Library as StoreLibrary

TARGET_HOLD_S = 0.5


def feed_xml(count: int) -> str:
    items = "".join(
        f"<item><title>Entry {n}: markets and weather</title><guid>entry-{n}</guid>"
        f"<pubDate>Mon, 01 Jan 2024 {n % 24:02d}:{n % 60:02d}:00 GMT</pubDate>"
        f"<description>&lt;p&gt;Paragraph {n} of the feed, with &lt;b&gt;bold&lt;/b&gt; words"
        f" and 上海 外贸 新闻 text {'and more words ' * 20}&lt;/p&gt;</description></item>\n"
        for n in range(count)
    )
    head = '<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>'
    return f"{head}{items}</channel></rss>"


@contextlib.contextmanager
def timed_holds(holds: list[float]) -> Iterator[None]:
    """Record how long each outermost write transaction lasts."""
    original = StoreLibrary.transaction

    @contextlib.contextmanager
    def transaction(self: StoreLibrary) -> Iterator[None]:
        outer = not self.db.in_transaction
        started = time.perf_counter()
        with original(self):
            yield
        if outer:
            holds.append(time.perf_counter() - started)

    StoreLibrary.transaction = transaction  # type: ignore[method-assign]
    try:
        yield
    finally:
        StoreLibrary.transaction = original  # type: ignore[method-assign]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=5000, help="entries in the feed")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "big.xml"
        source.write_text(feed_xml(args.n), encoding="utf-8")
        db = Path(folder) / "lib.db"
        with Library(db) as library:
            add_feed(library, str(source), name="Big")
        print(f"feed of {args.n:,} entries ({source.stat().st_size / 2**20:.1f} MB)")
        for label in ("first refresh", "unchanged refresh"):
            holds: list[float] = []
            started = time.perf_counter()
            with timed_holds(holds):
                [result] = refresh(db)
            seconds = time.perf_counter() - started
            print(
                f"{label}: {seconds:.2f} s, {result.new:,} new; {len(holds)} write"
                f" transactions, longest {max(holds):.3f} s (target <= {TARGET_HOLD_S} s)"
            )


if __name__ == "__main__":
    main()
