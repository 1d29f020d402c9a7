"""Time `newsreader feed import` of an OPML file of N outlines (and one nested N deep).

Usage: python benchmarks/bench_opml.py [-n 10000]

Writes the OPML files to a temporary folder (N feeds in ten folders; one feed under N
nested folders), imports each into a fresh library with the CLI in a subprocess and prints
the seconds. The import was quadratic before (1,000 outlines 4.2 s, 4,000 66.6 s); the
target is 10,000 in 5 s at most.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_S = 5.0


def cli_command() -> list[str]:
    """The newsreader CLI: the console script if installed, else `python -m reader`."""
    venv_bin = str(Path(sys.executable).parent)
    exe = shutil.which("newsreader") or shutil.which("newsreader", path=venv_bin)
    return [exe] if exe else [sys.executable, "-m", "reader"]


def wide(count: int) -> str:
    folders = []
    for folder in range(10):
        outlines = "".join(
            f'\n    <outline type="rss" text="Feed {n}" xmlUrl="https://example.com/{n}.xml"/>'
            for n in range(folder, count, 10)
        )
        folders.append(f'\n  <outline text="Folder {folder}">{outlines}\n  </outline>')
    return f'<?xml version="1.0"?>\n<opml version="2.0"><body>{"".join(folders)}\n</body></opml>\n'


def deep(depth: int) -> str:
    opening = "".join(f'<outline text="level {n}">' for n in range(depth))
    feed = '<outline type="rss" text="Deep" xmlUrl="https://example.com/deep.xml"/>'
    return f'<opml version="2.0"><body>{opening}{feed}{"</outline>" * depth}</body></opml>\n'


def run(folder: Path, name: str, text: str) -> tuple[float, str]:
    source = folder / f"{name}.opml"
    source.write_text(text, encoding="utf-8")
    command = [*cli_command(), "--library", str(folder / f"{name}.db"), "feed", "import"]
    started = time.perf_counter()
    done = subprocess.run([*command, str(source)], capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"{name}: the import failed:\n{done.stdout}{done.stderr}")
    return seconds, done.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=10_000, help="outlines (and nesting depth)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        seconds, said = run(folder, "wide", wide(args.n))
        print(f"{args.n:,} outlines: {seconds:.2f} s (target <= {TARGET_S:g} s): {said}")
        seconds, said = run(folder, "deep", deep(args.n))
        print(f"1 outline nested {args.n:,} deep: {seconds:.2f} s: {said}")


if __name__ == "__main__":
    main()
