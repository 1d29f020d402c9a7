"""Time newsreader's UI in a real pseudo-terminal: first paint, key latency, opening, RSS.

Usage: python benchmarks/bench_ui.py --library LIB.db [--size 120x40] [--keys 200] [--runs 3]
       python benchmarks/bench_ui.py --importing FOLDER [--size 120x40] [--keys 200] [--runs 3]

Each run spawns `newsreader --library LIB` in a pty (TERM=xterm-256color); a thread timestamps
output as it arrives. First paint, with pyte: the chunk after which the list's border title
(`All · 100000`) sits above a drawn row (bare Textual app: its Static's text shows; the
skeleton of the panes, skeleton_app.py: its list shows; both run between the app's runs). Without
pyte: the last byte of the first burst (1 KB+, then 150 ms quiet), an upper bound. Keys: `g`,
then `j` N times, key write to first output byte, 50 ms quiet between. Opening: `enter` (`h`,
`j` before the next) to the first byte, to a new Date/Source header on screen (pyte) and to the
last byte before 200 ms quiet (body, then the sidebar's unread counts). Pane switches: `tab`
to the first byte and to the last before 100 ms quiet. A warm-up run (page
cache, schema migration) is not counted. The open article, read flags and settings the app
saves are put back after each run, so runs start alike and the library is left as found.

`--importing FOLDER` times `newsreader --library EMPTY FOLDER` instead (a new empty library
each run, in a temporary folder; needs pyte): the time until the first article row of
FOLDER's source is on screen, the cursor key `j`/`k` while the import runs (key written to
the cursor drawn on its new row, as pyte sees it: the list redraws by itself meanwhile, so
the first byte says nothing), and when the progress line says the listing is done and when
it goes. `q` ends each run (and stops the import if it still runs).
"""

from __future__ import annotations

import argparse
import fcntl
import os
import queue
import re
import signal
import sqlite3
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager, nullcontext, suppress
from pathlib import Path

try:
    import pyte
except ImportError:  # the quiet-output method is used instead
    pyte = None

HERE = Path(__file__).resolve().parent
TARGET_PAINT_S, TARGET_RATIO, TARGET_KEY_MS, TARGET_OPEN_MS, TARGET_RSS_MB = 1.0, 1.3, 16, 100, 200
BARE_TEXT = "bare app ready"
BARE_APP = "from textual.app import App\nfrom textual.widgets import Static\n" + (
    f"class Bare(App):\n    def compose(self):\n        yield Static({BARE_TEXT!r})\nBare().run()\n"
)
TITLE = re.compile(r" · \d+")
HEADER = re.compile(r"(Date|Source) {2,}\S")


