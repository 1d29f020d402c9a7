"""A private FreshRSS (../shared/servers/freshrss: PHP + SQLite) on a free loopback port,
with one user, for the sync tests; its feeds come from a FeedServer on loopback too.

    server = FreshRSS.start(folder)  # or pytest.skip, naming why, where PHP or it is absent
    server.api   # http://127.0.0.1:PORT/api/greader.php

Only 127.0.0.1 is ever used: FreshRSS fetches the feeds the tests serve themselves."""

from __future__ import annotations

import itertools
import shutil
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from feeds_server import FeedServer

    from reader.library.greader import GReader

SOURCE = Path(__file__).resolve().parents[1].parent / "shared" / "servers" / "freshrss"
USER, PASSWORD, API_PASSWORD = "alice", "secret123", "apipass123"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def absent() -> str | None:
    """Why the real server cannot run here, or None."""
    if not SOURCE.is_dir():
        return f"no FreshRSS at {SOURCE} (../shared/servers is not beside the project)"
    if shutil.which("php") is None:
        return "no php (apt-get install php-cli php-sqlite3 php-curl php-xml php-mbstring)"
    return None


@dataclass
class FreshRSS:
    folder: Path
    port: int
    process: subprocess.Popen[bytes]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api(self) -> str:
        return f"{self.base}/api/greader.php"

    @classmethod
    def start(cls, folder: Path) -> FreshRSS:
        reason = absent()
        if reason:
            pytest.skip(reason)
        shutil.copytree(SOURCE, folder)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        for command in (
            ["cli/do-install.php", "--default-user", USER, "--db-type", "sqlite"]
            + ["--api-enabled", "--base-url", base],
            ["cli/create-user.php", "--user", USER, "--password", PASSWORD]
            + ["--api-password", API_PASSWORD],
        ):
            subprocess.run(["php", *command], cwd=folder, check=True, capture_output=True)
        process = subprocess.Popen(
            ["php", "-S", f"127.0.0.1:{port}", "-t", "p"],
            cwd=folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        server = cls(folder, port, process)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{base}/api/greader.php", timeout=2):
                    return server
            except OSError as exc:
                if getattr(exc, "code", None):  # an HTTP answer: it is up
                    return server
                time.sleep(0.1)
        server.stop()
        raise RuntimeError(f"FreshRSS did not answer on {base} within 20 s")

    def new_user(self, name: str) -> str:
        """Another user (API password API_PASSWORD): a test of its own on the same server."""
        subprocess.run(
            ["php", "cli/create-user.php", "--user", name, "--password", PASSWORD]
            + ["--api-password", API_PASSWORD],
            cwd=self.folder,
            check=True,
            capture_output=True,
        )
        return name

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()


_users = itertools.count(1)


def follower(server: FreshRSS, feeds: FeedServer) -> GReader:
    """A new user of `server`, following two of `feeds` (the first in a folder `Finance`)
    through the Google Reader API (FreshRSS fetches them itself): a test of its own."""
    from reader.library.greader import LABEL, GReader

    client = GReader(server.api, server.new_user(f"user{next(_users)}"), API_PASSWORD, 20)
    stream = client.subscribe(feeds.feed("rss20.xml"))
    client._send(
        "/reader/api/0/subscription/edit",
        data={"ac": "edit", "s": stream, "a": LABEL + "Finance"},
        write=True,
    )
    client.subscribe(feeds.feed("atom10.xml"))
    return client
