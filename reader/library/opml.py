"""OPML: follow the feeds of a subscription list, or write ours out."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from reader.library.feeds import FeedError, Wanted, add_feeds
from reader.library.models import Feed
from reader.library.parse import ParseError, read_post
from reader.library.store import Library
from reader.library.text import clean_line


def import_opml(
    library: Library, path: str | Path, progress: Callable[[int, int], None] | None = None
) -> tuple[list[Feed], list[str]]:
    """Subscribe to the outlines of an OPML file: only http(s) and local file feeds, never
    a command. Returns (feeds added, a message per outline skipped). `progress(done,
    total)` is called as the feeds are written."""
    try:
        root = ET.fromstring(read_post(path))
    except (OSError, ParseError, ET.ParseError) as exc:
        raise FeedError(f"{path}: not an OPML file ({exc})") from None
    body = root.find("body")
    if root.tag != "opml" or body is None:
        raise FeedError(f"{path}: not an OPML file (no <opml><body>)")
    wanted: list[Wanted] = []
    skipped: list[str] = []
    for outline, folder in _feed_outlines(body):
        url = outline.get("xmlUrl") or ""
        text = outline.get("title") or outline.get("text") or ""
        kind = (outline.get("type") or "rss").lower()
        category = (outline.get("category") or "").split(",")[0].strip("/ ")
        tag = category.split("/")[-1] if category else folder
        if kind not in ("rss", "atom", "json", "jsonfeed"):
            skipped.append(f"{clean_line(url)[:200]}: type {kind!r} is not a feed type")
            continue
        wanted.append((url, tag or None, clean_line(text) or None))
    added, refused = add_feeds(library, wanted, progress)
    return added, skipped + refused


def _feed_outlines(body: ET.Element) -> Iterator[tuple[ET.Element, str]]:
    """Each outline with a feed address and the folder it is in (the nearest enclosing
    outline's title), in document order. A stack, not recursion: a file nested 5,000 deep
    must not exhaust Python's."""
    stack = [(iter(body.findall("outline")), "")]
    while stack:
        children, folder = stack[-1]
        outline = next(children, None)
        if outline is None:
            stack.pop()
        elif outline.get("xmlUrl"):
            yield outline, folder
        else:
            text = clean_line(outline.get("title") or outline.get("text") or "")
            stack.append((iter(outline.findall("outline")), text or folder))


def export_opml(library: Library) -> str:
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = "newsreader feeds"
    ET.SubElement(head, "dateCreated").text = datetime.now(UTC).strftime(
        "%a, %d %b %Y %H:%M:%S GMT"
    )
    body = ET.SubElement(root, "body")
    for feed in library.feeds():
        attributes = {"type": "rss", "text": feed.name, "title": feed.name, "xmlUrl": feed.url}
        if feed.local:
            attributes["xmlUrl"] = Path(feed.url).as_uri()
        if feed.tag:
            attributes["category"] = feed.tag
        ET.SubElement(body, "outline", attributes)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
