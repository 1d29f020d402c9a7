"""Hostile files: each is imported within bounds or reported by name, and the rest still imports.

Imports that could hang or balloon run in a child process with a CPU budget, an address-space
cap and a wall-clock backstop, so a regression fails its test instead of stalling the suite.
Nothing here asserts how long anything took: the budgets are hang guards, many times what the
work needs.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.library import Library, Problem, import_paths
from reader.library import ingest as ingest_module
from reader.library import parse as parse_module

WritePost = Callable[[str, bytes | str], Path]

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX files and limits")

GOOD_TITLE = "Good neighbour"
GOOD = f"---\ntitle: {GOOD_TITLE}\n---\nA post that must be imported whatever lies next to it.\n"
PIPE_TITLE = "Read from the pipe"
MEMORY_BOUND = 256 * 2**20  # peak RSS of an import; the payloads here are at most 50 MB
ADDRESS_CAP = 2**30  # a safety net so a regression cannot eat the machine
WALL_BACKSTOP = 60  # seconds: only a process blocked without using CPU ever waits this long
MIB = 2**20

# The child: limits first, then one import, then the report as JSON on stdout.
CHILD = r"""
import json, os, resource, signal, sys
from pathlib import Path

spec = json.loads(sys.argv[1])
resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
resource.setrlimit(resource.RLIMIT_CPU, (spec["cpu_seconds"], spec["cpu_seconds"] + 1))
try:
    resource.setrlimit(resource.RLIMIT_AS, (spec["address_cap"], spec["address_cap"]))
except (ValueError, OSError):
    pass  # not every platform caps address space

from reader.library import Library
from reader.library import ingest

if spec["parallel_from"] is not None:
    ingest.PARALLEL_FROM = spec["parallel_from"]
PARENT = os.getpid()
real_work = ingest._work


def work(task):
    # Stands in for a worker the kernel kills mid-file (OOM killer, a crash in a C library).
    if os.getpid() != PARENT and task.path.endswith(spec["kill_worker_on"] or "\0"):
        os.kill(os.getpid(), signal.SIGKILL)
    return real_work(task)


ingest._work = work
with Library(Path(spec["db"])) as library:
    report = ingest.import_paths(library, spec["paths"], jobs=spec["jobs"])
    articles = [library.article(i) for i in library.ids()]
