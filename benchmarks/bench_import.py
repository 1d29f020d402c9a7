"""Time `newsreader import` on N synthetic posts: first import, unchanged re-import, DB size.

Usage: python benchmarks/bench_import.py [-n 100000] [--seed 1] [--keep DIR] [--jobs J]

Posts go to a temporary folder (or DIR with --keep; an existing DIR that already holds
posts is reused as is). The library is always a fresh file in a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
TARGET_FIRST_S, TARGET_REIMPORT_S, TARGET_DB_RATIO = 30.0, 3.0, 2.0
TARGET_DB_WITH_INDEX = 3.0  # with full-text search: the search issue's budget


def cli_command() -> list[str]:
    """The newsreader CLI: the console script if installed, else `python -m reader`."""
    venv_bin = str(Path(sys.executable).parent)
    exe = shutil.which("newsreader") or shutil.which("newsreader", path=venv_bin)
    return [exe] if exe else [sys.executable, "-m", "reader"]


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


def run_cli(args: list[str], log_dir: Path, label: str, timeout: float) -> tuple[float, int, str]:
    """Run the CLI; return (seconds, peak RSS in KiB, stdout). Exit with its stderr on failure."""
    out_path, err_path = log_dir / f"{label}.out", log_dir / f"{label}.err"
    cmd = cli_command() + args
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, cwd=REPO)
        while True:  # reap with wait4 to get this child's own peak RSS (ru_maxrss)
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - t0 > timeout:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.005)
        seconds = time.perf_counter() - t0
    proc.returncode = code = os.waitstatus_to_exitcode(status)
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
    return seconds, rss, stdout.strip().splitlines()[-1] if stdout.strip() else ""


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def search_index_bytes(db: Path) -> int:
    """Bytes the full-text index takes in the library (SQLite's dbstat), 0 if unknown."""
    import sqlite3

    try:
        with sqlite3.connect(db) as conn:
            row = conn.execute(
                "SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'search%'"
            ).fetchone()
    except sqlite3.Error:
        return 0
    return int(row[0] or 0)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=100_000, help="posts to generate (default 100000)")
    ap.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    ap.add_argument("--keep", metavar="DIR", help="keep posts in DIR (reused if it has posts)")
    ap.add_argument("--jobs", type=int, help="pass --jobs J to `newsreader import`")
    ap.add_argument(
        "--library",
        metavar="PATH",
        help="import into PATH (replaced first) and keep it for other benchmarks",
    )
    ap.add_argument("--timeout", type=float, default=900, help="per-import limit, s (default 900)")
    a = ap.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="bench-import-"))
    try:
        posts_dir = Path(a.keep) if a.keep else work / "posts"
        files, nbytes = count_posts(posts_dir) if posts_dir.exists() else (0, 0)
        if files:
            print(f"reusing {files} posts in {posts_dir}")
        else:
            import generate  # benchmarks/generate.py, next to this file

            print(f"generating {a.n} posts into {posts_dir} ...", flush=True)
            generate.main([str(posts_dir), "-n", str(a.n), "--seed", str(a.seed)])
            files, nbytes = count_posts(posts_dir)
        db = Path(a.library) if a.library else work / "lib.db"
        for old in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
            old.unlink(missing_ok=True)
        args = ["--library", str(db), "import", str(posts_dir)]
        args += ["--jobs", str(a.jobs)] if a.jobs else []
        print(f"command: {' '.join(cli_command() + args)}", flush=True)

        first_s, first_rss, summary = run_cli(args, work, "first", a.timeout)
        print(f"  first import: {summary}")
        first_db = library_bytes(db)
        again_s, again_rss, summary = run_cli(args, work, "reimport", a.timeout)
        print(f"  re-import:    {summary}")
        final_db = library_bytes(db)
        index_bytes = search_index_bytes(db)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    mb = 2**20
    ratio = first_db / nbytes if nbytes else float("nan")
    print()
    print(f"posts             {files:>10,}")
    print(f"post bytes        {nbytes / mb:>10.1f} MB")
    print(
        f"first import      {first_s:>10.2f} s   {files / first_s:>8,.0f} posts/s"
        f"   target < {TARGET_FIRST_S:.0f} s: {verdict(first_s < TARGET_FIRST_S)}"
    )
    print(
        f"re-import         {again_s:>10.2f} s   {files / again_s:>8,.0f} posts/s"
        f"   target < {TARGET_REIMPORT_S:.0f} s: {verdict(again_s < TARGET_REIMPORT_S)}"
    )
    print(
        f"library size      {first_db / mb:>10.1f} MB   (after re-import {final_db / mb:.1f} MB;"
        " incl. -wal)"
    )
    base = (first_db - index_bytes) / nbytes if nbytes else float("nan")
    print(
        f"DB / post bytes   {ratio:>10.2f} x   target <= {TARGET_DB_WITH_INDEX:.0f}x with the"
        f" search index: {verdict(ratio <= TARGET_DB_WITH_INDEX)}"
    )
    print(
        f"  without index   {base:>10.2f} x   target <= {TARGET_DB_RATIO:.0f}x"
        f" (search index {index_bytes / mb:.0f} MB): {verdict(base <= TARGET_DB_RATIO)}"
    )
    print(
        f"peak RSS          {first_rss / 1024:>10.1f} MB   (re-import {again_rss / 1024:.1f} MB;"
        " largest single process of the CLI's tree)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
