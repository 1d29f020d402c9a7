"""The hostile corpus (tests/hostile/) in the app: every article opens with its escapes and
controls gone, its markup literal and the panes' borders in place; links with schemes other
than http and https are refused. test_safety.py covers single hostile posts; this walks all."""

from __future__ import annotations

import re
import sys
import webbrowser
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hostile_corpus import ARTICLES, LINKS, MARKUP, copy_corpus
from rich.cells import cell_len
from textual.app import App
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget

from reader.config import Config
from reader.library import Library, import_paths
from reader.ui.app import ReaderApp

from .helpers import main_of, notes, screen_text, settle

SIZE = (100, 30)  # the narrowest size with the body beside the list
CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # ESC, C0 but \t \n, DEL, C1
BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
BOX = re.compile(r"[\u2500-\u259f]")  # box drawing and block elements: what borders are drawn with
DANGEROUS = ("javascript:", "vbscript:", "file:", "data:")
HOSTILE_ROOT = "evil\x1b]0;pwned\x07\u202e[bold]\x9b31m"


@dataclass
class Corpus:
    """A library built from (some of) the corpus: ids and file names in list order."""

    path: Path
    ids: list[int]
    names: list[str]


def build(tmp_path: Path, names: Iterable[str] = ARTICLES, folder: str = "hostile") -> Corpus:
    """Import the corpus posts `names` (from a folder called `folder`) into a new library."""
    keep = set(names)
    posts = copy_corpus(tmp_path / folder)
    for name in set(ARTICLES) - keep:
        (posts / name).unlink()
    path = tmp_path / "hostile.db"
    with Library(path) as library:
        report = import_paths(library, [posts], jobs=1)
        assert report.new == len(keep), report.summary()
        ids = library.ids()
        names_ = []
        for article_id in ids:
            article = library.article(article_id)
            assert article is not None
            names_.append(Path(article.path).name)
    return Corpus(path, ids, names_)


def leaks(lines: list[str], *, bidi: bool = True) -> list[str]:
    """The lines holding a control character (or a bidi control), as reprs."""
    found = [line for line in lines if CONTROLS.search(line) or (bidi and BIDI.search(line))]
    return [repr(line) for line in found]


def squashed(text: str | list[str]) -> str:
    """Text without any white space: wrapping breaks long tokens anywhere."""
    return re.sub(r"\s+", "", "".join(text))


def graphemes(line: str) -> list[tuple[str, int]]:
    """(grapheme, cells) as Rich measures them: an emoji ZWJ sequence is one wide grapheme."""
    try:
        from rich.cells import split_graphemes
    except ImportError:  # Rich < 14 measures character by character
        return [(ch, cell_len(ch)) for ch in line]
    return [(line[start:end], width) for start, end, width in split_graphemes(line)[0]]


def cells(line: str) -> list[str]:
    """A painted line as terminal cells: a wide grapheme fills two (the second is ""), a
    zero-width one joins the cell before."""
    out: list[str] = []
    for grapheme, width in graphemes(line):
        if width == 0:
            if out:
                out[-1] += grapheme
        else:
            out += [grapheme] + [""] * (width - 1)
    return out


def pane_text(text: list[str], region: Region) -> list[str]:
    """The part of the painted lines inside `region` (a pane)."""
    return [
        "".join(cells(text[y])[region.x : region.right]) for y in range(region.y, region.bottom)
    ]


def assert_layout(app: App[None], text: list[str]) -> None:
    """Every line fills the terminal, and every bordered pane has its border chars where its
    region says: a title measured wrong would push a border out of line."""
    width, height = SIZE
    assert len(text) == height
    grid = [cells(line) for line in text]
    for line, row in zip(text, grid, strict=True):
        assert len(row) == width, repr(line)
    panes = 0
    for widget in app.screen.query(Widget):
        region = widget.region
        if not widget.display or not region or region.right > width or region.bottom > height:
            continue
        left, right = widget.styles.border_left[0], widget.styles.border_right[0]
        for x, edge in ((region.x, left), (region.right - 1, right)):
            if edge in ("", "none", "hidden"):
                continue
            panes += 1
            column = "".join(grid[y][x] for y in range(region.y, region.bottom))
            assert re.fullmatch(f"{BOX.pattern}+", column), (widget, x, column)
    assert panes >= 4  # the sidebar, the list and the body have borders on both sides


async def test_every_article_paints_clean_literal_text_in_an_intact_layout(
    make_app: Callable[..., ReaderApp], tmp_path: Path
) -> None:
    """Open the first article with enter and walk to the last with `n` (which moves the list
    cursor as `j` does; escape, j and enter for each would take three focus changes)."""
    corpus = build(tmp_path)
    app = make_app(corpus.path, group_stories=False)  # (its variants repeat one text)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        assert screen.articles.ids == corpus.ids
        assert_layout(app, screen_text(app))
        await pilot.press("enter")
        for index, (article_id, name) in enumerate(zip(corpus.ids, corpus.names, strict=True)):
            if index:
                await pilot.press("n")
            await settle(pilot)
            assert screen.open_id == article_id and screen.articles.cursor == index
            article = screen.body.article
            assert article is not None and article.id == article_id
            text = screen_text(app)
            assert leaks(text, bidi=False) == [], name
            assert leaks(screen.body.plain, bidi=False) == [], name
            # What the list, the sidebar and the header show has no bidi controls either.
            fields = [article.title, *article.tags, *article.categories, article.url or ""]
            assert leaks(fields) == [], name
            assert_layout(app, text)
            payload = MARKUP.get(name.removeprefix("md-").removesuffix(".md"))
            if payload is not None:
                body = squashed(screen.body.plain)
                assert body.startswith(squashed(f"{name[3:-3]} {payload} title"))
                assert squashed(f"Paragraph with {payload} inside emphasis {payload}") in body
                painted = squashed(pane_text(text, screen.body.scrollable_content_region))
                assert squashed(f"Paragraph with {payload}") in painted, name
        assert app.is_running


