"""Time the parser's text functions, and the whole `parse_bytes`, on real posts.

Usage: python benchmarks/bench_text.py [FOLDER] [-n 3000] [--runs 3] [--profile]
       [--text-module FILE] [--decode-module FILE]

Takes the first N paths (sorted) under FOLDER (e.g. made by generate.py). One parse of every
post records the calls the parser makes into reader/library/text.py and decode.py; each
function is then timed replaying exactly those calls (time of nested calls counts in the
caller). Prints CPU ms per post (process time: the machine is shared, and wall time
with other work running says little), the median of `--runs` runs.

To time an older version of text.py or decode.py against the same parser, point
`--text-module` / `--decode-module` at its file, e.g.
`git show 8dc219f:reader/library/text.py > /tmp/text_old.py`.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import importlib.util
import os
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

TEXT_FUNCTIONS = (
    "clean_text",
    "clean_line",
    "tidy_lines",
    "plain_text",
    "count_words",
    "split_sentences",
    "shorten",
    "is_cjk",
)
CALLERS = ("parse", "body", "html_text", "frontmatter")  # reader.library modules


def substitute(name: str, file: Path) -> None:
    """Load `file` as reader.library.<name> before anything imports the real one."""
    spec = importlib.util.spec_from_file_location(f"reader.library.{name}", file)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)


def post_paths(folder: Path, limit: int) -> list[str]:
    paths = []
    for root, _, names in os.walk(folder):
        paths.extend(os.path.join(root, name) for name in names if name.endswith(".md"))
    return sorted(paths)[:limit]


def record_calls(
    datas: list[tuple[bytes, str]],
) -> tuple[dict[str, Callable[..., Any]], dict[str, list[tuple[Any, ...]]]]:
    """Parse every post once with the text functions wrapped where the parser imported
    them; return the real functions and the arguments of each call."""

    callers: list[ModuleType] = [
        module for name in CALLERS if (module := sys.modules.get(f"reader.library.{name}"))
    ]
    text = sys.modules["reader.library.text"]
    decode = sys.modules["reader.library.decode"]
    functions = {name: getattr(text, name) for name in TEXT_FUNCTIONS}
    functions["decode"] = decode.decode
    calls: dict[str, list[tuple[Any, ...]]] = {name: [] for name in functions}
    saved = []
    for module in callers:
        for name, function in functions.items():
            if getattr(module, name, None) is function:

                def recorder(*args: Any, _f: Any = function, _n: str = name) -> Any:
                    calls[_n].append(args)
                    return _f(*args)

                saved.append((module, name, function))
                setattr(module, name, recorder)
    try:
        parse_all(datas)
    finally:
        for module, name, function in saved:
            setattr(module, name, function)
    return functions, calls


def parse_all(datas: list[tuple[bytes, str]]) -> None:
    from reader.library import parse

    for data, path in datas:
        with contextlib.suppress(parse.ParseError, parse.Unpublished):
            parse.parse_bytes(data, path)


def timed(function: Callable[..., Any], args: list[tuple[Any, ...]]) -> float:
    start = time.process_time()
    for arg in args:
        function(*arg)
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("folder", type=Path, help="posts, e.g. made by generate.py")
    parser.add_argument("-n", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="cProfile parse_bytes")
    parser.add_argument("--text-module", type=Path, help="time this text.py instead")
    parser.add_argument("--decode-module", type=Path, help="time this decode.py instead")
    args = parser.parse_args()
    if args.text_module:
        substitute("text", args.text_module)
    if args.decode_module:
        substitute("decode", args.decode_module)
    from reader.library import parse

    paths = post_paths(args.folder, args.n)
    if not paths:
        sys.exit(f"no posts under {args.folder}")
    datas = [(parse.read_post(path), path) for path in paths]
    functions, calls = record_calls(datas)
    n = len(datas)
    print(f"{n} posts from {args.folder}; CPU ms per post, median of {args.runs} runs")
    for name, function in functions.items():
        if calls[name]:
            runs = [timed(function, calls[name]) for _ in range(args.runs)]
            ms = statistics.median(runs) * 1000 / n
            print(f"  {name:16} {ms:7.4f}  ({len(calls[name])} calls)")

    def whole() -> None:
        parse_all(datas)

    runs = []
    for _ in range(args.runs):
        start = time.process_time()
        whole()
        runs.append(time.process_time() - start)
    print(f"  {'parse_bytes':16} {statistics.median(runs) * 1000 / n:7.4f}")
    if args.profile:
        profile = cProfile.Profile()
        profile.runcall(whole)
        pstats.Stats(profile).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
