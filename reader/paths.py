"""Where newsreader keeps its files, and where the bundled seeds and themes are."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "newsreader"


def data_dir() -> Path:
    home = os.environ.get("NEWSREADER_HOME")
    return Path(home) / "data" if home else platformdirs.user_data_path(APP)


def config_dir() -> Path:
    home = os.environ.get("NEWSREADER_HOME")
    return Path(home) / "config" if home else platformdirs.user_config_path(APP)


def library_path(
    explicit: str | os.PathLike[str] | None = None, configured: str | None = None
) -> Path:
    """`--library` wins, then $NEWSREADER_LIBRARY, then the config's `library`, then the
    user's data directory."""
    chosen = explicit or os.environ.get("NEWSREADER_LIBRARY") or configured
    return Path(chosen).expanduser() if chosen else data_dir() / "library.db"


def _bundled(name: str) -> Path:
    package = Path(__file__).resolve().parent
    installed = package / name  # inside a wheel (see pyproject's force-include)
    return installed if installed.is_dir() else package.parent / name  # a source checkout


def seeds_dir() -> Path:
    return _bundled("seeds")


def themes_dir() -> Path:
    return _bundled("themes")
