"""Pictures drawn in the terminal, with textual-image: whether the terminal can (asked once,
before the app runs), and a decoded picture made into the rows a Line-API view shows.

Only the Kitty graphics protocol and Sixel count: elsewhere (and under tests, with no
terminal) an article keeps its `[image: alt]` lines. Kitty's unicode placeholders are
ordinary cells, so a picture's rows scroll like text. A Sixel picture is blank rows that
the view draws the picture over, once all of them are on screen (see `sixel_over`).
"""

from __future__ import annotations

import os
import re
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from contextlib import suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from rich.measure import Measurement
from rich.segment import ControlType, Segment
from textual.strip import Strip

if TYPE_CHECKING:
    from PIL.Image import Image
    from rich.console import Console

    from reader.library.images import PictureCache

    Wanted = tuple[str, PictureCache | None]

T = TypeVar("T")
KITTY, SIXEL = "kitty", "sixel"
ANSWER_WAIT = 2.0  # s at most; Probe.wait stops listening sooner, as the app starts
MIN_COLS, MIN_ROWS = 4, 2  # smaller pictures (spacers, icons, tracking pixels) stay labels
CELL_PIXELS = (20, 40)  # no terminal cell is larger: pictures are decoded down to this

_protocol: str | None = None  # set by Probe.wait(): KITTY, SIXEL or None
# Kitty: a one-pixel query; then a primary device attributes request (DA1), which every
# terminal answers, after any answer to the first: no waiting on a terminal that is mute.
_QUERY = b"\x1b_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\x1b\\\x1b[c"
_DA1 = re.compile(rb"\x1b\[\?([0-9;]*)c")
_KITTY_OK = re.compile(rb"\x1b_Gi=31;OK\x1b\\")


def protocol() -> str | None:
    """KITTY or SIXEL when the terminal was found to show pictures, else None."""
    return _protocol


def wanted(config: object, no_color: bool, colours: str | None) -> Wanted | None:
    """(protocol, the cache remote pictures are fetched into if they are) when the
    `images` setting wants pictures and the terminal shows them; else None: labels only.
    `no_color`, `colours`: the app's NO_COLOR and its console's colour system."""
    kind, setting = _protocol, getattr(config, "images", True)
    if kind is None or setting is False:
        return None
    # Kitty finds a picture by its cells' colour: it must reach the terminal as sent.
    if kind == KITTY and (no_color or colours != "truecolor"):
        return None
    if setting != "fetch":
        return kind, None
    from reader import paths
    from reader.library.images import PictureCache

    megabytes = getattr(config, "image_cache_mb", 200)
    return kind, PictureCache(paths.data_dir() / "pictures", max(0, megabytes) * 2**20)


class Probe:
    """Asks the terminal, in a thread beside the start-up's imports, whether it shows
    pictures. Textual reads whatever the terminal sends as keys once it runs: `wait`
    stops listening (a terminal answers in a round trip, well within the imports' time;
    only a pty with no terminal behind it never does, and must not delay the start)."""

    def __init__(self) -> None:
        self.answer: tuple[bool, bool] = (False, False)  # (Kitty, Sixel)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._ask, name="picture-probe", daemon=True)
        self._thread.start()

    def _ask(self) -> None:
        with suppress(OSError, ValueError, ImportError):  # (termios: not on Windows)
            self.answer = ask_terminal(ANSWER_WAIT, self._stop)

    def wait(self) -> str | None:
        """The protocol pictures will use. textual-image, imported only now and only for
        a terminal that can, asks in its own way (and the cell size: before Textual)."""
        global _protocol
        self._stop.set()
        self._thread.join()
        if not any(self.answer):
            return None
        import textual_image.widget  # noqa: F401
        from textual_image.renderable import Image, SixelImage, TGPImage

        _protocol = KITTY if Image is TGPImage else SIXEL if Image is SixelImage else None
        return _protocol


def start_probe(images: object) -> Probe | None:
    """A Probe when the `images` setting wants pictures and both ends are a terminal."""
    streams = (sys.__stdin__, sys.__stdout__)
    if images is False or not all(s is not None and s.isatty() for s in streams):
        return None
    return Probe()


def ask_terminal(wait: float, stop: threading.Event | None = None) -> tuple[bool, bool]:
    """(Kitty graphics, Sixel): the terminal's answers, read until DA1's comes, `wait`
    seconds pass or `stop` is set."""
    import select
    import termios
    import tty

    assert sys.__stdin__ is not None and sys.__stdout__ is not None
    fd = sys.__stdin__.fileno()
    saved = termios.tcgetattr(fd)
    reply = b""
    try:
        tty.setcbreak(fd, termios.TCSANOW)  # (the answers are not echoed)
        os.write(sys.__stdout__.fileno(), _QUERY)
        deadline = time.monotonic() + wait
        while not _DA1.search(reply) and time.monotonic() < deadline:
            if stop is not None and stop.is_set():
                break
            if select.select([fd], [], [], 0.002)[0]:  # (stop is heard within 2 ms)
                reply += os.read(fd, 256)
    finally:
        termios.tcsetattr(fd, termios.TCSANOW, saved)
    attributes = _DA1.search(reply)
    sixel = attributes is not None and b"4" in attributes.group(1).split(b";")
    return _KITTY_OK.search(reply) is not None, sixel