async def test_bodies_paint_no_bidi_controls(
    make_app: Callable[..., ReaderApp], tmp_path: Path
) -> None:
    corpus = build(tmp_path, ["md-bidi_override.md", "md-entity_bidi.md"])
    app = make_app(corpus.path, group_stories=False)  # (its variants repeat one text)
    found: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        await pilot.press("enter")
        for index in range(len(corpus.ids)):
            if index:
                await pilot.press("escape", "j", "enter")
            await settle(pilot)
            found += leaks(screen.body.plain) + leaks(screen_text(app))
    assert found == []


async def test_clicking_markup_does_nothing(
    make_app: Callable[..., ReaderApp], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`[@click=app.quit]x[/]` and `[link=...]x[/link]` are text: a click on the x runs and
    opens nothing, and no painted cell carries a link."""
    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url))
    corpus = build(tmp_path, ["md-markup_click.md", "md-markup_link.md"])
    app = make_app(corpus.path, group_stories=False)  # (its variants repeat one text)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        await pilot.press("enter")
        for index, name in enumerate(corpus.names):
            if index:
                await pilot.press("escape", "j", "enter")
            await settle(pilot)
            text = screen_text(app)
            payload = MARKUP[name[3:-3]]
            # The payload's "x" in the first body line that holds the payload.
            spots = [
                (len(cells(line[: line.index(payload)])) + payload.index("]x") + 1, y)
                for y, line in enumerate(text)
                if payload in line
            ]
            x, y = next((x, y) for x, y in spots if x > screen.body.region.x)
            assert cells(text[y])[x] == "x"
            await pilot.click(offset=(x, y))
            await settle(pilot)
            assert app.is_running
            for strip in app.screen._compositor.render_strips():
                assert not any(segment.style and segment.style.link for segment in strip)
    assert opened == []


async def test_links_with_other_schemes_are_refused(
    make_app: Callable[..., ReaderApp], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`o` and `No` on every link of the link posts: only http(s) reaches the browser. A link
    with another scheme is not numbered (its text shows alone), so `1o` finds no link [1] in a
    post whose links are all such, and a front-matter link with another scheme was never
    stored."""
    opened: list[str] = []
    # A graphical session whose browser is webbrowser.open, recorded: nothing is started.
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("BROWSER", raising=False)
    monkeypatch.setattr(webbrowser, "get", lambda *a: webbrowser.BackgroundBrowser("xdg-open"))
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url) or True)
    names = [name for name in ARTICLES if name.startswith("link-") or name == "links-page.html"]
    corpus = build(tmp_path, names)
    app = make_app(corpus.path, group_stories=False)  # (its variants repeat one text)
    expected: list[str] = []
    not_offered: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        await pilot.press("enter")
        for index, name in enumerate(corpus.names):
            if index:
                await pilot.press("n")
            await settle(pilot)
            article = screen.body.article
            assert article is not None and article.path.endswith(name)
            url = article.url
            assert url is None or urlsplit(url).scheme in ("http", "https"), url
            links = list(screen.body.links)
            for link in links:
                assert urlsplit(link).scheme.lower() in ("http", "https"), (name, link)
            if not links:
                app.clear_notifications()
                await pilot.press("1", "o")
                assert notes(app) == ["There is no link [1] in this article."], name
                not_offered.append(name)
            for keys, target in [(["o"], url)] + [
                ([*str(n), "o"], links[n - 1]) for n in range(1, len(links) + 1)
            ]:
                app.clear_notifications()
                await pilot.press(*keys)
                await settle(pilot)  # the browser is started from a worker
                if target is None:
                    assert notes(app) == ["This article has no link."], name
                else:
                    assert notes(app) == [f"Opening {target[:100]}"], name
                    expected.append(target)
        assert app.is_running
    assert sorted(opened) == sorted(expected)
    assert opened, "no link was opened: the test lost its way"
    # The posts whose every link has another scheme offer none to open.
    dangerous = {
        f"{key.replace('_', '-')}.md"
        for key, link in LINKS.items()
        if not link.lower().startswith(("http://", "https://"))
    }
    assert sorted(not_offered) == sorted(dangerous)
    for url in opened:
        assert url.lower().startswith(("http://", "https://")), url
        assert not any(scheme in url.lower() for scheme in DANGEROUS), url


@pytest.mark.skipif(sys.platform == "win32", reason="control characters in a folder name")
async def test_a_hostile_folder_name_paints_clean(
    make_app: Callable[..., ReaderApp], tmp_path: Path
) -> None:
    corpus = build(tmp_path, ["md-markup_bold.md", "bad-date.md"], folder=HOSTILE_ROOT)
    app = make_app(corpus.path, group_stories=False)  # (its variants repeat one text)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert leaks(screen_text(app)) == []


@pytest.mark.parametrize(
    "names",
    [
        ["md-markup_click.md", "md-csi_colour.md", "md-osc52_clipboard.md", "long-wide.md"],
        ["all-payloads-html.html", "md-emoji_zwj.md", "md-zalgo.md", "link-javascript.md"],
    ],
    ids=["markup-and-escapes", "everything-in-one-page"],
)
def test_hostile_articles_snapshot(
    snap_compare: Callable[..., bool], tmp_path: Path, names: list[str]
) -> None:
    """What a reader sees of hostile posts: the list and the first one opened, literally."""
    corpus = build(tmp_path, names)

    async def open_first(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)

    app = ReaderApp(corpus.path, Config(reading_width=90))
    assert snap_compare(app, terminal_size=(120, 36), run_before=open_first)
