"""The library: parse posts into records and keep them in SQLite. Never imports Textual."""

from reader.library.ingest import import_paths
from reader.library.models import (
    Article,
    ArticleState,
    ArticleSummary,
    Facet,
    ImportReport,
    ParsedArticle,
    Problem,
    View,
)
from reader.library.parse import ParseError, parse_bytes, parse_file
from reader.library.store import Library, LibraryError

__all__ = [
    "Article",
    "ArticleState",
    "ArticleSummary",
    "Facet",
    "ImportReport",
    "Library",
    "LibraryError",
    "ParseError",
    "ParsedArticle",
    "Problem",
    "View",
    "import_paths",
    "parse_bytes",
    "parse_file",
]
