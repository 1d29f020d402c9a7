"""A real HTTP server on 127.0.0.1 that serves the feeds in tests/feeds, for the feed tests.

    with FeedServer() as server:
        server.url("/feeds/rss20.xml")

Routes (every one answers on loopback only, on a port the OS picks):

    /feeds/NAME              a fixture file, with an ETag and a Last-Modified; 304 when the
                             request's If-None-Match (or, without one, If-Modified-Since) matches
    /swap/KEY                what `server.swap(KEY, data)` last put there (404 before), with
                             the same conditional rules: the tests change it to test updates
    /gzip/NAME               a fixture file sent with Content-Encoding: gzip
    /redirect/CODE/NAME      a CODE (301, 302, 307...) redirect to /feeds/NAME
    /away                    a 302 redirect to ftp://example.com/feed.xml (off the web)
    /slow/NAME               waits `slow_seconds` (longer than any test timeout), then NAME
    /status/CODE             an empty answer with that status (404, 500...)

Every request's path and headers are kept in `server.requests`, so tests can check that a
client sent If-None-Match or Accept-Encoding.
"""

from __future__ import annotations

import contextlib
import email.utils
import gzip
import hashlib
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType

FEEDS = Path(__file__).parent / "feeds"

# One fixed time for every Last-Modified: conditional requests compare against it.
LAST_MODIFIED = email.utils.formatdate(1653123600, usegmt=True)  # Sat, 21 May 2022 09:00 GMT

CONTENT_TYPES = {
    ".xml": "application/xml; charset=utf-8",
    ".rdf": "application/rdf+xml; charset=utf-8",
    ".json": "application/feed+json; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".opml": "text/x-opml; charset=utf-8",
}


def content_type(name: str) -> str:
    return CONTENT_TYPES.get(Path(name).suffix, "application/octet-stream")


@dataclass(frozen=True, slots=True)
class Request:
    """One request the server saw: its path and headers (names lower-cased)."""

    path: str
    headers: dict[str, str]


@dataclass(frozen=True, slots=True)
class Swapped:
    body: bytes
    content_type: str
    etag: str | None
    last_modified: str | None


class _Server(ThreadingHTTPServer):
    # The default listen backlog (5) drops connections when a refresh opens eight at once,
    # and a dropped SYN is retried only after a second: longer than the tests' timeouts.
    request_queue_size = 128
    daemon_threads = True
    block_on_close = False


def etag_of(data: bytes) -> str:
    return '"' + hashlib.sha256(data).hexdigest()[:16] + '"'


