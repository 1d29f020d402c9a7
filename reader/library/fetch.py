"""Fetching a feed (http(s) with conditional requests, redirects and gzip, or a local
file) and reading it: RSS and Atom with feedparser, JSON Feed by hand. The timeout bounds
a whole fetch, not each socket read (reader/library/web.py)."""

from __future__ import annotations

import email.utils
import errno
import hashlib
import http
import http.client
import json
import socket
import ssl
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO, Any
from urllib.parse import urlsplit

from reader import __version__
from reader.library.errors import FeedError
from reader.library.parse import ParseError, read_post
from reader.library.text import clean_line
from reader.library.web import TimedOut, bounded_opener

MAX_FEED_BYTES = 16 * 1024 * 1024
CHUNK = 64 * 1024  # bytes read at a time; the deadline is checked between them
USER_AGENT = f"newsreader/{__version__} (+https://github.com/newsreader)"
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9,"
    " application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)


@dataclass(frozen=True)
class Entry:
    key: str
    title: str
    date: Any
    tags: list[str]
    url: str | None
    content: str
    extra: dict[str, list[str]] = field(default_factory=dict)  # views.EXTRA's: author…


@dataclass
class Fetched:
    data: bytes | None = None  # None: not modified
    etag: str | None = None
    modified: str | None = None
    error: str | None = None


class _AwayFromTheWeb(urllib.error.HTTPError):
    """A redirect to an address that is not http(s)."""


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects to http(s) only (urllib would also follow ftp:)."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: http.client.HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        if urlsplit(newurl).scheme.lower() not in ("http", "https"):
            raise _AwayFromTheWeb(newurl, code, "redirect to a non-web address", headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(url: str, etag: str | None, modified: str | None, timeout: float) -> Fetched:
    """A feed's bytes (None when the server says nothing changed), or an error. `url` is
    an http(s) address or a local file's path (opened without blocking: a named pipe is
    refused). An http(s) fetch, redirects included, ends within `timeout` seconds, name
    lookup aside: the system does that, and `feeds.refresh` gives up on it in time."""
    if not url.startswith(("http://", "https://")):
        try:
            return Fetched(read_post(url))
        except (OSError, ParseError) as exc:
            return Fetched(error=file_problem(exc))
    headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT}
    if etag:
        headers["If-None-Match"] = etag
    if modified:
        headers["If-Modified-Since"] = modified
    try:
        answer = get(url, headers, timeout)
    except TooLarge as exc:
        return Fetched(error=f"the feed is {exc}")
    except urllib.error.HTTPError as exc:
        if exc.code == 304 and not isinstance(exc, _AwayFromTheWeb):
            return Fetched(None, etag, modified)
        return Fetched(error=web_problem(exc, url, timeout))
    except (OSError, ValueError, zlib.error, http.client.HTTPException) as exc:
        return Fetched(error=web_problem(exc, url, timeout))
    return Fetched(answer.data, answer.headers.get("ETag"), answer.headers.get("Last-Modified"))


@dataclass(frozen=True)
class Answer:
    """An http(s) GET's answer: its body (gunzipped), headers and address after redirects."""

    data: bytes
    headers: http.client.HTTPMessage
    url: str


class TooLarge(ValueError):
    """An answer over the size cap, as sent or (`unpacked`) once gunzipped."""

    def __init__(self, limit: int, unpacked: bool) -> None:
        super().__init__(f"larger than {limit // 2**20} MB" + (" unpacked" if unpacked else ""))
        self.unpacked = unpacked


