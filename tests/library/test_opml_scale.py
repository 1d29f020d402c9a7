"""OPML at scale: outlines nested 5,000 deep import without a RecursionError, and 10,000
side by side all import, reading the feeds followed once rather than once per outline (which
made the import quadratic: 4,000 outlines took a minute), with progress as they are written.
`newsreader feed import` shows that progress on a terminal. Speed: benchmarks/bench_opml.py.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from reader.cli import main
from reader.library import Library
from reader.library.feeds import SLICE, add_feed
from reader.library.opml import import_opml

DEEP = 5000
WIDE = 10_000


def deep_opml(depth: int) -> str:
    opening = "".join(f'<outline text="level {n}">' for n in range(depth))
    feed = '<outline type="rss" text="Deep feed" xmlUrl="https://example.com/deep.xml"/>'
    return f'<opml version="2.0"><body>{opening}{feed}{"</outline>" * depth}</body></opml>'


def wide_opml(count: int) -> str:
    outlines = "".join(
        f'<outline type="rss" text="Feed {n}" xmlUrl="https://example.com/{n}.xml"/>'
        for n in range(count)
    )
    return f'<opml version="2.0"><body><outline text="All">{outlines}</outline></body></opml>'


def test_outlines_nested_5000_deep_import(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "deep.opml"
    path.write_text(deep_opml(DEEP), encoding="utf-8")
    assert sys.getrecursionlimit() < DEEP  # a recursive walk would overflow
    added, skipped = import_opml(library, path)
    assert skipped == []
    assert [(f.name, f.tag) for f in added] == [("Deep feed", f"level {DEEP - 1}")]
    assert [(f.name, f.tag) for f in library.feeds()] == [("Deep feed", f"level {DEEP - 1}")]


def test_10000_outlines_all_import_with_progress(library: Library, tmp_path: Path) -> None:
    add_feed(library, "https://example.com/7.xml", name="Seven")  # followed already
    path = tmp_path / "wide.opml"
    path.write_text(wide_opml(WIDE), encoding="utf-8")
    seen: list[tuple[int, int]] = []
    statements: list[str] = []
    library.db.set_trace_callback(statements.append)

    added, skipped = import_opml(library, path, lambda done, total: seen.append((done, total)))

    library.db.set_trace_callback(None)
    assert len(added) == WIDE - 1
    assert skipped == ["https://example.com/7.xml: already a feed"]
    feeds = library.feeds()
    assert len(feeds) == WIDE
    assert {f.url for f in feeds} == {f"https://example.com/{n}.xml" for n in range(WIDE)}
    assert {f.tag for f in feeds if f.name != "Seven"} == {"All"}
    # Progress after each slice written, up to all of them.
    assert seen[-1] == (WIDE, WIDE) and len(seen) == -(-WIDE // SLICE)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    # Linear: the feeds followed are read once, not once per outline.
    whole_table_reads = [s for s in statements if "FROM feeds" in s and "WHERE" not in s]
    assert len(whole_table_reads) <= 2, whole_table_reads[:5]
    assert len(statements) < 6 * WIDE


def test_same_names_in_an_opml_file_are_numbered_or_refused(
    library: Library, tmp_path: Path
) -> None:
    unnamed = "".join(
        f'<outline type="rss" xmlUrl="https://x.example/feed?page={n}"/>' for n in range(3)
    )
    named = '<outline type="rss" text="Named" xmlUrl="https://n.example/1"/>'
    renamed = '<outline type="rss" text="named" xmlUrl="https://n.example/2"/>'
    path = tmp_path / "same.opml"
    body = unnamed + named + renamed
    path.write_text(f'<opml version="2.0"><body>{body}</body></opml>', encoding="utf-8")
    added, skipped = import_opml(library, path)
    assert [f.name for f in added] == [
        "x.example/feed",
        "x.example/feed (2)",
        "x.example/feed (3)",
        "Named",
    ]
    assert skipped == ["a feed is already called 'named'"]


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")
def test_feed_import_shows_progress_on_a_terminal(tmp_path: Path, home: Path) -> None:
    import pty
    import subprocess

    path = tmp_path / "wide.opml"
    path.write_text(wide_opml(3 * SLICE), encoding="utf-8")
    code = "import sys; from reader.cli import main; sys.exit(main(sys.argv[1:]))"
    args = [sys.executable, "-c", code, "--library", str(tmp_path / "lib.db")]
    leader, follower = pty.openpty()
    env = {**os.environ, "NEWSREADER_HOME": str(home), "TERM": "xterm-256color"}
    done = subprocess.run(
        [*args, "feed", "import", str(path)],
        stdout=subprocess.PIPE,
        stderr=follower,
        env=env,
        timeout=60,
    )
    os.close(follower)
    terminal = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        terminal += chunk
    os.close(leader)
    assert done.returncode == 0
    assert done.stdout.decode() == f"Following {3 * SLICE} new feeds; 0 skipped.\n"
    assert b"Following feeds" in terminal  # the progress bar, on stderr


def test_feed_import_without_a_terminal_prints_the_summary_only(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "wide.opml"
    path.write_text(wide_opml(50), encoding="utf-8")
    code = main(["--library", str(tmp_path / "lib.db"), "feed", "import", str(path)])
    out, err = capsys.readouterr()
    assert (code, out, err) == (0, "Following 50 new feeds; 0 skipped.\n", "")
