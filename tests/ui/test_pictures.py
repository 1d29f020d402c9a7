"""Pictures in articles: labels where the terminal cannot show them or the settings say no;
Kitty's placeholder cells and Sixel's data where it can (the protocol set as the start-up
probe would set it); local pictures only from the post's site, remote ones only with
`images: fetch`; and the article never waits for a picture."""

from __future__ import annotations

import base64
import io
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from feeds_server import FeedServer
from PIL import Image
from rich.console import Console
from rich.text import Text
from textual.strip import Strip

from reader.config import Config
from reader.library import Library, import_paths
from reader.ui import pictures
from reader.ui.app import ReaderApp
from reader.ui.pictures import KITTY, SIXEL, Shown, lay_out
from reader.ui.splice import splice
from reader.ui.widgets import ArticleView

from .helpers import main_of, settle

SIZE = (120, 40)
PLACEHOLDER = chr(0x10EEEE)  # Kitty's unicode placeholder: a cell of a picture
PICTURE = (200, 120)  # pixels: 20 × 6 cells of 10 × 20 (textual-image's size with no terminal)


def png(size: tuple[int, int] = PICTURE) -> bytes:
    out = io.BytesIO()
    Image.effect_mandelbrot(size, (-2, -1.2, 1, 1.2), 40).convert("RGB").save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> Iterator[io.StringIO]:
    """What textual-image writes to the terminal itself (Kitty's transmissions), with a
    24-bit console and no protocol until a test sets one."""
    written = io.StringIO()
    monkeypatch.setattr(sys, "__stdout__", written)
    monkeypatch.setattr(pictures, "_protocol", None)
    monkeypatch.setenv("COLORTERM", "truecolor")
    monkeypatch.delenv("NO_COLOR", raising=False)
    yield written


def site_library(tmp_path: Path, body: str, files: dict[str, bytes] | None = None) -> Path:
    """A library of one Jekyll post with `body`, its site holding `files`."""
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    (site / "_config.yml").write_text("title: Pictures\n")
    for name, data in {"assets/m.png": png(), **(files or {})}.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_bytes(data)
    (site / "_posts/2024-01-01-pictures.md").write_text(f"---\ntitle: Pictures\n---\n{body}")
    path = tmp_path / "lib.db"
    with Library(path) as library:
        import_paths(library, [site], jobs=1)
    return path


BODY = "Before the picture.\n\n![a mandel](/assets/m.png)\n\nAfter the picture.\n"


async def opened(app: ReaderApp, pilot: object) -> ArticleView:
    await settle(pilot)  # type: ignore[arg-type]
    await pilot.press("enter")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    return main_of(app).body


async def laid_out(view: ArticleView, pilot: object) -> None:
    for _ in range(500):
        await pilot.pause(0.01)  # type: ignore[attr-defined]
        if view.document is not None:
            return
    raise AssertionError("the article was never laid out")


def cells(view: ArticleView) -> list[int]:
    """The lines of the view that are a picture's cells."""
    return [n for n, line in enumerate(view.lines) if PLACEHOLDER in line.text]


def screen_output(app: ReaderApp) -> str:
    """What the app would write to the terminal for a whole frame."""
    update = app.screen._compositor.render_update(full=True)
    return str(update.render_segments(app.console))  # type: ignore[union-attr]


# ---- placeholders ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("protocol", "images"), [(KITTY, False), (SIXEL, False), (None, True), (None, "fetch")]
)
async def test_a_label_when_pictures_are_off_or_the_terminal_cannot(
    tmp_path: Path, terminal: io.StringIO, protocol: str | None, images: bool | str
) -> None:
    pictures._protocol = protocol
    app = ReaderApp(site_library(tmp_path, BODY), Config(images=images))  # type: ignore[arg-type]
    async with app.run_test(size=SIZE) as pilot:
        view = await opened(app, pilot)
        assert "[image: a mandel]" in view.plain
        assert view.plain.index("[image: a mandel]") == view.plain.index("Before the picture.") + 2
        assert cells(view) == [] and "\x1bP" not in screen_output(app)
    assert terminal.getvalue() == ""  # nothing sent to the terminal