class FeedServer:
    """The server, its thread, the recorded requests and the swappable routes."""

    def __init__(self, folder: Path = FEEDS, slow_seconds: float = 10.0) -> None:
        self.folder = folder
        self.slow_seconds = slow_seconds
        self.requests: list[Request] = []
        self._swapped: dict[str, Swapped] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()  # wakes the slow handlers at shutdown
        self._httpd = _Server(("127.0.0.1", 0), self._handler_class())
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    # ---- lifecycle ------------------------------------------------------------------------

    def start(self) -> FeedServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FeedServer:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # ---- what the tests use ---------------------------------------------------------------

    @property
    def base(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        """The full URL of `path` ("/feeds/rss20.xml") on this server."""
        return self.base + path

    def feed(self, name: str) -> str:
        """The URL of the fixture file `name`."""
        return self.url(f"/feeds/{name}")

    def swap(
        self,
        key: str,
        data: bytes | str,
        content_type: str = "application/xml; charset=utf-8",
        *,
        etag: bool = True,
        last_modified: str | None = LAST_MODIFIED,
    ) -> str:
        """Serve `data` at /swap/KEY from now on; returns its URL."""
        body = data.encode("utf-8") if isinstance(data, str) else data
        with self._lock:
            self._swapped[key] = Swapped(
                body, content_type, etag_of(body) if etag else None, last_modified
            )
        return self.url(f"/swap/{key}")

    def swap_file(self, key: str, name: str) -> str:
        """Serve the fixture file `name` at /swap/KEY from now on; returns its URL."""
        return self.swap(key, (self.folder / name).read_bytes(), content_type(name))

    def requests_to(self, path: str) -> list[Request]:
        """The requests whose path is `path` (a full URL of this server works too)."""
        path = path.removeprefix(self.base)
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def record(self, request: Request) -> None:
        with self._lock:
            self.requests.append(request)

    def swapped(self, key: str) -> Swapped | None:
        with self._lock:
            return self._swapped.get(key)

    def wait_slow(self) -> None:
        self._stopping.wait(self.slow_seconds)

    # ---- the handler ----------------------------------------------------------------------

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass  # keep the test output clean

            def do_HEAD(self) -> None:
                self._answer(head=True)

            def do_GET(self) -> None:
                self._answer(head=False)

            def _answer(self, head: bool) -> None:
                server.record(Request(self.path, {k.lower(): v for k, v in self.headers.items()}))
                parts = self.path.split("?", 1)[0].strip("/").split("/")
                route, rest = parts[0], "/".join(parts[1:])
                if route == "feeds":
                    self._file(rest, head)
                elif route == "swap":
                    swapped = server.swapped(rest)
                    if swapped is None:
                        self._status(404, head)
                    else:
                        self._send(
                            swapped.body,
                            swapped.content_type,
                            head,
                            etag=swapped.etag,
                            last_modified=swapped.last_modified,
                        )
                elif route == "gzip":
                    self._file(rest, head, compress=True)
                elif route == "redirect" and "/" in rest:
                    code, name = rest.split("/", 1)
                    self.send_response(int(code))
                    self.send_header("Location", f"/feeds/{name}")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                elif route == "away":
                    self.send_response(302)
                    self.send_header("Location", "ftp://example.com/feed.xml")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                elif route == "slow":
                    server.wait_slow()
                    if not server._stopping.is_set():
                        self._file(rest, head)
                elif route == "status" and rest.isdigit():
                    self._status(int(rest), head)
                else:
                    self._status(404, head)

            def _file(self, name: str, head: bool, compress: bool = False) -> None:
                path = server.folder / name
                if "/" in name or ".." in name or not path.is_file():
                    self._status(404, head)
                    return
                body = path.read_bytes()
                self._send(
                    body,
                    content_type(name),
                    head,
                    etag=etag_of(body),
                    last_modified=LAST_MODIFIED,
                    compress=compress,
                )

            def _status(self, code: int, head: bool) -> None:
                body = f"status {code}\n".encode()
                self.send_response(code)
                self.send_header("Content-Type", "text/plain; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if not head:
                    self.wfile.write(body)

            def _not_modified(self, etag: str | None, last_modified: str | None) -> bool:
                sent_etag = self.headers.get("If-None-Match")
                if sent_etag is not None:  # RFC 9110: If-None-Match wins over the date
                    tags = [t.strip() for t in sent_etag.split(",")]
                    return etag is not None and (etag in tags or "*" in tags)
                since = self.headers.get("If-Modified-Since")
                if since is None or last_modified is None:
                    return False
                try:
                    asked = email.utils.parsedate_to_datetime(since)
                    changed = email.utils.parsedate_to_datetime(last_modified)
                except (TypeError, ValueError):
                    return False
                return changed <= asked

            def _send(
                self,
                body: bytes,
                kind: str,
                head: bool,
                *,
                etag: str | None,
                last_modified: str | None,
                compress: bool = False,
            ) -> None:
                if self._not_modified(etag, last_modified):
                    self.send_response(304)
                    if etag:
                        self.send_header("ETag", etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if compress:
                    body = gzip.compress(body)
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                if compress:
                    self.send_header("Content-Encoding", "gzip")
                if etag:
                    self.send_header("ETag", etag)
                if last_modified:
                    self.send_header("Last-Modified", last_modified)
                self.end_headers()
                if not head:
                    self.wfile.write(body)

        return Handler


if __name__ == "__main__":  # pragma: no cover - for trying the routes by hand
    with FeedServer() as running:
        print(f"serving {FEEDS} at {running.base}; Ctrl-C stops")
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
