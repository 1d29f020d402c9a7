"""Time `newsreader import` on N synthetic posts: listed, searchable, re-import, library size.

Usage: python benchmarks/bench_import.py [-n 100000] [--seed 1] [--keep DIR] [--jobs J]
       [--runs N] [--chinese] [--vs-newsboat] [--library PATH] [--timeout S]

Posts go to a temporary folder (or DIR with --keep; an existing DIR that already holds
posts is reused as is). Each first import goes into a fresh library in a temporary folder.
"Listed" is when the import's `-busy` marker first says stage "indexing" (every article
listed), "searchable" when the command ends. --vs-newsboat times newsboat reloading the
same posts as one Atom feed.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
AT = 100_000  # the time targets are for this many posts
TARGET_LISTED_S, TARGET_SEARCHABLE_S, TARGET_REIMPORT_S = 30.0, 60.0, 3.0
TARGET_DB_RATIO, TARGET_DB_NO_INDEX = 3.0, 2.0  # library / post bytes, with and without index
POLL = 0.02  # seconds between two looks at the import's stage
MARKER = ".bench-posts"  # in the posts folder: how they were made (a dot file: not imported)


class Run(NamedTuple):
    """One timed command."""

    seconds: float  # to its end (an import: searchable)
    rss: int  # peak RSS, KiB
    summary: str  # its last line of output
    listed: float  # an import: seconds to its "indexing" stage (or its end)
    note: str  # how `listed` was found, when not from the stage


def cli_command() -> list[str]:
    """The newsreader CLI: the console script if installed, else `python -m reader`."""
    venv_bin = str(Path(sys.executable).parent)
    exe = shutil.which("newsreader") or shutil.which("newsreader", path=venv_bin)
    return [exe] if exe else [sys.executable, "-m", "reader"]


def stage_reader() -> Callable[[Path], str]:
    """A function giving the stage of the import holding a library ("" when none is said;
    always "" with a newsreader whose `-busy` marker has no stages)."""
    try:
        from reader.library.turns import busy
    except ImportError:
        return lambda _library: ""

    def stage(library: Path) -> str:
        job = busy(library)
        return str(getattr(job, "stage", "") or "") if job is not None else ""

    return stage


def stage_times(first_seen: dict[str, float], end: float) -> tuple[float, str]:
    """(listed, note) from when each stage was first seen: listed is the first look at the
    "indexing" stage, else the end of the import."""
    if "indexing" in first_seen:
        return first_seen["indexing"], ""
    return end, "(no indexing stage seen)" if first_seen else "(no stages seen)"


def count_posts(folder: Path) -> tuple[int, int]:
    """Number and total bytes of the .md files under folder."""
    files = nbytes = 0
    for root, _, names in os.walk(folder):
        for name in names:
            if name.endswith(".md"):
                files += 1
                nbytes += os.path.getsize(os.path.join(root, name))
    return files, nbytes


def library_bytes(db: Path) -> int:
    """Size of the library file plus its -wal file, if any."""
    return sum(p.stat().st_size for p in (db, Path(f"{db}-wal")) if p.exists())


def remove_library(db: Path) -> None:
    for old in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        old.unlink(missing_ok=True)


def run_timed(
    cmd: list[str],
    log_dir: Path,
    label: str,
    timeout: float,
    env: dict[str, str] | None = None,
    watch: Path | None = None,
) -> Run:
    """Run cmd, timing it and, with `watch` (a library), the stages of its import. Exit with
    its output on failure."""
    out_path, err_path = log_dir / f"{label}.out", log_dir / f"{label}.err"
    stage, first_seen = stage_reader(), {}
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, cwd=REPO, env=env
        )
        look = t0
        while True:  # reap with wait4 to get this child's own peak RSS (ru_maxrss)
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            now = time.perf_counter()
            if now - t0 > timeout:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            if watch is not None and now >= look:
                if seen := stage(watch):
                    first_seen.setdefault(seen, now - t0)
                look = now + POLL
            time.sleep(0.005)
        # an index that goes on being built after the command (in the background) counts too
        while watch is not None and (seen := stage(watch)) and time.perf_counter() - t0 < timeout:
            first_seen.setdefault(seen, time.perf_counter() - t0)
            time.sleep(POLL)
        seconds = time.perf_counter() - t0
    code = os.waitstatus_to_exitcode(status)
    stdout = out_path.read_text(errors="replace")
    stderr = err_path.read_text(errors="replace")
    if code != 0 or seconds > timeout:
        sys.stdout.flush()
        why = f"timed out after {timeout:.0f} s" if seconds > timeout else f"exited with {code}"
        print(f"\nFAILED ({label}): {' '.join(cmd)}\n{why}", file=sys.stderr)
        tail = (stdout + stderr).strip().splitlines()[-40:]
        print("\n".join(tail) or "(no output)", file=sys.stderr)
        sys.exit(1)
    problems = [line for line in stderr.splitlines() if line.strip()]
    if problems:
        print(f"  ({label}: {len(problems)} lines on stderr, e.g. {problems[0][:150]})")
    rss = usage.ru_maxrss // (1024 if sys.platform == "darwin" else 1)
    listed, note = stage_times(first_seen, seconds)
    last = stdout.strip().splitlines()[-1] if stdout.strip() else ""
    return Run(seconds, rss, last, listed, note)


def library_counts(db: Path) -> tuple[int, int, int]:
    """(articles, articles not yet in the search index or -1 if unknown, index bytes)."""
    with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        try:
            left = conn.execute("SELECT count(*) FROM articles WHERE indexed = 0").fetchone()[0]
        except sqlite3.Error:
            left = -1  # (a library without the `indexed` column)
        try:
            row = conn.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'search%'")
            index = int(row.fetchone()[0] or 0)
        except sqlite3.Error:
            index = 0
    return int(articles), int(left), index


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def row(name: str, value: str, target: str = "", ok: bool | None = None, note: str = "") -> str:
    mark = "" if ok is None else verdict(ok)
    return f"{name:<24}{value:>14}   {target:<12}{mark:<8}{note}".rstrip()


def posts_folder(a: argparse.Namespace, work: Path) -> tuple[Path, int, int]:
    """The posts (generated, or reused from --keep DIR): folder, files, bytes."""
    posts_dir = Path(a.keep) if a.keep else work / "posts"
    made = f"n={a.n} seed={a.seed} chinese={int(a.chinese)}"
    files, nbytes = count_posts(posts_dir) if posts_dir.exists() else (0, 0)
    if files:
        marker = posts_dir / MARKER
        said = marker.read_text().strip() if marker.exists() else "unknown"
        print(f"reusing {files} posts in {posts_dir} (made with: {said})")
        if a.chinese and "chinese=1" not in said:
            sys.exit(f"{posts_dir} holds posts not made with --chinese: give another --keep DIR")
        return posts_dir, files, nbytes
    import generate  # benchmarks/generate.py, next to this file

    print(f"generating {a.n} posts into {posts_dir} ...", flush=True)
    generate.main(
        [str(posts_dir), "-n", str(a.n), "--seed", str(a.seed)] + ["--chinese"] * a.chinese
    )
    (posts_dir / MARKER).write_text(made + "\n")
    return posts_dir, *count_posts(posts_dir)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=AT, help="posts to generate (default 100000)")
    ap.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    ap.add_argument("--keep", metavar="DIR", help="keep posts in DIR (reused if it has posts)")
    ap.add_argument("--jobs", type=int, help="pass --jobs J to `newsreader import`")
    ap.add_argument("--runs", type=int, default=1, help="first imports to time (default 1)")
    ap.add_argument("--chinese", action="store_true", help="every post Chinese (no English)")
    ap.add_argument(
        "--vs-newsboat", action="store_true", help="also time newsboat on the same posts"
    )
    ap.add_argument(
        "--library",
        metavar="PATH",
        help="import into PATH (replaced first) and keep it for other benchmarks",
    )
    ap.add_argument("--timeout", type=float, default=900, help="per-import limit, s (default 900)")
    a = ap.parse_args(argv)
    if a.runs < 1:
        ap.error("--runs must be at least 1")

    work = Path(tempfile.mkdtemp(prefix="bench-import-"))
    try:
        posts_dir, files, nbytes = posts_folder(a, work)
        db = Path(a.library) if a.library else work / "lib.db"
        args = ["--library", str(db), "import", str(posts_dir)]
        args += ["--jobs", str(a.jobs)] if a.jobs else []
        print(f"command: {' '.join(cli_command() + args)}", flush=True)
        feed = None
        if a.vs_newsboat:
            import vs_newsboat as vs  # benchmarks/vs_newsboat.py

            if vs.newsboat() is None:
                print("newsboat is not installed (apt-get install newsboat): no side by side")
            else:
                feed = work / "posts.atom"
                entries, feed_bytes = vs.write_feed(posts_dir, feed)
                print(f"feed: {entries} entries, {feed_bytes / 2**20:.1f} MB in one Atom file")

        runs, boats, stored = [], [], []
        for i in range(1, a.runs + 1):
            remove_library(db)
            run = run_timed(cli_command() + args, work, f"first{i}", a.timeout, watch=db)
            runs.append(run)
            said = " ".join(x for x in (run.note, f"[{run.summary}]" * bool(run.summary)) if x)
            print(f"  import {i}: listed {run.listed:.2f} s, searchable {run.seconds:.2f} s {said}")
            if feed is not None:
                cmd, env, cache = vs.setup(feed, work / "newsboat")
                boat = run_timed(cmd, work, f"newsboat{i}", a.timeout, env=env)
                boats.append(boat)
                stored.append(vs.stored_items(cache))
                print(f"  newsboat {i}: {boat.seconds:.2f} s, {stored[-1]} items stored")
        first_db = library_bytes(db)
        articles, unindexed, index_bytes = library_counts(db)
        again = run_timed(cli_command() + args, work, "reimport", a.timeout, watch=db)
        print(f"  re-import: {again.seconds:.2f} s [{again.summary}]")
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print()
    print(report(a, files, nbytes, runs, again, (first_db, articles, unindexed, index_bytes)))
    if a.vs_newsboat:
        print(versus(files, runs, boats, stored))
    return 0


def scale(files: int) -> float:
    """The time targets' factor for fewer posts than 100,000 (linear)."""
    return min(files, AT) / AT if files else 1.0


