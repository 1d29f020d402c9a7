"""The fixture library (eight posts with fixed dates) and small pilot helpers."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from textual.app import App
from textual.pilot import Pilot

from reader.library import Library, import_paths
from reader.ui.app import ReaderApp
from reader.ui.screens.main import MainScreen

MARKUP_TITLE = "[bold red]x[/]"
WALL_SENTENCES = [
    "外贸企业在数字化转型中积累了大量经验",
    "许多村民第一次通过跨境电商平台把本地土货卖到海外",
    "平台提供的物流与金融服务降低了出口门槛",
    "地方政府也出台了一系列纾困措施来稳定订单和市场",
    "专家认为这种模式值得在更多地区推广",
]
WALL = "".join(f"{s}，这是第{n}段观察。" for n in range(12) for s in WALL_SENTENCES)
LONG_PARAGRAPHS = [
    f"Paragraph {n}: the quick brown fox jumps over the lazy dog, then rests a while."
    for n in range(1, 61)
]

# (file name, front matter lines, body, date used for the mtime)
POSTS: list[tuple[str, str, str, str]] = [
    (
        "links.md",
        'title: "Links and pictures"\ndate: 2024-03-08\ncategories: tech\ntags: [web, links]',
        "Read [the first](http://a.example/x) and [the second](https://b.example/y).\n\n"
        "![a cat](http://img.example/cat.png)\n\n"
        "More: [third](https://c.example/z), [mail](mailto:someone@example.com),\n"
        "[bad](javascript:alert(1)) and [file](file:///etc/passwd).\n",
        "2024-03-08",
    ),
    (
        "linked.md",
        'title: "An article with a link"\ndate: 2024-03-07\ncategories: tech\n'
        "tags: [python]\nlink: https://example.com/post",
        "\n\n".join(LONG_PARAGRAPHS) + "\n",
        "2024-03-07",
    ),
    (
        "zh-news.md",
        'title: "外贸纾困十条发布"\ndate: 2024-03-06\ncategories: 新闻\ntags: [经济, 外贸]',
        "## 背景\n\n5月20日，上海、浙江、山东等12地的商务部门联合推出“外贸纾困十条”，"
        "帮助外贸企业稳订单、保市场。\n\n"
        "- 确定性商机保障\n- 确定性物流保障\n\n"
        "> 这是一段引用。\n\n"
        "| 地区 | 数量 |\n|---|---|\n| 上海 | 3 |\n| 浙江 | 5 |\n",
        "2024-03-06",
    ),
    (
        "zh-wall.txt",
        'title: "一堵文字墙"\ndate: 2024-03-05\ncategories: 新闻\ntags: [经济]',
        WALL + "\n",
        "2024-03-05",
    ),
    (
        "markup.md",
        f'title: "{MARKUP_TITLE}"\ndate: 2024-03-04\ncategories: misc\ntags: ["[b]tag[/b]"]',
        "Body with [bold]markup[/bold] that must stay literal.\n",
        "2024-03-04",
    ),
    (
        "escapes.md",
        'title: "\\e[31mred\\e]0;pwn\\a title"\ndate: 2024-03-03\ncategories: misc',
        "Body \x1b[2Jwith\x1b]0;owned\x07 escapes \x9b31m and bells\x07.\n",
        "2024-03-03",
    ),
    (
        "english-brief.md",
        'title: "A short English brief"\ndate: 2024-03-02\ncategories: tech\n'
        "tags: [python, terminal]",
        "A short brief about terminals.\n\nIt has two paragraphs.\n",
        "2024-03-02",
    ),
    (
        "undated-note.md",
        'title: "Undated note"',
        "No date here, so the file's mtime orders it.\n",
        "2024-03-01",
    ),
]

# The list order the posts above produce (newest first); titles as stored.
TITLES = [
    "Links and pictures",
    "An article with a link",
    "外贸纾困十条发布",
    "一堵文字墙",
    MARKUP_TITLE,
    "red title",
    "A short English brief",
    "Undated note",
]


def write_posts(folder: Path) -> Path:
    """Write the POSTS into `folder` with fixed mtimes, so import and order never vary."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, meta, body, day in POSTS:
        path = folder / name
        path.write_bytes(f"---\n{meta}\n---\n{body}".encode())
        stamp = datetime.fromisoformat(day).replace(tzinfo=UTC).timestamp()
        os.utime(path, (stamp, stamp))
    return folder


def library_of(folder: Path, posts: dict[str, str]) -> Path:
    """A library of these posts (file name -> text), imported from `folder`/posts into
    `folder`/lib.db."""
    written = folder / "posts"
    written.mkdir(parents=True)
    for name, text in posts.items():
        (written / name).write_text(text, encoding="utf-8")
    path = folder / "lib.db"
    with Library(path) as library:
        import_paths(library, [written], jobs=1)
    return path


@dataclass
class Fixture:
    """The library file built for a test, and the ids of its articles in list order."""

    path: Path
    ids: list[int]

    def open(self) -> Library:
        return Library(self.path)

    def id_of(self, title: str) -> int:
        return self.ids[TITLES.index(title)]


async def settle(pilot: Pilot[None]) -> None:
    """Let workers (counts, rendering, browser) and the writer of changes finish, and
    their messages land. (A worker replaced by a newer one of its group is cancelled:
    that is the app working as meant, so the wait goes on for the newer one.)"""
    from textual.worker import WorkerCancelled

    for _ in range(20):
        try:
            await pilot.app.workers.wait_for_complete()
            break
        except WorkerCancelled:
            continue
    await pilot.pause()
    for screen in pilot.app.screen_stack:
        writer = getattr(screen, "writer", None)
        for _ in range(500):  # (a change waits while a test holds the library on purpose)
            if writer is None or not writer.pending:
                break
            await pilot.pause(0.01)
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def notes(app: App[None]) -> list[str]:
    """The messages of the notifications on screen now."""
    return [note.message for note in app._notifications]


def screen_text(app: App[None]) -> list[str]:
    """The whole terminal as plain lines, as the compositor would paint it."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def main_of(app: ReaderApp) -> MainScreen:
    """The app's main screen (asserting that it is the one showing)."""
    screen = app.screen
    assert isinstance(screen, MainScreen), screen
    return screen


def tool(folder: Path, name: str, body: str) -> Path:
    """A command `name` on PATH: a Python script (no shell in the way)."""
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(f"#!{sys.executable}\nimport sys, pathlib\n{body}\n")
    path.chmod(0o755)
    return path
