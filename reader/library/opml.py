"""OPML: follow the feeds of a subscription list, or write ours out."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

from reader.library.feeds import Feed, FeedError, add_feed, list_feeds
from reader.library.parse import ParseError, read_post
from reader.library.store import Library
from reader.library.text import clean_line


def import_opml(library: Library, path: str | Path) -> tuple[list[Feed], list[str]]:
    """Subscribe to the outlines of an OPML file: only http(s) and local file feeds, never
    a command. Returns (feeds added, a message per outline skipped)."""
    try:
        root = ET.fromstring(read_post(path))
    except (OSError, ParseError, ET.ParseError) as exc:
        raise FeedError(f"{path}: not an OPML file ({exc})") from None
    body = root.find("body")
    if root.tag != "opml" or body is None:
        raise FeedError(f"{path}: not an OPML file (no <opml><body>)")
    added: list[Feed] = []
    skipped: list[str] = []

    def walk(node: ET.Element, folder: str) -> None:
        for outline in node.findall("outline"):
            text = outline.get("title") or outline.get("text") or ""
            url = outline.get("xmlUrl")
            if not url:
                walk(outline, clean_line(text) or folder)
                continue
            kind = (outline.get("type") or "rss").lower()
            category = (outline.get("category") or "").split(",")[0].strip("/ ")
            tag = category.split("/")[-1] if category else folder
            if kind not in ("rss", "atom", "json", "jsonfeed"):
                skipped.append(f"{clean_line(url)[:200]}: type {kind!r} is not a feed type")
                continue
            try:
                added.append(add_feed(library, url, tag=tag or None, name=clean_line(text) or None))
            except FeedError as exc:
                skipped.append(clean_line(str(exc))[:300])

    walk(body, "")
    return added, skipped


def export_opml(library: Library) -> str:
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = "newsreader feeds"
    ET.SubElement(head, "dateCreated").text = datetime.now(UTC).strftime(
        "%a, %d %b %Y %H:%M:%S GMT"
    )
    body = ET.SubElement(root, "body")
    for feed in list_feeds(library):
        attributes = {"type": "rss", "text": feed.name, "title": feed.name, "xmlUrl": feed.url}
        if feed.local:
            attributes["xmlUrl"] = Path(feed.url).as_uri()
        if feed.tag:
            attributes["category"] = feed.tag
        ET.SubElement(body, "outline", attributes)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