# ---- a picture read and laid out --------------------------------------------------------------


def picture_of(
    src: str, post: str, cache: PictureCache | None, box: tuple[int, int]
) -> Image | None:
    """The picture `src` of the post at `post`, decoded to fit `box` (pixels): written
    into the article, read from the post's site, or (with a `cache`) fetched."""
    from reader.library import images
    from reader.ui.fragment import openable

    data = images.inline_picture(src) if src.startswith("data:") else None
    path = images.local_picture(src, post) if data is None else None
    url = openable(src) if data is None and path is None and cache is not None else None
    if path is not None:
        data = images.read_picture(path)
    elif url is not None and cache is not None:
        data = images.fetch_picture(url, cache)
    return images.decode(data, box) if data else None


def load_picture(
    src: str,
    post: str,
    cache: PictureCache | None,
    kind: str,
    console: Console,
    size: tuple[int, int],
    background: tuple[int, int, int],
) -> Shown | None:
    """A picture read, decoded and laid out in at most `size` (columns, rows); None when
    it cannot be had or shown, whatever the bytes (untrusted, through two libraries)."""
    cols, rows = size
    try:
        image = picture_of(src, post, cache, (cols * CELL_PIXELS[0], rows * CELL_PIXELS[1]))
        return lay_out(image, kind, console, cols, rows, background) if image else None
    except Exception:  # (a broken picture is its label: never a crash)
        return None


def in_thread(job: Callable[[], T]) -> Future[T]:
    """`job` run in a daemon thread of its own: a fetch that waits out its deadline holds
    neither the pool the layout runs in nor the app's exit."""
    future: Future[T] = Future()

    def run() -> None:
        try:
            future.set_result(job())
        except BaseException as exc:  # (handed to whoever awaits it)
            future.set_exception(exc)

    threading.Thread(target=run, name="picture", daemon=True).start()
    return future


# ---- a picture laid out -----------------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """A picture laid out: the rows it takes and, for Sixel, the data drawn over them."""

    rows: tuple[Strip, ...]
    sixel: str = ""


def lay_out(
    image: Image,
    kind: str,
    console: Console,
    max_cols: int,
    max_rows: int,
    background: tuple[int, int, int] = (0, 0, 0),
) -> Shown | None:
    """`image` at its own size in cells, at most `max_cols` × `max_rows`; None when that
    is too small to be worth it. For Kitty this sends the picture to the terminal now."""
    from textual_image.renderable import SixelImage, TGPImage

    renderable: type[TGPImage | SixelImage] = TGPImage if kind == KITTY else SixelImage
    if kind == SIXEL and image.mode == "RGBA":  # (Sixel has no alpha: the pane shows through)
        from PIL import Image as PILImage

        flat = PILImage.new("RGB", image.size, background)
        flat.paste(image, mask=image.getchannel("A"))
        image = flat
    options = console.options.update(width=max_cols, height=max_rows)
    cols = Measurement.get(console, options, renderable(image)).maximum  # (its own width)
    # as wide as it is (or the text), unless that makes it taller than the pane
    capped = renderable(image, width="auto", height=max_rows)
    narrower = Measurement.get(console, options.update(width=cols), capped).maximum
    height: int | str = max_rows if narrower < cols else "auto"
    cols = min(cols, narrower)
    if cols < MIN_COLS:
        return None
    segments = list(console.render(renderable(image, width=cols, height=height), options))
    if kind == SIXEL:
        rows = sum(s.text.count("\n") for s in segments if not s.control)
        data = next((s.text for s in segments if s.text.startswith("\x1bP")), "")
        if rows < MIN_ROWS or not data:
            return None
        return Shown(tuple(Strip.blank(cols) for _ in range(rows)), data)
    lines = [line for line in Segment.split_lines(segments) if line]
    if len(lines) < MIN_ROWS:
        return None
    return Shown(tuple(Strip(line, cols) for line in lines))


def sixel_over(shown: Shown, right: int) -> Segment:
    """What draws a Sixel picture over its rows, put at the start of the line below them:
    up to its first row, `right` cells on, and back (no cells of its own)."""
    up = len(shown.rows)
    move = f"\x1b[{right}C" if right > 0 else f"\x1b[{-right}D" if right else ""
    text = f"\x1b7\x1b[{up}A{move}{shown.sixel}\x1b8"
    return Segment(text, None, [(ControlType.CURSOR_FORWARD, 0)])
