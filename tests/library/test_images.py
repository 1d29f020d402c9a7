"""An article's pictures as bytes: a local post's read only inside its site, remote ones
fetched from loopback into a capped cache, and untrusted bytes decoded or refused."""

from __future__ import annotations

import base64
import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from feeds_server import FeedServer
from PIL import Image

from reader.library import images
from reader.library.images import PictureCache, decode, fetch_picture, local_picture


def png(size: tuple[int, int] = (40, 30), colour: str = "red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


@pytest.fixture
def jekyll(tmp_path: Path) -> Path:
    """A Jekyll site: `_config.yml`, a post in `_posts/2024/`, pictures in `assets/`."""
    site = tmp_path / "site"
    write(site / "_config.yml", "url: https://blog.example\nbaseurl: /notes\n")
    write(site / "_posts/2024/2024-01-01-hello.md", "---\ntitle: Hello\n---\nHi.\n")
    write(site / "assets/cat.png", png())
    write(site / "_posts/2024/beside.png", png())
    write(tmp_path / "secret.png", png())
    images._site.cache_clear()
    return site


def post_of(site: Path) -> str:
    return str(site / "_posts/2024/2024-01-01-hello.md")


@pytest.mark.parametrize(
    ("src", "found"),
    [
        ("/assets/cat.png", "assets/cat.png"),  # site-relative, as the import leaves it
        ("../../assets/cat.png", "assets/cat.png"),  # relative to the post's file
        ("beside.png", "_posts/2024/beside.png"),
        ("/assets/c%61t.png", "assets/cat.png"),  # as a URL spells it
        ("https://blog.example/notes/assets/cat.png", "assets/cat.png"),  # the site's own
        ("https://blog.example/assets/cat.png?v=2#top", "assets/cat.png"),
        ("/assets/missing.png", None),
        ("https://elsewhere.example/assets/cat.png", None),  # someone else's site
        ("//blog.example/assets/cat.png", None),
        ("mailto:x@example.com", None),
    ],
)
def test_a_local_post_reads_pictures_from_its_site(
    jekyll: Path, src: str, found: str | None
) -> None:
    path = local_picture(src, post_of(jekyll))
    assert path == (jekyll / found if found else None)


@pytest.mark.parametrize(
    "src",
    [
        "../../../secret.png",  # above the site root
        "/../secret.png",
        "/assets/../../secret.png",
        "%2e%2e/%2e%2e/%2e%2e/secret.png",
        "/etc/passwd",
        "file:///etc/passwd",
        "/assets/cat.png\x00.txt",
    ],
)
def test_a_picture_outside_the_site_is_never_read(jekyll: Path, src: str) -> None:
    assert local_picture(src, post_of(jekyll)) is None


def test_a_link_out_of_the_site_is_refused(jekyll: Path, tmp_path: Path) -> None:
    (jekyll / "assets/away.png").symlink_to(tmp_path / "secret.png")
    assert local_picture("/assets/away.png", post_of(jekyll)) is None
    assert local_picture(f"file://{jekyll}/assets/cat.png", post_of(jekyll)) == (
        jekyll / "assets/cat.png"
    )


def test_hugo_serves_static_and_a_plain_folder_only_itself(tmp_path: Path) -> None:
    hugo = tmp_path / "hugo"
    write(hugo / "hugo.toml", "")
    write(hugo / "content/posts/first.md", "---\ntitle: First\n---\n")
    write(hugo / "static/img/a.png", png())
    images._site.cache_clear()
    assert local_picture("/img/a.png", str(hugo / "content/posts/first.md")) == (
        hugo / "static/img/a.png"
    )
    notes = tmp_path / "notes"
    write(notes / "day.md", "x")
    write(notes / "pics/a.png", png())
    write(tmp_path / "b.png", png())
    assert local_picture("pics/a.png", str(notes / "day.md")) == notes / "pics/a.png"
    assert local_picture("../b.png", str(notes / "day.md")) is None  # no site: its folder
    assert local_picture("/pics/a.png", str(notes / "day.md")) == notes / "pics/a.png"
    assert local_picture("pics/a.png", "feed:3:item") is None  # a feed's entry: no folder


def test_only_regular_files_of_a_sane_size_are_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fifo = tmp_path / "pipe.png"
    os.mkfifo(fifo)
    assert images.read_picture(fifo) is None  # (and returns at once: nobody writes)
    big = write(tmp_path / "big.png", b"x" * 2000)
    monkeypatch.setattr(images, "MAX_BYTES", 1000)
    assert images.read_picture(big) is None


def test_decode_makes_a_picture_fit_and_refuses_garbage() -> None:
    picture = decode(png((800, 600)), (200, 200))
    assert picture is not None and picture.size == (200, 150) and picture.mode == "RGB"
    assert decode(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, (200, 200)) is None  # broken
    assert decode(b"not a picture at all", (200, 200)) is None
    assert decode(b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n", (99, 99)) is None
    out = io.BytesIO()
    Image.new("RGBA", (10, 10), (0, 0, 255, 128)).save(out, format="PNG")
    assert decode(out.getvalue(), (99, 99)).mode == "RGBA"  # type: ignore[union-attr]


def test_a_decompression_bomb_is_refused_by_its_header() -> None:
    out = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(out, format="PNG")  # 400 million pixels, ~50 KB
    assert len(out.getvalue()) < 200_000
    assert decode(out.getvalue(), (200, 200)) is None


def test_an_inline_picture_is_read_from_the_article() -> None:
    data = png()
    src = "data:image/png;base64," + base64.b64encode(data).decode()
    assert images.inline_picture(src) == data
    assert images.inline_picture("data:text/html;base64,PHA+") is None
    assert images.inline_picture("data:image/png;base64,@@@") in (None, b"")


# ---- remote pictures ---------------------------------------------------------------------------


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        yield running


def test_a_remote_picture_is_fetched_once_then_read_from_the_cache(
    server: FeedServer, tmp_path: Path
) -> None:
    cache = PictureCache(tmp_path / "pictures", 10_000_000)
    url = server.swap("cat.png", png(), "image/png")
    assert fetch_picture(url, cache) == png()
    assert fetch_picture(url, cache) == png()
    assert len(server.requests_to(url)) == 1
    assert server.requests_to(url)[0].headers["user-agent"].startswith("newsreader/")
    assert cache.path(url).read_bytes() == png()


@pytest.mark.parametrize("path", ["/status/404", "/status/500", "/away"])
def test_a_failed_fetch_gives_nothing_and_caches_nothing(
    server: FeedServer, tmp_path: Path, path: str
) -> None:
    cache = PictureCache(tmp_path / "pictures", 10_000_000)
    assert fetch_picture(server.url(path), cache) is None  # /away: a redirect to ftp:
    assert not (tmp_path / "pictures").exists()


def test_a_picture_too_large_is_not_fetched(
    server: FeedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(images, "MAX_BYTES", 1000)
    url = server.swap("big.png", b"x" * 5000, "image/png")
    assert fetch_picture(url, PictureCache(tmp_path / "pictures", 10_000_000)) is None


def test_only_http_is_fetched(tmp_path: Path) -> None:
    cache = PictureCache(tmp_path / "pictures", 10_000_000)
    secret = write(tmp_path / "secret.png", png())
    assert fetch_picture(f"file://{secret}", cache) is None
    assert fetch_picture("ftp://example.com/x.png", cache) is None


def test_the_cache_keeps_under_its_cap_dropping_the_least_recently_used(
    tmp_path: Path,
) -> None:
    cache = PictureCache(tmp_path / "pictures", 2500)
    for n, name in enumerate(["a", "b", "c"]):
        cache.put(name, bytes([n]) * 1000)
        os.utime(cache.path(name), (1000 + n, 1000 + n))  # (a, b, c: oldest to newest)
    assert cache.get("a") is None  # three would be 3000 bytes: the oldest went
    assert cache.get("b") is not None  # ... and reading b makes it the newest
    cache.put("d", b"d" * 1000)
    assert (cache.get("b"), cache.get("c")) == (b"\x01" * 1000, None)
    assert cache.get("d") == b"d" * 1000
    sizes = sum(p.stat().st_size for p in (tmp_path / "pictures").iterdir())
    assert sizes <= 2500
    cache.put("huge", b"h" * 3000)  # larger than the whole cache: not kept
    assert cache.get("huge") is None and cache.get("d") is not None
