"""Where a static site's posts live on the web: a Jekyll site's `_config.yml` gives the
address that relative links in its posts (`../`, `/emnews/`) are relative to."""

from __future__ import annotations

import os
import re
import stat
import tomllib
from pathlib import Path

import yaml

from reader.library.text import clean_line

CONFIG_BYTES = 1_000_000  # a site's _config.yml larger than this is not read


def site_url(folder: str, files: set[str]) -> str | None:
    """A Jekyll site's address from its `_config.yml` (`url` + `baseurl`), ending in `/`.
    Read with a safe loader; a missing, broken or odd config gives None."""
    for name in ("_config.yml", "_config.yaml", "_config.toml"):
        if name not in files:
            continue
        try:
            fd = os.open(os.path.join(folder, name), os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
            with os.fdopen(fd, "rb") as handle:  # a FIFO named _config.yml must not block
                regular = stat.S_ISREG(os.fstat(fd).st_mode)
                data = handle.read(CONFIG_BYTES + 1) if regular else b""
            if not regular or len(data) > CONFIG_BYTES:
                return None
            text = data.decode("utf-8", "replace")
            config = tomllib.loads(text) if name.endswith(".toml") else yaml.safe_load(text)
        except (OSError, ValueError, RecursionError, yaml.YAMLError):
            return None  # a broken config (tomllib's errors are ValueErrors): no URL
        if not isinstance(config, dict):
            return None
        url, base = config.get("url"), config.get("baseurl") or ""
        if not isinstance(url, str) or not isinstance(base, str):
            return None
        url = clean_line(url).rstrip("/")
        if not _SITE_URL.match(url):
            return None
        base = clean_line(base).strip("/")
        return f"{url}/{base}/" if base else f"{url}/"
    return None


_SITE_URL = re.compile(r"^https?://[^\s/?#]+(?:/[^\s?#]*)?$", re.IGNORECASE)


def site_above(path: Path) -> str | None:
    """The site URL of a Jekyll site root above `path` (importing `site/_posts` or one post
    in it), or None."""
    for folder in list(path.parents)[:6]:
        try:
            names = {entry.name for entry in os.scandir(folder)}
        except OSError:
            continue
        if "_posts" in names and names & {"_config.yml", "_config.yaml", "_config.toml"}:
            return site_url(str(folder), names)
    return None