def own_peak():
    # Linux keeps ru_maxrss across exec: RUSAGE_SELF would report the pytest worker this
    # child was forked from (256+ MB late in a run). VmHWM is this process's own.
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])  # KiB, as ru_maxrss on Linux
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB elsewhere
peak = max(own_peak(), resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(json.dumps({
    "new": report.new,
    "skipped": report.skipped,
    "unpublished": report.unpublished,
    "errors": [[p.path, p.message] for p in report.errors],
    "warnings": [[p.path, p.message] for p in report.warnings],
    "articles": [
        {"path": a.path, "title": a.title, "body_chars": len(a.body), "tags": len(a.tags)}
        for a in articles if a is not None
    ],
    "peak_rss": peak * scale,
}))
"""


@dataclass(frozen=True)
class Outcome:
    """What a child import reported, and its peak memory."""

    new: int
    skipped: int
    unpublished: int
    errors: list[tuple[str, str]]
    warnings: list[tuple[str, str]]
    articles: list[dict[str, Any]]
    peak_rss: int

    @property
    def titles(self) -> list[str]:
        return sorted(a["title"] for a in self.articles)

    @property
    def problems(self) -> list[tuple[str, str]]:
        return [*self.errors, *self.warnings]

    def named(self, name: str) -> list[str]:
        """Messages of the errors and warnings about the file called `name`."""
        return [message for path, message in self.problems if Path(path).name == name]

    def article(self, name: str) -> dict[str, Any] | None:
        found = [a for a in self.articles if Path(a["path"]).name == name]
        return found[0] if found else None


def run_import(
    tmp_path: Path,
    paths: list[Path],
    *,
    jobs: int = 1,
    cpu_seconds: int = 3,
    parallel_from: int | None = None,
    kill_worker_on: str | None = None,
    db: str = "child.db",
) -> Outcome:
    """Import `paths` in a child process under a CPU budget; fail the test if it hangs or dies."""
    spec = {
        "paths": [str(p) for p in paths],
        "db": str(tmp_path / db),
        "jobs": jobs,
        "cpu_seconds": cpu_seconds,
        "address_cap": ADDRESS_CAP,
        "parallel_from": parallel_from,
        "kill_worker_on": kill_worker_on,
    }
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, json.dumps(spec)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: worker processes go with it
    )
    try:
        out, err = child.communicate(timeout=WALL_BACKSTOP)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.communicate()
        pytest.fail(f"import of {paths} blocked for {WALL_BACKSTOP} s: it hangs")
    finally:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(child.pid, signal.SIGKILL)  # leftover workers of a crashed pool
    if child.returncode == -signal.SIGXCPU:
        pytest.fail(f"import of {paths} used up its {cpu_seconds} s CPU budget: it hangs")
    if child.returncode != 0:
        pytest.fail(f"import of {paths} died ({child.returncode}):\n{err[-3000:]}")
    data = json.loads(out)
    data["errors"] = [tuple(p) for p in data["errors"]]
    data["warnings"] = [tuple(p) for p in data["warnings"]]
    return Outcome(**data)


def assert_contained(outcome: Outcome, name: str, *, max_body: int) -> None:
    """The good neighbour is in; `name` is imported with a bounded body or reported by name;
    no other file is blamed, no MemoryError was the way out, and memory stayed bounded."""
    assert GOOD_TITLE in outcome.titles
    blamed = {Path(path).name for path, _ in outcome.problems}
    assert blamed <= {name}, outcome.problems
    assert not any("MemoryError" in message for _, message in outcome.problems), outcome.problems
    article = outcome.article(name)
    if article is None:
        assert outcome.named(name), f"{name} was neither imported nor reported"
    else:
        assert article["body_chars"] <= max_body
    assert outcome.peak_rss < MEMORY_BOUND, f"peak RSS {outcome.peak_rss // MIB} MB"


@dataclass
class PipeWriter:
    """Writes a post into a FIFO, but only if someone opens it for reading.

    Opening a FIFO that has no writer blocks forever; this writer turns that hang into a
    visible outcome (the pipe's post shows up in the library) without waiting on a clock.
    """

    fifo: Path
    connected: bool = False
    thread: threading.Thread = field(init=False)

    def __post_init__(self) -> None:
        self.thread = threading.Thread(target=self._write, daemon=True)
        self.thread.start()

    def _write(self) -> None:
        try:
            with open(self.fifo, "wb") as pipe:  # blocks until a reader opens the FIFO
                self.connected = True
                pipe.write(f"---\ntitle: {PIPE_TITLE}\n---\nStreamed.\n".encode())
        except OSError:
            pass  # the reader closed without reading: exactly what a careful importer does

    def release(self) -> None:
        """Unblock the writer if nobody ever opened the FIFO, then wait for it."""
        if self.thread.is_alive() and not self.connected:
            try:
                reader = os.open(self.fifo, os.O_RDONLY | os.O_NONBLOCK)
            except FileNotFoundError:
                reader = None
            if reader is not None:
                self.thread.join(timeout=10)
                os.close(reader)
        self.thread.join(timeout=10)
        assert not self.thread.is_alive()


@pytest.fixture
def pipe_writers() -> Iterator[Callable[[Path], PipeWriter]]:
    writers: list[PipeWriter] = []

    def start(fifo: Path) -> PipeWriter:
        writers.append(PipeWriter(fifo))
        return writers[-1]

    yield start
    for writer in writers:
        writer.release()


@pytest.fixture
def alarm() -> Iterator[None]:
    """A backstop for in-process imports that could block in a system call."""

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"import blocked for {WALL_BACKSTOP} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(WALL_BACKSTOP)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def titles(library: Library) -> list[str]:
    return sorted(s.title for s in library.summaries(limit=-1))


def named(problems: Iterable[Problem], name: str) -> list[str]:
    return [p.message for p in problems if Path(p.path).name == name]


# ---- 1. any bytes -----------------------------------------------------------------------------

FRAMES = st.sampled_from([b"", b"---\n", b"\xef\xbb\xbf---\n", b"+++\n", b"<html><body>"])
CLOSERS = st.sampled_from([b"", b"\n---\n", b"\n+++\n", b"\n...\n"])


@settings(
    max_examples=50,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(FRAMES, st.binary(max_size=2000), CLOSERS, st.binary(max_size=200))
def test_any_bytes_as_a_post_are_imported_or_reported(
    frame: bytes, head: bytes, closer: bytes, tail: bytes
) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "posts"
        folder.mkdir()
        (folder / "good.md").write_text(GOOD, encoding="utf-8")
        (folder / "hostile.md").write_bytes(frame + head + closer + tail)
        with Library(Path(scratch) / "lib.db") as library:
            report = import_paths(library, [folder], jobs=1)
            stored = titles(library)
    assert GOOD_TITLE in stored
    assert {Path(p.path).name for p in [*report.errors, *report.warnings]} <= {"hostile.md"}
    # Exactly one fate for the hostile file: imported, skipped, unpublished or an error.
    assert report.new + report.skipped + report.unpublished + len(report.errors) == 2


# ---- 2. a 50 MB file --------------------------------------------------------------------------


def test_a_50_mb_file_is_refused_or_its_body_bounded(
    tmp_path: Path, posts: Path, write_post: WritePost
) -> None:
    write_post("good.md", GOOD)
    big = posts / "big.md"
    with open(big, "wb") as out:
        out.write(b"---\ntitle: Big\n---\n")
        out.write((b"x" * 1023 + b"\n") * (50 * 1024))  # long words: cheap to count
    try:
        outcome = run_import(tmp_path, [posts], cpu_seconds=60)
    finally:
        big.unlink()  # pytest keeps the last few temporary folders: not 50 MB of them
    assert_contained(outcome, "big.md", max_body=10 * MIB)


# ---- 3. a single 1 MB line --------------------------------------------------------------------

ONE_LINE = [
    pytest.param(b"word " * (MIB // 5), id="words"),
    pytest.param(b" " * MIB + b"x", id="spaces"),
    pytest.param(b"[" * MIB, id="brackets"),
]


@pytest.mark.parametrize("line", ONE_LINE)
def test_a_single_1_mb_line_is_imported_or_reported(
    tmp_path: Path, posts: Path, write_post: WritePost, line: bytes
) -> None:
    write_post("good.md", GOOD)
    write_post("line.md", line)
    outcome = run_import(tmp_path, [posts])
    assert_contained(outcome, "line.md", max_body=len(line) + 1)  # (+ a final newline)


# ---- 4. HTML nested 100,000 levels deep -------------------------------------------------------

DEPTH = 100_000
DEEP_HTML = [
    pytest.param("<div>" * DEPTH + "text" + "</div>" * DEPTH, id="div"),
    pytest.param("<p>start</p>" + "<blockquote>" * DEPTH + "text", id="blockquote"),
    pytest.param("<ul><li>" * DEPTH + "text", id="list"),
]


@pytest.mark.parametrize("html", DEEP_HTML)
def test_html_nested_100_000_deep_is_imported_or_reported(
    tmp_path: Path, posts: Path, write_post: WritePost, html: str
) -> None:
    write_post("good.md", GOOD)
    write_post("deep.html", html)
    outcome = run_import(tmp_path, [posts], cpu_seconds=8)
    assert_contained(outcome, "deep.html", max_body=2 * len(html))


# ---- 5. a YAML billion laughs -----------------------------------------------------------------


def alias_bomb(*keys: str) -> str:
    """Ten levels of nine aliases each: 9**10 strings if anything expands it."""
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        name, below = chr(ord("a") + level), chr(ord("a") + level - 1)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{below}"] * 9) + "]")
    lines += [f"{key}: *j" for key in keys]
    return "---\n" + "\n".join(lines) + "\n---\nBody under a bomb.\n"


def test_alias_bomb_in_tags_is_not_expanded(
    tmp_path: Path, posts: Path, write_post: WritePost
) -> None:
    write_post("good.md", GOOD)
    write_post("bomb.md", alias_bomb("tags", "categories"))
    outcome = run_import(tmp_path, [posts])
    assert_contained(outcome, "bomb.md", max_body=100)
    bomb = outcome.article("bomb.md")
    assert bomb is None or bomb["tags"] <= 200


def test_alias_bomb_in_title_and_date_is_not_expanded(
    tmp_path: Path, posts: Path, write_post: WritePost
) -> None:
    write_post("good.md", GOOD)
    write_post("bomb.md", alias_bomb("title", "date"))
    outcome = run_import(tmp_path, [posts])
    assert_contained(outcome, "bomb.md", max_body=100)
    bomb = outcome.article("bomb.md")
    assert bomb is None or len(bomb["title"]) <= 300


# ---- 6. 10 MB of front matter -----------------------------------------------------------------


def test_10_mb_front_matter_is_a_warning_and_the_post_is_kept(
    tmp_path: Path, posts: Path, write_post: WritePost
) -> None:
    write_post("good.md", GOOD)
    keys = "".join(f"key{n}: {'v' * 90}\n" for n in range(10 * MIB // 100))
    write_post("front.md", f"---\ntitle: Hidden\n{keys}---\nSmall body.\n")
    outcome = run_import(tmp_path, [posts])
    assert_contained(outcome, "front.md", max_body=100)
    assert outcome.named("front.md") == ["front matter is too large to read"]
    assert "Hidden" not in outcome.titles  # the front matter was not read at all


# ---- 7. symlink loops -------------------------------------------------------------------------


def test_symlink_loops_end_and_are_reported(
    tmp_path: Path, posts: Path, write_post: WritePost
) -> None:
    write_post("good.md", GOOD)
    (posts / "sub").mkdir()
    os.symlink(posts, posts / "sub" / "up")  # a folder link back to its grandparent
    os.symlink(posts, posts / "again")
    os.symlink(posts / "self.md", posts / "self.md")
    os.symlink(posts / "ping.md", posts / "pong.md")
    os.symlink(posts / "pong.md", posts / "ping.md")
    outcome = run_import(tmp_path, [posts])
    assert outcome.titles == [GOOD_TITLE]  # imported once, not once per way round the loop
    assert sorted(Path(path).name for path, _ in outcome.errors) == [
        "ping.md",
        "pong.md",
        "self.md",
    ]
    assert outcome.warnings == []


# ---- 8. unreadable files ----------------------------------------------------------------------


@pytest.mark.parametrize("jobs", [1, 2])
def test_unreadable_file_and_folder_are_errors_not_a_stop(
    library: Library, posts: Path, write_post: WritePost, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    monkeypatch.setattr(ingest_module, "PARALLEL_FROM", 1)
    write_post("good.md", GOOD)
    locked = write_post("locked.md", "---\ntitle: Locked\n---\nSecret.\n")
    shut = write_post("shut/inside.md", "---\ntitle: Shut away\n---\nSecret.\n").parent
    locked.chmod(0)
    shut.chmod(0)
    try:
        if os.access(locked, os.R_OK):
            pytest.skip("running as root: chmod 000 does not stop reading")
        report = import_paths(library, [posts], jobs=jobs)
    finally:
        locked.chmod(0o644)
        shut.chmod(0o755)
    assert titles(library) == [GOOD_TITLE]
    assert sorted(Path(p.path).name for p in report.errors) == ["locked.md", "shut"]
    assert all("cannot read" in p.message for p in report.errors)


# ---- 9. a file that changes between stat and read ---------------------------------------------


def change_after_walk(monkeypatch: pytest.MonkeyPatch, change: Callable[[], None]) -> None:
    """Run `change` once every file has been stat'ed by the walk and before any is read."""
    real_walk = ingest_module.walk

    def walk(root: Path) -> Iterator[tuple[str, os.stat_result | None]]:
        yield from real_walk(root)
        change()

    monkeypatch.setattr(ingest_module, "walk", walk)


@pytest.mark.parametrize("jobs", [1, 2])
def test_file_emptied_between_stat_and_read_is_an_error(
    library: Library, posts: Path, write_post: WritePost, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    monkeypatch.setattr(ingest_module, "PARALLEL_FROM", 1)
    write_post("good.md", GOOD)
    moving = write_post("moving.md", "---\ntitle: Before\n---\nA body.\n")
    change_after_walk(monkeypatch, lambda: moving.write_bytes(b""))
    report = import_paths(library, [posts], jobs=jobs)
    assert titles(library) == [GOOD_TITLE]
    assert named(report.errors, "moving.md") == ["empty file"]


@pytest.mark.parametrize("jobs", [1, 2])
def test_file_rewritten_between_stat_and_read_is_never_stored_stale(
    library: Library, posts: Path, write_post: WritePost, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    monkeypatch.setattr(ingest_module, "PARALLEL_FROM", 1)
    write_post("good.md", GOOD)
    moving = write_post("moving.md", "---\ntitle: Before\n---\nA body.\n")
    after = "---\ntitle: After\n---\nA rather longer body, written while the import ran.\n"
    real_walk = ingest_module.walk
    change_after_walk(monkeypatch, lambda: moving.write_text(after, encoding="utf-8"))
    report = import_paths(library, [posts], jobs=jobs)
    assert "Before" not in titles(library)
    assert "After" in titles(library) or named(report.errors, "moving.md")

    monkeypatch.setattr(ingest_module, "walk", real_walk)  # the file holds still now
    again = import_paths(library, [posts], jobs=1)
    assert titles(library) == ["After", GOOD_TITLE]
    assert again.errors == []


def test_file_grown_past_the_limit_between_stat_and_read_is_an_error(
    library: Library, posts: Path, write_post: WritePost, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parse_module, "MAX_FILE_BYTES", 1000)
    write_post("good.md", GOOD)
    growing = write_post("growing.md", "---\ntitle: Small\n---\nSmall.\n")
    change_after_walk(monkeypatch, lambda: growing.write_text("x " * 5000, encoding="utf-8"))
    report = import_paths(library, [posts], jobs=1)
    assert titles(library) == [GOOD_TITLE]
    [message] = named(report.errors, "growing.md")
    assert "larger than" in message


def test_file_swapped_for_a_fifo_after_stat_is_not_read(
    library: Library,
    posts: Path,
    write_post: WritePost,
    monkeypatch: pytest.MonkeyPatch,
    pipe_writers: Callable[[Path], PipeWriter],
    alarm: None,
) -> None:
    write_post("good.md", GOOD)
    swapped = write_post("swapped.md", "---\ntitle: Regular\n---\nA body.\n")

    def swap() -> None:
        swapped.unlink()
        os.mkfifo(swapped)
        pipe_writers(swapped)

    change_after_walk(monkeypatch, swap)
    report = import_paths(library, [posts], jobs=1)
    assert PIPE_TITLE not in titles(library)
    assert GOOD_TITLE in titles(library)
    assert named([*report.errors, *report.warnings], "swapped.md")


# ---- 10. FIFOs, sockets, empty files, folders named like posts --------------------------------


@pytest.mark.parametrize("jobs", [1, 2])
def test_fifo_in_a_folder_is_not_read(
    tmp_path: Path,
    posts: Path,
    write_post: WritePost,
    pipe_writers: Callable[[Path], PipeWriter],
    jobs: int,
) -> None:
    write_post("good.md", GOOD)
    os.mkfifo(posts / "pipe.md")
    writer = pipe_writers(posts / "pipe.md")
    outcome = run_import(tmp_path, [posts], jobs=jobs, parallel_from=1)
    assert not writer.connected, "the import opened the FIFO for reading"
    assert outcome.titles == [GOOD_TITLE]
    assert outcome.named("pipe.md")


def test_socket_empty_file_and_folder_named_like_a_post(
    tmp_path: Path, posts: Path, write_post: WritePost, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_post("good.md", GOOD)
    write_post("empty.md", b"")
    (posts / "empty-folder.md").mkdir()
    write_post("folder.md/inside.md", "---\ntitle: Inside a folder named like a post\n---\nB\n")
    server = socket.socket(socket.AF_UNIX)
    try:
        monkeypatch.chdir(posts)  # a relative name: socket paths are limited to ~100 bytes
        server.bind("socket.md")
        outcome = run_import(tmp_path, [posts])
    finally:
        server.close()
    assert outcome.titles == [GOOD_TITLE, "Inside a folder named like a post"]
    assert outcome.named("empty.md") == ["empty file"]
    [message] = outcome.named("socket.md")
    assert message == "not a regular file; skipped"
    assert sorted(Path(path).name for path, _ in outcome.problems) == ["empty.md", "socket.md"]


# ---- the parallel path ------------------------------------------------------------------------


def hostile_folder(posts: Path, write_post: WritePost) -> None:
    """One of each hostile file that does not hang, between good posts."""
    write_post("a-good.md", GOOD)
    write_post("deep.html", "<div>" * DEPTH + "text" + "</div>" * DEPTH)
    write_post("bomb.md", alias_bomb("tags"))
    write_post("line.md", b"word " * (MIB // 5))
    write_post("binary.md", bytes(range(256)) * 64)
    write_post("empty.md", b"")
    write_post("front.md", "---\n" + "key: value\n" * (MIB // 10) + "---\nBody.\n")
    write_post("folder.md/inside.md", "---\ntitle: Inside\n---\nB\n")
    os.symlink(posts / "self.md", posts / "self.md")
    os.symlink(posts, posts / "folder.md" / "up")
    write_post("z-good.md", "# Last good post\n")


def test_parallel_import_of_hostile_files_matches_serial(
    tmp_path: Path, posts: Path, write_post: WritePost
) -> None:
    hostile_folder(posts, write_post)
    serial = run_import(tmp_path, [posts], jobs=1, cpu_seconds=10, db="serial.db")
    parallel = run_import(tmp_path, [posts], jobs=2, cpu_seconds=10, parallel_from=1)
    assert {GOOD_TITLE, "Last good post", "Inside"} <= set(serial.titles)
    assert parallel.titles == serial.titles
    assert sorted(parallel.problems) == sorted(serial.problems)
    assert sorted(Path(path).name for path, _ in serial.errors) == ["empty.md", "self.md"]
    assert serial.named("front.md") == ["front matter is too large to read"]
    assert (parallel.new, parallel.skipped) == (serial.new, serial.skipped)
    assert max(serial.peak_rss, parallel.peak_rss) < MEMORY_BOUND


def test_a_worker_killed_mid_file_does_not_stop_the_import(
    tmp_path: Path, posts: Path, write_post: WritePost
) -> None:
    for n in range(6):
        write_post(f"{n}-good.md", f"---\ntitle: Good {n}\n---\nBody.\n")
    write_post("3-doomed.md", "---\ntitle: Doomed\n---\nBody.\n")
    outcome = run_import(tmp_path, [posts], jobs=2, parallel_from=1, kill_worker_on="doomed.md")
    assert {f"Good {n}" for n in range(6)} <= set(outcome.titles)
    assert outcome.article("3-doomed.md") is not None or outcome.named("3-doomed.md")


def test_run_import_sees_a_regular_file(tmp_path: Path, posts: Path, write_post: WritePost) -> None:
    """The harness itself: a plain post comes back imported, with a sane memory figure."""
    write_post("good.md", GOOD)
    outcome = run_import(tmp_path, [posts])
    assert outcome.titles == [GOOD_TITLE]
    assert outcome.problems == []
    assert 0 < outcome.peak_rss < MEMORY_BOUND
