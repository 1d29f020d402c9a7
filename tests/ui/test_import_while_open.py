"""`newsreader PATH`: the app opens at once and the import runs beside it, in a child
process (`newsreader import`); the view fills in as it writes, the cursor stays put, and
`q` stops it.

The child is a real import of a folder of tiny posts. To look at the app while that import
is still running, whatever the machine's speed, the test freezes the child's process group
(SIGSTOP) while the app catches up, and lets it run again in short bursts (SIGCONT)."""

from __future__ import annotations

import os
import signal
import sys
from contextlib import suppress
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot

import reader.ui.screens.import_watch as import_watch
import reader.ui.screens.main as main_screen
from reader import cli
from reader.config import Config
from reader.library import Library, View
from reader.ui.app import ReaderApp
from reader.ui.importing import NICE, ChildImport, progress_line
from reader.ui.widgets import Sidebar
from reader.ui.widgets.import_line import ImportLine

from .helpers import main_of, notes, screen_text, settle

SIZE = (120, 36)
POSTS = 4000


def write_tiny_posts(folder: Path, count: int = POSTS) -> Path:
    """`count` one-line posts, each newer than the one before (in name order, the order
    a folder is walked): the later an article is imported, the higher it is listed."""
    folder.mkdir(parents=True)
    start = datetime(2001, 1, 1, tzinfo=UTC)
    for n in range(count):
        when = start + timedelta(hours=n)
        path = folder / f"post-{n:05d}.md"
        path.write_text(f"---\ntitle: Tiny post {n:05d}\ndate: {when.isoformat()}\n---\nBody.\n")
        os.utime(path, (when.timestamp(), when.timestamp()))
    return folder


def freeze(child: ChildImport, frozen: bool) -> None:
    assert child.process is not None
    with suppress(ProcessLookupError):  # (it has ended)
        os.killpg(child.process.pid, signal.SIGSTOP if frozen else signal.SIGCONT)


def niceness(child: ChildImport) -> int:
    assert child.process is not None
    return os.getpriority(os.PRIO_PROCESS, child.process.pid)


async def burst(pilot: Pilot[None], child: ChildImport, seconds: float = 0.05) -> None:
    """Let the import run a moment, freeze it, and let the app show what it wrote."""
    freeze(child, False)
    await pilot.pause(seconds)
    freeze(child, True)
    main_of(pilot.app)._import_tick()  # type: ignore[arg-type]
    await settle(pilot)


async def ended(pilot: Pilot[None], child: ChildImport) -> main_screen.MainScreen:
    """Wait for the child to end, and for the app to say so."""
    screen = main_of(pilot.app)  # type: ignore[arg-type]
    assert child.process is not None
    child.process.wait()
    screen._import_tick()
    await settle(pilot)
    return screen


def start(tmp_path: Path, folder: Path) -> tuple[Path, ChildImport]:
    """As `newsreader --library LIB FOLDER` does: the view set to the folder's source, the
    child started (frozen at once: the test lets it run)."""
    library = tmp_path / "lib.db"
    with Library(library) as opened:
        opened.set_setting("ui.view", f"source\x1f{folder.name}")
    child = ChildImport(library, [folder])
    child.start()
    freeze(child, True)
    return library, child


