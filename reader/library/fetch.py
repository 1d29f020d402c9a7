"""Fetching a feed (http(s) with conditional requests, redirects and gzip, or a local
file) and reading it: RSS and Atom with feedparser, JSON Feed by hand."""

from __future__ import annotations

import hashlib
import json
import socket
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from reader import __version__
from reader.library.parse import ParseError, read_post
from reader.library.text import clean_line

MAX_FEED_BYTES = 16 * 1024 * 1024
USER_AGENT = f"newsreader/{__version__} (+https://github.com/newsreader)"
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9,"
    " application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)


class FeedError(ValueError):
    """A feed that cannot be added, found or read; str() says why."""


@dataclass(frozen=True)
class Entry:
    key: str
    title: str
    date: Any
    tags: list[str]
    url: str | None
    content: str


@dataclass
class Fetched:
    data: bytes | None = None  # None: not modified
    etag: str | None = None
    modified: str | None = None
    error: str | None = None


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects to http(s) only (urllib would also follow ftp:)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001, ANN201
        if urlsplit(newurl).scheme.lower() not in ("http", "https"):
            raise urllib.error.HTTPError(newurl, code, "redirect to a non-web address", headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_Redirects)


def fetch(url: str, etag: str | None, modified: str | None, timeout: float) -> Fetched:
    """A feed's bytes (None when the server says nothing changed), or an error. `url` is
    an http(s) address or a local file's path."""
    if not url.startswith(("http://", "https://")):
        try:
            return Fetched(read_post(url))
        except (OSError, ParseError) as exc:
            return Fetched(error=getattr(exc, "strerror", None) or str(exc))
    headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT, "Accept-Encoding": "gzip"}
    if etag:
        headers["If-None-Match"] = etag
    if modified:
        headers["If-Modified-Since"] = modified
    request = urllib.request.Request(url, headers=headers)
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            data = response.read(MAX_FEED_BYTES + 1)
            if len(data) > MAX_FEED_BYTES:
                return Fetched(error=f"larger than {MAX_FEED_BYTES // 2**20} MB")
            if response.headers.get("Content-Encoding", "").lower() in ("gzip", "x-gzip"):
                data = _gunzip(data)
            return Fetched(
                data, response.headers.get("ETag"), response.headers.get("Last-Modified")
            )
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return Fetched(None, etag, modified)
        return Fetched(error=f"HTTP {exc.code} {exc.reason}")
    except TimeoutError:
        return Fetched(error=f"no answer within {timeout:g} s")
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError | socket.timeout):
            return Fetched(error=f"no answer within {timeout:g} s")
        return Fetched(error=f"cannot connect: {reason}")
    except (OSError, ValueError, zlib.error) as exc:
        return Fetched(error=f"cannot read: {exc}")


def _gunzip(data: bytes) -> bytes:
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = inflater.decompress(data, MAX_FEED_BYTES + 1)
    if len(out) > MAX_FEED_BYTES:
        raise ValueError(f"larger than {MAX_FEED_BYTES // 2**20} MB unpacked")
    return out


def parse_feed(data: bytes, url: str) -> tuple[str, list[Entry]]:
    """(the feed's title, its entries). RSS and Atom via feedparser; JSON Feed by hand."""
    if data.lstrip()[:1] == b"{":
        return _json_feed(data)
    import feedparser  # imported here: only refreshing needs it

    parsed = feedparser.parse(data, response_headers={"content-location": url})
    if parsed.bozo and not parsed.entries:
        problem = parsed.get("bozo_exception")
        raise FeedError(f"not a feed ({problem})" if problem else "not a feed")
    if not parsed.version and not parsed.entries:
        raise FeedError("not a feed (no RSS, Atom or JSON Feed found)")
    entries = []
    for item in parsed.entries:
        content = item.get("content")
        body = content[0].get("value", "") if content else item.get("summary", "")
        moment = item.get("published_parsed") or item.get("updated_parsed")
        when = datetime(*moment[:6], tzinfo=UTC) if moment else None
        tags = [t.get("term") or "" for t in item.get("tags", [])]
        link = item.get("link")
        entries.append(_entry(item.get("id"), link, item.get("title", ""), when, tags, body))
    return clean_line(parsed.feed.get("title", "")), entries


def _json_feed(data: bytes) -> tuple[str, list[Entry]]:
    try:
        document = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise FeedError(f"not a feed (bad JSON: {exc})") from None
    if not isinstance(document, dict) or "jsonfeed.org" not in str(document.get("version")):
        raise FeedError("not a feed (JSON without a jsonfeed.org version)")
    entries = []
    for item in document.get("items") or []:
        if not isinstance(item, dict):
            continue
        body = item.get("content_html") or item.get("content_text") or item.get("summary") or ""
        when = item.get("date_published") or item.get("date_modified")
        tags = [str(t) for t in item.get("tags") or [] if isinstance(t, str | int)]
        entries.append(
            _entry(item.get("id"), item.get("url"), item.get("title") or "", when, tags, str(body))
        )
    return clean_line(str(document.get("title") or "")), entries


def _entry(
    guid: object, link: object, title: object, when: Any, tags: list[str], body: str
) -> Entry:
    identity = str(guid or link or "") or hashlib.blake2b(body.encode()).hexdigest()
    url = link if isinstance(link, str) else None
    return Entry(identity, str(title or ""), when, tags, url, body)
