"""A client of the Google Reader API, the sync protocol FreshRSS, Miniflux, Inoreader, The
Old Reader and BazQux speak: log in, list and change subscriptions, read items (FreshRSS's
`stream/contents` pages, or Miniflux's way: `stream/items/ids`, then their contents), and
set their read, starred and label tags. No SQL: the library's sync stores what it reads.

Every call ends within `timeout` seconds (reader/library/web.py); every failure is a
GReaderError whose text names the server and the cause, in words a reader can act on."""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterable, Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from reader import __version__
from reader.library.errors import SyncError, Unauthorized
from reader.library.web import WebError, call

READING_LIST = "user/-/state/com.google/reading-list"
READ = "user/-/state/com.google/read"
STARRED = "user/-/state/com.google/starred"
LABEL = "user/-/label/"
ITEM_PREFIX = "tag:google.com,2005:reader/item/"
PAGE = 1000  # item ids asked for at a time
CONTENTS = 250  # items whose contents are asked for at a time
MAX_ANSWER = 64 * 1024 * 1024  # bytes: a longer answer is refused, not read into memory
USER_AGENT = f"newsreader/{__version__} (+https://github.com/newsreader)"


GReaderError = SyncError  # a call that failed; str() says where and why


@dataclass(frozen=True, slots=True)
class Subscription:
    id: str  # the server's stream id, `feed/…`
    title: str
    url: str  # the feed's address
    site: str  # its web site
    labels: tuple[str, ...]  # its folders or categories


@dataclass(frozen=True, slots=True)
class Item:
    id: int  # the server's item id, as a number (ids come in decimal and in hex forms)
    feed: str  # the subscription's stream id
    title: str
    url: str | None
    published: float | None  # seconds since the epoch
    html: str
    author: str
    read: bool
    starred: bool
    labels: tuple[str, ...]


def item_number(item_id: str | int) -> int:
    """`tag:google.com,2005:reader/item/000000000000001f`, `1f` in that form, or `31`."""
    if isinstance(item_id, int):
        return item_id
    if item_id.startswith(ITEM_PREFIX):
        return int(item_id[len(ITEM_PREFIX) :], 16)
    return int(item_id)


def long_id(number: int) -> str:
    return f"{ITEM_PREFIX}{number & 0xFFFFFFFFFFFFFFFF:016x}"


