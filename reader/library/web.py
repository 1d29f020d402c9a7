"""An urllib opener whose every fetch ends by a deadline: connect, send and each read
wait at most the time left, so a server that drips a byte a second cannot stretch a 5 s
timeout to minutes (a per-read socket timeout would restart with each byte). Name lookup
is the system's and is not bounded here (a refresh gives up on it: `feeds._fetched`)."""

from __future__ import annotations

import http.client
import io
import socket
import time
import urllib.request
from functools import partial
from typing import Any


def bounded_opener(deadline: float, *handlers: Any) -> urllib.request.OpenerDirector:
    """urllib's opener with `handlers`, its http(s) connections ending by `deadline`
    (a time.monotonic() value)."""
    return urllib.request.build_opener(*handlers, _Web(deadline), _SecureWeb(deadline))


class TimedOut(TimeoutError):
    """The fetch's deadline passed after the server had begun to answer."""


class WebError(Exception):
    """A call that failed: str() says why; `code`, the HTTP status if there was one."""

    def __init__(self, message: str, code: int | None = None) -> None:
        super().__init__(message)
        self.code = code


def call(
    url: str,
    data: bytes | None,
    headers: dict[str, str],
    timeout: float,
    max_bytes: int = 64 * 1024 * 1024,
) -> bytes:
    """One http(s) request (POST with `data`), its whole answer within `timeout` seconds.
    Raises WebError saying what went wrong: a status, no answer in time, no connection,
    an answer larger than `max_bytes`."""
    import urllib.error

    request = urllib.request.Request(url, data=data, headers=headers)
    deadline = time.monotonic() + timeout
    try:
        with bounded_opener(deadline).open(request, timeout=timeout) as response:
            answer: bytes = response.read(max_bytes + 1)
    except urllib.error.HTTPError as exc:
        said = exc.reason if isinstance(exc.reason, str) else ""
        raise WebError(f"the server answered {exc.code} {said}".rstrip(), exc.code) from None
    except (TimedOut, TimeoutError):
        raise WebError(f"no answer within {timeout:g} s") from None
    except (OSError, http.client.HTTPException, ValueError) as exc:
        raise WebError(str(getattr(exc, "reason", None) or exc)) from None
    if len(answer) > max_bytes:
        raise WebError(f"the answer is larger than {max_bytes // 2**20} MB")
    return answer


def _left(deadline: float) -> float:
    """Seconds left before `deadline`; a server that never answered times out here."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("no time left")
    return left


class _DeadlineReader(io.RawIOBase):
    """A socket's reader whose every read waits at most the time left before the
    deadline: a server dripping bytes gets no fresh timeout per byte."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self.sock = sock
        self.deadline = deadline
        self.raw = sock.makefile("rb", buffering=0)  # keeps the socket open until closed
        self.received = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int | None:
        try:
            self.sock.settimeout(_left(self.deadline))
            count = self.raw.readinto(buffer)
        except TimeoutError:
            if self.received:
                raise TimedOut from None
            raise
        self.received += count or 0
        return count

    def close(self) -> None:
        self.raw.close()
        super().close()


class _DeadlineSocket:
    """What http.client uses of a socket (sendall, makefile, close), within a deadline."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self.sock = sock
        self.deadline = deadline

    def sendall(self, data: bytes) -> None:
        self.sock.settimeout(_left(self.deadline))
        self.sock.sendall(data)

    def makefile(self, mode: str = "rb", *args: object, **kwargs: object) -> io.BufferedReader:
        return io.BufferedReader(_DeadlineReader(self.sock, self.deadline))

    def close(self) -> None:
        self.sock.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.sock, name)


class _Bounded:
    """A connection that connects within the time left and then reads within it."""

    sock: Any  # (HTTPConnection's)
    timeout: float | None

    def __init__(self, *args: Any, deadline: float, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.deadline = deadline

    def connect(self) -> None:
        self.timeout = _left(self.deadline)
        super().connect()  # type: ignore[misc]
        self.sock = _DeadlineSocket(self.sock, self.deadline)


class _HTTP(_Bounded, http.client.HTTPConnection):
    pass


class _HTTPS(_Bounded, http.client.HTTPSConnection):
    pass


class _BoundedHandler:
    """urllib's http(s) handlers, opening bounded connections."""

    def __init__(self, deadline: float) -> None:
        super().__init__()
        self.deadline = deadline

    def do_open(
        self, http_class: Any, req: urllib.request.Request, **kwargs: Any
    ) -> http.client.HTTPResponse:
        bounded = _HTTPS if issubclass(http_class, http.client.HTTPSConnection) else _HTTP
        opened: http.client.HTTPResponse = super().do_open(  # type: ignore[misc]
            partial(bounded, deadline=self.deadline), req, **kwargs
        )
        return opened


class _Web(_BoundedHandler, urllib.request.HTTPHandler):
    pass


class _SecureWeb(_BoundedHandler, urllib.request.HTTPSHandler):
    pass