class Term:
    """A child process in a pty of a given size, its output optionally kept on a pyte screen."""

    def __init__(self, argv: list[str], cols: int, rows: int) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
        env["TERM"] = "xterm-256color"
        self.screen = pyte.Screen(cols, rows) if pyte else None
        self.stream = pyte.ByteStream(self.screen) if pyte else None
        self.chunks: queue.SimpleQueue[tuple[float, bytes]] = queue.SimpleQueue()
        self.bytes = 0
        self.start = time.perf_counter()
        self.proc = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
        )
        os.close(slave)
        self.pump = threading.Thread(target=self._pump, daemon=True)
        self.pump.start()

    def _pump(self) -> None:
        """Timestamp output as it arrives: feeding pyte is slow and must not delay that."""
        while True:
            try:
                data = os.read(self.master, 1 << 16)
            except OSError:
                data = b""
            self.chunks.put((time.perf_counter(), data))
            if not data:
                return

    def read(self, timeout: float, feed: bool = True) -> tuple[float, bytes]:
        """One chunk of output and when it arrived; b"" on timeout. EOFError when it ended."""
        try:
            when, data = self.chunks.get(timeout=max(0.0, timeout))
        except queue.Empty:
            return time.perf_counter(), b""
        if not data:
            self.chunks.put((when, data))  # stays ended for later reads
            raise EOFError("the app exited; its last screen:\n" + self.text())
        self.bytes += len(data)
        if feed and self.stream is not None:
            self.stream.feed(data)
        return when, data

    def text(self) -> str:
        """The screen as text. Built from the cells, as pyte's own `display` fails on an
        empty cell beside a wide character."""
        if not self.screen:
            return "(no pyte)"
        buf, cols = self.screen.buffer, self.screen.columns
        rows = ("".join(buf[y][x].data for x in range(cols)) for y in range(self.screen.lines))
        return "\n".join(rows).rstrip()

    def until(self, done: Callable[[], bool], limit: float = 30.0) -> float:
        """Read until done() holds after a chunk; returns that chunk's arrival time."""
        end = time.perf_counter() + limit
        while time.perf_counter() < end:
            when, data = self.read(end - time.perf_counter())
            if data and done():
                return when
        raise TimeoutError("the screen never showed what was awaited:\n" + self.text())

    def quiet(self, gap: float, limit: float = 30.0, least: int = 0) -> float:
        """Read until `gap` s pass without output (after `least` bytes); time of the last byte."""
        last, end, start = time.perf_counter(), time.perf_counter() + limit, self.bytes
        while time.perf_counter() < end:
            when, data = self.read(gap)
            if data:
                last = when
            elif self.bytes - start >= least:
                return last
        raise TimeoutError("the output never went quiet")

    def key(self, key: bytes, timeout: float = 2.0) -> tuple[float, float]:
        """Write a key; returns (time written, arrival of the first output byte)."""
        sent = time.perf_counter()
        os.write(self.master, key)
        when, data = self.read(timeout)
        if not data:
            raise TimeoutError(f"no output within {timeout} s after key {key!r}")
        return sent, when

    def peak_rss_mb(self) -> float:
        status = Path(f"/proc/{self.proc.pid}/status").read_text()
        return int(re.search(r"VmHWM:\s*(\d+)", status)[1]) / 1024  # type: ignore[index]

    def close(self, quit_key: bytes) -> None:
        """Quit with quit_key, else SIGTERM, then SIGKILL; always reap. The pump drains output."""
        with suppress(OSError):
            os.write(self.master, quit_key)
        for sig in (None, signal.SIGTERM, signal.SIGKILL):
            with suppress(ProcessLookupError):
                if sig is not None:
                    os.killpg(self.proc.pid, sig)
            with suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=5)
                break
        self.pump.join(timeout=2)
        os.close(self.master)


def first_paint(term: Term, shown: Callable[[], bool]) -> float:
    if term.screen is None:
        return term.quiet(0.15, least=1024) - term.start
    return term.until(shown) - term.start


def list_shown(term: Term) -> bool:
    """The list's border title (`All · 100000`) with text in the row below it."""
    lines = term.text().split("\n")
    for above, row in zip(lines, lines[1:]):  # noqa: B905
        if title := TITLE.search(above):
            return bool(row[max(0, title.start() - 6) : title.end()].strip(" │"))
    return False


def run_app(
    argv: list[str], size: tuple[int, int], keys: int, opens: int, tabs: int
) -> dict[str, list]:
    term, out = Term(argv, *size), defaultdict(list)
    try:
        out["paint"].append(first_paint(term, lambda: list_shown(term)))
        term.quiet(0.5)  # sidebar counts and the saved article arrive after the first paint
        term.key(b"g")
        term.quiet(0.05)
        for _ in range(keys):
            sent, first = term.key(b"j")
            out["keys"].append((first - sent) * 1000)
            term.quiet(0.05)
        for n in range(opens):
            for key in (b"h", b"j") if n else ():
                term.key(key)
                term.quiet(0.05)
            before = term.text()
            sent, first = term.key(b"\r")
            out["open_byte"].append((first - sent) * 1000)
            if term.screen is not None:
                # the new article's header: the screen changed and shows a Date/Source line
                done = lambda b=before: (t := term.text()) != b and bool(HEADER.search(t))  # noqa: E731
                shown = first if done() else term.until(done, 10)
                out["open_text"].append((shown - sent) * 1000)
            out["open_quiet"].append((term.quiet(0.2) - sent) * 1000)
        for _ in range(tabs):  # the focus moves: the key bar shows the new pane's keys
            sent, first = term.key(b"\t")
            out["tab_byte"].append((first - sent) * 1000)
            out["tab_quiet"].append((term.quiet(0.1) - sent) * 1000)
        out["rss"].append(term.peak_rss_mb())
    finally:
        term.close(b"q")
    return out


