"""The library: parse posts into records and keep them in SQLite. Never imports Textual.

The importer and parser (yaml, html2text, multiprocessing) load on first use, so the app
paints its first screen without paying for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reader.library.errors import LibraryError
from reader.library.models import (
    Article,
    ArticleState,
    ArticleSummary,
    Change,
    Facet,
    ImportReport,
    ParsedArticle,
    Problem,
    SavedView,
    View,
)
from reader.library.store import Library

if TYPE_CHECKING:
    from reader.library.ingest import import_paths
    from reader.library.parse import ParseError, parse_bytes, parse_file

_LAZY = {
    "import_paths": "reader.library.ingest",
    "ParseError": "reader.library.parse",
    "parse_bytes": "reader.library.parse",
    "parse_file": "reader.library.parse",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(name)


__all__ = [
    "Article",
    "ArticleState",
    "ArticleSummary",
    "Change",
    "Facet",
    "ImportReport",
    "Library",
    "LibraryError",
    "ParseError",
    "ParsedArticle",
    "Problem",
    "SavedView",
    "View",
    "import_paths",
    "parse_bytes",
    "parse_file",
]
