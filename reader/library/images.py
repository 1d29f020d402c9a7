"""An article's pictures as bytes and as decoded images: a local post's from its own site
folder on disk, a remote one fetched (when the settings allow it) into a capped cache in
the data folder. Every source is untrusted: paths named by article text are read only
inside the post's site, sizes are capped before and after decoding, and only a few common
formats are decoded at all (Pillow's EPS reader would start Ghostscript)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import os
import stat
from contextlib import suppress
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from reader.library.ingest import site_content
from reader.library.site import site_url

if TYPE_CHECKING:
    from PIL.Image import Image

MAX_BYTES = 16 * 2**20  # a picture file or answer larger than this is not read
MAX_PIXELS = 30_000_000  # a larger picture (by its header) is not decoded: a bomb, or a poster
FORMATS = ("PNG", "JPEG", "GIF", "WEBP", "BMP")
SITE_DEPTH = 8  # folders above a post searched for the root of its static site
TIMEOUT = 10.0  # seconds for one remote picture, redirects included


# ---- a local post's pictures ----------------------------------------------------------------


def local_picture(src: str, post: str) -> Path | None:
    """The file a picture's `src` names, for the post at `post` (a file on this disk), when
    it lies inside the post's site (or, outside any static site, the post's own folder).
    `/assets/x.png` is read from the site root (Hugo's and Zola's `static/` too), a
    relative `img/x.png` from beside the post, `https://site/x.png` from the site when
    that is the site's own address (`url` in `_config.yml`); anything else: None."""
    if not os.path.isabs(post):  # a feed's entry ("feed:…"): no folder of its own
        return None
    folder = Path(post).parent
    root, address = _site(str(folder))
    allowed = Path(root) if root else folder
    try:
        parts = urlsplit(src.strip())
    except ValueError:
        return None
    scheme, path = parts.scheme.lower(), unquote(parts.path)
    candidates: list[Path]
    if scheme == "file":
        candidates = [Path(path)]
    elif scheme in ("http", "https"):
        on_site = _on_site(parts.netloc, path, address)
        if on_site is None:
            return None
        candidates = _site_paths(on_site, allowed)
    elif scheme or parts.netloc or not path:
        return None  # (data:, mailto:, `//host/x`...)
    elif path.startswith("/"):
        candidates = [*_site_paths(path, allowed), Path(path)]
    else:
        candidates = [folder / path, allowed / path]
    for candidate in candidates:
        found = _inside(candidate, allowed)
        if found is not None:
            return found
    return None


def _site_paths(path: str, root: Path) -> list[Path]:
    """Where a site path (`/img/x.png`) is in a site's folder: Hugo's and Zola's `static/`,
    or the root itself (Jekyll copies everything but `_*` folders as it is)."""
    return [root / "static" / path.lstrip("/"), root / path.lstrip("/")]


@lru_cache(maxsize=64)
def _site(folder: str) -> tuple[str | None, str | None]:
    """(root folder, web address) of the static site `folder` is in, or (None, None)."""
    here = Path(folder)
    for candidate in [here, *here.parents][:SITE_DEPTH]:
        try:
            entries = list(os.scandir(candidate))
        except OSError:
            continue
        files = {entry.name for entry in entries if not _is_dir(entry)}
        folders = {entry.name for entry in entries if _is_dir(entry)}
        if site_content(files, folders) is not None:
            return str(candidate), site_url(str(candidate), files)
    return None, None


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _on_site(host: str, path: str, address: str | None) -> str | None:
    """The site path of an http(s) picture on the site's own address, else None."""
    if not address:
        return None
    site = urlsplit(address)
    if host.lower() != site.netloc.lower():
        return None
    base = site.path.rstrip("/")
    return path[len(base) :] if base and path.startswith(base + "/") else path


def _inside(candidate: Path, allowed: Path) -> Path | None:
    """`candidate` with its links resolved, if that is a file inside `allowed`."""
    try:
        real, root = os.path.realpath(candidate), os.path.realpath(allowed)
        if os.path.commonpath([real, root]) != root or not os.path.isfile(real):
            return None
    except (OSError, ValueError):  # (a NUL in the name, paths on different drives)
        return None
    return Path(real)