class GReader:
    """One account on one server. `url` is the API's root, such as
    `https://rss.example.org/api/greader.php` (FreshRSS) or `https://example.org` with
    `/reader/api/0/…` below it (Miniflux)."""

    def __init__(self, url: str, user: str, password: str, timeout: float = 30.0) -> None:
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise GReaderError(f"{url}: not an http(s) address")
        self.url = url.rstrip("/")
        self.user = user
        self._password = password
        self.timeout = timeout
        self._auth: str | None = None
        self._token: str | None = None

    def __repr__(self) -> str:  # never the password or the session
        return f"GReader({self.url!r}, user={self.user!r})"

    # ---- calls ------------------------------------------------------------------------------

    def login(self) -> None:
        answer = self._send(
            "/accounts/ClientLogin",
            data={"Email": self.user, "Passwd": self._password},
            authorized=False,
        )
        fields = dict(
            line.split("=", 1)
            for line in answer.decode("utf-8", "replace").splitlines()
            if "=" in line
        )
        if not fields.get("Auth"):
            raise GReaderError(f"{self.url}: the login answered no Auth token")
        self._auth = fields["Auth"].strip()

    def subscriptions(self) -> list[Subscription]:
        document = self._json("/reader/api/0/subscription/list", {"output": "json"})
        if not isinstance(document.get("subscriptions"), list):  # (not an empty list: that
            raise GReaderError(  # would take every subscription away here)
                f"{self.url}/reader/api/0/subscription/list: the answer lists no subscriptions"
            )
        found = []
        for entry in listed(document.get("subscriptions")):
            if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
                continue
            labels = tuple(
                str(c.get("label") or str(c.get("id", "")).removeprefix(LABEL))
                for c in listed(entry.get("categories"))
                if isinstance(c, dict)
            )
            found.append(
                Subscription(
                    entry["id"],
                    str(entry.get("title") or ""),
                    str(entry.get("url") or entry["id"].removeprefix("feed/")),
                    str(entry.get("htmlUrl") or ""),
                    tuple(label for label in labels if label),
                )
            )
        return found

    def labels(self) -> list[str]:
        """The names of the account's labels (folders among them, on most servers)."""
        document = self._json("/reader/api/0/tag/list", {"output": "json"})
        return [
            str(entry["id"]).split("/label/", 1)[1]
            for entry in listed(document.get("tags"))
            if isinstance(entry, dict) and "/label/" in str(entry.get("id", ""))
        ]

    def subscribe(self, feed_url: str) -> str:
        """Follow a feed; the server fetches it. Returns its stream id."""
        document = self._json(
            "/reader/api/0/subscription/quickadd", data={"quickadd": feed_url}, write=True
        )
        stream = document.get("streamId")
        if not isinstance(stream, str) or not stream:
            error = document.get("error") or "the server did not add it"
            raise GReaderError(f"{self.url}: {feed_url}: {error}")
        return stream

    def unsubscribe(self, stream: str) -> None:
        self._send(
            "/reader/api/0/subscription/edit", data={"ac": "unsubscribe", "s": stream}, write=True
        )

    def item_ids(
        self, stream: str = READING_LIST, since: float | None = None, without: str | None = None
    ) -> list[int]:
        """Every item id of a stream (newer than `since`, seconds; not tagged `without`),
        following the continuation from page to page."""
        ids: list[int] = []
        params: dict[str, str] = {"s": stream, "n": str(PAGE), "output": "json"}
        if since is not None:
            params["ot"] = str(int(since))
        if without:
            params["xt"] = without
        while True:
            document = self._json("/reader/api/0/stream/items/ids", params)
            refs = listed(document.get("itemRefs"))
            for ref in refs:
                if isinstance(ref, dict):
                    with suppress(KeyError, TypeError, ValueError):  # (no id, or one in no
                        ids.append(item_number(ref["id"]))  # form: not an item)
            more = document.get("continuation")
            if not more or not refs or str(more) == params.get("c"):  # (a repeated one: done)
                return ids
            params["c"] = str(more)

    def items(self, ids: Sequence[int], some_gone: bool = False) -> list[Item]:
        """The items with these ids (Miniflux's way: contents asked for by id). `some_gone`:
        some may be gone, and Miniflux before 2.2.9 answers 400 when none of those asked
        for exists; then the ids are asked for in halves, down to one."""
        found: list[Item] = []
        for start in range(0, len(ids), CONTENTS):
            found += self._contents(ids[start : start + CONTENTS], some_gone)
        return found

    def _contents(self, ids: Sequence[int], some_gone: bool) -> list[Item]:
        data = [("i", long_id(number)) for number in ids]
        try:
            document = self._json(
                "/reader/api/0/stream/items/contents", {"output": "json"}, data=data, write=True
            )
        except GReaderError as exc:
            if not some_gone or exc.code != 400:
                raise
            if len(ids) == 1:
                return []
            half = len(ids) // 2
            return self._contents(ids[:half], True) + self._contents(ids[half:], True)
        return _items(document)

    def stream(self, stream: str = READING_LIST, since: float | None = None) -> Iterator[Item]:
        """A stream's items, page by page (FreshRSS's `stream/contents`)."""
        params: dict[str, str] = {"n": str(PAGE), "output": "json"}
        if since is not None:
            params["ot"] = str(int(since))
        path = "/reader/api/0/stream/contents/" + urllib.parse.quote(stream, safe="/-")
        while True:
            document = self._json(path, params)
            page = _items(document)
            yield from page
            more = document.get("continuation")
            if not more or not page or str(more) == params.get("c"):
                return
            params["c"] = str(more)

    def edit_tags(
        self, ids: Iterable[int], add: Sequence[str] = (), remove: Sequence[str] = ()
    ) -> None:
        """Tag or untag items: `READ`, `STARRED`, or `LABEL + name`. One tag a call:
        FreshRSS (PHP) keeps only the last of several `a` or `r` fields."""
        numbers = list(ids)
        changes = [("a", tag) for tag in add] + [("r", tag) for tag in remove]
        for start in range(0, len(numbers), CONTENTS):
            chunk = [("i", long_id(n)) for n in numbers[start : start + CONTENTS]]
            for change in changes:
                answer = self._send("/reader/api/0/edit-tag", data=[*chunk, change], write=True)
                if answer.strip() != b"OK":  # (a page from a proxy, a cut answer: not done)
                    raise GReaderError(
                        f"{self.url}/reader/api/0/edit-tag: the server did not answer OK"
                    )

    # ---- the wire ---------------------------------------------------------------------------

    def _json(
        self,
        path: str,
        params: dict[str, str] | None = None,
        data: dict[str, str] | list[tuple[str, str]] | None = None,
        write: bool = False,
    ) -> dict[str, Any]:
        answer = self._send(path, params, data, write=write)
        try:
            document = json.loads(answer)
        except (ValueError, RecursionError):
            raise GReaderError(
                f"{self.url}{path}: not a Google Reader API answer (no JSON)"
            ) from None
        if not isinstance(document, dict):
            raise GReaderError(f"{self.url}{path}: not a Google Reader API answer")
        return document

    def _send(
        self,
        path: str,
        params: dict[str, str] | None = None,
        data: dict[str, str] | list[tuple[str, str]] | None = None,
        *,
        write: bool = False,
        authorized: bool = True,
    ) -> bytes:
        if authorized and self._auth is None:
            self.login()
        try:
            return self._request(path, params, data, authorized, write)
        except Unauthorized:
            if not authorized:
                raise
            self._auth = self._token = None  # a session the server forgot: once more
            self.login()
            return self._request(path, params, data, authorized, write)

    def _write_token(self) -> str:
        if self._token is None:
            answer = self._request("/reader/api/0/token", None, None, True, False)
            self._token = answer.decode("utf-8", "replace").strip()
        return self._token

    def _request(
        self,
        path: str,
        params: dict[str, str] | None,
        data: dict[str, str] | list[tuple[str, str]] | None,
        authorized: bool,
        write: bool,
    ) -> bytes:
        """One call; a write carries the session's write token (`T`)."""
        url = self.url + path + ("?" + urllib.parse.urlencode(params) if params else "")
        headers = {"User-Agent": USER_AGENT}
        if authorized and self._auth:
            headers["Authorization"] = f"GoogleLogin auth={self._auth}"
        fields = list(data.items() if isinstance(data, dict) else data or [])
        if write:
            fields.append(("T", self._write_token()))
        body = urllib.parse.urlencode(fields).encode() if data is not None or write else None
        try:
            return call(url, body, headers, self.timeout, MAX_ANSWER)
        except WebError as exc:
            if exc.code == 401:
                raise Unauthorized(
                    f"{self.url}: the server refused {self.user!r}: wrong user or API password"
                ) from None
            raise GReaderError(f"{self.url}{path}: {exc}", exc.code) from None


