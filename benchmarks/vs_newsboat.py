"""The benchmark's posts as one Atom feed, and newsboat set up to reload it (for
`bench_import.py --vs-newsboat`: the same posts, read by the reader people would pick instead).

Reads the posts `generate.py` writes (its own front matter, not Jekyll's in general).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import NamedTuple
from xml.sax.saxutils import escape, quoteattr

CHINA = timezone(timedelta(hours=8))  # a date without an offset is Beijing time, as the site's
AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")


class Post(NamedTuple):
    """What a feed entry needs of one generated post."""

    rel: str  # path under the posts folder: the entry's id
    title: str
    date: datetime
    link: str
    terms: list[str]  # categories, then tags
    html: str  # the body as HTML


def parse_post(rel: str, text: str) -> Post:
    """Read one generated post: `key: value` front matter, then a Markdown or HTML body."""
    head, _, body = text.lstrip("\n").removeprefix("---\n").partition("\n---\n")
    fields = dict(line.split(": ", 1) for line in head.splitlines() if ": " in line)
    raw = fields.get("date", "2019-01-01 00:00:00")
    try:
        date = datetime.strptime(raw, "%Y-%m-%d %H:%M:%S %z")
    except ValueError:
        date = datetime.strptime(raw, "%Y-%m-%d %H:%M:%S").replace(tzinfo=CHINA)
    terms = fields.get("categories", "").split() + fields.get("tags", "").split()
    link, parts = "", []
    for para in body.strip().split("\n\n"):
        found = AUTOLINK.fullmatch(para.strip())
        if found and not link:
            link = found.group(1)  # the source link: the entry's link, not its text
        elif para.startswith("<"):
            parts.append(para)  # an HTML post's one-line article, as it is
        elif para.startswith("> "):
            parts.append(f"<blockquote><p>{escape(para[2:])}</p></blockquote>")
        else:  # Markdown as plain text, one paragraph
            parts.append("<p>" + escape(para).replace("\n", "<br/>") + "</p>")
    title = fields.get("title", "").strip().removeprefix('"').removesuffix('"')
    return Post(rel, title, date, link, list(dict.fromkeys(terms)), "\n".join(parts))


def posts(folder: Path) -> Iterator[Post]:
    """Every `.md` post under folder, in path order."""
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        for name in sorted(names):
            if name.endswith(".md"):
                path = Path(root, name)
                rel = path.relative_to(folder).as_posix()
                yield parse_post(rel, path.read_text(encoding="utf-8"))


def entry(post: Post) -> str:
    """One Atom <entry>: title, id, date, link, categories and the body as HTML content."""
    when = post.date.isoformat()
    cats = "".join(f"<category term={quoteattr(t)}/>" for t in post.terms)
    link = f"<link href={quoteattr(post.link)}/>" if post.link else ""
    return (
        f"<entry><title>{escape(post.title)}</title><id>urn:bench:{escape(post.rel)}</id>"
        f"<updated>{when}</updated><published>{when}</published>{link}{cats}"
        f'<content type="html">{escape(post.html)}</content></entry>\n'
    )


def write_feed(folder: Path, feed: Path) -> tuple[int, int]:
    """Write every post under folder into one Atom file; return (entries, bytes)."""
    count = 0
    with open(feed, "w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="utf-8"?>\n'
            '<feed xmlns="http://www.w3.org/2005/Atom"><title>bench_import posts</title>'
            "<id>urn:bench:posts</id><updated>2025-01-01T00:00:00+08:00</updated>\n"
        )
        for post in posts(folder):
            out.write(entry(post))
            count += 1
        out.write("</feed>\n")
    return count, feed.stat().st_size


def newsboat() -> str | None:
    """The newsboat program, or None when it is not installed."""
    return shutil.which("newsboat")


def setup(feed: Path, home: Path) -> tuple[list[str], dict[str, str], Path]:
    """A throwaway newsboat (its own HOME, urls, config and cache) whose one feed is `feed`
    as a file:// URL (newsboat 2.21 reads those). Returns (command, environment, cache)."""
    if home.exists():
        shutil.rmtree(home)
    home.mkdir(parents=True)
    urls, config, cache = home / "urls", home / "config", home / "cache.db"
    urls.write_text(feed.resolve().as_uri() + "\n", encoding="utf-8")
    config.write_text("", encoding="utf-8")
    env = dict(os.environ, HOME=str(home), XDG_CONFIG_HOME=str(home), XDG_DATA_HOME=str(home))
    cmd = [newsboat() or "newsboat", "-u", str(urls), "-c", str(cache), "-C", str(config)]
    return [*cmd, "-x", "reload"], env, cache


def stored_items(cache: Path) -> int:
    """How many items newsboat stored in its cache (SQLite), 0 when it has none."""
    try:
        with contextlib.closing(sqlite3.connect(f"file:{cache}?mode=ro", uri=True)) as conn:
            return int(conn.execute("SELECT count(*) FROM rss_item").fetchone()[0])
    except sqlite3.Error:
        return 0