def read_picture(path: Path) -> bytes | None:
    """A regular file's bytes, at most MAX_BYTES (a named pipe is refused, not waited on)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BYTES:
                return None
            data = handle.read(MAX_BYTES + 1)
    except OSError:
        return None
    return data if len(data) <= MAX_BYTES else None


def inline_picture(src: str) -> bytes | None:
    """The bytes of a `data:image/…;base64,…` picture written into the article."""
    head, comma, body = src.strip().partition(",")
    if not comma or not head.lower().startswith("data:image/") or not head.endswith(";base64"):
        return None
    if len(body) > MAX_BYTES * 4 // 3 + 4:
        return None
    try:
        return base64.b64decode(body, validate=False)
    except (binascii.Error, ValueError):
        return None


# ---- remote pictures, fetched into a cache ------------------------------------------------


class PictureCache:
    """Fetched pictures as files named by their address's hash, at most `cap` bytes in
    all: storing one removes the least recently used until the rest fit."""

    def __init__(self, folder: Path, cap: int) -> None:
        self.folder = folder
        self.cap = cap

    def path(self, url: str) -> Path:
        return self.folder / hashlib.sha256(url.encode("utf-8", "replace")).hexdigest()

    def get(self, url: str) -> bytes | None:
        path = self.path(url)
        data = read_picture(path)
        if data is not None:
            with suppress(OSError):
                os.utime(path)  # used now: the last to go
        return data

    def put(self, url: str, data: bytes) -> None:
        if len(data) > self.cap:
            return
        path = self.path(url)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            part = path.with_name(f"{path.name}.{os.getpid()}.part")
            part.write_bytes(data)
            os.replace(part, path)  # (another app's reader sees all of it or nothing)
        except OSError:
            return
        self.evict()

    def evict(self) -> None:
        """Remove the least recently used files until the cache is within its cap."""
        files: list[tuple[float, int, str]] = []
        try:
            with os.scandir(self.folder) as entries:
                for entry in entries:
                    info = entry.stat(follow_symlinks=False)
                    if stat.S_ISREG(info.st_mode):
                        files.append((info.st_mtime, info.st_size, entry.path))
        except OSError:
            return
        total = sum(size for _when, size, _path in files)
        for _when, size, path in sorted(files):
            if total <= self.cap:
                break
            try:
                os.remove(path)
            except FileNotFoundError:
                pass  # (another app removed it: it is gone all the same)
            except OSError:
                continue
            total -= size


def fetch_picture(url: str, cache: PictureCache, timeout: float = TIMEOUT) -> bytes | None:
    """An http(s) picture's bytes, from the cache or else fetched (with the feeds' limits:
    one deadline for it all, redirects to http(s) only, MAX_BYTES) and cached. None when it
    cannot be had: the article shows its placeholder."""
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        return None
    data = cache.get(url)
    if data is not None:
        return data
    import http.client
    import zlib

    from reader.library.fetch import USER_AGENT, get

    headers = {"User-Agent": USER_AGENT, "Accept": "image/*"}
    try:
        data = get(url, headers, timeout, limit=MAX_BYTES).data
    except (OSError, ValueError, zlib.error, http.client.HTTPException):  # HTTPError, TooLarge…
        return None
    cache.put(url, data)
    return data


# ---- decoding --------------------------------------------------------------------------------


def decode(data: bytes, box: tuple[int, int]) -> Image | None:
    """A picture's pixels, made no larger than `box` (width, height); None for bytes that
    are no picture of FORMATS, too many pixels, or broken. The first frame of an animation."""
    from PIL import Image, ImageOps

    _quiet_bomb_warnings()
    try:
        opened = Image.open(io.BytesIO(data), formats=FORMATS)
        width, height = opened.size
        if width < 1 or height < 1 or width * height > MAX_PIXELS:
            return None
        opened.draft("RGB", box)  # a JPEG decodes at 1/2, 1/4 or 1/8 of its size: faster
        opened.load()
        image = ImageOps.exif_transpose(opened)
        image = image.convert("RGBA" if _has_alpha(image) else "RGB")
        image.thumbnail(box)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, EOFError):
        return None  # (Pillow reports a broken file by any of these)
    return image


@lru_cache(maxsize=1)
def _quiet_bomb_warnings() -> None:
    """Pillow warns (on stderr, under the app's screen) of a picture over its own pixel
    limit before `decode` can refuse it by MAX_PIXELS, which is lower: no warning needed."""
    import warnings

    from PIL import Image

    warnings.filterwarnings("ignore", category=Image.DecompressionBombWarning)


def _has_alpha(image: Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