def get(url: str, headers: dict[str, str], timeout: float, limit: int = MAX_FEED_BYTES) -> Answer:
    """GET an http(s) `url` (asking for gzip) within `timeout` seconds all told, redirects
    (to http(s) only) included, its body at most `limit` bytes. Raises TooLarge, HTTPError
    (a status, a 304, a redirect off the web) or what `web_problem` puts in words."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip", **headers})
    deadline = time.monotonic() + timeout
    opener = bounded_opener(deadline, _Redirects)
    with opener.open(request, timeout=timeout) as response:
        data = _body(response, deadline, limit)
        if len(data) > limit:
            raise TooLarge(limit, unpacked=False)
        if response.headers.get("Content-Encoding", "").lower() in ("gzip", "x-gzip"):
            data = _gunzip(data, limit)
        return Answer(data, response.headers, response.geturl())


def _body(response: http.client.HTTPResponse, deadline: float, limit: int) -> bytes:
    """The answer's body, read in chunks up to one byte past the size limit."""
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        if time.monotonic() >= deadline:
            raise TimedOut
        chunk = response.read(min(CHUNK, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


# ---- what went wrong, in words ------------------------------------------------------------

_NAME_NOT_FOUND = {socket.EAI_NONAME, getattr(socket, "EAI_NODATA", socket.EAI_NONAME)}
_SOCKET_WORDS = {
    errno.ECONNREFUSED: "connection refused",
    errno.ECONNRESET: "the connection was reset",
    errno.EHOSTUNREACH: "no route to the host",
    errno.ENETUNREACH: "no network",
    errno.ENETDOWN: "no network",
}
_FILE_WORDS = {
    errno.ENOENT: "no such file",
    errno.EACCES: "not allowed to read it",
    errno.EPERM: "not allowed to read it",
    errno.EISDIR: "a folder, not a file",
    errno.ELOOP: "a loop of symbolic links",
}


def web_problem(exc: BaseException, url: str, timeout: float) -> str:
    """What went wrong fetching `url`, in words (never an exception's repr)."""
    host = urlsplit(url).hostname or url
    if isinstance(exc, _AwayFromTheWeb):
        return f"the server sent it on to a non-web address ({clean_line(exc.filename)[:100]})"
    if isinstance(exc, urllib.error.HTTPError):
        return f"the server answered {exc.code} {_phrase(exc.code, exc.reason)}"
    reason: object = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, TimedOut):
        return f"timed out after {timeout:g} s"
    if isinstance(reason, TimeoutError | socket.timeout):
        return f"no answer within {timeout:g} s"
    if isinstance(reason, socket.gaierror):
        why = "name not found" if reason.errno in _NAME_NOT_FOUND else "its name did not resolve"
        return f"cannot reach {host} ({why})"
    if isinstance(reason, ssl.SSLCertVerificationError):
        return f"cannot reach {host} securely (its certificate is not trusted)"
    if isinstance(reason, ssl.SSLError):
        return f"cannot reach {host} securely (the secure connection failed)"
    if isinstance(reason, OSError) and reason.errno in _SOCKET_WORDS:
        return f"cannot reach {host} ({_SOCKET_WORDS[reason.errno]})"
    if isinstance(reason, http.client.HTTPException | ConnectionError):
        return f"{host} broke off its answer"
    if isinstance(reason, zlib.error | ValueError) and "unpacked" in str(reason):
        return f"the feed is larger than {MAX_FEED_BYTES // 2**20} MB unpacked"
    if isinstance(reason, zlib.error):
        return f"{host} sent a damaged compressed answer"
    if isinstance(reason, OSError) and reason.strerror:
        return f"cannot reach {host} ({reason.strerror.lower()})"
    return f"cannot read from {host}"


def _phrase(code: int, reason: object) -> str:
    try:
        return http.HTTPStatus(code).phrase
    except ValueError:
        return clean_line(str(reason or ""))[:80] or "an error"


def file_problem(exc: OSError | ParseError) -> str:
    """Why a local feed file cannot be read, in words."""
    if isinstance(exc, OSError):
        if exc.errno in _FILE_WORDS:
            return _FILE_WORDS[exc.errno]
        return (exc.strerror or "cannot read it").lower()
    return str(exc).removesuffix("; not imported")


def xml_problem(data: bytes, problem: object) -> str:
    """Why feedparser found no feed in `data`, as `not a feed: ...`."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    feedish = any(tag in head for tag in (b"<rss", b"<feed", b"<rdf:rdf"))
    if (head.startswith(b"<!doctype html") or b"<html" in head) and not feedish:
        return "not a feed: a web page (HTML), not RSS, Atom or JSON Feed"
    if not head.startswith(b"<"):
        return "not a feed: neither XML nor JSON"
    line = getattr(problem, "getLineNumber", lambda: None)()
    if line and not data.removeprefix(b"\xef\xbb\xbf").startswith(b"<?xml"):
        line -= 1  # feedparser put an XML declaration on a line of its own before it
    message = getattr(problem, "getMessage", lambda: "")() or ""
    where = f" at line {line}" if line else ""
    for words, meaning in _XML_WORDS:
        if message.startswith(words):
            return f"not a feed: {meaning}{where}"
    if problem is not None and message:
        return f"not a feed: the XML is not well formed{where} ({clean_line(message)[:80]})"
    return "not a feed: no RSS, Atom or JSON Feed in it"


_XML_WORDS = (  # expat's messages, in words a reader knows
    ("no element found", "the XML ends"),
    ("unclosed token", "the XML ends"),
    ("unclosed CDATA section", "the XML ends"),
    ("partial character", "the XML ends"),
    ("mismatched tag", "a tag is not closed"),
    ("undefined entity", "an unknown entity (&name;)"),
    ("junk after document element", "text after the end of the XML"),
    ("not well-formed", "the XML is not well formed"),
    ("syntax error", "the XML is not well formed"),
)


def _gunzip(data: bytes, limit: int) -> bytes:
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = inflater.decompress(data, limit + 1)
    if len(out) > limit:
        raise TooLarge(limit, unpacked=True)
    return out


def parse_feed(data: bytes, url: str) -> tuple[str, list[Entry]]:
    """(the feed's title, its entries). RSS and Atom via feedparser; JSON Feed by hand."""
    if data.lstrip()[:1] == b"{":
        return _json_feed(data)
    import feedparser  # imported here: only refreshing needs it

    parsed = feedparser.parse(data, response_headers={"content-location": url})
    if not parsed.entries and (parsed.get("bozo") or not parsed.get("version")):
        raise FeedError(xml_problem(data, parsed.get("bozo_exception")))
    entries = []
    # Atom: an entry without authors has its feed's (RFC 4287 4.2.1); RSS's channel has none
    by_feed = (
        parsed.feed.get("authors") or [] if parsed.get("version", "").startswith("atom") else []
    )
    for item in parsed.entries:
        content = item.get("content")
        body = content[0].get("value", "") if content else item.get("summary", "")
        when = entry_date(item)
        tags = [t.get("term") or "" for t in item.get("tags", [])]
        link = item.get("link")
        entry = _entry(item.get("id"), link, item.get("title", ""), when, tags, body)
        # Atom's <author><name>, RSS's <author> or <dc:creator>: feedparser lists them
        if item.get("authors") or item.get("author"):
            listed = item.get("authors") or []
        else:  # an aggregated entry's <source> feed's, else ours
            listed = (item.get("source") or {}).get("authors") or by_feed
        authors = [a.get("name") or a.get("email") for a in listed if isinstance(a, dict)]
        entry.extra["author"] = _names(authors or [item.get("author")])
        entries.append(entry)
    return clean_line(parsed.feed.get("title", "")), entries


def entry_date(item: Any) -> datetime | None:
    """When an entry was published, with the offset it was published with: feedparser's
    *_parsed fields are UTC, so its own text is read first (RFC 822 for RSS, ISO 8601 for
    Atom), and the parsed field is the fallback for what only feedparser understands."""
    for name in ("published", "updated"):
        text = item.get(name)
        moment = _date_text(text.strip()) if isinstance(text, str) else None
        if moment is not None:
            return moment
        parsed = item.get(f"{name}_parsed")
        if parsed:
            year, month, day, hour, minute, second = parsed[:6]
            return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    return None


def _date_text(text: str) -> datetime | None:
    try:
        moment = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _json_feed(data: bytes) -> tuple[str, list[Entry]]:
    try:
        document = json.loads(data)
    except json.JSONDecodeError as exc:
        raise FeedError(f"not a feed: the JSON is not valid at line {exc.lineno}") from None
    except (ValueError, RecursionError):
        raise FeedError("not a feed: the JSON is not valid") from None
    if not isinstance(document, dict) or "jsonfeed.org" not in str(document.get("version")):
        raise FeedError("not a feed: JSON, but not a JSON Feed (no jsonfeed.org version)")
    entries = []
    # an item without authors has the feed's (1.1 `authors`, 1.0 `author`)
    by_feed = document.get("authors") or [document.get("author")]
    for item in document.get("items") or []:
        if not isinstance(item, dict):
            continue
        body = item.get("content_html") or item.get("content_text") or item.get("summary") or ""
        when = item.get("date_published") or item.get("date_modified")
        tags = [str(t) for t in item.get("tags") or [] if isinstance(t, str | int)]
        entry = _entry(
            item.get("id"), item.get("url"), item.get("title") or "", when, tags, str(body)
        )
        # JSON Feed 1.1 `authors`, 1.0 `author`: objects with a `name`
        authors = item.get("authors") or ([item["author"]] if item.get("author") else by_feed)
        listed = authors if isinstance(authors, list) else []
        entry.extra["author"] = _names(a.get("name") for a in listed if isinstance(a, dict))
        entries.append(entry)
    return clean_line(str(document.get("title") or "")), entries


def _names(names: Iterable[object]) -> list[str]:
    return [name for name in names if isinstance(name, str) and name.strip()]


def _entry(
    guid: object, link: object, title: object, when: Any, tags: list[str], body: str
) -> Entry:
    identity = str(guid or link or "") or hashlib.blake2b(body.encode()).hexdigest()
    url = link if isinstance(link, str) else None
    return Entry(identity, str(title or ""), when, tags, url, body)