async def test_kitty_needs_colours_as_sent(
    tmp_path: Path, terminal: io.StringIO, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLORTERM", "")  # a 256-colour terminal would change the cells' ids
    pictures._protocol = KITTY
    app = ReaderApp(site_library(tmp_path, BODY), Config())
    async with app.run_test(size=SIZE) as pilot:
        view = await opened(app, pilot)
        assert "[image: a mandel]" in view.plain and cells(view) == []


# ---- a real protocol's output ------------------------------------------------------------------


async def test_kitty_pictures_are_cells_that_name_a_picture_sent_to_the_terminal(
    tmp_path: Path, terminal: io.StringIO
) -> None:
    pictures._protocol = KITTY
    app = ReaderApp(site_library(tmp_path, BODY), Config())
    async with app.run_test(size=SIZE) as pilot:
        view = await opened(app, pilot)
        rows = cells(view)
        label = view.plain.index("[image: a mandel]")
        assert rows == list(range(label - 6, label))  # 6 rows above the label, kept
        assert view.plain[rows[0] - 2] == "Before the picture."
        sent = terminal.getvalue()
        # The picture went to the terminal as PNG, in chunks, with a virtual placement.
        chunks = re.findall(r"\x1b_Gi=(\d+),m=[01],f=100,q=2;([A-Za-z0-9+/=]+)\x1b\\", sent)
        assert chunks and len({number for number, _ in chunks}) == 1
        number = int(chunks[0][0])
        picture = Image.open(io.BytesIO(base64.b64decode("".join(c for _, c in chunks))))
        assert picture.size == (200, 120)  # 20 × 6 cells of 10 × 20 pixels
        assert f"\x1b_Ga=p,i={number},c=20,r=6,U=1,q=2\x1b\\" in sent
        # Each cell: the placeholder, its row and column as diacritics, the id as colour.
        first = view.lines[rows[0]]
        text = first.text
        assert len(text) == 20 * 4 and text.count(PLACEHOLDER) == 20
        assert text[1:3] == "\u0305\u0305" and text[5:7] == "\u0305\u030d"  # row 0; col 0, 1
        assert first.cell_length == 20
        colour = f"38;2;{(number >> 16) & 255};{(number >> 8) & 255};{number & 255}"
        assert f"\x1b[{colour};" in screen_output(app)
        assert f"{PLACEHOLDER}\u0305\u0305" in screen_output(app)


async def test_sixel_pictures_are_drawn_over_blank_rows_when_all_on_screen(
    tmp_path: Path, terminal: io.StringIO
) -> None:
    pictures._protocol = SIXEL
    body = "Before the picture.\n\n![a mandel](/assets/m.png)\n\n" + "More.\n\n" * 60
    app = ReaderApp(site_library(tmp_path, body), Config())
    async with app.run_test(size=SIZE) as pilot:
        view = await opened(app, pilot)
        label = view.plain.index("[image: a mandel]")
        assert view.plain[label - 7 : label] == ["", "", "", "", "", "", ""]  # 6 rows kept
        shown = screen_output(app)
        # From the label line: save the cursor, up 6 rows, right to the text, the data, back.
        drawn = re.search(r'\x1b7\x1b\[6A\x1b\[(\d+)C\x1bP[0-9;]*q"1;1;200;120', shown)
        assert drawn is not None and shown.index("\x1b8", drawn.end()) > drawn.end()
        assert screen_output(app).count("\x1bP") == 1
        view.scroll_to(y=label - 3, animate=False, immediate=True)  # the top rows go off
        await pilot.pause()
        assert "\x1bP" not in screen_output(app)
        view.scroll_to(y=0, animate=False, immediate=True)
        await pilot.pause()
        assert screen_output(app).count("\x1bP") == 1
    assert terminal.getvalue() == ""  # (all Sixel goes through Textual's own output)


def test_lay_out_fits_the_text_and_the_pane() -> None:
    console = Console(width=90, height=40, file=io.StringIO(), color_system="truecolor")
    wide = Image.new("RGB", (2000, 500), "blue")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sys, "__stdout__", io.StringIO())
        kitty = lay_out(wide, KITTY, console, 90, 30)
        assert kitty is not None and len(kitty.rows) == 11  # 90 cells of 10 px: 900 × 225
        assert {row.cell_length for row in kitty.rows} == {90}
        tall = lay_out(Image.new("RGB", (300, 3000), "blue"), SIXEL, console, 90, 30)
        assert tall is not None and len(tall.rows) == 30  # as tall as the pane allows
        assert '"1;1;60;600' in tall.sixel  # 6 cells of 10 px wide, 30 rows of 20
        assert lay_out(Image.new("RGB", (16, 16)), KITTY, console, 90, 30) is None  # an icon


