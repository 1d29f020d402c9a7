"""A loopback HTTP server that answers at once and then drips its feed a byte at a time,
as a hostile or broken server does: each read gets a byte, so only a deadline for the
whole fetch ends it. Routes:

    /drip           the headers at once, then the body one byte every `interval` seconds,
                    for `give_up` seconds at most (then it hangs up, the feed unfinished)
    /drip-headers   even the status line and headers one byte at a time
    /quick          the same feed at once (the feed that must still refresh beside them)

    with DripServer(interval=1.0) as server:
        server.url("/drip")
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

PADDING = b"<!-- padding -->\n" * 20  # long enough to drip for minutes
FEED = (
    b"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>Quick News</title>
<item><title>On time</title><guid>quick-1</guid></item>
</channel></rss>
"""
    + PADDING
)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 64


class DripServer:
    """The server and its thread; `stop()` wakes every dripping handler so it ends."""

    def __init__(self, interval: float = 1.0, give_up: float = 30.0) -> None:
        self.interval = interval
        self.give_up = give_up
        self.stopping = threading.Event()
        self.hits: list[str] = []
        self._httpd = _Server(("127.0.0.1", 0), self._handler_class())
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self) -> DripServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def stop(self) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def url(self, path: str) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}{path}"

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

            def do_GET(self) -> None:
                server.hits.append(self.path)
                head = (
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n"
                    b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(FEED)
                )
                try:
                    if self.path == "/quick":
                        self.wfile.write(head + FEED)
                    elif self.path == "/drip":
                        self.wfile.write(head)
                        self._drip(FEED)
                    elif self.path == "/drip-headers":
                        self._drip(head + FEED)
                except OSError:
                    pass  # the client gave up: that is the point
                self.close_connection = True

            def _drip(self, data: bytes) -> None:
                end = time.monotonic() + server.give_up
                for byte in range(len(data)):
                    self.wfile.write(data[byte : byte + 1])
                    self.wfile.flush()
                    if server.stopping.wait(server.interval) or time.monotonic() > end:
                        return

        return Handler


if __name__ == "__main__":  # pragma: no cover - for trying it by hand
    with DripServer() as running:
        print(running.url("/drip"), running.url("/drip-headers"), running.url("/quick"))
        threading.Event().wait()