def listed(value: object) -> list[Any]:
    """A JSON value that should be a list, or [] (servers differ; some send null)."""
    return value if isinstance(value, list) else []


def _items(document: dict[str, Any]) -> list[Item]:
    found = []
    for entry in listed(document.get("items")):
        if not isinstance(entry, dict) or "id" not in entry:
            continue
        try:
            number = item_number(entry["id"])
        except (TypeError, ValueError):
            continue
        tags = [str(c) for c in listed(entry.get("categories"))]
        links = [
            link.get("href")
            for key in ("canonical", "alternate")
            for link in listed(entry.get(key))
            if isinstance(link, dict)
        ]
        content = entry.get("content") or entry.get("summary") or {}
        origin = entry["origin"] if isinstance(entry.get("origin"), dict) else {}
        published = entry.get("published")
        found.append(
            Item(
                id=number,
                feed=str(origin.get("streamId") or ""),
                title=str(entry.get("title") or ""),
                url=next((link for link in links if isinstance(link, str) and link), None),
                published=float(published) if isinstance(published, int | float) else None,
                html=str(content.get("content") or "") if isinstance(content, dict) else "",
                author=str(entry.get("author") or ""),
                read=any(tag.endswith("/state/com.google/read") for tag in tags),
                starred=any(tag.endswith("/state/com.google/starred") for tag in tags),
                labels=tuple(tag.split("/label/", 1)[1] for tag in tags if "/label/" in tag),
            )
        )
    return found