# ---- where pictures come from --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("src", "files"),
    [
        ("../../secret.png", {}),  # outside the site (written beside it below)
        ("/assets/broken.png", {"assets/broken.png": b"\x89PNG\r\n\x1a\n" + b"\x00" * 64}),
        ("/assets/empty.png", {"assets/empty.png": b""}),
        ("/assets/missing.png", {}),
    ],
)
async def test_a_picture_that_cannot_be_had_keeps_its_label(
    tmp_path: Path, terminal: io.StringIO, src: str, files: dict[str, bytes]
) -> None:
    (tmp_path / "secret.png").write_bytes(png())
    pictures._protocol = KITTY
    body = f"Before.\n\n![gone]({src})\n\n![a mandel](/assets/m.png)\n"
    app = ReaderApp(site_library(tmp_path, body, files), Config())
    async with app.run_test(size=SIZE) as pilot:
        view = await opened(app, pilot)
        label = view.plain.index("[image: gone]")
        assert view.plain[label - 2] == "Before."  # no rows above it
        assert len(cells(view)) == 6  # the other picture shows
        assert view.plain.index("[image: a mandel]") == cells(view)[-1] + 1


async def test_remote_pictures_are_fetched_only_when_the_settings_say_so(
    tmp_path: Path, terminal: io.StringIO, home: Path
) -> None:
    pictures._protocol = KITTY
    with FeedServer() as server:
        url = server.swap("m.png", png(), "image/png")
        path = site_library(tmp_path, f"Remote:\n\n![far]({url})\n")
        app = ReaderApp(path, Config())
        async with app.run_test(size=SIZE) as pilot:
            view = await opened(app, pilot)
            assert cells(view) == [] and server.requests_to(url) == []
        app = ReaderApp(path, Config(images="fetch", image_cache_mb=1))
        async with app.run_test(size=SIZE) as pilot:
            view = await opened(app, pilot)
            assert len(cells(view)) == 6 and len(server.requests_to(url)) == 1
        cached = list((home / "data" / "pictures").iterdir())
        assert [p.read_bytes() for p in cached] == [png()]


# ---- the article never waits ---------------------------------------------------------------------


async def test_the_text_shows_first_and_a_late_picture_keeps_the_reader_in_place(
    tmp_path: Path, terminal: io.StringIO, monkeypatch: pytest.MonkeyPatch
) -> None:
    pictures._protocol = KITTY
    gate = threading.Event()
    real = pictures.picture_of

    def slow(*args: object) -> object:
        gate.wait(10)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(pictures, "picture_of", slow)
    body = "![a mandel](/assets/m.png)\n\n" + "\n\n".join(f"Line {n}." for n in range(80)) + "\n"
    app = ReaderApp(site_library(tmp_path, body), Config())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        view = main_of(app).body
        await laid_out(view, pilot)  # the body is laid out while the picture is being read
        assert "Line 79." in view.plain and cells(view) == []
        assert view.article is not None
        main_of(app).changed([view.article.id])  # (a state change shows it anew meanwhile)
        await laid_out(view, pilot)
        view.scroll_to(y=view.plain.index("Line 40."), animate=False, immediate=True)
        await pilot.pause()
        assert view.find("Line 50.") == 1
        gate.set()
        await settle(pilot)
        assert len(cells(view)) == 6
        assert view.plain[int(view.scroll_offset.y)] == "Line 40."  # what was at the top
        ((line, start, end),) = view.found[0]
        assert view.plain[line][start:end] == "Line 50."