def report(
    a: argparse.Namespace,
    files: int,
    nbytes: int,
    runs: list[Run],
    again: Run,
    library: tuple[int, int, int, int],
) -> str:
    """The figures, each with its target and a verdict."""
    mb, k = 2**20, scale(files)
    db_bytes, articles, unindexed, index_bytes = library
    listed = statistics.median(r.listed for r in runs)
    searchable = statistics.median(r.seconds for r in runs)
    of = f"median of {len(runs)}: " if len(runs) > 1 else ""
    each = "; each listed/searchable: " + ", ".join(f"{r.listed:.2f}/{r.seconds:.2f}" for r in runs)
    notes = sorted({r.note for r in runs if r.note})
    ratio = db_bytes / nbytes if nbytes else float("nan")
    bare = (db_bytes - index_bytes) / nbytes if nbytes else float("nan")
    kind = "all Chinese" if a.chinese else "~10% English"
    lines = [
        row("posts", f"{files:,}", note=f"{nbytes / mb:.1f} MB, {kind}"),
        row(
            "listed",
            f"{listed:.2f} s",
            f"<= {TARGET_LISTED_S * k:.2f} s",
            listed <= TARGET_LISTED_S * k,
            f"{of}{files / listed:,.0f} posts/s {' '.join(notes)}",
        ),
        row(
            "searchable",
            f"{searchable:.2f} s",
            f"<= {TARGET_SEARCHABLE_S * k:.2f} s",
            searchable <= TARGET_SEARCHABLE_S * k,
            f"{of}{files / searchable:,.0f} posts/s" + each * (len(runs) > 1),
        ),
        row(
            "re-import",
            f"{again.seconds:.2f} s",
            f"<= {TARGET_REIMPORT_S:.0f} s",
            again.seconds <= TARGET_REIMPORT_S,
            "(not scaled)" if k < 1 else "",
        ),
        row("articles listed", f"{articles:,}", f"= {files:,}", articles == files),
    ]
    if unindexed >= 0:
        lines.append(row("not in the index at end", f"{unindexed:,}", "= 0", unindexed == 0))
    lines += [
        row(
            "library / post bytes",
            f"{ratio:.2f} x",
            f"<= {TARGET_DB_RATIO:.0f} x",
            ratio <= TARGET_DB_RATIO,
            f"library {db_bytes / mb:.1f} MB (incl. -wal)",
        ),
        row(
            "  without the index",
            f"{bare:.2f} x",
            f"<= {TARGET_DB_NO_INDEX:.0f} x",
            bare <= TARGET_DB_NO_INDEX,
            f"search index {index_bytes / mb:.1f} MB",
        ),
        row(
            "peak RSS",
            f"{max(r.rss for r in runs) / 1024:.0f} MB",
            note=f"re-import {again.rss / 1024:.0f} MB; the CLI's largest single process",
        ),
    ]
    if k < 1:
        lines.append(
            f"(time targets scaled by {files:,}/{AT:,} = {k:g} from {TARGET_LISTED_S:.0f} s and"
            f" {TARGET_SEARCHABLE_S:.0f} s at {AT:,} posts; start-up costs make small runs harder)"
        )
    return "\n".join(lines)


def versus(files: int, runs: list[Run], boats: list[Run], stored: list[int]) -> str:
    """newsboat's reload of the same posts beside ours, and the ratios (goal: <= 1)."""
    if not boats:
        return "newsboat: not run (not installed)"
    boat = statistics.median(b.seconds for b in boats)
    listed = statistics.median(r.listed for r in runs)
    searchable = statistics.median(r.seconds for r in runs)
    of = f"median of {len(boats)}; " if len(boats) > 1 else ""
    return "\n".join(
        [
            row(
                "newsboat -x reload",
                f"{boat:.2f} s",
                note=f"{of}{files / boat:,.0f} posts/s, peak RSS"
                f" {max(b.rss for b in boats) / 1024:.0f} MB",
            ),
            row("newsboat items stored", f"{min(stored):,}", f"= {files:,}", min(stored) == files),
            row("listed / newsboat", f"{listed / boat:.2f} x", "<= 1 x", listed <= boat),
            row(
                "searchable / newsboat",
                f"{searchable / boat:.2f} x",
                "<= 1 x",
                searchable <= boat,
                "(newsboat searches its cache with LIKE: no index to build)",
            ),
        ]
    )


if __name__ == "__main__":
    sys.exit(main())