@pytest.fixture(autouse=True)
def every_change_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each look shows what the import wrote (the app reloads at most once a second)."""
    monkeypatch.setattr(import_watch, "RELOAD_EVERY", 0.0)


async def test_the_view_fills_in_while_the_import_runs_and_the_cursor_stays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(main_screen, "WATCH", 0.1)  # (as often as the import's own looks)
    library, child = start(tmp_path, write_tiny_posts(tmp_path / "news"))
    try:
        app = ReaderApp(library, Config(), importing=child)
        said: list[str] = []
        monkeypatch.setattr(app, "notify", lambda message, **kwargs: said.append(message))
        async with app.run_test(size=SIZE) as pilot:
            screen = main_of(app)
            line = screen.query_one(ImportLine)
            assert line.display  # from the start
            assert niceness(child) == os.getpriority(os.PRIO_PROCESS, 0)  # as the app's
            for _ in range(500):  # (more than a screenful: the list can scroll)
                if len(screen.articles.ids) >= 2 * SIZE[1]:
                    break
                await burst(pilot, child)
            assert child.running
            assert 0 < len(screen.articles.ids) < POSTS  # the first, while it runs
            assert screen.view == View("source", "news")
            assert "Importing" in str(line.render()) or "Indexing" in str(line.render())
            screen._look_for_first()
            assert niceness(child) >= NICE  # the reader's keys come first now
            await pilot.press("g", "j", "j", "j")  # keys work meanwhile
            place = screen.articles.cursor - round(screen.articles.scroll_offset.y)
            article, index = screen.articles.current, screen.articles.cursor
            assert place == 3
            title = screen.articles.summary(index).title  # type: ignore[union-attr]
            row = next(y for y, text in enumerate(screen_text(app)) if title in text)
            for _ in range(500):  # newer articles arrive, above the cursor
                if screen.articles.index_of(article) != index:  # type: ignore[arg-type]
                    break
                await burst(pilot, child)
            assert screen.articles.current == article
            assert screen.articles.cursor > index
            assert screen.articles.cursor - round(screen.articles.scroll_offset.y) == place
            assert title in screen_text(app)[row]  # on the same row of the screen
            freeze(child, False)
            for _ in range(1000):  # the rest of the import
                if not child.running:
                    break
                await pilot.pause(0.05)
            screen._import_tick()
            await settle(pilot)
            assert not line.display
            done = [n for n in said if n.startswith("Imported into")]
            assert len(done) == 1 and done[0].startswith(f"Imported into {library}: {POSTS} new")
            assert not [n for n in said if "new article" in n]  # the line said it, not these
            assert len(screen.articles.ids) == POSTS
            assert screen.articles.current == article  # still
            assert screen.query_one(Sidebar).highlighted_view == View("source", "news")
    finally:
        freeze(child, False)
        child.stop()
    with Library(library) as opened:
        assert opened.count() == POSTS  # no sample posts: the import is what fills it


async def test_q_stops_the_import(tmp_path: Path) -> None:
    library, child = start(tmp_path, write_tiny_posts(tmp_path / "news"))
    try:
        app = ReaderApp(library, Config(), importing=child)
        async with app.run_test(size=SIZE) as pilot:
            screen = main_of(app)
            await burst(pilot, child)
            freeze(child, False)
            assert child.running
            await pilot.press("q")
            assert child.stopping
            for _ in range(200):
                if not app.is_running:
                    break
                await pilot.pause(0.05)
            assert not app.is_running
            assert not child.running
            assert screen.query_one(ImportLine).display  # ("Stopping the import…")
        assert child.outcome().status != 0
    finally:
        freeze(child, False)
        child.stop()


class StoppedImport:
    """An import `q` stopped, which has just ended (the app is about to quit)."""

    running = False
    stopping = True


async def test_an_import_stopped_to_quit_keeps_its_line_until_the_app_ends(
    tmp_path: Path,
) -> None:
    """The tick that sees the stopped import end does not blank the line while the app
    quits (it did when the tick came first: a flaky end of test_q_stops_the_import)."""
    app = ReaderApp(tmp_path / "lib.db", Config())
    async with app.run_test(size=SIZE) as pilot:
        screen = main_of(app)
        line = screen.query_one(ImportLine)
        screen.importing = StoppedImport()  # type: ignore[assignment]
        line.say(import_watch.STOPPING)
        screen._import_tick()
        await settle(pilot)
        assert line.display and "Stopping the import" in str(line.render())
        assert screen.importing is None
        assert not [n for n in notes(app) if n.startswith(("Imported", "The import"))]


class FailingImport(ChildImport):
    """A child that ends as an import does when the library cannot be written."""

    @property
    def argv(self) -> list[str]:
        script = "import sys; print('newsreader: lib.db: the disk is full'); sys.exit(2)"
        return [sys.executable, "-c", script]


async def test_a_failed_import_says_so_in_one_line(tmp_path: Path) -> None:
    library = tmp_path / "lib.db"
    child = FailingImport(library, [tmp_path])
    child.start()
    app = ReaderApp(library, Config(), importing=child)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ended(pilot, child)
        failed = [n for n in notes(app) if n.startswith("The import failed")]
        assert failed == [
            f"The import failed: lib.db: the disk is full (see {library}.import.log)."
        ]
        assert not screen.query_one(ImportLine).display


def test_the_progress_line_says_how_far_the_import_has_come() -> None:
    from reader.library.turns import Busy

    assert progress_line(None) == "Importing: starting…"
    listing = Busy("an import", "listing", 12345, 100000)
    assert progress_line(listing) == "Importing: 12,345 of 100,000 files listed"
    assert progress_line(Busy("an import", "indexing", 40, 100)) == "Indexing for search: 40%"


def test_newsreader_path_opens_the_app_before_the_import_ends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_tiny_posts(tmp_path / "news", 50)
    seen: dict[str, object] = {}

    def run(app: ReaderApp) -> None:  # instead of the app: what it would start with
        child = app.importing
        assert child is not None and child.process is not None
        seen["view"] = app.library.setting("ui.view")
        seen["argv"] = child.process.args
        child.process.wait()

    monkeypatch.setattr(ReaderApp, "run", run)
    library = tmp_path / "lib.db"
    assert cli.main(["--library", str(library), str(folder)]) == 0
    assert seen["view"] == "source\x1fnews"
    assert seen["argv"] == [
        sys.executable,
        "-m",
        "reader",
        "--library",
        str(library),
        "import",
        str(folder),
    ]
    with Library(library) as opened:
        assert opened.count() == 50
    assert (tmp_path / "lib.db.import.log").read_text().startswith("Imported into")


async def test_an_unfinished_index_is_finished_beside_the_app(tmp_path: Path) -> None:
    """An upgrade (which makes the index again) or an import stopped before its index
    leaves articles search does not cover: opening the app indexes them in a child."""
    import argparse

    folder = write_tiny_posts(tmp_path / "news", 30)
    library = tmp_path / "lib.db"
    with Library(library) as opened:
        from reader.library import import_paths

        import_paths(opened, [folder], jobs=1)
        with opened.transaction():
            opened.db.execute("INSERT INTO search(search) VALUES ('delete-all')")
            opened.db.execute("UPDATE articles SET indexed = 0")
    args = argparse.Namespace(library=str(library), config=Config())
    child = cli._index_beside_app(args)
    assert child is not None and child.command == "finish-index"
    assert child.argv[-2:] == ["doctor", "--finish-index"]
    app = ReaderApp(library, Config(), importing=child)
    async with app.run_test(size=SIZE) as pilot:
        await ended(pilot, child)
        assert "Search covers every article now." in notes(app)
    with Library(library) as opened:
        assert opened.unindexed() == 0 and opened.coverage() is None
    assert cli._index_beside_app(args) is None  # nothing left to index: no child