def test_lines_map_between_the_text_and_the_lines_shown() -> None:
    texts = [Text(f"line {n}") for n in range(6)]
    strips, plain = [Strip.blank(6) for _ in texts], [t.plain for t in texts]
    rows = Shown((Strip.blank(4), Strip.blank(4)))
    spots = {0: (1, 2), 1: (4, 0)}  # picture -> (its label's line, indent)
    spliced = splice(strips, texts, plain, spots, {0: rows})
    assert spliced.plain == ["line 0", "", "", "line 1", "line 2", "line 3", "line 4", "line 5"]
    assert spliced.lines[1].cell_length == 6  # indented by 2
    assert [spliced.shown_line(n) for n in range(6)] == [0, 3, 4, 5, 6, 7]
    assert [spliced.base_line(n) for n in range(8)] == [0, 1, 1, 1, 2, 3, 4, 5]
    both = splice(strips, texts, plain, spots, {0: rows, 1: rows})
    assert both.plain[6:9] == ["", "", "line 4"] and both.added == [(1, 2), (4, 2)]
    assert [both.base_line(n) for n in range(10)] == [0, 1, 1, 1, 2, 3, 4, 4, 4, 5]


# ---- asking the terminal -------------------------------------------------------------------------

ASK = "from reader.ui.pictures import ask_terminal; print(ask_terminal({wait}))"


@pytest.mark.parametrize(
    ("answer", "found"),
    [
        (b"\x1b_Gi=31;OK\x1b\\\x1b[?62;22c", "(True, False)"),  # Kitty
        (b"\x1b[?62;4;22c", "(False, True)"),  # a Sixel terminal (4 among the attributes)
        (b"\x1b[?1;2c", "(False, False)"),  # neither: the answer to DA1 ends the wait
        (b"", "(False, False)"),  # a mute pty: the wait runs out
    ],
)
def test_the_probe_reads_the_terminals_answers(answer: bytes, found: str) -> None:
    master, slave = os.openpty()
    wait = 0.5 if answer else 0.2
    child = subprocess.Popen(
        [sys.executable, "-c", ASK.format(wait=wait)], stdin=slave, stdout=slave, stderr=slave
    )
    os.close(slave)
    try:
        asked = b""
        while b"\x1b[c" not in asked:
            asked += os.read(master, 1024)
        assert asked.startswith(b"\x1b_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\x1b\\")
        os.write(master, answer)
        out = b""
        while child.poll() is None or not out.strip():
            try:
                out += os.read(master, 1024)
            except OSError:
                break
        assert out.decode().strip().splitlines()[-1] == found
    finally:
        child.wait(10)
        os.close(master)


STARTING = (
    "import time; from reader.ui.pictures import start_probe; probe = start_probe(True);"
    "time.sleep(0.3); began = time.monotonic(); found = probe.wait();"
    "print(found, round(time.monotonic() - began, 1))"
)


def test_a_mute_terminal_does_not_hold_up_the_start() -> None:
    """The probe listens while the app imports; when the app is ready it stops at once."""
    master, slave = os.openpty()
    child = subprocess.Popen([sys.executable, "-c", STARTING], stdin=slave, stdout=slave)
    os.close(slave)
    out = b""
    try:
        while child.poll() is None or b"\n" not in out:
            try:
                out += os.read(master, 1024)
            except OSError:
                break
    finally:
        child.wait(10)
        os.close(master)
    assert out.decode().strip().endswith("\x1b[cNone 0.0")  # (the query, then the result)


def test_no_probe_without_a_terminal_or_with_pictures_off() -> None:
    assert pictures.start_probe(True) is None  # (pytest's stdout is no terminal)
    assert pictures.start_probe(False) is None
