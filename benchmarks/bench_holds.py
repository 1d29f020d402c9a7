"""How long our long jobs keep another writer waiting.

Usage: python benchmarks/bench_holds.py [-n 20000] [--posts DIR]

Runs each long writer of newsreader as its own process, on a library of N generated posts
(benchmarks/generate.py), while this process plays the app: every 50 ms it writes one small
change through `Library.transaction()` and times how long it waited for its turn. Prints,
for each job, how long it ran, how many changes got in meanwhile, and the longest wait.
Target: no change waits more than ~1 s (issue 17).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench_import import cli_command, count_posts

from reader.library import Library

TARGET_S = 1.0
EVERY = 0.05  # seconds between two changes of the prober


class Prober:
    """Writes a tiny change every EVERY seconds, as the app would, and times each wait."""

    def __init__(self, library: Path) -> None:
        self.path, self.waits, self.stop = library, [], threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        library = Library(self.path)
        library.wait_limit = None
        n = 0
        while not self.stop.is_set():
            started = time.perf_counter()
            library.set_setting("bench.probe", str(n))
            self.waits.append(time.perf_counter() - started)
            n += 1
            self.stop.wait(EVERY)
        library.close()

    def __enter__(self) -> Prober:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()


MARK_ALL = (
    "import sys; from reader.library import Library; library = Library(sys.argv[1]);"
    " library.set_read(library.ids()); library.set_bookmark(library.ids()[::10], True)"
)


def job(label: str, library: Path, *args: str, python: str = "") -> None:
    if python:
        command = [sys.executable, "-c", python, str(library)]
    else:
        command = [*cli_command(), "--library", str(library), *args]
    with Prober(library) as prober:
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True)
        seconds = time.perf_counter() - started
    if done.returncode:
        print(f"{label:<28} FAILED: {done.stderr.strip()[-300:]}")
        return
    waits = prober.waits or [0.0]
    print(
        f"{label:<28} {seconds:>7.1f} s  {len(waits):>5} changes got in  "
        f"longest wait {max(waits):.2f} s  median {statistics.median(waits) * 1000:.0f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=20000, help="posts to generate (default 20000)")
    parser.add_argument("--posts", type=Path, help="use these posts instead of generating")
    a = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        posts = a.posts
        if posts is None:
            posts = Path(tmp) / "posts"
            here = Path(__file__).parent
            subprocess.run(
                [sys.executable, str(here / "generate.py"), str(posts), "-n", str(a.n)],
                check=True,
                capture_output=True,
            )
        files, _ = count_posts(posts)
        library = Path(tmp) / "library.db"
        Library(library).close()
        print(
            f"{files:,} posts; a change every {EVERY * 1000:.0f} ms meanwhile (target: "
            f"longest wait <= {TARGET_S:.0f} s)"
        )
        job("import", library, "import", str(posts))
        job("re-import (unchanged)", library, "import", str(posts))
        job("doctor --rebuild-index", library, "doctor", "--rebuild-index")
        with Library(library) as opened:
            tag = max(opened.facets("tag"), key=lambda facet: facet.count)
        job(f"tags rename ({tag.count:,} posts)", library, "tags", "rename", tag.name, "改名")
        job("mark every post read", library, python=MARK_ALL)
        state = Path(tmp) / "state.yaml"
        subprocess.run(
            [*cli_command(), "--library", str(library), "export-state", str(state)],
            check=True,
            capture_output=True,
        )
        job("import-state", library, "import-state", str(state))
    return 0


if __name__ == "__main__":
    sys.exit(main())
