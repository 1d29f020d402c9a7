"""Time syncing a library with a real FreshRSS on loopback: a first sync of N items, a sync
where nothing changed, and one that sends 100 changes.

Usage: python benchmarks/bench_sync.py [-n 5000] [--runs 5]

Needs PHP and ../shared/servers/freshrss (tests/freshrss.py starts a private copy on a
free loopback port). Serves one RSS feed of N entries on loopback, subscribes a new user
to it (FreshRSS fetches it), marks a third of the items read and 100 starred on the server,
then syncs a new library with it. Targets (issue 20): first sync of 5,000 items <= 30 s,
a sync where nothing changed <= 1 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_refresh import feed_xml  # noqa: E402
from freshrss import API_PASSWORD, USER, FreshRSS, absent  # noqa: E402

from reader.library import Library  # noqa: E402
from reader.library.greader import READ, STARRED, GReader  # noqa: E402
from reader.library.sync import add_account, sync  # noqa: E402

FIRST_TARGET_S, QUIET_TARGET_S = 30.0, 1.0


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=5000, help="items on the server")
    parser.add_argument("--runs", type=int, default=5, help="syncs where nothing changed")
    args = parser.parse_args()
    reason = absent()
    if reason:
        sys.exit(f"bench_sync: {reason}")
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        (folder / "feeds").mkdir()
        (folder / "feeds" / "big.xml").write_text(feed_xml(args.n), encoding="utf-8")
        handler = partial(_Quiet, directory=str(folder / "feeds"))
        web = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=web.serve_forever, daemon=True).start()
        server = FreshRSS.start(folder / "freshrss")
        try:
            run(server, f"http://127.0.0.1:{web.server_address[1]}/big.xml", folder, args)
        finally:
            server.stop()
            web.shutdown()


def run(server: FreshRSS, feed: str, folder: Path, args: argparse.Namespace) -> None:
    client = GReader(server.api, USER, API_PASSWORD, timeout=300)
    started = time.perf_counter()
    client.subscribe(feed)
    ids = client.item_ids()
    print(f"FreshRSS fetched the feed: {len(ids)} items in {time.perf_counter() - started:.1f} s")
    client.edit_tags(ids[: len(ids) // 3], add=[READ])
    client.edit_tags(ids[-100:], add=[STARRED])
    path = folder / "library.db"
    with Library(path) as library:
        add_account(library, server.api, USER, API_PASSWORD, name="bench")
    started = time.perf_counter()
    [first] = sync(path, timeout=300)
    first_s = time.perf_counter() - started
    assert first.error is None, first.error
    print(f"first sync: {first_s:.2f} s ({first.line()}); target <= {FIRST_TARGET_S:g} s")
    quiet = []
    for _ in range(args.runs):
        started = time.perf_counter()
        [again] = sync(path)
        quiet.append(time.perf_counter() - started)
        assert (again.new, again.pulled, again.pushed) == (0, 0, 0), again.line()
    print(
        f"sync, nothing changed: median {statistics.median(quiet):.3f} s, max {max(quiet):.3f} s"
        f" over {args.runs} runs; target <= {QUIET_TARGET_S:g} s"
    )
    with Library(path) as library:
        articles = library.db.execute("SELECT article_id FROM synced LIMIT 100").fetchall()
        library.set_read([a for (a,) in articles], True)
        library.tag([a for (a,) in articles[:20]], add=["bench"])
    started = time.perf_counter()
    [sent] = sync(path)
    print(f"sync sending 100 changes: {time.perf_counter() - started:.2f} s ({sent.line()})")


if __name__ == "__main__":
    main()