def source_title(term: Term, name: str) -> tuple[int, int, int] | None:
    """Where the list's title `NAME · N` is: (row, column, N)."""
    for y, line in enumerate(term.text().split("\n")):
        if match := re.search(re.escape(name) + r" · (\d+)", line):
            return y, match.start(), int(match[1])
    return None


def first_row_shown(term: Term, name: str) -> bool:
    """An article row under the title of the folder's source."""
    where = source_title(term, name)
    if where is None or where[2] == 0:
        return False
    y, x, _count = where
    row = term.text().split("\n")[y + 1]
    return bool(row[max(0, x - 6) : x + len(name)].strip(" │"))


def list_rows(term: Term, title: tuple[int, int, int]) -> range:
    """The rows of the list on screen (under its title, above its bottom border)."""
    y, x, _count = title
    assert term.screen is not None
    buf = term.screen.buffer
    left = term.text().split("\n")[y].rfind("╭", 0, x)
    bottom = next(
        (r for r in range(y + 1, term.screen.lines) if buf[r][left].data == "╰"), term.screen.lines
    )
    return range(y + 1, bottom)


def cursor_row(term: Term, rows: range, column: int, background: str) -> int | None:
    assert term.screen is not None
    buf = term.screen.buffer
    return next((r for r in rows if buf[r][column].bg == background), None)


def importing_line(term: Term) -> str:
    """The import's progress line, or "" when it is gone."""
    text = term.text()
    match = re.search(r"(Importing[^\n│]*|Indexing for search[^\n│]*|Stopping the import)", text)
    return match[0].strip() if match else ""


def drain(term: Term, seconds: float) -> None:
    end = time.perf_counter() + seconds
    while (left := end - time.perf_counter()) > 0:
        term.read(left)


def run_importing(exe: Path, folder: Path, size: tuple[int, int], keys: int) -> dict[str, list]:
    """One run of `newsreader --library NEW FOLDER` (see the module's docstring)."""
    out: dict[str, list] = defaultdict(list)
    with tempfile.TemporaryDirectory() as tmp:
        library = Path(tmp, "library.db")
        term = Term([str(exe), "--library", str(library), str(folder)], *size)
        try:
            name = folder.resolve().name
            out["first_row"].append(
                term.until(lambda: first_row_shown(term, name), 120) - term.start
            )
            title = source_title(term, name)
            assert title is not None
            rows, column = list_rows(term, title), title[1]
            while title[2] <= len(rows) and importing_line(term):  # until the list can scroll
                drain(term, 0.2)
                title = source_title(term, name) or title
            os.write(term.master, b"g")
            drain(term, 0.2)
            assert term.screen is not None
            background = term.screen.buffer[rows[0]][column].bg  # the cursor's, on row one
            listed = None
            for n in range(keys):
                line = importing_line(term)
                if not line:
                    break
                if listed is None and line.startswith("Indexing"):
                    listed = time.perf_counter() - term.start
                key, step = (b"j", 1) if n % 2 == 0 else (b"k", -1)
                before = cursor_row(term, rows, column, background)
                if before is None:
                    break
                sent = time.perf_counter()
                os.write(term.master, key)
                moved = term.until(
                    lambda b=before, s=step: cursor_row(term, rows, column, background) == b + s, 5
                )
                out["keys"].append((moved - sent) * 1000)
                drain(term, 0.05)
            while line := importing_line(term):
                if listed is None and line.startswith("Indexing"):
                    listed = time.perf_counter() - term.start
                drain(term, 0.1)
            if listed is not None:
                out["listed"].append(listed)
            out["done"].append(time.perf_counter() - term.start)
            out["rss"].append(term.peak_rss_mb())
            final = source_title(term, name)
            out["articles"].append(final[2] if final else 0)
        finally:
            term.close(b"q")
            term.proc.wait(timeout=10)
    return out


