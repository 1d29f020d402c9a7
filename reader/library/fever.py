"""A client of the Fever API, the other sync protocol FreshRSS and Miniflux speak (and
many mobile apps): feeds and their groups, items by id ranges or ids, the ids of unread
and saved items, and marking items read, unread, saved or unsaved. Fever has no labels
on items. Every call ends within `timeout` seconds and fails as a SyncError naming the
server and the cause."""

from __future__ import annotations

import hashlib
import json
import urllib.parse
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from reader.library.errors import SyncError, Unauthorized
from reader.library.greader import MAX_ANSWER, USER_AGENT, listed
from reader.library.web import WebError, call

PER_CALL = 50  # items a Fever call gives or takes at most


@dataclass(frozen=True, slots=True)
class FeverFeed:
    id: int
    title: str
    url: str
    site: str
    groups: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FeverItem:
    id: int
    feed: int
    title: str
    url: str | None
    published: float | None
    html: str
    author: str
    read: bool
    saved: bool


class Fever:
    """One account. `url` is the API's address, such as
    `https://rss.example.org/api/fever.php` (FreshRSS) or `https://example.org/fever/`."""

    def __init__(self, url: str, user: str, password: str, timeout: float = 30.0) -> None:
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise SyncError(f"{url}: not an http(s) address")
        self.url = url
        self.user = user
        # Fever's key is md5("user:password"); the password itself is not kept
        self._key = hashlib.md5(f"{user}:{password}".encode(), usedforsecurity=False).hexdigest()
        self.timeout = timeout

    def __repr__(self) -> str:  # never the key
        return f"Fever({self.url!r}, user={self.user!r})"

    def check(self) -> None:
        """Raise Unauthorized unless the server takes the user and API password."""
        self._call()

    def feeds(self) -> list[FeverFeed]:
        groups = {
            str(g["id"]): str(g.get("title") or "")
            for g in listed(self._call("groups").get("groups"))
            if isinstance(g, dict) and "id" in g
        }
        document = self._call("feeds")
        member: dict[int, list[str]] = {}
        for link in listed(document.get("feeds_groups")):
            if not isinstance(link, dict):
                continue
            for feed_id in _numbers(str(link.get("feed_ids") or "")):
                member.setdefault(feed_id, []).append(groups.get(str(link.get("group_id")), ""))
        if not isinstance(document.get("feeds"), list):
            raise SyncError(f"{self.url}: the answer lists no feeds (not a Fever API answer?)")
        found = []
        for f in listed(document.get("feeds")):
            number = _number(f.get("id")) if isinstance(f, dict) else None
            if number is None:
                continue
            found.append(
                FeverFeed(
                    number,
                    str(f.get("title") or ""),
                    str(f.get("url") or ""),
                    str(f.get("site_url") or ""),
                    tuple(name for name in member.get(number, []) if name),
                )
            )
        return found

    def items_since(self, since_id: int = 0) -> Iterator[FeverItem]:
        """Every item with an id above `since_id`, oldest first, PER_CALL at a time."""
        while True:
            page = _items(self._call("items", {"since_id": str(since_id)}))
            if not page:
                return
            yield from sorted(page, key=lambda item: item.id)
            if max(item.id for item in page) <= since_id:  # (a server that ignores since_id)
                return
            since_id = max(item.id for item in page)

    def items(self, ids: Sequence[int]) -> list[FeverItem]:
        found: list[FeverItem] = []
        for start in range(0, len(ids), PER_CALL):
            chunk = ",".join(str(n) for n in ids[start : start + PER_CALL])
            found += _items(self._call("items", {"with_ids": chunk}))
        return found

    def unread_ids(self) -> set[int]:
        return set(_numbers(str(self._call("unread_item_ids").get("unread_item_ids") or "")))

    def saved_ids(self) -> set[int]:
        return set(_numbers(str(self._call("saved_item_ids").get("saved_item_ids") or "")))

    def mark(self, ids: Iterable[int], as_: str) -> None:
        """`as_`: read, unread, saved or unsaved."""
        if as_ not in ("read", "unread", "saved", "unsaved"):
            raise ValueError(as_)
        for number in ids:
            self._call(data={"mark": "item", "as": as_, "id": str(number)})

    def _call(
        self,
        what: str = "",
        params: dict[str, str] | None = None,
        data: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        query = "api" + (f"&{what}" if what else "")
        if params:
            query += "&" + urllib.parse.urlencode(params)
        url = f"{self.url}{'&' if '?' in self.url else '?'}{query}"
        body = urllib.parse.urlencode({"api_key": self._key, **(data or {})}).encode()
        try:
            answer = call(url, body, {"User-Agent": USER_AGENT}, self.timeout, MAX_ANSWER)
        except WebError as exc:
            if exc.code == 401:
                raise self._refused() from None
            raise SyncError(f"{self.url}: {exc}") from None
        try:
            document = json.loads(answer)
        except (ValueError, RecursionError):
            raise SyncError(f"{self.url}: not a Fever API answer (no JSON)") from None
        if not isinstance(document, dict) or "api_version" not in document:
            raise SyncError(f"{self.url}: not a Fever API answer")
        if not document.get("auth"):
            raise self._refused()
        return document

    def _refused(self) -> Unauthorized:
        return Unauthorized(
            f"{self.url}: the server refused {self.user!r}: wrong user or API password"
        )


def _number(value: object) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None


def _numbers(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip().isdigit()]


def _items(document: dict[str, Any]) -> list[FeverItem]:
    found = []
    for entry in listed(document.get("items")):
        if not isinstance(entry, dict):
            continue
        try:
            number, feed = int(entry["id"]), int(entry.get("feed_id") or 0)
        except (KeyError, TypeError, ValueError):
            continue
        created = entry.get("created_on_time")
        url = entry.get("url")
        found.append(
            FeverItem(
                id=number,
                feed=feed,
                title=str(entry.get("title") or ""),
                url=url if isinstance(url, str) and url else None,
                published=float(created) if isinstance(created, int | float) else None,
                html=str(entry.get("html") or ""),
                author=str(entry.get("author") or ""),
                read=bool(entry.get("is_read")),
                saved=bool(entry.get("is_saved")),
            )
        )
    return found