def main_importing(
    exe: Path, folder: Path, size: tuple[int, int], args: argparse.Namespace
) -> int | str:
    if pyte is None:
        return "bench_ui --importing needs pyte (pip install pyte)"
    results: dict[str, list] = defaultdict(list)
    for run in range(args.runs):
        out = run_importing(exe, folder, size, args.keys)
        print(
            f"run {run + 1}/{args.runs}: first row {out['first_row'][0]:.3f} s, listed "
            + (f"{out['listed'][0]:.1f} s" if out["listed"] else "(not seen)")
            + f", line gone {out['done'][0]:.1f} s, {out['articles'][0]} articles, "
            f"{len(out['keys'])} keys",
            flush=True,
        )
        for key, values in out.items():
            results[key] += values
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    cols, rows = size
    print(f"\nnewsreader --library EMPTY {folder}  {cols}x{rows}  runs={args.runs}")
    print(f"{os.cpu_count()} cores, load average {load}: other work on the machine slows figures")
    show("first article row on screen", results["first_row"], "s", "<= 2 s")
    show("listing done (line says Indexing)", results["listed"], "s", "-")
    show("progress line gone (import done)", results["done"], "s", "-")
    n_keys = len(results["keys"])
    show(f"j/k while importing (n={n_keys})", results["keys"], "ms", "-", top=True)
    show("peak RSS of the app (VmHWM)", results["rss"], "MB", f"<= {TARGET_RSS_MB} MB")
    return 0


def run_reference(script: Path, size: tuple[int, int]) -> float:
    """First paint of the bare app (its text shows) or the skeleton (its list shows)."""
    term = Term([sys.executable, str(script)], *size)
    try:
        return first_paint(term, lambda: BARE_TEXT in term.text() or list_shown(term))
    finally:
        term.close(b"\x11")  # ctrl+q quits a Textual app


@contextmanager
def kept_state(library: Path) -> Iterator[None]:
    """Put back the settings and read flags the app saves, so runs start alike."""
    query = "SELECT id FROM articles WHERE read = 1"
    with closing(sqlite3.connect(library, timeout=10)) as db:
        settings, read = db.execute("SELECT * FROM settings").fetchall(), set(db.execute(query))
    try:
        yield
    finally:
        with closing(sqlite3.connect(library, timeout=10)) as db, db:
            now = set(db.execute(query))
            db.executemany("UPDATE articles SET read = 0 WHERE id = ?", now - read)
            db.executemany("UPDATE articles SET read = 1 WHERE id = ?", read - now)
            db.execute("DELETE FROM settings")
            db.executemany("INSERT INTO settings(key, value) VALUES (?, ?)", settings)


def show(name: str, values: list[float], unit: str, target: str, top: bool = False) -> None:
    if not values:
        return
    p95 = statistics.quantiles(values, n=20, method="inclusive")[18] if values[1:] else values[0]
    f = ".3f" if unit == "s" else ".1f"
    fig = f"median {statistics.median(values):7{f}} {unit:2}  p95 {p95:7{f}} {unit:2}"
    fig += f"  max {max(values):7{f}} {unit:2}" if top else ""
    print(f"{name:<34} {fig:<52} target {target}")


def main() -> int | str:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--library", type=Path)
    which.add_argument(
        "--importing",
        type=Path,
        metavar="FOLDER",
        help="time `newsreader FOLDER` with an empty library instead",
    )
    parser.add_argument("--size", default="120x40", help="COLSxROWS (default 120x40)")
    parser.add_argument("--keys", type=int, default=200, help="j presses per run")
    parser.add_argument("--opens", type=int, default=5, help="articles opened per run")
    parser.add_argument("--tabs", type=int, default=10, help="tab presses per run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=1, help="uncounted runs first")
    args = parser.parse_args()
    sys.setswitchinterval(1e-4)  # the pump thread must get the GIL at once to timestamp output
    cols, rows = (int(v) for v in args.size.lower().split("x"))
    exe = Path(sys.executable).with_name("newsreader")  # the app and the bare app: one python
    if not exe.exists():
        return f"bench_ui: no {exe}: run this with the python of newsreader's virtualenv"
    if args.importing:
        return main_importing(exe, args.importing, (cols, rows), args)
    argv = [str(exe), "--library", str(args.library)]
    if pyte is None:
        print("pyte is missing (pip install pyte): first paint is timed as the end of the first")
        print("burst of output, an upper bound, and the article header is not looked for.")
    if not any(Path(sys.prefix).glob("lib/python*/site-packages/reader/__pycache__")):
        print("newsreader is not installed with its bytecode (an editable install, or")
        print("PYTHONDONTWRITEBYTECODE): each start compiles it. Time a `pip install .` instead.")
    if not args.library.exists():
        print(f"{args.library} does not exist: the app will create it and import the seeds.")

    results: dict[str, list] = defaultdict(list)
    with tempfile.TemporaryDirectory() as tmp:
        bare_app = Path(tmp, "bare_app.py")
        bare_app.write_text(BARE_APP)
        for run in range(-args.warmup, args.runs):
            with kept_state(args.library) if args.library.exists() else nullcontext():
                out = run_app(argv, (cols, rows), args.keys, args.opens, args.tabs)
            # The references run between the app's runs, so a busy spell slows all alike.
            out["bare"] = [run_reference(bare_app, (cols, rows))]
            out["skeleton"] = [run_reference(HERE / "skeleton_app.py", (cols, rows))]
            name = f"run {run + 1}/{args.runs}" if run >= 0 else "warm-up (not counted)"
            print(
                f"{name}: first paint {out['paint'][0]:.3f} s (bare app {out['bare'][0]:.3f} s,"
                f" skeleton {out['skeleton'][0]:.3f} s)",
                flush=True,
            )
            for key, values in out.items() if run >= 0 else ():
                results[key] += values

    paint, bare, skeleton = results["paint"], results["bare"], results["skeleton"]
    n_keys, n_open = len(results["keys"]), len(results["open_byte"])
    ratio = statistics.median(paint) / statistics.median(bare)
    method = "pyte screen" if pyte else "end of first burst"
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    print(f"\nnewsreader --library {args.library}  {cols}x{rows}  runs={args.runs}  ({method})")
    print(f"{os.cpu_count()} cores, load average {load}: other work on the machine slows figures")
    show("first paint of the list", paint, "s", f"<= {TARGET_PAINT_S} s")
    show("first paint, bare Textual app", bare, "s", "(reference)")
    show("first paint, skeleton of the panes", skeleton, "s", "(stock widgets, no data)")
    print(f"{'ratio list / bare (medians)':<34} {f'{ratio:.2f}x':<52} target <= {TARGET_RATIO}x")
    floor = statistics.median(skeleton) / statistics.median(bare)
    print(f"{'ratio skeleton / bare (medians)':<34} {f'{floor:.2f}x':<52} (the layout alone)")
    show(f"cursor key j (n={n_keys})", results["keys"], "ms", f"<= {TARGET_KEY_MS} ms", top=True)
    show(f"open article: first byte (n={n_open})", results["open_byte"], "ms", "-")
    show("open article: header on screen", results["open_text"], "ms", f"<= {TARGET_OPEN_MS} ms")
    show("open article: output settled", results["open_quiet"], "ms", "- (body, counts)")
    n_tabs = len(results["tab_byte"])
    show(f"next pane (tab): first byte (n={n_tabs})", results["tab_byte"], "ms", "-")
    show("next pane (tab): output settled", results["tab_quiet"], "ms", "- (keys, borders)")
    show("peak RSS (VmHWM)", results["rss"], "MB", f"<= {TARGET_RSS_MB} MB")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (EOFError, TimeoutError) as exc:  # the app died or never drew: show its screen
        sys.exit(f"bench_ui: {exc}")
